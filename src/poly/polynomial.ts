/**
 * Polynomials over Fr in coefficient form: `bigint[]`, lowest degree first, canonical elements.
 * Trailing zeros are allowed (the empty vector is the zero polynomial); results keep the natural length
 * of the operation (`a + b` has length max(|a|, |b|), `a·b` has |a| + |b| − 1), and {@link trim} removes them.
 * @module
 */
import type { Engine } from '../engine/engine';
import { getDefaultEngine } from '../engine/index';
import { PolyError } from '../errors';
import { R } from '../field';
import { nextPowerOfTwo } from './roots';
import { carryWords } from './kept-words';
import { carryValuesOnH } from './values-on-h';

/** A polynomial in coefficient form, lowest degree first. */
export type Polynomial = bigint[];

/** Below this many coefficients in the shorter factor, schoolbook multiplication beats two NTTs and one inverse. */
const SCHOOLBOOK_MAX = 32;

/**
 * A fresh array of `f`'s first `length` coefficients (all of them by default; `f_i` for i < min(length, |f|)). Copied
 * by a spread, not by `slice`: V8 (Node 20) slices a frozen array, as every polynomial with kept words or values is
 * (./kept-words.ts, ./values-on-h.ts), element by element on a generic path, a few hundred times slower than a spread
 * (about 0.5 ms for 4,096 coefficients against 2 µs), and the prover copies such polynomials to blind and divide them.
 */
export function copyCoefficients(f: readonly bigint[], length = f.length): Polynomial {
  const out = [...f];
  if (length < out.length) out.length = Math.max(length, 0);
  return out;
}

/** `f` without trailing zero coefficients (the zero polynomial becomes `[]`). */
export function trim(f: readonly bigint[]): Polynomial {
  let len = f.length;
  while (len > 0 && f[len - 1] === 0n) len--;
  const out = copyCoefficients(f, len);
  carryWords(f, out);
  carryValuesOnH(f, out);
  return out;
}

/** The degree of f, with −1 for the zero polynomial. */
export function degree(f: readonly bigint[]): number {
  let d = f.length - 1;
  while (d >= 0 && f[d] === 0n) d--;
  return d;
}

/** `f(z) = Σ f_i·z^i` by Horner's rule. */
export function evaluate(f: readonly bigint[], z: bigint): bigint {
  let acc = 0n;
  for (let i = f.length - 1; i >= 0; i--) acc = (acc * z + f[i]) % R;
  return acc;
}

/** `a + b`. */
export function add(a: readonly bigint[], b: readonly bigint[]): Polynomial {
  const out = new Array<bigint>(Math.max(a.length, b.length));
  for (let i = 0; i < out.length; i++) {
    const s = (a[i] ?? 0n) + (b[i] ?? 0n);
    out[i] = s >= R ? s - R : s;
  }
  return out;
}

/** `a − b`. */
export function sub(a: readonly bigint[], b: readonly bigint[]): Polynomial {
  const out = new Array<bigint>(Math.max(a.length, b.length));
  for (let i = 0; i < out.length; i++) {
    const s = (a[i] ?? 0n) - (b[i] ?? 0n);
    out[i] = s < 0n ? s + R : s;
  }
  return out;
}

/** `k·f` for a scalar k. */
export function scale(f: readonly bigint[], k: bigint): Polynomial {
  return f.map((c) => (c * k) % R);
}

/** `Σ_i k_i·f_i`: the random linear combination a batched opening commits to. */
export function linearCombination(polys: readonly (readonly bigint[])[], scalars: readonly bigint[]): Polynomial {
  if (polys.length !== scalars.length) throw new PolyError(`${polys.length} polynomials but ${scalars.length} scalars`);
  let len = 0;
  for (const f of polys) len = Math.max(len, f.length);
  const acc = new Array<bigint>(len).fill(0n);
  polys.forEach((f, j) => {
    const k = scalars[j];
    // The linear forms of identities weight their oracles by ±1 (`β − f`): an addition instead of a product.
    if (k === 1n) for (let i = 0; i < f.length; i++) acc[i] += f[i];
    else if (k === R - 1n) for (let i = 0; i < f.length; i++) acc[i] -= f[i];
    else for (let i = 0; i < f.length; i++) acc[i] += f[i] * k;
  });
  return acc.map((c) => {
    const x = c % R;
    return x < 0n ? x + R : x;
  });
}

/**
 * `a·b`, length |a| + |b| − 1 (or `[]` if either is empty). Small factors use the schoolbook product;
 * larger ones evaluate both on a subgroup of size ≥ |a| + |b| − 1 through the engine's NTT, multiply
 * pointwise and interpolate, which is exact because the product's degree fits the subgroup.
 */
export function mul(a: readonly bigint[], b: readonly bigint[], engine: Engine = getDefaultEngine()): Polynomial {
  if (a.length === 0 || b.length === 0) return [];
  const len = a.length + b.length - 1;
  if (Math.min(a.length, b.length) <= SCHOOLBOOK_MAX) return schoolbookMul(a, b);
  const m = nextPowerOfTwo(len);
  const ea = engine.ntt(padTo(a, m));
  const eb = engine.ntt(padTo(b, m));
  for (let i = 0; i < m; i++) ea[i] = (ea[i] * eb[i]) % R;
  return engine.intt(ea).slice(0, len);
}

/** `a` followed by zeros up to length m; a {@link PolyError} if |a| > m (nothing is ever cut off). */
export function padTo(a: readonly bigint[], m: number): Polynomial {
  if (a.length > m) throw new PolyError(`cannot pad ${a.length} coefficients to ${m}`);
  const out = copyCoefficients(a);
  while (out.length < m) out.push(0n);
  return out;
}

function schoolbookMul(a: readonly bigint[], b: readonly bigint[]): Polynomial {
  const out = new Array<bigint>(a.length + b.length - 1).fill(0n);
  for (let i = 0; i < a.length; i++) {
    if (a[i] === 0n) continue;
    for (let j = 0; j < b.length; j++) out[i + j] += a[i] * b[j];
  }
  return out.map((c) => c % R);
}

/**
 * f in `count` pieces of `size` coefficients, `f = Σ_j X^(j·size)·f_j`, the last taking every coefficient beyond the
 * others, with blindings (PLONK's split quotient): piece j < count − 1 gets `b_j·X^size` and piece j > 0 gives back
 * `b_(j−1)` at its constant coefficient, so `Σ_j X^(j·size)·f_j = f` still while every piece but the last is
 * uniform under the b (`blinds`, count − 1 of them). A {@link PolyError} if the shape is not one of whole pieces.
 */
export function splitPolynomial(f: readonly bigint[], count: number, size: number, blinds: readonly bigint[]): Polynomial[] {
  if (!Number.isSafeInteger(count) || count < 1 || !Number.isSafeInteger(size) || size < 1 || blinds.length !== count - 1)
    throw new PolyError(`cannot split into ${count} pieces of ${size} coefficients with ${blinds.length} blindings`);
  return Array.from({ length: count }, (_, j) => {
    const piece = j === count - 1 ? f.slice(j * size) : padTo(f.slice(j * size, (j + 1) * size), size);
    if (j < count - 1) piece.push(blinds[j] % R);
    if (j > 0) piece[0] = (((piece[0] ?? 0n) - blinds[j - 1]) % R + R) % R;
    return piece;
  });
}
