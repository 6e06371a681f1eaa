// MSMs over resident bases whose scalars repeat are computed as Σ_g v_g·(Σ_{s_i = v_g} P_i) (msm-plan.ts
// scalarGroups, the groupSums kernels): the same points as the reference engine's MSM whatever the bases (repeated,
// opposite, doubled, at infinity), the values (0, 1, r − 1, any) and the number of groups (Straus below 16 sums,
// Pippenger above), in G1 and G2; with workers, grouped MSMs of 2^9 points and more run whole on a worker
// (WasmEngine.groupedMsmPart there), several at once, with the same results; and the grouping is chosen exactly when
// at most 3/4 of the nonzero scalars are distinct and the first GROUP_SAMPLE nonzero ones hold a repeat.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createReferenceEngine } from '../../src/engine/reference';
import { createWasmEngine } from '../../src/engine/wasm/engine';
import { GROUP_SAMPLE, scalarGroups } from '../../src/engine/wasm/msm-plan';
import { G1, G2, G1_ONE, G2_ONE, type G1Point, type G2Point } from '../../src/curve';
import { R } from '../../src/field';

const reference = createReferenceEngine();
const wasm = createWasmEngine();
after(() => wasm.close());

const g1Pool: G1Point[] = [1n, 2n, 3n, 0xdeadbeefn, R - 1n].map((k) => G1_ONE.multiply(k));
const g2Pool: G2Point[] = [1n, 5n, R - 1n].map((k) => G2_ONE.multiply(k));

function same<P extends G1Point | G2Point>(a: P, b: P): void {
  assert.equal(a.is0(), b.is0());
  if (!a.is0()) assert.deepEqual(a.toAffine(), b.toAffine());
}

/** Points from a small pool with negations, doublings and identities, so a group's sum meets every addition case. */
function pointsArb<P extends G1Point | G2Point>(pool: P[], zero: P, minLength: number, maxLength: number): fc.Arbitrary<P[]> {
  const one = fc.oneof(fc.constantFrom(...pool), fc.constantFrom(...pool).map((p) => p.negate() as P), fc.constant(zero), fc.constantFrom(...pool).map((p) => p.double() as P));
  return fc.array(one, { minLength, maxLength });
}

/** Scalars drawn from a few values (0, 1, r − 1 and random ones), so they repeat. */
function repeatingScalars(n: number, values: number): fc.Arbitrary<bigint[]> {
  const pool = fc.array(fc.oneof(fc.constantFrom(0n, 1n, R - 1n), fc.bigInt({ min: 0n, max: R - 1n })), { minLength: values, maxLength: values });
  return pool.chain((vs) => fc.array(fc.constantFrom(...vs), { minLength: n, maxLength: n }));
}

test('grouped MSMs equal the reference in G1: adversarial bases, few or many groups, at an offset', async () => {
  await fc.assert(
    fc.asyncProperty(
      pointsArb(g1Pool, G1.ZERO, 16, 120).chain((pts) => fc.tuple(fc.constant(pts), fc.integer({ min: 1, max: 40 }).chain((k) => repeatingScalars(pts.length, k)))),
      async ([points, scalars]) => {
        const bases = await wasm.loadG1Bases([G1_ONE, ...points]);
        same(await wasm.msmG1(bases, scalars, 1), await reference.msmG1Points(points, scalars));
      },
    ),
    { numRuns: 60 },
  );
});

test('grouped MSMs equal the reference in G2', async () => {
  await fc.assert(
    fc.asyncProperty(
      pointsArb(g2Pool, G2.ZERO, 16, 40).chain((pts) => fc.tuple(fc.constant(pts), fc.integer({ min: 1, max: 20 }).chain((k) => repeatingScalars(pts.length, k)))),
      async ([points, scalars]) => {
        const bases = await wasm.loadG2Bases(points);
        same(await wasm.msmG2(bases, scalars), await reference.msmG2Points(points, scalars));
      },
    ),
    { numRuns: 15 },
  );
});

test('groups whose sums are at infinity or doublings, a group of identities only, one value for every scalar', async () => {
  const p = g1Pool[3];
  // Group of P and −P (sum at infinity), of P and P (a doubling), of identities only; 64 points over 3 values.
  const points = Array.from({ length: 64 }, (_, i) => [p, p.negate(), g1Pool[1], g1Pool[1], G1.ZERO][i % 5]);
  const bases = await wasm.loadG1Bases(points);
  const cases = [
    points.map((_, i) => [7n, 7n, 9n, 9n, 11n][i % 5]),
    points.map(() => R - 1n),
    points.map((_, i) => (i % 2 === 0 ? 0n : 3n)),
    points.map((_, i) => BigInt(1 + (i % 20)) * 0x123456789abcdefn),
  ];
  for (const scalars of cases) {
    assert.ok(scalarGroups(scalars), 'the grouping applies');
    same(await wasm.msmG1(bases, scalars), await reference.msmG1Points(points, scalars));
  }
});

