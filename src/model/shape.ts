/**
 * Shape arithmetic shared by shape inference and the interpreters.
 * @module
 */
import { ShapeError } from './errors';

/** A static tensor shape (row-major). */
export type Shape = readonly number[];

/** Number of elements of a shape (1 for a scalar). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides of a shape. */
export function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** Resolves a possibly negative axis against `rank`, or throws a {@link ShapeError} naming `what`. */
export function normalizeAxis(axis: number, rank: number, what: string): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) throw new ShapeError(`${what}: axis ${axis} is out of range for rank ${rank}`);
  return a;
}

/** Numpy-style broadcast of two shapes, or a {@link ShapeError} naming `what`. */
export function broadcastShapes(a: Shape, b: Shape, what: string): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) throw new ShapeError(`${what}: shapes [${a}] and [${b}] cannot be broadcast together`);
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** True when two shapes are equal. */
export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Formats a shape for messages. */
export function fmtShape(s: Shape): string {
  return `[${s.join(', ')}]`;
}
