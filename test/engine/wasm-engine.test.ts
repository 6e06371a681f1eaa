// Differential tests: the WASM engine must return exactly the reference engine's values, on random and
// adversarial inputs (zero scalars, r − 1, repeated bases, P and −P, identity points, tiny and odd sizes).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createReferenceEngine } from '../../src/engine/reference';
import { createWasmEngine } from '../../src/engine/wasm/engine';
import { createEngine } from '../../src/engine/index';
import { G1, G2, G1_ONE, G2_ONE, type G1Point, type G2Point } from '../../src/curve';
import { Fr, R } from '../../src/field';
import { EngineError } from '../../src/errors';
import type { CosetPart } from '../../src/engine/engine';
import { BASE_BYTES, type GroupName, type GroupPoint } from '../../src/engine/wasm/kernels';
import { readWordsArray } from '../../src/engine/wasm/codec';
import { keptWords } from '../../src/poly/kept-words';

const reference = createReferenceEngine();
const wasm = createWasmEngine();
after(() => wasm.close());

test('cosetIdentities with polynomials read alone (combined before one transform) equals the reference: several per part, repeated and cancelling coefficients, read by two parts or also in a product (not combined), and their values at a point', async () => {
  const value = fc.oneof(fc.constantFrom(0n, 1n, R - 1n), fc.bigInt({ min: 0n, max: R - 1n }));
  // Each part: one product a·f (f any polynomial, so a polynomial read alone elsewhere may also sit in a product), then
  // single-factor terms c·f over polynomials 1.. (a polynomial picked by two parts is read by both), some with their
  // negation −c·f too (a combination whose weight cancels).
  const arb = fc.integer({ min: 3, max: 7 }).chain((count) =>
    fc.record({
      parts: fc.array(
        fc.record({
          log: fc.integer({ min: 0, max: 4 }),
          product: fc.record({ coeff: value, f: fc.integer({ min: 0, max: count - 1 }) }),
          singles: fc.array(fc.record({ coeff: value, f: fc.integer({ min: 1, max: count - 1 }), cancelled: fc.boolean() }), { minLength: 2, maxLength: 8 }),
          scale: value,
        }),
        { minLength: 1, maxLength: 3 },
      ),
      polys: fc.array(fc.array(value, { maxLength: 16 }), { minLength: count, maxLength: count }),
      shift: fc.constantFrom(1n, 5n),
      point: fc.option(value, { nil: undefined }),
    }),
  );
  await fc.assert(
    fc.asyncProperty(arb, async ({ parts: specs, polys: longPolys, shift, point }) => {
      const parts = specs.map(({ log, product, singles, scale }) => ({
        size: 1 << log,
        terms: [
          { coeff: product.coeff, factors: [0, product.f] },
          ...singles.flatMap(({ coeff, f, cancelled }) => [{ coeff, factors: [f] }, ...(cancelled ? [{ coeff: (R - coeff) % R, factors: [f] }] : [])]),
        ],
        scale: [scale],
      }));
      const polys = longPolys.map((f) => f.slice(0, Math.min(...parts.map((p) => p.size))));
      assert.deepEqual(await wasm.cosetIdentities(shift, polys, parts, point), await reference.cosetIdentities(shift, polys, parts, point));
    }),
    { numRuns: 150 },
  );
});

const g1Pool: G1Point[] = [1n, 2n, 3n, 0xdeadbeefn, R - 1n, R - 2n].map((k) => G1_ONE.multiply(k));
const g2Pool: G2Point[] = [1n, 5n, 0xfeedn, R - 1n].map((k) => G2_ONE.multiply(k));

/** Points drawn from a small pool, with negations and identities, so repeats, P/−P and 0 all occur. */
function pointsArb<P extends G1Point | G2Point>(pool: P[], zero: P, maxLength: number): fc.Arbitrary<P[]> {
  const one = fc.oneof(
    fc.constantFrom(...pool),
    fc.constantFrom(...pool).map((p) => p.negate() as P),
    fc.constant(zero),
    fc.constantFrom(...pool).map((p) => p.double() as P),
  );
  return fc.array(one, { minLength: 0, maxLength });
}

