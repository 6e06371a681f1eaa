/**
 * The ONNX model as blockfold reads it: plain data decoded from the protobuf, with tensors already converted
 * to numbers and attributes to tagged values. No semantics (shapes, op meaning) are applied here.
 * @module
 */

/** Element types blockfold can decode (ONNX `TensorProto.DataType` names, lower-case). */
export type ElemType =
  | 'float32'
  | 'float64'
  | 'float16'
  | 'bfloat16'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'bool';

/**
 * A dense tensor with its values as float64. Integer values whose magnitude is below 2^53 are exact;
 * larger int64 values (such as INT64_MAX used as "to the end" in Slice) keep their order of magnitude,
 * which is all ONNX uses them for.
 */
export interface OnnxTensor {
  readonly name: string;
  readonly elemType: ElemType;
  readonly dims: readonly number[];
  readonly values: Float64Array;
}

/** One dimension of a declared shape: a size, a symbolic name, or unknown. */
export type OnnxDim = number | string | null;

/** A declared graph input or output (or a `value_info` entry). */
export interface OnnxValueInfo {
  readonly name: string;
  readonly elemType: ElemType | null;
  /** null when the model declares no shape. */
  readonly shape: readonly OnnxDim[] | null;
}

/**
 * A subgraph (the body of a control-flow attribute): its nodes, its own initializers and its output names. Values
 * it reads without defining come from the enclosing graph. blockfold only inlines the branch of an `If` whose
 * condition is known at compile time.
 */
export interface OnnxSubgraph {
  readonly nodes: readonly OnnxNode[];
  readonly initializers: ReadonlyMap<string, OnnxTensor>;
  readonly outputs: readonly string[];
}

/** A decoded attribute value. A single subgraph is kept (see {@link OnnxSubgraph}); lists of subgraphs only as a marker. */
export type OnnxAttribute =
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'tensor'; readonly value: OnnxTensor }
  | { readonly kind: 'floats'; readonly value: readonly number[] }
  | { readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly kind: 'strings'; readonly value: readonly string[] }
  | { readonly kind: 'graph'; readonly graph?: OnnxSubgraph }
  | { readonly kind: 'unsupported'; readonly what: string };

/** A graph node. `name` is the node's own name, or `<opType>_<index>` when the model gives none. */
export interface OnnxNode {
  readonly name: string;
  readonly opType: string;
  /** '' for the default ONNX domain (`ai.onnx` is normalised to ''). */
  readonly domain: string;
  /** Input value names; '' marks an omitted optional input. */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: ReadonlyMap<string, OnnxAttribute>;
}

/** A decoded ONNX model. */
export interface OnnxModel {
  readonly irVersion: number;
  /** Opset version per domain ('' = default ONNX domain). */
  readonly opsets: ReadonlyMap<string, number>;
  readonly producer: string;
  readonly graphName: string;
  /** Graph inputs that are not initializers, in declaration order. */
  readonly inputs: readonly OnnxValueInfo[];
  readonly outputs: readonly OnnxValueInfo[];
  /** Shapes declared for intermediate values (may be empty). */
  readonly valueInfo: readonly OnnxValueInfo[];
  readonly initializers: ReadonlyMap<string, OnnxTensor>;
  /** Nodes in file order (ONNX requires topological order; the graph builder checks it). */
  readonly nodes: readonly OnnxNode[];
}
