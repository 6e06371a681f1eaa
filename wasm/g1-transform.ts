// Linear maps of vectors of G1 points in Jacobian coordinates (X, Y, Z; Z = 0 at infinity), for the range basis of a
// ceremony (src/engine/wasm/range-k-basis.ts): the radix-2 transform of points over a subgroup of Fr*, whose twiddles
// are full-width scalars applied with the GLV endomorphism, pointwise multiplications by full-width scalars, and the
// falling-factorial recursion, whose scalars are small integers. Every formula used handles the point at infinity and
// the doubling case, so the maps are exact for any input points.
import { alloc, heapMark, heapRelease } from './alloc';
import { fp_canon, fp_copy, fp_neg, fp_ONE } from './generated/fp';
import { g1_batchToAffine, g1_jacAdd, g1_jacAddAffine, g1_jacDouble, g1_jacSetInf } from './generated/g1';
import { g1_glvBases } from './generated/glv';

const S: usize = 36;
/** Bytes of a Jacobian point. */
const JAC: usize = 3 * S;
/** Bytes of a resident record x, y, −y. */
const REC: usize = 3 * S;
/** Bytes of the GLV halves of one scalar (g1_glvSplit's format: two signed magnitudes of 32 bytes). */
const HALVES: usize = 64;
/** Odd multiples in a table: the digits of the width-4 NAF are 0, ±1, ±3, ±5 and ±7. */
const ODD: u32 = 4;
/** Points whose tables are made affine by one inversion. */
const GROUP: u32 = 64;
const INF_MARK: u32 = 0xffffffff;

/** Width-4 NAF digits of the two halves of a scalar. */
const D1 = memory.data(136);
const D2 = memory.data(136);
const NEG = memory.data(2 * 36);
const ACC = memory.data(3 * 36);
/** The non-adjacent form of a small integer (naf2). */
const SMALL = memory.data(34);
const TWICE = memory.data(3 * 36);
const SUM = memory.data(3 * 36);
const NEGJ = memory.data(3 * 36);

// Scratch of the queued multiplications (set by an exported call, released with its heap mark).
let queue: usize = 0;
let queued: u32 = 0;
let tableJac: usize = 0;
let tableAff: usize = 0;
let tableRec: usize = 0;
let tablePairs: usize = 0;

function openQueue(): void {
  queue = alloc(<usize>GROUP * 8);
  tableJac = alloc(<usize>GROUP * ODD * JAC);
  tableAff = alloc(<usize>GROUP * ODD * 2 * S);
  tableRec = alloc(<usize>GROUP * ODD * REC);
  tablePairs = alloc(<usize>GROUP * ODD * 2 * REC);
  queued = 0;
}

/**
 * Width-4 NAF of the magnitude |k| < 2^127 of the signed half at h, least significant digit first, into out (one i8
 * per digit: 0 or odd in [−7, 7], at most one nonzero among any four consecutive); returns the number of digits.
 */
function naf4(out: usize, h: usize): i32 {
  let lo = load<u64>(h);
  let hi = load<u64>(h, 8);
  let i: i32 = 0;
  while ((lo | hi) != 0) {
    let d: i32 = 0;
    if ((lo & 1) != 0) {
      d = <i32>(lo & 15);
      if (d > 8) {
        d -= 16;
        const t = lo + <u64>(-d);
        if (t < lo) hi++;
        lo = t;
      } else {
        lo -= <u64>d;
      }
    }
    store<i8>(out + <usize>i, <i8>d);
    i++;
    lo = (lo >> 1) | (hi << 63);
    hi >>= 1;
  }
  return i;
}

/** acc ← acc ± the affine point of the record at rec (x, y, −y; the infinity mark in x's top limb). */
function addRecord(acc: usize, rec: usize, negate: bool): void {
  if (!negate) {
    g1_jacAddAffine(acc, acc, rec);
    return;
  }
  memory.copy(NEG, rec, S);
  memory.copy(NEG + S, rec + 2 * S, S);
  g1_jacAddAffine(acc, acc, NEG);
}

/**
 * p ← s·p for the Jacobian point at p and s = k1 + λ·k2 given by its halves at h, from the point's table: the records
 * (2j + 1)·P and φ((2j + 1)·P) for j < 4 at table, interleaved (φ is the multiplication by λ). One chain of doublings as
 * long as the longer NAF, and an addition per nonzero digit of either half.
 */
function mulByTable(p: usize, table: usize, h: usize): void {
  const n1 = naf4(D1, h);
  const n2 = naf4(D2, h + 32);
  const neg1 = load<u32>(h, 28) >> 31 != 0;
  const neg2 = load<u32>(h, 60) >> 31 != 0;
  g1_jacSetInf(ACC);
  for (let b = max<i32>(n1, n2) - 1; b >= 0; b--) {
    g1_jacDouble(ACC, ACC);
    if (b < n1) {
      const d = <i32>load<i8>(D1 + <usize>b);
      if (d != 0) addRecord(ACC, table + <usize>(((d < 0 ? -d : d) - 1) >> 1) * 2 * REC, (d < 0) != neg1);
    }
    if (b < n2) {
      const d = <i32>load<i8>(D2 + <usize>b);
      if (d != 0) addRecord(ACC, table + <usize>(((d < 0 ? -d : d) - 1) >> 1) * 2 * REC + REC, (d < 0) != neg2);
    }
  }
  memory.copy(p, ACC, JAC);
}

