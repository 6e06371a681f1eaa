/**
 * The batched commitments equal the one-by-one ones, whichever split between fixed-base columns and MSMs
 * the batch chooses (many short vectors, a few long ones, zeros, trailing zeros, Lagrange bases or not).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { getDefaultEngine } from '../../src/engine/index';
import { SrsError } from '../../src/errors';
import { commit, commitLagrange, commitLagrangeMany, commitMany } from '../../src/kzg/commit';
import { frArb } from '../poly/naive';
import { testKey } from './helpers';

const engine = getDefaultEngine();
const MAX_DEGREE = 32;
const keyPromise = testKey(engine, MAX_DEGREE, [4, 8]);
const coefficientArb = fc.oneof(frArb, fc.constant(0n));

test('commitMany equals commit on each polynomial', async () => {
  const key = await keyPromise;
  const short = fc.array(coefficientArb, { maxLength: 5 });
  const any = fc.array(coefficientArb, { maxLength: MAX_DEGREE + 1 });
  await fc.assert(
    fc.asyncProperty(fc.array(fc.oneof(short, short, any), { maxLength: 12 }), async (polys) => {
      const batched = await commitMany(key, polys);
      assert.equal(batched.length, polys.length);
      for (let i = 0; i < polys.length; i++) assert.ok(batched[i].equals(await commit(key, polys[i])), `polynomial ${i}`);
    }),
    { numRuns: 15 },
  );
  await assert.rejects(commitMany(key, [[1n], new Array(MAX_DEGREE + 2).fill(1n)]), SrsError);
});

test('commitLagrangeMany equals commitLagrange on each vector, over resident Lagrange bases or not', async () => {
  const key = await keyPromise;
  const vector = fc.constantFrom(1, 2, 4, 8, 16).chain((n) => fc.array(coefficientArb, { minLength: n, maxLength: n }));
  await fc.assert(
    fc.asyncProperty(fc.array(vector, { maxLength: 12 }), async (evals) => {
      const batched = await commitLagrangeMany(key, evals);
      for (let i = 0; i < evals.length; i++) assert.ok(batched[i].equals(await commitLagrange(key, evals[i])), `vector ${i}`);
    }),
    { numRuns: 15 },
  );
});
