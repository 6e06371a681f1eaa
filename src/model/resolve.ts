/**
 * Turns one ONNX node into a typed {@link Op}: reads attributes, folds the parameter inputs that must be
 * constants, and infers output shapes. Opset differences (attributes that became inputs) are handled here.
 * @module
 */
import type { OnnxNode } from '../onnx/types';
import { elemTypeOf } from '../onnx/tensor';
import { attrFloat, attrInt, attrInts, attrString } from './attributes';
import { ShapeError } from './errors';
import { resolveEinsum } from './einsum';
import { inferShapes } from './infer';
import { resolveMove, MOVE_OPS } from './move-ops';
import { checkGeneratedCells, constInts, constScalar, dataInput, unsupported, type ResolveContext } from './node-inputs';
import { SUPPORTED_OPS, type Op, type SliceAxis } from './op';
import { normalizeAxis, sizeOf, type Shape } from './shape';
import { readWindow2D, resolveConv3D, resolveConvTranspose, resolvePool3D } from './window';

export type { ResolveContext } from './node-inputs';

/** A resolved node: its op, the value names it reads at run time, and its output shapes. */
export interface ResolvedNode {
  readonly op: Op;
  readonly inputs: readonly string[];
  readonly outputShapes: readonly Shape[];
}

const UNARY = new Set([
  'Relu', 'Sigmoid', 'Tanh', 'Erf', 'Sqrt', 'Identity', 'Exp', 'Log', 'Reciprocal', 'Sin', 'Cos', 'Tan', 'Asin', 'Acos', 'Atan',
  'Sinh', 'Cosh', 'Asinh', 'Acosh', 'Atanh', 'Softsign', 'Neg', 'Abs', 'Sign', 'Floor', 'Ceil', 'Round', 'Softplus', 'Mish', 'HardSwish', 'Not',
]);
const BINARY = new Set(['Add', 'Sub', 'Mul', 'Div', 'Equal', 'Greater', 'GreaterOrEqual', 'Less', 'LessOrEqual', 'And', 'Or', 'Xor']);
const VARIADIC = new Set(['Max', 'Min', 'Sum', 'Mean']);

/** Rejects nodes that ask for optional outputs blockfold does not compute. */
function singleOutput(node: OnnxNode): void {
  if (node.outputs.slice(1).some((o) => o !== '')) unsupported(node, 'only the first output is supported');
}

function resolveSlice(node: OnnxNode, ctx: ResolveContext, shape: Shape): SliceAxis[] {
  const starts = ctx.opset < 10 ? attrInts(node, 'starts') : constInts(node, ctx, 1, 'starts');
  const ends = ctx.opset < 10 ? attrInts(node, 'ends') : constInts(node, ctx, 2, 'ends');
  if (starts === undefined || ends === undefined || starts.length !== ends.length) throw new ShapeError(`node "${node.name}": Slice needs starts and ends of equal length`);
  const axes = (ctx.opset < 10 ? attrInts(node, 'axes') : constInts(node, ctx, 3, 'axes')) ?? starts.map((_, i) => i);
  const steps = (ctx.opset < 10 ? undefined : constInts(node, ctx, 4, 'steps')) ?? starts.map(() => 1);
  return axes.map((a, i) => {
    const axis = normalizeAxis(a, shape.length, `node "${node.name}"`);
    const dim = shape[axis];
    const step = steps[i];
    if (step === 0) throw new ShapeError(`node "${node.name}": Slice step 0`);
    const clampStart = (v: number) => (step > 0 ? Math.min(Math.max(v, 0), dim) : Math.min(Math.max(v, -1), dim - 1));
    const norm = (v: number) => (v < 0 ? v + dim : v);
    const start = clampStart(norm(starts[i]));
    const end = clampStart(norm(ends[i]));
    const count = step > 0 ? Math.max(0, Math.ceil((end - start) / step)) : Math.max(0, Math.ceil((start - end) / -step));
    return { axis, start, step, count };
  });
}

