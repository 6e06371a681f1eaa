/**
 * OneHot with constant depth and values: the ONNX definition by hand (axis, negative indices), the quantized model
 * exact, a proof end to end with a changed output cell rejected, and a run-time depth or one beyond the cell cap
 * refused naming the node.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildGraph } from '../../src/model/build';
import { UnsupportedOpError } from '../../src/model/errors';
import { MAX_GENERATED_CELLS } from '../../src/model/node-inputs';
import { runFloat } from '../../src/model/float/run';
import { dequantizeTensor, runQuantized } from '../../src/model/quant/interpret';
import { tensor, type Tensor } from '../../src/model/tensor';
import { parseOnnx } from '../../src/onnx/index';
import { compile, quantizeFeeds } from '../../src/pipeline/compile';
import { attr, DT, encodeModel, floatData, int64Data, node, valueInfo } from '../onnx/builder';
import { proveAndRejectChangedOutput } from '../helpers/changed-output';

const oneHot = (axis: number, outShape: number[]) =>
  encodeModel({
    inputs: [valueInfo('i', [2, 2], DT.INT64)],
    outputs: [valueInfo('y', outShape)],
    initializers: [int64Data('depth', [], [4]), floatData('values', [2], [-1, 2.5])],
    nodes: [node('OneHot', ['i', 'depth', 'values'], ['y'], [attr.int('axis', axis)])],
  });
const indices = tensor([2, 2], [0, 3, -1, 2]);

test('OneHot puts the on value at each index (negative ones from the end) along the chosen axis', () => {
  const g = buildGraph(parseOnnx(oneHot(1, [2, 4, 2])));
  const y = (runFloat(g, { i: indices }).get(g.outputs[0]) as Tensor).data;
  // y[a, j, b] = on where i[a, b] ≡ j (mod 4).
  const want = Array.from({ length: 16 }, (_, c) => {
    const [a, j, b] = [Math.floor(c / 8), Math.floor(c / 2) % 4, c % 2];
    return (indices.data[a * 2 + b] + 4) % 4 === j ? 2.5 : -1;
  });
  assert.deepEqual([...y], want);
});

test('OneHot is exact in the quantized model and proves; a changed cell is rejected', async () => {
  const bytes = oneHot(-1, [2, 2, 4]);
  const model = compile(bytes, [{ i: indices }]);
  const g = buildGraph(parseOnnx(bytes));
  const want = (runFloat(g, { i: indices }).get(g.outputs[0]) as Tensor).data;
  assert.deepEqual([...dequantizeTensor(model.quant, runQuantized(model.quant, { i: indices }), model.quant.outputs[0].tensor).data], [...want]);
  await proveAndRejectChangedOutput(model, quantizeFeeds(model, { i: tensor([2, 2], [1, 1, -4, 3]) }), { col: 5 });
});

test('OneHot with a depth computed at run time is refused naming the node', () => {
  const bytes = encodeModel({
    inputs: [valueInfo('i', [2], DT.INT64), valueInfo('depth', [], DT.INT64)],
    outputs: [valueInfo('y', [2, 4])],
    initializers: [floatData('values', [2], [0, 1])],
    nodes: [node('OneHot', ['i', 'depth', 'values'], ['y'], [], 'hot')],
  });
  assert.throws(() => buildGraph(parseOnnx(bytes)), (e: unknown) => e instanceof UnsupportedOpError && e.node === 'hot' && /depth/.test(e.message));
});

test('OneHot whose depth makes more than the cell cap is refused naming the node, before allocating', () => {
  const bytes = encodeModel({
    inputs: [valueInfo('i', [3, 5], DT.INT64)],
    outputs: [valueInfo('y', null)],
    initializers: [floatData('depth', [1], [1e9]), floatData('values', [2], [0, 1])],
    nodes: [node('OneHot', ['i', 'depth', 'values'], ['y'], [], 'hot')],
  });
  const t0 = performance.now();
  assert.throws(() => buildGraph(parseOnnx(bytes)), (e: unknown) => e instanceof UnsupportedOpError && e.node === 'hot' && new RegExp(`depth 1000000000 gives 15000000000 output cells, more than the ${MAX_GENERATED_CELLS}`).test(e.message));
  assert.ok(performance.now() - t0 < 1000);
});
