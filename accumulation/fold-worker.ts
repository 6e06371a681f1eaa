/**
 * Fold worker (piscina task): folds one node from plain accumulators (`thread-codec.ts`), on the fork
 * state it is given, and returns the encoded cross terms and the plain parent. Descriptors are cached by
 * fingerprint.
 * @module
 */
import { getDefaultEngine } from '../src/engine/index';
import { descriptorFromWire, type FoldKeyDescriptor } from './fold-key';
import { proveFold } from './fold';
import { accumulatorFromPlain, accumulatorToPlain, type PlainAccumulator } from './thread-codec';
import { Transcript } from '../src/transcript';

/** One fold task. */
export interface FoldTask {
  readonly fingerprint: string;
  readonly descriptor: Uint8Array;
  /** State of the node's transcript fork. */
  readonly fork: Uint8Array;
  readonly a: PlainAccumulator;
  readonly b: PlainAccumulator;
}

/** The task's output. */
export interface FoldTaskResult {
  readonly crossTerms: Uint8Array;
  readonly parent: PlainAccumulator;
}

const descriptors = new Map<string, FoldKeyDescriptor>();

/** Folds `a` with `b` (plain data from the main thread, which computed them: not validated again). */
export default async function foldTask(task: FoldTask): Promise<FoldTaskResult> {
  let desc = descriptors.get(task.fingerprint);
  if (!desc) descriptors.set(task.fingerprint, (desc = descriptorFromWire(task.descriptor)));
  const a = accumulatorFromPlain(desc, task.a);
  const b = accumulatorFromPlain(desc, task.b);
  const { crossTerms, parent } = await proveFold(getDefaultEngine(), desc, a, b, Transcript.fromState(task.fork));
  return { crossTerms, parent: accumulatorToPlain(desc, parent) };
}
