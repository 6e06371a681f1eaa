/**
 * Multiples of the vanishing polynomial: the PLONK-style blinding `f + Z_H·b`, which changes no value on H.
 * @module
 */
import { R } from '../field';
import { copyCoefficients, type Polynomial } from './polynomial';
import { carryWords } from './kept-words';
import { carryValuesOnH } from './values-on-h';

/**
 * The coefficients of `f(X) + (X^n − 1)·b(X)` for f in coefficient form (any length) and `b = Σ_j b_j·X^j`:
 * coefficient j loses b_j and coefficient n + j gains it. Its values on H_n are f's, whatever b.
 */
export function addVanishingMultiple(f: readonly bigint[], n: number, b: readonly bigint[]): Polynomial {
  const out = copyCoefficients(f);
  const len = Math.max(out.length, b.length === 0 ? 0 : n + b.length);
  while (out.length < len) out.push(0n);
  b.forEach((bj, j) => {
    out[j] = (out[j] - bj + R) % R;
    out[n + j] = (out[n + j] + bj) % R;
  });
  carryWords(f, out, b.flatMap((_, j) => [j, n + j]));
  carryValuesOnH(f, out, n);
  return out;
}
