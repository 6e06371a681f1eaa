/**
 * Lowering layouts: copies are shared, rescales run flat (their range checks need no copy), row broadcasts are
 * broadcast blocks, the softmax reads x − max(x) as its max's differences negated (no broadcast of the max), LayerNorm's
 * Σ c² is a sum of the product c ∘ c (no committed square) and its mean's sum is written broadcast (no committed
 * sums), and the
 * compiled graphs still validate (constraint coverage and range obligations) and compute
 * the quantized semantics; the Fashion CNN's committed cells, which its ReLUs after the pools bring down; and the
 * check that a lowering proves every calibrated range (`checkRangesProven`) refuses graphs that do not.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compile, quantizeFeeds } from '../../src/pipeline/compile';
import { BlockGraphError, validateBlockGraph } from '../../src/pipeline/block-graph';
import { computeGraphWitness } from '../../src/pipeline/graph-proof';
import { runQuantized, runQuantizedIntegers } from '../../src/model/quant/interpret';
import type { QOp, QTensor, QuantModel } from '../../src/model/quant/qmodel';
import { BroadcastBlock } from '../../blocks/broadcast';
import { PermutationBlock, reshapeMap, transposeMap } from '../../blocks/permutation';
import { RescaleBlock } from '../../blocks/rescale';
import { MatmulBlock } from '../../blocks/matmul';
import { MaxBlock } from '../../blocks/max';
import { MaxConstantBlock } from '../../blocks/max-constant';
import { SegmentMaxBlock } from '../../blocks/segment-max';
import { RangeBlock } from '../../blocks/range';
import { committedCells } from '../../bench/floor';
import { SumBlock } from '../../blocks/sum';
import { checkRangesProven, lowerQuantModel } from '../../src/pipeline/lower';
import { LinearBlock } from '../../blocks/elementwise';
import { fashionImages, modelFile, sampleMlpInput, SAMPLE_MLP } from '../model/fixtures';

const feeds = fashionImages().images.slice(0, 8).map((input) => ({ input }));

for (const name of ['fashion-cnn', 'fashion-attn']) {
  test(`${name}: lowering shares copies, rescales flat, and keeps the semantics`, () => {
    const model = compile(readFileSync(modelFile(`${name}.onnx`)), feeds);
    validateBlockGraph(model.graph);
    const copies = new Set<string>();
    for (const node of model.graph.nodes) {
      if (node.block instanceof RescaleBlock) assert.equal(node.block.params.rows, 1, `rescale ${node.bind.y} on one row`);
      if (!(node.block instanceof PermutationBlock)) continue;
      const map = node.block.map;
      const key = JSON.stringify([Object.entries(node.bind).filter(([k]) => k !== 'out').map(([, v]) => v), map.output.rows, map.output.length, map.cells], (_, v) => (typeof v === 'bigint' ? v.toString() : v));
      assert.ok(!copies.has(key), `two permutations compute the same copy (${node.bind.out})`);
      copies.add(key);
    }
    const kinds = new Map(model.graph.tensors.map((t) => [t.id, t.kind]));
    for (const node of model.graph.nodes) {
      if (!(node.block instanceof PermutationBlock)) continue;
      const inputs = Object.entries(node.bind).filter(([k]) => k !== 'out').map(([, v]) => kinds.get(v));
      assert.ok(inputs.some((k) => k !== 'weight'), `permutation of constants only (${node.bind.out}) is not folded into the weights`);
    }
    const out = model.outputs[0];
    for (const f of feeds.slice(0, 2)) {
      const values = computeGraphWitness(model.graph, { ...quantizeFeeds(model, f), ...model.weights });
      assert.deepEqual(values[out.id].flat(), [...runQuantized(model.quant, f)[model.quant.outputs[0].tensor]]);
    }
  });
}

test('fashion-cnn: its ReLUs act on the pools\' outputs (the second convolution\'s 2-D input layout, 1,024 cells, and 392), its convolutions read their inputs in place, and its first pool commits no differences, so it commits 21,536 cells (47,648 with im2col patch matrices and committed differences)', () => {
  const model = compile(readFileSync(modelFile('fashion-cnn.onnx')), feeds);
  const relus = model.graph.nodes.filter((n) => n.block instanceof MaxConstantBlock).map((n) => (n.block as MaxConstantBlock).length);
  assert.deepEqual(relus, [1024, 392]);
  // The first pool: 4 segments of 1,024 candidates, its differences y(X^4) − x(X) a difference source of the range block.
  const pool = model.graph.nodes.find((n) => n.block instanceof SegmentMaxBlock)!;
  assert.equal(pool.block.foldKey, 'segment-max/L4/M1024');
  const range = model.graph.nodes.find((n) => n.block instanceof RangeBlock)!;
  const source = (range.block as RangeBlock).sources.find((s) => s.difference !== undefined)!;
  assert.deepEqual([range.bind[source.input], range.bind[source.difference!.minuend], source.difference!.power], [pool.bind.x, pool.bind.y, 4]);
  assert.ok(!model.graph.tensors.some((t) => t.id === `${pool.bind.y}/differences`), 'no committed differences');
  assert.equal(committedCells(model.graph), 21_536);
});

test('fashion-attn: every sum and every matmul of m > 1 rows reads and writes flat rows in place (no copy into rows, no row commitments)', () => {
  const model = compile(readFileSync(modelFile('fashion-attn.onnx')), feeds);
  const sums = model.graph.nodes.filter((node) => node.block instanceof SumBlock);
  assert.ok(sums.length >= 5, 'the attention model has its row sums');
  // A layout copy keeps the cells in order (cell f of the output is cell f of its one input); a transpose does not.
  const isLayoutCopy = (block: PermutationBlock) => {
    const { inputs, output, cells } = block.map;
    return inputs.length === 1 && cells.every((row, r) => row.every((c, j) => 'input' in c && c.row * inputs[0].length + c.col === r * output.length + j));
  };
  assert.ok(isLayoutCopy(new PermutationBlock(reshapeMap({ name: 'in', rows: 1, length: 16 }, { name: 'out', rows: 4, length: 4 }))), 'a reshape is a layout copy');
  assert.ok(!isLayoutCopy(new PermutationBlock(transposeMap({ name: 'in', rows: 4, length: 4 }, 'out'))), 'a transpose is not');
  const layoutCopies = new Set(model.graph.nodes.flatMap((node) => (node.block instanceof PermutationBlock && isLayoutCopy(node.block) ? [node.bind.out] : [])));
  // Since the committed matmuls read K and V flat (their B in place), the model has no layout copy left.
  assert.deepEqual([...layoutCopies], []);
  for (const node of sums) {
    const block = node.block as SumBlock;
    assert.equal(block.flat, true, `sum into ${node.bind.s} is flat`);
    assert.equal(block.tensors.find((t) => t.name === 'x')!.rows, 1);
    assert.ok(!layoutCopies.has(node.bind.x), `sum into ${node.bind.s} reads ${node.bind.x}, a layout copy`);
  }
  const matmuls = model.graph.nodes.filter((node) => node.block instanceof MatmulBlock && node.block.m > 1);
  // The Q, K, V projections are one block of three products (`MatmulBlock` option `products`).
  assert.ok(matmuls.reduce((n, node) => n + (node.block as MatmulBlock).products, 0) >= 8, 'the attention model has its projections and attention products');
  for (const node of matmuls) {
    const block = node.block as MatmulBlock;
    assert.equal(block.flat, true, `matmul into ${node.bind.c} is flat`);
    const outputs = block.tensors.filter((t) => t.role === 'output').map((t) => t.name);
    for (const name of ['a', ...outputs]) assert.equal(block.tensors.find((t) => t.name === name)!.rows, 1, `${name} is one row`);
    assert.ok(!layoutCopies.has(node.bind.a), `matmul into ${node.bind.c} reads ${node.bind.a}, a layout copy`);
    for (const c of outputs.map((name) => node.bind[name]))
      assert.ok(!model.graph.nodes.some((other) => other.block instanceof PermutationBlock && Object.entries(other.bind).some(([k, v]) => k !== 'out' && v === c) && layoutCopies.has(other.bind.out)), `the output ${c} of a matmul is not copied into another layout`);
  }
});

test('fashion-attn: a max over more than two candidates reads one flat row of candidates, range-checked as one row', () => {
  const model = compile(readFileSync(modelFile('fashion-attn.onnx')), feeds);
  const wide = model.graph.nodes.filter((node) => node.block instanceof MaxBlock && node.block.candidates > 2);
  assert.ok(wide.length >= 1, 'the softmax max over 16 scores');
  for (const node of wide) {
    const block = node.block as MaxBlock;
    assert.equal(block.flat, true, `max into ${node.bind.y} is flat`);
    for (const name of ['x', 'd']) assert.equal(block.tensors.find((t) => t.name === name)!.rows, 1, `${name} is one row`);
  }
  const narrow = model.graph.nodes.filter((node) => node.block instanceof MaxBlock && node.block.candidates === 2);
  for (const node of narrow) assert.equal((node.block as MaxBlock).flat, false, `two candidates stay in rows (${node.bind.y})`);
});

test('fashion-attn: the row broadcasts 1x16 → 1x256 are broadcast blocks, no permutation copies a row broadcast, and the semantics hold', () => {
  const model = compile(readFileSync(modelFile('fashion-attn.onnx')), feeds);
  validateBlockGraph(model.graph);
  const tensors = new Map(model.graph.tensors.map((t) => [t.id, t]));
  const broadcasts = model.graph.nodes.filter((node) => node.block instanceof BroadcastBlock);
  assert.equal(broadcasts.length, 3, 'two LayerNorms\' inverse deviation, a softmax sum: three row broadcasts (the means are broadcast by their sum blocks, the softmax reads its max\'s differences)');
  for (const node of broadcasts) {
    const block = node.block as BroadcastBlock;
    assert.deepEqual([block.rows, block.rowLength], [16, 16]);
    assert.deepEqual([tensors.get(node.bind.in)!.rows, tensors.get(node.bind.in)!.domain], [1, 16], `broadcast into ${node.bind.out} reads one row of 16`);
    assert.deepEqual([tensors.get(node.bind.out)!.rows, tensors.get(node.bind.out)!.domain], [1, 256], `broadcast into ${node.bind.out} writes one row of 256`);
  }
  for (const node of model.graph.nodes) {
    if (!(node.block instanceof PermutationBlock)) continue;
    const { inputs, output, cells } = node.block.map;
    const K = output.length / inputs[0].length;
    const isBroadcast = inputs.length === 1 && inputs[0].rows === 1 && output.rows === 1 && cells[0].every((c, f) => 'input' in c && c.col === Math.floor(f / K));
    assert.ok(!isBroadcast, `a permutation copies a row broadcast into ${node.bind.out}`);
  }
  const out = model.outputs[0];
  for (const f of feeds.slice(0, 2)) {
    const values = computeGraphWitness(model.graph, { ...quantizeFeeds(model, f), ...model.weights });
    for (const node of broadcasts) assert.deepEqual(values[node.bind.out][0], values[node.bind.in][0].flatMap((v) => Array(16).fill(v)));
    assert.deepEqual(values[out.id].flat(), [...runQuantized(model.quant, f)[model.quant.outputs[0].tensor]]);
  }
});

test('fashion-attn: the softmax reads x − max(x) as −d, the flat max\'s differences (shiftedSource): no broadcast of the max is written', () => {
  const model = compile(readFileSync(modelFile('fashion-attn.onnx')), feeds);
  validateBlockGraph(model.graph);
  const ids = new Set(model.graph.tensors.map((t) => t.id));
  const { tensorIds } = lowerQuantModel(model.quant);
  const max = model.graph.nodes.find((node) => node.block instanceof MaxBlock && node.block.candidates === 16)!;
  const shifted = model.quant.tensors.find((t) => t.name === '/Softmax_output_0#shifted')!;
  const broadcast = model.quant.tensors.find((t) => t.name === '/Softmax_output_0#max@rows')!;
  assert.ok(!ids.has(tensorIds.get(broadcast.id)!), 'the broadcast of the max is no tensor of the graph');
  const negation = model.graph.nodes.filter((node) => node.block instanceof LinearBlock && node.bind.a === max.bind.d);
  assert.equal(negation.length, 1, 'one block reads the differences');
  const block = negation[0].block as LinearBlock;
  assert.deepEqual(block.operation, { op: 'scale', factor: -1n });
  assert.equal(negation[0].bind.c, tensorIds.get(shifted.id));
  for (const f of feeds.slice(0, 2)) {
    const values = computeGraphWitness(model.graph, { ...quantizeFeeds(model, f), ...model.weights });
    const reference = runQuantized(model.quant, f);
    assert.deepEqual(values[negation[0].bind.c].flat(), [...reference[shifted.id]], 'the shifted scores are the quantized x − max(x)');
    assert.deepEqual(values[model.outputs[0].id].flat(), [...reference[model.quant.outputs[0].tensor]]);
  }
});

test("fashion-attn: LayerNorm's Σ_j c_ij² is a flat sum of the product c ∘ c (summedProducts): no square is committed, and the sums are the quantized reference", () => {
  const model = compile(readFileSync(modelFile('fashion-attn.onnx')), feeds);
  validateBlockGraph(model.graph);
  const ids = new Set(model.graph.tensors.map((t) => t.id));
  const { tensorIds } = lowerQuantModel(model.quant);
  const squares = model.quant.tensors.filter((t) => t.name.endsWith('#sq'));
  const sumsOfSquares = model.quant.tensors.filter((t) => t.name.endsWith('#ssq'));
  assert.equal(squares.length, 2, "the two LayerNorms' squares");
  for (const sq of squares) assert.ok(!ids.has(tensorIds.get(sq.id)!), `${sq.name} is no tensor of the graph`);
  const products = model.graph.nodes.filter((node) => node.block instanceof SumBlock && node.block.product);
  assert.equal(products.length, 2, 'one sum of a product per LayerNorm');
  for (const node of products) {
    const block = node.block as SumBlock;
    assert.equal(block.flat, true);
    assert.equal(node.bind.x, node.bind.w, 'x = w: the centered rows c, read twice');
    const centered = model.quant.tensors.find((t) => tensorIds.get(t.id) === node.bind.x)!;
    assert.ok(centered.name.endsWith('#centered'), `the sum of a product reads ${centered.name}`);
    assert.ok(sumsOfSquares.some((t) => tensorIds.get(t.id) === node.bind.s), 'it writes the sum of squares');
  }
  // No hadamard block's output is read by a sum alone (every such product is summed in place).
  const readers = (id: string) => model.graph.nodes.filter((node) => Object.entries(node.bind).some(([name, t]) => t === id && node.block.tensors.find((s) => s.name === name)?.role === 'input'));
  for (const node of model.graph.nodes.filter((n) => n.block.kind === 'hadamard')) {
    const users = readers(node.bind.c);
    assert.ok(!(users.length === 1 && users[0].block instanceof SumBlock), `the product ${node.bind.c} is committed for one sum`);
  }
  for (const f of feeds.slice(0, 2)) {
    const values = computeGraphWitness(model.graph, { ...quantizeFeeds(model, f), ...model.weights });
    const reference = runQuantized(model.quant, f);
    for (const t of sumsOfSquares) assert.deepEqual(values[tensorIds.get(t.id)!][0].slice(0, reference[t.id].length), [...reference[t.id]], `${t.name} is the quantized Σ c²`);
    assert.deepEqual(values[model.outputs[0].id].flat(), [...reference[model.quant.outputs[0].tensor]]);
  }
});

test("fashion-attn: LayerNorm's mean is summed broadcast (broadcastSums): its row sums are no tensor of the graph, and the broadcast is the quantized reference", () => {
  const model = compile(readFileSync(modelFile('fashion-attn.onnx')), feeds);
  validateBlockGraph(model.graph);
  const ids = new Set(model.graph.tensors.map((t) => t.id));
  const { tensorIds } = lowerQuantModel(model.quant);
  const layerNorms = (suffix: string) => model.quant.tensors.filter((t) => /LayerNormalization/.test(t.name) && t.name.endsWith(suffix));
  const [sums, broadcast] = [layerNorms('#sum'), layerNorms('#sum@rows')];
  assert.deepEqual([sums.length, broadcast.length], [2, 2], "the two LayerNorms' row sums and their broadcasts");
  for (const t of sums) assert.ok(!ids.has(tensorIds.get(t.id)!), `${t.name} is no tensor of the graph`);
  const writers = model.graph.nodes.filter((node) => node.block instanceof SumBlock && node.block.broadcast);
  assert.deepEqual(writers.map((node) => node.bind.s).sort(), broadcast.map((t) => tensorIds.get(t.id)!).sort(), 'a sum block writes each broadcast');
  for (const node of writers) assert.ok(layerNorms('#rows').some((t) => tensorIds.get(t.id) === node.bind.x), 'it reads the LayerNorm rows x');
  for (const f of feeds.slice(0, 2)) {
    const values = computeGraphWitness(model.graph, { ...quantizeFeeds(model, f), ...model.weights });
    const reference = runQuantized(model.quant, f);
    for (const t of broadcast) assert.deepEqual(values[tensorIds.get(t.id)!][0].slice(0, reference[t.id].length), [...reference[t.id]], `${t.name} is the quantized perRow(Σx)`);
    assert.deepEqual(values[model.outputs[0].id].flat(), [...reference[model.quant.outputs[0].tensor]]);
  }
});

/**
 * A hand-built quantized model over one input x of shape [4, 8] (integers in [−8, 8], scale 0): `ops` in order, each
 * writing the next tensor id (from 1) with the shape given, `outputs` by tensor id.
 */
