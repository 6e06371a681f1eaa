// Decompression of a G1 point in the kernels: y from x on y² = x³ + 3, the square root of a compressed
// point, which a verifier takes for every G1 element of a proof.
import { fp_add, fp_canon, fp_copy, fp_eqCanon, fp_mul, fp_ONE, fp_sqr } from './generated/fp';

/** (p + 1)/4 as 8 little-endian u32 words: for p ≡ 3 mod 4, a^((p+1)/4) is a square root of a when a is a square. */
const SQRT_EXP = memory.data<u32>([3055501138, 1325933317, 1511813795, 1709202084, 2690668055, 1846808941, 3092015114, 202970012]);

/** Bits of (p+1)/4: its top bit is bit 251. */
const SQRT_EXP_TOP = 251;
/** Width of the sliding window: 16 odd powers, 54 products and 252 squarings in all (4-bit fixed windows: 71 and 248). */
const WINDOW = 5;

const TABLE = memory.data(16 * 36);
const SQUARE = memory.data(36);
const ACC = memory.data(36);
const RHS = memory.data(36);
const CHECK = memory.data(36);

function expBit(i: i32): u32 {
  return (load<u32>(SQRT_EXP + ((<usize>i >> 5) << 2)) >> (<u32>i & 31)) & 1;
}

/**
 * out = a^((p+1)/4) by a left-to-right sliding window over the exponent's bits: TABLE[k] = a^(2k+1) for k < 16; each
 * window is the longest run of at most {@link WINDOW} bits that starts and ends with a 1, applied as that many
 * squarings and one product by its odd power; zero bits between windows are single squarings. The exponent is a
 * public constant, so the sequence of operations is the same for every a.
 */
function fp_sqrtCandidate(out: usize, a: usize): void {
  fp_copy(TABLE, a);
  fp_sqr(SQUARE, a);
  for (let k: usize = 1; k < 16; k++) fp_mul(TABLE + k * 36, TABLE + (k - 1) * 36, SQUARE);
  let first = true;
  let i: i32 = SQRT_EXP_TOP;
  while (i >= 0) {
    if (expBit(i) == 0) {
      fp_sqr(ACC, ACC);
      i--;
      continue;
    }
    let low = i - WINDOW + 1;
    if (low < 0) low = 0;
    while (expBit(low) == 0) low++;
    let value: u32 = 0;
    for (let j = i; j >= low; j--) value = (value << 1) | expBit(j);
    if (first) {
      fp_copy(ACC, TABLE + <usize>(value >> 1) * 36);
      first = false;
    } else {
      for (let j = i; j >= low; j--) fp_sqr(ACC, ACC);
      fp_mul(ACC, ACC, TABLE + <usize>(value >> 1) * 36);
    }
    i = low - 1;
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
