/**
 * The common part of a block proven by its own poly-IOP (`blocks/poly-iop.ts`): its protocol, its statement (one
 * commitment per row of each tensor) and its prover all come from one spec, so a built-in block gives only the spec
 * and its side of the prover, and the model-level argument merges the same spec with the other blocks'.
 * @module
 */
import type { G1Point } from '../src/curve';
import type { SlotValues } from '../src/equations/equation';
import type { BlockContext, TensorSpec, Tensors } from './block';
import { polyIopProtocol, polyIopProver, rowStatement, type PolyIopProver, type PolyIopSpec } from './poly-iop';
import type { Protocol } from './protocol';
import type { MessageSource } from './schedule';

/** A block whose whole protocol is the compiled {@link PolyIopSpec} `spec`. */
export abstract class PolyIopBlock {
  abstract readonly tensors: readonly TensorSpec[];
  protected abstract readonly spec: PolyIopSpec;

  /** The block's side of the poly-IOP prover: its own rounds and its oracles' polynomials. */
  abstract iopProver(ctx: BlockContext, tensors: Tensors): PolyIopProver;

  /** The compiled spec (slots, schedule, equations). */
  protocol(ctx: BlockContext): Protocol {
    return polyIopProtocol(this.spec, ctx.kzg, ctx.engine);
  }

  /** The statement: each tensor's row commitments under the slot names `t/i`. */
  statement(commitments: Readonly<Record<string, readonly G1Point[]>>): SlotValues {
    return rowStatement(this.tensors, commitments);
  }

  /** The spec the poly-IOP compiler compiles (the model-level argument merges it with other blocks'). */
  iopSpec(): PolyIopSpec {
    return this.spec;
  }

  /** The block's message source: its rounds, then the compiler's tail. */
  prover(ctx: BlockContext, tensors: Tensors): MessageSource {
    return polyIopProver(this.spec, ctx, this.iopProver(ctx, tensors));
  }
}