const scalarArb = fc.oneof(fc.constantFrom(0n, 1n, 2n, R - 1n, R - 2n, (R - 1n) / 2n, 1n << 253n), fc.bigInt({ min: 0n, max: R - 1n }));

/** The Pippenger kernel on few points (the engine uses Straus there), with a window width from the size. */
function pippenger<G extends GroupName>(group: G, points: GroupPoint<G>[], scalars: bigint[]): GroupPoint<G> {
  const k = wasm.kernels;
  if (points.length === 0) return (group === 'g1' ? G1.ZERO : G2.ZERO) as GroupPoint<G>;
  return k.scratch((alloc) => {
    const bases = alloc(points.length * BASE_BYTES[group]);
    k.loadPointsAt(group, bases, points, alloc);
    const c = 2 + (points.length % 4);
    return k.sumToPoint(group, [k.msmPart(group, bases, k.writeScalars(alloc, scalars), points.length, c, 0, Math.ceil(255 / c))]);
  });
}

function sameG1(a: G1Point, b: G1Point): void {
  assert.equal(a.is0(), b.is0());
  if (!a.is0()) assert.deepEqual(a.toAffine(), b.toAffine());
}
function sameG2(a: G2Point, b: G2Point): void {
  assert.equal(a.is0(), b.is0());
  if (!a.is0()) assert.deepEqual(a.toAffine(), b.toAffine());
}

test('msmG1 and msmG1Points equal the reference on adversarial inputs', async () => {
  await fc.assert(
    fc.asyncProperty(pointsArb(g1Pool, G1.ZERO, 40).chain((pts) => fc.tuple(fc.constant(pts), fc.array(scalarArb, { minLength: pts.length, maxLength: pts.length }))), async ([points, scalars]) => {
      const want = await reference.msmG1Points(points, scalars);
      sameG1(await wasm.msmG1Points(points, scalars), want);
      const bases = await wasm.loadG1Bases([G1_ONE, ...points]);
      sameG1(await wasm.msmG1(bases, scalars, 1), want);
      sameG1(pippenger('g1', points, scalars), want);
    }),
    { numRuns: 60 },
  );
});

test('msmG2 and msmG2Points equal the reference on adversarial inputs', async () => {
  await fc.assert(
    fc.asyncProperty(pointsArb(g2Pool, G2.ZERO, 12).chain((pts) => fc.tuple(fc.constant(pts), fc.array(scalarArb, { minLength: pts.length, maxLength: pts.length }))), async ([points, scalars]) => {
      const want = await reference.msmG2Points(points, scalars);
      sameG2(await wasm.msmG2Points(points, scalars), want);
      sameG2(pippenger('g2', points, scalars), want);
      const bases = await wasm.loadG2Bases(points);
      sameG2(await wasm.msmG2(bases, scalars), want);
    }),
    { numRuns: 25 },
  );
});

test('MSMs over a few resident bases read their window tables and equal the reference: repeated, opposite and doubled bases, every offset, G1 and G2', async () => {
  const finite = <P extends G1Point | G2Point>(pool: P[]) =>
    fc.array(fc.oneof(fc.constantFrom(...pool), fc.constantFrom(...pool).map((p) => p.negate() as P), fc.constantFrom(...pool).map((p) => p.double() as P)), { minLength: 1, maxLength: 4 });
  const withScalars = <P>(points: fc.Arbitrary<P[]>) => points.chain((pts) => fc.tuple(fc.constant(pts), fc.array(scalarArb, { minLength: pts.length, maxLength: pts.length })));
  await fc.assert(
    fc.asyncProperty(withScalars(finite(g1Pool)), async ([points, scalars]) => {
      // The kernel itself, on tables built from the points.
      const k = wasm.kernels;
      const direct = k.scratch((alloc) => {
        const bases = alloc(points.length * BASE_BYTES.g1);
        k.loadPointsAt('g1', bases, points, alloc);
        return k.sumToPoint('g1', [k.msmTables('g1', k.loadWindowTables('g1', bases, points.length), k.writeScalars(alloc, scalars), points.length)]);
      });
      sameG1(direct, await reference.msmG1Points(points, scalars));
      // The engine's resident sets of so few points take that path, at every offset.
      const bases = await wasm.loadG1Bases(points);
      for (let o = 0; o < points.length; o++) sameG1(await wasm.msmG1(bases, scalars.slice(o), o), await reference.msmG1Points(points.slice(o), scalars.slice(o)));
    }),
    { numRuns: 40 },
  );
  await fc.assert(
    fc.asyncProperty(withScalars(finite(g2Pool)), async ([points, scalars]) => {
      const bases = await wasm.loadG2Bases(points);
      sameG2(await wasm.msmG2(bases, scalars), await reference.msmG2Points(points, scalars));
    }),
    { numRuns: 10 },
  );
});

