/**
 * `quantize`: graph IR + calibration → {@link QuantModel}.
 * @module
 */
import { QuantizationError } from '../errors';
import type { Graph, GraphNode } from '../graph';
import { verifyBounds } from './bounds';
import type { Calibration } from './calibrate';
import { DEFAULT_QUANT_OPTIONS, MAX_SCALE, QuantContext, type QuantOptions } from './context';
import { Emitter } from './emitter';
import { quantizeAddSub, quantizeBatchNorm, quantizeConv, quantizeConv3D, quantizeConvTranspose, quantizeDiv, quantizeGemm, quantizeMatMul, quantizeMul } from './linear';
import { quantizeBitShift } from './bit-shift';
import { quantizeDequantizeLinear, quantizeQuantizeLinear } from './qdq';
import { quantizeMod } from './modulo';
import { quantizeOneHot } from './one-hot';
import { quantizeAveragePool, quantizePool3D, quantizeConcat, quantizeCumSum, quantizeIndexMove, quantizeMaxPool, quantizeMove, quantizeReduce, quantizeReshape, quantizeResample, quantizeScatterAdd, quantizeEinsum } from './movement';
import { quantizeComparison, quantizeLogic, quantizeWhere } from './logic';
import { quantizeLeaky, quantizeRounding, quantizeSignOps, quantizeShrink, quantizeThresholdedRelu } from './exact';
import { quantizeCalibrated, quantizeClip, quantizeGatedUnary, quantizeGelu, quantizeHardSigmoid, quantizeOneSided, quantizePow, quantizeRelu, quantizeSaturating, quantizeSqrt } from './nonlinear';
import { quantizeArgExtreme, quantizeHardmax, quantizeLogSoftmax, quantizeReduction, quantizeVariadic, quantizeTopK } from './reduce';
import { quantizeLayerNorm, quantizeMeanVarianceNormalization, quantizeSoftmax } from './normalize';
import type { QuantModel, TensorId } from './qmodel';
import { quantizeReal, scaleForRange } from './rounding';
import { identityMap } from '../index-map';
import { sizeOf } from '../shape';
import { TableDomains } from './table-domains';
import { tableFunction, type TableSpec } from './tables';

/** The largest `maxBoundBits` accepted: every integer must stay far below r/2 ≈ 2^253 (docs/soundness.md rule 9). */
export const MAX_BOUND_BITS_LIMIT = 240;

