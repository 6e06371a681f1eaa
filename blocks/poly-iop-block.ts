/**
 * The common part of a block proven by its own poly-IOP (`blocks/poly-iop.ts`): its protocol, its statement (one
 * commitment per row of each tensor) and its prover all come from one spec, so a built-in block gives only the spec
 * and its side of the prover, and the model-level argument merges the same spec with the other blocks'.
 * @module
 */
import type { G1Point } from '../src/curve';
import type { SlotValues } from '../src/equations/equation';
import type { BlockContext, OpeningRotations, TensorSpec, Tensors } from './block';
import type { LinearCheckParts } from './linear-relation';
import { committedRotations, oraclesRead, polyIopProtocol, polyIopProver, rowSlot, rowStatement, type Identity, type PolyIopProver, type PolyIopSpec } from './poly-iop';
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
    return (this.withoutCheck ??= withoutLinearCheck(this.spec, parts));
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
  const rows = new Map<string, Set<number>>();
  let ownPoints = 1;
  for (const [slot, ss] of committedRotations(spec)) {
    const tensor = tensorOf.get(slot);
    if (tensor === undefined) ownPoints = Math.max(ownPoints, 1 + ss.length);
    else if (ss.length > 0) {
      const set = rows.get(tensor) ?? rows.set(tensor, new Set()).get(tensor)!;
      for (const s of ss) set.add(s);
    }
  }
  return { rows: Object.fromEntries([...rows].map(([t, ss]) => [t, [...ss].sort((a, b) => a - b)])), ownPoints };
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
 * `spec` without `parts`, the check of its block's linear relations (a caller derives a row of each, so the check
 * could not fail). Only such a check may go, so a {@link BlockfoldError} refuses parts that are not one: a slot that
 * is not a challenge or derived slot of the spec, or is written by a step outside the parts; a step that is not the
 * spec's or writes another slot; an identity that is not the spec's or is not linear in its statement rows (each term
 * a constant, a public polynomial, or one statement row read unrotated, times its coefficient); an equation the spec
 * does not have. Oracles only the left-out identities read go with them.
 */
export function withoutLinearCheck(spec: PolyIopSpec, parts: LinearCheckParts): PolyIopSpec {
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
  for (const step of rounds) for (const name of step.slots) if (slots.has(name)) refuse(`slot "${name}" is written by a step outside the check`);
  const statement = new Set(spec.statement.map((d) => d.name));
  const rows = new Set(spec.oracles.filter((o) => statement.has(o.commitment)).map((o) => o.name));
  const linear = (id: Identity) =>
    id.terms.every((t) => t.factors.length === 0 || (t.factors.length === 1 && (('public' in t.factors[0]) || ('oracle' in t.factors[0] && !t.factors[0].rotation && rows.has(t.factors[0].oracle)))));
  const identities = new Set(parts.identities);
  for (const name of identities) {
    const id = spec.identities.find((i) => i.name === name);
    if (!id || !linear(id)) refuse(`identity "${name}" is not the spec's or not linear in its statement rows`);
  }
  const named = new Set(parts.equations);
  const equations = spec.equations;
  if (named.size > 0 && !equations) refuse(`equations [${parts.equations.join(', ')}] are not the spec's`);
  const kept = spec.identities.filter((i) => !identities.has(i.name));
  const read = oraclesRead(kept);
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
        return all.filter((e) => !named.has(e.name));
      },
    }),
  };
}
