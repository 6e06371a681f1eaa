/**
 * `evalOp`: the float64 reference semantics of every graph IR op.
 * @module
 */
import { UnsupportedOpError } from '../errors';
import { applyMap, broadcastMap, concatMap, FILL, poolWindowsND, gatherMap, reduceLayoutMap, sliceMap, transposeMap } from '../index-map';
import type { Op, ReduceOpType, Window2D } from '../op';
import { bitShift } from '../quant/bit-shift';
import { modulo } from '../quant/modulo';
import { resampleTapsMap, type ResampleAxis } from '../resample';
import { lift4 } from '../window';
import { sizeOf, type Shape } from '../shape';
import type { Tensor } from '../tensor';
import { roundHalfEven, unaryFunction } from './activations';
import { binary, gelu, geluTanh, unary } from './elementwise';
import { matmul, transpose2d } from './linalg';
import { axisLayout, batchNorm, layerNorm, logSoftmax, meanVarianceNormalization, softmax } from './normalize';
import { conv2d, conv3d, convTransposeKernel, pool2d } from './window';

/** A tensor of a lifted 1-D window op seen as 2-D (same data). */
function lifted(t: Tensor, w: Window2D): Tensor {
  return { shape: lift4(t.shape, w), data: t.data };
}

/** Moves data through an index map, keeping the output shape. */
function moved(map: Int32Array, inputs: readonly Tensor[], shape: Shape): Tensor {
  return { shape, data: applyMap(map, inputs.map((t) => t.data), 0) };
}

/** One resampling step: each output cell is the weighted sum of its taps (the fill value for an extrapolated one). */
function resampled(x: Tensor, a: ResampleAxis, fill: number): Tensor {
  const { shape, map, weights } = resampleTapsMap(x.shape, a);
  const data = new Float64Array(map.length / a.k);
  for (let c = 0; c < data.length; c++) {
    let acc = 0;
    for (let j = 0; j < a.k; j++) {
      const src = map[c * a.k + j];
      acc += weights[c * a.k + j] * (src === FILL ? fill : x.data[src]);
    }
    data[c] = acc;
  }
  return { shape, data };
}

/** Per reduction: the value of one row (reduced axes moved last). */
const REDUCERS: Readonly<Record<ReduceOpType, (row: Float64Array) => number>> = {
  ReduceSum: (r) => r.reduce((a, v) => a + v, 0),
  ReduceMean: (r) => r.reduce((a, v) => a + v, 0) / r.length,
  ReduceMax: (r) => r.reduce((a, v) => Math.max(a, v), -Infinity),
  ReduceMin: (r) => r.reduce((a, v) => Math.min(a, v), Infinity),
  ReduceL1: (r) => r.reduce((a, v) => a + Math.abs(v), 0),
  ReduceL2: (r) => Math.sqrt(r.reduce((a, v) => a + v * v, 0)),
  ReduceSumSquare: (r) => r.reduce((a, v) => a + v * v, 0),
  ReduceLogSum: (r) => Math.log(r.reduce((a, v) => a + v, 0)),
  ReduceLogSumExp: (r) => {
    const m = r.reduce((a, v) => Math.max(a, v), -Infinity);
    return m + Math.log(r.reduce((a, v) => a + Math.exp(v - m), 0));
  },
};

/** A reduction over `axes`. */
function reduce(x: Tensor, axes: readonly number[], shape: Shape, kind: ReduceOpType): Tensor {
  const { map, outer, inner } = reduceLayoutMap(x.shape, axes);
  const data = applyMap(map, [x.data], 0);
  const out = new Float64Array(outer);
  for (let o = 0; o < outer; o++) out[o] = REDUCERS[kind](data.subarray(o * inner, (o + 1) * inner));
  return { shape, data: out };
}

/** Index of the first (or last) extreme value along `axis`. */
function argExtreme(x: Tensor, axis: number, shape: Shape, max: boolean, last: boolean): Tensor {
  const { map, outer, inner } = reduceLayoutMap(x.shape, [axis]);
  const data = applyMap(map, [x.data], 0);
  const out = new Float64Array(outer);
  for (let o = 0; o < outer; o++) {
    let best = 0;
    for (let i = 1; i < inner; i++) {
      const [v, b] = [data[o * inner + i], data[o * inner + best]];
      const better = max ? v > b || (last && v === b) : v < b || (last && v === b);
      if (better) best = i;
    }
    out[o] = best;
  }
  return { shape, data: out };
}

