/**
 * Quantizers of the linear layers and elementwise arithmetic: MatMul, Gemm, Conv, BatchNormalization,
 * Add, Sub, Mul, Div.
 * @module
 */
import { batchNormAffine } from '../float/normalize';
import { transpose2d } from '../float/linalg';
import { convTransposeKernel } from '../float/window';
import type { GraphNode } from '../graph';
import { convPatchesND, patchMap, transposeMap, transposeRows } from '../index-map';
import { lift4 } from '../window';
import type { Op } from '../op';
import { broadcastShapes, sizeOf, type Shape } from '../shape';
import type { Tensor } from '../tensor';
import type { QuantContext } from './context';
import type { PatchGeometry, TensorId } from './qmodel';
import { quantizeReal, scaleForRange } from './rounding';
import { partialLookup } from './nonlinear-steps';

/**
 * rows × W (+ bias) for a constant W [k, n]: exact product at scale s_x + s_w, bias quantized at that scale,
 * then rescaled to the output's target scale.
 */
export function matmulConst(ctx: QuantContext, node: GraphNode, x: TensorId, w: Tensor, bias: Tensor | undefined, outShape: Shape): TensorId {
  return ctx.requantize(node, matmulConstRaw(ctx, node, x, w, bias, outShape));
}

/** A·B with both operands computed at run time, batch axes broadcast explicitly. */
function matmulVar(ctx: QuantContext, node: GraphNode, a: TensorId, b: TensorId, outShape: Shape): TensorId {
  const { e } = ctx;
  const as = e.t(a).shape.length === 1 ? [1, ...e.t(a).shape] : e.t(a).shape;
  const bs = e.t(b).shape.length === 1 ? [...e.t(b).shape, 1] : e.t(b).shape;
  const [m, k] = as.slice(-2);
  const n = bs[bs.length - 1];
  const batchShape = broadcastShapes(as.slice(0, -2), bs.slice(0, -2), `node "${node.name}"`);
  const batch = sizeOf(batchShape);
  const bBatched = bs.length > 2;
  const a2 = e.broadcast(node.name, e.reshape(node.name, a, as, `${node.output}#a`), [...batchShape, m, k]);
  const b2 = bBatched ? e.broadcast(node.name, e.reshape(node.name, b, bs, `${node.output}#b`), [...batchShape, k, n]) : b;
  const s = e.t(a).scale + e.t(b).scale;
  const y = e.emit(node.name, `${node.output}#matmul`, outShape, s, { kind: 'matmul', a: a2, b: b2, batch: bBatched ? batch : 1, m: bBatched ? m : batch * m, k, n, bBatched });
  return ctx.requantize(node, y);
}

/** ONNX MatMul. */
export function quantizeMatMul(ctx: QuantContext, node: GraphNode): TensorId {
  const [an, bn] = node.inputs;
  const out = ctx.shape(node.output);
  if (ctx.isConst(an)) ctx.unsupported(node, 'a constant left operand is not supported (put the weight on the right)');
  if (ctx.isConst(bn)) {
    const w = ctx.constant(bn);
    if (w.shape.length !== 2) ctx.unsupported(node, `constant right operand must be 2-D, got rank ${w.shape.length}`);
    return matmulConst(ctx, node, ctx.value(an), w, undefined, out);
  }
  return matmulVar(ctx, node, ctx.value(an), ctx.value(bn), out);
}

/** ONNX Gemm: alpha and transB folded into the weight, beta into the bias, transA as a transpose. */
export function quantizeGemm(ctx: QuantContext, node: GraphNode, op: Extract<Op, { type: 'Gemm' }>): TensorId {
  const [an, bn, cn] = node.inputs;
  if (ctx.isConst(an) || !ctx.isConst(bn)) ctx.unsupported(node, 'Gemm needs a run-time A and a constant B');
  let x = ctx.value(an);
  if (op.transA) {
    const s = ctx.e.t(x).shape;
    x = ctx.e.permute(node.name, `${node.output}#At`, [x], transposeMap(s, [1, 0]), [s[1], s[0]]);
  }
  const b = ctx.constant(bn);
  const w0 = op.transB ? transpose2d(b) : b;
  const w = { shape: w0.shape, data: w0.data.map((v) => v * op.alpha) };
  const c = cn ? ctx.constant(cn) : undefined;
  const bias = c ? { shape: c.shape, data: c.data.map((v) => v * op.beta) } : undefined;
  return matmulConst(ctx, node, x, w, bias, ctx.shape(node.output));
}

