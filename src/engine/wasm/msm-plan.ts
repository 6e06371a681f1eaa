/**
 * Parameters of the MSMs: Straus below a size and its table width; for Pippenger the window width for
 * a size, the number of signed windows, and the split of the windows between workers; the grouping of repeated
 * scalars; the shifted tables of a resident set (rows `2^(c·w)·P_i`, so that all windows of an MSM share one set of
 * buckets) and when building them pays.
 * @module
 */

/**
 * Below this many points an MSM uses Straus (per-point tables, shared doublings): Pippenger's batch
 * inversions, one per round of additions shared by all its windows (wasm/msm kernels), cost more than they
 * save on a few points (crossover measured near 16 points).
 */
export const SMALL_MSM_LIMIT = 16;

/**
 * Resident sets of at most this many bases get window tables when loaded (all their multiples d·2^(c·w)·P): the
 * blinding bases `[τ^(n+j)]₁ − [τ^j]₁` of a key, a few points that every blinded commitment runs an MSM on.
 */
export const TABLE_MAX_POINTS = 4;

/**
 * Window width of those tables: 2^(c−1) multiples per window and base (c = 6: 43 windows of 32, 149 kB per G1 base,
 * built in about a millisecond), so an MSM costs 43 mixed additions per point instead of Straus's 255 doublings.
 */
export const TABLE_BITS = 6;

/** Table width c for Straus on n points: tables of 2^(c−1) multiples per point against ⌈255/c⌉ windows. */
export function strausWindowBits(n: number): number {
  return n <= 4 ? 3 : n <= 32 ? 4 : 5;
}

/**
 * Window width c for an MSM of n points: about log2(n) − 2 (buckets 2^(c−1) ≈ n/8), tuned with bench/engine.ts
 * once the windows shared their rounds of batch-affine additions (one window more than before paid off).
 */
export function windowBits(n: number): number {
  const log = Math.round(Math.log2(Math.max(n, 1)));
  return Math.max(2, Math.min(16, log - 2));
}

/**
 * The window width of a plain MSM of n scalars of which `nonzero` are not 0: as wide as the points it adds call for
 * (a helper's or a running sum's zero cells add nothing), but no narrower than n/256 points would call for, since every
 * window still scans all n digits: a few nonzero scalars among 2^16 would otherwise run c = 2, 128 windows of n digits.
 * (Over resident bases, a few nonzero scalars run over their own bases alone, {@link gathersNonzero}.)
 */
export function plainWindowBits(n: number, nonzero: number): number {
  return windowBits(Math.max(nonzero, n >> 8));
}

/**
 * Whether an MSM of n scalars over resident bases, `nonzero` of them not 0, runs over the bases of its nonzero terms
 * alone, copied out of the set: `Σ_i s_i·P_i = Σ_(s_i ≠ 0) s_i·P_i`, the same point. Over the whole range every
 * window scans all n digits and a GLV MSM splits all n scalars, so a few nonzero scalars among thousands (a logUp
 * helper's Lagrange values, the range table's counts and quotient) cost about what n points' windows cost (4,096
 * scalars of which 16 full-width: 5 ms, gathered 0.9 ms); gathered they cost what an MSM of their terms costs, plus
 * one copy of their bases. From n/{@link GATHER_MIN_SPARSITY} nonzero scalars on the two are even (measured at
 * 4,096 and 2^16 points). Below {@link SMALL_MSM_LIMIT} scalars Straus runs, which scans no windows.
 */
export function gathersNonzero(n: number, nonzero: number): boolean {
  return n >= SMALL_MSM_LIMIT && nonzero * GATHER_MIN_SPARSITY <= n;
}

/** An MSM over resident bases gathers its nonzero terms when at most 1/GATHER_MIN_SPARSITY of its scalars are nonzero ({@link gathersNonzero}). */
export const GATHER_MIN_SPARSITY = 2;

/**
 * Full-width G1 MSMs of this many scalars or more run on GLV halves (./glv.ts): 2n scalars below 2^127 over the
 * bases and their images φ(P_i). Every Pippenger MSM gains (bench/msm-glv.ts, CPU: n = 16 −38 %, 64 −20 %, 256
 * −16 %, 1,024 −11 %, 2^14 −7 %: the fewer the points, the larger the share of the bucket reductions it halves);
 * below it Straus runs (`msmSmall`, its own tables on all 255 bits).
 */
