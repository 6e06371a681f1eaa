/**
 * 3-D Conv and ConvTranspose (and a 1-D Conv, lifted to 2-D): the float interpreter against direct sums over the
 * kernel, the quantized model close to it, and a 3-D convolution proven end to end with a changed output cell
 * rejected.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildGraph } from '../../src/model/build';
import { runFloat } from '../../src/model/float/run';
import { dequantizeTensor, runQuantized } from '../../src/model/quant/interpret';
import { tensor, type Tensor } from '../../src/model/tensor';
import { parseOnnx } from '../../src/onnx/index';
import { compile, quantizeFeeds } from '../../src/pipeline/compile';
import { attr, encodeModel, floatData, node, valueInfo } from '../onnx/builder';
import { proveAndRejectChangedOutput } from '../helpers/changed-output';

const [N, C, D, H, W, M, K] = [1, 2, 3, 4, 4, 4, 2];
const weights = Array.from({ length: M * (C / 2) * K * K * K }, (_, i) => Math.cos(i * 0.37) * 0.5);
const bias = [0.1, -0.2, 0.3, 0];
// Groups of 2, stride 1 in depth and 2 in height/width, one cell of padding in height and width.
const bytes = encodeModel({
  inputs: [valueInfo('x', [N, C, D, H, W])],
  outputs: [valueInfo('y', [N, M, 2, 2, 2])],
  initializers: [floatData('w', [M, C / 2, K, K, K], weights), floatData('b', [M], bias)],
  nodes: [node('Conv', ['x', 'w', 'b'], ['y'], [attr.int('group', 2), attr.ints('strides', [1, 2, 2]), attr.ints('pads', [0, 1, 1, 0, 0, 0])])],
});
const x = tensor([N, C, D, H, W], Array.from({ length: N * C * D * H * W }, (_, i) => Math.sin(i * 0.61) * 2));

test('3-D Conv with groups, strides and padding equals the direct sum over its kernel', () => {
  const g = buildGraph(parseOnnx(bytes));
  const y = (runFloat(g, { x }).get(g.outputs[0]) as Tensor).data;
  const at = (c: number, d: number, h: number, w: number) => (h < 0 || w < 0 || h >= H || w >= W ? 0 : x.data[((c * D + d) * H + h) * W + w]);
  for (let m = 0; m < M; m++)
    for (let od = 0; od < 2; od++)
      for (let oh = 0; oh < 2; oh++)
        for (let ow = 0; ow < 2; ow++) {
          // The model file holds float32 weights and bias.
          let acc = Math.fround(bias[m]);
          const c = Math.floor(m / 2);
          for (let kd = 0; kd < K; kd++) for (let kh = 0; kh < K; kh++) for (let kw = 0; kw < K; kw++) acc += Math.fround(weights[((m * K + kd) * K + kh) * K + kw]) * at(c, od + kd, oh * 2 - 1 + kh, ow * 2 - 1 + kw);
          const got = y[((m * 2 + od) * 2 + oh) * 2 + ow];
          assert.ok(Math.abs(got - acc) < 1e-12, `(${m}, ${od}, ${oh}, ${ow}): ${got} vs ${acc}`);
        }
});

test('a 1-D Conv compiles and matches the float model', () => {
  const conv1d = encodeModel({
    inputs: [valueInfo('x', [1, 2, 6])],
    outputs: [valueInfo('y', [1, 3, 4])],
    initializers: [floatData('w', [3, 2, 3], Array.from({ length: 18 }, (_, i) => (i % 5) / 5 - 0.4))],
    nodes: [node('Conv', ['x', 'w'], ['y'])],
  });
  const x1 = tensor([1, 2, 6], Array.from({ length: 12 }, (_, i) => i / 6 - 1));
  const model = compile(conv1d, [{ x: x1 }]);
  const g = buildGraph(parseOnnx(conv1d));
  const want = (runFloat(g, { x: x1 }).get(g.outputs[0]) as Tensor).data;
  const got = dequantizeTensor(model.quant, runQuantized(model.quant, { x: x1 }), model.quant.outputs[0].tensor).data;
  got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-3, `cell ${i}: ${v} vs ${want[i]}`));
});

test('3-D Conv quantizes closely and proves; a changed output cell is rejected', async () => {
  const model = compile(bytes, [{ x }]);
  const g = buildGraph(parseOnnx(bytes));
  const want = (runFloat(g, { x }).get(g.outputs[0]) as Tensor).data;
  const got = dequantizeTensor(model.quant, runQuantized(model.quant, { x }), model.quant.outputs[0].tensor).data;
  got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 2e-3, `cell ${i}: ${v} vs ${want[i]}`));
  await proveAndRejectChangedOutput(model, quantizeFeeds(model, { x }), { row: 0, col: 9, delta: -1n });
});

test('3-D ConvTranspose (stride 2, padding) equals its scatter definition and quantizes closely', () => {
  // y[m, o] = Σ_c Σ_i x[c, i]·W[c, m, o + p − 2i] over the taps inside the kernel, per spatial axis.
  const [ci, co, d, k, p] = [2, 3, 2, 3, 1];
  const out = 2 * (d - 1) + k - 2 * p;
  const w = Array.from({ length: ci * co * k ** 3 }, (_, i) => Math.fround(Math.sin(i * 0.29) * 0.5));
  const bytes = encodeModel({
    inputs: [valueInfo('x', [1, ci, d, d, d])],
    outputs: [valueInfo('y', [1, co, out, out, out])],
    initializers: [floatData('w', [ci, co, k, k, k], w)],
    nodes: [node('ConvTranspose', ['x', 'w'], ['y'], [attr.ints('strides', [2, 2, 2]), attr.ints('pads', [p, p, p, p, p, p])])],
  });
  const xt = tensor([1, ci, d, d, d], Array.from({ length: ci * d ** 3 }, (_, i) => Math.cos(i * 0.9)));
  const g = buildGraph(parseOnnx(bytes));
  const y = (runFloat(g, { x: xt }).get(g.outputs[0]) as Tensor).data;
  const want = new Float64Array(co * out ** 3);
  for (let c = 0; c < ci; c++)
    for (let m = 0; m < co; m++)
      for (let i = 0; i < d ** 3; i++) {
        const [i0, i1, i2] = [Math.floor(i / (d * d)), Math.floor(i / d) % d, i % d];
        for (let t = 0; t < k ** 3; t++) {
          const [t0, t1, t2] = [Math.floor(t / (k * k)), Math.floor(t / k) % k, t % k];
          const [o0, o1, o2] = [2 * i0 + t0 - p, 2 * i1 + t1 - p, 2 * i2 + t2 - p];
          if ([o0, o1, o2].some((v) => v < 0 || v >= out)) continue;
          want[((m * out + o0) * out + o1) * out + o2] += xt.data[c * d ** 3 + i] * w[(c * co + m) * k ** 3 + t];
        }
      }
  y.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-12, `cell ${i}: ${v} vs ${want[i]}`));
  const model = compile(bytes, [{ x: xt }]);
  const got = dequantizeTensor(model.quant, runQuantized(model.quant, { x: xt }), model.quant.outputs[0].tensor).data;
  got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 2e-3, `quantized cell ${i}: ${v} vs ${want[i]}`));
});
