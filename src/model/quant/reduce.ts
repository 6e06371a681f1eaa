/**
 * Quantizers of the reductions beyond sums and means (ReduceMax/Min/L1/L2/SumSquare/LogSum/LogSumExp, ArgMax, TopK,
 * ArgMin, GlobalMaxPool), of LogSoftmax, and of the variadic elementwise ops (Max, Min, Sum, Mean). Every one
 * moves the reduced axes last (a permute) and uses row sums and row maxima; the only tables are the calibrated
 * sqrt/log of ReduceL2/ReduceLogSum and the clamped exp and exact-domain log of the log-sum-exp.
 * @module
 */
import { QuantizationError } from '../errors';
import type { GraphNode } from '../graph';
import type { Op, ReduceOpType, VariadicOpType } from '../op';
import type { QuantContext } from './context';
import { reduceLayoutMap } from '../index-map';
import { divideRows, reductionRows } from './movement';
import { partialLookup, saturatingLookup, widenRange } from './nonlinear-steps';
import { perRow } from './normalize';
import type { TensorId } from './qmodel';
import { scaleForRange } from './rounding';
import { SATURATING } from './tables';

/** Max, Min, Sum, Mean of broadcast inputs: aligned to the largest scale (constants quantized at it), then combined. */
export function quantizeVariadic(ctx: QuantContext, node: GraphNode, type: VariadicOpType): TensorId {
  const { e } = ctx;
  const out = ctx.shape(node.output);
  const runtime = node.inputs.filter((n) => !ctx.isConst(n));
  const s = Math.max(...runtime.map((n) => e.t(ctx.value(n)).scale));
  const operands = node.inputs.map((n) => {
    if (!ctx.isConst(n)) return e.broadcast(node.name, e.alignTo(node.name, ctx.value(n), s), out);
    const c = ctx.constant(n);
    return e.broadcast(node.name, ctx.quantConst(`${node.name}/${n}`, c.shape, c.data, s), out);
  });
  // Max, Min and Sum end at a rescale to the output's calibrated scale, like every requantized activation: the
  // proof range-checks the result there and later bounds start from that range (a Sum of k inputs would otherwise
  // carry k times its inputs' bound on, and Max/Min their inputs' scale instead of their own).
  if (type === 'Max') return ctx.requantize(node, e.maxOf(node.name, operands, `${node.output}#max`));
  if (type === 'Min') {
    const negated = operands.map((id, i) => e.negate(node.name, id, `${node.output}#neg${i}`));
    return ctx.requantize(node, e.negate(node.name, e.maxOf(node.name, negated, `${node.output}#max`), `${node.output}#min`));
  }
  const sum = operands.slice(1).reduce((acc, id, i) => e.emit(node.name, `${node.output}#sum${i}`, out, s, { kind: 'add', a: acc, b: id }), operands[0]);
  return type === 'Sum' ? ctx.requantize(node, sum) : divideRows(ctx, node, sum, [operands.length], out);
}

/**
 * Row log-sum-exp of rows [R, L] at scale s_x: m = rowmax, d = x − m ≤ 0, e = T_exp(d) clamped (scale s_e),
 * S = Σ e ∈ [2^s_e, L·2^s_e] (the maximum contributes exactly 2^s_e), rescaled by k bits to fit the table, and
 * lse = T_log(S) = log(S / 2^s_e) ∈ [0, log L] on that exact domain: no calibration involved.
 */
function logSumExpRows(ctx: QuantContext, node: GraphNode, xr: TensorId, rows: number, len: number): { m: TensorId; d: TensorId; lse: TensorId } {
  const { e, opts } = ctx;
  const sx = e.t(xr).scale;
  const m = e.emit(node.name, `${node.output}#max`, [rows], sx, { kind: 'max', input: xr });
  const d = e.emit(node.name, `${node.output}#shifted`, [rows, len], sx, { kind: 'sub', a: xr, b: perRow(ctx, node, m, rows, len, `${node.output}#max@rows`) });
  const se = opts.activationBits - 2;
  const ex = saturatingLookup(ctx, node, d, SATURATING.exp, se, `${node.output}#exp`);
  const sum = e.emit(node.name, `${node.output}#sumexp`, [rows], se, { kind: 'sum', input: ex });
  const entries = 2 ** opts.tableBits;
  let k = 0;
  while ((len - 1) * 2 ** (se - k) + 1 > entries) k++;
  if (k > se) throw new QuantizationError(`node "${node.name}": rows of ${len} values are too long for ${opts.tableBits}-bit tables`, node.output);
  const sumK = e.rescaleTo(node.name, sum, se - k);
  const sl = scaleForRange(Math.log(len), opts.activationBits, 30);
  const log = { fn: 'log', f: Math.log, inputScale: se - k, outputScale: sl, lo: 1n << BigInt(se - k), hi: BigInt(len) << BigInt(se - k), maxEntries: entries };
  return { m, d, lse: e.lookup(node.name, sumK, log, `${node.output}#lse`) };
}

