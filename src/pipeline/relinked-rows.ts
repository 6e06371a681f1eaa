/**
 * Relinked rows: the per-proof copy y of a fixed-blinding row x (`relink.ts`, `blocks/relink.ts`) is sent as its
 * difference from x, never committed as a wire of its own.
 *
 * **Protocol.** Honestly y = x as polynomials (both interpolate the same zero-padded row over H), so the copy's
 * commitment differs from the source's only by a multiple of Z_H: `[y + Z_H·b_y]₁ = [x + Z_H·b_x]₁ + E` with
 * `E = [Z_H·(b_y − b_x)]₁`, b_x the source's blinding fixed across proofs (a weight's setup b₀ from the proving
 * key, a hashed input's `hashedInputBlinding`) and b_y the copy's, a free row of the row-blinding solver as any
 * wire's (`row-blinding.ts`). The proof's wire section carries E in the copy's place (absorbed under
 * `relink/<id>` instead of `wire/<id>`, in the same tensor order), and prover and verifier both set
 *
 *   `[y_r]₁ = [x_r]₁ + E_r`
 *
 * from the source's commitment in the table the verifier already holds (the model commitment, bound by the
 * verifying key's digest, or the statement's commitment of a hashed input, absorbed with the statement) and E,
 * absorbed before any challenge. Every block then reads `[y_r]₁` as before. The prover's E costs an MSM of
 * `|b_y − b_x|` (2 or 3) vanishing bases, where committing y cost one over the n Lagrange bases; the proof keeps
 * its size (one G1 per row either way).
 *
 * **Soundness.** The relink block's identity is unchanged: it proves `Σ_i ρ^i·(y_i − x_i) = 0` on H for the
 * committed polynomials, with ρ drawn after E. In the algebraic group model the prover knows the polynomial e_i
 * that E_i commits, so the committed y_i is `x_i + Z_H·b_x,i + e_i` and the identity makes `Σ_i ρ^i·e_i` vanish on
 * H, hence (ρ drawn after every E) each e_i: y = x on every cell, padding included. This is the weight link's
 * argument (`blocks/weight-link.ts`: E fixed before the challenges, the quotient check making e vanish on H).
 * Sending E instead of `[y]₁` changes nothing else: the two determine each other given `[x]₁`, which both sides
 * hold before the wire section, so a prover of the former protocol and one of this one send the same information
 * and face the same checks. A copy whose cells differ from x is still sent as the commitment of its difference,
 * `E = [(y − x) + Z_H·(b_y − b_x)]₁`, which the identity then rejects: the consistent forgeries of
 * `test/pipeline/relinked-rows.test.ts` (a bias's or a hashed input's copy changed, every later tensor recomputed)
 * are rejected and verify once the identity is removed; its changed E and changed cells are rejected by the blocks
 * that read the copy already.
 *
 * **Hiding.** E is `[y]₁ − [x]₁`, a function of the former proof's `[y]₁` and the public `[x]₁`, and b_y is drawn
 * by the row solver exactly as before (one coefficient more than the points it is opened at, constrained by no relation of
 * the relink block), so the proof reveals the same distribution: `[y]₁` and the evaluations of y are blinded by the
 * fresh b_y, which E does not fix (E fixes `b_y − b_x` at τ only, and the simulator of docs/soundness.md, "Zero
 * knowledge", holds τ).
 * @module
 */
import type { BlockContext } from '../../blocks/block';
import { rowEvaluations } from '../../blocks/commit-rows';
import { rowSlot } from '../../blocks/poly-iop';
import { RelinkBlock } from '../../blocks/relink';
import type { G1Point } from '../curve';
import type { CombinationTerm } from '../engine/engine';
import { Fr } from '../field';
import { commitLagrange, commitVanishingMultiple } from '../kzg/commit';
import { sub } from '../poly/polynomial';
import { BlockGraphError, type BlockGraph } from './block-graph';
import { copyTables, type CommitmentTable } from './graph-proof';

const copies = new WeakMap<BlockGraph, ReadonlyMap<string, string>>();

/**
 * The relinked copies of `g`: the id of each relink block's output wire y, mapped to the id of the row x it copies
 * (a weight or a hashed input). A function of the graph alone; computed once per graph. A relink whose y is not a
 * wire written once, or whose x is neither a weight nor an input, is a typed error: [x]₁ must be one the verifier
 * holds before the wire section.
 */
