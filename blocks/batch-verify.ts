/**
 * The direct batch verifier: all equations of any number of replayed leaves in one multi-pairing.
 *
 * Each pairing equation `k` of leaf `i` gets its own weight `ρ_{i,k}`, drawn from a transcript fork after
 * every leaf is absorbed (docs/soundness.md rule 8: random, non-unit, transcript-derived): a leaf replayed here is
 * absorbed as the final state of its own transcript fork, which already binds the base transcript and all of
 * its statement and message slots; any other leaf as all of its slots. The
 * weighted sum `Σ ρ_{i,k}·F_{i,k}` vanishes in GT with one multi-pairing. Field equations are checked directly.
 * @module
 */
import type { Engine } from '../src/engine/engine';
import { fieldEquationValue, pairingTerms, splitEquations } from '../src/equations/evaluate';
import { pairingProductIsOne, type ScaledPairing } from '../src/equations/pairing-check';
import type { Transcript } from '../src/transcript';
import { leafTranscriptState, type LeafInstance } from './leaf';
import { encodeSlot } from './messages';

/** Outcome of a verification: accepted, or rejected with a reason. */
export type Verdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * Absorbs every leaf, so the weights depend on all of them: the 32-byte final state of the leaf's transcript
 * fork when the leaf was run by `replayLeaf`/`proveLeaf` (it binds every statement and message slot, and
 * the derived and challenge slots are functions of those), else every slot of the leaf.
 */
export function absorbInstances(t: Transcript, leaves: readonly LeafInstance[]): void {
  leaves.forEach((leaf, i) => {
    t.absorbString('leaf', `${i}/${leaf.protocol.foldKey}`);
    const state = leafTranscriptState(leaf.values);
    if (state !== undefined) t.absorbBytes('leaf-transcript', state);
    else for (const d of leaf.protocol.slots) t.absorbBytes(d.name, encodeSlot(d, leaf.values[d.name]));
  });
}

/** Checks every equation of every leaf; exactly one multi-pairing for all pairing equations. */
export async function verifyInstances(engine: Engine, leaves: readonly LeafInstance[], transcript: Transcript): Promise<Verdict> {
  for (const leaf of leaves) {
    for (const eq of splitEquations(leaf.protocol.equations).field) {
      if (fieldEquationValue(eq, leaf.values) !== 0n) return { ok: false, reason: `${leaf.protocol.foldKey}: field equation "${eq.name}" does not hold` };
    }
  }
  const t = transcript.fork('batch-weights');
  absorbInstances(t, leaves);
  const terms: ScaledPairing[] = [];
  leaves.forEach((leaf, i) => {
    for (const eq of splitEquations(leaf.protocol.equations).pairing) {
      const weight = t.challengeFr(`weight/${i}/${eq.name}`);
      terms.push(...pairingTerms(eq, leaf.values, weight));
    }
  });
  if (terms.length === 0) return { ok: true };
  return (await pairingProductIsOne(engine, terms)) ? { ok: true } : { ok: false, reason: 'the batched pairing check failed' };
}
