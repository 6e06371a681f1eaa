/**
 * `buildGraph`: decoded ONNX model → {@link Graph}, with shapes inferred for every value and constant
 * sub-graphs folded. `walkModel` is the shared traversal that `inspectModel` runs without throwing.
 * @module
 */
import type { OnnxModel, OnnxNode, OnnxTensor, ElemType } from '../onnx/types';
import { BlockfoldError } from '../errors';
import { ShapeError, UnsupportedOpError } from './errors';
import { evalOp } from './float/eval';
import { foldBatchNorms } from './fold-batchnorm';
import type { Graph, GraphInput, GraphNode } from './graph';
import { BOOLEAN_OPS, SUPPORTED_OPS } from './op';
import { moveReluAfterPools } from './relu-after-pool';
import { resolveNode, resolveSplit, resolveTopK, type ResolvedNode } from './resolve';
import { foldShapeNode, SHAPE_OPS } from './shape-fold';
import { fmtShape, type Shape } from './shape';
import { tensor, type Tensor } from './tensor';

/** Options of {@link buildGraph}. */
export interface BuildOptions {
  /** Concrete shapes for inputs with symbolic or unknown dimensions (e.g. a batch size `N`); those not given are 1. */
  readonly inputShapes?: Readonly<Record<string, readonly number[]>>;
}

/**
 * Ops that are exact on integer and boolean run-time values (scale 0): data movement, comparisons, boolean
 * connectives, Where, Max and Min. Arithmetic on integer types (which wraps around in ONNX) is not supported.
 */
const INTEGER_SAFE: ReadonlySet<string> = new Set(['Reshape', 'Transpose', 'Concat', 'Slice', 'Gather', 'Identity', 'Move', 'Where', 'Max', 'Min', 'Mod', 'BitShift', 'OneHot', 'ScatterAdd', 'DequantizeLinear', ...BOOLEAN_OPS]);

/** Float element types: the ones the model compiler computes on at run time. */
const FLOAT_TYPES = new Set<ElemType>(['float32', 'float64', 'float16', 'bfloat16']);

/** A float64 tensor from an ONNX tensor. */
export function fromOnnxTensor(t: OnnxTensor): Tensor {
  return tensor(t.dims, t.values);
}

/** Reads the value of a `Constant` node. */
function constantValue(node: OnnxNode): OnnxTensor | Tensor {
  const [name, a] = [...node.attributes][0] ?? [];
  if (node.attributes.size !== 1 || a === undefined) throw new UnsupportedOpError(node.name, 'Constant', 'needs exactly one value attribute');
  switch (a.kind) {
    case 'tensor':
      return a.value;
    case 'float':
    case 'int':
      return tensor([], [a.value]);
    case 'floats':
    case 'ints':
      return tensor([a.value.length], a.value);
    default:
      throw new UnsupportedOpError(node.name, 'Constant', `value attribute "${name}" of kind ${a.kind} is not supported`);
  }
}

/**
 * Most values one model input may hold (2^20, a 1024×1024 image), checked before anything is allocated for
 * it: a shape read from a file must not be able to exhaust memory or run for hours.
 */
export const MAX_INPUT_ELEMENTS = 1 << 20;

/** Static shape of a graph input (see {@link resolveInputShape}); refuses dimensions that are not non-negative integers, or more than {@link MAX_INPUT_ELEMENTS} values. */
function inputShape(name: string, declared: readonly (number | string | null)[] | null, options: BuildOptions, warn: (w: string) => void): number[] {
  const shape = resolveInputShape(name, declared, options, warn);
  if (shape.length > 64 || shape.some((d) => !Number.isSafeInteger(d) || d < 0))
    throw new ShapeError(`input "${name}": shape ${fmtShape(shape)} must have at most 64 dimensions, each a non-negative integer`);
  if (shape.reduce((a, b) => a * b, 1) > MAX_INPUT_ELEMENTS) throw new ShapeError(`input "${name}": shape ${fmtShape(shape)} holds more than ${MAX_INPUT_ELEMENTS} values`);
  return shape;
}

/**
 * The shape given in options (which must agree with every declared size), else the declared one with each
 * symbolic or unnamed dimension set to 1, with a warning naming it.
 */
