/**
 * Max pools that read a convolution's output in place (`poolWindowOrder`, `SegmentOrder` in `src/pipeline/lower.ts`):
 * the convolution's output positions, and every tensor its bias add and rescale write from it, are stored
 * pool-window-major within each channel's padded stride, so the flat max reads the L members of window w at
 * w·L … w·L + L − 1 and no candidates copy is made. A ReLU in front of the pool has moved after it
 * (`src/model/relu-after-pool.ts`), so the pool reads the rescale's output and the ReLU the pool's. A convolution
 * proven in place (`src/pipeline/conv-in-place.ts`, the Fashion CNN's) writes its output in its 2-D layout instead, and
 * its pool reads the windows through one copy. A generated conv → ReLU → 2×2 max pool (7×7 image, pads, 4 channels, a
 * pool that drops the last row and column) compiles, proves and verifies, and a changed cell of the in-place max input
 * (in a window, in the dropped row, in the stride's padding) or of the max output's padding is rejected end to end.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MaxBlock } from '../../blocks/max';
import { MaxConstantBlock } from '../../blocks/max-constant';
import { PermutationBlock } from '../../blocks/permutation';
import { RescaleBlock } from '../../blocks/rescale';
import { runQuantized } from '../../src/model/quant/interpret';
import { tensor } from '../../src/model/tensor';
import { validateBlockGraph, type BlockGraph } from '../../src/pipeline/block-graph';
import { compile, quantizeFeeds, type CompiledWithQuant } from '../../src/pipeline/compile';
import { computeGraphWitness } from '../../src/pipeline/graph-proof';
import { attr, encodeModel, floatData, node, valueInfo } from '../onnx/builder';
import { proveAndRejectChangedOutput } from '../helpers/changed-output';
import { assertTamperRejected, keysFor } from '../soundness/pipeline';

function values(count: number, seed: number, spread: number): number[] {
  let s = seed;
  return Array.from({ length: count }, () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 2 * spread);
}

/** The ReLU (a max with a constant) whose x is `id` or a copy of it, if one is. */
function reluReading(g: BlockGraph, id: string): BlockGraph['nodes'][number] | undefined {
  const direct = g.nodes.find((r) => r.block instanceof MaxConstantBlock && r.bind.x === id);
  if (direct) return direct;
  const copy = g.nodes.find((p) => p.block instanceof PermutationBlock && Object.entries(p.bind).some(([k, v]) => k !== 'out' && v === id));
  return copy && reluReading(g, copy.bind.out);
}

/**
 * The max pools (maxima over more than two candidates) of a graph, each with the rescale that writes its input and the
 * ReLU that reads its output (through a copy of it, if one), if they exist.
 */
function pools(g: BlockGraph) {
  return g.nodes
    .filter((n) => n.block instanceof MaxBlock && n.block.candidates > 2)
    .map((n) => ({ node: n, block: n.block as MaxBlock, rescale: g.nodes.find((r) => r.block instanceof RescaleBlock && r.bind.y === n.bind.x), relu: reluReading(g, n.bind.y) }));
}

/**
 * Asserts the graph has no candidates copy: every pool is flat and reads the convolution's rescaled output in place,
 * which no copy reads, and the ReLU moved after the pool reads the pool's output.
 */
function assertPoolsInPlace(g: BlockGraph, count: number): void {
  assert.deepEqual(g.tensors.filter((t) => t.id.includes('/candidates')).map((t) => t.id), [], 'no candidates copy');
  const found = pools(g);
  assert.equal(found.length, count);
  for (const { node: n, block, rescale, relu } of found) {
    assert.ok(block.flat, `${block.foldKey} is flat`);
    assert.ok(rescale, `${block.foldKey} reads the rescale's output ${n.bind.x} in place`);
    assert.ok(relu, `a ReLU reads ${block.foldKey}'s output ${n.bind.y}`);
    assert.ok(!g.nodes.some((p) => p.block instanceof PermutationBlock && Object.entries(p.bind).some(([k, v]) => k !== 'out' && v === n.bind.x)), `no copy reads ${n.bind.x}`);
  }
}

