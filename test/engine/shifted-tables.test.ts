// Shifted tables (wasm shiftTables / msmShifted, Kernels.loadShiftTables / msmShifted) and their rental by the WASM
// engine (msm-plan.ts shiftedPlan): an MSM over the tables equals the reference engine's on adversarial inputs
// (bases at infinity, repeated and opposite bases, zero scalars, r − 1, short signed scalars on fewer windows, n = 1,
// n not a power of two, an offset into the set), and the engine builds a set's tables exactly when the additions its
// MSMs forwent reach their cost, its results equal to the reference's before and after, for sets of hundreds of bases
// and for small ones (a helper's domain of 32 cells).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createReferenceEngine } from '../../src/engine/reference';
import { createWasmEngine } from '../../src/engine/wasm/engine';
import { G1, G1_ONE, type G1Point } from '../../src/curve';
import { R } from '../../src/field';
import { plainWindowBits, scalarWindows, shiftBuildCost, shiftedPlan, shiftRental, SHIFT_MAX_POINTS, SHIFT_MIN_POINTS, windowBits, windowCount } from '../../src/engine/wasm/msm-plan';

const reference = createReferenceEngine();
const wasm = createWasmEngine();
after(() => wasm.close());

const pool: G1Point[] = [1n, 2n, 3n, 0xdeadbeefn, R - 1n, R - 2n].map((k) => G1_ONE.multiply(k));
const pointArb = fc.oneof(
  fc.constantFrom(...pool),
  fc.constantFrom(...pool).map((p) => p.negate()),
  fc.constantFrom(...pool).map((p) => p.double()),
  fc.constant(G1.ZERO),
);
const scalarArb = fc.oneof(fc.constantFrom(0n, 1n, 2n, R - 1n, R - 2n, (R - 1n) / 2n, 1n << 253n), fc.bigInt({ min: 0n, max: R - 1n }));

function same(a: G1Point, b: G1Point): void {
  assert.equal(a.is0(), b.is0());
  if (!a.is0()) assert.deepEqual(a.toAffine(), b.toAffine());
}

/** The MSM of the kernels over the shifted tables of `points` (c-bit rows), at `offset`, on `windows` windows. */
function shiftedMsm(points: readonly G1Point[], c: number, words: readonly bigint[], offset: number, windows: number): G1Point {
  const k = wasm.kernels;
  // Resident: the tables outlive the scratch region of the call (they are small here).
  const bases = k.loadPoints('g1', points);
  const tables = k.loadShiftTables(bases, points.length, c);
  const part = k.scratch((alloc) => k.msmShifted(tables + offset * 108, points.length, k.writeScalars(alloc, words), words.length, c, windows));
  return k.sumToPoint('g1', [part]);
}

test('an MSM over shifted tables equals the reference: bases at infinity, repeated, opposite, zero and r − 1 scalars, any n and offset', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(pointArb, { minLength: 1, maxLength: 24 }),
      fc.integer({ min: 3, max: 9 }),
      fc.array(scalarArb, { minLength: 1, maxLength: 24 }),
      fc.nat(),
      async (points, c, scalars, at) => {
        const n = Math.min(scalars.length, points.length);
        const offset = at % (points.length - n + 1);
        const words = scalars.slice(0, n);
        same(shiftedMsm(points, c, words, offset, windowCount(c)), await reference.msmG1Points(points.slice(offset, offset + n), words));
      },
    ),
    { numRuns: 40 },
  );
});

test('short signed scalars over shifted tables take ⌈(bits + 1)/c⌉ windows; one window fewer is wrong', async () => {
  const points = Array.from({ length: 37 }, (_, i) => pool[i % pool.length].multiply(BigInt(i + 1)));
  points[5] = G1.ZERO;
  const NEGATED = 1n << 255n;
  // |s| < 2^20 with bit 255 marking a negative value: the kernel's short-scalar words.
  const magnitudes = points.map((_, i) => BigInt((i * 104729) % (1 << 20)));
  const words = magnitudes.map((m, i) => (i % 3 === 0 ? m | NEGATED : m));
  const field = magnitudes.map((m, i) => (i % 3 === 0 && m !== 0n ? R - m : m));
  const c = 7;
  const windows = scalarWindows(20, c);
  const want = await reference.msmG1Points(points, field);
  same(shiftedMsm(points, c, words, 0, windows), want);
  assert.equal(shiftedMsm(points, c, words, 0, windows - 1).equals(want), false, 'too few windows lose the top digits');
});