/**
 * ONNX Conv, channel-major: per group g, the kernel matrix W_g [mg, K] (K = C/g·KH·KW, its rows are the flat
 * filters) times the patches [K, P] (P = N·OH·OW output positions; row j holds tap j of every window, an im2col
 * permute with zero padding), plus the bias per row, rescaled: [mg, P]. Few long rows (one per output channel)
 * instead of one short row per position. Back to NCHW by a permute that is the identity when N = 1 and
 * there is one group (the lowering aliases it).
 */
export function quantizeConv(ctx: QuantContext, node: GraphNode, op: Extract<Op, { type: 'Conv' }>): TensorId {
  const [xn, wn, bn] = node.inputs;
  if (!ctx.isConst(wn) || (bn && !ctx.isConst(bn))) ctx.unsupported(node, 'Conv weight and bias must be constants');
  const w = ctx.constant(wn);
  const x = ctx.value(xn);
  return convCore(ctx, node, op.group, patches2D(ctx, node, x, op), x, { shape: lift4(w.shape, op), data: w.data }, bn ? ctx.constant(bn) : undefined);
}

/** A 3-D Conv: the same channel-major product over the patches of 3-D windows. */
export function quantizeConv3D(ctx: QuantContext, node: GraphNode, op: Extract<Op, { type: 'Conv3D' }>): TensorId {
  const [xn, wn, bn] = node.inputs;
  if (!ctx.isConst(wn) || (bn && !ctx.isConst(bn))) ctx.unsupported(node, 'Conv weight and bias must be constants');
  const x = ctx.value(xn);
  const shape = ctx.e.t(x).shape;
  return convCore(ctx, node, op.group, patchesND(shape, op.window, op.shape.slice(2)), x, ctx.constant(wn), bn ? ctx.constant(bn) : undefined);
}

/** The im2col patches [K, P] of one channel group (channels c0 … c0 + cg − 1), with their geometry when it is 2-D. */
type Patches = (c0: number, cg: number) => { readonly taps: Int32Array; readonly geometry?: PatchGeometry };

/** The patches of an N-D window over an input of `shape` with `out` output cells per image and channel. */
function patchesND(shape: readonly number[], window: Parameters<typeof convPatchesND>[1], out: readonly number[]): Patches {
  return (c0, cg) => ({ taps: transposeRows(convPatchesND(shape, window, out, c0, cg), shape[0] * out.reduce((a, b) => a * b, 1)) });
}

/**
 * The patches of a 2-D (or lifted 1-D) Conv of `x` for the node's output, with their geometry: the lowering reads a
 * stride-1 convolution's input in place from it (`src/pipeline/lower.ts`), after recomputing the map from it.
 */
function patches2D(ctx: QuantContext, node: GraphNode, x: TensorId, op: Extract<Op, { type: 'Conv' }>): Patches {
  const [, , outHeight, outWidth] = lift4(ctx.shape(node.output), op);
  const [batch, channels, height, width] = lift4(ctx.e.t(x).shape, op);
  const { kernel, strides, pads, dilations } = op;
  return (firstChannel, groupChannels) => {
    const geometry: PatchGeometry = { batch, channels, height, width, firstChannel, groupChannels, kernel, strides, pads, dilations, outHeight, outWidth };
    return { taps: patchMap(geometry), geometry };
  };
}

/**
 * ConvTranspose (1-D, 2-D or 3-D) as a convolution: the input is spread out by a permute (strides become zeros between cells, the
 * padding is `k_eff − 1 − pad` zeros, negative values crop), then convolved with stride 1 by the spatially
 * flipped kernel with input and output channels exchanged (see `convTransposeKernel`).
 */
export function quantizeConvTranspose(ctx: QuantContext, node: GraphNode, op: Extract<Op, { type: 'ConvTranspose' }>): TensorId {
  const [xn, wn, bn] = node.inputs;
  if (!ctx.isConst(wn) || (bn && !ctx.isConst(bn))) ctx.unsupported(node, 'ConvTranspose weight and bias must be constants');
  const x = ctx.value(xn);
  const spread = ctx.e.permute(node.name, `${node.output}#spread`, [x], op.spread, op.spreadShape, 0n);
  const w = ctx.constant(wn);
  const bias = bn ? ctx.constant(bn) : undefined;
  const conv = op.conv;
  if (conv.type === 'Conv3D') return convCore(ctx, node, conv.group, patchesND(op.spreadShape, conv.window, op.shape.slice(2)), spread, convTransposeKernel(w, conv.group), bias);
  const kernel = convTransposeKernel({ shape: lift4(w.shape, conv), data: w.data }, conv.group);
  return convCore(ctx, node, conv.group, patches2D(ctx, node, spread, conv), spread, kernel, bias);
}

