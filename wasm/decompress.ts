// Decompression of a G1 point in the kernels: y from x on y² = x³ + 3, the square root of a compressed
// point, which a verifier takes for every G1 element of a proof.
import { fp_add, fp_canon, fp_copy, fp_eqCanon, fp_mul, fp_ONE, fp_sqr } from './generated/fp';

/** (p + 1)/4 as 8 little-endian u32 words: for p ≡ 3 mod 4, a^((p+1)/4) is a square root of a when a is a square. */
const SQRT_EXP = memory.data<u32>([3055501138, 1325933317, 1511813795, 1709202084, 2690668055, 1846808941, 3092015114, 202970012]);

const TABLE = memory.data(16 * 36);
const ACC = memory.data(36);
const RHS = memory.data(36);
const CHECK = memory.data(36);

/** out = a^((p+1)/4): 4-bit fixed windows over the exponent's 63 digits (252 bits). */
function fp_sqrtCandidate(out: usize, a: usize): void {
  fp_copy(TABLE, fp_ONE);
  for (let i: usize = 1; i < 16; i++) fp_mul(TABLE + i * 36, TABLE + (i - 1) * 36, a);
  fp_copy(ACC, fp_ONE);
  for (let d = 62; d >= 0; d--) {
    if (d !== 62) for (let s = 0; s < 4; s++) fp_sqr(ACC, ACC);
    const bit = <u32>d * 4;
    const digit = (load<u32>(SQRT_EXP + ((<usize>bit >> 5) << 2)) >> (bit & 31)) & 15;
    if (digit !== 0) fp_mul(ACC, ACC, TABLE + <usize>digit * 36);
  }
  fp_copy(out, ACC);
}

/**
 * out = y = (x³ + 3)^((p+1)/4), canonical, for x in Montgomery form; true when y² = x³ + 3, i.e. when x is the
 * abscissa of a point of G1 (the cofactor is 1), false otherwise (out is then meaningless). The caller picks the
 * root of the sign it was given: y or p − y.
 */
export function bn254_g1YFromX(out: usize, x: usize): bool {
  fp_sqr(RHS, x);
  fp_mul(RHS, RHS, x);
  fp_add(RHS, RHS, fp_ONE);
  fp_add(RHS, RHS, fp_ONE);
  fp_add(RHS, RHS, fp_ONE);
  fp_canon(RHS, RHS);
  fp_sqrtCandidate(out, RHS);
  fp_canon(out, out);
  fp_sqr(CHECK, out);
  fp_canon(CHECK, CHECK);
  return fp_eqCanon(CHECK, RHS);
}
