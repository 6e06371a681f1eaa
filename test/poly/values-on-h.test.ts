/**
 * src/poly/values-on-h.ts: the forward transform of an interpolant (blinded, trimmed) reads the values it was
 * interpolated from, exactly the transform's result, on the WASM engine and the reference one; an array with a record
 * is frozen, so writing into it throws.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { createReferenceEngine } from '../../src/engine/reference';
import { createWasmEngine } from '../../src/engine/wasm/engine';
import { Fr, R } from '../../src/field';
import { EvaluationDomain, interpolateEach } from '../../src/poly/domain';
import { trim } from '../../src/poly/polynomial';
import { addVanishingMultiple } from '../../src/poly/vanishing-multiple';
import { carryValuesOnH, knownValuesOnH, rememberValuesOnH } from '../../src/poly/values-on-h';
import { frArb, naiveDft } from './naive';

const engines = [createReferenceEngine(), createWasmEngine()];
const log = fc.integer({ min: 0, max: 6 });
/** Values of a tensor cell as the blocks give them: canonical, negative integers, or above r. */
const cell = fc.oneof(frArb, fc.bigInt({ min: -(1n << 70n), max: -1n }), fc.bigInt({ min: R, max: 3n * R }));

/** Field elements as their canonical representatives (an interpolant copied from another's holds that one's). */
const canonical = (xs: readonly bigint[]) => xs.map((x) => Fr.create(x));
/**
 * The forward transform on H_n of a copy of the coefficients (no record): the path that reads no values, as canonical
 * elements (the reference engine's transform of size 1 returns a non-canonical input as it is).
 */
const transformed = (domain: EvaluationDomain, coeffs: readonly bigint[]) => canonical(domain.fft([...coeffs]));

test('fft of an interpolant, of its blindings and of its trimmed copy equals the transform of its coefficients', () => {
  for (const engine of engines) {
    fc.assert(
      fc.property(log, fc.array(cell, { minLength: 64, maxLength: 64 }), fc.array(frArb, { maxLength: 3 }), (k, cells, b) => {
        const n = 1 << k;
        const domain = new EvaluationDomain(n, engine);
        const coeffs = domain.ifft(cells.slice(0, n));
        const expected = transformed(domain, coeffs);
        assert.deepEqual(expected, cells.slice(0, n).map((x) => Fr.create(x)));
        assert.deepEqual(knownValuesOnH(coeffs, n), expected, 'recorded canonical values');
        assert.deepEqual(domain.fft(coeffs), expected);
        const blinded = addVanishingMultiple(coeffs, n, b);
        assert.deepEqual(domain.fft(blinded), transformed(domain, blinded));
        const trimmed = trim(blinded);
        assert.deepEqual(domain.fft(trimmed), transformed(domain, trimmed));
        assert.deepEqual(domain.fft(trimmed), naiveDft(trimmed, n, domain.omega).map((x) => Fr.create(x)));
      }),
      { numRuns: 40 },
    );
  }
});

test('a record for H_n is read on H_n only: other domains, and a blinding over another domain, transform', () => {
  for (const engine of engines) {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(frArb, { minLength: 32, maxLength: 32 }), fc.array(frArb, { minLength: 1, maxLength: 2 }), (k, cells, b) => {
        const n = 1 << k;
        const small = new EvaluationDomain(n, engine);
        const large = new EvaluationDomain(2 * n, engine);
        const coeffs = small.ifft(cells.slice(0, n));
        assert.equal(knownValuesOnH(coeffs, 2 * n), undefined);
        assert.deepEqual(large.fft(coeffs), naiveDft(coeffs, 2 * n, large.omega));
        // Z_{H_2n}·b is not zero on H_n: its sum with an interpolant over H_n keeps no record.
        const other = addVanishingMultiple(coeffs, 2 * n, b);
        assert.equal(knownValuesOnH(other, n), undefined);
        assert.deepEqual(small.fft(other), naiveDft(other, n, small.omega));
        assert.deepEqual(large.fft(other), naiveDft(other, 2 * n, large.omega));
      }),
      { numRuns: 30 },
    );
  }
});

test('the record is a canonical copy: changing the vector interpolated from changes nothing', () => {
  const coeffs = [1n, 2n];
  const values = [3n, -1n];
  rememberValuesOnH(coeffs, values);
  values[0] = 7n;
  assert.deepEqual(knownValuesOnH(coeffs, 2), [3n, R - 1n]);
  const read = knownValuesOnH(coeffs, 2)!;
  read[1] = 0n;
  assert.deepEqual(knownValuesOnH(coeffs, 2), [3n, R - 1n], 'each read is a fresh array');
  const copy = [...coeffs];
  carryValuesOnH(coeffs, copy, 4);
  assert.equal(knownValuesOnH(copy, 2), undefined, 'a blinding over H_4 carries no record for H_2');
  carryValuesOnH(coeffs, copy);
  assert.deepEqual(knownValuesOnH(copy, 2), [3n, R - 1n]);
});

test('an array with a record is frozen: writing into an interpolant or its blinding throws instead of leaving its recorded values stale', () => {
  for (const engine of engines) {
    const domain = new EvaluationDomain(4, engine);
    const coeffs = domain.ifft([1n, 2n, 3n, 5n]);
    assert.throws(() => {
      (coeffs as bigint[])[0] = 7n;
    }, TypeError);
    const blinded = addVanishingMultiple(coeffs, 4, [9n]);
    assert.throws(() => {
      (blinded as bigint[])[1] = 7n;
    }, TypeError);
    assert.deepEqual(domain.fft(coeffs), [1n, 2n, 3n, 5n]);
    assert.deepEqual(canonical(domain.fft([...blinded])), [1n, 2n, 3n, 5n]);
  }
});

test('the batched transforms keep the records: iffts and interpolateEach record their values, ffts reads them without a transform', async () => {
  for (const engine of engines) {
    let asked = 0;
    const counting = { ...engine, transforms: (v: readonly (readonly bigint[])[], o?: { inverse?: boolean }) => ((asked += v.length), engine.transforms(v, o)) } as typeof engine;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 5 }), fc.array(cell, { minLength: 64, maxLength: 64 }), async (k, cells) => {
        const n = 1 << k;
        const domain = new EvaluationDomain(n, counting);
        const [a, b] = [cells.slice(0, n), cells.slice(32, 32 + n)];
        asked = 0;
        const [ca, cb] = await domain.iffts([a, b]);
        assert.deepEqual(canonical(ca), canonical(domain.ifft([...a].map((x) => Fr.create(x) + R))), 'same coefficients as one ifft');
        assert.deepEqual(knownValuesOnH(cb, n), canonical(b), 'iffts records its values');
        const before = asked;
        assert.deepEqual(await domain.ffts([ca, cb]), [canonical(a), canonical(b)]);
        assert.equal(asked, before, 'ffts of interpolants transforms nothing');
        const [again] = await interpolateEach([[...a]], counting);
        assert.deepEqual(canonical(again), canonical(ca), 'interpolateEach is iffts');
        assert.deepEqual(knownValuesOnH(again, n), canonical(a));
        // A polynomial without a record is transformed.
        assert.deepEqual((await domain.ffts([[...ca]])).map(canonical), [canonical(a)]);
        assert.equal(asked, before + 2);
      }),
      { numRuns: 20 },
    );
  }
});
