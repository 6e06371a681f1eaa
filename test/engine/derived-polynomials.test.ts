// Derived polynomials of cosetIdentities (src/engine/derived.ts, src/engine/wasm/derived.ts): a linear form
// `constant + Σ scalar·f_index`, a rotated factor `f(ω_size^s·X)` (s any integer, negative ones included) and a composed
// factor `f(X^k)`, formed by the engine from the call's other
// polynomials. Both engines must give what the same call gives on the polynomials formed here by the definition,
// with and without workers; a polynomial longer than its coset is reduced by the engine.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createReferenceEngine } from '../../src/engine/reference';
import { createWasmEngine } from '../../src/engine/wasm/engine';
import { coefficientReader, derivedLength, derivedSources, formPolynomials, isDerived, polynomialLengths, rotationRoot } from '../../src/engine/derived';
import { linearFromSources, packedLengths, writeLinearValues } from '../../src/engine/wasm/derived';
import { Kernels } from '../../src/engine/wasm/kernels';
import { readWords, writeWords } from '../../src/engine/wasm/codec';
import type { CosetPart, CosetPolynomial, DerivedPolynomial } from '../../src/engine/engine';
import { EngineError } from '../../src/errors';
import { Fr, R } from '../../src/field';
import { rootOfUnity } from '../../src/poly/roots';

const reference = createReferenceEngine();
const wasm = createWasmEngine();
after(() => wasm.close());

const value = fc.oneof(fc.constantFrom(0n, 1n, R - 1n), fc.bigInt({ min: 0n, max: R - 1n }));

/** The polynomials with every derived one formed by its definition, step by step (independent of src/engine/derived.ts). */
function byDefinition(polys: readonly CosetPolynomial[]): bigint[][] {
  const out: bigint[][] = [];
  for (const f of polys) {
    if (!isDerived(f)) out.push([...f]);
    else if (f.kind === 'rotated') {
      // ω^s by its definition: a negative s by the inverse of ω.
      const w = f.rotation >= 0 ? Fr.pow(rootOfUnity(f.size), BigInt(f.rotation)) : Fr.pow(Fr.inv(rootOfUnity(f.size)), BigInt(-f.rotation));
      out.push(out[f.index].map((c, i) => Fr.mul(c, Fr.pow(w, BigInt(i)))));
    } else if (f.kind === 'composed') {
      // f(X^k) = Σ_i f_i·X^(i·k): its coefficients by evaluating the sum at k·(len − 1) + 1 points would be slower; by the sum's terms.
      const source = out[f.index];
      const g = new Array<bigint>(source.length === 0 ? 0 : (source.length - 1) * f.power + 1).fill(0n);
      source.forEach((c, i) => (g[i * f.power] = c));
      out.push(g);
    } else {
      const length = Math.max(1, ...f.terms.map((t) => out[t.index].length));
      const g = new Array<bigint>(length).fill(0n);
      g[0] = f.constant;
      for (const t of f.terms) out[t.index].forEach((c, i) => (g[i] = Fr.add(g[i], Fr.mul(t.scalar, c))));
      out.push(g);
    }
  }
  return out;
}

