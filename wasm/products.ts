// Sums of products of Fr vectors (Montgomery elements of 36 bytes): a polynomial identity evaluated point by point.
import { fr_add, fr_copy, fr_mul, fr_mul3 } from './generated/fr';

const E: usize = 36;
const ACC = memory.data(3 * 36);
const X = memory.data(3 * 36);

/**
 * out[i] = Σ_t coeffs[t]·Π_{f ∈ F_t} v_f[i] for i < m, where vector f is the m elements at vecs + f·m·E and
 * term t is read from terms as its factor count k then k vector indices (u32 each). A term with no factor adds
 * its coefficient. Inputs and output semi-reduced; the sum stays so through fr_add. Points go three at a time,
 * their products in one fr_mul3 (two SIMD lanes and the scalar multiplier at once), the rest one by one.
 */
export function fr_sumOfProducts(out: usize, vecs: usize, m: u32, coeffs: usize, terms: usize, termCount: u32): void {
  let i: u32 = 0;
  for (; i + 3 <= m; i += 3) {
    memory.fill(ACC, 0, 3 * E);
    let p = terms;
    for (let t: u32 = 0; t < termCount; t++) {
      const k = load<u32>(p);
      p += 4;
      const c = coeffs + <usize>t * E;
      if (k == 0) {
        fr_add(ACC, ACC, c);
        fr_add(ACC + E, ACC + E, c);
        fr_add(ACC + 2 * E, ACC + 2 * E, c);
        continue;
      }
      // The first factor multiplies the coefficient itself (no copy of it), the others the running product.
      let v = vecs + (<usize>load<u32>(p) * m + i) * E;
      p += 4;
      fr_mul3(X, c, v, X + E, c, v + E, X + 2 * E, c, v + 2 * E);
      for (let j: u32 = 1; j < k; j++) {
        v = vecs + (<usize>load<u32>(p) * m + i) * E;
        fr_mul3(X, X, v, X + E, X + E, v + E, X + 2 * E, X + 2 * E, v + 2 * E);
        p += 4;
      }
      fr_add(ACC, ACC, X);
      fr_add(ACC + E, ACC + E, X + E);
      fr_add(ACC + 2 * E, ACC + 2 * E, X + 2 * E);
    }
    memory.copy(out + <usize>i * E, ACC, 3 * E);
  }
  for (; i < m; i++) {
    memory.fill(ACC, 0, E);
    let p = terms;
    for (let t: u32 = 0; t < termCount; t++) {
      const k = load<u32>(p);
      p += 4;
      fr_copy(X, coeffs + <usize>t * E);
      for (let j: u32 = 0; j < k; j++) {
        fr_mul(X, X, vecs + (<usize>load<u32>(p) * m + i) * E);
        p += 4;
      }
      fr_add(ACC, ACC, X);
    }
    fr_copy(out + <usize>i * E, ACC);
  }
}

/**
 * a[i] ← a[i]·b[i mod period] for i < n: a pointwise product by a vector that repeats with the given period (a
 * quotient's 1/Z_H on a coset of m points takes m/n values). Semi-reduced in and out.
 */
export function fr_mulPeriodic(a: usize, n: u32, b: usize, period: u32): void {
  for (let i: u32 = 0; i < n; i++) fr_mul(a + <usize>i * E, a + <usize>i * E, b + <usize>(i % period) * E);
}
