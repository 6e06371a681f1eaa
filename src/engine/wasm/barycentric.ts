/**
 * {@link Engine.barycentricSum} on the kernels (wasm/barycentric.ts). The weights `b_i = ω^i/(z − ω^i)` of a size and
 * point are computed in the kernels (powers of ω, one batch inversion, one product each) and stay in kernel memory,
 * in Montgomery form, for the last few points of each size ({@link KeptWeights}): the memory of the oldest point of a size
 * is reused, so a verifier of many proofs holds at most that many weight vectors per size. A vector's cells cross as
 * signed 32-bit integers when they are small (public vectors are selectors, masks, indices and small constants: most
 * cells are 0 or 1), as Montgomery elements otherwise; the kernel adds `v_i·b_i` limb by limb without reduction, and
 * the one integer it returns, `≡ R·Σ_i v_i·b_i` with R = 2^261, is reduced here once.
 * @module
 */
import { Fr, R } from '../../field';
import { log2Exact, rootOfUnity } from '../../poly/roots';
import { KeptWeights, requireOutsideSubgroup } from '../barycentric';
import { writeWords } from './codec';
import { FR_BYTES, type Kernels } from './kernels';

/** R^(−1) mod r for the kernels' Montgomery factor R = 2^261 (9 limbs of 29 bits). */
const MONTGOMERY_INVERSE = Fr.inv(Fr.create(1n << 261n));
/** Cells of magnitude below 2^31 cross as one signed 32-bit integer. */
const SMALL_BOUND = 1n << 31n;
/** Limbs of the kernel's exact sum: 11 signed 64-bit integers of weight 2^(29k). */
const SUM_LIMBS = 11;

/** The engine's `barycentricSum` over `kernels`, keeping its weights there. */
export function barycentricSums(kernels: Kernels): (values: readonly bigint[], z: bigint) => bigint {
  const kept = new KeptWeights<number>();
  const exports = kernels.exports;

  /** Montgomery forms of xs, consecutive in scratch memory. */
  function montgomery(alloc: (bytes: number) => number, xs: readonly bigint[]): number {
    const words = alloc(32 * xs.length);
    const view = kernels.view();
    xs.forEach((x, i) => writeWords(view, words + 32 * i, x));
    const ptr = alloc(FR_BYTES * xs.length);
    exports.fr_fromWordsN(ptr, words, xs.length);
    return ptr;
  }

  function weightsAt(n: number, z: bigint, recycled: number | undefined): number {
    const omega = rootOfUnity(1 << log2Exact(n));
    requireOutsideSubgroup(n, z);
    const ptr = recycled ?? kernels.allocResident(n * FR_BYTES);
    kernels.scratch((alloc) => {
      const c = montgomery(alloc, [Fr.create(z), omega]);
      exports.fr_barycentricWeights(ptr, c, c + FR_BYTES, n);
    });
    return ptr;
  }

  return (values, z) => {
    const n = values.length;
    const weights = kept.get(n, z, (recycled) => weightsAt(n, z, recycled));
    return kernels.scratch((alloc) => {
      const out = alloc(8 * SUM_LIMBS);
      const smallPtr = alloc(4 * n);
      const small = new Int32Array(exports.memory.buffer, smallPtr, n);
      const bigIndex: number[] = [];
      const big: bigint[] = [];
      for (let i = 0; i < n; i++) {
        const x = values[i];
        if (x === 0n) small[i] = 0;
        else if (x === 1n) small[i] = 1;
        else {
          const f = Number(x); // exact below 2^53 in magnitude, so the range test is exact
          if (f >= -2147483648 && f < 2147483648) small[i] = f;
          else {
            const c = Fr.create(x);
            if (c > R - SMALL_BOUND) small[i] = Number(c - R);
            else {
              small[i] = 0;
              bigIndex.push(i);
              big.push(c);
            }
          }
        }
      }
      const indexPtr = alloc(4 * bigIndex.length);
      new Uint32Array(exports.memory.buffer, indexPtr, bigIndex.length).set(bigIndex);
      const bigPtr = montgomery(alloc, big);
      exports.fr_barycentricSum(out, weights, smallPtr, n, indexPtr, bigPtr, big.length);
      const view = kernels.view();
      let sum = 0n;
      for (let k = SUM_LIMBS - 1; k >= 0; k--) sum = (sum << 29n) + view.getBigInt64(out + 8 * k, true);
      return Fr.mul(Fr.create(sum), MONTGOMERY_INVERSE);
    });
  };
}
