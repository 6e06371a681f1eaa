/**
 * Conv and pooling kernels of the float interpreter, built on the window index maps.
 * @module
 */
import { applyMap, convPatchesND, FILL, windowMap } from '../index-map';
import type { Op, Window2D } from '../op';
import type { Tensor } from '../tensor';
import { gemmBlock } from './linalg';

type ConvOp = Extract<Op, { type: 'Conv' }>;

/** 2-D convolution (NCHW input, [M, C/group, KH, KW] weight), computed per group as im2col · kernelᵀ. */
export function conv2d(x: Tensor, w: Tensor, bias: Tensor | undefined, op: ConvOp, outShape: readonly number[]): Tensor {
  const [, , oh, ow] = outShape;
  return convolve(x, w, bias, op.group, outShape, (c0, cg) => windowMap(x.shape, op, [oh, ow], c0, cg, 'rows'));
}

/** 3-D convolution (NCDHW input, [M, C/group, KD, KH, KW] weight). */
export function conv3d(x: Tensor, w: Tensor, bias: Tensor | undefined, op: Extract<Op, { type: 'Conv3D' }>): Tensor {
  return convolve(x, w, bias, op.group, op.shape, (c0, cg) => convPatchesND(x.shape, op.window, op.shape.slice(2), c0, cg));
}

/**
 * A convolution from its patches: `patches(c0, cg)` lays, for the group of input channels from c0, one row of
 * K = cg·(kernel cells) taps per output position (N·P rows); each group's rows times its kernelᵀ, plus the bias.
 */
function convolve(x: Tensor, w: Tensor, bias: Tensor | undefined, group: number, outShape: readonly number[], patches: (c0: number, cg: number) => Int32Array): Tensor {
  const [n, m] = outShape;
  const positions = outShape.slice(2).reduce((a, b) => a * b, 1);
  const cg = w.shape[1];
  const mg = m / group;
  const k = w.data.length / m;
  const rows = n * positions;
  const out = new Float64Array(n * m * positions);
  for (let g = 0; g < group; g++) {
    const cols = applyMap(patches(g * cg, cg), [x.data], 0);
    // Kernel of this group as a [k, mg] matrix.
    const wt = new Float64Array(k * mg);
    for (let j = 0; j < mg; j++) for (let p = 0; p < k; p++) wt[p * mg + j] = w.data[(g * mg + j) * k + p];
    const prod = new Float64Array(rows * mg);
    gemmBlock(cols, 0, wt, 0, prod, 0, rows, k, mg);
    for (let b = 0; b < n; b++)
      for (let j = 0; j < mg; j++) {
        const ch = g * mg + j;
        const add = bias ? bias.data[ch] : 0;
        for (let s = 0; s < positions; s++) out[(b * m + ch) * positions + s] = prod[(b * positions + s) * mg + j] + add;
      }
  }
  return { shape: outShape, data: out };
}

/** Max or average pooling over 2-D windows; padding cells are ignored by max and, unless `countIncludePad`, by average. */
export function pool2d(x: Tensor, w: Window2D, outShape: readonly number[], kind: 'max' | 'average', countIncludePad: boolean): Tensor {
  const [, c] = x.shape;
  const [n, , oh, ow] = outShape;
  const map = windowMap(x.shape, w, [oh, ow], 0, c, 'windows');
  const kk = w.kernel[0] * w.kernel[1];
  const divisors = kind === 'average' && countIncludePad ? paddedWindowCounts(x.shape, w, [oh, ow]) : undefined;
  const out = new Float64Array(n * c * oh * ow);
  for (let r = 0; r < out.length; r++) {
    let acc = kind === 'max' ? -Infinity : 0;
    let count = 0;
    for (let t = 0; t < kk; t++) {
      const src = map[r * kk + t];
      if (src === FILL) continue;
      acc = kind === 'max' ? Math.max(acc, x.data[src]) : acc + x.data[src];
      count++;
    }
    out[r] = kind === 'max' ? acc : acc / (divisors ? divisors[r % (oh * ow)] : count);
  }
  return { shape: outShape, data: out };
}

/** Per output position, the number of window cells inside the padded input (the count_include_pad divisor). */
export function paddedWindowCounts(input: readonly number[], w: Window2D, outHW: readonly [number, number]): Int32Array {
  const [oh, ow] = outHW;
  const h = input[2] + w.pads[0] + w.pads[2];
  const wd = input[3] + w.pads[1] + w.pads[3];
  const out = new Int32Array(oh * ow);
  for (let y = 0; y < oh; y++)
    for (let x = 0; x < ow; x++) {
      let count = 0;
      for (let ky = 0; ky < w.kernel[0]; ky++)
        for (let kx = 0; kx < w.kernel[1]; kx++) {
          const iy = y * w.strides[0] + ky * w.dilations[0];
          const ix = x * w.strides[1] + kx * w.dilations[1];
          if (iy < h && ix < wd) count++;
        }
      out[y * ow + x] = count;
    }
  return out;
}

/**
 * The kernel of the convolution that computes a ConvTranspose: from W [C, M/g, K…] to
 * W′[g·M/g + m, c, t] = W[g·C/g + c, m, K − 1 − t] (channels exchanged per group, taps flipped along every spatial axis).
 */
export function convTransposeKernel(w: Tensor, group: number): Tensor {
  const [c, mg] = w.shape;
  const spatial = w.shape.slice(2);
  const kk = spatial.reduce((a, b) => a * b, 1);
  const cg = c / group;
  const out = new Float64Array(w.data.length);
  for (let g = 0; g < group; g++)
    for (let m = 0; m < mg; m++)
      for (let ci = 0; ci < cg; ci++)
        // Flipping every spatial axis reverses the flat order of a kernel's cells.
        for (let t = 0; t < kk; t++) out[((g * mg + m) * cg + ci) * kk + t] = w.data[((g * cg + ci) * mg + m) * kk + (kk - 1 - t)];
  return { shape: [mg * group, cg, ...spatial], data: out };
}
