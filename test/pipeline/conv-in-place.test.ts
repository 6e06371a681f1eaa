/**
 * Convolutions proven in place (`src/pipeline/conv-in-place.ts`, `ConvolutionBlock`): a stride-1 convolution of one
 * image and one group over a power-of-two number of channels reads its input at rotations in a 2-D layout (image rows
 * at a power-of-two row stride, channels at stride N) and writes its output in its own, with no im2col patch matrix
 * committed or copied. The lowering uses the permute's claimed geometry only after recomputing its map: a claim that
 * disagrees with the map, a convolution the block cannot prove (stride 2, two groups, 3 channels), or one whose 2-D
 * layout holds a channel in more cells than the flat stride (an 8×8 image: the generated ladder), lowers through
 * weighted rows as before. On the Fashion CNN: both convolutions in place, the image laid out on a grid in the
 * statement (`PublicGrid`: the architecture encodes it, the input's rows are placed by it, a non-zero cell off it is
 * refused), the pools write their outputs in the next convolution's layout through one copy, the ReLUs keep it, and the
 * model commits ≤ 3 cells per activation; it proves and verifies (public and hashed input), and a changed cell of a
 * convolution's output (real or padding), of a pool's output padding, or of the statement's input padding is rejected.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ConvolutionBlock } from '../../blocks/convolution';
import { SegmentMaxBlock } from '../../blocks/segment-max';
import { MaxConstantBlock } from '../../blocks/max-constant';
import { PermutationBlock } from '../../blocks/permutation';
import { WeightedRowsBlock } from '../../blocks/weighted-rows';
import { committedCells } from '../../bench/floor';
import { cnnModel } from '../../bench/ladder';
import { InputError } from '../../src/model/errors';
import { runQuantized } from '../../src/model/quant/interpret';
import type { QOp, QuantModel } from '../../src/model/quant/qmodel';
import { tensor } from '../../src/model/tensor';
import { ArtifactError } from '../../src/pipeline/artifact-error';
import { decodeArchitecture, encodeArchitecture } from '../../src/pipeline/architecture';
import { validateBlockGraph, type BlockGraph } from '../../src/pipeline/block-graph';
import { compile, quantizeFeeds, type CompiledWithQuant } from '../../src/pipeline/compile';
import { gridIndex, inputCells } from '../../src/pipeline/compiled-model';
import { convolutionLayouts, inPlaceConvolution } from '../../src/pipeline/conv-in-place';
import { computeGraphWitness } from '../../src/pipeline/graph-proof';
import { layoutName } from '../../src/pipeline/layout';
import { lowerQuantModel } from '../../src/pipeline/lower';
import { prove, verify } from '../../src/pipeline/prove-verify';
import { fashionImages, modelFile } from '../model/fixtures';
import { attr, encodeModel, floatData, node, valueInfo } from '../onnx/builder';
import { proveAndRejectChangedOutput } from '../helpers/changed-output';
import { assertTamperRejected, keysFor } from '../soundness/pipeline';

const feeds = fashionImages().images.slice(0, 8).map((input) => ({ input }));
const cnn = compile(readFileSync(modelFile('fashion-cnn.onnx')), feeds);
/** The Fashion CNN's activations (`bench/protocol-v2.ts`: the float graph's values before rewrites). */
const A = 10_986;

const matmuls = (q: QuantModel) => q.ops.filter((op): op is Extract<QOp, { kind: 'matmul' }> => op.kind === 'matmul');
const convolutions = (g: BlockGraph) => g.nodes.filter((n) => n.block instanceof ConvolutionBlock);

/** Asserts the graph computes the quantized model's output on two feeds, its input given as `rows` lays it out. */
function assertSemantics(graph: BlockGraph, weights: CompiledWithQuant['weights'], input: string, output: string, rows: (flat: readonly bigint[]) => bigint[][]): void {
  for (const f of feeds.slice(0, 2)) {
    const run = runQuantized(cnn.quant, f);
    const values = computeGraphWitness(graph, { [input]: rows(run[cnn.quant.inputs[0].tensor]), ...weights });
    assert.deepEqual(values[output].flat(), [...run[cnn.quant.outputs[0].tensor]]);
  }
}

function values(count: number, seed: number, spread: number): number[] {
  let s = seed;
  return Array.from({ length: count }, () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 2 * spread);
}

