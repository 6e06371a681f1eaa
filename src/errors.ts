/**
 * Typed errors. Every failure a caller can cause (bad bytes, bad model, bad SRS, a rejected proof's
 * malformed encoding) is a {@link BlockfoldError} with a stable `code`, so scripts can branch on it.
 * @module
 */

/** Stable error codes. */
export type ErrorCode =
  | 'ENCODING'
  | 'SRS'
  | 'TRANSCRIPT'
  | 'POLY'
  | 'ENGINE'
  | 'BLOCK'
  | 'PROOF'
  | 'ONNX'
  | 'UNSUPPORTED'
  | 'QUANTIZATION'
  | 'SHAPE'
  | 'INPUT'
  | 'COMPILE';

/** Base class of every error blockfold throws on purpose. */
export class BlockfoldError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Bytes that are not a canonical encoding of the expected value (wrong length, off-curve, non-canonical, trailing bytes). */
export class EncodingError extends BlockfoldError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ENCODING', message, options);
  }
}

/** A structured reference string that is malformed, inconsistent, too small, or for another curve. */
export class SrsError extends BlockfoldError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SRS', message, options);
  }
}

/** Misuse of polynomial or domain operations (size not a power of two, domain too large, non-zero remainder). */
export class PolyError extends BlockfoldError {
  constructor(message: string) {
    super('POLY', message);
  }
}

/** Failure inside a computation engine (worker crash, bad handle, an output array of the wrong length). */
export class EngineError extends BlockfoldError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ENGINE', message, options);
  }
}
