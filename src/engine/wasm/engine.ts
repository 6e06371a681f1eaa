/**
 * The WebAssembly engine: MSMs in G1 (full-width scalars on GLV halves, ./glv.ts) and G2 (over resident bases, a mostly zero vector's over the bases of
 * its nonzero terms alone, msm-plan.ts `gathersNonzero`), fixed-base multiplication, NTTs, batch inversion and the
 * multi-pairing on the generated kernels (wasm/); the pairing's G2 line coefficients come from `@noble/curves`. Results are exact group and field values, so they
 * are byte-identical to the reference engine's whatever the number of workers.
 * @module
 */
import { G1, G2, type G1Point, type G2Point } from '../../curve';
import { EngineError } from '../../errors';
import { Fr, R } from '../../field';
import { log2Exact, rootOfUnity } from '../../poly/roots';
import type { CosetIdentities, CosetPart, CosetPolynomial, Engine, G1Bases, G2Bases } from '../engine';
import { largestReaders, readAlone } from '../products';
import { isDerived, polynomialLengths } from '../derived';
import { formDerived, linearFromSources, packedLengths, writeLinearValues } from './derived';
import { keepWords, keptWords } from '../../poly/kept-words';
import { plainFactorProgram, productTrieProgram } from './product-trie';
import { emptyStats } from '../pairing';
import { multiPairingWasm } from './pairing';
import { combineG1Wasm } from './combine';
import { POOL_MIN_POINTS as RANGE_POOL_MIN_POINTS, rangeKBasisWasm } from './range-k-basis';
import { barycentricSums } from './barycentric';
import { runFrProgramWasm } from './fr-program';
import { readWordsArray, writeWords, writeWordsArray } from './codec';
import { BASE_BYTES, FR_BYTES, Kernels, type GroupName, type GroupPoint } from './kernels';
import { GLV_BITS } from './glv';
import {
  gathersNonzero,
  GLV_MIN_POINTS,
  glvWindowBits,
  scalarGroups,
  type ScalarGroups,
  scalarWindows,
  shiftedPlan,
  shiftRental,
  type ShiftRental,
  SMALL_MSM_LIMIT,
  splitWindows,
  TABLE_BITS,
  TABLE_MAX_POINTS,
  plainWindowBits,
  windowCount,
} from './msm-plan';
import { startEnginePool } from '#engine-pool';
import type { CosetWords, GroupedMsmTask, MsmTask, PackedPolynomials } from './task';
import { cosetPieces } from './coset-pieces';

/** Options of {@link createWasmEngine}. */
export interface WasmEngineOptions {
  /** Worker threads for MSMs and quotients (0, the default, computes on the calling thread). */
  workers?: number;
}

/**
 * Smallest MSM sent to the workers. A round's commitments are in flight together, so the calling thread forms the
 * next helper while they run; below 2^9 points an MSM (a few milliseconds at full width) costs little more than its
 * messages, and smaller sets' MSMs read the shifted tables the calling thread rents.
 */
const POOL_MIN_POINTS = 1 << 9;

/**
 * Smallest coset identities sent to a worker, by their largest coset: a quotient domain whose identities are
 * evaluated on 2^11 points or more costs milliseconds, against a copy of its polynomials and a message.
 */
const POOL_MIN_COSET = 1 << 11;

/** Smallest transform sent to a worker by {@link Engine.transforms}: about a millisecond of NTT, against two copies of its words. */
const POOL_MIN_TRANSFORM = 1 << 11;

/** Widest short scalar: |s| below 2^SHORT_SCALAR_BITS, reading s > r/2 as s − r (the signed integers of a tensor). */
const SHORT_SCALAR_BITS = 128;
const HALF_R = R >> 1n;

/** Bit 255 of a kernel scalar: a negated short scalar (wasm/msm.ts); canonical scalars are below 2^254. */
const NEGATED = 1n << 255n;

/**
 * The windows an MSM of short scalars needs. Pippenger's cost is linear in its number of c-bit windows, and the
 * kernel covers 255 bits; a tensor's values (a committed row, a public input) are small signed integers, so each
 * s_i is sent as |s_i| (reading s > r/2 as s − r) with bit 255 set when negative, whose signed digits the kernel
 * negates (selecting −P_i): all below 2^b, on ⌈(b+1)/c⌉ windows, since the signed digits of a scalar below 2^b are
 * zero above them and the top digit does not carry (wasm/msm.ts). Undefined when some scalar is wide, or when the
 * short windows would save nothing.
 */
function shortScalars(scalars: readonly bigint[], c: number): { windows: number; bits: number; signed: bigint[] } | undefined {
  let max = 0n;
  const signed = new Array<bigint>(scalars.length);
  for (let i = 0; i < scalars.length; i++) {
    const s = scalars[i];
    const negative = s > HALF_R;
    const m = negative ? R - s : s;
    if (m >> BigInt(SHORT_SCALAR_BITS) !== 0n) return undefined;
    if (m > max) max = m;
    signed[i] = negative ? m | NEGATED : m;
  }
  const bits = max.toString(2).length;
  const windows = scalarWindows(bits, c);
  if (windows >= windowCount(c)) return undefined;
  return { windows, bits, signed };
}

/** The nonzero scalars of a vector with `nonzero` of them, and their positions. */
function nonzeroTerms(scalars: readonly bigint[], nonzero: number): { at: Uint32Array; scalars: bigint[] } {
  const at = new Uint32Array(nonzero);
  const values = new Array<bigint>(nonzero);
  for (let i = 0, j = 0; i < scalars.length; i++) {
    if (scalars[i] === 0n) continue;
    at[j] = i;
    values[j++] = scalars[i];
  }
  return { at, scalars: values };
}

/** The positions of the GLV pairs (P_i, φ(P_i)) of the bases at positions `at`, among a set's interleaved pairs: 2i and 2i + 1. */
function pairPositions(at: Uint32Array): Uint32Array {
  const pairs = new Uint32Array(2 * at.length);
  for (let j = 0; j < at.length; j++) {
    pairs[2 * j] = 2 * at[j];
    pairs[2 * j + 1] = 2 * at[j] + 1;
  }
  return pairs;
}

interface Resident {
  readonly group: GroupName;
  readonly ptr: number;
  readonly length: number;
  /** A copy for the workers, when there are any. */
  readonly shared?: SharedArrayBuffer;
  /** The window tables of a set of at most {@link TABLE_MAX_POINTS} finite bases (their MSMs read these instead). */
  readonly tables?: number;
  /** The rental of a G1 set's shifted tables (msm-plan.ts {@link shiftedPlan}), and their pointer once built. */
  readonly shift?: { readonly rental: ShiftRental; tables?: number };
  /** A G1 set's GLV pairs (P_i, φ(P_i)), made resident by its first full-width MSM that runs on GLV halves. */
  glv?: GlvPairs;
}