/** Given polynomials, then derived ones over earlier indices (rotations by −40 … 40 of sizes 1 to 16, forms of up to 4 terms, compositions with X^1 … X^4). */
const callArb = fc.integer({ min: 1, max: 4 }).chain((given) =>
  fc
    .record({
      polys: fc.array(fc.array(value, { maxLength: 20 }), { minLength: given, maxLength: given }),
      derived: fc.array(
        fc.oneof(
          fc.record({ kind: fc.constant('rotated' as const), index: fc.nat(), log: fc.integer({ min: 0, max: 4 }), rotation: fc.oneof(fc.constantFrom(0, 1, -1, 2), fc.integer({ min: -40, max: 40 })) }),
          fc.record({ kind: fc.constant('linear' as const), terms: fc.array(fc.record({ index: fc.nat(), scalar: value }), { maxLength: 4 }), constant: value }),
          fc.record({ kind: fc.constant('composed' as const), index: fc.nat(), power: fc.integer({ min: 1, max: 4 }) }),
        ),
        { minLength: 1, maxLength: 5 },
      ),
      parts: fc.array(fc.record({ log: fc.integer({ min: 0, max: 4 }), terms: fc.array(fc.record({ coeff: value, factors: fc.array(fc.nat(), { maxLength: 3 }) }), { maxLength: 4 }), scale: value }), { minLength: 1, maxLength: 3 }),
      shift: fc.constantFrom(1n, 5n),
      point: fc.option(value, { nil: undefined }),
    })
    .map(({ polys, derived, parts, shift, point }) => {
      const all: CosetPolynomial[] = [...polys];
      for (const d of derived) {
        const j = all.length;
        all.push(
          d.kind === 'rotated'
            ? { kind: 'rotated', index: d.index % j, size: 1 << d.log, rotation: d.rotation }
            : d.kind === 'composed'
              ? { kind: 'composed', index: d.index % j, power: d.power }
              : { kind: 'linear', terms: d.terms.map((t) => ({ index: t.index % j, scalar: t.scalar })), constant: d.constant },
        );
      }
      const cosetParts: CosetPart[] = parts.map((p) => ({ size: 1 << p.log, terms: p.terms.map((t) => ({ coeff: t.coeff, factors: t.factors.map((f) => f % all.length) })), scale: [p.scale] }));
      return { polys: all, parts: cosetParts, shift, point };
    }),
);

test('derived polynomials: both engines equal the same call on the polynomials formed by definition (linear forms with constants, rotations, compositions, derived of derived, longer than their coset), and their values at a point', async () => {
  await fc.assert(
    fc.asyncProperty(callArb, async ({ polys, parts, shift, point }) => {
      const formed = byDefinition(polys);
      assert.deepEqual(formPolynomials(polys), formed);
      const read = coefficientReader(polys);
      formed.forEach((f, j) => f.forEach((c, i) => assert.equal(read(j, i), c)));
      assert.deepEqual(polynomialLengths(polys), formed.map((f) => f.length));
      const want = await reference.cosetIdentities(shift, formed, parts, point);
      assert.deepEqual(await reference.cosetIdentities(shift, polys, parts, point), want);
      assert.deepEqual(await wasm.cosetIdentities(shift, polys, parts, point), want);
    }),
    { numRuns: 150 },
  );
});

test('a rotated factor is f(ω^s·X), not f: the call tells them apart, and its value at x is f(ω^s·x) for s = 1, 2, −1, 3 and 5 ≡ 1 on both engines', async () => {
  const f = [3n, 1n, 4n, 1n, 5n];
  const part: CosetPart = { size: 8, terms: [{ coeff: 1n, factors: [1] }], scale: [1n] };
  const plain = await wasm.cosetIdentities(5n, [f, f], [part], 7n);
  const w = rootOfUnity(4);
  for (const [rotation, power] of [[1, 1], [2, 2], [-1, 3], [3, 3], [5, 1]])
    for (const e of [reference, wasm]) {
      const rotated = await e.cosetIdentities(5n, [f, { kind: 'rotated', index: 0, size: 4, rotation }], [part], 7n);
      assert.notDeepEqual(rotated.coefficients, plain.coefficients, `s = ${rotation}`);
      assert.equal(rotated.values[1], reference.evaluateAt([f], Fr.mul(Fr.pow(w, BigInt(power)), 7n))[0], `s = ${rotation}`);
    }
});

