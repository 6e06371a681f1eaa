/**
 * Parameters of the MSMs: Straus below a size and its table width; for Pippenger the window width for
 * a size, the number of signed windows, and the split of the windows between workers; the grouping of repeated
 * scalars.
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

/** Number of signed c-bit windows covering scalars below 2^254 with the top digit's carry: ceil(255/c). */
export function windowCount(c: number): number {
  return Math.ceil(255 / c);
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
