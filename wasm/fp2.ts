// Fp2 = Fp[u]/(u² + 1), the coordinate field of BN254's G2. An element is c0 + c1·u stored as two Fp
// elements (72 bytes), each semi-reduced Montgomery (see generated/fp.ts). Built on the Fp kernels so
// G2 shares the field code of G1.
import {
  fp_add, fp_canon, fp_copy, fp_eqCanon, fp_inv, fp_isZero, fp_mul, fp_mul3, fp_sub, fp_subP, fp_subCanon, fp_sub2Canon,
  fp_fromWords, fp_toWords, fp_ONE,
} from './generated/fp';

const T0 = memory.data(36);
const T1 = memory.data(36);
const T2 = memory.data(36);
const T3 = memory.data(36);
const ZERO = memory.data(36);

/** Montgomery one of Fp2 (1 + 0·u). */
export const fp2_ONE = memory.data(72);
memory.copy(fp2_ONE, fp_ONE, 36);

/** out = a·b: (a0b0 − a1b1) + ((a0 + a1)(b0 + b1) − a0b0 − a1b1)·u (Karatsuba, 3 Fp products). */
export function fp2_mul(out: usize, a: usize, b: usize): void {
  fp_mul(T0, a, b);
  fp_mul(T1, a + 36, b + 36);
  fp_add(T2, a, a + 36);
  fp_add(T3, b, b + 36);
  fp_mul(T2, T2, T3);
  fp_sub(T2, T2, T0);
  fp_sub(out + 36, T2, T1);
  fp_sub(out, T0, T1);
}

const K = memory.data(12 * 36);

/** o_k = a_k·b_k for k = 1, 2, 3: the 9 Fp products of three Karatsuba products, 3 at a time (fp_mul3). */
export function fp2_mul3(o1: usize, a1: usize, b1: usize, o2: usize, a2: usize, b2: usize, o3: usize, a3: usize, b3: usize): void {
  // K: v0 (3), v1 (3), sa (3), sb (3) for the three products.
  fp_mul3(K, a1, b1, K + 36, a2, b2, K + 72, a3, b3);
  fp_mul3(K + 108, a1 + 36, b1 + 36, K + 144, a2 + 36, b2 + 36, K + 180, a3 + 36, b3 + 36);
  fp_add(K + 216, a1, a1 + 36);
  fp_add(K + 252, a2, a2 + 36);
  fp_add(K + 288, a3, a3 + 36);
  fp_add(K + 324, b1, b1 + 36);
  fp_add(K + 360, b2, b2 + 36);
  fp_add(K + 396, b3, b3 + 36);
  fp_mul3(K + 216, K + 216, K + 324, K + 252, K + 252, K + 360, K + 288, K + 288, K + 396);
  fp2_finish(o1, K, K + 108, K + 216);
  fp2_finish(o2, K + 36, K + 144, K + 252);
  fp2_finish(o3, K + 72, K + 180, K + 288);
}

/** out = (v0 − v1) + (v2 − v0 − v1)·u: the Karatsuba recombination. */
function fp2_finish(out: usize, v0: usize, v1: usize, v2: usize): void {
  fp_sub(v2, v2, v0);
  fp_sub(out + 36, v2, v1);
  fp_sub(out, v0, v1);
}

/** out = a²: (a0 + a1)(a0 − a1) + 2·a0·a1·u. */
export function fp2_sqr(out: usize, a: usize): void {
  fp_add(T0, a, a + 36);
  fp_sub(T1, a, a + 36);
  fp_mul(T2, a, a + 36);
  fp_mul(out, T0, T1);
  fp_add(out + 36, T2, T2);
}

/** out = a + b. */
export function fp2_add(out: usize, a: usize, b: usize): void {
  fp_add(out, a, b);
  fp_add(out + 36, a + 36, b + 36);
}

/** out = a − b. */
export function fp2_sub(out: usize, a: usize, b: usize): void {
  fp_sub(out, a, b);
  fp_sub(out + 36, a + 36, b + 36);
}

/** out = a − b + p componentwise, unreduced (see fp_subP). */
export function fp2_subP(out: usize, a: usize, b: usize): void {
  fp_subP(out, a, b);
  fp_subP(out + 36, a + 36, b + 36);
}

/** out = (a − b) mod p componentwise, canonical (see fp_subCanon). */
export function fp2_subCanon(out: usize, a: usize, b: usize): void {
  fp_subCanon(out, a, b);
  fp_subCanon(out + 36, a + 36, b + 36);
}

/** out = (a − b − c) mod p componentwise, canonical (see fp_sub2Canon). */
export function fp2_sub2Canon(out: usize, a: usize, b: usize, c: usize): void {
  fp_sub2Canon(out, a, b, c);
  fp_sub2Canon(out + 36, a + 36, b + 36, c + 36);
}

/** out = −a. */
export function fp2_neg(out: usize, a: usize): void {
  fp_sub(out, ZERO, a);
  fp_sub(out + 36, ZERO, a + 36);
}

/** out = a mod p componentwise (canonical). */
export function fp2_canon(out: usize, a: usize): void {
  fp_canon(out, a);
  fp_canon(out + 36, a + 36);
}

/** True when a = 0. */
export function fp2_isZero(a: usize): bool {
  return fp_isZero(a) && fp_isZero(a + 36);
}

/** True when the canonical a and b are equal. */
export function fp2_eqCanon(a: usize, b: usize): bool {
  return fp_eqCanon(a, b) && fp_eqCanon(a + 36, b + 36);
}

/** out = a. */
export function fp2_copy(out: usize, a: usize): void {
  fp_copy(out, a);
  fp_copy(out + 36, a + 36);
}

/** out = 1/a = (a0 − a1·u)/(a0² + a1²), for a ≠ 0. */
export function fp2_inv(out: usize, a: usize): void {
  fp_mul(T0, a, a);
  fp_mul(T1, a + 36, a + 36);
  fp_add(T0, T0, T1);
  fp_inv(T0, T0);
  fp_mul(out, a, T0);
  fp_mul(T1, a + 36, T0);
  fp_sub(out + 36, ZERO, T1);
}

/** out (Montgomery) = the canonical pair (c0, c1) given as 16 little-endian u32 words. */
export function fp2_fromWords(out: usize, inp: usize): void {
  fp_fromWords(out, inp);
  fp_fromWords(out + 36, inp + 32);
}

/** out (16 little-endian u32 words) = the canonical pair of a. */
export function fp2_toWords(out: usize, a: usize): void {
  fp_toWords(out, a);
  fp_toWords(out + 32, a + 36);
}
