// Polynomial evaluation over Fr (elements of 36 bytes): the openings' values f(ζ), many polynomials per call.
import { fr_add, fr_mul } from './generated/fr';

const E: usize = 36;

/**
 * out = Σ_{i<n} a[i]·z^i by Horner's rule. Multiplying by z in Montgomery form keeps the form of the other
 * operand, so plain coefficients give the plain value (no conversion of the coefficients into Montgomery form).
 * Semi-reduced in and out.
 */
export function fr_horner(out: usize, a: usize, n: u32, z: usize): void {
  memory.fill(out, 0, E);
  for (let i = <i32>n - 1; i >= 0; i--) {
    fr_mul(out, out, z);
    fr_add(out, out, a + <usize>i * E);
  }
}
