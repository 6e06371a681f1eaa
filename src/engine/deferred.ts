/**
 * Deferred G1 combinations: a verifier's replay in which every MSM over non-resident points stays a formal sum
 * `Σ k_i·P_i` until the final multi-pairing.
 *
 * A verifier derives many G1 values from the proof's points (a row combination `Σ α^i·[C_i]₁`, a linear check's
 * residual `Σ_j ρ^j·Σ_t k_t·[row_t]₁`, a batched claim), each one small MSM, and reads them only in pairing
 * equations, weighted by a transcript challenge and summed by public G2 point into one G1 MSM per Miller loop
 * (`src/equations/pairing-check.ts`). Pairing and MSM are linear: `k·e(Σ_i k_i·P_i, Q) = Π_i e(P_i, Q)^(k·k_i)`. So
 * the derived value can stay the list of its terms and join the final MSM term by term: the product, hence the
 * verdict, is the same for every proof, and the small MSMs (each a full run of doublings) are never computed. Derived
 * values never enter the transcript (only statement and message slots are absorbed), so the challenges do not change
 * either.
 *
 * {@link deferringEngine} wraps the engine of such a replay: its `msmG1Points` returns a {@link DeferredG1}. The group
 * operations a derived step applies to a G1 value (`add`, `subtract`, `negate`, `multiply`) keep it formal. Anything
 * else (reading its coordinates, comparing it, handing it to another engine call) is not a group operation on a
 * formal sum: it throws, so a step that needs the value itself fails loudly instead of reading a wrong one. Only the
 * verifier's own replay uses this (`verify`); a replay whose values are read afterwards (aggregation, tests) keeps
 * the computed points.
 * @module
 */
import { G1, type G1Point } from '../curve';
import { EngineError } from '../errors';
import { R } from '../field';
import type { Engine, PairingTerm } from './engine';

/** `Σ k_i·P_i` kept as its terms: distinct point objects (points are immutable) with canonical scalars. */
export class DeferredG1 {
  private constructor(
    /** The points P_i, each object once. */
    readonly points: readonly G1Point[],
    /** The scalars k_i (canonical Fr elements). */
    readonly scalars: readonly bigint[],
  ) {}

  /** `Σ k_i·P_i` over real or deferred points P_i (a deferred one contributes its own terms, scaled by k_i). */
  static sum(points: readonly (G1Point | DeferredG1)[], scalars: readonly bigint[]): DeferredG1 {
    const at = new Map<G1Point, number>();
    const ps: G1Point[] = [];
    const ks: bigint[] = [];
    const put = (p: G1Point, k: bigint) => {
      const i = at.get(p);
      if (i !== undefined) ks[i] = (ks[i] + k) % R;
      else {
        at.set(p, ps.length);
        ps.push(p);
        ks.push(k);
      }
    };
    points.forEach((p, i) => {
      const k = scalars[i];
      if (p instanceof DeferredG1) p.points.forEach((q, j) => put(q, (p.scalars[j] * k) % R));
      else put(p, k);
    });
    return new DeferredG1(ps, ks);
  }

  /** `this + other`. */
  add(other: G1Point | DeferredG1): DeferredG1 {
    return DeferredG1.sum([this, other], [1n, 1n]);
  }

  /** `this − other`. */
  subtract(other: G1Point | DeferredG1): DeferredG1 {
    return DeferredG1.sum([this, other], [1n, R - 1n]);
  }

  /** `−this`. */
  negate(): DeferredG1 {
    return DeferredG1.sum([this], [R - 1n]);
  }

  /** `k·this` for a canonical scalar k (0 allowed). */
  multiplyUnsafe(k: bigint): DeferredG1 {
    return DeferredG1.sum([this], [checkedScalar(k)]);
  }

  /** `k·this` for a canonical scalar k. */
  multiply(k: bigint): DeferredG1 {
    return this.multiplyUnsafe(k);
  }
}

function checkedScalar(k: bigint): bigint {
  if (typeof k !== 'bigint' || k < 0n || k >= R) throw new EngineError('a deferred G1 scalar must be a canonical Fr element');
  return k;
}

/** A value of a replay's G1 slot: the point itself, or its deferred combination. */
export type G1Value = G1Point | DeferredG1;

/** True for a point of G1 or a deferred combination of such points. */
export function isG1Value(v: unknown): v is G1Value {
  return v instanceof G1 || v instanceof DeferredG1;
}

function refuseDeferred(what: string, points: readonly unknown[]): void {
  if (points.some((p) => p instanceof DeferredG1)) throw new EngineError(`${what} needs computed G1 points, not deferred combinations`);
}

/**
 * `engine` for a verifier's replay whose G1 MSMs over non-resident points stay deferred (see the module comment):
 * `msmG1Points` checks its arguments as the engine does and returns a {@link DeferredG1} (typed as the point it stands
 * for, which only group operations, the final pairing batch and this engine read). Every other call goes to
 * `engine`; one that would read a deferred point's coordinates throws.
 */
export function deferringEngine(engine: Engine): Engine {
  return {
    name: `${engine.name}, deferred G1 combinations`,
    workers: engine.workers,
    get stats() {
      return engine.stats;
    },
    resetStats: () => engine.resetStats(),
    async loadG1Bases(points) {
      refuseDeferred('loadG1Bases', points);
      return engine.loadG1Bases(points);
    },
    loadG2Bases: (points) => engine.loadG2Bases(points),
    msmG1: (bases, scalars, offset) => engine.msmG1(bases, scalars, offset),
    msmG2: (bases, scalars, offset) => engine.msmG2(bases, scalars, offset),
    async msmG1Points(points, scalars) {
      if (points.length !== scalars.length) throw new EngineError(`MSM of ${scalars.length} scalars over ${points.length} points`);
      for (const s of scalars) checkedScalar(s);
      return DeferredG1.sum(points, scalars) as unknown as G1Point;
    },
    async combineG1(points, combinations) {
      refuseDeferred('combineG1', points);
      return engine.combineG1(points, combinations);
    },
    msmG2Points: (points, scalars) => engine.msmG2Points(points, scalars),
    async fixedBaseG1(base, scalars) {
      refuseDeferred('fixedBaseG1', [base]);
      return engine.fixedBaseG1(base, scalars);
    },
    fixedBaseG2: (base, scalars) => engine.fixedBaseG2(base, scalars),
    async rangeKBasisG1(powers, options) {
      refuseDeferred('rangeKBasisG1', powers);
      return engine.rangeKBasisG1(powers, options);
    },
    ntt: (values, shift) => engine.ntt(values, shift),
    intt: (values, shift) => engine.intt(values, shift),
    transforms: (vectors, options) => engine.transforms(vectors, options),
    linearCombination: (polys, scalars) => engine.linearCombination(polys, scalars),
    evaluateAt: (polys, z) => engine.evaluateAt(polys, z),
    batchInvert: (values) => engine.batchInvert(values),
    frProgram: (program, inputs) => engine.frProgram(program, inputs),
    barycentricSum: (values, z) => engine.barycentricSum(values, z),
    cosetIdentities: (shift, polys, parts, point) => engine.cosetIdentities(shift, polys, parts, point),
    multiPairing: (terms: readonly PairingTerm[]) => {
      refuseDeferred('multiPairing', terms.map((t) => t.g1));
      return engine.multiPairing(terms);
    },
    close: () => engine.close(),
  };
}
