/**
 * Errors of the accumulation layer.
 * @module
 */
import { BlockfoldError, type EncodingError } from '../src/errors';

/**
 * A proof object that is structurally wrong for what the verifier expects: bad magic, unknown version or
 * kind, fold keys or leaf counts that differ from the caller's, element sizes that do not match the
 * protocol. Truncated or extended bytes are an {@link EncodingError} instead.
 */
export class ProofError extends BlockfoldError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('PROOF', message, options);
  }
}
