/**
 * `evalOp`: the float64 reference semantics of every graph IR op.
 * @module
 */
import { UnsupportedOpError } from '../errors';
import { applyMap, concatMap, gatherMap, reduceLayoutMap, sliceMap, transposeMap } from '../index-map';
import type { Op } from '../op';
import type { Shape } from '../shape';
import type { Tensor } from '../tensor';
import { binary, gelu, geluTanh, relu, sigmoid, unary } from './elementwise';
import { erf } from './erf';
import { matmul, transpose2d } from './linalg';
import { batchNorm, layerNorm, softmax } from './normalize';
import { conv2d, pool2d } from './window';

/** Moves data through an index map, keeping the output shape. */
function moved(map: Int32Array, inputs: readonly Tensor[], shape: Shape): Tensor {
  return { shape, data: applyMap(map, inputs.map((t) => t.data), 0) };
}

/** Sum (or mean) over `axes`. */
function reduce(x: Tensor, axes: readonly number[], shape: Shape, mean: boolean): Tensor {
  const { map, outer, inner } = reduceLayoutMap(x.shape, axes);
  const data = applyMap(map, [x.data], 0);
  const out = new Float64Array(outer);
  for (let o = 0; o < outer; o++) {
    let s = 0;
    for (let i = 0; i < inner; i++) s += data[o * inner + i];
    out[o] = mean ? s / inner : s;
  }
  return { shape, data: out };
}

/**
 * Evaluates `op` on float64 inputs. `outShape` is the inferred output shape and `node` names the node in
 * errors; `integer` selects integer semantics where they differ (Div truncates). This is the reference every
 * quantized result is compared against.
 */
export function evalOp(op: Op, inputs: readonly Tensor[], outShape: Shape, node: string, integer = false): Tensor {
  const [x, y] = inputs;
  switch (op.type) {
    case 'Add':
      return binary(x, y, (a, b) => a + b);
    case 'Sub':
      return binary(x, y, (a, b) => a - b);
    case 'Mul':
      return binary(x, y, (a, b) => a * b);
    case 'Div':
      // ONNX integer division truncates.
      return binary(x, y, integer ? (a, b) => Math.trunc(a / b) : (a, b) => a / b);
    case 'Relu':
      return unary(x, relu);
    case 'Sigmoid':
      return unary(x, sigmoid);
    case 'Tanh':
      return unary(x, Math.tanh);
    case 'Erf':
      return unary(x, erf);
    case 'Sqrt':
      return unary(x, Math.sqrt);
    case 'Identity':
      return x;
    case 'Gelu':
      return unary(x, op.approximate === 'tanh' ? geluTanh : gelu);
    case 'Clip':
      return unary(x, (v) => Math.min(Math.max(v, op.min), op.max));
    case 'Pow':
      return unary(x, (v) => v ** op.exponent);
    case 'MatMul':
      return matmul(x, y);
    case 'Gemm': {
      const a = op.transA ? transpose2d(x) : x;
      const b = op.transB ? transpose2d(y) : y;
      const prod = matmul(a, b);
      const scaled = op.alpha === 1 ? prod : unary(prod, (v) => v * op.alpha);
      return inputs[2] ? binary(scaled, inputs[2], (p, c) => p + op.beta * c) : scaled;
    }
    case 'Softmax':
      return softmax(x, op.axis, op.coerce2d);
    case 'LayerNormalization':
      return layerNorm(x, y, inputs[2], op.axis, op.epsilon);
    case 'BatchNormalization':
      return batchNorm(x, y, inputs[2], inputs[3], inputs[4], op.epsilon);
    case 'Conv':
      return conv2d(x, y, inputs[2], op, outShape);
    case 'MaxPool':
      return pool2d(x, op, outShape, 'max', false);
    case 'AveragePool':
      return pool2d(x, op, outShape, 'average', op.countIncludePad);
    case 'GlobalAveragePool':
      return reduce(x, x.shape.map((_, i) => i).slice(2), outShape, true);
    case 'ReduceMean':
    case 'ReduceSum':
      return reduce(x, op.axes, outShape, op.type === 'ReduceMean');
    case 'Reshape':
      return { shape: outShape, data: x.data };
    case 'Transpose':
      return moved(transposeMap(x.shape, op.perm), [x], outShape);
    case 'Concat':
      return moved(concatMap(inputs.map((t) => t.shape), op.axis), inputs, outShape);
    case 'Slice':
      return moved(sliceMap(x.shape, op.axes), [x], outShape);
    case 'Gather':
      return moved(gatherMap(x.shape, op.axis, y.data, y.shape, node), [x], outShape);
    default:
      throw new UnsupportedOpError(node, (op as Op).type, 'no float kernel');
  }
}

