import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseOnnx } from '../../src/onnx/index';
import { buildGraph } from '../../src/model/build';
import { InputError, QuantizationError } from '../../src/model/errors';
import { runFloat } from '../../src/model/float/run';
import { calibrate } from '../../src/model/quant/calibrate';
import { dequantizeTensor, runQuantized } from '../../src/model/quant/interpret';
import { quantize } from '../../src/model/quant/quantize';
import { quantizeReal, rescaleInt } from '../../src/model/quant/rounding';
import { tensor, type Tensor } from '../../src/model/tensor';
import { attr, encodeModel, floatData, int64Data, node, valueInfo } from '../onnx/builder';
import { maxAbsDiff } from './fixtures';

test('rescale is round-half-up division by 2^k with remainder in [0, 2^k)', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: -(1n << 80n), max: 1n << 80n }), fc.integer({ min: 1, max: 60 }), (x, k) => {
      const y = rescaleInt(x, k);
      const r = x + (1n << BigInt(k - 1)) - (y << BigInt(k));
      assert.ok(r >= 0n && r < 1n << BigInt(k));
      // Same as rounding x / 2^k to the nearest integer, ties up.
      const twice = 2n * x;
      const d = 1n << BigInt(k);
      assert.ok(2n * y * d - d <= twice && twice < 2n * y * d + d);
    }),
  );
  assert.equal(rescaleInt(-3n, 1), -1n); // −1.5 rounds up to −1
  assert.equal(rescaleInt(3n, 1), 2n); // 1.5 rounds up to 2
});

test('quantizeReal rounds half up exactly, even where adding 1/2 in floating point would not', () => {
  assert.equal(quantizeReal(0.49999999999999994, 0), 0n);
  assert.equal(quantizeReal(-0.5, 0), 0n);
  assert.equal(quantizeReal(2.5, 0), 3n);
  fc.assert(fc.property(fc.integer({ min: -1e6, max: 1e6 }), fc.integer({ min: 0, max: 20 }), (n, s) => assert.equal(quantizeReal(n * 2 ** -s, s), BigInt(n))));
});

/** Builds, calibrates on `samples`, quantizes; returns the max error of the quantized output vs float on each sample. */
function quantError(bytes: Uint8Array, samples: Tensor[]): number {
  const graph = buildGraph(parseOnnx(bytes));
  const feeds = samples.map((x) => ({ x }));
  const model = quantize(graph, calibrate(graph, feeds));
  let worst = 0;
  for (const f of feeds) {
    const want = runFloat(graph, f).get(graph.outputs[0]) as Tensor;
    const got = dequantizeTensor(model, runQuantized(model, f), model.outputs[0].tensor);
    worst = Math.max(worst, maxAbsDiff(got.data, want.data));
  }
  return worst;
}

function randomTensor(shape: number[], seed: number, spread: number): Tensor {
  let s = seed;
  const next = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 2 * spread;
  return tensor(shape, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, next));
}

test('softmax, GELU, sigmoid and tanh quantize with small error', () => {
  const samples = [1, 2, 3].map((s) => randomTensor([3, 8], s, 6));
  for (const [op, attrs, tol] of [['Softmax', [attr.int('axis', -1)], 2e-3], ['Softmax', [attr.int('axis', 0)], 2e-3], ['Gelu', [], 5e-3], ['Sigmoid', [], 1e-3], ['Tanh', [], 1e-3], ['Erf', [], 1e-3]] as const) {
    const bytes = encodeModel({ inputs: [valueInfo('x', [3, 8])], outputs: [valueInfo('y', [3, 8])], nodes: [node(op, ['x'], ['y'], [...attrs])], opset: 20 });
    const err = quantError(bytes, samples);
    assert.ok(err < tol, `${op}: ${err}`);
  }
});

test('the decomposed LayerNormalization form (ReduceMean, Sub, Pow, Sqrt, Div) quantizes', () => {
  const bytes = encodeModel({
    inputs: [valueInfo('x', [4, 16])],
    outputs: [valueInfo('y', [4, 16])],
    initializers: [floatData('two', [], [2]), floatData('eps', [], [1e-5]), floatData('gamma', [16], Array.from({ length: 16 }, (_, i) => 0.5 + i / 16))],
    nodes: [
      node('ReduceMean', ['x'], ['mean'], [attr.ints('axes', [-1])]),
      node('Sub', ['x', 'mean'], ['d']),
      node('Pow', ['d', 'two'], ['d2']),
      node('ReduceMean', ['d2'], ['var'], [attr.ints('axes', [-1])]),
      node('Add', ['var', 'eps'], ['ve']),
      node('Sqrt', ['ve'], ['sd']),
      node('Div', ['d', 'sd'], ['z']),
      node('Mul', ['z', 'gamma'], ['y']),
    ],
    opset: 17,
  });
  const samples = [1, 2, 3, 4].map((s) => randomTensor([4, 16], s, 3));
  const err = quantError(bytes, samples);
  assert.ok(err < 2e-2, `decomposed layer norm: ${err}`);
});