test('a composed factor is f(X^k): its value at x is f(x^k) for k = 1, 2, 4 on both engines, and f(X^2) on H_8 reads f\'s values on H_4 repeated', async () => {
  const f = [3n, 1n, 4n, 1n];
  const part: CosetPart = { size: 16, terms: [{ coeff: 1n, factors: [1] }], scale: [1n] };
  for (const k of [1, 2, 4])
    for (const e of [reference, wasm]) {
      const composed = await e.cosetIdentities(5n, [f, { kind: 'composed', index: 0, power: k }], [part], 7n);
      assert.equal(composed.values[1], reference.evaluateAt([f], Fr.pow(7n, BigInt(k)))[0], `k = ${k}`);
    }
  const [g] = formPolynomials([f, { kind: 'composed', index: 0, power: 2 }]).slice(1);
  const onH4 = [0, 1, 2, 3].map((i) => reference.evaluateAt([f], rootOfUnity(4) ** BigInt(i) % R)[0]);
  const onH8 = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => reference.evaluateAt([g], Fr.pow(rootOfUnity(8), BigInt(i)))[0]);
  assert.deepEqual(onH8, [...onH4, ...onH4]);
});

test('rotationRoot: ω_size^(s mod size), so s and s + size, and −1 and size − 1, give one root; s = 0 gives 1', () => {
  const w = rootOfUnity(8);
  assert.equal(rotationRoot({ kind: 'rotated', index: 0, size: 8, rotation: 0 }), 1n);
  assert.equal(rotationRoot({ kind: 'rotated', index: 0, size: 8, rotation: 3 }), Fr.pow(w, 3n));
  assert.equal(rotationRoot({ kind: 'rotated', index: 0, size: 8, rotation: 11 }), Fr.pow(w, 3n));
  assert.equal(rotationRoot({ kind: 'rotated', index: 0, size: 8, rotation: -1 }), Fr.inv(w));
  assert.equal(rotationRoot({ kind: 'rotated', index: 0, size: 8, rotation: -9 }), Fr.inv(w));
  assert.notEqual(rotationRoot({ kind: 'rotated', index: 0, size: 8, rotation: 1 }), rotationRoot({ kind: 'rotated', index: 0, size: 8, rotation: -1 }));
});

test('a polynomial longer than its coset is reduced modulo X^M − shift^M by the engine, and its value at a point is the unreduced one\'s, on both engines', async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: 3 }), fc.array(value, { minLength: 1, maxLength: 24 }), fc.array(value, { maxLength: 2 }), value, fc.constantFrom(1n, 5n), async (log, f, g, x, shift) => {
      const M = 1 << log;
      const poly = f.slice(0, 3 * M);
      const parts = [{ size: M, terms: [{ coeff: 1n, factors: [0, 1] }, { coeff: R - 1n, factors: [0] }], scale: [1n] }];
      const folded = Array.from({ length: M }, (_, i) => [0, 1, 2].reduce((acc, k) => (acc + (poly[i + k * M] ?? 0n) * Fr.pow(shift, BigInt(k * M))) % R, 0n));
      const want = (await reference.cosetIdentities(shift, [folded, g.slice(0, M)], parts)).coefficients;
      for (const e of [reference, wasm]) {
        const got = await e.cosetIdentities(shift, [poly, g.slice(0, M)], parts, x);
        assert.deepEqual(got.coefficients, want);
        assert.deepEqual(got.values, reference.evaluateAt([poly, g.slice(0, M)], x));
      }
    }),
    { numRuns: 60 },
  );
});

