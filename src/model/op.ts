/**
 * The typed ops of the graph IR. Each op carries its attributes already resolved: inputs that ONNX passes
 * as tensors but that only parameterise the op (Reshape's shape, Slice's starts/ends, Squeeze's axes, Clip's
 * bounds, Pow's exponent, ReduceMean's axes) are read from constants when the graph is built, so the op
 * here is fully static.
 * @module
 */

/** Elementwise binary ops with numpy broadcasting. */
export type BinaryOpType = 'Add' | 'Sub' | 'Mul' | 'Div';
/** Elementwise unary nonlinearities and copies. */
export type UnaryOpType = 'Relu' | 'Sigmoid' | 'Tanh' | 'Erf' | 'Sqrt' | 'Identity';

/** 2-D window geometry shared by Conv and the pools: kernel, strides, pads [top, left, bottom, right], dilations. */
export interface Window2D {
  readonly kernel: readonly [number, number];
  readonly strides: readonly [number, number];
  readonly pads: readonly [number, number, number, number];
  readonly dilations: readonly [number, number];
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
  | { readonly type: 'Clip'; readonly min: number; readonly max: number }
  | { readonly type: 'Pow'; readonly exponent: number }
  | { readonly type: 'MatMul' }
  | { readonly type: 'Gemm'; readonly alpha: number; readonly beta: number; readonly transA: boolean; readonly transB: boolean }
  | { readonly type: 'Softmax'; readonly axis: number; readonly coerce2d: boolean }
  | { readonly type: 'LayerNormalization'; readonly axis: number; readonly epsilon: number }
  | { readonly type: 'BatchNormalization'; readonly epsilon: number }
  | ({ readonly type: 'Conv'; readonly group: number } & Window2D)
  | ({ readonly type: 'MaxPool'; readonly ceilMode: boolean } & Window2D)
  | ({ readonly type: 'AveragePool'; readonly ceilMode: boolean; readonly countIncludePad: boolean } & Window2D)
  | { readonly type: 'GlobalAveragePool' }
  | { readonly type: 'ReduceMean' | 'ReduceSum'; readonly axes: readonly number[]; readonly keepdims: boolean }
  | { readonly type: 'Reshape'; readonly shape: readonly number[] }
  | { readonly type: 'Transpose'; readonly perm: readonly number[] }
  | { readonly type: 'Concat'; readonly axis: number }
  | { readonly type: 'Slice'; readonly axes: readonly SliceAxis[] }
  | { readonly type: 'Gather'; readonly axis: number };

/** The ONNX op types the graph IR supports (`Constant` nodes are folded away when the graph is built). */
export const SUPPORTED_OPS: readonly string[] = [
  'Add', 'Sub', 'Mul', 'Div', 'Relu', 'Sigmoid', 'Tanh', 'Erf', 'Sqrt', 'Identity', 'Gelu', 'Clip', 'Pow',
  'MatMul', 'Gemm', 'Softmax', 'LayerNormalization', 'BatchNormalization', 'Conv', 'MaxPool', 'AveragePool',
  'GlobalAveragePool', 'ReduceMean', 'ReduceSum', 'Flatten', 'Reshape', 'Transpose', 'Concat', 'Slice', 'Gather',
  'Squeeze', 'Unsqueeze', 'Constant',
];
