/**
 * One KZG opening of polynomials at several points with two group elements, whatever the number of points
 * (SHPLONK, Boneh–Drake–Fisch–Gabizon, ePrint 2020/081, §4, for one point per polynomial), with stacked openings
 * (fflonk, Gabizon–Khovratovich, ePrint 2021/1167): opening b is modulo a divisor `D_b = X^(k_b) − z_b`, k_b ≥ 1.
 *
 * The caller has already batched the polynomials of each opening: `F_b` is opened modulo `D_b` with a claimed
 * remainder `r_b`, b < m. A point opening (k_b = 1) claims its value, `r_b = y_b = F_b(z_b)`. A stacked opening
 * (k_b = k > 1) opens a stack `F_b = Σ_{j<k} X^j·t_j(X^k)` (`src/kzg/stack.ts`, or a batch of stacks of one k) and claims
 * the values `y_(b,j)` of its members at z_b: `r_b(X) = Σ_{j<k} X^j·y_(b,j)`, since `F_b ≡ Σ_j X^j·t_j(z_b) (mod D_b)`
 * (X^k ≡ z_b there), so `F_b ≡ r_b` exactly when every `t_j(z_b) = y_(b,j)`. The divisors may coincide or share roots
 * (rotations on two domains meet: `ω_4·ζ = ω_8²·ζ`; a claim on H_1 shifts by ω_1 = 1; `X² − ζ²` vanishes at ζ); the
 * argument below never divides by one divisor's value at another's root. With `Z_T(X) = Π_b D_b(X)` and
 * `Z_{T∖b}(X) = Z_T(X)/D_b(X)`:
 *
 * 1. for a challenge γ the prover sends `W = [h(τ)]₁`, `h(X) = Σ_b γ^b·(F_b(X) − r_b(X))/D_b(X)`;
 * 2. for a challenge x drawn after W, the prover sends `W' = [q(τ)]₁` with
 *    `q(X)·(X − x) = Σ_b γ^b·Z_{T∖b}(x)·(F_b(X) − r_b(x)) − Z_T(x)·h(X)` (the right side vanishes at x by the choice of h);
 * 3. the verifier checks, with `w_b = γ^b·Z_{T∖b}(x)`,
 *    `e(Σ_b w_b·([F_b]₁ − r_b(x)·[1]₁) − Z_T(x)·W + x·W', [1]₂) = e(W', [τ]₂)`.
 *
 * With one point opening (m = 1, k_0 = 1, γ unused) h is the point's KZG proof and W' is not needed. A single stacked
 * opening takes the general form (`w_0 = 1`, `Z_T(x) = x^k − z`): `z·W` checks a quotient by `X − z` only.
 *
 * **A committed quotient.** A point opening's `Q_b = (F_b − y_b)/(X − z_b)` may be given as its commitment `[Q_b]₁`
 * instead of F_b's coefficients, for a polynomial the prover never forms (a range table's `M' − S'·Z_S`, of degree 2^16
 * over a basis other than the powers of τ, whose quotient is a sparse combination of that basis: `blocks/range.ts`).
 * Both proofs are linear in the openings' quotients: `h = Σ_b γ^b·Q_b`, and since `F_b − y_b = (X − z_b)·Q_b` and
 * `D_b(x) = x − z_b`, its part of `Σ_b w_b·(F_b − y_b) − Z_T(x)·h` is
 * `γ^b·Z_{T∖b}(x)·((X − z_b) − (x − z_b))·Q_b = (X − x)·w_b·Q_b`. A committed quotient adds `γ^b·[Q_b]₁` to W and
 * `w_b·[Q_b]₁` to W', the dense openings are divided as before (their part of h and q is still a polynomial: the
 * identity holds opening by opening), and the verifier's check is unchanged. Nothing in the soundness argument reads
 * how the prover formed W and W'. A committed quotient is always a point opening (k = 1).
 *
 * Why it is sound: suppose some `F_b ≢ r_b (mod D_b)`. A divisor at a nonzero point is squarefree: its k_b roots in
 * the algebraic closure are distinct (`D_b' = k_b·X^(k_b − 1)` vanishes only at 0, no root, as k_b < r). So
 * `F_b(α) ≠ r_b(α)` at some root α of D_b, where `(F_b − r_b)/D_b` has a simple pole of residue
 * `(F_b(α) − r_b(α))/D_b'(α) ≠ 0`. The residue at α of `R(X) = Σ_c γ^c·(F_c − r_c)/D_c` is
 * `Σ_{c: D_c(α) = 0} γ^c·(F_c(α) − r_c(α))/D_c'(α)`, summed over every opening whose divisor vanishes at α (one, or
 * several where points coincide or divisors share a root), each a simple pole: a polynomial in γ of degree < m with a
 * nonzero coefficient at γ^b. For all but m − 1 values of γ (drawn after the values) it is nonzero, R has a pole
 * and is no polynomial, so R differs from the committed h. The check at x states `P(x) = 0` for
 * `P = Σ_b γ^b·Z_{T∖b}·(F_b − r_b) − Z_T·h = Z_T·(R − h)`, a nonzero polynomial of degree below deg + Σ_b k_b (deg
 * bounding every F_b) fixed before x: a random x is a root with probability ≤ (deg + Σ_b k_b)/r. The check itself is
 * a one-point KZG opening at x of `Σ_b w_b·(F_b − r_b(x)) − Z_T(x)·h`, whose value at x is P(x), binding as any KZG
 * opening (q-SDH).
 *
 * **Point 0.** A point opening at z = 0 divides by X, squarefree: allowed as before. A stacked opening at z = 0 would
 * divide by X^k, whose root 0 has multiplicity k, outside the argument above (the stack's remainder mod X^k is still
 * `Σ_j X^j·t_j(0)`, but a false claim need not leave a simple pole). The protocol's points are challenges, 0 with
 * probability 1/r, so nothing needs it: {@link multiPointWeights}, {@link multiPointFirstProof} and
 * {@link multiPointSecondProof} refuse it, and a power that is not a positive safe integer, with an
 * {@link EquationError} (a verifier turns it into a rejection, as any malformed equation).
 * @module
 */
