/**
 * One weight read by two products (tied weights): each product reads a transposed weight of its own (the quantizer
 * gives every consumer of a float weight its own quantized tensor), tensor ids stay unique, and the model proves and
 * verifies.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile, prove, quantizeFeeds, setup, verify } from '../../src/index';
import { devSrs } from '../helpers/dev-srs';
import { validateBlockGraph } from '../../src/pipeline/block-graph';
import { MatmulBlock } from '../../blocks/matmul';
import { encodeModel, floatData, node, valueInfo } from '../onnx/builder';
import { randomFeeds } from '../model/deep-models';

/** y = x·W + Relu(x)·W for x [1, 4], W [4, 3]: two matmuls of one weight on the right. */
const tied = encodeModel({
  inputs: [valueInfo('x', [1, 4])],
  outputs: [valueInfo('y', [1, 3])],
  initializers: [floatData('w', [4, 3], [0.5, -1, 0.25, 1, 0.5, -0.5, -0.25, 0.75, 1, 0.1, 0.2, 0.3])],
  nodes: [
    node('MatMul', ['x', 'w'], ['a'], [], 'mm1'),
    node('Relu', ['x'], ['r'], [], 'relu'),
    node('MatMul', ['r', 'w'], ['b'], [], 'mm2'),
    node('Add', ['a', 'b'], ['y'], [], 'add'),
  ],
});

test('two matmuls of one weight compile to unique tensors, and the model proves and verifies', async () => {
  const feeds = randomFeeds('x', [1, 4], 4, 7);
  const compiled = compile(tied, feeds);
  validateBlockGraph(compiled.graph);
  const ids = compiled.graph.tensors.map((t) => t.id);
  assert.equal(new Set(ids).size, ids.length, 'tensor ids are unique');
  const matmuls = compiled.graph.nodes.filter((n) => n.block instanceof MatmulBlock);
  assert.equal(matmuls.length, 2);
  assert.notEqual(matmuls[0].bind.b, matmuls[1].bind.b, 'each product reads its own quantized weight');
  const srs = await devSrs(compiled.srsG1Powers);
  const pk = await setup(compiled, srs);
  const { statement, proof } = await prove(pk, quantizeFeeds(compiled, feeds[0]), { seed: 'tied' });
  assert.equal((await verify(pk.vk, statement, proof.bytes)).ok, true);
});
