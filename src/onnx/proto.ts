/**
 * The protobufjs message types of the ONNX schema, built once from {@link ONNX_SCHEMA}.
 * @module
 */
import protobuf from 'protobufjs';
import { ONNX_SCHEMA } from './schema';

const root = protobuf.Root.fromJSON(ONNX_SCHEMA);

/** `onnx.ModelProto`: decode model bytes with it, or encode test models. */
export const ModelProtoType: protobuf.Type = root.lookupType('onnx.ModelProto');
/** `onnx.TensorProto`: the format of ONNX test-data `.pb` files. */
export const TensorProtoType: protobuf.Type = root.lookupType('onnx.TensorProto');

/** Conversion used for every decoded message: 64-bit integers as decimal strings, so none is rounded. */
export const TO_OBJECT_OPTIONS: protobuf.IConversionOptions = { longs: String, arrays: true, oneofs: true };
