/**
 * Elementwise ops whose second operand is a constant that changes the computation itself (Mod's divisor,
 * BitShift's shift): the output cells are grouped by that constant's value, each group's inputs are copied out (a
 * permute) and looked up in a public table of the op with the value fixed, and a permute puts the parts back in
 * place. The tables cover the calibrated range of x widened by the margin; for integers (scale 0) that range must
 * fit one table, since a coarser grid would change the result, not approximate it.
 * @module
 */
import { QuantizationError } from '../errors';
import { broadcastMap } from '../index-map';
import type { GraphNode } from '../graph';
import { sizeOf, type Shape } from '../shape';
import type { Tensor } from '../tensor';
import type { QuantContext } from './context';
import { widenRange } from './nonlinear-steps';
import type { TensorId } from './qmodel';

/**
 * `compute(part, v, n)` on the cells of `x` (broadcast to `out`) where the constant `c` (broadcast too) equals v,
 * for each distinct v (n counts them); the parts must share one scale.
 */
export function splitByConstant(ctx: QuantContext, node: GraphNode, x: TensorId, c: Tensor, out: Shape, compute: (part: TensorId, value: number, n: number) => TensorId): TensorId {
  const { e } = ctx;
  const xMap = broadcastMap(e.t(x).shape, out);
  const cMap = broadcastMap(c.shape, out);
  const values = [...new Set(Array.from(cMap, (i) => c.data[i]))];
  const where = new Int32Array(sizeOf(out));
  let offset = 0;
  const parts = values.map((v, n) => {
    const cells = [...where.keys()].filter((i) => c.data[cMap[i]] === v);
    cells.forEach((cell, i) => (where[cell] = offset + i));
    offset += cells.length;
    const whole = values.length === 1 && sizeOf(e.t(x).shape) === cells.length;
    return compute(whole ? x : e.permute(node.name, `${node.output}#by${n}`, [x], Int32Array.from(cells, (i) => xMap[i]), [cells.length]), v, n);
  });
  return e.permute(node.name, node.output, parts, where, out);
}

/** The table domain for x (its calibrated range widened by the margin); for an integer x it must fit one table. */
export function tableRange(ctx: QuantContext, node: GraphNode, xn: string): [number, number] {
  const range = widenRange(ctx.calibrated(node, xn), ctx.opts.margin);
  if (ctx.e.t(ctx.value(xn)).scale === 0 && range[1] - range[0] + 1 > 2 ** ctx.opts.tableBits)
    throw new QuantizationError(`node "${node.name}": the calibrated range [${range[0]}, ${range[1]}] of the integer "${xn}" (margin included) has more values than a ${ctx.opts.tableBits}-bit table; ${node.opType} of integers is exact only within one table`, xn);
  return range;
}
