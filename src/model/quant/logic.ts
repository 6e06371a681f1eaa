/**
 * Quantizers of comparisons, boolean connectives and Where. Booleans are integers 0 and 1 at scale 0;
 * comparisons of integers q_a, q_b at one scale are exact clamps of their difference, connectives are
 * polynomials in 0/1 values, and Where is a selection (a permute for a constant condition, else
 * y + c ∘ (x − y)). Comparing quantized reals is exact for the quantized values: two reals closer than the
 * quantization step may compare equal.
 * @module
 */
import type { GraphNode } from '../graph';
import type { ComparisonOpType, LogicOpType } from '../op';
import { broadcastMap } from '../index-map';
import { sizeOf, type Shape } from '../shape';
import type { QuantContext } from './context';
import type { TensorId } from './qmodel';

/** The operands at one scale (the largest of the run-time ones; constants quantized at it), broadcast to `out`. */
function aligned(ctx: QuantContext, node: GraphNode, names: readonly string[], out: Shape): TensorId[] {
  const { e } = ctx;
  const runtime = names.filter((n) => !ctx.isConst(n));
  const s = Math.max(...runtime.map((n) => e.t(ctx.value(n)).scale));
  return names.map((n) => {
    if (!ctx.isConst(n)) return e.broadcast(node.name, e.alignTo(node.name, ctx.value(n), s), out);
    const c = ctx.constant(n);
    return e.broadcast(node.name, ctx.quantConst(`${node.name}/${n}`, c.shape, c.data, s), out);
  });
}

/** clamp(v, 0, 1) read as a boolean at scale 0. */
function step(ctx: QuantContext, node: GraphNode, v: TensorId, name: string): TensorId {
  return ctx.e.relabel(node.name, ctx.e.clamp(node.name, v, 0n, 1n, `${name}/clamp`), 0, name);
}

/**
 * a > b ⇔ q_a − q_b ≥ 1 and a ≥ b ⇔ q_a − q_b + 1 ≥ 1 for integers, so Greater = clamp(q_a − q_b, 0, 1),
 * GreaterOrEqual = clamp(q_a − q_b + 1, 0, 1) (Less and LessOrEqual swap the operands), and
 * Equal = 1 − [a > b] − [b > a].
 */
export function quantizeComparison(ctx: QuantContext, node: GraphNode, type: ComparisonOpType): TensorId {
  const { e } = ctx;
  const out = ctx.shape(node.output);
  const [a, b] = aligned(ctx, node, node.inputs, out);
  const s = e.t(a).scale;
  const [p, q] = type === 'Less' || type === 'LessOrEqual' ? [b, a] : [a, b];
  const d = e.emit(node.name, `${node.output}#diff`, out, s, { kind: 'sub', a: p, b: q });
  if (type === 'Greater' || type === 'Less') return step(ctx, node, d, node.output);
  if (type === 'GreaterOrEqual' || type === 'LessOrEqual') {
    const d1 = e.emit(node.name, `${node.output}#diff+1`, out, s, { kind: 'add', a: d, b: e.fill(node.name, 1n, s, out, `${node.output}/one`) });
    return step(ctx, node, d1, node.output);
  }
  return isZero(ctx, node, d, node.output);
}

/** [d = 0] for an integer tensor d (any scale), as 1 − [d > 0] − [−d > 0] at scale 0, named `name`. */
export function isZero(ctx: QuantContext, node: GraphNode, d: TensorId, name: string): TensorId {
  const { e } = ctx;
  const out = e.t(d).shape;
  const above = step(ctx, node, d, `${name}#above`);
  const below = step(ctx, node, e.negate(node.name, d, `${name}#-diff`), `${name}#below`);
  const differ = e.emit(node.name, `${name}#differ`, out, 0, { kind: 'add', a: above, b: below });
  return e.emit(node.name, name, out, 0, { kind: 'sub', a: e.fill(node.name, 1n, 0, out, `${name}/one`), b: differ });
}

/** And = a∘b, Or = a + b − a∘b, Xor = a + b − 2·a∘b, Not = 1 − a, for 0/1 operands at scale 0. */
export function quantizeLogic(ctx: QuantContext, node: GraphNode, type: LogicOpType | 'Not'): TensorId {
  const { e } = ctx;
  const out = ctx.shape(node.output);
  const [a, b] = aligned(ctx, node, node.inputs, out);
  if (type === 'Not') return e.emit(node.name, node.output, out, 0, { kind: 'sub', a: e.fill(node.name, 1n, 0, out, `${node.output}/one`), b: a });
  const both = e.emit(node.name, type === 'And' ? node.output : `${node.output}#and`, out, 0, { kind: 'hadamard', a, b });
  if (type === 'And') return both;
  const sum = e.emit(node.name, `${node.output}#sum`, out, 0, { kind: 'add', a, b });
  const overlap = type === 'Or' ? both : e.scale(node.name, both, 2n, 0);
  return e.emit(node.name, node.output, out, 0, { kind: 'sub', a: sum, b: overlap });
}

/** Where(c, x, y): a permute choosing from x and y for a constant condition, else y + c ∘ (x − y) (exact). */
export function quantizeWhere(ctx: QuantContext, node: GraphNode): TensorId {
  const { e } = ctx;
  const out = ctx.shape(node.output);
  const [cn, xn, yn] = node.inputs;
  const [x, y] = aligned(ctx, node, [xn, yn], out);
  if (ctx.isConst(cn)) {
    const c = ctx.constant(cn);
    const n = sizeOf(out);
    const mc = broadcastMap(c.shape, out);
    const map = Int32Array.from(mc, (src, i) => (c.data[src] !== 0 ? i : n + i));
    return e.permute(node.name, node.output, [x, y], map, out);
  }
  const c = e.broadcast(node.name, e.relabel(node.name, ctx.value(cn), 0, `${node.output}#cond`), out);
  const s = e.t(x).scale;
  const diff = e.emit(node.name, `${node.output}#x-y`, out, s, { kind: 'sub', a: x, b: y });
  const chosen = e.emit(node.name, `${node.output}#chosen`, out, s, { kind: 'hadamard', a: c, b: diff });
  return e.emit(node.name, node.output, out, s, { kind: 'add', a: y, b: chosen });
}
