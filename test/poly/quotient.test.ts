import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createReferenceEngine } from '../../src/engine/reference';
import { createWasmEngine } from '../../src/engine/wasm/engine';
import { PolyError } from '../../src/errors';
import { Fr, R } from '../../src/field';
import { EvaluationDomain } from '../../src/poly/domain';
import { add, mul, sub } from '../../src/poly/polynomial';
import { quotientByVanishing, quotientCosetSize } from '../../src/poly/quotient';
import { rootOfUnity } from '../../src/poly/roots';
import type { CosetPart, CosetPolynomial, Engine } from '../../src/engine/engine';
import { frArb, samePoly, vanishingPoly } from './naive';

const engine = createReferenceEngine();

/** Random a, b on H and c = a∘b on H, as polynomials (plus an optional multiple of Z_H on a, like blinding). */
const witnessArb = fc.integer({ min: 0, max: 5 }).chain((log) => {
  const n = 1 << log;
  const row = fc.array(frArb, { minLength: n, maxLength: n });
  return fc.tuple(fc.constant(n), row, row, fc.array(frArb, { maxLength: 3 }));
});

function setup(n: number, aH: bigint[], bH: bigint[], blind: bigint[]) {
  const d = new EvaluationDomain(n, engine);
  const a = add(d.ifft(aH), mul(blind, vanishingPoly(n), engine));
  const b = d.ifft(bH);
  const c = d.ifft(aH.map((x, i) => Fr.mul(x, bH[i])));
  return { d, a, b, c };
}

test('quotient of a·b − c = t·Z_H is exact (checked against the schoolbook product)', async () => {
  await fc.assert(
    fc.asyncProperty(witnessArb, async ([n, aH, bH, blind]) => {
      const { d, a, b, c } = setup(n, aH, bH, blind);
      const t = await quotientByVanishing(d, { polys: [a, b, c], degree: 2, combine: ([x, y, z]) => x * y - z });
      assert.ok(samePoly(mul(t, vanishingPoly(n), engine), sub(mul(a, b, engine), c)));
    }),
    { numRuns: 60 },
  );
});

test('a degree-3 identity with a captured challenge', async () => {
  await fc.assert(
    fc.asyncProperty(witnessArb, frArb, async ([n, aH, bH], beta) => {
      const { d, a, b, c } = setup(n, aH, bH, []);
      // β·(a·b − c)·a vanishes on H too.
      const t = await quotientByVanishing(d, { polys: [a, b, c], degree: 3, combine: ([x, y, z]) => beta * (x * y - z) * x });
      const p = mul(sub(mul(a, b, engine), c), a, engine).map((v) => Fr.mul(v, beta));
      assert.ok(samePoly(mul(t, vanishingPoly(n), engine), p));
    }),
    { numRuns: 30 },
  );
});

test('a wrong witness row is reported, not divided away', async () => {
  await fc.assert(
    fc.asyncProperty(witnessArb, fc.nat(), fc.bigInt({ min: 1n, max: R - 1n }), async ([n, aH, bH], k, e) => {
      const row = k % n;
      const d = new EvaluationDomain(n, engine);
      const cH = aH.map((x, i) => Fr.add(Fr.mul(x, bH[i]), i === row ? e : 0n));
      const polys = [d.ifft(aH), d.ifft(bH), d.ifft(cH)];
      await assert.rejects(
        async () => quotientByVanishing(d, { polys, degree: 2, combine: ([x, y, z]) => x * y - z }),
        (err: unknown) => err instanceof PolyError && err.message.includes(`rows: ${row}`),
      );
    }),
    { numRuns: 40 },
  );
});

test('an understated degree is detected', async () => {
  const n = 8;
  const d = new EvaluationDomain(n, engine);
  const aH = Array.from({ length: n }, (_, i) => BigInt(i + 3));
  const a = d.ifft(aH);
  const c = d.ifft(aH.map((x) => Fr.mul(x, Fr.mul(x, x))));
  // Declared 1 while a³ − c has degree 21: deg t = 13 does not fit the coset of size 8 the bound implies.
  await assert.rejects(
    async () => quotientByVanishing(d, { polys: [a, c], degree: 1, combine: ([x, z]) => x * x * x - z }),
    (err: unknown) => err instanceof PolyError && err.message.includes('declared bound'),
  );
  const t = await quotientByVanishing(d, { polys: [a, c], degree: 3, combine: ([x, z]) => x * x * x - z });
  assert.ok(samePoly(mul(t, vanishingPoly(n), engine), sub(mul(mul(a, a, engine), a, engine), c)));
  await assert.rejects(async () => quotientByVanishing(d, { polys: [a], degree: 0, combine: ([x]) => x }), PolyError);
});