/** Asserts the compiled graph computes the quantized model's output on each feed. */
function assertSemantics(model: CompiledWithQuant, feeds: readonly Record<string, ReturnType<typeof tensor>>[]): void {
  for (const f of feeds) {
    const values = computeGraphWitness(model.graph, { ...quantizeFeeds(model, f), ...model.weights });
    assert.deepEqual(values[model.outputs[0].id].flat(), [...runQuantized(model.quant, f)[model.quant.outputs[0].tensor]]);
  }
}

// Conv 3 → 4 channels (3 is not a power of two: not proven in place, so the convolution is flat weighted rows), 3×3 on 7×7 with padding 1 (n = 49 positions, stride 64), bias, ReLU, 2×2 max pool (3×3 windows:
// the 7th row and column belong to none), flatten, a dense layer of 3 outputs.
const model = compile(
  encodeModel({
    inputs: [valueInfo('x', [1, 3, 7, 7])],
    outputs: [valueInfo('y', [1, 3])],
    initializers: [
      floatData('w', [4, 3, 3, 3], values(108, 5, 1)),
      floatData('b', [4], [0.5, -0.25, 1, 0.125]),
      floatData('fw', [3, 36], values(108, 7, 0.5)),
      floatData('fb', [3], [0.1, -0.2, 0.3]),
    ],
    nodes: [
      node('Conv', ['x', 'w', 'b'], ['c'], [attr.ints('kernel_shape', [3, 3]), attr.ints('pads', [1, 1, 1, 1])]),
      node('Relu', ['c'], ['r']),
      node('MaxPool', ['r'], ['p'], [attr.ints('kernel_shape', [2, 2]), attr.ints('strides', [2, 2])]),
      node('Flatten', ['p'], ['f']),
      node('Gemm', ['f', 'fw', 'fb'], ['y'], [attr.int('transB', 1)]),
    ],
  }),
  [1, 2, 3].map((seed) => ({ x: tensor([1, 3, 7, 7], values(147, seed, 2)) })),
);
const feeds = [4, 5].map((seed) => ({ x: tensor([1, 3, 7, 7], values(147, seed, 2)) }));

test('a generated conv → ReLU → max pool (odd sizes, pads, 4 channels) reads the pool in place, proves and verifies', async () => {
  validateBlockGraph(model.graph);
  assertPoolsInPlace(model.graph, 1);
  const [{ node: pool, block }] = pools(model.graph);
  // 4 channels × 64/4 rows: 9 windows and 7 slots (the dropped row and column, then the stride's padding) per channel.
  assert.deepEqual([block.rows, block.domain, block.candidates], [64, 4, 4]);
  const values = computeGraphWitness(model.graph, { ...quantizeFeeds(model, feeds[0]), ...model.weights });
  // Window w of channel c holds its members at c·64 + 4w + j: the output is their maximum.
  const x = values[pool.bind.x][0];
  const y = values[pool.bind.y][0];
  for (let c = 0; c < 4; c++)
    for (let w = 0; w < 9; w++) assert.equal(y[c * 16 + w], x.slice(c * 64 + 4 * w, c * 64 + 4 * w + 4).reduce((a, b) => (b > a ? b : a)));
  assertSemantics(model, feeds);
  await proveAndRejectChangedOutput(model, quantizeFeeds(model, feeds[0]), { row: 0, col: 2 });
});

test('a changed cell of the in-place max input (a window, the dropped row, the padding) or of its output padding is rejected', async () => {
  const pk = await keysFor(model);
  const inputs = quantizeFeeds(model, feeds[1]);
  const [{ node: pool }] = pools(model.graph);
  // x: window 0's first member, window 8's last, channel 1's cells of the dropped row and column (offsets 36 … 48 of
  // its segment), the stride's padding (offsets 49 … 63) of channels 0 and 3.
  for (const cell of [0, 35, 64 + 36, 64 + 48, 49, 3 * 64 + 63]) await assertTamperRejected(pk, inputs, pool.bind.x, 0, cell, 1n);
  // y: a window's maximum, and the slots of the dropped cells and of the padding (rows 9 … 15 of a channel).
  for (const cell of [0, 9, 16 + 15]) await assertTamperRejected(pk, inputs, pool.bind.y, 0, cell, 1n);
});
