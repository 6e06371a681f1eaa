/**
 * Linear and cubic Resize: the float interpreter against values computed by hand from the ONNX definition, the
 * quantized model against the float one, a bilinear upsampling proven end to end (a changed cell rejected), and
 * malformed scales or an output beyond the cell cap refused as typed errors naming the node.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildGraph } from '../../src/model/build';
import { ShapeError, UnsupportedOpError } from '../../src/model/errors';
import { MAX_GENERATED_CELLS } from '../../src/model/node-inputs';
import { runFloat } from '../../src/model/float/run';
import { dequantizeTensor, runQuantized } from '../../src/model/quant/interpret';
import { tensor, type Tensor } from '../../src/model/tensor';
import { parseOnnx } from '../../src/onnx/index';
import { compile, quantizeFeeds } from '../../src/pipeline/compile';
import { inspect } from '../../src/pipeline/inspect';
import { attr, encodeModel, floatData, int64Data, node, valueInfo } from '../onnx/builder';
import { proveAndRejectChangedOutput } from '../helpers/changed-output';

function resizeModel(inShape: number[], scales: number[], attributes: unknown[], name = 'resize'): Uint8Array {
  const outShape = inShape.map((d, i) => Math.floor(d * scales[i]));
  return encodeModel({
    inputs: [valueInfo('x', inShape)],
    outputs: [valueInfo('y', outShape)],
    initializers: [floatData('roi', [0], []), floatData('scales', [inShape.length], scales)],
    nodes: [node('Resize', ['x', 'roi', 'scales'], ['y'], attributes, name)],
    opset: 13,
  });
}

const floatOf = (bytes: Uint8Array, x: Tensor) => {
  const g = buildGraph(parseOnnx(bytes));
  return (runFloat(g, { x }).get(g.outputs[0]) as Tensor).data;
};

test('linear Resize: half_pixel and align_corners sample the definition\'s coordinates, edges repeat', () => {
  const x = tensor([1, 4], [1, 2, 4, 8]);
  // half_pixel ×2: source coordinate (y + 0.5)/2 − 0.5 = −0.25, 0.25, 0.75, …, 3.25; clamped taps at the edges.
  const half = floatOf(resizeModel([1, 4], [1, 2], [attr.string('mode', 'linear')]), x);
  assert.deepEqual([...half], [1, 1.25, 1.75, 2.5, 3.5, 5, 7, 8]);
  // align_corners ×2 over 4 → 8: coordinate y·3/7.
  const corners = floatOf(resizeModel([1, 4], [1, 2], [attr.string('mode', 'linear'), attr.string('coordinate_transformation_mode', 'align_corners')]), x);
  const want = Array.from({ length: 8 }, (_, y) => {
    const c = (y * 3) / 7;
    const i = Math.min(Math.floor(c), 2);
    return x.data[i] + (c - i) * (x.data[i + 1] - x.data[i]);
  });
  corners.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 1e-12, `${i}: ${v} vs ${want[i]}`));
});

test('cubic Resize reproduces a linear ramp inside and the input at integer coordinates', () => {
  const ramp = tensor([1, 8], [0, 1, 2, 3, 4, 5, 6, 7]);
  const y = floatOf(resizeModel([1, 8], [1, 2], [attr.string('mode', 'cubic'), attr.string('coordinate_transformation_mode', 'asymmetric')]), ramp);
  // Asymmetric ×2: coordinate y/2; cubic weights sum to 1 and reproduce a line away from the clamped edges.
  for (let i = 2; i < 12; i++) assert.ok(Math.abs(y[i] - i / 2) < 1e-12, `${i}: ${y[i]}`);
});

test('Resize modes it cannot compute are refused naming the node', () => {
  const bytes = resizeModel([1, 4], [1, 2], [attr.string('mode', 'linear'), attr.int('antialias', 1)], 'aa');
  assert.throws(() => buildGraph(parseOnnx(bytes)), (e: unknown) => e instanceof UnsupportedOpError && e.node === 'aa' && /antialias/.test(e.message));
});

test('malformed Resize scales and sizes are typed errors naming the node; an output beyond the cell cap is refused before allocating, and inspect reports it', async () => {
  const spec = (scales: number[], mode: string, sizes?: number[]) =>
    encodeModel({
      inputs: [valueInfo('x', [1, 1, 3, 5])],
      outputs: [valueInfo('y', null)],
      initializers: [floatData('roi', [0], []), floatData('scales', sizes ? [0] : [4], scales), ...(sizes ? [int64Data('sizes', [4], sizes)] : [])],
      nodes: [node('Resize', ['x', 'roi', 'scales', ...(sizes ? ['sizes'] : [])], ['y'], [attr.string('mode', mode)], 'rs')],
      opset: 13,
    });
  for (const [scales, why] of [[[1, 1, -1, 1], /finite and positive/], [[1, 1, 0, 1], /finite and positive/], [[1, 1, NaN, 1], /finite and positive/], [[1, 1, 0.01, 1], /empty output/]] as const)
    for (const mode of ['nearest', 'linear', 'cubic'])
      assert.throws(() => buildGraph(parseOnnx(spec([...scales], mode))), (e: unknown) => e instanceof ShapeError && /node "rs"/.test((e as Error).message) && why.test((e as Error).message), `${mode} ${scales}`);
  assert.throws(() => buildGraph(parseOnnx(spec([], 'linear', [1, 1, 0, 5]))), (e: unknown) => e instanceof ShapeError && /sizes must be positive integers/.test((e as Error).message));
  // 15 cells scaled by 10^6: 1.5·10^7 output cells, refused at once (it ran out of heap after 88 s).
  const t0 = performance.now();
  for (const mode of ['nearest', 'linear'])
    assert.throws(() => buildGraph(parseOnnx(spec([1, 1, 1e6, 1], mode))), (e: unknown) => e instanceof UnsupportedOpError && e.node === 'rs' && new RegExp(`15000000 output cells, more than the ${MAX_GENERATED_CELLS}`).test(e.message));
  assert.ok(performance.now() - t0 < 1000);
  const r = await inspect(spec([1, 1, 1e6, 1], 'linear'));
  assert.deepEqual(r.unsupported.map((u) => [u.node, u.opType]), [['rs', 'Resize']]);
  assert.match(r.unsupported[0].reason, /more than the 1048576/);
});

test('bilinear 2× upsampling of an image quantizes closely and proves; a changed cell is rejected', async () => {
  const bytes = resizeModel([1, 2, 3, 3], [1, 1, 2, 2], [attr.string('mode', 'linear')]);
  const x = tensor([1, 2, 3, 3], Array.from({ length: 18 }, (_, i) => Math.sin(i * 0.7) * 2));
  const model = compile(bytes, [{ x }]);
  const want = floatOf(bytes, x);
  const got = dequantizeTensor(model.quant, runQuantized(model.quant, { x }), model.quant.outputs[0].tensor).data;
  got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) < 2e-3, `cell ${i}: ${v} vs ${want[i]}`));
  await proveAndRejectChangedOutput(model, quantizeFeeds(model, { x }), { row: 0, col: 7 });
});
