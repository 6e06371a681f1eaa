/**
 * GatherND, ScatterElements (and the older Scatter) and ScatterND with constant indices: public index maps over the
 * data (and the updates), checked cell by cell against the ONNX definitions, proven end to end in one model, with
 * a changed output cell rejected; an "add" reduction sums rows of copies; a "mul" one is refused naming the node.
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
import { attr, encodeModel, int64Data, node, valueInfo } from '../onnx/builder';
import { proveAndRejectChangedOutput } from '../helpers/changed-output';

const x = tensor([2, 3, 4], Array.from({ length: 24 }, (_, i) => (i - 11) / 8));
const u = tensor([2, 1, 4], Array.from({ length: 8 }, (_, i) => 2 + i / 4));

function run(bytes: Uint8Array, feeds: Record<string, Tensor>): Float64Array {
  const graph = buildGraph(parseOnnx(bytes));
  return (runFloat(graph, feeds).get(graph.outputs[0]) as Tensor).data;
}

test('GatherND picks slices by index tuples, with batch axes', () => {
  const plain = encodeModel({ inputs: [valueInfo('x', [2, 3, 4])], outputs: [valueInfo('y', [2, 4])], initializers: [int64Data('i', [2, 2], [1, 2, 0, -1])], nodes: [node('GatherND', ['x', 'i'], ['y'])] });
  assert.deepEqual([...run(plain, { x })], [...x.data.slice(20, 24), ...x.data.slice(8, 12)]);
  // batch_dims 1: per batch b, the row i[b] of x[b].
  const batched = encodeModel({ inputs: [valueInfo('x', [2, 3, 4])], outputs: [valueInfo('y', [2, 4])], initializers: [int64Data('i', [2, 1], [2, 0])], nodes: [node('GatherND', ['x', 'i'], ['y'], [attr.int('batch_dims', 1)])] });
  assert.deepEqual([...run(batched, { x })], [...x.data.slice(8, 12), ...x.data.slice(12, 16)]);
  const outOfRange = encodeModel({ inputs: [valueInfo('x', [2, 3, 4])], outputs: [valueInfo('y', [4])], initializers: [int64Data('i', [2], [0, 3])], nodes: [node('GatherND', ['x', 'i'], ['y'])] });
  assert.throws(() => buildGraph(parseOnnx(outOfRange)), /GatherND: index 3 is out of range/);
});

test('ScatterElements and ScatterND overwrite the indexed cells with the updates', () => {
  const elements = encodeModel({
    inputs: [valueInfo('x', [2, 3, 4]), valueInfo('u', [2, 1, 4])],
    outputs: [valueInfo('y', [2, 3, 4])],
    initializers: [int64Data('i', [2, 1, 4], [0, 1, 2, -1, 2, 2, 0, 1])],
    nodes: [node('ScatterElements', ['x', 'i', 'u'], ['y'], [attr.int('axis', 1)])],
  });
  const want = [...x.data];
  [0, 1, 2, 2, 2, 2, 0, 1].forEach((row, k) => {
    const [b, c] = [Math.floor(k / 4), k % 4];
    want[b * 12 + row * 4 + c] = u.data[k];
  });
  assert.deepEqual([...run(elements, { x, u })], want);
  const nd = encodeModel({
    inputs: [valueInfo('x', [2, 3, 4]), valueInfo('u', [2, 4])],
    outputs: [valueInfo('y', [2, 3, 4])],
    initializers: [int64Data('i', [2, 2], [1, 0, 0, 2])],
    nodes: [node('ScatterND', ['x', 'i', 'u'], ['y'])],
  });
  const u2 = tensor([2, 4], [9, 8, 7, 6, 5, 4, 3, 2]);
  const want2 = [...x.data];
  want2.splice(12, 4, 9, 8, 7, 6);
  want2.splice(8, 4, 5, 4, 3, 2);
  assert.deepEqual([...run(nd, { x, u: u2 })], want2);
  const adding = encodeModel({
    inputs: [valueInfo('x', [2, 3, 4]), valueInfo('u', [2, 4])],
    outputs: [valueInfo('y', [2, 3, 4])],
    initializers: [int64Data('i', [2, 2], [1, 0, 0, 2])],
    nodes: [node('ScatterND', ['x', 'i', 'u'], ['y'], [attr.string('reduction', 'mul')], 'scatter_mul')],
  });
  assert.throws(() => buildGraph(parseOnnx(adding)), (e: unknown) => e instanceof UnsupportedOpError && e.node === 'scatter_mul' && /reduction "mul"/.test(e.message));
});

test('Scatter with an "add" reduction sums every update landing on a cell (duplicates included), exactly in the quantized model', async () => {
  const bytes = encodeModel({
    inputs: [valueInfo('x', [2, 3, 4]), valueInfo('u', [2, 1, 4])],
    outputs: [valueInfo('y', [2, 3, 4])],
    initializers: [int64Data('i', [2, 1, 4], [0, 1, 2, -1, 2, 2, 0, 1])],
    nodes: [node('ScatterElements', ['x', 'i', 'u'], ['a'], [attr.int('axis', 2), attr.string('reduction', 'add')]), node('ScatterElements', ['a', 'i', 'u'], ['y'], [attr.int('axis', 2), attr.string('reduction', 'add')])],
  });
  // Along the last axis, row (b, 0) receives u[b, 0, c] at column i[b, 0, c], twice (two nodes); column 2 of batch 1 twice per node.
  const want = [...x.data];
  [0, 1, 2, 3, 2, 2, 0, 1].forEach((col, k) => {
    const b = Math.floor(k / 4);
    want[b * 12 + col] += 2 * u.data[k];
  });
  const got = run(bytes, { x, u });
  got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-12, `cell ${i}: ${v} vs ${want[i]}`));
  const model = compile(bytes, [{ x, u }]);
  const q = dequantizeTensor(model.quant, runQuantized(model.quant, { x, u }), model.quant.outputs[0].tensor).data;
  q.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 2e-3, `quantized cell ${i}: ${v} vs ${want[i]}`));
  const srs = await devSrs(model.srsG1Powers);
  const pk = await setup(model, srs);
  const { statement, proof } = await prove(pk, quantizeFeeds(model, { x, u }));
  assert.equal((await verify(pk.vk, statement, proof.bytes)).ok, true);
});

test('a model of GatherND, ScatterElements and ScatterND proves and verifies; a changed output cell is rejected', async () => {
  const bytes = encodeModel({
    inputs: [valueInfo('x', [2, 3, 4]), valueInfo('u', [2, 1, 4])],
    outputs: [valueInfo('y', [2, 3, 4])],
    initializers: [int64Data('i', [2, 1, 4], [0, 1, 2, -1, 2, 2, 0, 1]), int64Data('j', [2, 2], [1, 0, 0, 2]), int64Data('k', [2, 2], [1, 1, 0, 0])],
    nodes: [
      node('ScatterElements', ['x', 'i', 'u'], ['s'], [attr.int('axis', 1)]),
      node('GatherND', ['s', 'k'], ['g']),
      node('ScatterND', ['s', 'j', 'g'], ['y']),
    ],
  });
  const feeds = { x, u };
  const model = compile(bytes, [feeds]);
  const want = run(bytes, feeds);
  const got = dequantizeTensor(model.quant, runQuantized(model.quant, feeds), model.quant.outputs[0].tensor).data;
  got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-3, `cell ${i}: ${v} vs ${want[i]}`));
  await proveAndRejectChangedOutput(model, quantizeFeeds(model, feeds), { row: 0, col: 13 });
});
