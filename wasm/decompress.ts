// Decompression of G1 points in the kernels: y from x on y² = x³ + 3, the square root of a compressed
// point, which a verifier takes for every G1 element of a proof. The exponent is a public constant, so the
// sequence of field operations is the same for every x: three roots run in lockstep, their products on the three-way
// product (`fp_mul3`, two of them in SIMD lanes) and their 252 squarings on the three-way square (`fp_sqr3`, the same
// lanes, 45 limb products per square instead of 81), which costs less per root than one root alone.
import { fp_add, fp_canon, fp_copy, fp_eqCanon, fp_fromWords, fp_mul, fp_mul3, fp_ONE, fp_sqr, fp_sqr3, fp_toWords } from './generated/fp';

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

/** A step of the window walk with no product: the squarings after the exponent's last window. */
const NO_POWER: u32 = 0xffffffff;
/** The window walk of (p+1)/4 as steps (squarings, then a product by odd power k), 8 bytes each; built on first use. */
const WALK = memory.data(8 * 64);
let walkSteps: i32 = 0;

/**
 * The left-to-right sliding window over the exponent's bits, once: each window is the longest run of at most
 * {@link WINDOW} bits that starts and ends with a 1, applied as that many squarings and one product by its odd power
 * (TABLE[k] = a^(2k+1), k < 16); zero bits between windows are single squarings, counted into the next step. The first
 * step (the top bit is 1) has no squarings: its power is copied. Both root routines walk these steps, so the single
 * and the three-lane root apply the same operations in the same order.
 */
function windowWalk(): i32 {
  if (walkSteps > 0) return walkSteps;
  let pending: u32 = 0;
  let i: i32 = SQRT_EXP_TOP;
  while (i >= 0) {
    if (expBit(i) == 0) {
      pending++;
      i--;
      continue;
    }
    let low = i - WINDOW + 1;
    if (low < 0) low = 0;
    while (expBit(low) == 0) low++;
    let value: u32 = 0;
    for (let j = i; j >= low; j--) value = (value << 1) | expBit(j);
    store<u32>(WALK + (<usize>walkSteps << 3), walkSteps == 0 ? 0 : pending + <u32>(i - low + 1));
    store<u32>(WALK + (<usize>walkSteps << 3) + 4, value >> 1);
    walkSteps++;
    pending = 0;
    i = low - 1;
  }
  if (pending > 0) {
    store<u32>(WALK + (<usize>walkSteps << 3), pending);
    store<u32>(WALK + (<usize>walkSteps << 3) + 4, NO_POWER);
    walkSteps++;
  }
  return walkSteps;
}

/**
 * out = a^((p+1)/4) by the sliding window of {@link windowWalk}. The exponent is a public constant, so the sequence
 * of operations is the same for every a.
 */
function fp_sqrtCandidate(out: usize, a: usize): void {
  fp_copy(TABLE, a);
  fp_sqr(SQUARE, a);
  for (let k: usize = 1; k < 16; k++) fp_mul(TABLE + k * 36, TABLE + (k - 1) * 36, SQUARE);
  const steps = windowWalk();
  fp_copy(ACC, TABLE + <usize>load<u32>(WALK + 4) * 36);
  for (let t: i32 = 1; t < steps; t++) {
    const squarings = load<u32>(WALK + (<usize>t << 3));
    const power = load<u32>(WALK + (<usize>t << 3) + 4);
    for (let q: u32 = 0; q < squarings; q++) fp_sqr(ACC, ACC);
    if (power != NO_POWER) fp_mul(ACC, ACC, TABLE + <usize>power * 36);
  }
  fp_copy(out, ACC);
}

/** out = x³ + 3, canonical, for x in Montgomery form. */
function curveRhs(out: usize, x: usize): void {
  fp_sqr(out, x);
  fp_mul(out, out, x);
  fp_add(out, out, fp_ONE);
  fp_add(out, out, fp_ONE);
  fp_add(out, out, fp_ONE);
  fp_canon(out, out);
}

/** Canonicalizes the candidate root at y and returns whether its square is the canonical `rhs`. */
function isRootOf(y: usize, rhs: usize): bool {
  fp_canon(y, y);
  fp_sqr(CHECK, y);
  fp_canon(CHECK, CHECK);
  return fp_eqCanon(CHECK, rhs);
}

