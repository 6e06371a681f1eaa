/**
 * BatchNormalization folding (src/model/fold-batchnorm.ts): small ONNX models where BatchNormalization
 * follows a Conv, Gemm or MatMul fold into one node and still match onnxruntime in the float interpreter
 * and the float interpreter in the quantized one; pairs that must not fold keep their BatchNormalization.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseOnnx } from '../../src/onnx/index';
import { buildGraph, walkModel } from '../../src/model/build';
import { runFloat } from '../../src/model/float/run';
import { calibrate } from '../../src/model/quant/calibrate';
import { dequantizeTensor, runQuantized } from '../../src/model/quant/interpret';
import { quantize } from '../../src/model/quant/quantize';
import { tensor, type Tensor } from '../../src/model/tensor';
import { attr, encodeModel, floatData, node, valueInfo, type TensorSpec } from '../onnx/builder';
import { maxAbsDiff, ortSession } from './fixtures';

/** Deterministic float32-representable values in [lo, hi). */
function values(n: number, seed: number, lo: number, hi: number): number[] {
  let s = seed;
  return Array.from({ length: n }, () => Math.fround(lo + ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * (hi - lo)));
}

/** The four BatchNormalization parameters over `c` channels, named `bn_*`. */
function bnParams(c: number, seed: number): TensorSpec[] {
  return [
    floatData('bn_scale', [c], values(c, seed, 0.5, 2)),
    floatData('bn_bias', [c], values(c, seed + 1, -1, 1)),
    floatData('bn_mean', [c], values(c, seed + 2, -0.5, 0.5)),
    floatData('bn_var', [c], values(c, seed + 3, 0.2, 3)),
  ];
}
const BN_INPUTS = ['bn_scale', 'bn_bias', 'bn_mean', 'bn_var'];

interface Case {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly inputShape: number[];
  readonly folds: boolean;
}

const conv = (extra: { bias: boolean; group: number; alsoOutput?: boolean; alsoUsed?: boolean }): Case => {
  const [cin, cout] = [4, 6];
  const init = [floatData('w', [cout, cin / extra.group, 3, 3], values((cout * cin * 9) / extra.group, 7, -0.5, 0.5)), ...bnParams(cout, 11)];
  if (extra.bias) init.push(floatData('b', [cout], values(cout, 5, -0.3, 0.3)));
  const nodes = [
    node('Conv', ['x', 'w', ...(extra.bias ? ['b'] : [])], ['h'], [attr.ints('pads', [1, 1, 1, 1]), attr.int('group', extra.group)]),
    node('BatchNormalization', ['h', ...BN_INPUTS], ['y'], [attr.float('epsilon', 1e-3)]),
    ...(extra.alsoUsed ? [node('Relu', ['h'], ['r']), node('Add', ['y', 'r'], ['z'])] : []),
  ];
  const out = extra.alsoUsed ? 'z' : 'y';
  return {
    name: `Conv(bias=${extra.bias}, group=${extra.group})${extra.alsoUsed ? ' whose output is also used' : ''}${extra.alsoOutput ? ' whose output is a graph output' : ''} → BN`,
    bytes: encodeModel({
      inputs: [valueInfo('x', [2, cin, 5, 5])],
      outputs: [valueInfo(out, [2, cout, 5, 5]), ...(extra.alsoOutput ? [valueInfo('h', [2, cout, 5, 5])] : [])],
      initializers: init,
      nodes,
    }),
    inputShape: [2, cin, 5, 5],
    folds: !extra.alsoUsed && !extra.alsoOutput,
  };
};