/** Output shape of a Reshape with ONNX's 0 (copy) and −1 (infer) conventions. */
function reshapeTarget(node: OnnxNode, input: Shape, spec: readonly number[], allowZero: boolean): number[] {
  const out = spec.map((d, i) => (d === 0 && !allowZero ? input[i] : d));
  const known = out.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const unknown = out.filter((d) => d === -1).length;
  if (unknown > 1) throw new ShapeError(`node "${node.name}": Reshape has more than one -1 in [${spec}]`);
  if (unknown === 1) {
    if (known === 0 || sizeOf(input) % known !== 0) throw new ShapeError(`node "${node.name}": cannot reshape [${input}] to [${spec}]`);
    out[out.indexOf(-1)] = sizeOf(input) / known;
  }
  if (sizeOf(out) !== sizeOf(input)) throw new ShapeError(`node "${node.name}": cannot reshape [${input}] (${sizeOf(input)} values) to [${out}]`);
  return out;
}

/**
 * Split into one Slice per named output: sizes from the `split` attribute (before opset 13) or constant input,
 * else `num_outputs` (opset 18) or the number of outputs, in equal parts (the last one smaller if they do not divide).
 */
export function resolveSplit(node: OnnxNode, ctx: ResolveContext): { output: string; resolved: ResolvedNode }[] {
  const x = dataInput(node);
  const shape = ctx.shape(x);
  const axis = normalizeAxis(attrInt(node, 'axis', 0), shape.length, `node "${node.name}"`);
  const dim = shape[axis];
  let sizes = ctx.opset < 13 ? attrInts(node, 'split') : constInts(node, ctx, 1, 'split');
  if (sizes === undefined) {
    const parts = attrInt(node, 'num_outputs', node.outputs.length);
    const each = Math.ceil(dim / parts);
    sizes = Array.from({ length: parts }, (_, i) => Math.max(0, Math.min(each, dim - i * each)));
  }
  if (sizes.length !== node.outputs.length || sizes.reduce((a, b) => a + b, 0) !== dim || sizes.some((v) => v < 0)) throw new ShapeError(`node "${node.name}": Split sizes [${sizes}] do not divide axis ${axis} of size ${dim} into ${node.outputs.length} outputs`);
  let start = 0;
  return sizes.flatMap((count, i) => {
    const op: Op = { type: 'Slice', axes: [{ axis, start, step: 1, count }] };
    start += count;
    const output = node.outputs[i];
    return output === '' ? [] : [{ output, resolved: { op, inputs: [x], outputShapes: inferShapes(op, [shape], node.name) } }];
  });
}

/**
 * TopK with a constant k into one node per named output (the values, the indices): each selects the k largest (or
 * smallest) along the axis, the lower index first among equal values, in sorted order (`sorted` = 0 is accepted:
 * any order is allowed then).
 */
export function resolveTopK(node: OnnxNode, ctx: ResolveContext): { output: string; resolved: ResolvedNode }[] {
  const x = dataInput(node);
  const shape = ctx.shape(x);
  const axis = normalizeAxis(attrInt(node, 'axis', -1), shape.length, `node "${node.name}"`);
  const k = ctx.opset < 10 ? attrInt(node, 'k', 0) : constScalar(node, ctx, 1, 'k');
  if (k === undefined || !Number.isInteger(k) || k < 1 || k > shape[axis]) throw new ShapeError(`node "${node.name}": TopK needs a constant k in 1..${shape[axis]}, got ${k}`);
  const largest = attrInt(node, 'largest', 1) !== 0;
  return (['values', 'indices'] as const).flatMap((output, i) => {
    const name = node.outputs[i];
    if (name === undefined || name === '') return [];
    const op: Op = { type: 'TopK', axis, k, largest, output };
    return [{ output: name, resolved: { op, inputs: [x], outputShapes: inferShapes(op, [shape], node.name) } }];
  });
}

/** Value ranges of the integer types QuantizeLinear writes. */
const INTEGER_RANGES: ReadonlyMap<string, readonly [number, number]> = new Map([['uint8', [0, 255]], ['int8', [-128, 127]], ['uint16', [0, 65535]], ['int16', [-32768, 32767]]]);