/** Emits the quantized ops of one graph node and returns the tensor holding its output. */
function quantizeNode(ctx: QuantContext, node: GraphNode): TensorId {
  const op = node.op;
  switch (op.type) {
    case 'MatMul':
      return quantizeMatMul(ctx, node);
    case 'Gemm':
      return quantizeGemm(ctx, node, op);
    case 'Conv':
      return quantizeConv(ctx, node, op);
    case 'Conv3D':
      return quantizeConv3D(ctx, node, op);
    case 'ConvTranspose':
      return quantizeConvTranspose(ctx, node, op);
    case 'BatchNormalization':
      return quantizeBatchNorm(ctx, node, op);
    case 'Add':
      return quantizeAddSub(ctx, node, 'add');
    case 'Sub':
      return quantizeAddSub(ctx, node, 'sub');
    case 'Mul':
      return quantizeMul(ctx, node);
    case 'Div':
      return quantizeDiv(ctx, node);
    case 'Relu':
      return quantizeRelu(ctx, node);
    case 'Clip':
      return quantizeClip(ctx, node, op);
    case 'Sigmoid':
      return quantizeSaturating(ctx, node, 'sigmoid');
    case 'Tanh':
      return quantizeSaturating(ctx, node, 'tanh');
    case 'Erf':
      return quantizeSaturating(ctx, node, 'erf');
    case 'Gelu':
      return quantizeGelu(ctx, node, op);
    case 'Sqrt':
      return quantizeSqrt(ctx, node);
    case 'Pow':
      return quantizePow(ctx, node, op);
    case 'Identity':
      return ctx.value(node.inputs[0]);
    case 'Softmax':
      return quantizeSoftmax(ctx, node, op);
    case 'LayerNormalization':
      return quantizeLayerNorm(ctx, node, op);
    case 'MeanVarianceNormalization':
      return quantizeMeanVarianceNormalization(ctx, node, op);
    case 'MaxPool':
      return quantizeMaxPool(ctx, node, op);
    case 'AveragePool':
      return quantizeAveragePool(ctx, node, op);
    case 'Pool3D':
      return quantizePool3D(ctx, node, op);
    case 'GlobalAveragePool':
      return quantizeReduce(ctx, node, ctx.shape(node.inputs[0]).map((_, i) => i).slice(2), true);
    case 'ReduceMean':
    case 'ReduceSum':
      return quantizeReduce(ctx, node, op.axes, op.type === 'ReduceMean');
    case 'ReduceMax':
    case 'ReduceMin':
    case 'ReduceL1':
    case 'ReduceL2':
    case 'ReduceSumSquare':
    case 'ReduceLogSum':
    case 'ReduceLogSumExp':
      return quantizeReduction(ctx, node, op.type, op.axes);
    case 'GlobalMaxPool':
      return quantizeReduction(ctx, node, 'ReduceMax', ctx.shape(node.inputs[0]).map((_, i) => i).slice(2));
    case 'ArgMax':
    case 'ArgMin':
      return quantizeArgExtreme(ctx, node, op);
    case 'LogSoftmax':
      return quantizeLogSoftmax(ctx, node, op);
    case 'Max':
    case 'Min':
    case 'Sum':
    case 'Mean':
      return quantizeVariadic(ctx, node, op.type);
    case 'Exp':
    case 'Log':
    case 'Reciprocal':
    case 'Sin':
    case 'Cos':
    case 'Tan':
    case 'Asin':
    case 'Acos':
    case 'Atan':
    case 'Sinh':
    case 'Cosh':
    case 'Asinh':
    case 'Acosh':
    case 'Atanh':
    case 'Softsign':
      return quantizeCalibrated(ctx, node, op.type);
    case 'Neg':
    case 'Abs':
    case 'Sign':
      return quantizeSignOps(ctx, node, op.type);
    case 'Floor':
    case 'Ceil':
    case 'Round':
      return quantizeRounding(ctx, node, op.type);
    case 'LeakyRelu':
    case 'PRelu':
      return quantizeLeaky(ctx, node, op);
    case 'Mod':
      return quantizeMod(ctx, node, op);
    case 'BitShift':
      return quantizeBitShift(ctx, node, op);
    case 'QuantizeLinear':
      return quantizeQuantizeLinear(ctx, node, op);
    case 'DequantizeLinear':
      return quantizeDequantizeLinear(ctx, node, op);
    case 'OneHot':
      return quantizeOneHot(ctx, node, op);
    case 'TopK':
      return quantizeTopK(ctx, node, op);
    case 'ThresholdedRelu':
      return quantizeThresholdedRelu(ctx, node, op);
    case 'Shrink':
      return quantizeShrink(ctx, node, op);
    case 'Hardmax':
      return quantizeHardmax(ctx, node, op);
    case 'HardSigmoid':
      return quantizeHardSigmoid(ctx, node, op);
    case 'HardSwish':
    case 'Mish':
      return quantizeGatedUnary(ctx, node, op.type);
    case 'Elu':
    case 'Celu':
    case 'Selu':
      return quantizeOneSided(ctx, node, op);
    case 'Softplus':
      return quantizeOneSided(ctx, node, { type: 'Softplus' });
    case 'Reshape':
      return quantizeReshape(ctx, node);
    case 'Transpose':
    case 'Slice':
    case 'Gather':
      return quantizeMove(ctx, node, op);
    case 'Concat':
      return quantizeConcat(ctx, node, op);
    case 'Move':
      return quantizeIndexMove(ctx, node, op);
    case 'Resample':
      return quantizeResample(ctx, node, op);
    case 'ScatterAdd':
      return quantizeScatterAdd(ctx, node, op);
    case 'Einsum':
      return quantizeEinsum(ctx, node, op);
    case 'Equal':
    case 'Greater':
    case 'GreaterOrEqual':
    case 'Less':
    case 'LessOrEqual':
      return quantizeComparison(ctx, node, op.type);
    case 'And':
    case 'Or':
    case 'Xor':
    case 'Not':
      return quantizeLogic(ctx, node, op.type);
    case 'Where':
      return quantizeWhere(ctx, node);
    case 'CumSum':
      return quantizeCumSum(ctx, node, op);
  }
}

/**
 * The accepted range of each quantization option, checked before any work: wider values only waste table
 * and field bits, or ask for tables and integers no prover can hold (2^tableBits entries per table; values
 * below 2^maxBoundBits, far below r/2 ≈ 2^253 by docs/soundness.md rule 9). `margin` is a real number, the others
 * are integers.
 */
export const QUANT_OPTION_LIMITS: Readonly<Record<keyof QuantOptions, readonly [number, number]>> = {
  activationBits: [2, 32],
  weightBits: [2, 32],
  tableBits: [1, 20],
  margin: [1, 65536],
  maxBoundBits: [1, MAX_BOUND_BITS_LIMIT],
};

/** Refuses (typed {@link QuantizationError}) an option outside {@link QUANT_OPTION_LIMITS}. */
export function checkQuantOptions(opts: Required<QuantOptions>): void {
  for (const [name, [lo, hi]] of Object.entries(QUANT_OPTION_LIMITS) as [keyof QuantOptions, readonly [number, number]][]) {
    const v = opts[name];
    const integer = name !== 'margin';
    if (typeof v !== 'number' || !Number.isFinite(v) || (integer && !Number.isInteger(v)) || v < lo || v > hi)
      throw new QuantizationError(`${name} must be ${integer ? 'an integer' : 'a number'} in ${lo}…${hi}, got ${String(v)}`);
  }
}