/** A one-Conv model over [1, channels, 6, 6] with the node's attributes. */
function oneConv(channels: number, outChannels: number, wShape: number[], attrs: unknown[]): CompiledWithQuant {
  const out = attrs.length === 0 ? 6 : 3;
  const bytes = encodeModel({
    inputs: [valueInfo('x', [1, channels, 6, 6])],
    outputs: [valueInfo('y', [1, outChannels, out, out])],
    initializers: [floatData('w', wShape, values(wShape.reduce((a, b) => a * b, 1), 3, 1))],
    nodes: [node('Conv', ['x', 'w'], ['c'], [attr.ints('kernel_shape', [3, 3]), attr.ints('pads', [1, 1, 1, 1]), ...attrs]), node('Relu', ['c'], ['y'])],
  });
  return compile(bytes, [1, 2].map((seed) => ({ x: tensor([1, channels, 6, 6], values(channels * 36, seed, 2)) })));
}

test('inPlaceConvolution and convolutionLayouts: the Fashion CNN\'s two convolutions, their strides and 2-D layouts', () => {
  const found = matmuls(cnn.quant).map((op) => inPlaceConvolution(cnn.quant, op));
  assert.equal(found.length, 3, 'two convolutions and the dense layer');
  assert.equal(found[2], undefined, 'the dense layer is no convolution');
  const [first, second] = found;
  assert.deepEqual([first!.rowStride, first!.channelStride, layoutName(first!.x), layoutName(first!.c)], [32, 1024, '1x1024/784in1024@grid28x28s32', '1x4096/784in1024@grid28x28s32']);
  assert.deepEqual([second!.rowStride, second!.channelStride, layoutName(second!.x), layoutName(second!.c)], [16, 256, '1x1024/196in256@grid14x14s16', '1x2048/196in256@grid14x14s16']);
  // Three output channels occupy 3 of 4 channel strides: the fourth is padding.
  assert.equal(layoutName(convolutionLayouts(first!.geometry, 3)!.c), '1x4096/784in1024x3@grid28x28s32');
  // A convolution whose layouts would exceed the longest flat row is not proven in place.
  assert.equal(convolutionLayouts({ ...first!.geometry, channels: 128 }, 4), undefined);
});

test('inPlaceConvolution refuses a geometry that is not the permute\'s map, what the block cannot prove, and a 2-D layout larger than the flat one; the lowering falls back to weighted rows and keeps the semantics', async () => {
  const patches = cnn.quant.ops.filter((op): op is Extract<QOp, { kind: 'permute' }> => op.kind === 'permute' && op.patches !== undefined);
  assert.equal(patches.length, 2);
  /** The CNN's quantized model with the first convolution's im2col permute replaced. */
  const withFirst = (change: (op: Extract<QOp, { kind: 'permute' }>) => Extract<QOp, { kind: 'permute' }>): QuantModel => ({ ...cnn.quant, ops: cnn.quant.ops.map((op) => (op === patches[0] ? change(patches[0]) : op)) });
  const shifted = withFirst((op) => ({ ...op, patches: { ...op.patches!, pads: [2, 0, 0, 2] } }));
  const map = Int32Array.from(patches[0].map);
  map[40] = map[41];
  const remapped = withFirst((op) => ({ ...op, map }));
  const strided = withFirst((op) => ({ ...op, patches: { ...op.patches!, strides: [2, 1] } }));
  for (const [what, q] of [['pads claimed otherwise', shifted], ['a map cell changed', remapped], ['a stride of 2 claimed', strided]] as const) {
    assert.equal(inPlaceConvolution(q, matmuls(q)[0]), undefined, what);
    assert.ok(inPlaceConvolution(q, matmuls(q)[1]), `${what}: the second convolution is still in place`);
  }
  // Lowered, the first convolution (with its true map) is flat weighted rows and the model computes what the map says.
  const lowered = lowerQuantModel(shifted);
  validateBlockGraph(lowered.graph);
  assert.deepEqual([lowered.graph.nodes.filter((n) => n.block instanceof WeightedRowsBlock).length, convolutions(lowered.graph).length], [1, 1]);
  assert.ok(!cnn.graph.nodes.some((n) => n.block instanceof WeightedRowsBlock));
  const id = (t: number) => lowered.tensorIds.get(t)!;
  assert.equal(lowered.layouts.get(cnn.quant.inputs[0].tensor)!.padded, undefined, 'the input is flat: no convolution reads it in place');
  assertSemantics(lowered.graph, lowered.weights, id(cnn.quant.inputs[0].tensor), id(cnn.quant.outputs[0].tensor), (flat) => [[...flat]]);
  // Generated: stride 2, two groups, three input channels: weighted rows; two input channels: in place.
  assert.equal(convolutions(oneConv(2, 2, [2, 2, 3, 3], [attr.ints('strides', [2, 2])]).graph).length, 0, 'stride 2');
  assert.equal(convolutions(oneConv(2, 2, [2, 1, 3, 3], [attr.int('group', 2), attr.ints('strides', [2, 2])]).graph).length, 0, 'two groups');
  assert.equal(convolutions(oneConv(3, 2, [2, 3, 3, 3], []).graph).length, 0, 'three input channels');
  assert.equal(convolutions(oneConv(2, 2, [2, 2, 3, 3], []).graph).length, 1, 'two input channels');
  // An 8×8 image padded by 1 needs rows of 16 cells: N = 256 per channel against pow2(64) = 64 in the flat stride, more
  // than the patch matrix saves, so the generated ladder's convolutions keep the weighted rows; they still prove.
  const ladder = cnnModel(2);
  const model = compile(ladder.onnx, ladder.feeds);
  assert.deepEqual([convolutions(model.graph).length, model.graph.nodes.filter((n) => n.block instanceof WeightedRowsBlock).length], [0, 2]);
  await proveAndRejectChangedOutput(model, quantizeFeeds(model, ladder.feeds[0]), { row: 0, col: 2 });
});

