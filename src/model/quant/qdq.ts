/**
 * QuantizeLinear and DequantizeLinear with constant scales and zero points (per tensor or per axis), the pair a
 * "QDQ" export puts around every quantized op. Dequantize is the affine map `(q − zp)·scale`, exact up to the
 * final requantization. Quantize is `clamp(roundHalfEven(x / scale) + zp, qmin, qmax)`: x times the public 1/scale
 * (exact at its scale), rounded half to even exactly as Round is, shifted and clamped at scale 0. The division is
 * a product by a rounded reciprocal, so an x within a fixed-point step of a tie may round the other way.
 * @module
 */
import type { GraphNode } from '../graph';
import type { Op } from '../op';
import type { Shape } from '../shape';
import type { Tensor } from '../tensor';
import type { QuantContext } from './context';
import { roundHalfEvenToInteger } from './exact';
import { mulConst, timesConst } from './linear';
import type { TensorId } from './qmodel';

type Qdq = Extract<Op, { type: 'QuantizeLinear' | 'DequantizeLinear' }>;

/** A per-axis parameter as a tensor broadcasting along `axis` of `shape` (a scalar stays a scalar). */
function alongAxis(values: Float64Array, op: Qdq, shape: Shape): Tensor {
  if (values.length === 1) return { shape: [1], data: values };
  return { shape: shape.map((d, i) => (i === op.axis ? d : 1)), data: values };
}

/** DequantizeLinear: `(q − zp)·scale = q·scale − zp·scale`, requantized to the output's calibrated scale. */
export function quantizeDequantizeLinear(ctx: QuantContext, node: GraphNode, op: Extract<Op, { type: 'DequantizeLinear' }>): TensorId {
  const out = ctx.shape(node.output);
  const shift = op.zeroPoint.map((z, i) => -z * op.scale[op.scale.length === 1 ? 0 : i]);
  return mulConst(ctx, node, ctx.value(node.inputs[0]), alongAxis(op.scale, op, out), out, alongAxis(shift, op, out));
}

/** QuantizeLinear: `clamp(roundHalfEven(x·(1/scale)) + zp, qmin, qmax)` at scale 0. */
export function quantizeQuantizeLinear(ctx: QuantContext, node: GraphNode, op: Extract<Op, { type: 'QuantizeLinear' }>): TensorId {
  const { e } = ctx;
  const out = ctx.shape(node.output);
  const scaled = timesConst(ctx, node, ctx.value(node.inputs[0]), alongAxis(op.scale.map((v) => 1 / v), op, out), out);
  const rounded = roundHalfEvenToInteger(ctx, node, scaled, `${node.output}#rounded`);
  const zp = alongAxis(op.zeroPoint, op, out);
  const zq = e.broadcast(node.name, ctx.quantConst(`${node.name}/zero-point`, zp.shape, zp.data, 0), out);
  const shifted = e.emit(node.name, `${node.output}#shifted`, out, 0, { kind: 'add', a: rounded, b: zq });
  return e.clamp(node.name, shifted, BigInt(op.qmin), BigInt(op.qmax), node.output);
}