export const GLV_MIN_POINTS = SMALL_MSM_LIMIT;

/**
 * Window width of a GLV MSM of n scalars of which `nonzero` are not 0: that of a plain MSM of its 2n halves
 * ({@link plainWindowBits}), one bit wider than the full scalars' since only half as many windows pay a bucket
 * reduction. Measured with 2^10, 2^12, 2^14 points: one bit narrower or wider is as fast or slower.
 */
export function glvWindowBits(n: number, nonzero: number): number {
  return plainWindowBits(2 * n, 2 * nonzero);
}

/** Number of signed c-bit windows covering scalars below 2^254 with the top digit's carry: ceil(255/c). */
export function windowCount(c: number): number {
  return Math.ceil(255 / c);
}

/**
 * Shifted tables (rows 2^(c·w)·P_i of a resident set, wasm `shiftTables`) may be kept for G1 sets of this many bases or
 * more: from {@link SMALL_MSM_LIMIT} on, where Straus stops. A small set's plain MSM affords only narrow windows, each
 * reducing its own buckets (n = 32 full-width scalars: 64 GLV halves on 32 windows of 4 bits, 2,560 additions); over
 * the tables all windows share one set of buckets, so 8-bit windows pay (32 × 32 digits and one reduction of 128
 * buckets, 1,280): full-width MSMs over 16, 32, 64 and 128 bases 0.77 → 0.44, 1.09 → 0.64, 1.67 → 0.95 and
 * 2.77 → 1.61 ms once built (one thread, timed alone). The tables of such a set cost c·⌈255/c⌉ doublings a base
 * (a few milliseconds) and under a megabyte, and the rental ({@link shiftedPlan}) builds them only for sets whose
 * MSMs they speed up (an encoder layer's helpers and running sums on H_32: about a dozen full-width MSMs per layer and
 * proof).
 */
export const SHIFT_MIN_POINTS = SMALL_MSM_LIMIT;

/**
 * Nor for sets above this many bases: their MSMs gain least (2^14 points: 165 → 134 ms, the tables outgrow the caches)
 * and their tables cost most (2^15 bases: 60 MB, and 3.5 s of CPU at the CNN's 21st proof).
 */
export const SHIFT_MAX_POINTS = 1 << 14;

/**
 * Window width of a set's shifted tables by its size N: the c for which an MSM of N points over them costs least
 * ({@link shiftedMsmCost}). Every window shares one set of 2^(c−1) buckets, so c is wider than a plain MSM's (N = 256:
 * 10 against 6; N = 4,096: 13 against 10; N = 2^15: 15 against 13).
 */
export function shiftBits(points: number): number {
  let best = 2;
  for (let c = 3; c <= 16; c++) if (shiftedMsmCost(points, windowCount(c), c) < shiftedMsmCost(points, windowCount(best), best)) best = c;
  return best;
}

/** Signed c-bit windows covering a scalar of `bits` bits, its top digit's carry included: ⌈(bits + 1)/c⌉ (at least 1). */
export function scalarWindows(bits: number, c: number): number {
  return Math.max(1, Math.ceil((bits + 1) / c));
}

/**
 * The additions of a plain Pippenger MSM of n points on `windows` windows of c bits (wasm `msm`): every window adds
 * its n points into 2^(c−1) buckets, then reduces the buckets with about two additions each.
 */
export function plainMsmCost(n: number, windows: number, c: number): number {
  return windows * (n + 2 ** c);
}

/** The additions of an MSM over shifted tables (wasm `msmShifted`): n·windows points into one set of buckets, one reduction. */
export function shiftedMsmCost(n: number, windows: number, c: number): number {
  return n * windows + 2 ** c;
}

/** The doublings that build the shifted tables of N bases (c per row after the first), each about one addition. */
export function shiftBuildCost(points: number, c: number): number {
  return points * (windowCount(c) - 1) * c;
}

/** The shifted tables of one resident set: their width, the additions its MSMs forwent without them, whether they are built. */
export interface ShiftRental {
  readonly points: number;
  readonly c: number;
  forgone: number;
  built: boolean;
}

