/**
 * 2-D window geometry (Conv, MaxPool, AveragePool): resolving ONNX attributes and output sizes.
 * @module
 */
import type { OnnxNode } from '../onnx/types';
import { attrInt, attrInts, attrString } from './attributes';
import { ShapeError, UnsupportedOpError } from './errors';
import type { Window2D } from './op';
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
