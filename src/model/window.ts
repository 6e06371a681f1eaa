/**
 * 2-D window geometry (Conv, MaxPool, AveragePool): resolving ONNX attributes and output sizes.
 * @module
 */
import type { OnnxNode } from '../onnx/types';
import { attrInt, attrInts, attrString } from './attributes';
import { ShapeError, UnsupportedOpError } from './errors';
import type { Op, Window2D, WindowND } from './op';
import type { Shape } from './shape';

/** Output length along one spatial axis. `ceil` selects ONNX `ceil_mode`. */
export function outputLength(input: number, kernel: number, stride: number, padBegin: number, padEnd: number, dilation: number, ceil: boolean): number {
  const span = (kernel - 1) * dilation + 1;
  const room = input + padBegin + padEnd - span;
  if (room < 0) return 0;
  let out = (ceil ? Math.ceil(room / stride) : Math.floor(room / stride)) + 1;
  // In ceil mode the last window must still start inside the input or its leading padding.
  if (ceil && (out - 1) * stride >= input + padBegin) out--;
  return out;
}

/** [N, C, L] as [N, C, 1, L] for a lifted 1-D window; other shapes unchanged. */
export function lift4(shape: Shape, w: Window2D): Shape {
  return w.lifted ? [shape[0], shape[1], 1, ...shape.slice(2)] : shape;
}

/**
 * Reads kernel, strides, pads (resolving `auto_pad`) and dilations of a 1-D or 2-D Conv or pool node; a 1-D
 * window is lifted to 2-D over [N, C, 1, L].
 * @param kernel kernel size from the weight (Conv) or undefined to read `kernel_shape` (pools).
 */
export function readWindow2D(node: OnnxNode, inputShape: Shape, kernel: readonly number[] | undefined): Window2D {
  const lifted = inputShape.length === 3;
  if (inputShape.length !== 4 && !lifted) throw new UnsupportedOpError(node.name, node.opType, `only 1-D (NCL) and 2-D (NCHW) inputs are supported, got rank ${inputShape.length}`);
  const dims = lifted ? 1 : 2;
  const k0 = kernel ?? attrInts(node, 'kernel_shape');
  if (k0 === undefined || k0.length !== dims) throw new UnsupportedOpError(node.name, node.opType, `needs a ${dims}-D kernel_shape`);
  const strides0 = attrInts(node, 'strides') ?? new Array<number>(dims).fill(1);
  const dilations0 = attrInts(node, 'dilations') ?? new Array<number>(dims).fill(1);
  if (strides0.length !== dims || dilations0.length !== dims) throw new ShapeError(`node "${node.name}": strides and dilations must have ${dims} entries`);
  const pads0 = attrInts(node, 'pads') ?? new Array<number>(2 * dims).fill(0);
  if (pads0.length !== 2 * dims) throw new ShapeError(`node "${node.name}": pads must have ${2 * dims} entries for a ${dims}-D window`);
  const k = lifted ? [1, k0[0]] : k0;
  const strides = lifted ? [1, strides0[0]] : strides0;
  const dilations = lifted ? [1, dilations0[0]] : dilations0;
  const shape4 = lifted ? [inputShape[0], inputShape[1], 1, inputShape[2]] : inputShape;
  const autoPad = attrString(node, 'auto_pad', 'NOTSET');
  let pads = lifted ? [0, pads0[0], 0, pads0[1]] : pads0;
  if (autoPad === 'VALID') pads = [0, 0, 0, 0];
  else if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    const p = [0, 0, 0, 0];
    for (let i = 0; i < 2; i++) {
      const input = shape4[2 + i];
      const out = Math.ceil(input / strides[i]);
      const total = Math.max(0, (out - 1) * strides[i] + (k[i] - 1) * dilations[i] + 1 - input);
      const small = Math.floor(total / 2);
      p[i] = autoPad === 'SAME_UPPER' ? small : total - small;
      p[i + 2] = total - p[i];
    }
    pads = p;
  } else if (autoPad !== 'NOTSET') throw new UnsupportedOpError(node.name, node.opType, `unknown auto_pad "${autoPad}"`);
  if (attrInt(node, 'storage_order', 0) !== 0) throw new UnsupportedOpError(node.name, node.opType, 'storage_order=1 is not supported');
  return {
    kernel: [k[0], k[1]],
    strides: [strides[0], strides[1]],
    pads: [pads[0], pads[1], pads[2], pads[3]],
    dilations: [dilations[0], dilations[1]],
    lifted,
  };
}

/** Spatial output size [OH, OW] of a 2-D window over an NCHW input. */
export function windowOutput(w: Window2D, inputShape: Shape, ceil: boolean): [number, number] {
  return [
    outputLength(inputShape[2], w.kernel[0], w.strides[0], w.pads[0], w.pads[2], w.dilations[0], ceil),
    outputLength(inputShape[3], w.kernel[1], w.strides[1], w.pads[1], w.pads[3], w.dilations[1], ceil),
  ];
}

