/**
 * The channel-major padded layout a {@link ConvolutionBlock} reads its input in and writes its output in, and the
 * geometry conditions under which reading the input at a rotation gives the zero-padded convolution.
 *
 * A tensor of C channels of h×w images is one row on `H_{C·N}`: cell (c, y, x) at `c·N + y·S + x`, with a row stride S
 * and Rr rows per channel (both powers of two, `N = S·Rr`); every other cell (columns x ≥ w, rows y ≥ h of a channel)
 * is **padding**. A kernel of kh×kw taps (tap t = dy·kw + dx, stride 1, dilation 1) with pads top pt, left pl, bottom
 * pb, right pr maps an H×W input to a `Hout × Wout` output, `Hout = H + pt + pb − kh + 1`, `Wout = W + pl + pr − kw + 1`.
 * Output (y, x) reads, at tap t, the input cell (Y', X') = (y + dy − pt, x + dx − pl), which is flat index
 *
 *   `c·N + y·S + x + off_t`, `off_t = (dy − pt)·S + (dx − pl)`,
 *
 * that is, output position l = y·S + x of channel c reads x at `c·N + l + off_t` (mod C·N): the polynomial x read at
 * `ω^(off_t)·X`, one rotation per tap whatever the channels. The read is the convolution's exactly when a read outside
 * the image (Y' ∉ [0, H) or X' ∉ [0, W)) lands on a padding cell, whose value the block proves zero. That holds when
 *
 * - `S ≥ W + pl`: a read left of the image (−pl ≤ X' < 0) is column `S + X'` of the row above (of the channel above, or
 *   cyclically the last channel, for Y' ≤ 0), a padding column;
 * - `S ≥ W + pr` (that is `S ≥ Wout + kw − 1 − pl`): a read right of it (W ≤ X' ≤ W + pr − 1) stays in its row's
 *   padding columns, never wrapping to column X' − S of the next row;
 * - `Rr ≥ H + pt`: a read above the image (−pt ≤ Y' < 0, X' in the image's columns) is row `Rr + Y'` of the previous
 *   channel (cyclically), a padding row;
 * - `Rr ≥ H + pb` (`Rr ≥ Hout + kh − 1 − pt`): a read below it stays in the channel's padding rows;
 *
 * and the output fits its layout: `S ≥ Wout`, `Rr ≥ Hout`. The four read conditions are also necessary once the image
 * has two rows and two columns: the reads' X' cover `[−pl, W + pr)` and their Y' cover `[−pt, H + pb)` (contiguous,
 * since the output positions and taps are), so the pl columns left of the image fall on pl consecutive columns mod S
 * that must avoid `[0, W)`, and likewise right, above and below (`test/blocks/convolution-layout.test.ts` compares the
 * conditions with every read enumerated).
 * @module
 */
import { BlockfoldError } from '../src/errors';
import { isPowerOfTwo, nextPowerOfTwo } from '../src/poly/roots';

/** The pads of a convolution (ONNX `pads`: begin and end of each spatial axis), each ≥ 0. */
export interface ConvolutionPads {
  readonly top: number;
  readonly left: number;
  readonly bottom: number;
  readonly right: number;
}

/** Shape of a convolution and, optionally, its layout. */
export interface ConvolutionLayoutOptions {
  /** cin: input channels, a power of two (the input is exactly cin channels of N cells). */
  readonly inChannels: number;
  /** m: output channels (the output is M = pow2(m) channels of N cells, channels c ≥ m padding). */
  readonly outChannels: number;
  /** H, W: the input image. */
  readonly height: number;
  readonly width: number;
  /** kh, kw: the kernel (stride 1, dilation 1). */
  readonly kernelHeight: number;
  readonly kernelWidth: number;
  /** Pads (default 0 on every side). */
  readonly pads?: Partial<ConvolutionPads>;
  /** S: cells per row, a power of two (default the least that satisfies the conditions). */
  readonly rowStride?: number;
  /** Rr: rows per channel, a power of two (default the least that satisfies the conditions). */
  readonly channelRows?: number;
}

/** A convolution's geometry in the channel-major padded layout (module comment); every condition checked. */
export class ConvolutionLayout {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly height: number;
  readonly width: number;
  readonly kernelHeight: number;
  readonly kernelWidth: number;
  readonly pads: ConvolutionPads;
  /** Hout, Wout. */
  readonly outHeight: number;
  readonly outWidth: number;
  /** S. */
  readonly rowStride: number;
  /** Rr. */
  readonly channelRows: number;
  /** N = S·Rr: the cells of one channel, input and output alike. */
  readonly channelCells: number;
  /** T = kh·kw. */
  readonly taps: number;