test('the rental builds a set\'s tables once its MSMs forwent their cost, never for an MSM they would not speed up', () => {
  assert.equal(shiftRental(SHIFT_MIN_POINTS - 1), undefined);
  assert.equal(shiftRental(SHIFT_MAX_POINTS + 1), undefined);
  const points = 4096;
  const rental = shiftRental(points)!;
  const n = 4096;
  const c = windowBits(n);
  // Few points on a set of wide tables: the plain MSM is cheaper, nothing is forgone.
  assert.equal(shiftedPlan(rental, 16, windowCount(windowBits(16)), windowBits(16)), undefined);
  assert.equal(rental.forgone, 0);
  let calls = 0;
  let plan;
  while ((plan = shiftedPlan(rental, n, windowCount(c), c)) === undefined) calls++;
  assert.equal(plan.build, true);
  assert.ok(rental.forgone >= shiftBuildCost(points, rental.c));
  assert.ok(calls > 1, 'one MSM does not pay for the tables');
  assert.deepEqual(shiftedPlan(rental, n, windowCount(c), c), { windows: windowCount(rental.c), build: false });
  assert.equal(shiftedPlan(rental, n, 2, c, 12)?.windows, undefined, 'two plain windows of short scalars beat one pass over the tables');
});

test('the engine rents shifted tables: repeated wide MSMs equal the reference before and after the build, at offsets', async () => {
  const engine = createWasmEngine();
  try {
    const points = await engine.fixedBaseG1(G1_ONE, Array.from({ length: 300 }, (_, i) => BigInt(i + 1) * 0x9e3779b97f4a7c15n));
    points[7] = G1.ZERO;
    points[8] = points[9].negate();
    const bases = await engine.loadG1Bases(points);
    let shifted = 0;
    const plain = engine.kernels.msmShifted.bind(engine.kernels);
    engine.kernels.msmShifted = (...args) => (shifted++, plain(...args));
    const rental = shiftRental(points.length)!;
    let seed = 7n;
    for (let run = 0; run < 40; run++) {
      const n = 200 + ((run * 37) % 100);
      const offset = run % (points.length - n + 1);
      const scalars = Array.from({ length: n }, (_, i) => (i === 3 ? 0n : i === 4 ? R - 1n : (seed = (seed * 6364136223846793005n + 1442695040888963407n) % R)));
      const expectShifted = shiftedPlan(rental, n, windowCount(windowBits(n)), windowBits(n)) !== undefined;
      const before = shifted;
      same(await engine.msmG1(bases, scalars, offset), await reference.msmG1Points(points.slice(offset, offset + n), scalars));
      assert.equal(shifted - before, expectShifted ? 1 : 0, `run ${run}: the engine follows the rental`);
    }
    assert.ok(shifted > 0 && shifted < 40, 'the tables were built during the runs, not at once');
  } finally {
    await engine.close();
  }
});

test('a small set (from SHIFT_MIN_POINTS bases) rents shifted tables for its full-width MSMs, equal to the reference before and after', async () => {
  const engine = createWasmEngine();
  try {
    assert.ok(shiftRental(32) !== undefined && shiftRental(SHIFT_MIN_POINTS) !== undefined, 'sets from Straus\'s limit on may rent tables');
    const points = await engine.fixedBaseG1(G1_ONE, Array.from({ length: 32 }, (_, i) => BigInt(i + 3) * 0x9e3779b97f4a7c15n));
    points[5] = G1.ZERO;
    points[6] = points[7].negate();
    const bases = await engine.loadG1Bases(points);
    let shifted = 0;
    const plain = engine.kernels.msmShifted.bind(engine.kernels);
    engine.kernels.msmShifted = (...args) => (shifted++, plain(...args));
    let seed = 11n;
    for (let run = 0; run < 12; run++) {
      const n = run % 3 === 0 ? 32 : 16 + (run % 17);
      const offset = run % (points.length - n + 1);
      const scalars = Array.from({ length: n }, (_, i) => (i === 1 ? 0n : i === 2 ? R - 1n : (seed = (seed * 6364136223846793005n + 1442695040888963407n) % R)));
      same(await engine.msmG1(bases, scalars, offset), await reference.msmG1Points(points.slice(offset, offset + n), scalars));
    }
    assert.ok(shifted > 0, 'the 32-point set built its tables and read them');
  } finally {
    await engine.close();
  }
});

test('a plain MSM sizes its windows by its nonzero scalars, no narrower than n/256 points would call for', () => {
  // Dense: the nonzero count decides. Sparse: n/256 does (a few nonzero among 2^16 ran c = 2, 128 windows, at 2.5× the time).
  assert.equal(plainWindowBits(4096, 4096), windowBits(4096));
  assert.equal(plainWindowBits(4096, 1228), windowBits(1228), 'a helper of 70 % zeros');
  assert.equal(plainWindowBits(1 << 16, 5), windowBits(1 << 8));
  for (let log = 1; log <= 18; log++) for (const nonzero of [0, 1, 5, 1 << (log - 1)]) assert.ok(plainWindowBits(1 << log, nonzero) >= Math.max(2, windowBits(1 << log) - 8));
});
