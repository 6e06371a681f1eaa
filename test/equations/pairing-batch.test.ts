/**
 * The multi-pairing batcher (`src/equations/pairing-check.ts`): grouping terms by public G2 point and merging the
 * terms of one G1 point object into one base of the group's MSM must not change the product, so a batch that
 * holds is still accepted and one that fails is still rejected (fast-check over random scalars and repeats).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bn254 } from '@noble/curves/bn254.js';
import { G1_ONE, G2_ONE, Fp12, type G1Point, type G2Point } from '../../src/curve';
import { R } from '../../src/field';
import { getDefaultEngine } from '../../src/engine/index';
import { groupPairingTerms, pairingProductIsOne, type ScaledPairing } from '../../src/equations/pairing-check';
import { monomialScalar } from '../../src/equations/evaluate';
import { DeferredG1 } from '../../src/engine/deferred';
import { BlockfoldError } from '../../src/errors';

const engine = getDefaultEngine();
const points: G1Point[] = [1n, 2n, 3n, 5n].map((k) => G1_ONE.multiply(k));
const tau: G2Point = G2_ONE.multiply(7n);

/** `Π e(g1_i, g2_i)` by noble's own batch pairing (which refuses the identity: such pairs contribute 1). */
function noblePairing(pairs: readonly { g1: G1Point; g2: G2Point }[]) {
  return bn254.pairingBatch(pairs.filter((p) => !p.g1.is0()));
}

/** `Π e(k_i·P_i, Q_i)` term by term, with no grouping. */
function ungrouped(terms: readonly ScaledPairing[]) {
  return noblePairing(terms.map((t) => ({ g1: (t.g1 as G1Point).multiplyUnsafe(t.scalar), g2: t.g2 })));
}

const scalar = fc.bigInt({ min: 0n, max: R - 1n });
const term = fc.record({ point: fc.nat({ max: points.length - 1 }), scalar, q: fc.boolean() });

test('grouping and merging repeated points keep the product of the pairings', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(term, { minLength: 1, maxLength: 8 }), async (ts) => {
      const terms: ScaledPairing[] = ts.map((t) => ({ scalar: t.scalar, g1: points[t.point], g2: t.q ? tau : G2_ONE, g2Key: t.q ? 'tau' : 'one' }));
      const pairs = await groupPairingTerms(engine, terms);
      assert.ok(pairs.length <= 2, 'one pair per public G2 point');
      assert.ok(Fp12.eql(engine.multiPairing(pairs), ungrouped(terms)));
    }),
    { numRuns: 20 },
  );
});

test('a repeated point whose scalars cancel drops out; a batch off by one scalar is rejected', async () => {
  await fc.assert(
    fc.asyncProperty(scalar, scalar, async (k, j) => {
      // k·e(P, [1]) + (r − k)·e(P, [1]) + j·e(Q, [τ]) − j·e(Q, [τ]) = 0: holds, with P and Q each a repeated object.
      const [p, q] = points;
      const holds: ScaledPairing[] = [
        { scalar: k, g1: p, g2: G2_ONE, g2Key: 'one' },
        { scalar: j, g1: q, g2: tau, g2Key: 'tau' },
        { scalar: (R - k) % R, g1: p, g2: G2_ONE, g2Key: 'one' },
        { scalar: (R - j) % R, g1: q, g2: tau, g2Key: 'tau' },
      ];
      assert.equal(await pairingProductIsOne(engine, holds), true);
      const off = holds.map((t, i) => (i === 2 ? { ...t, scalar: (t.scalar + 1n) % R } : t));
      assert.equal(await pairingProductIsOne(engine, off), false);
    }),
    { numRuns: 10 },
  );
});

test('the multi-pairing of a cached G2 point equals noble on fresh points, again and again', () => {
  // The Miller-loop line coefficients of [τ]₂ are computed once and reused: later products must not drift.
  for (let i = 1n; i <= 3n; i++) {
    const pairs = [
      { g1: G1_ONE.multiply(i), g2: tau },
      { g1: G1_ONE.multiply(7n * i).negate(), g2: G2_ONE },
      { g1: G1_ONE.multiply(i + 1n), g2: tau },
    ];
    const got = engine.multiPairing(pairs);
    assert.ok(Fp12.eql(got, noblePairing(pairs)));
    assert.equal(Fp12.eql(got, Fp12.ONE), false);
    assert.ok(Fp12.eql(engine.multiPairing(pairs.slice(0, 2)), Fp12.ONE), 'e(i·G, τ·H)·e(−7i·G, H) = 1');
  }
});

test('a deferred combination pairs as the point it stands for, in a group of a public G2 point and paired directly', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(scalar, { minLength: 4, maxLength: 4 }), scalar, fc.boolean(), async (ks, k, keyed) => {
      const deferred = DeferredG1.sum(points, ks);
      const point = await engine.msmG1Points(points, ks);
      // keyed: [τ]₂ public (grouped); not keyed: a G2 slot (paired directly).
      const term = (g1: G1Point | DeferredG1): ScaledPairing => ({ scalar: k, g1, g2: tau, ...(keyed ? { g2Key: 'tau' } : {}) });
      const extra: ScaledPairing = { scalar: 3n, g1: points[0], g2: G2_ONE, g2Key: 'one' };
      const withDeferred = engine.multiPairing(await groupPairingTerms(engine, [term(deferred), extra]));
      assert.ok(Fp12.eql(withDeferred, engine.multiPairing(await groupPairingTerms(engine, [term(point), extra]))));
      assert.ok(Fp12.eql(withDeferred, ungrouped([term(point), extra])));
    }),
    { numRuns: 8 },
  );
});

test('a deferred combination under a public G1 key is refused (a public point is never derived)', async () => {
  const deferred = DeferredG1.sum(points, [1n, 2n, 3n, 4n]);
  await assert.rejects(groupPairingTerms(engine, [{ scalar: 1n, g1: deferred, g1Key: 'p', g2: tau }]), (e) => e instanceof BlockfoldError && /deferred/.test(e.message));
});

test('monomialScalar: coefficients 1 and −1 (the built-in equations\') take no multiplication and equal coeff·weight·Π scalars', () => {
  fc.assert(
    fc.property(fc.constantFrom(1n, R - 1n, 0n, 2n, R - 2n), fc.bigInt({ min: 0n, max: R - 1n }), fc.array(fc.bigInt({ min: 0n, max: R - 1n }), { maxLength: 3 }), (coeff, weight, xs) => {
      const values = Object.fromEntries(xs.map((x, i) => [`s${i}`, x]));
      const want = xs.reduce((acc, x) => (acc * x) % R, (coeff * weight) % R);
      assert.equal(monomialScalar(values, coeff, xs.map((_, i) => `s${i}`), weight), want);
    }),
    { numRuns: 300 },
  );
  assert.equal(monomialScalar({}, R - 1n, [], 0n), 0n);
  assert.equal(monomialScalar({}, R - 1n, []), R - 1n);
});
