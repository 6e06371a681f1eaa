// The BN254 pairing product in the kernels: the optimal ate Miller loops of several pairs sharing one
// accumulator, from the G2 line coefficients `@noble/curves` precomputes (one set per G2 point, computed and
// cached by the caller), then the final exponentiation. Every step is the same field operation as noble's
// (src/engine/pairing.ts runs noble's loop on the same coefficients), so the product is the same element of Fp12.
//
// Tower (noble's, EIP-197): Fp2 = Fp[u]/(u² + 1), Fp6 = Fp2[v]/(v³ − ξ) with ξ = 9 + u, Fp12 = Fp6[w]/(w² − v).
// An Fp6 element is c0 + c1·v + c2·v² (3 Fp2, 216 bytes), an Fp12 element c0 + c1·w (2 Fp6, 432 bytes); every Fp
// coefficient is semi-reduced Montgomery (generated/fp.ts). Functions may alias their output with an input.
import { fp_add, fp_mul, fp_sub } from './generated/fp';
import { fp2_add, fp2_copy, fp2_inv, fp2_mul, fp2_neg, fp2_ONE, fp2_sqr, fp2_sub } from './fp2';

const F2: usize = 72;
const F6: usize = 216;
const F12: usize = 432;

// ---------------------------------------------------------------------------------------------------------
// Fp2: multiplication by ξ and the Frobenius map

const XI9 = memory.data(72);
const XIT = memory.data(72);

/** out = ξ·a = (9a0 − a1) + (a0 + 9a1)·u. */
function fp2_mulXi(out: usize, a: usize): void {
  fp2_add(XI9, a, a);
  fp2_add(XI9, XI9, XI9);
  fp2_add(XI9, XI9, XI9);
  fp2_add(XI9, XI9, a);
  fp_sub(XIT, XI9, a + 36);
  fp_add(XIT + 36, a, XI9 + 36);
  fp2_copy(out, XIT);
}

/** out = a·x for x in Fp. */
function fp2_mulFp(out: usize, a: usize, x: usize): void {
  fp_mul(out, a, x);
  fp_mul(out + 36, a + 36, x);
}

/** out = conjugate of a (a^p in Fp2): c0 − c1·u. */
function fp2_conj(out: usize, a: usize): void {
  fp2_copy(out, a);
  fp2_neg(XIT, a);
  memory.copy(out + 36, XIT + 36, 36);
}

// ---------------------------------------------------------------------------------------------------------
// Fp6

function fp6_add(out: usize, a: usize, b: usize): void {
  fp2_add(out, a, b);
  fp2_add(out + F2, a + F2, b + F2);
  fp2_add(out + 2 * F2, a + 2 * F2, b + 2 * F2);
}

function fp6_sub(out: usize, a: usize, b: usize): void {
  fp2_sub(out, a, b);
  fp2_sub(out + F2, a + F2, b + F2);
  fp2_sub(out + 2 * F2, a + 2 * F2, b + 2 * F2);
}

function fp6_neg(out: usize, a: usize): void {
  fp2_neg(out, a);
  fp2_neg(out + F2, a + F2);
  fp2_neg(out + 2 * F2, a + 2 * F2);
}

const V_T = memory.data(72);

/** out = v·a = ξ·a2 + a0·v + a1·v². */
function fp6_mulByV(out: usize, a: usize): void {
  fp2_mulXi(V_T, a + 2 * F2);
  fp2_copy(out + 2 * F2, a + F2);
  fp2_copy(out + F2, a);
  fp2_copy(out, V_T);
}

const M_T0 = memory.data(72);
const M_T1 = memory.data(72);
const M_T2 = memory.data(72);
const M_S = memory.data(72);
const M_U = memory.data(72);
const M_R = memory.data(216);

