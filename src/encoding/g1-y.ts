/**
 * The ordinates of G1 points from their abscissas, for decompression: y with y² = x³ + 3, taken as
 * `(x³ + 3)^((p+1)/4)` (p ≡ 3 mod 4, so that power is a square root exactly when x³ + 3 is a square, which is
 * checked). One call of the `bn254_g1YsFromXs` kernel (`wasm/decompress.ts`) on a private kernels instance for all
 * the abscissas of a call, which runs three roots in lockstep on the three-way product; bigint arithmetic where
 * there is no WebAssembly. The roots are the same either way: each is that power of its own x.
 * @module
 */
import { Kernels } from '../engine/wasm/kernels';
import { limbs, readLimbs, readWords, writeWordsArray } from '../engine/wasm/codec';
import { Fp } from '../field';

const P = Fp.ORDER;

let state: Kernels | null | undefined;

function kernels(): Kernels | null {
  if (state === undefined) {
    try {
      state = new Kernels();
    } catch {
      state = null; // no WebAssembly here: bigint exponentiation
    }
  }
  return state;
}

/**
 * For each `0 ≤ x < p` of `xs`, a root y (either one: the caller picks the sign) of `y² = x³ + 3`, or undefined when
 * x³ + 3 is not a square mod p (x is then the abscissa of no point of G1, whose cofactor is 1).
 */
export function g1YsFromXs(xs: readonly bigint[]): (bigint | undefined)[] {
  const k = kernels();
  if (k === null) {
    return xs.map((x) => {
      const rhs = Fp.add(Fp.mul(Fp.sqr(x), x), 3n);
      const y = Fp.pow(rhs, (P + 1n) / 4n);
      return Fp.sqr(y) === rhs ? y : undefined;
    });
  }
  const n = xs.length;
  return k.scratch((alloc) => {
    const words = alloc(32 * n);
    const ys = alloc(32 * n);
    const ok = alloc(n);
    writeWordsArray(k.view(), words, xs);
    k.exports.bn254_g1YsFromXs(ys, words, ok, n);
    // Views taken after the call: a kernel that grew the memory would have detached earlier ones.
    const view = k.view();
    const found = new Uint8Array(k.exports.memory.buffer, ok, n);
    const roots = new Array<bigint | undefined>(n);
    // The scratch words are 16-byte aligned, so the roots read through a u64 view (./codec.ts).
    const u = limbs(view, ys, n);
    for (let i = 0; i < n; i++) roots[i] = found[i] !== 1 ? undefined : u === undefined ? readWords(view, ys + 32 * i) : readLimbs(u, 4 * i);
    return roots;
  });
}
