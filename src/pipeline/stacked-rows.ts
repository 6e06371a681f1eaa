/**
 * Stacked rows: the wire rows a proof sends k at a time, as one commitment `[C]₁` with `C(X) = Σ_{j<k} X^j·t_j(X^k)`
 * (`src/kzg/stack.ts`), instead of one commitment per row.
 *
 * **Which rows.** A row can be stacked when the verifier needs nothing of its commitment but openings: it is a sent
 * wire row (not derived, not a relinked copy or the source of one), the model argument opens it as a plain oracle
 * evaluated at ζ (not linearized, its value not derived from others'), and nothing reads its commitment otherwise:
 * - no block that is not a poly-IOP (its protocol may read any statement slot), and no poly-IOP block whose statement
 *   holds anything but its rows' commitments, or whose derived steps compute a G1 point other than a declared
 *   combination (a linear check's residual, for one): those blocks' rows are never stacked;
 * - no combination (`Oracle.combination`, read with its challenges set to 1: its slots depend on none), no equation and
 *   no vanishing claim of the argument;
 * - no derived row whose commitment the verifier needs (`derived-rows.ts`): one opened at a point with its value sent,
 *   linearized, or read as above, and every derived row such a row reads.
 * A derived row that reads a stacked row is then never computed: its value at ζ is (the argument derives it from its
 * terms' values), and nothing else reads it.
 *
 * **Which stacks.** The rows are grouped by domain and by the points the argument opens them at (a stack is opened at
 * every point of its rows, and each row's value there is sent), in tensor order, k rows a stack with
 * `k = ⌊L/(n + c)⌋` for rows of n cells blinded with c coefficients, L the larger of the largest domain and
 * {@link STACK_MIN_LENGTH}, at most the key's powers of τ: so a stack is no longer than the polynomials the opening
 * already divides, on every model but the smallest, where L keeps its stacks few. A group of fewer than 2 rows per
 * stack stays unstacked. All stacks of a group have its k places (the last one's trailing places hold zero), so the
 * argument opens them together, one division per point and size.
 *
 * **Soundness** is the model argument's with `[t_j]₁` replaced by their stack: `[C]₁` binds each t_j (C has one
 * decomposition), is absorbed where the rows' commitments were, before any challenge, and the opening proves each t_j's
 * value modulo `X^k − z` (`src/kzg/multi-open.ts`). What the verifier no longer computes (the stacked rows'
 * commitments, the derived rows that read them) is read by nothing: the argument refuses a slot without commitment in
 * any opening, equation or claim (`blocks/poly-iop.ts`, "Stacks"), and a derived step that reads one fails, as any read
 * of a missing slot does. **Hiding** is unchanged: each row is blinded as before (`t_j + Z_H·b_j`, b_j of one
 * coefficient more than its points), and `[C]₁` with the values at the points is a function of those blindings as
 * the rows' commitments were.
 * @module
 */
import type { Block, BlockContext } from '../../blocks/block';
import { memberSlot, type CommitmentName } from '../../blocks/model-argument';
import { oracleOpenings, rowSlot, slotRow, type OracleStack, type PolyIopSpec } from '../../blocks/poly-iop';
import type { SlotValues } from '../equations/equation';
import type { BlockGraph } from './block-graph';
import { stackLabel } from './graph-proof';
import type { DerivedRows } from './derived-rows';

/**
 * The shortest stacked polynomial a stack may reach (in coefficients): a model whose largest domain is smaller still
 * stacks up to this many, so that its rows take few stacks (the opening's polynomials grow to about this length).
 */
export const STACK_MIN_LENGTH = 1024;

/** One stack: its statement slot, the global rows in its places, their domain and the argument's oracles that open them. */
export interface RowStack {
  readonly commitment: string;
  readonly rows: readonly string[];
  readonly domain: number;
  readonly oracles: readonly string[];
  readonly size: number;
}

/** The stacked rows of a model argument ({@link stackedRows}). */
export interface StackedRows {
  /** In order: the proof sends their commitments after the unstacked wires'. */
  readonly stacks: readonly RowStack[];
  /** The global rows in some stack. */
  readonly rows: ReadonlySet<string>;
  /** The derived tensors the verifier cannot compute (they read a stacked row) and never needs. */
  readonly underived: ReadonlySet<string>;
  /** The argument's spec with its stacks and uncommitted slots. */
  readonly spec: PolyIopSpec;
}

/** What {@link stackedRows} reads of the model. */
export interface StackingInput {
  /** The model's graph (every tensor), its derived rows and the ids of its relinked copies and their sources. */
  readonly graph: BlockGraph;
  readonly derived: DerivedRows;
  readonly relinked: ReadonlyMap<string, string>;
  /** The argument's spec without stacks, its row naming and the context its blocks were asked for specs with. */
  readonly spec: PolyIopSpec;
  readonly nameOf: CommitmentName;
  readonly ctx: BlockContext;
  /** The blinding coefficients of a free row. */
  readonly coefficients: (row: string) => number;
}