/** out = a·b (Karatsuba: 6 Fp2 products). */
function fp6_mul(out: usize, a: usize, b: usize): void {
  fp2_mul(M_T0, a, b);
  fp2_mul(M_T1, a + F2, b + F2);
  fp2_mul(M_T2, a + 2 * F2, b + 2 * F2);
  // c0 = t0 + ξ·((a1 + a2)(b1 + b2) − t1 − t2)
  fp2_add(M_S, a + F2, a + 2 * F2);
  fp2_add(M_U, b + F2, b + 2 * F2);
  fp2_mul(M_S, M_S, M_U);
  fp2_sub(M_S, M_S, M_T1);
  fp2_sub(M_S, M_S, M_T2);
  fp2_mulXi(M_S, M_S);
  fp2_add(M_R, M_S, M_T0);
  // c1 = (a0 + a1)(b0 + b1) − t0 − t1 + ξ·t2
  fp2_add(M_S, a, a + F2);
  fp2_add(M_U, b, b + F2);
  fp2_mul(M_S, M_S, M_U);
  fp2_sub(M_S, M_S, M_T0);
  fp2_sub(M_S, M_S, M_T1);
  fp2_mulXi(M_U, M_T2);
  fp2_add(M_R + F2, M_S, M_U);
  // c2 = (a0 + a2)(b0 + b2) − t0 − t2 + t1
  fp2_add(M_S, a, a + 2 * F2);
  fp2_add(M_U, b, b + 2 * F2);
  fp2_mul(M_S, M_S, M_U);
  fp2_sub(M_S, M_S, M_T0);
  fp2_sub(M_S, M_S, M_T2);
  fp2_add(M_R + 2 * F2, M_S, M_T1);
  memory.copy(out, M_R, F6);
}

/** out = a·c for c in Fp2. */
function fp6_mulFp2(out: usize, a: usize, c: usize): void {
  fp2_mul(out, a, c);
  fp2_mul(out + F2, a + F2, c);
  fp2_mul(out + 2 * F2, a + 2 * F2, c);
}

const S_T = memory.data(72);
const S_R = memory.data(216);

/** out = a·(x0 + x1·v) = (a0x0 + ξ·a2x1) + (a0x1 + a1x0)·v + (a1x1 + a2x0)·v². */
function fp6_mul01(out: usize, a: usize, x0: usize, x1: usize): void {
  fp2_mul(S_R, a, x0);
  fp2_mul(S_T, a + 2 * F2, x1);
  fp2_mulXi(S_T, S_T);
  fp2_add(S_R, S_R, S_T);
  fp2_mul(S_R + F2, a, x1);
  fp2_mul(S_T, a + F2, x0);
  fp2_add(S_R + F2, S_R + F2, S_T);
  fp2_mul(S_R + 2 * F2, a + F2, x1);
  fp2_mul(S_T, a + 2 * F2, x0);
  fp2_add(S_R + 2 * F2, S_R + 2 * F2, S_T);
  memory.copy(out, S_R, F6);
}

const I_T0 = memory.data(72);
const I_T1 = memory.data(72);
const I_T2 = memory.data(72);
const I_S = memory.data(72);
const I_U = memory.data(72);

/** out = 1/a, for a ≠ 0 (the adjugate over the norm to Fp2). */
function fp6_inv(out: usize, a: usize): void {
  const a0 = a, a1 = a + F2, a2 = a + 2 * F2;
  // t0 = a0² − ξ·a1a2, t1 = ξ·a2² − a0a1, t2 = a1² − a0a2
  fp2_sqr(I_T0, a0);
  fp2_mul(I_S, a1, a2);
  fp2_mulXi(I_S, I_S);
  fp2_sub(I_T0, I_T0, I_S);
  fp2_sqr(I_T1, a2);
  fp2_mulXi(I_T1, I_T1);
  fp2_mul(I_S, a0, a1);
  fp2_sub(I_T1, I_T1, I_S);
  fp2_sqr(I_T2, a1);
  fp2_mul(I_S, a0, a2);
  fp2_sub(I_T2, I_T2, I_S);
  // n = ξ·(a2t1 + a1t2) + a0t0, the norm; 1/a = (t0, t1, t2)/n
  fp2_mul(I_S, a2, I_T1);
  fp2_mul(I_U, a1, I_T2);
  fp2_add(I_S, I_S, I_U);
  fp2_mulXi(I_S, I_S);
  fp2_mul(I_U, a0, I_T0);
  fp2_add(I_S, I_S, I_U);
  fp2_inv(I_S, I_S);
  fp2_mul(out, I_T0, I_S);
  fp2_mul(out + F2, I_T1, I_S);
  fp2_mul(out + 2 * F2, I_T2, I_S);
}

// ---------------------------------------------------------------------------------------------------------
// Fp12

const D_T1 = memory.data(216);
const D_T2 = memory.data(216);
const D_S = memory.data(216);
const D_U = memory.data(216);

/** out = a·b = (a0b0 + v·a1b1) + ((a0 + a1)(b0 + b1) − a0b0 − a1b1)·w. */
function fp12_mul(out: usize, a: usize, b: usize): void {
  fp6_mul(D_T1, a, b);
  fp6_mul(D_T2, a + F6, b + F6);
  fp6_add(D_S, a, a + F6);
  fp6_add(D_U, b, b + F6);
  fp6_mul(D_S, D_S, D_U);
  fp6_sub(D_S, D_S, D_T1);
  fp6_sub(out + F6, D_S, D_T2);
  fp6_mulByV(D_T2, D_T2);
  fp6_add(out, D_T1, D_T2);
}

