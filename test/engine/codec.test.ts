// The bigint ↔ word conversions every engine call makes (src/engine/wasm/codec.ts): x as 32 little-endian bytes,
// checked against its hexadecimal digits, at aligned and unaligned offsets, on the limb boundaries and random values
// below 2^256, and back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { limbs, readLimbs, readWords, readWordsArray, writeLimbs, writeOneWords, writeWords, writeWordsArray } from '../../src/engine/wasm/codec';
import { R } from '../../src/field';

/** x's 32 little-endian bytes from its hexadecimal digits. */
function bytesOf(x: bigint): number[] {
  const hex = x.toString(16).padStart(64, '0');
  return Array.from({ length: 32 }, (_, i) => parseInt(hex.slice(62 - 2 * i, 64 - 2 * i), 16));
}

const edges = [0n, 1n, (1n << 64n) - 1n, 1n << 64n, (1n << 128n) - 1n, 1n << 128n, (1n << 192n) - 1n, 1n << 192n, (1n << 256n) - 1n, R - 1n, R];
const word = fc.oneof(fc.constantFrom(...edges), fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }));

test('writeWords writes the 32 little-endian bytes of x, at any offset, and readWords reads x back', () => {
  fc.assert(
    fc.property(word, fc.integer({ min: 0, max: 7 }), (x, offset) => {
      const buffer = new ArrayBuffer(48);
      const view = new DataView(buffer);
      new Uint8Array(buffer).fill(0xa5);
      writeWords(view, offset, x);
      const bytes = new Uint8Array(buffer);
      assert.deepEqual([...bytes.slice(offset, offset + 32)], bytesOf(x));
      // Nothing outside the 32 bytes is touched.
      assert.ok(bytes.slice(0, offset).every((b) => b === 0xa5) && bytes.slice(offset + 32).every((b) => b === 0xa5));
      assert.equal(readWords(view, offset), x);
    }),
    { numRuns: 300 },
  );
});

test('writeOneWords writes the bytes writeWords writes for 1, over any previous bytes, at any offset', () => {
  for (let offset = 0; offset < 8; offset++) {
    const buffer = new ArrayBuffer(48);
    new Uint8Array(buffer).fill(0xa5);
    writeOneWords(new DataView(buffer), offset);
    const bytes = new Uint8Array(buffer);
    assert.deepEqual([...bytes.slice(offset, offset + 32)], bytesOf(1n));
    assert.ok(bytes.slice(0, offset).every((b) => b === 0xa5) && bytes.slice(offset + 32).every((b) => b === 0xa5));
    assert.equal(readWords(new DataView(buffer), offset), 1n);
  }
});

test('writeWordsArray and readWordsArray round-trip consecutive values', () => {
  fc.assert(
    fc.property(fc.array(word, { maxLength: 20 }), (xs) => {
      const view = new DataView(new ArrayBuffer(32 * xs.length + 4));
      writeWordsArray(view, 4, xs);
      assert.deepEqual(readWordsArray(view, 4, xs.length), xs);
    }),
    { numRuns: 100 },
  );
});

test('writeWordsArray writes the bytes writeWords does, through typed arrays when aligned (views at a byte offset, shared memory) and a DataView when not', () => {
  fc.assert(
    fc.property(fc.array(word, { maxLength: 12 }), fc.integer({ min: 0, max: 24 }), fc.integer({ min: 0, max: 16 }), fc.boolean(), (xs, offset, viewOffset, shared) => {
      const size = 32 * xs.length + 64;
      const make = () => {
        const buffer = shared ? new SharedArrayBuffer(size) : new ArrayBuffer(size);
        new Uint8Array(buffer).fill(0x5a);
        return new DataView(buffer, viewOffset, size - viewOffset);
      };
      const want = make();
      xs.forEach((x, i) => writeWords(want, offset + 32 * i, x));
      const got = make();
      writeWordsArray(got, offset, xs);
      // Same bytes everywhere, so nothing outside the words is touched either.
      assert.deepEqual(new Uint8Array(got.buffer), new Uint8Array(want.buffer));
      assert.deepEqual(readWordsArray(got, offset, xs.length), xs);
      assert.deepEqual(readWordsArray(got, offset, xs.length), xs.map((_, i) => readWords(want, offset + 32 * i)));
    }),
    { numRuns: 200 },
  );
});

test('limbs views aligned words as u64 limbs (none when unaligned); writeLimbs writes the bytes writeWords does and readLimbs reads them back', () => {
  fc.assert(
    fc.property(fc.array(word, { minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 3 }), (xs, slot) => {
      const buffer = new ArrayBuffer(8 + 32 * (xs.length + 4));
      const view = new DataView(buffer);
      assert.equal(limbs(view, 8 * slot + 4, xs.length), undefined, 'unaligned');
      const u = limbs(view, 8 * slot, xs.length)!;
      assert.equal(u.length, 4 * xs.length);
      const expected = new DataView(new ArrayBuffer(buffer.byteLength));
      xs.forEach((x, i) => {
        writeLimbs(u, 4 * i, x);
        writeWords(expected, 8 * slot + 32 * i, x);
      });
      assert.deepEqual(new Uint8Array(buffer), new Uint8Array(expected.buffer));
      xs.forEach((x, i) => assert.equal(readLimbs(u, 4 * i), x));
    }),
  );
});
