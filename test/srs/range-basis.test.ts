import { test } from 'node:test';
import assert from 'node:assert/strict';
import { G1 } from '../../src/curve';
import { createReferenceEngine } from '../../src/engine/reference';
import { SrsError } from '../../src/errors';
import { Fr } from '../../src/field';
import { createInsecureDevSrs, devSrsTau, isRangeTableSize, rangeBasisFromTau } from '../../src/srs/index';

const engine = createReferenceEngine();

/** Coefficients of `Π_{u ∈ roots}(X − u)`, lowest first. */
function productOfLinears(roots: readonly bigint[]): bigint[] {
  let c = [1n];
  for (const u of roots) {
    const next = new Array<bigint>(c.length + 1).fill(0n);
    c.forEach((a, i) => {
      next[i + 1] = Fr.add(next[i + 1], a);
      next[i] = Fr.sub(next[i], Fr.mul(a, u));
    });
    c = next;
  }
  return c;
}

test('the dev SRS range basis is Z_S, τ·Z_S and Z_S/(X − v) committed from the powers of τ (rangeBasisFromTau through Srs.rangeBasis)', async () => {
  const n = 8;
  const srs = await createInsecureDevSrs(3, { engine, seed: 'range' });
  const basis = await srs.rangeBasis(n);
  assert.ok(basis);
  assert.equal(basis.size, n);
  const commitFromPowers = (coefficients: readonly bigint[]) =>
    coefficients.reduce((acc, c, i) => (c === 0n ? acc : acc.add(srs.g1Powers[i].multiply(c))), G1.ZERO);
  const values = Array.from({ length: n }, (_, v) => BigInt(v));
  const zS = productOfLinears(values);
  assert.ok(basis.vanishing.equals(commitFromPowers(zS)));
  assert.ok(basis.shiftedVanishing.equals(commitFromPowers([0n, ...zS])));
  for (let v = 0; v < n; v++) assert.ok(basis.kBasis[v].equals(commitFromPowers(productOfLinears(values.filter((u) => u !== BigInt(v))))), `K_${v}`);
  // Kept: a second call (and a truncation's) returns the same objects.
  assert.equal(await srs.rangeBasis(n), basis);
  assert.equal(await srs.truncate(n + 2, 2).rangeBasis(n), basis);
});

test('a range basis needs n + 2 G1 powers and a power-of-two size', async () => {
  const srs = await createInsecureDevSrs(3, { engine, seed: 'range' });
  assert.equal(await srs.truncate(9, 2).rangeBasis(8), undefined);
  assert.equal(await srs.rangeBasis(6), undefined);
  assert.ok(await srs.truncate(6, 2).rangeBasis(4));
  for (const n of [0, 1, 3, 6, 2 ** 21, 0.5]) assert.equal(isRangeTableSize(n), false, String(n));
  for (const n of [2, 4, 2 ** 16, 2 ** 20]) assert.equal(isRangeTableSize(n), true, String(n));
});

test('rangeBasisFromTau refuses a τ inside the table and a size that is not a table size', async () => {
  await assert.rejects(rangeBasisFromTau(5n, 8, engine), SrsError);
  await assert.rejects(rangeBasisFromTau(devSrsTau('range'), 12, engine), SrsError);
  assert.ok(await rangeBasisFromTau(8n, 8, engine));
});
