/**
 * The benches' deterministic inputs (`bench/seeded.ts`): equal seeds give equal sequences, the integers stay in
 * their range, a matrix is the integer sequence cut into rows, and an Fr stream continues across calls in Fr.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { frStream, smallIntegers, smallMatrix } from '../../bench/seeded';
import { R } from '../../src/field';

test('smallIntegers and smallMatrix: one sequence per seed, in [−range, range], a matrix cut row-major from it', () => {
  assert.deepEqual(smallIntegers(50, 7), smallIntegers(50, 7));
  assert.notDeepEqual(smallIntegers(50, 7), smallIntegers(50, 8));
  // The first value by hand: s = 7·1103515245 + 12345 mod 2^32 = 3429651764, (s >> 8) mod 201 − 100.
  assert.equal(smallIntegers(1, 7)[0], BigInt((3429651764 >>> 8) % 201) - 100n);
  const xs = smallIntegers(2000, 3, 20);
  assert.ok(xs.every((x) => x >= -20n && x <= 20n));
  assert.ok(xs.some((x) => x === -20n) && xs.some((x) => x === 20n), 'both ends reached');
  assert.deepEqual(smallMatrix(3, 4, 9), [0, 1, 2].map((i) => smallIntegers(12, 9).slice(4 * i, 4 * i + 4)));
});

test('frStream: elements of Fr, the same stream for the same seed, each call continuing where the last stopped', () => {
  const a = frStream(5n);
  const b = frStream(5n);
  const first = a(3);
  assert.deepEqual([...first, ...a(2)], b(5));
  assert.ok(first.every((x) => x >= 0n && x < R));
  assert.equal(first[0], ((5n * 6364136223846793005n + 1442695040888963407n) % (1n << 256n)) % R);
});
