/**
 * The argument checks of `Engine.sumOfProducts`, shared by every engine so that they refuse the same inputs.
 * @module
 */
import { EngineError } from '../errors';
import type { ProductTerm } from './engine';

/**
 * An {@link EngineError} unless `length` is a non-negative integer, every vector has `length` elements and every
 * factor index names a vector.
 */
export function checkProductShapes(length: number, vectors: readonly (readonly bigint[])[], terms: readonly ProductTerm[]): void {
  if (!Number.isInteger(length) || length < 0) throw new EngineError(`sumOfProducts: length must be a non-negative integer, got ${length}`);
  for (const v of vectors) if (v.length !== length) throw new EngineError(`sumOfProducts: a vector of ${v.length} elements, expected ${length}`);
  for (const t of terms)
    for (const f of t.factors)
      if (!Number.isInteger(f) || f < 0 || f >= vectors.length) throw new EngineError(`sumOfProducts: factor ${f} names none of the ${vectors.length} vectors`);
}

