import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeZ } from '@noble/curves/abstract/curve.js';
import fc from 'fast-check';
import { G1, G1_ONE, G2_ONE } from '../../src/curve';
import { createReferenceEngine } from '../../src/engine/reference';
import { createWasmEngine } from '../../src/engine/wasm/engine';
import { SrsError } from '../../src/errors';
import { Fr, R } from '../../src/field';
import {
  checkRangeBasis,
  createInsecureDevSrs,
  devSrsTau,
  isRangeTableSize,
  rangeBasisFromPowers,
  rangeBasisFromTau,
  rangeVanishingFromPowers,
  Srs,
  type RangeBasis,
} from '../../src/srs/index';

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

// ---- From the powers alone, and the check ----

const wasm = createWasmEngine();
after(() => wasm.close());

/** An SRS of τ whose τ it does not know: its powers only (as a ceremony's). */
async function srsOfTau(tau: bigint, g1: number, name: string): Promise<Srs> {
  const powers = Array.from({ length: g1 }, (_, i) => Fr.pow(tau, BigInt(i)));
  const g1Powers = normalizeZ(G1, await wasm.fixedBaseG1(G1_ONE, powers));
  const g2Powers = [G2_ONE, G2_ONE.multiply(tau)];
  return new Srs({ g1Powers, g2Powers, power: 7, insecure: false, name });
}

test('rangeBasisFromPowers (and rangeVanishingFromPowers) equals rangeBasisFromTau (same τ) for n = 2 … 64, on the WebAssembly and the reference engines', async () => {
  const tau = devSrsTau('range');
  const powers = (await srsOfTau(tau, 66, 'powers')).g1Powers;
  for (const n of [2, 8, 64]) {
    const want = await rangeBasisFromTau(tau, n, wasm);
    for (const e of n <= 8 ? [wasm, engine] : [wasm]) {
      const got = await rangeBasisFromPowers(powers, n, e);
      assert.equal(got.size, n);
      assert.ok(got.vanishing.equals(want.vanishing), `Z_S, n = ${n}, ${e.name}`);
      assert.ok(got.shiftedVanishing.equals(want.shiftedVanishing), `τ·Z_S, n = ${n}, ${e.name}`);
      got.kBasis.forEach((k, v) => assert.ok(k.equals(want.kBasis[v]), `K_${v}, n = ${n}, ${e.name}`));
    }
  }
  // [Z_S(τ)]₁ alone (what check-key compares a verifying key's point with): n + 1 powers.
  assert.ok((await rangeVanishingFromPowers(powers.slice(0, 9), 8, wasm)).equals((await rangeBasisFromTau(tau, 8, wasm)).vanishing));
  await assert.rejects(rangeVanishingFromPowers(powers.slice(0, 8), 8, wasm), /needs 9 G1 powers, 8 were given/);
  await assert.rejects(rangeVanishingFromPowers(powers, 6, wasm), /power-of-two size/);
  await assert.rejects(rangeBasisFromPowers(powers.slice(0, 9), 8, wasm), /needs 10 G1 powers/);
  await assert.rejects(rangeBasisFromPowers(powers, 6, wasm), SrsError);
  // τ = 3 lies in the table {0, …, 7}: Z_S(τ) = 0.
  await assert.rejects(rangeBasisFromPowers((await srsOfTau(3n, 10, 'tau-3')).g1Powers, 8, wasm), /τ lies in the range table/);
});

test('an SRS without τ computes its range bases from its powers on first use, keeps them (truncations too) and holds given ones', async () => {
  const tau = devSrsTau('kept');
  const srs = await srsOfTau(tau, 34, 'ceremony');
  const basis = await srs.rangeBasis(16, { engine: wasm });
  assert.ok(basis);
  assert.ok(basis.vanishing.equals((await rangeBasisFromTau(tau, 16, wasm)).vanishing));
  assert.equal(await srs.rangeBasis(16), basis, 'kept');
  assert.equal(await srs.truncate(18, 2).rangeBasis(16), basis, 'shared with a truncation');
  assert.equal(await srs.truncate(17, 2).rangeBasis(16), undefined, 'n + 2 powers');
  const held = new Srs({ g1Powers: srs.g1Powers, g2Powers: srs.g2Powers, power: 7, insecure: false, name: 'held', rangeBases: new Map([[16, basis]]) });
  assert.deepEqual(held.rangeBasisSizes, [16]);
  assert.equal(await held.rangeBasis(16), basis);
  assert.equal(await held.truncate(18, 2).rangeBasis(16), basis);
  assert.deepEqual(held.truncate(17, 2).rangeBasisSizes, []);
  assert.throws(() => new Srs({ g1Powers: srs.g1Powers.slice(0, 17), g2Powers: srs.g2Powers, power: 7, insecure: false, name: 'small', rangeBases: new Map([[16, basis]]) }), SrsError);
});

test('checkRangeBasis accepts the basis of its SRS and refuses one wrong K point (any index), a swapped pair, a wrong [Z_S] or [τ·Z_S], another SRS\'s basis', async () => {
  const n = 16;
  const srs = await createInsecureDevSrs(5, { g2Powers: 2, seed: 'check', engine: wasm });
  const basis = (await srs.rangeBasis(n))!;
  await checkRangeBasis(basis, srs, wasm);
  const refused = async (bad: RangeBasis, pattern: RegExp) =>
    assert.rejects(checkRangeBasis(bad, srs, wasm), (e: unknown) => {
      assert.ok(e instanceof SrsError, String(e));
      assert.match(e.message, pattern);
      return true;
    });
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: n - 1 }), fc.bigInt({ min: 1n, max: R - 1n }), async (v, delta) => {
      const kBasis = basis.kBasis.slice();
      kBasis[v] = kBasis[v].add(G1_ONE.multiply(delta));
      await refused({ ...basis, kBasis }, /K points/);
    }),
    { numRuns: 8 },
  );
  const swapped = basis.kBasis.slice();
  [swapped[3], swapped[11]] = [swapped[11], swapped[3]];
  await refused({ ...basis, kBasis: swapped }, /K points/);
  // K_v scaled by a common factor: still (τ − v)·K_v = c·Z_S, refused by the pairing against the true [Z_S].
  await refused({ ...basis, kBasis: basis.kBasis.map((k) => k.double()) }, /K points/);
  await refused({ ...basis, vanishing: basis.vanishing.double() }, /\[Z_S\(τ\)\]₁/);
  await refused({ ...basis, vanishing: G1.ZERO }, /infinity/);
  await refused({ ...basis, shiftedVanishing: basis.shiftedVanishing.add(G1_ONE) }, /\[τ·Z_S\(τ\)\]₁/);
  const other = (await (await createInsecureDevSrs(5, { g2Powers: 2, seed: 'another', engine: wasm })).rangeBasis(n))!;
  await refused(other, /not the SRS's/);
  // Its K points with this SRS's vanishing points: the pairing equation refuses them.
  await refused({ ...other, vanishing: basis.vanishing, shiftedVanishing: basis.shiftedVanishing }, /K points/);
  await refused({ ...basis, kBasis: basis.kBasis.slice(1) }, /15 K points/);
  await assert.rejects(checkRangeBasis(basis, srs.truncate(n + 1, 2), wasm), /needs 18 G1/);
});