test('derived polynomials that name a later polynomial or themselves, or carry a non-canonical scalar, a rotation whose size is not a power of two or whose rotation is no safe integer, or a composition whose power is no positive safe integer or whose length is none, are refused by both engines', async () => {
  const part: CosetPart = { size: 2, terms: [{ coeff: 1n, factors: [1] }], scale: [1n] };
  const bad: [DerivedPolynomial, RegExp][] = [
    [{ kind: 'rotated', index: 1, size: 2, rotation: 1 }, /not an earlier polynomial/],
    [{ kind: 'linear', terms: [{ index: 2, scalar: 1n }], constant: 0n }, /not an earlier polynomial/],
    [{ kind: 'linear', terms: [{ index: 0, scalar: R }], constant: 0n }, /not a canonical Fr element/],
    [{ kind: 'linear', terms: [], constant: -1n }, /not a canonical Fr element/],
    [{ kind: 'rotated', index: 0, size: 3, rotation: 1 }, /power of two/],
    // Powers of two without a root of unity in Fr, and sizes the bitwise test took for powers of two.
    [{ kind: 'rotated', index: 0, size: 2 ** 29, rotation: 1 }, /power of two up to 2\^28/],
    [{ kind: 'rotated', index: 0, size: 2 ** 32, rotation: 1 }, /power of two up to 2\^28/],
    [{ kind: 'rotated', index: 0, size: 3 * 2 ** 31, rotation: 1 }, /power of two up to 2\^28/],
    [{ kind: 'rotated', index: 0, size: 2, rotation: 0.5 }, /safe integer/],
    [{ kind: 'rotated', index: 0, size: 2, rotation: 2 ** 53 }, /safe integer/],
    [{ kind: 'composed', index: 1, power: 2 }, /not an earlier polynomial/],
    [{ kind: 'composed', index: 0, power: 0 }, /positive safe integer/],
    [{ kind: 'composed', index: 0, power: 1.5 }, /positive safe integer/],
    [{ kind: 'composed', index: 0, power: 2 ** 53 - 1 }, /too long/],
  ];
  const unread: CosetPart = { size: 2, terms: [{ coeff: 1n, factors: [0] }], scale: [1n] };
  for (const e of [reference, wasm])
    for (const [d, message] of bad)
      for (const p of [part, unread]) await assert.rejects(async () => e.cosetIdentities(5n, [[1n, 2n], d], [p]), (err) => err instanceof EngineError && message.test(err.message));
});

test('worker threads: a large call with derived polynomials, split in pieces, equals the calling thread\'s and the reference', async () => {
  const coefficient = (i: number, j: number) => (BigInt(i + 1) * 0x9e3779b97f4a7c15n + BigInt(j) * 0xc2b2ae3d27d4eb4fn) % R;
  const given = [2050, 2048, 1500].map((len, j) => Array.from({ length: len }, (_, i) => coefficient(i, j)));
  const polys: CosetPolynomial[] = [
    ...given,
    { kind: 'rotated', index: 0, size: 2048, rotation: 1 },
    { kind: 'linear', terms: [{ index: 1, scalar: R - 1n }, { index: 3, scalar: 7n }], constant: 11n },
    { kind: 'rotated', index: 2, size: 512, rotation: -33 },
    { kind: 'composed', index: 2, power: 2 },
  ];
  // (β − f(ω·X) + g)·a on 2^12 points, c(ω^(−33)·X) alone on 2^11, a and the shifted a on 2^11.
  const parts: CosetPart[] = [
    { size: 4096, terms: [{ coeff: 1n, factors: [4, 0] }, { coeff: 3n, factors: [5] }], scale: [5n, 7n] },
    { size: 2048, terms: [{ coeff: 2n, factors: [0, 3] }, { coeff: 9n, factors: [5, 1] }], scale: [11n] },
    { size: 4096, terms: [{ coeff: 4n, factors: [6, 1] }], scale: [13n] },
  ];
  const pooled = createWasmEngine({ workers: 2 });
  try {
    const want = await reference.cosetIdentities(5n, byDefinition(polys), parts, 123456789n);
    assert.deepEqual(await wasm.cosetIdentities(5n, polys, parts, 123456789n), want);
    assert.deepEqual(await pooled.cosetIdentities(5n, polys, parts, 123456789n), want);
  } finally {
    await pooled.close();
  }
});