test('a convolution reading a clamp max(x, c) with c > 0 of another one\'s output (the same 2-D layout, padding c) reads it through a copy, and proves', async () => {
  const w = floatData('w1', [2, 2, 3, 3], values(36, 4, 1));
  const bytes = encodeModel({
    inputs: [valueInfo('x', [1, 2, 6, 6])],
    outputs: [valueInfo('y', [1, 2, 6, 6])],
    initializers: [floatData('w0', [2, 2, 3, 3], values(36, 3, 1)), w, floatData('lo', [], [0.25])],
    nodes: [
      node('Conv', ['x', 'w0'], ['c0'], [attr.ints('kernel_shape', [3, 3]), attr.ints('pads', [1, 1, 1, 1])]),
      node('Clip', ['c0', 'lo'], ['r0']),
      node('Conv', ['r0', 'w1'], ['y'], [attr.ints('kernel_shape', [3, 3]), attr.ints('pads', [1, 1, 1, 1])]),
    ],
  });
  const inputs = [1, 2, 3].map((seed) => ({ x: tensor([1, 2, 6, 6], values(72, seed, 2)) }));
  const model = compile(bytes, inputs);
  validateBlockGraph(model.graph);
  const [first, second] = convolutions(model.graph);
  assert.ok(first && second, 'both in place');
  const clamp = model.graph.nodes.find((n) => n.block instanceof MaxConstantBlock)!;
  const copy = model.graph.nodes.find((n) => n.block instanceof PermutationBlock && n.bind.out === second.bind.x);
  assert.ok(copy && copy.bind.in0 === clamp.bind.y, 'the second convolution reads a copy of the clamp\'s output');
  const label = (copy.block as PermutationBlock).map.label;
  assert.equal(label, 'copy 1x128/36in64@grid6x6s8→1x128/36in64@grid6x6s8', 'which already has its layout');
  await proveAndRejectChangedOutput(model, quantizeFeeds(model, inputs[0]), { row: 0, col: 7 });
});

