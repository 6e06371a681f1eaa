/**
 * Quantizers of the piecewise-linear ops that are exact on the integers: Neg, Abs, Sign, Floor, Ceil, Round,
 * LeakyRelu, PRelu and ThresholdedRelu. No table approximates a function here: every result is the op applied
 * to the quantized input, up to the one rounding of a final rescale (LeakyRelu, PRelu).
 * @module
 */
import type { GraphNode } from '../graph';
import type { Op } from '../op';
import type { QuantContext } from './context';
import type { TensorId } from './qmodel';
import { quantizeReal, scaleForRange } from './rounding';
import { roundHalfEven } from '../float/activations';

/** Neg (−x), Abs (max(x, −x)) and Sign (x clamped to [−1, 1], read at scale 0), exact. */
export function quantizeSignOps(ctx: QuantContext, node: GraphNode, type: 'Neg' | 'Abs' | 'Sign'): TensorId {
  const { e } = ctx;
  const x = ctx.value(node.inputs[0]);
  if (type === 'Neg') return e.negate(node.name, x, node.output);
  if (type === 'Abs') return e.abs(node.name, x, node.output);
  // For an integer q of any scale, sign(q·2^−s) = clamp(q, −1, 1).
  return e.relabel(node.name, e.clamp(node.name, x, -1n, 1n, `${node.output}#clamp`), 0, node.output);
}

/** floor(q / 2^s) at scale 0: a rescale of q − 2^(s−1) (round half up of q/2^s − 1/2 is the floor). */
function floorToInteger(ctx: QuantContext, node: GraphNode, x: TensorId, name: string): TensorId {
  const { e } = ctx;
  const t = e.t(x);
  if (t.scale <= 0) return e.alignTo(node.name, x, 0);
  const shifted = e.emit(node.name, `${name}#shift`, t.shape, t.scale, { kind: 'add', a: x, b: e.fill(node.name, -(1n << BigInt(t.scale - 1)), t.scale, t.shape, `${name}/half`) });
  return e.rescaleTo(node.name, shifted, 0);
}

/**
 * Floor and Ceil (= −floor(−x)) exactly; Round (half to even, ONNX's rule) as q = 2^(s+1)·a + b with
 * a = floor(q / 2^(s+1)) and b ∈ [0, 2^(s+1)) (the table's domain proves it), result 2a + T(b) with
 * T(b) = roundHalfEven(b / 2^s) ∈ {0, 1, 2}. An input finer than the table allows is first rounded to scale
 * tableBits − 1 (round half up at that resolution).
 */
export function quantizeRounding(ctx: QuantContext, node: GraphNode, type: 'Floor' | 'Ceil' | 'Round'): TensorId {
  const { e } = ctx;
  const x = ctx.value(node.inputs[0]);
  if (type === 'Floor') return floorToInteger(ctx, node, x, node.output);
  if (type === 'Ceil') return e.negate(node.name, floorToInteger(ctx, node, e.negate(node.name, x, `${node.output}#neg`), `${node.output}#floor`), node.output);
  return roundHalfEvenToInteger(ctx, node, x, node.output);
}

/** Round half to even of x to an integer at scale 0 (the Round above), named `name`. */
export function roundHalfEvenToInteger(ctx: QuantContext, node: GraphNode, x: TensorId, name: string): TensorId {
  const { e } = ctx;
  const x1 = e.rescaleTo(node.name, x, ctx.opts.tableBits - 1);
  const t = e.t(x1);
  if (t.scale <= 0) return e.alignTo(node.name, x1, 0);
  const s = t.scale;
  const a = floorToInteger(ctx, node, e.relabel(node.name, x1, s + 1, `${name}#half`), `${name}#pairs`);
  const twoA = e.scale(node.name, a, 1n << BigInt(s + 1), s);
  const b = e.emit(node.name, `${name}#low`, t.shape, s, { kind: 'sub', a: x1, b: twoA });
  const table = { fn: 'round_half_even', f: roundHalfEven, inputScale: s, outputScale: 0, lo: 0n, hi: (1n << BigInt(s + 1)) - 1n, maxEntries: 2 ** ctx.opts.tableBits };
  const r = e.lookup(node.name, b, table, `${name}#low-rounded`);
  return e.emit(node.name, name, t.shape, 0, { kind: 'add', a: e.scale(node.name, a, 2n, 0), b: r });
}

/**
 * LeakyRelu and PRelu: y = x + (α − 1)·min(x, 0), with α a scalar (LeakyRelu) or a constant slope tensor
 * broadcast to x (PRelu); the product is exact at scale s + s_α, then rescaled.
 */
