/**
 * {@link Engine.barycentricSum} on the kernels (wasm/barycentric.ts). The weights `b_i = ω^i/(z − ω^i)` of a size and
 * point are computed in the kernels (powers of ω, one batch inversion, one product each) and stay in kernel memory,
 * in Montgomery form, for the last few points of each size ({@link KeptWeights}): the memory of the oldest point of a size
 * is reused, so a verifier of many proofs holds at most that many weight vectors per size. A vector's cells cross as
 * signed 32-bit integers when they are small (public vectors are selectors, masks, indices and small constants: most
 * cells are 0 or 1), as Montgomery elements otherwise (that form is kept per array while its cells stay the same); the kernel adds `v_i·b_i` limb by limb without reduction, and
 * the one integer it returns, `≡ R·Σ_i v_i·b_i` with R = 2^261, is reduced here once.
 * @module
 */
import { Fr, R } from '../../field';
import { log2Exact, rootOfUnity } from '../../poly/roots';
import { barycentricSumBigint, barycentricWeights, KeptWeights, requireOutsideSubgroup } from '../barycentric';
import { writeWords } from './codec';
import { FR_BYTES, type Kernels } from './kernels';

/** R^(−1) mod r for the kernels' Montgomery factor R = 2^261 (9 limbs of 29 bits). */
const MONTGOMERY_INVERSE = Fr.inv(Fr.create(1n << 261n));
/** Cells of magnitude below 2^31 cross as one signed 32-bit integer. */
const SMALL_BOUND = 1n << 31n;
/** Limbs of the kernel's exact sum: 11 signed 64-bit integers of weight 2^(29k). */
const SUM_LIMBS = 11;
/**
 * Vectors shorter than this are summed in bigints over bigint weights: a kernel call costs about 1.5 µs whatever the
 * length, as many as 100 cells of bigint products (measured: equal near 128 cells, the kernel 3× faster at 1024).
 */
const KERNEL_MIN_LENGTH = 128;

/**
 * A vector in the kernel's input form: every cell as a signed 32-bit integer (0 for a big cell), the big cells' indices
 * and their canonical values as 8 little-endian u32 words each; with the cells it was made from.
 */
interface CompactVector {
  readonly cells: readonly bigint[];
  readonly small: Int32Array;
  readonly bigIndex: Uint32Array;
  readonly bigWords: Uint8Array;
}

function compact(values: readonly bigint[]): CompactVector {
  const n = values.length;
  const small = new Int32Array(n);
  const bigIndex: number[] = [];
  const big: bigint[] = [];
  for (let i = 0; i < n; i++) {
    const x = values[i];
    if (x === 0n) continue;
    if (x === 1n) {
      small[i] = 1;
      continue;
    }
    const f = Number(x); // exact below 2^53 in magnitude, so the range test is exact
    if (f >= -2147483648 && f < 2147483648) small[i] = f;
    else {
      const c = Fr.create(x);
      if (c > R - SMALL_BOUND) small[i] = Number(c - R);
      else {
        bigIndex.push(i);
        big.push(c);
      }
    }
  }
  const bigWords = new Uint8Array(32 * big.length);
  const view = new DataView(bigWords.buffer);
  big.forEach((x, j) => writeWords(view, 32 * j, x));
  return { cells: values.slice(), small, bigIndex: Uint32Array.from(bigIndex), bigWords };
}

/** True when the vectors hold equal cells (the same bigint objects compare in one step). */
function sameCells(a: readonly bigint[], b: readonly bigint[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The engine's `barycentricSum` over `kernels`, keeping its weights there (bigints below {@link KERNEL_MIN_LENGTH}
 * cells). A vector's input form is kept by array (a
 * key's public vectors are summed at every ζ) and used only while the array still holds the cells it was made from,
 * compared cell by cell: a caller that refills an array gets the sum of what it holds now.
 */
export function barycentricSums(kernels: Kernels): (values: readonly bigint[], z: bigint) => bigint {
  const kept = new KeptWeights<number>();
  const keptShort = new KeptWeights<bigint[]>();
  const compacts = new WeakMap<readonly bigint[], CompactVector>();
  const exports = kernels.exports;

  function weightsAt(n: number, z: bigint, recycled: number | undefined): number {
    const omega = rootOfUnity(1 << log2Exact(n));
    requireOutsideSubgroup(n, z);
    const ptr = recycled ?? kernels.allocResident(n * FR_BYTES);
    kernels.scratch((alloc) => {
      const words = alloc(64);
      const view = kernels.view();
      writeWords(view, words, Fr.create(z));
      writeWords(view, words + 32, omega);
      const c = alloc(2 * FR_BYTES);
      exports.fr_fromWordsN(c, words, 2);
      exports.fr_barycentricWeights(ptr, c, c + FR_BYTES, n);
    });
    return ptr;
  }

  return (values, z) => {
    const n = values.length;
    if (n < KERNEL_MIN_LENGTH) return barycentricSumBigint(values, keptShort.get(n, z, () => barycentricWeights(n, z)));
    const weights = kept.get(n, z, (recycled) => weightsAt(n, z, recycled));
    let v = compacts.get(values);
    if (v === undefined || !sameCells(v.cells, values)) compacts.set(values, (v = compact(values)));
    const { small, bigIndex, bigWords } = v;
    return kernels.scratch((alloc) => {
      const m = bigIndex.length;
      const out = alloc(8 * SUM_LIMBS + 4 * n + 4 * m + 32 * m + FR_BYTES * m);
      const smallPtr = out + 8 * SUM_LIMBS;
      const indexPtr = smallPtr + 4 * n;
      const wordsPtr = indexPtr + 4 * m;
      const bigPtr = wordsPtr + 32 * m;
      const memory = exports.memory.buffer;
      new Int32Array(memory, smallPtr, n).set(small);
      if (m > 0) {
        new Uint32Array(memory, indexPtr, m).set(bigIndex);
        new Uint8Array(memory, wordsPtr, 32 * m).set(bigWords);
      }
      exports.fr_fromWordsN(bigPtr, wordsPtr, m);
      exports.fr_barycentricSum(out, weights, smallPtr, n, indexPtr, bigPtr, m);
      const view = kernels.view();
      let sum = 0n;
      for (let k = SUM_LIMBS - 1; k >= 0; k--) sum = (sum << 29n) + view.getBigInt64(out + 8 * k, true);
      return Fr.mul(Fr.create(sum), MONTGOMERY_INVERSE);
    });
  };
}
