/**
 * BitShift of unsigned integers by constant amounts: left shifts wrap at the type's width as ONNX defines them,
 * right shifts floor; exact in the quantized model, proven end to end (a changed cell rejected); a run-time shift
 * and a signed operand are refused naming the node.
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
import { setup } from '../../src/pipeline/keys';
import { prove, verify } from '../../src/pipeline/prove-verify';
import { devSrs } from '../helpers/dev-srs';
import { attr, DT, encodeModel, node, valueInfo } from '../onnx/builder';

const uint8 = (name: string, dims: number[], values: number[]) => ({ name, dims, dataType: DT.UINT8, int32Data: values });
const shiftModel = (direction: string, amounts: number[], name = 'shift') =>
  encodeModel({
    inputs: [valueInfo('x', [4], DT.UINT8)],
    outputs: [valueInfo('y', [4], DT.UINT8)],
    initializers: [uint8('k', [4], amounts)],
    nodes: [node('BitShift', ['x', 'k'], ['y'], [attr.string('direction', direction)], name)],
  });
const x = tensor([4], [200, 7, 64, 255]);

test('BitShift: a left shift wraps at 8 bits, a right shift floors, both exact after quantization', () => {
  for (const [direction, want] of [['LEFT', [144, 28, 0, 254]], ['RIGHT', [100, 1, 8, 127]]] as const) {
    const bytes = shiftModel(direction, [1, 2, 3, 1]);
    const g = buildGraph(parseOnnx(bytes));
    assert.deepEqual([...(runFloat(g, { x }).get(g.outputs[0]) as Tensor).data], want, direction);
    const model = compile(bytes, [{ x }]);
    assert.deepEqual([...dequantizeTensor(model.quant, runQuantized(model.quant, { x }), model.quant.outputs[0].tensor).data], want, `${direction} quantized`);
  }
});

test('BitShift proves and verifies; a changed cell is rejected', async () => {
  const model = compile(shiftModel('LEFT', [1, 2, 3, 1]), [{ x }]);
  const srs = await devSrs(model.srsG1Powers);
  const pk = await setup(model, srs);
  const { statement, proof } = await prove(pk, quantizeFeeds(model, { x }));
  assert.equal((await verify(pk.vk, statement, proof.bytes)).ok, true);
  const out = model.outputs[0].id;
  assert.deepEqual(statement.outputs[out].flat(), [144n, 28n, 0n, 254n]);
  const unwrapped = statement.outputs[out].map((row) => row.map((v, c) => (c === 0 ? 400n : v)));
  assert.equal((await verify(pk.vk, { ...statement, outputs: { [out]: unwrapped } }, proof.bytes)).ok, false);
});

test('BitShift by a run-time amount or of signed integers is refused naming the node', () => {
  const runtime = encodeModel({
    inputs: [valueInfo('x', [4], DT.UINT8), valueInfo('k', [4], DT.UINT8)],
    outputs: [valueInfo('y', [4], DT.UINT8)],
    nodes: [node('BitShift', ['x', 'k'], ['y'], [attr.string('direction', 'LEFT')], 'by_input')],
  });
  assert.throws(() => compile(runtime, [{ x, k: tensor([4], [1, 1, 1, 1]) }]), (e: unknown) => e instanceof UnsupportedOpError && e.node === 'by_input' && /must be a constant/.test(e.message));
  const signed = encodeModel({
    inputs: [valueInfo('x', [4], DT.INT32)],
    outputs: [valueInfo('y', [4], DT.INT32)],
    initializers: [{ name: 'k', dims: [4], dataType: DT.INT32, int32Data: [1, 1, 1, 1] }],
    nodes: [node('BitShift', ['x', 'k'], ['y'], [attr.string('direction', 'LEFT')], 'signed')],
  });
  assert.throws(() => buildGraph(parseOnnx(signed)), (e: unknown) => e instanceof UnsupportedOpError && e.node === 'signed' && /unsigned integers only/.test(e.message));
});