function handModel(steps: readonly { shape: number[]; op: (out: number) => QOp }[], outputs: readonly number[]): QuantModel {
  const wide = { lo: -(1n << 20n), hi: 1n << 20n };
  const tensors: QTensor[] = [{ id: 0, name: 'x', shape: [4, 8], scale: 0, role: 'input', bound: { lo: -8n, hi: 8n } }];
  const ops = steps.map(({ shape, op }, i) => {
    tensors.push({ id: i + 1, name: `t${i + 1}`, shape, scale: 0, role: 'activation', bound: wide });
    return op(i + 1);
  });
  return { tensors, ops, tables: new Map(), inputs: [{ name: 'x', tensor: 0 }], outputs: outputs.map((t) => ({ name: `y${t}`, tensor: t })), values: new Map(), maxBoundBits: 21 };
}

const hadamardOf = (a: number, b: number) => (out: number): QOp => ({ kind: 'hadamard', node: 'mul', out, a, b });
const rowSums = (input: number) => (out: number): QOp => ({ kind: 'sum', node: 'sum', out, input });
const permuted = (input: number, map: (f: number) => number, size: number) => (out: number): QOp => ({ kind: 'permute', node: 'permute', out, inputs: [input], map: Int32Array.from({ length: size }, (_, f) => map(f)), fill: 0n });
const added = (a: number, b: number) => (out: number): QOp => ({ kind: 'add', node: 'add', out, a, b });
const perRow = (input: number) => permuted(input, (f) => Math.floor(f / 8), 32);