export function quantizeLeaky(ctx: QuantContext, node: GraphNode, op: Extract<Op, { type: 'LeakyRelu' | 'PRelu' }>): TensorId {
  const { e } = ctx;
  const x = ctx.value(node.inputs[0]);
  const t = e.t(x);
  const n = e.clamp(node.name, x, undefined, 0n, `${node.output}#neg`);
  let slopes: Float64Array;
  let slopeShape: readonly number[] = [1];
  if (op.type === 'LeakyRelu') slopes = Float64Array.of(op.alpha - 1);
  else {
    const sn = node.inputs[1];
    if (!ctx.isConst(sn)) ctx.unsupported(node, 'the slope must be a constant');
    const c = ctx.constant(sn);
    slopes = c.data.map((v) => v - 1);
    slopeShape = c.shape;
  }
  let part: TensorId;
  let s: number;
  if (slopes.length === 1) {
    const k = scaleForRange(Math.abs(slopes[0]), ctx.opts.weightBits, 30);
    s = t.scale + k;
    part = e.scale(node.name, n, quantizeReal(slopes[0], k), s);
  } else {
    const k = ctx.weightScale(slopes);
    s = t.scale + k;
    const c = e.broadcast(node.name, ctx.quantConst(`${node.name}/slope-1`, slopeShape, slopes, k), t.shape);
    part = e.emit(node.name, `${node.output}#negpart`, t.shape, s, { kind: 'hadamard', a: n, b: c });
  }
  const y = e.emit(node.name, `${node.output}#sum`, t.shape, s, { kind: 'add', a: e.alignTo(node.name, x, s), b: part });
  return ctx.requantize(node, y);
}

/**
 * ThresholdedRelu: x where x > α, else 0. With t = floor(α·2^s), x > α ⇔ q − t ≥ 1 for the integer q, so the
 * mask clamp(q − t, 0, 1) is exact and y = q ∘ mask at the input's scale.
 */
export function quantizeThresholdedRelu(ctx: QuantContext, node: GraphNode, op: Extract<Op, { type: 'ThresholdedRelu' }>): TensorId {
  const { e } = ctx;
  const x = ctx.value(node.inputs[0]);
  const t = e.t(x);
  const threshold = BigInt(Math.floor(op.alpha * 2 ** t.scale));
  const d = e.emit(node.name, `${node.output}#over`, t.shape, t.scale, { kind: 'sub', a: x, b: e.fill(node.name, threshold, t.scale, t.shape, `${node.output}/threshold`) });
  const mask = e.relabel(node.name, e.clamp(node.name, d, 0n, 1n, `${node.output}#mask`), 0, `${node.output}#mask01`);
  return e.emit(node.name, node.output, t.shape, t.scale, { kind: 'hadamard', a: x, b: mask });
}

/**
 * Shrink: x − b where x > λ, x + b where x < −λ, else 0. With t = floor(λ·2^s) and u = ceil(−λ·2^s), the masks
 * [q > t] = clamp(q − t, 0, 1) and [q < u] = clamp(u − q, 0, 1) are exact; y = up ∘ (q − b) + down ∘ (q + b) with b
 * quantized at the input's scale.
 */
export function quantizeShrink(ctx: QuantContext, node: GraphNode, op: Extract<Op, { type: 'Shrink' }>): TensorId {
  const { e } = ctx;
  const x = ctx.value(node.inputs[0]);
  const t = e.t(x);
  const mask = (name: string, a: TensorId, b: TensorId) => e.relabel(node.name, e.clamp(node.name, e.emit(node.name, `${name}#d`, t.shape, t.scale, { kind: 'sub', a, b }), 0n, 1n, `${name}#clamp`), 0, name);
  const up = mask(`${node.output}#up`, x, e.fill(node.name, BigInt(Math.floor(op.lambd * 2 ** t.scale)), t.scale, t.shape, `${node.output}/lambd`));
  const down = mask(`${node.output}#down`, e.fill(node.name, BigInt(Math.ceil(-op.lambd * 2 ** t.scale)), t.scale, t.shape, `${node.output}/-lambd`), x);
  const b = quantizeReal(op.bias, t.scale);
  const minus = e.emit(node.name, `${node.output}#x-b`, t.shape, t.scale, { kind: 'add', a: x, b: e.fill(node.name, -b, t.scale, t.shape, `${node.output}/-bias`) });
  const plus = e.emit(node.name, `${node.output}#x+b`, t.shape, t.scale, { kind: 'add', a: x, b: e.fill(node.name, b, t.scale, t.shape, `${node.output}/bias`) });
  const hi = e.emit(node.name, `${node.output}#upper`, t.shape, t.scale, { kind: 'hadamard', a: up, b: minus });
  const lo = e.emit(node.name, `${node.output}#lower`, t.shape, t.scale, { kind: 'hadamard', a: down, b: plus });
  return e.emit(node.name, node.output, t.shape, t.scale, { kind: 'add', a: hi, b: lo });
}
