/**
 * A batched matmul (attention-style `Q·Kᵀ` over two independent products) lowers to one matmul block per
 * product with copies in and out, and the compiled model proves and verifies; a changed output is rejected.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile, quantizeFeeds } from '../../src/pipeline/compile';
import { computeGraphWitness } from '../../src/pipeline/graph-proof';
import { runQuantized } from '../../src/model/quant/interpret';
import { tensor } from '../../src/model/tensor';
import { attr, encodeModel, node, valueInfo } from '../onnx/builder';
import { proveAndRejectChangedOutput } from '../helpers/changed-output';

const bytes = encodeModel({
  inputs: [valueInfo('x', [2, 3, 4])],
  outputs: [valueInfo('y', [2, 3, 3])],
  initializers: [],
  nodes: [node('Transpose', ['x'], ['xt'], [attr.ints('perm', [0, 2, 1])]), node('MatMul', ['x', 'xt'], ['y'])],
});
const feeds = [1, 2, 3].map((seed) => ({ x: tensor([2, 3, 4], Array.from({ length: 24 }, (_, i) => Math.sin(seed * 7 + i) * 0.9)) }));

test('a batched matmul lowers to one matmul block per product and proves end to end', async () => {
  const model = compile(bytes, feeds);
  assert.equal(model.graph.nodes.filter((nd) => nd.block.kind === 'matmul').length, 2);
  const inputs = quantizeFeeds(model, feeds[0]);
  const values = computeGraphWitness(model.graph, { ...inputs, ...model.weights });
  assert.deepEqual(values[model.outputs[0].id].flat(), [...runQuantized(model.quant, feeds[0])[model.quant.outputs[0].tensor]]);
  await proveAndRejectChangedOutput(model, inputs, { row: 0, col: 4 });
});
