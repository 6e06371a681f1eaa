/**
 * Dynamic shapes: a symbolic dimension is 1 unless `inputShapes` (CLI `--input-shape`) says otherwise, with a
 * warning naming it; shape-computing sub-graphs (Shape, Size, Gather on shapes, Unsqueeze/Concat of shapes,
 * ConstantOfShape, Range, Cast of constants) fold into constants at compile time; `inspect` lists every
 * unsupported node of a chain at once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildGraph } from '../../src/model/build';
import { inspectModel } from '../../src/model/inspect';
import { runFloat } from '../../src/model/float/run';
import { dequantizeTensor, runQuantized } from '../../src/model/quant/interpret';
import { tensor } from '../../src/model/tensor';
import { parseOnnx } from '../../src/onnx/index';
import { compile } from '../../src/pipeline/compile';
import { attr, DT, encodeModel, floatData, int64Data, node, valueInfo } from '../onnx/builder';
import { randomFeeds } from './deep-models';

/** y = x·W for x ["batch", 4]. */
const symbolicBatch = encodeModel({
  inputs: [valueInfo('x', ['batch', 4])],
  outputs: [valueInfo('y', ['batch', 3])],
  initializers: [floatData('w', [4, 3], [0.5, -1, 0.25, 1, 0.5, -0.5, -0.25, 0.75, 1, 0.1, 0.2, 0.3])],
  nodes: [node('MatMul', ['x', 'w'], ['y'], [], 'mm')],
});

test('a symbolic dimension defaults to 1 with a warning naming it; inputShapes sets it', () => {
  const g = buildGraph(parseOnnx(symbolicBatch));
  assert.deepEqual(g.inputs[0].shape, [1, 4]);
  assert.equal(g.warnings.length, 1);
  assert.match(g.warnings[0], /input "x": dimension 0 \("batch"\) set to 1/);
  assert.match(g.warnings[0], /--input-shape x=1,4/);
  const given = buildGraph(parseOnnx(symbolicBatch), { inputShapes: { x: [5, 4] } });
  assert.deepEqual(given.shapes.get('y'), [5, 3]);
  assert.deepEqual(given.warnings, []);
  const compiled = compile(symbolicBatch, randomFeeds('x', [5, 4], 2, 1), { inputShapes: { x: [5, 4] } });
  assert.deepEqual(compiled.inputs[0].shape, [5, 4]);
  assert.deepEqual(compiled.warnings, []);
  assert.equal(compile(symbolicBatch, randomFeeds('x', [1, 4], 2, 1)).warnings.length, 1);
});

/**
 * x [batch, 2, 8] → Reshape(x, Concat(Unsqueeze(Gather(Shape(x), 0)), [16])) → [batch, 16] → MatMul W [16, 4]
 * → + Cast(Range(0, 4, 1)) → + ConstantOfShape(Shape(y), 0.5) · Size(x)/Size(x).
 */
function shapeSubgraphModel(): Uint8Array {
  return encodeModel({
    inputs: [valueInfo('x', ['batch', 2, 8])],
    outputs: [valueInfo('out', ['batch', 4])],
    initializers: [
      int64Data('zero', [], [0]),
      int64Data('axes0', [1], [0]),
      int64Data('sixteen', [1], [16]),
      floatData('w', [16, 4], Array.from({ length: 64 }, (_, i) => Math.sin(i) / 4)),
      int64Data('r0', [], [0]),
      int64Data('r1', [], [4]),
      int64Data('r2', [], [1]),
    ],
    nodes: [
      node('Shape', ['x'], ['xs'], [], 'shape_x'),
      node('Gather', ['xs', 'zero'], ['batch'], [attr.int('axis', 0)], 'batch_dim'),
      node('Unsqueeze', ['batch', 'axes0'], ['batch1'], [], 'batch_1d'),
      node('Concat', ['batch1', 'sixteen'], ['target'], [attr.int('axis', 0)], 'target_shape'),
      node('Reshape', ['x', 'target'], ['flat'], [], 'flatten'),
      node('MatMul', ['flat', 'w'], ['y'], [], 'mm'),
      node('Range', ['r0', 'r1', 'r2'], ['idx'], [], 'range'),
      node('Cast', ['idx'], ['bias'], [attr.int('to', DT.FLOAT)], 'cast'),
      node('Add', ['y', 'bias'], ['yb'], [], 'add_bias'),
      node('Shape', ['yb'], ['ys'], [], 'shape_y'),
      node('ConstantOfShape', ['ys'], ['half'], [attr.tensor('value', floatData('v', [1], [0.5]))], 'halves'),
      node('Mul', ['yb', 'half'], ['out'], [], 'scale'),
    ],
    opset: 17,
  });
}