test("derivedLength: a linear form's longest term's (1 with none), a rotated one's source's, a composed one's (ℓ − 1)·k + 1; derivedSources; a worker's packedLengths agree with polynomialLengths", () => {
  const polys: CosetPolynomial[] = [
    [1n, 2n, 3n],
    [4n],
    { kind: 'linear', terms: [{ index: 0, scalar: 2n }, { index: 1, scalar: 3n }], constant: 1n },
    { kind: 'linear', terms: [], constant: 7n },
    { kind: 'rotated', index: 2, size: 4, rotation: -3 },
    { kind: 'composed', index: 4, power: 4 },
    [],
    { kind: 'composed', index: 6, power: 4 },
  ];
  assert.deepEqual(polynomialLengths(polys), [3, 1, 3, 1, 3, 9, 0, 0]);
  assert.equal(derivedLength(polys[3] as DerivedPolynomial, [3, 1, 3]), 1);
  assert.deepEqual(derivedSources(polys[2] as DerivedPolynomial), [0, 1]);
  assert.deepEqual(derivedSources(polys[5] as DerivedPolynomial), [4]);
  const packed = { words: new Uint8Array(4 * 32), lengths: polys.map((f) => (isDerived(f) ? 0 : f.length)), derived: polys.map((f) => (isDerived(f) ? f : undefined)) };
  assert.deepEqual(packedLengths(packed), polynomialLengths(polys));
});

test('linearFromSources picks the evaluated linear forms whose sources of nonzero scalar are evaluated, and writeLinearValues gives them c + Σ s·f_t(x) from those values', () => {
  // Polynomials 0 and 1 given; 2 = 3 + 2·f_0 − f_1; 3 = f_0(ω·X) (not linear); 4 = 5·f_2 + 0·f_3 (reads a form and,
  // with scalar 0, the rotation); 5 = 7 + f_3.
  const derived: (DerivedPolynomial | undefined)[] = [
    undefined,
    undefined,
    { kind: 'linear', constant: 3n, terms: [{ index: 0, scalar: 2n }, { index: 1, scalar: R - 1n }] },
    { kind: 'rotated', index: 0, size: 4, rotation: 1 },
    { kind: 'linear', constant: 0n, terms: [{ index: 2, scalar: 5n }, { index: 3, scalar: 0n }] },
    { kind: 'linear', constant: 7n, terms: [{ index: 3, scalar: 1n }] },
  ];
  const packed = { words: new Uint8Array(0), lengths: [0, 0, 0, 0, 0, 0], derived };
  assert.deepEqual([...linearFromSources(packed, () => true)], [2, 4, 5]);
  assert.deepEqual([...linearFromSources(packed, (j) => j !== 3)], [2, 4], 'a source of nonzero scalar not evaluated: Horner');
  assert.deepEqual([...linearFromSources(packed, (j) => j !== 1 && j !== 3)], [4], 'a form reading a form valued by Horner');
  assert.deepEqual([...linearFromSources(packed, (j) => j !== 4)], [2, 5], 'a form not evaluated is not valued');
  assert.deepEqual([...linearFromSources({ words: new Uint8Array(0), lengths: [1] }, () => true)], []);

  const kernels = new Kernels();
  fc.assert(
    fc.property(value, value, value, (v0, v1, v3) => {
      kernels.scratch((alloc) => {
        const values = alloc(6 * 36);
        const words = alloc(32);
        // Plain values of the sources (the form the quotient's Horner leaves), garbage where the forms go.
        for (const [j, v] of [[0, v0], [1, v1], [3, v3]] as const) {
          writeWords(kernels.view(), words, v);
          kernels.exports.fr_unpackN(values + j * 36, words, 1);
        }
        for (const j of [2, 4, 5]) new Uint8Array(kernels.exports.memory.buffer, values + j * 36, 36).fill(0x1f);
        writeLinearValues(kernels, alloc, packed, linearFromSources(packed, () => true), values);
        const read = (j: number) => {
          kernels.exports.fr_packN(words, values + j * 36, 1);
          return readWords(kernels.view(), words);
        };
        const f2 = Fr.create(3n + 2n * v0 - v1);
        assert.equal(read(2), f2);
        assert.equal(read(4), Fr.mul(5n, f2));
        assert.equal(read(5), Fr.add(7n, v3));
      });
    }),
    { numRuns: 50 },
  );
});
