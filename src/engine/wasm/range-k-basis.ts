/**
 * `Engine.rangeKBasisG1` on the WebAssembly kernels: `[K_v(τ)]₁` for v < n, `K_v = Z_S/(X − v)`, `S = {0, …, n − 1}`,
 * from the points `P_i = [τ^i]₁` (i < n) alone, in O(n·log² n) group operations.
 *
 * **Newton form.** K_v vanishes on S except at v, so its forward differences at 0 give its expansion on the falling
 * factorials `F_k(X) = X(X − 1)···(X − k + 1)`: `K_v = (−1)^(n−1−v)·(n−1−v)!·Σ_(k≥v) ((−1)^(k−v)/(k−v)!)·F_k`. With
 * `y_k = [F_k(τ)]₁`, `[K_v(τ)]₁ = (−1)^(n−1−v)·(n−1−v)!·Σ_(t<n−v) ((−1)^t/t!)·y_(v+t)`: a correlation, computed as a
 * cyclic convolution of size 2n (y padded with n points at infinity, so nothing wraps), that is a transform of the
 * points, a pointwise product with the filter's transform and a transform back, then n multiplications.
 *
 * **The falling factorials** come from the points by a tree of middle products. With the functional
 * `ℓ_a(f) = [F_a(τ)·f(τ)]₁` (so `ℓ_0(X^i) = P_i`), a node `[a, a + m)` holds `ℓ_a(X^i)` for i < m. Its left child
 * `[a, a + m/2)` keeps the first half; its right child `[a + m/2, a + m)` needs `ℓ_(a+m/2)(X^i) = ℓ_a(g·X^i) =
 * Σ_t g_t·ℓ_a(X^(i+t))` for i < m/2, with `g = (X − a)(X − a − 1)···(X − a − m/2 + 1)`: a middle product, the upper
 * half of the cyclic convolution of size m of the node with g's reversed coefficients (the wrapped terms fall in the
 * lower half, which is dropped). The leaf `[c, c + 1)` holds `ℓ_c(1) = y_c`. A level is two transforms of size m per
 * node, about n·log m multiplications by roots of unity; blocks of L = 128 points are finished instead by the
 * recursion `ℓ(X^i·(X − c)) = ℓ(X^(i+1)) − c·ℓ(X^i)` (L²/2 multiplications by integers below n, a few doublings
 * each), which is cheaper there. The scalar side (g's transforms, the filter's) is computed in Fr once per call.
 *
 * **Threads.** Every level of the tree is one {@link G1Step} on the whole vector, whose nodes are its blocks, and any
 * range of whole blocks can go to a worker. Each round of work is split into at least {@link PARTS} tasks (the
 * workers run them side by side; the calling thread alone runs them one by one, reporting progress between them):
 * a transform of fewer blocks than that is split inside, its first stages (and, backwards, its last) by pairs of
 * points, the rest by sub-blocks. The points are exact group elements, so any split gives the same ones.
 * @module
 */
import type { G1Point } from '../../curve';
import { EngineError } from '../../errors';
import { batchInvertFr, Fr } from '../../field';
import { fallingFactorial } from '../../poly/falling';
import { mul, padTo } from '../../poly/polynomial';
import { log2Exact } from '../../poly/roots';
import type { Engine } from '../engine';
import { writeWordsArray } from './codec';
import { JACOBIAN_BYTES, runSteps, type G1Step } from './g1-steps';
import { BASE_BYTES, FIELD_BYTES, type Kernels } from './kernels';
import type { EnginePool } from '#engine-pool';

/**
 * log2 of the blocks the tree hands to the direct recursion ({@link G1Step} `leaves`): measured per 2,048 points (one
 * thread), leaves of 128 cost 1.7 s and a tree level of 256 1.4 s, leaves of 256 3.4 s, leaves of 64 0.85 s and a
 * level of 128 1.2 s, so blocks of 128 are the cheapest.
 */
export const LEAF_LOG = 7;

/**
 * The engine hands the computation to its workers from this many points on; below, the calling thread is quicker (n =
 * 256: 1.4 s alone, 3.1 s with 2 workers, which then have to start and be sent every round's points).
 */
export const POOL_MIN_POINTS = 1 << 12;

/** Each round of work is split into at least this many tasks, so the calling thread alone reports progress within it. */
const PARTS = 8;

/** What the computation runs on: the calling thread's kernels, the engine's workers if any, and the engine for Fr. */
export interface RangeKBasisContext {
  readonly kernels: Kernels;
  readonly pool: EnginePool | undefined;
  /** Polynomial products and transforms over Fr (the engine the method belongs to). */
  readonly engine: Engine;
}

