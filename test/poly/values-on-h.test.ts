/**
 * src/poly/values-on-h.ts: the forward transform of an interpolant (blinded, trimmed) reads the values it was
 * interpolated from, and they are exactly the transform's, on the WASM engine and the reference one.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { createReferenceEngine } from '../../src/engine/reference';
import { createWasmEngine } from '../../src/engine/wasm/engine';
import { Fr, R } from '../../src/field';
import { EvaluationDomain } from '../../src/poly/domain';
import { trim } from '../../src/poly/polynomial';
import { addVanishingMultiple } from '../../src/poly/vanishing-multiple';
import { carryValuesOnH, knownValuesOnH, rememberValuesOnH } from '../../src/poly/values-on-h';
import { frArb, naiveDft } from './naive';

const engines = [createReferenceEngine(), createWasmEngine()];
const log = fc.integer({ min: 0, max: 6 });
/** Values of a tensor cell as the blocks give them: canonical, negative integers, or above r. */
const cell = fc.oneof(frArb, fc.bigInt({ min: -(1n << 70n), max: -1n }), fc.bigInt({ min: R, max: 3n * R }));

/**
 * The forward transform on H_n of a copy of the coefficients (no record): the path that reads no values, as canonical
 * elements (the reference engine's transform of size 1 returns a non-canonical input as it is).
 */
const transformed = (domain: EvaluationDomain, coeffs: readonly bigint[]) => domain.fft([...coeffs]).map((x) => Fr.create(x));

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
