/**
 * Setup objects of a range table with a public denominator: the table `S = {0, 1, …, n − 1}` is never committed.
 *
 * A logUp table side over S is the rational function `Σ_{v∈S} m_v/(X − v) = M(X)/Z_S(X)` with the public
 * vanishing polynomial `Z_S(X) = Π_{v∈S}(X − v)` (degree n) and `M = Σ_v m_v·K_v`, where
 * `K_v(X) = Z_S(X)/(X − v)` (degree n − 1). A prover commits M from the basis `[K_v(τ)]₁` by an MSM over the
 * values it actually counts (a sparse MSM of short scalars), with no domain of size n and no quotient over one.
 * `[τ·Z_S(τ)]₁` lets it blind M by `(ρ₀ + ρ₁·X)·Z_S`; a verifier needs only `[Z_S(τ)]₁`.
 *
 * The degree of `τ·Z_S` is n + 1, so the objects need n + 2 G1 powers. With τ known (the development SRS) they are
 * n + 2 fixed-base multiplications ({@link rangeBasisFromTau} of {@link rangeBasisScalars}); from a ceremony's powers
 * alone, `[Z_S(τ)]₁` and `[τ·Z_S(τ)]₁` are MSMs of Z_S's coefficients and the K basis a change of basis in G1 of
 * O(n·log² n) group operations (`Engine.rangeKBasisG1`; {@link rangeBasisFromPowers}).
 *
 * {@link checkRangeBasis} accepts a basis only if it is this SRS's: `[Z_S(τ)]₁` and `[τ·Z_S(τ)]₁` are recomputed from
 * the powers, and every K point is checked at once by one pairing equation with random 128-bit ρ_v,
 * `e(Σ_v ρ_v·[K_v], [τ]₂) = e(Σ_v ρ_v·v·[K_v] + (Σ_v ρ_v)·[Z_S], [1]₂)`, that is `Σ_v ρ_v·((τ − v)·K_v − Z_S(τ)) = 0`
 * in the exponent. If some K point is wrong, its term is nonzero, and for any fixed values of the other ρ at most one
 * value of its own ρ_v in 2^128 cancels the sum: a wrong basis passes with probability at most 2^−128. A right one
 * satisfies `(τ − v)·K_v(τ) = Z_S(τ)` with τ ∉ S (the check refuses `[Z_S(τ)]₁ = 0`), so each K point is the one
 * `Z_S(τ)/(τ − v)`.
 * @module
 */
import { normalizeZ } from '@noble/curves/abstract/curve.js';
import { G1, G1_ONE, GT_ONE, type G1Point, type G2Point } from '../curve';
import type { Engine, G1Bases } from '../engine/engine';
import { gtEquals } from '../encoding/points';
import { SrsError } from '../errors';
import { batchInvertFr, Fr, random128 } from '../field';
import { fallingFactorial } from '../poly/falling';
import type { Srs } from './srs';

/** `[Z_S(τ)]₁`, `[τ·Z_S(τ)]₁` and `[K_v(τ)]₁` for the range table `S = {0, …, size − 1}`. */
export interface RangeBasis {
  /** n = |S|, a power of two. */
  readonly size: number;
  /** `[Z_S(τ)]₁` with `Z_S(X) = Π_{v<n}(X − v)`. */
  readonly vanishing: G1Point;
  /** `[τ·Z_S(τ)]₁`. */
  readonly shiftedVanishing: G1Point;
  /** `[K_v(τ)]₁` for `v < n`, `K_v(X) = Z_S(X)/(X − v)`. */
  readonly kBasis: readonly G1Point[];
}

/** Whether `n` is a range-table size this module builds: a power of two from 2 to 2^20. */
export function isRangeTableSize(n: number): boolean {
  return Number.isInteger(n) && n >= 2 && n <= 2 ** 20 && (n & (n - 1)) === 0;
}

/**
 * The discrete logarithms of the range basis of size n for a known τ, in the order `[Z_S(τ), τ·Z_S(τ), K_0(τ), …,
 * K_{n−1}(τ)]`: `Z_S(τ) = Π_v (τ − v)`, `K_v(τ) = Z_S(τ)/(τ − v)` (one batched inversion). An {@link SrsError} when τ ∈ S,
 * where `Z_S(τ) = 0` and the basis would not be a basis, or when n is no table size.
 */
export function rangeBasisScalars(tau: bigint, n: number): bigint[] {
  if (!isRangeTableSize(n)) throw new SrsError(`a range table has a power-of-two size from 2 to 2^20, got ${n}`);
  const differences = Array.from({ length: n }, (_, v) => Fr.sub(tau, BigInt(v)));
  if (differences.some((d) => d === 0n)) throw new SrsError('τ lies in the range table {0, …, n − 1}; choose another seed');
  const vanishing = differences.reduce((acc, d) => Fr.mul(acc, d), 1n);
  const inverses = batchInvertFr(differences);
  return [vanishing, Fr.mul(tau, vanishing), ...inverses.map((inv) => Fr.mul(vanishing, inv))];
}

