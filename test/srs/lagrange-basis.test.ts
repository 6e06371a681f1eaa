import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { G1 } from '../../src/curve';
import { createReferenceEngine } from '../../src/engine/reference';
import { createWasmEngine } from '../../src/engine/wasm/engine';
import { SrsError } from '../../src/errors';
import { createInsecureDevSrs, lagrangeBasesHold, lagrangeBasisFromPowers } from '../../src/srs/index';

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

test('lagrangeBasesHold accepts the bases and rejects any one point moved, two swapped, a basis under another size, or other powers', async () => {
  const srs = await createInsecureDevSrs(5, { engine: wasm, seed: 'lagrange-holds', g1Powers: 32, g2Powers: 2 });
  const other = await createInsecureDevSrs(5, { engine: wasm, seed: 'lagrange-other', g1Powers: 32, g2Powers: 2 });
  const bases = new Map<number, readonly (typeof G1.BASE)[]>();
  for (const n of [1, 4, 16]) bases.set(n, (await srs.lagrangeBasis(n))!);
  const holds = (b: ReadonlyMap<number, readonly (typeof G1.BASE)[]>, powers = srs.g1Powers) => lagrangeBasesHold(b, powers, wasm);
  assert.ok(await holds(bases));
  assert.ok(await holds(new Map()), 'no basis: nothing to refuse');
  assert.ok(!(await holds(bases, other.g1Powers)));
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(1, 4, 16), fc.nat(), fc.integer({ min: 1, max: 1000 }), async (n, at, k) => {
      const i = at % n;
      const moved = new Map(bases).set(n, bases.get(n)!.map((p, j) => (j === i ? p.add(G1.BASE.multiply(BigInt(k))) : p)));
      assert.ok(!(await holds(moved)), `H_${n}: L_${i} moved by ${k}`);
    }),
    { numRuns: 10 },
  );
  const sixteen = bases.get(16)!;
  assert.ok(!(await holds(new Map(bases).set(16, [sixteen[1], sixteen[0], ...sixteen.slice(2)]))), 'two points swapped');
  // The bases of H_4 filed under 4 but computed for another domain: H_4's points are not H_16's first four.
  assert.ok(!(await holds(new Map([[4, sixteen.slice(0, 4)]]))));
  await assert.rejects(holds(new Map([[16, sixteen.slice(0, 12)]])), SrsError);
  await assert.rejects(holds(new Map([[12, sixteen.slice(0, 12)]])), SrsError);
  await assert.rejects(holds(bases, srs.g1Powers.slice(0, 8)), SrsError);
});

test('lagrangeBasesHold gives a verdict on a basis of 2^17 points (a spread of one argument per point overflowed the stack)', async () => {
  const n = 2 ** 17;
  const moved = Array.from({ length: n }, (_, i) => (i === 5 ? G1.BASE : G1.ZERO));
  assert.equal(await lagrangeBasesHold(new Map([[n, moved]]), new Array(n).fill(G1.ZERO), wasm), false);
});
