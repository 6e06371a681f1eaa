/**
 * Programs of linear maps on a vector of G1 points held in one kernels instance as Jacobian points
 * (wasm/g1-transform.ts): the steps the range K basis is computed in (./range-k-basis.ts), run on the calling
 * thread or shipped to a worker with the part of the vector they read. Every step maps the vector's blocks (or, for
 * butterflies, its pairs) independently, so a vector split between threads along them gives the same points.
 * @module
 */
import { powers, Fr } from '../../field';
import { rootOfUnity } from '../../poly/roots';
import type { Kernels } from './kernels';

/** Bytes of one Jacobian G1 point (X, Y, Z) in the kernels. */
export const JACOBIAN_BYTES = 108;
/** Bytes of the GLV halves of one scalar (`g1_glvSplit`). */
const HALVES_BYTES = 64;

/**
 * One step of a program on n points (m = 2^log, ω = ω_m the canonical root of unity):
 * - `dif`: every block of m points a ↦ its transform in bit-reversed order, entry i = Σ_j a_j·ω^(j·rev(i));
 * - `dit`: every block a ↦ entry j = Σ_i a_(rev(i))·ω^(−i·j), m times the inverse of `dif`;
 * - `scale`: a_i ↦ s_i·a_i, the scalars as canonical 32-byte little-endian words;
 * - `level`: a middle product per block of m points: with d = dit(s ⊙ dif(a)), the upper half of every block is
 *   replaced by d's (the lower half kept), a level of the falling-factorial tree of ./range-k-basis.ts;
 * - `leaves`: every block of m points ℓ(X^i) ↦ ℓ((X − c)(X − c − 1)···(X − c − t + 1)) for t < m, c = first + b·m in
 *   block b (the kernel `g1_fallingLeaves`);
 * - `butterflies`: the n points are pairs (a_j, a_(n/2 + j)) of one stage of a transform of size m, pair j at index
 *   first + j of the stage: (u, v) ↦ (u + v, (u − v)·ω^k) for `dif`, (u + ω^(−k)·v, u − ω^(−k)·v) otherwise.
 */
export type G1Step =
  | { readonly op: 'dif'; readonly log: number }
  | { readonly op: 'dit'; readonly log: number }
  | { readonly op: 'scale'; readonly scalars: Uint8Array }
  | { readonly op: 'level'; readonly log: number; readonly scalars: Uint8Array }
  | { readonly op: 'leaves'; readonly log: number; readonly first: number }
  | { readonly op: 'butterflies'; readonly log: number; readonly first: number; readonly dif: boolean };

/** Resident twiddle tables of each kernels instance, by size and direction. */
const twiddleTables = new WeakMap<Kernels, Map<string, number>>();

/**
 * The GLV halves of ω^k (or ω^(−k) with `inverse`) for k < m/2, ω = ω_m, m = 2^log: resident in `kernels`, made on
 * first use. Must not be first asked inside a scratch region, which would release it.
 */
function twiddles(kernels: Kernels, log: number, inverse: boolean): number {
  let tables = twiddleTables.get(kernels);
  if (tables === undefined) twiddleTables.set(kernels, (tables = new Map()));
  const key = `${log}:${inverse}`;
  let ptr = tables.get(key);
  if (ptr !== undefined) return ptr;
  const half = Math.max(1, (1 << log) >> 1);
  const root = rootOfUnity(1 << log);
  const table = (ptr = kernels.allocResident(half * HALVES_BYTES));
  kernels.scratch((alloc) => kernels.exports.g1_glvSplit(table, kernels.writeScalars(alloc, powers(inverse ? Fr.inv(root) : root, half)), half));
  tables.set(key, ptr);
  return ptr;
}

/** Makes the twiddle tables `steps` read resident (before the scratch region they run in). */
function prepare(kernels: Kernels, steps: readonly G1Step[]): void {
  for (const step of steps) {
    if (step.op === 'dif' || step.op === 'level') twiddles(kernels, step.log, false);
    if (step.op === 'dit' || step.op === 'level') twiddles(kernels, step.log, true);
    if (step.op === 'butterflies') twiddles(kernels, step.log, !step.dif);
  }
}

/** The GLV halves of the scalar words in fresh scratch memory. */
function halvesOf(kernels: Kernels, alloc: (bytes: number) => number, words: Uint8Array): number {
  const n = words.length / 32;
  const out = alloc(n * HALVES_BYTES);
  kernels.exports.g1_glvSplit(out, kernels.placeScalarWords(alloc, words), n);
  return out;
}

/** Runs one step on the n Jacobian points at `a` (its twiddles resident). */
function runStep(kernels: Kernels, a: number, n: number, step: G1Step, alloc: (bytes: number) => number): void {
  const k = kernels.exports;
  switch (step.op) {
    case 'dif':
      return k.g1_nttDif(a, n >> step.log, step.log, twiddles(kernels, step.log, false), 1);
    case 'dit':
      return k.g1_nttDit(a, n >> step.log, step.log, twiddles(kernels, step.log, true), 1);
    case 'scale':
      return k.g1_scaleEach(a, halvesOf(kernels, alloc, step.scalars), n);
    case 'level': {
      const m = 1 << step.log;
      const d = alloc(n * JACOBIAN_BYTES);
      const memory = () => new Uint8Array(k.memory.buffer);
      memory().copyWithin(d, a, a + n * JACOBIAN_BYTES);
      k.g1_nttDif(d, n >> step.log, step.log, twiddles(kernels, step.log, false), 1);
      k.g1_scaleEach(d, halvesOf(kernels, alloc, step.scalars), n);
      k.g1_nttDit(d, n >> step.log, step.log, twiddles(kernels, step.log, true), 1);
      const bytes = (m / 2) * JACOBIAN_BYTES;
      for (let b = 0; b < n; b += m) memory().copyWithin(a + (b + m / 2) * JACOBIAN_BYTES, d + (b + m / 2) * JACOBIAN_BYTES, d + (b + m / 2) * JACOBIAN_BYTES + bytes);
      return;
    }
    case 'leaves':
      return k.g1_fallingLeaves(a, n >> step.log, step.log, step.first);
    case 'butterflies':
      return k.g1_butterflies(a, a + (n / 2) * JACOBIAN_BYTES, n / 2, twiddles(kernels, step.log, !step.dif), step.first, 1, step.dif);
  }
}

/** Runs `steps` on the Jacobian points `points` (what a worker is given): the points they end as. */
export function runSteps(kernels: Kernels, points: Uint8Array, steps: readonly G1Step[]): Uint8Array {
  prepare(kernels, steps);
  return kernels.scratch((alloc) => {
    const a = alloc(points.length);
    new Uint8Array(kernels.exports.memory.buffer, a, points.length).set(points);
    const n = points.length / JACOBIAN_BYTES;
    for (const step of steps) kernels.scratch((inner) => runStep(kernels, a, n, step, inner));
    return kernels.copyOut(a, points.length);
  });
}
