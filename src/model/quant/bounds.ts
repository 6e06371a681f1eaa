/**
 * Interval arithmetic over quantized ops: a proven bound on every element of every tensor, from the input
 * bounds, the exact constant values and each op's semantics. Lookup outputs are bounded by their table, and a
 * requantized activation by its calibrated range (which the proof range-checks), so bounds do not compound
 * with depth: they restart at every requantization.
 * @module
 */
import { QuantizationError } from '../errors';
import { sizeOf, type Shape } from '../shape';
import type { Interval, LookupTable, QOp, QTensor, QuantModel } from './qmodel';
import { rescaleInt } from './rounding';

const min = (xs: readonly bigint[]): bigint => xs.reduce((a, b) => (b < a ? b : a));
const max = (xs: readonly bigint[]): bigint => xs.reduce((a, b) => (b > a ? b : a));

/** Interval of the product of two intervals. */
export function mulInterval(a: Interval, b: Interval): Interval {
  const p = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi];
  return { lo: min(p), hi: max(p) };
}

/** [min, max] of a list of integers (constants are bounded by their exact values). */
export function valuesInterval(values: readonly bigint[]): Interval {
  return values.length === 0 ? { lo: 0n, hi: 0n } : { lo: min(values), hi: max(values) };
}

/** Number of bits of the largest magnitude in an interval: ceil(log2(max(|lo|, |hi|) + 1)). */
export function intervalBits(i: Interval): number {
  const m = max([i.lo < 0n ? -i.lo : i.lo, i.hi < 0n ? -i.hi : i.hi]);
  return m.toString(2).length - (m === 0n ? 1 : 0);
}

/**
 * Bound of `Σ_i weight(o, i)·x_i` over `inner` terms with every x_i in `x`, for each of `outputs` outputs o, using
 * the exact weights; then the union over outputs.
 */
function weightedSumBound(x: Interval, outputs: number, inner: number, weight: (o: number, i: number) => bigint): Interval {
  let lo: bigint | undefined;
  let hi: bigint | undefined;
  for (let o = 0; o < outputs; o++) {
    let cl = 0n;
    let ch = 0n;
    for (let i = 0; i < inner; i++) {
      const w = weight(o, i);
      const p = w >= 0n ? [x.lo * w, x.hi * w] : [x.hi * w, x.lo * w];
      cl += p[0];
      ch += p[1];
    }
    lo = lo === undefined || cl < lo ? cl : lo;
    hi = hi === undefined || ch > hi ? ch : hi;
  }
  return { lo: lo ?? 0n, hi: hi ?? 0n };
}

/**
 * Bound of the output of `op` (of shape `outShape`) given the tensors defined so far (their bounds, and data
 * for constants).
 */
export function opBound(op: QOp, outShape: Shape, tensors: readonly QTensor[], tables: ReadonlyMap<string, LookupTable>): Interval {
  const b = (id: number): Interval => tensors[id].bound;
  switch (op.kind) {
    case 'matmul': {
      // A weight on either side: per output column of A·W, or per output row of W·B (channel-major convolution).
      const [wa, wb] = [tensors[op.a].data, tensors[op.b].data];
      if (!op.bBatched && wb) return weightedSumBound(b(op.a), op.n, op.k, (j, i) => wb[i * op.n + j]);
      if (op.batch === 1 && wa) return weightedSumBound(b(op.b), op.m, op.k, (c, i) => wa[c * op.k + i]);
      const p = mulInterval(b(op.a), b(op.b));
      return { lo: BigInt(op.k) * p.lo, hi: BigInt(op.k) * p.hi };
    }
    case 'add':
      return { lo: b(op.a).lo + b(op.b).lo, hi: b(op.a).hi + b(op.b).hi };
    case 'sub':
      return { lo: b(op.a).lo - b(op.b).hi, hi: b(op.a).hi - b(op.b).lo };
    case 'scale':
      return mulInterval(b(op.a), { lo: op.factor, hi: op.factor });
    case 'hadamard':
      return mulInterval(b(op.a), b(op.b));
    case 'lookup': {
      const t = tables.get(op.table);
      if (!t) throw new QuantizationError(`op of node "${op.node}" uses unknown table "${op.table}"`);
      return valuesInterval(t.outputs);
    }
    case 'rescale': {
      const lo = rescaleInt(b(op.input).lo, op.shift);
      const hi = rescaleInt(b(op.input).hi, op.shift);
      // The proof checks a ranged output against its range: the bound is the intersection (empty only if the
      // range misses every value the input allows, then the op can never be proven and quantization refuses it).
      if (!op.range) return { lo, hi };
      const r = { lo: lo > op.range.lo ? lo : op.range.lo, hi: hi < op.range.hi ? hi : op.range.hi };
      if (r.lo > r.hi) throw new QuantizationError(`node "${op.node}": calibrated range [${op.range.lo}, ${op.range.hi}] misses every value of the rescaled input [${lo}, ${hi}]`);
      return r;
    }
    case 'permute': {
      const parts = op.inputs.map(b);
      if (op.map.includes(-1)) parts.push({ lo: op.fill, hi: op.fill });
      return { lo: min(parts.map((p) => p.lo)), hi: max(parts.map((p) => p.hi)) };
    }
    case 'sum': {
      const len = BigInt(sizeOf(tensors[op.input].shape) / sizeOf(outShape));
      return { lo: len * b(op.input).lo, hi: len * b(op.input).hi };
    }
    case 'max':
      return b(op.input);
  }
}

/**
 * Recomputes every op's output bound from the model's input and constant bounds and checks that it equals
 * the recorded one and stays within 2^maxBits. Throws {@link QuantizationError} naming the tensor and bound.
 * Returns the largest bound's bit length.
 */
export function verifyBounds(model: QuantModel, maxBits: number): number {
  let worst = 0;
  for (const t of model.tensors) worst = Math.max(worst, intervalBits(t.bound));
  for (const op of model.ops) {
    const want = opBound(op, model.tensors[op.out].shape, model.tensors, model.tables);
    const got = model.tensors[op.out].bound;
    if (want.lo !== got.lo || want.hi !== got.hi) throw new QuantizationError(`tensor "${model.tensors[op.out].name}" records bound [${got.lo}, ${got.hi}] but its op gives [${want.lo}, ${want.hi}]`, model.tensors[op.out].name);
    checkBound(model.tensors[op.out].name, want, maxBits);
  }
  return worst;
}

/** Throws {@link QuantizationError} if the interval could exceed 2^maxBits in magnitude. */
export function checkBound(name: string, i: Interval, maxBits: number): void {
  const limit = 1n << BigInt(maxBits);
  if (i.lo < -limit || i.hi > limit) {
    throw new QuantizationError(`tensor "${name}" could reach [${i.lo}, ${i.hi}] (${intervalBits(i)} bits), beyond the 2^${maxBits} limit that keeps integers far from wrapping around the field`, name);
  }
}
