import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runFloat } from '../../src/model/float/run';
import { calibrate } from '../../src/model/quant/calibrate';
import { InputError } from '../../src/model/errors';
import { dequantizeTensor, runQuantized } from '../../src/model/quant/interpret';
import { quantize } from '../../src/model/quant/quantize';
import { formatLayerErrors, layerErrors } from '../../src/model/quant/report';
import { verifyBounds } from '../../src/model/quant/bounds';
import { tensor } from '../../src/model/tensor';
import { argmax, FASHION_MODELS, fashionImages, loadGraph, maxAbsDiff, SAMPLE_MLP, sampleMlpInput } from './fixtures';

/** Top-1 agreement required on the 64 images (the issue asks ≥ 63/64 for the MLP and the CNN). */
const MIN_AGREEMENT: Record<string, number> = { 'fashion-mlp.onnx': 63, 'fashion-cnn.onnx': 63, 'fashion-attn.onnx': 60 };

for (const name of FASHION_MODELS) {
  test(`quantized ${name} agrees with the float model on the 64 test images`, async () => {
    const { graph } = loadGraph(name);
    const feeds = fashionImages().images.map((input) => ({ input }));
    const model = quantize(graph, calibrate(graph, feeds));
    assert.ok(verifyBounds(model, 200) <= 200);
    let agree = 0;
    let worst = 0;
    for (const f of feeds) {
      const float = runFloat(graph, f).get(graph.outputs[0]);
      assert.ok(float);
      const q = dequantizeTensor(model, runQuantized(model, f), model.outputs[0].tensor);
      if (argmax(q.data) === argmax(float.data)) agree++;
      worst = Math.max(worst, maxAbsDiff(q.data, float.data));
    }
    const counts = new Map<string, number>();
    for (const op of model.ops) counts.set(op.kind, (counts.get(op.kind) ?? 0) + 1);
    console.log(`# ${name}: top-1 agreement ${agree}/64, max |logit error| ${worst.toExponential(2)}, ${model.ops.length} ops ${JSON.stringify(Object.fromEntries(counts))}, ${model.tables.size} tables, largest bound 2^${model.maxBoundBits}`);
    console.log(formatLayerErrors(await layerErrors(graph, model, feeds.slice(0, 16))).replace(/^/gm, '#   '));
    assert.ok(agree >= MIN_AGREEMENT[name], `${name}: ${agree}/64`);
  });
}

test('quantized sample MLP reproduces the float output closely', () => {
  const { graph } = loadGraph(SAMPLE_MLP);
  const input = sampleMlpInput();
  const model = quantize(graph, calibrate(graph, [{ input }]));
  const q = dequantizeTensor(model, runQuantized(model, { input }), model.outputs[0].tensor);
  const f = runFloat(graph, { input }).get(graph.outputs[0]);
  assert.ok(f && maxAbsDiff(q.data, f.data) < 1e-3);
});

test('an input outside the calibrated range is a typed error naming the input and the bound', () => {
  const { graph } = loadGraph('fashion-mlp.onnx');
  const feeds = fashionImages().images.slice(0, 4).map((input) => ({ input }));
  const model = quantize(graph, calibrate(graph, feeds));
  const big = tensor([1, 1, 28, 28], new Array(784).fill(0).map((_, i) => (i === 5 ? 7 : 0)));
  assert.throws(() => runQuantized(model, { input: big }), (e: unknown) => e instanceof InputError && e.code === 'INPUT' && e.tensor === 'input' && /outside the calibrated range \[-2, 2\]/.test(e.message));
  assert.throws(() => runQuantized(model, { input: tensor([784], new Array(784).fill(0)) }), (e: unknown) => e instanceof InputError && /shape/.test(e.message));
});
