/**
 * The scalar field Fr and base field Fp of BN254, from `@noble/curves`, plus the integer ↔ field maps
 * the rest of blockfold relies on.
 *
 * Scalars are `bigint`s in canonical form `0 ≤ x < r`.
 * @module
 */
import { bn254 } from '@noble/curves/bn254.js';
import { randomBytes } from '@noble/hashes/utils.js';

/** The BN254 scalar field Fr (order r ≈ 2^253.6). */
export const Fr = bn254.fields.Fr;
/** The BN254 base field Fp. */
export const Fp = bn254.fields.Fp;
/** The order r of Fr (= order of G1, G2 and GT). */
export const R: bigint = Fr.ORDER;
/** (r − 1) / 2: the largest magnitude a signed integer may have to round-trip through Fr. */
export const HALF_R: bigint = (R - 1n) >> 1n;

/** Maps a signed integer v to the field as `v mod r`. */
export function frFromSigned(v: bigint | number): bigint {
  const x = BigInt(v) % R;
  return x < 0n ? x + R : x;
}

/**
 * Inverse of {@link frFromSigned}: field elements above (r − 1)/2 decode as negative integers.
 * The comparison is at full width, so no value is ever truncated.
 */
export function frToSigned(x: bigint): bigint {
  return x > HALF_R ? x - R : x;
}

/** True when `x` is a canonical Fr element. */
export function isFr(x: bigint): boolean {
  return x >= 0n && x < R;
}

/** `a^e` in Fr for a non-negative exponent. */
export function frPow(a: bigint, e: bigint): bigint {
  return Fr.pow(a, e);
}

/** `[1, x, x², …, x^(count−1)]` in Fr. */
export function powers(x: bigint, count: number): bigint[] {
  const out = new Array<bigint>(count);
  let p = 1n;
  for (let i = 0; i < count; i++) {
    out[i] = p;
    p = (p * x) % R;
  }
  return out;
}

/**
 * Montgomery's batch inversion: `out[i] = 1 / xs[i]`, with one field inversion in total.
 * Zeros map to zero (callers that cannot accept zero check for it), so one zero does not poison the batch.
 */
export function batchInvertFr(xs: readonly bigint[]): bigint[] {
  const n = xs.length;
  const prefix = new Array<bigint>(n);
  let acc = 1n;
  for (let i = 0; i < n; i++) {
    prefix[i] = acc;
    if (xs[i] !== 0n) acc = (acc * xs[i]) % R;
  }
  let inv = Fr.inv(acc);
  const out = new Array<bigint>(n);
  for (let i = n - 1; i >= 0; i--) {
    if (xs[i] === 0n) {
      out[i] = 0n;
      continue;
    }
    out[i] = (inv * prefix[i]) % R;
    inv = (inv * xs[i]) % R;
  }
  return out;
}

/**
 * A uniformly random element of Fr from the platform's CSPRNG (Web Crypto): 512 random bits reduced mod r, so the
 * bias is below 2^−250. For verifier-side random linear combinations, never for anything a proof must reproduce.
 */
export function randomFr(): bigint {
  let x = 0n;
  for (const b of randomBytes(64)) x = (x << 8n) | BigInt(b);
  return x % R;
}