/**
 * ConvTranspose (1-D, 2-D or 3-D) as a convolution of a spread-out input. Per spatial axis, with
 * k_eff = (k − 1)·d + 1: the output size is s·(in − 1) + output_padding + k_eff − pad_begin − pad_end (pads from
 * `output_shape` or `auto_pad` as ONNX defines them); the spread input has out + k_eff − 1 cells, cell t holding
 * input cell (t − o)/s when that is an integer inside the input (o = k_eff − 1 − pad_begin), zero elsewhere; a
 * stride-1 convolution with dilation d by the flipped kernel then gives the output. A 1-D one is the 2-D one over
 * [N, C, 1, L].
 */
export function resolveConvTranspose(node: OnnxNode, x: Shape, w: Shape): Extract<Op, { type: 'ConvTranspose' }> {
  const lifted = x.length === 3;
  if ((x.length !== 4 && x.length !== 5 && !lifted) || w.length !== x.length) throw new UnsupportedOpError(node.name, node.opType, `only 1-D, 2-D and 3-D transposed convolutions are supported (input rank ${x.length}, weight rank ${w.length})`);
  const dims = lifted ? 1 : x.length - 2;
  const sp = lifted ? 2 : dims;
  const lift = (v: readonly number[], pad: number) => (lifted ? [pad, ...v] : [...v]);
  const xs = lifted ? [x[0], x[1], 1, x[2]] : x;
  const ws = lifted ? [w[0], w[1], 1, w[2]] : w;
  const group = attrInt(node, 'group', 1);
  if (xs[1] !== ws[0] || ws[0] % group !== 0) throw new ShapeError(`node "${node.name}": ConvTranspose input [${x}], weight [${w}] and group ${group} do not fit`);
  const list = (name: string, fill: number, n = dims) => {
    const v = attrInts(node, name) ?? new Array<number>(n).fill(fill);
    if (v.length !== n) throw new ShapeError(`node "${node.name}": ${name} must have ${n} entries`);
    return v;
  };
  const strides = lift(list('strides', 1), 1);
  const dilations = lift(list('dilations', 1), 1);
  const outputPadding = lift(list('output_padding', 0), 0);
  const padsAttr = list('pads', 0, 2 * dims);
  const pads = lifted ? [0, padsAttr[0], 0, padsAttr[1]] : [...padsAttr];
  const autoPad = attrString(node, 'auto_pad', 'NOTSET');
  const shapeAttr = attrInts(node, 'output_shape');
  const given = shapeAttr === undefined ? undefined : lift(shapeAttr.length === dims + 2 ? shapeAttr.slice(2) : shapeAttr, 1);
  const out: number[] = [];
  for (let i = 0; i < sp; i++) {
    const [input, k, s, d] = [xs[2 + i], ws[2 + i], strides[i], dilations[i]];
    const keff = (k - 1) * d + 1;
    const full = s * (input - 1) + outputPadding[i] + keff;
    if (given !== undefined || autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
      const target = given?.[i] ?? input * s;
      const total = full - target;
      const half = Math.floor(total / 2);
      [pads[i], pads[i + sp]] = autoPad === 'SAME_UPPER' ? [half, total - half] : [total - half, half];
    } else if (autoPad !== 'NOTSET' && autoPad !== 'VALID') throw new UnsupportedOpError(node.name, node.opType, `unknown auto_pad "${autoPad}"`);
    out.push(full - pads[i] - pads[i + sp]);
  }
  if (out.some((d) => d < 1)) throw new ShapeError(`node "${node.name}": ConvTranspose output [${out}] is empty`);
  const keffs = out.map((_, i) => (ws[2 + i] - 1) * dilations[i] + 1);
  const spreadShape = [xs[0], xs[1], ...out.map((o, i) => o + keffs[i] - 1)];
  const spread = new Int32Array(spreadShape.reduce((a, b) => a * b, 1)).fill(-1);
  const source = (t: number, i: number): number => {
    const r = t - (keffs[i] - 1 - pads[i]);
    return r >= 0 && r % strides[i] === 0 && r / strides[i] < xs[2 + i] ? r / strides[i] : -1;
  };
  const inner = spreadShape.slice(2);
  const cellsPerImage = inner.reduce((a, b) => a * b, 1);
  for (let cell = 0; cell < spread.length; cell++) {
    // Coordinates of the spread cell, then its source along every spatial axis.
    let rest = cell % cellsPerImage;
    let src = Math.floor(cell / cellsPerImage);
    const coords = new Array<number>(sp);
    for (let i = sp - 1; i >= 0; i--) {
      coords[i] = rest % inner[i];
      rest = Math.floor(rest / inner[i]);
    }
    let inside = true;
    for (let i = 0; i < sp && inside; i++) {
      const si = source(coords[i], i);
      if (si < 0) inside = false;
      src = src * xs[2 + i] + si;
    }
    if (inside) spread[cell] = src;
  }
  const m = ws[1] * group;
  const shape = lifted ? [xs[0], m, out[1]] : [xs[0], m, ...out];
  if (sp === 3) {
    const conv = { type: 'Conv3D' as const, group, window: { kernel: ws.slice(2), strides: [1, 1, 1], pads: [0, 0, 0, 0, 0, 0], dilations }, shape };
    return { type: 'ConvTranspose', spread, spreadShape, conv, shape };
  }
  const conv = { type: 'Conv' as const, group, kernel: [ws[2], ws[3]] as const, strides: [1, 1] as const, pads: [0, 0, 0, 0] as const, dilations: [dilations[0], dilations[1]] as const, lifted };
  // A lifted (1-D) spread stays [N, C, L]: the convolution lifts its input itself.
  return { type: 'ConvTranspose', spread, spreadShape: lifted ? [spreadShape[0], spreadShape[1], spreadShape[3]] : spreadShape, conv, shape };
}

