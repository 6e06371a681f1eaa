/**
 * The derived polynomials of `Engine.cosetIdentities` formed in the kernels from the words of the polynomials they
 * name (`DerivedPolynomial`): a linear form as its terms' vectors scaled and added (in the form they were unpacked
 * in, plain or Montgomery: every step is linear with Montgomery constants), a rotated one as its source times the
 * powers of `ω^s`, a composed one `f(X^k)` as its source's coefficients spread k apart. Where the call runs (a worker, for a large quotient domain) its caller sends only the
 * oracles' words and these few records, so the calling thread neither forms nor converts `β − f` or `f(ω^s·X)` in
 * bigints. The coefficients are the same field elements as the reference's (`../derived.ts`), which the engine
 * tests compare.
 * @module
 */
import { derivedLength, derivedSources, rotationRoot } from '../derived';
import type { DerivedPolynomial } from '../engine';
import { writeWordsArray } from './codec';
import { FR_BYTES, type Kernels } from './kernels';
import type { PackedPolynomials } from './task';

/**
 * The lengths of the polynomials of a packed call, derived ones included (`derivedLength`): the packed lengths of
 * derived entries are 0, since they have no words yet. `polynomialLengths` checked the records on the calling thread
 * before the call was packed; a worker has only the packed records.
 */
export function packedLengths(polys: PackedPolynomials): number[] {
  const lengths: number[] = [];
  polys.lengths.forEach((length, j) => {
    const f = polys.derived?.[j];
    lengths.push(f === undefined ? length : derivedLength(f, lengths));
  });
  return lengths;
}

/**
 * Every derived polynomial that `wanted` asks for (and every one those read) formed in plain form (each value's own
 * limbs, as `fr_unpackN` writes them; the Montgomery constants below keep that form) in blocks of
 * `alloc` (the caller's scratch region), by index: a linear form as its constant plus each term's source times its
 * scalar, a rotated one as its source times `(ω^s)^(i mod size)` (`rotationRoot`), a composed one as its source's
 * coefficient i moved to `i·power` and zeros between. A given source is converted from its packed words
 * (`starts[j]`: its first word's index) into a scratch block; a derived one is read from its block.
 */
export function formDerived(kernels: Kernels, alloc: (bytes: number) => number, polys: PackedPolynomials, lengths: readonly number[], starts: readonly number[], wanted: (j: number) => boolean): Map<number, number> {
  const formed = new Map<number, number>();
  const derived = polys.derived;
  if (derived === undefined) return formed;
  const count = lengths.length;
  const needed = Array.from({ length: count }, (_, j) => derived[j] !== undefined && wanted(j));
  for (let j = count - 1; j >= 0; j--) {
    const f = derived[j];
    if (!needed[j] || f === undefined) continue;
    for (const i of derivedSources(f)) needed[i] ||= derived[i] !== undefined;
  }
  if (!needed.some((x) => x)) return formed;
  const longest = Math.max(2, ...lengths);
  // Room for the longest polynomial's words and for the two constants that pass through them.
  const words = alloc(longest * 32);
  const source = alloc(longest * FR_BYTES);
  const constants = alloc(2 * FR_BYTES);
  const memory = () => new Uint8Array(kernels.exports.memory.buffer);
  /** Montgomery forms of two canonical integers at `constants`: factors that keep a plain operand plain. */
  const setConstants = (x: bigint, y: bigint) => {
    writeWordsArray(kernels.view(), words, [x, y]);
    kernels.exports.fr_fromWordsN(constants, words, 2);
  };
  /** Polynomial j's coefficients in plain form: its block if derived, else unpacked into `to`. */
  const load = (j: number, to: number): number => {
    const block = formed.get(j);
    if (block !== undefined) return block;
    memory().set(polys.words.subarray(starts[j] * 32, (starts[j] + lengths[j]) * 32), words);
    kernels.exports.fr_unpackN(to, words, lengths[j]);
    return to;
  };
  for (let j = 0; j < count; j++) {
    const f: DerivedPolynomial | undefined = derived[j];
    if (f === undefined || !needed[j]) continue;
    const length = lengths[j];
    const block = alloc(length * FR_BYTES);
    if (f.kind === 'rotated') {
      const from = load(f.index, block);
      if (from !== block) memory().copyWithin(block, from, from + length * FR_BYTES);
      // The powers of ω^s, repeating with period size (or the first `length` of them).
      setConstants(1n, rotationRoot(f));
      const period = Math.min(length, f.size);
      kernels.exports.fr_powers(source, constants, constants + FR_BYTES, period);
      kernels.exports.fr_mulPeriodic(block, length, source, period);
    } else if (f.kind === 'composed') {
      memory().fill(0, block, block + length * FR_BYTES);
      const n = lengths[f.index];
      if (n > 0) {
        const from = load(f.index, source);
        const bytes = memory();
        for (let i = 0; i < n; i++) bytes.copyWithin(block + i * f.power * FR_BYTES, from + i * FR_BYTES, from + (i + 1) * FR_BYTES);
      }
    } else {
      memory().fill(0, block, block + length * FR_BYTES);
      // The constant term in plain form, as the sources are.
      writePlain(kernels, block, f.constant, words);
      for (const t of f.terms) {
        const n = lengths[t.index];
        if (t.scalar === 0n || n === 0) continue;
        let from = load(t.index, source);
        if (t.scalar !== 1n) {
          if (from !== source) memory().copyWithin(source, from, from + n * FR_BYTES);
          from = source;
          setConstants(t.scalar, 0n);
          kernels.exports.fr_mulPeriodic(source, n, constants, 1);
        }
        kernels.exports.fr_addTo(block, from, n);
      }
    }
    formed.set(j, block);
  }
  return formed;
}

