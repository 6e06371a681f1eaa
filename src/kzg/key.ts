/**
 * The KZG key: G1 powers `[τ^i]₁` resident in an engine, and `[1]₂`, `[τ]₂` for verification.
 * Built from plain point arrays, so it works with any SRS source (a `.ptau` file, the development generator,
 * a test's known τ).
 * @module
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { G1_ONE, type G1Point, type G2Point } from '../curve';
import { ByteWriter } from '../encoding/bytes';
import { encodeG1, encodeG2 } from '../encoding/points';
import type { Engine, G1Bases } from '../engine/engine';
import { keccak256, keccak256Concat } from '../engine/wasm/keccak';
import type { PublicG1, PublicG2 } from '../equations/equation';
import { SrsError } from '../errors';
import type { RangeTableKey } from './range-table';

/**
 * Stable keys of the public points KZG equations use (docs/folding.md §1: same key ⇒ same point across every leaf
 * of a fold key). They name SRS roles, not values.
 */
export const KZG_POINT_KEYS = { g1One: 'g1:1', g2One: 'g2:1', g2Tau: 'g2:tau' } as const;

/** What a KZG verifier needs: the three public points its equations pair with. */
export interface KzgVerifierKey {
  /** `[1]₁` as a public point (`g1:1`). */
  readonly g1One: PublicG1;
  /** `[1]₂` as a public point (`g2:1`). */
  readonly g2One: PublicG2;
  /** `[τ]₂` as a public point (`g2:tau`). */
  readonly g2Tau: PublicG2;
}

/** A KZG committer key over one SRS, which is also its verifier key. */
export interface KzgKey extends KzgVerifierKey {
  /** The engine holding the G1 powers; commitments and openings run on it. */
  readonly engine: Engine;
  /** Resident `[τ^0]₁ … [τ^(d)]₁`. */
  readonly powers: G1Bases;
  /** The largest committable degree d = number of powers − 1. */
  readonly maxDegree: number;
  /**
   * Keccak-256 (hex) of `[1]₂ ‖ [τ]₂ ‖ u32(d + 1) ‖ [τ^0]₁ ‖ … ‖ [τ^d]₁`, then, for each Lagrange basis given as a map
   * (ascending domain size n), of `u32(n) ‖ [L_0(τ)]₁ ‖ … ‖ [L_(n−1)(τ)]₁`: identifies every point the key commits with
   * and its role, so a process-wide cache of public commitments keyed by it is never shared with a key whose G1 powers
   * or held bases differ (a key file's G1 powers are bound to its SRS digest, not checked against `[τ]₂`, and its bases
   * to its digest, not checked against its powers). The counts make the hashed sequence name its split: without them
   * d + 1 powers and d′ + 1 = d + 1 − n powers with the next n as a "basis" of H_n hash alike, and the second key's
   * commitments over H_n (of the values as coefficients, shifted by X^(d′+1)) would be served to the first.
   */
  readonly srsId: string;
  /**
   * The resident Lagrange basis `[L_i(τ)]₁ (i < n)` of H_n when the SRS provides one (held, or computed on first
   * use: see {@link LagrangeSource}), made resident once and kept; undefined when it does not.
   */
  lagrangeBasis(n: number): Promise<G1Bases | undefined>;
  /**
   * Resident `[Z_H(τ)·τ^j]₁ = [τ^(n+j)]₁ − [τ^j]₁` for j < count, H of size n (`n + count ≤ d + 1`), made once per
   * (n, count) and kept: the bases of a blinding `Z_H·b` with |b| = count, committed by one MSM of |b| points.
   */
  vanishingBasis(n: number, count: number): Promise<G1Bases>;
  /**
   * Resident `[τ^j·L_i(τ^k)]₁` at index `j·n + i` (i < n, j < k), L_i the Lagrange polynomials of H_n: the bases every
   * place j of a stack of k commits its values over (`src/kzg/stack.ts`: `Σ_i v_i·τ^j·L_i(τ^k) = τ^j·t(τ^k)` for t the
   * interpolant of v), so a stack of k rows of H_n is one MSM of k·n values; when the SRS provides them
   * ({@link StackSource}), made resident once per (n, k) and kept; undefined when it does not. An {@link SrsError} for
   * n not a power of two, k not a positive integer, or `k·n − 1 > d` (the bases' polynomials need powers the key does
   * not hold, so a commitment over them would not be one over the key's powers).
   */
  stackBases(n: number, k: number): Promise<G1Bases | undefined>;
  /**
   * Resident `[τ^j·τ^(k·m)·(τ^(k·n) − 1)]₁ = [τ^(j + k·(n+m))]₁ − [τ^(j + k·m)]₁` at index `j·count + m` (m < count,
   * j < k), from the powers: the bases of the blinding `Z_(H_n)·b` (|b| = count) of every place j of a stack of k,
   * `X^j·(Z_(H_n)·b)(X^k)`, made once per (n, k, count) and kept. {@link KzgKey.vanishingBasis} is its k = 1. An
   * {@link SrsError} when `k − 1 + k·(n + count − 1) > d`.
   */
  stackVanishingBases(n: number, k: number, count: number): Promise<G1Bases>;
  /**
   * The range table `{0, …, n − 1}` of a model that range-checks through one (`blocks/range.ts`): `[Z_S(τ)]₁`, and for
   * a prover the rest of its basis ({@link withRangeTable}); undefined for a key without one.
   */
  readonly rangeTable?: RangeTableKey;
  /**
   * Commitments of public vectors the key holds by name (`blocks/tables.ts`'s `publicCommitment`): a verifier's key
   * read from a file ({@link createVerifierKzgKey}) holds no powers to compute them from. Undefined for a key of powers.
   */
  readonly commitments?: ReadonlyMap<string, G1Point>;
}

