/**
 * The common part of a block proven by its own poly-IOP (`blocks/poly-iop.ts`): its protocol, its statement (one
 * commitment per row of each tensor) and its prover all come from one spec, so a built-in block gives only the spec
 * and its side of the prover, and the model-level argument merges the same spec with the other blocks'.
 * @module
 */
import type { G1Point } from '../src/curve';
import type { Equation, SlotValues } from '../src/equations/equation';
import { Fr, frFromSigned } from '../src/field';
import type { BlockContext, OpeningRotations, TensorSpec, Tensors } from './block';
import { distinctOpeningPoints, type OpeningPoint } from './opening-point';
import type { LinearCheckParts, LinearRelation } from './linear-relation';
import { committedRotations, oraclesRead, polyIopProtocol, polyIopProver, rowSlot, rowStatement, type Identity, type IdentityTerm, type PolyIopProver, type PolyIopSpec } from './poly-iop';
import type { Protocol } from './protocol';
import type { MessageSource } from './schedule';
import { BlockfoldError } from '../src/errors';

/** A block whose whole protocol is the compiled {@link PolyIopSpec} `spec`. */
export abstract class PolyIopBlock {
  abstract readonly tensors: readonly TensorSpec[];
  protected abstract readonly spec: PolyIopSpec;

  /** The block's side of the poly-IOP prover: its own rounds and its oracles' polynomials. */
  abstract iopProver(ctx: BlockContext, tensors: Tensors): PolyIopProver;

  /** The compiled spec (slots, schedule, equations). */
  protocol(ctx: BlockContext): Protocol {
    checkFixedRowsNotRead(this.spec, this.tensors);
    return polyIopProtocol(this.spec, ctx.kzg, ctx.engine);
  }

  /** The statement: each tensor's row commitments under the slot names `t/i`. */
  statement(commitments: Readonly<Record<string, readonly G1Point[]>>): SlotValues {
    return rowStatement(this.tensors, commitments);
  }

  /**
   * The parts of {@link PolyIopBlock.spec} that check the block's `linearRelations` and nothing else, which a caller
   * that derives a row of every relation (`BlockContext.relationsDerived`) leaves out; undefined when it has none.
   */
  protected linearCheck?(): LinearCheckParts | undefined;

  private withoutCheck: PolyIopSpec | undefined;

  /**
   * The spec the poly-IOP compiler compiles (the model-level argument merges it with other blocks'): without the
   * parts of {@link PolyIopBlock.linearCheck} when `ctx.relationsDerived` ({@link withoutLinearCheck}).
   */
  iopSpec(ctx?: BlockContext): PolyIopSpec {
    const parts = ctx?.relationsDerived ? this.linearCheck?.() : undefined;
    if (!parts) return this.spec;
    const relations = (this as { linearRelations?(): readonly LinearRelation[] }).linearRelations?.() ?? [];
    return (this.withoutCheck ??= withoutLinearCheck(this.spec, parts, relations));
  }

  /** The block's message source: its rounds, then the compiler's tail. */
  prover(ctx: BlockContext, tensors: Tensors): MessageSource {
    checkFixedRowsNotRead(this.spec, this.tensors);
    return polyIopProver(this.spec, ctx, this.iopProver(ctx, tensors));
  }

  /** Where its spec opens polynomials besides ζ, from the spec ({@link specOpeningRotations}). */
  openingRotations(): OpeningRotations {
    return specOpeningRotations(this.spec, this.tensors);
  }
}

/**
 * Where a spec opens its committed polynomials besides ζ, from {@link committedRotations} (one count per committed
 * polynomial, so the key's size and the prover's blinding count alike): a tensor's rotations are the union over its
 * rows' statement slots, and `ownPoints` is the most points at which a polynomial the block commits itself (a message
 * or derived slot) is opened. A combination read rotated counts for every row of the block, its slots being known
 * only with its challenges (`committedRotations`).
 */