/**
 * The derived linear forms whose value at the remainder check's point follows from their sources' values there, by
 * index (increasing): each j with `evaluated(j)` whose every source of nonzero scalar is evaluated as well, since
 * `f(x) = c + Σ_t s_t·f_t(x)` for `f = c + Σ_t s_t·f_t`. Their values are then written by {@link writeLinearValues}
 * instead of a Horner pass over their coefficients (and a form no part transforms need not be formed at all).
 */
export function linearFromSources(polys: PackedPolynomials, evaluated: (j: number) => boolean): Set<number> {
  const out = new Set<number>();
  polys.derived?.forEach((f, j) => {
    if (f?.kind === 'linear' && evaluated(j) && f.terms.every((t) => t.scalar === 0n || evaluated(t.index))) out.add(j);
  });
  return out;
}

/**
 * `values[j] = c + Σ_t s_t·values[t.index]` for each derived linear form j of `forms` (given in increasing order, so a
 * form read by a later one is written first; every other source's value written already), plain Fr elements of
 * {@link FR_BYTES} at `values`: the constant unpacked plain, each scalar in Montgomery form (which keeps a value plain).
 */
export function writeLinearValues(kernels: Kernels, alloc: (bytes: number) => number, polys: PackedPolynomials, forms: ReadonlySet<number>, values: number): void {
  if (forms.size === 0) return;
  const words = alloc(32);
  const scalar = alloc(FR_BYTES);
  const product = alloc(FR_BYTES);
  for (const j of forms) {
    const f = polys.derived?.[j];
    if (f?.kind !== 'linear') continue;
    const at = values + j * FR_BYTES;
    writePlain(kernels, at, f.constant, words);
    for (const t of f.terms) {
      if (t.scalar === 0n) continue;
      writeWordsArray(kernels.view(), words, [t.scalar]);
      kernels.exports.fr_fromWordsN(scalar, words, 1);
      kernels.exports.fr_mul(product, values + t.index * FR_BYTES, scalar);
      kernels.exports.fr_add(at, at, product);
    }
  }
}

/** The canonical integer x (below r) as one plain Fr element at `at`, through the 32 scratch bytes at `words`. */
function writePlain(kernels: Kernels, at: number, x: bigint, words: number): void {
  writeWordsArray(kernels.view(), words, [x]);
  kernels.exports.fr_unpackN(at, words, 1);
}
