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
 * The other way round, a tensor read by several blocks (a convolution's patch matrix: written by its permutation,
 * read by the product) is interpolated by each of them from equal values: an interpolation whose values equal those
 * of a live interpolant is a copy of its coefficients ({@link knownInterpolant}), found by a sample of its values
 * and confirmed by comparing all of them, so it is exactly the transform's result.
 *
 * The records are keyed by the array object (a `WeakMap`, and weak references in the index by values), so they live
 * exactly as long as the coefficients. Arrays of coefficients are values here, never written after they are
 * returned (every polynomial operation of `src/poly` returns a new array); what is recorded is a canonical copy of
 * the values, so a caller reusing its input vector changes nothing.
 * @module
 */
import { Fr, R } from '../field';

const known = new WeakMap<readonly bigint[], readonly bigint[]>();

/** Live interpolants by {@link sampleKey} of their values. */
const bySample = new Map<string, WeakRef<readonly bigint[]>[]>();
/** Drops the index's dead references under a key once an interpolant it held is collected. */
const collected = new FinalizationRegistry<string>((key) => {
  const live = bySample.get(key)?.filter((ref) => ref.deref() !== undefined);
  if (live && live.length > 0) bySample.set(key, live);
  else bySample.delete(key);
});

/** The canonical representative of x. */
const canonical = (x: bigint): bigint => (x >= 0n && x < R ? x : Fr.create(x));

/** How many values (evenly spaced, first and last included) key the index by values. */
const SAMPLES = 8;

/** The index key of a vector: its length and the canonical values at {@link SAMPLES} evenly spaced positions. */
function sampleKey(values: readonly bigint[]): string {
  const n = values.length;
  const parts: (number | bigint)[] = [n];
  for (let k = 0; k < SAMPLES && n > 0; k++) parts.push(canonical(values[Math.floor((k * (n - 1)) / (SAMPLES - 1))]));
  return parts.join(',');
}

/**
 * Records that the polynomial with coefficients `coeffs` takes the values `values` on H_n, n = |values| (its
 * evaluations `f(ω_n^i)`, any representatives: a canonical copy is kept), and indexes it as their interpolant.
 */
export function rememberValuesOnH(coeffs: readonly bigint[], values: readonly bigint[]): void {
  known.set(coeffs, values.map(canonical));
  const key = sampleKey(values);
  const refs = bySample.get(key);
  if (refs) refs.push(new WeakRef(coeffs));
  else bySample.set(key, [new WeakRef(coeffs)]);
  collected.register(coeffs, key);
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
 * Records for `to` the values recorded for `from`, if any, when `to` is the same function on their domain: the
 * same polynomial (`n` omitted: `from` without its zero top coefficients), or `to = from + Z_{H_n}·b`, which agrees
 * with `from` on H_n whatever b (only a record for H_n carries).
 */
export function carryValuesOnH(from: readonly bigint[], to: readonly bigint[], n?: number): void {
  const values = known.get(from);
  if (values !== undefined && (n === undefined || values.length === n)) known.set(to, values);
}

/**
 * A copy of the coefficients of a live interpolant over H_n whose recorded values equal `values` (n = |values|,
 * compared as field elements), recorded in turn; undefined when there is none.
 */
export function knownInterpolant(values: readonly bigint[]): bigint[] | undefined {
  const refs = bySample.get(sampleKey(values));
  if (refs === undefined) return undefined;
  for (const ref of refs) {
    const coeffs = ref.deref();
    const recorded = coeffs && known.get(coeffs);
    if (coeffs === undefined || recorded === undefined || recorded.length !== values.length) continue;
    let equal = true;
    for (let i = 0; i < values.length && equal; i++) equal = canonical(values[i]) === recorded[i];
    if (!equal) continue;
    const copy = coeffs.slice();
    known.set(copy, recorded);
    return copy;
  }
  return undefined;
}
