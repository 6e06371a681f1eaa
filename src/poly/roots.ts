/**
 * Roots of unity of Fr. r − 1 = 2^28 · t with t odd, and 5 generates Fr*; the canonical primitive
 * 2^k-th root is ω_k = (5^t)^(2^(28−k)). Every domain, NTT and engine uses these exact roots, so their
 * outputs are comparable byte for byte.
 * @module
 */
import { PolyError } from '../errors';
import { Fr, R } from '../field';

/** Two-adicity of r − 1. */
export const TWO_ADICITY = 28;
/** A multiplicative generator of Fr*, also the default coset shift. */
export const FR_GENERATOR = 5n;

const ROOT_2_28 = Fr.pow(FR_GENERATOR, (R - 1n) >> BigInt(TWO_ADICITY));

/** ω_k by k, filled on first use: every protocol builds its domains afresh, and each root costs a 254-bit power. */
const rootsByLog: bigint[] = [];

/** The canonical primitive n-th root of unity, for n a power of two ≤ 2^28. */
export function rootOfUnity(n: number): bigint {
  const log = log2Exact(n);
  if (log > TWO_ADICITY) throw new PolyError(`no ${n}-th root of unity in Fr: the largest power-of-two subgroup has 2^${TWO_ADICITY} elements`);
  return (rootsByLog[log] ??= Fr.pow(ROOT_2_28, 1n << BigInt(TWO_ADICITY - log)));
}

/** log2(n) for n a power of two ≥ 1, else a {@link PolyError}. */
export function log2Exact(n: number): number {
  if (!isPowerOfTwo(n)) throw new PolyError(`size ${n} is not a power of two`);
  return 31 - Math.clz32(n);
}

/** Whether n is 2^k for an integer k ≥ 0 (1 included): a size some H_n has. */
export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0;
}

/** Smallest power of two ≥ max(n, 1). */
export function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}
