/**
 * One fold of two accumulators of a fold key (docs/folding.md §5.2–§5.3).
 *
 * On its own transcript fork the fold absorbs `a`, `b` and the cross terms (canonical encodings), draws
 * `γ`, and outputs `x' = x_a + γ·x_b`, `μ' = μ_a + γ·μ_b`,
 * `E'_k = E_{a,k} + Σ_{j=1..d_k−1} γ^j·T_{k,j} + γ^(d_k)·E_{b,k}` (multiplicatively in GT).
 * The prover and the verifier run the same {@link combineFold} (its group operations on the engine);
 * only the prover computes cross terms, and nothing here computes a pairing.
 * @module
 */
import type { Engine } from '../src/engine/engine';
import type { SlotValue } from '../src/equations/equation';
import { R } from '../src/field';
import type { Transcript } from '../src/transcript';
import { combineCell } from './cells';
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

/** `1, γ, …, γ^n`. */
function powers(gamma: bigint, n: number): bigint[] {
  const out = [1n];
  for (let j = 1; j <= n; j++) out.push((out[j - 1] * gamma) % R);
  return out;
}

/**
 * The folded accumulator for a given `γ` and cross terms: `x' = 1·x_a + γ·x_b` per slot and
 * `E'_k = 1·E_{a,k} + Σ_j γ^j·T_{k,j} + γ^(d_k)·E_{b,k}` per cell, each a {@link combineCell} (engine
 * MSMs in G1 and G2, a multi-exponentiation in GT). No pairing.
 */
export async function combineFold(engine: Engine, desc: FoldKeyDescriptor, a: Accumulator, b: Accumulator, t: CrossTerms, gamma: bigint): Promise<Accumulator> {
  const g = powers(gamma, desc.maxDegree);
  const slotValues = await Promise.all(desc.slots.map((s) => combineCell(engine, s.sort, [a.values[s.name], b.values[s.name]], [1n, gamma])));
  const values: Record<string, SlotValue> = {};
  desc.slots.forEach((s, i) => (values[s.name] = slotValues[i] as SlotValue));
  const errors = await Promise.all(
    desc.equations.map((eq, k) =>
      Promise.all(eq.cells.map((c, i) => combineCell(engine, c.kind, [a.errors[k][i], ...t[k].map((tj) => tj[i]), b.errors[k][i]], g.slice(0, eq.degree + 1)))),
    ),
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
  return { crossTerms, parent: await combineFold(engine, desc, a, b, cross, gamma) };
}

/**
 * Verifier: decodes the cross terms read from a proof (every G2 point and GT element checked to lie in
 * its prime-order subgroup), recomputes `γ` and the parent.
 */
export function replayFold(engine: Engine, desc: FoldKeyDescriptor, a: Accumulator, b: Accumulator, crossTerms: Uint8Array, transcript: Transcript): Promise<Accumulator> {
  const cross = decodeCrossTerms(desc, crossTerms);
  const gamma = foldChallenge(transcript, desc, a, b, crossTerms);
  return combineFold(engine, desc, a, b, cross, gamma);
}