test('MSMs over many repeated and opposite points exercise every bucket case', async () => {
  // Two bases and their negations repeated: every bucket receives equal points (doublings) and
  // opposite points (sums at infinity) in its batch-affine rounds.
  const p = g1Pool[3];
  const points = Array.from({ length: 300 }, (_, i) => [p, p.negate(), g1Pool[1], p][i % 4]);
  for (const scalars of [
    points.map(() => 0n),
    points.map((_, i) => BigInt(i % 7)),
    points.map(() => R - 1n),
    points.map((_, i) => (i % 2 === 0 ? 5n : R - 5n)),
    points.map((_, i) => BigInt(i) * 0x1234567n),
  ]) {
    sameG1(await wasm.msmG1Points(points, scalars), await reference.msmG1Points(points, scalars));
  }
});

test('fixed-base multiplication equals the reference', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(scalarArb, { maxLength: 6 }), fc.constantFrom(0, 1, 2), async (scalars, which) => {
      const g1 = [G1_ONE, g1Pool[3].negate(), G1.ZERO][which];
      const want1 = await reference.fixedBaseG1(g1, scalars);
      (await wasm.fixedBaseG1(g1, scalars)).forEach((p, i) => sameG1(p, want1[i]));
      const g2 = [G2_ONE, g2Pool[2], G2.ZERO][which];
      const want2 = await reference.fixedBaseG2(g2, scalars);
      (await wasm.fixedBaseG2(g2, scalars)).forEach((p, i) => sameG2(p, want2[i]));
    }),
    { numRuns: 15 },
  );
});

const frArb = fc.oneof(fc.constantFrom(0n, 1n, R - 1n), fc.bigInt({ min: 0n, max: R - 1n }));

test('ntt, intt and coset transforms equal the reference', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 7 }), fc.array(frArb, { minLength: 128, maxLength: 128 }), fc.constantFrom(1n, 5n, 7n, R - 1n), (log, pool, shift) => {
      const values = pool.slice(0, 1 << log);
      assert.deepEqual(wasm.ntt(values, shift), reference.ntt(values, shift));
      assert.deepEqual(wasm.intt(values, shift), reference.intt(values, shift));
      assert.deepEqual(wasm.intt(wasm.ntt(values, shift), shift), values);
    }),
    { numRuns: 40 },
  );
});

test('batch inversion equals the reference, zeros map to zero', () => {
  fc.assert(
    fc.property(fc.array(frArb, { maxLength: 40 }), (values) => {
      assert.deepEqual(wasm.batchInvert(values), reference.batchInvert(values));
    }),
    { numRuns: 50 },
  );
});

