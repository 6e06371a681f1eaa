import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseOnnx } from '../../src/onnx/index';
import { buildGraph } from '../../src/model/build';
import { ShapeError, UnsupportedOpError } from '../../src/model/errors';
import { runFloat } from '../../src/model/float/run';
import { inspectModel } from '../../src/model/inspect';
import { tensor } from '../../src/model/tensor';
import { attr, encodeModel, floatData, int64Data, node, valueInfo } from '../onnx/builder';
import { loadGraph } from './fixtures';

test('every value of the real models has a static shape and nodes are in dependency order', () => {
  for (const name of ['fashion-mlp.onnx', 'fashion-cnn.onnx', 'fashion-attn.onnx', 'zktorch-sample-mlp.onnx']) {
    const { graph } = loadGraph(name);
    const defined = new Set([...graph.inputs.map((i) => i.name), ...graph.constants.keys()]);
    for (const n of graph.nodes) {
      for (const i of n.inputs) assert.ok(defined.has(i), `${name}: ${n.name} reads ${i} before it is defined`);
      assert.ok(graph.shapes.get(n.output), `${name}: ${n.output} has a shape`);
      defined.add(n.output);
    }
  }
  const cnn = loadGraph('fashion-cnn.onnx').graph;
  assert.deepEqual(cnn.shapes.get('/MaxPool_output_0'), [1, 4, 14, 14]);
  assert.deepEqual(cnn.shapes.get('/flatten/Flatten_output_0'), [1, 392]);
});

test('Constant nodes and constant sub-graphs are folded; parameter inputs become op attributes', () => {
  const bytes = encodeModel({
    inputs: [valueInfo('x', [2, 3])],
    outputs: [valueInfo('y', [3, 2])],
    initializers: [int64Data('perm_shape', [2], [3, 2])],
    nodes: [
      node('Constant', [], ['c'], [attr.tensor('value', floatData('', [1], [2]))]),
      node('Mul', ['c', 'c'], ['c2']),
      node('Mul', ['x', 'c2'], ['x4']),
      node('Reshape', ['x4', 'perm_shape'], ['y']),
    ],
  });
  const g = buildGraph(parseOnnx(bytes));
  assert.deepEqual(g.nodes.map((n) => n.op.type), ['Mul', 'Reshape']);
  assert.deepEqual([...(g.constants.get('c2')?.data ?? [])], [4]);
  const out = runFloat(g, { x: tensor([2, 3], [1, 2, 3, 4, 5, 6]) }).get('y');
  assert.deepEqual([...(out?.data ?? [])], [4, 8, 12, 16, 20, 24]);
  assert.deepEqual(out?.shape, [3, 2]);
});

test('an unsupported op is a typed error naming the node and the op; inspectModel lists them all', () => {
  const bytes = encodeModel({
    inputs: [valueInfo('x', [4])],
    outputs: [valueInfo('z', [4])],
    nodes: [node('Relu', ['x'], ['a']), node('Det', ['a'], ['b'], [], 'det1'), node('Relu', ['x'], ['c']), node('LpNormalization', ['c'], ['d'], [], 'lp1'), node('Add', ['b', 'd'], ['z'])],
  });
  const model = parseOnnx(bytes);
  assert.throws(
    () => buildGraph(model),
    (e: unknown) => e instanceof UnsupportedOpError && e.code === 'UNSUPPORTED' && e.node === 'det1' && e.opType === 'Det' && /det1/.test(e.message),
  );
  const report = inspectModel(model);
  assert.deepEqual(report.problems.map((p) => [p.node, p.opType]), [['det1', 'Det'], ['lp1', 'LpNormalization']]);
  assert.equal(report.opCounts.get('Relu'), 2);
});

test('a recurrent op is named as unsupported, not as missing an output or asking for extra outputs', () => {
  for (const op of ['LSTM', 'GRU', 'RNN'])
    for (const outputs of [['', 'h'], ['y', 'h']]) {
      const bytes = encodeModel({
        inputs: [valueInfo('x', [1, 1, 2])],
        outputs: [valueInfo('h', [1, 1, 3])],
        nodes: [node(op, ['x'], outputs, [], 'recurrent')],
      });
      assert.throws(() => buildGraph(parseOnnx(bytes)), (e: unknown) => e instanceof UnsupportedOpError && e.opType === op && /op is not supported/.test(e.message), `${op} → ${outputs}`);
    }
});

test('control flow is rejected with the node named', () => {
  const bytes = encodeModel({
    inputs: [valueInfo('x', [1])],
    outputs: [valueInfo('y', [1])],
    nodes: [node('If', ['x'], ['y'], [attr.graph('then_branch'), attr.graph('else_branch')], 'branch')],
  });
  assert.throws(() => buildGraph(parseOnnx(bytes)), (e: unknown) => e instanceof UnsupportedOpError && e.node === 'branch' && /control flow/.test(e.message));
});

test('shape mismatches are typed errors', () => {
  const matmul = encodeModel({
    inputs: [valueInfo('x', [2, 3])],
    outputs: [valueInfo('y', [2, 5])],
    initializers: [floatData('w', [4, 5], new Array(20).fill(1))],
    nodes: [node('MatMul', ['x', 'w'], ['y'], [], 'mm')],
  });
  assert.throws(() => buildGraph(parseOnnx(matmul)), (e: unknown) => e instanceof ShapeError && e.code === 'SHAPE' && /"mm"/.test(e.message));
  const declared = encodeModel({ inputs: [valueInfo('x', [2, 3])], outputs: [valueInfo('y', [3, 3])], nodes: [node('Relu', ['x'], ['y'])] });
  assert.throws(() => buildGraph(parseOnnx(declared)), (e: unknown) => e instanceof ShapeError && /"y"/.test(e.message) && /\[2, 3\]/.test(e.message));
  const symbolic = encodeModel({ inputs: [valueInfo('x', ['N', 3])], outputs: [valueInfo('y', ['N', 3])], nodes: [node('Relu', ['x'], ['y'])] });
  // A symbolic dimension is 1 by default, with a warning naming it (see test/model/shapes).
  assert.deepEqual(buildGraph(parseOnnx(symbolic)).shapes.get('y'), [1, 3]);
  assert.throws(() => buildGraph(parseOnnx(symbolic), { inputShapes: { x: [5, 4] } }), (e: unknown) => e instanceof ShapeError && /\[5, 4\]/.test(e.message));
  assert.deepEqual(buildGraph(parseOnnx(symbolic), { inputShapes: { x: [5, 3] } }).shapes.get('y'), [5, 3]);
  const missing = encodeModel({ inputs: [valueInfo('x', [1])], outputs: [valueInfo('y', [1])], nodes: [node('Relu', ['nowhere'], ['y'])] });
  assert.throws(() => buildGraph(parseOnnx(missing)), (e: unknown) => e instanceof ShapeError && /"nowhere"/.test(e.message));
});
