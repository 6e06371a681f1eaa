// Polynomial identities evaluated point by point over Fr vectors (elements of 36 bytes, plain or Montgomery: a
// program's coefficients are scaled for the form of its factors).
import { fr_add, fr_copy, fr_mul, fr_mul3 } from './generated/fr';

const E: usize = 36;
/** Bytes of one register: the values of three points. */
const R3: usize = 3 * E;

/** Instruction codes of {@link fr_productTrie} (src/engine/wasm/product-trie.ts writes the programs). */
const CONST: u32 = 0;
const MUL_SET: u32 = 1;
const MUL_ADD: u32 = 2;
const MULC_SET: u32 = 3;
const MULC_ADD: u32 = 4;

/**
 * out[i] = the identity a program computes at point i, for i < m: vector f is the m elements at vecs + f·m·E. The
 * program is a post-order walk of the identity's terms' factor trie, four u32 words per instruction (op, d, f, c)
 * over registers r_d (regs + d·3·E, one value per point of a block of three):
 *   CONST     r_d = coeffs[c]
 *   MUL_SET   r_d = v_f·r_(d+1)            MUL_ADD   r_d += v_f·r_(d+1)
 *   MULC_SET  r_d = v_f·coeffs[c]          MULC_ADD  r_d += v_f·coeffs[c]
 * and the result is r_0. A *_ADD uses r_(d+1) as its product's scratch, which no later instruction reads before
 * writing. Inputs and output semi-reduced (below 2p), which fr_mul3 and fr_add keep. Points go three at a time,
 * their products in one fr_mul3 (two SIMD lanes and the scalar multiplier at once), the last m mod 3 one by one.
 */
export function fr_productTrie(out: usize, vecs: usize, m: u32, coeffs: usize, program: usize, count: u32, regs: usize): void {
  const end = program + (<usize>count << 4);
  let i: u32 = 0;
  for (; i + 3 <= m; i += 3) {
    for (let p = program; p < end; p += 16) {
      const op = load<u32>(p);
      const r = regs + <usize>load<u32>(p, 4) * R3;
      const v = vecs + (<usize>load<u32>(p, 8) * m + i) * E;
      const c = coeffs + <usize>load<u32>(p, 12) * E;
      if (op == CONST) {
        fr_copy(r, c);
        fr_copy(r + E, c);
        fr_copy(r + 2 * E, c);
        continue;
      }
      const s = r + R3;
      // MUL_*: the factor times the register below; MULC_*: times the coefficient.
      const b0 = op == MUL_SET || op == MUL_ADD ? s : c;
      const b1 = op == MUL_SET || op == MUL_ADD ? s + E : c;
      const b2 = op == MUL_SET || op == MUL_ADD ? s + 2 * E : c;
      if (op == MUL_SET || op == MULC_SET) {
        fr_mul3(r, v, b0, r + E, v + E, b1, r + 2 * E, v + 2 * E, b2);
      } else {
        fr_mul3(s, v, b0, s + E, v + E, b1, s + 2 * E, v + 2 * E, b2);
        fr_add(r, r, s);
        fr_add(r + E, r + E, s + E);
        fr_add(r + 2 * E, r + 2 * E, s + 2 * E);
      }
    }
    memory.copy(out + <usize>i * E, regs, R3);
  }
  for (; i < m; i++) {
    for (let p = program; p < end; p += 16) {
      const op = load<u32>(p);
      const r = regs + <usize>load<u32>(p, 4) * R3;
      const v = vecs + (<usize>load<u32>(p, 8) * m + i) * E;
      const c = coeffs + <usize>load<u32>(p, 12) * E;
      if (op == CONST) {
        fr_copy(r, c);
        continue;
      }
      const s = r + R3;
      const b = op == MUL_SET || op == MUL_ADD ? s : c;
      if (op == MUL_SET || op == MULC_SET) {
        fr_mul(r, v, b);
      } else {
        fr_mul(s, v, b);
        fr_add(r, r, s);
      }
    }
    fr_copy(out + <usize>i * E, regs);
  }
}

/**
 * a[i] ← a[i]·b[i mod period] for i < n: a pointwise product by a vector that repeats with the given period (a
 * quotient's 1/Z_H on a coset of m points takes m/n values). Semi-reduced in and out. Three products per fr_mul3.
 */
export function fr_mulPeriodic(a: usize, n: u32, b: usize, period: u32): void {
  let i: u32 = 0;
  // k = i mod period, stepped rather than divided.
  let k: u32 = 0;
  for (; i + 3 <= n; i += 3) {
    const k1: u32 = k + 1 == period ? 0 : k + 1;
    const k2: u32 = k1 + 1 == period ? 0 : k1 + 1;
    const x = a + <usize>i * E;
    fr_mul3(x, x, b + <usize>k * E, x + E, x + E, b + <usize>k1 * E, x + 2 * E, x + 2 * E, b + <usize>k2 * E);
    k = k2 + 1 == period ? 0 : k2 + 1;
  }
  for (; i < n; i++) {
    fr_mul(a + <usize>i * E, a + <usize>i * E, b + <usize>k * E);
    k = k + 1 == period ? 0 : k + 1;
  }
}

/** a[i] ← a[i] + b[i] for i < n: the parts of a quotient added up. Semi-reduced in and out. */
export function fr_addTo(a: usize, b: usize, n: u32): void {
  for (let i: u32 = 0; i < n; i++) fr_add(a + <usize>i * E, a + <usize>i * E, b + <usize>i * E);
}

/**
 * to[i] = from[i·stride] for i < m: the values of a coset of m points read from a transform on a coset stride times as
 * large (every stride-th value of `g·H_(m·stride)` is one of `g·H_m`), copied into one block for fr_productTrie.
 */
export function fr_gather(to: usize, from: usize, m: u32, stride: u32): void {
  if (stride == 1) {
    memory.copy(to, from, <usize>m * E);
    return;
  }
  const step = <usize>stride * E;
  for (let i: u32 = 0; i < m; i++) fr_copy(to + <usize>i * E, from + <usize>i * step);
}
