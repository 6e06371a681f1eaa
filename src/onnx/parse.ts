/**
 * `parseOnnx`: ONNX model bytes → {@link OnnxModel}.
 * @module
 */
import { decodeAttribute, type AttributeProtoObject } from './attributes';
import { OnnxError } from './errors';
import { ModelProtoType, TensorProtoType, TO_OBJECT_OPTIONS } from './proto';
import { decodeTensor, elemTypeOf, type TensorProtoObject } from './tensor';
import type { OnnxDim, OnnxModel, OnnxNode, OnnxSubgraph, OnnxTensor, OnnxValueInfo } from './types';

interface ValueInfoObject {
  name?: string;
  type?: {
    tensorType?: { elemType?: number; shape?: { dim?: { dimValue?: string; dimParam?: string }[] } };
    value?: string;
  };
}
interface NodeObject {
  name?: string;
  opType?: string;
  domain?: string;
  input?: string[];
  output?: string[];
  attribute?: AttributeProtoObject[];
}
interface GraphObject {
  name?: string;
  node?: NodeObject[];
  initializer?: TensorProtoObject[];
  sparseInitializer?: unknown[];
  input?: ValueInfoObject[];
  output?: ValueInfoObject[];
  valueInfo?: ValueInfoObject[];
}
interface ModelObject {
  irVersion?: string;
  producerName?: string;
  graph?: GraphObject;
  opsetImport?: { domain?: string; version?: string }[];
}

/** Decodes protobuf bytes with `type`, turning any decoder failure into an {@link OnnxError}. */
function decodeMessage<T>(type: typeof ModelProtoType, bytes: Uint8Array, what: string): T {
  if (!(bytes instanceof Uint8Array)) throw new OnnxError(`${what}: expected bytes (Uint8Array), got ${typeof bytes}`);
  try {
    return type.toObject(type.decode(bytes), TO_OBJECT_OPTIONS) as T;
  } catch (e) {
    throw new OnnxError(`${what} is not a valid ONNX protobuf (${(e as Error).message}); the file may be truncated or not an ONNX model`, { cause: e });
  }
}

/** 'ai.onnx' and '' both name the default domain. */
function normaliseDomain(d: string | undefined): string {
  return d === undefined || d === 'ai.onnx' ? '' : d;
}

function decodeValueInfo(v: ValueInfoObject, role: string): OnnxValueInfo {
  const name = v.name ?? '';
  if (name === '') throw new OnnxError(`a graph ${role} has no name`);
  const value = v.type?.value;
  if (value !== undefined && value !== 'tensorType') {
    throw new OnnxError(`graph ${role} "${name}" is a ${value.replace('Type', '')}, not a tensor; blockfold supports tensor values only`);
  }
  const tt = v.type?.tensorType;
  const elemType = tt?.elemType ? elemTypeOf(tt.elemType, `graph ${role} "${name}"`) : null;
  const shape: OnnxDim[] | null = tt?.shape
    ? (tt.shape.dim ?? []).map((d) => (d.dimValue !== undefined ? Number(d.dimValue) : d.dimParam !== undefined && d.dimParam !== '' ? d.dimParam : null))
    : null;
  return { name, elemType, shape };
}

/** Decodes a control-flow body: its nodes, initializers and output names (values it reads may come from outside). */
function decodeSubgraph(graph: unknown, where: string): OnnxSubgraph {
  const g = graph as GraphObject;
  const initializers = new Map<string, OnnxTensor>();
  for (const [i, t] of (g.initializer ?? []).entries()) {
    if (!t.name) throw new OnnxError(`${where}: initializer #${i} has no name`);
    initializers.set(t.name, decodeTensor(t, t.name));
  }
  return { nodes: (g.node ?? []).map(decodeNode), initializers, outputs: (g.output ?? []).map((v) => v.name ?? '') };
}

function decodeNode(n: NodeObject, index: number): OnnxNode {
  const opType = n.opType ?? '';
  if (opType === '') throw new OnnxError(`node #${index} ("${n.name ?? ''}") has no op_type`);
  const name = n.name || `${opType}_${index}`;
  const attributes = new Map((n.attribute ?? []).map((a) => decodeAttribute(a, name, decodeSubgraph)));
  return { name, opType, domain: normaliseDomain(n.domain), inputs: n.input ?? [], outputs: n.output ?? [], attributes };
}

/**
 * Decodes ONNX model bytes. Checks the container (a graph, at least one opset import, named initializers,
 * no sparse initializers, tensor-typed inputs and outputs) and decodes every initializer; it does not
 * interpret ops (see `buildGraph` in `src/model`). Throws {@link OnnxError} naming what is wrong.
 */
export function parseOnnx(bytes: Uint8Array): OnnxModel {
  const m = decodeMessage<ModelObject>(ModelProtoType, bytes, 'model bytes');
  const g = m.graph;
  if (g === undefined || g === null) throw new OnnxError('the model has no graph (ModelProto.graph is missing); the file may be truncated or not an ONNX model');
  const opsets = new Map<string, number>();
  for (const o of m.opsetImport ?? []) opsets.set(normaliseDomain(o.domain), Number(o.version ?? '0'));
  if (opsets.size === 0) throw new OnnxError('the model imports no operator set (ModelProto.opset_import is empty)');
  if ((g.sparseInitializer?.length ?? 0) > 0) throw new OnnxError('the model has sparse initializers, which blockfold does not support');
  const initializers = new Map<string, OnnxTensor>();
  for (const [i, t] of (g.initializer ?? []).entries()) {
    if (!t.name) throw new OnnxError(`initializer #${i} has no name`);
    initializers.set(t.name, decodeTensor(t, t.name));
  }
  const inputs = (g.input ?? []).filter((v) => !initializers.has(v.name ?? '')).map((v) => decodeValueInfo(v, 'input'));
  const outputs = (g.output ?? []).map((v) => decodeValueInfo(v, 'output'));
  if (outputs.length === 0) throw new OnnxError('the graph declares no outputs');
  const valueInfo = (g.valueInfo ?? []).filter((v) => v.type?.value === undefined || v.type.value === 'tensorType').map((v) => decodeValueInfo(v, 'value'));
  return {
    irVersion: Number(m.irVersion ?? '0'),
    opsets,
    producer: m.producerName ?? '',
    graphName: g.name ?? '',
    inputs,
    outputs,
    valueInfo,
    initializers,
    nodes: (g.node ?? []).map(decodeNode),
  };
}

/** Decodes one serialized `TensorProto` (the format of ONNX test-data `.pb` files). */
export function parseTensorProto(bytes: Uint8Array, what = 'tensor bytes'): OnnxTensor {
  const t = decodeMessage<TensorProtoObject>(TensorProtoType, bytes, what);
  return decodeTensor(t, what);
}
