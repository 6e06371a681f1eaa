/**
 * A typed wrapper around one instance of the WebAssembly kernels (one per engine and one per worker):
 * memory management, conversion of noble points and bigints to the kernels' formats, and the calls.
 * @module
 */
import { G1, G2, type G1Point, type G2Point } from '../../curve';
import { limbs, readLimbs, readWords, readWordsArray, writeLimbs, writeOneWords, writeWords, writeWordsArray } from './codec';
import { kernelsModule } from './module';
import { SMALL_MSM_LIMIT, strausWindowBits, TABLE_BITS, windowCount } from './msm-plan';
import { Wasm, type WasmMemory, type WasmModule } from './wasm-api';
import { EngineError } from '../../errors';

/** The exports of wasm/index.ts (pointers are byte offsets in `memory`). */
export interface KernelExports {
  readonly memory: WasmMemory;
  alloc(bytes: number): number;
  heapMark(): number;
  heapRelease(mark: number): void;
  fr_mul(out: number, a: number, b: number): void;
  fr_mul3(o1: number, a1: number, b1: number, o2: number, a2: number, b2: number, o3: number, a3: number, b3: number): void;
  fr_sqr(out: number, a: number): void;
  fr_add(out: number, a: number, b: number): void;
  fr_sub(out: number, a: number, b: number): void;
  fr_canon(out: number, a: number): void;
  fr_reduce2p(out: number, a: number): void;
  fr_inv(out: number, a: number): void;
  fp_mul(out: number, a: number, b: number): void;
  fp_mul3(o1: number, a1: number, b1: number, o2: number, a2: number, b2: number, o3: number, a3: number, b3: number): void;
  fp_sqr(out: number, a: number): void;
  fp_sqr3(o1: number, a1: number, o2: number, a2: number, o3: number, a3: number): void;
  fp_add(out: number, a: number, b: number): void;
  fp_sub(out: number, a: number, b: number): void;
  fp_canon(out: number, a: number): void;
  fp_reduce2p(out: number, a: number): void;
  fp_inv(out: number, a: number): void;
  fp_fromWordsN(out: number, words: number, n: number): void;
  fp_toWordsN(out: number, a: number, n: number): void;
  fr_fromWordsN(out: number, words: number, n: number): void;
  fr_toWordsN(out: number, a: number, n: number): void;
  fr_unpackN(out: number, words: number, n: number): void;
  fr_packN(out: number, a: number, n: number): void;
  fr_powers(out: number, start: number, w: number, m: number): void;
  fr_ntt(a: number, log: number, tw: number, nonzero: number): void;
  fr_batchInv(out: number, a: number, n: number): void;
  fr_productTrie(out: number, vecs: number, m: number, coeffs: number, program: number, count: number, regs: number): void;
  fr_mulPeriodic(a: number, n: number, b: number, period: number): void;
  fr_addTo(a: number, b: number, n: number): void;
  fr_gather(to: number, from: number, m: number, stride: number): void;
  fr_horner(out: number, a: number, n: number, z: number): void;
  fr_straightLine(regs: number, program: number, count: number): void;
  fr_barycentricWeights(out: number, z: number, w: number, n: number): void;
  fr_barycentricSum(out: number, b: number, small: number, n: number, bigIndex: number, big: number, m: number): void;
  g1_msm(out: number, bases: number, scalars: number, n: number, c: number, w0: number, w1: number): void;
  g1_msmSmall(out: number, bases: number, scalars: number, n: number, c: number): void;
  g1_windowTables(out: number, bases: number, n: number, c: number): void;
  g1_msmTables(out: number, tables: number, scalars: number, n: number, c: number): void;
  g1_shiftTables(out: number, bases: number, n: number, c: number, rows: number): void;
  g1_msmShifted(out: number, tables: number, stride: number, scalars: number, n: number, c: number, windows: number): void;
  g1_jacAdd(out: number, p: number, q: number): void;
  g1_batchToAffine(out: number, jac: number, n: number): void;
  g1_loadProjective(out: number, words: number, n: number): void;
  g1_affToWords(out: number, aff: number, n: number): void;
  g1_fixedBase(out: number, base: number, scalars: number, n: number): void;
  g1_groupSums(out: number, bases: number, groups: number, n: number, count: number): void;
  g1_combineSigned(out: number, bases: number, terms: number, rows: number): void;
  g1_nttDif(a: number, blocks: number, log: number, tw: number, twStep: number): void;
  g1_nttDit(a: number, blocks: number, log: number, tw: number, twStep: number): void;
  g1_butterflies(u: number, v: number, count: number, tw: number, first: number, step: number, dif: boolean): void;
  g1_scaleEach(a: number, halves: number, n: number): void;
  g1_fallingLeaves(a: number, blocks: number, log: number, first: number): void;
  g1_basesToJacobian(out: number, bases: number, n: number): void;
  g1_glvBases(out: number, bases: number, n: number): void;
  g1_glvSplit(out: number, scalars: number, n: number): void;
  g2_msm(out: number, bases: number, scalars: number, n: number, c: number, w0: number, w1: number): void;
  g2_msmSmall(out: number, bases: number, scalars: number, n: number, c: number): void;
  g2_windowTables(out: number, bases: number, n: number, c: number): void;
  g2_msmTables(out: number, tables: number, scalars: number, n: number, c: number): void;
  g2_jacAdd(out: number, p: number, q: number): void;
  g2_batchToAffine(out: number, jac: number, n: number): void;
  g2_loadProjective(out: number, words: number, n: number): void;
  g2_affToWords(out: number, aff: number, n: number): void;
  g2_fixedBase(out: number, base: number, scalars: number, n: number): void;
  g2_groupSums(out: number, bases: number, groups: number, n: number, count: number): void;
  bn254_g1YsFromXs(ys: number, xs: number, ok: number, n: number): void;
  keccak256(out: number, input: number, len: number): void;
  bn254_pairingProduct(out: number, lines: number, counts: number, steps: number, lineCount: number, points: number, n: number, consts: number): void;
}