/** Widths of the unsigned integer types (BitShift's operands). */
const UNSIGNED_BITS: ReadonlyMap<string, number> = new Map([['uint8', 8], ['uint16', 16], ['uint32', 32], ['uint64', 64]]);

/** Resolves the op of `node` (see {@link ResolvedNode}); throws {@link UnsupportedOpError} or {@link ShapeError}. */
export function resolveNode(node: OnnxNode, ctx: ResolveContext): ResolvedNode {
  if (node.domain !== '') unsupported(node, `custom domain "${node.domain}" is not supported`);
  for (const [name, a] of node.attributes) {
    if (a.kind === 'graph') unsupported(node, `control flow (attribute "${name}" holds a subgraph) is not supported`);
  }
  // Before the output check, so that a recurrent op (LSTM, GRU, RNN) asking for its state outputs is named as unsupported.
  if (!SUPPORTED_OPS.includes(node.opType)) unsupported(node, 'op is not supported');
  singleOutput(node);
  const op = resolveOp(node, ctx);
  const inputs = runtimeInputs(node, op);
  const outputShapes = inferShapes(op, inputs.map((n) => ctx.shape(n)), node.name);
  return { op: op, inputs, outputShapes };
}

/** The inputs an op reads at run time (parameter inputs folded into the op are dropped). */
function runtimeInputs(node: OnnxNode, op: Op): string[] {
  if (BINARY.has(op.type)) return node.inputs.slice(0, 2);
  switch (op.type) {
    case 'Gemm':
    case 'Conv':
    case 'Conv3D':
    case 'ConvTranspose':
      return node.inputs.filter((n, i) => i < 2 || n !== '');
    case 'LayerNormalization':
      return node.inputs.filter((n, i) => i < 1 || n !== '');
    case 'BatchNormalization':
      return node.inputs.slice(0, 5);
    case 'Gather':
    case 'MatMul':
    case 'PRelu':
    case 'Mod':
    case 'BitShift':
      return node.inputs.slice(0, 2);
    case 'Where':
      return node.inputs.slice(0, 3);
    case 'Concat':
      return [...node.inputs];
    case 'Einsum':
      return node.inputs.map((_, i) => dataInput(node, i));
    case 'Move':
      return (op.inputs ?? [0]).map((i) => dataInput(node, i));
    case 'ScatterAdd':
      return [dataInput(node, 0), dataInput(node, 2)];
    case 'Max':
    case 'Min':
    case 'Sum':
    case 'Mean':
      return node.inputs.filter((n) => n !== '');
    default:
      return [dataInput(node)];
  }
}