/** LogSoftmax = (x − m) − log Σ e^(x − m) along the axis (all axes from `axis` on before opset 13). */
export function quantizeLogSoftmax(ctx: QuantContext, node: GraphNode, op: Extract<Op, { type: 'LogSoftmax' }>): TensorId {
  const { e } = ctx;
  const x = ctx.value(node.inputs[0]);
  const rank = e.t(x).shape.length;
  const axes = op.coerce2d ? [...Array(rank).keys()].slice(op.axis) : [op.axis];
  const { rows, outer, inner, restore } = reductionRows(ctx, node, x, axes);
  const { d, lse } = logSumExpRows(ctx, node, rows, outer, inner);
  const s = Math.max(e.t(d).scale, e.t(lse).scale);
  const spread = perRow(ctx, node, e.alignTo(node.name, lse, s), outer, inner, `${node.output}#lse@rows`);
  const y = e.emit(node.name, `${node.output}#rows-out`, [outer, inner], s, { kind: 'sub', a: e.alignTo(node.name, d, s), b: spread });
  return restore(ctx.requantize(node, y), node.output);
}

/**
 * The table domain of a lookup that produces the node's output `y = f(v)` (f monotone, `finv` its inverse): the
 * output's calibrated range widened by the margin **in output space**, as for every activation (the values a
 * compiled model accepts are margin × what calibration saw, of the output itself), then mapped back to v. A
 * margin applied to v instead would be a different one: √m for ReduceL2 (v is a sum of squares), an additive
 * log m for ReduceLogSum.
 */
function domainForOutput(ctx: QuantContext, node: GraphNode, finv: (y: number) => number): [number, number] {
  const [a, b] = widenRange(ctx.calibrated(node, node.output), ctx.opts.margin);
  return [finv(a), finv(b)].sort((u, v) => u - v) as [number, number];
}

/** The reductions other than ReduceSum and ReduceMean, and GlobalMaxPool. */
export function quantizeReduction(ctx: QuantContext, node: GraphNode, type: Exclude<ReduceOpType, 'ReduceSum' | 'ReduceMean'>, axes: readonly number[]): TensorId {
  const { e } = ctx;
  const x0 = ctx.value(node.inputs[0]);
  const out = ctx.shape(node.output);
  const s = e.t(x0).scale;
  if (type === 'ReduceMax' || type === 'ReduceMin') {
    const x = type === 'ReduceMin' ? e.negate(node.name, x0, `${node.output}#neg`) : x0;
    const { rows } = reductionRows(ctx, node, x, axes);
    const m = e.emit(node.name, type === 'ReduceMin' ? `${node.output}#max` : node.output, out, s, { kind: 'max', input: rows });
    return type === 'ReduceMin' ? e.negate(node.name, m, node.output) : m;
  }
  if (type === 'ReduceLogSumExp') {
    const { rows, outer, inner } = reductionRows(ctx, node, x0, axes);
    const { m, lse } = logSumExpRows(ctx, node, rows, outer, inner);
    const sc = Math.max(s, e.t(lse).scale);
    const y = e.emit(node.name, `${node.output}#lse`, [outer], sc, { kind: 'add', a: e.alignTo(node.name, m, sc), b: e.alignTo(node.name, lse, sc) });
    return e.reshape(node.name, ctx.requantize(node, y), out, node.output);
  }
  if (type === 'ReduceL1') {
    const { rows } = reductionRows(ctx, node, e.abs(node.name, x0, `${node.output}#abs`), axes);
    return ctx.requantize(node, e.emit(node.name, `${node.output}#sum`, out, s, { kind: 'sum', input: rows }));
  }
  if (type === 'ReduceLogSum') {
    const { rows } = reductionRows(ctx, node, x0, axes);
    const sum = e.emit(node.name, `${node.output}#sum`, out, s, { kind: 'sum', input: rows });
    return partialLookup(ctx, node, sum, 'log', Math.log, domainForOutput(ctx, node, Math.exp), node.output);
  }
  // ReduceSumSquare and ReduceL2: exact squares at scale 2s, row sums; L2 takes a calibrated square root.
  const sq = e.emit(node.name, `${node.output}#sq`, e.t(x0).shape, 2 * s, { kind: 'hadamard', a: x0, b: x0 });
  const { rows } = reductionRows(ctx, node, sq, axes);
  const sum = e.emit(node.name, `${node.output}#ssq`, out, 2 * s, { kind: 'sum', input: rows });
  if (type === 'ReduceSumSquare') return ctx.requantize(node, sum);
  return partialLookup(ctx, node, sum, 'sqrt', Math.sqrt, domainForOutput(ctx, node, (y) => Math.max(0, y) ** 2), node.output);
}

