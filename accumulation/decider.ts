/**
 * The decider (docs/folding.md §6.4): checks the relaxed relation `F_k(x, μ) = E_k` of every equation of
 * every root at once.
 *
 * Pairing equation `k` of root `r` gets a weight `ρ_{r,k}`; the check is
 * `Π_{r,k} [ F_{r,k}(x, μ) · Π_Q e(E^Q, Q)^(−1) · Π_P e(P, E^P)^(−1) ]^(ρ_{r,k}) = Π_{r,k} (E^GT_{r,k})^(ρ_{r,k})`.
 * The left side is **one** multi-pairing: terms sharing a public `Q` (monomials and the `−ρ·E^Q` cells
 * alike, across fold keys) are summed by a G1 MSM first, terms sharing a public `P` by a G2 MSM, and a
 * slot×slot monomial costs one Miller loop. The right side is GT exponentiations after the final
 * exponentiation. Field equations are checked directly.
 *
 * The weights come from a fork of the transcript that has absorbed every root, so they are random,
 * non-unit and bound to what they weigh (docs/soundness.md rule 8).
 * @module
 */
import { Fp12, GT_ONE, type G1Point, type G2Point, type GtElement } from '../src/curve';
import type { Engine } from '../src/engine/engine';
import { groupPairingTerms, type ScaledPairing } from '../src/equations/pairing-check';
import { R } from '../src/field';
import type { Transcript } from '../src/transcript';
import type { Verdict } from '../blocks/batch-verify';
import type { EquationShape, FoldKeyDescriptor, HomogeneousMonomial } from './fold-key';
import { encodeAccumulator, type Accumulator } from './relaxed';

/** A root to decide, with the descriptor of its fold key. */
export interface DeciderInput {
  readonly descriptor: FoldKeyDescriptor;
  readonly accumulator: Accumulator;
}

/** `coeff · μ^(d−j) · Π s` of a homogenized monomial, times `weight`. */
function monomialScalar(m: HomogeneousMonomial, acc: Accumulator, weight: bigint): bigint {
  let k = (m.coeff * weight) % R;
  for (const f of m.factors) {
    if (f.kind === 'fr') k = (k * (acc.values[f.slot] as bigint)) % R;
    else if (f.kind === 'mu') k = (k * acc.mu) % R;
  }
  return k;
}

/** `F_k(x, μ) − E_k` of a field equation (zero when the relaxed relation holds). */
function fieldResidue(eq: EquationShape, acc: Accumulator, k: number): bigint {
  let v = 0n;
  for (const m of eq.monomials) v += monomialScalar(m, acc, 1n);
  return (((v - (acc.errors[k][0] as bigint)) % R) + R) % R;
}

/** The weighted terms of pairing equation `k`, and its GT cell raised to the weight. */
function pairingEquationTerms(eq: EquationShape, acc: Accumulator, k: number, weight: bigint, terms: ScaledPairing[]): GtElement {
  for (const m of eq.monomials) {
    const p = typeof m.p === 'string' ? { point: acc.values[m.p] as G1Point } : { point: m.p!.point, key: m.p!.group };
    const q = typeof m.q === 'string' ? { point: acc.values[m.q] as G2Point } : { point: m.q!.point, key: m.q!.group };
    terms.push({ scalar: monomialScalar(m, acc, weight), g1: p.point, g1Key: p.key, g2: q.point, g2Key: q.key });
  }
  const minus = (R - weight) % R;
  let gt = GT_ONE;
  eq.cells.forEach((c, i) => {
    const e = acc.errors[k][i];
    if (c.kind === 'g1') terms.push({ scalar: minus, g1: e as G1Point, g2: c.q.point, g2Key: c.q.group });
    else if (c.kind === 'g2') terms.push({ scalar: minus, g1: c.p.point, g1Key: c.p.group, g2: e as G2Point });
    else if (c.kind === 'gt') gt = Fp12.pow(e as GtElement, weight);
  });
  return gt;
}

/**
 * The decider with explicit weights: `weights[r][k]` weighs equation `k` of root `r` (entries of field
 * equations are unused). Runs at most one multi-pairing.
 */
export async function decideWithWeights(engine: Engine, roots: readonly DeciderInput[], weights: readonly (readonly bigint[])[]): Promise<Verdict> {
  const terms: ScaledPairing[] = [];
  let rhs = GT_ONE;
  for (const [r, { descriptor, accumulator }] of roots.entries()) {
    for (const [k, eq] of descriptor.equations.entries()) {
      if (eq.kind === 'field') {
        if (fieldResidue(eq, accumulator, k) !== 0n) return { ok: false, reason: `${descriptor.foldKey}: relaxed field equation "${eq.name}" does not hold` };
      } else {
        rhs = Fp12.mul(rhs, pairingEquationTerms(eq, accumulator, k, weights[r][k], terms));
      }
    }
  }
  if (terms.length === 0 && Fp12.eql(rhs, GT_ONE)) return { ok: true };
  const lhs = engine.multiPairing(await groupPairingTerms(engine, terms));
  return Fp12.eql(lhs, rhs) ? { ok: true } : { ok: false, reason: 'the decider pairing check failed' };
}

/** Weights `ρ_{r,k}` drawn from the fork `decider` of `transcript` after absorbing every root. */
export function deciderWeights(transcript: Transcript, roots: readonly DeciderInput[]): bigint[][] {
  const t = transcript.fork('decider');
  for (const { descriptor, accumulator } of roots) {
    t.absorbString('decider/fold-key', descriptor.foldKey);
    t.absorbBytes('decider/root', encodeAccumulator(descriptor, accumulator));
  }
  return roots.map(({ descriptor }) => descriptor.equations.map((eq) => (eq.kind === 'pairing' ? t.challengeFr(`decider/weight/${descriptor.foldKey}/${eq.name}`) : 0n)));
}

/** Decides `roots` with transcript-derived weights: one multi-pairing for all of them. */
export function decide(engine: Engine, transcript: Transcript, roots: readonly DeciderInput[]): Promise<Verdict> {
  return decideWithWeights(engine, roots, deciderWeights(transcript, roots));
}
