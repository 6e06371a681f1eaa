/**
 * Quantizers of data movement, pooling and reductions: permutes under index maps, row sums and row maxima.
 * @module
 */
import type { GraphNode } from '../graph';
import { concatMap, poolWindowsND, gatherMap, reduceLayoutMap, sliceMap, transposeMap, windowMap } from '../index-map';
import type { Op } from '../op';
import { paddedWindowCounts } from '../float/window';
import { sizeOf, type Shape } from '../shape';
import { resampleTapsMap } from '../resample';
import { lift4 } from '../window';
import type { QuantContext } from './context';
import type { TensorId } from './qmodel';
import { quantizeReal } from './rounding';

/** Bits of the fixed-point reciprocal used to divide by a window size that is not a power of two. */
const DIVISOR_BITS = 16;

/** Reshape (and Flatten, Squeeze, Unsqueeze): an identity index map with the new shape. */
export function quantizeReshape(ctx: QuantContext, node: GraphNode): TensorId {
  return ctx.e.reshape(node.name, ctx.value(node.inputs[0]), ctx.shape(node.output), node.output);
}

/** Transpose, Slice and Gather (constant indices) as permutes. */
export function quantizeMove(ctx: QuantContext, node: GraphNode, op: Extract<Op, { type: 'Transpose' | 'Slice' | 'Gather' }>): TensorId {
  const x = ctx.value(node.inputs[0]);
  const s = ctx.e.t(x).shape;
  let map: Int32Array;
  if (op.type === 'Transpose') map = transposeMap(s, op.perm);
  else if (op.type === 'Slice') map = sliceMap(s, op.axes);
  else {
    const idx = node.inputs[1];
    if (!ctx.isConst(idx)) ctx.unsupported(node, 'Gather with indices computed at run time is not supported (the index map must be public)');
    const t = ctx.constant(idx);
    map = gatherMap(s, op.axis, t.data, t.shape, node.name);
  }
  return ctx.e.permute(node.name, node.output, [x], map, ctx.shape(node.output));
}

/** A Move op (Pad, Tile, Expand, Resize, Scatter, ...): one permute of its aligned inputs, the fill value quantized at their scale. */
export function quantizeIndexMove(ctx: QuantContext, node: GraphNode, op: Extract<Op, { type: 'Move' }>): TensorId {
  const parts = alignedOperands(ctx, node, node.inputs);
  const fill = op.map.includes(-1) ? quantizeReal(op.fill, ctx.e.t(parts[0]).scale) : 0n;
  return ctx.e.permute(node.name, node.output, parts, op.map, op.shape, fill);
}

/**
 * Einsum: each operand copied into rows [O, C] by its public map, the two copies multiplied cell by cell (scale
 * s_a + s_b), the rows summed and requantized; one operand is summed alone (a pure copy when nothing is summed).
 */
export function quantizeEinsum(ctx: QuantContext, node: GraphNode, op: Extract<Op, { type: 'Einsum' }>): TensorId {
  const { e } = ctx;
  const rows = [sizeOf(op.shape), op.summed];
  const values = node.inputs.map((n) => (ctx.isConst(n) ? constantAtWeightScale(ctx, node, n) : ctx.value(n)));
  if (values.length === 1 && op.summed === 1) return e.permute(node.name, node.output, values, op.maps[0], op.shape);
  const operands = values.map((x, k) => e.permute(node.name, `${node.output}#operand${k}`, [x], op.maps[k], rows));
  const s = operands.reduce((acc, id) => acc + e.t(id).scale, 0);
  const products = operands.length === 1 ? operands[0] : e.emit(node.name, `${node.output}#products`, rows, s, { kind: 'hadamard', a: operands[0], b: operands[1] });
  return ctx.requantize(node, e.emit(node.name, `${node.output}#sums`, op.shape, s, { kind: 'sum', input: products }));
}

/** A constant operand quantized at the scale its values need. */
function constantAtWeightScale(ctx: QuantContext, node: GraphNode, name: string): TensorId {
  const c = ctx.constant(name);
  return ctx.quantConst(`${node.name}/${name}`, c.shape, c.data, ctx.weightScale(c.data));
}

/** Scatter with "add": the data and the updates copied into rows of k cells (zeros after the last update), then exact row sums. */
export function quantizeScatterAdd(ctx: QuantContext, node: GraphNode, op: Extract<Op, { type: 'ScatterAdd' }>): TensorId {
  const { e } = ctx;
  const parts = alignedOperands(ctx, node, node.inputs);
  const s = e.t(parts[0]).scale;
  const rows = e.permute(node.name, `${node.output}#gathered`, parts, op.map, [op.map.length / op.k, op.k], 0n);
  return ctx.requantize(node, e.emit(node.name, `${node.output}#sums`, op.shape, s, { kind: 'sum', input: rows }));
}