/**
 * Ranks the maxima of rows [R, L] (scale 0 results): with m the row maximum, d = m − x ≥ 0 and z = 1 − min(d, 1)
 * marks the maxima; `ranked` = z ∘ w with w_j = L − j (first maximum highest) or j + 1 (`last`), `best` its row maximum.
 */
function rankMaxima(ctx: QuantContext, node: GraphNode, rows: TensorId, outer: number, inner: number, last: boolean, name = node.output): { max: TensorId; ranked: TensorId; best: TensorId } {
  const { e } = ctx;
  const s = e.t(rows).scale;
  const m = e.emit(node.name, `${name}#max`, [outer], s, { kind: 'max', input: rows });
  const d = e.emit(node.name, `${name}#gap`, [outer, inner], s, { kind: 'sub', a: perRow(ctx, node, m, outer, inner, `${name}#max@rows`), b: rows });
  const capped = e.relabel(node.name, e.clamp(node.name, d, 0n, 1n, `${name}#capped`), 0, `${name}#capped0`);
  const isMax = e.emit(node.name, `${name}#is-max`, [outer, inner], 0, { kind: 'sub', a: e.fill(node.name, 1n, 0, [outer, inner], `${name}/one`), b: capped });
  const weights = Array.from({ length: inner }, (_, j) => BigInt(last ? j + 1 : inner - j));
  const w = e.broadcast(node.name, e.constant(`${name}/positions`, [inner], 0, 'public', weights), [outer, inner]);
  const ranked = e.emit(node.name, `${name}#ranked`, [outer, inner], 0, { kind: 'hadamard', a: isMax, b: w });
  return { max: m, ranked, best: e.emit(node.name, `${name}#best`, [outer], 0, { kind: 'max', input: ranked }) };
}

/**
 * The one-hot of the first maximum of each row: [best − ranked = 0] (only that cell has the best rank; every other
 * cell is behind by 1 … L). A lookup in the table of v ↦ [v = 0] over [0, L] proves it and bounds it to {0, 1},
 * which a later product needs (the interval of a clamp would keep its input's width).
 */
function firstMaximum(ctx: QuantContext, node: GraphNode, ranked: TensorId, best: TensorId, outer: number, inner: number, name: string): TensorId {
  const { e } = ctx;
  const behind = e.emit(node.name, `${name}#behind`, [outer, inner], 0, { kind: 'sub', a: perRow(ctx, node, best, outer, inner, `${name}#best@rows`), b: ranked });
  return e.lookup(node.name, behind, { fn: `is-zero(L=${inner})`, f: (v: number) => (v === 0 ? 1 : 0), inputScale: 0, outputScale: 0, lo: 0n, hi: BigInt(inner), maxEntries: inner + 1 }, name);
}

/** Largest k of a TopK (each round doubles the width of the rows' interval; 2^16 values times 2^32 stays far inside the blocks' 64 bits). */
const MAX_TOPK_ROUNDS = 32;

/**
 * TopK along an axis of length L, in k rounds over rows [R, L] (of −x for the smallest): round t takes each row's
 * maximum and its first position (index L − best, see {@link rankMaxima}), then lowers that cell below every value
 * (cur + hot ∘ (low − cur)) so that round t + 1 finds the next one. Equal values come out lower index first, as
 * ONNX asks. Every step is exact, so values and indices are those of the quantized input.
 */
