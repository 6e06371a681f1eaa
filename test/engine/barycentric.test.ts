/**
 * `Engine.barycentricSum` (`Σ_i v_i·ω^i/(z − ω^i)`) on the kernels (wasm/barycentric.ts: weights by one batch
 * inversion, small cells summed limb by limb without reduction, big cells by Montgomery products) and on the reference
 * engine, against the sum computed cell by cell with a field division each (fast-check): every class of cell (0, 1,
 * small of either sign at the ±2^31 boundaries, near r, full width, unreduced integers), sizes 1 to 4096 (below 128
 * cells the kernels' engine sums in bigints, from 128 in the kernels), the
 * accumulator's worst case (every cell at the largest small magnitude), more points of one size than are kept (the
 * oldest weights' memory reused; at most two points kept from 2^14 points on, the heap not growing), an array summed again after a cell changed in place (the kernel form kept per array
 * is not reused for other cells), and z in the subgroup refused with the engine's typed error.
 * `EvaluationDomain.evaluateInterpolant` on top of it equals the interpolant's coefficients evaluated at z.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createReferenceEngine } from '../../src/engine/reference';
import { createWasmEngine } from '../../src/engine/wasm/engine';
import { KEPT_POINTS, KEPT_POINTS_LARGE, KeptWeights, keptPoints, LARGE_SIZE } from '../../src/engine/barycentric';
import { EngineError } from '../../src/errors';
import { Fr, R } from '../../src/field';
import { EvaluationDomain } from '../../src/poly/domain';
import { rootOfUnity } from '../../src/poly/roots';

const wasm = createWasmEngine();
const reference = createReferenceEngine();
const engines = [wasm, reference];

/** Σ_i v_i·ω^i/(z − ω^i) with one division per cell. */
function expected(values: readonly bigint[], z: bigint): bigint {
  const omega = rootOfUnity(values.length);
  let acc = 0n;
  let w = 1n;
  for (const v of values) {
    acc = Fr.add(acc, Fr.mul(Fr.create(v), Fr.div(w, Fr.sub(z, w))));
    w = Fr.mul(w, omega);
  }
  return acc;
}

const B31 = 1n << 31n;
/** Cells of every class the kernel path distinguishes, and their boundaries. */
const cell = fc.oneof(
  fc.constantFrom(0n, 1n, B31 - 1n, B31, -B31, -B31 - 1n, -1n, R - 1n, R - B31 + 1n, R - B31, R, R + 1n, -R - 3n, 2n ** 256n + 7n),
  fc.bigInt({ min: -B31, max: B31 }),
  fc.bigInt({ min: 0n, max: R - 1n }),
  fc.bigInt({ min: -(2n ** 300n), max: 2n ** 300n }),
);
const outside = (n: number) => fc.bigInt({ min: 0n, max: R - 1n }).filter((z) => Fr.pow(z, BigInt(n)) !== 1n);

test('every cell class and size gives the cell-by-cell sum, on both engines', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(1, 2, 8, 64, 128, 256, 1024).chain((n) => fc.tuple(fc.array(cell, { minLength: n, maxLength: n }), outside(n))),
      ([values, z]) => {
        const want = expected(values, z);
        for (const e of engines) assert.equal(e.barycentricSum(values, z), want, e.name);
      },
    ),
    { numRuns: 120 },
  );
});

test('the largest small cells on 4096 points (the accumulator bound) sum exactly', () => {
  const n = 4096;
  for (const v of [B31 - 1n, -B31]) {
    const values = new Array<bigint>(n).fill(v);
    const z = 0x1234567890abcdefn;
    assert.equal(wasm.barycentricSum(values, z), expected(values, z));
  }
  const mixed = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? B31 - 1n : i % 3 === 1 ? -B31 : R - 1n - BigInt(i)));
  assert.equal(wasm.barycentricSum(mixed, 987654321n), expected(mixed, 987654321n));
});