/** out = a² = ((a0 + v·a1)(a0 + a1) − a0a1 − v·a0a1) + 2·a0a1·w. */
function fp12_sqr(out: usize, a: usize): void {
  fp6_mul(D_T1, a, a + F6);
  fp6_mulByV(D_S, a + F6);
  fp6_add(D_S, D_S, a);
  fp6_add(D_U, a, a + F6);
  fp6_mul(D_S, D_S, D_U);
  fp6_sub(D_S, D_S, D_T1);
  fp6_mulByV(D_U, D_T1);
  fp6_sub(out, D_S, D_U);
  fp6_add(out + F6, D_T1, D_T1);
}

/** out = a0 − a1·w (a^(p⁶), the inverse of a unitary element). */
function fp12_conj(out: usize, a: usize): void {
  memory.copy(out, a, F6);
  fp6_neg(out + F6, a + F6);
}

/** out = 1/a = (a0 − a1·w)/(a0² − v·a1²), for a ≠ 0. */
function fp12_inv(out: usize, a: usize): void {
  fp6_mul(D_S, a, a);
  fp6_mul(D_U, a + F6, a + F6);
  fp6_mulByV(D_U, D_U);
  fp6_sub(D_S, D_S, D_U);
  fp6_inv(D_S, D_S);
  fp6_mul(out, a, D_S);
  fp6_mul(out + F6, a + F6, D_S);
  fp6_neg(out + F6, out + F6);
}

/**
 * out = a^(p^k) for k = 1, 2, 3: each Fp2 coefficient raised to p^k (conjugated when k is odd) times the constant of
 * its basis element v^j·w^i, which `consts` holds at (k − 1)·5 + (2j + i − 1) for 2j + i = 1 … 5:
 * γ_{k,m} = ξ^(m·(p^k − 1)/6) (w⁶ = ξ).
 */
function fp12_frobenius(out: usize, a: usize, k: u32, consts: usize): void {
  for (let i: usize = 0; i < 2; i++) {
    for (let j: usize = 0; j < 3; j++) {
      const c = a + i * F6 + j * F2;
      const o = out + i * F6 + j * F2;
      if (k & 1) fp2_conj(o, c);
      else fp2_copy(o, c);
      const m = 2 * j + i;
      if (m > 0) fp2_mul(o, o, consts + (<usize>(k - 1) * 5 + m - 1) * F2);
    }
  }
}

const Q_A2 = memory.data(72);
const Q_B2 = memory.data(72);

/** (first, second) = (ξ·b² + a², (a + b)² − a² − b²): the square of a + b·s in Fp4 = Fp2[s]/(s² − ξ). */
function fp4_sqr(first: usize, second: usize, a: usize, b: usize): void {
  fp2_sqr(Q_A2, a);
  fp2_sqr(Q_B2, b);
  fp2_add(second, a, b);
  fp2_sqr(second, second);
  fp2_sub(second, second, Q_A2);
  fp2_sub(second, second, Q_B2);
  fp2_mulXi(first, Q_B2);
  fp2_add(first, first, Q_A2);
}

const C_T = memory.data(9 * 72);
const C_R = memory.data(432);

/** out = 3·t + 2·(sign·c) for the cyclotomic square: 2·(t − c) + t (sign −1) or 2·(t + c) + t (sign +1). */
function cyclotomicTerm(out: usize, t: usize, c: usize, plus: bool): void {
  if (plus) fp2_add(out, t, c);
  else fp2_sub(out, t, c);
  fp2_add(out, out, out);
  fp2_add(out, out, t);
}

/**
 * out = a² for a in the cyclotomic subgroup (a^(p⁶ + 1)·… = 1, which every value after the easy part of the final
 * exponentiation is): Granger–Scott, three squares in Fp4, as noble's `_cyclotomicSquare`.
 */