test('cosetIdentities equals the reference: nested parts sharing polynomials, repeated factors, constant terms, short polynomials, zero and r − 1 values, and the values at a point of every polynomial, read or not', async () => {
  const value = fc.oneof(fc.constantFrom(0n, 1n, R - 1n, R - 2n), fc.bigInt({ min: 0n, max: R - 1n }));
  const part = (count: number) =>
    fc.integer({ min: 0, max: 4 }).chain((log) =>
      fc.record({
        size: fc.constant(1 << log),
        terms: fc.array(fc.record({ coeff: value, factors: fc.array(fc.integer({ min: 0, max: count - 1 }), { maxLength: 4 }) }), { maxLength: 6 }),
        scale: fc.integer({ min: 0, max: log }).chain((k) => fc.array(value, { minLength: 1 << k, maxLength: 1 << k })),
      }),
    );
  // Each polynomial has at most as many coefficients as the smallest part (1 point), or it would not fit where read.
  const arb = fc.integer({ min: 1, max: 4 }).chain((count) =>
    fc.record({
      parts: fc.array(part(count), { minLength: 1, maxLength: 3 }),
      polyLengths: fc.array(fc.nat(), { minLength: count, maxLength: count }),
      seed: fc.array(value, { minLength: 16 * count, maxLength: 16 * count }),
      shift: fc.constantFrom(1n, 5n, R - 1n),
      point: fc.option(value, { nil: undefined }),
    }),
  ).map(({ parts, polyLengths, seed, shift, point }) => {
    const fits = polyLengths.map((_, j) => Math.max(0, ...parts.filter((p) => p.terms.some((t) => t.factors.includes(j))).map((p) => p.size)) || 16);
    const polys = polyLengths.map((len, j) => seed.slice(16 * j, 16 * j + (len % (fits[j] + 1))));
    return { parts, polys, shift, point };
  });
  await fc.assert(
    fc.asyncProperty(arb, async ({ shift, polys, parts, point }) => {
      const got = await wasm.cosetIdentities(shift, polys, parts, point);
      assert.deepEqual(got, await reference.cosetIdentities(shift, polys, parts, point));
      assert.deepEqual(got.values, point === undefined ? [] : reference.evaluateAt(polys, point));
    }),
    { numRuns: 80 },
  );
  // A known value: with scale 1 the identity 3·a·a·b + 5 of a = 2 + X, b = 7 on the coset comes back as 3·7·(2 + X)² + 5.
  const known = { size: 4, terms: [{ coeff: 3n, factors: [0, 0, 1] }, { coeff: 5n, factors: [] }], scale: [1n] };
  assert.deepEqual(await wasm.cosetIdentities(5n, [[2n, 1n], [7n]], [known]), { coefficients: [89n, 84n, 21n, 0n], values: [] });
  // Two parts, the second on half the points of the first (reading every other value of a's transform), add up:
  // 3·7·(2 + X)² + 5 plus (2 + X)·1 = 91 + 85·X + 21·X²; at X = 3 the polynomials are 5 and 7, and an unread c = 1 + X² is 10.
  const twoParts = [known, { size: 2, terms: [{ coeff: 1n, factors: [0] }], scale: [1n] }];
  assert.deepEqual(await wasm.cosetIdentities(5n, [[2n, 1n], [7n], [1n, 0n, 1n]], twoParts, 3n), { coefficients: [91n, 85n, 21n, 0n], values: [5n, 7n, 10n] });
  // a·b − c − d + 2·c on 4 points: c and d, read alone by this part only, are combined (c·(2 − 1) − d) before one
  // transform; with a = 1 + X, b = 2, c = 3, d = X the sum is 2 + 2X + 3 − X = 5 + X.
  const linear = { size: 4, terms: [{ coeff: 1n, factors: [0, 1] }, { coeff: R - 1n, factors: [2] }, { coeff: R - 1n, factors: [3] }, { coeff: 2n, factors: [2] }], scale: [1n] };
  assert.deepEqual(await wasm.cosetIdentities(5n, [[1n, 1n], [2n], [3n], [0n, 1n]], [linear], 2n), { coefficients: [5n, 1n, 0n, 0n], values: [3n, 2n, 3n, 2n] });
  for (const e of [wasm, reference]) {
    await assert.rejects(async () => e.cosetIdentities(5n, [[1n]], [{ size: 2, terms: [{ coeff: 1n, factors: [1] }], scale: [1n] }]), /names none/);
    await assert.rejects(async () => e.cosetIdentities(5n, [], [{ size: 3, terms: [], scale: [1n] }]), /power of two/);
    await assert.rejects(async () => e.cosetIdentities(5n, [], [{ size: 4, terms: [], scale: [1n, 2n, 3n] }]), /does not divide/);
    await assert.rejects(async () => e.cosetIdentities(5n, [], [{ size: 4, terms: [], scale: [] }]), /does not divide/);
    for (const coeff of [R, -1n]) await assert.rejects(async () => e.cosetIdentities(5n, [[1n]], [{ size: 2, terms: [{ coeff, factors: [0] }], scale: [1n] }]), /coefficient .* is not a canonical Fr element/);
  }
});

