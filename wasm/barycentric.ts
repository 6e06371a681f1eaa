// Barycentric sums over a subgroup H = ⟨ω⟩ of Fr of size n: the weights b_i = ω^i/(z − ω^i) at a point z ∉ H, and
// Σ_i v_i·b_i for a vector v, which a verifier computes for every public vector (selectors, masks, copy sources) at ζ.
// Public vectors are mostly small integers, so a cell costs 9 limb products and no modular reduction: the sum is
// accumulated exactly as an integer and reduced once, by the caller.
import { alloc, heapMark, heapRelease } from './alloc';
import { fr_batchInv, fr_powers } from './ntt';
import { fr_mul, fr_ONE, fr_sub } from './generated/fr';

const E: usize = 36;
const MASK: i64 = 0x1fffffff;
const BIG = memory.data(36);

/**
 * out[i] = b_i = ω^i/(z − ω^i) for i < n, Montgomery form (semi-reduced), for z and ω in Montgomery form with
 * z ∉ H (every z − ω^i invertible: the caller checks z^n ≠ 1). One batch inversion for the n denominators.
 */
export function fr_barycentricWeights(out: usize, z: usize, w: usize, n: u32): void {
  const mark = heapMark();
  const powers = alloc(<usize>n * E);
  fr_powers(powers, fr_ONE, w, n);
  for (let i: u32 = 0; i < n; i++) fr_sub(out + <usize>i * E, z, powers + <usize>i * E);
  fr_batchInv(out, out, n);
  for (let i: u32 = 0; i < n; i++) fr_mul(out + <usize>i * E, out + <usize>i * E, powers + <usize>i * E);
  heapRelease(mark);
}

/**
 * The integer A = Σ_{i<n} small[i]·b[i] + Σ_{j<m} b[bigIndex[j]]·big[j] (each b[i] read as the integer of its
 * limbs, each product b·big a Montgomery product), written to out as 11 signed i64 limbs of 29 bits: A =
 * Σ_k out[k]·2^(29k), limbs 0..9 in [0, 2^29), limb 10 signed. small holds signed i32 values, bigIndex u32
 * indices, big Montgomery elements. So A ≡ R·Σ_i v_i·b_i (mod r) for the vector v (small, plus the big cells
 * in Montgomery form) and weights b in Montgomery form: the caller reduces A once and removes the factor R.
 *
 * Bounds: a cell adds |small[i]|·limb < 2^31·2^29 = 2^60 to each accumulator, a big cell a limb < 2^29; limbs are
 * carried after every 7 additions, from [0, 2^29), so an accumulator stays below 2^29 + 7·2^60 < 2^63.
 */
export function fr_barycentricSum(out: usize, b: usize, small: usize, n: u32, bigIndex: usize, big: usize, m: u32): void {
  let a0: i64 = 0, a1: i64 = 0, a2: i64 = 0, a3: i64 = 0, a4: i64 = 0, a5: i64 = 0, a6: i64 = 0, a7: i64 = 0, a8: i64 = 0, a9: i64 = 0, a10: i64 = 0;
  let pending: u32 = 0;
  for (let i: u32 = 0; i < n + m; i++) {
    let v: i64;
    let p: usize;
    if (i < n) {
      v = <i64>load<i32>(small + (<usize>i << 2));
      if (v == 0) continue;
      p = b + <usize>i * E;
    } else {
      const j = i - n;
      fr_mul(BIG, b + <usize>load<u32>(bigIndex + (<usize>j << 2)) * E, big + <usize>j * E);
      v = 1;
      p = BIG;
    }
    a0 += v * <i64>load<u32>(p, 0);
    a1 += v * <i64>load<u32>(p, 4);
    a2 += v * <i64>load<u32>(p, 8);
    a3 += v * <i64>load<u32>(p, 12);
    a4 += v * <i64>load<u32>(p, 16);
    a5 += v * <i64>load<u32>(p, 20);
    a6 += v * <i64>load<u32>(p, 24);
    a7 += v * <i64>load<u32>(p, 28);
    a8 += v * <i64>load<u32>(p, 32);
    if (++pending == 7) {
      pending = 0;
      a1 += a0 >> 29; a0 &= MASK;
      a2 += a1 >> 29; a1 &= MASK;
      a3 += a2 >> 29; a2 &= MASK;
      a4 += a3 >> 29; a3 &= MASK;
      a5 += a4 >> 29; a4 &= MASK;
      a6 += a5 >> 29; a5 &= MASK;
      a7 += a6 >> 29; a6 &= MASK;
      a8 += a7 >> 29; a7 &= MASK;
      a9 += a8 >> 29; a8 &= MASK;
      a10 += a9 >> 29; a9 &= MASK;
    }
  }
  a1 += a0 >> 29; a0 &= MASK;
  a2 += a1 >> 29; a1 &= MASK;
  a3 += a2 >> 29; a2 &= MASK;
  a4 += a3 >> 29; a3 &= MASK;
  a5 += a4 >> 29; a4 &= MASK;
  a6 += a5 >> 29; a5 &= MASK;
  a7 += a6 >> 29; a6 &= MASK;
  a8 += a7 >> 29; a7 &= MASK;
  a9 += a8 >> 29; a8 &= MASK;
  a10 += a9 >> 29; a9 &= MASK;
  store<i64>(out, a0, 0);
  store<i64>(out, a1, 8);
  store<i64>(out, a2, 16);
  store<i64>(out, a3, 24);
  store<i64>(out, a4, 32);
  store<i64>(out, a5, 40);
  store<i64>(out, a6, 48);
  store<i64>(out, a7, 56);
  store<i64>(out, a8, 64);
  store<i64>(out, a9, 72);
  store<i64>(out, a10, 80);
}