import type { G1Point } from '../curve';
import { EquationError, type G1Factor, type PairingEquation } from '../equations/equation';
import { Fr, powers, R } from '../field';
import { divideByBinomial, divideByLinear } from '../poly/division';
import { commit } from './commit';
import type { KzgKey, KzgVerifierKey } from './key';

/** `F_b` (already batched) and its divisor `X^(k_b) − z_b`, or the commitment of its quotient by `X − z_b` (module comment). */
export type PointOpening = DenseOpening | CommittedQuotientOpening;

/** An opening's divisor `X^k − point` (k = power, default 1: a point opening). */
export interface OpeningDivisor {
  readonly point: bigint;
  /** k ≥ 1, a safe integer; k > 1 (a stacked opening) needs a nonzero point. Default 1. */
  readonly power?: number;
}

/**
 * `F_b` in coefficient form, opened modulo `X^k − z_b` (k = power, default 1): its claim is its remainder by that
 * divisor, the value `F_b(z_b)` for k = 1, the members' values `Σ_j X^j·t_j(z_b)` of a stack for k > 1. The caller gives
 * the claimed values to the verifier; the proofs drop the remainder.
 */
export interface DenseOpening extends OpeningDivisor {
  readonly poly: readonly bigint[];
}

/** `[Q_b]₁ = [(F_b − y_b)/(X − z_b)]₁`, committed by the caller, and its point `z_b` (always a point opening, k = 1). */
export interface CommittedQuotientOpening {
  readonly quotient: G1Point;
  readonly point: bigint;
}

/** The divisor's power k; an {@link EquationError} unless k is a positive safe integer and k = 1 or the point is nonzero (module comment, "Point 0"). */
function divisorPower(divisor: OpeningDivisor): number {
  const k = divisor.power ?? 1;
  if (!Number.isSafeInteger(k) || k < 1) throw new EquationError(`an opening's divisor X^k − z needs an integer k ≥ 1, got ${k}`);
  if (k > 1 && divisor.point % R === 0n) throw new EquationError(`a stacked opening (X^${k} − z) at z = 0 is refused: X^${k} is not squarefree`);
  return k;
}

/** `(F − (F mod D))/D` for `D = X^k − z`: synthetic division for k = 1, the binomial's for k > 1. */
function quotientBy(opening: DenseOpening): readonly bigint[] {
  const k = divisorPower(opening);
  return k === 1 ? divideByLinear(opening.poly, opening.point).quotient : divideByBinomial(opening.poly, k, opening.point).quotient;
}

/**
 * `Σ_b k_b·[Q_b]₁` over the openings with a committed quotient (the identity when there is none): one engine MSM of
 * full-width scalars over those few points, not a scalar multiplication each in JavaScript.
 */
