/**
 * Quantizers of the elementwise nonlinearities: Relu and Clip as exact max/min with constants, saturating
 * functions (Sigmoid, Tanh, Erf, HardSigmoid, the gates of GELU, HardSwish and Mish) as clamped lookups, Elu,
 * Celu, Selu and Softplus as an exact linear part plus a clamped lookup, Sqrt, Pow, Exp, Log and the
 * trigonometric functions as lookups on their calibrated range.
 * @module
 */
import type { GraphNode } from '../graph';
import { hardSigmoid, softplus, unaryFunction } from '../float/activations';
import type { CalibratedUnaryOpType, Op } from '../op';
import type { QuantContext } from './context';
import type { TensorId } from './qmodel';
import { quantizeReal, scaleForRange } from './rounding';
import { partialLookup, saturatingLookup, widenRange } from './nonlinear-steps';
import { SATURATING, type SaturatingFn } from './tables';

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

/** x ∘ g(x) for a saturating gate g: g as a clamped lookup, then a hadamard product and a rescale. */
function gated(ctx: QuantContext, node: GraphNode, gate: SaturatingFn): TensorId {
  const { e } = ctx;
  const x = ctx.value(node.inputs[0]);
  const g = saturatingLookup(ctx, node, x, gate, unitScale(ctx), `${node.output}#gate`);
  const y = e.emit(node.name, `${node.output}#mul`, e.t(x).shape, e.t(x).scale + e.t(g).scale, { kind: 'hadamard', a: x, b: g });
  return ctx.requantize(node, y);
}

/** GELU(x) = x · Φ(x). */
export function quantizeGelu(ctx: QuantContext, node: GraphNode, op: Extract<Op, { type: 'Gelu' }>): TensorId {
  return gated(ctx, node, SATURATING[op.approximate === 'tanh' ? 'phiTanh' : 'phi']);
}

/** HardSwish(x) = x · HardSigmoid(x) with α = 1/6, β = 1/2; Mish(x) = x · tanh(softplus(x)). */
export function quantizeGatedUnary(ctx: QuantContext, node: GraphNode, type: 'HardSwish' | 'Mish'): TensorId {
  const gate = type === 'HardSwish' ? { fn: 'hardsigmoid(0.16666666666666666,0.5)', f: (v: number) => hardSigmoid(v, 1 / 6, 0.5), nonPositive: false } : { fn: 'tanh_softplus', f: (v: number) => Math.tanh(softplus(v)), nonPositive: false };
  return gated(ctx, node, gate);
}

/** HardSigmoid = max(0, min(1, αx + β)): a clamped lookup (it reaches 0 and 1 at finite points). */
export function quantizeHardSigmoid(ctx: QuantContext, node: GraphNode, op: Extract<Op, { type: 'HardSigmoid' }>): TensorId {
  const sat = { fn: `hardsigmoid(${op.alpha},${op.beta})`, f: (v: number) => hardSigmoid(v, op.alpha, op.beta), nonPositive: false };
  return saturatingLookup(ctx, node, ctx.value(node.inputs[0]), sat, unitScale(ctx), node.output);
}

/**
 * Functions that are linear above zero and saturate below it, f(x) = a·max(x, 0) + g(min(x, 0)) (Elu, Celu, Selu),
 * and Softplus(x) = max(x, 0) + log(1 + e^(−|x|)): with n = min(x, 0) (exact), the linear part x − n is exact and the
 * saturating part is a clamped lookup of n (of 2n − x = −|x| for Softplus), both at one scale, added, rescaled.
 */