/**
 * A verifier's key of the points it reads, with none of the powers but `[τ^0]₁ = [1]₁`: a verifying key file's
 * (`docs/protocol.md`, "Verifier"). `maxDegree` is the degree of the key it was made from, which the blocks read to lay
 * out their polynomials as the prover's key did (so it must be the prover's); `lagrange` the bases of the domains it
 * commits the statement's rows over; `commitments` the public vectors' commitments its verifier reads by name, among
 * them the `[τ^j·Z_H(τ)]₁` of {@link vanishingMultipleDigest} it serves {@link KzgKey.vanishingBasis} from. A
 * commitment it does not hold and cannot make from a held basis is an {@link SrsError} naming what the key holds. Its
 * `srsId` extends the one of its points by `maxDegree` and every held commitment with its name, so a process-wide cache
 * keyed by it is never shared with a key whose points differ.
 */
export async function createVerifierKzgKey(
  engine: Engine,
  g2One: G2Point,
  g2Tau: G2Point,
  maxDegree: number,
  lagrange: ReadonlyMap<number, readonly G1Point[]>,
  commitments: ReadonlyMap<string, G1Point>,
): Promise<KzgKey> {
  if (!Number.isSafeInteger(maxDegree) || maxDegree < 0) throw new SrsError(`a KZG key's degree must be a non-negative integer, not ${maxDegree}`);
  const key = await createKzgKey(engine, [G1_ONE], g2One, g2Tau, lagrange);
  const id = new ByteWriter().string(key.srsId).u32(maxDegree);
  for (const name of [...commitments.keys()].sort()) id.string(name).write(encodeG1(commitments.get(name)!));
  const srsId = bytesToHex(keccak256(id.bytes()));
  // A blinding Z_H·b is committed over the held `[τ^j·Z_H(τ)]₁` (a hashed input's, recomputed by `inputDigest`).
  const held = new Map<string, Promise<G1Bases>>();
  const vanishingBasis = (n: number, count: number): Promise<G1Bases> => {
    const points = Array.from({ length: count }, (_, j) => commitments.get(vanishingMultipleDigest(n, j)));
    if (count === 0 || points.some((p) => p === undefined)) return key.vanishingBasis(n, count);
    let bases = held.get(`${n}:${count}`);
    if (bases === undefined) held.set(`${n}:${count}`, (bases = engine.loadG1Bases(points as G1Point[])));
    return bases;
  };
  return { ...key, maxDegree, srsId, commitments, vanishingBasis };
}