/** Options of {@link rangeKBasisWasm}. */
export interface RangeKBasisOptions {
  /** Called after each task with the work done and the total (estimated group multiplications). */
  readonly onProgress?: (done: number, total: number) => void;
  /** log2 of the leaf blocks (default {@link LEAF_LOG}); a test lowers it to run the tree on a small n. */
  readonly leafLog?: number;
}

/** A unit of work: a program on some points, and its estimated cost. */
interface Task {
  readonly points: Uint8Array;
  readonly steps: readonly G1Step[];
  readonly cost: number;
}

/** `[K_v(τ)]₁` for v < n = powers.length (a power of two) from `powers[i] = [τ^i]₁` (the module comment gives the algorithm). */
export async function rangeKBasisWasm(ctx: RangeKBasisContext, powers: readonly G1Point[], options: RangeKBasisOptions = {}): Promise<G1Point[]> {
  const n = powers.length;
  const log = log2Exact(n);
  const leafLog = Math.min(log, options.leafLog ?? LEAF_LOG);
  if (!Number.isInteger(leafLog) || leafLog < 0) throw new EngineError(`leafLog must be a non-negative integer, got ${options.leafLog}`);
  const plan = planScalars(n, leafLog, ctx.engine);
  const parts = Math.max(PARTS, ctx.pool?.threads ?? 0);
  const progress = progressOf(n, log, leafLog, options.onProgress);
  const run = runner(ctx, progress);

  let vector = toJacobian(ctx.kernels, powers);
  for (let m = log; m > leafLog; m--) vector = await treeLevel(run, vector, m, plan.levels.get(m)!, parts);
  vector = await blockRound(run, vector, leafLog, parts, (first) => [{ op: 'leaves', log: leafLog, first }], (count) => leavesCost(count, leafLog));
  // Zero bytes are a Jacobian point with Z = 0: the padding at infinity.
  const padded = new Uint8Array(2 * vector.length);
  padded.set(vector);
  const convolved = await transformRound(run, padded, log + 1, plan.filter, parts);
  const scaled = await blockRound(run, convolved.slice(0, vector.length), 0, parts, (first, count) => [{ op: 'scale', scalars: plan.outputScale.slice(32 * first, 32 * (first + count)) }], (count) => count);
  return toPoints(ctx.kernels, scaled);
}

/** The scalar side of the computation, as canonical words: each tree level's factors, the filter's, the outputs'. */
interface ScalarPlan {
  /** By log m: for every block [a, a + m), the transform (bit-reversed, over m) of g's reversed coefficients. */
  readonly levels: Map<number, Uint8Array>;
  /** The transform (bit-reversed, over 2n) of the correlation's filter (−1)^t/t! at −t mod 2n. */
  readonly filter: Uint8Array;
  /** `(−1)^(n−1−v)·(n−1−v)!` for v < n. */
  readonly outputScale: Uint8Array;
}

/** The {@link ScalarPlan} of n points with leaves of 2^leafLog, over Fr with `engine`'s products and transforms. */
function planScalars(n: number, leafLog: number, engine: Engine): ScalarPlan {
  const factorials = [1n];
  for (let i = 1; i <= n; i++) factorials.push(Fr.mul(factorials[i - 1], BigInt(i)));
  const inverseFactorials = batchInvertFr(factorials);
  const levels = new Map<number, Uint8Array>();
  // fallingFrom0 = (X)(X − 1)···(X − h + 1), h = m/2, kept from level to level.
  let h = 1 << leafLog;
  let fallingFrom0 = fallingFactorial(h, engine);
  for (let m = 2 * h, log = leafLog + 1; m <= n; m *= 2, log++, h *= 2) {
    if (m > 2 << leafLog) fallingFrom0 = mul(fallingFrom0, taylorShift(fallingFrom0, -BigInt(h / 2), factorials, inverseFactorials, engine), engine);
    const factors = new Array<bigint>(n);
    const scale = Fr.inv(BigInt(m));
    for (let a = 0; a < n; a += m) {
      const g = a === 0 ? fallingFrom0 : taylorShift(fallingFrom0, -BigInt(a), factorials, inverseFactorials, engine);
      const values = engine.ntt(padTo(g.slice().reverse(), m));
      for (let i = 0; i < m; i++) factors[a + i] = Fr.mul(values[bitReverse(i, log)], scale);
    }
    levels.set(log, words(factors));
  }
  const size = 2 * n;
  const filter = new Array<bigint>(size).fill(0n);
  for (let t = 0; t < n; t++) filter[(size - t) % size] = t % 2 === 0 ? inverseFactorials[t] : Fr.neg(inverseFactorials[t]);
  const filterValues = engine.ntt(filter);
  const filterScale = Fr.inv(BigInt(size));
  const filterLog = log2Exact(size);
  return {
    levels,
    filter: words(filterValues.map((_, i) => Fr.mul(filterValues[bitReverse(i, filterLog)], filterScale))),
    outputScale: words(Array.from({ length: n }, (_, v) => ((n - 1 - v) % 2 === 0 ? factorials[n - 1 - v] : Fr.neg(factorials[n - 1 - v])))),
  };
}

