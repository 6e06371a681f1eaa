/**
 * BitShift (unsigned integers) by constant amounts: per distinct amount k (`per-constant.ts`), a table of
 * `x << k` wrapped to the type's width, or `x >> k`, over the calibrated range of x. Tables are exact on integers,
 * so the wrap-around of a fixed-width left shift is the ONNX one, not an unbounded product.
 * @module
 */
import type { GraphNode } from '../graph';
import type { Op } from '../op';
import type { QuantContext } from './context';
import { partialLookup } from './nonlinear-steps';
import { splitByConstant, tableRange } from './per-constant';
import type { TensorId } from './qmodel';

/** `x << k` wrapped to `bits` bits, or `x >> k`, for a non-negative integer x (ONNX BitShift on unsigned types). */
export function bitShift(x: number, k: number, left: boolean, bits: number): number {
  const v = BigInt(x);
  return Number(left ? (v << BigInt(k)) % (1n << BigInt(bits)) : v >> BigInt(k));
}

/** BitShift by constant amounts: per distinct amount k, a table of the shifted (and, left, wrapped) integers. */
export function quantizeBitShift(ctx: QuantContext, node: GraphNode, op: Extract<Op, { type: 'BitShift' }>): TensorId {
  const [xn, kn] = node.inputs;
  if (!ctx.isConst(kn)) ctx.unsupported(node, `the shift "${kn}" must be a constant (a shift by a run-time value is not supported)`);
  const k = ctx.constant(kn);
  const range = tableRange(ctx, node, xn);
  return splitByConstant(ctx, node, ctx.value(xn), k, ctx.shape(node.output), (part, amount, n) =>
    partialLookup(ctx, node, part, `${op.left ? 'shl' : 'shr'}${op.bits}(${amount})`, (v) => bitShift(v, amount, op.left, op.bits), [Math.max(0, range[0]), range[1]], `${node.output}#shift${n}`, 0),
  );
}
