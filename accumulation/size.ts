/**
 * Honest proof-size accounting (as the README reports it): every byte the verifier reads besides
 * the verifying key and the statements, per fold key, and separately the size of the final accumulators,
 * which are **not sent** (the verifier recomputes them, docs/folding.md §6.2) but are what ZKTorch reports as
 * its proof size.
 * @module
 */
import { ProofError } from './errors';
import type { FoldKeyDescriptor } from './fold-key';
import { HEADER_BYTES, type FoldedProof } from './proof';
import { accumulatorBytes } from './relaxed';

/** Bytes that are not in the proof, reported for comparison only. */
export interface NotSent {
  /** Final accumulators, not sent: `accumulatorBytes(descriptor)` per fold key. */
  readonly finalAccumulatorBytes: number;
}

/** Sizes of one fold key's part of a proof. */
export interface FoldKeySize {
  readonly foldKey: string;
  readonly leaves: number;
  readonly folds: number;
  /** All leaves' messages. */
  readonly leafMessageBytes: number;
  /** All folds' cross terms. */
  readonly crossTermBytes: number;
  /** Framing: the key's name, counts and element sizes. */
  readonly framingBytes: number;
  /** The final accumulator, not sent (present when the descriptors were given). */
  readonly notSent?: NotSent;
}

/** Sizes of a whole proof. */
export interface ProofSize {
  readonly keys: readonly FoldKeySize[];
  /** Everything the verifier reads: the encoded proof's length (header and framing included). */
  readonly totalBytes: number;
  /** The final accumulators, not sent (present when the descriptors were given). */
  readonly notSent?: NotSent;
}

const TEXT = new TextEncoder();
/** Framing of one fold key in a folded proof: name (u32 length + UTF-8), three u32 counts and sizes. */
const keyFraming = (foldKey: string) => 4 + TEXT.encode(foldKey).length + 3 * 4;

/** `accumulatorBytes` of `foldKey`'s descriptor among `descriptors`, or undefined without descriptors. */
function finalAccumulator(foldKey: string, descriptors: readonly FoldKeyDescriptor[] | undefined): NotSent | undefined {
  if (!descriptors) return undefined;
  const d = descriptors.find((x) => x.foldKey === foldKey);
  if (!d) throw new ProofError(`no descriptor for fold key "${foldKey}" of the proof`);
  return { finalAccumulatorBytes: accumulatorBytes(d) };
}

const sumNotSent = (items: readonly { notSent?: NotSent }[]): NotSent | undefined =>
  items.every((i) => i.notSent) ? { finalAccumulatorBytes: items.reduce((n, i) => n + i.notSent!.finalAccumulatorBytes, 0) } : undefined;

/**
 * Size breakdown of a folded proof. With the fold keys' `descriptors` (the prover has them as
 * `part.roots.map((r) => r.descriptor)`, a verifier from its protocols) it also reports the final
 * accumulators' size under `notSent`.
 */
export function foldedProofSize(proof: FoldedProof, descriptors?: readonly FoldKeyDescriptor[]): ProofSize {
  const keys = proof.keys.map(
    (k): FoldKeySize => ({
      foldKey: k.foldKey,
      leaves: k.leafMessages.length,
      folds: k.crossTerms.length,
      leafMessageBytes: k.leafMessages.reduce((n, m) => n + m.length, 0),
      crossTermBytes: k.crossTerms.reduce((n, c) => n + c.length, 0),
      framingBytes: keyFraming(k.foldKey),
      notSent: finalAccumulator(k.foldKey, descriptors),
    }),
  );
  // Header, then the u32 count of fold keys.
  const totalBytes = HEADER_BYTES + 4 + keys.reduce((n, k) => n + k.leafMessageBytes + k.crossTermBytes + k.framingBytes, 0);
  return { keys, totalBytes, notSent: sumNotSent(keys) };
}
