import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { G1 } from '../../src/curve';
import { createReferenceEngine } from '../../src/engine/reference';
import { createWasmEngine } from '../../src/engine/wasm/engine';
import { SrsError } from '../../src/errors';
import { createInsecureDevSrs, lagrangeBasisFromPowers, lagrangeBasisHolds } from '../../src/srs/index';

const reference = createReferenceEngine();
const wasm = await createWasmEngine();
after(() => wasm.close());

test("lagrangeBasisFromPowers equals the development SRS's [L_i(τ)]₁ (computed from τ) for n = 1 … 64, on both engines", async () => {
  const srs = await createInsecureDevSrs(7, { engine: wasm, seed: 'lagrange-basis', g1Powers: 64, g2Powers: 2 });
  for (const n of [1, 2, 4, 8, 64]) {
    const want = (await srs.lagrangeBasis(n))!;
    for (const engine of n <= 8 ? [wasm, reference] : [wasm]) {
      const got = await lagrangeBasisFromPowers(srs.g1Powers, n, engine);
      assert.equal(got.length, n);
      got.forEach((p, i) => assert.ok(p.equals(want[i]), `n = ${n}, ${engine.name}: L_${i}`));
    }
  }
  await assert.rejects(lagrangeBasisFromPowers(srs.g1Powers, 6, wasm), SrsError);
  await assert.rejects(lagrangeBasisFromPowers(srs.g1Powers.slice(0, 8), 16, wasm), SrsError);
});

test('lagrangeBasisHolds accepts the basis and rejects it with any one point moved, swapped with another, or over other powers', async () => {
  const srs = await createInsecureDevSrs(5, { engine: wasm, seed: 'lagrange-holds', g1Powers: 32, g2Powers: 2 });
  const other = await createInsecureDevSrs(5, { engine: wasm, seed: 'lagrange-other', g1Powers: 32, g2Powers: 2 });
  const n = 16;
  const basis = (await srs.lagrangeBasis(n))!;
  assert.ok(await lagrangeBasisHolds(basis, srs.g1Powers, wasm));
  assert.ok(!(await lagrangeBasisHolds(basis, other.g1Powers, wasm)));
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 1, max: 1000 }), async (i, k) => {
      const moved = basis.map((p, j) => (j === i ? p.add(G1.BASE.multiply(BigInt(k))) : p));
      assert.ok(!(await lagrangeBasisHolds(moved, srs.g1Powers, wasm)));
    }),
    { numRuns: 8 },
  );
  const swapped = [basis[1], basis[0], ...basis.slice(2)];
  assert.ok(!(await lagrangeBasisHolds(swapped, srs.g1Powers, wasm)));
  await assert.rejects(lagrangeBasisHolds(basis.slice(0, 12), srs.g1Powers, wasm), SrsError);
  await assert.rejects(lagrangeBasisHolds(basis, srs.g1Powers.slice(0, 8), wasm), SrsError);
});
