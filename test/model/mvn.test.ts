/**
 * MeanVarianceNormalization over the default axes [0, 2, 3] (per channel across the batch and the image): the ONNX
 * function body by hand, the quantized model close to it, and a proof end to end with a changed cell rejected.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildGraph } from '../../src/model/build';
import { runFloat } from '../../src/model/float/run';
import { dequantizeTensor, runQuantized } from '../../src/model/quant/interpret';
import { tensor, type Tensor } from '../../src/model/tensor';
import { parseOnnx } from '../../src/onnx/index';
import { compile, quantizeFeeds } from '../../src/pipeline/compile';
import { singleOpModel } from '../onnx/builder';
import { proveAndRejectChangedOutput } from '../helpers/changed-output';

const bytes = singleOpModel('MeanVarianceNormalization', [2, 3, 2, 2], [2, 3, 2, 2]);
const x = tensor([2, 3, 2, 2], Array.from({ length: 24 }, (_, i) => Math.sin(i * 1.3) * 3 + (i % 3)));

test('MeanVarianceNormalization centres and scales each channel over batch and image', () => {
  const g = buildGraph(parseOnnx(bytes));
  const y = (runFloat(g, { x }).get(g.outputs[0]) as Tensor).data;
  for (let ch = 0; ch < 3; ch++) {
    const cells = [0, 1].flatMap((b) => [0, 1, 2, 3].map((p) => b * 12 + ch * 4 + p));
    const mean = cells.reduce((a, c) => a + x.data[c], 0) / 8;
    const sd = Math.sqrt(cells.reduce((a, c) => a + (x.data[c] - mean) ** 2, 0) / 8);
    for (const c of cells) assert.ok(Math.abs(y[c] - (x.data[c] - mean) / (sd + 1e-9)) < 1e-12);
  }
});

test('MeanVarianceNormalization quantizes closely and proves; a changed cell is rejected', async () => {
  const model = compile(bytes, [{ x }]);
  const g = buildGraph(parseOnnx(bytes));
  const want = (runFloat(g, { x }).get(g.outputs[0]) as Tensor).data;
  const got = dequantizeTensor(model.quant, runQuantized(model.quant, { x }), model.quant.outputs[0].tensor).data;
  got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-2, `cell ${i}: ${v} vs ${want[i]}`));
  await proveAndRejectChangedOutput(model, quantizeFeeds(model, { x }), { row: 0, col: 3 });
});
