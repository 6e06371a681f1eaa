import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createReferenceEngine } from '../../src/engine/reference';
import { PolyError } from '../../src/errors';
import { Fr, R } from '../../src/field';
import { add, copyCoefficients, degree, evaluate, linearCombination, mul, padTo, scale, splitPolynomial, sub, trim } from '../../src/poly/polynomial';
import { frArb, naiveEval, polyArb, samePoly, schoolbook } from './naive';

const engine = createReferenceEngine();

test('Horner evaluation equals Σ f_j·x^j', () => {
  fc.assert(fc.property(polyArb(40), frArb, (f, x) => assert.equal(evaluate(f, x), naiveEval(f, x))));
});

test('add, sub, scale and linearCombination are coefficient-wise and agree at a point', () => {
  fc.assert(
    fc.property(polyArb(30), polyArb(30), frArb, frArb, frArb, (a, b, k, l, x) => {
      const s = add(a, b);
      const d = sub(a, b);
      assert.equal(s.length, Math.max(a.length, b.length));
      for (const c of [...s, ...d]) assert.ok(c >= 0n && c < R);
      assert.equal(evaluate(s, x), Fr.add(evaluate(a, x), evaluate(b, x)));
      assert.equal(evaluate(d, x), Fr.sub(evaluate(a, x), evaluate(b, x)));
      assert.ok(samePoly(add(d, b), a));
      assert.equal(evaluate(scale(a, k), x), Fr.mul(k, evaluate(a, x)));
      const lc = linearCombination([a, b], [k, l]);
      assert.ok(samePoly(lc, add(scale(a, k), scale(b, l))));
    }),
  );
  assert.throws(() => linearCombination([[1n]], []), PolyError);
});

test('linearCombination with weights ±1 (added or subtracted, no product) is Σ k_i·f_i coefficient by coefficient, canonical', () => {
  const weight = fc.oneof(fc.constantFrom(1n, R - 1n, 0n), frArb);
  fc.assert(
    fc.property(fc.array(fc.tuple(polyArb(12), weight), { minLength: 1, maxLength: 5 }), (terms) => {
      const lc = linearCombination(
        terms.map(([f]) => f),
        terms.map(([, k]) => k),
      );
      assert.equal(lc.length, Math.max(...terms.map(([f]) => f.length)));
      lc.forEach((c, i) => assert.equal(c, terms.reduce((acc, [f, k]) => Fr.add(acc, Fr.mul(k, f[i] ?? 0n)), 0n), `coefficient ${i}`));
    }),
  );
});

test('mul equals the schoolbook product, through both the schoolbook and the NTT path', () => {
  fc.assert(
    fc.property(polyArb(90), polyArb(90), (a, b) => {
      const p = mul(a, b, engine);
      assert.deepEqual(p, schoolbook(a, b));
    }),
    { numRuns: 60 },
  );
  const long = Array.from({ length: 70 }, (_, i) => BigInt(i * i + 1));
  assert.deepEqual(mul(long, long.slice(0, 40), engine), schoolbook(long, long.slice(0, 40)), 'NTT path with exact lengths');
});

test('copyCoefficients: a fresh, writable array of the first length coefficients, of a frozen array as of any other', () => {
  fc.assert(
    fc.property(polyArb(30), fc.integer({ min: -2, max: 40 }), fc.boolean(), (f, length, frozen) => {
      const source = frozen ? Object.freeze([...f]) : f;
      const all = copyCoefficients(source);
      assert.deepEqual(all, f);
      assert.notEqual(all, source);
      const prefix = copyCoefficients(source, length);
      assert.deepEqual(prefix, f.slice(0, Math.max(length, 0)));
      prefix.push(1n);
      assert.equal(prefix.at(-1), 1n);
      assert.deepEqual(source, f);
    }),
  );
});

test('trim, degree and padTo', () => {
  assert.deepEqual(trim([1n, 0n, 2n, 0n, 0n]), [1n, 0n, 2n]);
  assert.deepEqual(trim([0n, 0n]), []);
  assert.equal(degree([0n, 0n]), -1);
  assert.equal(degree([5n, 0n, 3n, 0n]), 2);
  assert.deepEqual(padTo([1n], 3), [1n, 0n, 0n]);
  assert.throws(() => padTo([1n, 2n], 1), PolyError);
});

test('splitPolynomial: Σ_j X^(j·size)·f_j = f, every piece but the last of size + 1 coefficients, and the blindings move every piece but the last', () => {
  const fr = fc.bigInt({ min: 0n, max: R - 1n });
  fc.assert(
    fc.property(fc.array(fr, { maxLength: 40 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 12 }), fc.array(fr, { minLength: 3, maxLength: 3 }), (f, count, size, draws) => {
      const blinds = draws.slice(0, count - 1);
      const pieces = splitPolynomial(f, count, size, blinds);
      assert.equal(pieces.length, count);
      pieces.slice(0, -1).forEach((p) => assert.equal(p.length, size + 1));
      // Recombined: Σ_j X^(j·size)·f_j.
      let whole: bigint[] = [];
      pieces.forEach((p, j) => (whole = add(whole, [...new Array<bigint>(j * size).fill(0n), ...p])));
      assert.deepEqual(trim(whole), trim(f));
      if (count > 1) {
        const other = splitPolynomial(f, count, size, blinds.map((b) => (b + 1n) % R));
        pieces.slice(0, -1).forEach((p, j) => assert.notDeepEqual(other[j], p, `piece ${j} is not hidden by its blinding`));
      }
    }),
    { numRuns: 60 },
  );
  assert.throws(() => splitPolynomial([1n, 2n], 2, 1, []), PolyError, 'a blinding per boundary');
  assert.throws(() => splitPolynomial([1n, 2n], 0, 1, []), PolyError);
  assert.throws(() => splitPolynomial([1n, 2n], 1, 0, []), PolyError);
});

test('copyCoefficients at the boundary lengths: |f| − 1, |f|, |f| + 1, 0 and −1, of a frozen array', () => {
  const f = [1n, 2n, 0n, 3n, 0n];
  for (const length of [f.length - 1, f.length, f.length + 1, 0, -1]) assert.deepEqual(copyCoefficients(Object.freeze([...f]), length), f.slice(0, Math.max(length, 0)), `length ${length}`);
});