export function quantizeOneSided(ctx: QuantContext, node: GraphNode, op: Extract<Op, { type: 'Elu' | 'Celu' | 'Selu' }> | { type: 'Softplus' }): TensorId {
  const { e } = ctx;
  const x = ctx.value(node.inputs[0]);
  const t = e.t(x);
  const n = e.clamp(node.name, x, undefined, 0n, `${node.output}#neg`);
  const positive = e.emit(node.name, `${node.output}#pos`, t.shape, t.scale, { kind: 'sub', a: x, b: n });
  let sat: SaturatingFn;
  let arg = n;
  let gain = 1;
  if (op.type === 'Softplus') {
    sat = { fn: 'log1p_exp', f: (v: number) => Math.log1p(Math.exp(v)), nonPositive: true };
    const twice = e.scale(node.name, n, 2n, t.scale);
    arg = e.emit(node.name, `${node.output}#-abs`, t.shape, t.scale, { kind: 'sub', a: twice, b: x });
  } else if (op.type === 'Selu') {
    gain = op.gamma;
    sat = { fn: `selu_neg(${op.alpha},${op.gamma})`, f: (v: number) => op.gamma * op.alpha * (Math.exp(v) - 1), nonPositive: true };
  } else if (op.type === 'Celu') sat = { fn: `celu_neg(${op.alpha})`, f: (v: number) => op.alpha * (Math.exp(v / op.alpha) - 1), nonPositive: true };
  else sat = { fn: `elu_neg(${op.alpha})`, f: (v: number) => op.alpha * (Math.exp(v) - 1), nonPositive: true };
  let linear = positive;
  if (gain !== 1) {
    const k = scaleForRange(Math.abs(gain), ctx.opts.weightBits, 30);
    linear = e.scale(node.name, positive, quantizeReal(gain, k), t.scale + k);
  }
  // The table's output scale fits its limits in activationBits: a finer one would move the saturation point out
  // and coarsen the table's input grid. Both parts are then aligned up (exactly) to the finer of the two scales.
  const limit = Math.max(Math.abs(sat.f(0)), Math.abs(sat.f(-1e4)));
  const g = saturatingLookup(ctx, node, arg, sat, scaleForRange(limit, ctx.opts.activationBits, 30), `${node.output}#sat`);
  const s = Math.max(e.t(linear).scale, e.t(g).scale);
  const y = e.emit(node.name, `${node.output}#sum`, t.shape, s, { kind: 'add', a: e.alignTo(node.name, linear, s), b: e.alignTo(node.name, g, s) });
  return ctx.requantize(node, y);
}

/** Calibrated real interval of a value, widened away from zero by the margin and clipped to f's domain. */
function widened(ctx: QuantContext, node: GraphNode, name: string, domainMin: number, domainMax = Infinity): [number, number] {
  const [a, b] = widenRange(ctx.calibrated(node, name), ctx.opts.margin);
  const clip = (v: number) => Math.min(Math.max(v, domainMin), domainMax);
  return [clip(a), clip(b)];
}

/** Domains of the calibrated unary functions (where they are real). */
const DOMAINS: Readonly<Partial<Record<CalibratedUnaryOpType, [number, number]>>> = {
  Log: [0, Infinity],
  Asin: [-1, 1],
  Acos: [-1, 1],
  Acosh: [1, Infinity],
  Atanh: [-1, 1],
};

/** Exp, Log, Reciprocal, the trigonometric and hyperbolic functions, Softsign: lookups on the calibrated range. */
export function quantizeCalibrated(ctx: QuantContext, node: GraphNode, type: CalibratedUnaryOpType): TensorId {
  const xn = node.inputs[0];
  const f = unaryFunction({ type }) as (v: number) => number;
  const [lo, hi] = DOMAINS[type] ?? [-Infinity, Infinity];
  return partialLookup(ctx, node, ctx.value(xn), type.toLowerCase(), f, widened(ctx, node, xn, lo, hi), node.output);
}

/** Sqrt as a lookup on the calibrated (widened) range of its input. */
export function quantizeSqrt(ctx: QuantContext, node: GraphNode): TensorId {
  const xn = node.inputs[0];
  return partialLookup(ctx, node, ctx.value(xn), 'sqrt', Math.sqrt, widened(ctx, node, xn, 0), node.output);
}

/** Pow with a constant exponent: 1 is a copy, 2 a hadamard square, others a calibrated lookup. */
export function quantizePow(ctx: QuantContext, node: GraphNode, op: Extract<Op, { type: 'Pow' }>): TensorId {
  const { e } = ctx;
  const xn = node.inputs[0];
  const x = ctx.value(xn);
  if (op.exponent === 1) return x;
  if (op.exponent === 2) {
    const y = e.emit(node.name, `${node.output}#sq`, e.t(x).shape, 2 * e.t(x).scale, { kind: 'hadamard', a: x, b: x });
    return ctx.requantize(node, y);
  }
  const integer = Number.isInteger(op.exponent) && op.exponent > 0;
  return partialLookup(ctx, node, x, `pow${op.exponent}`, (v) => v ** op.exponent, widened(ctx, node, xn, integer ? -Infinity : 0), node.output);
}