/**
 * The name of `[τ^j·Z_(H_n)(τ)]₁ = [τ^(n+j)]₁ − [τ^j]₁` among a key's held commitments ({@link KzgKey.commitments}):
 * a verifier's key serves {@link KzgKey.vanishingBasis}`(n, count)` from the held `j < count`.
 */
export function vanishingMultipleDigest(n: number, j: number): string {
  return `vanishing/${n}/${j}`;
}

/** `key` with the range table `table` (`src/kzg/range-table.ts`): the same powers, bases and engine. */
export function withRangeTable(key: KzgKey, table: RangeTableKey): KzgKey {
  return { ...key, rangeTable: table };
}

/**
 * Where a key finds the Lagrange basis `[L_i(τ)]₁ (i < n)` of a domain size n: a ceremony's Lagrange sections,
 * or a development SRS that knows τ and computes them; undefined when the SRS has none for n. A basis must be the
 * one of the key's own powers (`L_i(τ)` over the same τ), so that a commitment from values equals the commitment
 * of the interpolated coefficients: validating a ceremony's sections is the SRS reader's job.
 */
export type LagrangeSource = (n: number) => Promise<readonly G1Point[] | undefined>;

/**
 * Where a key finds the stacked bases `[τ^j·L_i(τ^k)]₁ (i < n)` of member j of a stack of k over H_n (n a power of two,
 * 0 ≤ j < k): a development SRS that knows τ computes them; undefined when the SRS has none (a ceremony's file has no
 * such sections, and a key then commits a stack from its coefficients). Like a {@link LagrangeSource}, a basis must be
 * over the key's own τ.
 */
export type StackSource = (n: number, k: number, j: number) => Promise<readonly G1Point[] | undefined>;

/**
 * Loads `g1Powers = [[τ^i]₁]_(i ≤ d)` into the engine and wraps `[1]₂`, `[τ]₂`. The first power is `[1]₁`.
 * `lagrangeG1` optionally gives the Lagrange bases `[[L_i(τ)]₁]_(i < n)` by domain size n, as a map (a ceremony's
 * Lagrange sections) or a {@link LagrangeSource}; a basis is made resident when a commitment first needs it, so
 * that Lagrange-form commitments skip the inverse NTT and commit values (short scalars) instead of coefficients.
 * `stackG1` optionally gives the stacked bases ({@link StackSource}, {@link KzgKey.stackBases}), made resident the same
 * way. Points are taken as given: validating them (on-curve, subgroup, consecutive powers) is the SRS reader's job.
 */
