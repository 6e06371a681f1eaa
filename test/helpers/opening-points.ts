/**
 * Opening points written tersely for the tests' expected lists (`blocks/opening-point.ts`): `rotations(2, 5)` for the
 * points `ω²·ζ, ω⁵·ζ`, `power(2)` for `ζ²`.
 */
import type { OpeningPoint } from '../../blocks/index';

/** The rotation points `ω^s·ζ` of each s, in the order given. */
export const rotations = (...ss: number[]): OpeningPoint[] => ss.map((rotation) => ({ kind: 'rotation', rotation }));

/** The composition point `ζ^k`. */
export const power = (k: number): OpeningPoint => ({ kind: 'power', power: k });
