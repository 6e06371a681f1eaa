/**
 * Naive reference implementations the polynomial module is checked against, and fast-check arbitraries.
 */
import fc from 'fast-check';
import { Fr, R } from '../../src/field';

/** A canonical Fr element, biased towards 0, 1, r − 1 and small values by fast-check. */
export const frArb = fc.oneof(fc.bigInt({ min: 0n, max: R - 1n }), fc.constantFrom(0n, 1n, 2n, R - 1n, R - 2n));

/** A polynomial of length ≤ maxLength. */
export const polyArb = (maxLength: number, minLength = 0) => fc.array(frArb, { minLength, maxLength, size: 'max' });

/** `Σ_j f_j·x^j` with independent powers (no Horner). */
export function naiveEval(f: readonly bigint[], x: bigint): bigint {
  let acc = 0n;
  f.forEach((c, j) => (acc += c * Fr.pow(x, BigInt(j))));
  return acc % R;
}

/** O(n²) DFT on the points `shift·ω^i`, i < n. */
export function naiveDft(f: readonly bigint[], n: number, omega: bigint, shift = 1n): bigint[] {
  return Array.from({ length: n }, (_, i) => naiveEval(f, Fr.mul(shift, Fr.pow(omega, BigInt(i)))));
}

export function schoolbook(a: readonly bigint[], b: readonly bigint[]): bigint[] {
  if (a.length === 0 || b.length === 0) return [];
  const out = new Array<bigint>(a.length + b.length - 1).fill(0n);
  a.forEach((x, i) => b.forEach((y, j) => (out[i + j] = (out[i + j] + x * y) % R)));
  return out;
}

/** Textbook long division by a divisor with non-zero leading coefficient: f = q·d + r, deg r < deg d. */
export function longDivide(f: readonly bigint[], d: readonly bigint[]): { q: bigint[]; r: bigint[] } {
  const dd = trimmed(d);
  const r = f.slice();
  const lead = Fr.inv(dd[dd.length - 1]);
  const q = new Array<bigint>(Math.max(r.length - dd.length + 1, 0)).fill(0n);
  for (let i = r.length - 1; i >= dd.length - 1; i--) {
    const c = Fr.mul(r[i], lead);
    q[i - dd.length + 1] = c;
    for (let j = 0; j < dd.length; j++) r[i - dd.length + 1 + j] = Fr.sub(r[i - dd.length + 1 + j], Fr.mul(c, dd[j]));
  }
  return { q, r: r.slice(0, dd.length - 1) };
}

/** Without trailing zeros. */
export function trimmed(f: readonly bigint[]): bigint[] {
  let n = f.length;
  while (n > 0 && f[n - 1] === 0n) n--;
  return f.slice(0, n);
}

/** Equality of polynomials up to trailing zeros. */
export function samePoly(a: readonly bigint[], b: readonly bigint[]): boolean {
  const x = trimmed(a);
  const y = trimmed(b);
  return x.length === y.length && x.every((c, i) => c === y[i]);
}

/** `X^n − 1`. */
export function vanishingPoly(n: number): bigint[] {
  const z = new Array<bigint>(n + 1).fill(0n);
  z[0] = R - 1n;
  z[n] = 1n;
  return z;
}
