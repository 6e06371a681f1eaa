/**
 * Matrix products of the float interpreter.
 * @module
 */
import { matmulShape } from '../infer';
import { broadcastMap } from '../index-map';
import { sizeOf } from '../shape';
import type { Tensor } from '../tensor';

/** C[m×n] = A[m×k] · B[k×n] for row-major blocks at the given offsets, accumulated into `out` at `oo`. */
export function gemmBlock(a: Float64Array, ao: number, b: Float64Array, bo: number, out: Float64Array, oo: number, m: number, k: number, n: number): void {
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const av = a[ao + i * k + p];
      if (av === 0) continue;
      const brow = bo + p * n;
      const orow = oo + i * n;
      for (let j = 0; j < n; j++) out[orow + j] += av * b[brow + j];
    }
  }
}

/** Numpy `matmul` (ONNX MatMul): 1-D operands promoted, batch axes broadcast. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  const shape = matmulShape(a.shape, b.shape, 'MatMul');
  const a2 = a.shape.length === 1 ? [1, a.shape[0]] : a.shape;
  const b2 = b.shape.length === 1 ? [b.shape[0], 1] : b.shape;
  const m = a2[a2.length - 2];
  const k = a2[a2.length - 1];
  const n = b2[b2.length - 1];
  const batchA = a2.slice(0, -2);
  const batchB = b2.slice(0, -2);
  const batch = shape.slice(0, shape.length - (a.shape.length > 1 ? 1 : 0) - (b.shape.length > 1 ? 1 : 0));
  const nb = sizeOf(batch);
  const ma = broadcastMap(batchA, batch);
  const mb = broadcastMap(batchB, batch);
  const out = new Float64Array(nb * m * n);
  for (let t = 0; t < nb; t++) gemmBlock(a.data, ma[t] * m * k, b.data, mb[t] * k * n, out, t * m * n, m, k, n);
  return { shape, data: out };
}

/** Transposes a 2-D tensor. */
export function transpose2d(t: Tensor): Tensor {
  const [r, c] = t.shape;
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = t.data[i * c + j];
  return { shape: [c, r], data: out };
}