/** Which group a kernel call works in. */
export type GroupName = 'g1' | 'g2';
/** A noble point of the group. */
export type GroupPoint<G extends GroupName> = G extends 'g1' ? G1Point : G2Point;

/** Bytes of one Fr element in WASM memory. */
export const FR_BYTES = 36;
/** Bytes of one coordinate in WASM memory (Fp for G1, Fp2 for G2). */
export const FIELD_BYTES: Record<GroupName, number> = { g1: 36, g2: 72 };
/** Bytes of one resident base (x, y, −y). */
export const BASE_BYTES: Record<GroupName, number> = { g1: 108, g2: 216 };
/** Bytes of one canonical coordinate in word format. */
const COORD_WORDS_BYTES: Record<GroupName, number> = { g1: 32, g2: 64 };

/** The limbs of the integer 1 (an affine point's Z). */
const ONE_LIMBS = new BigUint64Array([1n, 0n, 0n, 0n]);

/** One instance of the kernels. */
export class Kernels {
  readonly exports: KernelExports;

  constructor(module: WasmModule = kernelsModule()) {
    this.exports = new Wasm.Instance(module, {}).exports as unknown as KernelExports;
  }

  /** A fresh view of the memory (views detach when the memory grows). */
  view(): DataView {
    return new DataView(this.exports.memory.buffer);
  }

  /** Allocates memory that stays until the instance is dropped (never call it inside {@link scratch}, which would free it). */
  allocResident(bytes: number): number {
    return this.exports.alloc(bytes);
  }

  /** Runs `fn` with scratch allocations that are released when it returns. */
  scratch<T>(fn: (alloc: (bytes: number) => number) => T): T {
    const mark = this.exports.heapMark();
    try {
      return fn((bytes) => this.exports.alloc(bytes));
    } finally {
      this.exports.heapRelease(mark);
    }
  }

  /** Makes noble points resident: returns the pointer to their x, y, −y records. */
  loadPoints<G extends GroupName>(group: G, points: readonly GroupPoint<G>[]): number {
    const ptr = this.allocResident(points.length * BASE_BYTES[group]);
    this.scratch((alloc) => this.loadPointsAt(group, ptr, points, alloc));
    return ptr;
  }

