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

/**
 * The powers of the bases {@link powers} was asked for last, each as long as the longest request, at most
 * {@link MEMO_ELEMENTS} elements in all (the oldest bases go first): a verifier asks for the same challenge's powers
 * at the same length many times and far apart (a matmul block's weights and their public vector both read
 * `β^0 … β^(N−1)`; 175 of the 349 calls of an 8-layer encoder's verification, 174 bases and 2,916 elements in all),
 * and a copy costs far less than a product and a reduction per element. A list longer than the budget (a setup's
 * powers of τ) is not kept.
 */
const powersMemo = new Map<bigint, bigint[]>();
const MEMO_ELEMENTS = 1 << 14;
let memoElements = 0;

/** `[1, x, x², …, x^(count−1)]` in Fr: a fresh array (callers may change it), from the memo of recent bases. */
export function powers(x: bigint, count: number): bigint[] {
  if (count > MEMO_ELEMENTS) return extendPowers([], x, count);
  let known = powersMemo.get(x);
  if (known === undefined) powersMemo.set(x, (known = []));
  if (known.length < count) {
    memoElements += count - known.length;
    extendPowers(known, x, count);
    for (const [base, list] of powersMemo) {
      if (memoElements <= MEMO_ELEMENTS) break;
      if (base === x) continue;
      powersMemo.delete(base);
      memoElements -= list.length;
    }
  }
  return known.slice(0, count);
}

/** Appends `x^k` for k = out.length … count − 1 to `out` (which holds `x^0 … x^(out.length−1)`); returns `out`. */
function extendPowers(out: bigint[], x: bigint, count: number): bigint[] {
  let p = out.length === 0 ? 1n : (out[out.length - 1] * x) % R;
  for (let i = out.length; i < count; i++) {
    out.push(p);
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

/**
 * A uniformly random integer below 2^128 from the platform's CSPRNG: the coefficient of a random linear combination
 * that checks many group elements at once, where a wrong element survives with probability at most 2^−128 and the
 * MSM of 128-bit scalars costs about half one of full-width scalars.
 */
export function random128(): bigint {
  let x = 0n;
  for (const b of randomBytes(16)) x = (x << 8n) | BigInt(b);
  return x;
}