/** Operands copied into one tensor: run-time values aligned to the largest scale among them, constants quantized at it. */
function alignedOperands(ctx: QuantContext, node: GraphNode, names: readonly string[]): TensorId[] {
  const { e } = ctx;
  const scale = Math.max(...names.filter((n) => !ctx.isConst(n)).map((n) => e.t(ctx.value(n)).scale));
  return names.map((n) => {
    if (!ctx.isConst(n)) return e.alignTo(node.name, ctx.value(n), scale);
    const c = ctx.constant(n);
    return ctx.quantConst(`${node.name}/${n}`, c.shape, c.data, scale);
  });
}

/**
 * Linear / cubic Resize, axis by axis: a permute lays the taps of every output cell as a row of k cells (the
 * extrapolation value quantized at the input's scale where a tap is outside), a product by the constant weights
 * (scale s + s_w) and a row sum give the interpolated values, rescaled back to s between axes and requantized at
 * the end. The weights are public, so the copy, the product and the sum are each proven exactly.
 */
export function quantizeResample(ctx: QuantContext, node: GraphNode, op: Extract<Op, { type: 'Resample' }>): TensorId {
  const { e } = ctx;
  let x = ctx.value(node.inputs[0]);
  const s = e.t(x).scale;
  op.axes.forEach((a, n) => {
    const { shape, map, weights } = resampleTapsMap(e.t(x).shape, a);
    const rows = [sizeOf(shape), a.k];
    const fill = map.includes(-1) ? quantizeReal(op.fill, s) : 0n;
    const taps = e.permute(node.name, `${node.output}#taps${n}`, [x], map, rows, fill);
    const sw = ctx.weightScale(weights);
    const w = ctx.quantConst(`${node.name}/weights${n}`, rows, weights, sw);
    const products = e.emit(node.name, `${node.output}#weighted${n}`, rows, s + sw, { kind: 'hadamard', a: taps, b: w });
    const sums = e.emit(node.name, `${node.output}#interpolated${n}`, shape, s + sw, { kind: 'sum', input: products });
    x = n === op.axes.length - 1 ? sums : e.rescaleTo(node.name, sums, s);
  });
  return op.axes.length === 0 ? x : ctx.requantize(node, x);
}

/**
 * CumSum along an axis of length L: a permute writes, for each cell, the row of the L cells it accumulates (the
 * others filled with 0), and a row sum adds them; exact.
 */
export function quantizeCumSum(ctx: QuantContext, node: GraphNode, op: Extract<Op, { type: 'CumSum' }>): TensorId {
  const { e } = ctx;
  const x = ctx.value(node.inputs[0]);
  const { rows, outer, inner, restore } = reductionRows(ctx, node, x, [op.axis]);
  const map = new Int32Array(outer * inner * inner).fill(-1);
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < inner; i++)
      for (let j = 0; j < inner; j++) {
        const before = op.reverse ? j > i : j < i;
        if (before || (j === i && !op.exclusive)) map[(o * inner + i) * inner + j] = o * inner + j;
      }
  const windows = e.permute(node.name, `${node.output}#prefixes`, [rows], map, [outer * inner, inner], 0n);
  const sums = e.emit(node.name, `${node.output}#sums`, [outer, inner], e.t(x).scale, { kind: 'sum', input: windows });
  return restore(sums, node.output);
}

/** Concat: operands aligned to the largest scale, constants quantized at it, then one permute. */
export function quantizeConcat(ctx: QuantContext, node: GraphNode, op: Extract<Op, { type: 'Concat' }>): TensorId {
  const { e } = ctx;
  const parts = alignedOperands(ctx, node, node.inputs);
  return e.permute(node.name, node.output, parts, concatMap(parts.map((p) => e.t(p).shape), op.axis), ctx.shape(node.output));
}

/**
 * Divides row sums (scale s) by the row length: exact for a power of two 2^p (the same integers at scale
 * s + p); otherwise multiplied by round(2^16 / count) (per row when counts differ) and rescaled.
 */
export function divideRows(ctx: QuantContext, node: GraphNode, sums: TensorId, counts: readonly number[], outShape: Shape): TensorId {
  const { e } = ctx;
  const s = e.t(sums).scale;
  const uniform = counts.every((c) => c === counts[0]);
  const p = Math.log2(counts[0]);
  if (uniform && Number.isInteger(p)) {
    // Same integers at a finer scale: multiplying by 1 relabels them (linear, free in the proof).
    const relabel = e.emit(node.name, `${node.output}#mean`, outShape, s + p, { kind: 'scale', a: sums, factor: 1n });
    return ctx.requantize(node, relabel);
  }
  const factors = counts.map((c) => BigInt(Math.floor(2 ** DIVISOR_BITS / c + 0.5)));
  let y: TensorId;
  if (uniform) y = e.scale(node.name, sums, factors[0], s + DIVISOR_BITS);
  else {
    const f = e.constant(`${node.name}/divisors`, outShape, 0, 'public', factors);
    y = e.emit(node.name, `${node.output}#mean`, outShape, s + DIVISOR_BITS, { kind: 'hadamard', a: sums, b: f });
  }
  return ctx.requantize(node, y);
}

/**
 * `x` with `axes` moved last, as rows [outer, inner] (a free reshape when they already are last); `restore` puts
 * a tensor of that row layout back into x's shape.
 */