test('fashion-cnn: both convolutions in place (no patch matrix, no copy of x), the image on a grid, the pools writing the next layout, ≤ 3 committed cells per activation', () => {
  validateBlockGraph(cnn.graph);
  const convs = convolutions(cnn.graph);
  assert.deepEqual(convs.map((n) => n.block.foldKey), ['convolution/c1/m4/28x28/k3x3/p1,1,1,1/S32/R32', 'convolution/c4/m8/14x14/k3x3/p1,1,1,1/S16/R16']);
  assert.ok(!cnn.graph.nodes.some((n) => n.block instanceof WeightedRowsBlock), 'no weighted rows');
  const input = cnn.inputs[0];
  assert.deepEqual([input.rows, input.rowLength, input.grid], [1, 1024, { cells: 784, stride: 1024, width: 28, rowStride: 32 }]);
  assert.equal(convs[0].bind.x, input.id, 'the first convolution reads the statement\'s row');
  const copies = cnn.graph.nodes.filter((n) => n.block instanceof PermutationBlock);
  // The only copies: each pool's candidates (the first pool's segment-major, one segment per candidate).
  assert.deepEqual(copies.map((n) => n.bind.out.replace(/~\d+$/, '')), ['t10/candidates', 't22/candidates']);
  for (const conv of convs) assert.ok(!copies.some((c) => c.bind.out === conv.bind.x), `${conv.block.foldKey} reads x in place`);
  // The first pool writes the second convolution's layout, which the ReLU keeps and the convolution reads.
  const pool = cnn.graph.nodes.find((n) => n.block instanceof SegmentMaxBlock)!;
  const relu = cnn.graph.nodes.find((n) => n.block instanceof MaxConstantBlock && n.bind.x === pool.bind.y)!;
  assert.equal(relu.bind.y, convs[1].bind.x);
  assert.deepEqual([(pool.block as SegmentMaxBlock).outputs, (pool.block as SegmentMaxBlock).candidates], [1024, 4]);
  const cells = committedCells(cnn.graph);
  assert.ok(cells / A <= 3, `${cells} cells for ${A} activations`);
  assertSemantics(cnn.graph, cnn.weights, input.id, cnn.outputs[0].id, (flat) => quantizeFeedsOf(flat));
});

/** The CNN's input rows (one row on its grid) for quantized integers in ONNX order. */
function quantizeFeedsOf(flat: readonly bigint[]): bigint[][] {
  const row = new Array<bigint>(cnn.inputs[0].rowLength).fill(0n);
  flat.forEach((v, f) => (row[gridIndex(cnn.inputs[0].grid!, f)] = v));
  return [row];
}

test('fashion-cnn: the architecture encodes the input grid (decoded equal, re-encoded to the same bytes); a grid that does not fit is refused', () => {
  const bytes = encodeArchitecture(cnn);
  const back = decodeArchitecture(bytes);
  assert.deepEqual(back.inputs[0].grid, cnn.inputs[0].grid);
  assert.deepEqual(encodeArchitecture(back), bytes);
  for (const grid of [{ cells: 784, stride: 1024, width: 28, rowStride: 20 }, { cells: 784, stride: 1000, width: 28, rowStride: 32 }, { cells: 780, stride: 1024, width: 28, rowStride: 32 }, { cells: 784, stride: 1024, width: 28, rowStride: 64 }])
    assert.throws(() => decodeArchitecture(encodeArchitecture({ ...cnn, inputs: [{ ...cnn.inputs[0], grid }] })), ArtifactError, JSON.stringify(grid));
});

test('gridIndex, inputCells, quantizeFeeds: an input\'s cells placed on its grid, zero elsewhere; a non-zero cell off the grid is refused', () => {
  const grid = { cells: 6, stride: 16, width: 3, rowStride: 4 };
  assert.deepEqual(Array.from({ length: 12 }, (_, f) => gridIndex(grid, f)), [0, 1, 2, 4, 5, 6, 16, 17, 18, 20, 21, 22]);
  const layout = { ...cnn.inputs[0], shape: [1, 2, 2, 3], rowLength: 32, grid };
  const row = new Array<bigint>(32).fill(0n);
  for (let f = 0; f < 12; f++) row[gridIndex(grid, f)] = BigInt(f + 1);
  assert.deepEqual(inputCells(layout, [row]), Array.from({ length: 12 }, (_, f) => BigInt(f + 1)));
  assert.throws(() => inputCells(layout, [row.map((v, i) => (i === 3 ? 5n : v))]), InputError);
  const rows = quantizeFeeds(cnn, feeds[0])[cnn.inputs[0].id];
  assert.equal(rows.length, 1);
  assert.deepEqual(inputCells(cnn.inputs[0], rows), [...runQuantizedInput(cnn, feeds[0])]);
  assert.ok(rows[0].every((v, i) => v === 0n || (i % 32 < 28 && i < 28 * 32)), 'zero off the grid');
});

