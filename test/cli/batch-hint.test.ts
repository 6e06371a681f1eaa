import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BlockfoldError } from '../../src/errors';
import { InputError, InputLengthError } from '../../src/model/errors';
import { readSamples } from '../../src/pipeline/artifacts';
import { batchShape, readSamplesWithBatchHint } from '../../src/cli/batch-hint';

test('batchShape: the shape whose first dimension alone changes to hold the given values, else undefined', () => {
  assert.deepEqual(batchShape([1, 4], 12), [3, 4]);
  assert.deepEqual(batchShape([3, 2, 2], 4), [1, 2, 2], 'the converse: fewer samples than the batch');
  assert.deepEqual(batchShape([5], 2), [2], 'a 1-D input: its one dimension');
  assert.equal(batchShape([1, 4], 4), undefined, 'the length fits');
  assert.equal(batchShape([1, 4], 10), undefined, 'not a whole number of samples');
  assert.equal(batchShape([1, 4], 0), undefined);
  assert.equal(batchShape([], 3), undefined, 'a scalar has no batch');
});

test('readSamplesWithBatchHint: a length off only in dimension 0 names the shape and the advice, in every input-file form; other errors are unchanged', () => {
  const inputs = [{ name: 'x', shape: [1, 4] }];
  const advice = (input: { name: string }, shape: readonly number[]) => `use ${input.name}=${shape.join(',')}`;
  const twelve = Array.from({ length: 12 }, (_, i) => i / 12);
  const hinted = (json: unknown, shape: string) =>
    assert.throws(
      () => readSamplesWithBatchHint(json, inputs, advice),
      (e: unknown) => e instanceof BlockfoldError && e.code === 'INPUT' && e.message.endsWith(`these values make the shape [${shape}]: use x=${shape.replace(/, /g, ',')}`) && e.cause instanceof InputError,
      JSON.stringify(json).slice(0, 60),
    );
  hinted({ x: twelve }, '3, 4');
  hinted({ input_data: [twelve] }, '3, 4');
  hinted([{ x: twelve.slice(0, 4) }, { x: twelve }], '3, 4');
  hinted({ x: [twelve.slice(0, 4), twelve.slice(4, 8)] }, '2, 4');
  // The converse: a batch of 3 given one sample, or N samples of one.
  const batch = [{ name: 'x', shape: [3, 4] }];
  assert.throws(() => readSamplesWithBatchHint({ x: twelve.slice(0, 4) }, batch, advice), /needs 12; these values make the shape \[1, 4\]: use x=1,4$/);
  assert.throws(() => readSamplesWithBatchHint({ shape: [3, 4], data: twelve }, batch, advice), /do not make 3 samples of 12; these values make the shape \[1, 4\]: use x=1,4$/);
  // No hint: a length that is no whole batch, no advice, another error.
  const plain = (json: unknown, given: typeof inputs, a: (input: { name: string }, shape: readonly number[]) => string | undefined) =>
    assert.throws(() => readSamplesWithBatchHint(json, given, a), (e: unknown) => e instanceof InputError && !/these values make/.test(e.message));
  plain({ x: twelve.slice(0, 5) }, inputs, advice);
  plain({ x: twelve }, inputs, () => undefined);
  plain({ x: [0.1, 0.2, 0.3, 'a'] }, inputs, advice);
  assert.deepEqual(readSamplesWithBatchHint({ x: twelve }, [{ name: 'x', shape: [3, 4] }], advice)[0].x.shape, [3, 4], 'a length that fits reads as before');
});

test('readSamples refuses a sample of the wrong length with an InputLengthError carrying what one sample gives', () => {
  const twelve = Array.from({ length: 12 }, (_, i) => i / 12);
  const given = (json: unknown, inputs: { name: string; shape: number[] }[], n: number) =>
    assert.throws(() => readSamples(json, inputs), (e: unknown) => e instanceof InputLengthError && e.tensor === 'x' && e.given === n);
  given({ x: twelve }, [{ name: 'x', shape: [1, 4] }], 12);
  given({ input_data: [twelve.slice(0, 5)] }, [{ name: 'x', shape: [1, 4] }], 5);
  given({ shape: [3, 4], data: twelve }, [{ name: 'x', shape: [3, 4] }], 4);
  assert.throws(() => readSamples({ x: [0.1, 0.2, 0.3, 'a'] }, [{ name: 'x', shape: [1, 4] }]), (e: unknown) => e instanceof InputError && !(e instanceof InputLengthError));
});
