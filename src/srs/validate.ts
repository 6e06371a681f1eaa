/**
 * Validation of an SRS against its algebraic structure, with fresh randomness the SRS producer
 * cannot predict.
 *
 * Points are already known to be on the curve and in the prime-order subgroup (the reader checks
 * each one); here we check that they are the powers of one τ:
 *
 * - `P_0 = [1]₁`, `Q_0 = [1]₂` (the fixed generators), and `P_1 ∉ {0, [1]₁}` (τ ∉ {0, 1}); `P_M ≠ [1]₁` for the largest
 *   power of two M below the G1 count (τ in no subgroup H_m with m | M, whose vanishing polynomial blinds rows).
 * - G1 chain, for random ρ_i: `e(Σ_i ρ_i P_{i+1}, Q_0) = e(Σ_i ρ_i P_i, Q_1)`. If some
 *   `P_{i+1} ≠ τ·P_i` (τ taken from Q_1), the two sides differ except with probability 1/r over ρ.
 * - G2 chain, for random σ_j: `e(P_0, Σ_j σ_j Q_{j+1}) = e(P_1, Σ_j σ_j Q_j)`; its j = 0 term ties
 *   the τ of G2 to the τ of G1, so together `P_i = [τ^i]₁` and `Q_j = [τ^j]₂` for one τ.
 * - Lagrange bases, all at once by `lagrangeBasesHold` (`./lagrange-basis.ts`): for random 128-bit ρ per domain n,
 *   `Σ_i ρ_i·L_i = Σ_j intt_n(ρ)_j·P_j`, the domains' sums added up.
 *
 * Each chain costs two MSMs and one multi-pairing (one final exponentiation) on the engine.
 * @module
 */
import { G1_ONE, G2_ONE, GT_ONE, type G1Point, type G2Point } from '../curve';
import type { Engine } from '../engine/engine';
import { SrsError } from '../errors';
import { randomFr } from '../field';
import { gtEquals } from '../encoding/points';
import { lagrangeBasesHold } from './lagrange-basis';
import type { Srs } from './srs';


function randomFrs(n: number): bigint[] {
  return Array.from({ length: n }, randomFr);
}

/**
 * Checks that `srs` holds consecutive powers of one τ ∉ {0, 1} in G1 and G2 (the module comment
 * gives the equations), and that every Lagrange basis it holds matches its G1 powers.
 * Throws an {@link SrsError} naming the failed check.
 */
export async function validateSrsStructure(srs: Srs, engine: Engine): Promise<void> {
  const P = srs.g1Powers;
  const Q = srs.g2Powers;
  if (P.length < 2 || Q.length < 2)
    throw new SrsError(`an SRS needs at least [1] and [τ] in both groups; it holds ${P.length} G1 and ${Q.length} G2 powers`);
  if (!P[0].equals(G1_ONE)) throw new SrsError('the first G1 power is not the generator [1]₁');
  if (!Q[0].equals(G2_ONE)) throw new SrsError('the first G2 power is not the generator [1]₂');
  if (P[1].is0()) throw new SrsError('τ = 0: [τ]₁ is the point at infinity');
  if (P[1].equals(G1_ONE)) throw new SrsError('τ = 1: [τ]₁ is the generator (a ceremony file without any contribution)');
  await checkG1Chain(P, Q, engine);
  // With the chain, P_M = [τ^M]₁: τ^M = 1 puts τ in every subgroup H_m (m | M), where Z_(H_m)(τ) = 0 and a blinding
  // `f + Z_H·b` commits to f unblinded.
  const M = 2 ** Math.floor(Math.log2(P.length - 1));
  if (P[M].equals(G1_ONE)) throw new SrsError(`τ^${M} = 1: τ is a root of unity, and a blinding by the vanishing polynomial of a domain up to ${M} would vanish at τ`);
  await checkG2Chain(P, Q, engine);
  await checkLagrange(srs, engine);
}

async function checkG1Chain(P: readonly G1Point[], Q: readonly G2Point[], engine: Engine): Promise<void> {
  const rho = randomFrs(P.length - 1);
  const shifted = await engine.msmG1Points(P.slice(1), rho);
  const base = await engine.msmG1Points(P.slice(0, -1), rho);
  const product = engine.multiPairing([
    { g1: shifted, g2: Q[0] },
    { g1: base.negate(), g2: Q[1] },
  ]);
  if (!gtEquals(product, GT_ONE)) throw new SrsError('G1 powers are not consecutive powers of the τ of [τ]₂');
}

async function checkG2Chain(P: readonly G1Point[], Q: readonly G2Point[], engine: Engine): Promise<void> {
  const sigma = randomFrs(Q.length - 1);
  const shifted = await engine.msmG2Points(Q.slice(1), sigma);
  const base = await engine.msmG2Points(Q.slice(0, -1), sigma);
  const product = engine.multiPairing([
    { g1: P[0], g2: shifted },
    { g1: P[1].negate(), g2: base },
  ]);
  if (!gtEquals(product, GT_ONE)) throw new SrsError('G2 powers are not consecutive powers of the τ of [τ]₁');
}

async function checkLagrange(srs: Srs, engine: Engine): Promise<void> {
  const domains = srs.lagrangeDomains;
  if (!(await lagrangeBasesHold(new Map(domains.map((n) => [n, srs.lagrangeG1(n)!])), srs.g1Powers, engine)))
    throw new SrsError(`a Lagrange basis (domains ${domains.join(', ')}) does not match the G1 powers`);
}
