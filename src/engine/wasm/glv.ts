/**
 * The GLV endomorphism of BN254 G1 and the scalar decomposition the WASM MSM kernels use with it (the kernel
 * `g1_glvSplit` is generated from these constants by scripts/wasm/glv.ts; {@link splitScalar} is its bigint twin).
 *
 * G1 is y² = x³ + 3 over Fp with p ≡ 1 (mod 3), so Fp holds a primitive cube root of unity β and
 * φ(x, y) = (β·x, y) is an automorphism of the curve. It commutes with every multiplication, so on the prime-order
 * group it is a multiplication: φ(P) = λ·P for a primitive cube root of unity λ of Fr. Of the two cube roots in each
 * field only one pairing holds; {@link GLV_BETA} and {@link GLV_LAMBDA} are such a pair (the tests check φ(G) = λ·G,
 * and that the other β fails).
 *
 * An MSM of n full-width scalars becomes one of 2n half-width scalars: writing s_i = k1_i + λ·k2_i (mod r) with
 * |k1_i|, |k2_i| < 2^{@link GLV_BITS}, Σ s_i·P_i = Σ k1_i·P_i + k2_i·φ(P_i). The result is the same group
 * element, so nothing a proof holds changes; only the work does: Pippenger's windows halve, its additions stay
 * (2n points on half the windows), and its bucket reductions halve, which leaves room for one bit more per window.
 * @module
 */
import { R } from '../../field';

/** The cube root of unity β in Fp of the endomorphism φ(x, y) = (β·x, y). */
export const GLV_BETA = 0x59e26bcea0d48bacd4f263f1acdb5c4f5763473177fffffen;

/** The cube root of unity λ in Fr with φ(P) = λ·P for every P in G1. */
export const GLV_LAMBDA = 0xb3c4d79d41a917585bfc41088d8daaa78b17ea66b99c90ddn;

/** A lattice vector (a, b): a + b·λ ≡ 0 (mod r). */
export type LatticeVector = readonly [bigint, bigint];

/**
 * A reduced basis v1, v2 of the lattice L = {(a, b) : a + b·λ ≡ 0 (mod r)}, of determinant r, from the extended
 * Euclidean algorithm on (r, λ): every remainder r_j satisfies r_j ≡ t_j·λ, so (r_j, −t_j) ∈ L; the first
 * remainder below √r gives v1 and the shorter of its two neighbours v2 (Gallant–Lambert–Vanstone, §4), both
 * entries about √r ≈ 2^127.
 */
export function latticeBasis(r: bigint, lambda: bigint): [LatticeVector, LatticeVector] {
  const rows: Array<[bigint, bigint]> = [
    [r, 0n],
    [lambda, 1n],
  ];
  for (let [r0, r1, t0, t1] = [r, lambda, 0n, 1n]; r1 !== 0n; ) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [t0, t1] = [t1, t0 - q * t1];
    rows.push([r1, t1]);
  }
  let m = 0;
  while (rows[m][0] * rows[m][0] >= r) m++;
  const vector = (j: number): LatticeVector => [rows[j][0], -rows[j][1]];
  const norm = ([a, b]: LatticeVector): bigint => a * a + b * b;
  const v1 = vector(m);
  const v2 = norm(vector(m - 1)) <= norm(vector(m + 1)) ? vector(m - 1) : vector(m + 1);
  // Orient v2 so that det(v1, v2) = a1·b2 − b1·a2 = +r (the rounding below assumes it).
  return v1[0] * v2[1] - v1[1] * v2[0] > 0n ? [v1, v2] : [v1, [-v2[0], -v2[1]]];
}

/** The basis of {@link latticeBasis} for BN254's r and {@link GLV_LAMBDA}. */
export const GLV_BASIS = latticeBasis(R, GLV_LAMBDA);

/** Width of the fixed-point quotients: c_j = ⌊(k·g_j + 2^255) / 2^256⌉ with g_j ≈ 2^256·(coefficient)/r. */
const QUOTIENT_SHIFT = 256n;

/** round(x / y) for y > 0 and x ≥ 0. */
function roundDiv(x: bigint, y: bigint): bigint {
  return (2n * x + y) / (2n * y);
}

/**
 * The fixed-point multipliers g1 = round(2^256·b2/r) and g2 = round(−2^256·b1/r) of the decomposition: solving
 * (k, 0) = β1·v1 + β2·v2 over the rationals gives β1 = k·b2/r and β2 = −k·b1/r (Cramer, det = r), and
 * c_j = round(k·g_j / 2^256) is within 1/2 + k/2^257 < 5/8 of β_j for k < r < 2^254. Both are nonnegative for
 * BN254's basis (checked), so the kernel multiplies unsigned words.
 */
export function glvMultipliers([[, b1], [, b2]]: readonly [LatticeVector, LatticeVector], r: bigint): [bigint, bigint] {
  if (b2 <= 0n || b1 >= 0n) throw new Error('the GLV kernel expects b2 > 0 and b1 < 0');
  return [roundDiv(b2 << QUOTIENT_SHIFT, r), roundDiv(-b1 << QUOTIENT_SHIFT, r)];
}

/** {@link glvMultipliers} of BN254. */
export const GLV_MULTIPLIERS = glvMultipliers(GLV_BASIS, R);

/**
 * Bound on the halves: |k1|, |k2| < 2^127. With |β_j − c_j| < 5/8, (k1, k2) = (β1 − c1)·v1 + (β2 − c2)·v2 has
 * |k1| < 5/8·(|a1| + |a2|) and |k2| < 5/8·(|b1| + |b2|), both below 2^126.2 for BN254's basis.
 */
export const GLV_BITS = 127;

/**
 * The decomposition k ≡ k1 + λ·k2 (mod r) of a canonical scalar k with |k1|, |k2| < 2^{@link GLV_BITS}:
 * c1 = round(k·g1/2^256), c2 = round(k·g2/2^256) ({@link glvMultipliers}), (k1, k2) = (k, 0) − c1·v1 − c2·v2,
 * which differs from (k, 0) by a lattice vector, hence the congruence. The reference of the kernel `g1_glvSplit`.
 */
export function splitScalar(k: bigint): [bigint, bigint] {
  const [[a1, b1], [a2, b2]] = GLV_BASIS;
  const [g1, g2] = GLV_MULTIPLIERS;
  const half = 1n << (QUOTIENT_SHIFT - 1n);
  const c1 = (k * g1 + half) >> QUOTIENT_SHIFT;
  const c2 = (k * g2 + half) >> QUOTIENT_SHIFT;
  return [k - c1 * a1 - c2 * a2, -c1 * b1 - c2 * b2];
}