  constructor(opts: ConvolutionLayoutOptions) {
    const { inChannels, outChannels, height, width, kernelHeight, kernelWidth } = opts;
    for (const [name, v] of Object.entries({ inChannels, outChannels, height, width, kernelHeight, kernelWidth }))
      if (!Number.isSafeInteger(v) || v < 1) throw new BlockfoldError('BLOCK', `convolution: ${name} must be a positive integer, got ${v}`);
    if (!isPowerOfTwo(inChannels)) throw new BlockfoldError('BLOCK', `convolution: the input channels must be a power of two (one channel per N cells of one row), got ${inChannels}`);
    const pads: ConvolutionPads = { top: opts.pads?.top ?? 0, left: opts.pads?.left ?? 0, bottom: opts.pads?.bottom ?? 0, right: opts.pads?.right ?? 0 };
    for (const [side, v] of Object.entries(pads))
      if (!Number.isSafeInteger(v) || v < 0) throw new BlockfoldError('BLOCK', `convolution: the ${side} pad must be a non-negative integer, got ${v}`);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.height = height;
    this.width = width;
    this.kernelHeight = kernelHeight;
    this.kernelWidth = kernelWidth;
    this.pads = pads;
    this.outHeight = height + pads.top + pads.bottom - kernelHeight + 1;
    this.outWidth = width + pads.left + pads.right - kernelWidth + 1;
    if (this.outHeight < 1 || this.outWidth < 1)
      throw new BlockfoldError('BLOCK', `convolution: a ${kernelHeight}×${kernelWidth} kernel over a ${height}×${width} image padded by ${pads.top}, ${pads.left}, ${pads.bottom}, ${pads.right} has no output`);
    const needS = Math.max(width + pads.left, width + pads.right, this.outWidth);
    const needRows = Math.max(height + pads.top, height + pads.bottom, this.outHeight);
    this.channelRows = opts.channelRows ?? nextPowerOfTwo(needRows);
    // A channel of one cell would put a 1×1 image on H_1 when cin = 1: a one-row channel gets S ≥ 2 by default.
    this.rowStride = opts.rowStride ?? nextPowerOfTwo(Math.max(needS, this.channelRows === 1 ? 2 : 1));
    const [S, Rr] = [this.rowStride, this.channelRows];
    if (!isPowerOfTwo(S) || !isPowerOfTwo(Rr)) throw new BlockfoldError('BLOCK', `convolution: the row stride S = ${S} and the rows per channel Rr = ${Rr} must be powers of two`);
    if (S * Rr < 2) throw new BlockfoldError('BLOCK', `convolution: a channel needs at least 2 cells, got S·Rr = ${S * Rr}`);
    const refuse = (what: string) => {
      throw new BlockfoldError('BLOCK', `convolution: ${what}`);
    };
    if (S < width + pads.left) refuse(`S = ${S} < W + left pad = ${width} + ${pads.left}: a read left of the image wraps to column S − ${pads.left} of the row above, which must be padding`);
    if (S < width + pads.right)
      refuse(`S = ${S} < W + right pad = Wout + kw − 1 − pl = ${this.outWidth} + ${kernelWidth} − 1 − ${pads.left}: a read right of the image wraps to column 0 of the row below`);
    if (Rr < height + pads.top) refuse(`Rr = ${Rr} < H + top pad = ${height} + ${pads.top}: a read above the image wraps to row Rr − ${pads.top} of the channel before, which must be padding`);
    if (Rr < height + pads.bottom)
      refuse(`Rr = ${Rr} < H + bottom pad = Hout + kh − 1 − pt = ${this.outHeight} + ${kernelHeight} − 1 − ${pads.top}: a read below the image wraps to row 0 of the next channel`);
    if (S < this.outWidth || Rr < this.outHeight) refuse(`the ${this.outHeight}×${this.outWidth} output does not fit Rr = ${Rr} rows of S = ${S} cells`);
    this.channelCells = S * Rr;
    this.taps = kernelHeight * kernelWidth;
  }

  /** `off_t = (dy − pt)·S + (dx − pl)` for tap t = dy·kw + dx: output position l reads input position l + off_t. */
  tapOffset(t: number): number {
    const [dy, dx] = [Math.floor(t / this.kernelWidth), t % this.kernelWidth];
    return (dy - this.pads.top) * this.rowStride + (dx - this.pads.left);
  }

  /** Whether position l < N of a channel is an output cell (`l = y·S + x`, y < Hout, x < Wout). */
  isOutputPosition(l: number): boolean {
    return Math.floor(l / this.rowStride) < this.outHeight && l % this.rowStride < this.outWidth;
  }

  /** Whether position l < N of a channel is an image cell of the input (`l = y·S + x`, y < H, x < W); else padding. */
  isImagePosition(l: number): boolean {
    return Math.floor(l / this.rowStride) < this.height && l % this.rowStride < this.width;
  }
}
