/**
 * Turns weighted pairing monomials into one multi-pairing.
 *
 * A product `Π_i e(P_i, Q_i)^(k_i) = 1` is checked as one multi-pairing after grouping:
 * terms sharing a public G2 point Q become `e(Σ k_i·P_i, Q)` (one G1 MSM, one Miller loop per distinct Q), and
 * within it the terms of one point object `P` (a commitment read by several equations) are one term
 * `(Σ k_i)·P` (points are immutable, so one object is one point: the sum is the same, over fewer bases);
 * terms with a G2 slot but a public G1 point P become `e(P, Σ k_i·Q_i)` (one G2 MSM per distinct P);
 * the remaining terms pair `k_i·P_i` with `Q_i` directly.
 *
 * A term's G1 point may be a deferred combination `Σ_j c_j·P_j` (a verifier's derived value, src/engine/deferred.ts):
 * in a group it joins the MSM as its terms `k·c_j·P_j`, `e(Σ_j c_j·P_j, Q)^k = Π_j e(P_j, Q)^(k·c_j)`, so the product
 * is the same; paired directly it is computed first.
 *
 * A key only names a point so that grouping is cheap; it is not trusted. Two different points under one key
 * would be summed as if equal (`e(P, Q₁)·e(−P, Q₂)` would pass as `e(0, Q₁)`), so each term's point is compared
 * with its group's and a mismatch is a {@link BlockfoldError} (a protocol that mislabels its public points).
 * @module
 */
import type { G1Point, G2Point } from '../curve';
import type { Engine, PairingTerm } from '../engine/engine';
import { DeferredG1, type G1Value } from '../engine/deferred';
import { Fp12 } from '../curve';
import { BlockfoldError } from '../errors';
import { R } from '../field';

/** One term `k · e(P, Q)`, with keys for public P / Q so terms can be grouped. */
export interface ScaledPairing {
  readonly scalar: bigint;
  /** P: a point, or a deferred combination of points. */
  readonly g1: G1Value;
  readonly g2: G2Point;
  /** Set when P is a public point: terms with one key must have one point (checked when grouping). */
  readonly g1Key?: string;
  /** Set when Q is a public point: terms with one key must have one point (checked when grouping). */
  readonly g2Key?: string;
}

function keyConflict(group: 'G1' | 'G2', key: string): BlockfoldError {
  return new BlockfoldError('BLOCK', `pairing batch: the public ${group} key "${key}" names two different points`);
}

/** Groups terms as described in the module comment and returns the pairs of one multi-pairing. */
export async function groupPairingTerms(engine: Engine, terms: readonly ScaledPairing[]): Promise<PairingTerm[]> {
  // Per public G2 point, its terms' G1 values and scalars: DeferredG1.sum merges them into the MSM's bases, each
  // point object once (a deferred value contributes its own terms).
  const byQ = new Map<string, { q: G2Point; ps: G1Value[]; ks: bigint[] }>();
  const byP = new Map<string, { p: G1Point; qs: G2Point[]; ks: bigint[] }>();
  const direct: PairingTerm[] = [];
  for (const t of terms) {
    const p = t.g1;
    if (t.g2Key !== undefined) {
      let g = byQ.get(t.g2Key);
      if (!g) byQ.set(t.g2Key, (g = { q: t.g2, ps: [], ks: [] }));
      else if (g.q !== t.g2 && !g.q.equals(t.g2)) throw keyConflict('G2', t.g2Key);
      g.ps.push(p);
      g.ks.push(t.scalar);
    } else if (p instanceof DeferredG1) {
      if (t.g1Key !== undefined) throw new BlockfoldError('BLOCK', `pairing batch: the public G1 key "${t.g1Key}" names a deferred combination`);
      direct.push({ g1: await engine.msmG1Points(p.points, p.scalars.map((c) => (c * t.scalar) % R)), g2: t.g2 });
    } else if (t.g1Key !== undefined) {
      let g = byP.get(t.g1Key);
      if (!g) byP.set(t.g1Key, (g = { p, qs: [], ks: [] }));
      else if (g.p !== p && !g.p.equals(p)) throw keyConflict('G1', t.g1Key);
      g.qs.push(t.g2);
      g.ks.push(t.scalar);
    } else {
      direct.push({ g1: p.multiplyUnsafe(t.scalar), g2: t.g2 });
    }
  }
  const pairs: PairingTerm[] = [];
  for (const g of byQ.values()) {
    const { points, scalars } = DeferredG1.sum(g.ps, g.ks);
    pairs.push({ g1: await engine.msmG1Points(points, scalars), g2: g.q });
  }
  for (const g of byP.values()) pairs.push({ g1: g.p, g2: await engine.msmG2Points(g.qs, g.ks) });
  pairs.push(...direct);
  return pairs;
}

/** True when `Π e(P_i, Q_i)^(k_i) = 1`, decided with exactly one multi-pairing. */
export async function pairingProductIsOne(engine: Engine, terms: readonly ScaledPairing[]): Promise<boolean> {
  const pairs = await groupPairingTerms(engine, terms);
  return Fp12.eql(engine.multiPairing(pairs), Fp12.ONE);
}