export function specOpeningRotations(spec: PolyIopSpec, tensors: readonly TensorSpec[]): OpeningRotations {
  const tensorOf = new Map(tensors.flatMap((t) => Array.from({ length: t.rows }, (_, r) => [rowSlot(t.name, r), t.name] as const)));
  const rows = new Map<string, OpeningPoint[]>();
  let ownPoints = 1;
  for (const [slot, ss] of committedRotations(spec)) {
    const tensor = tensorOf.get(slot);
    if (tensor === undefined) ownPoints = Math.max(ownPoints, 1 + ss.length);
    else if (ss.length > 0) (rows.get(tensor) ?? rows.set(tensor, []).get(tensor)!).push(...ss);
  }
  return { rows: Object.fromEntries([...rows].map(([t, ss]) => [t, distinctOpeningPoints(ss)])), ownPoints };
}

/**
 * Refuses a spec with an oracle committed in a row of a `fixed` tensor (a weight committed at setup): that row's
 * blinding is the setup's, the same in every proof, so its evaluations over many proofs (at ζ or rotated; and a
 * linearized read today can be an evaluated one in a model argument that merges it with another member's) would
 * reveal the weight. A fixed tensor is read through a weight link (`blocks/weight-link.ts`): an oracle combining its
 * rows with a message the block blinds afresh in each proof.
 */
export function checkFixedRowsNotRead(spec: PolyIopSpec, tensors: readonly TensorSpec[]): void {
  const fixed = new Map(tensors.filter((t) => t.fixed).flatMap((t) => Array.from({ length: t.rows }, (_, r) => [rowSlot(t.name, r), t.name] as const)));
  const direct = spec.oracles.find((o) => fixed.has(o.commitment));
  if (direct)
    throw new BlockfoldError('BLOCK', `${spec.foldKey}: oracle "${direct.name}" is the fixed tensor "${fixed.get(direct.commitment)}" itself; its setup blinding is the same in every proof, so read it through a weight link (blocks/weight-link.ts), never opened directly`);
}

/**
 * `spec` without `parts`, the check of its block's linear relations `relations` (a caller derives a row of each, so
 * the check could not fail). Only such a check may go, so a {@link BlockfoldError} refuses parts that are not one:
 * - a slot that is not a challenge or derived slot of the spec, or that a kept step, identity, sum, vanishing claim,
 *   equation or shared challenge reads or writes;
 * - a step that is not the spec's or writes a slot outside the parts;
 * - an identity that is not the spec's or does not restate one of `relations`: its terms must be constants, public
 *   polynomials, and statement rows read unrotated and uncomposed whose coefficients are those of the relation's terms times one
 *   scalar (the public side is not compared: the derived row carries the relation's own);
 * - an equation the spec does not have, or one that reads a slot outside the parts.
 * Oracles only the left-out identities read go with them.
 */
