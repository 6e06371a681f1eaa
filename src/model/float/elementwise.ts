/**
 * Elementwise float kernels: broadcast binary ops and unary activations.
 * @module
 */
import { broadcastMap } from '../index-map';
import { broadcastShapes, sameShape } from '../shape';
import type { Tensor } from '../tensor';
import { erf } from './erf';

/** `f(a, b)` elementwise with numpy broadcasting. */
export function binary(a: Tensor, b: Tensor, f: (x: number, y: number) => number): Tensor {
  const shape = broadcastShapes(a.shape, b.shape, 'binary op');
  const out = new Float64Array(shape.reduce((p, d) => p * d, 1));
  if (sameShape(a.shape, shape) && sameShape(b.shape, shape)) {
    for (let i = 0; i < out.length; i++) out[i] = f(a.data[i], b.data[i]);
  } else {
    const ma = broadcastMap(a.shape, shape);
    const mb = broadcastMap(b.shape, shape);
    for (let i = 0; i < out.length; i++) out[i] = f(a.data[ma[i]], b.data[mb[i]]);
  }
  return { shape, data: out };
}

/** `f(a)` elementwise. */
export function unary(a: Tensor, f: (x: number) => number): Tensor {
  return { shape: a.shape, data: a.data.map(f) };
}

/** The logistic function 1 / (1 + e^(−x)), written to avoid overflow for large |x|. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** GELU, exact form x·Φ(x) = x/2 · (1 + erf(x/√2)). */
export function gelu(x: number): number {
  return 0.5 * x * (1 + erf(x / Math.SQRT2));
}

/** GELU, tanh approximation x/2 · (1 + tanh(√(2/π)·(x + 0.044715 x³))). */
export function geluTanh(x: number): number {
  return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
}

/** max(x, 0). */
export function relu(x: number): number {
  return x > 0 ? x : 0;
}
