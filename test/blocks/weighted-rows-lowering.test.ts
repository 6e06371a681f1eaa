/**
 * A convolution lowered channel-major: one WeightedRowsBlock per group (no per-position matmul), the NCHW reshape
 * aliased away, and the compiled model proves and verifies end to end (and rejects a changed output).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WeightedRowsBlock } from '../../blocks/weighted-rows';
import { compile, quantizeFeeds } from '../../src/pipeline/compile';
import { tensor } from '../../src/model/tensor';
import { attr, encodeModel, floatData, node, valueInfo } from '../onnx/builder';
import { proveAndRejectChangedOutput } from '../helpers/changed-output';

function values(count: number, seed: number, spread: number): number[] {
  let s = seed;
  return Array.from({ length: count }, () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 2 * spread);
}

// Conv 3 → 3 channels, 3×3 on 6×6 with padding 1 (36 positions), bias, Relu (3 input channels, not a power of two:
// not proven in place by a convolution block, src/pipeline/conv-in-place.ts).
const bytes = encodeModel({
  inputs: [valueInfo('x', [1, 3, 6, 6])],
  outputs: [valueInfo('y', [1, 3, 6, 6])],
  initializers: [floatData('w', [3, 3, 3, 3], values(81, 3, 1)), floatData('b', [3], [0.5, -0.25, 1])],
  nodes: [node('Conv', ['x', 'w', 'b'], ['c'], [attr.ints('kernel_shape', [3, 3]), attr.ints('pads', [1, 1, 1, 1])]), node('Relu', ['c'], ['y'])],
});
const feeds = [1, 2, 3].map((seed) => ({ x: tensor([1, 3, 6, 6], values(108, seed, 2)) }));

test('a convolution lowers to one weighted-rows block over kernel-tap rows and proves end to end', async () => {
  const model = compile(bytes, feeds);
  const products = model.graph.nodes.map((n) => n.block).filter((b) => b.kind === 'matmul' || b.kind === 'weighted-rows');
  assert.equal(products.length, 1);
  const block = products[0];
  assert.ok(block instanceof WeightedRowsBlock);
  assert.deepEqual([block.m, block.k, block.n], [3, 27, 36]);
  // The model output is written by a compute block, not by a copy.
  const writer = model.graph.nodes.find((n) => n.block.tensors.some((t) => t.role === 'output' && n.bind[t.name] === model.outputs[0].id));
  assert.ok(writer && writer.block.kind !== 'permutation', `the output is written by ${writer?.block.kind}`);
  // Every wire has at most 27 rows (taps or channels), not one row per output position.
  assert.ok(model.graph.tensors.every((t) => t.kind !== 'wire' || t.rows <= 27));

  await proveAndRejectChangedOutput(model, quantizeFeeds(model, feeds[0]), { row: 0, col: 7 });
});
