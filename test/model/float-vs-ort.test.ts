import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runFloat } from '../../src/model/float/run';
import { argmax, FASHION_MODELS, fashionImages, loadGraph, maxAbsDiff, ortSession, SAMPLE_MLP, sampleMlpInput } from './fixtures';

const TOLERANCE = 1e-4;

test('float interpreter matches onnxruntime on the ZKTorch sample MLP', async () => {
  const { bytes, graph } = loadGraph(SAMPLE_MLP);
  const input = sampleMlpInput();
  const out = graph.outputs[0];
  const want = await (await ortSession(bytes, out))({ input });
  const got = runFloat(graph, { input }).get(out);
  assert.ok(got);
  assert.deepEqual(got.shape, want.shape);
  assert.ok(maxAbsDiff(got.data, want.data) < TOLERANCE);
});

for (const name of FASHION_MODELS) {
  test(`float interpreter matches onnxruntime on ${name} for the 64 test images`, async () => {
    const { bytes, graph } = loadGraph(name);
    const out = graph.outputs[0];
    const ort = await ortSession(bytes, out);
    let worst = 0;
    for (const image of fashionImages().images) {
      const want = await ort({ input: image });
      const got = runFloat(graph, { input: image }).get(out);
      assert.ok(got);
      assert.deepEqual(got.shape, want.shape);
      worst = Math.max(worst, maxAbsDiff(got.data, want.data));
      assert.equal(argmax(got.data), argmax(want.data));
    }
    assert.ok(worst < TOLERANCE, `max |float − onnxruntime| = ${worst}`);
  });
}
