/**
 * Division by the divisors KZG protocols need, `X − z` and the binomials `X^k − z` (of which the vanishing polynomial
 * `X^n − 1` of H_n is one, and a stacked opening's `X^k − z` another: `src/kzg/stack.ts`), in linear time. Each returns
 * the remainder next to the quotient; the `…Exact` variants throw when it is non-zero, so a remainder is never
 * silently dropped.
 * @module
 */
import { PolyError } from '../errors';
import { R } from '../field';
import { copyCoefficients, degree, type Polynomial } from './polynomial';

/** `f = q·d + r`. */
export interface DivisionResult<Rem> {
  readonly quotient: Polynomial;
  readonly remainder: Rem;
}

/**
 * Synthetic division by `X − z`: `f(X) = q(X)·(X − z) + f(z)`, with |q| = max(|f| − 1, 0).
 * The remainder is the scalar f(z) (Horner's rule falls out of the same recurrence).
 */
export function divideByLinear(f: readonly bigint[], z: bigint): DivisionResult<bigint> {
  if (f.length === 0) return { quotient: [], remainder: 0n };
  const q = new Array<bigint>(f.length - 1);
  let carry = f[f.length - 1];
  for (let i = f.length - 2; i >= 0; i--) {
    q[i] = carry;
    carry = (f[i] + carry * z) % R;
  }
  return { quotient: q, remainder: carry };
}

/** `f(X) / (X − z)` when z is a root of f; a {@link PolyError} when f(z) ≠ 0. */
export function divideExact(f: readonly bigint[], z: bigint): Polynomial {
  const { quotient, remainder } = divideByLinear(f, z);
  if (remainder !== 0n) throw new PolyError(`division by X − z is not exact: the remainder f(z) is ${remainder}`);
  return quotient;
}

/**
 * Division by the binomial `X^k − z`: `f = q·(X^k − z) + r` with |r| = k (zero-padded) and |q| = max(|f| − k, 0).
 * Since X^k ≡ z, each coefficient f_i with i ≥ k moves into q_(i−k) and, times z, onto f_(i−k), processed from the top
 * so that moved values move on. The remainder's coefficient j is `Σ_m f_(j+km)·z^m`; for a stacked polynomial
 * `Σ_j X^j·t_j(X^k)` that is t_j(z). A {@link PolyError} unless k is a positive safe integer.
 */
export function divideByBinomial(f: readonly bigint[], k: number, z: bigint): DivisionResult<Polynomial> {
  if (!Number.isSafeInteger(k) || k < 1) throw new PolyError(`X^k − z needs an integer k ≥ 1, got ${k}`);
  const r = copyCoefficients(f);
  while (r.length < k) r.push(0n);
  const q = new Array<bigint>(Math.max(f.length - k, 0));
  for (let i = r.length - 1; i >= k; i--) {
    q[i - k] = r[i];
    // z = 1 (a vanishing polynomial, the common divisor) skips the product.
    r[i - k] = (r[i - k] + (z === 1n ? r[i] : r[i] * z)) % R;
  }
  r.length = k;
  return { quotient: q, remainder: r };
}

/**
 * Division by the vanishing polynomial `Z_H = X^n − 1` of H_n: {@link divideByBinomial} with z = 1,
 * `f = q·(X^n − 1) + r` with |r| = n and |q| = max(|f| − n, 0).
 */
export function divideByVanishing(f: readonly bigint[], n: number): DivisionResult<Polynomial> {
  return divideByBinomial(f, n, 1n);
}

/** `f / (X^n − 1)` when f vanishes on the n-th roots of unity; a {@link PolyError} otherwise. */
export function divideExactByVanishing(f: readonly bigint[], n: number): Polynomial {
  const { quotient, remainder } = divideByVanishing(f, n);
  if (degree(remainder) >= 0) throw new PolyError(`division by X^${n} − 1 is not exact: the remainder has degree ${degree(remainder)}`);
  return quotient;
}
