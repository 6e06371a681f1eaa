import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createReferenceEngine } from '../../src/engine/reference';
import { PolyError } from '../../src/errors';
import { Fr, R } from '../../src/field';
import { EvaluationDomain } from '../../src/poly/domain';
import { createWasmEngine } from '../../src/engine/wasm/engine';
import { interpolate, interpolateNamed } from '../../src/poly/interpolate';
import { evaluate } from '../../src/poly/polynomial';
import { foldModulo } from '../../src/poly/ntt';
import { frArb, naiveDft, naiveEval, polyArb, samePoly } from './naive';

const engine = createReferenceEngine();
const logArb = fc.integer({ min: 0, max: 6 });

test('ω has exact order n, and the constants are consistent', () => {
  for (const log of [0, 1, 2, 5, 10, 20]) {
    const d = new EvaluationDomain(1 << log, engine);
    assert.equal(Fr.pow(d.omega, BigInt(d.size)), 1n);
    if (log > 0) assert.equal(Fr.pow(d.omega, BigInt(d.size / 2)), R - 1n, `ω^(n/2) = −1 for n = 2^${log}`);
    assert.equal(Fr.mul(d.omega, d.omegaInv), 1n);
    assert.equal(Fr.mul(BigInt(d.size), d.sizeInv), 1n);
    assert.equal(d.log, log);
  }
});

test('sizes that are not powers of two, or beyond 2^28, are a PolyError', () => {
  for (const n of [0, 3, 6, 1.5, -4]) assert.throws(() => new EvaluationDomain(n, engine), PolyError);
  assert.throws(() => new EvaluationDomain(2 ** 29, engine), PolyError);
});

test('elements, element(i) and the vanishing polynomial agree', () => {
  fc.assert(
    fc.property(logArb, frArb, fc.integer({ min: -100, max: 100 }), (log, z, i) => {
      const d = new EvaluationDomain(1 << log, engine);
      const els = d.elements();
      assert.equal(new Set(els).size, d.size);
      for (const w of els) assert.equal(d.vanishingAt(w), 0n);
      assert.equal(d.element(i), Fr.pow(d.omega, BigInt(((i % d.size) + d.size) % d.size)));
      assert.equal(d.vanishingAt(z), Fr.sub(Fr.pow(z, BigInt(d.size)), 1n));
    }),
  );
});

/** L_i(z) = Π_{j≠i} (z − ω^j)/(ω^i − ω^j), the textbook definition. */
function naiveLagrange(d: EvaluationDomain, i: number, z: bigint): bigint {
  const w = d.elements();
  let num = 1n;
  let den = 1n;
  for (let j = 0; j < d.size; j++) {
    if (j === i) continue;
    num = Fr.mul(num, Fr.sub(z, w[j]));
    den = Fr.mul(den, Fr.sub(w[i], w[j]));
  }
  return Fr.div(num, den);
}

test('lagrangeAt matches the product formula, off and on H', () => {
  fc.assert(
    fc.property(logArb, frArb, fc.nat(), fc.boolean(), (log, z0, k, onH) => {
      const d = new EvaluationDomain(1 << log, engine);
      const z = onH ? d.element(k) : z0;
      const all = d.lagrangeAt(z);
      assert.equal(all.length, d.size);
      for (let i = 0; i < d.size; i++) {
        const want = naiveLagrange(d, i, z);
        assert.equal(all[i], want);
        assert.equal(d.lagrangeAtIndex(i, z), want);
      }
      assert.equal(all.reduce((a, b) => a + b, 0n) % R, 1n, 'Σ_i L_i = 1');
    }),
    { numRuns: 60 },
  );
});

test('evaluateInterpolant equals the interpolant evaluated by Horner', () => {
  fc.assert(
    fc.property(logArb.chain((log) => fc.tuple(fc.array(frArb, { minLength: 1 << log, maxLength: 1 << log }), frArb)), ([evals, z]) => {
      const d = new EvaluationDomain(evals.length, engine);
      const f = interpolate(evals, engine);
      assert.equal(d.evaluateInterpolant(evals, z), evaluate(f, z));
      assert.equal(d.evaluateInterpolant(evals, d.element(3)), evals[3 % evals.length]);
    }),
  );
});

test('evaluateInterpolant of small vectors (zeros, ones, small integers) at points taken in turn equals Horner', () => {
  const cell = fc.oneof(fc.constant(0n), fc.constant(1n), fc.bigInt({ min: 2n, max: 1n << 20n }), frArb);
  fc.assert(
    fc.property(logArb.chain((log) => fc.tuple(fc.array(cell, { minLength: 1 << log, maxLength: 1 << log }), frArb, frArb)), ([evals, z1, z2]) => {
      const d = new EvaluationDomain(evals.length, engine);
      const f = interpolate(evals, engine);
      // The domain keeps the weights of its last point: alternate points must not read stale weights.
      for (const z of [z1, z2, z1, d.element(1), z2]) assert.equal(d.evaluateInterpolant(evals, z), evaluate(f, z));
    }),
    { numRuns: 60 },
  );
});

