/**
 * Errors raised while reading ONNX bytes.
 * @module
 */
import { BlockfoldError } from '../errors';

/** ONNX bytes that blockfold cannot read: malformed protobuf, missing fields, external data, unsupported data types. */
export class OnnxError extends BlockfoldError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ONNX', message, options);
  }
}