test('evaluateAt equals the reference and Horner in bigints: empty, constant and long polynomials, z = 0, 1, r − 1', () => {
  const value = fc.oneof(fc.constantFrom(0n, 1n, R - 1n), fc.bigInt({ min: 0n, max: R - 1n }));
  fc.assert(
    fc.property(fc.array(fc.array(value, { maxLength: 40 }), { maxLength: 5 }), fc.oneof(fc.constantFrom(0n, 1n, R - 1n), value), (polys, z) => {
      const want = polys.map((f) => f.reduceRight((acc, c) => (acc * z + c) % R, 0n));
      assert.deepEqual(wasm.evaluateAt(polys, z), want);
      assert.deepEqual(reference.evaluateAt(polys, z), want);
    }),
    { numRuns: 60 },
  );
  assert.deepEqual(wasm.evaluateAt([[1n, 2n, 3n], []], 2n), [17n, 0n]);
});

/** A relation's coefficients as Fr scalars: ±1, ±2^k, small signed integers, 0, and any scalar (a full multiple). */
const combinationScalarArb = fc.oneof(
  fc.constantFrom(0n, 1n, R - 1n, 2n, R - 2n),
  fc.integer({ min: 0, max: 63 }).chain((k) => fc.constantFrom(1n << BigInt(k), R - (1n << BigInt(k)))),
  fc.bigInt({ min: -(1n << 70n), max: 1n << 70n }).map((v) => ((v % R) + R) % R),
  fc.bigInt({ min: 0n, max: R - 1n }),
);

test('combineG1 equals the reference: ±1 and 2^k multiples, zero and wide scalars, repeated terms, P/−P, identities, empty combinations', async () => {
  const arb = pointsArb(g1Pool, G1.ZERO, 12).chain((points) =>
    fc.tuple(
      fc.constant(points),
      fc.array(fc.array(fc.record({ index: fc.nat({ max: Math.max(points.length - 1, 0) }), scalar: combinationScalarArb }), { maxLength: points.length === 0 ? 0 : 6 }), { maxLength: 8 }),
    ),
  );
  await fc.assert(
    fc.asyncProperty(arb, async ([points, combinations]) => {
      const want = await reference.combineG1(points, combinations);
      const got = await wasm.combineG1(points, combinations);
      assert.equal(got.length, combinations.length);
      got.forEach((p, j) => sameG1(p, want[j]));
    }),
    { numRuns: 80 },
  );
  // A term and its opposite cancel through the kernel's doubling and inverse cases.
  const [p] = g1Pool;
  const [sum, double, zero] = await wasm.combineG1([p, p.negate()], [[{ index: 0, scalar: 5n }, { index: 0, scalar: R - 3n }], [{ index: 0, scalar: 1n }, { index: 1, scalar: R - 1n }], [{ index: 0, scalar: 1n }, { index: 1, scalar: 1n }]]);
  sameG1(sum, p.multiply(2n));
  sameG1(double, p.multiply(2n));
  sameG1(zero, G1.ZERO);
  assert.deepEqual(await wasm.combineG1([], []), []);
});

test('combineG1 refuses what the reference refuses: an index out of range, a non-canonical scalar', async () => {
  for (const engine of [wasm, reference]) {
    await assert.rejects(engine.combineG1(g1Pool, [[{ index: g1Pool.length, scalar: 1n }]]), /names none/);
    await assert.rejects(engine.combineG1(g1Pool, [[{ index: 0.5, scalar: 1n }]]), /names none/);
    await assert.rejects(engine.combineG1(g1Pool, [[{ index: 0, scalar: R }]]), /canonical/);
    await assert.rejects(engine.combineG1(g1Pool, [[{ index: 0, scalar: -1n }]]), /canonical/);
  }
});

test('errors match the reference: bad scalars, offsets and handles', async () => {
  const bases = await wasm.loadG1Bases(g1Pool);
  await assert.rejects(wasm.msmG1(bases, [R]), /canonical/);
  await assert.rejects(wasm.msmG1(bases, [-1n]), /canonical/);
  await assert.rejects(wasm.msmG1(bases, [1n, 2n], g1Pool.length - 1), /exceeds/);
  await assert.rejects(wasm.msmG1Points(g1Pool, [1n]), /scalars over/);
  await assert.rejects(wasm.msmG1({ kind: 'g1', id: 999, length: 1 }, [1n]), /unknown bases/);
  sameG1(await wasm.msmG1(bases, []), G1.ZERO);
});

