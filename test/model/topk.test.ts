/**
 * TopK with a constant k: values and indices in order, equal values lower index first (ONNX), largest and smallest,
 * exact in the quantized model; a model reading both outputs proves and verifies, and a changed index is rejected.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildGraph } from '../../src/model/build';
import { runFloat } from '../../src/model/float/run';
import { dequantizeTensor, runQuantized } from '../../src/model/quant/interpret';
import { tensor, type Tensor } from '../../src/model/tensor';
import { parseOnnx } from '../../src/onnx/index';
import { compile, quantizeFeeds } from '../../src/pipeline/compile';
import { setup } from '../../src/pipeline/keys';
import { prove, verify } from '../../src/pipeline/prove-verify';
import { devSrs } from '../helpers/dev-srs';
import { attr, DT, encodeModel, int64Data, node, valueInfo } from '../onnx/builder';

const topK = (largest: number, axis: number, outShape: number[]) =>
  encodeModel({
    inputs: [valueInfo('x', [3, 5])],
    outputs: [valueInfo('v', outShape), valueInfo('i', outShape, DT.INT64)],
    initializers: [int64Data('k', [1], [3])],
    nodes: [node('TopK', ['x', 'k'], ['v', 'i'], [attr.int('largest', largest), attr.int('axis', axis)])],
    opset: 13,
  });
// Row 1 holds ties: 2 appears at columns 1 and 3, 5 at 0 and 4.
const x = tensor([3, 5], [0.5, -1, 3, 2.25, 1, 5, 2, -3, 2, 5, -0.75, -0.5, -0.25, -1, -2]);

function outputs(bytes: Uint8Array): [number[], number[]] {
  const g = buildGraph(parseOnnx(bytes));
  const values = runFloat(g, { x });
  return [[...(values.get(g.outputs[0]) as Tensor).data], [...(values.get(g.outputs[1]) as Tensor).data]];
}

test('TopK gives the k largest or smallest in order, equal values lower index first', () => {
  assert.deepEqual(outputs(topK(1, 1, [3, 3])), [
    [3, 2.25, 1, 5, 5, 2, -0.25, -0.5, -0.75],
    [2, 3, 4, 0, 4, 1, 2, 1, 0],
  ]);
  assert.deepEqual(outputs(topK(0, 1, [3, 3])), [
    [-1, 0.5, 1, -3, 2, 2, -2, -1, -0.75],
    [1, 0, 4, 2, 1, 3, 4, 3, 0],
  ]);
});

test('TopK is exact in the quantized model; both outputs prove, and a changed index is rejected', async () => {
  for (const [largest, axis, shape] of [[1, 1, [3, 3]], [0, 0, [3, 5]]] as const) {
    const bytes = topK(largest, axis, [...shape]);
    const model = compile(bytes, [{ x }]);
    const want = outputs(bytes);
    const witness = runQuantized(model.quant, { x });
    model.quant.outputs.forEach((o, n) => assert.deepEqual([...dequantizeTensor(model.quant, witness, o.tensor).data], want[n], `largest ${largest}, axis ${axis}, output ${n}`));
  }
  const bytes = topK(1, 1, [3, 3]);
  const model = compile(bytes, [{ x }]);
  const srs = await devSrs(model.srsG1Powers);
  const pk = await setup(model, srs);
  const { statement, proof } = await prove(pk, quantizeFeeds(model, { x }));
  assert.equal((await verify(pk.vk, statement, proof.bytes)).ok, true);
  const indices = model.outputs[1].id;
  assert.deepEqual(statement.outputs[indices].flat(), [2n, 3n, 4n, 0n, 4n, 1n, 2n, 1n, 0n]);
  // Swap the two tied maxima of row 1 (indices 0 and 4): both hold 5, only the order rule tells them apart.
  const swapped = statement.outputs[indices].map((row) => row.map((v, c) => (c === 3 ? 4n : c === 4 ? 0n : v)));
  assert.equal((await verify(pk.vk, { ...statement, outputs: { ...statement.outputs, [indices]: swapped } }, proof.bytes)).ok, false);
});
