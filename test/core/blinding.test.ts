/** The blinding source: reproducible by seed and label, fresh without a seed, canonical scalars. */
import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { blindingSource } from '../../src/blinding';
import { BlockfoldError } from '../../src/errors';
import { R } from '../../src/field';

test('a seeded source gives the same scalars for one label whatever the order of draws', () => {
  const a = blindingSource('seed');
  const b = blindingSource(new TextEncoder().encode('seed'));
  const first = a.draw('x', 3);
  b.draw('y', 5);
  assert.deepEqual(b.draw('x', 3), first, 'a string seed is its UTF-8 bytes; another label drawn first changes nothing');
  assert.deepEqual(a.draw('x', 2), first.slice(0, 2), 'scalar i of a label does not depend on the count');
  assert.notDeepEqual(a.draw('y', 3), first, 'labels are independent');
  assert.notDeepEqual(blindingSource('other').draw('x', 3), first, 'seeds are independent');
});

test('unseeded sources are fresh; every scalar is a canonical Fr element', () => {
  assert.notDeepEqual(blindingSource().draw('x', 2), blindingSource().draw('x', 2));
  fc.assert(
    fc.property(fc.string(), fc.string(), (seed, label) => {
      for (const x of blindingSource(seed).draw(label, 4)) assert.ok(x >= 0n && x < R);
    }),
    { numRuns: 50 },
  );
});

test('a seed that is neither a string nor bytes is a typed error, not a crash', () => {
  for (const seed of [1, null, {}, [1, 2]])
    assert.throws(() => blindingSource(seed as never), (e: Error) => e instanceof BlockfoldError && e.code === 'INPUT' && /blinding seed/.test(e.message));
});

test('scalar i of a label is (H(key, label, i, 0) ‖ H(key, label, i, 1)) mod r, H the Keccak-256 of the documented input', () => {
  const utf8 = (x: string) => new TextEncoder().encode(x);
  // The module comment's definition, byte by byte: DOMAIN ‖ key ‖ label ‖ 0x00 ‖ u32 index (big-endian) ‖ u8 half.
  const H = (key: Uint8Array, label: string, i: number, half: number) =>
    keccak_256(new Uint8Array([...utf8('blockfold/blinding/v1'), ...key, ...utf8(label), 0, i >>> 24, (i >>> 16) & 255, (i >>> 8) & 255, i & 255, half]));
  const integer = (bytes: Uint8Array) => bytes.reduce((x, b) => (x << 8n) | BigInt(b), 0n);
  fc.assert(
    fc.property(fc.string(), fc.string(), fc.integer({ min: 1, max: 300 }), (seed, label, count) => {
      const key = keccak_256(utf8(seed));
      const drawn = blindingSource(seed).draw(label, count);
      for (const i of new Set([0, Math.min(1, count - 1), count - 1])) assert.equal(drawn[i], integer(new Uint8Array([...H(key, label, i, 0), ...H(key, label, i, 1)])) % R, `scalar ${i}`);
    }),
    { numRuns: 40 },
  );
});
