/**
 * Mod by a constant divisor. For each distinct divisor d, the cells it divides are copied out (a permute) and
 * looked up in a table of `x ↦ x mod d` on the calibrated range of x (widened by the margin), at x's own scale
 * when the range fits the table (integers stay exact); a permute puts the parts back in place. The table is
 * public, so each result is the remainder of the input the proof holds, whatever the witness claims.
 * @module
 */
import { QuantizationError } from '../errors';
import { broadcastMap } from '../index-map';
import type { GraphNode } from '../graph';
import type { Op } from '../op';
import { sizeOf } from '../shape';
import type { QuantContext } from './context';
import { partialLookup, widenRange } from './nonlinear-steps';
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
  const out = ctx.shape(node.output);
  const xMap = broadcastMap(e.t(x).shape, out);
  const dMap = broadcastMap(d.shape, out);
  const range = widenRange(ctx.calibrated(node, xn), ctx.opts.margin);
  // A table narrower than the range reads x rounded to a coarser grid: for integers that is a wrong remainder, not an approximation.
  if (e.t(x).scale === 0 && range[1] - range[0] + 1 > 2 ** ctx.opts.tableBits)
    throw new QuantizationError(`node "${node.name}": the calibrated range [${range[0]}, ${range[1]}] of the integer "${xn}" (margin included) has more values than a ${ctx.opts.tableBits}-bit table; Mod of integers is exact only within one table`, xn);
  // Integers by integers stay integers (scale 0, exact); otherwise the output's calibrated scale, at least x's.
  const sOut = e.t(x).scale === 0 && d.data.every(Number.isInteger) ? 0 : Math.max(e.t(x).scale, ctx.targetScale(node.output));
  const divisors = [...new Set(Array.from(dMap, (i) => d.data[i]))];
  const parts: TensorId[] = [];
  const where = new Int32Array(sizeOf(out));
  let offset = 0;
  divisors.forEach((dv, n) => {
    const cells = [...where.keys()].filter((c) => d.data[dMap[c]] === dv);
    cells.forEach((c, i) => (where[c] = offset + i));
    offset += cells.length;
    const picked = divisors.length === 1 && e.t(x).shape.length === out.length && sizeOf(e.t(x).shape) === cells.length ? x : e.permute(node.name, `${node.output}#by${n}`, [x], Int32Array.from(cells, (c) => xMap[c]), [cells.length]);
    parts.push(partialLookup(ctx, node, picked, `mod${op.fmod ? 'f' : ''}(${dv})`, (v) => modulo(v, dv, op.fmod), range, `${node.output}#mod${n}`, sOut));
  });
  return e.permute(node.name, node.output, parts, where, out);
}