export async function createKzgKey(
  engine: Engine,
  g1Powers: readonly G1Point[],
  g2One: G2Point,
  g2Tau: G2Point,
  lagrangeG1: ReadonlyMap<number, readonly G1Point[]> | LagrangeSource = new Map(),
  stackG1?: StackSource,
): Promise<KzgKey> {
  if (g1Powers.length === 0) throw new SrsError('a KZG key needs at least the power [τ^0]₁ = [1]₁');
  if (typeof lagrangeG1 !== 'function')
    for (const [n, basis] of lagrangeG1) if (basis.length !== n) throw new SrsError(`the Lagrange basis of domain size ${n} has ${basis.length} points`);
  const source: LagrangeSource = typeof lagrangeG1 === 'function' ? lagrangeG1 : async (n) => lagrangeG1.get(n);
  const powers = await engine.loadG1Bases(g1Powers);
  // Bases given as a map are points the key commits with that the powers do not determine as given (a key file's,
  // bound to its digest and checked by `check-key`, not recomputed): a key with other ones has another id.
  const count = (k: number) => new Uint8Array(Uint32Array.of(k).buffer);
  const held = typeof lagrangeG1 === 'function' ? [] : [...lagrangeG1.keys()].sort((a, b) => a - b).flatMap((n) => [count(n), ...lagrangeG1.get(n)!.map(encodeG1)]);
  const srsId = bytesToHex(keccak256Concat([encodeG2(g2One), encodeG2(g2Tau), count(g1Powers.length), ...g1Powers.map(encodeG1), ...held]));
  // One promise per n: concurrent commitments over a new domain load its basis once.
  const resident = new Map<number, Promise<G1Bases | undefined>>();
  const lagrangeBasis = (n: number): Promise<G1Bases | undefined> => {
    let bases = resident.get(n);
    if (bases === undefined) {
      bases = source(n).then((basis) => {
        if (basis === undefined) return undefined;
        if (basis.length !== n) throw new SrsError(`the Lagrange basis of domain size ${n} has ${basis.length} points`);
        return engine.loadG1Bases(basis);
      });
      resident.set(n, bases);
    }
    return bases;
  };
  const isPlaces = (k: number) => Number.isSafeInteger(k) && k >= 1;
  const stacked = new Map<string, Promise<G1Bases | undefined>>();
  const stackBases = (n: number, k: number): Promise<G1Bases | undefined> => {
    if (!Number.isSafeInteger(n) || n < 1 || (n & (n - 1)) !== 0 || !isPlaces(k) || k * n - 1 >= g1Powers.length)
      return Promise.reject(new SrsError(`no stacked bases [τ^j·L_i(τ^k)]₁ for n = ${n}, k = ${k}: the key has ${g1Powers.length} powers of τ`));
    const key = `${n}:${k}`;
    let bases = stacked.get(key);
    if (bases === undefined) {
      const places = stackG1 === undefined ? Promise.resolve(undefined) : Promise.all(Array.from({ length: k }, (_, j) => stackG1(n, k, j)));
      bases = places.then((all) => {
        if (all === undefined || all.some((b) => b === undefined)) return undefined;
        const wrong = all.findIndex((b) => b!.length !== n);
        if (wrong >= 0) throw new SrsError(`the stacked basis of n = ${n}, k = ${k}, j = ${wrong} has ${all[wrong]!.length} points`);
        return engine.loadG1Bases(all.flatMap((b) => b!));
      });
      stacked.set(key, bases);
    }
    return bases;
  };
  const vanishing = new Map<string, Promise<G1Bases>>();
  const stackVanishingBases = (n: number, k: number, count: number): Promise<G1Bases> => {
    if (!Number.isSafeInteger(n) || !Number.isSafeInteger(count) || n < 1 || count < 0 || !isPlaces(k) || k - 1 + k * (n + count - 1) >= g1Powers.length)
      return Promise.reject(new SrsError(`no [τ^(j+k·(n+m))]₁ − [τ^(j+k·m)]₁ for n = ${n}, j < k = ${k}, m < ${count}: the key has ${g1Powers.length} powers of τ`));
    const key = `${n}:${k}:${count}`;
    let bases = vanishing.get(key);
    if (bases === undefined) {
      const differences = Array.from({ length: k * count }, (_, i) => {
        const [j, m] = [Math.floor(i / count), i % count];
        return g1Powers[j + k * (n + m)].subtract(g1Powers[j + k * m]);
      });
      vanishing.set(key, (bases = engine.loadG1Bases(differences)));
    }
    return bases;
  };
  return {
    engine,
    powers,
    maxDegree: g1Powers.length - 1,
    srsId,
    lagrangeBasis,
    vanishingBasis: (n, count) => stackVanishingBases(n, 1, count),
    stackBases,
    stackVanishingBases,
    g1One: { key: KZG_POINT_KEYS.g1One, point: g1Powers[0] },
    g2One: { key: KZG_POINT_KEYS.g2One, point: g2One },
    g2Tau: { key: KZG_POINT_KEYS.g2Tau, point: g2Tau },
  };
}
