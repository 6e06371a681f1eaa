/**
 * The argument checks and transform plan of `Engine.cosetIdentities`, shared by every engine so that they refuse
 * the same inputs and transform each polynomial on the same coset.
 * @module
 */
import { EngineError } from '../errors';
import { R } from '../field';
import type { CosetPart } from './engine';

/**
 * For each of `count` polynomials, the size of the largest part that reads it: the coset it is transformed on (0
 * for a polynomial no part reads, which is not transformed). An {@link EngineError} unless every part's size is a
 * power of two, every term's coefficient is a canonical Fr element, every factor index names a polynomial, and every
 * scale is non-empty with a length dividing its part's size.
 */
export function largestReaders(count: number, parts: readonly CosetPart[]): number[] {
  const sizes = new Array<number>(count).fill(0);
  for (const { size: m, terms, scale } of parts) {
    if (!Number.isInteger(m) || m < 1 || (m & (m - 1)) !== 0) throw new EngineError(`cosetIdentities: a part's size must be a power of two, got ${m}`);
    for (const t of terms) {
      if (t.coeff < 0n || t.coeff >= R) throw new EngineError(`cosetIdentities: a term's coefficient ${t.coeff} is not a canonical Fr element`);
      for (const f of t.factors) {
        if (!Number.isInteger(f) || f < 0 || f >= count) throw new EngineError(`cosetIdentities: factor ${f} names none of the ${count} polynomials`);
        sizes[f] = Math.max(sizes[f], m);
      }
    }
    if (scale.length === 0 || m % scale.length !== 0) throw new EngineError(`cosetIdentities: a scale of ${scale.length} values does not divide ${m} points`);
  }
  return sizes;
}

/**
 * For each of `count` polynomials, whether one part alone reads it and only in terms `c·f` of that single factor (the
 * `−c` of `a·b − c`, a logUp multiplicity): such polynomials enter their part only through `Σ c·f`, which an engine
 * may form in coefficient form and transform once instead of transforming each.
 */
export function readAlone(count: number, parts: readonly CosetPart[]): boolean[] {
  const reader = new Array<number | undefined>(count);
  const alone = new Array<boolean>(count).fill(true);
  parts.forEach((part, p) => {
    for (const t of part.terms)
      for (const f of t.factors) {
        if (t.factors.length !== 1 || (reader[f] !== undefined && reader[f] !== p)) alone[f] = false;
        reader[f] = p;
      }
  });
  return alone;
}