test('multiPairing equals the reference and counts its work', () => {
  const terms = [
    { g1: g1Pool[1], g2: g2Pool[1] },
    { g1: g1Pool[1].negate(), g2: g2Pool[1] },
    { g1: G1.ZERO, g2: G2_ONE },
  ];
  wasm.resetStats();
  assert.ok(wasm.multiPairing(terms) !== undefined);
  assert.deepEqual(wasm.multiPairing(terms), reference.multiPairing(terms));
  assert.equal(wasm.stats.multiPairings, 2);
  assert.equal(wasm.stats.millerLoops, 4);
});

test('worker threads: bases resident per worker, results independent of the worker count', async () => {
  const n = 2500;
  const points = await wasm.fixedBaseG1(G1_ONE, Array.from({ length: n }, (_, i) => BigInt(i * i + 7) * 0x9e3779b97f4a7c15n));
  points[5] = G1.ZERO;
  points[6] = points[7].negate();
  const scalars = Array.from({ length: n }, (_, i) => (BigInt(i + 1) * 0xc2b2ae3d27d4eb4f165667b19e3779f9n) % R);
  scalars[0] = R - 1n;
  scalars[1] = 0n;
  const pooled = createWasmEngine({ workers: 2 });
  try {
    const b0 = await wasm.loadG1Bases(points);
    const b2 = await pooled.loadG1Bases(points);
    const want = await wasm.msmG1(b0, scalars);
    sameG1(want, await reference.msmG1Points(points, scalars));
    sameG1(await pooled.msmG1(b2, scalars), want);
    // A second call reuses the resident bases; an offset call uses a slice of them.
    sameG1(await pooled.msmG1(b2, scalars.slice(0, n - 100), 100), await wasm.msmG1(b0, scalars.slice(0, n - 100), 100));
    const g2 = await wasm.fixedBaseG2(G2_ONE, scalars.slice(0, 2048));
    const h0 = await wasm.loadG2Bases(g2);
    const h2 = await pooled.loadG2Bases(g2);
    sameG2(await pooled.msmG2(h2, scalars.slice(0, 2048)), await wasm.msmG2(h0, scalars.slice(0, 2048)));
  } finally {
    await pooled.close();
  }
});

test('worker threads: coset identities of 2^11 points and more run on the workers in pieces, several calls at once, and equal the calling thread\'s', async () => {
  const value = (i: number, j: number) => (BigInt(i + 1) * 0x9e3779b97f4a7c15n + BigInt(j) * 0xc2b2ae3d27d4eb4fn) % R;
  const polys = [2048, 2048, 1500, 3000, 0].map((len, j) => Array.from({ length: len }, (_, i) => value(i, j)));
  // a·b − c on 2^12 points, d (3,000 coefficients) on 2^12 too, a·a on 2^11 (every other value of a's transform).
  const big = { size: 4096, terms: [{ coeff: 1n, factors: [0, 1] }, { coeff: R - 1n, factors: [2] }, { coeff: 3n, factors: [3] }], scale: [5n, 7n] };
  const small = { size: 2048, terms: [{ coeff: 2n, factors: [0, 0] }], scale: [11n] };
  // d read on 2^11 too: a piece holding only this part reads d (3,000 coefficients) folded onto 2^11 points.
  const smallWithD = { size: 2048, terms: [...small.terms, { coeff: 9n, factors: [3, 1] }], scale: [11n, 13n] };
  const calls: [readonly (readonly bigint[])[], CosetPart[], bigint | undefined][] = [
    [polys, [big, small], 123456789n],
    [polys, [smallWithD, big], 987654321n],
    [polys.slice(0, 4), [big], undefined],
    [polys.slice(0, 1), [small], 42n],
  ];
  const pooled = createWasmEngine({ workers: 2 });
  try {
    const want = await Promise.all(calls.map(([p, parts, point]) => wasm.cosetIdentities(5n, p, parts, point)));
    // All three in flight together: each result is its own call's, whichever worker finishes first.
    assert.deepEqual(await Promise.all(calls.map(([p, parts, point]) => pooled.cosetIdentities(5n, p, parts, point))), want);
    assert.deepEqual(want[3], await reference.cosetIdentities(5n, polys.slice(0, 1), [small], 42n));
    assert.deepEqual(want[1], await reference.cosetIdentities(5n, polys, [smallWithD, big], 987654321n));
    // A misfit is refused on the calling thread, as the engine's own error.
    await assert.rejects(pooled.cosetIdentities(5n, [polys[3], { kind: 'rotated', index: 1, size: 2, rotation: 1 }], [{ ...small, terms: [{ coeff: 1n, factors: [1] }] }]), (e) => e instanceof EngineError && /not an earlier polynomial/.test(e.message));
  } finally {
    await pooled.close();
  }
});