export function withoutLinearCheck(spec: PolyIopSpec, parts: LinearCheckParts, relations: readonly LinearRelation[]): PolyIopSpec {
  const refuse = (what: string): never => {
    throw new BlockfoldError('BLOCK', `${spec.foldKey}: the linear check's ${what}`);
  };
  const slots = new Set(parts.slots);
  for (const name of slots) {
    const origin = spec.slots.find((d) => d.name === name)?.origin;
    if (origin !== 'challenge' && origin !== 'derived') refuse(`slot "${name}" is not a challenge or derived slot of the spec`);
  }
  const steps = new Set(parts.steps);
  for (const step of steps) if (!spec.rounds.includes(step) || step.slots.some((name) => !slots.has(name))) refuse(`step [${step.slots.join(', ')}] is not the spec's or writes a slot outside the check`);
  const rounds = spec.rounds.filter((step) => !steps.has(step));
  const identities = new Set(parts.identities);
  const kept = spec.identities.filter((i) => !identities.has(i.name));
  const sums = spec.sums ?? [];
  const keptReads = [
    ...rounds.flatMap((step) => step.slots),
    ...[...kept.flatMap((i) => i.terms), ...sums.flatMap((c) => [...c.summand, ...(c.total ?? [])])].flatMap(scalarSlots),
    ...(spec.vanishingClaims ?? []).flatMap((c) => [c.point, ...c.terms.flatMap((t) => [...t.scalars, ...(typeof t.commitment === 'string' ? [t.commitment] : [])])]),
    ...(spec.sharedChallenges ?? []),
  ];
  for (const name of keptReads) if (slots.has(name)) refuse(`slot "${name}" is read or written outside the check`);
  const rowOf = new Map(spec.oracles.filter((o) => spec.statement.some((d) => d.name === o.commitment)).map((o) => [o.name, o.commitment]));
  for (const name of identities) {
    const id = spec.identities.find((i) => i.name === name);
    if (!id || !restates(id, rowOf, relations)) refuse(`identity "${name}" is not the spec's or restates none of its block's linear relations`);
  }
  const read = oraclesRead([...kept, ...sums.map((c) => ({ name: c.name, domain: c.domain, terms: [...c.summand, ...(c.total ?? [])] }))]);
  for (const r of spec.oracleRelations ?? []) for (const name of [r.oracle, ...r.terms.map((t) => t.oracle)]) read.add(name);
  const named = new Set(parts.equations);
  const equations = spec.equations;
  if (named.size > 0 && !equations) refuse(`equations [${parts.equations.join(', ')}] are not the spec's`);
  return {
    ...spec,
    slots: spec.slots.filter((d) => !slots.has(d.name)),
    rounds,
    // A statement row only the left-out identities read is not opened by this block (another may open it).
    oracles: spec.oracles.filter((o) => read.has(o.name)),
    identities: kept,
    ...(equations && {
      equations: (kzg) => {
        const all = equations(kzg);
        for (const name of named) if (!all.some((e) => e.name === name)) refuse(`equation "${name}" is not the spec's`);
        for (const e of all) for (const slot of equationSlots(e)) if (named.has(e.name) !== slots.has(slot)) refuse(`equation "${e.name}" reads "${slot}" across the check's boundary`);
        return all.filter((e) => !named.has(e.name));
      },
    }),
  };
}

/** The slots an equation reads: its G1 slots and the scalars of its terms. */
function equationSlots(e: Equation): string[] {
  return e.terms.flatMap((t) => [...t.scalars, ...('g1' in t && typeof t.g1 === 'string' ? [t.g1] : []), ...('g2' in t && typeof t.g2 === 'string' ? [t.g2] : [])]);
}

/** The scalar slots a term reads, inside its linear forms too. */
function scalarSlots(t: IdentityTerm): string[] {
  return t.factors.flatMap((f) => ('scalar' in f ? [f.scalar] : 'sum' in f ? f.sum.flatMap(scalarSlots) : []));
}

/**
 * Whether identity `id` restates one of `relations` on H: every term a constant, a public polynomial or one statement
 * row read unrotated (`rowOf`: oracle → its row slot `t/i`), and the rows' coefficients those of a relation times one
 * nonzero scalar.
 */
function restates(id: Identity, rowOf: ReadonlyMap<string, string>, relations: readonly LinearRelation[]): boolean {
  const rows = new Map<string, bigint>();
  for (const t of id.terms) {
    if (t.factors.length === 0) continue;
    const [f] = t.factors;
    if (t.factors.length > 1 || 'sum' in f || 'scalar' in f) return false;
    if ('public' in f) continue;
    const row = rowOf.get(f.oracle);
    if (row === undefined || f.rotation || f.power) return false;
    rows.set(row, Fr.add(rows.get(row) ?? 0n, t.coeff));
  }
  return relations.some((rel) => {
    const terms = new Map<string, bigint>();
    for (const t of rel.terms) terms.set(rowSlot(t.tensor, t.row), Fr.add(terms.get(rowSlot(t.tensor, t.row)) ?? 0n, frFromSigned(t.coeff)));
    if (terms.size !== rows.size) return false;
    const [first] = terms.keys();
    const k = terms.get(first)!;
    const scale = k === 0n ? 0n : Fr.div(rows.get(first) ?? 0n, k);
    return scale !== 0n && [...terms].every(([row, c]) => rows.get(row) === Fr.mul(scale, c));
  });
}
