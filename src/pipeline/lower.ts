/**
 * Lowering: a quantized model (ops over integer tensors) → a block graph.
 *
 * Layout: a tensor of shape `[..., L]` is committed as `size/L` rows of length L, each over the domain
 * `max(2, 2^⌈log₂ L⌉)`. An op whose block needs another layout gets a fresh wire tensor and a permutation
 * block that copies it (so every edge stays constrained). Lookups are collected per table and emitted at the
 * end as **one** lookup block per table; every range check (rescales, max differences, hidden inputs) is a source
 * of **one** range block, emitted last ({@link RANGE_TABLE_BITS}).
 * @module
 */
import type { Block } from '../../blocks/block';
import { BroadcastBlock, type BroadcastOptions } from '../../blocks/broadcast';
import { LinearBlock } from '../../blocks/elementwise';
import { LimbSplitBlock } from '../../blocks/limb-split';
import { HadamardBlock } from '../../blocks/hadamard';
import { LookupBlock, type LookupSource } from '../../blocks/lookup';
import { RangeBlock, type RangeSource } from '../../blocks/range';
import { MatmulBlock, productTensors, type FlatOperandOrder } from '../../blocks/matmul';
import { MaxBlock } from '../../blocks/max';
import { SegmentMaxBlock } from '../../blocks/segment-max';
import { MaxConstantBlock } from '../../blocks/max-constant';
import { PermutationBlock, type CellSource, type IndexMap, type MatrixShape } from '../../blocks/permutation';
import { RescaleBlock } from '../../blocks/rescale';
import { SumBlock } from '../../blocks/sum';
import { WeightedRowsBlock } from '../../blocks/weighted-rows';
import { ConvolutionBlock } from '../../blocks/convolution';
import { makeTable, type LookupTable } from '../../blocks/tables';
import { isPowerOfTwo } from '../poly/roots';
import { mulInterval } from '../model/quant/bounds';
import { rescaleInt } from '../model/quant/rounding';
import type { Interval, QOp, QTensor, QuantModel, TensorId } from '../model/quant/qmodel';
import type { CalibratedRange } from './compiled-model';
import { hiddenInputRange } from './visibility';
import { BlockGraphError, provenRanges, type BlockGraph, type BlockNode, type GraphTensor, type TensorKind } from './block-graph';
import { inPlaceConvolution, type InPlaceConvolution } from './conv-in-place';
import { inOrder, layoutName, MAX_FLAT_ROW, rowDomain, sameLayout, storageIndex, tensorCells, tensorIndex, type Layout, type SegmentOrder } from './layout';

/**
 * The widest range table: every range check of a model goes through one table `{0, …, 2^b − 1}` with a public
 * denominator (`blocks/range.ts`), b the widest width the model's checks need, at most this; a wider value is split
 * into limbs of this width (a limb split). The table has no domain, no quotient share and no committed column: it
 * costs N + 2 G1 powers of τ in the SRS and, per proof, a sparse MSM of counts and one of the distinct values' fractions.
 */
export const RANGE_TABLE_BITS = 16;

/** A cell of a global tensor (flat, row-major index) or a public constant. */
type FlatSource = { readonly tensor: string; readonly flat: number } | { readonly constant: bigint };

/** The tensors an op reads. */
function operandsOf(op: QOp): TensorId[] {
  switch (op.kind) {
    case 'matmul':
    case 'add':
    case 'sub':
    case 'hadamard':
      return [op.a, op.b];
    case 'scale':
      return [op.a];
    case 'permute':
      return [...op.inputs];
    default:
      return [op.input];
  }
}

/** A tensor whose values are fixed by the model file (a weight or a public constant). */
function isConstant(q: QuantModel, t: TensorId): boolean {
  return q.tensors[t].role === 'weight' || q.tensors[t].role === 'public';
}

function sizeOfTensor(t: QTensor): number {
  return t.shape.reduce((a, b) => a * b, 1);
}

/**
 * Row layouts: a tensor is one flat row (fewest commitments, and reshapes become free) unless a block
 * needs rows: a matmul reads A as m rows of length k and writes m rows of length n (with a weight A, it
 * also reads B as k rows of length n: the patches of a channel-major convolution), a sum reduces rows. Matmuls
 * and sums whose row lengths are powers of two read and write flat rows instead ({@link flatMatmul}, {@link flatSum});
 * a weight-left product reads B and writes C as flat rows, with a padded stride when its row length is not a power
 * of two ({@link flatWeightedRows}).
 * Elementwise ops, rescales, lookups and reshapes keep their first operand's layout, so a matmul's output
 * flows through its bias, rescale, activation and reshape without copies; a permuted second operand of an
 * elementwise op (a broadcast bias) is written in that layout directly. A padded stride flows only through the ops
 * whose padding cells are computed from zeros without a table (a bias add, a scale, a rescale, a ReLU), and never
 * reaches a model input or output (the statement reads those in ONNX order).
 */
export function assignLayouts(q: QuantModel, convolutions: ReadonlyMap<TensorId, InPlaceConvolution> = inPlaceConvolutions(q)): Map<TensorId, Layout> {
  const layouts = new Map<TensorId, Layout>();
  const boundary = new Set([...q.inputs.map((i) => i.tensor), ...q.outputs.map((o) => o.tensor)]);
  const prefer = (t: TensorId, l: Layout) => {
    if (!layouts.has(t) && tensorCells(l) === sizeOfTensor(q.tensors[t]) && !(l.padded && boundary.has(t))) layouts.set(t, l);
  };
  // Rows only where a block needs them and the tensor is free to take them: a constant, or the output of a
  // permutation (which writes any layout at no extra cost). Other activations stay flat (a row-laid tensor costs a
  // commitment per row and three proof elements per row in every permutation or lookup that touches it); a block
  // that needs rows reads or writes them through one copy.
  const permuted = new Set(q.ops.filter((op) => op.kind === 'permute').map((op) => op.out));
  const free = (t: TensorId) => q.tensors[t].role !== 'activation' || permuted.has(t);
  const preferFree = (t: TensorId, l: Layout) => {
    if (free(t)) prefer(t, l);
  };
  // Padded strides first: a flat weighted-rows product with a padded stride writes C with it, and the ops after it
  // keep it while each computes its padding from its inputs' padding (C's is proven zero, a bias's is committed
  // zero): a bias add or subtraction whose other operand is free (or already has the stride), a scale, a rescale, a
  // ReLU's max(x, c), a reshape (the same cells). Whatever else reads the tensor reads it through a copy, which reads
  // no padding cell.
  const paddedLayout = (t: TensorId) => (layouts.get(t)?.padded ? layouts.get(t) : undefined);
  for (const op of q.ops) {
    const conv = convolutions.get(op.out);
    if (conv) {
      // A convolution proven in place writes C in its 2-D layout, and reads x in its own where x's writer can write
      // it at no cost (gridWriters).
      prefer(op.out, conv.c);
      for (const t of gridWriters(q, conv.input)) {
        if (q.tensors[t].role === 'input') {
          if (!layouts.has(t)) layouts.set(t, conv.x);
        } else prefer(t, conv.x);
      }
      continue;
    }
    if (op.kind === 'matmul') {
      const c = flatWeightedRows(q, op)?.c;
      if (c?.padded) prefer(op.out, c);
      continue;
    }
    const inputs = strideKeepingInputs(q, op);
    const l = inputs?.map(paddedLayout).find((x) => x !== undefined);
    const takes = (t: TensorId) => (layouts.has(t) ? sameLayout(layouts.get(t)!, l!) : free(t));
    if (l && inputs!.every(takes)) for (const t of [...inputs!, op.out]) prefer(t, l);
  }
  // A max pool whose windows lie in the segments of such a stride reads its input in place when the segments hold
  // each window's members together (poolWindowOrder): the order goes to every tensor that shares the stride through
  // the ops above (each is cellwise, so any one order of their segments serves them all) and to the product that
  // writes C (its B is written by a copy, which places the columns in any order at no cost).
  for (const op of q.ops) {
    if (op.kind !== 'max' || constantPairsOf(q, op) !== undefined || boundary.has(op.out) || layouts.has(op.out)) continue;
    const pool = q.ops.find((p): p is Extract<QOp, { kind: 'permute' }> => p.kind === 'permute' && p.out === op.input);
    if (!pool || pool.inputs.length !== 1 || boundary.has(pool.out) || q.ops.filter((u) => operandsOf(u).includes(pool.out)).length !== 1) continue;
    const x = pool.inputs[0];
    const xl = layouts.get(x);
    const fit = xl?.padded && !xl.padded.order ? poolWindowOrder(q, op, pool, xl) : undefined;
    if (!fit) continue;
    for (const t of sharingStride(q, x, layouts)) layouts.set(t, inOrder(xl!, fit.order));
    layouts.set(op.out, fit.output);
  }
  // A rescale runs on one flat row: its remainder and output are range-checked limb by limb, and on rows each
  // would need a flat copy (a permutation over every row); reading a row-laid input flat costs one copy instead.
  for (const op of q.ops) if (op.kind === 'rescale' && sizeOfTensor(q.tensors[op.out]) <= MAX_FLAT_ROW) prefer(op.out, { rows: 1, length: sizeOfTensor(q.tensors[op.out]) });
  for (const op of q.ops) {
    if (op.kind === 'matmul' && flatMatmul(q, op)) continue;
    if (op.kind === 'sum' && flatSum(q, op)) continue;
    if (op.kind === 'matmul') {
      preferFree(op.a, { rows: op.m, length: op.k });
      if (isConstant(q, op.a) && !convolutions.has(op.out)) preferFree(op.b, flatWeightedRows(q, op, layouts.get(op.out)?.padded?.order)?.b ?? { rows: op.k, length: op.n });
    } else if (op.kind === 'sum') {
      const t = q.tensors[op.input];
      const rows = sizeOfTensor(q.tensors[op.out]);
      preferFree(op.input, { rows, length: sizeOfTensor(t) / rows });
    }
  }
  const flat = (t: QTensor): Layout => {
    const size = sizeOfTensor(t);
    if (size === 0) throw new BlockGraphError(`tensor "${t.name}" is empty`);
    if (size <= MAX_FLAT_ROW) return { rows: 1, length: size };
    const length = t.shape[t.shape.length - 1];
    return { rows: size / length, length };
  };
  const of = (t: TensorId) => layouts.get(t) ?? flat(q.tensors[t]);
  for (const op of q.ops) {
    // Elementwise results are flat (a row-laid operand is read through one shared copy).
    if (op.kind === 'add' || op.kind === 'sub' || op.kind === 'hadamard' || op.kind === 'scale') prefer(op.out, sizeOfTensor(q.tensors[op.out]) <= MAX_FLAT_ROW ? flat(q.tensors[op.out]) : of(op.a));
    if (op.kind === 'add' || op.kind === 'sub' || op.kind === 'hadamard') {
      if (permuted.has(op.a) && !permuted.has(op.b) && layouts.has(op.out)) prefer(op.a, of(op.out));
      // A permuted b of an add with a padded a took the stride above; a Hadamard product's result does not take it,
      // and b is written as the result is laid out (the block reads both operands so).
      if (permuted.has(op.b)) prefer(op.b, of(op.a).padded ? of(op.out) : of(op.a));
    } else if (op.kind === 'rescale') prefer(op.out, of(op.input));
    // A lookup's table need not hold what a padded stride's padding cells would hold: it reads such an input through a copy.
    else if (op.kind === 'lookup' && !of(op.input).padded) prefer(op.out, of(op.input));
    else if (op.kind === 'permute' && op.inputs.length === 1 && op.map.every((src, i) => src === i)) prefer(op.out, of(op.inputs[0]));
  }
  for (const t of q.tensors) if (!layouts.has(t.id)) layouts.set(t.id, flat(t));
  return layouts;
}

