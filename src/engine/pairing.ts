/**
 * The multi-pairing shared by every engine: `@noble/curves`' Miller loops and final exponentiation (one for the
 * whole product), with identity pairs dropped and the work counted in the engine's stats.
 *
 * A Miller loop on `(P, Q)` evaluates at P the lines of the doubling-and-addition chain of Q; those line
 * coefficients depend on Q alone. A verifier pairs every proof against the same few G2 points of its key (`[1]₂`,
 * `[τ]₂`), so the coefficients are computed once per G2 point object (points are immutable) and kept while the
 * point lives: the product is the same, computed from the same coefficients.
 * @module
 */
import { bn254 } from '@noble/curves/bn254.js';
import { GT_ONE, type G2Point, type GtElement } from '../curve';
import type { EngineStats, PairingTerm } from './engine';

type LineCoefficients = ReturnType<typeof bn254.utils.calcPairingPrecomputes>;

/** The line coefficients of Q's Miller loop, by point object. */
const lines = new WeakMap<G2Point, LineCoefficients>();

function lineCoefficients(q: G2Point): LineCoefficients {
  let ell = lines.get(q);
  if (ell === undefined) lines.set(q, (ell = bn254.utils.calcPairingPrecomputes(q)));
  return ell;
}

/**
 * `Π e(g1_i, g2_i)` over the pairs without an identity point, with one final exponentiation; counts one
 * multi-pairing and its Miller loops. Every point is checked on its curve and in its prime-order subgroup first
 * (noble caches a point's successful check), as noble's own `pairingBatch` does.
 */
export function multiPairingNoble(terms: readonly PairingTerm[], stats: EngineStats): GtElement {
  stats.multiPairings++;
  const pairs = terms.filter((t) => !t.g1.is0() && !t.g2.is0());
  stats.millerLoops += pairs.length;
  if (pairs.length === 0) return GT_ONE;
  const f = bn254.millerLoopBatch(
    pairs.map(({ g1, g2 }) => {
      g1.assertValidity();
      g2.assertValidity();
      const { x, y } = g1.toAffine();
      return [lineCoefficients(g2), x, y];
    }),
  );
  return bn254.fields.Fp12.finalExponentiate(f);
}

/** Fresh zeroed counters. */
export function emptyStats(): EngineStats {
  return { multiPairings: 0, millerLoops: 0, msmG1: 0, msmG2: 0 };
}
