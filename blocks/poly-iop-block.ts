/**
 * The common part of a block proven by its own poly-IOP (`blocks/poly-iop.ts`): its protocol, its statement (one
 * commitment per row of each tensor) and its prover all come from one spec, so a built-in block gives only the spec
 * and its side of the prover, and the model-level argument merges the same spec with the other blocks'.
 * @module
 */
import type { G1Point } from '../src/curve';
import type { SlotValues } from '../src/equations/equation';
import type { BlockContext, OpeningRotations, TensorSpec, Tensors } from './block';
import { committedRotations, polyIopProtocol, polyIopProver, rowSlot, rowStatement, type PolyIopProver, type PolyIopSpec } from './poly-iop';
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
   * The spec without the check of the block's linear relations, for a caller that derives a row of every relation
   * from the others (`BlockContext.relationsDerived`), where that check cannot fail; undefined when the block has none.
   */
  protected uncheckedSpec?(): PolyIopSpec | undefined;

  /**
   * The spec the poly-IOP compiler compiles (the model-level argument merges it with other blocks'): without the
   * linear check when `ctx.relationsDerived` and the block has such a spec ({@link PolyIopBlock.uncheckedSpec}).
   */
  iopSpec(ctx?: BlockContext): PolyIopSpec {
    return (ctx?.relationsDerived ? this.uncheckedSpec?.() : undefined) ?? this.spec;
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
