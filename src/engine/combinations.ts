/**
 * `Engine.combineG1`'s argument checks and its reading of a scalar as a signed integer, shared by every engine so
 * that they refuse the same inputs and apply the same multiples.
 * @module
 */
import { EngineError } from '../errors';
import { R } from '../field';
import type { CombinationTerm } from './engine';

/** An {@link EngineError} unless every term names one of `count` points and has a canonical Fr scalar. */
export function checkCombinations(count: number, combinations: readonly (readonly CombinationTerm[])[]): void {
  for (const c of combinations)
    for (const t of c) {
      if (!Number.isInteger(t.index) || t.index < 0 || t.index >= count) throw new EngineError(`combineG1: term index ${t.index} names none of the ${count} points`);
      if (typeof t.scalar !== 'bigint' || t.scalar < 0n || t.scalar >= R) throw new EngineError('combineG1: a scalar is not a canonical Fr element');
    }
}

/**
 * The canonical scalar s as the signed integer of least magnitude congruent to it mod r: `(|s'|, s' < 0)` with
 * s' = s, or s − r when s > r/2 (a relation's −1 is r − 1, applied as one negation, not a 254-bit multiple).
 */
export function signedMagnitude(s: bigint): { readonly magnitude: bigint; readonly negative: boolean } {
  return s > R >> 1n ? { magnitude: R - s, negative: true } : { magnitude: s, negative: false };
}