/** A set's {@link ShiftRental} when it is large enough for shifted tables to pay (G1 sets only: the G2 MSMs are a few points). */
export function shiftRental(points: number): ShiftRental | undefined {
  return points >= SHIFT_MIN_POINTS && points <= SHIFT_MAX_POINTS ? { points, c: shiftBits(points), forgone: 0, built: false } : undefined;
}

/**
 * Whether an MSM over a set, of n nonzero scalars, reads the set's shifted tables, and on how many windows (`build`:
 * build them first), or undefined to run it plain on `windows` c-bit windows; `bits` is the width of short scalars,
 * undefined for full-width ones. Over the tables it costs n·w additions into one set of buckets against a plain MSM's w
 * reductions of 2^(c−1) buckets, but the tables cost N·255 doublings, as much as about c plain MSMs of the whole
 * set. So they are rented: the additions the set's MSMs would have saved are summed, and the tables are built once
 * that sum reaches their cost (this MSM included), which bounds a set's cost by twice what the better choice in
 * hindsight (build at once, or never) would have cost. One proof of a model builds almost none; repeated proofs with
 * one key (a server, an aggregation, a proof stream) build the tables of the sets their full-width MSMs read.
 */
export function shiftedPlan(rental: ShiftRental, n: number, windows: number, c: number, bits?: number): { windows: number; build: boolean } | undefined {
  const shiftedWindows = bits === undefined ? windowCount(rental.c) : scalarWindows(bits, rental.c);
  const saving = plainMsmCost(n, windows, c) - shiftedMsmCost(n, shiftedWindows, rental.c);
  if (saving <= 0) return undefined;
  if (rental.built) return { windows: shiftedWindows, build: false };
  rental.forgone += saving;
  if (rental.forgone < shiftBuildCost(rental.points, rental.c)) return undefined;
  rental.built = true;
  return { windows: shiftedWindows, build: true };
}

/** Splits windows [0, count) into `parts` contiguous ranges of near-equal length. */
export function splitWindows(count: number, parts: number): Array<[number, number]> {
  const k = Math.max(1, Math.min(parts, count));
  const ranges: Array<[number, number]> = [];
  for (let i = 0; i < k; i++) ranges.push([Math.floor((i * count) / k), Math.floor(((i + 1) * count) / k)]);
  return ranges;
}

/** The groups of {@link scalarGroups}: per scalar 0 (a zero scalar) or g + 1 (the g-th distinct value), and the values. */
export interface ScalarGroups {
  readonly groups: Uint32Array;
  readonly values: bigint[];
}

/** Nonzero scalars {@link scalarGroups} reads before giving up on scalars that show no repeat. */
export const GROUP_SAMPLE = 1024;

/**
 * The groups of an MSM whose scalars repeat (a logUp helper's `1/(β − t)` takes one value per distinct t): for each
 * base its group (0 for a zero scalar, else g + 1 for the g-th distinct value) and the distinct values. Then
 * `Σ_i s_i·P_i = Σ_g v_g·(Σ_{s_i = v_g} P_i)`: about one affine addition per base for the sums, and an MSM of D
 * points instead of n. Undefined unless D is at most 3/4 of the nonzero scalars, below which this saves at least
 * a fifth of a full-width MSM's additions (the windows' n·⌈255/c⌉ against n + D·⌈255/c⌉). Also undefined, without
 * reading further, when the first {@link GROUP_SAMPLE} nonzero scalars hold no repeat: from D values the sample
 * expects about `GROUP_SAMPLE²/(2D)` repeats (over 5 for any D ≤ 10^5), so dense distinct scalars (a coefficient
 * polynomial's) cost a short look instead of a map of 3/4 of them.
 */
export function scalarGroups(scalars: readonly bigint[]): ScalarGroups | undefined {
  const n = scalars.length;
  const index = new Map<bigint, number>();
  const groups = new Uint32Array(n);
  const values: bigint[] = [];
  const limit = (3 * n) >> 2;
  let nonzero = 0;
  for (let i = 0; i < n; i++) {
    const s = scalars[i];
    if (s === 0n) continue;
    nonzero++;
    let g = index.get(s);
    if (g === undefined) {
      if (values.length >= limit) return undefined;
      index.set(s, (g = values.push(s)));
    }
    groups[i] = g;
    if (nonzero === GROUP_SAMPLE && values.length === GROUP_SAMPLE) return undefined;
  }
  return nonzero > 0 && 4 * values.length <= 3 * nonzero ? { groups, values } : undefined;
}