test('degreeBound: an exact bound sizes the coset by deg t and still gives t; an understated one is a PolyError', async () => {
  await fc.assert(
    fc.asyncProperty(witnessArb.filter(([n, , , blind]) => n >= 4 && blind.some((x) => x !== 0n)), async ([n, aH, bH, blind]) => {
      const { d, a, b, c } = setup(n, aH, bH, blind);
      const exact = a.length - 1 + (b.length - 1);
      const t = await quotientByVanishing(d, { polys: [a, b, c], degree: 2, degreeBound: exact, combine: ([x, y, z]) => x * y - z });
      assert.ok(samePoly(mul(t, vanishingPoly(n), engine), sub(mul(a, b, engine), c)));
    }),
    { numRuns: 30 },
  );
  // Claiming deg P ≤ n − 1 sizes the coset for a t of degree 0: the blinded a·b (degree 2n) does not fit, and
  // the remainder check at a random point says so.
  const n = 8;
  const { d, a, b, c } = setup(n, Array.from({ length: n }, (_, i) => BigInt(i + 1)), Array.from({ length: n }, (_, i) => BigInt(i + 2)), [3n, 5n]);
  await assert.rejects(async () => quotientByVanishing(d, { polys: [a, b, c], degree: 2, degreeBound: n - 1, combine: ([x, y, z]) => x * y - z }), PolyError);
});

test('terms: the engine evaluates the identity given as data (wasm and reference) and gets combine\'s quotient; terms unlike combine are caught', async () => {
  const wasm = createWasmEngine();
  const terms = [{ coeff: 1n, factors: [0, 1] }, { coeff: R - 1n, factors: [2] }];
  await fc.assert(
    fc.asyncProperty(witnessArb, async ([n, aH, bH, blind]) => {
      const { a, b, c } = setup(n, aH, bH, blind);
      const identity = { polys: [a, b, c], degree: 2, combine: ([x, y, z]: readonly bigint[]) => x * y - z };
      const want = await quotientByVanishing(new EvaluationDomain(n, engine), identity);
      for (const e of [engine, wasm]) assert.deepEqual(await quotientByVanishing(new EvaluationDomain(n, e), { ...identity, terms }), want);
    }),
    { numRuns: 30 },
  );
  // a·b + c as terms against a·b − c as combine: the identity the terms compute does not vanish, the check refuses it.
  const { d, a, b, c } = setup(4, [1n, 2n, 3n, 4n], [5n, 6n, 7n, 8n], []);
  await assert.rejects(
    async () => quotientByVanishing(d, { polys: [a, b, c], degree: 2, combine: ([x, y, z]) => x * y - z, terms: [{ coeff: 1n, factors: [0, 1] }, { coeff: 1n, factors: [2] }] }),
    PolyError,
  );
});

test('partSizes: identities of degrees 1, 2 and 3 summed, each on its own coset, give the quotient of the whole (wasm and reference)', async () => {
  const wasm = createWasmEngine();
  await fc.assert(
    fc.asyncProperty(witnessArb, frArb, frArb, fc.array(frArb, { maxLength: 4 }), async ([n, aH, bH, blind], lambda, beta, r) => {
      const { a, b, c } = setup(n, aH, bH, blind);
      // e and f agree on H (e = f + Z_H·r): the degree-1 identity e − f, of degree n + deg r.
      const f = b;
      const e = add(f, mul(r, vanishingPoly(n), engine));
      const lb = Fr.mul(lambda, beta);
      // (a·b − c) + λ·(e − f) + λ·β·(a·b − c)·b: three identities that each vanish on H.
      const terms = [
        { coeff: 1n, factors: [0, 1] },
        { coeff: R - 1n, factors: [2] },
        { coeff: lambda, factors: [3] },
        { coeff: Fr.neg(lambda), factors: [1] },
        { coeff: lb, factors: [0, 1, 1] },
        { coeff: Fr.neg(lb), factors: [2, 1] },
      ];
      const identity = {
        polys: [a, b, c, e],
        degree: 3,
        combine: ([x, y, z, w]: readonly bigint[]) => x * y - z + lambda * (w - y) + lb * (x * y - z) * y,
        terms,
      };
      const want = await quotientByVanishing(new EvaluationDomain(n, engine), identity);
      for (const en of [engine, wasm]) assert.deepEqual(await quotientByVanishing(new EvaluationDomain(n, en), { ...identity, partSizes: [2, 2, 2] }), want);
    }),
    { numRuns: 30 },
  );
});