test('more points of one size than are kept: the weights are recomputed, in reused memory, and stay right', () => {
  const n = 256;
  const values = Array.from({ length: n }, (_, i) => BigInt(i * i) - 1000n);
  const points = Array.from({ length: KEPT_POINTS + 4 }, (_, i) => 1000n + BigInt(i));
  const wants = points.map((z) => expected(values, z));
  for (let round = 0; round < 3; round++) {
    for (const [j, z] of points.entries()) for (const e of engines) assert.equal(e.barycentricSum(values, z), wants[j], `${e.name} z=${z}`);
  }
  // Other sizes at the same points do not disturb these weights.
  const other = Array.from({ length: 16 }, (_, i) => BigInt(i));
  assert.equal(wasm.barycentricSum(other, points[0]), expected(other, points[0]));
  assert.equal(wasm.barycentricSum(values, points.at(-1)!), wants.at(-1));
});

test('the kept weights stay bounded: at most keptPoints(n) points per size, 2 from 2^14 on, the oldest recycled', () => {
  for (const n of [LARGE_SIZE / 2, LARGE_SIZE, 1 << 17]) {
    const kept = new KeptWeights<{ id: number }>();
    let fresh = 0;
    for (let i = 0; i < 3 * KEPT_POINTS; i++) {
      kept.get(n, BigInt(i), (recycled) => recycled ?? { id: fresh++ });
      assert.ok(kept.keptAt(n) <= keptPoints(n), `n=${n}: ${kept.keptAt(n)} points kept`);
    }
    assert.equal(fresh, keptPoints(n), `n=${n}`);
    assert.equal(keptPoints(n), n >= LARGE_SIZE ? KEPT_POINTS_LARGE : KEPT_POINTS);
  }
  // The kernels' weights at 2^14 points: once two points are kept, more points reuse their memory (the heap does not
  // grow by 36·2^14 bytes per point) and every sum stays the reference's.
  const n = LARGE_SIZE;
  const values = Array.from({ length: n }, (_, i) => (i % 7 === 0 ? R - BigInt(i) : BigInt(i % 5)));
  const points = Array.from({ length: KEPT_POINTS }, (_, i) => 77n + BigInt(i));
  for (const z of points.slice(0, KEPT_POINTS_LARGE)) wasm.barycentricSum(values, z);
  const mark = wasm.kernels.exports.heapMark();
  for (const [j, z] of points.entries()) {
    const sum = wasm.barycentricSum(values, z);
    if (j % 3 === 0) assert.equal(sum, reference.barycentricSum(values, z), `z=${z}`);
  }
  assert.equal(wasm.kernels.exports.heapMark(), mark);
});

test('an array whose cells change in place between sums gets the sum of the cells it holds', () => {
  fc.assert(
    fc.property(fc.array(cell, { minLength: 128, maxLength: 128 }), fc.nat(127), cell, outside(128), outside(128), (values, i, x, z1, z2) => {
      const array = [...values];
      assert.equal(wasm.barycentricSum(array, z1), expected(values, z1));
      assert.equal(wasm.barycentricSum(array, z2), expected(values, z2));
      array[i] = x;
      assert.equal(wasm.barycentricSum(array, z1), expected(array, z1));
      assert.equal(wasm.barycentricSum(array, z2), expected(array, z2));
    }),
    { numRuns: 50 },
  );
});

test('z in the subgroup is refused with an EngineError (a weight would divide by zero)', () => {
  for (const n of [1, 2, 16]) {
    const values = Array.from({ length: n }, (_, i) => BigInt(i + 1));
    for (const z of [1n, rootOfUnity(n), Fr.pow(rootOfUnity(n), BigInt(n - 1))]) {
      for (const e of engines) assert.throws(() => e.barycentricSum(values, z), EngineError, `${e.name} n=${n} z=${z}`);
    }
  }
});

test('evaluateInterpolant: the interpolant at z (outside the domain and on it) on both engines', () => {
  fc.assert(
    fc.property(fc.array(cell, { minLength: 32, maxLength: 32 }), outside(32), fc.nat(31), (values, z, k) => {
      for (const e of engines) {
        const domain = new EvaluationDomain(32, e);
        const coeffs = domain.ifft(values.map((v) => Fr.create(v)));
        assert.equal(domain.evaluateInterpolant(values, z), e.evaluateAt([coeffs], z)[0], e.name);
        assert.equal(domain.evaluateInterpolant(values, domain.element(k)), Fr.create(values[k]));
      }
    }),
    { numRuns: 50 },
  );
});