/**
 * The convolution of `x` by the constant kernel `w` [M, C/g, kernel…] and bias, into the node's output [N, M, spatial…]:
 * `patches(c0, cg)` gives the im2col rows [K, P] (P = N × output cells per image) of a group's input channels.
 */
function convCore(ctx: QuantContext, node: GraphNode, group: number, patches: Patches, x: TensorId, w: Tensor, bias: Tensor | undefined): TensorId {
  const { e } = ctx;
  const out = ctx.shape(node.output);
  const [nb, m] = out;
  const cells = sizeOf(out.slice(2));
  const cg = w.shape[1];
  const mg = m / group;
  const k = w.data.length / m;
  const positions = nb * cells;
  const parts: TensorId[] = [];
  const target = ctx.targetScale(node.output);
  for (let g = 0; g < group; g++) {
    const { taps, geometry } = patches(g * cg, cg);
    const cols = e.permute(node.name, `${node.output}#patches${g}`, [x], taps, [k, positions], 0n, geometry);
    const kernel = w.data.subarray(g * mg * k, (g + 1) * mg * k);
    const sw = ctx.weightScale(kernel);
    const wq = ctx.quantConst(`${node.name}/W`, [mg, k], kernel, sw);
    const s = e.t(x).scale + sw;
    let y = e.emit(node.name, `${node.output}#matmul`, [mg, positions], s, { kind: 'matmul', a: wq, b: cols, batch: 1, m: mg, k, n: positions, bBatched: false });
    if (bias) {
      const bq = ctx.quantConst(`${node.name}/bias`, [mg, 1], bias.data.slice(g * mg, (g + 1) * mg), s);
      y = e.emit(node.name, `${node.output}#bias`, [mg, positions], s, { kind: 'add', a: y, b: e.broadcast(node.name, bq, [mg, positions]) });
    }
    parts.push(ctx.requantize(node, y, target));
  }
  // Back to NC…: out[b, g·mg + j, s] = part_g[j·P + b·cells + s].
  const map = new Int32Array(nb * m * cells);
  const per = mg * positions;
  let i = 0;
  for (let b = 0; b < nb; b++)
    for (let ch = 0; ch < m; ch++) {
      const g = Math.floor(ch / mg);
      const j = ch % mg;
      for (let s = 0; s < cells; s++) map[i++] = g * per + j * positions + b * cells + s;
    }
  return e.permute(node.name, `${node.output}#nchw`, parts, map, out);
}

/** Like {@link matmulConst} without the final rescale. */
function matmulConstRaw(ctx: QuantContext, node: GraphNode, x: TensorId, w: Tensor, bias: Tensor | undefined, outShape: Shape): TensorId {
  const { e } = ctx;
  const [k, n] = w.shape;
  const sw = ctx.weightScale(w.data);
  const wq = ctx.quantConst(`${node.name}/W`, [k, n], w.data, sw);
  const s = e.t(x).scale + sw;
  const y = e.emit(node.name, `${node.output}#matmul`, outShape, s, { kind: 'matmul', a: x, b: wq, batch: 1, m: sizeOf(outShape) / n, k, n, bBatched: false });
  if (!bias) return y;
  const bq = ctx.quantConst(`${node.name}/bias`, bias.shape, bias.data, s);
  return e.emit(node.name, `${node.output}#bias`, outShape, s, { kind: 'add', a: y, b: e.broadcast(node.name, bq, outShape) });
}

/** y = a ∘ c for a constant c (any broadcastable shape), at scale s_x + s_c, then rescaled to the target. */
export function mulConst(ctx: QuantContext, node: GraphNode, x: TensorId, c: Tensor, out: Shape, add?: Tensor): TensorId {
  const { e } = ctx;
  let y = timesConst(ctx, node, x, c, out);
  const s = e.t(y).scale;
  if (add) {
    const aq = e.broadcast(node.name, ctx.quantConst(`${node.name}/shift`, add.shape, add.data, s), out);
    y = e.emit(node.name, `${node.output}#add`, out, s, { kind: 'add', a: y, b: aq });
  }
  return ctx.requantize(node, y);
}