  /** Loads noble points into scratch memory (for non-resident MSMs); valid until the enclosing scratch ends. */
  loadPointsAt<G extends GroupName>(group: G, ptr: number, points: readonly GroupPoint<G>[], alloc: (bytes: number) => number): void {
    const W = COORD_WORDS_BYTES[group];
    const words = alloc(points.length * 3 * W);
    const view = this.view();
    // G1 coordinates through a u64 view of the words (./codec.ts: half the time of a DataView per limb), the
    // G2 ones and unaligned words through the DataView.
    const u = group === 'g1' ? limbs(view, words, 3 * points.length) : undefined;
    if (u !== undefined) {
      for (let i = 0, k = 0; i < points.length; i++, k += 12) {
        const p = points[i] as G1Point;
        writeLimbs(u, k, p.X);
        writeLimbs(u, k + 4, p.Y);
        // Decoded points are affine (Z = 1), written without splitting a bigint.
        if (p.Z === 1n) u.set(ONE_LIMBS, k + 8);
        else writeLimbs(u, k + 8, p.Z);
      }
      this.exports.g1_loadProjective(ptr, words, points.length);
      return;
    }
    for (let i = 0; i < points.length; i++) {
      const o = words + i * 3 * W;
      if (group === 'g1') {
        const p = points[i] as G1Point;
        writeWords(view, o, p.X);
        writeWords(view, o + W, p.Y);
        // Decoded points are affine (Z = 1): its words without splitting a bigint. Points computed by noble's
        // arithmetic may be projective (Z ≠ 1), written as any coordinate.
        if (p.Z === 1n) writeOneWords(view, o + 2 * W);
        else writeWords(view, o + 2 * W, p.Z);
      } else {
        const p = points[i] as G2Point;
        for (const [k, c] of [p.X, p.Y, p.Z].entries()) {
          writeWords(view, o + k * W, c.c0);
          writeWords(view, o + k * W + 32, c.c1);
        }
      }
    }
    this.exports[`${group}_loadProjective`](ptr, words, points.length);
  }

  /** A copy of `bytes` bytes of memory at `ptr`. */
  copyOut(ptr: number, bytes: number): Uint8Array {
    return new Uint8Array(this.exports.memory.buffer, ptr, bytes).slice();
  }

  /** Copies `bytes` into newly allocated resident memory; returns the pointer. */
  placeResident(bytes: Uint8Array): number {
    const ptr = this.allocResident(bytes.length);
    new Uint8Array(this.exports.memory.buffer, ptr, bytes.length).set(bytes);
    return ptr;
  }

  /** Writes canonical scalars as words into fresh scratch memory; returns the pointer. */
  writeScalars(alloc: (bytes: number) => number, scalars: readonly bigint[]): number {
    const ptr = alloc(scalars.length * 32);
    writeWordsArray(this.view(), ptr, scalars);
    return ptr;
  }

  /** Copies scalar words (8 u32 per scalar) into fresh scratch memory; returns the pointer. */
  placeScalarWords(alloc: (bytes: number) => number, words: Uint8Array): number {
    const ptr = alloc(words.length);
    new Uint8Array(this.exports.memory.buffer, ptr, words.length).set(words);
    return ptr;
  }

  /**
   * Copies the resident bases at positions `at` of the set at `bases` (records of the group's {@link BASE_BYTES})
   * into consecutive fresh scratch memory, in the order of `at`; returns their pointer. An MSM over them of the
   * scalars at those positions is `Σ_j s_(at_j)·P_(at_j)`, the MSM over the whole set when its other scalars are zero.
   * A position at or past `available` (the bases from `bases` on) is an {@link EngineError}: it would read other memory.
   */
  gatherBases(alloc: (bytes: number) => number, group: GroupName, bases: number, at: Uint32Array, available: number): number {
    const beyond = at.find((p) => p >= available);
    if (beyond !== undefined) throw new EngineError(`base position ${beyond} is past the ${available} bases of the set`);
    const bytes = BASE_BYTES[group];
    const out = alloc(Math.max(at.length, 1) * bytes);
    const mem = new Uint8Array(this.exports.memory.buffer);
    for (let j = 0; j < at.length; j++) mem.copyWithin(out + j * bytes, bases + at[j] * bytes, bases + (at[j] + 1) * bytes);
    return out;
  }

