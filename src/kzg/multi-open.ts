/**
 * One KZG opening of polynomials at several points with two group elements, whatever the number of points
 * (SHPLONK, Boneh–Drake–Fisch–Gabizon, ePrint 2020/081, §4, for one point per polynomial).
 *
 * The caller has already batched the polynomials of each point: `F_b` is opened at `z_b` with claimed value `y_b`,
 * b < k. The points may coincide (rotations on two domains meet: `ω_4·ζ = ω_8²·ζ`; a claim on H_1 shifts by ω_1 = 1);
 * the argument below never divides by `z_b − z_c`. With `Z_T(X) = Π_b (X − z_b)` and `Z_{T∖b}(X) = Z_T(X)/(X − z_b)`:
 *
 * 1. for a challenge γ the prover sends `W = [h(τ)]₁`, `h(X) = Σ_b γ^b·(F_b(X) − y_b)/(X − z_b)`;
 * 2. for a challenge x drawn after W, the prover sends `W' = [q(τ)]₁` with
 *    `q(X)·(X − x) = Σ_b γ^b·Z_{T∖b}(x)·(F_b(X) − y_b) − Z_T(x)·h(X)` (the right side vanishes at x by the choice of h);
 * 3. the verifier checks, with `w_b = γ^b·Z_{T∖b}(x)`,
 *    `e(Σ_b w_b·([F_b]₁ − y_b·[1]₁) − Z_T(x)·W + x·W', [1]₂) = e(W', [τ]₂)`.
 *
 * With one point (k = 1, γ unused) h is the point's KZG proof and W' is not needed.
 *
 * **A committed quotient.** A point's `Q_b = (F_b − y_b)/(X − z_b)` may be given as its commitment `[Q_b]₁` instead of
 * F_b's coefficients, for a polynomial the prover never forms (a range table's `M' − S'·Z_S`, of degree 2^16 over a
 * basis other than the powers of τ, whose quotient is a sparse combination of that basis: `blocks/range.ts`). Both
 * proofs are linear in the points' quotients: `h = Σ_b γ^b·Q_b`, and since `F_b − y_b = (X − z_b)·Q_b`,
 * `Σ_b w_b·(F_b − y_b) − Z_T(x)·h = Σ_b γ^b·Z_{T∖b}(x)·((X − z_b) − (x − z_b))·Q_b = (X − x)·Σ_b w_b·Q_b`, so
 * `q = Σ_b w_b·Q_b`. A committed quotient adds `γ^b·[Q_b]₁` to W and `w_b·[Q_b]₁` to W', the dense points are divided
 * as before (their part of h and q is still a polynomial: the identity holds point by point), and the verifier's
 * check is unchanged. Nothing in the soundness argument reads how the prover formed W and W'.
 *
 * Why it is sound: if some `F_b(z_b) ≠ y_b`, then `(F_b − y_b)/(X − z_b)` is not a polynomial, and for all but k − 1
 * values of γ (drawn after the values) neither is `R(X) = Σ_b γ^b·(F_b − y_b)/(X − z_b)`: its residue at a point z is
 * `Σ_{b: z_b = z} γ^b·(F_b(z) − y_b)`, the errors of every batch at z (one or, where points coincide, several), a
 * nonzero polynomial in γ of degree < k. So R differs from the committed polynomial h. The check at x states `P(x) = 0` for `P = Σ_b γ^b·Z_{T∖b}·(F_b − y_b) − Z_T·h = Z_T·(R − h)`,
 * a nonzero polynomial of degree below deg + k fixed before x: a random x is a root with probability ≤ (deg + k)/r.
 * The check itself is a one-point KZG opening of that combination at x, binding as any KZG opening (q-SDH).
 * @module
 */
import { G1, g1Mul, type G1Point } from '../curve';
import { EquationError, type G1Factor, type PairingEquation } from '../equations/equation';
import { powers, R } from '../field';
import { divideByLinear } from '../poly/division';
import { commit } from './commit';
import type { KzgKey, KzgVerifierKey } from './key';

/** `F_b` (already batched) and its point `z_b`, or the commitment of its quotient (module comment). */
export type PointOpening = DenseOpening | CommittedQuotientOpening;

/** `F_b` in coefficient form and its point `z_b`. */
export interface DenseOpening {
  readonly poly: readonly bigint[];
  readonly point: bigint;
}

/** `[Q_b]₁ = [(F_b − y_b)/(X − z_b)]₁`, committed by the caller, and its point `z_b`. */
export interface CommittedQuotientOpening {
  readonly quotient: G1Point;
  readonly point: bigint;
}

/** `Σ_b k_b·[Q_b]₁` over the openings with a committed quotient (the identity when there is none). */
function committedQuotients(openings: readonly PointOpening[], scalars: readonly bigint[]): G1Point {
  let sum = G1.ZERO;
  openings.forEach((o, b) => {
    if ('quotient' in o) sum = sum.add(g1Mul(o.quotient, scalars[b]));
  });
  return sum;
}

