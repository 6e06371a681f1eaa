// The words kept beside coefficients (src/poly/kept-words.ts): an engine packing a polynomial copies the words it
// computed it as, so a record must follow the array exactly: the array is frozen when the record is made, the record
// is carried by trim and by a blinding with the indices it changes, and an array written after the engine gave it
// cannot exist.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createReferenceEngine } from '../../src/engine/reference';
import { createWasmEngine } from '../../src/engine/wasm/engine';
import { R } from '../../src/field';
import { EvaluationDomain } from '../../src/poly/domain';
import { carryWords, keepWords, keptWords } from '../../src/poly/kept-words';
import { trim } from '../../src/poly/polynomial';
import { addVanishingMultiple } from '../../src/poly/vanishing-multiple';

const wasm = createWasmEngine();
const reference = createReferenceEngine();
after(() => wasm.close());
const value = fc.oneof(fc.constantFrom(0n, 1n, R - 1n), fc.bigInt({ min: 0n, max: R - 1n }));

test('a record freezes its array, and is carried (freezing the copy) with the indices a copy changes', () => {
  const f = [1n, 2n, 3n];
  const words = new Uint8Array(96);
  keepWords(f, words);
  assert.ok(Object.isFrozen(f));
  assert.throws(() => {
    (f as bigint[])[0] = 9n;
  }, TypeError);
  assert.deepEqual(keptWords(f), { words, differs: [] });
  const g = [1n, 5n, 3n, 7n];
  carryWords(f, g, [1]);
  assert.ok(Object.isFrozen(g));
  assert.deepEqual(keptWords(g), { words, differs: [1] });
  // Nothing is carried from an array without a record.
  const h = Object.freeze([9n]);
  carryWords([9n], h);
  assert.equal(keptWords(h), undefined);
});

test('interpolants, their trimmed and blinded copies are packed from their kept words: the engine reads the same polynomials as from their coefficients (evaluations, transforms, quotient identities)', async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 1, max: 5 }), fc.array(value, { minLength: 32, maxLength: 32 }), fc.array(value, { maxLength: 3 }), value, async (log, cells, blinding, x) => {
      const n = 1 << log;
      const domain = new EvaluationDomain(n, wasm);
      const f = domain.ifft(cells.slice(0, n));
      assert.ok(keptWords(f), 'an interpolant keeps the words it was computed as');
      const blinded = addVanishingMultiple(f, n, blinding);
      const trimmed = trim(blinded);
      for (const p of [f, blinded, trimmed]) {
        const plain = [...p];
        assert.deepEqual(wasm.evaluateAt([p], x), reference.evaluateAt([plain], x));
        const part = { size: 2 * n, terms: [{ coeff: 3n, factors: [0, 0] }], scale: [1n] };
        assert.deepEqual(await wasm.cosetIdentities(5n, [p], [part], x), await reference.cosetIdentities(5n, [plain], [part], x));
      }
    }),
    { numRuns: 40 },
  );
});

test('the engine reads a record instead of the coefficients: words that do not match them change what it computes', () => {
  // So a record must never go stale: it freezes its array (above), and an engine's interpolants cannot be written.
  const f = [4n, 5n];
  const words = new Uint8Array(64);
  words[0] = 7;
  keepWords(f, words);
  assert.deepEqual(wasm.evaluateAt([f], 1n), [7n]);
  assert.deepEqual(wasm.evaluateAt([[4n, 5n]], 1n), [9n]);
});

test("an engine's inverse transforms (coset interpolation, Engine.transforms) give frozen arrays: writing into one is a TypeError, not stale words", async () => {
  const [u] = await wasm.transforms([[5n, 6n, 7n, 8n]], { inverse: true });
  assert.ok(Object.isFrozen(u));
  assert.throws(() => {
    u[1] = 0n;
  }, TypeError);
  const c = new EvaluationDomain(4, wasm).cosetIfft([5n, 6n, 7n, 8n]);
  assert.throws(() => {
    (c as bigint[])[0] = 1n;
  }, TypeError);
  assert.deepEqual(wasm.evaluateAt([u], 3n), reference.evaluateAt([[...u]], 3n));
});