test('Shape → Gather → Unsqueeze → Concat → Reshape, Range, Cast and ConstantOfShape fold at compile time', () => {
  const bytes = shapeSubgraphModel();
  for (const batch of [1, 3]) {
    const g = buildGraph(parseOnnx(bytes), { inputShapes: { x: [batch, 2, 8] } });
    // Only the data path runs: every shape computation is a constant.
    assert.deepEqual(g.nodes.map((n) => n.opType), ['Reshape', 'MatMul', 'Add', 'Mul']);
    assert.deepEqual([...g.constants.get('target')!.data], [batch, 16]);
    assert.deepEqual([...g.constants.get('bias')!.data], [0, 1, 2, 3]);
    assert.deepEqual(g.shapes.get('out'), [batch, 4]);
  }
  const feeds = randomFeeds('x', [3, 2, 8], 4, 7);
  const model = compile(bytes, feeds, { inputShapes: { x: [3, 2, 8] } });
  const graph = buildGraph(parseOnnx(bytes), { inputShapes: { x: [3, 2, 8] } });
  fc.assert(
    fc.property(fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 48, maxLength: 48 }), (xs) => {
      const f = { x: tensor([3, 2, 8], xs) };
      const want = runFloat(graph, f).get('out')!.data;
      const got = dequantizeTensor(model.quant, runQuantized(model.quant, f), model.quant.outputs[0].tensor).data;
      want.forEach((v, i) => assert.ok(Math.abs(v - got[i]) < 1e-2, `out[${i}]: ${got[i]} vs ${v}`));
    }),
    { numRuns: 20, seed: 3 },
  );
});

test('Shape with start and end (opset 15) slices the shape; Size counts the elements', () => {
  const bytes = encodeModel({
    inputs: [valueInfo('x', [2, 3, 4])],
    outputs: [valueInfo('s', [2]), valueInfo('n', [])],
    nodes: [node('Shape', ['x'], ['s'], [attr.int('start', 1), attr.int('end', 3)], 'shape'), node('Size', ['x'], ['n'], [], 'size')],
    opset: 15,
  });
  const g = buildGraph(parseOnnx(bytes));
  assert.deepEqual([...g.constants.get('s')!.data], [3, 4]);
  assert.deepEqual([...g.constants.get('n')!.data], [24]);
});

test('inspect lists every unsupported node of a chain, not only the first', () => {
  const bytes = encodeModel({
    inputs: [valueInfo('x', [1, 4])],
    outputs: [valueInfo('y', [1, 4])],
    nodes: [
      node('FancyOp', ['x'], ['a'], [], 'first'),
      node('Relu', ['a'], ['b'], [], 'supported_between'),
      node('OtherOp', ['b'], ['c'], [], 'second'),
      node('Softmax', ['c'], ['d'], [attr.int('axis', -1)], 'supported_after'),
      node('Foo', ['d', 'x'], ['y'], [], 'third'),
    ],
  });
  const report = inspectModel(parseOnnx(bytes));
  assert.deepEqual(
    report.problems.map((p) => [p.node, p.opType]),
    [
      ['first', 'FancyOp'],
      ['second', 'OtherOp'],
      ['third', 'Foo'],
    ],
  );
});

test('If with a condition computed from shapes is its chosen branch; a run-time condition is refused, naming the node', () => {
  const branch = (name: string, op: string) => ({ name, type: 5, g: { name, node: [node(op, ['x'], [`${name}_out`], [], `${name}_op`)], output: [valueInfo(`${name}_out`, null)] } });
  const bytes = encodeModel({
    inputs: [valueInfo('x', ['batch', 4])],
    outputs: [valueInfo('y', ['batch', 4])],
    initializers: [int64Data('zero', [], [0]), int64Data('one', [], [1])],
    nodes: [
      node('Shape', ['x'], ['xs'], [], 'shape'),
      node('Gather', ['xs', 'zero'], ['n'], [attr.int('axis', 0)], 'batch_dim'),
      node('Sub', ['n', 'one'], ['n1'], [], 'minus_one'),
      node('Cast', ['n1'], ['more_than_one'], [attr.int('to', 9)], 'to_bool'),
      node('If', ['more_than_one'], ['y'], [branch('then_branch', 'Relu'), branch('else_branch', 'Sigmoid')], 'branch'),
    ],
  });
  const ops = (batch: number) => buildGraph(parseOnnx(bytes), { inputShapes: { x: [batch, 4] } }).nodes.map((n) => n.opType);
  assert.deepEqual(ops(3), ['Relu', 'Identity']);
  assert.deepEqual(ops(1), ['Sigmoid', 'Identity']);
  const model = compile(bytes, randomFeeds('x', [3, 4], 2, 1), { inputShapes: { x: [3, 4] } });
  const f = { x: tensor([3, 4], Array.from({ length: 12 }, (_, i) => i / 6 - 1)) };
  const got = dequantizeTensor(model.quant, runQuantized(model.quant, f), model.quant.outputs[0].tensor).data;
  got.forEach((v, i) => assert.ok(Math.abs(v - Math.max(0, f.x.data[i])) < 1e-3));
  const runtime = encodeModel({
    inputs: [valueInfo('c', [1], DT.FLOAT), valueInfo('x', [1, 4])],
    outputs: [valueInfo('y', [1, 4])],
    nodes: [node('If', ['c'], ['y'], [branch('then_branch', 'Relu'), branch('else_branch', 'Sigmoid')], 'dynamic_branch')],
  });
  assert.deepEqual(inspectModel(parseOnnx(runtime)).problems.map((p) => [p.node, /compile time/.test(p.error.message)]), [['dynamic_branch', true]]);
});
