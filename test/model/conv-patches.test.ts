/**
 * The im2col permute of a 2-D convolution carries its geometry (`PatchGeometry` on the permute op, set by the
 * quantizer's `convCore`): patchMap(geometry) is the permute's map, for every group of a grouped, strided, padded,
 * dilated convolution and a lifted 1-D one; a 3-D convolution's patches carry none. transposeRows transposes a map.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildGraph } from '../../src/model/build';
import { calibrate } from '../../src/model/quant/calibrate';
import { patchMap, transposeRows } from '../../src/model/index-map';
import { quantize } from '../../src/model/quant/quantize';
import type { QOp } from '../../src/model/quant/qmodel';
import { tensor } from '../../src/model/tensor';
import { parseOnnx } from '../../src/onnx/index';
import { attr, encodeModel, floatData, node, valueInfo } from '../onnx/builder';

/** The im2col permutes of the quantized single-Conv model built from `nodeAttrs`. */
function patchPermutes(inShape: number[], wShape: number[], outShape: number[], nodeAttrs: unknown[]): Extract<QOp, { kind: 'permute' }>[] {
  const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
  const bytes = encodeModel({
    inputs: [valueInfo('x', inShape)],
    outputs: [valueInfo('y', outShape)],
    initializers: [floatData('w', wShape, Array.from({ length: size(wShape) }, (_, i) => Math.cos(i * 0.7) * 0.5))],
    nodes: [node('Conv', ['x', 'w'], ['y'], nodeAttrs)],
  });
  const g = buildGraph(parseOnnx(bytes));
  const x = tensor(inShape, Array.from({ length: size(inShape) }, (_, i) => Math.sin(i * 0.3)));
  const q = quantize(g, calibrate(g, [{ x }]));
  return q.ops.filter((op): op is Extract<QOp, { kind: 'permute' }> => op.kind === 'permute' && q.tensors[op.out].name.includes('#patches'));
}

test('transposeRows: cell (r, j) of a map of `rows` rows goes to j·rows + r', () => {
  assert.deepEqual([...transposeRows(Int32Array.from([0, 1, 2, 3, 4, 5]), 2)], [0, 3, 1, 4, 2, 5]);
  assert.deepEqual([...transposeRows(Int32Array.from([0, 1, 2, 3, 4, 5]), 3)], [0, 2, 4, 1, 3, 5]);
});

test('patchMap: a 3×3 same-padded patch matrix holds tap (dy, dx) of position (y, x) at row dy·3 + dx, the fill at the border', () => {
  const map = patchMap({ batch: 1, channels: 1, height: 4, width: 5, firstChannel: 0, groupChannels: 1, kernel: [3, 3], strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1], outHeight: 4, outWidth: 5 });
  assert.equal(map.length, 9 * 20);
  for (let dy = 0; dy < 3; dy++)
    for (let dx = 0; dx < 3; dx++)
      for (let y = 0; y < 4; y++)
        for (let x = 0; x < 5; x++) {
          const [iy, ix] = [y + dy - 1, x + dx - 1];
          assert.equal(map[(dy * 3 + dx) * 20 + y * 5 + x], iy < 0 || iy >= 4 || ix < 0 || ix >= 5 ? -1 : iy * 5 + ix);
        }
});

test('a 2-D Conv\'s patches carry their geometry, and patchMap of it is the map (groups, strides, pads, dilations)', () => {
  const permutes = patchPermutes([1, 4, 7, 6], [6, 2, 3, 2], [1, 6, 3, 5], [attr.int('group', 2), attr.ints('strides', [2, 1]), attr.ints('pads', [1, 0, 0, 1]), attr.ints('dilations', [1, 2])]);
  assert.equal(permutes.length, 2, 'one im2col per group');
  permutes.forEach((op, g) => {
    const geometry = op.patches!;
    assert.deepEqual(geometry, { batch: 1, channels: 4, height: 7, width: 6, firstChannel: 2 * g, groupChannels: 2, kernel: [3, 2], strides: [2, 1], pads: [1, 0, 0, 1], dilations: [1, 2], outHeight: 3, outWidth: 5 });
    assert.deepEqual([...patchMap(geometry)], [...op.map]);
  });
});

test('a lifted 1-D Conv\'s patches carry a geometry of one image row; a 3-D Conv\'s carry none', () => {
  const [lifted] = patchPermutes([1, 2, 9], [3, 2, 3], [1, 3, 9], [attr.ints('pads', [1, 1])]);
  assert.deepEqual([lifted.patches!.height, lifted.patches!.width, lifted.patches!.kernel, lifted.patches!.pads], [1, 9, [1, 3], [0, 1, 0, 1]]);
  assert.deepEqual([...patchMap(lifted.patches!)], [...lifted.map]);
  const [three] = patchPermutes([1, 1, 3, 4, 4], [2, 1, 2, 2, 2], [1, 2, 2, 3, 3], []);
  assert.equal(three.patches, undefined);
});