test('subgroupIndicatorAt is the interpolant of the indicator of H_(n/k), off and on H, at points taken in turn; powerAt reads z^e', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 6 }), fc.nat(), frArb, frArb, fc.nat(), (log, j, z1, z2, at) => {
      const n = 1 << log;
      const k = 1 << j % (log + 1);
      const d = new EvaluationDomain(n, engine);
      const indicator = Array.from({ length: n }, (_, i) => (i % k === 0 ? 1n : 0n));
      const f = interpolate(indicator, engine);
      for (const z of [z1, d.element(at), z2, z1]) {
        assert.equal(d.subgroupIndicatorAt(k, z), evaluate(f, z));
        assert.equal(d.lagrangeAtIndex(0, z), naiveLagrange(d, 0, z));
        assert.equal(d.vanishingAt(z), Fr.sub(Fr.pow(z, BigInt(n)), 1n));
        for (let e = 1; e <= n; e *= 2) assert.equal(d.powerAt(z, e), Fr.pow(z, BigInt(e)), 'powerAt reads z^e from the squarings');
      }
    }),
    { numRuns: 60 },
  );
  const d = new EvaluationDomain(8, engine);
  for (const k of [0, 3, 16, 1.5]) assert.throws(() => d.subgroupIndicatorAt(k, 5n), PolyError);
  for (const e of [0, 3, 16, 1.5]) assert.throws(() => d.powerAt(5n, e), PolyError);
});

test('fft equals the naive DFT for any degree (folding modulo X^n − 1), ifft inverts it', () => {
  fc.assert(
    fc.property(logArb, polyArb(150), (log, f) => {
      const d = new EvaluationDomain(1 << log, engine);
      const evals = d.fft(f);
      assert.deepEqual(evals, naiveDft(f, d.size, d.omega));
      const back = d.ifft(evals);
      assert.equal(back.length, d.size);
      if (f.length <= d.size) assert.ok(samePoly(back, f));
      for (const [i, w] of d.elements().entries()) assert.equal(evaluate(back, w), evals[i]);
    }),
  );
});

test('coset fft equals the naive DFT on s·H, coset ifft inverts it', () => {
  fc.assert(
    fc.property(logArb, polyArb(150), fc.constantFrom(5n, 7n, 123456789n), (log, f, shift) => {
      const d = new EvaluationDomain(1 << log, engine);
      const evals = d.cosetFft(f, shift);
      assert.deepEqual(evals, naiveDft(f, d.size, d.omega, shift));
      const back = d.cosetIfft(evals, shift);
      if (f.length <= d.size) assert.ok(samePoly(back, f));
      for (let i = 0; i < d.size; i++) assert.equal(naiveEval(back, Fr.mul(shift, d.element(i))), evals[i]);
    }),
  );
});

test('ffts and iffts (several transforms at once) equal fft and ifft of each, any degree', async () => {
  await fc.assert(
    fc.asyncProperty(logArb, fc.array(polyArb(150), { minLength: 1, maxLength: 3 }), async (log, fs) => {
      const d = new EvaluationDomain(1 << log, engine);
      const evals = await d.ffts(fs);
      assert.deepEqual(evals, fs.map((f) => d.fft(f)));
      assert.deepEqual(await d.iffts(evals), evals.map((e) => d.ifft(e)));
    }),
    { numRuns: 30 },
  );
  await assert.rejects(new EvaluationDomain(8, engine).iffts([new Array(8).fill(1n), [1n, 2n]]), PolyError);
});

test('interpolateNamed: each named vector\'s interpolant on H of its length, in the order given, on both engines', async () => {
  const wasm = createWasmEngine({ workers: 2 });
  try {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 0, max: 12 }), frArb), { minLength: 1, maxLength: 4 }), async (specs) => {
        const entries = specs.map(([log, x], k) => [`v${specs.length - k}`, Array.from({ length: 1 << log }, (_, i) => Fr.mul(x, BigInt(i + k)))] as const);
        for (const e of [engine, wasm]) {
          const got = await interpolateNamed(entries, e);
          assert.deepEqual([...got.keys()], entries.map(([name]) => name));
          for (const [name, evals] of entries) assert.deepEqual(got.get(name), interpolate(evals, wasm));
        }
      }),
      { numRuns: 15 },
    );
  } finally {
    await wasm.close();
  }
});

test('ifft and evaluateInterpolant reject a wrong number of evaluations', () => {
  const d = new EvaluationDomain(8, engine);
  assert.throws(() => d.ifft([1n, 2n]), PolyError);
  assert.throws(() => d.cosetIfft(new Array(16).fill(0n)), PolyError);
  assert.throws(() => d.evaluateInterpolant([1n], 3n), PolyError);
  assert.throws(() => interpolate([1n, 2n, 3n], engine), PolyError);
});


test('foldModulo(f, n, c) is f mod (X^n − c): equal to f at every x with x^n = c, n coefficients, non-canonical inputs reduced', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 4 }), fc.array(fc.bigInt({ min: -R, max: 2n * R }), { maxLength: 40 }), frArb, (log, f, x) => {
      const n = 1 << log;
      const c = Fr.pow(x, BigInt(n));
      const folded = foldModulo(f, n, c);
      assert.equal(folded.length, n);
      assert.ok(folded.every((v) => v >= 0n && v < R));
      assert.equal(naiveEval(folded, x), naiveEval(f.map((v) => Fr.create(v)), x));
    }),
    { numRuns: 100 },
  );
});
