/**
 * Commitments of integer tensors, row by row.
 * @module
 */
import type { G1Point } from '../src/curve';
import { BlockfoldError } from '../src/errors';
import { frFromSigned } from '../src/field';
import { commitLagrange } from '../src/kzg/commit';
import type { KzgKey } from '../src/kzg/key';

/** A row's values on H_n: the signed integers mapped to Fr (`v mod r`), zero-padded to n. */
export function rowEvaluations(row: readonly bigint[], n: number): bigint[] {
  if (row.length > n) throw new BlockfoldError('BLOCK', `row of length ${row.length} does not fit a domain of size ${n}`);
  const out = new Array<bigint>(n).fill(0n);
  for (let i = 0; i < row.length; i++) out[i] = frFromSigned(row[i]);
  return out;
}

/** Cell `(j, i)` of integer rows, 0 past a row's end: a row is committed zero-padded to its domain, so its missing cells are zeros. */
export function cellOf(rows: readonly (readonly bigint[])[], j: number, i: number): bigint {
  return rows[j]?.[i] ?? 0n;
}

/**
 * `[r_i(τ)]₁` for each row r_i, where r_i is the interpolant over H_n of the zero-padded row. Every row's MSM is
 * started before any is awaited: with a worker pool the large ones run on the workers while the calling thread
 * computes the small ones (exact points, so the order they finish in changes nothing).
 */
export async function commitRows(kzg: KzgKey, rows: readonly (readonly bigint[])[], n: number): Promise<G1Point[]> {
  const evaluations = rows.map((row) => rowEvaluations(row, n));
  return Promise.all(evaluations.map((values) => commitLagrange(kzg, values)));
}
