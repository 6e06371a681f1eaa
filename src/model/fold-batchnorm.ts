/**
 * Folds an inference BatchNormalization into the linear layer feeding it.
 *
 * BatchNormalization over channel c is the affine map y = a[c]·x + (β[c] − a[c]·μ[c]) with
 * a[c] = γ[c]/√(σ²[c] + ε). When x = W·u + b is a Conv or a Gemm/MatMul with constant weights, the
 * composition is again that layer with
 *
 *   W'[c] = a[c]·W[c]            (every weight of output channel c)
 *   b'[c] = a[c]·(b[c] − μ[c]) + β[c]   (b = 0 when the layer has no bias)
 *
 * so the pair becomes one node and the quantized model saves the per-channel hadamard, add and rescale
 * (and their rounding). Pairs that do not fit are left alone; the quantizer's affine path handles them.
 * @module
 */
import { freshValueName, type Graph, type GraphNode } from './graph';
import type { Op } from './op';
import type { Shape } from './shape';
import { batchNormAffine } from './float/normalize';
import { tensor, type Tensor } from './tensor';

/** A fused replacement: the new node and the constants it reads. */
interface Fused {
  readonly node: GraphNode;
  readonly constants: readonly [string, Tensor][];
}

/**
 * Returns `graph` with every foldable (Conv | Gemm | MatMul) → BatchNormalization pair replaced by one
 * Conv or Gemm node that writes the BatchNormalization's output value (so consumers and graph outputs are
 * unchanged). A pair folds when the BatchNormalization parameters and the layer's weight (and bias) are
 * constants, the BatchNormalization channel axis (1) is the layer's output-channel axis (Conv: always;
 * Gemm/MatMul: only for 2-D outputs, whose last axis is axis 1), and the layer's output feeds nothing else
 * and is not a graph output. A MatMul becomes a Gemm (alpha = beta = 1) to carry the bias.
 */
export function foldBatchNorms(graph: Graph): Graph {
  const uses = new Map<string, number>();
  for (const n of graph.nodes) for (const i of n.inputs) uses.set(i, (uses.get(i) ?? 0) + 1);
  const producer = new Map(graph.nodes.map((n) => [n.output, n]));
  const constants = new Map(graph.constants);
  const shapes = new Map(graph.shapes);
  const fused = new Map<GraphNode, Fused>();
  const removed = new Set<GraphNode>();

  const fresh = (base: string): string => freshValueName(shapes, base);

  for (const bn of graph.nodes) {
    if (bn.op.type !== 'BatchNormalization') continue;
    const [x, ...params] = bn.inputs;
    const layer = producer.get(x);
    if (!layer) continue;
    if (uses.get(x) !== 1 || graph.outputs.includes(x) || !params.every((p) => constants.has(p))) continue;
    const [scale, bias, mean, variance] = params.map((p) => constants.get(p) as Tensor);
    const { a, b } = batchNormAffine(scale, bias, mean, variance, bn.op.epsilon);
    const r = fuse(layer, { a, b }, graph, bn.output, fresh);
    if (!r) continue;
    for (const [name, t] of r.constants) {
      constants.set(name, t);
      shapes.set(name, t.shape);
    }
    shapes.delete(x);
    removed.add(layer);
    fused.set(bn, r);
  }
  if (fused.size === 0) return graph;
  const nodes = graph.nodes.filter((n) => !removed.has(n)).map((n) => fused.get(n)?.node ?? n);
  return { ...graph, constants, shapes, nodes };
}

/**
 * Per-channel affine coefficients y = a·x + b of the BatchNormalization (b = β − a·μ, so the folded bias
 * a·(b_layer − μ) + β is a·b_layer + b).
 */
interface Affine {
  readonly a: Float64Array;
  readonly b: Float64Array;
}

/** The fused node for `layer` followed by the affine map, or undefined when the pair does not fold. */
function fuse(layer: GraphNode, aff: Affine, graph: Graph, output: string, fresh: (base: string) => string): Fused | undefined {
  const [u, wn, cn] = layer.inputs;
  const w = graph.constants.get(wn);
  const c = cn === undefined ? undefined : graph.constants.get(cn);
  if (!w || (cn !== undefined && !c) || graph.constants.has(u)) return undefined;
  const outShape = graph.shapes.get(layer.output) as Shape;
  const op = layer.op;
  const wName = fresh(`${output}#bnfold/W`);
  const bName = fresh(`${output}#bnfold/B`);
  let fusedOp: Op;
  let w2: Tensor;
  let b2: Tensor;
  if (op.type === 'Conv' && w.shape[0] === aff.a.length) {
    // W is [M, C/group, kh, kw]: output channel m owns the m-th contiguous block.
    const per = w.data.length / w.shape[0];
    w2 = tensor(w.shape, w.data.map((v, i) => aff.a[Math.floor(i / per)] * v));
    b2 = tensor([w.shape[0]], aff.a.map((am, m) => am * (c ? c.data[m] : 0) + aff.b[m]));
    fusedOp = op;
  } else if ((op.type === 'Gemm' || op.type === 'MatMul') && outShape.length === 2 && w.shape.length === 2 && outShape[1] === aff.a.length) {
    const transB = op.type === 'Gemm' && op.transB;
    const beta = op.type === 'Gemm' ? op.beta : 1;
    const [m, n] = outShape;
    // B is [K, N], or [N, K] with transB: output column j is column j, or row j.
    w2 = tensor(w.shape, w.data.map((v, i) => aff.a[transB ? Math.floor(i / w.shape[1]) : i % w.shape[1]] * v));
    b2 = gemmBias(c, beta, m, n, aff);
    fusedOp = op.type === 'Gemm' ? { ...op, beta: 1 } : { type: 'Gemm', alpha: 1, beta: 1, transA: false, transB: false };
  } else {
    return undefined;
  }
  return {
    node: { name: layer.name, opType: layer.opType, op: fusedOp, inputs: [u, wName, bName], output },
    constants: [[wName, w2], [bName, b2]],
  };
}

/**
 * Gemm's new bias C'[i, j] = a[j]·β_gemm·C[i, j] + b[j] (= a[j]·(β_gemm·C[i, j] − μ[j]) + β[j]), with C
 * broadcast to [M, N]; kept as [N]
 * when C does not vary along rows, so the bias stays one vector.
 */
function gemmBias(c: Tensor | undefined, beta: number, m: number, n: number, aff: Affine): Tensor {
  const [r0, r1] = c ? [...[1, 1], ...c.shape].slice(-2) : [1, 1];
  const rows = r0 === 1 ? 1 : m;
  const out = new Float64Array(rows * n);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < n; j++) {
      const cij = c ? c.data[(r0 === 1 ? 0 : i) * r1 + (r1 === 1 ? 0 : j)] : 0;
      out[i * n + j] = aff.a[j] * (beta * cij) + aff.b[j];
    }
  return tensor(rows === 1 ? [n] : [m, n], out);
}
