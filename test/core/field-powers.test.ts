/**
 * `powers` (`src/field.ts`) keeps the powers of its last few bases: every answer equals `x^i` computed alone, is a
 * fresh array a caller may change, and stays right past the memo's count of bases and its longest list.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Fr, powers } from '../../src/field';

const expected = (x: bigint, count: number) => Array.from({ length: count }, (_, i) => Fr.pow(x, BigInt(i)));

test('powers: x^0 … x^(count−1), whichever lengths were asked before and whatever a caller did to an earlier answer', () => {
  const x = 0x1234567890abcdefn;
  assert.deepEqual(powers(x, 5), expected(x, 5));
  const first = powers(x, 3);
  first.reverse();
  first[0] = 7n;
  assert.deepEqual(powers(x, 3), expected(x, 3), 'an answer is a fresh array');
  assert.deepEqual(powers(x, 40), expected(x, 40), 'a longer list extends the memo');
  assert.deepEqual(powers(x, 2), expected(x, 2));
  assert.deepEqual(powers(x, 0), []);
  assert.deepEqual(powers(0n, 3), [1n, 0n, 0n]);
});

test('powers: more elements than the memo keeps, and a list longer than it keeps', () => {
  const bases = Array.from({ length: 40 }, (_, i) => BigInt(i + 2) ** 40n % Fr.ORDER);
  for (const b of bases) assert.deepEqual(powers(b, 9), expected(b, 9));
  // 40 lists of 1,000: more than the memo's 2^14 elements, so the first bases are dropped and computed again.
  for (const b of bases) assert.deepEqual(powers(b, 1000), expected(b, 1000));
  for (const b of bases.reverse()) assert.deepEqual(powers(b, 11), expected(b, 11));
  const long = powers(3n, (1 << 14) + 3);
  assert.equal(long.length, (1 << 14) + 3);
  assert.equal(long[(1 << 14) + 2], Fr.pow(3n, BigInt((1 << 14) + 2)));
  assert.deepEqual(powers(3n, 4), [1n, 3n, 9n, 27n]);
});