/**
 * The rows of a model argument that a proof sends stacked, its stacks, and the spec that opens them (module comment).
 * A function of the key alone: prover and verifier compute the same.
 */
export function stackedRows(input: StackingInput): StackedRows {
  const { graph, derived, relinked, spec, nameOf, ctx } = input;
  const blocks = derived.argument.nodes.map((n) => n.block);
  const rowOf = (slot: string): string | undefined => {
    const m = memberSlot(slot);
    return m === undefined ? undefined : nameOf(m.member, m.slot);
  };
  const read = homomorphicReads(spec, blocks, ctx, rowOf);
  // The oracle opening each row as its own commitment (the merged one: one per row and domain).
  const oracleOfRow = new Map<string, string[]>();
  for (const o of spec.oracles) {
    if (o.combination || o.public) continue;
    const row = rowOf(o.commitment);
    if (row !== undefined) (oracleOfRow.get(row) ?? oracleOfRow.set(row, []).get(row)!).push(o.name);
  }
  // Whole tensors: the wire section sends a tensor's rows together, stacked or not.
  const derivedIds = new Set(derived.tensors.map((d) => d.id));
  const copiedFrom = new Set(relinked.values());
  const rowsOf = (t: { id: string; rows: number }) => Array.from({ length: t.rows }, (_, r) => rowSlot(t.id, r));
  let tensors = graph.tensors.filter((t) => {
    if (t.kind !== 'wire' || derivedIds.has(t.id) || relinked.has(t.id) || copiedFrom.has(t.id)) return false;
    return rowsOf(t).every((row) => oracleOfRow.get(row)?.length === 1 && !read.has(row));
  });
  const length = Math.min(Math.max(...spec.oracles.map((o) => o.domain), STACK_MIN_LENGTH), ctx.kzg.maxDegree + 1);
  // A fixpoint: stacked rows are evaluated, never linearized, which may let more derived rows' values be derived (and
  // their terms stacked) or leave a group too small to stack (and its rows linearized again); each round keeps a
  // subset of the last one's tensors, so it ends.
  // A derived row's oracle is asked evaluated too, so that its value is derived rather than its commitment linearized
  // (which would need its terms' commitments), unless its value cannot be derived.
  let evaluatedDerived = new Set(derived.tensors.flatMap((d) => d.rows.flatMap((_, r) => oracleOfRow.get(rowSlot(d.id, r)) ?? [])));
  for (;;) {
    const openings = oracleOpenings(spec, new Set([...tensors.flatMap((t) => rowsOf(t).map((row) => oracleOfRow.get(row)![0])), ...evaluatedDerived]));
    const derivable = new Set([...evaluatedDerived].filter((o) => openings.get(o)!.derived));
    if (derivable.size < evaluatedDerived.size) {
      evaluatedDerived = derivable;
      continue;
    }
    const needed = neededDerivedRows(derived, read, (row) => (oracleOfRow.get(row) ?? []).some((o) => openings.get(o)!.points.length > 0 || openings.get(o)!.linearized));
    const pointsOf = (row: string) => openings.get(oracleOfRow.get(row)![0])!.points;
    const kept = tensors.filter((t) => rowsOf(t).every((row) => !needed.has(row) && pointsOf(row)[0] === 'zeta'));
    // Rows by domain and points, in tensor order; k rows a stack (the blinding's coefficients lengthen each row).
    const groups = new Map<string, { domain: number; rows: string[] }>();
    for (const t of kept)
      for (const row of rowsOf(t)) {
        const key = `${t.domain}|${pointsOf(row).join(',')}`;
        (groups.get(key) ?? groups.set(key, { domain: t.domain, rows: [] }).get(key)!).rows.push(row);
      }
    const sizes = new Map([...groups].map(([key, g]) => [key, Math.min(g.rows.length, Math.floor(length / (g.domain + Math.max(...g.rows.map(input.coefficients)))))]));
    const stacked = new Set([...groups].flatMap(([key, g]) => (sizes.get(key)! >= 2 ? g.rows : [])));
    const next = kept.filter((t) => rowsOf(t).every((row) => stacked.has(row)));
    if (next.length < tensors.length) {
      tensors = next;
      continue;
    }
    const stacks: RowStack[] = [];
    for (const [key, g] of groups) {
      const k = sizes.get(key)!;
      for (let i = 0; i < g.rows.length; i += k) {
        const placed = g.rows.slice(i, i + k);
        stacks.push({ commitment: stackLabel(stacks.length), rows: placed, domain: g.domain, oracles: placed.map((row) => oracleOfRow.get(row)![0]), size: k });
      }
    }
    return withStacks({ ...spec, evaluated: [...evaluatedDerived] }, stacks, derived, rowOf);
  }
}

