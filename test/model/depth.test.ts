/**
 * Depth does not matter: every requantized activation is proven inside its calibrated range, so the bound
 * analysis restarts at each layer instead of compounding. A 12-block transformer encoder and a 20-layer residual
 * CNN (small widths here; full size in `bench/depth.ts`) compile, prove and verify; a value that leaves its
 * calibrated range is a typed error naming the tensor, the node, the value and the range, at interpretation and at
 * prove time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildGraph } from '../../src/model/build';
import { RangeExceededError } from '../../src/model/errors';
import { calibrate } from '../../src/model/quant/calibrate';
import { dequantizeTensor, runQuantized } from '../../src/model/quant/interpret';
import { quantize } from '../../src/model/quant/quantize';
import { runFloat } from '../../src/model/float/run';
import { tensor, type Tensor } from '../../src/model/tensor';
import { parseOnnx } from '../../src/onnx/index';
import { compile, quantizeFeeds, type CompiledWithQuant } from '../../src/pipeline/compile';
import { setup } from '../../src/pipeline/keys';
import { prove, verify } from '../../src/pipeline/prove-verify';
import { proveV2 } from '../../src/pipeline/prove-verify-v2';
import { createInsecureDevSrs } from '../../src/srs/dev';
import { encodeModel, floatData, node, valueInfo } from '../onnx/builder';
import { randomFeeds, residualCnn, transformerEncoder } from './deep-models';

const SMALL_ENCODER = { sequence: 4, width: 8, heads: 2 };

async function proveAndVerify(model: CompiledWithQuant, feeds: Record<string, Tensor>) {
  const srs = await createInsecureDevSrs(Math.ceil(Math.log2(model.srsG1Powers)), { g1Powers: model.srsG1Powers, g2Powers: 2 });
  const pk = await setup(model, srs);
  const { statement, proof } = await prove(pk, quantizeFeeds(model, feeds));
  assert.equal((await verify(pk.vk, statement, proof.bytes)).ok, true);
}

/** Largest |quantized − float| of the model output on `feeds`, relative to the largest |float| output. */
function relativeOutputError(bytes: Uint8Array, model: CompiledWithQuant, feeds: readonly Record<string, Tensor>[]): number {
  const graph = buildGraph(parseOnnx(bytes));
  const out = model.quant.outputs[0];
  let err = 0;
  let mag = 0;
  for (const f of feeds) {
    const want = runFloat(graph, f).get(out.name)!.data;
    const got = dequantizeTensor(model.quant, runQuantized(model.quant, f), out.tensor).data;
    want.forEach((v, i) => {
      err = Math.max(err, Math.abs(v - got[i]));
      mag = Math.max(mag, Math.abs(v));
    });
  }
  return err / mag;
}

test('bounds restart at every requantization: 12 encoder blocks need about the bits of one', () => {
  const bits = [1, 12].map((blocks) => {
    const bytes = transformerEncoder({ blocks, ...SMALL_ENCODER });
    const graph = buildGraph(parseOnnx(bytes));
    return quantize(graph, calibrate(graph, randomFeeds('x', [4, 8], 4, 5)), { tableBits: 12 }).maxBoundBits;
  });
  // The residual stream adds one bounded term per block (linear growth: a few bits), nothing compounds.
  assert.ok(bits[1] <= bits[0] + 12, `1 block: 2^${bits[0]}, 12 blocks: 2^${bits[1]}`);
  assert.ok(bits[1] < 80, `12 blocks: 2^${bits[1]}`);
});

test('a 12-block transformer encoder (small width) compiles, proves and verifies; its output tracks the float model', async () => {
  const bytes = transformerEncoder({ blocks: 12, ...SMALL_ENCODER });
  const model = compile(bytes, randomFeeds('x', [4, 8], 8, 5));
  assert.ok(relativeOutputError(bytes, model, randomFeeds('x', [4, 8], 4, 99)) < 0.02);
  await proveAndVerify(model, randomFeeds('x', [4, 8], 1, 123)[0]);
});

test('a 20-layer residual CNN with BatchNorm (small width) compiles, proves and verifies; its output tracks the float model', async () => {
  const spec = { layers: 20, channels: 2, inputChannels: 3, size: 4, classes: 4 };
  const bytes = residualCnn(spec);
  const shape = [1, 3, 4, 4];
  const model = compile(bytes, randomFeeds('x', shape, 8, 5));
  assert.ok(relativeOutputError(bytes, model, randomFeeds('x', shape, 4, 99)) < 0.02);
  await proveAndVerify(model, randomFeeds('x', shape, 1, 123)[0]);
});

/** y = x₀ + x₁, calibrated where the two cancel (|y| ≤ 0.1 while |x| ≤ 1). */
function cancellingSum() {
  const bytes = encodeModel({
    inputs: [valueInfo('x', [1, 2])],
    outputs: [valueInfo('y', [1, 1])],
    initializers: [floatData('w', [2, 1], [1, 1])],
    nodes: [node('MatMul', ['x', 'w'], ['y'], [], 'sum_node')],
  });
  return { bytes, samples: [{ x: tensor([1, 2], [1, -0.9]) }, { x: tensor([1, 2], [-1, 0.95]) }] };
}

test('an activation beyond its calibrated range is a RangeExceededError naming tensor, node, value and range, with the fix', async () => {
  const { bytes, samples } = cancellingSum();
  const model = compile(bytes, samples);
  const [range] = model.ranges ?? [];
  assert.ok(range, 'the requantized output has a proven range');
  const inside = { x: tensor([1, 2], [0.5, -0.4]) };
  const outside = { x: tensor([1, 2], [1, 1]) }; // inside the input's range, but y = 2 is beyond y's
  runQuantized(model.quant, inside);
  const named = (e: unknown) =>
    e instanceof RangeExceededError &&
    e.code === 'INPUT' &&
    e.node === 'sum_node' &&
    e.tensor === range.tensor &&
    e.lo === range.lo &&
    e.hi === range.hi &&
    e.value > range.hi &&
    /sum_node/.test(e.message) &&
    /--margin/.test(e.message);
  assert.throws(() => runQuantized(model.quant, outside), named);
  const srs = await createInsecureDevSrs(Math.ceil(Math.log2(model.srsG1Powers)), { g1Powers: model.srsG1Powers, g2Powers: 2 });
  const pk = await setup(model, srs);
  await assert.rejects(prove(pk, quantizeFeeds(model, outside)), named);
  await assert.rejects(proveV2(pk, quantizeFeeds(model, outside)), named);
  const { statement, proof } = await prove(pk, quantizeFeeds(model, inside));
  assert.equal((await verify(pk.vk, statement, proof.bytes)).ok, true);
  // A larger margin accepts it.
  assert.doesNotThrow(() => runQuantized(compile(bytes, samples, { quantization: { margin: 32 } }).quant, outside));
});
