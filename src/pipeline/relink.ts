/**
 * The relink pass: every row whose blinding is fixed across proofs and that a per-proof relation would tie to rows
 * opened at a fresh ζ is read through a per-proof copy instead (`blocks/relink.ts`).
 *
 * Two kinds of rows keep one blinding in every proof: a weight row (its setup blinding b₀, in the model
 * commitment) and a hashed input's rows (a blinding derived from the input, so `inputDigest` recomputes the
 * commitment). When a block's linear relations (`Block.linearRelations`, solved by the row-blinding solver) name
 * such a row, the combination of its related rows' openings that cancels their per-proof blinding leaves a fixed
 * polynomial `(x + Z_H·b_fixed)(ζ)`, and n + 2 proofs interpolate it (docs/soundness.md, "Zero knowledge"). The
 * pass adds a wire `<id>~link` and one {@link RelinkBlock} (x = the tensor, y = the wire) per such tensor and
 * rebinds the readers to the wire: for a weight, the readers whose linear relations name it (a block that reads a
 * weight as `fixed` relies on the model commitment and links it itself); for a hashed input, every reader (its
 * range lookup opens it too). The copy's blinding is free, so each proof's relations are solved with fresh
 * randomness.
 * @module
 */
import { RelinkBlock } from '../../blocks/relink';
import type { BlockGraph, BlockNode, GraphTensor } from './block-graph';

/** The id of the per-proof copy of tensor `id`. */
function relinkedId(id: string): string {
  return `${id}~link`;
}

/** `g` with the fixed-blinding rows described in the module comment read through relinked copies; `hashedInputs` are tensor ids. */
export function relinkFixedRows(g: BlockGraph, hashedInputs: ReadonlySet<string>): BlockGraph {
  const byId = new Map(g.tensors.map((t) => [t.id, t]));
  const relinked = new Set<string>();
  const nodes = g.nodes.map((node): BlockNode => {
    const related = new Set((node.block.linearRelations?.() ?? []).flatMap((rel) => rel.terms.map((t) => t.tensor)));
    let bind: Record<string, string> | undefined;
    for (const [name, id] of Object.entries(node.bind)) {
      const weight = byId.get(id)?.kind === 'weight' && related.has(name);
      if (!weight && !hashedInputs.has(id)) continue;
      bind ??= { ...node.bind };
      bind[name] = relinkedId(id);
      relinked.add(id);
    }
    return bind ? { block: node.block, bind } : node;
  });
  if (relinked.size === 0) return g;
  const tensors: GraphTensor[] = [...g.tensors];
  for (const id of relinked) {
    const { rows, domain } = byId.get(id)!;
    tensors.push({ id: relinkedId(id), kind: 'wire', rows, domain });
    nodes.push({ block: new RelinkBlock({ rows, domain }), bind: { x: id, y: relinkedId(id) } });
  }
  return { tensors, nodes };
}
