/**
 * The values on H_n of polynomials the prover built from those values, kept beside their coefficients.
 *
 * A block commits a tensor from its values and interpolates them (`EvaluationDomain.ifft`), and the poly-IOP compiler
 * later needs the values on H again: a running sum's summand is a product of oracles read on H, which it would get
 * back by a forward transform of the (blinded) coefficients. Both transforms are exact, so `fft(ifft(v)) = v`
 * (canonical), and blinding `f + Z_H·b` changes no value on H_n. So the values the interpolation started from are
 * recorded against the coefficient array it returned (and against its blinded copies), and the forward transform
 * on H_n of such an array reads them instead: the same field elements, one transform and two bigint conversions of
 * n values fewer.
 *
 * The records are keyed by the array object (a `WeakMap`), so they live exactly as long as the coefficients. An
 * array with a record is frozen: a caller that writes into it (a custom block blinding in place, say) gets a
 * TypeError at the write instead of values that no longer match its coefficients. What is recorded is a canonical
 * copy of the values, so a caller reusing its input vector changes nothing.
 * @module
 */
import { Fr, R } from '../field';

const known = new WeakMap<readonly bigint[], readonly bigint[]>();

/** The canonical representative of x. */
const canonical = (x: bigint): bigint => (x >= 0n && x < R ? x : Fr.create(x));

/**
 * Records that the polynomial with coefficients `coeffs` takes the values `values` on H_n, n = |values| (its
 * evaluations `f(ω_n^i)`, any representatives: a canonical copy is kept), and freezes `coeffs`.
 */
export function rememberValuesOnH(coeffs: readonly bigint[], values: readonly bigint[]): void {
  known.set(Object.freeze(coeffs), values.map(canonical));
}

/**
 * The canonical values `f(ω_n^i)` (i < n) of the polynomial with coefficients `coeffs` when they were recorded for
 * H_n ({@link rememberValuesOnH}), as a fresh array; undefined otherwise.
 */
export function knownValuesOnH(coeffs: readonly bigint[], n: number): bigint[] | undefined {
  const values = known.get(coeffs);
  return values !== undefined && values.length === n ? values.slice() : undefined;
}

/**
 * Records for `to` (and freezes it) the values recorded for `from`, if any, when `to` is the same function on their
 * domain: the same polynomial (`n` omitted: `from` without its zero top coefficients), or `to = from + Z_{H_n}·b`,
 * which agrees with `from` on H_n whatever b (only a record for H_n carries).
 */
export function carryValuesOnH(from: readonly bigint[], to: readonly bigint[], n?: number): void {
  const values = known.get(from);
  if (values !== undefined && (n === undefined || values.length === n)) known.set(Object.freeze(to), values);
}