  /**
   * The windows [w0, w1) part of `Σ_i s_i·P_i` (see the `msm` kernel) over the n resident bases at
   * `bases` and the scalar words at `scalars`, as raw Jacobian bytes to add with {@link sumToPoint}.
   */
  msmPart(group: GroupName, bases: number, scalars: number, n: number, c: number, w0: number, w1: number): Uint8Array {
    return this.scratch((alloc) => {
      const out = alloc(3 * FIELD_BYTES[group]);
      this.exports[`${group}_msm`](out, bases, scalars, n, c, w0, w1);
      return this.copyOut(out, 3 * FIELD_BYTES[group]);
    });
  }

  /**
   * `Σ_i s_i·P_i` over the n resident bases at `bases` and the scalar words at `scalars`: Straus with
   * its own tables below {@link SMALL_MSM_LIMIT} points, else Pippenger over all windows of c bits. Raw Jacobian bytes.
   */
  msm(group: GroupName, bases: number, scalars: number, n: number, c: number): Uint8Array {
    if (n < SMALL_MSM_LIMIT) {
      return this.scratch((alloc) => {
        const out = alloc(3 * FIELD_BYTES[group]);
        this.exports[`${group}_msmSmall`](out, bases, scalars, n, strausWindowBits(n));
        return this.copyOut(out, 3 * FIELD_BYTES[group]);
      });
    }
    return this.msmPart(group, bases, scalars, n, c, 0, windowCount(c));
  }

  /**
   * Makes the window tables of the n resident bases at `bases` resident ({@link TABLE_BITS}-bit windows, see the
   * `windowTables` kernel); returns their pointer, for {@link msmTables}. No base may be the point at infinity.
   */
  loadWindowTables(group: GroupName, bases: number, n: number): number {
    const entries = n * windowCount(TABLE_BITS) * (1 << (TABLE_BITS - 1));
    const ptr = this.allocResident(entries * BASE_BYTES[group]);
    this.exports[`${group}_windowTables`](ptr, bases, n, TABLE_BITS);
    return ptr;
  }

  /** `Σ_i s_i·P_i` over the window tables of n bases ({@link loadWindowTables}) and the scalar words at `scalars`. Raw Jacobian bytes. */
  msmTables(group: GroupName, tables: number, scalars: number, n: number): Uint8Array {
    return this.scratch((alloc) => {
      const out = alloc(3 * FIELD_BYTES[group]);
      this.exports[`${group}_msmTables`](out, tables, scalars, n, TABLE_BITS);
      return this.copyOut(out, 3 * FIELD_BYTES[group]);
    });
  }

  /**
   * Makes the shifted tables of the n resident G1 bases at `bases` resident: ⌈255/c⌉ rows, row w holding
   * 2^(c·w)·P_i (see the `shiftTables` kernel); returns their pointer, for {@link msmShifted}.
   */
  loadShiftTables(bases: number, n: number, c: number): number {
    const rows = windowCount(c);
    const ptr = this.allocResident(rows * n * BASE_BYTES.g1);
    this.exports.g1_shiftTables(ptr, bases, n, c, rows);
    return ptr;
  }

  /**
   * `Σ_i s_i·P_i` over shifted tables of c-bit rows of `stride` points ({@link loadShiftTables}; P_i the i-th point
   * of row 0 at `tables`) for the n scalar words at `scalars`, on their first `windows` signed windows (all of them
   * for canonical scalars, fewer for short ones). Raw Jacobian bytes.
   */
  msmShifted(tables: number, stride: number, scalars: number, n: number, c: number, windows: number): Uint8Array {
    return this.scratch((alloc) => {
      const out = alloc(3 * FIELD_BYTES.g1);
      this.exports.g1_msmShifted(out, tables, stride, scalars, n, c, windows);
      return this.copyOut(out, 3 * FIELD_BYTES.g1);
    });
  }

