// The WASM engine's transforms read their pointwise factors (the coset shift's powers g^i, and n^(−1)·g^(−i) for
// the inverse) from tables kept per size and direction for the last shift: a change of shift at one size must
// rebuild them, and the edge sizes (1, 2 and a large domain) must still equal the reference engine.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createReferenceEngine } from '../../src/engine/reference';
import { createWasmEngine } from '../../src/engine/wasm/engine';
import { R } from '../../src/field';

const reference = createReferenceEngine();
const wasm = createWasmEngine();
after(() => wasm.close());

const frArb = fc.oneof(fc.constantFrom(0n, 1n, R - 1n), fc.bigInt({ min: 0n, max: R - 1n }));

test('coset transforms alternating shifts on one size equal the reference (the kept factors follow the shift)', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(0, 1, 2, 5),
      fc.array(frArb, { minLength: 32, maxLength: 32 }),
      fc.array(fc.constantFrom(1n, 2n, 5n, R - 1n, 0x1234567n), { minLength: 2, maxLength: 6 }),
      (log, pool, shifts) => {
        const values = pool.slice(0, 1 << log);
        for (const shift of shifts) {
          assert.deepEqual(wasm.ntt(values, shift), reference.ntt(values, shift), `ntt shift ${shift}`);
          assert.deepEqual(wasm.intt(values, shift), reference.intt(values, shift), `intt shift ${shift}`);
          const words = new Uint8Array(32 * values.length);
          const view = new DataView(words.buffer);
          values.forEach((v, i) => {
            for (let k = 0; k < 4; k++) view.setBigUint64(32 * i + 8 * k, (v >> BigInt(64 * k)) & 0xffffffffffffffffn, true);
          });
          const back = wasm.nttWords(wasm.nttWords(words, { shift }), { shift, inverse: true });
          assert.deepEqual(back, words, `nttWords round trip shift ${shift}`);
        }
      },
    ),
    { numRuns: 40 },
  );
});

test('n = 1 and n = 2 by hand, and a domain of 2^16 points against the reference', () => {
  // n = 1: the value itself both ways, whatever the shift; n = 2 at shift g: (a + b·g, a − b·g).
  for (const shift of [1n, 5n]) {
    assert.deepEqual(wasm.ntt([7n], shift), [7n]);
    assert.deepEqual(wasm.intt([7n], shift), [7n]);
    assert.deepEqual(wasm.ntt([3n, 4n], shift), [(3n + 4n * shift) % R, (3n - 4n * shift + R) % R]);
  }
  const n = 1 << 16;
  const values = Array.from({ length: n }, (_, i) => (BigInt(i) * 0x9e3779b97f4a7c15n + 1n) % R);
  for (const shift of [1n, 5n]) {
    const evals = wasm.ntt(values, shift);
    assert.deepEqual(evals, reference.ntt(values, shift), `2^16 ntt shift ${shift}`);
    assert.deepEqual(wasm.intt(evals, shift), values, `2^16 round trip shift ${shift}`);
  }
});

test('transforms of zero-padded vectors (the skipped stages of fr_ntt, and the blocks of the values above the largest power of two) equal the reference at every padding', async () => {
  // Every length ℓ ≤ n of nonzero leading values, so every skip from 0 to log n is reached, including a constant (ℓ = 1)
  // and the zero vector (ℓ = 0); through ntt and intt, and through cosetIdentities, which transforms each factor
  // zero-padded.
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: 6 }), fc.array(frArb.filter((x) => x !== 0n), { minLength: 64, maxLength: 64 }), fc.constantFrom(1n, 5n), async (log, pool, shift) => {
      const n = 1 << log;
      for (let length = 0; length <= n; length++) {
        const values = [...pool.slice(0, length), ...new Array<bigint>(n - length).fill(0n)];
        assert.deepEqual(wasm.ntt(values, shift), reference.ntt(values, shift), `ntt of ${length} values on ${n} points`);
        assert.deepEqual(wasm.intt(values, shift), reference.intt(values, shift), `intt of ${length} values on ${n} points`);
        const parts = [{ size: n, terms: [{ coeff: 1n, factors: [0] }], scale: [1n] }];
        const short = pool.slice(0, length);
        assert.deepEqual(await wasm.cosetIdentities(shift, [short], parts), await reference.cosetIdentities(shift, [short], parts), `cosetIdentities of ${length} coefficients on ${n} points`);
      }
    }),
    { numRuns: 30 },
  );
});