const gemm = (opType: 'Gemm' | 'MatMul', attrs: { transB?: boolean; beta?: number; alpha?: number; bias?: number[] } = {}): Case => {
  const [m, k, n] = [3, 5, 4];
  const init = [floatData('w', attrs.transB ? [n, k] : [k, n], values(k * n, 3, -1, 1)), ...bnParams(n, 21)];
  if (attrs.bias) init.push(floatData('c', attrs.bias, values(attrs.bias.reduce((a, b) => a * b, 1), 9, -1, 1)));
  const gemmAttrs = [
    ...(attrs.transB ? [attr.int('transB', 1)] : []),
    ...(attrs.alpha !== undefined ? [attr.float('alpha', attrs.alpha)] : []),
    ...(attrs.beta !== undefined ? [attr.float('beta', attrs.beta)] : []),
  ];
  return {
    name: `${opType}${JSON.stringify(attrs)} → BN`,
    bytes: encodeModel({
      inputs: [valueInfo('x', [m, k])],
      outputs: [valueInfo('y', [m, n])],
      initializers: init,
      nodes: [node(opType, ['x', 'w', ...(attrs.bias ? ['c'] : [])], ['h'], gemmAttrs), node('BatchNormalization', ['h', ...BN_INPUTS], ['y'])],
    }),
    inputShape: [m, k],
    folds: true,
  };
};

const CASES: Case[] = [
  conv({ bias: true, group: 1 }),
  conv({ bias: false, group: 2 }),
  gemm('Gemm', { bias: [4] }),
  gemm('Gemm', { transB: true, alpha: 0.5, beta: 2, bias: [3, 1] }),
  gemm('Gemm', { transB: true }),
  gemm('MatMul'),
  conv({ bias: true, group: 1, alsoUsed: true }),
  conv({ bias: true, group: 1, alsoOutput: true }),
  {
    name: 'BN alone',
    bytes: encodeModel({ inputs: [valueInfo('x', [2, 3, 4])], outputs: [valueInfo('y', [2, 3, 4])], initializers: bnParams(3, 31), nodes: [node('BatchNormalization', ['x', ...BN_INPUTS], ['y'])] }),
    inputShape: [2, 3, 4],
    folds: false,
  },
];

const samples = (shape: number[]): Tensor[] => [1, 2, 3].map((s) => tensor(shape, values(shape.reduce((a, b) => a * b, 1), s * 101, -2, 2)));

for (const c of CASES) {
  test(`${c.name}: ${c.folds ? 'folds' : 'does not fold'}; float matches onnxruntime, quantized matches float`, async () => {
    const model = parseOnnx(c.bytes);
    const graph = buildGraph(model);
    const bnCount = graph.nodes.filter((n) => n.op.type === 'BatchNormalization').length;
    assert.equal(bnCount, c.folds ? 0 : 1);
    assert.equal(graph.nodes.length, walkModel(model, {}).nodes.length - (c.folds ? 1 : 0));
    // Graph outputs keep their names whether or not the pair folded.
    assert.deepEqual(graph.outputs, model.outputs.map((o) => o.name));

    const feeds = samples(c.inputShape).map((x) => ({ x }));
    for (const out of graph.outputs) {
      const ort = await ortSession(c.bytes, out);
      for (const f of feeds) {
        const want = await ort(f);
        const got = runFloat(graph, f).get(out) as Tensor;
        assert.deepEqual(got.shape, want.shape);
        assert.ok(maxAbsDiff(got.data, want.data) < 1e-4, `${out}: float vs onnxruntime ${maxAbsDiff(got.data, want.data)}`);
      }
    }

    const qmodel = quantize(graph, calibrate(graph, feeds));
    for (const f of feeds) {
      const floats = runFloat(graph, f);
      const witness = runQuantized(qmodel, f);
      for (const o of qmodel.outputs) {
        const want = floats.get(o.name) as Tensor;
        const got = dequantizeTensor(qmodel, witness, o.tensor);
        // As in the conformance test: a few units of the output's resolution plus 1% relative.
        const atol = 8 * 2 ** -qmodel.tensors[o.tensor].scale;
        want.data.forEach((w, i) => assert.ok(Math.abs(got.data[i] - w) <= atol + 1e-2 * Math.abs(w), `${o.name}[${i}]: quantized ${got.data[i]} vs float ${w}`));
      }
    }
  });
}