test('pooling, concat, slice and gather quantize exactly up to input rounding', () => {
  const x = [1, 2, 3].map((s) => randomTensor([1, 2, 5, 5], s, 2));
  const pools = encodeModel({
    inputs: [valueInfo('x', [1, 2, 5, 5])],
    outputs: [valueInfo('y', [1, 4, 3, 3])],
    initializers: [int64Data('starts', [1], [0]), int64Data('ends', [1], [3]), int64Data('axes', [1], [2]), int64Data('idx', [3], [2, 0, 1])],
    nodes: [
      node('MaxPool', ['x'], ['m'], [attr.ints('kernel_shape', [3, 3]), attr.ints('pads', [1, 1, 1, 1]), attr.ints('strides', [2, 2])]),
      node('AveragePool', ['x'], ['a'], [attr.ints('kernel_shape', [3, 3]), attr.ints('pads', [1, 1, 1, 1]), attr.ints('strides', [2, 2])]),
      node('Concat', ['m', 'a'], ['c'], [attr.int('axis', 1)]),
      node('Slice', ['c', 'starts', 'ends', 'axes'], ['s']),
      node('Gather', ['s', 'idx'], ['y'], [attr.int('axis', 3)]),
    ],
  });
  assert.ok(quantError(pools, x) < 1e-3);
});