export function reductionRows(ctx: QuantContext, node: GraphNode, x: TensorId, axes: readonly number[]): { rows: TensorId; outer: number; inner: number; restore: (y: TensorId, name: string) => TensorId } {
  const { e } = ctx;
  const shape = e.t(x).shape;
  const trailing = axes.every((a, i) => a === shape.length - axes.length + i);
  const { map, outer, inner } = reduceLayoutMap(shape, axes);
  if (trailing) return { rows: e.reshape(node.name, x, [outer, inner], `${node.output}#rows`), outer, inner, restore: (y, name) => e.reshape(node.name, y, shape, name) };
  const inverse = new Int32Array(map.length);
  map.forEach((src, i) => (inverse[src] = i));
  return { rows: e.permute(node.name, `${node.output}#rows`, [x], map, [outer, inner]), outer, inner, restore: (y, name) => e.permute(node.name, name, [y], inverse, shape) };
}

/** ReduceSum / ReduceMean / GlobalAveragePool: reduced axes moved last, a row sum, then the mean's division. */
export function quantizeReduce(ctx: QuantContext, node: GraphNode, axes: readonly number[], mean: boolean): TensorId {
  const { e } = ctx;
  const x = ctx.value(node.inputs[0]);
  const out = ctx.shape(node.output);
  const { rows, inner } = reductionRows(ctx, node, x, axes);
  const sums = e.emit(node.name, mean ? `${node.output}#sum` : node.output, out, e.t(x).scale, { kind: 'sum', input: rows });
  return mean ? divideRows(ctx, node, sums, [inner], out) : sums;
}

/** MaxPool: windows gathered by a permute (padding filled with the input's lower bound, which never wins), then row max. */
export function quantizeMaxPool(ctx: QuantContext, node: GraphNode, op: Extract<Op, { type: 'MaxPool' }>): TensorId {
  const { e } = ctx;
  const x = ctx.value(node.inputs[0]);
  const out = ctx.shape(node.output);
  const out4 = lift4(out, op);
  const kk = op.kernel[0] * op.kernel[1];
  const map = windowMap(lift4(e.t(x).shape, op), op, [out4[2], out4[3]], 0, out4[1], 'windows');
  const windows = e.permute(node.name, `${node.output}#windows`, [x], map, [sizeOf(out), kk], e.t(x).bound.lo);
  return e.emit(node.name, node.output, out, e.t(x).scale, { kind: 'max', input: windows });
}

/** 3-D MaxPool / AveragePool: windows gathered by a permute, then a row max, or row sums divided by the counts. */
export function quantizePool3D(ctx: QuantContext, node: GraphNode, op: Extract<Op, { type: 'Pool3D' }>): TensorId {
  const { e } = ctx;
  const x = ctx.value(node.inputs[0]);
  const out = ctx.shape(node.output);
  const { map, padded } = poolWindowsND(e.t(x).shape, op.window, out.slice(2));
  const kk = sizeOf(op.window.kernel);
  const fill = op.kind === 'max' ? e.t(x).bound.lo : 0n;
  const windows = e.permute(node.name, `${node.output}#windows`, [x], map, [sizeOf(out), kk], fill);
  if (op.kind === 'max') return e.emit(node.name, node.output, out, e.t(x).scale, { kind: 'max', input: windows });
  const sums = e.emit(node.name, `${node.output}#sum`, out, e.t(x).scale, { kind: 'sum', input: windows });
  const counts = Array.from(padded, (inPad, r) => (op.countIncludePad ? inPad : map.subarray(r * kk, (r + 1) * kk).filter((s) => s !== -1).length));
  return divideRows(ctx, node, sums, counts, out);
}

/** AveragePool: windows gathered with zero padding, row sums, division by the (possibly per-position) count. */
export function quantizeAveragePool(ctx: QuantContext, node: GraphNode, op: Extract<Op, { type: 'AveragePool' }>): TensorId {
  const { e } = ctx;
  const x = ctx.value(node.inputs[0]);
  const xs = lift4(e.t(x).shape, op);
  const out = ctx.shape(node.output);
  const out4 = lift4(out, op);
  const kk = op.kernel[0] * op.kernel[1];
  const map = windowMap(xs, op, [out4[2], out4[3]], 0, out4[1], 'windows');
  const windows = e.permute(node.name, `${node.output}#windows`, [x], map, [sizeOf(out), kk], 0n);
  const sums = e.emit(node.name, `${node.output}#sum`, out, e.t(x).scale, { kind: 'sum', input: windows });
  const perPosition = op.countIncludePad ? paddedWindowCounts(xs, op, [out4[2], out4[3]]) : undefined;
  const counts = Array.from({ length: sizeOf(out) }, (_, r) => {
    if (perPosition) return perPosition[r % (out4[2] * out4[3])];
    let c = 0;
    for (let t = 0; t < kk; t++) if (map[r * kk + t] !== -1) c++;
    return c;
  });
  return divideRows(ctx, node, sums, counts, out);
}
