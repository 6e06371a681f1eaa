/**
 * Shape inference: output shapes of a resolved {@link Op} from its input shapes.
 * @module
 */
import { ShapeError } from './errors';
import type { Op } from './op';
import { broadcastShapes, fmtShape, type Shape } from './shape';
import { lift4, windowOutput } from './window';

function fail(node: string, msg: string): never {
  throw new ShapeError(`node "${node}": ${msg}`);
}

/** Numpy `matmul` result shape (1-D operands are promoted and the added axis removed). */
export function matmulShape(a: Shape, b: Shape, node: string): number[] {
  if (a.length === 0 || b.length === 0) fail(node, 'MatMul operands must have rank ≥ 1');
  const a2 = a.length === 1 ? [1, a[0]] : a;
  const b2 = b.length === 1 ? [b[0], 1] : b;
  const k = a2[a2.length - 1];
  if (b2[b2.length - 2] !== k) fail(node, `MatMul inner dimensions differ: ${fmtShape(a)} × ${fmtShape(b)}`);
  const batch = broadcastShapes(a2.slice(0, -2), b2.slice(0, -2), `node "${node}"`);
  const out = [...batch];
  if (a.length > 1) out.push(a2[a2.length - 2]);
  if (b.length > 1) out.push(b2[b2.length - 1]);
  return out;
}

/** Output shapes of `op` given its run-time input shapes; throws {@link ShapeError} naming `node`. */
export function inferShapes(op: Op, inputs: readonly Shape[], node: string): Shape[] {
  const x = inputs[0];
  switch (op.type) {
    case 'Add':
    case 'Sub':
    case 'Mul':
    case 'Div':
      return [broadcastShapes(inputs[0], inputs[1], `node "${node}"`)];
    case 'Equal':
    case 'Greater':
    case 'GreaterOrEqual':
    case 'Less':
    case 'LessOrEqual':
    case 'And':
    case 'Or':
    case 'Xor':
    case 'Where':
    case 'Mod':
    case 'BitShift':
    case 'Max':
    case 'Min':
    case 'Sum':
    case 'Mean':
      return [inputs.slice(1).reduce<Shape>((a, b) => broadcastShapes(a, b, `node "${node}"`), x)];
    case 'PRelu': {
      const out = broadcastShapes(x, inputs[1], `node "${node}"`);
      if (out.length !== x.length || out.some((d, i) => d !== x[i])) fail(node, `PRelu slope ${fmtShape(inputs[1])} does not broadcast to the input ${fmtShape(x)}`);
      return [x];
    }
    case 'ArgMax':
    case 'ArgMin':
      return [op.keepdims ? x.map((d, i) => (i === op.axis ? 1 : d)) : x.filter((_, i) => i !== op.axis)];
    case 'GlobalMaxPool':
      return [[x[0], x[1], ...x.slice(2).map(() => 1)]];
    case 'LayerNormalization': {
      const norm = x.slice(op.axis);
      for (const p of inputs.slice(1)) {
        if (!op.perChannel && !op.perGroup) broadcastShapes(norm, p, `node "${node}" (scale/bias vs normalized axes)`);
        else if (op.perGroup ? p.length !== 1 || p[0] !== op.groups : p.length !== 1 || p[0] !== x[1]) fail(node, `scale/bias ${fmtShape(p)} should hold one value per ${op.perGroup ? 'group' : 'channel'}`);
      }
      return [x];
    }
    case 'BatchNormalization':
      if (x.length < 2) fail(node, 'BatchNormalization needs rank ≥ 2');
      for (const p of inputs.slice(1)) if (p.length !== 1 || p[0] !== x[1]) fail(node, `parameter shape ${fmtShape(p)} does not match ${x[1]} channels`);
      return [x];
    case 'MatMul':
      return [matmulShape(inputs[0], inputs[1], node)];
    case 'Gemm': {
      const [a, b] = inputs;
      if (a.length !== 2 || b.length !== 2) fail(node, 'Gemm operands must be 2-D');
      const [m, ka] = op.transA ? [a[1], a[0]] : [a[0], a[1]];
      const [kb, n] = op.transB ? [b[1], b[0]] : [b[0], b[1]];
      if (ka !== kb) fail(node, `Gemm inner dimensions differ: ${fmtShape(a)} × ${fmtShape(b)}`);
      if (inputs[2]) {
        const c = broadcastShapes(inputs[2], [m, n], `node "${node}" (bias)`);
        if (c[0] !== m || c[1] !== n) fail(node, `Gemm bias ${fmtShape(inputs[2])} does not broadcast to [${m}, ${n}]`);
      }
      return [[m, n]];
    }
    case 'Conv': {
      const w = inputs[1];
      if (x[1] !== w[1] * op.group || w[0] % op.group !== 0) fail(node, `Conv input ${fmtShape(x)}, weight ${fmtShape(w)} and group ${op.group} do not fit`);
      if (inputs[2] && (inputs[2].length !== 1 || inputs[2][0] !== w[0])) fail(node, `Conv bias ${fmtShape(inputs[2])} should be [${w[0]}]`);
      const [oh, ow] = windowOutput(op, lift4(x, op), false);
      return [op.lifted ? [x[0], w[0], ow] : [x[0], w[0], oh, ow]];
    }
    case 'MaxPool':
    case 'AveragePool': {
      const [oh, ow] = windowOutput(op, lift4(x, op), op.ceilMode);
      return [op.lifted ? [x[0], x[1], ow] : [x[0], x[1], oh, ow]];
    }
    case 'GlobalAveragePool':
      return [[x[0], x[1], ...x.slice(2).map(() => 1)]];
    case 'ReduceMean':
    case 'ReduceSum':
    case 'ReduceMax':
    case 'ReduceMin':
    case 'ReduceL1':
    case 'ReduceL2':
    case 'ReduceSumSquare':
    case 'ReduceLogSum':
    case 'ReduceLogSumExp':
      return [op.keepdims ? x.map((d, i) => (op.axes.includes(i) ? 1 : d)) : x.filter((_, i) => !op.axes.includes(i))];
    case 'Reshape':
      return [op.shape];
    case 'Transpose':
      return [op.perm.map((p) => x[p])];
    case 'Concat': {
      const out = [...x];
      out[op.axis] = 0;
      for (const s of inputs) {
        if (s.length !== x.length || s.some((d, i) => i !== op.axis && d !== x[i])) fail(node, `Concat inputs ${inputs.map(fmtShape).join(', ')} differ outside axis ${op.axis}`);
        out[op.axis] += s[op.axis];
      }
      return [out];
    }
    case 'Slice': {
      const out = [...x];
      for (const a of op.axes) out[a.axis] = a.count;
      return [out];
    }
    case 'Gather':
      return [[...x.slice(0, op.axis), ...inputs[1], ...x.slice(op.axis + 1)]];
    case 'TopK':
      return [x.map((d, i) => (i === op.axis ? op.k : d))];
    case 'OneHot':
      return [[...x.slice(0, op.axis), op.depth, ...x.slice(op.axis)]];
    case 'Move':
    case 'Einsum':
    case 'ScatterAdd':
    case 'Resample':
    case 'ConvTranspose':
    case 'Conv3D':
    case 'Pool3D':
      return [op.shape];
    default:
      // Elementwise unary ops and row-wise normalizations keep the input's shape.
      return [x];
  }
}
