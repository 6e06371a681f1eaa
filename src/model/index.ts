/**
 * The model compiler's front half: graph IR, shape inference, float reference interpreter, inspection.
 * @module
 */
export { buildGraph, type BuildOptions, type NodeProblem } from './build';
export { foldBatchNorms } from './fold-batchnorm';
export { moveReluAfterPools } from './relu-after-pool';
export { inspectModel, type ModelInspection } from './inspect';
export { runFloat, checkFeeds } from './float/run';
export { evalOp } from './float/eval';
export type { Graph, GraphInput, GraphNode } from './graph';
export type { Op, Window2D, WindowND, SliceAxis, BinaryOpType, UnaryOpType, CalibratedUnaryOpType, ExactUnaryOpType, VariadicOpType, ReduceOpType, ComparisonOpType, LogicOpType } from './op';
export { SUPPORTED_OPS } from './op';
export type { ResampleAxis } from './resample';
export { tensor, type Tensor } from './tensor';
export type { Shape } from './shape';
export { InputError, InputLengthError, QuantizationError, RangeExceededError, ShapeError, UnsupportedOpError } from './errors';
export * from './quant/index';