test('with workers, grouped MSMs of 2^9 points and more run whole on a worker, several at once, and equal the reference', async () => {
  const pooled = createWasmEngine({ workers: 2 });
  try {
    const n = 700;
    const points = await wasm.fixedBaseG1(G1_ONE, Array.from({ length: n }, (_, i) => BigInt(i % 97) * 0x9e3779b97f4a7c15n));
    points[3] = points[5].negate();
    const g2 = await wasm.fixedBaseG2(G2_ONE, Array.from({ length: 520 }, (_, i) => BigInt(i % 31) * 0xc2b2ae3d27d4eb4fn));
    const [b1, h2] = [await pooled.loadG1Bases(points), await pooled.loadG2Bases(g2)];
    const values = [0n, 1n, R - 1n, ...Array.from({ length: 61 }, (_, k) => (BigInt(k + 2) ** 9n * 0xabcdef0123456789n) % R)];
    const cases = [
      { offset: 0, scalars: points.map((_, i) => values[(i * 7) % values.length]) },
      { offset: 150, scalars: Array.from({ length: 530 }, (_, i) => values[(i * i) % 5]) },
      { offset: 1, scalars: Array.from({ length: 600 }, (_, i) => values[3 + (i % 40)]) },
    ];
    for (const { scalars } of cases) assert.ok(scalarGroups(scalars), 'the grouping applies');
    // On the calling thread the 40 or 64 group sums' MSM splits its scalars into GLV halves; on a worker it does not.
    let splits = 0;
    const plain = pooled.kernels.glvSplit.bind(pooled.kernels);
    pooled.kernels.glvSplit = (...args) => (splits++, plain(...args));
    const got = await Promise.all(cases.map(({ offset, scalars }) => pooled.msmG1(b1, scalars, offset)));
    pooled.kernels.glvSplit = plain;
    assert.equal(splits, 0, 'the grouped MSMs ran on the workers');
    for (const [k, { offset, scalars }] of cases.entries()) same(got[k], await reference.msmG1Points(points.slice(offset, offset + scalars.length), scalars));
    const s2 = g2.map((_, i) => values[(i * 3) % 9]);
    same(await pooled.msmG2(h2, s2), await reference.msmG2Points(g2, s2));
  } finally {
    await pooled.close();
  }
});

test('scalarGroups: groups 1 + the index of each distinct nonzero value, 0 for zero, only when at most 3/4 of the nonzero scalars are distinct', () => {
  const g = scalarGroups([5n, 0n, 7n, 5n, R - 1n, 7n, 0n, 5n])!;
  assert.deepEqual([...g.groups], [1, 0, 2, 1, 3, 2, 0, 1]);
  assert.deepEqual(g.values, [5n, 7n, R - 1n]);
  // 3 distinct among 4 nonzero: exactly 3/4, grouped; 4 among 5 nonzero… 4/5 > 3/4, not grouped.
  assert.ok(scalarGroups([1n, 2n, 3n, 3n]));
  assert.equal(scalarGroups([1n, 2n, 3n, 4n, 4n]), undefined);
  assert.equal(scalarGroups([1n, 2n, 3n, 4n]), undefined);
  assert.equal(scalarGroups([0n, 0n, 0n]), undefined);
  assert.equal(scalarGroups([]), undefined);
  // A sample of GROUP_SAMPLE distinct nonzero scalars ends the look even if the rest repeat; one repeat in it does not.
  const distinct = Array.from({ length: GROUP_SAMPLE }, (_, i) => BigInt(i + 1));
  const repeats = Array.from({ length: 8 * GROUP_SAMPLE }, () => 7n);
  assert.equal(scalarGroups([0n, ...distinct, ...repeats]), undefined);
  assert.ok(scalarGroups([0n, ...distinct.slice(1), 2n, ...repeats]));
  fc.assert(
    fc.property(fc.array(fc.bigInt({ min: 0n, max: 12n }), { maxLength: 60 }), (scalars) => {
      const nonzero = scalars.filter((s) => s !== 0n);
      const distinct = new Set(nonzero).size;
      const g = scalarGroups(scalars);
      assert.equal(g !== undefined, nonzero.length > 0 && 4 * distinct <= 3 * nonzero.length);
      if (g) scalars.forEach((s, i) => assert.equal(g.groups[i] === 0 ? 0n : g.values[g.groups[i] - 1], s));
    }),
    { numRuns: 200 },
  );
});
