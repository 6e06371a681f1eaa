/**
 * Table commitment claims (a key file carries `[T(τ)]₁` per table column with a KZG opening, so a verifier need
 * not recompute an MSM per column): honest claims are accepted, and a claim for another table, a shifted
 * commitment, a wrong opening, a missing or extra claim are refused, including the adaptive forgery that opens
 * another table's commitment at the very challenge the verifier derives; the process-wide cache of public
 * commitments is never shared between keys whose G1 powers differ.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { getDefaultEngine } from '../../src/index';
import { G1_ONE } from '../../src/curve';
import { commit, commitLagrange } from '../../src/kzg/commit';
import { createKzgKey } from '../../src/kzg/key';
import { divideByLinear } from '../../src/poly/division';
import { interpolate } from '../../src/poly/interpolate';
import { Transcript } from '../../src/transcript';
import {
  acceptTableCommitments,
  makeTable,
  proveTableCommitments,
  rangeTable,
  reluTable,
  selectorCommitment,
  selectorVector,
  tableColumn,
  tableDomain,
  tableInterpolant,
  type LookupTable,
} from '../../blocks/tables';
import { EvaluationDomain } from '../../src/poly/domain';
import { testKzgKey } from '../helpers/kzg';
import { testKey } from '../kzg/helpers';

const kzg = await testKzgKey(64, getDefaultEngine());

test('honest claims for one- and two-column tables are accepted', async () => {
  const tables = [rangeTable(0n, 16n), reluTable(-5n, 9n)];
  const claims = await proveTableCommitments(kzg, tables);
  assert.equal(claims.length, 3, 'one claim per column');
  assert.equal(await acceptTableCommitments(kzg, tables, claims), true);
  assert.equal(await acceptTableCommitments(kzg, [], []), true);
});

test('a claim that is another table’s commitment, shifted, or badly opened is refused', async () => {
  const a = rangeTable(0n, 16n);
  const b = rangeTable(1n, 17n);
  const [claimA] = await proveTableCommitments(kzg, [a]);
  const [claimB] = await proveTableCommitments(kzg, [b]);
  assert.equal(await acceptTableCommitments(kzg, [a], [claimB]), false, 'another table’s honest claim');
  assert.equal(await acceptTableCommitments(kzg, [a], [{ ...claimA, commitment: claimA.commitment.add(G1_ONE) }]), false, 'commitment shifted by [1]₁');
  assert.equal(await acceptTableCommitments(kzg, [a], [{ ...claimA, opening: claimA.opening.double() }]), false, 'opening doubled');
  assert.equal(await acceptTableCommitments(kzg, [a], [{ commitment: claimA.commitment, opening: claimB.opening }]), false, 'another opening');
  assert.equal(await acceptTableCommitments(kzg, [a], []), false, 'missing claim');
  assert.equal(await acceptTableCommitments(kzg, [a], [claimA, claimA]), false, 'extra claim');
  assert.equal(await acceptTableCommitments(kzg, [a], [claimA]), true);
});

/** The verifier's challenge for `table`'s single column with commitment `c`, as an adaptive forger computes it. */
function challengeFor(table: LookupTable, c: Parameters<Transcript['absorbG1']>[1]): bigint {
  return Transcript.create('blockfold/table-commitments')
    .absorbString('srs', kzg.srsId)
    .absorbString('column', `table/${table.digest}/x`)
    .absorbG1('commitment', c)
    .challengeFr('z');
}

test('adaptive forgery: another table’s commitment opened honestly at the verifier’s own challenge is refused', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.bigInt({ min: -40n, max: 40n }), { minLength: 2, maxLength: 32 }), fc.nat(), fc.integer({ min: 1, max: 5 }), async (xs, at, delta) => {
      const shown = makeTable('shown', xs);
      const other = makeTable('shown', xs.map((x, i) => (i === at % xs.length ? x + BigInt(delta) : x)));
      const poly = interpolate(tableColumn(other, 'inputs'), kzg.engine);
      const commitment = await commit(kzg, poly);
      const z = challengeFor(shown, commitment);
      const opening = await commit(kzg, divideByLinear(poly, z).quotient);
      assert.equal(await acceptTableCommitments(kzg, [shown], [{ commitment, opening }]), false);
      // The same forger's machinery gives an accepted claim for the table the architecture does show.
      const honest = interpolate(tableColumn(shown, 'inputs'), kzg.engine);
      const c = await commit(kzg, honest);
      assert.equal(await acceptTableCommitments(kzg, [shown], [{ commitment: c, opening: await commit(kzg, divideByLinear(honest, challengeFor(shown, c)).quotient) }]), true);
    }),
    { numRuns: 8, seed: 12 },
  );
});

test('a key with the genuine [τ]₂ but other G1 powers does not share the public-commitment cache', async () => {
  // A key file's G1 powers are bound to its SRS digest, not checked against [τ]₂: a hostile key loaded first
  // must not leave its commitments in the process-wide cache for a genuine key with the same [1]₁, [1]₂, [τ]₂.
  const engine = getDefaultEngine();
  const honest = await testKey(engine, 15);
  const points = await engine.fixedBaseG1(G1_ONE, Array.from({ length: 16 }, (_, i) => BigInt(i * i + 1)));
  points[0] = G1_ONE;
  const hostile = await createKzgKey(engine, points, honest.g2One.point, honest.g2Tau.point);
  const n = 8;
  const length = 5;
  const poisoned = await selectorCommitment(hostile, n, length);
  const genuine = await selectorCommitment(honest, n, length);
  assert.ok(!poisoned.equals(genuine), 'the two keys commit the selector differently');
  assert.ok(genuine.equals(await commitLagrange(honest, selectorVector(n, length))), 'the genuine key gets its own commitment');
});

test('tableInterpolant: each column interpolated once per table, the interpolant of tableColumn (also padded, and signed entries)', () => {
  const engine = getDefaultEngine();
  for (const table of [rangeTable(-3n, 10n), reluTable(-5n, 6n)]) {
    const domain = new EvaluationDomain(tableDomain(table), engine);
    for (const column of table.outputs ? (['inputs', 'outputs'] as const) : (['inputs'] as const)) {
      const f = tableInterpolant(table, column, engine);
      assert.deepEqual([...f], domain.ifft(tableColumn(table, column)), `${table.name} ${column}`);
      assert.equal(tableInterpolant(table, column, engine), f, 'kept: the second call interpolates nothing');
    }
  }
  // Kept per table object, not per name: a table of other entries gets its own interpolant.
  const a = tableInterpolant(rangeTable(0n, 8n), 'inputs', engine);
  const b = tableInterpolant(rangeTable(1n, 9n), 'inputs', engine);
  assert.notDeepEqual(a, b);
});