export function relinkedRows(g: BlockGraph): ReadonlyMap<string, string> {
  let out = copies.get(g);
  if (!out) {
    const kind = new Map(g.tensors.map((t) => [t.id, t.kind]));
    const map = new Map<string, string>();
    for (const node of g.nodes) {
      if (!(node.block instanceof RelinkBlock)) continue;
      const { x, y } = node.bind;
      if (kind.get(y) !== 'wire' || map.has(y)) throw new BlockGraphError(`relink: the copy "${y}" of "${x}" must be a wire that one relink block writes`);
      // [x]₁ must be in the verifier's table before the wire section: the model commitment's or the statement's.
      if (kind.get(x) !== 'weight' && kind.get(x) !== 'input') throw new BlockGraphError(`relink: the copy "${y}" must copy a weight or an input tensor, not "${x}"`);
      map.set(y, x);
    }
    copies.set(g, (out = map));
  }
  return out;
}

/**
 * The prover's messages of the copies `relinked` (copy id → source id): for row r of copy y over H_n,
 * `E_r = [(y_r − x_r) + Z_H·(b_y − b_x)]₁`, b by global row name from `blinding` (absent: zero). Honestly
 * `y_r = x_r`, so E_r is the vanishing multiple alone; a copy that differs from its source (a tampered witness)
 * adds the commitment of the difference, so E_r is always `[y_r + Z_H·b_y]₁ − [x_r + Z_H·b_x]₁`.
 */
export async function relinkMessages(
  ctx: BlockContext,
  g: BlockGraph,
  relinked: ReadonlyMap<string, string>,
  values: Record<string, readonly (readonly bigint[])[]>,
  blinding: (row: string) => readonly bigint[] | undefined,
): Promise<CommitmentTable> {
  const out: CommitmentTable = {};
  for (const t of g.tensors) {
    const source = relinked.get(t.id);
    if (source === undefined) continue;
    out[t.id] = await Promise.all(
      values[t.id].map(async (row, r) => {
        const x = rowEvaluations(values[source][r], t.domain);
        const difference = rowEvaluations(row, t.domain).map((v, i) => Fr.sub(v, x[i]));
        const e = sub(blinding(rowSlot(t.id, r)) ?? [], blinding(rowSlot(source, r)) ?? []);
        const vanishing = await commitVanishingMultiple(ctx.kzg, t.domain, e);
        return difference.every((v) => v === 0n) ? vanishing : vanishing.add(await commitLagrange(ctx.kzg, difference));
      }),
    );
  }
  return out;
}

/**
 * `table` with every copy's rows `[y_r]₁ = [x_r]₁ + E_r`: the table holds the sources' commitments and, under each
 * copy's id, its messages E (as the wire section carries them). Computed by `Engine.combineG1` in one call,
 * returned in affine form as decoded points are.
 */
export async function withRelinkedRows(ctx: BlockContext, relinked: ReadonlyMap<string, string>, table: CommitmentTable): Promise<CommitmentTable> {
  if (relinked.size === 0) return table;
  const points: G1Point[] = [];
  for (const [copy, source] of relinked) {
    const messages = table[copy];
    const sources = table[source];
    if (!messages || !sources || messages.length !== sources.length) throw new BlockGraphError(`relink: no commitments of "${source}" to add to the copy "${copy}"`);
    for (let r = 0; r < messages.length; r++) points.push(sources[r], messages[r]);
  }
  const rows = await ctx.engine.combineG1(points, pairSums(points.length / 2));
  const out = copyTables(table);
  let k = 0;
  for (const copy of relinked.keys()) out[copy] = table[copy].map(() => rows[k++]);
  return out;
}

/** The combinations `points[2j] + points[2j+1]` for j < count, kept per count (a verifier asks the same every proof). */
const pairSumsByCount = new Map<number, readonly (readonly CombinationTerm[])[]>();
function pairSums(count: number): readonly (readonly CombinationTerm[])[] {
  let sums = pairSumsByCount.get(count);
  if (sums === undefined) {
    sums = Array.from({ length: count }, (_, j) => [
      { index: 2 * j, scalar: 1n },
      { index: 2 * j + 1, scalar: 1n },
    ]);
    // A key's copies are few; the bound keeps a long-lived process from keeping one list per count it ever saw.
    if (pairSumsByCount.size < 64) pairSumsByCount.set(count, sums);
  }
  return sums;
}
