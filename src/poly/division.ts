/**
 * Division by the two divisors KZG protocols need, `X − z` and `X^n − 1`, in linear time. Both return
 * the remainder next to the quotient; the `…Exact` variants throw when it is non-zero, so a remainder
 * is never silently dropped.
 * @module
 */
import { PolyError } from '../errors';
import { R } from '../field';
import { degree, type Polynomial } from './polynomial';

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
 * Division by the vanishing polynomial `Z_H = X^n − 1`: `f = q·(X^n − 1) + r` with |r| = n and
 * |q| = max(|f| − n, 0). Since X^n ≡ 1, each coefficient f_i with i ≥ n moves into q_(i−n) and onto f_(i−n),
 * processed from the top so that moved values move on.
 */
export function divideByVanishing(f: readonly bigint[], n: number): DivisionResult<Polynomial> {
  if (!Number.isInteger(n) || n < 1) throw new PolyError(`X^n − 1 needs n ≥ 1, got ${n}`);
  const r = f.slice();
  while (r.length < n) r.push(0n);
  const q = new Array<bigint>(Math.max(f.length - n, 0));
  for (let i = r.length - 1; i >= n; i--) {
    q[i - n] = r[i];
    r[i - n] = (r[i - n] + r[i]) % R;
  }
  r.length = n;
  return { quotient: q, remainder: r };
}

/** `f / (X^n − 1)` when f vanishes on the n-th roots of unity; a {@link PolyError} otherwise. */
export function divideExactByVanishing(f: readonly bigint[], n: number): Polynomial {
  const { quotient, remainder } = divideByVanishing(f, n);
  if (degree(remainder) >= 0) throw new PolyError(`division by X^${n} − 1 is not exact: the remainder has degree ${degree(remainder)}`);
  return quotient;
}
