/**
 * The typed ops of the graph IR. Each op carries its attributes already resolved: inputs that ONNX passes
 * as tensors but that only parameterise the op (Reshape's shape, Slice's starts/ends, Squeeze's axes, Clip's
 * bounds, Pow's exponent, ReduceMean's axes) are read from constants when the graph is built, so the op
 * here is fully static.
 * @module
 */

import type { ResampleAxis } from './resample';

/** Elementwise binary ops with numpy broadcasting. */
export type BinaryOpType = 'Add' | 'Sub' | 'Mul' | 'Div' | ComparisonOpType | LogicOpType;
/** Comparisons: boolean results (0 or 1). */
export type ComparisonOpType = 'Equal' | 'Greater' | 'GreaterOrEqual' | 'Less' | 'LessOrEqual';
/** Boolean connectives of boolean operands. */
export type LogicOpType = 'And' | 'Or' | 'Xor';
/** Elementwise unary nonlinearities and copies. */
export type UnaryOpType = 'Relu' | 'Sigmoid' | 'Tanh' | 'Erf' | 'Sqrt' | 'Identity' | CalibratedUnaryOpType | ExactUnaryOpType | 'Softplus' | 'Mish' | 'HardSwish' | 'Not';
/** Unary functions quantized as lookups on the calibrated range of their input. */
export type CalibratedUnaryOpType = 'Exp' | 'Log' | 'Reciprocal' | 'Sin' | 'Cos' | 'Tan' | 'Asin' | 'Acos' | 'Atan' | 'Sinh' | 'Cosh' | 'Asinh' | 'Acosh' | 'Atanh' | 'Softsign';
/** Unary functions computed exactly on the integers (negation, absolute value, sign, rounding to integers). */
export type ExactUnaryOpType = 'Neg' | 'Abs' | 'Sign' | 'Floor' | 'Ceil' | 'Round';
/** Elementwise ops over any number of inputs, with numpy broadcasting. */
export type VariadicOpType = 'Max' | 'Min' | 'Sum' | 'Mean';
/** Reductions over a set of axes. */
export type ReduceOpType = 'ReduceMean' | 'ReduceSum' | 'ReduceMax' | 'ReduceMin' | 'ReduceL1' | 'ReduceL2' | 'ReduceSumSquare' | 'ReduceLogSum' | 'ReduceLogSumExp';

/**
 * 2-D window geometry shared by Conv and the pools: kernel, strides, pads [top, left, bottom, right], dilations.
 * `lifted`: a 1-D window over [N, C, L], computed as the 2-D window over [N, C, 1, L] (kernel [1, k]).
 */
export interface Window2D {
  readonly kernel: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly pads: readonly [number, number, number, number];
  readonly dilations: readonly [number, number];
  readonly lifted: boolean;
}

/** Geometry of a pooling window over any number of spatial axes: per axis kernel, stride, dilation; pads [begins…, ends…]. */
export interface WindowND {
  readonly kernel: readonly number[];
  readonly strides: readonly number[];
  readonly pads: readonly number[];
  readonly dilations: readonly number[];
}

/** One axis of a resolved Slice: the output takes `count` elements starting at `start`, `step` apart. */
export interface SliceAxis {
  readonly axis: number;
  readonly start: number;
  readonly step: number;
  readonly count: number;
}

