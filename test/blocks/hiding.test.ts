/** Which commitments the poly-IOP compiler blinds, and by how many coefficients. */
import assert from 'node:assert/strict';
import test from 'node:test';
import { blindedCommitments, HIDING_SRS_SLACK, MAX_BLINDING_COEFFICIENTS, MAX_IDENTITY_DEGREE } from '../../blocks/hiding';
import type { SlotDecl } from '../../src/equations/equation';
import { BlockfoldError } from '../../src/errors';

const g1 = (name: string, origin: SlotDecl['origin']): SlotDecl => ({ name, sort: 'g1', origin });

test('message commitments take one coefficient more than their revealed evaluations; statement and derived ones are not blinded here', () => {
  const slots = [g1('H', 'message'), g1('S', 'message'), g1('comb', 'derived')];
  const blinded = blindedCommitments('t', [
    { name: 'h', domain: 8, commitment: 'H' },
    { name: 's', domain: 8, commitment: 'S', shifted: true },
    { name: 'x', domain: 8, commitment: 'comb' },
    { name: 'w', domain: 8, commitment: 'row/0' },
  ], slots);
  assert.deepEqual(blinded, [
    { commitment: 'H', domain: 8, count: 2, oracles: ['h'] },
    { commitment: 'S', domain: 8, count: 3, oracles: ['s'] },
  ]);
});

test('two oracles of one commitment take the larger blinding; on two domains they are refused', () => {
  const slots = [g1('C', 'message')];
  assert.deepEqual(blindedCommitments('t', [{ name: 'a', domain: 4, commitment: 'C' }, { name: 'b', domain: 4, commitment: 'C', shifted: true }], slots)[0].count, 3);
  assert.throws(
    () => blindedCommitments('t', [{ name: 'a', domain: 4, commitment: 'C' }, { name: 'b', domain: 8, commitment: 'C' }], slots),
    (e: Error) => e instanceof BlockfoldError && /"C".*H_4 and H_8/.test(e.message),
  );
});

test('the SRS slack holds the quotient of a degree-3 identity over blinded oracles', () => {
  const n = 1024;
  const oracleDegree = n - 1 + MAX_BLINDING_COEFFICIENTS;
  const quotientCoefficients = MAX_IDENTITY_DEGREE * oracleDegree - n + 1;
  assert.equal(quotientCoefficients, 2 * n + HIDING_SRS_SLACK);
});