/** Lowers `q`, validates its graph, and checks every graph output against the quantized model's integers. */
function lowersExactly(q: QuantModel): ReturnType<typeof lowerQuantModel> {
  const lowered = lowerQuantModel(q);
  validateBlockGraph(lowered.graph);
  const x = Array.from({ length: 32 }, (_, i) => BigInt(((i * 5) % 17) - 8));
  const layout = lowered.layouts.get(0)!;
  const inputs = { [lowered.tensorIds.get(0)!]: Array.from({ length: layout.rows }, (_, r) => x.slice(r * layout.length, (r + 1) * layout.length)) };
  const values = computeGraphWitness(lowered.graph, { ...inputs, ...lowered.weights });
  const reference = runQuantizedIntegers(q, [x]);
  for (const { tensor } of q.outputs) assert.deepEqual(values[lowered.tensorIds.get(tensor)!].flat(), [...reference[tensor]], `output t${tensor}`);
  return lowered;
}

const blocksOf = (lowered: ReturnType<typeof lowerQuantModel>) => lowered.graph.nodes.map((n) => n.block);

test('summedProducts and broadcastSums on one sum: the sum of a product wins, the broadcast is written by its own block (one block cannot do both)', () => {
  // sq = x ∘ x; ssq = Σ_row sq; b = perRow(ssq); y = x + b.
  const lowered = lowersExactly(handModel([{ shape: [4, 8], op: hadamardOf(0, 0) }, { shape: [4], op: rowSums(1) }, { shape: [4, 8], op: perRow(2) }, { shape: [4, 8], op: added(0, 3) }], [4]));
  const sums = blocksOf(lowered).filter((b): b is SumBlock => b instanceof SumBlock);
  assert.deepEqual(sums.map((b) => [b.product, b.broadcast]), [[true, false]]);
  assert.ok(!blocksOf(lowered).some((b) => b.kind === 'hadamard'), 'the square is not committed');
});

