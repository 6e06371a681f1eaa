/**
 * The falling factorial `X(X − 1)···(X − n + 1) = Π_(u<n)(X − u)`: the vanishing polynomial `Z_S` of the integer range
 * `S = {0, …, n − 1}` (its coefficients are the signed Stirling numbers of the first kind).
 * @module
 */
import type { Engine } from '../engine/engine';
import { getDefaultEngine } from '../engine/index';
import { Fr } from '../field';
import { mul, type Polynomial } from './polynomial';

/**
 * `Π_(u<n)(X − u)`, coefficients lowest first (n + 1 of them; `[1]` for n = 0), by a balanced tree of products
 * (`mul`, through the engine's transforms for the large ones).
 */
export function fallingFactorial(n: number, engine: Engine = getDefaultEngine()): Polynomial {
  const product = (a: number, b: number): Polynomial => {
    if (b - a === 1) return [Fr.create(-BigInt(a)), 1n];
    const mid = (a + b) >> 1;
    return mul(product(a, mid), product(mid, b), engine);
  };
  return n === 0 ? [1n] : product(0, n);
}
