/**
 * What the engines share for {@link Engine.barycentricSum}: the weights `b_i = ω^i/(z − ω^i)` of a subgroup H of size
 * n at a point z outside it, kept for the last few points of each size, and the check that z is outside H.
 *
 * An interpolant over H at z is `Σ_i v_i·L_i(z) = (z^n − 1)/n · Σ_i v_i·b_i` (the barycentric form of
 * `L_i(z) = ω^i·(z^n − 1)/(n·(z − ω^i))`), so the weights depend on z and n only: a verifier evaluating every public
 * vector of a size at ζ inverts the n denominators once. For z ∈ H a denominator is zero and the form is 0/0: the
 * engines refuse it, and callers read the vector at the index of z instead.
 * @module
 */
import { EngineError } from '../errors';
import { batchInvertFr, Fr } from '../field';
import { log2Exact, rootOfUnity } from '../poly/roots';

/**
 * Points whose weights an engine keeps per size: a verifier evaluates every public vector of a size at ζ, and the
 * periodic vectors of one period K at `ζ^(n/K)` for each of a few sizes n, in any order.
 */
export const KEPT_POINTS = 8;

/**
 * From this size on, an engine keeps the weights of {@link KEPT_POINTS_LARGE} points only: a large size is a
 * proof's own domain, read at ζ (and at few other points), and 8 vectors of 36-byte weights at H_2^17 would hold
 * 38 MB. Smaller sizes are the periodic vectors' periods, read at the several `ζ^(n/K)`, and cost little.
 */
export const LARGE_SIZE = 1 << 14;

/** Points kept per size from {@link LARGE_SIZE} on: at most `2·36·n` bytes of kernel weights per such size n. */
export const KEPT_POINTS_LARGE = 2;

/** How many points' weights are kept for size n: {@link KEPT_POINTS}, or {@link KEPT_POINTS_LARGE} from {@link LARGE_SIZE} on. */
export function keptPoints(n: number): number {
  return n >= LARGE_SIZE ? KEPT_POINTS_LARGE : KEPT_POINTS;
}

/**
 * Weights (of any representation W) by size and point, the last {@link keptPoints}(n) points of each size n. An
 * evicted entry is handed to `make` for reuse, so an engine can recycle the memory of the oldest weights of the size
 * and hold a bounded amount whatever the number of points it is asked about.
 */
export class KeptWeights<W> {
  private readonly bySize = new Map<number, Map<bigint, W>>();

  /** The weights of size n at z: kept ones, else `make(recycled)` with the oldest entry of the size once it is full. */
  get(n: number, z: bigint, make: (recycled: W | undefined) => W): W {
    let points = this.bySize.get(n);
    if (points === undefined) this.bySize.set(n, (points = new Map()));
    let weights = points.get(z);
    if (weights === undefined) {
      let recycled: W | undefined;
      if (points.size >= keptPoints(n)) {
        const [oldest, w] = points.entries().next().value!;
        points.delete(oldest);
        recycled = w;
      }
      points.set(z, (weights = make(recycled)));
    }
    return weights;
  }

  /** The number of points whose weights of size n are kept. */
  keptAt(n: number): number {
    return this.bySize.get(n)?.size ?? 0;
  }
}

/** Refuses a z in the subgroup of size n (z^n = 1), where a barycentric weight would divide by zero. */
export function requireOutsideSubgroup(n: number, z: bigint): void {
  if (Fr.pow(Fr.create(z), BigInt(n)) === 1n) throw new EngineError(`a barycentric sum needs a point outside the subgroup of size ${n}`);
}

/** `b_i = ω^i/(z − ω^i)` for i < n (ω = ω_n) in bigints, with one batch inversion; an {@link EngineError} for z in the subgroup. */
export function barycentricWeights(n: number, z: bigint): bigint[] {
  const omega = rootOfUnity(1 << log2Exact(n));
  requireOutsideSubgroup(n, z);
  const powers = new Array<bigint>(n);
  for (let i = 0, x = 1n; i < n; i++, x = Fr.mul(x, omega)) powers[i] = x;
  const inverses = batchInvertFr(powers.map((x) => Fr.sub(Fr.create(z), x)));
  return inverses.map((inv, i) => Fr.mul(inv, powers[i]));
}

/**
 * `Σ_i values[i]·b_i mod r` over bigint weights: one product per cell other than 0 and 1 and one reduction at the end.
 * The reference engine's sum, and the kernels' for short vectors, where a call into the kernels costs more than the
 * products it saves.
 */
export function barycentricSumBigint(values: readonly bigint[], weights: readonly bigint[]): bigint {
  let acc = 0n;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === 1n) acc += weights[i];
    else if (v !== 0n) acc += v * weights[i];
  }
  return Fr.create(acc);
}