/**
 * Round 1: `h = Σ_b γ^b·(F_b − F_b(z_b))/(X − z_b)` over the dense openings and `W = [h(τ)]₁ + Σ_b γ^b·[Q_b]₁` over the
 * committed quotients. Dividing drops the remainder `F_b(z_b)`, so the values are not needed here. `h` is the dense
 * part, which round 2 reads.
 */
export async function multiPointFirstProof(key: KzgKey, openings: readonly PointOpening[], gamma: bigint): Promise<{ h: readonly bigint[]; proof: G1Point }> {
  const gammas = powers(gamma, openings.length);
  const dense = openings.flatMap((o, b) => ('poly' in o ? [{ o, b }] : []));
  const quotients = dense.map(({ o }) => divideByLinear(o.poly, o.point).quotient);
  const h = key.engine.linearCombination(quotients, dense.map(({ b }) => gammas[b]));
  return { h, proof: (await commit(key, h)).add(committedQuotients(openings, gammas)) };
}

/**
 * Round 2: `W' = [q(τ)]₁ + Σ_b w_b·[Q_b]₁`, `q = (Σ_b w_b·F_b − Z_T(x)·h) / (X − x)` over the dense openings (h from round
 * 1) with `w_b = γ^b·Z_{T∖b}(x)` over every point; the constants `w_b·y_b` only change the remainder, which the division
 * drops (it is zero for true values).
 */
export async function multiPointSecondProof(key: KzgKey, openings: readonly PointOpening[], h: readonly bigint[], gamma: bigint, x: bigint): Promise<G1Point> {
  const { weights, vanishing } = multiPointWeights(openings.map((o) => o.point), gamma, x);
  const dense = openings.flatMap((o, b) => ('poly' in o ? [{ poly: o.poly, weight: weights[b] }] : []));
  const combined = key.engine.linearCombination([...dense.map((d) => d.poly), h], [...dense.map((d) => d.weight), R - vanishing]);
  return (await commit(key, divideByLinear(combined, x).quotient)).add(committedQuotients(openings, weights));
}

/** `w_b = γ^b·Z_{T∖b}(x)` for each point and `Z_T(x) = Π_b (x − z_b)`: what the verifier weights the commitments and W by. */
export function multiPointWeights(points: readonly bigint[], gamma: bigint, x: bigint): { weights: bigint[]; vanishing: bigint } {
  const factors = points.map((z) => (x - z + R) % R);
  const gammas = powers(gamma, points.length);
  const weights = points.map((_, b) => factors.reduce((acc, f, c) => (c === b ? acc : (acc * f) % R), gammas[b]));
  return { weights, vanishing: factors.reduce((acc, f) => (acc * f) % R, 1n) };
}

/**
 * Slot names of a multi-point opening: the combination `Σ_k c_k·[f_k]₁` (each c_k already holding its w_b), its value
 * `Σ_b w_b·y_b`, and W. With one point z, W is that point's KZG proof (`h = (F − y)/(X − z)`, `w_0 = 1`) and the check
 * is `e(Σ_k c_k·[f_k]₁ − y·[1]₁ + z·W, [1]₂) = e(W, [τ]₂)`: no x and no W'.
 */
export interface MultiPointOpeningSlots {
  /** The commitments and their weights `c_k` (Fr slots). */
  readonly terms: readonly { readonly commitment: G1Factor; readonly coefficient: string }[];
  /** `Σ_b w_b·y_b` (an Fr slot). */
  readonly value: string;
  /** W (a G1 message). */
  readonly first: string;
  /** One point: its slot. Several: x, `Z_T(x)` (Fr slots) and W' (a G1 message). */
  readonly opening: { readonly point: string } | { readonly x: string; readonly vanishing: string; readonly second: string };
}

/**
 * Several points: `Σ_k c_k·e(C_k, [1]₂) − value·e([1]₁, [1]₂) − Z_T(x)·e(W, [1]₂) + x·e(W', [1]₂) − e(W', [τ]₂) = 0`;
 * one point z: `Σ_k c_k·e(C_k, [1]₂) − value·e([1]₁, [1]₂) + z·e(W, [1]₂) − e(W, [τ]₂) = 0` (degree ≤ 2).
 */
export function multiPointOpeningEquation(key: KzgVerifierKey, name: string, slots: MultiPointOpeningSlots): PairingEquation {
  if (slots.terms.length === 0) throw new EquationError(`equation "${name}": a multi-point opening needs at least one commitment`);
  const o = slots.opening;
  const [point, proof] = 'point' in o ? [o.point, slots.first] : [o.x, o.second];
  return {
    kind: 'pairing',
    name,
    terms: [
      ...slots.terms.map((t) => ({ coeff: 1n, scalars: [t.coefficient], g1: t.commitment, g2: key.g2One })),
      { coeff: R - 1n, scalars: [slots.value], g1: key.g1One, g2: key.g2One },
      ...('point' in o ? [] : [{ coeff: R - 1n, scalars: [o.vanishing], g1: slots.first, g2: key.g2One }]),
      { coeff: 1n, scalars: [point], g1: proof, g2: key.g2One },
      { coeff: R - 1n, scalars: [], g1: proof, g2: key.g2Tau },
    ],
  };
}
