/**
 * The two roundings of the quantized semantics, both "round half up" (towards +∞ on ties), both exact.
 * @module
 */

/**
 * Fixed-point division by 2^shift: floor((x + 2^(shift−1)) / 2^shift), shift ≥ 1. BigInt `>>` is an
 * arithmetic shift, i.e. floor division, also for negative x. The remainder
 * x + 2^(shift−1) − 2^shift·y lies in [0, 2^shift).
 */
export function rescaleInt(x: bigint, shift: number): bigint {
  const k = BigInt(shift);
  return (x + (1n << (k - 1n))) >> k;
}

/**
 * Quantizes a real number at scale 2^scale: floor(v·2^scale + 1/2), computed exactly (v·2^scale is exact
 * in float64; the fractional part is compared with 1/2 instead of adding 1/2, which could round up).
 */
export function quantizeReal(v: number, scale: number): bigint {
  if (!Number.isFinite(v)) throw new RangeError(`cannot quantize ${v}`);
  const t = v * 2 ** scale;
  const f = Math.floor(t);
  return BigInt(f) + (t - f >= 0.5 ? 1n : 0n);
}

/** The real number q·2^(−scale) (rounded to float64). */
export function dequantize(q: bigint, scale: number): number {
  return Number(q) * 2 ** -scale;
}

/** Largest scale s with maxAbs·2^s ≤ 2^(bits−1) − 1 (so quantized magnitudes fit in `bits` signed bits); `cap` when maxAbs is 0. */
export function scaleForRange(maxAbs: number, bits: number, cap: number): number {
  if (!(maxAbs > 0)) return cap;
  return Math.min(cap, Math.floor(Math.log2((2 ** (bits - 1) - 1) / maxAbs)));
}