test('partSizes: a part that does not vanish on H by itself is caught; sizes that miscount the terms or a factor naming no polynomial are a PolyError', async () => {
  // a·b and −c each on its own coset (a blinded by more than n coefficients: a·b's quotient has more top coefficients
  // than are computed directly, so it needs twice the coset of c): neither vanishes on H alone, so neither part is a
  // polynomial quotient and their sum is not t; the remainder check refuses it.
  const n = 8;
  const blind = Array.from({ length: n + 2 }, (_, i) => BigInt(i + 3));
  const { d, a, b, c } = setup(n, Array.from({ length: n }, (_, i) => BigInt(i + 1)), Array.from({ length: n }, (_, i) => BigInt(i + 2)), blind);
  const identity = { polys: [a, b, c], degree: 2, combine: ([x, y, z]: readonly bigint[]) => x * y - z, terms: [{ coeff: 1n, factors: [0, 1] }, { coeff: R - 1n, factors: [2] }] };
  assert.ok(samePoly(mul(await quotientByVanishing(d, { ...identity, partSizes: [2] }), vanishingPoly(n), engine), sub(mul(a, b, engine), c)));
  await assert.rejects(async () => quotientByVanishing(d, { ...identity, partSizes: [1, 1] }), PolyError);
  await assert.rejects(async () => quotientByVanishing(d, { ...identity, partSizes: [1] }), /do not add up/);
  await assert.rejects(async () => quotientByVanishing(d, { ...identity, partSizes: [3, -1] }), /do not add up/);
  await assert.rejects(async () => quotientByVanishing(d, { ...identity, terms: [{ coeff: 1n, factors: [0, 3] }], partSizes: [1] }), /names none/);
});

test('terms: a wrong cell of any factor, folded onto its coset or not, is refused with its row on both engines (the check reads the values the engine computed with the quotient)', async () => {
  const wasm = createWasmEngine();
  await fc.assert(
    fc.asyncProperty(
      witnessArb,
      frArb,
      fc.array(frArb, { minLength: 1, maxLength: 4 }),
      fc.nat(),
      fc.bigInt({ min: 1n, max: R - 1n }),
      fc.boolean(),
      async ([n, aH, bH, blind], lambda, r, k, err, inE) => {
        const row = k % n;
        const d = new EvaluationDomain(n, engine);
        const bump = (values: readonly bigint[]) => values.map((x, i) => (i === row ? Fr.add(x, err) : x));
        // a·b − c and λ·(e − b), e = b + Z_H·r longer than the coset of size n that its degree-1 part gets (folded),
        // one cell wrong in c or in e.
        const a = add(d.ifft(aH), mul(blind, vanishingPoly(n), engine));
        const b = d.ifft(bH);
        const cH = aH.map((x, i) => Fr.mul(x, bH[i]));
        const c = d.ifft(inE ? cH : bump(cH));
        const e = add(d.ifft(inE ? bump(bH) : bH), mul(r, vanishingPoly(n), engine));
        const identity = {
          polys: [a, b, c, e],
          degree: 2,
          combine: ([x, y, z, w]: readonly bigint[]) => x * y - z + lambda * (w - y),
          terms: [
            { coeff: 1n, factors: [0, 1] },
            { coeff: R - 1n, factors: [2] },
            { coeff: lambda, factors: [3] },
            { coeff: Fr.neg(lambda), factors: [1] },
          ],
          partSizes: [2, 2],
        };
        for (const en of [engine, wasm]) {
          const honest = { ...identity, polys: [a, b, d.ifft(cH), add(b, mul(r, vanishingPoly(n), engine))] };
          await quotientByVanishing(new EvaluationDomain(n, en), honest);
          if (lambda === 0n && inE) continue; // λ = 0 removes e from the identity: nothing to catch
          await assert.rejects(
            async () => quotientByVanishing(new EvaluationDomain(n, en), identity),
            (thrown: unknown) => thrown instanceof PolyError && thrown.message.includes(`rows: ${row}`),
          );
        }
      },
    ),
    { numRuns: 40 },
  );
});

