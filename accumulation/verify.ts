/**
 * Verifier entry point (docs/folding.md §6): a folded proof of leaves, decided by one multi-pairing.
 * @module
 */
import type { Engine } from '../src/engine/engine';
import { BlockfoldError } from '../src/errors';
import type { Transcript } from '../src/transcript';
import type { Verdict } from '../blocks/batch-verify';
import { decide, type DeciderInput } from './decider';
import { ProofError } from './errors';
import { expectedLeaves, groupByFoldKey, replayLeaves, type LeafStatement } from './leaves';
import { decodeFoldedProof, type FoldedProof } from './proof';
import { freshAccumulator } from './relaxed';
import { replayTree, treeLabels } from './tree';

/** Runs a check, turning a typed blockfold error (malformed or mismatched proof) into a rejection. */
export async function verdictOf(check: () => Promise<Verdict>): Promise<Verdict> {
  try {
    return await check();
  } catch (e) {
    if (e instanceof BlockfoldError) return { ok: false, reason: `${e.code}: ${e.message}` };
    throw e;
  }
}

/**
 * Replays a folded proof without deciding: every leaf against its messages, every fold. Returns one
 * recomputed root per fold key (the proof carries none: docs/folding.md §6.2). Throws a typed error when the
 * proof does not match `leaves`.
 */
export async function replayFoldedProof(engine: Engine, base: Transcript, leaves: readonly LeafStatement[], proof: FoldedProof): Promise<DeciderInput[]> {
  const groups = groupByFoldKey(leaves);
  if (proof.keys.length !== groups.length) throw new ProofError(`the proof has ${proof.keys.length} fold keys, the verifier expects ${groups.length}`);
  const roots: DeciderInput[] = [];
  for (const [g, group] of groups.entries()) {
    const part = proof.keys[g];
    if (part.foldKey !== group.descriptor.foldKey) throw new ProofError(`fold key ${g} of the proof is "${part.foldKey}", the verifier expects "${group.descriptor.foldKey}"`);
    const instances = await replayLeaves(engine, base, { foldKey: group.descriptor.foldKey, items: group.items }, part.leafMessages);
    const fresh = instances.map((leaf) => freshAccumulator(group.descriptor, leaf.values));
    const root = await replayTree(engine, group.descriptor, base, fresh, part.crossTerms, treeLabels(group.descriptor));
    roots.push({ descriptor: group.descriptor, accumulator: root });
  }
  return roots;
}

/**
 * The folded path: decodes `bytes`, replays every leaf and every fold, then decides all roots in one
 * multi-pairing. `leaves` are the protocols and statements, in block-graph order, that the caller knows.
 */
export function verifyFolded(engine: Engine, base: Transcript, leaves: readonly LeafStatement[], bytes: Uint8Array): Promise<Verdict> {
  return verdictOf(async () => decide(engine, base, await replayFoldedProof(engine, base, leaves, decodeFoldedProof(bytes, expectedLeaves(leaves)))));
}