/** x ∘ c for a constant c broadcast to `out`, exact at scale s_x + s_c (a scalar c is a public factor). */
export function timesConst(ctx: QuantContext, node: GraphNode, x: TensorId, c: Tensor, out: Shape): TensorId {
  const { e } = ctx;
  const xb = e.broadcast(node.name, x, out);
  if (sizeOf(c.shape) === 1) {
    const sc = scaleForRange(Math.abs(c.data[0]), ctx.opts.weightBits, 30);
    return e.scale(node.name, xb, quantizeReal(c.data[0], sc), e.t(x).scale + sc);
  }
  const sc = ctx.weightScale(c.data);
  const cq = e.broadcast(node.name, ctx.quantConst(`${node.name}/factor`, c.shape, c.data, sc), out);
  return e.emit(node.name, `${node.output}#mul`, out, e.t(x).scale + sc, { kind: 'hadamard', a: xb, b: cq });
}

/** Inference BatchNormalization as the per-channel affine map a[c]·x + b[c]. */
export function quantizeBatchNorm(ctx: QuantContext, node: GraphNode, op: Extract<Op, { type: 'BatchNormalization' }>): TensorId {
  const [xn, ...params] = node.inputs;
  if (!params.every((p) => ctx.isConst(p))) ctx.unsupported(node, 'BatchNormalization parameters must be constants');
  const [scale, bias, mean, variance] = params.map((p) => ctx.constant(p));
  const { a, b } = batchNormAffine(scale, bias, mean, variance, op.epsilon);
  const out = ctx.shape(node.output);
  const cshape = out.map((d, i) => (i === 1 ? d : 1));
  return mulConst(ctx, node, ctx.value(xn), { shape: cshape, data: a }, out, { shape: cshape, data: b });
}

/** Add / Sub: operands aligned to the larger scale (exact multiplication by 2^d), constants quantized at it. */
export function quantizeAddSub(ctx: QuantContext, node: GraphNode, kind: 'add' | 'sub'): TensorId {
  const { e } = ctx;
  const out = ctx.shape(node.output);
  const [an, bn] = node.inputs;
  const scales = [an, bn].filter((n) => !ctx.isConst(n)).map((n) => e.t(ctx.value(n)).scale);
  const s = Math.max(...scales);
  const operand = (name: string): TensorId => {
    if (ctx.isConst(name)) {
      const c = ctx.constant(name);
      return e.broadcast(node.name, ctx.quantConst(`${node.name}/${name}`, c.shape, c.data, s), out);
    }
    return e.broadcast(node.name, e.alignTo(node.name, ctx.value(name), s), out);
  };
  return e.emit(node.name, node.output, out, s, { kind, a: operand(an), b: operand(bn) });
}

/** Mul: by a constant (scalar factor or weight tensor), or of two run-time values (hadamard). */
export function quantizeMul(ctx: QuantContext, node: GraphNode): TensorId {
  const { e } = ctx;
  const out = ctx.shape(node.output);
  const [an, bn] = node.inputs;
  if (ctx.isConst(an)) return mulConst(ctx, node, ctx.value(bn), ctx.constant(an), out);
  if (ctx.isConst(bn)) return mulConst(ctx, node, ctx.value(an), ctx.constant(bn), out);
  const a = ctx.value(an);
  const b = ctx.value(bn);
  const y = e.emit(node.name, `${node.output}#mul`, out, e.t(a).scale + e.t(b).scale, { kind: 'hadamard', a: e.broadcast(node.name, a, out), b: e.broadcast(node.name, b, out) });
  return ctx.requantize(node, y);
}

/** Div: by a constant (multiplication by its reciprocal), or by a run-time value (reciprocal lookup, then hadamard). */
export function quantizeDiv(ctx: QuantContext, node: GraphNode): TensorId {
  const { e } = ctx;
  const out = ctx.shape(node.output);
  const [an, bn] = node.inputs;
  if (ctx.isConst(an)) ctx.unsupported(node, 'a constant numerator is not supported');
  if (ctx.isConst(bn)) {
    const c = ctx.constant(bn);
    return mulConst(ctx, node, ctx.value(an), { shape: c.shape, data: c.data.map((v) => 1 / v) }, out);
  }
  const range = ctx.cal.ranges.get(bn);
  if (!range || !(range.min > 0)) ctx.unsupported(node, `the divisor "${bn}" must be positive on the calibration data (observed minimum ${range?.min})`);
  const r = partialLookup(ctx, node, ctx.value(bn), 'reciprocal', (v) => 1 / v, [range.min / ctx.opts.margin, range.max * ctx.opts.margin], `${node.output}#recip`);
  const a = ctx.value(an);
  const y = e.emit(node.name, `${node.output}#div`, out, e.t(a).scale + e.t(r).scale, { kind: 'hadamard', a: e.broadcast(node.name, a, out), b: e.broadcast(node.name, r, out) });
  return ctx.requantize(node, y);
}
