/**
 * The relink pass: every row whose blinding is fixed across proofs is read through a per-proof copy
 * (`blocks/relink.ts`) by every block that does not rely on the model commitment for it; and the guard that a
 * graph keeps this invariant.
 *
 * Two kinds of rows keep one blinding in every proof: a weight row (its setup blinding b₀, in the model
 * commitment) and a hashed input's rows (a blinding derived from the input, so `inputDigest` recomputes the
 * commitment). A block that opens such a row at the fresh ζ of a proof (a permutation copying a `Concat(param, x)`
 * class token, a lookup, a Hadamard operand that is not `fixed`) reveals `(x + Z_H·b_fixed)(ζ)`; a block whose
 * linear relations (`Block.linearRelations`, solved by the row-blinding solver) name it ties it to wires opened at
 * ζ, and the combination of their openings that cancels their per-proof blinding reveals the same value. It is a
 * fixed polynomial of degree < n + 2, so n + 2 proofs interpolate it and its values on H are the row
 * (docs/soundness.md, "Zero knowledge"). The pass adds a wire `<id>~link` and one {@link RelinkBlock} (x = the
 * tensor, y = the wire) per such tensor and rebinds to the wire every input a block reads it as, except a weight
 * the block declares `fixed` (matmul, weighted rows and hadamard with fixed operands: they never open the row, only
 * a per-proof re-randomization of it bound to the model commitment, `blocks/weight-link.ts`). The copy's blinding
 * is free, so each proof's openings and relations carry fresh randomness (a proof sends the copy as its difference
 * from the row, a multiple of Z_H: `relinked-rows.ts`). The relink block itself opens nothing
 * and states no relation: it is the one reader of the fixed row that the pass leaves in place, which makes the pass
 * idempotent.
 *
 * {@link checkFixedRowsRelinked} states the invariant the argument of zero knowledge relies on, so a graph that
 * breaks it (a lowering or custom block reading a fixed row some new way) is refused at compile time instead of
 * leaking over many proofs.
 * @module
 */
import type { TensorSpec } from '../../blocks/block';
import { RelinkBlock } from '../../blocks/relink';
import { BlockGraphError, type BlockGraph, type BlockNode, type GraphTensor } from './block-graph';

/** The id of the per-proof copy of tensor `id`. */
function relinkedId(id: string): string {
  return `${id}~link`;
}

/**
 * Whether a block reading `tensor` as `spec` would see a blinding fixed across proofs: a weight not declared
 * `fixed`, or a hashed input (`hashedInputs`: tensor ids).
 */
function readsFixedBlinding(spec: TensorSpec, tensor: GraphTensor | undefined, hashedInputs: ReadonlySet<string>): boolean {
  if (spec.role !== 'input' || !tensor) return false;
  return (tensor.kind === 'weight' && !spec.fixed) || hashedInputs.has(tensor.id);
}

/**
 * `g` with every input a non-relink block reads from a fixed-blinding row (module comment) rebound to that row's
 * relinked copy, one {@link RelinkBlock} and one wire per such row appended. Idempotent: the relink blocks'
 * own reads are left in place, so a second application finds nothing to relink. A copy id that is already a
 * tensor of `g` is a {@link BlockGraphError}.
 */
export function relinkFixedRows(g: BlockGraph, hashedInputs: ReadonlySet<string>): BlockGraph {
  const byId = new Map(g.tensors.map((t) => [t.id, t]));
  const relinked = new Set<string>();
  const nodes = g.nodes.map((node): BlockNode => {
    if (node.block instanceof RelinkBlock) return node;
    let bind: Record<string, string> | undefined;
    for (const spec of node.block.tensors) {
      const id = node.bind[spec.name];
      if (!readsFixedBlinding(spec, byId.get(id), hashedInputs)) continue;
      bind ??= { ...node.bind };
      bind[spec.name] = relinkedId(id);
      relinked.add(id);
    }
    return bind ? { block: node.block, bind } : node;
  });
  if (relinked.size === 0) return g;
  const tensors: GraphTensor[] = [...g.tensors];
  for (const id of relinked) {
    const { rows, domain } = byId.get(id)!;
    if (byId.has(relinkedId(id))) throw new BlockGraphError(`relink: the copy "${relinkedId(id)}" of "${id}" is already a tensor of the graph`);
    tensors.push({ id: relinkedId(id), kind: 'wire', rows, domain });
    nodes.push({ block: new RelinkBlock({ rows, domain }), bind: { x: id, y: relinkedId(id) } });
  }
  return { tensors, nodes };
}

/**
 * Refuses a graph that breaks the invariant of {@link relinkFixedRows}, naming the block and the tensor: a block
 * other than a relink reads a weight under a spec not declared `fixed`, or reads a hashed input (`hashedInputs`:
 * tensor ids); or a block's linear relations name a tensor it declares `fixed` (the row solver would then tie the
 * weight's setup blinding b₀ to per-proof rows, the leak the pass removes). Run after the pass.
 */
export function checkFixedRowsRelinked(g: BlockGraph, hashedInputs: ReadonlySet<string>): void {
  const byId = new Map(g.tensors.map((t) => [t.id, t]));
  g.nodes.forEach((node, i) => {
    if (node.block instanceof RelinkBlock) return;
    const where = `block ${i} (${node.block.foldKey})`;
    for (const spec of node.block.tensors) {
      const id = node.bind[spec.name];
      if (!readsFixedBlinding(spec, byId.get(id), hashedInputs)) continue;
      const what = hashedInputs.has(id) ? 'hashed input' : 'weight';
      throw new BlockGraphError(
        `${where}: "${spec.name}" reads ${what} "${id}" directly; its blinding is the same in every proof, so openings of it over many proofs would reveal it: read it through its relinked copy "${relinkedId(id)}"${what === 'weight' ? ' or declare it fixed' : ''}`,
      );
    }
    const fixed = new Set(node.block.tensors.filter((t) => t.fixed).map((t) => t.name));
    for (const rel of node.block.linearRelations?.() ?? [])
      for (const term of rel.terms)
        if (fixed.has(term.tensor))
          throw new BlockGraphError(
            `${where}: a linear relation names the fixed tensor "${term.tensor}" (weight "${node.bind[term.tensor]}"), which would tie its setup blinding to rows opened in every proof`,
          );
  });
}
