/**
 * QuantizeLinear / DequantizeLinear with constant parameters (a QDQ pair): round half to even on exact ties,
 * saturation at the integer type's range, per-axis scales, the quantized model equal to the float one on the
 * integers; the pair proven end to end with a changed cell rejected; a run-time scale refused naming the node.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildGraph } from '../../src/model/build';
import { UnsupportedOpError } from '../../src/model/errors';
import { runFloat } from '../../src/model/float/run';
import { dequantizeTensor, runQuantized } from '../../src/model/quant/interpret';
import { tensor, type Tensor } from '../../src/model/tensor';
import { parseOnnx } from '../../src/onnx/index';
import { compile, quantizeFeeds } from '../../src/pipeline/compile';
import { DT, encodeModel, floatData, node, valueInfo } from '../onnx/builder';
import { proveAndRejectChangedOutput } from '../helpers/changed-output';

const u8 = (name: string, dims: number[], values: number[]) => ({ name, dims, dataType: DT.UINT8, int32Data: values });
// Per-channel scales 0.25 and 0.5 over axis 1 of [1, 2, 4]; zero points 128 and 100.
const qdq = encodeModel({
  inputs: [valueInfo('x', [1, 2, 4])],
  outputs: [valueInfo('q', [1, 2, 4], DT.UINT8), valueInfo('y', [1, 2, 4])],
  initializers: [floatData('s', [2], [0.25, 0.5]), u8('z', [2], [128, 100])],
  nodes: [node('QuantizeLinear', ['x', 's', 'z'], ['q']), node('DequantizeLinear', ['q', 's', 'z'], ['y'])],
});
// Channel 0: 0.125 and 0.375 are ties (0.5 → 0, 1.5 → 2); 40 saturates at 255. Channel 1: −60 saturates at 0.
const x = tensor([1, 2, 4], [0.125, 0.375, -1.3, 40, 0.25, -60, 3.3, 1.75]);
const wantQ = [128, 130, 123, 255, 100, 0, 107, 104];
const wantY = [0, 0.5, -1.25, 31.75, 0, -50, 3.5, 2];

test('QuantizeLinear rounds half to even and saturates; DequantizeLinear maps back, per axis', () => {
  const g = buildGraph(parseOnnx(qdq));
  const values = runFloat(g, { x });
  assert.deepEqual([...(values.get('q') as Tensor).data], wantQ);
  assert.deepEqual([...(values.get('y') as Tensor).data], wantY);
  const model = compile(qdq, [{ x }]);
  const w = runQuantized(model.quant, { x });
  assert.deepEqual([...dequantizeTensor(model.quant, w, model.quant.outputs[0].tensor).data], wantQ);
  assert.deepEqual([...dequantizeTensor(model.quant, w, model.quant.outputs[1].tensor).data], wantY);
});

test('a QDQ pair proves and verifies; a changed integer is rejected', async () => {
  const model = compile(qdq, [{ x }]);
  const statement = await proveAndRejectChangedOutput(model, quantizeFeeds(model, { x }), { col: 0 });
  assert.deepEqual(statement.outputs[model.outputs[0].id].flat(), wantQ.map(BigInt));
});

test('QuantizeLinear with a scale computed at run time is refused naming the node', () => {
  const bytes = encodeModel({
    inputs: [valueInfo('x', [4]), valueInfo('s', [])],
    outputs: [valueInfo('q', [4], DT.UINT8)],
    nodes: [node('QuantizeLinear', ['x', 's'], ['q'], [], 'runtime_scale')],
  });
  assert.throws(() => buildGraph(parseOnnx(bytes)), (e: unknown) => e instanceof UnsupportedOpError && e.node === 'runtime_scale' && /constants/.test(e.message));
});
