/**
 * Which weight-left products of a quantized model are convolutions the lowering proves **in place**, reading the
 * input at rotations instead of committing its im2col patch matrix, and the layouts that takes.
 *
 * The quantizer lowers a 2-D convolution to a permute (the im2col patches B) and a product `C = W·B` with the kernel
 * matrix W on the left; the permute names its geometry (`PatchGeometry`). That geometry is a claim of the model, not a
 * fact: {@link inPlaceConvolution} recomputes the patch map from it (`patchMap`) and uses it only when it is the
 * permute's map, cell for cell, so what the lowering proves is the model's semantics whatever the claim says. It
 * then asks for what `ConvolutionBlock` proves: one image (batch 1), one group, stride 1, dilation 1, a power of two of
 * input channels, the fill 0. The input x is laid out channel-major at channel stride N = S·Rr with image row y at
 * offset y·S of its channel ({@link convolutionLayouts}), and the output C the same way with its own image size, so
 * output position l of a channel reads tap t of its window at `l + off_t`: the block's rotations.
 * @module
 */
import { patchMap } from '../model/index-map';
import type { PatchGeometry, QOp, QuantModel, TensorId } from '../model/quant/qmodel';
import { ConvolutionLayout } from '../../blocks/convolution-layout';
import { isPowerOfTwo, nextPowerOfTwo } from '../poly/roots';
import { gridOrder, inOrder, MAX_FLAT_ROW, type Layout } from './layout';

/** A convolution the lowering proves in place: its im2col permute, the input it reads, and the layouts of x and C. */
export interface InPlaceConvolution {
  /** The im2col permute the product reads as B (no block writes it). */
  readonly patches: Extract<QOp, { kind: 'permute' }>;
  /** The convolution's input x, the permute's one input. */
  readonly input: TensorId;
  /** The verified geometry: `patchMap(geometry)` is the permute's map. */
  readonly geometry: PatchGeometry;
  /** S: the row stride of x and C. */
  readonly rowStride: number;
  /** N = S·Rr: the channel stride of x and C. */
  readonly channelStride: number;
  /** x: cin channels of H×W at stride N, rows at stride S. */
  readonly x: Layout;
  /** C: m channels (in M = pow2(m) channel strides) of Hout×Wout at stride N, rows at stride S. */
  readonly c: Layout;
}

/**
 * The convolution `op` is, when the lowering proves it in place, else undefined: a product `C = W·B` of batch 1 with a
 * weight W [m, k] on the left and B the im2col permute of a one-input tensor x [1, cin, H, W] whose claimed geometry
 * reproduces its map exactly (fill 0), with one group (`groupChannels = channels`), stride 1, dilation 1, cin a power
 * of two, `k = cin·kh·kw`, `n = Hout·Wout`, x and C within the longest flat row, and a channel stride N = S·Rr equal
 * to pow2(n), the stride the flat weighted rows give C: then the 2-D layout commits no more cells per channel than the
 * flat one and the patch matrix (k·N cells) is saved whole. A small image pays more for its row stride than B costs
 * (8×8 padded by 1: N = 16·16 = 256 cells per channel against 64), and keeps the weighted rows.
 */
export function inPlaceConvolution(q: QuantModel, op: Extract<QOp, { kind: 'matmul' }>): InPlaceConvolution | undefined {
  if (op.batch !== 1 || q.tensors[op.a].role !== 'weight') return undefined;
  const patches = q.ops.find((p): p is Extract<QOp, { kind: 'permute' }> => p.kind === 'permute' && p.out === op.b);
  const g = patches?.patches;
  if (!patches || !g || patches.inputs.length !== 1 || patches.fill !== 0n) return undefined;
  const input = patches.inputs[0];
  if (q.tensors[input].role === 'weight' || q.tensors[input].role === 'public') return undefined;
  const one = (pair: readonly [number, number]) => pair[0] === 1 && pair[1] === 1;
  if (g.batch !== 1 || g.firstChannel !== 0 || g.groupChannels !== g.channels || !one(g.strides) || !one(g.dilations) || !isPowerOfTwo(g.channels)) return undefined;
  const [kh, kw] = g.kernel;
  const [pt, pl, pb, pr] = g.pads;
  if ([pt, pl, pb, pr].some((p) => p < 0) || g.outHeight !== g.height + pt + pb - kh + 1 || g.outWidth !== g.width + pl + pr - kw + 1) return undefined;
  if (op.k !== g.channels * kh * kw || op.n !== g.outHeight * g.outWidth || q.tensors[input].shape.reduce((a, b) => a * b, 1) !== g.channels * g.height * g.width) return undefined;
  const map = patchMap(g);
  if (map.length !== patches.map.length || map.some((src, i) => src !== patches.map[i])) return undefined;
  const layouts = convolutionLayouts(g, op.m);
  if (!layouts || layouts.channelStride !== nextPowerOfTwo(op.n)) return undefined;
  return { patches, input, geometry: g, ...layouts };
}

/**
 * The layouts of a stride-1 convolution's input and output, else undefined when either exceeds the longest flat row:
 * the block's own row stride S and rows per channel Rr (`ConvolutionLayout`: the least powers of two under which every
 * read of a window outside the image lands on a padding cell), N = S·Rr; x is cin segments of H·W cells at stride N in
 * `gridOrder(H, W, S, N)`, C is m segments of Hout·Wout cells in `gridOrder(Hout, Wout, S, N)` within pow2(m) strides.
 */
export function convolutionLayouts(g: PatchGeometry, outChannels: number): { rowStride: number; channelStride: number; x: Layout; c: Layout } | undefined {
  const [top, left, bottom, right] = g.pads;
  const [kernelHeight, kernelWidth] = g.kernel;
  const block = new ConvolutionLayout({ inChannels: g.channels, outChannels, height: g.height, width: g.width, kernelHeight, kernelWidth, pads: { top, left, bottom, right } });
  const { rowStride, channelCells: channelStride } = block;
  const M = nextPowerOfTwo(outChannels);
  if (g.channels * channelStride > MAX_FLAT_ROW || M * channelStride > MAX_FLAT_ROW) return undefined;
  const x = inOrder({ rows: 1, length: g.channels * channelStride, padded: { cells: g.height * g.width, stride: channelStride } }, gridOrder(g.height, g.width, rowStride, channelStride));
  const segments = outChannels < M ? { segments: outChannels } : {};
  const c = inOrder({ rows: 1, length: M * channelStride, padded: { cells: block.outHeight * block.outWidth, stride: channelStride, ...segments } }, gridOrder(block.outHeight, block.outWidth, rowStride, channelStride));
  return { rowStride, channelStride, x, c };
}
