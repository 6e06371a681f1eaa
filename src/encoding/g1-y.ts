/**
 * The ordinate of a G1 point from its abscissa, for decompression: y with y² = x³ + 3, taken as
 * `(x³ + 3)^((p+1)/4)` (p ≡ 3 mod 4, so that power is a square root exactly when x³ + 3 is a square, which is
 * checked). One call of the `bn254_g1YFromX` kernel (`wasm/decompress.ts`) on a private kernels instance; bigint
 * arithmetic where there is no WebAssembly.
 * @module
 */
import { Kernels } from '../engine/wasm/kernels';
import { readWords, writeWords } from '../engine/wasm/codec';
import { Fp } from '../field';

const P = Fp.ORDER;
/** Bytes of one field element in the kernels' internal form. */
const ELEMENT = 36;

let state: { k: Kernels; words: number; x: number; y: number } | null | undefined;

function kernels(): { k: Kernels; words: number; x: number; y: number } | null {
  if (state === undefined) {
    try {
      const k = new Kernels();
      state = { k, words: k.allocResident(32), x: k.allocResident(ELEMENT), y: k.allocResident(ELEMENT) };
    } catch {
      state = null; // no WebAssembly here: bigint exponentiation
    }
  }
  return state;
}

/**
 * A root y (either one: the caller picks the sign) of `y² = x³ + 3` for `0 ≤ x < p`, or undefined when x³ + 3 is not
 * a square mod p (x is then the abscissa of no point of G1, whose cofactor is 1).
 */
export function g1YFromX(x: bigint): bigint | undefined {
  const s = kernels();
  if (s === null) {
    const rhs = Fp.add(Fp.mul(Fp.sqr(x), x), 3n);
    const y = Fp.pow(rhs, (P + 1n) / 4n);
    return Fp.sqr(y) === rhs ? y : undefined;
  }
  const { k, words, x: xAt, y: yAt } = s;
  writeWords(k.view(), words, x);
  k.exports.fp_fromWordsN(xAt, words, 1);
  if (!k.exports.bn254_g1YFromX(yAt, xAt)) return undefined;
  k.exports.fp_toWordsN(words, yAt, 1);
  return readWords(k.view(), words);
}
