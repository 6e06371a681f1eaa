/**
 * The multi-pairing shared by every engine: `@noble/curves`' batch pairing (one final exponentiation),
 * with identity pairs dropped and the work counted in the engine's stats.
 * @module
 */
import { bn254 } from '@noble/curves/bn254.js';
import { GT_ONE, type GtElement } from '../curve';
import type { EngineStats, PairingTerm } from './engine';

/** `Π e(g1_i, g2_i)` over the pairs without an identity point; counts one multi-pairing and its Miller loops. */
export function multiPairingNoble(terms: readonly PairingTerm[], stats: EngineStats): GtElement {
  stats.multiPairings++;
  const pairs = terms.filter((t) => !t.g1.is0() && !t.g2.is0());
  stats.millerLoops += pairs.length;
  if (pairs.length === 0) return GT_ONE;
  return bn254.pairingBatch(pairs.map((t) => ({ g1: t.g1, g2: t.g2 })));
}

/** Fresh zeroed counters. */
export function emptyStats(): EngineStats {
  return { multiPairings: 0, millerLoops: 0, msmG1: 0, msmG2: 0 };
}