function fp12_cyclotomicSqr(out: usize, a: usize): void {
  const c00 = a, c01 = a + F2, c02 = a + 2 * F2;
  const c10 = a + F6, c11 = a + F6 + F2, c12 = a + F6 + 2 * F2;
  const t3 = C_T, t4 = C_T + F2, t5 = C_T + 2 * F2, t6 = C_T + 3 * F2, t7 = C_T + 4 * F2, t8 = C_T + 5 * F2, t9 = C_T + 6 * F2;
  fp4_sqr(t3, t4, c00, c11);
  fp4_sqr(t5, t6, c10, c02);
  fp4_sqr(t7, t8, c01, c12);
  fp2_mulXi(t9, t8);
  cyclotomicTerm(C_R, t3, c00, false);
  cyclotomicTerm(C_R + F2, t5, c01, false);
  cyclotomicTerm(C_R + 2 * F2, t7, c02, false);
  cyclotomicTerm(C_R + F6, t9, c10, true);
  cyclotomicTerm(C_R + F6 + F2, t4, c11, true);
  cyclotomicTerm(C_R + F6 + 2 * F2, t6, c12, true);
  memory.copy(out, C_R, F12);
}

const L_O0 = memory.data(72);
const L_O3 = memory.data(72);
const L_Y = memory.data(72);
const L_A = memory.data(216);
const L_B = memory.data(216);
const L_E = memory.data(216);

/**
 * f = f·ℓ for the line ℓ = c2·Py + (c1·Px + c0·v)·w of precomputed coefficients (c0, c1, c2) at P = (Px, Py)
 * (noble's `mul034ByLine(f, c2, c1, c0, Px, Py)` for the divisive twist): with ℓ = L0 + L1·w,
 * f·ℓ = (f0·L0 + v·f1·L1) + ((f0 + f1)(L0 + L1) − f0·L0 − f1·L1)·w.
 */
function fp12_mulLine(f: usize, line: usize, px: usize, py: usize): void {
  // o0 = c2·Py, o3 = c1·Px (Fp2 times Fp), o4 = c0.
  const c0 = line, c1 = line + F2, c2 = line + 2 * F2;
  fp2_mulFp(L_O0, c2, py);
  fp2_mulFp(L_O3, c1, px);
  fp6_mulFp2(L_A, f, L_O0);
  fp6_mul01(L_B, f + F6, L_O3, c0);
  fp6_add(L_E, f, f + F6);
  fp2_add(L_Y, L_O0, L_O3);
  fp6_mul01(L_E, L_E, L_Y, c0);
  fp6_sub(L_E, L_E, L_A);
  fp6_sub(f + F6, L_E, L_B);
  fp6_mulByV(L_B, L_B);
  fp6_add(f, L_A, L_B);
}

// ---------------------------------------------------------------------------------------------------------
// Final exponentiation

const X_10 = memory.data(432);
const X_100 = memory.data(432);
const X_1000 = memory.data(432);
const X_10001 = memory.data(432);
const X_10011 = memory.data(432);
const X_10100 = memory.data(432);
const X_11001 = memory.data(432);
const X_100111 = memory.data(432);
const X_101001 = memory.data(432);
const X_R = memory.data(432);

/** r = r^(2^count) by cyclotomic squares. */
function cyclotomicSqrN(r: usize, count: i32): void {
  for (let i = 0; i < count; i++) fp12_cyclotomicSqr(r, r);
}

/**
 * out = a^x for a in the cyclotomic subgroup, x = 0x44e992b44a6909f1 the BN254 seed: noble's addition chain
 * (`bn254CyclotomicExpX`), 62 cyclotomic squares and 17 multiplications.
 */
function fp12_expX(out: usize, a: usize): void {
  fp12_cyclotomicSqr(X_10, a);
  fp12_cyclotomicSqr(X_100, X_10);
  fp12_cyclotomicSqr(X_1000, X_100);
  fp12_cyclotomicSqr(X_R, X_1000); // x10000
  fp12_mul(X_10001, X_R, a);
  fp12_mul(X_10011, X_10001, X_10);
  fp12_mul(X_10100, X_10011, a);
  fp12_mul(X_11001, X_1000, X_10001);
  fp12_mul(X_100111, X_10011, X_10100);
  fp12_mul(X_101001, X_10, X_100111);
  fp12_cyclotomicSqr(X_R, X_10001); // x100010
  cyclotomicSqrN(X_R, 6);
  fp12_mul(X_R, X_R, X_100);
  fp12_mul(X_R, X_R, X_11001);
  cyclotomicSqrN(X_R, 7);
  fp12_mul(X_R, X_R, X_11001);
  cyclotomicSqrN(X_R, 8);
  fp12_mul(X_R, X_R, X_101001);
  fp12_mul(X_R, X_R, X_10);
  cyclotomicSqrN(X_R, 6);
  fp12_mul(X_R, X_R, X_10001);
  cyclotomicSqrN(X_R, 8);
  fp12_mul(X_R, X_R, X_101001);
  cyclotomicSqrN(X_R, 6);
  fp12_mul(X_R, X_R, X_101001);
  cyclotomicSqrN(X_R, 10);
  fp12_mul(X_R, X_R, X_100111);
  cyclotomicSqrN(X_R, 6);
  fp12_mul(X_R, X_R, X_101001);
  fp12_mul(out, X_R, X_1000);
}

