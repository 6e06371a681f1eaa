/**
 * The linear relations of a block graph over its global rows: each block's `Block.linearRelations` (a check
 * `Σ_t k_t·[row_t]₁ = P` on row commitments) with its tensors renamed to the graph's. Rows a relation ties have
 * tied blindings: the solver draws them together (`row-blinding.ts`), and the points at which one of them is opened
 * are points of the others' blindings too (`block-graph.ts`, `graphOpenings`).
 * @module
 */
import { rowSlot } from '../../blocks/poly-iop';
import type { BlockGraph } from './block-graph';

/** `coeff·b(row)`, the row by its global name `<tensor id>/<row>`. */
export interface RowTerm {
  readonly row: string;
  /** A signed integer or field element (taken mod r). */
  readonly coeff: bigint;
}

/** `Σ_t coeff_t·b(row_t) = 0`: what one linear check on commitments asks of the rows' blindings. */
export interface RowRelation {
  readonly terms: readonly RowTerm[];
  /** The block the relation comes from, for error messages. */
  readonly where: string;
}

/** Every block's {@link Block.linearRelations} over global row names (`<tensor id>/<row>`, through `node.bind`). */
export function graphRelations(g: Pick<BlockGraph, 'nodes'>): RowRelation[] {
  return g.nodes.flatMap((node, i) =>
    (node.block.linearRelations?.() ?? []).map((rel) => ({
      where: `block ${i} (${node.block.foldKey})`,
      terms: rel.terms.map((t) => ({ row: rowSlot(node.bind[t.tensor], t.row), coeff: t.coeff })),
    })),
  );
}
