/**
 * Quantizers of the elementwise nonlinearities: Relu and Clip as exact max/min with constants, saturating
 * functions (Sigmoid, Tanh, Erf, GELU's gate) as clamped lookups, Sqrt and Pow as calibrated lookups.
 * @module
 */
import type { GraphNode } from '../graph';
import type { Op } from '../op';
import type { QuantContext } from './context';
import type { TensorId } from './qmodel';
import { quantizeReal } from './rounding';
import { partialLookup, saturatingLookup } from './nonlinear-steps';
import { SATURATING } from './tables';

/** Output scale of the bounded functions (|f| ≤ 1): leaves one bit of headroom in activationBits. */
function unitScale(ctx: QuantContext): number {
  return ctx.opts.activationBits - 2;
}

/** Relu(x) = max(x, 0), exact at the input's scale. */
export function quantizeRelu(ctx: QuantContext, node: GraphNode): TensorId {
  return ctx.e.clamp(node.name, ctx.value(node.inputs[0]), 0n, undefined, node.output);
}

/** Clip(x, lo, hi): clamp at the bounds rounded to the input's scale. */
export function quantizeClip(ctx: QuantContext, node: GraphNode, op: Extract<Op, { type: 'Clip' }>): TensorId {
  const x = ctx.value(node.inputs[0]);
  const s = ctx.e.t(x).scale;
  const q = (v: number) => (Number.isFinite(v) ? quantizeReal(v, s) : undefined);
  return ctx.e.clamp(node.name, x, q(op.min), q(op.max), node.output);
}

/** Sigmoid, Tanh and Erf as clamped lookups with output scale activationBits − 2. */
export function quantizeSaturating(ctx: QuantContext, node: GraphNode, fn: 'sigmoid' | 'tanh' | 'erf'): TensorId {
  return saturatingLookup(ctx, node, ctx.value(node.inputs[0]), SATURATING[fn], unitScale(ctx), node.output);
}

/** GELU(x) = x · Φ(x): Φ as a clamped lookup, then a hadamard product and a rescale. */
export function quantizeGelu(ctx: QuantContext, node: GraphNode, op: Extract<Op, { type: 'Gelu' }>): TensorId {
  const { e } = ctx;
  const x = ctx.value(node.inputs[0]);
  const gate = saturatingLookup(ctx, node, x, SATURATING[op.approximate === 'tanh' ? 'phiTanh' : 'phi'], unitScale(ctx), `${node.output}#gate`);
  const shape = e.t(x).shape;
  const y = e.emit(node.name, `${node.output}#mul`, shape, e.t(x).scale + e.t(gate).scale, { kind: 'hadamard', a: x, b: gate });
  return e.rescaleTo(node.name, y, ctx.targetScale(node.output));
}

/** Calibrated real interval of a value, widened away from zero by the margin and clipped to f's domain start. */
function widened(ctx: QuantContext, name: string, domainMin: number): [number, number] {
  const r = ctx.cal.ranges.get(name) ?? { min: 0, max: 0 };
  const m = ctx.opts.margin;
  const a = r.min < 0 ? r.min * m : r.min / m;
  const b = r.max > 0 ? r.max * m : r.max / m;
  return [Math.max(a, domainMin), Math.max(b, domainMin)];
}

/** Sqrt as a lookup on the calibrated (widened) range of its input. */
export function quantizeSqrt(ctx: QuantContext, node: GraphNode): TensorId {
  const xn = node.inputs[0];
  return partialLookup(ctx, node, ctx.value(xn), 'sqrt', Math.sqrt, widened(ctx, xn, 0), node.output);
}

/** Pow with a constant exponent: 1 is a copy, 2 a hadamard square, others a calibrated lookup. */
export function quantizePow(ctx: QuantContext, node: GraphNode, op: Extract<Op, { type: 'Pow' }>): TensorId {
  const { e } = ctx;
  const xn = node.inputs[0];
  const x = ctx.value(xn);
  if (op.exponent === 1) return x;
  if (op.exponent === 2) {
    const y = e.emit(node.name, `${node.output}#sq`, e.t(x).shape, 2 * e.t(x).scale, { kind: 'hadamard', a: x, b: x });
    return e.rescaleTo(node.name, y, ctx.targetScale(node.output));
  }
  const integer = Number.isInteger(op.exponent) && op.exponent > 0;
  return partialLookup(ctx, node, x, `pow${op.exponent}`, (v) => v ** op.exponent, widened(ctx, xn, integer ? -Infinity : 0), node.output);
}
