/**
 * GroupNormalization (not in the ONNX backend test data): float semantics against a direct computation, the
 * integer semantics against the float ones, and a proof that verifies. Opset 18 (one scale per group) and
 * opset 21 (one per channel).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseOnnx } from '../../src/onnx/index';
import { buildGraph } from '../../src/model/build';
import { runFloat } from '../../src/model/float/run';
import { dequantizeTensor, runQuantized } from '../../src/model/quant/interpret';
import { tensor, type Tensor } from '../../src/model/tensor';
import { compile, quantizeFeeds } from '../../src/pipeline/compile';
import { setup } from '../../src/pipeline/keys';
import { prove, verify } from '../../src/pipeline/prove-verify';
import { devSrs } from '../helpers/dev-srs';
import { attr, encodeModel, floatData, node, valueInfo } from '../onnx/builder';

const [N, C, H, W, G] = [2, 4, 3, 3, 2];
const x = tensor([N, C, H, W], Array.from({ length: N * C * H * W }, (_, i) => Math.sin(i * 1.7) * 3 + (i % 5)));

function model(opset: number, scale: number[], bias: number[]): Uint8Array {
  return encodeModel({
    inputs: [valueInfo('x', [N, C, H, W])],
    outputs: [valueInfo('y', [N, C, H, W])],
    nodes: [node('GroupNormalization', ['x', 's', 'b'], ['y'], [attr.int('num_groups', G), attr.float('epsilon', 1e-5)], 'gn')],
    initializers: [floatData('s', [scale.length], scale), floatData('b', [bias.length], bias)],
    opset,
  });
}

/** y[n, c] = (x − mean_g) / √(var_g + ε) · scale[c or g] + bias[c or g], group g = c / (C/G). */
function reference(scale: number[], bias: number[], perGroup: boolean): Float64Array {
  const out = new Float64Array(x.data.length);
  const size = (C / G) * H * W;
  for (let n = 0; n < N; n++)
    for (let g = 0; g < G; g++) {
      const base = (n * C + g * (C / G)) * H * W;
      const cells = x.data.subarray(base, base + size);
      const mean = cells.reduce((a, v) => a + v, 0) / size;
      const variance = cells.reduce((a, v) => a + (v - mean) ** 2, 0) / size;
      for (let i = 0; i < size; i++) {
        const p = perGroup ? g : g * (C / G) + Math.floor(i / (H * W));
        out[base + i] = ((cells[i] - mean) / Math.sqrt(variance + 1e-5)) * scale[p] + bias[p];
      }
    }
  return out;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

for (const [opset, scale, bias] of [
  [21, [0.5, -1.5, 2, 1], [0.1, 0.2, -0.3, 0.4]],
  [18, [1.5, -0.5], [0.25, -1]],
] as const) {
  test(`GroupNormalization (opset ${opset}): float, integer semantics and a verified proof`, async () => {
    const bytes = model(opset, [...scale], [...bias]);
    const graph = buildGraph(parseOnnx(bytes));
    const float = runFloat(graph, { x }).get('y') as Tensor;
    const want = reference([...scale], [...bias], opset < 21);
    // The model stores scale, bias and ε as float32: agreement to float32 resolution.
    assert.ok(maxDiff(float.data, want) < 1e-6, `float semantics: ${maxDiff(float.data, want)}`);
    const compiled = compile(bytes, [{ x }]);
    const got = dequantizeTensor(compiled.quant, runQuantized(compiled.quant, { x }), compiled.quant.outputs[0].tensor);
    assert.ok(maxDiff(got.data, want) < 0.02, `quantized within 0.02 of float (max |y| ≈ 4): ${maxDiff(got.data, want)}`);
    const srs = await devSrs(compiled.srsG1Powers);
    const pk = await setup(compiled, srs);
    const { statement, proof } = await prove(pk, quantizeFeeds(compiled, { x }));
    assert.equal((await verify(pk.vk, statement, proof.bytes)).ok, true);
  });
}
