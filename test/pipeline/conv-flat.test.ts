/**
 * Convolutions as flat weighted rows with a padded row stride (`flatWeightedRows` in `src/pipeline/lower.ts`): a
 * convolution whose row length n (output positions) is not a power of two reads its im2col patches B as one flat row
 * of stride N = pow2(n) and writes C as one flat row of that stride, which the bias add, rescale and ReLU after it keep.
 * A convolution the lowering does not prove in place (`src/pipeline/conv-in-place.ts`: here 3 input channels, not a
 * power of two) lowers so; a generated convolution (5×5 image, 3×3 kernel, 3 → 3 channels, n = 25)
 * compiles, proves and verifies, and its ReLU keeps the stride when a dense layer reads it; a changed cell of B's or C's padding is rejected end to end, and block by block: the
 * copy that writes B pins B's padding to zero (the block ignores it), the block pins C's; no copy reads a padding cell.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Tensors } from '../../blocks/block';
import { MaxBlock } from '../../blocks/max';
import { MaxConstantBlock } from '../../blocks/max-constant';
import { PermutationBlock } from '../../blocks/permutation';
import { WeightedRowsBlock } from '../../blocks/weighted-rows';
import { runQuantized } from '../../src/model/quant/interpret';
import { tensor } from '../../src/model/tensor';
import { validateBlockGraph, type BlockGraph, type BlockNode } from '../../src/pipeline/block-graph';
import { compile, quantizeFeeds } from '../../src/pipeline/compile';
import { computeGraphWitness } from '../../src/pipeline/graph-proof';
import { attr, encodeModel, floatData, node, valueInfo } from '../onnx/builder';
import { proveAndRejectChangedOutput } from '../helpers/changed-output';
import { cheatingVerdict, context } from '../soundness/helpers';
import { assertTamperRejected, keysFor } from '../soundness/pipeline';

function values(count: number, seed: number, spread: number): number[] {
  let s = seed;
  return Array.from({ length: count }, () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 2 * spread);
}

/** The nodes that write tensor `id`, and the permutations that read it. */
const writers = (g: BlockGraph, id: string) => g.nodes.filter((n) => n.block.tensors.some((t) => t.role === 'output' && n.bind[t.name] === id));
const copiesReading = (g: BlockGraph, id: string) => g.nodes.filter((n) => n.block instanceof PermutationBlock && n.block.tensors.some((t) => t.role === 'input' && n.bind[t.name] === id));

/**
 * Asserts that `product` reads B as flat rows of stride N (one row, or rows of D cells when B is cut) written by one
 * copy whose padding cells are the constant 0, writes C as one flat row that no copy reads, that the stride is read
 * downstream (`strided`) by a copy or by a max pool reading its windows in place, and that the copies read only real
 * cells.
 */
function assertFlatWithStride(g: BlockGraph, product: BlockNode, strided: readonly string[]): void {
  const block = product.block as WeightedRowsBlock;
  const [k, n, N, M, R, D] = [block.k, block.n, block.outerDomain, block.flatRows, block.patchRows, block.patchDomain];
  const tensors = new Map(g.tensors.map((t) => [t.id, t]));
  const [b, c] = [tensors.get(product.bind.b)!, tensors.get(product.bind.c)!];
  assert.deepEqual([b.rows, b.domain, c.rows, c.domain], [R, D, 1, M * N], block.foldKey);
  const bWriters = writers(g, b.id);
  assert.deepEqual(bWriters.map((w) => w.block.kind), ['permutation'], `${block.foldKey}: B is written by one copy`);
  const map = (bWriters[0].block as PermutationBlock).map;
  assert.deepEqual([map.output.rows, map.output.length], R === 1 ? [1, k * N] : [R, D]);
  // A padding cell (a column l ≥ n, or a row j ≥ k of B in the last committed row) is the constant 0 (a real cell
  // too, where the window overhangs the image: the convolution's own padding).
  map.cells.forEach((row, r) =>
    row.forEach((cell, x) => assert.ok((x % N < n && Math.floor((r * D + x) / N) < k) || ('constant' in cell && cell.constant === 0n), `B padding cell ${x} of row ${r} is the constant 0`)),
  );
  assert.ok(map.cells.every((row) => row.some((cell) => 'input' in cell)), 'every committed row of B holds real cells');
  assert.deepEqual(copiesReading(g, c.id), [], `${block.foldKey}: no copy reads C`);
  const copies = strided.flatMap((id) => copiesReading(g, id).map((copy) => ({ id, copy })));
  const pools = g.nodes.filter((n) => n.block instanceof MaxBlock && n.block.flat && strided.includes(n.bind.x));
  assert.ok(copies.length + pools.length > 0, `${block.foldKey}: a copy or a flat max (a pooling window) reads the stride`);
  for (const { id, copy } of copies) {
    const m = (copy.block as PermutationBlock).map;
    const input = Object.entries(copy.bind).find(([, v]) => v === id)![0];
    const index = m.inputs.findIndex((s) => s.name === input);
    for (const row of m.cells) for (const cell of row) if ('input' in cell && cell.input === index) assert.ok(cell.col % N < n, `${copy.block.foldKey} reads padding cell ${cell.col} of ${id}`);
  }
}

