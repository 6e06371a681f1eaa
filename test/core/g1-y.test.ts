/**
 * `g1YsFromXs` (the `bn254_g1YsFromXs` kernel, `wasm/decompress.ts`): for the abscissa of a point of G1 it returns
 * one of its two ordinates; for any x it returns a root of x³ + 3 exactly when x³ + 3 is a square mod p (Euler's
 * criterion in bigints), else undefined (fast-check); the root it returns is exactly `(x³ + 3)^((p+1)/4)` as bigints
 * compute it (the sliding-window exponentiation is that power, not another root); and a batch, whose abscissas run
 * three at a time in lockstep and the last one or two alone, gives each abscissa the root a call of its own gives.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { G1_ONE } from '../../src/curve';
import { Fp, R } from '../../src/field';
import { g1YsFromXs } from '../../src/encoding/g1-y';

const P = Fp.ORDER;
const g1YFromX = (x: bigint) => g1YsFromXs([x])[0];
/** `(x³ + 3)^((p+1)/4)` in bigints when it is a root, else undefined. */
const expected = (x: bigint) => {
  const rhs = Fp.add(Fp.mul(Fp.sqr(x), x), 3n);
  const power = Fp.pow(rhs, (P + 1n) / 4n);
  return Fp.sqr(power) === rhs ? power : undefined;
};

test('the abscissa of a point of G1 gives one of its ordinates', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: 1n, max: R - 1n }), (k) => {
      const { x, y } = G1_ONE.multiply(k).toAffine();
      const got = g1YFromX(x);
      assert.ok(got === y || got === Fp.neg(y));
    }),
    { numRuns: 50 },
  );
});

test('any x: a root of x³ + 3 exactly when it is a square (Euler), else undefined', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: 0n, max: P - 1n }), (x) => {
      const rhs = Fp.add(Fp.mul(Fp.sqr(x), x), 3n);
      const square = rhs === 0n || Fp.pow(rhs, (P - 1n) / 2n) === 1n;
      const y = g1YFromX(x);
      if (square) assert.equal(y !== undefined && Fp.sqr(y) === rhs, true);
      else assert.equal(y, undefined);
    }),
    { numRuns: 200 },
  );
});

test('edge abscissas: 0 (3 is not a square), p − 1 (x³ + 3 = 2), 1 (the generator)', () => {
  for (const x of [0n, P - 1n, 1n]) {
    const rhs = Fp.add(Fp.mul(Fp.sqr(x), x), 3n);
    const y = g1YFromX(x);
    assert.equal(y === undefined ? undefined : Fp.sqr(y), Fp.pow(rhs, (P - 1n) / 2n) === 1n ? rhs : undefined);
  }
  assert.ok([2n, P - 2n].includes(g1YFromX(1n)!));
});

test('the root is (x³ + 3)^((p+1)/4) exactly, for squares and for abscissas near 0 and p', () => {
  const check = (x: bigint) => assert.equal(g1YFromX(x), expected(x));
  fc.assert(fc.property(fc.bigInt({ min: 0n, max: P - 1n }), check), { numRuns: 200 });
  fc.assert(fc.property(fc.bigInt({ min: 1n, max: R - 1n }), (k) => check(G1_ONE.multiply(k).toAffine().x)), { numRuns: 50 });
  for (let d = 0n; d < 16n; d++) [d, P - 1n - d].forEach(check);
});

test('a batch (lockstep triples, then one or two alone) gives every abscissa its own root, squares or not', () => {
  const abscissa = fc.oneof(
    fc.bigInt({ min: 0n, max: P - 1n }),
    fc.bigInt({ min: 1n, max: R - 1n }).map((k) => G1_ONE.multiply(k).toAffine().x),
    fc.bigInt({ min: 0n, max: 15n }).map((d) => P - 1n - d),
  );
  fc.assert(
    fc.property(fc.array(abscissa, { minLength: 0, maxLength: 11 }), (xs) => {
      assert.deepEqual(g1YsFromXs(xs), xs.map(expected));
      assert.deepEqual(g1YsFromXs(xs), xs.map(g1YFromX));
    }),
    { numRuns: 60 },
  );
  assert.deepEqual(g1YsFromXs([]), []);
});