function resolveInputShape(name: string, declared: readonly (number | string | null)[] | null, options: BuildOptions, warn: (w: string) => void): number[] {
  const given = options.inputShapes?.[name];
  if (given !== undefined) {
    if (declared !== null && (given.length !== declared.length || declared.some((d, i) => typeof d === 'number' && d !== given[i]))) {
      throw new ShapeError(`input "${name}": given shape ${fmtShape(given)} does not match the declared shape [${declared.join(', ')}]`);
    }
    return [...given];
  }
  if (declared === null) throw new ShapeError(`input "${name}" has no declared shape; pass one (--input-shape ${name}=1,3,32,32 or options.inputShapes)`);
  const free = declared.flatMap((d, i) => (typeof d === 'number' ? [] : [d === null ? `dimension ${i} (unnamed)` : `dimension ${i} ("${d}")`]));
  if (free.length > 0) warn(`input "${name}": ${free.join(', ')} set to 1; pass --input-shape ${name}=${declared.map((d) => (typeof d === 'number' ? d : 1)).join(',')} (or options.inputShapes) to choose`);
  return declared.map((d) => (typeof d === 'number' ? d : 1));
}

/** Thrown when resolving a node reads a value that is unknown because an earlier node failed. */
class UnknownValue extends Error {}

/**
 * The {@link UnsupportedOpError} a node raises whatever its unknown inputs hold (an op type, variant or attribute
 * blockfold does not support), or undefined when it resolves as far as its known inputs go.
 */
function unsupportedOwnOp(node: OnnxNode, opset: number, shapes: ReadonlyMap<string, Shape>, constants: ReadonlyMap<string, Tensor>, failed: ReadonlySet<string>): UnsupportedOpError | undefined {
  if (node.domain === '' && (SHAPE_OPS.has(node.opType) || node.opType === 'Constant')) return undefined;
  const known = (n: string) => {
    if (failed.has(n)) throw new UnknownValue();
  };
  try {
    resolveNode(node, {
      opset,
      shape: (n) => (known(n), shapes.get(n) ?? []),
      constant: (n) => (known(n), constants.get(n)),
    });
  } catch (e) {
    if (e instanceof UnsupportedOpError) return e;
  }
  return undefined;
}

/** A node that could not be resolved, reported by the graph walk's error callback (see `inspectModel`). */
export interface NodeProblem {
  readonly node: string;
  readonly opType: string;
  readonly error: BlockfoldError;
}

/**
 * Resolves every node in dependency order, folding nodes whose inputs are all constants. With `onProblem`,
 * a node that fails is reported and its outputs become unknown; a node reading an unknown value is reported
 * only when its own op is unsupported whatever that value holds; without it the first failure throws.
 */
