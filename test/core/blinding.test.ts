/** The blinding source: reproducible by seed and label, fresh without a seed, canonical scalars. */
import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
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