/** The quantized integers of the CNN's input in ONNX order (the input tensor of the quantized run). */
function runQuantizedInput(model: CompiledWithQuant, feed: (typeof feeds)[number]): readonly bigint[] {
  return runQuantized(model.quant, feed)[model.quant.inputs[0].tensor];
}

test('fashion-cnn: proves and verifies in place; a changed output, a convolution output cell (real or padding), a pool output padding cell, a pool candidate and the statement\'s input padding are rejected', async () => {
  const inputs = quantizeFeeds(cnn, feeds[0]);
  await proveAndRejectChangedOutput(cnn, inputs, { row: 0, col: 3 });
  const pk = await keysFor(cnn);
  const [first, second] = convolutions(cnn.graph);
  const pool = cnn.graph.nodes.find((n) => n.block instanceof SegmentMaxBlock)!;
  // C of the first convolution: (0, 0, 0), column 28 of row 0 (padding), row 28 (padding); of the second: channel 7's
  // last real cell and a padding cell; the pool's output at a padding cell (column 14 of row 0) and a real one.
  for (const cell of [0, 28, 28 * 32 + 3]) await assertTamperRejected(pk, inputs, first.bind.c, 0, cell, 1n);
  for (const cell of [7 * 256 + 13 * 16 + 13, 7 * 256 + 14]) await assertTamperRejected(pk, inputs, second.bind.c, 0, cell, 1n);
  for (const cell of [14, 256 + 17]) await assertTamperRejected(pk, inputs, pool.bind.y, 0, cell, 1n);
  // The pool's segment-major candidates: a real candidate (segments 0 and 3) and a padding output's zero candidate.
  for (const cell of [17, 3 * 1024 + 17, 14]) await assertTamperRejected(pk, inputs, pool.bind.x, 0, cell, 1n);
  // The statement's input: a non-zero cell off the grid is refused before proving, and a proof of the honest input
  // does not verify for a statement that has one.
  const id = cnn.inputs[0].id;
  const off = { ...inputs, [id]: [inputs[id][0].map((v, i) => (i === 28 ? 1n : v))] };
  await assert.rejects(prove(pk, off), InputError);
  const { statement, proof } = await prove(pk, inputs);
  assert.equal((await verify(pk.vk, { ...statement, inputs: { ...statement.inputs, [id]: off[id] } }, proof.bytes)).ok, false);
});

test('fashion-cnn with a hashed input: the grid row is committed and range-checked (its zeros in range), it proves and verifies', async () => {
  const model = compile(readFileSync(modelFile('fashion-cnn.onnx')), feeds, { visibility: { inputs: { input: 'hashed' } } });
  assert.ok(model.inputs[0].grid && model.inputs[0].visibility === 'hashed');
  const pk = await keysFor(model);
  const { statement, proof } = await prove(pk, quantizeFeeds(model, feeds[1]));
  const v = await verify(pk.vk, statement, proof.bytes);
  assert.ok(v.ok, v.ok ? '' : v.reason);
});

/** A model of `nodes` over input x and output y, compiled on three random feeds. */
function smallModel(inDims: number[], outDims: number[], init: Record<string, number[]>, nodes: ReturnType<typeof node>[]): { model: CompiledWithQuant; feed: { x: ReturnType<typeof tensor> } } {
  const size = (d: number[]) => d.reduce((a, b) => a * b, 1);
  const bytes = encodeModel({
    inputs: [valueInfo('x', inDims)],
    outputs: [valueInfo('y', outDims)],
    initializers: Object.entries(init).map(([name, dims], i) => floatData(name, dims, values(size(dims), 3 + i, 1))),
    nodes,
  });
  const feeds = [1, 2, 3].map((seed) => ({ x: tensor(inDims, values(size(inDims), seed, 2)) }));
  return { model: compile(bytes, feeds), feed: feeds[0] };
}