test('worker threads: transforms of 2^11 values and more run on the workers, all at once, and equal the calling thread\'s', async () => {
  const pooled = createWasmEngine({ workers: 2 });
  try {
    const value = fc.oneof(fc.constantFrom(0n, 1n, R - 1n, R, -5n), fc.bigInt({ min: 0n, max: R - 1n }));
    // Sizes on both sides of the pool's 2^11, trailing zeros (skipped stages), integers not reduced mod r.
    const vector = fc
      .tuple(fc.integer({ min: 0, max: 13 }), fc.array(value, { minLength: 1, maxLength: 8 }), fc.nat())
      .map(([log, pattern, zeros]) => Array.from({ length: 1 << log }, (_, i) => (i >= (1 << log) - (zeros % (1 << log)) ? 0n : pattern[(i * 7) % pattern.length] + BigInt(i))));
    await fc.assert(
      fc.asyncProperty(fc.array(vector, { minLength: 1, maxLength: 4 }), fc.boolean(), fc.constantFrom(1n, 5n, 7n), async (vectors, inverse, shift) => {
        let scratches = 0;
        const plain = pooled.kernels.scratch.bind(pooled.kernels);
        pooled.kernels.scratch = (fn) => (scratches++, plain(fn));
        const got = await pooled.transforms(vectors, { inverse, shift });
        pooled.kernels.scratch = plain;
        const want = vectors.map((v) => (inverse ? wasm.intt(v, shift) : wasm.ntt(v, shift)));
        assert.deepEqual(got, want);
        // Only the vectors below the pool's size touch the calling thread's kernels.
        if (vectors.every((v) => v.length >= 1 << 11)) assert.equal(scratches, 0, 'the transforms ran on the workers');
        if (vectors[0].length <= 64) assert.deepEqual(await reference.transforms([vectors[0].map((x) => Fr.create(x))], { inverse, shift }), want.slice(0, 1));
      }),
      { numRuns: 40 },
    );
  } finally {
    await pooled.close();
  }
});

test('MSMs of short signed scalars (a tensor\'s integers, r − v for negatives) take fewer windows and equal the reference', async () => {
  const n = 2100;
  const points = await wasm.fixedBaseG1(G1_ONE, Array.from({ length: n }, (_, i) => BigInt(3 * i + 11) * 0x9e3779b97f4a7c15n));
  points[3] = G1.ZERO;
  points[4] = points[9].negate();
  const signed = (v: bigint) => (v < 0n ? R + v : v);
  const widths = [1n, 7n, 255n, (1n << 16n) - 1n, 1n << 16n, (1n << 127n) + 5n, (1n << 128n) - 1n];
  const cases: [string, bigint[]][] = [
    ['non-negative, 8 bits', points.map((_, i) => BigInt((i * 37) % 256))],
    ['signed, 16 bits', points.map((_, i) => signed(BigInt(((i * 7919) % 65536) - 32768)))],
    ['every width up to 2^128 − 1, both signs', points.map((_, i) => signed((i % 2 ? -1n : 1n) * widths[i % widths.length]))],
    ['all negative', points.map((_, i) => signed(-BigInt(i + 1)))],
    ['one wide scalar (2^128) among short ones', points.map((_, i) => (i === 17 ? 1n << 128n : BigInt(i)))],
    ['around r/2', points.map((_, i) => [(R - 1n) / 2n, (R + 1n) / 2n, 3n][i % 3])],
    ['all zero', points.map(() => 0n)],
  ];
  const pooled = createWasmEngine({ workers: 2 });
  try {
    const b0 = await wasm.loadG1Bases(points);
    const b2 = await pooled.loadG1Bases(points);
    for (const [, scalars] of cases) {
      const want = await reference.msmG1Points(points, scalars);
      sameG1(await wasm.msmG1(b0, scalars), want);
      sameG1(await pooled.msmG1(b2, scalars), want);
      sameG1(await wasm.msmG1(b0, scalars.slice(0, 300), 50), await reference.msmG1Points(points.slice(50, 350), scalars.slice(0, 300)));
      sameG1(await wasm.msmG1Points(points.slice(0, 200), scalars.slice(0, 200)), await reference.msmG1Points(points.slice(0, 200), scalars.slice(0, 200)));
    }
  } finally {
    await pooled.close();
  }
});

