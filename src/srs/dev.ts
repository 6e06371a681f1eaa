/**
 * A deterministic, INSECURE development SRS for tests and demos.
 *
 * τ is derived from a public seed, so anyone can compute it and forge every KZG opening made with
 * this SRS. It exists so tests and demos run without a ceremony file; it is labelled insecure in its
 * name, its `insecure` flag and its `warning`.
 * @module
 */
import { normalizeZ } from '@noble/curves/abstract/curve.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { G1, G1_ONE, G2, G2_ONE, type G1Point, type G2Point } from '../curve';
import type { Engine } from '../engine/engine';
import { getDefaultEngine } from '../engine/index';
import { bytesToBigintBE } from '../encoding/bytes';
import { SrsError } from '../errors';
import { batchInvertFr, Fr, powers, R } from '../field';
import { rootOfUnity, TWO_ADICITY } from '../poly/roots';
import { cachedDevPoints, computedDevPoints } from './dev-cache';
import { rangeBasisFromTau, type RangeBasis } from './range-basis';
import { Srs } from './srs';

/** The domain separator hashed with the seed to derive τ. */
export const DEV_SRS_DOMAIN = 'blockfold/insecure-dev-srs/v1';

/** The warning every insecure development SRS carries. */
export const DEV_SRS_WARNING =
  'INSECURE development SRS: τ is derived from a public seed, so anyone can forge proofs made with it. Use it only for tests and demos.';

/** Options of {@link createInsecureDevSrs}. */
export interface DevSrsOptions {
  /** Public seed τ is derived from (default `"blockfold"`). */
  readonly seed?: string | Uint8Array;
  /** G1 powers to compute (default: all `2^(power+1) − 1` of a ceremony file of this power). */
  readonly g1Powers?: number;
  /**
   * G2 powers to compute (default: all `2^power`). G2 scalar multiplications cost about twice G1's on
   * the reference engine; a caller that only verifies openings needs 2 (`[1]₂`, `[τ]₂`).
   */
  readonly g2Powers?: number;
  /**
   * Compute the Lagrange bases `[L_i(τ)]₁` of every domain n = 1, 2, 4, … ≤ this size now and hold them (default 0:
   * none now). Any other domain's basis is computed on first use ({@link Srs.lagrangeBasis}) and kept.
   */
  readonly lagrange?: number;
  /** Engine for the fixed-base multiplications (default: the process default engine). */
  readonly engine?: Engine;
  /**
   * Directory of the on-disk cache of the G1 powers and the range bases (`src/srs/dev-cache.ts`: read when a file there
   * passes its checks against τ, else computed and written there; kept for the life of the process). Default: none,
   * every point is computed. `openSrs` passes one (`$BLOCKFOLD_DEV_SRS_CACHE`, or `blockfold-dev-srs-<uid>` in the system's
   * temporary directory).
   */
  readonly cacheDirectory?: string;
}

/** τ = (Keccak256(D ‖ 0 ‖ seed) ‖ Keccak256(D ‖ 1 ‖ seed)) mod r with D = {@link DEV_SRS_DOMAIN}: wide reduction, never 0 or 1 in practice. */
export function devSrsTau(seed: string | Uint8Array = 'blockfold'): bigint {
  const seedBytes = typeof seed === 'string' ? new TextEncoder().encode(seed) : seed;
  const domain = new TextEncoder().encode(DEV_SRS_DOMAIN);
  const half = (i: number) => keccak_256.create().update(domain).update(Uint8Array.of(i)).update(seedBytes).digest();
  const wide = new Uint8Array(64);
  wide.set(half(0), 0);
  wide.set(half(1), 32);
  return bytesToBigintBE(wide) % R;
}

/**
 * A development SRS shaped like a ceremony file of power p: `[τ^i]₁ = τ^i·[1]₁` for
 * `i < min(g1Powers, 2^(p+1) − 1)` and `[τ^j]₂ = τ^j·[1]₂` for `j < min(g2Powers, 2^p)`, with
 * τ = {@link devSrsTau}(seed), computed by the engine's fixed-base multiplication. The Lagrange bases `[L_i(τ)]₁`,
 * `L_i(τ) = (τ^n − 1)·ω^i / (n·(τ − ω^i))`, cost n fixed-base multiplications per domain since τ is known: each
 * domain's is computed on first use and kept (with `lagrange = m`, those of the domains n ≤ m at once), so a key
 * over this SRS commits a row from its values, as one over a ceremony file's Lagrange sections does. So are the stacked
 * bases `[τ^j·L_i(τ^k)]₁` of member j of a stack of k over H_n ({@link Srs.stackBasis}: n fixed-base multiplications
 * per (n, k, j), kept), which a ceremony file lacks: a key over this SRS commits a stack from its members' values. So is each range
 * table's {@link RangeBasis} ({@link Srs.rangeBasis}), from τ by `rangeBasisFromTau`. With a
 * {@link DevSrsOptions.cacheDirectory}, the G1 powers and the range bases are read from its files when they pass their
 * checks (`src/srs/dev-cache.ts`), the same points. The result has `insecure: true`, `INSECURE` in its name and
 * {@link DEV_SRS_WARNING}.
 */