/**
 * f(X + c): coefficient j is `(1/j!)·Σ_(k≥j) (k!·f_k)·(c^(k−j)/(k−j)!)`, a correlation of `k!·f_k` with `c^t/t!`,
 * computed as one product with the reversed sequence.
 */
function taylorShift(f: readonly bigint[], c: bigint, factorials: readonly bigint[], inverseFactorials: readonly bigint[], engine: Engine): bigint[] {
  const d = f.length - 1;
  const cMod = Fr.create(c);
  const reversed = Array.from({ length: d + 1 }, (_, i) => Fr.mul(factorials[d - i], f[d - i]));
  const exponential = new Array<bigint>(d + 1);
  for (let t = 0, power = 1n; t <= d; t++, power = Fr.mul(power, cMod)) exponential[t] = Fr.mul(power, inverseFactorials[t]);
  const product = mul(reversed, exponential, engine);
  return Array.from({ length: d + 1 }, (_, j) => Fr.mul(product[d - j], inverseFactorials[j]));
}

function bitReverse(i: number, bits: number): number {
  let r = 0;
  for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
  return r;
}

/** Canonical scalars as 32-byte little-endian words. */
function words(xs: readonly bigint[]): Uint8Array {
  const out = new Uint8Array(32 * xs.length);
  writeWordsArray(new DataView(out.buffer), 0, xs);
  return out;
}

/** The n points as Jacobian bytes of the kernels. */
function toJacobian(kernels: Kernels, points: readonly G1Point[]): Uint8Array {
  return kernels.scratch((alloc) => {
    const records = alloc(points.length * BASE_BYTES.g1);
    kernels.loadPointsAt('g1', records, points, alloc);
    const out = alloc(points.length * JACOBIAN_BYTES);
    kernels.exports.g1_basesToJacobian(out, records, points.length);
    return kernels.copyOut(out, points.length * JACOBIAN_BYTES);
  });
}

/** Jacobian bytes as noble points. */
function toPoints(kernels: Kernels, bytes: Uint8Array): G1Point[] {
  const n = bytes.length / JACOBIAN_BYTES;
  return kernels.scratch((alloc) => {
    const jac = alloc(bytes.length);
    new Uint8Array(kernels.exports.memory.buffer, jac, bytes.length).set(bytes);
    const affine = alloc(n * 2 * FIELD_BYTES.g1);
    kernels.exports.g1_batchToAffine(affine, jac, n);
    return kernels.readAffine('g1', alloc, affine, n);
  });
}

/** Runs a round of tasks (on the workers side by side, or here one by one): the points each ends as. */
type Runner = (tasks: readonly Task[]) => Promise<Uint8Array[]>;

function runner(ctx: RangeKBasisContext, progress: (cost: number) => void): Runner {
  const { kernels, pool } = ctx;
  if (pool)
    return (tasks) =>
      Promise.all(
        tasks.map(async (task) => {
          const points = await pool.g1Steps({ kind: 'g1Steps', points: task.points, steps: task.steps });
          progress(task.cost);
          return points;
        }),
      );
  return async (tasks) => {
    const out: Uint8Array[] = [];
    for (const task of tasks) {
      // A turn of the event loop between tasks, so that a progress bar is drawn.
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      out.push(runSteps(kernels, task.points, task.steps));
      progress(task.cost);
    }
    return out;
  };
}

/** A copy of the points [from, from + count) of a vector (a task's own buffer, what a worker is sent). */
const pointsOf = (vector: Uint8Array, from: number, count: number): Uint8Array => vector.slice(from * JACOBIAN_BYTES, (from + count) * JACOBIAN_BYTES);

/** Ranges [first, first + count) of whole blocks of 2^log points over n points, at most `parts` of them, as even as possible. */
function blockRanges(n: number, log: number, parts: number): [number, number][] {
  const blocks = n >> log;
  const count = Math.min(parts, blocks);
  return Array.from({ length: count }, (_, i) => {
    const from = Math.floor((i * blocks) / count);
    const to = Math.floor(((i + 1) * blocks) / count);
    return [from << log, (to - from) << log];
  });
}

