// Engine.rangeKBasisG1: the K basis of a range table from powers of τ alone (src/engine/wasm/range-k-basis.ts, the
// G1 transform kernels of wasm/g1-transform.ts through src/engine/wasm/g1-steps.ts), compared point by point with the
// basis computed from τ itself (rangeBasisFromTau), with the reference engine's n×n matrix, and on adversarial inputs
// (points at infinity, repeated points, P and −P), on the calling thread and with workers.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { G1, G1_ONE, type G1Point } from '../../src/curve';
import { createReferenceEngine } from '../../src/engine/reference';
import { createWasmEngine } from '../../src/engine/wasm/engine';
import { runSteps, JACOBIAN_BYTES, type G1Step } from '../../src/engine/wasm/g1-steps';
import { startEnginePool } from '../../src/engine/wasm/pool';
import { rangeKBasisWasm, LEAF_LOG } from '../../src/engine/wasm/range-k-basis';
import { EngineError } from '../../src/errors';
import { R } from '../../src/field';
import { createInsecureDevSrs, devSrsTau, rangeBasisFromTau } from '../../src/srs/index';

const reference = createReferenceEngine();
const wasm = createWasmEngine();
const pool = startEnginePool(2);
after(async () => {
  await wasm.close();
  await pool.destroy();
});

const srs = await createInsecureDevSrs(7, { g2Powers: 2, seed: 'range-k-basis' });
const tau = devSrsTau('range-k-basis');

function samePoints(got: readonly G1Point[], want: readonly G1Point[], what: string): void {
  assert.equal(got.length, want.length, what);
  got.forEach((p, i) => assert.ok(p.equals(want[i]), `${what}: point ${i}`));
}

test('from the powers alone, every K point equals Z_S(τ)/(τ − v)·[1]₁ computed from τ, n = 2 … 64, through the tree of middle products, the leaves and the correlation', async () => {
  for (const n of [2, 4, 8, 16, 64]) {
    const want = (await rangeBasisFromTau(tau, n, wasm)).kBasis;
    samePoints(await wasm.rangeKBasisG1(srs.g1Powers.slice(0, n)), want, `n = ${n} (leaves of ${2 ** LEAF_LOG}: the recursion alone)`);
    // Smaller leaves run the tree's levels, split inside their transforms while they have fewer than 8 blocks.
    for (const leafLog of [0, 1, 3]) {
      const ctx = { kernels: wasm.kernels, pool: undefined, engine: wasm };
      samePoints(await rangeKBasisWasm(ctx, srs.g1Powers.slice(0, n), { leafLog }), want, `n = ${n}, leaves of ${2 ** leafLog}`);
    }
    samePoints(await reference.rangeKBasisG1(srs.g1Powers.slice(0, n)), want, `n = ${n}, reference engine`);
  }
});

test('with workers the same points, whatever the split (the tasks of every round on the pool)', async () => {
  const n = 64;
  const want = (await rangeBasisFromTau(tau, n, wasm)).kBasis;
  for (const leafLog of [1, 6]) samePoints(await rangeKBasisWasm({ kernels: wasm.kernels, pool, engine: wasm }, srs.g1Powers.slice(0, n), { leafLog }), want, `pool, leaves of ${2 ** leafLog}`);
  // An engine with workers keeps a small basis on the calling thread (POOL_MIN_POINTS), with the same points.
  const pooled = createWasmEngine({ workers: 2 });
  samePoints(await pooled.rangeKBasisG1(srs.g1Powers.slice(0, n)), want, 'engine with workers');
  await pooled.close();
});

