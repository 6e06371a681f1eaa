/** Which commitments the poly-IOP compiler blinds, and by how many coefficients. */
import assert from 'node:assert/strict';
import test from 'node:test';
import { blindedCommitments, HIDING_SRS_SLACK, MAX_BLINDING_COEFFICIENTS, MAX_IDENTITY_DEGREE } from '../../blocks/hiding';
import { at, polyIopProtocol, term, type PolyIopSpec } from '../../blocks/poly-iop';
import { createReferenceEngine } from '../../src/engine/reference';
import type { SlotDecl } from '../../src/equations/equation';
import { BlockfoldError } from '../../src/errors';
import { testKey } from '../kzg/helpers';

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

test('lint: a custom spec sending a G1 message that no oracle opens is refused when its protocol is built, naming it', async () => {
  const engine = createReferenceEngine();
  const kzg = await testKey(engine, 2 * 4 + HIDING_SRS_SLACK);
  const spec = (extra: SlotDecl[]): PolyIopSpec => ({
    foldKey: 'custom',
    statement: [g1('x/0', 'statement')],
    slots: [g1('H', 'message'), ...extra],
    rounds: [{ kind: 'message', slots: ['H', ...extra.map((d) => d.name)] }],
    oracles: [{ name: 'x', domain: 4, commitment: 'x/0' }, { name: 'h', domain: 4, commitment: 'H' }],
    publics: [],
    identities: [{ name: 'h = x', domain: 4, terms: [term(1, at('h')), term(-1, at('x'))] }],
  });
  assert.doesNotThrow(() => polyIopProtocol(spec([]), kzg, engine));
  assert.throws(
    () => polyIopProtocol(spec([g1('raw', 'message')]), kzg, engine),
    (e: Error) => e instanceof BlockfoldError && /custom: G1 message "raw" is the commitment of no oracle/.test(e.message),
  );
  // A message the block declares it hides itself (the weight link's D and π) is exempt, and only that one.
  assert.doesNotThrow(() => polyIopProtocol({ ...spec([g1('raw', 'message')]), selfBlinded: ['raw'] }, kzg, engine));
  assert.throws(
    () => polyIopProtocol({ ...spec([g1('raw', 'message'), g1('other', 'message')]), selfBlinded: ['raw'] }, kzg, engine),
    (e: Error) => e instanceof BlockfoldError && /G1 message "other"/.test(e.message),
  );
  // Self-blinded commitments are not blinded again by the compiler.
  assert.deepEqual(blindedCommitments('custom', spec([]).oracles, spec([]).slots, ['H']), []);
});
