/**
 * Softmax, LayerNormalization and BatchNormalization of the float interpreter.
 * @module
 */
import { broadcastMap, reduceLayoutMap } from '../index-map';
import { sizeOf } from '../shape';
import type { Op } from '../op';
import type { Tensor } from '../tensor';

/** Splits a shape around `axis` into [outer, length, inner]; `coerce2d` folds all trailing axes into length. */
export function axisLayout(shape: readonly number[], axis: number, coerce2d: boolean): [number, number, number] {
  const outer = sizeOf(shape.slice(0, axis));
  return coerce2d ? [outer, sizeOf(shape.slice(axis)), 1] : [outer, shape[axis], sizeOf(shape.slice(axis + 1))];
}

/**
 * Maps every slice along `axis` to `f(x_i − max, log Σ_k e^(x_k − max))`: the shared pass of softmax and
 * log-softmax (shifting by the slice's max keeps every exponent ≤ 0).
 */
function alongAxis(x: Tensor, axis: number, coerce2d: boolean, f: (shifted: number, logSum: number) => number): Tensor {
  const [outer, len, inner] = axisLayout(x.shape, axis, coerce2d);
  const out = new Float64Array(x.data.length);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const at = (i: number) => (o * len + i) * inner + j;
      let max = -Infinity;
      for (let i = 0; i < len; i++) max = Math.max(max, x.data[at(i)]);
      let sum = 0;
      for (let i = 0; i < len; i++) sum += Math.exp(x.data[at(i)] - max);
      const logSum = Math.log(sum);
      for (let i = 0; i < len; i++) out[at(i)] = f(x.data[at(i)] - max, logSum);
    }
  }
  return { shape: x.shape, data: out };
}

/** Softmax along `axis` (opset < 13: over all axes from `axis` on, `coerce2d`): e^(x − max) / Σ e^(x − max). */
export function softmax(x: Tensor, axis: number, coerce2d: boolean): Tensor {
  return alongAxis(x, axis, coerce2d, (shifted, logSum) => Math.exp(shifted - logSum));
}

/** LogSoftmax along `axis`: x − max − log Σ e^(x − max). */
export function logSoftmax(x: Tensor, axis: number, coerce2d: boolean): Tensor {
  return alongAxis(x, axis, coerce2d, (shifted, logSum) => shifted - logSum);
}

/**
 * Which scale/bias entry cell `i` of normalized row `o` uses when they hold one value per channel (or per group):
 * rows are (sample, group) pairs, `groups` per sample, each spanning channels/groups channels.
 */
export function channelParamIndex(o: number, i: number, len: number, channels: number, groups: number, perGroup: boolean): number {
  const g = o % groups;
  if (perGroup) return g;
  const perRow = channels / groups;
  return g * perRow + Math.floor(i / (len / perRow));
}

/**
 * LayerNormalization over the axes from `op.axis` on, in `op.groups` equal rows (GroupNormalization):
 * (x − mean) / √(var + ε) · scale + bias; with `perChannel` (InstanceNormalization, GroupNormalization) or
 * `perGroup`, scale and bias hold one value per channel (axis 1) or per group.
 */
export function layerNorm(x: Tensor, scale: Tensor, bias: Tensor | undefined, op: Extract<Op, { type: 'LayerNormalization' }>): Tensor {
  const normShape = x.shape.slice(op.axis);
  const len = sizeOf(normShape) / (op.groups ?? 1);
  const outer = x.data.length / len;
  const channels = x.shape[1];
  const groups = outer / x.shape[0];
  const perCell = !op.perChannel && !op.perGroup;
  const ms = perCell ? broadcastMap(scale.shape, normShape) : undefined;
  const mb = bias && perCell ? broadcastMap(bias.shape, normShape) : undefined;
  const out = new Float64Array(x.data.length);
  for (let o = 0; o < outer; o++) {
    const base = o * len;
    let mean = 0;
    for (let i = 0; i < len; i++) mean += x.data[base + i];
    mean /= len;
    let v = 0;
    for (let i = 0; i < len; i++) v += (x.data[base + i] - mean) ** 2;
    const inv = 1 / Math.sqrt(v / len + op.epsilon);
    for (let i = 0; i < len; i++) {
      const c = perCell ? -1 : channelParamIndex(o, i, len, channels, groups, op.perGroup ?? false);
      const [g, b] = perCell ? [scale.data[ms![i]], bias && mb ? bias.data[mb[i]] : 0] : [scale.data[c], bias ? bias.data[c] : 0];
      out[base + i] = (x.data[base + i] - mean) * inv * g + b;
    }
  }
  return { shape: x.shape, data: out };
}

/** Per-channel affine coefficients of inference BatchNormalization: y = a[c]·x + b[c]. */
export function batchNormAffine(scale: Tensor, bias: Tensor, mean: Tensor, variance: Tensor, epsilon: number): { a: Float64Array; b: Float64Array } {
  const c = scale.data.length;
  const a = new Float64Array(c);
  const b = new Float64Array(c);
  for (let i = 0; i < c; i++) {
    a[i] = scale.data[i] / Math.sqrt(variance.data[i] + epsilon);
    b[i] = bias.data[i] - mean.data[i] * a[i];
  }
  return { a, b };
}

/** Inference BatchNormalization over axis 1. */
export function batchNorm(x: Tensor, scale: Tensor, bias: Tensor, mean: Tensor, variance: Tensor, epsilon: number): Tensor {
  const { a, b } = batchNormAffine(scale, bias, mean, variance, epsilon);
  const [outer, len, inner] = axisLayout(x.shape, 1, false);
  const out = new Float64Array(x.data.length);
  for (let o = 0; o < outer; o++)
    for (let c = 0; c < len; c++)
      for (let j = 0; j < inner; j++) {
        const i = (o * len + c) * inner + j;
        out[i] = a[c] * x.data[i] + b[c];
      }
  return { shape: x.shape, data: out };
}

/**
 * Mean μ = Σ_i x_i / n and population variance Σ_i (x_i − μ)² / n of row r of a reduce layout (`map[r·n + i]` is
 * the flat index of its cell i, n = `inner`).
 */
export function rowMoments(data: ArrayLike<number>, map: ArrayLike<number>, r: number, inner: number): { mean: number; variance: number } {
  let mean = 0;
  for (let i = 0; i < inner; i++) mean += data[map[r * inner + i]];
  mean /= inner;
  let v = 0;
  for (let i = 0; i < inner; i++) v += (data[map[r * inner + i]] - mean) ** 2;
  return { mean, variance: v / inner };
}

/** MeanVarianceNormalization: (x − mean)/(σ + 10⁻⁹) over `axes`, σ the population deviation (ONNX's function body). */
export function meanVarianceNormalization(x: Tensor, axes: readonly number[]): Tensor {
  const { map, outer, inner } = reduceLayoutMap(x.shape, axes);
  const data = new Float64Array(x.data.length);
  for (let r = 0; r < outer; r++) {
    const { mean, variance } = rowMoments(x.data, map, r, inner);
    const sd = Math.sqrt(variance) + 1e-9;
    for (let i = 0; i < inner; i++) data[map[r * inner + i]] = (x.data[map[r * inner + i]] - mean) / sd;
  }
  return { shape: x.shape, data };
}
