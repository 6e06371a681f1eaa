/**
 * Derived rows: the wire rows the verifier computes from other commitments instead of reading them from a proof.
 *
 * **Protocol.** A block with linear relations (`Block.linearRelations`, with their public side
 * `Block.linearRelationsPublic`) checks, per relation, `Σ_t k_t·[row_t]₁ = P`. For each such block the pipeline
 * chooses, from the block graph alone, at most one OUTPUT tensor `o` of the block that the relations determine:
 * a wire (never a model input or output, which the statement fixes, never a weight, never a private or hashed
 * tensor, which are inputs or outputs), every row of it named by exactly one relation of the block, with a
 * coefficient `k_o` invertible in Fr (non-zero mod r), no other row of `o` in that relation, not derived already,
 * and not closing a cycle of derivations (a derived tensor may read another derived one; they are computed in
 * dependency order). Among the eligible outputs it takes the one of smallest `|k_o|`, the first in the block's
 * tensor order on ties (the differences of max, the remainder of rescale and the low limb of a limb split: `k_o =
 * −1`, so deriving costs no full scalar multiplication). The prover sends no commitment of `o`'s rows; prover and
 * verifier both set
 *
 *   `[o_r]₁ = k_o^(−1)·(P − Σ_{t ≠ o} k_t·[row_t]₁)`
 *
 * from the wire table (sent rows, the statement's commitments, the model commitment), and every block that reads
 * `o` reads that commitment. A block whose only check is its linear relations (`Block.linearOnly`: elementwise
 * sums and scalings, rescale, limb split) and whose every relation derives a row is left out of the argument: its
 * check holds by construction. A block with other checks (max and argmax with their residual, a ReLU with its slack
 * identity) whose every relation derives a row stays, without the check of its relations (`relationsDerived`,
 * `BlockContext.relationsDerived`, `PolyIopBlock.linearCheck`): it would hold by construction, a check that cannot
 * fail.
 *
 * **Soundness.** The derived commitment is a deterministic function of data the transcript has absorbed (the
 * statement, the verifying key, the sent wires), so leaving it out of the transcript binds nothing less; and it is
 * the unique point that satisfies the relation with the other rows, so every relation used for derivation holds
 * by construction. A prover of the former protocol (every wire sent, every relation checked) that passes the
 * relation must have sent exactly this point; conversely any proof accepted now is one of the former protocol
 * with the derived points inserted, accepted by its checks. Dropping a linear-only block, or the linear check of a
 * block with other checks, removes only checks that hold by construction; its row constraints (ranges of a rescale's remainder and quotient, of a limb) are proven
 * by the lookup blocks, which read the derived commitment. An honest prover's derived commitment is the one it
 * would have sent: its rows satisfy the relation as polynomials on H (zero padding included) and the row
 * blindings solve `Σ_t k_t·b_t = 0` for every relation (`row-blinding.ts`), so `[o_r]₁ = [o_r + Z_H·b_o]₁` with
 * exactly the blinding `b_o = −k_o^(−1)·Σ_{t ≠ o} k_t·b_t` the solver assigned, and the openings it gives with
 * that blinding match.
 *
 * **Hiding.** The verifier learns nothing it could not compute before: the derived point is the commitment the
 * former protocol sent, a function of the points it already holds.
 * @module
 */
import type { Block, BlockContext } from '../../blocks/block';
import { linearPublicCommitment, linearPublicSelector } from '../../blocks/linear-relation';
import type { DerivedRowRelation } from '../../blocks/model-argument';
import { rowSlot } from '../../blocks/poly-iop';
import type { G1Point } from '../curve';
import type { CombinationTerm } from '../engine/engine';
import { Fr, frFromSigned } from '../field';
import type { BlockGraph } from './block-graph';
import { copyTables, type CommitmentTable } from './graph-proof';

/** `[o_r]₁ = Σ_t scalar_t·[tensor_t row_t]₁ + publicScalar·P`: row r of a derived tensor, scalars in Fr. */
export interface DerivedRow {
  readonly terms: readonly { readonly tensor: string; readonly row: number; readonly scalar: bigint }[];
  readonly publicScalar: bigint;
}

/** A tensor the verifier derives: its global id, the block whose relations define it, and each row's combination. */
export interface DerivedTensor {
  readonly id: string;
  readonly block: Block;
  readonly rows: readonly DerivedRow[];
}

/** The derived tensors of a block graph and the graph its model argument proves. */
export interface DerivedRows {
  /** In dependency order: a tensor comes after every derived tensor it reads. */
  readonly tensors: readonly DerivedTensor[];
  /** Their ids: the wires whose rows a proof does not send. */
  readonly ids: ReadonlySet<string>;
  /** The graph (same tensors) without the linear-only blocks whose every relation derives a row. */
  readonly argument: BlockGraph;
  /**
   * The indices in `argument.nodes` of the other blocks whose every relation derives a row (a max's or argmax's
   * differences, a max with a constant's slack): the argument asks them for their spec without the check of those
   * relations (`BlockContext.relationsDerived`, `PolyIopBlock.linearCheck`), which would hold by construction.
   */
  readonly relationsDerived: ReadonlySet<number>;
}