function resolveOp(node: OnnxNode, ctx: ResolveContext): Op {
  const t = node.opType;
  if (UNARY.has(t)) {
    dataInput(node);
    return { type: t as 'Relu' };
  }
  if (BINARY.has(t)) {
    dataInput(node, 0);
    dataInput(node, 1);
    return { type: t as 'Add' };
  }
  if (VARIADIC.has(t)) {
    if (node.inputs.every((n) => n === '')) throw new ShapeError(`node "${node.name}" (${t}) has no input`);
    return { type: t as 'Max' };
  }
  if (t === 'Where') {
    for (let i = 0; i < 3; i++) dataInput(node, i);
    return { type: 'Where' };
  }
  const x = dataInput(node);
  if (MOVE_OPS.has(t)) return resolveMove(node, ctx);
  switch (t) {
    case 'Gelu': {
      const approximate = attrString(node, 'approximate', 'none');
      if (approximate !== 'none' && approximate !== 'tanh') unsupported(node, `approximate="${approximate}"`);
      return { type: 'Gelu', approximate };
    }
    case 'CumSum': {
      const axis = constScalar(node, ctx, 1, 'axis');
      if (axis === undefined) throw new ShapeError(`node "${node.name}": CumSum needs an axis`);
      return { type: 'CumSum', axis: normalizeAxis(axis, ctx.shape(x).length, `node "${node.name}"`), exclusive: attrInt(node, 'exclusive', 0) !== 0, reverse: attrInt(node, 'reverse', 0) !== 0 };
    }
    case 'Dropout': {
      // Inference: the identity (the ratio does not matter); training mode would drop values at random.
      const training = ctx.opset >= 12 ? constScalar(node, ctx, 2, 'training_mode') : attrInt(node, 'is_test', 1) === 0 ? 1 : 0;
      if (training) unsupported(node, 'training mode is not supported (inference only)');
      return { type: 'Identity' };
    }
    case 'Cast':
    case 'CastLike': {
      const to = t === 'Cast' ? elemTypeOf(attrInt(node, 'to', 0), `node "${node.name}" (Cast) target`) : (ctx.elemType?.(dataInput(node, 1)) ?? 'float32');
      if (!['float32', 'float64', 'float16', 'bfloat16'].includes(to)) unsupported(node, `casts to ${to} at run time; only casts between float types are supported`);
      return { type: 'Identity' };
    }
    case 'LeakyRelu':
      return { type: 'LeakyRelu', alpha: attrFloat(node, 'alpha', 0.01) };
    case 'PRelu':
      dataInput(node, 1);
      return { type: 'PRelu' };
    case 'Einsum':
      return resolveEinsum(node, node.inputs.map((_, i) => ctx.shape(dataInput(node, i))));
    case 'Mod':
      dataInput(node, 1);
      return { type: 'Mod', fmod: attrInt(node, 'fmod', 0) !== 0 };
    case 'QuantizeLinear':
    case 'DequantizeLinear': {
      const shape = ctx.shape(x);
      const scale = ctx.constant(dataInput(node, 1));
      const zpName = node.inputs[2];
      const zp = zpName ? ctx.constant(zpName) : undefined;
      if (scale === undefined || (zpName && zp === undefined)) unsupported(node, 'the scale and zero point must be constants');
      if (attrInt(node, 'block_size', 0) !== 0) unsupported(node, 'blocked quantization is not supported');
      const n = scale.data.length;
      // The axis matters only for per-axis parameters (a scalar scale applies to every cell).
      const axis = n === 1 ? 0 : normalizeAxis(attrInt(node, 'axis', 1), shape.length, `node "${node.name}"`);
      if (n !== 1 && n !== shape[axis]) throw new ShapeError(`node "${node.name}": ${n} scales for axis ${axis} of size ${shape[axis]}`);
      const zeroPoint = zp ? zp.data : new Float64Array(n);
      if (zeroPoint.length !== n) throw new ShapeError(`node "${node.name}": ${zeroPoint.length} zero points for ${n} scales`);
      if (scale.data.some((v) => !(v > 0) || !Number.isFinite(v))) throw new ShapeError(`node "${node.name}": scales must be positive and finite`);
      if (node.opType === 'DequantizeLinear') return { type: 'DequantizeLinear', axis, scale: scale.data, zeroPoint };
      const type = zpName ? (ctx.elemType?.(zpName) ?? 'uint8') : 'uint8';
      const range = INTEGER_RANGES.get(type);
      if (range === undefined) unsupported(node, `quantizing to ${type} is not supported (8- and 16-bit integers)`);
      return { type: 'QuantizeLinear', axis, scale: scale.data, zeroPoint, qmin: range[0], qmax: range[1] };
    }
    case 'BitShift': {
      dataInput(node, 1);
      const direction = attrString(node, 'direction', '');
      const bits = UNSIGNED_BITS.get(ctx.elemType?.(x) ?? 'float32');
      if (direction !== 'LEFT' && direction !== 'RIGHT') throw new ShapeError(`node "${node.name}": BitShift direction must be LEFT or RIGHT, got "${direction}"`);
      if (bits === undefined) unsupported(node, `BitShift of ${ctx.elemType?.(x) ?? 'float32'} values is not supported (unsigned integers only)`);
      return { type: 'BitShift', left: direction === 'LEFT', bits };
    }
    case 'OneHot': {
      const depth = constScalar(node, ctx, 1, 'depth');
      const values = constInts(node, ctx, 2, 'values');
      if (depth === undefined || !Number.isInteger(depth) || depth < 1) unsupported(node, 'the depth must be a constant positive integer');
      if (values === undefined || values.length !== 2) throw new ShapeError(`node "${node.name}": OneHot needs constant values [off, on]`);
      checkGeneratedCells(node, sizeOf(ctx.shape(x)) * depth, `OneHot of depth ${depth}`);
      return { type: 'OneHot', axis: normalizeAxis(attrInt(node, 'axis', -1), ctx.shape(x).length + 1, `node "${node.name}"`), depth, off: values[0], on: values[1] };
    }
    case 'Elu':
    case 'Celu':
      return { type: t, alpha: attrFloat(node, 'alpha', 1) };
    case 'Selu':
      return { type: 'Selu', alpha: attrFloat(node, 'alpha', 1.67326319217681884765625), gamma: attrFloat(node, 'gamma', 1.05070102214813232421875) };
    case 'HardSigmoid':
      return { type: 'HardSigmoid', alpha: attrFloat(node, 'alpha', 0.2), beta: attrFloat(node, 'beta', 0.5) };
    case 'ThresholdedRelu':
      return { type: 'ThresholdedRelu', alpha: attrFloat(node, 'alpha', 1) };
    case 'ArgMax':
    case 'ArgMin':
      return {
        type: t,
        axis: normalizeAxis(attrInt(node, 'axis', 0), ctx.shape(x).length, `node "${node.name}"`),
        keepdims: attrInt(node, 'keepdims', 1) !== 0,
        selectLastIndex: attrInt(node, 'select_last_index', 0) !== 0,
      };
    case 'Hardmax': {
      const coerce2d = ctx.opset < 13;
      return { type: 'Hardmax', axis: normalizeAxis(attrInt(node, 'axis', coerce2d ? 1 : -1), ctx.shape(x).length, `node "${node.name}"`), coerce2d };
    }
    case 'Shrink':
      return { type: 'Shrink', bias: attrFloat(node, 'bias', 0), lambd: attrFloat(node, 'lambd', 0.5) };
    case 'GlobalMaxPool':
      if (ctx.shape(x).length < 3) throw new ShapeError(`node "${node.name}": GlobalMaxPool needs a rank ≥ 3 input`);
      return { type: 'GlobalMaxPool' };
    case 'LogSoftmax': {
      const coerce2d = ctx.opset < 13;
      return { type: 'LogSoftmax', axis: normalizeAxis(attrInt(node, 'axis', coerce2d ? 1 : -1), ctx.shape(x).length, `node "${node.name}"`), coerce2d };
    }
    case 'Clip': {
      const lo = ctx.opset < 11 ? attrFloat(node, 'min', -Infinity) : constScalar(node, ctx, 1, 'min') ?? -Infinity;
      const hi = ctx.opset < 11 ? attrFloat(node, 'max', Infinity) : constScalar(node, ctx, 2, 'max') ?? Infinity;
      return { type: 'Clip', min: lo, max: hi };
    }
    case 'Pow': {
      const e = constScalar(node, ctx, 1, 'exponent');
      if (e === undefined) throw new ShapeError(`node "${node.name}": Pow needs an exponent`);
      return { type: 'Pow', exponent: e };
    }
    case 'MatMul':
      dataInput(node, 1);
      return { type: 'MatMul' };
    case 'Gemm':
      dataInput(node, 1);
      return {
        type: 'Gemm',
        alpha: attrFloat(node, 'alpha', 1),
        beta: attrFloat(node, 'beta', 1),
        transA: attrInt(node, 'transA', 0) !== 0,
        transB: attrInt(node, 'transB', 0) !== 0,
      };
    case 'Softmax': {
      const coerce2d = ctx.opset < 13;
      return { type: 'Softmax', axis: normalizeAxis(attrInt(node, 'axis', coerce2d ? 1 : -1), ctx.shape(x).length, `node "${node.name}"`), coerce2d };
    }
    case 'LayerNormalization':
      if (attrInt(node, 'stash_type', 1) !== 1) unsupported(node, 'stash_type other than float32');
      dataInput(node, 1);
      return { type: 'LayerNormalization', axis: normalizeAxis(attrInt(node, 'axis', -1), ctx.shape(x).length, `node "${node.name}"`), epsilon: attrFloat(node, 'epsilon', 1e-5) };
    case 'MeanVarianceNormalization': {
      const rank = ctx.shape(x).length;
      const axes = [...new Set((attrInts(node, 'axes') ?? [0, 2, 3]).map((a) => normalizeAxis(a, rank, `node "${node.name}"`)))].sort((a, b) => a - b);
      return { type: 'MeanVarianceNormalization', axes };
    }
    case 'InstanceNormalization':
      if (ctx.shape(x).length < 3) throw new ShapeError(`node "${node.name}": InstanceNormalization needs a rank ≥ 3 input`);
      dataInput(node, 1);
      dataInput(node, 2);
      return { type: 'LayerNormalization', axis: 2, epsilon: attrFloat(node, 'epsilon', 1e-5), perChannel: true };
    case 'GroupNormalization': {
      const shape = ctx.shape(x);
      const groups = attrInt(node, 'num_groups', 0);
      if (shape.length < 3 || groups < 1 || shape[1] % groups !== 0) throw new ShapeError(`node "${node.name}": GroupNormalization needs a rank ≥ 3 input whose ${shape[1]} channels num_groups = ${groups} divides`);
      if (attrInt(node, 'stash_type', 1) !== 1) unsupported(node, 'stash_type other than float32');
      // Before opset 21 the scale and bias hold one value per group, from opset 21 on one per channel.
      const params = ctx.shape(dataInput(node, 1));
      const perGroup = params.length === 1 && params[0] === groups && groups !== shape[1];
      dataInput(node, 2);
      return { type: 'LayerNormalization', axis: 1, epsilon: attrFloat(node, 'epsilon', 1e-5), perChannel: !perGroup, groups, perGroup };
    }
    case 'BatchNormalization':
      if (attrInt(node, 'training_mode', 0) !== 0) unsupported(node, 'training_mode=1 is not supported (inference only)');
      for (let i = 1; i < 5; i++) dataInput(node, i);
      return { type: 'BatchNormalization', epsilon: attrFloat(node, 'epsilon', 1e-5) };
    case 'Conv': {
      const w = ctx.shape(dataInput(node, 1));
      if (w.length === 5) return resolveConv3D(node, ctx.shape(x), w);
      if (w.length !== 4 && w.length !== 3) unsupported(node, `only 1-D, 2-D and 3-D convolutions are supported (weight rank ${w.length})`);
      const kernel = attrInts(node, 'kernel_shape') ?? w.slice(2);
      return { type: 'Conv', group: attrInt(node, 'group', 1), ...readWindow2D(node, ctx.shape(x), kernel) };
    }
    case 'ConvTranspose':
      return resolveConvTranspose(node, ctx.shape(x), ctx.shape(dataInput(node, 1)));
    case 'MaxPool':
      if (ctx.shape(x).length === 5) return resolvePool3D(node, ctx.shape(x));
      return { type: 'MaxPool', ...readWindow2D(node, ctx.shape(x), undefined), ...ceil(node) };
    case 'AveragePool':
      if (ctx.shape(x).length === 5) return resolvePool3D(node, ctx.shape(x));
      return { type: 'AveragePool', countIncludePad: attrInt(node, 'count_include_pad', 0) !== 0, ...readWindow2D(node, ctx.shape(x), undefined), ...ceil(node) };
    case 'GlobalAveragePool':
      if (ctx.shape(x).length < 3) throw new ShapeError(`node "${node.name}": GlobalAveragePool needs a rank ≥ 3 input`);
      return { type: 'GlobalAveragePool' };
    case 'ReduceMean':
    case 'ReduceSum':
    case 'ReduceMax':
    case 'ReduceMin':
    case 'ReduceL1':
    case 'ReduceL2':
    case 'ReduceSumSquare':
    case 'ReduceLogSum':
    case 'ReduceLogSumExp': {
      const rank = ctx.shape(x).length;
      const axesFromInput = t === 'ReduceSum' ? ctx.opset >= 13 : ctx.opset >= 18;
      const spec = axesFromInput ? constInts(node, ctx, 1, 'axes') : attrInts(node, 'axes');
      const noop = attrInt(node, 'noop_with_empty_axes', 0) !== 0;
      const axes = spec === undefined || spec.length === 0 ? (noop ? [] : [...Array(rank).keys()]) : spec.map((a) => normalizeAxis(a, rank, `node "${node.name}"`));
      return { type: t, axes: [...new Set(axes)].sort((a, b) => a - b), keepdims: attrInt(node, 'keepdims', 1) !== 0 };
    }
    case 'Flatten': {
      const s = ctx.shape(x);
      const axis = attrInt(node, 'axis', 1);
      const a = axis < 0 ? axis + s.length : axis;
      if (a < 0 || a > s.length) throw new ShapeError(`node "${node.name}": Flatten axis ${axis} out of range for rank ${s.length}`);
      return { type: 'Reshape', shape: [sizeOf(s.slice(0, a)), sizeOf(s.slice(a))] };
    }
    case 'Reshape': {
      const spec = ctx.opset < 5 ? attrInts(node, 'shape') : constInts(node, ctx, 1, 'shape');
      if (spec === undefined) throw new ShapeError(`node "${node.name}": Reshape needs a shape`);
      return { type: 'Reshape', shape: reshapeTarget(node, ctx.shape(x), spec, attrInt(node, 'allowzero', 0) !== 0) };
    }
    case 'Squeeze': {
      const s = ctx.shape(x);
      const spec = ctx.opset < 13 ? attrInts(node, 'axes') : constInts(node, ctx, 1, 'axes');
      const axes = (spec ?? s.flatMap((d, i) => (d === 1 ? [i] : []))).map((a) => normalizeAxis(a, s.length, `node "${node.name}"`));
      for (const a of axes) if (s[a] !== 1) throw new ShapeError(`node "${node.name}": cannot squeeze axis ${a} of size ${s[a]}`);
      return { type: 'Reshape', shape: s.filter((_, i) => !axes.includes(i)) };
    }
    case 'Unsqueeze': {
      const s = ctx.shape(x);
      const spec = ctx.opset < 13 ? attrInts(node, 'axes') : constInts(node, ctx, 1, 'axes');
      if (spec === undefined) throw new ShapeError(`node "${node.name}": Unsqueeze needs axes`);
      const rank = s.length + spec.length;
      const axes = spec.map((a) => normalizeAxis(a, rank, `node "${node.name}"`));
      const out: number[] = [];
      let j = 0;
      for (let i = 0; i < rank; i++) out.push(axes.includes(i) ? 1 : s[j++]);
      return { type: 'Reshape', shape: out };
    }
    case 'Transpose': {
      const rank = ctx.shape(x).length;
      const perm = attrInts(node, 'perm') ?? [...Array(rank).keys()].reverse();
      if (perm.length !== rank || new Set(perm).size !== rank || perm.some((p) => p < 0 || p >= rank)) throw new ShapeError(`node "${node.name}": invalid perm [${perm}] for rank ${rank}`);
      return { type: 'Transpose', perm };
    }
    case 'Concat': {
      const a = node.attributes.get('axis');
      if (a === undefined || a.kind !== 'int') throw new ShapeError(`node "${node.name}": Concat needs an integer axis`);
      return { type: 'Concat', axis: normalizeAxis(a.value, ctx.shape(x).length, `node "${node.name}"`) };
    }
    case 'Slice':
      return { type: 'Slice', axes: resolveSlice(node, ctx, ctx.shape(x)) };
    case 'Gather':
      dataInput(node, 1);
      return { type: 'Gather', axis: normalizeAxis(attrInt(node, 'axis', 0), ctx.shape(x).length, `node "${node.name}"`) };
    default:
      return unsupported(node, 'op is not supported');
  }
}

/** ONNX `ceil_mode` of a pool: rounds the output size up instead of down. */
function ceil(node: OnnxNode): { ceilMode: boolean } {
  return { ceilMode: attrInt(node, 'ceil_mode', 0) !== 0 };
}
