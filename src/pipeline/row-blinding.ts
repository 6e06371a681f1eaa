/**
 * The blinding of a proof's committed rows: every row that is neither public nor fixed by the key is committed as
 * `[f + Z_H·b]₁` (docs/soundness.md, "Zero knowledge"), with the b of all rows chosen together so that every
 * linear check on commitments still holds.
 *
 * A block that checks `Σ_t k_t·[row_t]₁ = (public commitment)` (its `linearRelations`: elementwise sums, rescale,
 * limb split, the differences of max and argmax) accepts blinded rows iff `Σ_t k_t·b_t = 0`, coefficient by
 * coefficient. Some rows' b are fixed: a public input or output row is committed by the verifier itself (b = 0), a
 * weight row by setup (its b₀ from the proving key). The others are free: the solution space of the relations over
 * them is an affine space, and the prover draws a uniform point of it. {@link solveRowBlinding} eliminates the
 * relations (exactly, over Fr): each step takes a remaining relation with the fewest unknowns, so a relation with
 * one unknown determines it (propagation), and otherwise eliminates one of its unknowns from every other relation
 * (Gaussian elimination, sparse: the relations of a block graph hold 3 rows each and rarely fill in). Unknowns
 * left without a pivot draw fresh scalars by a label naming the row; the pivots follow by back-substitution. The
 * drawn coordinates are uniform and the map from them to the solution is a bijection onto the solution space, so
 * which unknowns become pivots does not change the distribution; it only has to be deterministic, so seeded proofs
 * stay byte-identical. Greedy propagation alone would fail on two relations sharing two unknowns with fixed ends
 * (`x + y = f₁`, `x − y = f₂`): drawing x would contradict one of them.
 *
 * An inconsistent system (fixed rows alone violating a relation, as `output = input + bias` with a blinded bias
 * would) is a typed error: an honest graph whose relations reach a free row never gives one.
 * @module
 */
import type { BlindingSource } from '../blinding';
import { Fr, frFromSigned } from '../field';
import { rowSlot } from '../../blocks/poly-iop';
import { BlockGraphError, type BlockGraph } from './block-graph';
import { graphRelations, type RowRelation } from './row-relations';

/** What {@link solveRowBlinding} solves. */
export interface RowBlindingSystem {
  readonly relations: readonly RowRelation[];
  /** Rows whose blinding is given (public rows: `[]`, zero; weight rows: their setup blinding b₀). */
  readonly fixed: ReadonlyMap<string, readonly bigint[]>;
  /**
   * Rows the prover blinds, each with the coefficients its openings need (e + 1 for a row opened at e points: 2 at ζ
   * alone, 3 also at ω·ζ). Their order fixes the elimination's, so it must be deterministic.
   */
  readonly free: ReadonlyMap<string, number>;
}

interface Equation {
  readonly coeffs: Map<number, bigint>;
  readonly constant: bigint[];
  readonly where: string;
}

/**
 * A blinding for every free row such that every relation holds with the fixed rows' blindings: free rows that no
 * relation determines draw from `source` by the label `row-blinding/<row>`, the others are solved (module comment).
 * A row connected by relations to a row that needs more coefficients (or to a longer fixed blinding) gets as many,
 * so a solved row never needs a coefficient its relation partners lack. A relation naming a row that is neither
 * fixed nor free, or a system the fixed rows make inconsistent, is a {@link BlockGraphError}.
 */
export function solveRowBlinding(system: RowBlindingSystem, source: BlindingSource): Map<string, bigint[]> {
  const rows = [...system.free.keys()];
  const both = rows.find((r) => system.fixed.has(r));
  if (both !== undefined) throw new BlockGraphError(`row blinding: row "${both}" is declared both fixed and free`);
  const index = new Map(rows.map((r, i) => [r, i]));
  const width = componentWidths(system, index);
  // A loop, not Math.max(...spread): a model of 100k rows would overflow the argument list.
  let W = 0;
  for (const w of width) W = Math.max(W, w);
  for (const b of system.fixed.values()) W = Math.max(W, b.length);
  const equations = system.relations.map((rel): Equation => {
    const coeffs = new Map<number, bigint>();
    const constant = new Array<bigint>(W).fill(0n);
    for (const t of rel.terms) {
      const k = frFromSigned(t.coeff);
      const fixed = system.fixed.get(t.row);
      const i = index.get(t.row);
      if (fixed) fixed.forEach((b, c) => (constant[c] = Fr.sub(constant[c], Fr.mul(k, b))));
      else if (i !== undefined) coeffs.set(i, Fr.add(coeffs.get(i) ?? 0n, k));
      else throw new BlockGraphError(`row blinding: ${rel.where} relates row "${t.row}", which is neither fixed nor free`);
    }
    for (const [i, k] of coeffs) if (k === 0n) coeffs.delete(i);
    return { coeffs, constant, where: rel.where };
  });
  const pivots = eliminate(equations);
  const values: bigint[][] = rows.map(() => []);
  const pivotOf = new Set(pivots.map((p) => p.pivot));
  rows.forEach((row, i) => {
    if (!pivotOf.has(i)) values[i] = padded(source.draw(`row-blinding/${row}`, width[i]), W);
  });
  for (const { pivot, equation } of pivots.reverse()) {
    const inverse = Fr.inv(equation.coeffs.get(pivot)!);
    values[pivot] = equation.constant.map((c, coord) => {
      let acc = c;
      for (const [v, k] of equation.coeffs) if (v !== pivot) acc = Fr.sub(acc, Fr.mul(k, values[v][coord]));
      return Fr.mul(acc, inverse);
    });
  }
  return new Map(rows.map((row, i) => [row, values[i].slice(0, width[i])]));
}

