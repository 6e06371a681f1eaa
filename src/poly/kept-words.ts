/**
 * The canonical words of polynomials the engine computed, kept beside their coefficients.
 *
 * An engine that works on 32-byte words (the WebAssembly kernels) gives an interpolant back as bigints, and the
 * prover hands the same polynomial (blinded, trimmed) back to it several times: the quotient, the evaluations at ζ,
 * the opening. Each time the engine converted every coefficient to words again, on the calling thread, and most of
 * the prover's garbage collection was those conversions'. So the words an engine read the coefficients from are
 * recorded against the coefficient array (a `WeakMap`: they live exactly as long as it), and an engine packing that
 * array copies them instead of converting.
 *
 * An array with a record is frozen when the record is made, as one with values on H is (./values-on-h.ts): a caller
 * that writes into it (a custom block blinding an interpolant in place, say) gets a TypeError at the write instead
 * of words that no longer match its coefficients. A copy that differs from its source at a few
 * indices (a blinding `f + Z_H·b` changes 2·|b| coefficients) carries the source's words and the list of those
 * indices, whose coefficients (and any past the words) are read from the array itself.
 * @module
 */

/** The words of a prefix of an array's coefficients, and the indices within it where the array differs from them. */
export interface KeptWords {
  /** Canonical 32-byte little-endian words of coefficients 0, 1, … (at most the array's length of them are read). */
  readonly words: Uint8Array;
  /** Indices whose coefficient is the array's, not the word's. */
  readonly differs: readonly number[];
}

const kept = new WeakMap<readonly bigint[], KeptWords>();

/**
 * Records that `words` (32 bytes per coefficient, canonical little-endian) hold the coefficients of `coeffs`, and
 * freezes `coeffs`.
 */
export function keepWords(coeffs: readonly bigint[], words: Uint8Array): void {
  kept.set(Object.freeze(coeffs), { words, differs: [] });
}

/** The words kept for `coeffs` ({@link keepWords}, {@link carryWords}); undefined if none were. */
export function keptWords(coeffs: readonly bigint[]): KeptWords | undefined {
  return kept.get(coeffs);
}

/**
 * Records for `to` (and freezes it) the words kept for `from`, when `to` equals `from` at every index below both
 * lengths except those in `changed` (a trimmed copy changes none; a blinded one the indices its blinding touches).
 */
export function carryWords(from: readonly bigint[], to: readonly bigint[], changed: Iterable<number> = []): void {
  const record = keptWords(from);
  if (record !== undefined) kept.set(Object.freeze(to), { words: record.words, differs: [...record.differs, ...changed] });
}
