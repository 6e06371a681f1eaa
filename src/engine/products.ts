/**
 * The argument checks of `Engine.cosetIdentity`, shared by every engine so that they refuse the same inputs.
 * @module
 */
import { EngineError } from '../errors';
import type { ProductTerm } from './engine';

/**
 * log2(m), or an {@link EngineError} unless m is a power of two, every polynomial has at most m coefficients, every
 * factor index names a polynomial and the scale is non-empty with a length dividing m.
 */
export function checkIdentityShapes(m: number, polys: readonly (readonly bigint[])[], terms: readonly ProductTerm[], scale: readonly bigint[]): number {
  if (!Number.isInteger(m) || m < 1 || (m & (m - 1)) !== 0) throw new EngineError(`cosetIdentity: m must be a power of two, got ${m}`);
  for (const f of polys) if (f.length > m) throw new EngineError(`cosetIdentity: a polynomial of ${f.length} coefficients does not fit ${m} points`);
  for (const t of terms)
    for (const f of t.factors)
      if (!Number.isInteger(f) || f < 0 || f >= polys.length) throw new EngineError(`cosetIdentity: factor ${f} names none of the ${polys.length} polynomials`);
  if (scale.length === 0 || m % scale.length !== 0) throw new EngineError(`cosetIdentity: a scale of ${scale.length} values does not divide ${m} points`);
  return 31 - Math.clz32(m);
}