test('MSMs of mostly zero scalars (windows sized by the nonzero ones) equal the reference over their nonzero terms', async () => {
  const n = 3000;
  const points = await wasm.fixedBaseG1(G1_ONE, Array.from({ length: n }, (_, i) => BigInt(5 * i + 3) * 0x9e3779b97f4a7c15n));
  points[10] = G1.ZERO;
  const bases = await wasm.loadG1Bases(points);
  for (const nonzero of [1, 5, 40, 700]) {
    for (const value of [(i: number) => R - BigInt(i + 1), (i: number) => (BigInt(i) * 0x123456789abcdefn * 0xfedcba987654321n) % R]) {
      const scalars: bigint[] = new Array(n).fill(0n);
      const at = Array.from({ length: nonzero }, (_, k) => (k * 2654435761) % n);
      for (const i of at) scalars[i] = value(i);
      const terms = [...new Set(at)];
      const want = await reference.msmG1Points(terms.map((i) => points[i]), terms.map((i) => scalars[i]));
      sameG1(await wasm.msmG1(bases, scalars), want);
      sameG1(await wasm.msmG1Points(points, scalars), want);
    }
  }
});

test('engine selection: wasm by default, reference on request', async () => {
  const e = createEngine('reference');
  assert.equal(e.name, 'reference');
  const w = createEngine('wasm');
  assert.equal(w.name, 'wasm');
  await w.close();
  assert.throws(() => createEngine('gpu'), /unknown engine/);
});

test('linearCombination equals the reference and the definition: empty and unequal lengths, scalars 0, 1, r − 1, negative or above r, many terms of r − 1; the result is frozen and keeps its words', async () => {
  const value = fc.oneof(fc.constantFrom(0n, 1n, R - 1n), fc.bigInt({ min: 0n, max: R - 1n }));
  const scalar = fc.oneof(value, fc.bigInt({ min: -R, max: 2n * R }));
  await fc.assert(
    fc.property(fc.array(fc.tuple(fc.array(value, { maxLength: 12 }), scalar), { maxLength: 6 }), (terms) => {
      const polys = terms.map(([f]) => f);
      const scalars = terms.map(([, k]) => k);
      const want = Array.from({ length: Math.max(0, ...polys.map((f) => f.length)) }, (_, i) => Fr.create(terms.reduce((acc, [f, k]) => acc + (f[i] ?? 0n) * k, 0n)));
      const got = wasm.linearCombination(polys, scalars);
      assert.deepEqual([...got], want);
      assert.deepEqual([...reference.linearCombination(polys, scalars)], want);
      assert.ok(Object.isFrozen(got));
      const kept = keptWords(got);
      assert.ok(kept !== undefined);
      assert.deepEqual(readWordsArray(new DataView(kept.words.buffer, kept.words.byteOffset), 0, got.length), want);
    }),
    { numRuns: 200 },
  );
  const many = Array.from({ length: 64 }, () => Array.from({ length: 9 }, () => R - 1n));
  assert.deepEqual([...wasm.linearCombination(many, many.map(() => R - 1n))], new Array(9).fill(64n));
  for (const e of [wasm, reference]) assert.throws(() => e.linearCombination([[1n]], []), (err) => err instanceof EngineError && /1 polynomials but 0 scalars/.test(err.message));
});
