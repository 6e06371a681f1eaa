/**
 * Pieces of the forging provers of the adversarial tests: a block's prover with some of its message slots left out
 * (for a spec from which the claims that read them were dropped), and a linear solve over Fr (the shift of a false
 * output a forger must hide).
 */
import assert from 'node:assert/strict';
import type { BlockContext, PolyIopProver, Tensors } from '../../blocks/index';
import type { PolyIopBlock } from '../../blocks/poly-iop-block';
import type { SlotValues } from '../../src/equations/equation';
import { Fr } from '../../src/field';

/** The prover of `block` on `tensors`, its rounds without the slots in `dropped` (what a spec without them expects). */
export function proverWithout(block: PolyIopBlock, tensors: Tensors, dropped: ReadonlySet<string>): (ctx: BlockContext) => PolyIopProver {
  return (ctx) => {
    const inner = block.iopProver(ctx, tensors);
    return {
      round: async (decls, v) => {
        const out = { ...(await inner.round(decls, v)) } as Record<string, SlotValues[string]>;
        for (const s of dropped) delete out[s];
        return out;
      },
      polynomials: (v) => inner.polynomials(v),
    };
  };
}

/** x with A·x = y over Fr (A square and invertible), by Gaussian elimination. */
export function solveFr(a: readonly (readonly bigint[])[], y: readonly bigint[]): bigint[] {
  const rows = a.map((row, i) => [...row, y[i]]);
  const n = rows.length;
  for (let col = 0; col < n; col++) {
    const pivot = rows.findIndex((r, i) => i >= col && r[col] !== 0n);
    assert.ok(pivot >= 0, 'the matrix is singular');
    [rows[col], rows[pivot]] = [rows[pivot], rows[col]];
    const inv = Fr.inv(rows[col][col]);
    rows[col] = rows[col].map((x) => Fr.mul(x, inv));
    for (let i = 0; i < n; i++)
      if (i !== col && rows[i][col] !== 0n) {
        const f = rows[i][col];
        rows[i] = rows[i].map((x, j) => Fr.sub(x, Fr.mul(f, rows[col][j])));
      }
  }
  return rows.map((r) => r[n]);
}