/**
 * Runs the queued multiplications: the odd multiples P, 3P, 5P, 7P of every queued point (one doubling, three
 * additions), all made affine with one inversion and paired with their images under φ, then each point's chain.
 */
function flushQueue(): void {
  if (queued == 0) return;
  const entries = queued * ODD;
  for (let i: u32 = 0; i < queued; i++) {
    const p = <usize>load<u32>(queue + (<usize>i << 3));
    const t = tableJac + <usize>(i * ODD) * JAC;
    memory.copy(t, p, JAC);
    g1_jacDouble(TWICE, p);
    for (let j: u32 = 1; j < ODD; j++) g1_jacAdd(t + <usize>j * JAC, t + <usize>(j - 1) * JAC, TWICE);
  }
  g1_batchToAffine(tableAff, tableJac, entries);
  for (let e: u32 = 0; e < entries; e++) {
    const a = tableAff + <usize>e * 2 * S;
    const r = tableRec + <usize>e * REC;
    memory.copy(r, a, 2 * S);
    fp_neg(r + 2 * S, a + S);
    fp_canon(r + 2 * S, r + 2 * S);
  }
  g1_glvBases(tablePairs, tableRec, entries);
  for (let i: u32 = 0; i < queued; i++) {
    const p = <usize>load<u32>(queue + (<usize>i << 3));
    const h = <usize>load<u32>(queue + (<usize>i << 3) + 4);
    mulByTable(p, tablePairs + <usize>(i * ODD) * 2 * REC, h);
  }
  queued = 0;
}

/** Queues p ← k·p (k by its GLV halves at h); the products are computed GROUP at a time. */
function queueMul(p: usize, h: usize): void {
  store<u32>(queue + (<usize>queued << 3), <u32>p);
  store<u32>(queue + (<usize>queued << 3) + 4, <u32>h);
  queued++;
  if (queued == GROUP) flushQueue();
}

/** (u, v) ← (u + v, u − v) for Jacobian points. */
function butterfly(u: usize, v: usize): void {
  memory.copy(NEGJ, v, JAC);
  fp_neg(NEGJ + S, v + S);
  g1_jacAdd(SUM, u, v);
  g1_jacAdd(v, u, NEGJ);
  memory.copy(u, SUM, JAC);
}

/**
 * One radix-2 stage on the pairs (u_j, v_j) = (a[j], a[j + half]) of every block of 2·half points of the n points at a,
 * the twiddle of pair j being w^(j·step) = tw[j·step] (GLV halves). Decimation in frequency:
 * (u, v) ← (u + v, (u − v)·w^(j·step)); in time: (u, v) ← (u + w^(j·step)·v, u − w^(j·step)·v). Index 0 (w^0 = 1)
 * multiplies nothing.
 */
function stage(a: usize, n: u32, half: u32, tw: usize, step: u32, dif: bool): void {
  for (let s: u32 = 0; s < n; s += 2 * half) {
    for (let j: u32 = 0; j < half; j++) {
      const u = a + <usize>(s + j) * JAC;
      const v = u + <usize>half * JAC;
      if (dif) {
        butterfly(u, v);
        if (j != 0) queueMul(v, tw + <usize>(j * step) * HALVES);
      } else if (j != 0) {
        queueMul(v, tw + <usize>(j * step) * HALVES);
      }
    }
  }
  flushQueue();
  if (!dif) for (let s: u32 = 0; s < n; s += 2 * half) for (let j: u32 = 0; j < half; j++) butterfly(a + <usize>(s + j) * JAC, a + <usize>(s + j + half) * JAC);
}

/**
 * Forward transform of each of `blocks` consecutive blocks of m = 2^log Jacobian points at a, in place, natural order in
 * and bit-reversed order out: block entry i ends as Σ_j a_j·ω^(j·rev(i)) (rev: log-bit reversal), ω = ω_m, by
 * decimation in frequency (stages of half m/2, m/4, …, 1). tw holds the GLV halves of ω_M^k for k < M/2 with
 * M = m·twStep, so ω_m^k = tw[k·twStep].
 */
export function g1_nttDif(a: usize, blocks: u32, log: u32, tw: usize, twStep: u32): void {
  const mark = heapMark();
  openQueue();
  const n = blocks << log;
  for (let half: u32 = (1 << log) >> 1, step = twStep; half >= 1; half >>= 1, step <<= 1) stage(a, n, half, tw, step, true);
  heapRelease(mark);
}

/**
 * The transform of {@link g1_nttDif} run backwards: bit-reversed order in, natural order out, block entry j ending as
 * Σ_i a_rev(i)·ω^(i·j), by decimation in time (stages of half 1, 2, …, m/2). With the halves of ω_M^(−k) at tw, this
 * is m times the inverse of g1_nttDif.
 */
