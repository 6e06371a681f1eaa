/**
 * OneHot with a constant depth and constant values: the indices are copied along the new axis (a permute), compared
 * with the public positions j and j − depth (negative indices count from the end), and the 0/1 result selects the
 * on or off value (an exact scaling and a constant shift). Indices are compared as the quantized values they are,
 * so a float index must be an integer to match a position.
 * @module
 */
import type { GraphNode } from '../graph';
import type { Op } from '../op';
import { sizeOf, stridesOf } from '../shape';
import type { QuantContext } from './context';
import { isZero } from './logic';
import type { TensorId } from './qmodel';
import { quantizeReal } from './rounding';

/** OneHot(indices) along `op.axis` of the output. */
export function quantizeOneHot(ctx: QuantContext, node: GraphNode, op: Extract<Op, { type: 'OneHot' }>): TensorId {
  const { e } = ctx;
  const idx = ctx.value(node.inputs[0]);
  const s = e.t(idx).scale;
  const out = ctx.shape(node.output);
  const st = stridesOf(out);
  const after = sizeOf(out.slice(op.axis + 1));
  const n = sizeOf(out);
  // Output cell c reads the index at c without its coordinate on the new axis; the position is that coordinate.
  const map = new Int32Array(n);
  const positions: number[] = new Array<number>(n);
  for (let c = 0; c < n; c++) {
    const j = Math.floor(c / st[op.axis]) % op.depth;
    map[c] = Math.floor(c / (after * op.depth)) * after + (c % after);
    positions[c] = j;
  }
  const spread = e.permute(node.name, `${node.output}#indices`, [idx], map, out);
  const hits = [0, -op.depth].map((shift, k) => {
    const at = ctx.quantConst(`${node.name}/positions${k}`, out, positions.map((j) => j + shift), s);
    const d = e.emit(node.name, `${node.output}#offset${k}`, out, s, { kind: 'sub', a: spread, b: at });
    return isZero(ctx, node, d, `${node.output}#hit${k}`);
  });
  const hot = e.emit(node.name, `${node.output}#hot`, out, 0, { kind: 'add', a: hits[0], b: hits[1] });
  const sv = ctx.weightScale([op.on, op.off, op.on - op.off]);
  const scaled = e.scale(node.name, hot, quantizeReal(op.on - op.off, sv), sv);
  return e.emit(node.name, node.output, out, sv, { kind: 'add', a: scaled, b: e.fill(node.name, quantizeReal(op.off, sv), sv, out, `${node.output}/off`) });
}