/**
 * The derived rows whose commitment the verifier needs, and every row such a row reads (reverse dependency order): a
 * derived row read as a commitment (`read`) or opened by the argument (`opened`: at a point with its value sent, or
 * linearized).
 */
function neededDerivedRows(derived: DerivedRows, read: ReadonlySet<string>, opened: (row: string) => boolean): Set<string> {
  const needed = new Set<string>();
  for (const d of [...derived.tensors].reverse())
    d.rows.forEach((r, i) => {
      const row = rowSlot(d.id, i);
      if (!needed.has(row) && !read.has(row) && !opened(row)) return;
      needed.add(row);
      for (const t of r.terms) needed.add(rowSlot(t.tensor, t.row));
    });
  return needed;
}

/** The stacked rows of `stacks`: the derived rows they leave uncomputed, and the spec with the stacks and uncommitted slots. */
function withStacks(spec: PolyIopSpec, stacks: readonly RowStack[], derived: DerivedRows, rowOf: (slot: string) => string | undefined): StackedRows {
  const stacked = new Set(stacks.flatMap((s) => s.rows));
  // A derived row reading a stacked (or underived) row is not computed; by the choice above it is not needed.
  const underived = new Set<string>();
  for (const d of derived.tensors)
    if (d.rows.some((r) => r.terms.some((t) => stacked.has(rowSlot(t.tensor, t.row)) || underived.has(t.tensor)))) underived.add(d.id);
  const uncommitted = spec.statement.flatMap((decl) => {
    const row = rowOf(decl.name);
    if (row === undefined) return [];
    return stacked.has(row) || underived.has(slotRow(row).tensor) ? [decl.name] : [];
  });
  const oracleStacks: OracleStack[] = stacks.map((s) => ({ commitment: s.commitment, oracles: s.oracles, size: s.size }));
  return { stacks, rows: stacked, underived, spec: stacks.length === 0 ? spec : { ...spec, stacks: oracleStacks, uncommitted } };
}

/**
 * The global rows whose commitment something of the argument reads besides an oracle opening it as its own: every row
 * of a block that is not a poly-IOP, or whose statement holds something else than its rows' commitments (a slot with no
 * row name), or whose rounds derive a G1 point that no combination or public oracle declares; every row a combination
 * reads (its challenges set to 1), or an equation or a vanishing claim.
 */
function homomorphicReads(spec: PolyIopSpec, blocks: readonly Block[], ctx: BlockContext, rowOf: (slot: string) => string | undefined): Set<string> {
  const out = new Set<string>();
  const readAll = new Set<number>();
  blocks.forEach((b, i) => {
    if (!(b.iopSpec && b.iopProver)) readAll.add(i);
  });
  const member = (slot: string) => memberSlot(slot)?.member;
  for (const d of spec.statement) if (d.sort === 'g1' && rowOf(d.name) === undefined && member(d.name) !== undefined) readAll.add(member(d.name)!);
  const declared = new Set(spec.oracles.filter((o) => o.combination || o.public).map((o) => o.commitment));
  const g1 = new Set(spec.slots.filter((d) => d.sort === 'g1').map((d) => d.name));
  for (const step of spec.rounds)
    if (step.kind === 'derived') for (const slot of step.slots) if (g1.has(slot) && !declared.has(slot) && member(slot) !== undefined) readAll.add(member(slot)!);
  for (const d of spec.statement) {
    const m = member(d.name);
    const row = rowOf(d.name);
    if (m !== undefined && row !== undefined && readAll.has(m)) out.add(row);
  }
  // A combination's slots are a function of the block's shape, its scalars of the challenges: read with every challenge
  // set to 1. A combination whose slots depended on its challenges could be missed here; a stacked row it read would then
  // fail the honest proof on the missing slot (never accept a false one).
  const ones: SlotValues = new Proxy({}, { get: () => 1n, has: () => true });
  for (const o of spec.oracles) {
    if (!o.combination) continue;
    let slots: readonly string[];
    try {
      slots = o.combination(ones).slots;
    } catch {
      // A combination that cannot be read with unit challenges may read any row of its block.
      const m = member(o.commitment);
      for (const d of spec.statement) if (m !== undefined && member(d.name) === m) addRow(out, rowOf(d.name));
      continue;
    }
    for (const slot of slots) addRow(out, rowOf(slot));
  }
  for (const eq of spec.equations?.(ctx.kzg) ?? []) if (eq.kind === 'pairing') for (const t of eq.terms) if (typeof t.g1 === 'string') addRow(out, rowOf(t.g1));
  for (const c of spec.vanishingClaims ?? []) for (const t of c.terms) if (typeof t.commitment === 'string') addRow(out, rowOf(t.commitment));
  return out;
}

function addRow(out: Set<string>, row: string | undefined): void {
  if (row !== undefined) out.add(row);
}