test('broadcastSums: a broadcast laid out by its reader (deferred into a transpose) is written by that reader, not by the sum block', () => {
  // s = Σ_row x; b = perRow(s); y = transpose(b) (b's only reader is a non-identity permutation).
  const lowered = lowersExactly(handModel([{ shape: [4], op: rowSums(0) }, { shape: [4, 8], op: perRow(1) }, { shape: [8, 4], op: permuted(2, (f) => (f % 4) * 8 + Math.floor(f / 4), 32) }], [3]));
  assert.ok(!blocksOf(lowered).some((b) => b instanceof SumBlock && b.broadcast));
});

test('summedProducts: a product with another reader, or that is a graph output, is committed by its hadamard block', () => {
  const twoReaders = lowersExactly(handModel([{ shape: [4, 8], op: hadamardOf(0, 0) }, { shape: [4], op: rowSums(1) }, { shape: [4, 8], op: added(1, 0) }], [2, 3]));
  const asOutput = lowersExactly(handModel([{ shape: [4, 8], op: hadamardOf(0, 0) }, { shape: [4], op: rowSums(1) }], [1, 2]));
  for (const lowered of [twoReaders, asOutput]) {
    assert.ok(blocksOf(lowered).some((b) => b.kind === 'hadamard'), 'the product is committed');
    assert.ok(!blocksOf(lowered).some((b) => b instanceof SumBlock && b.product));
  }
});

