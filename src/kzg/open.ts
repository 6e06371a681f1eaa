/**
 * KZG opening proofs. For f and a point z, `f(X) − f(z) = q(X)·(X − z)` and the proof is `π = [q(τ)]₁`; the
 * verifier checks `C − y·[1]₁ = (τ − z)·π` in the exponent (see the equation builders).
 * Batches combine polynomials with independent challenges `v_i` drawn by the caller after the evaluations
 * are in its transcript (docs/folding.md §3: independent challenges keep every equation monomial at degree ≤ 2).
 * @module
 */
import type { G1Point } from '../curve';
import { divideByLinear } from '../poly/division';
import { linearCombination } from '../poly/polynomial';
import { commit } from './commit';
import type { KzgKey } from './key';

/** An opening of one polynomial: the value `y = f(z)` and `π = [(f(X) − y)/(X − z)]₁`. */
export interface KzgOpening {
  readonly value: bigint;
  readonly proof: G1Point;
}

/** Polynomials opened at one point with their batching challenges, one challenge per polynomial. */
export interface OpeningBatch {
  readonly polys: readonly (readonly bigint[])[];
  readonly point: bigint;
  readonly challenges: readonly bigint[];
}

/** Opens f at z: `y = f(z)` and `π = [q(τ)]₁` with `f(X) − y = q(X)·(X − z)`. */
export async function open(key: KzgKey, f: readonly bigint[], z: bigint): Promise<KzgOpening> {
  const { quotient, remainder } = divideByLinear(f, z);
  return { value: remainder, proof: await commit(key, quotient) };
}

/**
 * One proof for many polynomials at one point z: with `F = Σ_i v_i·f_i`, `π = [(F(X) − F(z))/(X − z)]₁`.
 * It verifies against `Σ_i v_i·C_i` and `Σ_i v_i·y_i` where `y_i = f_i(z)`; the caller sends the y_i before
 * drawing the v_i.
 */
export async function batchOpen(key: KzgKey, batch: OpeningBatch): Promise<G1Point> {
  const combined = linearCombination(batch.polys, batch.challenges);
  return commit(key, divideByLinear(combined, batch.point).quotient);
}
