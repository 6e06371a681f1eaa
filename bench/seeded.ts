/**
 * Deterministic inputs for the benches, so two runs (or two checkouts) measure the same data: small signed integers
 * from a 32-bit linear congruential generator, and Fr elements from a 256-bit one. Statistical quality is not the
 * point; equal sequences under equal seeds are.
 * @module
 */
import { R } from '../src/field';

/** `count` integers in [−range, range] from the seed: `s ← s·1103515245 + 12345 mod 2^32`, each `(s >> 8) mod (2·range + 1) − range`. */
export function smallIntegers(count: number, seed: number, range = 100): bigint[] {
  let s = seed >>> 0;
  return Array.from({ length: count }, () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return BigInt((s >>> 8) % (2 * range + 1)) - BigInt(range);
  });
}

/** {@link smallIntegers} as `rows` rows of `cols`, row-major. */
export function smallMatrix(rows: number, cols: number, seed: number, range = 100): bigint[][] {
  const flat = smallIntegers(rows * cols, seed, range);
  return Array.from({ length: rows }, (_, i) => flat.slice(i * cols, (i + 1) * cols));
}

/**
 * A stream of Fr elements from the seed: each call returns the next n of `s ← s·6364136223846793005 +
 * 1442695040888963407 mod 2^256`, reduced mod r.
 */
export function frStream(seed: bigint): (n: number) => bigint[] {
  let s = seed;
  return (n) => Array.from({ length: n }, () => (s = (s * 6364136223846793005n + 1442695040888963407n) % (1n << 256n)) % R);
}