export function walkModel(model: OnnxModel, options: BuildOptions, onProblem?: (p: NodeProblem) => void): Graph {
  const opset = model.opsets.get('') ?? 1;
  const constants = new Map<string, Tensor>();
  const types = new Map<string, ElemType>();
  const shapes = new Map<string, Shape>();
  for (const [name, t] of model.initializers) {
    constants.set(name, fromOnnxTensor(t));
    types.set(name, t.elemType);
    shapes.set(name, t.dims);
  }
  const warnings: string[] = [];
  for (const name of Object.keys(options.inputShapes ?? {}))
    if (!model.inputs.some((v) => v.name === name)) throw new ShapeError(`a shape is given for "${name}", which is not a model input (inputs: ${model.inputs.map((v) => `"${v.name}"`).join(', ')})`);
  const inputs: GraphInput[] = model.inputs.map((v) => {
    const shape = inputShape(v.name, v.shape, options, (w) => warnings.push(w));
    const elemType = v.elemType ?? 'float32';
    shapes.set(v.name, shape);
    types.set(v.name, elemType);
    return { name: v.name, shape, elemType };
  });
  const nodes: GraphNode[] = [];
  const failed = new Set<string>();
  const pending = [...model.nodes];
  // ONNX requires topological order; accept any order whose dependencies resolve, and report cycles or missing values.
  while (pending.length > 0) {
    const ready = pending.findIndex((n) => n.inputs.every((i) => i === '' || shapes.has(i) || failed.has(i)));
    if (ready < 0) {
      const n = pending[0];
      const missing = n.inputs.filter((i) => i !== '' && !shapes.has(i));
      throw new ShapeError(`node "${n.name}" (${n.opType}) reads ${missing.map((m) => `"${m}"`).join(', ')}, which no node, input or initializer defines (or the graph has a cycle)`);
    }
    const [node] = pending.splice(ready, 1);
    if (node.inputs.some((i) => failed.has(i))) {
      // Downstream of a failure the values are unknown, but the node's own op may be unsupported too: report it,
      // so the whole list comes at once.
      const own = onProblem && unsupportedOwnOp(node, opset, shapes, constants, failed);
      if (own) onProblem({ node: node.name, opType: node.opType, error: own });
      for (const o of node.outputs) failed.add(o);
      continue;
    }
    try {
      addNode(node);
    } catch (e) {
      if (!onProblem || !(e instanceof BlockfoldError)) throw e;
      onProblem({ node: node.name, opType: node.opType, error: e });
      for (const o of node.outputs) failed.add(o);
    }
  }

  function addNode(node: OnnxNode): void {
    const ctx = { opset, shape: (n: string) => shapes.get(n) ?? [], constant: (n: string) => constants.get(n), elemType: (n: string) => types.get(n) };
    if ((node.opType === 'Split' || node.opType === 'TopK') && node.domain === '') {
      for (const { output, resolved } of (node.opType === 'Split' ? resolveSplit : resolveTopK)(node, ctx)) place(node, output, resolved);
      return;
    }
    const out = node.outputs[0];
    // A recurrent op (LSTM, GRU, RNN) may leave its first output unnamed: what it lacks is support, not an output.
    if ((out === undefined || out === '') && node.domain === '' && !SUPPORTED_OPS.includes(node.opType)) throw new UnsupportedOpError(node.name, node.opType, 'op is not supported');
    if (out === undefined || out === '') throw new ShapeError(`node "${node.name}" (${node.opType}) has no output`);
    if (shapes.has(out)) throw new ShapeError(`value "${out}" is defined twice (again by node "${node.name}")`);
    if (node.opType === 'Constant' && node.domain === '') {
      const c = constantValue(node);
      const t = 'dims' in c ? fromOnnxTensor(c) : c;
      constants.set(out, t);
      shapes.set(out, t.shape);
      types.set(out, 'dims' in c ? c.elemType : 'float32');
      return;
    }
    if (node.opType === 'If' && node.domain === '') {
      inlineIf(node);
      return;
    }
    const folded = foldShapeNode(node, { shape: (n) => shapes.get(n), constant: (n) => constants.get(n), type: (n) => types.get(n) ?? 'float32' }, opset);
    if (folded) {
      constants.set(out, folded.value);
      shapes.set(out, folded.value.shape);
      types.set(out, folded.elemType);
      return;
    }
    place(node, out, resolveNode(node, ctx));
  }

  /**
   * An `If` whose condition is a constant (typically computed from shapes) is its chosen branch: the branch's
   * initializers become constants and its nodes join the graph, each branch output copied to the `If` output by an
   * Identity node. A condition known only at run time is control flow, which is not supported.
   */
  function inlineIf(node: OnnxNode): void {
    const cond = constants.get(node.inputs[0] ?? '');
    if (!cond || cond.data.length !== 1) throw new UnsupportedOpError(node.name, node.opType, 'the condition must be known at compile time (control flow on run-time values is not supported)');
    const which = cond.data[0] !== 0 ? 'then_branch' : 'else_branch';
    const a = node.attributes.get(which);
    const branch = a?.kind === 'graph' ? a.graph : undefined;
    if (!branch) throw new UnsupportedOpError(node.name, node.opType, `has no ${which} subgraph`);
    if (branch.outputs.length !== node.outputs.length) throw new ShapeError(`node "${node.name}" (If): ${which} has ${branch.outputs.length} outputs, the node ${node.outputs.length}`);
    for (const [name, t] of branch.initializers) {
      if (shapes.has(name)) throw new ShapeError(`value "${name}" is defined twice (again in ${which} of node "${node.name}")`);
      constants.set(name, fromOnnxTensor(t));
      shapes.set(name, t.dims);
      types.set(name, t.elemType);
    }
    const copies = branch.outputs.map((o, i): OnnxNode => ({ name: `${node.name}/${which}/${i}`, opType: 'Identity', domain: '', inputs: [o], outputs: [node.outputs[i]], attributes: new Map() }));
    pending.unshift(...branch.nodes, ...copies);
  }

  /** Records the output `out` of a resolved node: folded when every input is a constant, else a graph node. */
  function place(node: OnnxNode, out: string, r: ResolvedNode): void {
    if (shapes.has(out)) throw new ShapeError(`value "${out}" is defined twice (again by node "${node.name}")`);
    const inputTypes = r.inputs.map((i) => types.get(i) ?? 'float32');
    // An op returns its first input's element type (Gather its data's), except indices, booleans, Where's choice and OneHot's values.
    const outType: ElemType =
      r.op.type === 'ArgMax' || r.op.type === 'ArgMin' || (r.op.type === 'TopK' && r.op.output === 'indices') ? 'int64' : BOOLEAN_OPS.has(r.op.type) ? 'bool' : r.op.type === 'Where' ? inputTypes[1] : r.op.type === 'OneHot' ? (types.get(node.inputs[2]) ?? 'float32') : r.op.type === 'QuantizeLinear' ? (node.inputs[2] ? (types.get(node.inputs[2]) ?? 'uint8') : 'uint8') : r.op.type === 'DequantizeLinear' ? 'float32' : inputTypes[0];
    if (r.inputs.every((i) => constants.has(i))) {
      const t = evalOp(r.op, r.inputs.map((i) => constants.get(i) as Tensor), r.outputShapes[0], node.name, !FLOAT_TYPES.has(outType));
      constants.set(out, t);
    } else {
      const computedOn = r.inputs.filter((i) => !constants.has(i)).map((i) => types.get(i) ?? 'float32');
      const nonFloat = computedOn.find((t) => !FLOAT_TYPES.has(t));
      if (nonFloat !== undefined && !INTEGER_SAFE.has(r.op.type)) {
        throw new UnsupportedOpError(node.name, node.opType, `computes on ${nonFloat} values at run time; only float computations are supported`);
      }
      nodes.push({ name: node.opType === 'Split' || node.opType === 'TopK' ? `${node.name}:${out}` : node.name, opType: node.opType, op: r.op, inputs: r.inputs, output: out });
    }
    shapes.set(out, r.outputShapes[0]);
    types.set(out, outType);
  }

  checkDeclaredShapes(model, shapes, failed);
  const outputs = model.outputs.map((o) => o.name);
  return { name: model.graphName, opset, inputs, outputs, constants, nodes: liveNodes(nodes, outputs), shapes, warnings };
}