test('the map is linear on any points: equal to the reference matrix on random points, points at infinity, repeats and P, −P (the exceptional cases of every addition formula)', async () => {
  const pointPool = [G1.ZERO, G1_ONE, G1_ONE.negate(), G1_ONE.multiply(2n), G1_ONE.multiply(R - 1n), G1_ONE.multiply(0xdeadbeefn)];
  const arb = fc.record({
    log: fc.integer({ min: 1, max: 4 }),
    picks: fc.array(fc.oneof(fc.integer({ min: 0, max: pointPool.length - 1 }), fc.bigInt({ min: 1n, max: R - 1n })), { minLength: 16, maxLength: 16 }),
    leafLog: fc.integer({ min: 0, max: 3 }),
  });
  await fc.assert(
    fc.asyncProperty(arb, async ({ log, picks, leafLog }) => {
      const points = picks.slice(0, 1 << log).map((p) => (typeof p === 'number' ? pointPool[p] : G1_ONE.multiply(p)));
      const want = await reference.rangeKBasisG1(points);
      samePoints(await rangeKBasisWasm({ kernels: wasm.kernels, pool: undefined, engine: wasm }, points, { leafLog }), want, `n = ${points.length}`);
    }),
    { numRuns: 30 },
  );
  // All at infinity, and all equal: the transforms add a point to itself and to its negation throughout.
  for (const points of [Array(8).fill(G1.ZERO), Array(8).fill(G1_ONE)]) {
    samePoints(await rangeKBasisWasm({ kernels: wasm.kernels, pool: undefined, engine: wasm }, points, { leafLog: 0 }), await reference.rangeKBasisG1(points), 'degenerate');
  }
});

test('progress reaches its total; a size that is not a power of two is refused', async () => {
  let last: [number, number] = [0, 1];
  let calls = 0;
  await wasm.rangeKBasisG1(srs.g1Powers.slice(0, 16), { onProgress: (done, total) => ((last = [done, total]), calls++) });
  assert.ok(calls > 1);
  assert.equal(last[0], last[1]);
  await assert.rejects(wasm.rangeKBasisG1(srs.g1Powers.slice(0, 12)));
  await assert.rejects(reference.rangeKBasisG1(srs.g1Powers.slice(0, 12)), EngineError);
});

test('the G1 steps: a forward transform and the transform back give m times the points; butterflies of a split stage are the stage', async () => {
  const m = 8;
  const points = Array.from({ length: 2 * m }, (_, i) => G1_ONE.multiply(BigInt(3 * i + 1)));
  const kernels = wasm.kernels;
  const jacobian = kernels.scratch((alloc) => {
    const records = alloc(points.length * 108);
    kernels.loadPointsAt('g1', records, points, alloc);
    const out = alloc(points.length * JACOBIAN_BYTES);
    kernels.exports.g1_basesToJacobian(out, records, points.length);
    return kernels.copyOut(out, points.length * JACOBIAN_BYTES);
  });
  const read = (bytes: Uint8Array): G1Point[] =>
    kernels.scratch((alloc) => {
      const jac = alloc(bytes.length);
      new Uint8Array(kernels.exports.memory.buffer, jac, bytes.length).set(bytes);
      const affine = alloc((bytes.length / JACOBIAN_BYTES) * 72);
      kernels.exports.g1_batchToAffine(affine, jac, bytes.length / JACOBIAN_BYTES);
      return kernels.readAffine('g1', alloc, affine, bytes.length / JACOBIAN_BYTES);
    });
  const there = runSteps(kernels, jacobian, [{ op: 'dif', log: 3 }]);
  samePoints(read(runSteps(kernels, there, [{ op: 'dit', log: 3 }])), points.map((p) => p.multiply(BigInt(m))), 'dit(dif(a)) = m·a');
  // The first stage of a transform of 16 points, as its 8 pairs given apart, then the two halves' transforms.
  const split: G1Step[] = [{ op: 'butterflies', log: 4, first: 0, dif: true }];
  const firstStage = runSteps(kernels, jacobian, split);
  samePoints(read(runSteps(kernels, firstStage, [{ op: 'dif', log: 3 }])), read(runSteps(kernels, jacobian, [{ op: 'dif', log: 4 }])), 'stage then halves = whole');
});
