/**
 * `a^((p+1)/4)` in the BN254 base field (the square root candidate of a point decompression, p ≡ 3 mod 4) on
 * the WebAssembly field kernels: one private kernels instance, a fixed 4-bit window over the constant
 * exponent. Callers check `y² = a` themselves (a non-residue gives some value whose square is not `a`).
 * @module
 */
import { Kernels } from '../engine/wasm/kernels';
import { Fp } from '../field';

const P = Fp.ORDER;
const WINDOW = 4;
/** The exponent's base-16 digits, most significant first. */
const DIGITS: number[] = (() => {
  const out: number[] = [];
  for (let e = (P + 1n) / 4n; e > 0n; e >>= BigInt(WINDOW)) out.push(Number(e & 15n));
  return out.reverse();
})();
/** Bytes of one field element in the kernels' internal form. */
const ELEMENT = 36;

let state: { k: Kernels; words: number; table: number; acc: number } | null | undefined;

function kernels(): { k: Kernels; words: number; table: number; acc: number } | null {
  if (state === undefined) {
    try {
      const k = new Kernels();
      state = { k, words: k.allocResident(32), table: k.allocResident(16 * ELEMENT), acc: k.allocResident(ELEMENT) };
    } catch {
      state = null; // no WebAssembly here: bigint exponentiation
    }
  }
  return state;
}

/** `a^((p+1)/4) mod p` for `0 ≤ a < p`: the square root of `a` when `a` is a quadratic residue. */
export function fpSqrtCandidate(a: bigint): bigint {
  const s = kernels();
  if (s === null) return Fp.pow(a, (P + 1n) / 4n);
  const { k, words, table, acc } = s;
  const x = k.exports;
  let view = k.view();
  view.setBigUint64(words, BigInt.asUintN(64, a), true);
  view.setBigUint64(words + 8, BigInt.asUintN(64, a >> 64n), true);
  view.setBigUint64(words + 16, BigInt.asUintN(64, a >> 128n), true);
  view.setBigUint64(words + 24, a >> 192n, true);
  // table[i] = a^i for i = 1 … 15 (table[0] unused).
  x.fp_fromWordsN(table + ELEMENT, words, 1);
  for (let i = 2; i < 16; i++) x.fp_mul(table + i * ELEMENT, table + (i - 1) * ELEMENT, table + ELEMENT);
  new Uint8Array(x.memory.buffer, acc, ELEMENT).set(new Uint8Array(x.memory.buffer, table + DIGITS[0] * ELEMENT, ELEMENT));
  for (let j = 1; j < DIGITS.length; j++) {
    for (let s = 0; s < WINDOW; s++) x.fp_mul(acc, acc, acc);
    const d = DIGITS[j];
    if (d !== 0) x.fp_mul(acc, acc, table + d * ELEMENT);
  }
  x.fp_toWordsN(words, acc, 1);
  view = k.view();
  const y =
    (view.getBigUint64(words + 24, true) << 192n) |
    (view.getBigUint64(words + 16, true) << 128n) |
    (view.getBigUint64(words + 8, true) << 64n) |
    view.getBigUint64(words, true);
  return y % P;
}