/**
 * Quantizes a graph: each input gets a power-of-two scale from its calibrated range (inputs are accepted up
 * to margin × the calibrated magnitude), weights are quantized at setup, and every node becomes quantized
 * ops (see docs/quantization.md). Every tensor's bound is proven by interval arithmetic and checked against
 * 2^maxBoundBits. Tables of one function and scales are built over the union of their domains: a first pass
 * collects the domains the lookups want, and when `TableDomains.merge` (`table-domains.ts`) widens any, a second pass
 * builds every table over its merged domain, its bounds from the widened tables. A widened table widens its lookup's
 * output bound, and a later choice made from a bound (a partial lookup's domain and output scale) may then differ, so
 * the second pass is kept only when it asked for the same tables and gave every tensor the same scale as the first:
 * then every op and every integer of the model is what it was, and only the tables hold more entries. Otherwise the
 * first pass's model, with its tables apart, is the result. Throws {@link QuantizationError} or
 * {@link UnsupportedOpError} naming the node or tensor.
 */
export function quantize(graph: Graph, calibration: Calibration, options: QuantOptions = {}): QuantModel {
  const opts = { ...DEFAULT_QUANT_OPTIONS, ...options };
  const apart = quantizeOver(graph, calibration, opts);
  const domains = TableDomains.merge(apart.wanted);
  if (!domains.widens) return apart.model;
  const merged = quantizeOver(graph, calibration, opts, domains);
  return sameTablesAndScales(apart, merged) ? merged.model : apart.model;
}

/** Two passes asked for the same tables (function, scales and domain, in order) and chose the same tensors and scales. */
function sameTablesAndScales(a: QuantizationPass, b: QuantizationPass): boolean {
  const tables = (p: QuantizationPass) => p.wanted.map((s) => `${tableFunction(s)}|[${s.lo},${s.hi}]`).join('\n');
  const tensors = (p: QuantizationPass) => p.model.tensors.map((t) => `${t.name}@${t.scale}`).join('\n');
  return tables(a) === tables(b) && tensors(a) === tensors(b);
}

/** One quantization pass: its model and the table specs its lookups asked for. */
export interface QuantizationPass {
  readonly model: QuantModel;
  readonly wanted: readonly TableSpec[];
}

/**
 * One quantization pass (see {@link quantize}) with every table built over its function's domain in `domains`
 * (its own domain without), and the table specs the lookups asked for.
 */
export function quantizeOver(graph: Graph, calibration: Calibration, options: QuantOptions, domains?: TableDomains): QuantizationPass {
  const opts = { ...DEFAULT_QUANT_OPTIONS, ...options };
  checkQuantOptions(opts);
  const e = new Emitter(opts.maxBoundBits, domains);
  const ctx = new QuantContext(e, graph, calibration, opts);
  const inputs = graph.inputs.map((input) => {
    const r = calibration.ranges.get(input.name) ?? { min: 0, max: 0 };
    const limit = opts.margin * Math.max(Math.abs(r.min), Math.abs(r.max));
    if (!Number.isFinite(limit)) throw new QuantizationError(`input "${input.name}": calibrated magnitude ${limit} is too large to quantize`, input.name);
    // Integer and boolean inputs are exact at scale 0; a boolean input is accepted only as 0 or 1.
    const exact = input.elemType === 'bool' || /^u?int/.test(input.elemType);
    const scale = exact ? 0 : scaleForRange(limit, opts.activationBits, MAX_SCALE);
    const q = quantizeReal(limit, scale);
    const id = e.leaf(input.name, input.shape, scale, 'input', input.elemType === 'bool' ? { lo: 0n, hi: 1n } : { lo: -q, hi: q });
    ctx.values.set(input.name, id);
    return { name: input.name, tensor: id };
  });
  for (const node of graph.nodes) ctx.values.set(node.output, quantizeNode(ctx, node));
  const outputs = graph.outputs.map((name) => {
    if (ctx.isConst(name)) {
      const c = ctx.constant(name);
      ctx.values.set(name, ctx.quantConst(name, c.shape, c.data, ctx.weightScale(c.data)));
    }
    const id = ctx.value(name);
    // An output that is an input (Identity, Dropout, a float Cast) is a proven copy, so that the statement binds both.
    if (e.t(id).role !== 'input') return { name, tensor: id };
    return { name, tensor: e.permute(name, `${name}#copy`, [id], identityMap(sizeOf(e.t(id).shape)), e.t(id).shape) };
  });
  const model = { tensors: e.tensors, ops: e.ops, tables: e.tables, inputs, outputs, values: ctx.values, maxBoundBits: 0 };
  return { model: { ...model, maxBoundBits: verifyBounds(model, opts.maxBoundBits) }, wanted: e.wanted };
}