  /**
   * The GLV pairs (P_i, φ(P_i)) of the n G1 bases at `bases` (see the `glvBases` kernel) at `out`, 2n bases: an
   * MSM over them of the halves {@link glvSplit} writes is the MSM of the full scalars over the n bases.
   */
  glvBasesAt(out: number, bases: number, n: number): void {
    this.exports.g1_glvBases(out, bases, n);
  }

  /** Makes the GLV pairs of n resident G1 bases resident ({@link glvBasesAt}); returns their pointer. */
  loadGlvBases(bases: number, n: number): number {
    const ptr = this.allocResident(2 * n * BASE_BYTES.g1);
    this.glvBasesAt(ptr, bases, n);
    return ptr;
  }

  /**
   * The GLV halves k1, k2 (k ≡ k1 + λ·k2 mod r, |k_j| < 2^127, see ./glv.ts) of the n canonical scalar words at
   * `scalars`, interleaved as 2n signed short scalars in fresh scratch memory; returns their pointer.
   */
  glvSplit(alloc: (bytes: number) => number, scalars: number, n: number): number {
    const out = alloc(2 * n * 32);
    this.exports.g1_glvSplit(out, scalars, n);
    return out;
  }

  /** The noble point equal to the sum of the Jacobian parts. */
  sumToPoint<G extends GroupName>(group: G, parts: readonly Uint8Array[]): GroupPoint<G> {
    const S = FIELD_BYTES[group];
    return this.scratch((alloc) => {
      const acc = alloc(3 * S);
      const part = alloc(3 * S);
      const mem = () => new Uint8Array(this.exports.memory.buffer);
      mem().set(parts[0], acc);
      for (let i = 1; i < parts.length; i++) {
        mem().set(parts[i], part);
        this.exports[`${group}_jacAdd`](acc, acc, part);
      }
      const aff = alloc(2 * S);
      this.exports[`${group}_batchToAffine`](aff, acc, 1);
      return this.readAffine(group, alloc, aff, 1)[0];
    });
  }

  /** Reads n canonical affine points at `aff` as noble points. */
  readAffine<G extends GroupName>(group: G, alloc: (bytes: number) => number, aff: number, n: number): GroupPoint<G>[] {
    const W = COORD_WORDS_BYTES[group];
    const words = alloc(n * 2 * W);
    this.exports[`${group}_affToWords`](words, aff, n);
    const view = this.view();
    // Infinity is written as (0, 0), which noble's fromAffine also reads as the identity.
    const out: GroupPoint<G>[] = new Array(n);
    const u = group === 'g1' ? limbs(view, words, 2 * n) : undefined;
    if (u !== undefined) {
      for (let i = 0, k = 0; i < n; i++, k += 8) out[i] = G1.fromAffine({ x: readLimbs(u, k), y: readLimbs(u, k + 4) }) as GroupPoint<G>;
      return out;
    }
    for (let i = 0; i < n; i++) {
      const o = words + i * 2 * W;
      if (group === 'g1') {
        out[i] = G1.fromAffine({ x: readWords(view, o), y: readWords(view, o + W) }) as GroupPoint<G>;
      } else {
        const [x0, x1, y0, y1] = readWordsArray(view, o, 4);
        out[i] = G2.fromAffine({ x: { c0: x0, c1: x1 }, y: { c0: y0, c1: y1 } }) as GroupPoint<G>;
      }
    }
    return out;
  }

  /** `[s_i]·base` for every scalar, with the kernels' fixed-base table. */
  fixedBase<G extends GroupName>(group: G, base: GroupPoint<G>, scalars: readonly bigint[]): GroupPoint<G>[] {
    const S = FIELD_BYTES[group];
    return this.scratch((alloc) => {
      const b = alloc(BASE_BYTES[group]);
      this.loadPointsAt(group, b, [base], alloc);
      const s = this.writeScalars(alloc, scalars);
      const out = alloc(scalars.length * 2 * S);
      this.exports[`${group}_fixedBase`](out, b, s, scalars.length);
      return this.readAffine(group, alloc, out, scalars.length);
    });
  }
}
