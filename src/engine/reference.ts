/**
 * The reference engine: `@noble/curves` as it is, on the calling thread. Simple and obviously correct;
 * kept forever as the oracle faster engines are differentially tested against.
 * @module
 */
import { pippenger } from '@noble/curves/abstract/curve.js';
import { G1, G2, type G1Point, type G2Point } from '../curve';
import { EngineError } from '../errors';
import { batchInvertFr, Fr, R } from '../field';
import { divideExact } from '../poly/division';
import { fallingFactorial } from '../poly/falling';
import { foldModulo, inttReference, nttReference } from '../poly/ntt';
import { isPowerOfTwo } from '../poly/roots';
import { linearCombination } from '../poly/polynomial';
import { barycentricSumBigint, barycentricWeights, KeptWeights } from './barycentric';
import type { Engine, G1Bases, G2Bases } from './engine';
import { emptyStats, multiPairingNoble } from './pairing';
import { checkCombinations, signedMagnitude } from './combinations';
import { largestReaders } from './products';
import { formPolynomials } from './derived';
import { runFrProgram } from './fr-program';

/** Creates a reference engine. */
export function createReferenceEngine(): Engine {
  const g1Store = new Map<number, readonly G1Point[]>();
  const g2Store = new Map<number, readonly G2Point[]>();
  let nextId = 1;
  let stats = emptyStats();
  const keptWeights = new KeptWeights<bigint[]>();

  /** `f(z)` of each polynomial by Horner's rule in bigints. */
  function evaluateAt(polys: readonly (readonly bigint[])[], z: bigint): bigint[] {
    return polys.map((f) => {
      let acc = 0n;
      for (let i = f.length - 1; i >= 0; i--) acc = (acc * z + f[i]) % R;
      return Fr.create(acc);
    });
  }

  function slice<T>(store: Map<number, readonly T[]>, id: number, offset: number, len: number): readonly T[] {
    const bases = store.get(id);
    if (!bases) throw new EngineError(`unknown bases handle ${id}`);
    if (offset < 0 || offset + len > bases.length)
      throw new EngineError(`MSM of ${len} scalars at offset ${offset} exceeds ${bases.length} resident bases`);
    return bases.slice(offset, offset + len);
  }

  const engine: Engine = {
    name: 'reference',
    workers: 0,
    get stats() {
      return stats;
    },
    resetStats() {
      stats = emptyStats();
    },
    async loadG1Bases(points) {
      const id = nextId++;
      g1Store.set(id, points.slice());
      return { kind: 'g1', id, length: points.length } satisfies G1Bases;
    },
    async loadG2Bases(points) {
      const id = nextId++;
      g2Store.set(id, points.slice());
      return { kind: 'g2', id, length: points.length } satisfies G2Bases;
    },
    async msmG1(bases, scalars, offset = 0) {
      stats.msmG1++;
      return msm(G1, slice(g1Store, bases.id, offset, scalars.length), scalars);
    },
    async msmG2(bases, scalars, offset = 0) {
      stats.msmG2++;
      return msm(G2, slice(g2Store, bases.id, offset, scalars.length), scalars);
    },
    async msmG1Points(points, scalars) {
      stats.msmG1++;
      return msm(G1, points, scalars);
    },
    async msmG2Points(points, scalars) {
      stats.msmG2++;
      return msm(G2, points, scalars);
    },
    async combineG1(points, combinations) {
      checkCombinations(points.length, combinations);
      return combinations.map((c) => c.reduce((acc, t) => acc.add(signedMultiple(points[t.index], t.scalar)), G1.ZERO));
    },
    async fixedBaseG1(base, scalars) {
      return scalars.map((s) => base.multiplyUnsafe(s));
    },
    async fixedBaseG2(base, scalars) {
      return scalars.map((s) => base.multiplyUnsafe(s));
    },
    async rangeKBasisG1(powers) {
      const n = powers.length;
      if (!isPowerOfTwo(n)) throw new EngineError(`the range K basis needs a power-of-two number of powers, got ${n}`);
      const vanishing = fallingFactorial(n, engine);
      return Array.from({ length: n }, (_, v) => msm(G1, powers, divideExact(vanishing, BigInt(v))));
    },
    ntt: (values, shift = 1n) => nttReference(values, shift),
    intt: (values, shift = 1n) => inttReference(values, shift),
    transforms: async (vectors, { inverse = false, shift = 1n } = {}) => vectors.map((v) => (inverse ? inttReference(v, shift) : nttReference(v, shift))),
    batchInvert: (values) => batchInvertFr(values),
    frProgram: runFrProgram,
    barycentricSum: (values, z) => barycentricSumBigint(values, keptWeights.get(values.length, z, () => barycentricWeights(values.length, z))),
    linearCombination: (polys, scalars) => {
      if (polys.length !== scalars.length) throw new EngineError(`linearCombination: ${polys.length} polynomials but ${scalars.length} scalars`);
      return Object.freeze(linearCombination(polys, scalars));
    },
    evaluateAt,
    cosetIdentities: async (shift, polys, parts, point) => {
      const sizes = largestReaders(polys.length, parts);
      const formed = formPolynomials(polys);
      const values = formed.map((f, j) => (sizes[j] > 0 ? nttReference(foldModulo(f, sizes[j], Fr.pow(shift, BigInt(sizes[j]))), shift) : []));
      const out = new Array<bigint>(Math.max(0, ...parts.map((p) => p.size))).fill(0n);
      for (const { size: m, terms, scale } of parts) {
        const p = new Array<bigint>(m);
        for (let i = 0; i < m; i++) {
          let acc = 0n;
          for (const t of terms) {
            let x = t.coeff;
            for (const f of t.factors) x = (x * values[f][i * (sizes[f] / m)]) % R;
            acc += x;
          }
          p[i] = ((acc % R) * scale[i % scale.length]) % R;
        }
        inttReference(p, shift).forEach((c, i) => (out[i] = (out[i] + c) % R));
      }
      return { coefficients: out, values: point === undefined ? [] : evaluateAt(formed, point) };
    },
    multiPairing: (terms) => multiPairingNoble(terms, stats),
    async close() {
      g1Store.clear();
      g2Store.clear();
    },
  };
  return engine;
}

function msm<P extends G1Point | G2Point>(
  C: typeof G1 | typeof G2,
  points: readonly P[],
  scalars: readonly bigint[],
): P {
  if (points.length !== scalars.length) throw new EngineError(`MSM of ${scalars.length} scalars over ${points.length} points`);
  for (const s of scalars) if (s < 0n || s >= Fr.ORDER) throw new EngineError('MSM scalar is not a canonical Fr element');
  if (points.length === 0) return C.ZERO as P;
  return pippenger(C as never, points as never, scalars as bigint[]) as unknown as P;
}

/** `s·p` with s read as a signed integer ({@link signedMagnitude}). */
function signedMultiple(p: G1Point, s: bigint): G1Point {
  const { magnitude, negative } = signedMagnitude(s);
  const q = magnitude === 0n ? G1.ZERO : p.multiplyUnsafe(magnitude);
  return negative ? q.negate() : q;
}
