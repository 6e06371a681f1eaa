/**
 * The WebAssembly engine's multi-pairing: noble's optimal ate Miller loop and final exponentiation run by the
 * `bn254_pairingProduct` kernel (`wasm/pairing.ts`) instead of in bigints, on the same G2 line coefficients
 * (`lineCoefficients`, computed by noble once per G2 point), so the product is the same element of GT
 * (test/engine/wasm-pairing.test.ts compares the two).
 * @module
 */
import { Fp12, Fp2, type G2Point, type GtElement } from '../../curve';
import { EngineError } from '../../errors';
import { Fp } from '../../field';
import type { EngineStats, PairingTerm } from '../engine';
import { lineCoefficients, pairsToMultiply } from '../pairing';
import { readWordsArray, writeWords } from './codec';
import type { Kernels } from './kernels';

/** Bytes of an Fp element in the kernels and as canonical words. */
const FP_BYTES = 36;
const WORD_BYTES = 32;

/**
 * The Frobenius constants the kernel reads: γ_{k,m} = ξ^(m·(p^k − 1)/6) for k = 1, 2, 3 and m = 1 … 5 (ξ = 9 + u,
 * w⁶ = ξ), so that `(c·v^j·w^i)^(p^k) = c^(p^k)·γ_{k,2j+i}·v^j·w^i`; as (c0, c1) pairs, k-major. Computed when a
 * kernels instance first pairs (fifteen Fp2 exponentiations, about 15 ms), not when the engine module is loaded.
 */
let frobeniusValues: readonly bigint[] | undefined;

function frobenius(): readonly bigint[] {
  if (frobeniusValues !== undefined) return frobeniusValues;
  const xi = Fp2.fromBigTuple([9n, 1n]);
  const out: bigint[] = [];
  for (let k = 1n; k <= 3n; k++)
    for (let m = 1n; m <= 5n; m++) {
      const g = Fp2.pow(xi, (m * (Fp.ORDER ** k - 1n)) / 6n);
      out.push(g.c0, g.c1);
    }
  return (frobeniusValues = out);
}

/** A G2 point's line coefficients as the canonical words the kernel converts, and how many lines each step uses. */
interface LineWords {
  readonly words: Uint8Array;
  readonly counts: readonly number[];
}

const lineWords = new WeakMap<G2Point, LineWords>();

function wordsOfLines(q: G2Point): LineWords {
  let w = lineWords.get(q);
  if (w !== undefined) return w;
  const ell = lineCoefficients(q);
  const count = ell.reduce((n, step) => n + step.length, 0);
  const words = new Uint8Array(count * 6 * WORD_BYTES);
  const view = new DataView(words.buffer);
  let at = 0;
  for (const step of ell)
    for (const line of step)
      for (const c of line) {
        writeWords(view, at, c.c0);
        writeWords(view, at + WORD_BYTES, c.c1);
        at += 2 * WORD_BYTES;
      }
  lineWords.set(q, (w = { words, counts: ell.map((step) => step.length) }));
  return w;
}

/** Frobenius constants in Montgomery form, resident once per kernels instance. */
const constants = new WeakMap<Kernels, number>();

function frobeniusConstants(k: Kernels): number {
  let ptr = constants.get(k);
  if (ptr === undefined) {
    const values = frobenius();
    ptr = k.allocResident(values.length * FP_BYTES);
    const at = ptr;
    k.scratch((alloc) => k.exports.fp_fromWordsN(at, k.writeScalars(alloc, values), values.length));
    constants.set(k, ptr);
  }
  return ptr;
}

/** `Π e(g1_i, g2_i)` on the kernels (see {@link pairsToMultiply} for the pairs that count). */
export function multiPairingWasm(k: Kernels, terms: readonly PairingTerm[], stats: EngineStats): GtElement {
  const pairs = pairsToMultiply(terms, stats);
  if (pairs.length === 0) return Fp12.ONE;
  const consts = frobeniusConstants(k);
  const lines = pairs.map((t) => wordsOfLines(t.g2));
  const { counts } = lines[0];
  const lineCount = lines[0].words.length / (6 * WORD_BYTES);
  // The loop's steps depend on the curve's loop parameter only, so every Q has the same lines per step.
  if (lines.some((l) => l.counts.length !== counts.length || l.counts.some((c, i) => c !== counts[i])))
    throw new EngineError('multiPairing: the G2 points have Miller loops of different shapes');
  const x = k.exports;
  return k.scratch((alloc) => {
    const n = pairs.length;
    const lineWordsAt = alloc(n * lines[0].words.length);
    lines.forEach((l, j) => new Uint8Array(x.memory.buffer, lineWordsAt + j * l.words.length, l.words.length).set(l.words));
    const lineAt = alloc(n * lineCount * 6 * FP_BYTES);
    x.fp_fromWordsN(lineAt, lineWordsAt, n * lineCount * 6);
    const coords = pairs.flatMap((t) => {
      const { x: px, y: py } = t.g1.toAffine();
      return [px, py];
    });
    const pointAt = alloc(coords.length * FP_BYTES);
    x.fp_fromWordsN(pointAt, k.writeScalars(alloc, coords), coords.length);
    const countAt = alloc(counts.length * 4);
    new Uint32Array(x.memory.buffer, countAt, counts.length).set(counts);
    const out = alloc(12 * FP_BYTES);
    x.bn254_pairingProduct(out, lineAt, countAt, counts.length, lineCount, pointAt, n, consts);
    const words = alloc(12 * WORD_BYTES);
    x.fp_toWordsN(words, out, 12);
    const [a, b, c, d, e, f, g, h, i, j, l, m] = readWordsArray(k.view(), words, 12);
    return Fp12.fromBigTwelve([a, b, c, d, e, f, g, h, i, j, l, m]);
  });
}