test('a bound beyond the configured limit is refused, naming the tensor and the bound', () => {
  const bytes = encodeModel({
    inputs: [valueInfo('x', [1, 64])],
    outputs: [valueInfo('y', [1, 64])],
    initializers: [floatData('w', [64, 64], new Array(64 * 64).fill(0.9))],
    nodes: [node('MatMul', ['x', 'w'], ['y'], [], 'mm')],
  });
  const graph = buildGraph(parseOnnx(bytes));
  const cal = calibrate(graph, [{ x: randomTensor([1, 64], 1, 1) }]);
  assert.throws(() => quantize(graph, cal, { maxBoundBits: 24 }), (e: unknown) => e instanceof QuantizationError && e.code === 'QUANTIZATION' && /y#matmul/.test(e.message) && /2\^24/.test(e.message));
  assert.ok(quantize(graph, cal).maxBoundBits < 40);
});

test('a value outside a calibrated table range is a typed error naming the tensor and the range', () => {
  const bytes = encodeModel({ inputs: [valueInfo('x', [4])], outputs: [valueInfo('y', [4])], nodes: [node('Sqrt', ['x'], ['y'])] });
  const graph = buildGraph(parseOnnx(bytes));
  const model = quantize(graph, calibrate(graph, [{ x: tensor([4], [1, 2, 3, 4]) }]));
  assert.throws(() => runQuantized(model, { x: tensor([4], [1, 2, 3, 0.1]) }), (e: unknown) => e instanceof InputError && e.code === 'INPUT' && /sqrt/.test(e.message) && /outside the range/.test(e.message));
});

test('Conv is channel-major: per group the kernel [mg, K] times the patches [K, P], exact against the float model', () => {
  // Batch 2, 4 → 6 channels in 2 groups, stride 2, padding 1: the NCHW permute interleaves groups and batch items.
  const w = randomTensor([6, 2, 3, 3], 5, 1);
  const bytes = encodeModel({
    inputs: [valueInfo('x', [2, 4, 7, 7])],
    outputs: [valueInfo('y', [2, 6, 4, 4])],
    initializers: [floatData('w', [6, 2, 3, 3], Array.from(w.data)), floatData('b', [6], [0.5, -1, 0.25, 2, 0, -0.75])],
    nodes: [node('Conv', ['x', 'w', 'b'], ['y'], [attr.int('group', 2), attr.ints('kernel_shape', [3, 3]), attr.ints('pads', [1, 1, 1, 1]), attr.ints('strides', [2, 2])])],
  });
  const samples = [1, 2, 3].map((s) => randomTensor([2, 4, 7, 7], s, 2));
  assert.ok(quantError(bytes, samples) < 0.05);
  const graph = buildGraph(parseOnnx(bytes));
  const model = quantize(graph, calibrate(graph, samples.map((x) => ({ x }))));
  const products = model.ops.filter((op) => op.kind === 'matmul');
  assert.equal(products.length, 2);
  for (const op of products) {
    assert.deepEqual([model.tensors[op.a].role, model.tensors[op.a].shape, model.tensors[op.b].shape], ['weight', [3, 18], [18, 2 * 4 * 4]]);
  }
});

test('a single-group Conv of one image ends in an identity permute (NCHW is already channel-major)', () => {
  const w = randomTensor([3, 2, 3, 3], 9, 1);
  const bytes = encodeModel({
    inputs: [valueInfo('x', [1, 2, 6, 6])],
    outputs: [valueInfo('y', [1, 3, 4, 4])],
    initializers: [floatData('w', [3, 2, 3, 3], Array.from(w.data))],
    nodes: [node('Conv', ['x', 'w'], ['y'], [attr.ints('kernel_shape', [3, 3])])],
  });
  const samples = [1, 2].map((s) => randomTensor([1, 2, 6, 6], s, 2));
  assert.ok(quantError(bytes, samples) < 0.05);
  const graph = buildGraph(parseOnnx(bytes));
  const model = quantize(graph, calibrate(graph, samples.map((x) => ({ x }))));
  const last = model.ops[model.ops.length - 1];
  assert.equal(last.kind, 'permute');
  assert.ok(last.kind === 'permute' && last.map.every((src, i) => src === i));
});

/** The quantized model of `bytes` calibrated on `samples` (input "x"). */
function quantizedOn(bytes: Uint8Array, samples: Tensor[]) {
  const graph = buildGraph(parseOnnx(bytes));
  return quantize(graph, calibrate(graph, samples.map((x) => ({ x }))));
}

test('ReduceL1 and variadic Sum end at a range-checked rescale (their bound restarts from the activation range)', () => {
  const half = 1n << 15n;
  const l1 = quantizedOn(encodeModel({ inputs: [valueInfo('x', [4, 64])], outputs: [valueInfo('y', [4, 1])], nodes: [node('ReduceL1', ['x'], ['y'], [attr.ints('axes', [1])])] }), [randomTensor([4, 64], 3, 4)]);
  const sum = quantizedOn(
    encodeModel({ inputs: [valueInfo('x', [8])], outputs: [valueInfo('y', [8])], initializers: [floatData('c', [8], [1, 2, 3, 4, 5, 6, 7, 8])], nodes: [node('Abs', ['x'], ['a']), node('Sum', ['x', 'a', 'c'], ['y'])] }),
    [randomTensor([8], 4, 3)],
  );
  for (const [name, model] of [['ReduceL1', l1], ['Sum', sum]] as const) {
    const out = model.outputs[0].tensor;
    const producer = model.ops.find((op) => op.out === out);
    assert.equal(producer?.kind, 'rescale', `${name}: the output is not produced by a rescale`);
    assert.deepEqual(producer.kind === 'rescale' && producer.range, { lo: -half, hi: half - 1n }, `${name}: the rescale proves no range`);
    const bound = model.tensors[out].bound;
    assert.ok(bound.lo >= -half && bound.hi < half, `${name}: bound [${bound.lo}, ${bound.hi}]`);
  }
});

test('ReduceL2 and ReduceLogSum accept outputs up to margin × their calibrated range (the margin is applied to the output)', () => {
  // With the default margin 2, an output of 1.9 × the calibrated maximum must be accepted (a margin on the sum of
  // squares or on the sum would refuse it).
  const calibrationInput = tensor([1, 4], [0.5, 1, 2, 2]);
  const model = (op: string) => quantizedOn(encodeModel({ inputs: [valueInfo('x', [1, 4])], outputs: [valueInfo('y', [1, 1])], nodes: [node(op, ['x'], ['y'], [attr.ints('axes', [1])])] }), [calibrationInput]);
  const l2 = model('ReduceL2');
  const scaled = tensor([1, 4], [0.5, 1, 2, 2].map((v) => v * 1.9));
  const got = dequantizeTensor(l2, runQuantized(l2, { x: scaled }), l2.outputs[0].tensor).data[0];
  assert.ok(Math.abs(got - Math.sqrt(9.25) * 1.9) < 0.01, `ReduceL2: ${got}`);
  // Σx = 3.5 calibrated, log 3.5 ≈ 1.25; an output of 1.9 × 1.25 = 2.38 is a sum of e^2.38 ≈ 10.8 (3.1 × 3.5).
  const logSum = quantizedOn(encodeModel({ inputs: [valueInfo('x', [1, 4])], outputs: [valueInfo('y', [1, 1])], nodes: [node('ReduceLogSum', ['x'], ['y'], [attr.ints('axes', [1])])] }), [tensor([1, 4], [0.5, 0.5, 0.5, 2])]);
  const big = tensor([1, 4], [2.7, 2.7, 2.7, 2.7]);
  const y = dequantizeTensor(logSum, runQuantized(logSum, { x: big }), logSum.outputs[0].tensor).data[0];
  assert.ok(Math.abs(y - Math.log(10.8)) < 0.01, `ReduceLogSum: ${y}`);
});

test('a calibration without the range a table is built on is a typed error naming the value, not a one-entry table', () => {
  const graph = buildGraph(parseOnnx(encodeModel({ inputs: [valueInfo('x', [4])], outputs: [valueInfo('y', [4])], nodes: [node('Abs', ['x'], ['a']), node('Sqrt', ['a'], ['y'])] })));
  const cal = calibrate(graph, [{ x: tensor([4], [1, 2, 3, 4]) }]);
  const ranges = new Map(cal.ranges);
  ranges.delete('a');
  assert.throws(() => quantize(graph, { ...cal, ranges }), (e: unknown) => e instanceof QuantizationError && /calibration has no range for "a"/.test((e as Error).message));
});
