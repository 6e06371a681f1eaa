/**
 * Honest proof-size accounting (DESIGN.md, "Honest proof size"): every byte the verifier reads besides
 * the verifying key and the statements, and separately the final accumulators' bytes, per fold key.
 * @module
 */
import { HEADER_BYTES, encodeAggregatedProof, encodeFoldedProof, type AggregatedProof, type FoldedProof } from './proof';

/** Sizes of one fold key's part of a proof. */
export interface FoldKeySize {
  readonly foldKey: string;
  readonly leaves: number;
  readonly folds: number;
  /** All leaves' messages. */
  readonly leafMessageBytes: number;
  /** All folds' cross terms. */
  readonly crossTermBytes: number;
  /** The final accumulator as sent. */
  readonly accumulatorBytes: number;
  /** Framing: the key's name, counts and element sizes. */
  readonly framingBytes: number;
}

/** Sizes of a whole proof. */
export interface ProofSize {
  readonly keys: readonly FoldKeySize[];
  /** Everything the verifier reads: the encoded proof's length (header and framing included). */
  readonly totalBytes: number;
  /** The final accumulators alone (what ZKTorch reports as its proof size). */
  readonly finalAccumulatorBytes: number;
}

const TEXT = new TextEncoder();
/** Framing of one fold key in a folded proof: name (u32 length + UTF-8), four u32 counts and sizes. */
const keyFraming = (foldKey: string) => 4 + TEXT.encode(foldKey).length + 4 * 4;

/** Size breakdown of a folded proof. */
export function foldedProofSize(proof: FoldedProof): ProofSize {
  const keys = proof.keys.map(
    (k): FoldKeySize => ({
      foldKey: k.foldKey,
      leaves: k.leafMessages.length,
      folds: k.crossTerms.length,
      leafMessageBytes: k.leafMessages.reduce((n, m) => n + m.length, 0),
      crossTermBytes: k.crossTerms.reduce((n, c) => n + c.length, 0),
      accumulatorBytes: k.root.length,
      framingBytes: keyFraming(k.foldKey),
    }),
  );
  // Header, then the u32 count of fold keys.
  const totalBytes = HEADER_BYTES + 4 + keys.reduce((n, k) => n + k.leafMessageBytes + k.crossTermBytes + k.accumulatorBytes + k.framingBytes, 0);
  return { keys, totalBytes, finalAccumulatorBytes: keys.reduce((n, k) => n + k.accumulatorBytes, 0) };
}

/** Size of an aggregated proof: everything read, and the final (aggregated) accumulators alone. */
export function aggregatedProofSize(proof: AggregatedProof): { totalBytes: number; partsBytes: number; aggregationCrossTermBytes: number; finalAccumulatorBytes: number } {
  return {
    totalBytes: encodeAggregatedProof(proof).length,
    partsBytes: proof.parts.reduce((n, p) => n + 4 + encodeFoldedProof(p).length, 0),
    aggregationCrossTermBytes: proof.keys.reduce((n, k) => n + k.crossTerms.reduce((m, c) => m + c.length, 0), 0),
    finalAccumulatorBytes: proof.keys.reduce((n, k) => n + k.root.length, 0),
  };
}
