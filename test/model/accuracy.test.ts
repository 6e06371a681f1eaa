/**
 * Accuracy stays measured: `layerAccuracy` reports, per layer, the quantized-vs-float error on the calibration
 * inputs (max and mean absolute error, cosine similarity), and the figures move the way precision does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compile, layerAccuracy } from '../../src/pipeline/compile';
import { randomFeeds, residualCnn } from './deep-models';

const spec = { layers: 4, channels: 2, inputChannels: 3, size: 4, classes: 4 };
const bytes = residualCnn(spec);
const samples = randomFeeds('x', [1, 3, 4, 4], 6, 11);

test('per-layer error on the calibration inputs: one row per node, in graph order, close at 16 bits', async () => {
  const rows = await layerAccuracy(bytes, compile(bytes, samples), samples);
  assert.deepEqual(rows.map((r) => r.node).slice(-2), ['flatten', 'fc']);
  for (const r of rows) {
    assert.ok(r.cosine > 0.9999 && r.cosine <= 1 + 1e-12, `${r.value}: cosine ${r.cosine}`);
    assert.ok(r.maxAbsError >= r.meanAbsError && r.maxAbsError <= 0.01 * Math.max(1, r.maxAbsFloat), `${r.value}: max|err| ${r.maxAbsError}`);
  }
});

test('fewer activation bits show up as larger per-layer errors and lower cosines', async () => {
  const fine = await layerAccuracy(bytes, compile(bytes, samples), samples);
  const coarse = await layerAccuracy(bytes, compile(bytes, samples, { quantization: { activationBits: 7 } }), samples);
  const last = (rows: typeof fine) => rows[rows.length - 1];
  assert.ok(last(coarse).maxAbsError > 10 * last(fine).maxAbsError, `${last(coarse).maxAbsError} vs ${last(fine).maxAbsError}`);
  assert.ok(last(coarse).cosine < last(fine).cosine);
});