/**
 * An MSM over resident bases with its plan: the bases it reads, window width, short scalars or repeated ones
 * (msm-plan.ts).
 */
interface PlannedMsm {
  readonly group: GroupName;
  readonly id: number;
  readonly bases: Resident;
  /** The scalars the MSM multiplies: the call's, or with {@link at} its nonzero ones. */
  readonly scalars: readonly bigint[];
  /** The positions (from {@link offset}) of the bases that {@link scalars} multiply, when the MSM reads only those (msm-plan.ts `gathersNonzero`). */
  readonly at: Uint32Array | undefined;
  /** The number of the call's scalars: the bases from {@link offset} it spans. */
  readonly length: number;
  readonly offset: number;
  readonly nonzero: number;
  readonly c: number;
  readonly short: ReturnType<typeof shortScalars>;
  readonly grouped: ScalarGroups | undefined;
}

/** The resident GLV pairs of a G1 set: their pointer, and for the workers their id and a copy. */
interface GlvPairs {
  readonly ptr: number;
  readonly id: number;
  readonly shared?: SharedArrayBuffer;
}

/** The WASM engine, with a typed-array fast path for callers that keep Fr vectors as bytes. */
export interface WasmEngine extends Engine {
  /**
   * The engine's kernels instance (calling thread), for benchmarks and differential tests.
   * @internal
   */
  readonly kernels: Kernels;
  /**
   * {@link Engine.ntt} (or with `inverse`, {@link Engine.intt}) on n canonical Fr elements given as
   * 32-byte little-endian integers (n·32 bytes; every element must be below r), returned in the same
   * format: no bigint conversion.
   */
  nttWords(words: Uint8Array, options?: { inverse?: boolean; shift?: bigint }): Uint8Array;
  /**
   * {@link Engine.cosetIdentities} on the calling thread, on polynomials packed as canonical words, its result as
   * words: what a worker computes for an engine that sends it a quotient domain.
   * @internal
   */
  cosetIdentitiesWords(shift: bigint, polys: PackedPolynomials, parts: readonly CosetPart[], point?: bigint, evaluates?: readonly number[]): CosetWords;
  /**
   * `Σ_g v_g·(Σ_{s_i = v_g} P_i)` over the resident bases at `basesPtr` in {@link kernels} (as many as `grouped.groups`)
   * and scalars in {@link scalarGroups}, as raw Jacobian bytes: what a worker computes for an engine that sends it a
   * grouped MSM.
   * @internal
   */
  groupedMsmPart(group: GroupName, basesPtr: number, grouped: ScalarGroups): Uint8Array;
}

/**
 * Writes the coefficients `xs` (any integers, taken mod r) as canonical words from `offset`: the words kept for them
 * (../../poly/kept-words.ts) copied where there are some, the few coefficients that differ from those words and the
 * rest converted.
 */
function writeCoefficientWords(view: DataView, offset: number, xs: readonly bigint[]): void {
  const record = keptWords(xs);
  const prefix = record === undefined ? 0 : Math.min(xs.length, record.words.length / 32);
  if (record !== undefined) {
    new Uint8Array(view.buffer, view.byteOffset + offset, prefix * 32).set(record.words.subarray(0, prefix * 32));
    for (const i of record.differs) if (i < prefix) writeWords(view, offset + 32 * i, Fr.create(xs[i]));
  }
  let canonical = true;
  for (let i = prefix; i < xs.length && canonical; i++) canonical = xs[i] >= 0n && xs[i] < R;
  const rest = prefix === 0 ? xs : xs.slice(prefix);
  writeWordsArray(view, offset + 32 * prefix, canonical ? rest : rest.map((x) => Fr.create(x)));
}