/** A MaxPool or AveragePool over a rank-5 input [N, C, D, H, W]: kernel, strides, pads (or auto_pad), dilations, ceil_mode. */
export function resolvePool3D(node: OnnxNode, x: Shape): Extract<Op, { type: 'Pool3D' }> {
  const kernel = attrInts(node, 'kernel_shape');
  if (kernel === undefined || kernel.length !== 3) throw new UnsupportedOpError(node.name, node.opType, 'needs a 3-D kernel_shape');
  if (attrInt(node, 'storage_order', 0) !== 0) throw new UnsupportedOpError(node.name, node.opType, 'storage_order=1 is not supported');
  const { window, out } = readWindow3D(node, x, kernel, attrInt(node, 'ceil_mode', 0) !== 0);
  return {
    type: 'Pool3D',
    kind: node.opType === 'MaxPool' ? 'max' : 'average',
    countIncludePad: attrInt(node, 'count_include_pad', 0) !== 0,
    window,
    shape: [x[0], x[1], ...out],
  };
}

/** Strides, dilations and pads (resolving `auto_pad`) of a 3-D window of `kernel` over [N, C, D, H, W], and the output's spatial size. */
function readWindow3D(node: OnnxNode, x: Shape, kernel: readonly number[], ceil: boolean): { window: WindowND; out: number[] } {
  const strides = attrInts(node, 'strides') ?? [1, 1, 1];
  const dilations = attrInts(node, 'dilations') ?? [1, 1, 1];
  let pads = attrInts(node, 'pads') ?? [0, 0, 0, 0, 0, 0];
  if (strides.length !== 3 || dilations.length !== 3 || pads.length !== 6) throw new ShapeError(`node "${node.name}": strides, dilations and pads must have 3, 3 and 6 entries`);
  const autoPad = attrString(node, 'auto_pad', 'NOTSET');
  if (autoPad === 'VALID') pads = [0, 0, 0, 0, 0, 0];
  else if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
    const p = [0, 0, 0, 0, 0, 0];
    for (let i = 0; i < 3; i++) {
      const total = Math.max(0, (Math.ceil(x[2 + i] / strides[i]) - 1) * strides[i] + (kernel[i] - 1) * dilations[i] + 1 - x[2 + i]);
      p[i] = autoPad === 'SAME_UPPER' ? Math.floor(total / 2) : total - Math.floor(total / 2);
      p[i + 3] = total - p[i];
    }
    pads = p;
  } else if (autoPad !== 'NOTSET') throw new UnsupportedOpError(node.name, node.opType, `unknown auto_pad "${autoPad}"`);
  const out = [0, 1, 2].map((i) => outputLength(x[2 + i], kernel[i], strides[i], pads[i], pads[i + 3], dilations[i], ceil));
  return { window: { kernel, strides, pads, dilations }, out };
}

/** A 3-D Conv over [N, C, D, H, W] with a weight [M, C/group, KD, KH, KW]. */
export function resolveConv3D(node: OnnxNode, x: Shape, w: Shape): Extract<Op, { type: 'Conv3D' }> {
  const group = attrInt(node, 'group', 1);
  const kernel = attrInts(node, 'kernel_shape') ?? w.slice(2);
  if (x.length !== 5 || kernel.length !== 3 || kernel.some((k, i) => k !== w[2 + i])) throw new ShapeError(`node "${node.name}": a 3-D Conv needs an input [N, C, D, H, W] and a weight [M, C/group, KD, KH, KW] (got [${x}] and [${w}])`);
  if (x[1] !== w[1] * group || w[0] % group !== 0) throw new ShapeError(`node "${node.name}": Conv input [${x}], weight [${w}] and group ${group} do not fit`);
  const { window, out } = readWindow3D(node, x, kernel, false);
  if (out.some((d) => d < 1)) throw new ShapeError(`node "${node.name}": the kernel does not fit the input [${x}]`);
  return { type: 'Conv3D', group, window, shape: [x[0], w[0], ...out] };
}
