import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createReferenceEngine } from '../../src/engine/reference';
import { G1_ONE, G2_ONE } from '../../src/curve';
import { R } from '../../src/field';

const engine = createReferenceEngine();

test('reference MSM equals the naive sum of scalar multiples', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.bigInt({ min: 0n, max: R - 1n }), { minLength: 0, maxLength: 6 }), async (scalars) => {
      const points = scalars.map((_, i) => G1_ONE.multiply(BigInt(i + 2)));
      const bases = await engine.loadG1Bases(points);
      const got = await engine.msmG1(bases, scalars);
      const want = scalars.reduce((acc, s, i) => acc.add(points[i].multiplyUnsafe(s)), G1_ONE.multiply(1n).subtract(G1_ONE));
      assert.ok(got.equals(want));
    }),
    { numRuns: 20 },
  );
});

test('multiPairing drops identity pairs and detects e(P,Q)·e(−P,Q) = 1', () => {
  const one = engine.multiPairing([
    { g1: G1_ONE, g2: G2_ONE },
    { g1: G1_ONE.negate(), g2: G2_ONE },
    { g1: G1_ONE.subtract(G1_ONE), g2: G2_ONE },
  ]);
  assert.ok(one.c0.c0.c0 === 1n);
  const notOne = engine.multiPairing([{ g1: G1_ONE.double(), g2: G2_ONE }, { g1: G1_ONE.negate(), g2: G2_ONE }]);
  assert.notEqual(notOne.c0.c0.c0 === 1n && notOne.c1.c0.c0 === 0n, true);
});
