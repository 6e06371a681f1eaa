/**
 * The hint of an input file whose values fit the model's input but for its first (batch) dimension: a model with a
 * symbolic batch (set to 1 unless `--input-shape` gives it) given several samples in one array, or the converse. The
 * length error of `readSamples` then also names the shape those values make and how to get it: `--input-shape`, which
 * sets a symbolic dimension at `inspect` and `compile` (a compiled model's shapes are fixed, so `prove` can only say
 * to compile again). The hint never changes what is read: the error stays an `INPUT` error, exit 2.
 * @module
 */
import { BlockfoldError } from '../errors';
import { InputLengthError } from '../model/errors';
import type { Tensor } from '../model/tensor';
import { readSamples, type InputSpec } from '../pipeline/artifacts';

const product = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

/**
 * The shape `[given / p, d1, …]` (p = d1·d2·…) when `given` values fill every dimension of `shape` but the first and
 * only the first count is wrong; undefined otherwise (no first dimension, or `given` not a multiple of p).
 */
export function batchShape(shape: readonly number[], given: number): number[] | undefined {
  const per = product(shape.slice(1));
  if (shape.length === 0 || per === 0 || given === 0 || given % per !== 0 || given / per === shape[0]) return undefined;
  return [given / per, ...shape.slice(1)];
}

/**
 * `readSamples(json, inputs)`; when it refuses an input's length (an `InputLengthError`) and the values one sample
 * gives make {@link batchShape} of the input's shape, the error also names that shape and `advice(input, shape)` (nothing is added when advice is undefined).
 */
export function readSamplesWithBatchHint(json: unknown, inputs: readonly InputSpec[], advice: (input: InputSpec, shape: readonly number[]) => string | undefined): Record<string, Tensor>[] {
  try {
    return readSamples(json, inputs);
  } catch (e) {
    const input = e instanceof InputLengthError ? inputs.find((s) => s.name === e.tensor) : undefined;
    const shape = input && batchShape(input.shape, (e as InputLengthError).given);
    const hint = input && shape && advice(input, shape);
    if (!hint) throw e;
    throw new BlockfoldError('INPUT', `${(e as Error).message}; these values make the shape [${shape!.join(', ')}]: ${hint}`, { cause: e });
  }
}
