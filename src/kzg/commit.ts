/**
 * KZG commitments: `[f(τ)]₁ = Σ_i f_i·[τ^i]₁`.
 * @module
 */
import { normalizeZ } from '@noble/curves/abstract/curve.js';
import { G1, type G1Point } from '../curve';
import type { G1Bases } from '../engine/engine';
import { SrsError } from '../errors';
import { interpolate } from '../poly/interpolate';
import type { KzgKey } from './key';

/** `[f(τ)]₁ = Σ_i f_i·[τ^i]₁` for f in coefficient form; an {@link SrsError} if f has more coefficients than the key has powers. */
export async function commit(key: KzgKey, coeffs: readonly bigint[]): Promise<G1Point> {
  if (coeffs.length > key.powers.length)
    throw new SrsError(`cannot commit to ${coeffs.length} coefficients with ${key.powers.length} powers of τ`);
  return key.engine.msmG1(key.powers, coeffs);
}

/**
 * The commitment of the interpolant over H_n of `evals` (n = evals.length, a power of two):
 * `[f(τ)]₁ = Σ_i evals[i]·[L_i(τ)]₁` for the f of degree < n with `f(ω^i) = evals[i]`. One MSM over the key's
 * resident Lagrange basis of H_n when it has one; otherwise the inverse NTT gives f and f is committed.
 */
export async function commitLagrange(key: KzgKey, evals: readonly bigint[]): Promise<G1Point> {
  const basis = key.lagrange.get(evals.length);
  if (basis !== undefined) return key.engine.msmG1(basis, evals);
  return commit(key, interpolate(evals, key.engine));
}

/**
 * `[f(τ)]₁` for every f of `polys` (coefficient form), equal to {@link commit} on each, in fewer engine calls.
 *
 * An engine MSM has a large fixed cost (its windows run whatever the number of points), so many short
 * vectors over the same basis are cheaper column by column: for basis point j, one fixed-base batch
 * `[f_j]·[τ^j]₁` over every f, then each commitment is the sum of its column products. Vectors up to a
 * length L go that way (L batches), longer ones get their own MSM; L minimises the number of engine calls.
 */
export async function commitMany(key: KzgKey, polys: readonly (readonly bigint[])[]): Promise<G1Point[]> {
  for (const f of polys)
    if (f.length > key.powers.length) throw new SrsError(`cannot commit to ${f.length} coefficients with ${key.powers.length} powers of τ`);
  return commitManyOver(key, key.powers, key.powerPoints, polys);
}

/**
 * {@link commitLagrange} of every vector of `evals` (each of power-of-two length), equal to it on each: vectors
 * over a resident Lagrange basis are batched over that basis, the others are interpolated and batched over
 * the powers of τ, as in {@link commitMany}.
 */
export async function commitLagrangeMany(key: KzgKey, evals: readonly (readonly bigint[])[]): Promise<G1Point[]> {
  const out = new Array<G1Point>(evals.length);
  const bySize = new Map<number, number[]>();
  const viaPowers: number[] = [];
  evals.forEach((e, i) => {
    if (!key.lagrange.has(e.length)) return viaPowers.push(i);
    let group = bySize.get(e.length);
    if (!group) bySize.set(e.length, (group = []));
    group.push(i);
  });
  for (const [n, group] of bySize) {
    const commitments = await commitManyOver(key, key.lagrange.get(n)!, key.lagrangePoints.get(n)!, group.map((i) => evals[i]));
    group.forEach((i, k) => (out[i] = commitments[k]));
  }
  const commitments = await commitMany(key, viaPowers.map((i) => interpolate(evals[i], key.engine)));
  viaPowers.forEach((i, k) => (out[i] = commitments[k]));
  return out;
}

/** The batching of {@link commitMany} over any resident basis (`bases`, whose points are `points`). */
async function commitManyOver(key: KzgKey, bases: G1Bases, points: readonly G1Point[], vectors: readonly (readonly bigint[])[]): Promise<G1Point[]> {
  const lengths = vectors.map(significantLength);
  const columns = columnCutoff(lengths);
  const sums: G1Point[] = lengths.map(() => G1.ZERO);
  for (let j = 0; j < columns; j++) {
    const rows = lengths.flatMap((len, i) => (len > j && len <= columns ? [i] : []));
    if (rows.length === 0) continue;
    const products = await key.engine.fixedBaseG1(points[j], rows.map((i) => vectors[i][j]));
    rows.forEach((i, k) => (sums[i] = sums[i].add(products[k])));
  }
  // Noble keeps the column sums projective; one batch inversion makes them affine like the engine's results.
  const out = normalizeZ(G1, sums);
  for (let i = 0; i < vectors.length; i++) if (lengths[i] > columns) out[i] = await key.engine.msmG1(bases, vectors[i].slice(0, lengths[i]));
  return out;
}

/** The length of f without trailing zero coefficients (they add nothing to a commitment). */
function significantLength(f: readonly bigint[]): number {
  let len = f.length;
  while (len > 0 && f[len - 1] === 0n) len--;
  return len;
}

/**
 * The column count L minimising the engine calls `L + #{vectors longer than L}` (one fixed-base batch per
 * column, one MSM per longer vector); on a tie, fewer columns (an MSM per vector is the plain path).
 */
function columnCutoff(lengths: readonly number[]): number {
  const sorted = [...lengths].sort((a, b) => a - b);
  let best = 0;
  let bestCalls = sorted.filter((len) => len > 0).length;
  sorted.forEach((len, i) => {
    const calls = len + (sorted.length - 1 - i);
    if (calls < bestCalls) {
      best = len;
      bestCalls = calls;
    }
  });
  return best;
}