/** A graph IR op. */
export type Op =
  | { readonly type: BinaryOpType }
  | { readonly type: UnaryOpType }
  | { readonly type: 'Gelu'; readonly approximate: 'none' | 'tanh' }
  /** x for x ≥ 0, `alpha`·x below (LeakyRelu; PRelu reads the slopes from its second input instead). */
  | { readonly type: 'LeakyRelu'; readonly alpha: number }
  | { readonly type: 'PRelu' }
  /**
   * QuantizeLinear (to integers in [qmin, qmax]) and DequantizeLinear with constant scales and zero points, one
   * per tensor or one per index of `axis`.
   */
  | { readonly type: 'QuantizeLinear'; readonly axis: number; readonly scale: Float64Array; readonly zeroPoint: Float64Array; readonly qmin: number; readonly qmax: number }
  | { readonly type: 'DequantizeLinear'; readonly axis: number; readonly scale: Float64Array; readonly zeroPoint: Float64Array }
  /** Shifts of unsigned integers of `bits` bits by constant amounts (a left shift wraps at that width). */
  | { readonly type: 'BitShift'; readonly left: boolean; readonly bits: number }
  /** The remainder of x by a constant divisor: with the divisor's sign, or the dividend's (`fmod`, C's fmod). */
  | { readonly type: 'Mod'; readonly fmod: boolean }
  /** Elu α(eˣ − 1), Celu α(e^(x/α) − 1) and Selu γα(eˣ − 1) below zero; x (Selu γx) above. */
  | { readonly type: 'Elu' | 'Celu'; readonly alpha: number }
  | { readonly type: 'Selu'; readonly alpha: number; readonly gamma: number }
  /** max(0, min(1, αx + β)). */
  | { readonly type: 'HardSigmoid'; readonly alpha: number; readonly beta: number }
  /** x where x > α, else 0. */
  | { readonly type: 'ThresholdedRelu'; readonly alpha: number }
  | { readonly type: VariadicOpType }
  /** Where(condition, x, y): x where the condition holds, else y (all three broadcast). */
  | { readonly type: 'Where' }
  | { readonly type: 'Clip'; readonly min: number; readonly max: number }
  | { readonly type: 'Pow'; readonly exponent: number }
  | { readonly type: 'MatMul' }
  | { readonly type: 'Gemm'; readonly alpha: number; readonly beta: number; readonly transA: boolean; readonly transB: boolean }
  | { readonly type: 'Softmax'; readonly axis: number; readonly coerce2d: boolean }
  /**
   * Normalization over the axes from `axis` on, split into `groups` equal rows (GroupNormalization; default 1);
   * `perChannel` (InstanceNormalization, GroupNormalization): the scale and bias hold one value per channel
   * (axis 1) instead of one per normalized cell; `perGroup` (GroupNormalization before opset 21): one per group.
   */
  | { readonly type: 'LayerNormalization'; readonly axis: number; readonly epsilon: number; readonly perChannel?: boolean; readonly groups?: number; readonly perGroup?: boolean }
  | { readonly type: 'BatchNormalization'; readonly epsilon: number }
  /** (x − mean)/σ over `axes` (no scale or bias). */
  | { readonly type: 'MeanVarianceNormalization'; readonly axes: readonly number[] }
  | ({ readonly type: 'Conv'; readonly group: number } & Window2D)
  /** A 3-D Conv over [N, C, D, H, W], with the output shape resolved. */
  | { readonly type: 'Conv3D'; readonly group: number; readonly window: WindowND; readonly shape: readonly number[] }
  /**
   * ConvTranspose as a convolution: `spread` maps the input into `spreadShape` (NCHW, NCL for a 1-D one, NCDHW for a 3-D one; strides as zeros between
   * cells, the transposed padding around), then `conv` (stride 1) with the flipped, channel-exchanged kernel.
   */
  | { readonly type: 'ConvTranspose'; readonly spread: Int32Array; readonly spreadShape: readonly number[]; readonly conv: Extract<Op, { type: 'Conv' | 'Conv3D' }>; readonly shape: readonly number[] }
  | ({ readonly type: 'MaxPool'; readonly ceilMode: boolean } & Window2D)
  | ({ readonly type: 'AveragePool'; readonly ceilMode: boolean; readonly countIncludePad: boolean } & Window2D)
  /** 3-D MaxPool / AveragePool over [N, C, D, H, W], with the output shape resolved. */
  | { readonly type: 'Pool3D'; readonly kind: 'max' | 'average'; readonly countIncludePad: boolean; readonly window: WindowND; readonly shape: readonly number[] }
  | { readonly type: 'GlobalAveragePool' }
  | { readonly type: ReduceOpType; readonly axes: readonly number[]; readonly keepdims: boolean }
  /** The k largest (smallest) values along `axis` in order, or their indices (the lower index first among equals). */
  | { readonly type: 'TopK'; readonly axis: number; readonly k: number; readonly largest: boolean; readonly output: 'values' | 'indices' }
  /** Index of the first (or last) maximum (minimum) along `axis`, as an integer. */
  | { readonly type: 'ArgMax' | 'ArgMin'; readonly axis: number; readonly keepdims: boolean; readonly selectLastIndex: boolean }
  | { readonly type: 'GlobalMaxPool' }
  /** One-hot of the first maximum along `axis` (all axes from `axis` on before opset 13). */
  | { readonly type: 'Hardmax'; readonly axis: number; readonly coerce2d: boolean }
  /** x − bias where x > lambd, x + bias where x < −lambd, else 0. */
  | { readonly type: 'Shrink'; readonly bias: number; readonly lambd: number }
  | { readonly type: 'LogSoftmax'; readonly axis: number; readonly coerce2d: boolean }
  | { readonly type: 'Reshape'; readonly shape: readonly number[] }
  | { readonly type: 'Transpose'; readonly perm: readonly number[] }
  | { readonly type: 'Concat'; readonly axis: number }
  | { readonly type: 'Slice'; readonly axes: readonly SliceAxis[] }
  | { readonly type: 'Gather'; readonly axis: number }
  /**
   * A copy under a public index map (see `index-map.ts`): cell i of the output is input cell map[i], or `fill` where
   * map[i] = −1. `inputs`: the node inputs read (positions; [0] when absent), their cells laid end to end (Scatter
   * reads the data and the updates).
   */
  | { readonly type: 'Move'; readonly shape: readonly number[]; readonly map: Int32Array; readonly fill: number; readonly inputs?: readonly number[] }
  /** Einsum of one or two operands: output cell o is `Σ_c Π_k x_k[maps[k][o·summed + c]]` (see `einsum.ts`). */
  | { readonly type: 'Einsum'; readonly shape: readonly number[]; readonly summed: number; readonly maps: readonly Int32Array[] }
  /** Scatter with an "add" reduction: a copy into rows of `k` cells (data then updates, laid end to end), then the row sums. */
  | { readonly type: 'ScatterAdd'; readonly shape: readonly number[]; readonly map: Int32Array; readonly k: number }
  /** One-hot along `axis` of the output: `on` where the index (negative: from the end) equals the position, else `off`. */
  | { readonly type: 'OneHot'; readonly axis: number; readonly depth: number; readonly on: number; readonly off: number }
  /** Linear or cubic Resize: the axes resampled one after the other (see `resample.ts`); `fill` is the extrapolation value. */
  | { readonly type: 'Resample'; readonly shape: readonly number[]; readonly axes: readonly ResampleAxis[]; readonly fill: number }
  /** Running sums along `axis` (`exclusive`: without the current cell; `reverse`: from the end). */
  | { readonly type: 'CumSum'; readonly axis: number; readonly exclusive: boolean; readonly reverse: boolean };

