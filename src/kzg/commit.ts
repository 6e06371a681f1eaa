/**
 * KZG commitments: `[f(τ)]₁ = Σ_i f_i·[τ^i]₁`.
 * @module
 */
import type { G1Point } from '../curve';
import { SrsError } from '../errors';
import { interpolate } from '../poly/interpolate';
import type { KzgKey } from './key';

/** `[f(τ)]₁ = Σ_i f_i·[τ^i]₁` for f in coefficient form; an {@link SrsError} if f has more coefficients than the key has powers. */
export async function commit(key: KzgKey, coeffs: readonly bigint[]): Promise<G1Point> {
  if (coeffs.length > key.powers.length) {
    // A verifier's key of a file holds [1]₁ of its powers: say so, since its degree is the prover's.
    const held = key.powers.length < key.maxDegree + 1 ? ` (a verifier's key, which holds only the points its model's verifier reads: [1]₁ of its ${key.maxDegree + 1} powers)` : '';
    throw new SrsError(`cannot commit to ${coeffs.length} coefficients with ${key.powers.length} powers of τ${held}`);
  }
  return key.engine.msmG1(key.powers, coeffs);
}

/**
 * The commitment of the interpolant over H_n of `evals` (n = evals.length, a power of two):
 * `[f(τ)]₁ = Σ_i evals[i]·[L_i(τ)]₁` for the f of degree < n with `f(ω^i) = evals[i]`. One MSM over the key's
 * Lagrange basis of H_n when it has one ({@link KzgKey.lagrangeBasis}); otherwise f is committed, `coeffs` when the
 * caller interpolates already (awaited only then, so the MSM need not wait for a transform in flight), else the
 * inverse NTT of `evals`. Values of a tensor are short integers and many values of a logUp helper are zero, so the
 * first way is an MSM of short or few scalars.
 */
export async function commitLagrange(key: KzgKey, evals: readonly bigint[], coeffs?: readonly bigint[] | Promise<readonly bigint[]>): Promise<G1Point> {
  const basis = await key.lagrangeBasis(evals.length);
  if (basis !== undefined) return key.engine.msmG1(basis, evals);
  return commit(key, (await coeffs) ?? interpolate(evals, key.engine));
}

/**
 * `[(Z_H·b)(τ)]₁ = Σ_j b_j·([τ^(n+j)]₁ − [τ^j]₁)` for `Z_H = X^n − 1`: what blinding f into `f + Z_H·b` adds to
 * f's commitment. One MSM of |b| scalars over the key's resident differences ({@link KzgKey.vanishingBasis}), so a
 * blinded commitment costs no second full MSM.
 */
export async function commitVanishingMultiple(key: KzgKey, n: number, b: readonly bigint[]): Promise<G1Point> {
  if (n + b.length > key.maxDegree + 1)
    throw new SrsError(`cannot blind over a domain of size ${n} with ${b.length} coefficients: ${key.maxDegree + 1} powers of τ`);
  return key.engine.msmG1(await key.vanishingBasis(n, b.length), b);
}
