/**
 * Mod by a constant divisor: per distinct divisor d (`per-constant.ts`), a table of `x ↦ x mod d` on the
 * calibrated range of x, at x's own scale when the range fits the table (integers stay exact). The table is
 * public, so each result is the remainder of the input the proof holds, whatever the witness claims.
 * @module
 */
import type { GraphNode } from '../graph';
import type { Op } from '../op';
import type { QuantContext } from './context';
import { partialLookup } from './nonlinear-steps';
import { splitByConstant, tableRange } from './per-constant';
import type { TensorId } from './qmodel';

/** `x mod d` with the sign of d (`fmod` false, Python's %) or of x (`fmod` true, C's fmod). */
export function modulo(x: number, d: number, fmod: boolean): number {
  const r = x % d;
  if (r === 0) return 0;
  return fmod || Math.sign(r) === Math.sign(d) ? r : r + d;
}

/** Mod(x, d) for a constant d (any shape broadcasting to the output). */
export function quantizeMod(ctx: QuantContext, node: GraphNode, op: Extract<Op, { type: 'Mod' }>): TensorId {
  const { e } = ctx;
  const [xn, dn] = node.inputs;
  if (!ctx.isConst(dn)) ctx.unsupported(node, `the divisor "${dn}" must be a constant (a remainder by a run-time value is not supported)`);
  const d = ctx.constant(dn);
  if (d.data.some((v) => v === 0 || !Number.isFinite(v))) ctx.unsupported(node, `the divisor "${dn}" holds 0 or a non-finite value`);
  const x = ctx.value(xn);
  const range = tableRange(ctx, node, xn);
  // Integers by integers stay integers (scale 0, exact); otherwise the output's calibrated scale, at least x's.
  const sOut = e.t(x).scale === 0 && d.data.every(Number.isInteger) ? 0 : Math.max(e.t(x).scale, ctx.targetScale(node.output));
  return splitByConstant(ctx, node, x, d, ctx.shape(node.output), (part, dv, n) =>
    partialLookup(ctx, node, part, `mod${op.fmod ? 'f' : ''}(${dv})`, (v) => modulo(v, dv, op.fmod), range, `${node.output}#mod${n}`, sOut),
  );
}