const plans = new WeakMap<BlockGraph, DerivedRows>();

/** The derived tensors of `g` (module comment), a function of the graph alone; computed once per graph. */
export function derivedRows(g: BlockGraph): DerivedRows {
  let plan = plans.get(g);
  if (!plan) plans.set(g, (plan = choose(g)));
  return plan;
}

interface Candidate extends DerivedTensor {
  /** The largest `|k_o|` over its rows: the cost of deriving it. */
  readonly weight: bigint;
  /** The tensors its rows read. */
  readonly reads: ReadonlySet<string>;
}

function choose(g: BlockGraph): DerivedRows {
  const kind = new Map(g.tensors.map((t) => [t.id, t.kind]));
  const chosen = new Map<string, Candidate>();
  const dropped = new Set<number>();
  const derivesAll = new Set<number>();
  g.nodes.forEach((node, i) => {
    const { block } = node;
    const relations = block.linearRelations?.() ?? [];
    if (relations.length === 0 || !block.linearRelationsPublic) return;
    const global = relations.map((rel) => rel.terms.map((t) => ({ tensor: node.bind[t.tensor], row: t.row, coeff: t.coeff })));
    let best: Candidate | undefined;
    for (const spec of block.tensors) {
      const id = node.bind[spec.name];
      if (spec.role !== 'output' || kind.get(id) !== 'wire' || chosen.has(id)) continue;
      const c = candidate(block, id, spec.rows, global);
      if (c && !closesCycle(c, chosen) && (!best || c.weight < best.weight)) best = c;
    }
    if (!best) return;
    chosen.set(best.id, best);
    if (best.rows.length === relations.length) (block.linearOnly ? dropped : derivesAll).add(i);
  });
  const tensors = dependencyOrder(chosen);
  const kept = g.nodes.flatMap((_, i) => (dropped.has(i) ? [] : [i]));
  return {
    tensors: tensors.map(({ id, block, rows }) => ({ id, block, rows })),
    ids: new Set(chosen.keys()),
    argument: dropped.size === 0 ? g : { tensors: g.tensors, nodes: kept.map((i) => g.nodes[i]) },
    relationsDerived: new Set(kept.flatMap((i, k) => (derivesAll.has(i) ? [k] : []))),
  };
}

type GlobalTerm = { readonly tensor: string; readonly row: number; readonly coeff: bigint };

/**
 * Tensor `id` (of `rows` rows) as derived by the relations `global` (terms over global ids), or undefined when a
 * row of it is in no relation or in two, a relation names two of its rows, or its coefficient is 0 mod r.
 */
function candidate(block: Block, id: string, rows: number, global: readonly (readonly GlobalTerm[])[]): Candidate | undefined {
  const out: (DerivedRow | undefined)[] = new Array(rows).fill(undefined);
  const reads = new Set<string>();
  let weight = 0n;
  for (const terms of global) {
    const own = terms.filter((t) => t.tensor === id);
    if (own.length === 0) continue;
    const row = own[0].row;
    const k = own.reduce((acc, t) => acc + t.coeff, 0n);
    if (!Number.isInteger(row) || row < 0 || row >= rows || own.some((t) => t.row !== row) || out[row] !== undefined || frFromSigned(k) === 0n) return undefined;
    const inverse = Fr.inv(frFromSigned(k));
    const others = terms.filter((t) => t.tensor !== id);
    for (const t of others) reads.add(t.tensor);
    out[row] = { terms: others.map((t) => ({ tensor: t.tensor, row: t.row, scalar: Fr.mul(Fr.neg(frFromSigned(t.coeff)), inverse) })), publicScalar: inverse };
    const size = k < 0n ? -k : k;
    if (size > weight) weight = size;
  }
  if (out.some((r) => r === undefined)) return undefined;
  return { id, block, rows: out as DerivedRow[], weight, reads };
}

/** Whether deriving `c` would make a derived tensor read itself through the derived tensors `c` reads. */
function closesCycle(c: Candidate, chosen: ReadonlyMap<string, Candidate>): boolean {
  const seen = new Set<string>();
  const stack = [...c.reads];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === c.id) return true;
    const d = chosen.get(id);
    if (!d || seen.has(id)) continue;
    seen.add(id);
    stack.push(...d.reads);
  }
  return false;
}

/** The chosen tensors, each after the derived tensors it reads (depth first, in choice order: deterministic). */
function dependencyOrder(chosen: ReadonlyMap<string, Candidate>): Candidate[] {
  const order: Candidate[] = [];
  const placed = new Set<string>();
  const place = (c: Candidate): void => {
    if (placed.has(c.id)) return;
    placed.add(c.id);
    for (const id of c.reads) {
      const d = chosen.get(id);
      if (d) place(d);
    }
    order.push(c);
  };
  for (const c of chosen.values()) place(c);
  return order;
}

