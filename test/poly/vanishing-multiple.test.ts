/** `f + Z_H·b`: f's values on H, `f(z) + Z_H(z)·b(z)` elsewhere, and the commitment's share `[(Z_H·b)(τ)]₁`. */
import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { createReferenceEngine } from '../../src/engine/reference';
import { SrsError } from '../../src/errors';
import { Fr, R } from '../../src/field';
import { commit, commitVanishingMultiple } from '../../src/kzg/commit';
import { EvaluationDomain } from '../../src/poly/domain';
import { evaluate } from '../../src/poly/polynomial';
import { addVanishingMultiple } from '../../src/poly/vanishing-multiple';
import { testKey } from '../kzg/helpers';

const fr = fc.bigInt({ min: 0n, max: R - 1n });

test('f + Z_H·b keeps f on H and adds Z_H(z)·b(z) elsewhere', async () => {
  const engine = createReferenceEngine();
  const n = 8;
  const domain = new EvaluationDomain(n, engine);
  fc.assert(
    fc.property(fc.array(fr, { minLength: 0, maxLength: n }), fc.array(fr, { minLength: 1, maxLength: 3 }), fr, (f, b, z) => {
      const g = addVanishingMultiple(f, n, b);
      assert.equal(g.length, n + b.length);
      for (let i = 0; i < n; i++) assert.equal(evaluate(g, domain.element(i)), evaluate(f, domain.element(i)), `value at ω^${i}`);
      assert.equal(evaluate(g, z), Fr.add(evaluate(f, z), Fr.mul(domain.vanishingAt(z), evaluate(b, z))));
    }),
    { numRuns: 30 },
  );
});

test('[f + Z_H·b]₁ = [f]₁ + commitVanishingMultiple(b); too few powers is an SrsError', async () => {
  const engine = createReferenceEngine();
  const n = 8;
  const key = await testKey(engine, n + 2);
  const f = Array.from({ length: n }, (_, i) => BigInt(i * i + 3));
  const b = [5n, R - 7n, 11n];
  const blinded = await commit(key, addVanishingMultiple(f, n, b));
  assert.ok(blinded.equals((await commit(key, f)).add(await commitVanishingMultiple(key, n, b))));
  await assert.rejects(commitVanishingMultiple(key, n, [1n, 2n, 3n, 4n]), SrsError);
});
