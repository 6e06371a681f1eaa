/**
 * The range table's part of a KZG key (`src/kzg/range-table.ts`): a verifier's holds `[Z_S(τ)]₁` as a public point
 * keyed by the table size; a prover's also holds `[τ·Z_S(τ)]₁` and the K basis resident in the engine (an MSM over it
 * with a unit vector is `[K_v(τ)]₁`); `withRangeTable` adds it to a key without changing anything else; `rangeBasisHolds`
 * (`src/srs/range-basis.ts`, the check of a proving key file's basis) refuses one wrong point.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { G1_ONE, G2_ONE } from '../../src/curve';
import { createReferenceEngine } from '../../src/engine/reference';
import { SrsError } from '../../src/errors';
import { Fr } from '../../src/field';
import { withRangeTable } from '../../src/kzg/key';
import { rangeTableKey, rangeTableVerifierKey, rangeVanishingKey } from '../../src/kzg/range-table';
import { rangeBasisFromTau, rangeBasisHolds } from '../../src/srs/range-basis';
import { TAU, testKey } from './helpers';

const engine = createReferenceEngine();

test('a prover range table: Z_S, τ·Z_S and the resident K basis of the key’s τ', async () => {
  const n = 8;
  const table = await rangeTableKey(engine, await rangeBasisFromTau(TAU, n, engine));
  let zs = 1n;
  for (let v = 0; v < n; v++) zs = Fr.mul(zs, Fr.sub(TAU, BigInt(v)));
  assert.equal(table.size, n);
  assert.deepEqual(table.vanishing.key, rangeVanishingKey(n));
  assert.ok(table.vanishing.point.equals(G1_ONE.multiply(zs)));
  assert.ok(table.prover!.shiftedVanishing.equals(G1_ONE.multiply(Fr.mul(TAU, zs))));
  const unit = (v: number) => Array.from({ length: n }, (_, i) => (i === v ? 1n : 0n));
  for (const v of [0, 5]) assert.ok((await engine.msmG1(table.prover!.kBasis, unit(v))).equals(G1_ONE.multiply(Fr.div(zs, Fr.sub(TAU, BigInt(v))))));
});

test('a verifier range table holds [Z_S]₁ only; a size that is no power of two is refused; withRangeTable keeps the key', async () => {
  const basis = await rangeBasisFromTau(TAU, 4, engine);
  const verifier = rangeTableVerifierKey(4, basis.vanishing);
  assert.equal(verifier.prover, undefined);
  assert.throws(() => rangeTableVerifierKey(6, basis.vanishing), SrsError);
  const key = await testKey(engine, 8);
  const ranged = withRangeTable(key, verifier);
  assert.equal(ranged.rangeTable, verifier);
  assert.equal(ranged.srsId, key.srsId);
  assert.equal(ranged.powers, key.powers);
  assert.equal(key.rangeTable, undefined);
});

test('rangeBasisHolds: the basis of [Z_S]₁ and [τ]₂ holds, read as points or resident; one wrong K point, Z_S, τ·Z_S or another τ does not', async () => {
  const basis = await rangeBasisFromTau(TAU, 8, engine);
  const g2Tau = G2_ONE.multiply(TAU);
  // Both ways: the K points as given, and made resident first (a proving key's range table, read by the MSMs).
  for (const resident of [false, true]) {
    const holds = async (b: typeof basis, tau = g2Tau) => rangeBasisHolds(b, G2_ONE, tau, engine, resident ? await engine.loadG1Bases(b.kBasis) : undefined);
    assert.equal(await holds(basis), true);
    assert.equal(await holds({ ...basis, kBasis: basis.kBasis.map((p, v) => (v === 3 ? p.add(G1_ONE) : p)) }), false, 'K_3 moved');
    assert.equal(await holds({ ...basis, vanishing: basis.vanishing.add(G1_ONE) }), false, 'Z_S moved');
    assert.equal(await holds({ ...basis, shiftedVanishing: basis.shiftedVanishing.add(G1_ONE) }), false, 'τ·Z_S moved');
    assert.equal(await holds(basis, G2_ONE.multiply(TAU + 1n)), false, 'another τ');
  }
});