/**
 * `table` completed with every derived tensor's rows, `[o_r]₁ = Σ_t s_t·[row_t]₁ + s_P·P` (P the deriving block's
 * public side, computed once per block and key). The scalars are read as signed integers (all of them small on the
 * bundled models: ±1 and the blocks' `2^k`), so a row costs a few point additions and doublings, no MSM. The rows
 * are computed by `Engine.combineG1`, one call per level of the dependency order (a level's tensors read only
 * the table and derived tensors of earlier levels), which returns them in affine form, as decoded points are.
 */
export async function deriveCommitments(plan: DerivedRows, ctx: BlockContext, table: CommitmentTable): Promise<CommitmentTable> {
  const out = copyTables(table);
  for (const level of combinationLevels(plan)) {
    const points: G1Point[] = [];
    for (const p of level.points) points.push(p.block ? await publicSide(p.block, ctx) : out[p.tensor][p.row]);
    const rows = await ctx.engine.combineG1(points, level.combinations);
    let k = 0;
    for (const d of level.tensors) out[d.id] = d.rows.map(() => rows[k++]);
  }
  return out;
}

/** One level of the derived rows as one `combineG1` call: the points it reads (a block's public side or a table row), and each row's terms. */
interface CombinationLevel {
  readonly tensors: readonly DerivedTensor[];
  readonly points: readonly ({ readonly block: Block } | { readonly block?: undefined; readonly tensor: string; readonly row: number })[];
  readonly combinations: readonly (readonly CombinationTerm[])[];
}

const combinationPlans = new WeakMap<DerivedRows, readonly CombinationLevel[]>();

/** The levels of a plan as `combineG1` calls, built once per plan: a verifier derives the same rows of every proof. */
function combinationLevels(plan: DerivedRows): readonly CombinationLevel[] {
  const known = combinationPlans.get(plan);
  if (known !== undefined) return known;
  const out = levels(plan.tensors).map((tensors): CombinationLevel => {
    const points: CombinationLevel['points'][number][] = [];
    const indexOf = new Map<Block | string, number>();
    const index = (key: Block | string, point: CombinationLevel['points'][number]): number => {
      let i = indexOf.get(key);
      if (i === undefined) indexOf.set(key, (i = points.push(point) - 1));
      return i;
    };
    const combinations: CombinationTerm[][] = [];
    for (const d of tensors) {
      const P = index(d.block, { block: d.block });
      for (const row of d.rows) combinations.push([{ index: P, scalar: row.publicScalar }, ...row.terms.map((t) => ({ index: index(rowSlot(t.tensor, t.row), { tensor: t.tensor, row: t.row }), scalar: t.scalar }))]);
    }
    return { tensors, points, combinations };
  });
  combinationPlans.set(plan, out);
  return out;
}

/** The derived tensors (in dependency order) by level: one more than the highest level of the derived tensors a tensor reads, 0 if it reads none. */
function levels(tensors: readonly DerivedTensor[]): DerivedTensor[][] {
  const levelOf = new Map<string, number>();
  const out: DerivedTensor[][] = [];
  for (const d of tensors) {
    let l = 0;
    for (const row of d.rows) for (const t of row.terms) l = Math.max(l, (levelOf.get(t.tensor) ?? -1) + 1);
    levelOf.set(d.id, l);
    (out[l] ??= []).push(d);
  }
  return out;
}

/** Each block's public side P by KZG key: a function of both alone, and a scalar multiple of a selector commitment to compute. */
const publicSides = new WeakMap<Block, WeakMap<object, Promise<G1Point>>>();

function publicSide(block: Block, ctx: BlockContext): Promise<G1Point> {
  let byKey = publicSides.get(block);
  if (!byKey) publicSides.set(block, (byKey = new WeakMap()));
  let p = byKey.get(ctx.kzg);
  if (!p) byKey.set(ctx.kzg, (p = linearPublicCommitment(ctx.kzg, block.linearRelationsPublic!())));
  return p;
}

/**
 * Every derived row as a relation of the model argument, `o_r = Σ_t s_t·row_t + s_P·P` as polynomials (P's
 * polynomial the deriving block's public selector times its constant): the argument evaluates `o_r` at ζ from the
 * others' values when it opens them all there, instead of reading the value from the proof (`blocks/poly-iop.ts`,
 * "Derived evaluations"). In dependency order, as the rows are derived.
 */
export function derivedRowRelations(plan: DerivedRows): DerivedRowRelation[] {
  return plan.tensors.flatMap((d) => {
    const side = d.block.linearRelationsPublic!();
    const selector = linearPublicSelector(side);
    return d.rows.map((row, r) => ({
      row: rowSlot(d.id, r),
      terms: row.terms.map((t) => ({ row: rowSlot(t.tensor, t.row), scalar: t.scalar })),
      ...(selector && { publics: [{ poly: selector, scalar: Fr.mul(row.publicScalar, frFromSigned(side.constant)) }] }),
    }));
  });
}