/** Running sums along `axis`. */
function cumSum(x: Tensor, axis: number, exclusive: boolean, reverse: boolean): Tensor {
  const [outer, len, inner] = axisLayout(x.shape, axis, false);
  const out = new Float64Array(x.data.length);
  for (let o = 0; o < outer; o++)
    for (let j = 0; j < inner; j++) {
      let acc = 0;
      for (let t = 0; t < len; t++) {
        const i = (o * len + (reverse ? len - 1 - t : t)) * inner + j;
        if (exclusive) {
          out[i] = acc;
          acc += x.data[i];
        } else out[i] = acc += x.data[i];
      }
    }
  return { shape: x.shape, data: out };
}

/** Elementwise fold of several broadcast inputs. */
function variadic(inputs: readonly Tensor[], f: (a: number, b: number) => number): Tensor {
  return inputs.slice(1).reduce((acc, t) => binary(acc, t, f), inputs[0]);
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
    case 'Equal':
      return binary(x, y, (a, b) => Number(a === b));
    case 'Greater':
      return binary(x, y, (a, b) => Number(a > b));
    case 'GreaterOrEqual':
      return binary(x, y, (a, b) => Number(a >= b));
    case 'Less':
      return binary(x, y, (a, b) => Number(a < b));
    case 'LessOrEqual':
      return binary(x, y, (a, b) => Number(a <= b));
    case 'And':
      return binary(x, y, (a, b) => Number(a !== 0 && b !== 0));
    case 'Or':
      return binary(x, y, (a, b) => Number(a !== 0 || b !== 0));
    case 'Xor':
      return binary(x, y, (a, b) => Number((a !== 0) !== (b !== 0)));
    case 'Where': {
      const [mc, mx, my] = inputs.map((t) => broadcastMap(t.shape, outShape));
      const z = inputs[2];
      return { shape: outShape, data: Float64Array.from(mc, (c, i) => (x.data[c] !== 0 ? y.data[mx[i]] : z.data[my[i]])) };
    }
    case 'Max':
      return variadic(inputs, Math.max);
    case 'Min':
      return variadic(inputs, Math.min);
    case 'Sum':
      return variadic(inputs, (a, b) => a + b);
    case 'Mean':
      return unary(variadic(inputs, (a, b) => a + b), (v) => v / inputs.length);
    case 'PRelu':
      return binary(x, y, (a, s) => (a < 0 ? a * s : a));
    case 'Mod':
      return binary(x, y, (a, d) => modulo(a, d, op.fmod));
    case 'QuantizeLinear':
    case 'DequantizeLinear': {
      const at = (v: Float64Array, i: number) => v[v.length === 1 ? 0 : Math.floor(i / sizeOf(outShape.slice(op.axis + 1))) % v.length];
      const data = Float64Array.from(x.data, (v, i) =>
        op.type === 'DequantizeLinear' ? (v - at(op.zeroPoint, i)) * at(op.scale, i) : Math.min(op.qmax, Math.max(op.qmin, roundHalfEven(v / at(op.scale, i)) + at(op.zeroPoint, i))),
      );
      return { shape: outShape, data };
    }
    case 'BitShift':
      return binary(x, y, (a, k) => bitShift(a, k, op.left, op.bits));
    case 'ArgMax':
    case 'ArgMin':
      return argExtreme(x, op.axis, outShape, op.type === 'ArgMax', op.selectLastIndex);
    case 'GlobalMaxPool':
      return reduce(x, x.shape.map((_, i) => i).slice(2), outShape, 'ReduceMax');
    case 'LogSoftmax':
      return logSoftmax(x, op.axis, op.coerce2d);
    case 'Hardmax': {
      const [outer, len, inner] = axisLayout(x.shape, op.axis, op.coerce2d);
      const out = new Float64Array(x.data.length);
      for (let o = 0; o < outer; o++)
        for (let j = 0; j < inner; j++) {
          let best = 0;
          for (let i = 1; i < len; i++) if (x.data[(o * len + i) * inner + j] > x.data[(o * len + best) * inner + j]) best = i;
          out[(o * len + best) * inner + j] = 1;
        }
      return { shape: outShape, data: out };
    }
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
      return layerNorm(x, y, inputs[2], op);
    case 'MeanVarianceNormalization':
      return meanVarianceNormalization(x, op.axes);
    case 'BatchNormalization':
      return batchNorm(x, y, inputs[2], inputs[3], inputs[4], op.epsilon);
    case 'Conv':
      return { shape: outShape, data: conv2d(lifted(x, op), lifted(y, op), inputs[2], op, lift4(outShape, op)).data };
    case 'Conv3D':
      return conv3d(x, y, inputs[2], op);
    case 'Pool3D': {
      const { map, padded } = poolWindowsND(x.shape, op.window, outShape.slice(2));
      const kk = sizeOf(op.window.kernel);
      const data = Float64Array.from(padded, (inPad, r) => {
        const cells = Array.from(map.subarray(r * kk, (r + 1) * kk)).filter((s) => s !== FILL).map((s) => x.data[s]);
        return op.kind === 'max' ? Math.max(...cells) : cells.reduce((a, v) => a + v, 0) / (op.countIncludePad ? inPad : cells.length);
      });
      return { shape: outShape, data };
    }
    case 'ConvTranspose': {
      const spread = { shape: op.spreadShape, data: applyMap(op.spread, [x.data], 0) };
      if (op.conv.type === 'Conv3D') return conv3d(spread, convTransposeKernel(y, op.conv.group), inputs[2], op.conv);
      const w = convTransposeKernel(lifted(y, op.conv), op.conv.group);
      return { shape: outShape, data: conv2d(lifted(spread, op.conv), w, inputs[2], op.conv, lift4(outShape, op.conv)).data };
    }
    case 'MaxPool':
      return { shape: outShape, data: pool2d(lifted(x, op), op, lift4(outShape, op), 'max', false).data };
    case 'AveragePool':
      return { shape: outShape, data: pool2d(lifted(x, op), op, lift4(outShape, op), 'average', op.countIncludePad).data };
    case 'GlobalAveragePool':
      return reduce(x, x.shape.map((_, i) => i).slice(2), outShape, 'ReduceMean');
    case 'ReduceMean':
    case 'ReduceSum':
    case 'ReduceMax':
    case 'ReduceMin':
    case 'ReduceL1':
    case 'ReduceL2':
    case 'ReduceSumSquare':
    case 'ReduceLogSum':
    case 'ReduceLogSumExp':
      return reduce(x, op.axes, outShape, op.type);
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
    case 'Move':
      return { shape: outShape, data: applyMap(op.map, inputs.map((t) => t.data), op.fill) };
    case 'CumSum':
      return cumSum(x, op.axis, op.exclusive, op.reverse);
    case 'Einsum': {
      const data = new Float64Array(sizeOf(outShape));
      for (let o = 0; o < data.length; o++) {
        let acc = 0;
        for (let c = o * op.summed; c < (o + 1) * op.summed; c++) acc += op.maps.reduce((p, m, k) => p * inputs[k].data[m[c]], 1);
        data[o] = acc;
      }
      return { shape: outShape, data };
    }
    case 'ScatterAdd': {
      const rows = applyMap(op.map, inputs.map((t) => t.data), 0);
      return { shape: outShape, data: Float64Array.from({ length: rows.length / op.k }, (_, c) => rows.subarray(c * op.k, (c + 1) * op.k).reduce((a, v) => a + v, 0)) };
    }
    case 'TopK': {
      const { map, outer, inner } = reduceLayoutMap(x.shape, [op.axis]);
      const outRows = reduceLayoutMap(outShape, [op.axis]).map;
      const data = new Float64Array(outer * op.k);
      for (let r = 0; r < outer; r++) {
        const order = Array.from({ length: inner }, (_, j) => j).sort((a, b) => {
          const [va, vb] = [x.data[map[r * inner + a]], x.data[map[r * inner + b]]];
          return va === vb ? a - b : op.largest ? vb - va : va - vb;
        });
        for (let t = 0; t < op.k; t++) data[outRows[r * op.k + t]] = op.output === 'values' ? x.data[map[r * inner + order[t]]] : order[t];
      }
      return { shape: outShape, data };
    }
    case 'OneHot': {
      const after = sizeOf(outShape.slice(op.axis + 1));
      const data = Float64Array.from({ length: sizeOf(outShape) }, (_, c) => {
        const j = Math.floor(c / after) % op.depth;
        const raw = Math.trunc(x.data[Math.floor(c / (after * op.depth)) * after + (c % after)]);
        return raw === j || raw === j - op.depth ? op.on : op.off;
      });
      return { shape: outShape, data };
    }
    case 'Resample':
      return { shape: outShape, data: op.axes.reduce((t, a) => resampled(t, a, op.fill), x).data };
    default: {
      const f = unaryFunction(op);
      if (!f) throw new UnsupportedOpError(node, op.type, 'no float kernel');
      return unary(x, f);
    }
  }
}

