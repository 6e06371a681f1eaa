/**
 * Float tensors of the reference interpreter.
 * @module
 */
import { ShapeError } from './errors';
import { fmtShape, sizeOf, type Shape } from './shape';

/** A dense row-major float64 tensor. */
export interface Tensor {
  readonly shape: Shape;
  readonly data: Float64Array;
}

/** Builds a tensor, checking that `data` has as many values as `shape` needs. */
export function tensor(shape: Shape, data: Float64Array | readonly number[]): Tensor {
  const d = data instanceof Float64Array ? data : Float64Array.from(data);
  if (d.length !== sizeOf(shape)) throw new ShapeError(`tensor of shape ${fmtShape(shape)} needs ${sizeOf(shape)} values, got ${d.length}`);
  return { shape: [...shape], data: d };
}
