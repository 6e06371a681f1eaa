/**
 * `Engine.combineG1` on the kernels: the points loaded once as bases (x, y, −y), every combination's terms
 * written as (index, sign, magnitude) records, all combinations computed by the `g1_combineSigned` kernel
 * (wasm/combine.ts: one double-and-add chain each, one inversion for all) and read back as noble points.
 * @module
 */
import type { G1Point } from '../../curve';
import { checkCombinations, signedMagnitude } from '../combinations';
import type { CombinationTerm } from '../engine';
import { writeWords } from './codec';
import { BASE_BYTES, FIELD_BYTES, type Kernels } from './kernels';

/** Bytes of one term record of the kernel: base index, negated flag, 32-byte magnitude. */
const TERM_BYTES = 40;

/** `out_j = Σ_{t ∈ combinations[j]} scalar_t·points[index_t]` (see `Engine.combineG1`), on `kernels`. */
export function combineG1Wasm(kernels: Kernels, points: readonly G1Point[], combinations: readonly (readonly CombinationTerm[])[]): G1Point[] {
  checkCombinations(points.length, combinations);
  if (combinations.length === 0) return [];
  const terms = combinations.reduce((n, c) => n + c.length, 0);
  return kernels.scratch((alloc) => {
    const bases = alloc(Math.max(points.length, 1) * BASE_BYTES.g1);
    kernels.loadPointsAt('g1', bases, points, alloc);
    const records = alloc(combinations.length * 4 + terms * TERM_BYTES);
    const out = alloc(combinations.length * 2 * FIELD_BYTES.g1);
    const view = kernels.view();
    let o = records;
    for (const c of combinations) {
      view.setUint32(o, c.length, true);
      o += 4;
      for (const t of c) {
        const { magnitude, negative } = signedMagnitude(t.scalar);
        view.setUint32(o, t.index, true);
        view.setUint32(o + 4, negative ? 1 : 0, true);
        writeWords(view, o + 8, magnitude);
        o += TERM_BYTES;
      }
    }
    kernels.exports.g1_combineSigned(out, bases, records, combinations.length);
    return kernels.readAffine('g1', alloc, out, combinations.length);
  });
}