export function g1_nttDit(a: usize, blocks: u32, log: u32, tw: usize, twStep: u32): void {
  const mark = heapMark();
  openQueue();
  const n = blocks << log;
  for (let half: u32 = 1, step = twStep << (log - 1); half < (1 << log); half <<= 1, step >>= 1) stage(a, n, half, tw, step, false);
  heapRelease(mark);
}

/**
 * One stage's butterflies on `count` pairs held apart: u_j at u, v_j at v (j < count), the twiddle of pair j
 * tw[(first + j)·step]; decimation in frequency or in time as in the stages of {@link g1_nttDif} and {@link g1_nttDit}.
 * A stage of a large transform split by pairs between threads.
 */
export function g1_butterflies(u: usize, v: usize, count: u32, tw: usize, first: u32, step: u32, dif: bool): void {
  const mark = heapMark();
  openQueue();
  for (let j: u32 = 0; j < count; j++) {
    const k = first + j;
    if (dif) butterfly(u + <usize>j * JAC, v + <usize>j * JAC);
    if (k != 0) queueMul(v + <usize>j * JAC, tw + <usize>(k * step) * HALVES);
  }
  flushQueue();
  if (!dif) for (let j: u32 = 0; j < count; j++) butterfly(u + <usize>j * JAC, v + <usize>j * JAC);
  heapRelease(mark);
}

/** a_i ← k_i·a_i for the n Jacobian points at a and the GLV halves of k_i at halves + 64·i. */
export function g1_scaleEach(a: usize, halves: usize, n: u32): void {
  const mark = heapMark();
  openQueue();
  for (let i: u32 = 0; i < n; i++) queueMul(a + <usize>i * JAC, halves + <usize>i * HALVES);
  flushQueue();
  heapRelease(mark);
}

/** Non-adjacent form of c < 2^31 (digits 0, ±1, least significant first, no two adjacent nonzero) into SMALL; its length. */
function naf2(c: u32): i32 {
  let k = <u64>c;
  let i: i32 = 0;
  while (k != 0) {
    let d: i32 = 0;
    if ((k & 1) != 0) {
      d = 2 - <i32>(k & 3);
      k -= <u64>(<i64>d);
    }
    store<i8>(SMALL + <usize>i, <i8>d);
    i++;
    k >>= 1;
  }
  return i;
}

/**
 * out ← c·p (Jacobian) for the small integer c whose {@link naf2} digits (count of them) are in SMALL: doubling, and
 * adding or subtracting p at each nonzero digit (a third of them on average). out must not alias p.
 */
function mulSmall(out: usize, p: usize, count: i32): void {
  g1_jacSetInf(out);
  memory.copy(NEGJ, p, JAC);
  fp_neg(NEGJ + S, p + S);
  for (let b = count - 1; b >= 0; b--) {
    g1_jacDouble(out, out);
    const d = load<i8>(SMALL + <usize>b);
    if (d > 0) g1_jacAdd(out, out, p);
    else if (d < 0) g1_jacAdd(out, out, NEGJ);
  }
}

/**
 * For each of `blocks` blocks of L = 2^log Jacobian points at a, holding the values q_i = ℓ(X^i), i < L, of a linear
 * functional ℓ (on polynomials, with values in G1): replaces entry t by ℓ((X − c)(X − c − 1)···(X − c − t + 1)) for
 * c = first + b·L in block b, by the recursion q_i ← q_(i+1) − (c + t)·q_i (after step t, q_i = ℓ(X^i·Π_(s≤t)(X − c − s))),
 * L²/2 multiplications by integers below first + blocks·L. The scalars are small, so each costs a few doublings.
 */
export function g1_fallingLeaves(a: usize, blocks: u32, log: u32, first: u32): void {
  const L: u32 = 1 << log;
  const mark = heapMark();
  const q = alloc(<usize>L * JAC);
  const product = alloc(JAC);
  for (let b: u32 = 0; b < blocks; b++) {
    const block = a + <usize>(b * L) * JAC;
    memory.copy(q, block, <usize>L * JAC);
    for (let t: u32 = 0; t < L; t++) {
      memory.copy(block + <usize>t * JAC, q, JAC);
      const count = naf2(first + b * L + t);
      for (let i: u32 = 0; i + 1 < L - t; i++) {
        const qi = q + <usize>i * JAC;
        mulSmall(product, qi, count);
        fp_neg(product + S, product + S);
        g1_jacAdd(qi, qi + JAC, product);
      }
    }
  }
  heapRelease(mark);
}

/** Jacobian points (x, y, 1) of the n resident records (x, y, −y) at bases; the infinity mark gives Z = 0. */
export function g1_basesToJacobian(out: usize, bases: usize, n: u32): void {
  for (let i: u32 = 0; i < n; i++) {
    const b = bases + <usize>i * REC;
    const o = out + <usize>i * JAC;
    if (load<u32>(b, 32) == INF_MARK) {
      g1_jacSetInf(o);
      continue;
    }
    memory.copy(o, b, 2 * S);
    fp_copy(o + 2 * S, fp_ONE);
  }
}