/** Compares inferred shapes with the shapes the model declares for outputs and `value_info`. */
function checkDeclaredShapes(model: OnnxModel, shapes: ReadonlyMap<string, Shape>, failed: ReadonlySet<string>): void {
  for (const v of [...model.outputs, ...model.valueInfo]) {
    if (failed.has(v.name)) continue;
    const s = shapes.get(v.name);
    if (s === undefined) {
      if (model.outputs.includes(v)) throw new ShapeError(`graph output "${v.name}" is not computed by any node`);
      continue;
    }
    if (v.shape === null) continue;
    const mismatch = v.shape.length !== s.length || v.shape.some((d, i) => typeof d === 'number' && d !== s[i]);
    if (mismatch) throw new ShapeError(`value "${v.name}": the model declares shape [${v.shape.join(', ')}] but the inferred shape is ${fmtShape(s)}`);
  }
}

/** Nodes that some output depends on, in order. */
function liveNodes(nodes: readonly GraphNode[], outputs: readonly string[]): GraphNode[] {
  const needed = new Set(outputs);
  const live: GraphNode[] = [];
  for (let i = nodes.length - 1; i >= 0; i--) {
    if (!needed.has(nodes[i].output)) continue;
    live.push(nodes[i]);
    for (const x of nodes[i].inputs) needed.add(x);
  }
  return live.reverse();
}

/**
 * Builds the graph IR of a decoded ONNX model: resolves every node to a typed op, infers every shape,
 * folds constant sub-graphs, drops nodes no output needs, folds BatchNormalization into a preceding Conv or
 * Gemm/MatMul where possible (see {@link foldBatchNorms}) and moves a ReLU feeding a max pool after it (see
 * {@link moveReluAfterPools}). Throws {@link UnsupportedOpError} (naming the
 * node and op) or {@link ShapeError} at the first problem; see `inspectModel` to list all problems.
 */
export function buildGraph(model: OnnxModel, options: BuildOptions = {}): Graph {
  return moveReluAfterPools(foldBatchNorms(walkModel(model, options)));
}