test('convolutions in place beyond the Fashion CNN: 1×1 (alone and after a 3×3), 1-D, an odd number of output channels (with bias and ReLU) and a stride-1 ConvTranspose prove, verify, and state the quantized reference\'s outputs', async () => {
  const k3 = [attr.ints('kernel_shape', [3, 3]), attr.ints('pads', [1, 1, 1, 1])];
  const cases: [string, ReturnType<typeof smallModel>, number][] = [
    ['1×1', smallModel([1, 2, 6, 6], [1, 2, 6, 6], { w: [2, 2, 1, 1] }, [node('Conv', ['x', 'w'], ['y'], [attr.ints('kernel_shape', [1, 1])])]), 1],
    ['3×3, ReLU, 1×1', smallModel([1, 2, 6, 6], [1, 2, 6, 6], { w0: [2, 2, 3, 3], w1: [2, 2, 1, 1] }, [node('Conv', ['x', 'w0'], ['a'], k3), node('Relu', ['a'], ['r']), node('Conv', ['r', 'w1'], ['y'], [attr.ints('kernel_shape', [1, 1])])]), 2],
    ['1-D valid', smallModel([1, 2, 16], [1, 4, 14], { w: [4, 2, 3] }, [node('Conv', ['x', 'w'], ['y'], [attr.ints('kernel_shape', [3])])]), 1],
    ['m = 3, bias, ReLU', smallModel([1, 2, 6, 6], [1, 3, 6, 6], { w: [3, 2, 3, 3], b: [3] }, [node('Conv', ['x', 'w', 'b'], ['c'], k3), node('Relu', ['c'], ['y'])]), 1],
    ['ConvTranspose, stride 1', smallModel([1, 2, 6, 6], [1, 2, 6, 6], { w: [2, 2, 3, 3] }, [node('ConvTranspose', ['x', 'w'], ['y'], k3)]), 1],
  ];
  for (const [name, { model, feed }, inPlace] of cases) {
    assert.equal(convolutions(model.graph).length, inPlace, `${name}: convolutions proven in place`);
    const pk = await keysFor(model);
    const { statement, proof } = await prove(pk, quantizeFeeds(model, feed));
    const v = await verify(pk.vk, statement, proof.bytes);
    assert.ok(v.ok, `${name}: ${v.ok ? '' : v.reason}`);
    const reference = runQuantized(model.quant, feed)[model.quant.outputs[0].tensor];
    assert.deepEqual(statement.outputs[model.outputs[0].id].flat(), [...reference], `${name}: the stated output is the quantized reference's`);
  }
});

test('an input on a grid read in place by a ReLU before a convolution: a statement with a non-zero cell off the grid is refused by the verifier, not only by the prover', async () => {
  const { model, feed } = smallModel([1, 2, 6, 6], [1, 2, 6, 6], { w: [2, 2, 3, 3] }, [
    node('Relu', ['x'], ['r']),
    node('Conv', ['r', 'w'], ['y'], [attr.ints('kernel_shape', [3, 3]), attr.ints('pads', [1, 1, 1, 1])]),
  ]);
  const input = model.inputs[0];
  assert.ok(input.grid, 'the input is laid out on the convolution\'s grid');
  const pk = await keysFor(model);
  const honest = quantizeFeeds(model, feed);
  // Cell 6 of row 0 lies off the 6-wide grid (row stride 8); −1 becomes 0 through the ReLU, so the block graph accepts it.
  const stray = { ...honest, [input.id]: [honest[input.id][0].map((v, i) => (i === 6 ? -1n : v))] };
  await assert.rejects(prove(pk, stray), InputError);
  // A prover whose key forgets the grid (its digest unchanged) proves that statement; the verifier refuses it.
  const withoutGrid = (inputs: typeof pk.vk.model.inputs) => inputs.map((l) => ({ ...l, grid: undefined }));
  const lax = { ...pk, model: { ...pk.model, inputs: withoutGrid(pk.model.inputs), quant: undefined }, vk: { ...pk.vk, model: { ...pk.vk.model, inputs: withoutGrid(pk.vk.model.inputs) } } };
  const { statement, proof } = await prove(lax as typeof pk, stray);
  assert.equal(statement.inputs[input.id][0][6], -1n);
  assert.equal((await verify(lax.vk as typeof pk.vk, statement, proof.bytes)).ok, true, 'without the grid check the statement verifies');
  const v = await verify(pk.vk, statement, proof.bytes);
  assert.equal(v.ok, false);
  assert.match(v.ok ? '' : v.reason, /outside its grid/);
});
