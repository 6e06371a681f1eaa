/**
 * Keccak-256 on the kernels (`wasm/keccak.ts` through `src/engine/wasm/keccak.ts`), which the transcript hashes with:
 * the known digest of the empty message, and byte for byte `@noble/hashes`' keccak_256 on random messages of every
 * length around the rate (135, 136, 137 bytes and their multiples: the padding in its own block or not), fast-check.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { keccak256, keccak256Concat, keccak256Of } from '../../src/engine/wasm/keccak';
import { EngineError } from '../../src/errors';

test('the empty message and "abc" have their known Keccak-256 digests', () => {
  assert.equal(bytesToHex(keccak256(new Uint8Array())), 'c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470');
  assert.equal(bytesToHex(keccak256(new TextEncoder().encode('abc'))), '4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45');
});

test('every length across block boundaries gives noble’s digest', () => {
  for (let len = 0; len <= 3 * 136 + 1; len++) {
    const b = Uint8Array.from({ length: len }, (_, i) => (i * 167 + len * 13) & 255);
    assert.equal(bytesToHex(keccak256(b)), bytesToHex(keccak_256(b)), `length ${len}`);
  }
});

test('random messages give noble’s digest', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 2000 }), (b) => {
      assert.equal(bytesToHex(keccak256(b)), bytesToHex(keccak_256(b)));
    }),
    { numRuns: 300 },
  );
});

test('the input is not modified and a view into a larger buffer is hashed as its own bytes', () => {
  const big = Uint8Array.from({ length: 300 }, (_, i) => i & 255);
  const view = big.subarray(17, 200);
  const copy = view.slice();
  assert.equal(bytesToHex(keccak256(view)), bytesToHex(keccak_256(copy)));
  assert.deepEqual(view, copy);
});

test('a digest written into a given array, which the message reads first, is the digest of that message', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ maxLength: 200 }), (state, tail) => {
      const want = keccak_256(Uint8Array.from([...state, ...tail]));
      const into = state.slice();
      const got = keccak256Of(32 + tail.length, (memory, at) => {
        memory.set(into, at);
        memory.set(tail, at + 32);
      }, into);
      assert.equal(got, into);
      assert.equal(bytesToHex(into), bytesToHex(want));
    }),
    { numRuns: 50 },
  );
});

test('a digest is written only into 32 bytes: a shorter or longer array is refused before anything is hashed or written', () => {
  for (const n of [0, 31, 33, 64]) {
    const into = new Uint8Array(n).fill(7);
    let written = false;
    assert.throws(() => keccak256Of(3, (memory, at) => { written = true; memory.set([1, 2, 3], at); }, into), EngineError, `length ${n}`);
    assert.equal(written, false);
    assert.deepEqual(into, new Uint8Array(n).fill(7));
  }
});

test('keccak256Concat hashes the concatenation of its parts, empty parts and a 600 KB key-sized message included', () => {
  fc.assert(
    fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 8 }), (parts) => {
      const whole = Uint8Array.from(parts.flatMap((p) => [...p]));
      assert.equal(bytesToHex(keccak256Concat(parts)), bytesToHex(keccak_256(whole)));
    }),
    { numRuns: 200 },
  );
  const large = Uint8Array.from({ length: 600_000 }, (_, i) => (i * 31 + 7) & 255);
  assert.equal(bytesToHex(keccak256Concat([large.subarray(0, 123_457), large.subarray(123_457)])), bytesToHex(keccak_256(large)));
});
