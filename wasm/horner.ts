// Polynomial evaluation over Fr (elements of 36 bytes): the openings' values f(ζ), many polynomials per call.
import { fr_add, fr_copy, fr_mul, fr_mul3 } from './generated/fr';

const E: usize = 36;

/** The three running values of {@link fr_horner}'s chains, and z³. */
const ACC = memory.data(3 * 36);
const W = memory.data(36);

/**
 * out = Σ_{i<n} a[i]·z^i by Horner's rule. Multiplying by z in Montgomery form keeps the form of the other
 * operand, so plain coefficients give the plain value (no conversion of the coefficients into Montgomery form).
 * Semi-reduced in and out. The sum is split by i mod 3, `Σ_k z^k·A_k(z³)` with `A_k(w) = Σ_j a[3j + k]·w^j`, so that
 * the three chains step together by one fr_mul3 (about 0.6 of three fr_mul): the same value, sooner.
 */
export function fr_horner(out: usize, a: usize, n: u32, z: usize): void {
  if (n < 6) {
    memory.fill(out, 0, E);
    for (let i = <i32>n - 1; i >= 0; i--) {
      fr_mul(out, out, z);
      fr_add(out, out, a + <usize>i * E);
    }
    return;
  }
  fr_mul(W, z, z);
  fr_mul(W, W, z);
  // The top row j = ⌈n/3⌉ − 1 holds 1 to 3 coefficients; a chain without one there starts at 0.
  const top: u32 = (n - 1) / 3;
  memory.fill(ACC, 0, 3 * E);
  for (let k: u32 = 0; k < 3 && top * 3 + k < n; k++) fr_copy(ACC + <usize>k * E, a + <usize>(top * 3 + k) * E);
  for (let j = <i32>top - 1; j >= 0; j--) {
    fr_mul3(ACC, ACC, W, ACC + E, ACC + E, W, ACC + 2 * E, ACC + 2 * E, W);
    const row = a + <usize>(<u32>j * 3) * E;
    fr_add(ACC, ACC, row);
    fr_add(ACC + E, ACC + E, row + E);
    fr_add(ACC + 2 * E, ACC + 2 * E, row + 2 * E);
  }
  // A_0 + z·(A_1 + z·A_2).
  fr_mul(out, ACC + 2 * E, z);
  fr_add(out, out, ACC + E);
  fr_mul(out, out, z);
  fr_add(out, out, ACC);
}
