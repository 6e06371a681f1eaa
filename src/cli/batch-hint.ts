/**
 * The hint of an input file whose values fit the model's input but for its first (batch) dimension: a model with a
 * symbolic batch (set to 1 unless `--input-shape` gives it) given several samples in one array, or the converse. The
 * length error of `readSamples` then also names the shape those values make and how to get it: `--input-shape`, which
 * sets a symbolic dimension at `inspect` and `compile` (a compiled model's shapes are fixed, so `prove` can only say
 * to compile again). The hint never changes what is read: the error stays an `INPUT` error, exit 2.
 * @module
 */
import { BlockfoldError } from '../errors';
import { InputError } from '../model/errors';
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

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const count = (v: unknown) => (Array.isArray(v) ? v.flat(Infinity).length : 1);

/** How many values each sample of an input file gives input `name`, in the forms `readSamples` reads (see `--help`). */
function givenCounts(json: unknown, inputs: readonly InputSpec[], name: string): number[] {
  if (Array.isArray(json)) return json.flatMap((s) => (isRecord(s) && name in s ? [count(s[name])] : []));
  if (!isRecord(json)) return [];
  if ('input_data' in json) {
    const i = inputs.findIndex((s) => s.name === name);
    return Array.isArray(json.input_data) && i < json.input_data.length ? [count(json.input_data[i])] : [];
  }
  // {"shape": [N, …], "data": […]}: each of the N samples has the shape after N.
  if ('shape' in json && ('pixels' in json || 'data' in json)) return Array.isArray(json.shape) && json.shape.every((d) => Number.isSafeInteger(d)) ? [product(json.shape.slice(1) as number[])] : [];
  return name in json ? [count(json[name])] : [];
}

/**
 * `readSamples(json, inputs)`; when it refuses an input's length and that input's values make {@link batchShape} of
 * its shape, the error also names that shape and `advice(input, shape)` (nothing is added when advice is undefined).
 */
export function readSamplesWithBatchHint(json: unknown, inputs: readonly InputSpec[], advice: (input: InputSpec, shape: readonly number[]) => string | undefined): Record<string, Tensor>[] {
  try {
    return readSamples(json, inputs);
  } catch (e) {
    const input = e instanceof InputError ? inputs.find((s) => s.name === e.tensor) : undefined;
    const shape = input && givenCounts(json, inputs, input.name).map((n) => batchShape(input.shape, n)).find((s) => s !== undefined);
    const hint = input && shape && advice(input, shape);
    if (!hint) throw e;
    throw new BlockfoldError('INPUT', `${(e as Error).message}; these values make the shape [${shape!.join(', ')}]: ${hint}`, { cause: e });
  }
}