/** The tensors of a weighted-rows node's C stride: C and every tensor a bias add, rescale or ReLU writes from it. */
function stridedAfter(g: BlockGraph, c: string): string[] {
  const domain = g.tensors.find((t) => t.id === c)!.domain;
  const out = new Set([c]);
  for (const n of g.nodes) {
    const reads = n.block.tensors.some((t) => t.role === 'input' && out.has(n.bind[t.name]));
    if (!reads || n.block instanceof PermutationBlock || n.block.kind === 'lookup') continue;
    for (const t of n.block.tensors) if (t.role === 'output' && g.tensors.find((x) => x.id === n.bind[t.name])!.domain === domain) out.add(n.bind[t.name]);
  }
  return [...out];
}

// Conv 3 → 3 channels (3 is not a power of two: not proven in place), 3×3 on 5×5 with padding 1 (n = 25 positions: stride 32), bias, Relu, 2×2 max pooling.
const conv = (pool: boolean) =>
  encodeModel({
    inputs: [valueInfo('x', [1, 3, 5, 5])],
    outputs: [valueInfo('y', pool ? [1, 3, 2, 2] : [1, 3, 5, 5])],
    initializers: [floatData('w', [3, 3, 3, 3], values(81, 3, 1)), floatData('b', [3], [0.5, -0.25, 1])],
    nodes: pool
      ? [
          node('Conv', ['x', 'w', 'b'], ['c'], [attr.ints('kernel_shape', [3, 3]), attr.ints('pads', [1, 1, 1, 1])]),
          node('Relu', ['c'], ['r']),
          node('MaxPool', ['r'], ['y'], [attr.ints('kernel_shape', [2, 2]), attr.ints('strides', [2, 2])]),
        ]
      : [node('Conv', ['x', 'w', 'b'], ['y'], [attr.ints('kernel_shape', [3, 3]), attr.ints('pads', [1, 1, 1, 1])])],
  });
const feeds = [1, 2, 3].map((seed) => ({ x: tensor([1, 3, 5, 5], values(75, seed, 2)) }));
const pooled = compile(conv(true), feeds);
const product = () => pooled.graph.nodes.find((n) => n.block instanceof WeightedRowsBlock)!;

test('a generated convolution (n = 25) lowers flat with stride 32 and proves; a changed output is rejected', async () => {
  const block = product().block as WeightedRowsBlock;
  assert.deepEqual([block.flat, block.m, block.k, block.n, block.innerDomain, block.outerDomain], [true, 3, 27, 25, 32, 32]);
  // B's K·N = 1024 cells exceed every other tensor's row (C's M·N = 128 cells, the input's 75): cut, into rows of
  // 256 cells (at most 4 rows: K·N/4).
  assert.deepEqual([block.patchDomain, block.patchRows], [256, 4]);
  assertFlatWithStride(pooled.graph, product(), stridedAfter(pooled.graph, product().bind.c));
  await proveAndRejectChangedOutput(pooled, quantizeFeeds(pooled, feeds[0]), { row: 0, col: 1 });
});

test('a convolution that is the model output writes C with the stride and copies it into the output in ONNX order', async () => {
  const model = compile(conv(false), feeds);
  const [node] = model.graph.nodes.filter((n) => n.block instanceof WeightedRowsBlock);
  assert.ok((node.block as WeightedRowsBlock).flat);
  const out = model.outputs[0];
  assert.deepEqual([out.rows, out.rowLength], [1, 75]);
  // C, the bias add and the rescale keep the stride (m·N = 96 cells); one copy lays the rescaled result out as the
  // output's 75 cells, reading no padding cell.
  const copies = writers(model.graph, out.id);
  assert.deepEqual(copies.map((n) => n.block.kind), ['permutation']);
  assert.deepEqual((copies[0].block as PermutationBlock).map.cells[0].map((c) => ('input' in c ? c.col : -1)), Array.from({ length: 75 }, (_, f) => Math.floor(f / 25) * 32 + (f % 25)));
  await proveAndRejectChangedOutput(model, quantizeFeeds(model, feeds[1]), { row: 0, col: 74 });
});