/** Creates a WASM engine (instantiated synchronously; in browsers call `initWasm()` once before). */
export function createWasmEngine(options: WasmEngineOptions = {}): WasmEngine {
  const kernels = new Kernels();
  const threads = options.workers ?? 0;
  if (!Number.isInteger(threads) || threads < 0) throw new EngineError(`workers must be a non-negative integer, got ${threads}`);
  const pool = threads > 0 ? startEnginePool(threads) : undefined;
  const resident = new Map<number, Resident>();
  const twiddles = new Map<string, number>();
  const scalings = new Map<string, { shift: bigint; ptr: number }>();
  let nextId = 1;
  let stats = emptyStats();

  /** A copy of `bytes` bytes of resident memory for the workers, when there are any. */
  function shareResident(ptr: number, bytes: number): SharedArrayBuffer | undefined {
    if (!pool) return undefined;
    const shared = new SharedArrayBuffer(bytes);
    new Uint8Array(shared).set(kernels.copyOut(ptr, bytes));
    return shared;
  }

  function load(group: GroupName, points: readonly (G1Point | G2Point)[]): number {
    const id = nextId++;
    const ptr = kernels.loadPoints(group, points as never);
    const shared = shareResident(ptr, points.length * BASE_BYTES[group]);
    const tables = points.length <= TABLE_MAX_POINTS && points.every((p) => !p.is0()) ? kernels.loadWindowTables(group, ptr, points.length) : undefined;
    const rental = group === 'g1' ? shiftRental(points.length) : undefined;
    const shift = rental && { rental };
    resident.set(id, { group, ptr, length: points.length, shared, tables, shift });
    return id;
  }

  /** The GLV pairs of a resident G1 set, made resident on first use (outside any scratch region, which would free them). */
  function glvPairs(bases: Resident): GlvPairs {
    if (!bases.glv) {
      const ptr = kernels.loadGlvBases(bases.ptr, bases.length);
      bases.glv = { ptr, id: nextId++, shared: shareResident(ptr, 2 * bases.length * BASE_BYTES.g1) };
    }
    return bases.glv;
  }

  /** Checks that every scalar is canonical; returns how many are nonzero (the points an MSM adds: its zero digits are skipped). */
  function checkScalars(scalars: readonly bigint[]): number {
    let nonzero = 0;
    for (const s of scalars) {
      if (s < 0n || s >= R) throw new EngineError('MSM scalar is not a canonical Fr element');
      if (s !== 0n) nonzero++;
    }
    return nonzero;
  }

  async function msmResident<G extends GroupName>(group: G, id: number, scalars: readonly bigint[], offset: number): Promise<GroupPoint<G>> {
    const bases = resident.get(id);
    if (!bases || bases.group !== group) throw new EngineError(`unknown bases handle ${id}`);
    const n = scalars.length;
    if (offset < 0 || offset + n > bases.length)
      throw new EngineError(`MSM of ${n} scalars at offset ${offset} exceeds ${bases.length} resident bases`);
    const nonzero = checkScalars(scalars);
    if (nonzero === 0) return (group === 'g1' ? G1.ZERO : G2.ZERO) as GroupPoint<G>;
    // A mostly zero vector (a logUp helper's values, the range table's counts) is the MSM of its nonzero terms.
    const terms = bases.tables === undefined && gathersNonzero(n, nonzero) ? nonzeroTerms(scalars, nonzero) : undefined;
    const own = terms?.scalars ?? scalars;
    const m = own.length;
    const c = plainWindowBits(m, nonzero);
    const short = m >= SMALL_MSM_LIMIT ? shortScalars(own, c) : undefined;
    const grouped = short === undefined && bases.tables === undefined && m >= SMALL_MSM_LIMIT ? scalarGroups(own) : undefined;
    const msm: PlannedMsm = { group, id, bases, scalars: own, at: terms?.at, length: n, offset, nonzero, c, short, grouped };
    if (pool && bases.shared && m >= POOL_MIN_POINTS) {
      // A grouped MSM whole on one worker (a round's helpers are committed together, so its grouped MSMs run side by
      // side), any other split by window ranges over the workers.
      return kernels.sumToPoint(group, await Promise.all(poolTasks(msm, pool.threads).map((task) => pool.msm(task)))) as GroupPoint<G>;
    }
    if (pool && bases.shared && m >= SMALL_MSM_LIMIT) return (await smallMsms.add(msm)) as GroupPoint<G>;
    return kernels.sumToPoint(group, [msmHere(msm)]) as GroupPoint<G>;
  }

  /**
   * The pool tasks of an MSM: a grouped one whole; any other over `ranges` window ranges, full-width G1 scalars on
   * GLV halves (over the set's GLV pairs, made resident and shared on first use), short ones on their few windows.
   * An MSM of nonzero terms sends their positions, the worker gathers the bases (over the GLV pairs, both of a pair).
   */
  function poolTasks(msm: PlannedMsm, ranges: number): (MsmTask | GroupedMsmTask)[] {
    const { group, id, bases, scalars, at, offset, nonzero, c, short, grouped } = msm;
    const n = scalars.length;
    if (grouped) {
      const groups = new SharedArrayBuffer(n * 4);
      new Uint32Array(groups).set(grouped.groups);
      const values = new SharedArrayBuffer(grouped.values.length * 32);
      writeWordsArray(new DataView(values), 0, grouped.values);
      return [{ kind: 'grouped', group, basesId: id, bases: bases.shared!, offset, at: at && sharedPositions(at), groups, values }];
    }
    const split = (words: SharedArrayBuffer, basesId: number, shared: SharedArrayBuffer, start: number, positions: Uint32Array | undefined, count: number, width: number, windows: number): MsmTask[] => {
      const read = positions && sharedPositions(positions);
      return splitWindows(windows, ranges).map(([w0, w1]) => ({ kind: 'msm', group, basesId, bases: shared, offset: start, at: read, scalars: words, n: count, c: width, w0, w1 }));
    };
    if (glvApplies(msm)) {
      const pairs = glvPairs(bases);
      const halves = kernels.scratch((alloc) => kernels.copyOut(kernels.glvSplit(alloc, kernels.writeScalars(alloc, scalars), n), 2 * n * 32));
      const words = new SharedArrayBuffer(halves.length);
      new Uint8Array(words).set(halves);
      const width = glvWindowBits(n, nonzero);
      return split(words, pairs.id, pairs.shared!, 2 * offset, at && pairPositions(at), 2 * n, width, scalarWindows(GLV_BITS, width));
    }
    const words = new SharedArrayBuffer(n * 32);
    writeWordsArray(new DataView(words), 0, short?.signed ?? scalars);
    return split(words, id, bases.shared!, offset, at, n, c, short?.windows ?? windowCount(c));
  }

  /** The positions as a SharedArrayBuffer of little-endian u32s, for a worker. */
  function sharedPositions(at: Uint32Array): SharedArrayBuffer {
    const shared = new SharedArrayBuffer(at.byteLength);
    new Uint32Array(shared).set(at);
    return shared;
  }

  /** Full-width G1 scalars run on GLV halves where they run plain (not over a set's window or shifted tables). */
  function glvApplies({ group, short, bases, scalars }: PlannedMsm): boolean {
    return group === 'g1' && !short && bases.tables === undefined && scalars.length >= GLV_MIN_POINTS;
  }

  /**
   * An MSM on the calling thread, as raw Jacobian bytes: over the set's window tables, its shifted tables when rented,
   * GLV halves or plain windows; an MSM of nonzero terms over the bases it reads, gathered (over the shifted tables,
   * its scalars spread back to their positions, zero elsewhere).
   */
  function msmHere(msm: PlannedMsm): Uint8Array {
    const { group, bases, scalars, at, length, offset, nonzero, c, short, grouped } = msm;
    const n = scalars.length;
    const first = bases.ptr + offset * BASE_BYTES[group];
    const read = (alloc: (bytes: number) => number, ptr: number, positions: Uint32Array | undefined, available: number) =>
      positions ? kernels.gatherBases(alloc, group, ptr, positions, available) : ptr;
    if (grouped) return kernels.scratch((alloc) => groupedMsmPart(group, read(alloc, first, at, bases.length - offset), grouped));
    if (bases.tables !== undefined) {
      const tables = bases.tables + offset * windowCount(TABLE_BITS) * (1 << (TABLE_BITS - 1)) * BASE_BYTES[group];
      return kernels.scratch((alloc) => kernels.msmTables(group, tables, kernels.writeScalars(alloc, scalars), n));
    }
    const shift = bases.shift;
    const plan = shift && n >= SMALL_MSM_LIMIT ? shiftedPlan(shift.rental, nonzero, short?.windows ?? windowCount(c), c, short?.bits) : undefined;
    if (shift && plan) {
      // Resident memory, allocated outside any scratch region; built once, when the rental first says so.
      if (plan.build) shift.tables = kernels.loadShiftTables(bases.ptr, bases.length, shift.rental.c);
      const tables = shift.tables! + offset * BASE_BYTES.g1;
      const words = (alloc: (bytes: number) => number) => (at ? spreadScalars(alloc, short?.signed ?? scalars, at, length) : kernels.writeScalars(alloc, short?.signed ?? scalars));
      return kernels.scratch((alloc) => kernels.msmShifted(tables, bases.length, words(alloc), length, shift.rental.c, plan.windows));
    }
    if (glvApplies(msm)) {
      const pairs = glvPairs(bases).ptr + 2 * offset * BASE_BYTES.g1;
      return kernels.scratch((alloc) => glvMsm(read(alloc, pairs, at && pairPositions(at), 2 * (bases.length - offset)), scalars, n, nonzero, alloc));
    }
    return kernels.scratch((alloc) => residentMsm(group, read(alloc, first, at, bases.length - offset), scalars, n, nonzero, short, alloc));
  }

  /** The words of `length` scalars in fresh scratch memory: `values[j]` at position `at[j]`, zero elsewhere. */
  function spreadScalars(alloc: (bytes: number) => number, values: readonly bigint[], at: Uint32Array, length: number): number {
    const ptr = alloc(length * 32);
    new Uint8Array(kernels.exports.memory.buffer, ptr, length * 32).fill(0);
    const view = kernels.view();
    for (let j = 0; j < at.length; j++) writeWords(view, ptr + 32 * at[j], values[j]);
    return ptr;
  }

  /**
   * The small MSMs (under {@link POOL_MIN_POINTS} points) of an engine with workers, gathered while the calling thread
   * is busy and computed together at the next turn of the event loop: a round's commitments are asked together, so
   * the batch holds its small ones (the attention model's proof asks for about 150 of them, each a few milliseconds
   * at full width, which the calling thread computed one after the other while the workers waited). The workers that
   * have nothing in flight take a share each, as one task of several MSMs (over the plain or GLV bases: the shifted
   * tables are the calling thread's); the calling thread computes its own share meanwhile. Exact points, so who
   * computes which changes nothing.
   */
  const smallMsms = (() => {
    let batch: { msm: PlannedMsm; resolve: (p: G1Point | G2Point) => void; reject: (e: unknown) => void }[] = [];
    const flush = () => {
      const items = batch;
      batch = [];
      // Estimated work: points × windows; each free worker and the calling thread take about equal shares.
      const cost = items.map(({ msm }) => msm.scalars.length * (msm.short?.windows ?? windowCount(msm.c)));
      const free = Math.max(0, pool!.threads - pool!.inFlight);
      const share = cost.reduce((a, b) => a + b, 0) / (free + 1);
      let at = items.length;
      for (let w = 0; w < free && at > 0; w++) {
        // A contiguous run from the end of the batch, about one share of work.
        const end = at;
        for (let taken = 0; at > 0 && taken + cost[at - 1] / 2 <= share; ) taken += cost[--at];
        if (at === end) break;
        const run = items.slice(at, end);
        let tasks: (MsmTask | GroupedMsmTask)[];
        try {
          tasks = run.flatMap(({ msm }) => poolTasks(msm, 1));
        } catch (e) {
          run.forEach(({ reject }) => reject(e));
          continue;
        }
        pool!.msmBatch(tasks).then(
          (parts) => run.forEach((item, k) => settle(item, () => parts[k])),
          (e) => run.forEach(({ reject }) => reject(e)),
        );
      }
      for (const item of items.slice(0, at)) settle(item, () => msmHere(item.msm));
    };
    // A failure settles the one MSM it belongs to: no promise of the batch is left pending, none rejects unhandled.
    const settle = (item: (typeof batch)[number], part: () => Uint8Array) => {
      try {
        item.resolve(kernels.sumToPoint(item.msm.group, [part()]));
      } catch (e) {
        item.reject(e);
      }
    };
    return {
      add(msm: PlannedMsm): Promise<G1Point | G2Point> {
        if (batch.length === 0) pool!.nextTurn(flush);
        return new Promise((resolve, reject) => batch.push({ msm, resolve, reject }));
      },
    };
  })();

  /**
   * The MSM over the bases at `basesPtr` on the calling thread, as raw Jacobian bytes: on the short windows when the
   * scalars are short, on GLV halves over pairs made in scratch memory when they are full-width G1 scalars, enough of
   * them to pay.
   */
  function residentMsm(group: GroupName, basesPtr: number, scalars: readonly bigint[], n: number, nonzero: number, short: ReturnType<typeof shortScalars>, alloc: (bytes: number) => number): Uint8Array {
    const c = plainWindowBits(n, nonzero);
    if (short) return kernels.msmPart(group, basesPtr, kernels.writeScalars(alloc, short.signed), n, c, 0, short.windows);
    if (group === 'g1' && n >= GLV_MIN_POINTS) {
      const pairs = alloc(2 * n * BASE_BYTES.g1);
      kernels.glvBasesAt(pairs, basesPtr, n);
      return glvMsm(pairs, scalars, n, nonzero, alloc);
    }
    return kernels.msm(group, basesPtr, kernels.writeScalars(alloc, scalars), n, c);
  }

  /** `Σ_i s_i·P_i` of full-width scalars over the GLV pairs (P_i, φ(P_i)) at `pairs`, as raw Jacobian bytes: one MSM of their 2n halves. */
  function glvMsm(pairs: number, scalars: readonly bigint[], n: number, nonzero: number, alloc: (bytes: number) => number): Uint8Array {
    const c = glvWindowBits(n, nonzero);
    const halves = kernels.glvSplit(alloc, kernels.writeScalars(alloc, scalars), n);
    return kernels.msmPart('g1', pairs, halves, 2 * n, c, 0, scalarWindows(GLV_BITS, c));
  }

  /** {@link WasmEngine.groupedMsmPart}: the groups' sums (one affine addition per base), then their MSM. */
  function groupedMsmPart(group: GroupName, basesPtr: number, grouped: ScalarGroups): Uint8Array {
    const { groups, values } = grouped;
    const n = groups.length;
    return kernels.scratch((alloc) => {
      const groupsPtr = alloc(n * 4);
      new Uint32Array(kernels.exports.memory.buffer, groupsPtr, n).set(groups);
      const sums = alloc(values.length * BASE_BYTES[group]);
      kernels.exports[`${group}_groupSums`](sums, basesPtr, groupsPtr, n, values.length);
      return residentMsm(group, sums, values, values.length, values.length, undefined, alloc);
    });
  }

  function msmPoints<G extends GroupName>(group: G, points: readonly GroupPoint<G>[], scalars: readonly bigint[]): GroupPoint<G> {
    if (points.length !== scalars.length) throw new EngineError(`MSM of ${scalars.length} scalars over ${points.length} points`);
    const nonzero = checkScalars(scalars);
    const n = scalars.length;
    if (n === 0) return (group === 'g1' ? G1.ZERO : G2.ZERO) as GroupPoint<G>;
    return kernels.scratch((alloc) => {
      const bases = alloc(n * BASE_BYTES[group]);
      kernels.loadPointsAt(group, bases, points, alloc);
      return kernels.sumToPoint(group, [residentMsm(group, bases, scalars, n, nonzero, n >= SMALL_MSM_LIMIT ? shortScalars(scalars, plainWindowBits(n, nonzero)) : undefined, alloc)]);
    });
  }

  function fixedBase<G extends GroupName>(group: G, base: GroupPoint<G>, scalars: readonly bigint[]): GroupPoint<G>[] {
    checkScalars(scalars);
    if (base.is0() || scalars.length === 0) return scalars.map(() => (group === 'g1' ? G1.ZERO : G2.ZERO) as GroupPoint<G>);
    return kernels.fixedBase(group, base, scalars);
  }

  /** Persistent table ω^k (k < n/2) of the canonical root of order n = 2^log, or of its inverse. */
  function twiddleTable(log: number, inverse: boolean): number {
    const key = `${log}:${inverse}`;
    let ptr = twiddles.get(key);
    if (ptr !== undefined) return ptr;
    const half = (1 << log) >> 1;
    ptr = kernels.allocResident(Math.max(half, 1) * FR_BYTES);
    const root = rootOfUnity(1 << log);
    const table = ptr;
    kernels.scratch((alloc) => {
      const consts = frConstants(alloc, [1n, inverse ? Fr.inv(root) : root]);
      kernels.exports.fr_powers(table, consts, consts + FR_BYTES, half);
    });
    twiddles.set(key, ptr);
    return ptr;
  }

  /** Writes the integers `xs` taken mod r (canonical ones as they are) as consecutive words from `words`. */
  function writeFrWords(words: number, xs: readonly bigint[]): void {
    writeCoefficientWords(kernels.view(), words, xs);
  }

  /** Montgomery forms of the given integers (taken mod r), consecutive in scratch memory. */
  function frConstants(alloc: (bytes: number) => number, xs: readonly bigint[]): number {
    const words = alloc(xs.length * 32);
    writeFrWords(words, xs);
    const ptr = alloc(xs.length * FR_BYTES);
    kernels.exports.fr_fromWordsN(ptr, words, xs.length);
    return ptr;
  }

  /**
   * Runs `fn` on `values` in kernel memory and reads the vector back: in Montgomery form, or with `plain`
   * as plain limbs (enough for linear maps with Montgomery constants, such as the NTT).
   */
  function onFrVector(values: readonly bigint[], plain: boolean, fn: (a: number, alloc: (bytes: number) => number) => void, keep = false): bigint[] {
    const n = values.length;
    return kernels.scratch((alloc) => {
      const words = alloc(n * 32);
      const a = alloc(n * FR_BYTES);
      writeFrWords(words, values);
      (plain ? kernels.exports.fr_unpackN : kernels.exports.fr_fromWordsN)(a, words, n);
      fn(a, alloc);
      (plain ? kernels.exports.fr_packN : kernels.exports.fr_toWordsN)(words, a, n);
      const out = readWordsArray(kernels.view(), words, n);
      if (keep) keepWords(out, kernels.copyOut(words, n * 32));
      return out;
    });
  }

  /**
   * The pointwise factors of a transform of size n = 2^log with `shift` g, resident in Montgomery form: forward,
   * `g^i` (the coset shift: `f(g·ω^i) = Σ_j (f_j·g^j)·ω^(ij)`); inverse, `n^(−1)·g^(−i)` (undoing it and the
   * inverse NTT's factor n), a single `n^(−1)` (period 1) when g = 1 and a forward transform needs none. Kept per
   * size and direction for the last shift used (the quotient's cosets all use one), so a transform multiplies each
   * value once by a table entry instead of also stepping the power; at most 36·n bytes per size and direction,
   * twice the twiddles'.
   */
  function scaling(log: number, shift: bigint, inverse: boolean): { ptr: number; period: number } | undefined {
    if (shift === 1n && !inverse) return undefined;
    const n = 1 << log;
    const period = shift === 1n ? 1 : n;
    const key = `${log}:${inverse}:${period}`;
    const kept = scalings.get(key);
    if (kept !== undefined && kept.shift === shift) return { ptr: kept.ptr, period };
    const ptr = kept?.ptr ?? kernels.allocResident(period * FR_BYTES);
    const g = Fr.create(shift);
    const start = inverse ? Fr.inv(BigInt(n)) : 1n;
    kernels.scratch((alloc) => {
      const consts = frConstants(alloc, [start, inverse ? Fr.inv(g) : g]);
      kernels.exports.fr_powers(ptr, consts, consts + FR_BYTES, period);
    });
    scalings.set(key, { shift, ptr });
    return { ptr, period };
  }

  /**
   * Makes the twiddles and the scaling of a transform resident. Outside any scratch region: resident memory
   * allocated inside one would be released with it.
   */
  function prepareTransform(log: number, shift: bigint, inverse: boolean): void {
    twiddleTable(log, inverse);
    scaling(log, shift, inverse);
  }

  /**
   * The forward (coset) NTT or its inverse, in place on n = 2^log elements at `a`, its tables made resident by
   * {@link prepareTransform} beforehand. Every constant is in Montgomery form, so plain or Montgomery inputs stay
   * in their form. When the values from index `nonzero` on are zero (a zero-padded polynomial, or evaluations on H
   * whose last cells are padding), a forward transform shifts the first `nonzero` only (the inverse scales after the
   * transform, every value), and the transform skips the stages that only copy them (`fr_ntt`'s `nonzero`: below the
   * largest power of two lead ≤ nonzero, its first log2(n/lead) stages act on blocks holding one nonzero value, but
   * for the few that the values above lead share).
   */
  function transformAt(a: number, log: number, shift: bigint, inverse: boolean, nonzero = 1 << log): void {
    const n = 1 << log;
    const tw = twiddleTable(log, inverse);
    const scale = scaling(log, shift, inverse);
    if (!inverse && scale) kernels.exports.fr_mulPeriodic(a, nonzero, scale.ptr, scale.period);
    kernels.exports.fr_ntt(a, log, tw, nonzero);
    if (inverse && scale) kernels.exports.fr_mulPeriodic(a, n, scale.ptr, scale.period);
  }

  function transform(values: readonly bigint[], shift: bigint, inverse: boolean): bigint[] {
    const log = log2Exact(values.length);
    prepareTransform(log, shift, inverse);
    // Trailing zeros (a short polynomial, or padding cells at the end of H) let the transform skip stages.
    let nonzero = values.length;
    while (nonzero > 1 && values[nonzero - 1] === 0n) nonzero--;
    // Coefficients (an inverse transform's) keep their words, for the engine calls that read them again.
    return onFrVector(values, true, (a) => transformAt(a, log, shift, inverse, nonzero), inverse);
  }

  /**
   * {@link Engine.cosetIdentities} on the calling thread's kernels, the polynomials packed as words and the result
   * given as words (what a worker computes; {@link cosetIdentities} converts): each polynomial unpacked once in plain
   * form (its value's own limbs: no product by R² as a conversion to Montgomery form takes) and transformed in place on
   * its largest coset; per part, the values it reads gathered (every stride-th of a larger transform) into one block,
   * the identity evaluated along its terms' factor trie by `fr_productTrie` (./product-trie.ts, its coefficients
   * scaled for plain factors by `plainFactorProgram`, so its values are plain too), scaled by `fr_mulPeriodic`,
   * transformed back and added to the result, packed from plain form. Every constant of the linear steps (twiddles,
   * coset factors, 1/Z_H, combination weights) is in Montgomery form, which keeps a plain operand plain, and every
   * kernel takes the semi-reduced values the previous one leaves. With a point, `fr_horner` evaluates each
   * polynomial before its transform (a point in Montgomery form keeps the coefficients' form: plain values).
   *
   * Polynomials that one part alone reads, each only in terms of that single factor (`c·f`: the `−c` of `a·b − c`, a
   * logUp multiplicity), enter that part only through `Σ c·f`: they are combined in coefficient form (one product
   * per coefficient) and the combination is transformed once, as one more polynomial read by one term, instead of a
   * transform each (log m products per value). The identity's values are the same field elements.
   *
   * A piece of a split call (./coset-pieces.ts) reads a polynomial on the largest of its own parts, which may be
   * smaller than the polynomial: it is folded modulo `X^M − shift^M` first (`f = Σ_k X^(M·k)·f_k` agrees with
   * `Σ_k shift^(M·k)·f_k` on `shift·H_M`, the roots of `X^M − shift^M`, and so on every smaller coset read from it).
   * With `evaluates`, only those polynomials are evaluated at the point (the others' values are given as zero). A
   * derived linear form whose sources are evaluated too is valued from theirs (`linearFromSources`), not by Horner.
   * Derived polynomials (./derived.ts) that the piece reads or evaluates are formed first, in plain form from
   * their sources' words, and then taken like given ones: the calling thread sends only their records.
   */
  function cosetIdentitiesWords(shift: bigint, packed: PackedPolynomials, parts: readonly CosetPart[], point?: bigint, evaluates?: readonly number[]): CosetWords {
    const sizes = largestReaders(packed.lengths.length, parts);
    const lengths = packedLengths(packed);
    // Polynomial j's first coefficient in the packed words.
    const starts: number[] = [];
    packed.lengths.reduce((at, f) => (starts.push(at), at + f), 0);
    const total = Math.max(0, ...parts.map((p) => p.size));
    for (const m of new Set([...sizes.filter((M) => M > 0), ...parts.map((p) => p.size)])) {
      prepareTransform(log2Exact(m), shift, false);
      prepareTransform(log2Exact(m), shift, true);
    }
    return kernels.scratch((alloc) => {
      const longest = Math.max(total, lengths.length, ...lengths);
      const words = alloc(longest * 32);
      const evaluated = point === undefined ? undefined : { at: frConstants(alloc, [point]), values: alloc(lengths.length * FR_BYTES) };
      const combined = linearCombinations(lengths.length, parts);
      // The block of a polynomial that is not transformed (read by no part, or added to a combination), reused.
      const spare = evaluated || combined.size > 0 ? alloc(longest * FR_BYTES) : 0;
      // The part that reads a combined polynomial, and that part's combination: its block, coefficients so far.
      const sums = new Map<number, { block: number; length: number }>();
      const combinedInto = new Map<number, number>();
      for (const [p, weights] of combined) {
        const block = alloc(parts[p].size * FR_BYTES);
        new Uint8Array(kernels.exports.memory.buffer, block, parts[p].size * FR_BYTES).fill(0);
        sums.set(p, { block, length: 0 });
        for (const j of weights.keys()) combinedInto.set(j, p);
      }
      const evaluate = evaluated && (evaluates ? new Set(evaluates) : undefined);
      const evaluatedHere = (j: number) => evaluated !== undefined && (evaluate === undefined || evaluate.has(j));
      // Linear forms valued from their sources' values, after the others: no Horner over their coefficients.
      const fromSources = linearFromSources(packed, evaluatedHere);
      const horner = (j: number) => evaluatedHere(j) && !fromSources.has(j);
      const formed = formDerived(kernels, alloc, packed, lengths, starts, (j) => sizes[j] > 0 || horner(j));
      const transformed = sizes.map((M, j) => {
        const evaluateHere = horner(j);
        // A polynomial no part reads is converted only to be evaluated.
        if (M === 0 && !evaluateHere) return 0;
        const into = combinedInto.get(j);
        // Only the first |f_j| values are nonzero: they alone are converted and shifted (0 is all-zero limbs).
        const a = M === 0 || into !== undefined ? spare : alloc(Math.max(M, lengths[j]) * FR_BYTES);
        let length = lengths[j];
        const block = formed.get(j);
        if (block !== undefined) new Uint8Array(kernels.exports.memory.buffer).copyWithin(a, block, block + length * FR_BYTES);
        else {
          new Uint8Array(kernels.exports.memory.buffer, words, length * 32).set(packed.words.subarray(starts[j] * 32, (starts[j] + length) * 32));
          kernels.exports.fr_unpackN(a, words, length);
        }
        if (evaluateHere && evaluated) kernels.exports.fr_horner(evaluated.values + j * FR_BYTES, a, length, evaluated.at);
        if (M === 0) return 0;
        if (length > M) length = foldAt(alloc, a, length, M, shift);
        if (into !== undefined) {
          const sum = sums.get(into)!;
          kernels.exports.fr_mulPeriodic(a, length, frConstants(alloc, [combined.get(into)!.get(j)!]), 1);
          kernels.exports.fr_addTo(sum.block, a, length);
          sum.length = Math.max(sum.length, length);
          return 0;
        }
        new Uint8Array(kernels.exports.memory.buffer, a + length * FR_BYTES, (M - length) * FR_BYTES).fill(0);
        transformAt(a, log2Exact(M), shift, false, length);
        return a;
      });
      if (evaluated) writeLinearValues(kernels, alloc, packed, fromSources, evaluated.values);
      if (evaluated && evaluate) for (let j = 0; j < lengths.length; j++) if (!evaluate.has(j)) new Uint8Array(kernels.exports.memory.buffer, evaluated.values + j * FR_BYTES, FR_BYTES).fill(0);
      const values = evaluated ? plainWords(evaluated.values, lengths.length, words) : new Uint8Array(0);
      if (total === 0) return { coefficients: new Uint8Array(0), values };
      // Each combination becomes polynomial polys.length + k, read by its part's one new term.
      const readers = [...parts];
      for (const [p, { block, length }] of sums) {
        transformAt(block, log2Exact(parts[p].size), shift, false, length);
        const index = transformed.length;
        transformed.push(block);
        sizes.push(parts[p].size);
        const weights = combined.get(p)!;
        readers[p] = { ...parts[p], terms: [...parts[p].terms.filter((t) => !(t.factors.length === 1 && weights.has(t.factors[0]))), { coeff: 1n, factors: [index] }] };
      }
      const out = alloc(total * FR_BYTES);
      new Uint8Array(kernels.exports.memory.buffer, out, total * FR_BYTES).fill(0);
      for (const { size: m, terms, scale } of readers) {
        kernels.scratch((partAlloc) => {
          // The part's polynomials, renumbered in order of first use, each m values in one block.
          const local = new Map<number, number>();
          const renumbered = terms.map(({ coeff, factors }) => ({
            coeff,
            factors: factors.map((f) => {
              let i = local.get(f);
              if (i === undefined) local.set(f, (i = local.size));
              return i;
            }),
          }));
          const vecs = partAlloc(Math.max(local.size, 1) * m * FR_BYTES);
          for (const [f, i] of local) kernels.exports.fr_gather(vecs + i * m * FR_BYTES, transformed[f], m, sizes[f] / m);
          const program = plainFactorProgram(productTrieProgram(renumbered));
          const coeffs = frConstants(partAlloc, program.coeffs);
          const instructions = partAlloc(program.words.length * 4);
          new Uint32Array(kernels.exports.memory.buffer, instructions, program.words.length).set(program.words);
          const regs = partAlloc(program.registers * 3 * FR_BYTES);
          const p = partAlloc(m * FR_BYTES);
          kernels.exports.fr_productTrie(p, vecs, m, coeffs, instructions, program.words.length / 4, regs);
          kernels.exports.fr_mulPeriodic(p, m, frConstants(partAlloc, scale), scale.length);
          transformAt(p, log2Exact(m), shift, true);
          kernels.exports.fr_addTo(out, p, m);
        });
      }
      return { coefficients: plainWords(out, total, words), values };
    });
  }

  /**
   * The `length` elements at `a` (plain or Montgomery: the fold is linear with Montgomery constants) folded modulo
   * `X^M − shift^M` into the first M (`length > M`): block k of M coefficients (k ≥ 1) times `shift^(M·k)` added to
   * the first. Returns M, the folded length.
   */
  function foldAt(alloc: (bytes: number) => number, a: number, length: number, M: number, shift: bigint): number {
    const c = Fr.pow(Fr.create(shift), BigInt(M));
    let ck = 1n;
    for (let start = M; start < length; start += M) {
      ck = Fr.mul(ck, c);
      const count = Math.min(M, length - start);
      kernels.exports.fr_mulPeriodic(a + start * FR_BYTES, count, frConstants(alloc, [ck]), 1);
      kernels.exports.fr_addTo(a, a + start * FR_BYTES, count);
    }
    return M;
  }

  /**
   * {@link Engine.cosetIdentities}: on the workers when there is a pool and the largest coset has
   * {@link POOL_MIN_COSET} points or more, split into one piece per worker (./coset-pieces.ts: runs of terms, whose
   * results add up to the call's), so that a large domain does not run alone on one worker while the others wait,
   * and the quotients of a proof's domains, asked together, run side by side; else on the calling thread
   * ({@link cosetIdentitiesWords}). The polynomials are checked and packed here either way (once, every piece reading
   * the same shared words), so a misfit is refused on the calling thread, as the same {@link EngineError}.
   */
  async function cosetIdentities(shift: bigint, polys: readonly CosetPolynomial[], parts: readonly CosetPart[], point?: bigint): Promise<CosetIdentities> {
    largestReaders(polys.length, parts);
    polynomialLengths(polys);
    const packed = packPolynomials(polys, pool !== undefined);
    const total = Math.max(0, ...parts.map((p) => p.size));
    if (!pool || total < POOL_MIN_COSET) {
      const result = cosetIdentitiesWords(shift, packed, parts, point);
      return { coefficients: wordsToArray(result.coefficients), values: wordsToArray(result.values) };
    }
    const pieces = cosetPieces(polys.length, parts, pool.threads);
    const results = await Promise.all(pieces.map((piece) => pool.cosetIdentities({ kind: 'coset', shift, polys: packed, parts: piece.parts, point, evaluates: piece.evaluates })));
    const coefficients = new Array<bigint>(total).fill(0n);
    const values = new Array<bigint>(point === undefined ? 0 : polys.length);
    results.forEach((result, k) => {
      wordsToArray(result.coefficients).forEach((x, i) => (coefficients[i] = k === 0 ? x : Fr.add(coefficients[i], x)));
      if (point === undefined) return;
      const own = wordsToArray(result.values);
      for (const j of pieces[k].evaluates) values[j] = own[j];
    });
    return { coefficients, values };
  }

  /**
   * {@link Engine.transforms}: with a pool, each vector of {@link POOL_MIN_TRANSFORM} values or more as canonical words
   * on a worker (all in flight together), the others on the calling thread meanwhile.
   */
  async function transforms(vectors: readonly (readonly bigint[])[], { inverse = false, shift = 1n }: { inverse?: boolean; shift?: bigint } = {}): Promise<bigint[][]> {
    const pooled = vectors.map((v) => {
      if (!pool || v.length < POOL_MIN_TRANSFORM) return undefined;
      log2Exact(v.length);
      const { words } = packPolynomials([v], true);
      return pool.transform({ kind: 'transform', words: words.buffer as SharedArrayBuffer, inverse, shift }).then((out) => {
        const coeffs = wordsToArray(out);
        if (inverse) keepWords(coeffs, out);
        return coeffs;
      });
    });
    const local = vectors.map((v, j) => (pooled[j] ? undefined : transform(v, shift, inverse)));
    return Promise.all(vectors.map((_, j) => pooled[j] ?? local[j]!));
  }

  /**
   * The polynomials as canonical words ({@link PackedPolynomials}), in a SharedArrayBuffer when a worker may read them;
   * a derived one as its record, formed where the call runs.
   */
  function packPolynomials(polys: readonly CosetPolynomial[], shared: boolean): PackedPolynomials {
    const lengths = polys.map((f) => (isDerived(f) ? 0 : f.length));
    const bytes = 32 * lengths.reduce((a, b) => a + b, 0);
    const words = new Uint8Array(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
    const view = new DataView(words.buffer);
    let at = 0;
    for (const f of polys) {
      if (isDerived(f)) continue;
      writeCoefficientWords(view, at * 32, f);
      at += f.length;
    }
    return polys.some(isDerived) ? { words, lengths, derived: polys.map((f) => (isDerived(f) ? f : undefined)) } : { words, lengths };
  }

  /** The integers of consecutive 32-byte words. */
  function wordsToArray(words: Uint8Array): bigint[] {
    return readWordsArray(new DataView(words.buffer, words.byteOffset, words.byteLength), 0, words.length / 32);
  }

  /**
   * The polynomials worth combining, by the part that reads them: for part p, each polynomial j that only p reads and
   * only in terms `c·f_j` of that one factor, with `Σ c` over those terms (mod r); only parts with two or more of them.
   */
  function linearCombinations(count: number, parts: readonly CosetPart[]): Map<number, Map<number, bigint>> {
    const alone = readAlone(count, parts);
    const out = new Map<number, Map<number, bigint>>();
    parts.forEach((part, p) => {
      const weights = new Map<number, bigint>();
      for (const t of part.terms) if (t.factors.length === 1 && alone[t.factors[0]]) weights.set(t.factors[0], ((weights.get(t.factors[0]) ?? 0n) + t.coeff) % R);
      if (weights.size >= 2) out.set(p, weights);
    });
    return out;
  }

  /** The `count` plain elements at `a` as canonical words, through the scratch words at `words` (room for `count`). */
  function plainWords(a: number, count: number, words: number): Uint8Array {
    kernels.exports.fr_packN(words, a, count);
    return kernels.copyOut(words, count * 32);
  }

  /**
   * {@link Engine.linearCombination} on the kernels: each polynomial's words (copied where they are kept) unpacked as
   * plain limbs, times its scalar in Montgomery form (which keeps them plain), added up and packed; the result keeps
   * its words.
   */
  function linearCombination(polys: readonly (readonly bigint[])[], scalars: readonly bigint[]): readonly bigint[] {
    if (polys.length !== scalars.length) throw new EngineError(`linearCombination: ${polys.length} polynomials but ${scalars.length} scalars`);
    const length = Math.max(0, ...polys.map((f) => f.length));
    return kernels.scratch((alloc) => {
      const words = alloc(Math.max(length, 1) * 32);
      const sum = alloc(Math.max(length, 1) * FR_BYTES);
      const term = alloc(Math.max(length, 1) * FR_BYTES);
      new Uint8Array(kernels.exports.memory.buffer, sum, length * FR_BYTES).fill(0);
      polys.forEach((f, i) => {
        const scalar = Fr.create(scalars[i]);
        if (scalar === 0n || f.length === 0) return;
        writeFrWords(words, f);
        kernels.exports.fr_unpackN(term, words, f.length);
        if (scalar !== 1n) kernels.exports.fr_mulPeriodic(term, f.length, frConstants(alloc, [scalar]), 1);
        kernels.exports.fr_addTo(sum, term, f.length);
      });
      kernels.exports.fr_packN(words, sum, length);
      const out = readWordsArray(kernels.view(), words, length);
      keepWords(out, kernels.copyOut(words, length * 32));
      return Object.freeze(out);
    });
  }

  /** {@link Engine.evaluateAt} on the kernels: plain coefficients, z in Montgomery form, `fr_horner` per polynomial. */
  function evaluateAt(polys: readonly (readonly bigint[])[], z: bigint): bigint[] {
    if (polys.length === 0) return [];
    const longest = Math.max(1, ...polys.map((f) => f.length));
    return kernels.scratch((alloc) => {
      const point = frConstants(alloc, [Fr.create(z)]);
      const words = alloc(longest * 32);
      const a = alloc(longest * FR_BYTES);
      const out = alloc(polys.length * FR_BYTES);
      polys.forEach((f, j) => {
        writeFrWords(words, f);
        kernels.exports.fr_unpackN(a, words, f.length);
        kernels.exports.fr_horner(out + j * FR_BYTES, a, f.length, point);
      });
      const result = alloc(polys.length * 32);
      kernels.exports.fr_packN(result, out, polys.length);
      return readWordsArray(kernels.view(), result, polys.length);
    });
  }

  function transformWords(words: Uint8Array, shift: bigint, inverse: boolean): Uint8Array {
    if (words.length % 32 !== 0) throw new EngineError('NTT words must hold 32 bytes per element');
    const n = words.length / 32;
    const log = log2Exact(n);
    prepareTransform(log, shift, inverse);
    // Trailing zero words let the transform skip stages, as in transform().
    let zeroBytes = 0;
    while (zeroBytes < words.length - 32 && words[words.length - 1 - zeroBytes] === 0) zeroBytes++;
    const nonzero = n - Math.floor(zeroBytes / 32);
    return kernels.scratch((alloc) => {
      const w = kernels.placeScalarWords(alloc, words);
      const a = alloc(n * FR_BYTES);
      kernels.exports.fr_unpackN(a, w, n);
      transformAt(a, log, shift, inverse, nonzero);
      kernels.exports.fr_packN(w, a, n);
      return kernels.copyOut(w, words.length);
    });
  }

  const engine: WasmEngine = {
    name: 'wasm',
    workers: threads,
    kernels,
    get stats() {
      return stats;
    },
    resetStats() {
      stats = emptyStats();
    },
    async loadG1Bases(points) {
      const id = load('g1', points);
      return { kind: 'g1', id, length: points.length } satisfies G1Bases;
    },
    async loadG2Bases(points) {
      const id = load('g2', points);
      return { kind: 'g2', id, length: points.length } satisfies G2Bases;
    },
    async msmG1(bases, scalars, offset = 0) {
      stats.msmG1++;
      return msmResident('g1', bases.id, scalars, offset);
    },
    async msmG2(bases, scalars, offset = 0) {
      stats.msmG2++;
      return msmResident('g2', bases.id, scalars, offset);
    },
    async msmG1Points(points, scalars) {
      stats.msmG1++;
      return msmPoints('g1', points, scalars);
    },
    async msmG2Points(points, scalars) {
      stats.msmG2++;
      return msmPoints('g2', points, scalars);
    },
    combineG1: async (points, combinations) => combineG1Wasm(kernels, points, combinations),
    fixedBaseG1: async (base, scalars) => fixedBase('g1', base, scalars),
    fixedBaseG2: async (base, scalars) => fixedBase('g2', base, scalars),
    rangeKBasisG1: (powers, options) => rangeKBasisWasm({ kernels, pool: powers.length >= RANGE_POOL_MIN_POINTS ? pool : undefined, engine }, powers, options),
    ntt: (values, shift = 1n) => transform(values, shift, false),
    intt: (values, shift = 1n) => transform(values, shift, true),
    nttWords: (words, { inverse = false, shift = 1n } = {}) => transformWords(words, shift, inverse),
    transforms,
    cosetIdentities,
    cosetIdentitiesWords,
    groupedMsmPart,
    linearCombination,
    evaluateAt,
    batchInvert: (values) => (values.length === 0 ? [] : onFrVector(values, false, (a) => kernels.exports.fr_batchInv(a, a, values.length))),
    barycentricSum: barycentricSums(kernels),
    frProgram: (program, inputs) => runFrProgramWasm(kernels, program, inputs),
    multiPairing: (terms) => multiPairingWasm(kernels, terms, stats),
    async close() {
      resident.clear();
      await pool?.destroy();
    },
  };
  return engine;
}
