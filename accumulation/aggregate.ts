/**
 * Aggregation (docs/folding.md §7): the roots of several folded proofs of the same fold keys (for example many
 * inference proofs of one model) fold into one accumulator per fold key, decided once.
 *
 * Per fold key, the roots of the parts that have it are the leaves of an aggregation tree folded on the
 * forks `aggregate/<key>/<level>/<index>` of the aggregator's transcript. The verifier replays every part
 * (its leaves and folds, no decider), then the aggregation folds, then runs one decider: one
 * multi-pairing for all the proofs together.
 * @module
 */
import type { Engine } from '../src/engine/engine';
import type { Transcript } from '../src/transcript';
import type { Verdict } from '../blocks/batch-verify';
import { decide, type DeciderInput } from './decider';
import { ProofError } from './errors';
import type { FoldKeyDescriptor } from './fold-key';
import { expectedLeaves, type LeafStatement } from './leaves';
import { decodeAggregatedProof, type AggregatedKey, type AggregatedProof } from './proof';
import { withFoldPool, type FoldedProofPart, type FoldOptions } from './prove';
import type { Accumulator } from './relaxed';
import { proveTree, replayTree, type NodeLabel } from './tree';
import { replayFoldedProof, verdictOf } from './verify';

/** Transcript label of node `(level, index)` of a fold key's aggregation tree. */
export function aggregateLabels(foldKey: string): NodeLabel {
  return (level, index) => `aggregate/${foldKey}/${level}/${index}`;
}

/** Roots per fold key, keys in order of first appearance across the parts, roots in part order. */
function rootsByKey(parts: readonly (readonly DeciderInput[])[]): { descriptor: FoldKeyDescriptor; roots: Accumulator[] }[] {
  const byKey = new Map<string, { descriptor: FoldKeyDescriptor; roots: Accumulator[] }>();
  for (const roots of parts) {
    for (const { descriptor, accumulator } of roots) {
      const entry = byKey.get(descriptor.foldKey);
      if (!entry) byKey.set(descriptor.foldKey, { descriptor, roots: [accumulator] });
      else if (entry.descriptor.fingerprint !== descriptor.fingerprint) throw new ProofError(`${descriptor.foldKey}: the parts disagree on the fold key's equations`);
      else entry.roots.push(accumulator);
    }
  }
  return [...byKey.values()];
}

/** An aggregated proof with the aggregator's roots. */
export interface AggregatedProofPart {
  readonly proof: AggregatedProof;
  readonly roots: readonly DeciderInput[];
}

/**
 * Folds the roots of `parts` (each from `foldLeaves`) into one accumulator per fold key. The roots are
 * taken as handed over: one that is not what its part's folds produce yields a proof that
 * {@link verifyAggregated} rejects, since the verifier folds the roots it recomputes.
 */
export async function aggregateFolded(engine: Engine, transcript: Transcript, parts: readonly FoldedProofPart[], options: FoldOptions = {}): Promise<AggregatedProofPart> {
  return withFoldPool(options, async (pool) => {
    const keys: AggregatedKey[] = [];
    const roots: DeciderInput[] = [];
    for (const { descriptor, roots: partRoots } of rootsByKey(parts.map((p) => p.roots))) {
      const { root, crossTerms } = await proveTree(engine, descriptor, transcript, partRoots, aggregateLabels(descriptor.foldKey), pool);
      keys.push({ foldKey: descriptor.foldKey, roots: partRoots.length, crossTerms });
      roots.push({ descriptor, accumulator: root });
    }
    return { proof: { parts: parts.map((p) => p.proof), keys }, roots };
  });
}

/** What the verifier knows of one aggregated part: its base transcript and its leaves' protocols and statements. */
export interface PartStatement {
  readonly base: Transcript;
  readonly leaves: readonly LeafStatement[];
}

/** Verifies an aggregated proof: every part replayed, every aggregation fold replayed, one decider. */
export function verifyAggregated(engine: Engine, transcript: Transcript, parts: readonly PartStatement[], bytes: Uint8Array): Promise<Verdict> {
  return verdictOf(async () => {
    const proof = decodeAggregatedProof(
      bytes,
      parts.map((p) => expectedLeaves(p.leaves)),
    );
    if (proof.parts.length !== parts.length) throw new ProofError(`the proof aggregates ${proof.parts.length} proofs, the verifier expects ${parts.length}`);
    const partRoots: DeciderInput[][] = [];
    for (const [i, part] of parts.entries()) partRoots.push(await replayFoldedProof(engine, part.base, part.leaves, proof.parts[i]));
    const grouped = rootsByKey(partRoots);
    if (proof.keys.length !== grouped.length) throw new ProofError(`the proof has ${proof.keys.length} aggregated fold keys, the verifier expects ${grouped.length}`);
    const finals: DeciderInput[] = [];
    for (const [g, { descriptor, roots }] of grouped.entries()) {
      const k = proof.keys[g];
      if (k.foldKey !== descriptor.foldKey || k.roots !== roots.length) throw new ProofError(`aggregated fold key ${g} is "${k.foldKey}" over ${k.roots} roots, the verifier expects "${descriptor.foldKey}" over ${roots.length}`);
      const root = await replayTree(engine, descriptor, transcript, roots, k.crossTerms, aggregateLabels(descriptor.foldKey));
      finals.push({ descriptor, accumulator: root });
    }
    return decide(engine, transcript, finals);
  });
}