/** One root at a time: y = (x³ + 3)^((p+1)/4) canonical at out, true when y² = x³ + 3. */
function g1YFromX(out: usize, x: usize): bool {
  curveRhs(RHS, x);
  fp_sqrtCandidate(out, RHS);
  return isRootOf(out, RHS);
}

/** Lane l's odd powers, running product, square and x³ + 3, for the three lanes of `fp_mul3` and `fp_sqr3`. */
const TABLE3 = memory.data(3 * 16 * 36);
const ACC3 = memory.data(3 * 36);
const SQUARE3 = memory.data(3 * 36);
const RHS3 = memory.data(3 * 36);
/** One abscissa and one root, in Montgomery form. */
const X = memory.data(36);
const Y = memory.data(36);

/** ACC3[l] = ACC3[l]·B[l] for the three lanes, B[l] at `b + l·stride`. */
function mulLanes(b: usize, stride: usize): void {
  fp_mul3(ACC3, ACC3, b, ACC3 + 36, ACC3 + 36, b + stride, ACC3 + 72, ACC3 + 72, b + 2 * stride);
}

/**
 * `fp_sqrtCandidate` on the three lanes RHS3[l] at once, into ACC3[l]: the same windows, squarings and products in
 * the same order, lane by lane (TABLE3 holds lane l's 16 odd powers at l·16·36), so each lane's result is exactly
 * the single routine's.
 */
function sqrtCandidates3(): void {
  const stride: usize = 16 * 36;
  for (let l: usize = 0; l < 3; l++) fp_copy(TABLE3 + l * stride, RHS3 + l * 36);
  fp_sqr3(SQUARE3, RHS3, SQUARE3 + 36, RHS3 + 36, SQUARE3 + 72, RHS3 + 72);
  for (let k: usize = 1; k < 16; k++) {
    const t = TABLE3 + k * 36;
    fp_mul3(t, t - 36, SQUARE3, t + stride, t + stride - 36, SQUARE3 + 36, t + 2 * stride, t + 2 * stride - 36, SQUARE3 + 72);
  }
  const steps = windowWalk();
  const first = TABLE3 + <usize>load<u32>(WALK + 4) * 36;
  for (let l: usize = 0; l < 3; l++) fp_copy(ACC3 + l * 36, first + l * stride);
  for (let t: i32 = 1; t < steps; t++) {
    const squarings = load<u32>(WALK + (<usize>t << 3));
    const power = load<u32>(WALK + (<usize>t << 3) + 4);
    for (let q: u32 = 0; q < squarings; q++) fp_sqr3(ACC3, ACC3, ACC3 + 36, ACC3 + 36, ACC3 + 72, ACC3 + 72);
    if (power != NO_POWER) mulLanes(TABLE3 + <usize>power * 36, stride);
  }
}

/**
 * For n abscissas given as canonical 8-word integers at `xs` (each below p): the root `y = (x³ + 3)^((p+1)/4)` as
 * an 8-word canonical integer at `ys + 32·i`, and `ok[i] = 1` when y² = x³ + 3, that is when x is the abscissa of
 * a point of G1 (the cofactor is 1), else 0 (y is then meaningless). The caller picks the root of the sign it was
 * given: y or p − y. Abscissas run three at a time in lockstep (module comment), the last one or two alone.
 */
export function bn254_g1YsFromXs(ys: usize, xs: usize, ok: usize, n: u32): void {
  let i: u32 = 0;
  for (; i + 3 <= n; i += 3) {
    for (let l: u32 = 0; l < 3; l++) {
      fp_fromWords(X, xs + <usize>(i + l) * 32);
      curveRhs(RHS3 + <usize>l * 36, X);
    }
    sqrtCandidates3();
    for (let l: u32 = 0; l < 3; l++) {
      const y = ACC3 + <usize>l * 36;
      store<u8>(ok + <usize>(i + l), isRootOf(y, RHS3 + <usize>l * 36) ? 1 : 0);
      fp_toWords(ys + <usize>(i + l) * 32, y);
    }
  }
  for (; i < n; i++) {
    fp_fromWords(X, xs + <usize>i * 32);
    store<u8>(ok + <usize>i, g1YFromX(Y, X) ? 1 : 0);
    fp_toWords(ys + <usize>i * 32, Y);
  }
}