/** out = a^(−x) = conjugate(a^x) for a in the cyclotomic subgroup. */
function fp12_powMinusX(out: usize, a: usize): void {
  fp12_expX(out, a);
  fp12_conj(out, out);
}

const E_R = memory.data(432);
const E_T = memory.data(432);
const E_Y1 = memory.data(432);
const E_Y2 = memory.data(432);
const E_Y4 = memory.data(432);
const E_Y8 = memory.data(432);
const E_Y9 = memory.data(432);
const E_A = memory.data(432);

/**
 * out = f^((p¹² − 1)/r · c) exactly as noble's `Fp12.finalExponentiate` for BN254: the easy part
 * r = f^((p⁶ − 1)(p² + 1)), then its hard part by the chain of powers of x (y1 … y9) and Frobenius maps.
 */
function fp12_finalExponentiation(out: usize, f: usize, consts: usize): void {
  // r0 = conj(f)/f, r = r0^(p²)·r0
  fp12_inv(E_T, f);
  fp12_conj(E_R, f);
  fp12_mul(E_R, E_R, E_T);
  fp12_frobenius(E_T, E_R, 2, consts);
  fp12_mul(E_R, E_T, E_R);
  // y1 = (r^(−x))², y2 = y1²·y1, y4 = y2^(−x), y6 = (y4²)^(−x)
  fp12_powMinusX(E_Y1, E_R);
  fp12_cyclotomicSqr(E_Y1, E_Y1);
  fp12_cyclotomicSqr(E_Y2, E_Y1);
  fp12_mul(E_Y2, E_Y2, E_Y1);
  fp12_powMinusX(E_Y4, E_Y2);
  fp12_cyclotomicSqr(E_T, E_Y4);
  fp12_powMinusX(E_T, E_T); // y6
  // y8 = conj(y6)·y4·conj(y2), y9 = y8·y1
  fp12_conj(E_Y8, E_T);
  fp12_mul(E_Y8, E_Y8, E_Y4);
  fp12_conj(E_T, E_Y2);
  fp12_mul(E_Y8, E_Y8, E_T);
  fp12_mul(E_Y9, E_Y8, E_Y1);
  // out = (conj(r)·y9)^(p³) · ((y8)^(p²) · ((y9)^p · ((y8·y4)·r)))
  fp12_mul(E_A, E_Y8, E_Y4);
  fp12_mul(E_A, E_A, E_R);
  fp12_frobenius(E_T, E_Y9, 1, consts);
  fp12_mul(E_A, E_T, E_A);
  fp12_frobenius(E_T, E_Y8, 2, consts);
  fp12_mul(E_A, E_T, E_A);
  fp12_conj(E_T, E_R);
  fp12_mul(E_T, E_T, E_Y9);
  fp12_frobenius(E_T, E_T, 3, consts);
  fp12_mul(out, E_T, E_A);
}

// ---------------------------------------------------------------------------------------------------------
// The product

/**
 * out (Fp12, Montgomery) = Π_j e(P_j, Q_j) over n pairs, with one final exponentiation. `points` holds each P_j as
 * (x, y) (2 Fp each); `lines` holds, pair after pair, the `lineCount` line coefficients (c0, c1, c2) (3 Fp2 each) of
 * Q_j's Miller loop; `counts[i]` (u32) is how many of them step i of the loop uses (the same for every Q), over
 * `steps` steps. As noble's `millerLoopBatch`: f = 1, then per step f = f² (not before the first) and f = f·ℓ for
 * each line of each pair. `consts` holds the Frobenius constants (see fp12_frobenius).
 */
export function bn254_pairingProduct(out: usize, lines: usize, counts: usize, steps: u32, lineCount: u32, points: usize, n: u32, consts: usize): void {
  memory.fill(out, 0, F12);
  fp2_copy(out, fp2_ONE);
  let at: usize = 0;
  for (let i: u32 = 0; i < steps; i++) {
    if (i !== 0) fp12_sqr(out, out);
    const count = <usize>load<u32>(counts + (<usize>i << 2));
    for (let j: usize = 0; j < <usize>n; j++) {
      const px = points + j * F2;
      for (let l: usize = 0; l < count; l++) fp12_mulLine(out, lines + (j * <usize>lineCount + at + l) * 3 * F2, px, px + 36);
    }
    at += count;
  }
  fp12_finalExponentiation(out, out, consts);
}
