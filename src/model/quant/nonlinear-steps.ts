/**
 * The two ways a nonlinearity becomes a table lookup: clamped (total, for saturating functions) and partial
 * (for functions whose useful domain comes from calibration).
 * @module
 */
import type { GraphNode } from '../graph';
import type { QuantContext } from './context';
import type { TensorId } from './qmodel';
import { scaleForRange } from './rounding';
import { saturationPoint, type SaturatingFn } from './tables';

/**
 * A calibrated real range `[min, max]` widened away from zero by the margin m (`min·m` or `min/m`, `max·m` or
 * `max/m`): the values the compiled model accepts may be m times larger in magnitude than calibration saw.
 */
export function widenRange(r: { readonly min: number; readonly max: number }, m: number): [number, number] {
  return [r.min < 0 ? r.min * m : r.min / m, r.max > 0 ? r.max * m : r.max / m];
}

/**
 * y = f(x) for a saturating f, defined for every input: x is rescaled to the largest scale at which the
 * saturation interval [−c, c] fits the table, clamped to it (values beyond c have the same rounded image as
 * c), then looked up. The output has scale `outputScale`.
 */
export function saturatingLookup(ctx: QuantContext, node: GraphNode, x: TensorId, sat: SaturatingFn, outputScale: number, name: string): TensorId {
  const { e } = ctx;
  const c = saturationPoint(sat, outputScale);
  const entries = 2 ** ctx.opts.tableBits - 1;
  const sIn = Math.min(e.t(x).scale, Math.floor(Math.log2((sat.nonPositive ? entries : (entries - 1) / 2) / c)));
  const x1 = e.rescaleTo(node.name, x, sIn);
  const edge = BigInt(Math.ceil(c * 2 ** sIn));
  // Softmax's shifted input is ≤ 0 by construction (x − row max), so only the lower side is clamped.
  const x2 = e.clamp(node.name, x1, -edge, sat.nonPositive ? undefined : edge, `${name}/clamp`);
  const b = e.t(x2).bound;
  const lo = b.lo > -edge ? b.lo : -edge;
  const hiLimit = sat.nonPositive ? 0n : edge;
  const hi = b.hi < hiLimit ? b.hi : hiLimit;
  return e.lookup(node.name, x2, { fn: sat.fn, f: sat.f, inputScale: sIn, outputScale, lo, hi: hi < lo ? lo : hi, maxEntries: 2 ** ctx.opts.tableBits }, name);
}

/**
 * y = f(x) on the calibrated real interval [a, b] (already widened by the caller): x is rescaled so that the
 * interval fits the table; inputs outside it have no image and make the integer interpreter fail with an
 * error naming the tensor. An end where f is not finite (log at 0, atanh at ±1) is moved inwards to the next
 * grid point. The output scale fits max |f| over the table in activationBits signed bits, unless
 * `outputScale` is given.
 */
export function partialLookup(ctx: QuantContext, node: GraphNode, x: TensorId, fn: string, f: (v: number) => number, [a, b]: [number, number], name: string, outputScale?: number): TensorId {
  const { e } = ctx;
  const entries = 2 ** ctx.opts.tableBits - 1;
  const width = Math.max(b - a, 2 ** -20);
  const sIn = Math.min(e.t(x).scale, Math.floor(Math.log2(entries / width)));
  const x1 = e.rescaleTo(node.name, x, sIn);
  const bound = e.t(x1).bound;
  let lo = BigInt(Math.floor(a * 2 ** sIn));
  let hi = BigInt(Math.ceil(b * 2 ** sIn));
  if (bound.lo > lo) lo = bound.lo;
  if (bound.hi < hi) hi = bound.hi;
  if (hi < lo) hi = lo;
  const at = (q: bigint) => f(Number(q) * 2 ** -sIn);
  if (lo < hi && !Number.isFinite(at(lo))) lo++;
  if (lo < hi && !Number.isFinite(at(hi))) hi--;
  let top = 0;
  for (let q = lo; q <= hi; q++) top = Math.max(top, Math.abs(at(q)));
  const sOut = outputScale ?? scaleForRange(top, ctx.opts.activationBits, 30);
  return e.lookup(node.name, x1, { fn, f, inputScale: sIn, outputScale: sOut, lo, hi, maxEntries: 2 ** ctx.opts.tableBits }, name);
}