/**
 * The operands of an op that keeps a padded stride (`op.out` takes their layout, assignLayouts): a bias add or
 * subtraction, a scale, a rescale, a ReLU's `max(x, c)` and a reshape, each cellwise, so a cell of the output meets
 * only the cells at its storage index in its operands, padding with padding. Undefined for any other op.
 */
function strideKeepingInputs(q: QuantModel, op: QOp): TensorId[] | undefined {
  switch (op.kind) {
    case 'add':
    case 'sub':
      return [op.a, op.b];
    case 'scale':
      return [op.a];
    case 'rescale':
      return [op.input];
    case 'max': {
      const x = constantPairsOf(q, op);
      return x === undefined ? undefined : [x];
    }
    case 'permute':
      return op.inputs.length === 1 && op.map.every((src, i) => src === i) ? [op.inputs[0]] : undefined;
    default:
      return undefined;
  }
}

/**
 * The tensors that take a convolution's 2-D input layout so that it reads x in place: x and, back from it, every
 * tensor whose writer lays it out at no cost and, written so, leaves zeros in the padding: a max pool (its candidates
 * copy writes any storage order and zero candidates where no output is stored), a copy (zeros in the padding), a
 * ReLU or clamp `max(x, c)` with c ≤ 0 (which keeps its input's layout, so the tensor it reads takes it too), or the
 * statement (a model input that is not an output, laid out on a grid, `PublicGrid`, whose bound holds 0: a hidden
 * input's range check covers its padding). Empty when x's writer is anything else: the block reads it through a copy.
 */
function gridWriters(q: QuantModel, x: TensorId): TensorId[] {
  const writer = q.ops.find((w) => w.out === x);
  if (!writer) {
    const { role, bound } = q.tensors[x];
    return role === 'input' && !q.outputs.some((o) => o.tensor === x) && bound.lo <= 0n && bound.hi >= 0n ? [x] : [];
  }
  if (writer.kind === 'permute' || (writer.kind === 'max' && constantPairsOf(q, writer) === undefined)) return [x];
  const relu = writer.kind === 'max' ? constantPairsOf(q, writer) : undefined;
  const pairs = relu === undefined ? undefined : q.ops.find((p) => p.out === (writer as Extract<QOp, { kind: 'max' }>).input);
  return relu !== undefined && pairs?.kind === 'permute' && pairs.fill <= 0n ? [x, ...gridWriters(q, relu)] : [];
}

/** The tensors linked to `x` by ops that keep its padded stride ({@link strideKeepingInputs}), all in x's layout, x among them. */
function sharingStride(q: QuantModel, x: TensorId, layouts: ReadonlyMap<TensorId, Layout>): Set<TensorId> {
  const l = layouts.get(x)!;
  const members = new Set([x]);
  for (let grown = true; grown; ) {
    grown = false;
    for (const op of q.ops) {
      const linked = [...(strideKeepingInputs(q, op) ?? []), op.out];
      if (linked.length < 2 || !linked.some((t) => members.has(t)) || !linked.every((t) => layouts.has(t) && sameLayout(layouts.get(t)!, l))) continue;
      for (const t of linked)
        if (!members.has(t)) {
          members.add(t);
          grown = true;
        }
    }
  }
  return members;
}

/**
 * The segment order in which a flat max over L candidates (`MaxBlock` option `flat`, K = L) reads the windows of a
 * max pool in place from x, a tensor with a padded stride (`cells` in `stride`, one row of `segments·stride` cells, a
 * power of two), and the output's layout; else undefined. It fits when L is a power of two and the pool is a
 * partition of x's segments into windows: output o = s·W + w (W outputs per segment) reads L distinct cells of
 * segment s, at the same offsets in every segment, and no constant. Window w's members then go to offsets
 * w·L … w·L + L − 1 in candidate order, the cells no window reads after them (an odd row or column a pool drops), so
 * output (s, w) is row s·(stride/L) + w of the flat max, and the output takes the padded stride W in stride/L. Its
 * padding rows hold the maxima of x's cells beyond the windows (padding, or cells no window reads): values the
 * block computes, which no copy reads (docs/soundness.md, "Padded stride").
 */
function poolWindowOrder(
  q: QuantModel,
  op: Extract<QOp, { kind: 'max' }>,
  pool: Extract<QOp, { kind: 'permute' }>,
  xl: Layout,
): { readonly order: SegmentOrder; readonly output: Layout } | undefined {
  const { cells, stride } = xl.padded!;
  const outputs = sizeOfTensor(q.tensors[op.out]);
  const L = sizeOfTensor(q.tensors[op.input]) / outputs;
  const segments = tensorCells(xl) / cells;
  if (!flatDimension(L) || stride % L !== 0 || xl.rows !== 1 || xl.length !== segments * stride || !isPowerOfTwo(xl.length) || outputs % segments !== 0) return undefined;
  const W = outputs / segments;
  const position = new Array<number>(cells).fill(-1);
  for (let o = 0; o < outputs; o++) {
    const s = Math.floor(o / W);
    for (let j = 0; j < L; j++) {
      const f = pool.map[o * L + j];
      const at = (o % W) * L + j;
      if (f < 0 || Math.floor(f / cells) !== s) return undefined;
      if (s === 0 ? position[f % cells] !== -1 : position[f % cells] !== at) return undefined;
      position[f % cells] = at;
    }
  }
  let next = W * L;
  for (let l = 0; l < cells; l++) if (position[l] < 0) position[l] = next++;
  const cellAt = new Array<number>(stride).fill(-1);
  position.forEach((at, l) => (cellAt[at] = l));
  return { order: { name: `windows-of-t${op.out}`, position, cellAt }, output: { rows: 1, length: segments * (stride / L), padded: { cells: W, stride: stride / L } } };
}

/**
 * The convolutions of `q` the lowering proves in place (`ConvolutionBlock`), by the product's output: each product
 * that {@link inPlaceConvolution} accepts and whose im2col permute nothing else reads (no block writes it).
 */
function inPlaceConvolutions(q: QuantModel): Map<TensorId, InPlaceConvolution> {
  const out = new Map<TensorId, InPlaceConvolution>();
  const readers = new Map<TensorId, number>();
  for (const op of q.ops) for (const t of operandsOf(op)) readers.set(t, (readers.get(t) ?? 0) + 1);
  const outputs = new Set(q.outputs.map((o) => o.tensor));
  for (const op of q.ops) {
    if (op.kind !== 'matmul') continue;
    const conv = inPlaceConvolution(q, op);
    if (conv && readers.get(conv.patches.out) === 1 && !outputs.has(conv.patches.out)) out.set(op.out, conv);
  }
  return out;
}

/**
 * The flat matmuls with weights on the right that read the same A as `op` with the same shape, in model order (`op`
 * among them): `MatmulBlock` proves them as one (its `products`), with one P and one weight link for all of them.
 */
function productsOfOneA(q: QuantModel, op: Extract<QOp, { kind: 'matmul' }>): Extract<QOp, { kind: 'matmul' }>[] {
  if (!isConstant(q, op.b)) return [op];
  return q.ops.filter(
    (o): o is Extract<QOp, { kind: 'matmul' }> => o.kind === 'matmul' && o.a === op.a && o.m === op.m && o.k === op.k && o.n === op.n && isConstant(q, o.b) && flatMatmul(q, o),
  );
}

