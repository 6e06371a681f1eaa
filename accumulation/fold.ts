/**
 * One fold of two accumulators of a fold key (FOLDING.md §5.2–§5.3).
 *
 * On its own transcript fork the fold absorbs `a`, `b` and the cross terms (canonical encodings), draws
 * `γ`, and outputs `x' = x_a + γ·x_b`, `μ' = μ_a + γ·μ_b`,
 * `E'_k = E_{a,k} + Σ_{j=1..d_k−1} γ^j·T_{k,j} + γ^(d_k)·E_{b,k}` (multiplicatively in GT).
 * The prover and the verifier run the same {@link combineFold}; only the prover computes cross terms,
 * and nothing here computes a pairing.
 * @module
 */
import type { Engine } from '../src/engine/engine';
import type { G1Point, G2Point } from '../src/curve';
import type { SlotValue } from '../src/equations/equation';
import { R } from '../src/field';
import type { Transcript } from '../src/transcript';
import { addCell, scaleCell, type CellValue } from './cells';
import { computeCrossTerms, decodeCrossTerms, encodeCrossTerms, type CrossTerms } from './cross-terms';
import type { FoldKeyDescriptor } from './fold-key';
import { encodeAccumulator, type Accumulator } from './relaxed';

/** Transcript label of node `index` of level `level` of a fold key's tree. */
export function foldLabel(foldKey: string, level: number, index: number): string {
  return `fold/${foldKey}/${level}/${index}`;
}

/** Absorbs `a`, `b` and the encoded cross terms into the node's fork and draws `γ` (after all of them). */
export function foldChallenge(t: Transcript, desc: FoldKeyDescriptor, a: Accumulator, b: Accumulator, crossTerms: Uint8Array): bigint {
  t.absorbBytes('fold/a', encodeAccumulator(desc, a));
  t.absorbBytes('fold/b', encodeAccumulator(desc, b));
  t.absorbBytes('fold/cross-terms', crossTerms);
  return t.challengeFr('fold/gamma');
}

function foldSlot(sort: 'g1' | 'g2' | 'fr', x: SlotValue, y: SlotValue, gamma: bigint): SlotValue {
  if (sort === 'fr') return ((x as bigint) + gamma * (y as bigint)) % R;
  if (sort === 'g1') return (x as G1Point).add((y as G1Point).multiplyUnsafe(gamma));
  return (x as G2Point).add((y as G2Point).multiplyUnsafe(gamma));
}

/** The folded accumulator for a given `γ` and cross terms (group operations only). */
export function combineFold(desc: FoldKeyDescriptor, a: Accumulator, b: Accumulator, t: CrossTerms, gamma: bigint): Accumulator {
  const values: Record<string, SlotValue> = {};
  for (const s of desc.slots) values[s.name] = foldSlot(s.sort, a.values[s.name], b.values[s.name], gamma);
  const errors = desc.equations.map((eq, k) =>
    eq.cells.map((c, i): CellValue => {
      let acc = a.errors[k][i];
      let power = gamma;
      for (let j = 0; j < eq.degree - 1; j++) {
        acc = addCell(c, acc, scaleCell(c, t[k][j][i], power));
        power = (power * gamma) % R;
      }
      return addCell(c, acc, scaleCell(c, b.errors[k][i], power));
    }),
  );
  return { foldKey: desc.foldKey, values, mu: (a.mu + gamma * b.mu) % R, errors };
}

/** Result of a prover's fold: the encoded cross terms (as they go into the proof) and the parent. */
export interface FoldResult {
  readonly crossTerms: Uint8Array;
  readonly parent: Accumulator;
}

/** Prover: computes the cross terms, draws `γ` on `transcript` (the node's fork), folds. */
export async function proveFold(engine: Engine, desc: FoldKeyDescriptor, a: Accumulator, b: Accumulator, transcript: Transcript): Promise<FoldResult> {
  const cross = await computeCrossTerms(engine, desc, a, b);
  const crossTerms = encodeCrossTerms(desc, cross);
  const gamma = foldChallenge(transcript, desc, a, b, crossTerms);
  return { crossTerms, parent: combineFold(desc, a, b, cross, gamma) };
}

/**
 * Verifier: decodes the cross terms read from a proof (every G2 point and GT element checked to lie in
 * its prime-order subgroup), recomputes `γ` and the parent.
 */
export function replayFold(desc: FoldKeyDescriptor, a: Accumulator, b: Accumulator, crossTerms: Uint8Array, transcript: Transcript): Accumulator {
  const cross = decodeCrossTerms(desc, crossTerms);
  const gamma = foldChallenge(transcript, desc, a, b, crossTerms);
  return combineFold(desc, a, b, cross, gamma);
}