test('a generated convolution → ReLU → dense layer: the ReLU reads and writes the stride, the semantics hold, it proves', async () => {
  const model = compile(
    encodeModel({
      inputs: [valueInfo('x', [1, 3, 5, 5])],
      outputs: [valueInfo('y', [1, 2])],
      initializers: [floatData('w', [3, 3, 3, 3], values(81, 3, 1)), floatData('b', [3], [0.5, -0.25, 1]), floatData('fw', [2, 75], values(150, 9, 0.5))],
      nodes: [
        node('Conv', ['x', 'w', 'b'], ['c'], [attr.ints('kernel_shape', [3, 3]), attr.ints('pads', [1, 1, 1, 1])]),
        node('Relu', ['c'], ['r']),
        node('Flatten', ['r'], ['f']),
        node('Gemm', ['f', 'fw'], ['y'], [attr.int('transB', 1)]),
      ],
    }),
    feeds,
  );
  validateBlockGraph(model.graph);
  const [conv] = model.graph.nodes.filter((n) => n.block instanceof WeightedRowsBlock);
  const strided = stridedAfter(model.graph, conv.bind.c);
  assert.ok(model.graph.nodes.some((n) => n.block instanceof MaxConstantBlock && strided.includes(n.bind.x) && strided.includes(n.bind.y)), 'the ReLU reads and writes the stride');
  assertFlatWithStride(model.graph, conv, strided);
  for (const f of feeds) {
    const witness = computeGraphWitness(model.graph, { ...quantizeFeeds(model, f), ...model.weights });
    assert.deepEqual(witness[model.outputs[0].id].flat(), [...runQuantized(model.quant, f)[model.quant.outputs[0].tensor]]);
  }
  await proveAndRejectChangedOutput(model, quantizeFeeds(model, feeds[0]), { row: 0, col: 1 });
});

test("a changed padding cell of the convolution's B or C (stride padding, padding rows) is rejected end to end", async () => {
  const pk = await keysFor(pooled);
  const inputs = quantizeFeeds(pooled, feeds[2]);
  const { b, c } = product().bind;
  const N = 32;
  const D = 256;
  assert.ok((product().block as WeightedRowsBlock).flat && (product().block as WeightedRowsBlock).outerDomain === N);
  assert.equal((product().block as WeightedRowsBlock).patchDomain, D);
  // B (rows of D cells, 8 rows of B each): row 0's first and last stride padding cells, padding and real cells of
  // the second committed row, a padding row (k = 27: rows 27 to 31 of B, in the last committed row); C: the same
  // for m = 3 of M = 4.
  for (const x of [25, N - 1, 9 * N + 30, 9 * N + 3, 27 * N + 3, 31 * N + 31]) await assertTamperRejected(pk, inputs, b, Math.floor(x / D), x % D, 1n);
  for (const cell of [25, 2 * N + 31, 3 * N + 4]) await assertTamperRejected(pk, inputs, c, 0, cell, 1n);
});