/** One step per range of whole blocks: `steps(first, count)` for the points [first, first + count). */
async function blockRound(
  run: Runner,
  vector: Uint8Array,
  log: number,
  parts: number,
  steps: (first: number, count: number) => G1Step[],
  cost: (count: number) => number,
): Promise<Uint8Array> {
  const n = vector.length / JACOBIAN_BYTES;
  const ranges = blockRanges(n, log, parts);
  const results = await run(ranges.map(([first, count]) => ({ points: pointsOf(vector, first, count), steps: steps(first, count), cost: cost(count) })));
  const out = new Uint8Array(vector.length);
  results.forEach((points, i) => out.set(points, ranges[i][0] * JACOBIAN_BYTES));
  return out;
}

/**
 * The forward transform of every block of 2^log points, the pointwise product with `scalars` (canonical words, one per
 * point) and the transform back (`dif`, `scale`, `dit` of {@link G1Step}), in at least `parts` tasks per round.
 */
async function transformRound(run: Runner, vector: Uint8Array, log: number, scalars: Uint8Array, parts: number): Promise<Uint8Array> {
  const n = vector.length / JACOBIAN_BYTES;
  let split = 0;
  while (split < log && n >> (log - split) < parts) split++;
  let data = vector;
  for (let s = 0; s < split; s++) data = await butterflyRound(run, data, log - s, parts, true);
  const inner = log - split;
  data = await blockRound(
    run,
    data,
    inner,
    parts,
    (first, count) => [{ op: 'dif', log: inner }, { op: 'scale', scalars: scalars.slice(32 * first, 32 * (first + count)) }, { op: 'dit', log: inner }],
    (count) => count * (inner + 1),
  );
  for (let s = split - 1; s >= 0; s--) data = await butterflyRound(run, data, log - s, parts, false);
  return data;
}

/** One stage of a transform of size 2^log on every block: its pairs (j, j + half) split into at least `parts` tasks. */
async function butterflyRound(run: Runner, vector: Uint8Array, log: number, parts: number, dif: boolean): Promise<Uint8Array> {
  const n = vector.length / JACOBIAN_BYTES;
  const half = 1 << (log - 1);
  const blocks = n >> log;
  const pieces = Math.min(half, Math.ceil(parts / blocks));
  const tasks: Task[] = [];
  const where: [number, number, number][] = [];
  for (let b = 0; b < blocks; b++) {
    for (let p = 0; p < pieces; p++) {
      const from = Math.floor((p * half) / pieces);
      const count = Math.floor(((p + 1) * half) / pieces) - from;
      const u = (b << log) + from;
      const points = new Uint8Array(2 * count * JACOBIAN_BYTES);
      points.set(pointsOf(vector, u, count));
      points.set(pointsOf(vector, u + half, count), count * JACOBIAN_BYTES);
      tasks.push({ points, steps: [{ op: 'butterflies', log, first: from, dif }], cost: count });
      where.push([u, u + half, count]);
    }
  }
  const results = await run(tasks);
  const out = vector.slice();
  results.forEach((points, i) => {
    const [u, v, count] = where[i];
    out.set(points.subarray(0, count * JACOBIAN_BYTES), u * JACOBIAN_BYTES);
    out.set(points.subarray(count * JACOBIAN_BYTES), v * JACOBIAN_BYTES);
  });
  return out;
}

/** A level of the tree (blocks of 2^log points): each block's upper half replaced by its middle product's. */
async function treeLevel(run: Runner, vector: Uint8Array, log: number, scalars: Uint8Array, parts: number): Promise<Uint8Array> {
  const n = vector.length / JACOBIAN_BYTES;
  if (n >> log >= parts)
    return blockRound(run, vector, log, parts, (first, count) => [{ op: 'level', log, scalars: scalars.slice(32 * first, 32 * (first + count)) }], (count) => count * (log + 1));
  const product = await transformRound(run, vector, log, scalars, parts);
  const out = vector.slice();
  const m = 1 << log;
  for (let a = 0; a < n; a += m) out.set(pointsOf(product, a + m / 2, m / 2), (a + m / 2) * JACOBIAN_BYTES);
  return out;
}

/** Estimated cost of the leaves of `count` points (multiplications by integers below 2^16, about an eighth of a full one each). */
function leavesCost(count: number, leafLog: number): number {
  return (count * (1 << leafLog)) / 16;
}

/** A progress counter over the estimated total of a computation of size n. */
function progressOf(n: number, log: number, leafLog: number, onProgress?: (done: number, total: number) => void): (cost: number) => void {
  let total = leavesCost(n, leafLog) + 2 * n * (log + 2) + n;
  for (let m = log; m > leafLog; m--) total += n * (m + 1);
  let done = 0;
  return (cost) => {
    done = Math.min(total, done + cost);
    onProgress?.(done, total);
  };
}

