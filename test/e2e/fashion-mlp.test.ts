/**
 * End to end on the Fashion-MNIST MLP: the block graph computes exactly the quantized semantics
 * (`runQuantized`) on all 64 test images, its top-1 agrees with onnxruntime's float model, and a proof
 * verifies while changed outputs, changed inputs and another model's key are rejected.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compile, quantizeFeeds } from '../../src/pipeline/compile';
import { computeGraphWitness } from '../../src/pipeline/graph-proof';
import { setup } from '../../src/pipeline/keys';
import { prove, verify } from '../../src/pipeline/prove-verify';
import { runQuantized } from '../../src/model/quant/interpret';
import { devSrs } from '../helpers/dev-srs';
import { argmax, fashionImages, modelFile, ortSession, sampleMlpInput, SAMPLE_MLP } from '../model/fixtures';

const { images } = fashionImages();
const feeds = images.map((input) => ({ input }));
const model = compile(readFileSync(modelFile('fashion-mlp.onnx')), feeds);

async function keysFor(m: ReturnType<typeof compile>) {
  const srs = await devSrs(m.srsG1Powers);
  return setup(m, srs);
}

test('Fashion MLP: the block graph computes the quantized semantics and agrees with onnxruntime on top-1', async () => {
  const out = model.outputs[0];
  const run = await ortSession(readFileSync(modelFile('fashion-mlp.onnx')), out.name);
  let agree = 0;
  for (const f of feeds) {
    const values = computeGraphWitness(model.graph, { ...quantizeFeeds(model, f), ...model.weights });
    const proven = values[out.id].flat();
    const reference = runQuantized(model.quant, f)[model.quant.outputs[0].tensor];
    assert.deepEqual(proven, [...reference]);
    if (argmax(proven.map(Number)) === argmax((await run(f)).data)) agree++;
  }
  console.log(`Fashion MLP: top-1 agreement of the proven integers with onnxruntime: ${agree}/${feeds.length}`);
  assert.ok(agree >= 63, `top-1 agreement ${agree}/64`);
});

test('Fashion MLP: a proof verifies; changed output, changed input and another model are rejected', async () => {
  const pk = await keysFor(model);
  const { statement, proof } = await prove(pk, quantizeFeeds(model, feeds[0]));
  assert.equal((await verify(pk.vk, statement, proof.bytes)).ok, true);
  console.log(`Fashion MLP: proof of ${proof.bytes.length} bytes`);
  const [o, i] = [model.outputs[0].id, model.inputs[0].id];
  const bump = (rows: readonly (readonly bigint[])[], c: number) => rows.map((row, r) => row.map((v, j) => (r === 0 && j === c ? v + 1n : v)));
  assert.equal((await verify(pk.vk, { ...statement, outputs: { [o]: bump(statement.outputs[o], 3) } }, proof.bytes)).ok, false);
  assert.equal((await verify(pk.vk, { ...statement, inputs: { [i]: bump(statement.inputs[i], 400) } }, proof.bytes)).ok, false);
  const other = compile(readFileSync(modelFile(SAMPLE_MLP)), [{ input: sampleMlpInput() }]);
  const verdict = await verify((await keysFor(other)).vk, statement, proof.bytes);
  assert.equal(verdict.ok, false);
});
