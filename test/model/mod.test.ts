/**
 * Mod by a constant divisor: both sign conventions against hand values, integers exact in the quantized model, a
 * proof of a model with two divisors (a changed remainder rejected), and the refusals (a run-time divisor, an
 * integer range wider than one table).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildGraph } from '../../src/model/build';
import { QuantizationError, UnsupportedOpError } from '../../src/model/errors';
import { runFloat } from '../../src/model/float/run';
import { dequantizeTensor, runQuantized } from '../../src/model/quant/interpret';
import { tensor, type Tensor } from '../../src/model/tensor';
import { parseOnnx } from '../../src/onnx/index';
import { compile, quantizeFeeds } from '../../src/pipeline/compile';
import { attr, DT, encodeModel, floatData, node, valueInfo } from '../onnx/builder';
import { proveAndRejectChangedOutput } from '../helpers/changed-output';

const ints = (name: string, dims: number[], values: number[]) => ({ name, dims, dataType: DT.INT32, int32Data: values });

function modModel(divisor: Record<string, unknown>, fmod: number, type: number = DT.INT32, name = 'mod'): Uint8Array {
  return encodeModel({ inputs: [valueInfo('x', [6], type)], outputs: [valueInfo('y', [6], type)], initializers: [divisor], nodes: [node('Mod', ['x', divisor.name as string], ['y'], [attr.int('fmod', fmod)], name)] });
}

const x = tensor([6], [-4, 7, 5, 4, -7, 8]);
const divisors = [2, -3, 8, -2, 3, 5];

test('Mod: the remainder takes the divisor\'s sign, or the dividend\'s with fmod, exactly on integers', () => {
  for (const [fmod, want] of [[0, [0, -2, 5, 0, 2, 3]], [1, [0, 1, 5, 0, -1, 3]]] as const) {
    const bytes = modModel(ints('d', [6], divisors), fmod);
    const g = buildGraph(parseOnnx(bytes));
    assert.deepEqual([...(runFloat(g, { x }).get(g.outputs[0]) as Tensor).data], want);
    const model = compile(bytes, [{ x }]);
    const other = tensor([6], [-13, 12, -1, 9, 10, -8]);
    for (const feed of [x, other]) {
      const got = dequantizeTensor(model.quant, runQuantized(model.quant, { x: feed }), model.quant.outputs[0].tensor).data;
      assert.deepEqual([...got], Array.from(feed.data, (v, i) => (fmod ? v % divisors[i] : ((v % divisors[i]) + divisors[i]) % divisors[i]) + 0));
    }
  }
});

test('Mod by a scalar and by a vector of two divisors proves and verifies; a changed remainder is rejected', async () => {
  const bytes = encodeModel({
    inputs: [valueInfo('x', [6], DT.INT32)],
    outputs: [valueInfo('y', [6], DT.INT32)],
    initializers: [ints('d', [1], [7]), ints('e', [6], [3, 3, 4, 4, 3, 4])],
    nodes: [node('Mod', ['x', 'd'], ['r']), node('Mod', ['r', 'e'], ['y'])],
  });
  const model = compile(bytes, [{ x }]);
  const inputs = quantizeFeeds(model, { x });
  const statement = await proveAndRejectChangedOutput(model, inputs, { col: 2, delta: 3n });
  assert.deepEqual(statement.outputs[model.outputs[0].id].flat(), [0n, 0n, 1n, 0n, 0n, 1n]);
});

test('Mod refuses a run-time divisor and an integer range wider than one table, naming the node', () => {
  const runtime = encodeModel({ inputs: [valueInfo('x', [6]), valueInfo('d', [6])], outputs: [valueInfo('y', [6])], nodes: [node('Mod', ['x', 'd'], ['y'], [attr.int('fmod', 1)], 'by_input')] });
  assert.throws(() => compile(runtime, [{ x, d: tensor([6], divisors) }]), (e: unknown) => e instanceof UnsupportedOpError && e.node === 'by_input' && /must be a constant/.test(e.message));
  const wide = modModel(ints('d', [6], divisors), 0, DT.INT32, 'wide');
  assert.throws(() => compile(wide, [{ x: tensor([6], [-40000, 7, 5, 4, 40000, 8]) }]), (e: unknown) => e instanceof QuantizationError && /node "wide".*more values than a \d+-bit table/.test(e.message));
  const floats = modModel(floatData('d', [6], [2.1, -3.4, 8, -2.1, 3.4, 5]), 1, DT.FLOAT);
  const fx = tensor([6], [-4.3, 7.2, 5, 4.3, -7.2, 8]);
  const model = compile(floats, [{ x: fx }]);
  const got = dequantizeTensor(model.quant, runQuantized(model.quant, { x: fx }), model.quant.outputs[0].tensor).data;
  // 12-bit tables over the calibrated range ±16 read x on a grid of 2^-7: the remainder is within half a step.
  [-0.1, 0.4, 5, 0.1, -0.4, 3].forEach((v, i) => assert.ok(Math.abs(got[i] - v) <= 2 ** -8 + 1e-6, `${i}: ${got[i]}`));
});