export async function createInsecureDevSrs(power: number, options: DevSrsOptions = {}): Promise<Srs> {
  if (!Number.isInteger(power) || power < 1 || power > TWO_ADICITY) throw new SrsError(`dev SRS power must be in 1…${TWO_ADICITY}, got ${power}`);
  const declaredG1 = 2 ** (power + 1) - 1;
  const declaredG2 = 2 ** power;
  const nG1 = options.g1Powers ?? declaredG1;
  const nG2 = options.g2Powers ?? declaredG2;
  const lagrangeMax = options.lagrange ?? 0;
  if (!Number.isInteger(nG1) || !Number.isInteger(nG2) || nG1 < 2 || nG2 < 2 || nG1 > declaredG1 || nG2 > declaredG2)
    throw new SrsError(`a dev SRS of power ${power} has 2…${declaredG1} G1 and 2…${declaredG2} G2 powers; ${nG1} and ${nG2} were requested`);
  if (!Number.isInteger(lagrangeMax) || lagrangeMax < 0 || lagrangeMax > Math.min(nG1, declaredG2))
    throw new SrsError(`Lagrange bases are available for domains up to min(g1Powers, 2^power); ${lagrangeMax} was requested`);

  const engine = options.engine ?? getDefaultEngine();
  const tau = devSrsTau(options.seed);
  const scalars = powers(tau, Math.max(nG1, nG2));
  // Affine points (one batched inversion per group) make the digest and later MSMs cheaper.
  const pointsOf = options.cacheDirectory === undefined ? computedDevPoints(engine) : cachedDevPoints(options.cacheDirectory, tau, engine);
  const g1Powers = await pointsOf('powers', scalars.slice(0, nG1));
  const g2Powers = normalizeZ(G2, await engine.fixedBaseG2(G2_ONE, scalars.slice(0, nG2)));
  const computed = new Map<string, Promise<readonly G1Point[]>>();
  const computeStackBasis = (n: number, k: number, j: number): Promise<readonly G1Point[]> => {
    const key = `${n}:${k}:${j}`;
    let basis = computed.get(key);
    if (basis === undefined) computed.set(key, (basis = engine.fixedBaseG1(G1_ONE, stackedLagrangeAt(tau, n, k, j)).then((points) => normalizeZ(G1, points))));
    return basis;
  };
  // A Lagrange basis is the stacked basis of one member: τ^0·L_i(τ^1).
  const computeLagrangeG1 = (n: number): Promise<readonly G1Point[]> => computeStackBasis(n, 1, 0);
  const ranges = new Map<number, Promise<RangeBasis>>();
  const computeRangeBasis = (n: number): Promise<RangeBasis> => {
    let basis = ranges.get(n);
    if (basis === undefined) ranges.set(n, (basis = rangeBasisFromTau(tau, n, engine, (s) => pointsOf('range-basis', s))));
    return basis;
  };
  const lagrangeG1 = new Map<number, readonly G1Point[]>();
  for (let n = 1; n <= lagrangeMax; n *= 2) lagrangeG1.set(n, await computeLagrangeG1(n));

  const seed = options.seed ?? 'blockfold';
  const seedLabel = typeof seed === 'string' ? JSON.stringify(seed) : `0x${bytesToHex(seed)}`;
  return new Srs({
    g1Powers,
    g2Powers,
    power,
    lagrangeG1,
    computeLagrangeG1,
    computeStackBasis,
    computeRangeBasis,
    insecure: true,
    name: `INSECURE-dev-srs(power=${power}, seed=${seedLabel})`,
    warning: DEV_SRS_WARNING,
  });
}

/** Whether `[τ]₂` is the development SRS's for one of `seeds`: a key made over it can be forged by anyone. */
export function isInsecureDevTau(g2Tau: G2Point, seeds: readonly (string | Uint8Array)[]): boolean {
  // τ is public (derived from the seed), so the variable-time multiplication leaks nothing and is several times faster.
  return seeds.some((seed) => G2_ONE.multiplyUnsafe(devSrsTau(seed)).equals(g2Tau));
}


/**
 * `τ^j·L_i(τ^k) = τ^j·(τ^(kn) − 1)·ω^i / (n·(τ^k − ω^i))` for i < n, L_i the Lagrange polynomials of H_n: the scalars of
 * member j's basis in a stack of k (k = 1, j = 0: the Lagrange basis). τ^k is not a root of unity except with
 * negligible probability.
 */
function stackedLagrangeAt(tau: bigint, n: number, k: number, j: number): bigint[] {
  const point = Fr.pow(tau, BigInt(k));
  const omega = rootOfUnity(n);
  const roots = powers(omega, n);
  const denominators = batchInvertFr(roots.map((w) => Fr.mul(BigInt(n), Fr.sub(point, w))));
  if (denominators.some((d) => d === 0n)) throw new SrsError(`the seed gives a τ with τ^${k} on the evaluation domain of size ${n}; choose another seed`);
  const scale = Fr.mul(Fr.pow(tau, BigInt(j)), Fr.sub(Fr.pow(point, BigInt(n)), 1n));
  return roots.map((w, i) => Fr.mul(Fr.mul(scale, w), denominators[i]));
}