export function quantizeTopK(ctx: QuantContext, node: GraphNode, op: Extract<Op, { type: 'TopK' }>): TensorId {
  const { e } = ctx;
  // Each round lowers one cell below the row's lower bound, which widens the rows' interval twofold.
  if (op.k > MAX_TOPK_ROUNDS) ctx.unsupported(node, `k = ${op.k} is more than the ${MAX_TOPK_ROUNDS} rounds of row maxima TopK is built from`);
  const x0 = ctx.value(node.inputs[0]);
  const x = op.largest ? x0 : e.negate(node.name, x0, `${node.output}#neg`);
  const { rows, outer, inner } = reductionRows(ctx, node, x, [op.axis]);
  const s = e.t(rows).scale;
  const picked: TensorId[] = [];
  let cur = rows;
  for (let t = 0; t < op.k; t++) {
    const name = `${node.output}#round${t}`;
    const { max, ranked, best } = rankMaxima(ctx, node, cur, outer, inner, false, name);
    picked.push(op.output === 'values' ? max : e.emit(node.name, `${name}#index`, [outer], 0, { kind: 'sub', a: e.fill(node.name, BigInt(inner), 0, [outer], `${name}/length`), b: best }));
    if (t === op.k - 1) break;
    const hot = firstMaximum(ctx, node, ranked, best, outer, inner, `${name}#hot`);
    const low = e.fill(node.name, e.t(cur).bound.lo - 1n, s, [outer, inner], `${name}/low`);
    const drop = e.emit(node.name, `${name}#drop`, [outer, inner], s, { kind: 'sub', a: low, b: cur });
    const lowered = e.emit(node.name, `${name}#lowered`, [outer, inner], s, { kind: 'hadamard', a: hot, b: drop });
    cur = e.emit(node.name, `${name}#rest`, [outer, inner], s, { kind: 'add', a: cur, b: lowered });
  }
  // Rows [R, k] (round t of row r from part t), then the selected axis back in place.
  const out = ctx.shape(node.output);
  const layout = reduceLayoutMap(out, [op.axis]).map;
  const map = new Int32Array(outer * op.k);
  for (let r = 0; r < outer; r++) for (let t = 0; t < op.k; t++) map[layout[r * op.k + t]] = t * outer + r;
  const gathered = e.permute(node.name, `${node.output}#gathered`, picked, map, out);
  if (op.output === 'indices') return gathered;
  return op.largest ? gathered : e.negate(node.name, gathered, `${node.output}#values`);
}

/**
 * ArgMax / ArgMin as an integer at scale 0, exact (of −x for ArgMin): the first index is L − best, the last
 * best − 1 (see {@link rankMaxima}).
 */
export function quantizeArgExtreme(ctx: QuantContext, node: GraphNode, op: Extract<Op, { type: 'ArgMax' | 'ArgMin' }>): TensorId {
  const { e } = ctx;
  const x0 = ctx.value(node.inputs[0]);
  const x = op.type === 'ArgMin' ? e.negate(node.name, x0, `${node.output}#neg`) : x0;
  const { rows, outer, inner } = reductionRows(ctx, node, x, [op.axis]);
  const { best } = rankMaxima(ctx, node, rows, outer, inner, op.selectLastIndex);
  const index = op.selectLastIndex
    ? e.emit(node.name, `${node.output}#index`, [outer], 0, { kind: 'add', a: best, b: e.fill(node.name, -1n, 0, [outer], `${node.output}/minus-one`) })
    : e.emit(node.name, `${node.output}#index`, [outer], 0, { kind: 'sub', a: e.fill(node.name, BigInt(inner), 0, [outer], `${node.output}/length`), b: best });
  return e.reshape(node.name, index, ctx.shape(node.output), node.output);
}

/**
 * Hardmax: 1 at the first maximum of each row, 0 elsewhere, exact: the first maximum is the one cell whose rank
 * (L − j) equals the row's best rank, so the result is 1 − min(best − ranked, 1) (ranks of other cells are lower).
 */
export function quantizeHardmax(ctx: QuantContext, node: GraphNode, op: Extract<Op, { type: 'Hardmax' }>): TensorId {
  const { e } = ctx;
  const x = ctx.value(node.inputs[0]);
  const rank = e.t(x).shape.length;
  const axes = op.coerce2d ? [...Array(rank).keys()].slice(op.axis) : [op.axis];
  const { rows, outer, inner, restore } = reductionRows(ctx, node, x, axes);
  const { ranked, best } = rankMaxima(ctx, node, rows, outer, inner, false);
  return restore(firstMaximum(ctx, node, ranked, best, outer, inner, `${node.output}#hot`), node.output);
}
