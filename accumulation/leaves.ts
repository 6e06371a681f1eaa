/**
 * Leaves grouped by fold key, for provers and verifiers alike.
 * @module
 */
import type { SlotValues } from '../src/equations/equation';
import type { Engine } from '../src/engine/engine';
import { ByteReader } from '../src/encoding/bytes';
import type { Transcript } from '../src/transcript';
import { leafLabel, replayLeaf, type LeafInstance } from '../blocks/leaf';
import { messageSize } from '../blocks/messages';
import type { Protocol } from '../blocks/protocol';
import { ProofError } from './errors';
import type { ExpectedLeaves } from './proof';
import { descriptorsByFoldKey, type FoldKeyDescriptor } from './fold-key';

/** What a verifier knows of a leaf before reading the proof: its protocol and its statement slots. */
export interface LeafStatement {
  readonly protocol: Protocol;
  readonly statement: SlotValues;
}

/** The items of one fold key, in their original order; item `i` is leaf `i` of the key (transcript fork `leaf/<key>/<i>`). */
export interface FoldKeyGroup<T> {
  readonly descriptor: FoldKeyDescriptor;
  readonly items: readonly T[];
}

/**
 * Groups by fold key name only, keys in order of first appearance (the direct path: every leaf is checked
 * with its own protocol, so leaves of one key need no common descriptor).
 */
export function groupByKeyName<T extends { readonly protocol: Protocol }>(items: readonly T[]): { readonly foldKey: string; readonly items: readonly T[] }[] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const g = groups.get(item.protocol.foldKey);
    if (g) g.push(item);
    else groups.set(item.protocol.foldKey, [item]);
  }
  return [...groups].map(([foldKey, members]) => ({ foldKey, items: members }));
}

/** The leaves a verifier expects, by fold key in first-seen order, from the leaf statements it knows (what the proof decoders and `StreamVerifier` check). */
export function expectedLeaves(leaves: readonly { readonly protocol: Protocol }[]): ExpectedLeaves {
  return groupByKeyName(leaves).map((g) => ({ foldKey: g.foldKey, leaves: g.items.length }));
}

/** Groups by fold key, keys in order of first appearance; rejects leaves of one key that differ in equations or public points. */
export function groupByFoldKey<T extends { readonly protocol: Protocol }>(items: readonly T[]): FoldKeyGroup<T>[] {
  const descriptors = descriptorsByFoldKey(items.map((i) => i.protocol));
  return [...descriptors.values()].map((descriptor) => ({ descriptor, items: items.filter((i) => i.protocol.foldKey === descriptor.foldKey) }));
}

/**
 * Replays the leaves of one fold key as verifier: statements from the caller, challenges and derived slots
 * recomputed, only message slots read from `messages[i]` (exactly the protocol's message size).
 */
export async function replayLeaves(engine: Engine, base: Transcript, group: { readonly foldKey: string; readonly items: readonly LeafStatement[] }, messages: readonly Uint8Array[]): Promise<LeafInstance[]> {
  const key = group.foldKey;
  if (messages.length !== group.items.length) throw new ProofError(`${key}: the proof has ${messages.length} leaves, the verifier expects ${group.items.length}`);
  const out: LeafInstance[] = [];
  for (const [i, leaf] of group.items.entries()) {
    const expected = messageSize(leaf.protocol).total;
    if (messages[i].length !== expected) throw new ProofError(`${key}: leaf ${i} has ${messages[i].length} message bytes, its protocol sends ${expected}`);
    const reader = new ByteReader(messages[i]);
    out.push(await replayLeaf(leaf.protocol, base.fork(leafLabel(key, i)), engine, leaf.statement, reader));
    reader.finish(`messages of leaf ${i} of ${key}`);
  }
  return out;
}
