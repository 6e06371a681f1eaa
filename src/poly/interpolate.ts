/**
 * Interpolation from evaluations on the canonical subgroup of their count.
 * @module
 */
import type { Engine } from '../engine/engine';
import { getDefaultEngine } from '../engine/index';
import { EvaluationDomain, interpolateEach } from './domain';
import type { Polynomial } from './polynomial';

/**
 * The coefficients of the unique f of degree < n with `f(ω_n^i) = evals[i]`, n = evals.length (a power of
 * two): `f_j = n^(−1)·Σ_i evals[i]·ω_n^(−ij)`, the inverse NTT.
 */
export function interpolate(evals: readonly bigint[], engine: Engine = getDefaultEngine()): Polynomial {
  return new EvaluationDomain(evals.length, engine).ifft(evals);
}

/**
 * {@link interpolate} of each named vector, as independent transforms ({@link Engine.transforms}: side by side on an
 * engine with workers, while the caller goes on): a map from each name to its interpolant, in the order given.
 */
export async function interpolateNamed(entries: readonly (readonly [string, readonly bigint[]])[], engine: Engine = getDefaultEngine()): Promise<Map<string, Polynomial>> {
  const coeffs = await interpolateEach(entries.map(([, evals]) => evals), engine);
  return new Map(entries.map(([name], k) => [name, coeffs[k]]));
}
