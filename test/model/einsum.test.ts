/**
 * Einsum of one or two operands (explicit and implicit outputs, "...", diagonals): the float interpreter against
 * hand-written loops, the quantized model against it, a batched product proven end to end with a changed cell
 * rejected, and the refusals (three operands, an equation too large for the generic form).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildGraph } from '../../src/model/build';
import { UnsupportedOpError } from '../../src/model/errors';
import { runFloat } from '../../src/model/float/run';
import { dequantizeTensor, runQuantized } from '../../src/model/quant/interpret';
import { tensor, type Tensor } from '../../src/model/tensor';
import { parseOnnx } from '../../src/onnx/index';
import { compile, quantizeFeeds } from '../../src/pipeline/compile';
import { attr, encodeModel, node, valueInfo } from '../onnx/builder';
import { proveAndRejectChangedOutput } from '../helpers/changed-output';

const einsum = (equation: string, inputs: number[][], out: number[], name = 'einsum') =>
  encodeModel({
    inputs: inputs.map((d, i) => valueInfo(`x${i}`, d)),
    outputs: [valueInfo('y', out)],
    nodes: [node('Einsum', inputs.map((_, i) => `x${i}`), ['y'], [attr.string('equation', equation)], name)],
    opset: 12,
  });
const ramp = (shape: number[], k: number) => tensor(shape, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(i * k) * 1.5));
const evalFloat = (bytes: Uint8Array, feeds: Record<string, Tensor>) => {
  const g = buildGraph(parseOnnx(bytes));
  return (runFloat(g, feeds).get(g.outputs[0]) as Tensor).data;
};

test('Einsum forms: batched product, implicit inner product, diagonal under "...", transpose with a sum', () => {
  const a = ramp([2, 3, 4], 0.7);
  const b = ramp([2, 4, 2], 1.1);
  const bmm = evalFloat(einsum('bij, bjk -> bik', [[2, 3, 4], [2, 4, 2]], [2, 3, 2]), { x0: a, x1: b });
  for (let n = 0; n < 2; n++)
    for (let i = 0; i < 3; i++)
      for (let k = 0; k < 2; k++) {
        let acc = 0;
        for (let j = 0; j < 4; j++) acc += a.data[(n * 3 + i) * 4 + j] * b.data[(n * 4 + j) * 2 + k];
        assert.ok(Math.abs(bmm[(n * 3 + i) * 2 + k] - acc) < 1e-12);
      }
  const v = ramp([5], 0.3);
  const dot = evalFloat(einsum('i,i', [[5], [5]], []), { x0: v, x1: v });
  assert.ok(Math.abs(dot[0] - v.data.reduce((s, x) => s + x * x, 0)) < 1e-12);
  const sq = ramp([2, 3, 3], 0.9);
  assert.deepEqual([...evalFloat(einsum('...ii->...i', [[2, 3, 3]], [2, 3]), { x0: sq })], [0, 1, 2, 3, 4, 5].map((r) => sq.data[Math.floor(r / 3) * 9 + (r % 3) * 4]));
  const m = ramp([3, 4], 0.5);
  const colSums = evalFloat(einsum('ij->j', [[3, 4]], [4]), { x0: m });
  colSums.forEach((s, j) => assert.ok(Math.abs(s - (m.data[j] + m.data[4 + j] + m.data[8 + j])) < 1e-12));
});

test('a batched Einsum product quantizes closely and proves; a changed cell is rejected', async () => {
  const bytes = einsum('bij,bjk->bik', [[2, 3, 4], [2, 4, 2]], [2, 3, 2]);
  const feeds = { x0: ramp([2, 3, 4], 0.7), x1: ramp([2, 4, 2], 1.1) };
  const model = compile(bytes, [feeds]);
  const want = evalFloat(bytes, feeds);
  const got = dequantizeTensor(model.quant, runQuantized(model.quant, feeds), model.quant.outputs[0].tensor).data;
  got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 5e-3, `cell ${i}: ${v} vs ${want[i]}`));
  await proveAndRejectChangedOutput(model, quantizeFeeds(model, feeds), { row: 0, col: 5 });
});

test('Einsum of three operands or beyond the generic form\'s size is refused naming the node', () => {
  const three = einsum('i,i,i->i', [[3], [3], [3]], [3], 'three');
  assert.throws(() => buildGraph(parseOnnx(three)), (e: unknown) => e instanceof UnsupportedOpError && e.node === 'three' && /3 operands/.test(e.message));
  const big = einsum('ij,jk->ik', [[128, 128], [128, 128]], [128, 128], 'big');
  assert.throws(() => buildGraph(parseOnnx(big)), (e: unknown) => e instanceof UnsupportedOpError && e.node === 'big' && /MatMul/.test(e.message));
});
