/**
 * Moving a ReLU after the max pool it feeds (src/model/relu-after-pool.ts): on small generated ONNX models the
 * rewritten graph matches onnxruntime and the unrewritten graph exactly in floats, its quantized model computes
 * exactly the integers of the unrewritten quantized model, and its calibration gives the moved ReLU's output the
 * range the pool's output had. Pairs that must not move (the ReLU's output read twice or a graph output, a window
 * of padding alone, an average pool) are left alone; a pool with an Indices output never reaches the pass.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseOnnx } from '../../src/onnx/index';
import { buildGraph, walkModel } from '../../src/model/build';
import { UnsupportedOpError } from '../../src/model/errors';
import { runFloat } from '../../src/model/float/run';
import { freshValueName, type Graph } from '../../src/model/graph';
import { calibrate } from '../../src/model/quant/calibrate';
import { runQuantized } from '../../src/model/quant/interpret';
import { quantize } from '../../src/model/quant/quantize';
import { moveReluAfterPools } from '../../src/model/relu-after-pool';
import { tensor, type Tensor } from '../../src/model/tensor';
import { attr, encodeModel, node, valueInfo } from '../onnx/builder';
import { ortSession } from './fixtures';

/** Deterministic float32-representable values in [−2, 2), about half of them negative. */
function values(n: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => Math.fround(((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 4 - 2));
}

interface Case {
  readonly name: string;
  readonly x: number[];
  readonly y: number[];
  readonly nodes: Record<string, unknown>[];
  /** The op types of the rewritten graph, in order. */
  readonly after: readonly string[];
}

const pool = (inp: string, out: string, kernel: number[], extra: unknown[] = []) => node('MaxPool', [inp], [out], [attr.ints('kernel_shape', kernel), ...extra], `pool_${out}`);
const relu = (inp: string, out: string) => node('Relu', [inp], [out], [], `relu_${out}`);

const MOVES: Case[] = [
  { name: '2×2 stride-2 pool', x: [1, 3, 6, 6], y: [1, 3, 3, 3], nodes: [relu('x', 'r'), pool('r', 'y', [2, 2], [attr.ints('strides', [2, 2])])], after: ['MaxPool', 'Relu'] },
  {
    name: '3×3 stride-2 pool with pads, ceil mode and a window past the end',
    x: [2, 2, 6, 5],
    y: [2, 2, 4, 3],
    nodes: [relu('x', 'r'), pool('r', 'y', [3, 3], [attr.ints('strides', [2, 2]), attr.ints('pads', [1, 1, 1, 0]), attr.int('ceil_mode', 1)])],
    after: ['MaxPool', 'Relu'],
  },
  { name: '1-D pool with a dilation', x: [1, 2, 9], y: [1, 2, 8], nodes: [relu('x', 'r'), pool('r', 'y', [2], [attr.ints('dilations', [2]), attr.ints('pads', [1, 0])])], after: ['MaxPool', 'Relu'] },
  { name: '3-D pool', x: [1, 2, 4, 4, 4], y: [1, 2, 2, 2, 2], nodes: [relu('x', 'r'), pool('r', 'y', [2, 2, 2], [attr.ints('strides', [2, 2, 2])])], after: ['Pool3D', 'Relu'] },
  { name: 'GlobalMaxPool', x: [2, 3, 4, 5], y: [2, 3, 1, 1], nodes: [relu('x', 'r'), node('GlobalMaxPool', ['r'], ['y'])], after: ['GlobalMaxPool', 'Relu'] },
  { name: 'ReduceMax over two axes', x: [2, 3, 4, 5], y: [2, 5], nodes: [relu('x', 'r'), node('ReduceMax', ['r'], ['y'], [attr.ints('axes', [1, 2]), attr.int('keepdims', 0)])], after: ['ReduceMax', 'Relu'] },
  {
    name: 'two stacked pools (the ReLU moves after both) feeding a graph output through a ReLU-free tail',
    x: [1, 2, 8, 8],
    y: [1, 2, 2, 2],
    nodes: [relu('x', 'r'), pool('r', 'p', [2, 2], [attr.ints('strides', [2, 2])]), pool('p', 'q', [2, 2], [attr.ints('strides', [2, 2])]), node('Neg', ['q'], ['y'])],
    after: ['MaxPool', 'MaxPool', 'Relu', 'Neg'],
  },
];

interface Stays extends Case {
  /** Whether r is also a graph output. */
  readonly rOutput?: true;
  /** Whether some window holds padding alone, where the float pool gives −∞ (a ReLU after it would give 0). */
  readonly allPadding?: true;
}

const STAYS: Stays[] = [
  {
    name: "the ReLU's output read by the pool and by a second node",
    x: [1, 2, 4, 4],
    y: [1, 40],
    nodes: [
      relu('x', 'r'),
      pool('r', 'p', [2, 2], [attr.ints('strides', [2, 2])]),
      node('Flatten', ['r'], ['rf']),
      node('Flatten', ['p'], ['pf']),
      node('Concat', ['rf', 'pf'], ['y'], [attr.int('axis', 1)]),
    ],
    after: ['Relu', 'MaxPool', 'Reshape', 'Reshape', 'Concat'],
  },
  { name: "the ReLU's output a graph output", x: [1, 2, 4, 4], y: [1, 2, 2, 2], nodes: [relu('x', 'r'), pool('r', 'y', [2, 2], [attr.ints('strides', [2, 2])])], after: ['Relu', 'MaxPool'], rOutput: true },
  {
    name: 'a pool whose first and last rows of windows hold padding alone (pads 2 ≥ kernel 2 on the height)',
    x: [1, 1, 3, 3],
    y: [1, 1, 6, 2],
    nodes: [relu('x', 'r'), pool('r', 'y', [2, 2], [attr.ints('pads', [2, 0, 2, 0])])],
    after: ['Relu', 'MaxPool'],
    allPadding: true,
  },
  {
    name: 'a pool whose dilated taps step over the whole width (width 1, pads 1, dilation 2)',
    x: [1, 1, 2, 1],
    y: [1, 1, 2, 1],
    nodes: [relu('x', 'r'), pool('r', 'y', [1, 2], [attr.ints('dilations', [1, 2]), attr.ints('pads', [0, 1, 0, 1])])],
    after: ['Relu', 'MaxPool'],
    allPadding: true,
  },
  { name: 'an average pool', x: [1, 2, 4, 4], y: [1, 2, 2, 2], nodes: [relu('x', 'r'), node('AveragePool', ['r'], ['y'], [attr.ints('kernel_shape', [2, 2]), attr.ints('strides', [2, 2])])], after: ['Relu', 'AveragePool'] },
];

/** The model of a case: input x, output y, plus the ReLU's output r as a second output when `rOutput`. */
function bytesOf(c: Case, rOutput = false): Uint8Array {
  return encodeModel({ inputs: [valueInfo('x', c.x)], outputs: [valueInfo('y', c.y), ...(rOutput ? [valueInfo('r', c.x)] : [])], nodes: c.nodes });
}

/** Three feeds of values in [−2, 2) and one of negative values only, so that every max sees negative maxima too. */
function feedsOf(c: Case): Record<string, Tensor>[] {
  const n = c.x.reduce((a, b) => a * b, 1);
  const mixed = [1, 2, 3].map((s) => ({ x: tensor(c.x, values(n, s * 97)) }));
  return [...mixed, { x: tensor(c.x, values(n, 401).map((v) => Math.fround(-Math.abs(v) - 0.25))) }];
}

/** Asserts `a` and `b` are the same numbers (float64, so −0 and 0 compare equal). */
function assertSame(a: Tensor, b: Tensor, what: string): void {
  assert.deepEqual(a.shape, b.shape, `${what}: shape`);
  a.data.forEach((v, i) => assert.ok(v === b.data[i], `${what}[${i}]: ${v} vs ${b.data[i]}`));
}

/** Asserts the rewritten graph computes what the unrewritten one does: floats exactly, quantized integers exactly. */
function assertSameModel(before: Graph, after: Graph, feeds: readonly Record<string, Tensor>[]): void {
  for (const f of feeds) for (const o of before.outputs) assertSame(runFloat(after, f).get(o)!, runFloat(before, f).get(o)!, `float ${o}`);
  const calBefore = calibrate(before, feeds);
  const calAfter = calibrate(after, feeds);
  // Value names that both graphs keep have the same ranges: the moved ReLU writes what the pool wrote.
  for (const [name, r] of calAfter.ranges) if (before.shapes.has(name)) assert.deepEqual(r, calBefore.ranges.get(name), `calibrated range of ${name}`);
  const qBefore = quantize(before, calBefore);
  const qAfter = quantize(after, calAfter);
  for (const f of feeds) {
    const wb = runQuantized(qBefore, f);
    const wa = runQuantized(qAfter, f);
    qBefore.outputs.forEach((o, k) => {
      const ta = qAfter.tensors[qAfter.outputs[k].tensor];
      const tb = qBefore.tensors[o.tensor];
      assert.deepEqual([ta.scale, ta.bound], [tb.scale, tb.bound], `${o.name}: scale and bound`);
      assert.deepEqual([...wa[qAfter.outputs[k].tensor]], [...wb[o.tensor]], `${o.name}: quantized integers`);
    });
  }
}

for (const c of MOVES) {
  test(`moveReluAfterPools: ${c.name} moves the ReLU after the max; floats match onnxruntime, integers match the unrewritten model`, async () => {
    const model = parseOnnx(bytesOf(c));
    const before = walkModel(model, {});
    const after = buildGraph(model);
    assert.deepEqual(after.nodes.map((n) => n.op.type), c.after);
    assert.deepEqual(after.outputs, before.outputs);
    // The moved ReLU writes the pool's old output (y, or p and q for the stack); its old output r is gone.
    const moved = after.nodes.find((n) => n.op.type === 'Relu')!;
    assert.equal(moved.name, 'relu_r');
    assert.equal(after.shapes.has('r'), false);
    assert.ok(!after.nodes.some((n) => n.inputs.includes('r')));
    assert.deepEqual(after.shapes.get(moved.output), before.shapes.get(moved.output));
    assert.deepEqual(after.shapes.get(moved.inputs[0]), before.shapes.get(moved.output));
    assert.equal(after.nodes[0].inputs[0], 'x');

    const feeds = feedsOf(c);
    const ort = await ortSession(bytesOf(c), 'y');
    for (const f of feeds) assertSame(runFloat(after, f).get('y')!, await ort(f), 'float vs onnxruntime');
    assertSameModel(before, after, feeds);
    // The pool's output before the ReLU holds negative values, which the ReLU's output (the calibrated range of the
    // pool's old output) clips at 0.
    const cal = calibrate(after, feeds);
    const pre = cal.ranges.get(moved.inputs[0])!;
    const post = cal.ranges.get(moved.output)!;
    assert.ok(pre.min < 0, 'the pool sees negative values');
    assert.deepEqual(post, { min: Math.max(pre.min, 0), max: Math.max(pre.max, 0) });
  });
}

for (const c of STAYS) {
  test(`moveReluAfterPools: ${c.name} leaves the graph alone`, () => {
    const model = parseOnnx(bytesOf(c, c.rOutput));
    const before = walkModel(model, {});
    assert.equal(moveReluAfterPools(before), before);
    const after = buildGraph(model);
    assert.deepEqual(after.nodes.map((n) => n.op.type), c.after);
    assert.deepEqual(after.nodes, before.nodes);
    // Why such a pool must keep its ReLU in front: a window of padding alone gives −∞, which Relu would make 0.
    if (c.allPadding) assert.ok(runFloat(after, feedsOf(c)[0]).get('y')!.data.includes(-Infinity));
  });
}

test('moveReluAfterPools: a MaxPool with an Indices output is refused before the pass (a typed error), so it is never moved', () => {
  const bytes = encodeModel({
    inputs: [valueInfo('x', [1, 2, 4, 4])],
    outputs: [valueInfo('y', [1, 2, 2, 2]), valueInfo('i', [1, 2, 2, 2], 7)],
    nodes: [relu('x', 'r'), node('MaxPool', ['r'], ['y', 'i'], [attr.ints('kernel_shape', [2, 2]), attr.ints('strides', [2, 2])])],
  });
  assert.throws(() => buildGraph(parseOnnx(bytes)), (e: unknown) => e instanceof UnsupportedOpError && /only the first output/.test(e.message));
});

test('freshValueName: the base name when no value has it, else the first free base#k', () => {
  const shapes = new Map<string, readonly number[]>([['p', [1]], ['p#before-relu', [1]], ['p#before-relu#1', [1]]]);
  assert.equal(freshValueName(shapes, 'q'), 'q');
  assert.equal(freshValueName(shapes, 'p#before-relu'), 'p#before-relu#2');
});
