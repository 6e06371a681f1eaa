/**
 * The multi-pairing `Π e(g1_i, g2_i)` of the engines: the optimal ate pairing of `@noble/curves` (its Miller loop on
 * precomputed G2 line coefficients, then one final exponentiation for the whole product), with identity pairs
 * dropped and the work counted in the engine's stats. The reference engine runs noble's loop; the WebAssembly engine
 * runs the same loop in its kernels (`wasm/pairing.ts`) on the same coefficients.
 *
 * A Miller loop on `(P, Q)` evaluates at P the lines of the doubling-and-addition chain of Q; those line
 * coefficients depend on Q alone. A verifier pairs every proof against the same few G2 points of its key (`[1]₂`,
 * `[τ]₂`), so the coefficients are computed once per G2 point object (points are immutable) and kept while the
 * point lives: the product is the same, computed from the same coefficients.
 * @module
 */
import { bn254 } from '@noble/curves/bn254.js';
import { Fp12, type G2Point, type GtElement } from '../curve';
import type { EngineStats, PairingTerm } from './engine';

/** Q's Miller-loop lines: per step of the loop, the coefficients (c0, c1, c2) of each line it multiplies in. */
export type LineCoefficients = ReturnType<typeof bn254.utils.calcPairingPrecomputes>;

const lines = new WeakMap<G2Point, LineCoefficients>();

/** The line coefficients of Q's Miller loop (noble's precomputation), computed once per point object. */
export function lineCoefficients(q: G2Point): LineCoefficients {
  let ell = lines.get(q);
  if (ell === undefined) lines.set(q, (ell = bn254.utils.calcPairingPrecomputes(q)));
  return ell;
}

/**
 * The pairs of a multi-pairing that contribute: those without an identity point. Counts one multi-pairing and
 * their Miller loops, and checks every point on its curve and in its prime-order subgroup first (noble caches a
 * point's successful check), as noble's own `pairingBatch` does.
 */
export function pairsToMultiply(terms: readonly PairingTerm[], stats: EngineStats): PairingTerm[] {
  stats.multiPairings++;
  const pairs = terms.filter((t) => !t.g1.is0() && !t.g2.is0());
  stats.millerLoops += pairs.length;
  for (const { g1, g2 } of pairs) {
    g1.assertValidity();
    g2.assertValidity();
  }
  return pairs;
}

/** `Π e(g1_i, g2_i)` by noble's Miller loop and final exponentiation (see {@link pairsToMultiply}). */
export function multiPairingNoble(terms: readonly PairingTerm[], stats: EngineStats): GtElement {
  const pairs = pairsToMultiply(terms, stats);
  if (pairs.length === 0) return Fp12.ONE;
  const f = bn254.millerLoopBatch(
    pairs.map(({ g1, g2 }) => {
      const { x, y } = g1.toAffine();
      return [lineCoefficients(g2), x, y];
    }),
  );
  return Fp12.finalExponentiate(f);
}

/** Fresh zeroed counters. */
export function emptyStats(): EngineStats {
  return { multiPairings: 0, millerLoops: 0, msmG1: 0, msmG2: 0 };
}
