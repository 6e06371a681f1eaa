/**
 * Linear and cubic Resize as public taps and weights: along each resized axis, output index i is
 * `Σ_j w_ij · x[t_ij]` over the 2 (linear) or 4 (cubic) input indices nearest its source coordinate, as the ONNX
 * reference computes it (edge values repeat beyond the input; `exclude_outside` drops those taps and renormalizes;
 * `tf_crop_and_resize` gives the extrapolation value outside the region of interest). The axes are applied one
 * after the other, last axis first, which equals the reference's nested interpolation (it is linear in x, and an
 * outer coordinate outside the region gives the extrapolation value whatever the inner ones are).
 *
 * The float interpreter applies the taps in floating point; the quantizer turns each axis into a public copy
 * (the taps), a product by the constant weights and a row sum, so both compute the same function.
 * @module
 */
import { ShapeError } from './errors';
import { FILL } from './index-map';
import { sizeOf, stridesOf, type Shape } from './shape';

/** One resized axis: `k` taps per output index (`FILL`: the extrapolation value), with their weights. */
export interface ResampleAxis {
  readonly axis: number;
  readonly k: number;
  /** Input index along the axis of tap j of output index i at `i·k + j`, or `FILL` (−1: the extrapolation value). */
  readonly taps: Int32Array;
  readonly weights: Float64Array;
}

/** Coordinate transformation of ONNX Resize: the input coordinate output index `y` samples. */
export type CoordinateTransform = 'half_pixel' | 'pytorch_half_pixel' | 'align_corners' | 'asymmetric' | 'tf_crop_and_resize' | 'half_pixel_symmetric';

/** The transforms {@link resampleAxis} implements. */
export const RESAMPLE_TRANSFORMS: ReadonlySet<string> = new Set(['half_pixel', 'pytorch_half_pixel', 'align_corners', 'asymmetric', 'tf_crop_and_resize', 'half_pixel_symmetric']);

/** Options of one axis. */
export interface ResampleOptions {
  readonly mode: 'linear' | 'cubic';
  readonly transform: CoordinateTransform;
  /** Cubic's `A` (ONNX `cubic_coeff_a`). */
  readonly cubicA: number;
  readonly excludeOutside: boolean;
  /** `[start, end]` of the region of interest, as fractions of the axis (tf_crop_and_resize). */
  readonly roi?: readonly [number, number];
}

/** Interpolation weights of the taps `base … base + k − 1` at fraction `ratio ∈ (0, 1]` past `base + (k/2 − 1)`. */
function coefficients(mode: 'linear' | 'cubic', ratio: number, a: number): number[] {
  if (mode === 'linear') return [1 - ratio, ratio];
  const r = ratio;
  const s = 1 - ratio;
  return [
    ((a * (r + 1) - 5 * a) * (r + 1) + 8 * a) * (r + 1) - 4 * a,
    ((a + 2) * r - (a + 3)) * r * r + 1,
    ((a + 2) * s - (a + 3)) * s * s + 1,
    ((a * (s + 1) - 5 * a) * (s + 1) + 8 * a) * (s + 1) - 4 * a,
  ];
}

/**
 * Taps and weights of one axis resized from `input` to `output` cells with the scale factor `scale` (output over
 * input, as ONNX defines it: the given scale, or the sizes' ratio).
 */
export function resampleAxis(axis: number, input: number, output: number, scale: number, o: ResampleOptions): ResampleAxis {
  const k = o.mode === 'linear' ? 2 : 4;
  const taps = new Int32Array(output * k);
  const weights = new Float64Array(output * k);
  const width = scale * input;
  for (let y = 0; y < output; y++) {
    let x: number;
    if (o.transform === 'align_corners') x = width === 1 ? 0 : (y * (input - 1)) / (width - 1);
    else if (o.transform === 'asymmetric') x = y / scale;
    else if (o.transform === 'pytorch_half_pixel') x = width === 1 ? -0.5 : (y + 0.5) / scale - 0.5;
    else if (o.transform === 'half_pixel_symmetric') {
      const adjustment = output / width;
      const offset = (input / 2) * (1 - adjustment);
      x = offset + (y + 0.5) / scale - 0.5;
    } else if (o.transform === 'tf_crop_and_resize') {
      const [start, end] = o.roi ?? [0, 1];
      x = (width === 1 ? ((end - start) * (input - 1)) / 2 : (y * (end - start) * (input - 1)) / (width - 1)) + start * (input - 1);
      if (x < 0 || x > input - 1) {
        taps.fill(FILL, y * k, (y + 1) * k);
        weights[y * k] = 1;
        continue;
      }
    } else x = (y + 0.5) / scale - 0.5;
    // The reference prefers the taps left of x: an integer x is reached at ratio 1 from the tap before it.
    const floor = Math.floor(x);
    const [left, ratio] = Number.isInteger(x) ? [x - 1, 1] : [floor, x - floor];
    const first = left - (k / 2 - 1);
    const c = coefficients(o.mode, ratio, o.cubicA);
    const inside = c.map((_, j) => first + j >= 0 && first + j < input);
    if (o.excludeOutside) {
      const total = c.reduce((acc, w, j) => acc + (inside[j] ? w : 0), 0);
      for (let j = 0; j < k; j++) c[j] = inside[j] ? c[j] / total : 0;
    }
    for (let j = 0; j < k; j++) {
      taps[y * k + j] = Math.min(Math.max(first + j, 0), input - 1);
      weights[y * k + j] = c[j];
    }
  }
  return { axis, k, taps, weights };
}

/** Whether an axis maps every output index to the same input index with weight 1 (nothing to compute). */
export function isIdentityAxis(a: ResampleAxis, input: number): boolean {
  if (a.taps.length / a.k !== input) return false;
  for (let i = 0; i < input; i++)
    for (let j = 0; j < a.k; j++) {
      const w = a.weights[i * a.k + j];
      if (w !== 0 && (w !== 1 || a.taps[i * a.k + j] !== i)) return false;
    }
  return true;
}

/**
 * The copy of one resampling step: for every cell c of the output shape (the input with `a.axis` resized) and
 * tap j, the flat input cell with c's coordinate on the axis replaced by tap j ({@link FILL} for an extrapolated
 * one), laid out as [cells, k]; and the weight of each of those entries.
 */
export function resampleTapsMap(input: Shape, a: ResampleAxis): { shape: Shape; map: Int32Array; weights: Float64Array } {
  const out = input.map((d, i) => (i === a.axis ? a.taps.length / a.k : d));
  const st = stridesOf(input);
  const after = sizeOf(out.slice(a.axis + 1));
  const along = out[a.axis];
  const cells = sizeOf(out);
  if (cells === 0) throw new ShapeError(`resize to an empty shape [${out}]`);
  const map = new Int32Array(cells * a.k);
  const weights = new Float64Array(cells * a.k);
  for (let c = 0; c < cells; c++) {
    const i = Math.floor(c / after) % along;
    const before = Math.floor(c / (after * along));
    const base = before * input[a.axis] * after + (c % after);
    for (let j = 0; j < a.k; j++) {
      const t = a.taps[i * a.k + j];
      map[c * a.k + j] = t === FILL ? FILL : base + t * st[a.axis];
      weights[c * a.k + j] = a.weights[i * a.k + j];
    }
  }
  return { shape: out, map, weights };
}