/** The ONNX op types the graph IR supports (`Constant` nodes are folded away when the graph is built). */
export const SUPPORTED_OPS: readonly string[] = [
  'Add', 'Sub', 'Mul', 'Div', 'Relu', 'Sigmoid', 'Tanh', 'Erf', 'Sqrt', 'Identity', 'Gelu', 'Clip', 'Pow',
  'MatMul', 'Gemm', 'Softmax', 'LayerNormalization', 'BatchNormalization', 'Conv', 'MaxPool', 'AveragePool',
  'GlobalAveragePool', 'ReduceMean', 'ReduceSum', 'Flatten', 'Reshape', 'Transpose', 'Concat', 'Slice', 'Gather',
  'Squeeze', 'Unsqueeze', 'Constant',
  'Exp', 'Log', 'Reciprocal', 'Sin', 'Cos', 'Tan', 'Asin', 'Acos', 'Atan', 'Sinh', 'Cosh', 'Asinh', 'Acosh', 'Atanh', 'Softsign',
  'Neg', 'Abs', 'Sign', 'Floor', 'Ceil', 'Round', 'Softplus', 'Mish', 'HardSwish', 'HardSigmoid', 'LeakyRelu', 'PRelu', 'Mod', 'BitShift', 'OneHot', 'QuantizeLinear', 'DequantizeLinear', 'Elu',
  'Celu', 'Selu', 'ThresholdedRelu', 'Max', 'Min', 'Sum', 'Mean', 'ReduceMax', 'ReduceMin', 'ReduceL1', 'ReduceL2',
  'ReduceSumSquare', 'ReduceLogSum', 'ReduceLogSumExp', 'ArgMax', 'ArgMin', 'GlobalMaxPool', 'LogSoftmax',
  'Pad', 'Tile', 'Expand', 'DepthToSpace', 'SpaceToDepth', 'GatherElements', 'Trilu', 'Resize', 'Upsample', 'Compress',
  'ReverseSequence', 'TopK', 'Einsum', 'GatherND', 'ScatterElements', 'Scatter', 'ScatterND', 'Split', 'CumSum', 'Dropout', 'Cast', 'Equal', 'Greater', 'GreaterOrEqual', 'Less', 'LessOrEqual',
  'And', 'Or', 'Xor', 'Not', 'Where', 'ConvTranspose', 'InstanceNormalization', 'GroupNormalization', 'MeanVarianceNormalization', 'Hardmax', 'Shrink', 'CastLike',
];

/** Ops whose result is boolean. */
export const BOOLEAN_OPS: ReadonlySet<string> = new Set(['Equal', 'Greater', 'GreaterOrEqual', 'Less', 'LessOrEqual', 'And', 'Or', 'Xor', 'Not']);