/**
 * The x of a max over the pairs `(x_f, c)` of one tensor x and one constant (the quantizer's `maxWith`: a ReLU, a
 * clamp's lower side), else undefined. The lowering proves such a max in x's layout (`MaxConstantBlock`).
 */
function constantPairsOf(q: QuantModel, op: Extract<QOp, { kind: 'max' }>): TensorId | undefined {
  const pairs = q.ops.find((p): p is Extract<QOp, { kind: 'permute' }> => p.kind === 'permute' && p.out === op.input);
  if (!pairs || pairs.inputs.length !== 1) return undefined;
  const cells = sizeOfTensor(q.tensors[op.out]);
  if (sizeOfTensor(q.tensors[pairs.inputs[0]]) !== cells || pairs.map.length !== 2 * cells) return undefined;
  for (let f = 0; f < cells; f++) if (pairs.map[2 * f] !== f || pairs.map[2 * f + 1] >= 0) return undefined;
  return pairs.inputs[0];
}

/** A dimension a flat block reads in place: a power of two ≥ 2 (rows or cells that need no padding). */
const flatDimension = (x: number) => x >= 2 && isPowerOfTwo(x);

/**
 * Whether a matmul reads A and writes C as flat rows (`MatmulBlock` option `flat`) instead of copies laid out as one
 * row per matrix row: a run-time A of m ≥ 2 rows (any number) and k, n powers of two, so that the flat row-major
 * index `i·k + j` of a tensor is the block's `i·K + j` (no padding cells inside a row), and the tensor's zero padding
 * up to pow2(m·k) = pow2(m)·k cells is the block's padding rows i ≥ m (which it proves zero in A, hence in C). The
 * flat block proves the product row by row with row-weighted running sums (`blocks/running-sum.ts`); B keeps its rows
 * when it is a weight, and an activation is read in place as one flat row when one holds it ({@link flatOperand}),
 * else through a transposing copy.
 */
function flatMatmul(q: QuantModel, op: Extract<QOp, { kind: 'matmul' }>): boolean {
  return op.batch === 1 && !isConstant(q, op.a) && op.m >= 2 && flatDimension(op.k) && flatDimension(op.n) && op.m * Math.max(op.k, op.n) <= MAX_FLAT_ROW;
}

/**
 * The flat layouts of B and C when a product with a weight on the left (`C = W·B`) reads B and writes C as flat rows
 * (`WeightedRowsBlock` option `flat`) instead of one committed row per row of B and C, else undefined: k ≥ 2 rows of
 * B of n ≥ 2 cells, B on `H_{K·N}` and C on `H_{M·N}` within the longest flat row (K, M, N the powers of two ≥ k, m, n).
 * Matrix cell (j, l) of B is the block's `j·N + l`: with n = N that is B's flat row-major index, the tensor read in
 * place; otherwise B and C have the padded stride N (cells l ≥ n of each row padding). B's padding rows j ≥ k and
 * padding cells l ≥ n are provably ignored by the block (and written as zeros by the copy that writes B); C's are
 * proven zero. The permutation that writes B (an im2col patch matrix) then commits one row, and C flows into the
 * elementwise ops that follow it without a copy. The block combines B's rows column by column, so the columns may be
 * stored in any one `order` of B's and C's rows (the one a max pool after C reads in place, {@link poolWindowOrder}).
 * When K·N exceeds both C's M·N cells and the largest domain the rest of the graph needs ({@link widestUnlessCopies}),
 * B is cut into ⌈k·N/D⌉ committed rows of D cells (`WeightedRowsBlock` option `patchDomain`), D the larger of those
 * two, but at least K·N/{@link MAX_PATCH_ROWS}; the whole segments after B's k rows are padding.
 */
function flatWeightedRows(q: QuantModel, op: Extract<QOp, { kind: 'matmul' }>, order?: SegmentOrder): { readonly b: Layout; readonly c: Layout } | undefined {
  if (op.batch !== 1 || !isConstant(q, op.a) || op.k < 2 || op.n < 2) return undefined;
  const N = rowDomain(op.n);
  if (rowDomain(Math.max(op.k, op.m)) * N > MAX_FLAT_ROW) return undefined;
  const stride = op.n === N ? {} : { padded: { cells: op.n, stride: N } };
  const c = inOrder({ rows: 1, length: op.m * N, ...stride }, order);
  const D = Math.max(rowDomain(op.m) * N, widestUnlessCopies(q), (rowDomain(op.k) * N) / MAX_PATCH_ROWS);
  if (D >= rowDomain(op.k) * N) return { b: inOrder({ rows: 1, length: op.k * N, ...stride }, order), c };
  return { b: inOrder({ rows: Math.ceil((op.k * N) / D), length: D, padded: { cells: op.n, stride: N, segments: op.k } }, order), c };
}

/**
 * The most committed rows a flat B is cut into ({@link flatWeightedRows}): each costs a proof a commitment, and the
 * copy that writes B an evaluation and a share of a helper (about 100 B in all on the Fashion CNN), so B's domain is
 * divided by at most 4 for about 300 B.
 */
const MAX_PATCH_ROWS = 4;

/**
 * The largest domain the graph needs whatever its copies are laid out as: the flat row (within the longest flat
 * row) of every model input and arithmetic result that is not a copy's output, and of every function table. Copies
 * are laid out for their readers (an im2col patch matrix, a max's candidate pairs, or none when a reader composes
 * them), and constants are committed in the layout of the block that reads them (a weight matrix in rows), so
 * neither counts. A flat B whose K·N cells exceed this domain is cut into rows of this many cells
 * ({@link flatWeightedRows}, at most {@link MAX_PATCH_ROWS} rows): an im2col patch matrix then sets the domain of the
 * quotient, of the openings and of the SRS by itself only by a factor of at most 4.
 */
function widestUnlessCopies(q: QuantModel): number {
  const copies = new Set(q.ops.flatMap((op) => (op.kind === 'permute' ? [op.out] : [])));
  // A loop, not Math.max(...): a spread passes one argument per tensor, which a large graph would overflow.
  let widest = 1;
  for (const t of q.tensors) if (!copies.has(t.id) && !isConstant(q, t.id)) widest = Math.max(widest, rowDomain(Math.min(sizeOfTensor(t), MAX_FLAT_ROW)));
  for (const t of q.tables.values()) widest = Math.max(widest, rowDomain(t.outputs.length));
  return widest;
}

/**
 * Whether a sum reduces the rows of its flat input in place (`SumBlock` option `flat`) instead of reading a copy laid
 * out as rows: at least 2 rows (any number) and a row length that is a power of two, so the flat row-major index
 * `i·k + j` of the tensor is the block's `i·K + j` (no padding cells inside a row), and the tensor's zero padding up
 * to pow2(rows·k) cells is the block's padding rows (which its mask leaves out, so the sums' padding is zero). The
 * flat block proves the sums row by row with row-weighted running sums (`blocks/running-sum.ts`), so the input needs
 * no copy and no commitment per row.
 */
function flatSum(q: QuantModel, op: Extract<QOp, { kind: 'sum' }>): boolean {
  const rows = sizeOfTensor(q.tensors[op.out]);
  const size = sizeOfTensor(q.tensors[op.input]);
  return rows >= 2 && flatDimension(size / rows) && size <= MAX_FLAT_ROW;
}

/**
 * Refuses a lowering whose block graph does not prove a calibrated range the quantizer's bounds start from on
 * every real cell (what the bound analysis assumes must be what the proof enforces): for each range [lo, hi] of a
 * tensor with c real cells per row (`cells`), the intersection of the graph's facts ({@link provenRanges}) that hold
 * on at least c cells must lie within [lo, hi]; otherwise a {@link BlockGraphError} names the range and what is proven.
 */
export function checkRangesProven(graph: BlockGraph, ranges: readonly CalibratedRange[], cells: ReadonlyMap<string, number>): void {
  const proven = provenRanges(graph);
  for (const r of ranges) {
    // Every fact covering at least the real cells holds there: their intersection is what the graph proves.
    let p: { lo: bigint; hi: bigint } | undefined;
    for (const f of proven.get(r.id) ?? []) if (f.cells >= cells.get(r.id)!) p = p ? { lo: f.lo > p.lo ? f.lo : p.lo, hi: f.hi < p.hi ? f.hi : p.hi } : f;
    if (!p || p.lo < r.lo || p.hi > r.hi) throw new BlockGraphError(`the calibrated range [${r.lo}, ${r.hi}] of "${r.tensor}" (node "${r.node}") is not proven: the graph proves ${p ? `[${p.lo}, ${p.hi}]` : 'no range'}`);
  }
}

/** Signed bit width B with `[lo, hi] ⊆ [−2^(B−1), 2^(B−1))`. */
function signedBits(lo: bigint, hi: bigint): number {
  let b = 1;
  while (-(1n << BigInt(b - 1)) > lo || (1n << BigInt(b - 1)) <= hi) b++;
  return b;
}

/** Result of {@link lowerQuantModel}. */
export interface LoweredModel {
  readonly graph: BlockGraph;
  /** Global tensor id of each quantized tensor. */
  readonly tensorIds: ReadonlyMap<TensorId, string>;
  /** Row layout of each quantized tensor's global tensor. */
  readonly layouts: ReadonlyMap<TensorId, Layout>;
  /** Integer rows of every weight / public-constant tensor, by global id. */
  readonly weights: Record<string, bigint[][]>;
  /** Which blocks each ONNX node became (for reports). */
  readonly layers: { name: string; op: string; blocks: string[] }[];
  /** The calibrated ranges the proof enforces (requantized activations); a value outside one cannot be proven. */
  readonly ranges: CalibratedRange[];
}