const padded = (b: readonly bigint[], w: number): bigint[] => [...b, ...new Array<bigint>(Math.max(0, w - b.length)).fill(0n)];

/**
 * The coefficient count of each free row: the largest of its relation-connected component (free rows linked by a
 * relation), counting the fixed blindings those relations read.
 */
function componentWidths(system: RowBlindingSystem, index: ReadonlyMap<string, number>): number[] {
  const parent = [...index.values()];
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  const width = [...system.free.values()];
  const fixedWidth = new Map<number, number>();
  for (const rel of system.relations) {
    const free = rel.terms.map((t) => index.get(t.row)).filter((i): i is number => i !== undefined);
    const fixed = Math.max(0, ...rel.terms.map((t) => system.fixed.get(t.row)?.length ?? 0));
    if (free.length === 0) continue;
    for (const i of free.slice(1)) parent[find(i)] = find(free[0]);
    fixedWidth.set(free[0], Math.max(fixedWidth.get(free[0]) ?? 0, fixed));
  }
  const rootWidth = new Map<number, number>();
  width.forEach((w, i) => rootWidth.set(find(i), Math.max(rootWidth.get(find(i)) ?? 0, w, fixedWidth.get(i) ?? 0)));
  return width.map((_, i) => rootWidth.get(find(i))!);
}

/**
 * Sparse Gaussian elimination: repeatedly takes a remaining equation with the fewest unknowns (the first such in a
 * deterministic order), checks it if it has none, else makes its unknown that occurs in the fewest equations its
 * pivot and eliminates that unknown from every other equation. Returns the pivots in elimination order, each with
 * its equation as it stood then (its other unknowns are pivots eliminated later or unknowns with no pivot).
 */
function eliminate(equations: Equation[]): { pivot: number; equation: Equation }[] {
  const occurs = new Map<number, Set<number>>();
  const bySize = new Map<number, Set<number>>();
  const occurrences = (v: number) => occurs.get(v) ?? occurs.set(v, new Set()).get(v)!;
  const bucket = (s: number) => bySize.get(s) ?? bySize.set(s, new Set()).get(s)!;
  equations.forEach((e, j) => {
    for (const v of e.coeffs.keys()) occurrences(v).add(j);
    bucket(e.coeffs.size).add(j);
  });
  const pivots: { pivot: number; equation: Equation }[] = [];
  for (;;) {
    const size = Math.min(...[...bySize].filter(([, s]) => s.size > 0).map(([k]) => k));
    if (!Number.isFinite(size)) return pivots;
    const j = bySize.get(size)!.values().next().value!;
    bySize.get(size)!.delete(j);
    const e = equations[j];
    if (size === 0) {
      if (e.constant.some((c) => c !== 0n))
        throw new BlockGraphError(`row blinding: the linear relations of ${e.where} cannot hold with the fixed rows' blindings (public rows and weights alone are related)`);
      continue;
    }
    let pivot = -1;
    for (const v of e.coeffs.keys()) if (pivot < 0 || occurs.get(v)!.size < occurs.get(pivot)!.size) pivot = v;
    for (const v of e.coeffs.keys()) occurs.get(v)!.delete(j);
    const factor = Fr.inv(e.coeffs.get(pivot)!);
    for (const i of [...occurs.get(pivot)!]) {
      const other = equations[i];
      bySize.get(other.coeffs.size)!.delete(i);
      const f = Fr.mul(other.coeffs.get(pivot)!, factor);
      for (const [v, k] of e.coeffs) {
        const next = Fr.sub(other.coeffs.get(v) ?? 0n, Fr.mul(f, k));
        if (next === 0n) {
          other.coeffs.delete(v);
          occurs.get(v)!.delete(i);
        } else {
          other.coeffs.set(v, next);
          occurrences(v).add(i);
        }
      }
      other.constant.forEach((c, coord) => (other.constant[coord] = Fr.sub(c, Fr.mul(f, e.constant[coord]))));
      bucket(other.coeffs.size).add(i);
    }
    pivots.push({ pivot, equation: e });
  }
}

/**
 * The weight rows' setup blinding b₀ (`coefficients` scalars each): the solver's blinding of every row of the graph
 * with only the public input and output rows fixed (at zero) — weights, wires and hidden inputs and outputs all
 * free — restricted to the weights. On a compiled graph no relation names a weight: the relink pass reads every
 * weight through a per-proof copy unless the block declares it `fixed`, and `checkFixedRowsRelinked` refuses a
 * relation naming a fixed tensor (`relink.ts`). Each weight row is then a free row of no relation, and its b₀ is
 * the solver's uniform draw under its label, independent of every other row. Solving rather than drawing keeps
 * every later proof's system (weights fixed at b₀, wires free) solvable on a graph that does relate a weight: b₀
 * then satisfies every relation with the setup's own blinding of the wires.
 */
export function setupWeightBlinding(g: BlockGraph, publicRows: ReadonlySet<string>, coefficients: number, source: BlindingSource): Record<string, bigint[][]> {
  const fixed = new Map<string, readonly bigint[]>();
  const free = new Map<string, number>();
  for (const t of g.tensors)
    for (let r = 0; r < t.rows; r++) {
      const row = rowSlot(t.id, r);
      if (publicRows.has(row)) fixed.set(row, []);
      else free.set(row, coefficients);
    }
  const solved = solveRowBlinding({ relations: graphRelations(g), fixed, free }, source);
  const out: Record<string, bigint[][]> = {};
  for (const t of g.tensors)
    if (t.kind === 'weight')
      out[t.id] = Array.from({ length: t.rows }, (_, r) => {
        const b = solved.get(rowSlot(t.id, r)) ?? [];
        return Array.from({ length: coefficients }, (_, j) => b[j] ?? 0n);
      });
  return out;
}
