/**
 * ONNX import: protobuf bytes → plain decoded model data.
 * @module
 */
export { parseOnnx, parseTensorProto } from './parse';
export { OnnxError } from './errors';
export { ModelProtoType, TensorProtoType } from './proto';
export type { ElemType, OnnxAttribute, OnnxDim, OnnxModel, OnnxNode, OnnxSubgraph, OnnxTensor, OnnxValueInfo } from './types';
