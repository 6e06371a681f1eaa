/**
 * Proving and replaying one block instance (a leaf) on its own transcript fork.
 * @module
 */
import type { Engine } from '../src/engine/engine';
import { ByteReader, ByteWriter } from '../src/encoding/bytes';
import type { SlotValues } from '../src/equations/equation';
import type { Transcript } from '../src/transcript';
import { leafMessageReader, writeMessages } from './messages';
import type { Protocol } from './protocol';
import { runSchedule, type MessageSource, type StepLane } from './schedule';

/** A replayed leaf: its protocol and the values of all its slots. */
export interface LeafInstance {
  readonly protocol: Protocol;
  readonly values: SlotValues;
}

/**
 * The state of each replayed (or proven) leaf's transcript fork after its schedule, by the leaf's values
 * object: it binds the base transcript, every statement slot and every message slot of the leaf (challenges
 * and derived slots are functions of them), so the batch verifier can absorb 32 bytes per leaf instead of
 * every slot again. A values object built elsewhere has no entry (the batch verifier then absorbs its slots).
 */
const leafStates = new WeakMap<SlotValues, Uint8Array>();

/** The transcript state a leaf's schedule ended in, when this module ran it and `values` is that run's object. */
export function leafTranscriptState(values: SlotValues): Uint8Array | undefined {
  return leafStates.get(values);
}

/** The transcript label of leaf `index` of a fold key (docs/folding.md §2). */
export function leafLabel(foldKey: string, index: number): string {
  return `leaf/${foldKey}/${index}`;
}

/**
 * Runs the schedule as prover (steps of different lanes side by side, {@link StepLane}); returns the instance and the
 * leaf's message bytes, the same whatever the lanes.
 */
export async function proveLeaf(
  protocol: Protocol,
  transcript: Transcript,
  engine: Engine,
  statement: SlotValues,
  prover: MessageSource,
  laneOf?: StepLane,
): Promise<{ instance: LeafInstance; messages: Uint8Array }> {
  const values = await runSchedule(protocol, transcript, engine, statement, prover, laneOf);
  leafStates.set(values, transcript.digest());
  const w = new ByteWriter();
  writeMessages(protocol, values, w);
  return { instance: { protocol, values }, messages: w.bytes() };
}

/**
 * Runs the schedule as verifier, reading only message slots from `reader`; statement slots come from
 * the caller, challenges and derived slots are recomputed. The leaf's message slots are decoded before the schedule
 * runs, in the order `writeMessages` wrote them (message steps in schedule order), their G1 points in one batch
 * (`leafMessageReader`); each message step takes its own.
 */
export async function replayLeaf(
  protocol: Protocol,
  transcript: Transcript,
  engine: Engine,
  statement: SlotValues,
  reader: ByteReader,
): Promise<LeafInstance> {
  const values = await runSchedule(protocol, transcript, engine, statement, leafMessageReader(protocol, reader));
  leafStates.set(values, transcript.digest());
  return { protocol, values };
}
