/**
 * The helpers every block relies on: row commitments (`blocks/commit-rows.ts`) and the poly-IOP pieces that
 * prover and verifier must agree on (`blocks/poly-iop.ts`): the prover's row combination matches the
 * verifier's commitment combination, and public polynomials evaluate at ζ to the interpolant of their values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { commitRows, rowEvaluations } from '../../blocks/commit-rows';
import { at, combineRowCommitments, combineRowValues, keptRowSlotNames, lagrangePoly, polyIopProtocol, powers, pub, publicVector, ROW_SLOTS_KEPT, rowSlot, term, type PolyIopSpec, type PublicPoly } from '../../blocks/poly-iop';
import { BlockfoldError, commitLagrange, EvaluationDomain, Fr, frFromSigned, getDefaultEngine, poly, R } from '../../src/index';
import { testKzgKey } from '../helpers/kzg';

const engine = getDefaultEngine();

test('rowEvaluations maps signed integers to Fr, zero-pads, and refuses a row longer than its domain', () => {
  assert.deepEqual(rowEvaluations([3n, -1n], 4), [3n, R - 1n, 0n, 0n]);
  assert.throws(() => rowEvaluations([1n, 2n, 3n], 2), /does not fit/);
});

test('commitRows commits each zero-padded row as the interpolant over H_n', async () => {
  const kzg = await testKzgKey(8, engine);
  const rows = [[5n, -7n, 0n], [1n]];
  const got = await commitRows(kzg, rows, 4);
  for (const [i, row] of rows.entries()) assert.ok(got[i].equals(await commitLagrange(kzg, rowEvaluations(row, 4))));
  assert.ok(!got[0].equals(got[1]));
});

test('the prover\'s row combination commits to the verifier\'s combination of row commitments', async () => {
  const kzg = await testKzgKey(8, engine);
  await fc.assert(
    fc.asyncProperty(fc.array(fc.array(fc.bigInt({ min: -1000n, max: 1000n }), { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 3 }), fc.bigInt({ min: 1n, max: R - 1n }), async (rows, alpha) => {
      const scalars = powers(alpha, rows.length);
      const commitments = await commitRows(kzg, rows, 4);
      const values = Object.fromEntries(commitments.map((c, i) => [`r${i}`, c]));
      const combined = await combineRowCommitments(engine, values, rows.map((_, i) => `r${i}`), scalars);
      const field = rows.map((r) => r.map((v) => frFromSigned(v)));
      assert.ok(combined.equals(await commitLagrange(kzg, combineRowValues(field, scalars))));
    }),
    { numRuns: 6 },
  );
});

test('public polynomials evaluate at ζ to the interpolant of their values (the verifier computes them itself)', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: 2n, max: R - 1n }), fc.bigInt({ min: 1n, max: R - 1n }), (zeta, beta) => {
      const n = 8;
      const domain = new EvaluationDomain(n, engine);
      for (const p of [lagrangePoly(n, 3), publicVector('beta', n, () => powers(beta, n))]) {
        const values = p.values({});
        const interpolant = poly.interpolate(values, engine);
        assert.equal(p.evaluateAt(zeta, {}, domain), poly.evaluate(interpolant, zeta));
      }
      assert.deepEqual(powers(beta, 3), [1n, beta, Fr.mul(beta, beta)]);
    }),
    { numRuns: 10 },
  );
});

test('the poly-IOP compiler refuses two public polynomials under one name and factors off the identity\'s domain', async () => {
  const kzg = await testKzgKey(8, engine);
  const base: PolyIopSpec = {
    foldKey: 'plan-test',
    statement: [{ name: 'F', sort: 'g1', origin: 'statement' }],
    slots: [],
    rounds: [],
    oracles: [{ name: 'f', domain: 4, commitment: 'F' }],
    publics: [lagrangePoly(4, 0)],
    identities: [{ name: 'f-first', domain: 4, terms: [term(1, at('f'), pub('L0/4'))] }],
  };
  assert.ok(polyIopProtocol(base, kzg, engine));
  // The same Lagrange polynomial declared by two gadgets is one polynomial.
  assert.ok(polyIopProtocol({ ...base, publics: [lagrangePoly(4, 0), lagrangePoly(4, 0)] }, kzg, engine));
  const refuse = (spec: PolyIopSpec, why: RegExp) => assert.throws(() => polyIopProtocol(spec, kzg, engine), (e) => e instanceof BlockfoldError && why.test(e.message));
  // Another polynomial under the name L0/4 (here L1/4): merged silently, the first definition won.
  const impostor: PublicPoly = { ...lagrangePoly(4, 1), name: 'L0/4' };
  refuse({ ...base, publics: [lagrangePoly(4, 0), impostor] }, /"L0\/4" is declared twice/);
  refuse({ ...base, publics: [publicVector('v', 4, () => [1n, 0n, 0n, 0n]), publicVector('v', 4, () => [0n, 1n, 0n, 0n])], identities: [{ name: 'i', domain: 4, terms: [term(1, at('f'), pub('v'))] }] }, /"v" is declared twice/);
  // An identity on H_8 over an oracle of H_4 (the prover would shift and interpolate on the wrong domain).
  refuse({ ...base, identities: [{ name: 'wrong-domain', domain: 8, terms: [term(1, at('f'))] }] }, /oracle "f" lives on H_4/);
  refuse({ ...base, publics: [lagrangePoly(8, 0)], identities: [{ name: 'wrong-public', domain: 4, terms: [term(1, at('f'), pub('L0/8'))] }] }, /public polynomial "L0\/8" lives on H_8/);
  refuse({ ...base, identities: [{ name: 'unknown', domain: 4, terms: [term(1, at('g'))] }] }, /unknown oracle "g"/);
  refuse({ ...base, identities: [{ name: 'unknown', domain: 4, terms: [term(1, at('f'), pub('nope'))] }] }, /unknown public polynomial "nope"/);
});

test('rowSlot names row i of tensor t `t/i` and keeps at most ROW_SLOTS_KEPT names, however many it is asked', () => {
  assert.equal(rowSlot('kept-t', 3), 'kept-t/3');
  assert.equal(rowSlot('kept-t', 3), 'kept-t/3', 'a kept name');
  assert.equal(rowSlot('kept-t', -1), 'kept-t/-1');
  assert.equal(rowSlot('kept-t', 1.5), 'kept-t/1.5');
  assert.equal(rowSlot('kept-t', ROW_SLOTS_KEPT), `kept-t/${ROW_SLOTS_KEPT}`);
  // More distinct names than the bound, over many tensors and rows: every one right, the kept ones bounded.
  for (let t = 0; t < 40; t++) {
    for (let i = 0; i < ROW_SLOTS_KEPT / 32; i++) {
      assert.equal(rowSlot(`many-${t}`, i), `many-${t}/${i}`);
      assert.ok(keptRowSlotNames() <= ROW_SLOTS_KEPT);
    }
  }
  assert.equal(keptRowSlotNames(), ROW_SLOTS_KEPT, 'the bound is reached, not passed');
  assert.equal(rowSlot('many-39', 7), 'many-39/7', 'a name past the bound is built again');
  assert.equal(rowSlot('kept-t', 3), 'kept-t/3');
});
