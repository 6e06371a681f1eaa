/**
 * Quantizers of Softmax, LayerNormalization and MeanVarianceNormalization (see docs/quantization.md for the derivations).
 * @module
 */
import { QuantizationError } from '../errors';
import type { GraphNode } from '../graph';
import { transposeMap } from '../index-map';
import type { Op } from '../op';
import { sizeOf, type Shape } from '../shape';
import type { QuantContext } from './context';
import type { TensorId } from './qmodel';
import type { Tensor } from '../tensor';
import { reductionRows } from './movement';
import { saturatingLookup } from './nonlinear-steps';
import { SATURATING } from './tables';
import { channelParamIndex } from '../float/normalize';

/** A parameter covering the whole normalized block is used as one row of length `len`. */
function flatIf(shape: Shape, len: number): Shape {
  return sizeOf(shape) === len ? [len] : shape;
}

/** Broadcasts a per-row tensor [R] to [R, L] (each row value repeated L times). */
export function perRow(ctx: QuantContext, node: GraphNode, id: TensorId, rows: number, len: number, name: string): TensorId {
  const map = new Int32Array(rows * len);
  for (let i = 0; i < map.length; i++) map[i] = Math.floor(i / len);
  return ctx.e.permute(node.name, name, [id], map, [rows, len]);
}

/**
 * Softmax over rows of length L:
 * d = x − rowmax(x) (≤ 0); e = T_exp(max(d, −c)) at scale s_e; S = Σ e ∈ [2^s_e, L·2^s_e];
 * r = T_recip(rescale(S, k)) at scale s_r (k chosen so the exact domain fits the table); y = e ∘ r, rescaled.
 */
export function quantizeSoftmax(ctx: QuantContext, node: GraphNode, op: Extract<Op, { type: 'Softmax' }>): TensorId {
  const { e, opts } = ctx;
  const x0 = ctx.value(node.inputs[0]);
  const shape = e.t(x0).shape;
  const last = op.coerce2d || op.axis === shape.length - 1;
  const perm = last ? undefined : [...shape.keys()].filter((i) => i !== op.axis).concat([op.axis]);
  const moved: Shape = perm ? perm.map((p) => shape[p]) : shape;
  const x = perm ? e.permute(node.name, `${node.output}#axis-last`, [x0], transposeMap(shape, perm), moved) : x0;
  const len = op.coerce2d ? sizeOf(shape.slice(op.axis)) : shape[op.axis];
  const rows = sizeOf(shape) / len;
  const xr = e.reshape(node.name, x, [rows, len], `${node.output}#rows`);
  const sx = e.t(xr).scale;
  const m = e.emit(node.name, `${node.output}#max`, [rows], sx, { kind: 'max', input: xr });
  const d = e.emit(node.name, `${node.output}#shifted`, [rows, len], sx, { kind: 'sub', a: xr, b: perRow(ctx, node, m, rows, len, `${node.output}#max@rows`) });
  const se = opts.activationBits - 2;
  const ex = saturatingLookup(ctx, node, d, SATURATING.exp, se, `${node.output}#exp`);
  const sum = e.emit(node.name, `${node.output}#sum`, [rows], se, { kind: 'sum', input: ex });
  // S ∈ [2^se, L·2^se] exactly (the row maximum contributes T_exp(0) = 2^se); shrink by k bits to fit the table.
  const entries = 2 ** opts.tableBits;
  let k = 0;
  while ((len - 1) * 2 ** (se - k) + 1 > entries) k++;
  if (k > se) throw new QuantizationError(`node "${node.name}": softmax rows of ${len} values are too long for ${opts.tableBits}-bit tables`, node.output);
  const sumK = e.rescaleTo(node.name, sum, se - k);
  const sr = opts.activationBits - 1;
  const recip = { fn: 'reciprocal', f: (v: number) => 1 / v, inputScale: se - k, outputScale: sr, lo: 1n << BigInt(se - k), hi: BigInt(len) << BigInt(se - k), maxEntries: entries };
  const r = e.lookup(node.name, sumK, recip, `${node.output}#recip`);
  const y = e.emit(node.name, `${node.output}#prob`, [rows, len], se + sr, { kind: 'hadamard', a: ex, b: perRow(ctx, node, r, rows, len, `${node.output}#recip@rows`) });
  const ys = ctx.requantize(node, y);
  const yShaped = e.reshape(node.name, ys, moved, `${node.output}#shaped`);
  if (!perm) return yShaped;
  const inverse = perm.map((_, i) => perm.indexOf(i));
  return e.permute(node.name, node.output, [yShaped], transposeMap(moved, inverse), shape);
}

/**
 * Normalizes rows [R, L] of x: c = L·x − Σx = L(x − mean) (exact); v = Σ c² = L³·var (scale 2s_x);
 * r = T_rsqrt(rescale(v, k)) where T(w) = 1/(L·√(w/L³ + ε)); z = c ∘ r = (x − mean)/√(var + ε), returned at the
 * largest scale that keeps |z| ≤ √L within activationBits signed bits. The table's domain comes from the node's
 * calibrated `variance` widened by margin².
 */
