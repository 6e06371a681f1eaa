/**
 * Fold worker (piscina task): folds one node from encoded accumulators, on the fork state it is given,
 * and returns the encoded cross terms and parent. Descriptors are cached by fingerprint.
 * @module
 */
import { getDefaultEngine } from '../src/engine/index';
import { descriptorFromWire, type FoldKeyDescriptor } from './fold-key';
import { proveFold } from './fold';
import { decodeAccumulator, encodeAccumulator } from './relaxed';
import { Transcript } from '../src/transcript';

/** One fold task. */
export interface FoldTask {
  readonly fingerprint: string;
  readonly descriptor: Uint8Array;
  /** State of the node's transcript fork. */
  readonly fork: Uint8Array;
  readonly a: Uint8Array;
  readonly b: Uint8Array;
}

/** The task's output. */
export interface FoldTaskResult {
  readonly crossTerms: Uint8Array;
  readonly parent: Uint8Array;
}

const descriptors = new Map<string, FoldKeyDescriptor>();

/** Folds `a` with `b` (inputs come from the main thread, which produced them: decoded as trusted). */
export default async function foldTask(task: FoldTask): Promise<FoldTaskResult> {
  let desc = descriptors.get(task.fingerprint);
  if (!desc) descriptors.set(task.fingerprint, (desc = descriptorFromWire(task.descriptor)));
  const a = decodeAccumulator(desc, task.a, true);
  const b = decodeAccumulator(desc, task.b, true);
  const { crossTerms, parent } = await proveFold(getDefaultEngine(), desc, a, b, Transcript.fromState(task.fork));
  return { crossTerms, parent: encodeAccumulator(desc, parent) };
}