/**
 * Lowers every op of `q` to blocks. Refuses what it cannot constrain. Range checks (rescale remainders and
 * outputs, max differences) cover the quantizer's worst-case bounds, so a proof never depends on calibration.
 * The inputs in `rangeChecked` (those the statement hides, whose integers the verifier cannot check against their
 * bound) are range-checked too, each cell within `hiddenInputRange` of its bound.
 */
export function lowerQuantModel(q: QuantModel, rangeChecked: ReadonlySet<TensorId> = new Set()): LoweredModel {
  const tensors: GraphTensor[] = [];
  const nodes: BlockNode[] = [];
  const weights: Record<string, bigint[][]> = {};
  const ids = new Map<TensorId, string>();
  const outputs = new Set(q.outputs.map((o) => o.tensor));
  const lookups = new Map<string, { table: LookupTable; sources: LookupSource[] }>();
  const layers: { name: string; op: string; blocks: string[] }[] = [];
  const ranges: CalibratedRange[] = [];
  let fresh = 0;
  let current: { name: string; op: string; blocks: string[] } | undefined;

  const declare = (id: string, kind: TensorKind, layout: Layout): GraphTensor => {
    const t: GraphTensor = { id, kind, rows: layout.rows, domain: rowDomain(layout.length) };
    tensors.push(t);
    return t;
  };
  const layoutOfGlobal = new Map<string, Layout>();
  /** A constant's committed rows: its cells where layout `l` stores them, zeros in a padded stride's padding. */
  const toRows = (data: readonly bigint[], l: Layout) => {
    const stored = new Array<bigint>(l.rows * l.length).fill(0n);
    data.forEach((x, f) => (stored[storageIndex(l, f)] = x));
    return Array.from({ length: l.rows }, (_, r) => stored.slice(r * l.length, (r + 1) * l.length));
  };

  const convolutions = inPlaceConvolutions(q);
  const layouts = assignLayouts(q, convolutions);
  /**
   * Permutations of constants only (a broadcast bias, a tiled LayerNorm scale) are constants themselves: they
   * are computed here and committed at setup with the weights (in the model commitment, rule 5), so the proof
   * carries neither a permutation argument nor a wire commitment for them.
   */
  const constants = new Map<TensorId, readonly bigint[]>();
  for (const t of q.tensors) if ((t.role === 'weight' || t.role === 'public') && t.data) constants.set(t.id, t.data);
  const folded = new Set<TensorId>();
  for (const op of q.ops) {
    if (op.kind !== 'permute' || outputs.has(op.out) || !op.inputs.every((t) => constants.has(t))) continue;
    const all = op.inputs.flatMap((t) => [...constants.get(t)!]);
    constants.set(op.out, Array.from(op.map, (src) => (src < 0 ? op.fill : all[src])));
    folded.add(op.out);
  }
  for (const t of q.tensors) {
    const l = layouts.get(t.id)!;
    const id = `t${t.id}`;
    const kind: TensorKind = t.role === 'input' ? 'input' : t.role === 'activation' && !folded.has(t.id) ? (outputs.has(t.id) ? 'output' : 'wire') : 'weight';
    declare(id, kind, l);
    layoutOfGlobal.set(id, l);
    ids.set(t.id, id);
    if (kind === 'weight') {
      const data = constants.get(t.id);
      if (!data) throw new BlockGraphError(`constant tensor "${t.name}" has no data`);
      weights[id] = toRows(data, l);
    }
  }

  const add = (block: Block, bind: Record<string, string>) => {
    nodes.push({ block, bind });
    current?.blocks.push(block.foldKey);
  };
  const shapeOf = (id: string, name = id): MatrixShape => {
    const l = layoutOfGlobal.get(id)!;
    return { name, rows: l.rows, length: l.length, domain: rowDomain(l.length) };
  };
  const newWire = (base: string, l: Layout): string => {
    const id = `${base}~${fresh++}`;
    declare(id, 'wire', l);
    layoutOfGlobal.set(id, l);
    return id;
  };
  /**
   * The shape of a copy that is a row broadcast of one flat input, `out[f] = in[⌊f/K⌋]` with in one row of M cells and
   * out one row of M·K cells, M and K powers of two (so neither row has padding cells); undefined for any other copy.
   */
  const rowBroadcast = (inputs: readonly MatrixShape[], output: MatrixShape, cells: readonly (readonly CellSource[])[]): BroadcastOptions | undefined => {
    if (inputs.length !== 1 || inputs[0].rows !== 1 || output.rows !== 1) return undefined;
    const M = inputs[0].length;
    const K = output.length / M;
    if (!flatDimension(M) || !flatDimension(K)) return undefined;
    return cells[0].every((c, f) => 'input' in c && c.row === 0 && c.col === Math.floor(f / K)) ? { rows: M, rowLength: K } : undefined;
  };
  /**
   * A block writing `out`: output cell `f` (flat, row-major) copies `source(f)`. A row broadcast is proven by a
   * broadcast block (row-weighted sums, no logUp over every cell), any other copy by a permutation block. Cells are
   * placed through the layouts' strides: a padded stride's padding cells of `out` are the constant 0, and no
   * source cell is ever a padding cell of an input.
   */
  const permute = (out: string, source: (flat: number) => FlatSource) => {
    const outShape = shapeOf(out, 'out');
    const outLayout = layoutOfGlobal.get(out)!;
    const inputs: string[] = [];
    const cell = (f: number): CellSource => {
      const src = source(f);
      if ('constant' in src) return src;
      let i = inputs.indexOf(src.tensor);
      if (i < 0) i = inputs.push(src.tensor) - 1;
      const l = layoutOfGlobal.get(src.tensor)!;
      const at = storageIndex(l, src.flat);
      return { input: i, row: Math.floor(at / l.length), col: at % l.length };
    };
    const cells = Array.from({ length: outShape.rows }, (_, r) =>
      Array.from({ length: outShape.length }, (_, c): CellSource => {
        const f = tensorIndex(outLayout, r * outShape.length + c);
        return f === undefined ? { constant: 0n } : cell(f);
      }),
    );
    const inShapes = inputs.map((id, i) => shapeOf(id, `in${i}`));
    const broadcast = rowBroadcast(inShapes, outShape, cells);
    if (broadcast) {
      add(new BroadcastBlock(broadcast), { in: inputs[0], out });
      return;
    }
    const names = inputs.map((_, i) => `in${i}`);
    const map: IndexMap = {
      label: `copy ${inputs.map((i) => layoutName(layoutOfGlobal.get(i)!)).join('+')}→${layoutName(outLayout)}`,
      inputs: inShapes,
      output: outShape,
      cells,
    };
    add(new PermutationBlock(map), Object.fromEntries([...inputs.map((id, i) => [names[i], id]), ['out', out]]));
  };
  /** `id` in layout `l`: itself, or a wire copied from it. */
  const copies = new Map<string, string>();
  const readAs = (id: string, l: Layout): string => {
    if (sameLayout(layoutOfGlobal.get(id)!, l)) return id;
    const key = `${id}@${layoutName(l)}`;
    const known = copies.get(key);
    if (known) return known;
    const w = newWire(id, l);
    permute(w, (flat) => ({ tensor: id, flat }));
    copies.set(key, w);
    return w;
  };
  /** A target for a block that writes `id` in layout `l`: `id` itself, or a wire copied into `id` afterwards. */
  const writeAs = (id: string, l: Layout): { target: string; finish: () => void } => {
    if (sameLayout(layoutOfGlobal.get(id)!, l)) return { target: id, finish: () => {} };
    const w = newWire(id, l);
    return { target: w, finish: () => permute(id, (flat) => ({ tensor: w, flat })) };
  };
  const lookupInto = (table: LookupTable, source: LookupSource) => {
    let entry = lookups.get(table.digest);
    if (!entry) lookups.set(table.digest, (entry = { table, sources: [] }));
    entry.sources.push(source);
  };
  /** The range checks of the model, proven by one range block at the end. */
  const ranged: RangeSource[] = [];
  /**
   * Proves that every real cell of `id` (layout `l`) lies in `[lo, lo + 2^bits)`: a range of at most
   * {@link RANGE_TABLE_BITS} bits is one source of the model's range block (the offset and a width below the table's
   * are in-column, `blocks/range.ts`); a wider one is split `v − lo = low + 2^16·high` (a limb split), the low limb a
   * full-width source and the high one checked at the remaining width.
   */
  const rangeCheck = (id: string, l: Layout, lo: bigint, bits: number): void => {
    const source = { rows: l.rows, domain: rowDomain(l.length), length: l.length };
    if (bits <= RANGE_TABLE_BITS) {
      ranged.push({ ...source, input: id, lo, bits });
      return;
    }
    if (l.rows > 1 && l.rows * l.length <= MAX_FLAT_ROW && flatCopyPays(l.rows, bits)) {
      // Limbs of a flat copy: one committed row per limb instead of one per row (the copy's range is the original's).
      const flat = readAs(id, { rows: 1, length: l.rows * l.length });
      rangeCheck(flat, { rows: 1, length: l.rows * l.length }, lo, bits);
      return;
    }
    const low = newWire(`${id}/limb`, l);
    const high = newWire(`${id}/rest`, l);
    add(new LimbSplitBlock({ ...source, offset: -lo, limbBits: RANGE_TABLE_BITS }), { v: id, lo: low, hi: high });
    ranged.push({ ...source, input: low, lo: 0n, bits: RANGE_TABLE_BITS });
    rangeCheck(high, l, 0n, bits - RANGE_TABLE_BITS);
  };
  /**
   * Whether range-checking a `rows`-row tensor of `bits` bits through a flat copy makes a smaller proof: the copy
   * costs a permutation (three elements per row of input and output, about twenty for its two domains) and a
   * wire row; checking in rows costs, per extra row and per limb, two limb rows and a column of the range block.
   */
  const flatCopyPays = (rows: number, bits: number): boolean => {
    const limbs = Math.ceil(bits / RANGE_TABLE_BITS);
    const copy = 3 * (rows + 1) + 20 + 1;
    const inRows = (rows - 1) * limbs * 5;
    return copy < inRows;
  };
  const g = (tid: TensorId) => ids.get(tid)!;
  const lay = (tid: TensorId) => layoutOfGlobal.get(g(tid))!;

  /**
   * Bounds the proof enforces, per global tensor: a range-checked rescale output is bounded by its range
   * table (the calibrated activation width), tighter than the worst-case interval of the quantizer.
   */
  const bounds = new Map<string, Interval>();
  const boundOf = (id: string): Interval => bounds.get(id)!;
  for (const t of q.tensors) {
    const data = constants.get(t.id);
    bounds.set(g(t.id), data && data.length > 0 ? { lo: data.reduce((a, b) => (b < a ? b : a)), hi: data.reduce((a, b) => (b > a ? b : a)) } : t.bound);
  }
  const union = (xs: readonly Interval[]): Interval => ({ lo: xs.reduce((a, b) => (b.lo < a ? b.lo : a), xs[0].lo), hi: xs.reduce((a, b) => (b.hi > a ? b.hi : a), xs[0].hi) });

  const tables = new Map<string, LookupTable>();
  for (const [name, t] of q.tables) {
    const inputs = t.outputs.map((_, i) => t.inputLo + BigInt(i));
    tables.set(name, makeTable(`${name}:${t.fn}:${t.inputScale}->${t.outputScale}`, inputs, t.outputs));
  }

  const aliased = new Set<string>();
  /** A single-input permutation that copies every cell to the same place of an identically laid-out tensor. */
  const isIdentityCopy = (op: Extract<QOp, { kind: 'permute' }>): boolean => {
    if (op.inputs.length !== 1 || outputs.has(op.out)) return false;
    return sameLayout(lay(op.inputs[0]), lay(op.out)) && op.map.every((src, i) => src === i);
  };
  /**
   * Permutations whose only consumer is another permutation or a max are not materialized: the consumer
   * copies straight from their sources (a composed index map), saving a permutation argument and a wire.
   */
  const consumers = new Map<TensorId, QOp[]>();
  const producers = new Map<TensorId, QOp>(q.ops.map((op) => [op.out, op]));
  for (const op of q.ops) for (const t of operandsOf(op)) consumers.set(t, [...(consumers.get(t) ?? []), op]);
  // An input no op reads would be in the statement yet bound by no block (rule 6): say why, not only which tensor.
  for (const t of q.tensors)
    if (t.role === 'input' && !consumers.has(t.id) && !outputs.has(t.id))
      throw new BlockGraphError(`graph input "${t.name}" is read by no computation: the outputs depend on its shape or type only (folded at compile time), so no proof would bind its values; remove it or make an output depend on it`);
  /** A matmul reads an activation B through a transposing copy: a permutation writing B can be composed into it. */
  const transposesInto = (t: TensorId, user: QOp): boolean => user.kind === 'matmul' && user.batch === 1 && user.b === t && user.a !== t && !isConstant(q, user.a);
  const deferred = new Map<TensorId, Extract<QOp, { kind: 'permute' }>>();
  // An in-place convolution's im2col permute is never written (the block reads x at rotations), and the permute
  // that writes x (a Pad) is materialized: the block reads x itself.
  const patchesOf = new Set([...convolutions.values()].map((c) => c.patches.out));
  for (const op of q.ops) {
    const users = consumers.get(op.out) ?? [];
    if (op.kind === 'permute' && patchesOf.has(op.out)) deferred.set(op.out, op);
    else if (op.kind === 'permute' && !folded.has(op.out) && !isIdentityCopy(op) && !outputs.has(op.out) && users.length === 1 && ((users[0].kind === 'permute' && !isIdentityCopy(users[0]) && !patchesOf.has(users[0].out)) || users[0].kind === 'max' || transposesInto(op.out, users[0]))) deferred.set(op.out, op);
  }
  /**
   * Sums of a product (`s_i = Σ_j a_ij·b_ij`, LayerNorm's `Σ_j c_ij²`): a hadamard whose only reader is a sum that
   * reduces in place ({@link flatSum}), its output, a and b activations laid out as that sum reads its input (one flat
   * row), is never written; the sum block reads a and b and proves the sums of their product (`SumBlock` option
   * `product`), so the product is not committed. Sound because the sum block proves, row by row, the same value the
   * hadamard and the sum proved in two steps, on the same real cells; the product had no other reader to bind.
   * Keyed by the hadamard's output.
   */
  const summedProducts = new Map<TensorId, Extract<QOp, { kind: 'hadamard' }>>();
  for (const op of q.ops) {
    const product = op.kind === 'sum' ? producers.get(op.input) : undefined;
    if (op.kind !== 'sum' || product?.kind !== 'hadamard' || outputs.has(product.out) || consumers.get(product.out)!.length !== 1 || !flatSum(q, op)) continue;
    const flatRow = { rows: 1, length: sizeOfTensor(q.tensors[op.input]) };
    if ([product.out, product.a, product.b].every((t) => !isConstant(q, t) && sameLayout(lay(t), flatRow))) summedProducts.set(product.out, product);
  }
  /**
   * Row sums read only through their broadcast (LayerNorm's mean, `perRow(Σx)`): a flat sum ({@link flatSum}) whose
   * output's only reader is a permutation `b[f] = s[⌊f/k⌋]` over rows of a power-of-two length k, b laid out as the
   * sum's input. The sum block writes b itself (`SumBlock` option `broadcast`), so s is never written. Sound because
   * the block proves `b_ij = Σ_l x_il` for every cell, what the sum and the broadcast proved in two steps, and s had
   * no other reader. Not where the sum is one of a product (`summedProducts`: a block sums a product or broadcasts,
   * not both), nor where the broadcast is laid out by a later step (deferred into its reader, folded, a copy), which
   * would read the sums s through it. Keyed by the sum's output, the broadcast's output as value.
   */
  const broadcastSums = new Map<TensorId, TensorId>();
  for (const op of q.ops) {
    const users = consumers.get(op.out) ?? [];
    const b = users[0];
    if (op.kind !== 'sum' || outputs.has(op.out) || users.length !== 1 || b.kind !== 'permute' || outputs.has(b.out) || b.inputs.length !== 1 || !flatSum(q, op)) continue;
    if (summedProducts.has(op.input) || deferred.has(b.out) || folded.has(b.out) || patchesOf.has(b.out) || isIdentityCopy(b)) continue;
    const size = sizeOfTensor(q.tensors[op.input]);
    const k = size / sizeOfTensor(q.tensors[op.out]);
    const flatRow = { rows: 1, length: size };
    if (rowDomain(k) === k && b.map.length === size && b.map.every((src, f) => src === Math.floor(f / k)) && sameLayout(lay(op.input), flatRow) && sameLayout(lay(b.out), flatRow))
      broadcastSums.set(op.out, b.out);
  }
  const writtenBySums = new Set(broadcastSums.values());
  /**
   * The differences `d` of each flat max whose candidates are read in place (K = L, one unpadded output row of M
   * cells): `d[r·L + j] = y[r] − x[r·L + j]` where x is the max's input, proven by the max block, each cell
   * range-checked `≥ 0`.
   */
  const maxDifferences = new Map<TensorId, { d: string; input: TensorId; L: number }>();
  /** Broadcasts of a max's output that no block writes: their only reader reads the max's differences. */
  const unwritten = new Set<string>();
  /**
   * The max whose differences a row broadcast `b[f] = m[⌊f/L⌋]` of its output m stands in for, when the broadcast's
   * only reader is `x − b` with x the max's input, laid out as the differences (one row of M·L cells, cell f at f):
   * that max's entry of {@link maxDifferences}, else undefined.
   */
  const shiftedByMax = (op: Extract<QOp, { kind: 'permute' }>): { d: string; input: TensorId; L: number } | undefined => {
    const users = consumers.get(op.out) ?? [];
    if (op.inputs.length !== 1 || outputs.has(op.out) || users.length !== 1) return undefined;
    const max = maxDifferences.get(op.inputs[0]);
    const sub = users[0];
    if (!max || sub.kind !== 'sub' || sub.b !== op.out || sub.a !== max.input) return undefined;
    if (!sameLayout(lay(sub.out), layoutOfGlobal.get(max.d)!) || !op.map.every((src, f) => src === Math.floor(f / max.L))) return undefined;
    return max;
  };
  /**
   * The differences tensor `d` that `x − max(x)` (a sub op) reads as `−d`, when its broadcast of the max is unwritten
   * (see {@link shiftedByMax}), else undefined. Sound because the value is the same, cell by cell: the max block proves
   * `d[r·L + j] = y[r] − x[r·L + j]` on the very cells (its candidates are x read in place, output r stored at r),
   * and the sub's output cell r·L + j is `x[r·L + j] − y[r]`; the range check `d ≥ 0` with `d = 0` somewhere in each
   * row that makes y the maximum is unchanged.
   */
  const shiftedSource = (op: Extract<QOp, { kind: 'sub' }>): string | undefined => {
    if (!unwritten.has(g(op.b))) return undefined;
    const producer = producers.get(op.b);
    return producer?.kind === 'permute' ? shiftedByMax(producer)?.d : undefined;
  };
  /** Where cell `flat` of quantized tensor `tid` comes from, looking through deferred permutations. */
  const resolve = (tid: TensorId, flat: number): FlatSource => {
    const op = deferred.get(tid);
    return op ? throughPermute(op, flat) : { tensor: g(tid), flat };
  };
  /**
   * The pairs `(x_f, c)` of a max over two candidates when every output cell f pairs cell f of one tensor x with one
   * constant c (a ReLU, a clamp's lower side): x and c, else undefined. `cells` is the number of output cells.
   */
  const maxWithConstant = (pairs: TensorId, cells: number): { tensor: string; constant: bigint } | undefined => {
    const first = resolve(pairs, 0);
    const c = resolve(pairs, 1);
    if (!('tensor' in first) || !('constant' in c)) return undefined;
    if (tensorCells(layoutOfGlobal.get(first.tensor)!) !== cells) return undefined;
    for (let f = 0; f < cells; f++) {
      const a = resolve(pairs, 2 * f);
      const b = resolve(pairs, 2 * f + 1);
      if (!('tensor' in a) || a.tensor !== first.tensor || a.flat !== f || !('constant' in b) || b.constant !== c.constant) return undefined;
    }
    return { tensor: first.tensor, constant: c.constant };
  };
  /**
   * The committed tensor that holds a max's candidates where the flat max reads them with K = L, else undefined:
   * one row of M·L cells (M = the output layout's storage, a power of two) where the candidate j of the output stored
   * at r is cell r·L + j, looking through deferred permutations (a ReLU's output in pool-window order, or a tensor of
   * shape [..., L] in ONNX order). The candidates of the output's padding cells are whatever x stores there.
   */
  const heldCandidates = (input: TensorId, lo: Layout, L: number): string | undefined => {
    const M = lo.rows * lo.length;
    const first = resolve(input, 0);
    if (lo.rows !== 1 || !flatDimension(M) || rowDomain(L) !== L || M * L > MAX_FLAT_ROW || !('tensor' in first)) return undefined;
    const xl = layoutOfGlobal.get(first.tensor)!;
    if (xl.rows !== 1 || xl.length !== M * L) return undefined;
    for (let r = 0; r < M; r++) {
      const o = tensorIndex(lo, r);
      for (let j = 0; o !== undefined && j < L; j++) {
        const src = resolve(input, o * L + j);
        if (!('tensor' in src) || src.tensor !== first.tensor || storageIndex(xl, src.flat) !== r * L + j) return undefined;
      }
    }
    return first.tensor;
  };
  /** Where output cell `flat` of a permute op comes from. */
  const throughPermute = (op: Extract<QOp, { kind: 'permute' }>, flat: number): FlatSource => {
    const src = op.map[flat];
    if (src < 0) return { constant: op.fill };
    let offset = 0;
    for (const t of op.inputs) {
      const size = q.tensors[t].shape.reduce((a, b) => a * b, 1);
      if (src < offset + size) return resolve(t, src - offset);
      offset += size;
    }
    throw new BlockGraphError(`node "${op.node}": index ${src} outside its inputs`);
  };

  for (const input of q.inputs) {
    if (!rangeChecked.has(input.tensor)) continue;
    const { lo, hi } = q.tensors[input.tensor].bound;
    layers.push((current = { name: input.name, op: 'input range check', blocks: [] }));
    rangeCheck(g(input.tensor), lay(input.tensor), lo, hiddenInputRange([lo, hi]).bits);
  }
  for (const op of q.ops) {
    if (!current || current.name !== op.node) layers.push((current = { name: op.node, op: op.kind, blocks: [] }));
    lowerOp(op);
  }

  function lowerOp(op: QOp): void {
    const out = g(op.out);
    switch (op.kind) {
      case 'add':
      case 'sub':
      case 'hadamard': {
        // Its only reader, a sum, reads its operands and sums their product (see `summedProducts`): nothing is written.
        if (summedProducts.has(op.out)) return;
        const l = lay(op.out);
        const differences = op.kind === 'sub' ? shiftedSource(op) : undefined;
        if (differences !== undefined) {
          // x − max(x) = −d cellwise (see `shiftedSource`): a scale by −1 of the max's differences.
          bounds.set(out, { lo: boundOf(g(op.a)).lo - boundOf(g(op.b)).hi, hi: boundOf(g(op.a)).hi - boundOf(g(op.b)).lo });
          add(new LinearBlock({ operation: { op: 'scale', factor: -1n }, rows: l.rows, domain: rowDomain(l.length) }), { a: differences, c: out });
          return;
        }
        const bind = { a: readAs(g(op.a), l), b: readAs(g(op.b), l), c: out };
        const [ba, bb] = [boundOf(g(op.a)), boundOf(g(op.b))];
        if (op.kind === 'add') bounds.set(out, { lo: ba.lo + bb.lo, hi: ba.hi + bb.hi });
        else if (op.kind === 'sub') bounds.set(out, { lo: ba.lo - bb.hi, hi: ba.hi - bb.lo });
        else bounds.set(out, mulInterval(ba, bb));
        if (op.kind === 'hadamard') {
          // A tensor committed at setup (a weight, or a constant folded into one) bound as it is committed (no
          // relayout copy) is opened only through the weight link; the product is symmetric, so it moves to b.
          const isWeight = (id: string, operand: TensorId) => id === g(operand) && constants.has(operand);
          const swap = !isWeight(bind.b, op.b) && isWeight(bind.a, op.a);
          const fixedB = isWeight(bind.b, op.b) || swap;
          add(new HadamardBlock({ rows: l.rows, domain: rowDomain(l.length), fixedB }), swap ? { a: bind.b, b: bind.a, c: out } : bind);
          return;
        }
        add(new LinearBlock({ operation: { op: op.kind }, rows: l.rows, domain: rowDomain(l.length) }), bind);
        return;
      }
      case 'scale': {
        const l = lay(op.out);
        bounds.set(out, mulInterval(boundOf(g(op.a)), { lo: op.factor, hi: op.factor }));
        add(new LinearBlock({ operation: { op: 'scale', factor: op.factor }, rows: l.rows, domain: rowDomain(l.length) }), { a: readAs(g(op.a), l), c: out });
        return;
      }
      case 'matmul': {
        if (op.batch !== 1) {
          lowerBatchedMatmul(op);
          return;
        }
        const { m, k, n } = op;
        const conv = convolutions.get(op.out);
        if (conv) {
          lowerConvolution(op, conv);
          return;
        }
        if (isConstant(q, op.a)) {
          // A weight on the left (channel-major convolution): C = W·B, row c of C combining the rows of B.
          const flat = flatWeightedRows(q, op, lay(op.out).padded?.order);
          const w = readAs(g(op.a), { rows: m, length: k });
          const b = readAs(g(op.b), flat?.b ?? { rows: k, length: n });
          const c = writeAs(out, flat?.c ?? { rows: m, length: n });
          const cut = flat && flat.b.rows > 1 ? { patchDomain: flat.b.length } : {};
          add(new WeightedRowsBlock({ m, k, n, innerDomain: rowDomain(k), outerDomain: rowDomain(n), ...(flat ? { flat: true } : {}), ...cut }), { w, b, c: c.target });
          c.finish();
          return;
        }
        const flat = flatMatmul(q, op);
        const siblings = flat ? productsOfOneA(q, op) : [op];
        if (siblings.length > 1) {
          // Several weight products of one A (attention's Q, K, V projections): one block, lowered at the first.
          if (siblings[0] === op) lowerProductsOfOneA(siblings);
          return;
        }
        const a = readAs(g(op.a), flat ? { rows: 1, length: m * k } : { rows: m, length: k });
        // Both operands computed at run time: a flat B is read in place, in the order its tensor holds it.
        const flatB = flat && !isConstant(q, op.b) ? flatOperand(op.b, k, n) : undefined;
        const bT = flatB?.tensor ?? transposedOperand(op.b, k, n);
        const w = writeAs(out, flat ? { rows: 1, length: m * n } : { rows: m, length: n });
        add(new MatmulBlock({ m, k, n, fixedB: isConstant(q, op.b), innerDomain: rowDomain(k), outerDomain: rowDomain(n), ...(flat ? { flat } : {}), ...(flatB ? { flatB: flatB.order } : {}) }), { a, b: bT, c: w.target });
        w.finish();
        return;
      }
      case 'lookup': {
        const table = tables.get(op.table);
        if (!table) throw new BlockGraphError(`node "${op.node}": unknown table "${op.table}"`);
        const l = lay(op.out);
        const x = readAs(g(op.input), l);
        lookupInto(table, { input: x, output: out, rows: l.rows, domain: rowDomain(l.length), length: l.length });
        const ys = table.outputs!;
        bounds.set(out, { lo: ys.reduce((a, b) => (b < a ? b : a)), hi: ys.reduce((a, b) => (b > a ? b : a)) });
        return;
      }
      case 'rescale': {
        const l = lay(op.out);
        const bound = q.tensors[op.out].bound;
        const input = q.tensors[op.input].bound;
        // A calibrated range that cuts the rescaled input's interval is what later bounds start from: it is recorded
        // and checked at its width (the quantizer's bound is the signed-bits interval), as every output is.
        const calibrated = op.range !== undefined && (bound.lo > rescaleInt(input.lo, op.shift) || bound.hi < rescaleInt(input.hi, op.shift));
        const outputBits = signedBits(bound.lo, bound.hi);
        if (calibrated) ranges.push({ id: out, tensor: q.tensors[op.out].name, node: op.node, lo: op.range!.lo, hi: op.range!.hi, scale: q.tensors[op.out].scale });
        bounds.set(out, bound);
        const remainder = newWire(`${out}/rem`, l);
        const x = readAs(g(op.input), l);
        add(new RescaleBlock({ input: 'x', output: 'y', remainder: 'r', rows: l.rows, domain: rowDomain(l.length), length: l.length, shift: op.shift, outputBits }), { x, y: out, r: remainder });
        // The two range checks RescaleBlock.rangeChecks() names, at any width: r ∈ [0, 2^k), y ∈ [−2^(B−1), 2^(B−1)).
        rangeCheck(remainder, l, 0n, op.shift);
        // y's range is already proven when y is looked up in a function table whose domain lies inside it.
        const half = 1n << BigInt(outputBits - 1);
        const lookedUp = (consumers.get(op.out) ?? []).some((u) => {
          const t = u.kind === 'lookup' ? q.tables.get(u.table) : undefined;
          return t !== undefined && t.inputLo >= -half && t.inputLo + BigInt(t.outputs.length) <= half;
        });
        if (!lookedUp) rangeCheck(out, l, -half, outputBits);
        return;
      }
      case 'permute': {
        // A convolution read in place writes no patch matrix, even when its im2col map is the identity (a 1×1 kernel):
        // aliasing it to its input would take the input out of the graph with the patches.
        if (folded.has(op.out) || patchesOf.has(op.out)) return;
        if (isIdentityCopy(op)) {
          // A reshape that keeps the row layout: the output is the input, no block and no commitment.
          aliased.add(out);
          ids.set(op.out, g(op.inputs[0]));
          return;
        }
        if (op.inputs.length === 1 && op.map.length === sizeOfTensor(q.tensors[op.inputs[0]]) && op.map.every((src, i) => src === i)) {
          // A reshape into other rows: read in its input's layout, it is its input.
          const l = lay(op.inputs[0]);
          copies.set(`${out}@${layoutName(l)}`, g(op.inputs[0]));
        }
        const sources = [...new Set(op.inputs.map(g))];
        bounds.set(out, union([...sources.map(boundOf), ...(op.map.includes(-1) ? [{ lo: op.fill, hi: op.fill }] : [])]));
        if (deferred.has(op.out)) return;
        // A broadcast of row sums that the sum block writes (see `broadcastSums`).
        if (writtenBySums.has(op.out)) return;
        if (shiftedByMax(op) !== undefined) {
          // Its only reader, `x − max(x)`, reads the max's differences instead: no broadcast is written.
          unwritten.add(out);
          return;
        }
        permute(out, (flat) => throughPermute(op, flat));
        return;
      }
      case 'sum': {
        const rows = sizeOfTensor(q.tensors[op.out]);
        const lin = { rows, length: sizeOfTensor(q.tensors[op.input]) / rows };
        const flat = flatSum(q, op);
        const broadcast = broadcastSums.get(op.out);
        if (broadcast !== undefined) {
          add(new SumBlock({ rows: lin.rows, length: lin.length, domain: lin.length, flat: true, broadcast: true }), { x: g(op.input), s: g(broadcast) });
          return;
        }
        const product = summedProducts.get(op.input);
        const inputs: Record<string, string> = product ? { x: g(product.a), w: g(product.b) } : { x: readAs(g(op.input), flat ? { rows: 1, length: rows * lin.length } : lin) };
        const sums = writeAs(out, { rows: 1, length: lin.rows });
        add(new SumBlock({ rows: lin.rows, length: lin.length, domain: rowDomain(lin.length), sumsDomain: rowDomain(lin.rows), ...(flat ? { flat } : {}), ...(product ? { product: true } : {}) }), { ...inputs, s: sums.target });
        sums.finish();
        return;
      }
      case 'max': {
        // out[r] = max_j in[r·L + j]: candidate j of output cell (i, c) goes to row j·m + i, column c.
        const L = sizeOfTensor(q.tensors[op.input]) / sizeOfTensor(q.tensors[op.out]);
        const lo = lay(op.out);
        const b = boundOf(g(op.input));
        bounds.set(out, b);
        const bits = Math.max(1, (b.hi - b.lo).toString(2).length);
        const K = rowDomain(L);
        const withConstant = L === 2 ? maxWithConstant(op.input, tensorCells(lo)) : undefined;
        if (withConstant) {
          // max(x, c): x read where it is (no candidate rows, no copy); one range check, of the slack d = 2y − x − c.
          const x = readAs(withConstant.tensor, lo);
          const d = newWire(`${out}/slack`, lo);
          add(new MaxConstantBlock({ rows: lo.rows, domain: rowDomain(lo.length), length: lo.length, constant: withConstant.constant, bits }), { x, y: out, d });
          rangeCheck(d, lo, 0n, bits);
          return;
        }
        // Flat: output r's candidates are cells r·K + j (j < L) of one row, read in place when a tensor already holds
        // them in that order (held), else written there by one copy (zeros in the padding cells j ≥ L). Its proof is
        // a constant ~0.6 KB; two candidate rows (a ReLU's max(x, 0)) cost less in the row layout unless the
        // candidates are held in place. The output is one row of a power-of-two length M (the block writes M cells,
        // which a reader of a shorter row would not take), possibly with a padded stride (a pool whose output a
        // convolution reads in place, in its 2-D layout): the copy gives the storage cells r that hold no output
        // (padding) zero candidates, so their maximum is 0, the padding a convolution block proves zero.
        const held = heldCandidates(op.input, lo, L);
        const M = lo.length;
        if (held === undefined && rowDomain(L) === L && lo.rows === 1 && flatDimension(M) && M * L <= MAX_FLAT_ROW && bits <= RANGE_TABLE_BITS) {
          // Segment-major candidates (candidate j of output r at cell j·M + r, zeros for the storage cells r that
          // hold no output), written by one copy; the differences y(X^L) − x(X) are never committed: the range block
          // reads them as a difference source (`SegmentMaxBlock`, `blocks/segment-max.ts`).
          const x = newWire(`${out}/candidates`, { rows: 1, length: M * L });
          permute(x, (f) => {
            const o = tensorIndex(lo, f % M);
            return o !== undefined ? resolve(op.input, o * L + Math.floor(f / M)) : { constant: 0n };
          });
          add(new SegmentMaxBlock({ candidates: L, outputs: M, bits }), { x, y: out });
          ranged.push({ input: x, rows: 1, domain: M * L, length: M * L, lo: 0n, bits, difference: { minuend: out, power: L } });
          return;
        }
        const flat = held !== undefined || ((L > 2 || lo.padded !== undefined) && lo.rows === 1 && flatDimension(M) && M * K <= MAX_FLAT_ROW);
        if (lo.padded && !flat) throw new BlockGraphError(`node "${op.node}": a max over ${L} candidates cannot write the padded stride of "${out}"`);
        if (flat) {
          const x = held ?? newWire(`${out}/candidates`, { rows: 1, length: M * K });
          if (!held)
            permute(x, (f) => {
              const o = tensorIndex(lo, Math.floor(f / K));
              return f % K < L && o !== undefined ? resolve(op.input, o * L + (f % K)) : { constant: 0n };
            });
          const d = newWire(`${out}/differences`, { rows: 1, length: M * K });
          add(new MaxBlock({ flat: true, candidates: L, rows: M, domain: K, bits }), { x, y: out, d });
          rangeCheck(d, { rows: 1, length: M * K }, 0n, bits);
          if (held !== undefined && !lo.padded && tensorCells(lo) === M) maxDifferences.set(op.out, { d, input: op.input, L });
          return;
        }
        const m = lo.rows;
        const x = newWire(`${out}/candidates`, { rows: L * m, length: lo.length });
        permute(x, (f) => {
          const row = Math.floor(f / lo.length);
          const [j, i, c] = [Math.floor(row / m), row % m, f % lo.length];
          return resolve(op.input, (i * lo.length + c) * L + j);
        });
        const d = newWire(`${out}/differences`, { rows: L * m, length: lo.length });
        add(new MaxBlock({ candidates: L, rows: m, domain: rowDomain(lo.length), length: lo.length, bits }), { x, y: out, d });
        rangeCheck(d, { rows: L * m, length: lo.length }, 0n, bits);
        return;
      }
    }
  }

  /**
   * `C = W ⊛ x` proven in place ({@link inPlaceConvolution}): one `ConvolutionBlock` reads x in its 2-D layout at one
   * rotation per tap and writes C in its own, with W's columns reordered tap-major (column t·cin + c holds the
   * quantizer's column c·kh·kw + t, tap t of channel c); no patch matrix is committed or copied. The block proves x's
   * padding zero, so x is read through a copy (which writes zeros there) unless its own padding is zero by
   * construction ({@link zeroPadded}).
   */
  function lowerConvolution(op: Extract<QOp, { kind: 'matmul' }>, conv: InPlaceConvolution): void {
    const { m, k } = op;
    const { geometry } = conv;
    const [kh, kw] = geometry.kernel;
    const [top, left, bottom, right] = geometry.pads;
    const cin = geometry.channels;
    const taps = kh * kw;
    const w = `${g(op.a)}^taps`;
    declare(w, 'weight', { rows: m, length: k });
    layoutOfGlobal.set(w, { rows: m, length: k });
    const data = constants.get(op.a)!;
    weights[w] = Array.from({ length: m }, (_, c) => Array.from({ length: k }, (_, j) => data[c * k + (j % cin) * taps + Math.floor(j / cin)]));
    const source = g(conv.input);
    const x = sameLayout(lay(conv.input), conv.x) && !zeroPadded(conv.input) ? copyOf(source, conv.x) : readAs(source, conv.x);
    const c = writeAs(g(op.out), conv.c);
    const layout = { inChannels: cin, outChannels: m, height: geometry.height, width: geometry.width, kernelHeight: kh, kernelWidth: kw, pads: { top, left, bottom, right } };
    add(new ConvolutionBlock({ ...layout, rowStride: conv.rowStride, channelRows: conv.channelStride / conv.rowStride }), { w, x, c: c.target });
    c.finish();
  }

  /**
   * Whether the honest values of quantized tensor t are zero in every padding cell of its layout: a model input
   * (the statement's rows hold zeros there), a copy or a max pool's output (their copies write zeros), a product's
   * output (the blocks prove C's padding zero), and the cellwise ops that map zeros to zero: a sum or difference of
   * such tensors, a scale, a rescale (`⌊(0 + 2^(k−1))/2^k⌋ = 0`), `max(x, c)` with c ≤ 0. Anything else (a lookup, a
   * ReLU with c > 0) may hold other values there, so a block that needs zeros reads it through a copy.
   */
  function zeroPadded(t: TensorId): boolean {
    const writer = producers.get(t);
    if (!writer) return q.tensors[t].role === 'input';
    switch (writer.kind) {
      case 'matmul':
        return true;
      case 'permute':
        return !aliased.has(g(t)) || zeroPadded(writer.inputs[0]);
      case 'max': {
        const x = constantPairsOf(q, writer);
        const pairs = x === undefined ? undefined : producers.get(writer.input);
        return x === undefined || (pairs?.kind === 'permute' && pairs.fill <= 0n && zeroPadded(x));
      }
      case 'add':
      case 'sub':
        return zeroPadded(writer.a) && zeroPadded(writer.b);
      case 'scale':
        return zeroPadded(writer.a);
      case 'rescale':
        return zeroPadded(writer.input);
      default:
        return false;
    }
  }

  /** A fresh copy of `id` in layout `l` (zeros in its padding), even when `id` is laid out so already. */
  function copyOf(id: string, l: Layout): string {
    const w = newWire(id, l);
    permute(w, (flat) => ({ tensor: id, flat }));
    return w;
  }

  /**
   * `C_t = A·W_t` for the flat weight products of one A ({@link productsOfOneA}): one `MatmulBlock` with T products,
   * which reads A once and writes each C_t flat, where the ops that read C_t find it.
   */
  function lowerProductsOfOneA(ops: readonly Extract<QOp, { kind: 'matmul' }>[]): void {
    const { m, k, n } = ops[0];
    const bind: Record<string, string> = { a: readAs(g(ops[0].a), { rows: 1, length: m * k }) };
    const outputs = ops.map((op, t) => {
      const names = productTensors(t);
      bind[names.weights] = transposedOperand(op.b, k, n);
      const w = writeAs(g(op.out), { rows: 1, length: m * n });
      bind[names.output] = w.target;
      return w;
    });
    add(new MatmulBlock({ m, k, n, fixedB: true, innerDomain: rowDomain(k), outerDomain: rowDomain(n), flat: true, products: ops.length }), bind);
    for (const w of outputs) w.finish();
  }

  /**
   * `batch` independent products `C_b = A_b·B_b` (A [batch, m, k], B [batch, k, n]): per product, copies of
   * `A_b` and `B_bᵀ` as rows, one matmul block, and one copy that lays every `C_b` into the output.
   */
  function lowerBatchedMatmul(op: Extract<QOp, { kind: 'matmul' }>): void {
    const { batch, m, k, n } = op;
    const out = g(op.out);
    if (isConstant(q, op.a) || !op.bBatched)
      throw new BlockGraphError(`node "${op.node}": a batched matmul needs run-time operands A [batch, m, k] and B [batch, k, n]`);
    const fixedB = isConstant(q, op.b);
    const products: string[] = [];
    for (let p = 0; p < batch; p++) {
      const a = newWire(`${out}/a${p}`, { rows: m, length: k });
      permute(a, (f) => resolve(op.a, p * m * k + f));
      let bT: string;
      if (fixedB) {
        bT = `${g(op.b)}^T${p}`;
        declare(bT, 'weight', { rows: n, length: k });
        layoutOfGlobal.set(bT, { rows: n, length: k });
        const data = q.tensors[op.b].data!;
        weights[bT] = Array.from({ length: n }, (_, j) => Array.from({ length: k }, (_, i) => data[p * k * n + i * n + j]));
      } else {
        bT = newWire(`${out}/bT${p}`, { rows: n, length: k });
        permute(bT, (f) => resolve(op.b, p * k * n + (f % k) * n + Math.floor(f / k)));
      }
      const c = newWire(`${out}/c${p}`, { rows: m, length: n });
      add(new MatmulBlock({ m, k, n, fixedB, innerDomain: rowDomain(k), outerDomain: rowDomain(n) }), { a, b: bT, c });
      products.push(c);
    }
    permute(out, (f) => ({ tensor: products[Math.floor(f / (m * n))], flat: f % (m * n) }));
  }

  /**
   * The committed tensor a flat matmul reads its run-time right operand b (k×n, cell (j, l) at j·n + l) from, when
   * one flat row of n·k cells (k, n powers of two: no padding) holds every cell of b, through deferred permutations,
   * in one of the orders of `MatmulBlock`'s flat B: (j, l) at `l·k + j` (row-major: `Kᵀ` of a flat K) or at
   * `j·n + l` (column-major: a flat V itself). Otherwise undefined, and b is read through a transposing copy.
   */
  function flatOperand(b: TensorId, k: number, n: number): { tensor: string; order: FlatOperandOrder } | undefined {
    const first = resolve(b, 0);
    if (!('tensor' in first)) return undefined;
    const l = layoutOfGlobal.get(first.tensor)!;
    if (l.rows !== 1 || l.length !== n * k || l.padded || first.tensor in weights) return undefined;
    const holds = (index: (j: number, c: number) => number) => {
      for (let j = 0; j < k; j++)
        for (let c = 0; c < n; c++) {
          const src = resolve(b, j * n + c);
          if (!('tensor' in src) || src.tensor !== first.tensor || src.flat !== index(j, c)) return false;
        }
      return true;
    };
    if (holds((j, c) => c * k + j)) return { tensor: first.tensor, order: 'row-major' };
    if (holds((j, c) => j * n + c)) return { tensor: first.tensor, order: 'column-major' };
    return undefined;
  }

  /** The rows of Bᵀ for B [k, n]: a transposed weight, or a transposing permutation of an activation. */
  function transposedOperand(b: TensorId, k: number, n: number): string {
    const t = q.tensors[b];
    const src = g(b);
    const id = `${src}^T`;
    if (isConstant(q, b)) {
      declare(id, 'weight', { rows: n, length: k });
      layoutOfGlobal.set(id, { rows: n, length: k });
      const data = t.data!;
      weights[id] = Array.from({ length: n }, (_, j) => Array.from({ length: k }, (_, i) => data[i * n + j]));
      return id;
    }
    const w = newWire(id, { rows: n, length: k });
    permute(w, (f) => resolve(b, (f % k) * n + Math.floor(f / k)));
    return w;
  }

  for (const { table, sources } of lookups.values()) {
    const bind: Record<string, string> = {};
    const renamed = sources.map((s, i) => {
      bind[`x${i}`] = s.input;
      if (s.output) bind[`y${i}`] = s.output;
      return { ...s, input: `x${i}`, output: s.output ? `y${i}` : undefined };
    });
    nodes.push({ block: new LookupBlock(table, renamed), bind });
  }

  if (ranged.length > 0) {
    // One table for every range check: as wide as the widest (a narrower source looks up a scaled copy in-column).
    const tableBits = Math.max(1, ...ranged.map((s) => s.bits ?? 0));
    const bind: Record<string, string> = {};
    const renamed = ranged.map((s, i): RangeSource => {
      bind[`x${i}`] = s.input;
      if (s.difference) bind[`y${i}`] = s.difference.minuend;
      const difference = s.difference ? { difference: { minuend: `y${i}`, power: s.difference.power } } : {};
      return { input: `x${i}`, rows: s.rows, domain: s.domain, length: s.length, ...(s.lo ? { lo: s.lo } : {}), ...(s.bits! < tableBits ? { bits: s.bits } : {}), ...difference };
    });
    nodes.push({ block: new RangeBlock(2 ** tableBits, renamed), bind });
  }

  // Weight tensors a weight-only transposition replaced are not read by any block: drop them.
  const touched = new Set(nodes.flatMap((nd) => Object.values(nd.bind)));
  const skipped = new Set([...[...deferred.keys()].map(g), ...aliased, ...unwritten, ...[...summedProducts.keys()].map(g), ...[...broadcastSums.keys()].map(g)]);
  const kept = tensors.filter((t) => !skipped.has(t.id) && (t.kind !== 'weight' || touched.has(t.id)));
  for (const t of tensors) if (!kept.includes(t)) delete weights[t.id];
  // Lookup and range blocks come last: they read tensors written anywhere in the graph.
  const graph = { tensors: kept, nodes };
  checkRangesProven(graph, ranges, new Map(ranges.map((r) => [r.id, layoutOfGlobal.get(r.id)!.length])));
  return { graph, tensorIds: ids, layouts, weights, layers, ranges };
}