/**
 * The range basis of size n from a known τ (the development SRS): the points `s·[1]₁` of {@link rangeBasisScalars}, by
 * `pointsOf` (default: n + 2 fixed-base multiplications of `[1]₁` on `engine`; the development SRS may read them from
 * its on-disk cache instead, `src/srs/dev-cache.ts`).
 */
export async function rangeBasisFromTau(
  tau: bigint,
  n: number,
  engine: Engine,
  pointsOf: (scalars: readonly bigint[]) => Promise<readonly G1Point[]> = async (scalars) => normalizeZ(G1, await engine.fixedBaseG1(G1_ONE, scalars)),
): Promise<RangeBasis> {
  const points = await pointsOf(rangeBasisScalars(tau, n));
  return { size: n, vanishing: points[0], shiftedVanishing: points[1], kBasis: points.slice(2) };
}

/** Options of {@link rangeBasisFromPowers}. */
export interface RangeBasisFromPowersOptions {
  /** Called as the K basis is computed, with the work done and the total (the engine's units). */
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * The range basis of size n from the G1 powers alone (a ceremony's, τ unknown): `[Z_S(τ)]₁ = Σ_i z_i·[τ^i]₁` and
 * `[τ·Z_S(τ)]₁ = Σ_i z_i·[τ^(i+1)]₁` by two MSMs of Z_S's coefficients z, and the K basis by `Engine.rangeKBasisG1`
 * from `[τ^i]₁`, i < n. Equal to {@link rangeBasisFromTau}'s for the same τ. On the WebAssembly engine the K basis
 * costs O(n·log² n) group operations, about a quarter of an hour on one thread for n = 2^16 (docs/protocol.md, Next
 * step 6), less with workers. An {@link SrsError} when fewer than n + 2 powers are given, or when `[Z_S(τ)]₁` is the
 * point at infinity (τ ∈ S).
 */
export async function rangeBasisFromPowers(g1Powers: readonly G1Point[], n: number, engine: Engine, options: RangeBasisFromPowersOptions = {}): Promise<RangeBasis> {
  if (!isRangeTableSize(n)) throw new SrsError(`a range table has a power-of-two size from 2 to 2^20, got ${n}`);
  if (g1Powers.length < n + 2) throw new SrsError(`a range table of ${n} entries needs ${n + 2} G1 powers, ${g1Powers.length} were given`);
  const [vanishing, shiftedVanishing] = await vanishingPoints(g1Powers, n, engine);
  if (vanishing.is0()) throw new SrsError('[Z_S(τ)]₁ is the point at infinity: τ lies in the range table {0, …, n − 1}');
  const kBasis = await engine.rangeKBasisG1(g1Powers.slice(0, n), options);
  return { size: n, vanishing, shiftedVanishing, kBasis: normalizeZ(G1, kBasis) };
}

/**
 * `[Z_S(τ)]₁` of the table S = {0, …, n − 1} from the powers alone: the MSM `Σ_{i≤n} z_i·[τ^i]₁` of the coefficients of
 * `Z_S(X) = X·(X − 1)···(X − n + 1)` (n + 1 powers). What a verifying key's range point is checked against
 * (`src/pipeline/check-key.ts`); an {@link SrsError} when fewer powers are given.
 */
export async function rangeVanishingFromPowers(g1Powers: readonly G1Point[], n: number, engine: Engine): Promise<G1Point> {
  if (!isRangeTableSize(n)) throw new SrsError(`a range table has a power-of-two size from 2 to 2^20, got ${n}`);
  if (g1Powers.length < n + 1) throw new SrsError(`[Z_S(τ)]₁ of a range table of ${n} entries needs ${n + 1} G1 powers, ${g1Powers.length} were given`);
  return engine.msmG1Points(g1Powers.slice(0, n + 1), fallingFactorial(n, engine));
}

/** `[Z_S(τ)]₁` and `[τ·Z_S(τ)]₁` from the powers: MSMs of Z_S's coefficients over `[τ^i]₁` and over `[τ^(i+1)]₁`. */
async function vanishingPoints(g1Powers: readonly G1Point[], n: number, engine: Engine): Promise<[G1Point, G1Point]> {
  const z = fallingFactorial(n, engine);
  const points = normalizeZ(G1, [await engine.msmG1Points(g1Powers.slice(0, n + 1), z), await engine.msmG1Points(g1Powers.slice(1, n + 2), z)]);
  return [points[0], points[1]];
}

/**
 * Checks that `basis` is the range basis of its size over `srs` (the module comment gives the equations and why a
 * wrong basis passes with probability at most 2^−128): its shape, `[Z_S(τ)]₁ ≠ 0`, `[Z_S(τ)]₁` and `[τ·Z_S(τ)]₁`
 * against MSMs of the powers, and all K points by one pairing equation with fresh 128-bit ρ_v. The SRS needs n + 2 G1
 * powers and `[τ]₂`. Throws an {@link SrsError} naming the failed check.
 */
export async function checkRangeBasis(basis: RangeBasis, srs: Srs, engine: Engine): Promise<void> {
  const n = basis.size;
  if (!isRangeTableSize(n)) throw new SrsError(`a range table has a power-of-two size from 2 to 2^20, got ${n}`);
  if (basis.kBasis.length !== n) throw new SrsError(`a range basis of size ${n} has ${basis.kBasis.length} K points`);
  if (srs.g1Count < n + 2 || srs.g2Count < 2)
    throw new SrsError(`checking a range basis of size ${n} needs ${n + 2} G1 and 2 G2 powers; SRS "${srs.name}" holds ${srs.g1Count} and ${srs.g2Count}`);
  if (basis.vanishing.is0()) throw new SrsError('[Z_S(τ)]₁ is the point at infinity: τ lies in the range table');
  const [vanishing, shiftedVanishing] = await vanishingPoints(srs.g1Powers, n, engine);
  if (!basis.vanishing.equals(vanishing)) throw new SrsError(`[Z_S(τ)]₁ of the range basis of size ${n} is not the SRS's`);
  if (!basis.shiftedVanishing.equals(shiftedVanishing)) throw new SrsError(`[τ·Z_S(τ)]₁ of the range basis of size ${n} is not the SRS's`);
  if (!(await rangeBasisHolds(basis, srs.g2Powers[0], srs.g2Powers[1], engine)))
    throw new SrsError(`the K points of the range basis of size ${n} are not [Z_S(τ)/(τ − v)]₁ for this SRS`);
}

/**
 * Whether the K points and `[τ·Z_S(τ)]₁` of `basis` are those of its `[Z_S(τ)]₁` for the τ of `[τ]₂`: for fresh 128-bit
 * ρ_v and c, `e(Σ_v ρ_v·[K_v]₁ + c·[Z_S]₁, [τ]₂) = e(Σ_v ρ_v·v·[K_v]₁ + (Σ_v ρ_v)·[Z_S]₁ + c·[τ·Z_S]₁, [1]₂)`, which holds
 * for every ρ and c exactly when `(τ − v)·K_v(τ) = Z_S(τ)` for every v and `[τ·Z_S]₁ = τ·[Z_S]₁` (a wrong point
 * survives with probability 2^−128). Two MSMs of n points and one multi-pairing: what {@link checkRangeBasis} runs after
 * recomputing `[Z_S]₁` from the powers, and what a proving key file's basis is checked with on reading, where `[Z_S]₁`
 * is the key's (bound by the verifying-key digest). A wrong basis never makes a verifier accept (a verifier reads
 * `[Z_S]₁` alone), but a proof made with it leaks the lookup's counts to whoever chose it, so a prover checks it.
 * `resident`, when given, holds `basis.kBasis` made resident in `engine` (a prover's range table,
 * `rangeTableKey`): the two large MSMs read it instead of converting the n points again for each.
 */
export async function rangeBasisHolds(basis: RangeBasis, g2One: G2Point, g2Tau: G2Point, engine: Engine, resident?: G1Bases): Promise<boolean> {
  const rho = Array.from({ length: basis.size }, random128);
  const c = random128();
  const sum = rho.reduce((a, r) => Fr.add(a, r), 0n);
  const weighted = rho.map((r, v) => Fr.mul(r, BigInt(v)));
  const [left, right] = resident
    ? [
        (await engine.msmG1(resident, rho)).add(await engine.msmG1Points([basis.vanishing], [c])),
        (await engine.msmG1(resident, weighted)).add(await engine.msmG1Points([basis.vanishing, basis.shiftedVanishing], [sum, c])),
      ]
    : [
        await engine.msmG1Points([...basis.kBasis, basis.vanishing], [...rho, c]),
        await engine.msmG1Points([...basis.kBasis, basis.vanishing, basis.shiftedVanishing], [...weighted, sum, c]),
      ];
  const product = engine.multiPairing([
    { g1: left, g2: g2Tau },
    { g1: right.negate(), g2: g2One },
  ]);
  return gtEquals(product, GT_ONE);
}