test('broadcastSums: sums with another reader, or a broadcast that is a graph output, keep their own tensors', () => {
  const twoReaders = lowersExactly(handModel([{ shape: [4], op: rowSums(0) }, { shape: [4, 8], op: perRow(1) }, { shape: [4], op: added(1, 1) }, { shape: [4, 8], op: added(2, 0) }], [3, 4]));
  const asOutput = lowersExactly(handModel([{ shape: [4], op: rowSums(0) }, { shape: [4, 8], op: perRow(1) }], [2]));
  for (const lowered of [twoReaders, asOutput]) assert.ok(!blocksOf(lowered).some((b) => b instanceof SumBlock && b.broadcast));
});

test('checkRangesProven: the calibrated ranges of a lowering are proven; without its range block, a range the graph proves only in part, or on fewer cells than the real ones, lowering is refused', () => {
  for (const name of [SAMPLE_MLP, 'fashion-attn.onnx']) {
    const model = compile(readFileSync(modelFile(name)), name === SAMPLE_MLP ? [{ input: sampleMlpInput() }] : feeds.slice(0, 2));
    const lowered = lowerQuantModel(model.quant);
    const cells = new Map([...lowered.tensorIds].map(([q, id]) => [id, lowered.layouts.get(q)!.length]));
    const { graph, ranges } = lowered;
    assert.ok(ranges.length > 0, `${name} has calibrated ranges`);
    checkRangesProven(graph, ranges, cells);
    const refused = (what: RegExp) => (e: unknown) => e instanceof BlockGraphError && e.code === 'COMPILE' && what.test((e as Error).message);
    const withoutRange = { ...graph, nodes: graph.nodes.filter((n) => !(n.block instanceof RangeBlock)) };
    assert.throws(() => checkRangesProven(withoutRange, ranges, cells), refused(/^the calibrated range \[-?\d+, -?\d+\] of ".*" \(node ".*"\) is not proven: the graph proves (no range|\[)/), `${name}: no range block`);
    for (const r of ranges) {
      const narrower = ranges.map((s) => (s === r ? { ...s, lo: s.lo + 1n } : s));
      assert.throws(() => checkRangesProven(graph, narrower, cells), refused(new RegExp(`^the calibrated range \\[${r.lo + 1n}, ${r.hi}\\] of "${r.tensor.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" .* the graph proves \\[`)), `${name}: ${r.tensor} proven below its lower bound`);
      const lower = ranges.map((s) => (s === r ? { ...s, hi: s.hi - 1n } : s));
      assert.throws(() => checkRangesProven(graph, lower, cells), refused(/is not proven: the graph proves \[/), `${name}: ${r.tensor} proven above its upper bound`);
      const wider = new Map(cells).set(r.id, Number.MAX_SAFE_INTEGER);
      assert.throws(() => checkRangesProven(graph, ranges, wider), refused(/is not proven: the graph proves no range$/), `${name}: ${r.tensor}'s facts cover fewer cells than its rows hold`);
    }
  }
});
