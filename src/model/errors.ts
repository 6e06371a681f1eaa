/**
 * Errors raised by the model compiler front half (graph building, quantization, integer execution).
 * @module
 */
import { BlockfoldError } from '../errors';

/** A node whose op (or op variant) blockfold does not support. Names the node and the op. */
export class UnsupportedOpError extends BlockfoldError {
  readonly node: string;
  readonly opType: string;
  /** Why the node is refused, without the node and op the message starts with (a report that names them prints this). */
  readonly reason: string;
  constructor(node: string, opType: string, reason: string) {
    super('UNSUPPORTED', `node "${node}" (${opType}): ${reason}`);
    this.node = node;
    this.opType = opType;
    this.reason = reason;
  }
}

/** Shapes that do not fit together, or a declared shape that disagrees with the inferred one. */
export class ShapeError extends BlockfoldError {
  constructor(message: string) {
    super('SHAPE', message);
  }
}

/** A model that cannot be quantized soundly (a bound too large for the field, a table too large, no calibration data). */
export class QuantizationError extends BlockfoldError {
  readonly tensor: string | undefined;
  constructor(message: string, tensor?: string) {
    super('QUANTIZATION', message);
    this.tensor = tensor;
  }
}

/** An input value the compiled model cannot accept (wrong shape, outside the calibrated range, not finite). */
export class InputError extends BlockfoldError {
  readonly tensor: string;
  constructor(tensor: string, message: string) {
    super('INPUT', `input "${tensor}": ${message}`);
    this.tensor = tensor;
  }
}

/**
 * An {@link InputError} for a sample of an input with another number of values than the input's shape holds; `given`
 * is the number one sample gives (a caller can tell from it whether only a batch dimension is off).
 */
export class InputLengthError extends InputError {
  readonly given: number;
  constructor(tensor: string, message: string, given: number) {
    super(tensor, message);
    this.given = given;
  }
}

/**
 * A value outside the range calibration chose for it: a requantized activation beyond its proven range. The
 * proof range-checks it, so this input cannot be proven with this compiled model. Names the tensor, the node,
 * the value and the range (integers and the real values they stand for), and the fix.
 */
export class RangeExceededError extends BlockfoldError {
  readonly tensor: string;
  readonly node: string;
  readonly value: bigint;
  readonly lo: bigint;
  readonly hi: bigint;
  constructor(tensor: string, node: string, value: bigint, lo: bigint, hi: bigint, scale: number) {
    const real = (q: bigint) => Number(q) * 2 ** -scale;
    super(
      'INPUT',
      `tensor "${tensor}" of node "${node}": value ${real(value)} (integer ${value}) is outside its calibrated range [${real(lo)}, ${real(hi)}] (integers [${lo}, ${hi}] at scale 2^-${scale}), which the proof enforces; recompile with a larger --margin (or calibration inputs like this one)`,
    );
    this.tensor = tensor;
    this.node = node;
    this.value = value;
    this.lo = lo;
    this.hi = hi;
  }
}
