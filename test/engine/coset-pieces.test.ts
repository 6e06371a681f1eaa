/**
 * cosetPieces (src/engine/wasm/coset-pieces.ts): a split of one coset-identities call into pieces whose results add
 * up to the call's. Every term lands in exactly one piece, in its part's order and with its part's size and scale;
 * every polynomial is evaluated by exactly one piece; no more pieces than asked; and the pieces' results, computed
 * one by one on the calling thread's kernels (a piece reads a polynomial on its own largest coset, folded when the
 * polynomial is longer), add up to the whole call's, coefficients and values at the point alike.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cosetPieces } from '../../src/engine/wasm/coset-pieces';
import { createWasmEngine } from '../../src/engine/wasm/engine';
import { readWordsArray, writeWordsArray } from '../../src/engine/wasm/codec';
import type { CosetPart } from '../../src/engine/engine';
import { Fr, R } from '../../src/field';

const wasm = createWasmEngine();
after(() => wasm.close());

const value = (i: number, j: number) => (BigInt(i + 3) * 0x9e3779b97f4a7c15n + BigInt(j + 1) * 0xc2b2ae3d27d4eb4fn) % R;

/** A call: polynomials of the given lengths and parts over them, each part's terms products of up to three factors. */
const callArb = fc
  .record({
    lengths: fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 7 }),
    parts: fc.array(
      fc.record({
        log: fc.integer({ min: 1, max: 6 }),
        terms: fc.array(fc.record({ coeff: fc.bigInt({ min: 0n, max: R - 1n }), factors: fc.array(fc.nat(), { maxLength: 3 }) }), { maxLength: 6 }),
        scale: fc.array(fc.bigInt({ min: 1n, max: R - 1n }), { minLength: 1, maxLength: 2 }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    pieces: fc.integer({ min: 1, max: 4 }),
  })
  .map(({ lengths, parts, pieces }) => {
    const ps: CosetPart[] = parts.map((p) => ({
      size: 1 << p.log,
      terms: p.terms.map((t) => ({ coeff: t.coeff, factors: t.factors.map((f) => f % lengths.length) })),
      scale: p.scale.length === 2 && p.log > 0 ? p.scale : [p.scale[0]],
    }));
    // Every polynomial fits the largest coset that reads it (what the engine checks before any split).
    const fits = lengths.map((len, j) => Math.min(len, Math.max(0, ...ps.filter((p) => p.terms.some((t) => t.factors.includes(j))).map((p) => p.size))) || len);
    return { polys: fits.map((len, j) => Array.from({ length: len }, (_, i) => value(i, j))), parts: ps, pieces };
  });

test('cosetPieces: every term in exactly one piece, in order, with its part\'s size and scale; every polynomial evaluated once; at most the pieces asked', () => {
  fc.assert(
    fc.property(callArb, ({ polys, parts, pieces }) => {
      const split = cosetPieces(polys.length, parts, pieces);
      assert.ok(split.length >= 1 && split.length <= pieces);
      // The pieces' runs, in order, are the parts' non-empty term lists cut into runs.
      const runs = split.flatMap((p) => p.parts);
      let r = 0;
      for (const part of parts) {
        const got: CosetPart['terms'][number][] = [];
        while (got.length < part.terms.length) {
          const run = runs[r++];
          assert.equal(run.size, part.size);
          assert.equal(run.scale, part.scale);
          assert.ok(run.terms.length > 0, 'no empty run');
          got.push(...run.terms);
        }
        assert.deepEqual(got, part.terms);
      }
      assert.equal(r, runs.length, 'no run beyond the parts\' terms');
      const evaluated = split.flatMap((p) => p.evaluates).sort((a, b) => a - b);
      assert.deepEqual(evaluated, polys.map((_, j) => j));
    }),
    { numRuns: 300 },
  );
});

test('cosetPieces: work is shared: two like parts go to two pieces, and one part of many terms is cut into runs', () => {
  const part = (size: number, factors: number[][]): CosetPart => ({ size, terms: factors.map((f) => ({ coeff: 1n, factors: f })), scale: [1n] });
  const two = cosetPieces(4, [part(4096, [[0, 1]]), part(4096, [[2, 3]])], 2);
  assert.deepEqual(two.map((p) => p.parts.map((q) => q.terms.map((t) => t.factors))), [[[[0, 1]]], [[[2, 3]]]]);
  assert.deepEqual(two.map((p) => p.evaluates), [[0, 1], [2, 3]]);
  const many = cosetPieces(8, [part(4096, [[0, 1], [2, 3], [4, 5], [6, 7]])], 2);
  assert.deepEqual(many.map((p) => p.parts.map((q) => q.terms.length)), [[2], [2]]);
  assert.deepEqual(cosetPieces(2, [part(4096, [[0, 1]])], 1).map((p) => p.parts.length), [1]);
});

test('cosetPieces: the pieces\' results, computed one by one, add up to the whole call\'s (folding a polynomial longer than a piece\'s coset)', () => {
  fc.assert(
    fc.property(callArb, fc.bigInt({ min: 1n, max: R - 1n }), ({ polys, parts, pieces }, point) => {
      const lengths = polys.map((f) => f.length);
      const words = new Uint8Array(32 * lengths.reduce((a, b) => a + b, 0));
      writeWordsArray(new DataView(words.buffer), 0, polys.flat());
      const packed = { words, lengths };
      const read = (w: Uint8Array) => readWordsArray(new DataView(w.buffer, w.byteOffset, w.byteLength), 0, w.length / 32);
      const whole = wasm.cosetIdentitiesWords(5n, packed, parts, point);
      const want = { coefficients: read(whole.coefficients), values: read(whole.values) };
      const total = want.coefficients.length;
      const coefficients = new Array<bigint>(total).fill(0n);
      const values = new Array<bigint>(polys.length).fill(-1n);
      for (const piece of cosetPieces(polys.length, parts, pieces)) {
        const got = wasm.cosetIdentitiesWords(5n, packed, piece.parts, point, piece.evaluates);
        read(got.coefficients).forEach((x, i) => (coefficients[i] = Fr.add(coefficients[i], x)));
        const own = read(got.values);
        own.forEach((v, j) => assert.ok(piece.evaluates.includes(j) || v === 0n, 'a polynomial the piece does not evaluate is given as zero'));
        for (const j of piece.evaluates) values[j] = own[j];
      }
      assert.deepEqual({ coefficients, values }, want);
    }),
    { numRuns: 120 },
  );
});
