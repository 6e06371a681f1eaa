/**
 * Verifier entry points (FOLDING.md §6): the folded path and the direct batch path.
 * @module
 */
import type { Engine } from '../src/engine/engine';
import { BlockfoldError } from '../src/errors';
import type { Transcript } from '../src/transcript';
import { verifyInstances, type Verdict } from '../blocks/batch-verify';
import { decide, type DeciderInput } from './decider';
import { ProofError } from './errors';
import type { FoldKeyDescriptor } from './fold-key';
import { groupByFoldKey, replayLeaves, type LeafStatement } from './leaves';
import { decodeDirectProof, decodeFoldedProof, type FoldedProof } from './proof';
import { accumulatorBytes, encodeAccumulator, freshAccumulator, type Accumulator } from './relaxed';
import { crossTermBytes } from './cross-terms';
import { replayTree, treeLabels, type NodeLabel } from './tree';

/** Runs a check, turning a typed blockfold error (malformed or mismatched proof) into a rejection. */
export async function verdictOf(check: () => Promise<Verdict>): Promise<Verdict> {
  try {
    return await check();
  } catch (e) {
    if (e instanceof BlockfoldError) return { ok: false, reason: `${e.code}: ${e.message}` };
    throw e;
  }
}

/** Checks a fold key's element sizes in a proof against its descriptor. */
function checkSizes(d: FoldKeyDescriptor, crossTerms: readonly Uint8Array[], root: Uint8Array): void {
  const cross = crossTermBytes(d);
  if (crossTerms.some((c) => c.length !== cross)) throw new ProofError(`${d.foldKey}: cross terms must be ${cross} bytes per fold`);
  if (root.length !== accumulatorBytes(d)) throw new ProofError(`${d.foldKey}: the final accumulator must be ${accumulatorBytes(d)} bytes`);
}

/**
 * Replays a tree with cross terms from a proof and requires the proof's root to be exactly the recomputed
 * one (the recomputed root is what gets decided; the sent one only reports).
 */
export async function replayToRoot(d: FoldKeyDescriptor, base: Transcript, nodes: readonly Accumulator[], crossTerms: readonly Uint8Array[], root: Uint8Array, labelOf: NodeLabel): Promise<Accumulator> {
  checkSizes(d, crossTerms, root);
  const recomputed = await replayTree(d, base, nodes, crossTerms, labelOf);
  const bytes = encodeAccumulator(d, recomputed);
  if (bytes.length !== root.length || bytes.some((b, i) => b !== root[i])) throw new ProofError(`${d.foldKey}: the final accumulator in the proof is not the one its folds produce`);
  return recomputed;
}

/**
 * Replays a folded proof without deciding: every leaf against its messages, every fold. Returns one
 * recomputed root per fold key. Throws a typed error when the proof does not match `leaves`.
 */
export async function replayFoldedProof(engine: Engine, base: Transcript, leaves: readonly LeafStatement[], proof: FoldedProof): Promise<DeciderInput[]> {
  const groups = groupByFoldKey(leaves);
  if (proof.keys.length !== groups.length) throw new ProofError(`the proof has ${proof.keys.length} fold keys, the verifier expects ${groups.length}`);
  const roots: DeciderInput[] = [];
  for (const [g, group] of groups.entries()) {
    const part = proof.keys[g];
    if (part.foldKey !== group.descriptor.foldKey) throw new ProofError(`fold key ${g} of the proof is "${part.foldKey}", the verifier expects "${group.descriptor.foldKey}"`);
    const instances = await replayLeaves(engine, base, group, part.leafMessages);
    const fresh = instances.map((leaf) => freshAccumulator(group.descriptor, leaf.values));
    const root = await replayToRoot(group.descriptor, base, fresh, part.crossTerms, part.root, treeLabels(group.descriptor));
    roots.push({ descriptor: group.descriptor, accumulator: root });
  }
  return roots;
}

/**
 * The folded path: decodes `bytes`, replays every leaf and every fold, then decides all roots in one
 * multi-pairing. `leaves` are the protocols and statements, in block-graph order, that the caller knows.
 */
export function verifyFolded(engine: Engine, base: Transcript, leaves: readonly LeafStatement[], bytes: Uint8Array): Promise<Verdict> {
  return verdictOf(async () => decide(engine, base, await replayFoldedProof(engine, base, leaves, decodeFoldedProof(bytes))));
}

/** The direct batch path: replays every leaf and checks all their equations in one multi-pairing (`verifyInstances`). */
export function verifyDirect(engine: Engine, base: Transcript, leaves: readonly LeafStatement[], bytes: Uint8Array): Promise<Verdict> {
  return verdictOf(async () => {
    const proof = decodeDirectProof(bytes);
    const groups = groupByFoldKey(leaves);
    if (proof.keys.length !== groups.length) throw new ProofError(`the proof has ${proof.keys.length} fold keys, the verifier expects ${groups.length}`);
    const instances = [];
    for (const [g, group] of groups.entries()) {
      if (proof.keys[g].foldKey !== group.descriptor.foldKey) throw new ProofError(`fold key ${g} of the proof is "${proof.keys[g].foldKey}", the verifier expects "${group.descriptor.foldKey}"`);
      instances.push(...(await replayLeaves(engine, base, group, proof.keys[g].leafMessages)));
    }
    return verifyInstances(engine, instances, base);
  });
}