test("block by block: the copy that writes B rejects any change of B's padding, which the weighted-rows block ignores; the block rejects any change of C's", async () => {
  const ctx = await context(2048);
  const graph = pooled.graph;
  const node = product();
  const block = node.block as WeightedRowsBlock;
  const values = computeGraphWitness(graph, { ...quantizeFeeds(pooled, feeds[0]), ...pooled.weights });
  const [N, K, M] = [block.outerDomain, block.innerDomain, block.flatRows];
  const tensors: Tensors = { w: values[node.bind.w], b: values[node.bind.b], c: values[node.bind.c] };
  const copy = writers(graph, node.bind.b)[0];
  const copyTensors: Tensors = Object.fromEntries(Object.entries(copy.bind).map(([name, id]) => [name, values[id]]));
  assert.equal((await cheatingVerdict(block, ctx, tensors)).ok, true, 'control: the honest product');
  assert.equal((await cheatingVerdict(copy.block, ctx, copyTensors)).ok, true, 'control: the honest copy');
  /** `rows` (of `length` cells each) with `delta` added at cell x of their concatenation, extended with zeros up to x. */
  const changed = (rows: readonly (readonly bigint[])[], x: number, delta: bigint, length = rows[0].length) => {
    const out = rows.map((row) => [...row]);
    const [r, at] = [Math.floor(x / length), x % length];
    while (out[r].length <= at) out[r].push(0n);
    out[r][at] += delta;
    return out;
  };
  const padding = (rows: number, real: number, x: number) => x % N >= block.n || Math.floor(x / N) >= real || x >= rows * N;
  const delta = fc.bigInt({ min: -(1n << 20n), max: 1n << 20n }).filter((d) => d !== 0n);
  // B's committed rows hold rows 0 … R·D/N − 1 of B (the rows after them are zero by the layout, not committed).
  const rowsOfB = (block.patchRows * block.patchDomain) / N;
  assert.ok(block.patchRows > 1 && rowsOfB <= K, 'B is cut');
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: rowsOfB * N - 1 }).filter((x) => padding(rowsOfB, block.k, x)), delta, async (x, d) => {
      const b = changed(tensors.b, x, d, block.patchDomain);
      assert.equal((await cheatingVerdict(block, ctx, { ...tensors, b })).ok, true, `B padding cell ${x} + ${d}: ignored by the product`);
      assert.equal((await cheatingVerdict(copy.block, ctx, { ...copyTensors, out: b })).ok, false, `B padding cell ${x} + ${d}: pinned by the copy`);
    }),
    { numRuns: 12, seed: 3 },
  );
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: M * N - 1 }).filter((x) => padding(M, block.m, x)), delta, async (x, d) => {
      assert.equal((await cheatingVerdict(block, ctx, { ...tensors, c: changed(tensors.c, x, d, M * N) })).ok, false, `C padding cell ${x} + ${d}`);
    }),
    { numRuns: 12, seed: 4 },
  );
});

/** Conv `channels` → `outChannels`, `kernel`×`kernel` with stride 2 and padding `pad` on a `size`×`size` image, then Relu. */
const stridedConv = (channels: number, outChannels: number, kernel: number, size: number, pad: number, out: number) =>
  encodeModel({
    inputs: [valueInfo('x', [1, channels, size, size])],
    outputs: [valueInfo('y', [1, outChannels, out, out])],
    initializers: [floatData('w', [outChannels, channels, kernel, kernel], values(outChannels * channels * kernel * kernel, 5, 1)), floatData('b', [outChannels], values(outChannels, 6, 1))],
    nodes: [
      node('Conv', ['x', 'w', 'b'], ['c'], [attr.ints('kernel_shape', [kernel, kernel]), attr.ints('strides', [2, 2]), attr.ints('pads', [pad, pad, pad, pad])]),
      node('Relu', ['c'], ['y']),
    ],
  });

test('generated strided convolutions with k = 16 taps (a power of two, n = N = 16) and k = 18 (image padding, 2 channels, n = 25 in stride 32): B cut, the semantics hold, they prove', async () => {
  for (const { channels, outChannels, kernel, size, pad, out, k, D, R } of [
    { channels: 1, outChannels: 3, kernel: 4, size: 8, pad: 1, out: 4, k: 16, D: 64, R: 4 },
    { channels: 2, outChannels: 4, kernel: 3, size: 9, pad: 1, out: 5, k: 18, D: 256, R: 3 },
  ]) {
    const samples = [1, 2, 3].map((seed) => ({ x: tensor([1, channels, size, size], values(channels * size * size, seed + 10, 2)) }));
    const model = compile(stridedConv(channels, outChannels, kernel, size, pad, out), samples);
    validateBlockGraph(model.graph);
    const [node] = model.graph.nodes.filter((n) => n.block instanceof WeightedRowsBlock);
    const block = node.block as WeightedRowsBlock;
    assert.deepEqual([block.flat, block.k, block.n, block.patchDomain, block.patchRows], [true, k, out * out, D, R], block.foldKey);
    // The largest domain is no longer B's K·N cells.
    assert.ok(Math.max(...model.graph.tensors.map((t) => t.domain)) < block.innerDomain * block.outerDomain, block.foldKey);
    const b = model.graph.tensors.find((t) => t.id === node.bind.b)!;
    assert.deepEqual([b.rows, b.domain], [R, D]);
    if (block.n < block.outerDomain) assertFlatWithStride(model.graph, node, stridedAfter(model.graph, node.bind.c));
    for (const feed of samples) {
      const witness = computeGraphWitness(model.graph, { ...quantizeFeeds(model, feed), ...model.weights });
      assert.deepEqual(witness[model.outputs[0].id].flat(), [...runQuantized(model.quant, feed)[model.quant.outputs[0].tensor]], block.foldKey);
    }
    await proveAndRejectChangedOutput(model, quantizeFeeds(model, samples[0]), { row: 0, col: 5 });
  }
});