function committedQuotients(key: KzgKey, openings: readonly PointOpening[], scalars: readonly bigint[]): Promise<G1Point> {
  const committed = openings.flatMap((o, b) => ('quotient' in o ? [{ point: o.quotient, scalar: scalars[b] }] : []));
  return key.engine.msmG1Points(
    committed.map((c) => c.point),
    committed.map((c) => c.scalar),
  );
}

/**
 * Round 1: `h = Σ_b γ^b·(F_b − r_b)/(X^(k_b) − z_b)` over the dense openings (r_b = F_b mod D_b: `F_b(z_b)` for a point)
 * and `W = [h(τ)]₁ + Σ_b γ^b·[Q_b]₁` over the committed quotients. Dividing drops the remainder, so the values are not
 * needed here. `h` is the dense part, which round 2 reads. An {@link EquationError} for a divisor
 * {@link multiPointWeights} refuses.
 */
export async function multiPointFirstProof(key: KzgKey, openings: readonly PointOpening[], gamma: bigint): Promise<{ h: readonly bigint[]; proof: G1Point }> {
  const gammas = powers(gamma, openings.length);
  const dense = openings.flatMap((o, b) => ('poly' in o ? [{ o, b }] : []));
  const quotients = dense.map(({ o }) => quotientBy(o));
  const h = key.engine.linearCombination(quotients, dense.map(({ b }) => gammas[b]));
  return { h, proof: (await commit(key, h)).add(await committedQuotients(key, openings, gammas)) };
}

/**
 * Round 2: `W' = [q(τ)]₁ + Σ_b w_b·[Q_b]₁`, `q = (Σ_b w_b·F_b − Z_T(x)·h) / (X − x)` over the dense openings (h from round
 * 1) with `w_b = γ^b·Z_{T∖b}(x)` over every divisor ({@link multiPointWeights}); the constants `w_b·r_b(x)` only change
 * the remainder, which the division drops (it is zero for true values).
 */
export async function multiPointSecondProof(key: KzgKey, openings: readonly PointOpening[], h: readonly bigint[], gamma: bigint, x: bigint): Promise<G1Point> {
  const { weights, vanishing } = multiPointWeights(openings, gamma, x);
  const dense = openings.flatMap((o, b) => ('poly' in o ? [{ poly: o.poly, weight: weights[b] }] : []));
  const combined = key.engine.linearCombination([...dense.map((d) => d.poly), h], [...dense.map((d) => d.weight), R - vanishing]);
  return (await commit(key, divideByLinear(combined, x).quotient)).add(await committedQuotients(key, openings, weights));
}

/**
 * `w_b = γ^b·Z_{T∖b}(x) = γ^b·Π_{c≠b} (x^(k_c) − z_c)` for each divisor `X^(k_b) − z_b` and `Z_T(x) = Π_b (x^(k_b) − z_b)`:
 * what the verifier weights the commitments and W by. An {@link EquationError} for a power that is not a positive safe
 * integer or a stacked divisor at point 0 (module comment, "Point 0").
 */
export function multiPointWeights(divisors: readonly OpeningDivisor[], gamma: bigint, x: bigint): { weights: bigint[]; vanishing: bigint } {
  const factors = divisors.map((d) => {
    const k = divisorPower(d);
    return ((k === 1 ? x : Fr.pow(x, BigInt(k))) - (d.point % R) + R) % R;
  });
  const gammas = powers(gamma, divisors.length);
  const weights = divisors.map((_, b) => factors.reduce((acc, f, c) => (c === b ? acc : (acc * f) % R), gammas[b]));
  return { weights, vanishing: factors.reduce((acc, f) => (acc * f) % R, 1n) };
}

/**
 * Slot names of a multi-point opening: the combination `Σ_k c_k·[f_k]₁` (each c_k already holding its w_b), its value
 * `Σ_b w_b·r_b(x)` (`r_b = y_b` for a point opening), and W. With one point opening at z, W is that point's KZG proof
 * (`h = (F − y)/(X − z)`, `w_0 = 1`) and the check is `e(Σ_k c_k·[f_k]₁ − y·[1]₁ + z·W, [1]₂) = e(W, [τ]₂)`: no x and no
 * W' (a single stacked opening takes the form with x and W').
 */
export interface MultiPointOpeningSlots {
  /** The commitments and their weights `c_k` (Fr slots). */
  readonly terms: readonly { readonly commitment: G1Factor; readonly coefficient: string }[];
  /** `Σ_b w_b·r_b(x)` (an Fr slot). */
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