function normalizedRows(ctx: QuantContext, node: GraphNode, x: TensorId, rows: number, len: number, epsilon: number): TensorId {
  const { e, opts } = ctx;
  const sx = e.t(x).scale;
  const total = e.emit(node.name, `${node.output}#sum`, [rows], sx, { kind: 'sum', input: x });
  const xl = e.scale(node.name, x, BigInt(len), sx);
  const c = e.emit(node.name, `${node.output}#centered`, [rows, len], sx, { kind: 'sub', a: xl, b: perRow(ctx, node, total, rows, len, `${node.output}#sum@rows`) });
  const sq = e.emit(node.name, `${node.output}#sq`, [rows, len], 2 * sx, { kind: 'hadamard', a: c, b: c });
  const v = e.emit(node.name, `${node.output}#ssq`, [rows], 2 * sx, { kind: 'sum', input: sq });
  const varMax = ctx.calibrated(node, node.output, 'variance').max;
  const vMax = len ** 3 * varMax * opts.margin ** 2 * 2 ** (2 * sx);
  const entries = 2 ** opts.tableBits;
  const k = Math.max(0, Math.ceil(Math.log2((vMax + 1) / (entries - 1))));
  const vk = e.rescaleTo(node.name, v, 2 * sx - k);
  const inScale = 2 * sx - k;
  const hi = BigInt(Math.min(entries - 1, Math.ceil(vMax / 2 ** k)));
  const rsqrt = (w: number) => 1 / (len * Math.sqrt(w / len ** 3 + epsilon));
  // Keep activationBits − 4 significant bits at the largest calibrated variance, where r is smallest.
  const sr = opts.activationBits - 4 - Math.floor(Math.log2(rsqrt(Number(hi) * 2 ** -inScale)));
  const r = e.lookup(node.name, vk, { fn: `rsqrt_ln(L=${len},eps=${epsilon})`, f: rsqrt, inputScale: inScale, outputScale: sr, lo: 0n, hi, maxEntries: entries }, `${node.output}#rsqrt`);
  const z = e.emit(node.name, `${node.output}#normalized`, [rows, len], sx + sr, { kind: 'hadamard', a: c, b: perRow(ctx, node, r, rows, len, `${node.output}#rsqrt@rows`) });
  return e.rescaleTo(node.name, z, opts.activationBits - 1 - Math.ceil(Math.log2(Math.sqrt(len))));
}

/**
 * LayerNormalization over rows of length L (the axes from `axis` on): z = (x − mean)/√(var + ε) as in
 * {@link normalizedRows}, then y = z ∘ γ + β, rescaled.
 */
export function quantizeLayerNorm(ctx: QuantContext, node: GraphNode, op: Extract<Op, { type: 'LayerNormalization' }>): TensorId {
  const { e } = ctx;
  const [xn, gn, bn] = node.inputs;
  if (!ctx.isConst(gn) || (bn && !ctx.isConst(bn))) ctx.unsupported(node, 'scale and bias must be constants');
  const x0 = ctx.value(xn);
  const shape = e.t(x0).shape;
  const normShape = shape.slice(op.axis);
  const len = sizeOf(normShape) / (op.groups ?? 1);
  const rows = sizeOf(shape) / len;
  const zs = normalizedRows(ctx, node, e.reshape(node.name, x0, [rows, len], `${node.output}#rows`), rows, len, op.epsilon);
  // Per-channel or per-group parameters (InstanceNormalization, GroupNormalization) become a constant per row
  // (a row is one channel) or per cell of the [rows, len] layout (a row spans several channels).
  const groups = rows / shape[0];
  const at = (t: Tensor, r: number, i: number) => t.data[channelParamIndex(r, i, len, shape[1], groups, op.perGroup ?? false)];
  const param = (t: Tensor): Tensor => {
    if (!op.perChannel && !op.perGroup) return { shape: flatIf(t.shape, len), data: t.data };
    if (op.groups === undefined) return { shape: [rows, 1], data: Float64Array.from({ length: rows }, (_, r) => at(t, r, 0)) };
    return { shape: [rows, len], data: Float64Array.from({ length: rows * len }, (_, k) => at(t, Math.floor(k / len), k % len)) };
  };
  const gamma = param(ctx.constant(gn));
  const sg = ctx.weightScale(gamma.data);
  const g = e.broadcast(node.name, ctx.quantConst(`${node.name}/scale`, gamma.shape, gamma.data, sg), [rows, len]);
  const s = e.t(zs).scale + sg;
  let y = e.emit(node.name, `${node.output}#scaled`, [rows, len], s, { kind: 'hadamard', a: zs, b: g });
  if (bn) {
    const beta = param(ctx.constant(bn));
    const b = e.broadcast(node.name, ctx.quantConst(`${node.name}/bias`, beta.shape, beta.data, s), [rows, len]);
    y = e.emit(node.name, `${node.output}#shifted`, [rows, len], s, { kind: 'add', a: y, b });
  }
  return e.reshape(node.name, ctx.requantize(node, y), shape, node.output);
}

/**
 * MeanVarianceNormalization over `axes`: the axes moved last (a permute unless they are already), each row
 * normalized as in {@link normalizedRows} (ε = 10⁻⁹ under the square root, where ONNX adds it to the deviation:
 * the two differ by less than 10⁻⁹/σ relatively), requantized, and moved back.
 */
export function quantizeMeanVarianceNormalization(ctx: QuantContext, node: GraphNode, op: Extract<Op, { type: 'MeanVarianceNormalization' }>): TensorId {
  const { rows, outer, inner, restore } = reductionRows(ctx, node, ctx.value(node.inputs[0]), op.axes);
  return restore(ctx.requantize(node, normalizedRows(ctx, node, rows, outer, inner, MVN_EPSILON)), node.output);
}

/** The ε of ONNX's MeanVarianceNormalization function body. */
export const MVN_EPSILON = 1e-9;