test('derived factors: a linear form longer than H and a rotated factor, formed by the engine, give the quotient of the same identity on their formed coefficients (wasm and reference); a wrong shift is caught', async () => {
  const wasm = createWasmEngine();
  await fc.assert(
    fc.asyncProperty(witnessArb.filter(([n]) => n >= 2), frArb, async ([n, aH, bH, blind], beta) => {
      const { d, a, b } = setup(n, aH, bH, blind.length > 0 ? blind : [1n]);
      // On H: c = (β − a)·b and e(ω^i) = a(ω^(i+1)), so (β − a)·b − c + a(ω·X) − e vanishes there.
      const c = d.ifft(aH.map((x, i) => Fr.mul(Fr.sub(beta, x), bH[i])));
      const e = d.ifft(aH.map((_, i) => aH[(i + 1) % n]));
      const w = rootOfUnity(n);
      const formed = [a.map((x, i) => (i === 0 ? Fr.sub(beta, x) : Fr.neg(x))), a.map((x, i) => Fr.mul(x, Fr.pow(w, BigInt(i))))];
      const terms = [{ coeff: 1n, factors: [4, 1] }, { coeff: R - 1n, factors: [2] }, { coeff: 1n, factors: [5] }, { coeff: R - 1n, factors: [3] }];
      const combine = ([, y, z, u, l, s]: readonly bigint[]) => l * y - z + s - u;
      const want = await quotientByVanishing(new EvaluationDomain(n, engine), { polys: [a, b, c, e, ...formed], degree: 2, combine, terms });
      const derived: CosetPolynomial[] = [a, b, c, e, { kind: 'linear', constant: beta, terms: [{ index: 0, scalar: R - 1n }] }, { kind: 'rotated', index: 0, size: n, rotation: 1 }];
      for (const en of [engine, wasm]) assert.deepEqual(await quotientByVanishing(new EvaluationDomain(n, en), { polys: derived, degree: 2, combine, terms }), want);
      // a(ω²·X) in place of a(ω·X): the identity no longer vanishes on H, and the remainder check refuses it.
      if (n >= 4) {
        const wrong = [...derived.slice(0, 5), { kind: 'rotated' as const, index: 0, size: n, rotation: 2 }];
        for (const en of [engine, wasm]) await assert.rejects(async () => quotientByVanishing(new EvaluationDomain(n, en), { polys: wrong, degree: 2, combine, terms }), PolyError);
      }
    }),
    { numRuns: 20 },
  );
  await wasm.close();
});

test('quotientCosetSize: the smallest coset a part of degree ≤ bound over H_n is computed on (a power of two ≥ n holding deg t + 1 values but up to 16 top coefficients computed directly), as quotientByVanishing asks the engine', async () => {
  // deg t = bound − n: 16 → 9 coefficients on H_8; 30 → 23, of which at most 8 (n) above the coset: 16.
  assert.equal(quotientCosetSize(8, 16), 8);
  assert.equal(quotientCosetSize(8, 30), 16);
  assert.equal(quotientCosetSize(8, 32), 32, '25 coefficients, 9 above 16 points');
  // H_256 with factors of degree 258 (three blinding coefficients): nine of them (a logUp bundle of eight) is
  // deg t = 2066, 2067 coefficients, 19 above 2048 points: 4096; fifteen columns (16 factors) still fit it, 16 do not.
  assert.equal(quotientCosetSize(256, 9 * 258), 4096);
  assert.equal(quotientCosetSize(256, 16 * 258), 4096);
  assert.equal(quotientCosetSize(256, 17 * 258), 8192);
  // The size the engine is asked for: u·Z_H (degree n + deg u) times g vanishes on H, of degree bound.
  const sizes: number[] = [];
  const recording: Engine = { ...engine, cosetIdentities: (shift, polys, parts: readonly CosetPart[], point) => (sizes.push(...parts.map((p) => p.size)), engine.cosetIdentities(shift, polys, parts, point)) };
  for (const [n, du, dg] of [[8, 2, 10], [8, 5, 10], [16, 3, 40], [4, 1, 1], [64, 2, 70]] as const) {
    const u = Array.from({ length: du + 1 }, (_, i) => BigInt(i + 2));
    const g = Array.from({ length: dg + 1 }, (_, i) => BigInt(3 * i + 1));
    const f = mul(u, vanishingPoly(n), engine);
    sizes.length = 0;
    const t = await quotientByVanishing(new EvaluationDomain(n, recording), { polys: [f, g], degree: 2, degreeBound: n + du + dg, combine: ([x, y]) => x * y, terms: [{ coeff: 1n, factors: [0, 1] }] });
    // No coefficient above quotientCosetSize's coset: that coset; else it or the next (reading the top coefficients
    // directly costs a convolution each, which the grouping weighs against a coset twice as large).
    const m = quotientCosetSize(n, n + du + dg);
    assert.ok(sizes.length === 1 && (du + dg + 1 <= m ? sizes[0] === m : sizes[0] === m || sizes[0] === 2 * m), `n = ${n}, bound ${n + du + dg}: ${sizes}`);
    assert.ok(samePoly(t, mul(u, g, engine)));
  }
});
