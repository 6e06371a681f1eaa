/**
 * Pieces of the forging provers of the adversarial tests: a block's spec without some of its claims, the block's
 * prover without the message slots those claims read, a linear solve over Fr and the shift of a false output a
 * forger must hide (through an invertible W, keeping an α-weighted sum in a padding cell).
 */
import assert from 'node:assert/strict';
import type { BlockContext, PolyIopProver, PolyIopSpec, Tensors } from '../../blocks/index';
import type { Step } from '../../blocks/protocol';
import type { PolyIopBlock } from '../../blocks/poly-iop-block';
import type { SlotValues } from '../../src/equations/equation';
import { Fr, frFromSigned } from '../../src/field';

/** What {@link specWithout} drops from a spec: message slots, oracles, public polynomials and sum claims, by name. */
export interface DroppedParts {
  readonly slots: ReadonlySet<string>;
  readonly oracles: ReadonlySet<string>;
  readonly publics: ReadonlySet<string>;
  readonly claims: ReadonlySet<string>;
}

/** `spec` without the `dropped` parts, under the fold key `<foldKey>/<label>`: what a forger is free to do once they are gone. */
export function specWithout(spec: PolyIopSpec, dropped: DroppedParts, label: string): PolyIopSpec {
  return {
    ...spec,
    foldKey: `${spec.foldKey}/${label}`,
    slots: spec.slots.filter((d) => !dropped.slots.has(d.name)),
    rounds: spec.rounds.map((r): Step => (r.kind === 'message' ? { kind: 'message', slots: r.slots.filter((s) => !dropped.slots.has(s)) } : r)),
    oracles: spec.oracles.filter((o) => !dropped.oracles.has(o.name)),
    publics: spec.publics.filter((p) => !dropped.publics.has(p.name)),
    sums: (spec.sums ?? []).filter((c) => !dropped.claims.has(c.name)),
  };
}

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

/** The `rows × columns` matrix with ones on its diagonal, small distinct integers below and zeros above: invertible when square. */
export function unitLowerTriangular(rows: number, columns: number): bigint[][] {
  return Array.from({ length: rows }, (_, c) => Array.from({ length: columns }, (_, j) => (j === c ? 1n : j < c ? BigInt(c + 2 * j - 1) : 0n)));
}

/**
 * The shift Δ of p with W·Δ = amount·e_row over Fr (W square, invertible): moved by it, every row of Σ_j W_cj·p_j
 * follows a C whose row `row` is raised by `amount` (already weighted by the challenge powers the claims read it with).
 */
export function hidingShift(w: readonly (readonly bigint[])[], row: number, amount: bigint): bigint[] {
  return solveFr(
    w.map((r) => r.map(frFromSigned)),
    w.map((_, c) => (c === row ? amount : 0n)),
  );
}

/**
 * p (K cells) moved by `shift` in its first cells and by −Σ_j α^(K−1−j)·shift_j in its last, a padding cell no weight
 * reads: the α-weighted sum Σ_j α^(K−1−j)·p_j, which pins p to its operand, is then unchanged.
 */
export function shiftedKeepingWeightedSum(p: readonly bigint[], shift: readonly bigint[], alpha: bigint): bigint[] {
  const K = p.length;
  assert.ok(shift.length < K, 'a padding cell of p to absorb the α-weighted sum');
  const weighted = shift.reduce((acc, d, j) => Fr.add(acc, Fr.mul(Fr.pow(alpha, BigInt(K - 1 - j)), d)), 0n);
  return p.map((x, j) => (j < shift.length ? Fr.add(x, shift[j]) : j === K - 1 ? Fr.sub(x, weighted) : x));
}
