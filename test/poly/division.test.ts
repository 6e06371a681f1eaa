import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createReferenceEngine } from '../../src/engine/reference';
import { PolyError } from '../../src/errors';
import { R } from '../../src/field';
import { divideByBinomial, divideByLinear, divideByVanishing, divideExact, divideExactByVanishing } from '../../src/poly/division';
import { add, evaluate, mul, sub } from '../../src/poly/polynomial';
import { frArb, longDivide, polyArb, samePoly, schoolbook, vanishingPoly } from './naive';

const engine = createReferenceEngine();

test('division by X − z equals long division, and the remainder is f(z)', () => {
  fc.assert(
    fc.property(polyArb(40), frArb, (f, z) => {
      const { quotient, remainder } = divideByLinear(f, z);
      const ref = longDivide(f, [R - z === R ? 0n : R - z, 1n]);
      assert.ok(samePoly(quotient, ref.q));
      assert.equal(remainder, ref.r[0] ?? 0n);
      assert.equal(remainder, evaluate(f, z));
      assert.equal(quotient.length, Math.max(f.length - 1, 0));
    }),
  );
});

test('divideExact returns q for f = q·(X − z) and throws on a non-zero remainder', () => {
  fc.assert(
    fc.property(polyArb(30), frArb, frArb, (q, z, e) => {
      const f = mul(q, [(R - z) % R, 1n], engine);
      assert.ok(samePoly(divideExact(f, z), q));
      const shifted = add(f, [e]);
      if (e === 0n) assert.ok(samePoly(divideExact(shifted, z), q));
      else assert.throws(() => divideExact(shifted, z), PolyError);
    }),
  );
});

test('division by X^n − 1 equals long division and reconstructs f', () => {
  fc.assert(
    fc.property(polyArb(80), fc.integer({ min: 1, max: 32 }), (f, n) => {
      const { quotient, remainder } = divideByVanishing(f, n);
      const ref = longDivide(f, vanishingPoly(n));
      assert.equal(remainder.length, n);
      assert.ok(samePoly(quotient, ref.q));
      assert.ok(samePoly(remainder, ref.r));
      assert.ok(samePoly(add(mul(quotient, vanishingPoly(n), engine), remainder), f));
    }),
  );
});

test('divideByBinomial: f = q·(X^k − z) + r by naive multiplication, |r| = k, |q| = max(|f| − k, 0), as long division', () => {
  fc.assert(
    fc.property(polyArb(60), fc.constantFrom(1, 2, 3, 5, 8), fc.oneof(frArb, fc.constant(1n)), (f, k, z) => {
      const { quotient, remainder } = divideByBinomial(f, k, z);
      const binomial = [(R - z) % R, ...new Array<bigint>(k - 1).fill(0n), 1n];
      assert.equal(remainder.length, k);
      assert.equal(quotient.length, Math.max(f.length - k, 0));
      assert.ok(samePoly(add(schoolbook(quotient, binomial), remainder), f));
      const ref = longDivide(f, binomial);
      assert.ok(samePoly(quotient, ref.q));
      assert.ok(samePoly(remainder, ref.r));
    }),
  );
  for (const k of [0, -1, 1.5, Number.NaN, 2 ** 53]) assert.throws(() => divideByBinomial([1n, 2n], k, 3n), PolyError);
});

test('divideExactByVanishing accepts multiples of X^n − 1 and rejects anything else', () => {
  fc.assert(
    fc.property(polyArb(30), fc.integer({ min: 1, max: 16 }), polyArb(16, 1), (q, n, r) => {
      const f = mul(q, vanishingPoly(n), engine);
      assert.ok(samePoly(divideExactByVanishing(f, n), q));
      const rem = r.slice(0, n);
      if (rem.some((c) => c !== 0n)) assert.throws(() => divideExactByVanishing(sub(f, rem), n), PolyError);
    }),
  );
  assert.throws(() => divideByVanishing([1n], 0), PolyError);
});
