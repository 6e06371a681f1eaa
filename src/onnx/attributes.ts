/**
 * Decoding of `AttributeProto` values.
 * @module
 */
import { OnnxError } from './errors';
import { decodeTensor, type TensorProtoObject } from './tensor';
import type { OnnxAttribute, OnnxSubgraph } from './types';

/** Field layout of a decoded `AttributeProto` (protobufjs object with 64-bit integers as strings). */
export interface AttributeProtoObject {
  name?: string;
  type?: number;
  f?: number;
  i?: string;
  s?: Uint8Array;
  t?: TensorProtoObject;
  g?: unknown;
  floats?: number[];
  ints?: string[];
  strings?: Uint8Array[];
  tensors?: unknown[];
  graphs?: unknown[];
  tp?: unknown;
  sparseTensor?: unknown;
  refAttrName?: string;
}

const utf8 = new TextDecoder();

/** The attribute type codes of `AttributeProto.AttributeType`. */
const TYPE = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7, STRINGS: 8, TENSORS: 9, GRAPHS: 10, SPARSE_TENSOR: 11, SPARSE_TENSORS: 12, TYPE_PROTO: 13, TYPE_PROTOS: 14 };

/** The type of an attribute written before IR version 2, which had no `type` field: the field that is set. */
function inferType(a: AttributeProtoObject): number {
  if (a.f !== undefined) return TYPE.FLOAT;
  if (a.i !== undefined) return TYPE.INT;
  if (a.s !== undefined) return TYPE.STRING;
  if (a.t !== undefined) return TYPE.TENSOR;
  if (a.g !== undefined) return TYPE.GRAPH;
  if ((a.floats?.length ?? 0) > 0) return TYPE.FLOATS;
  if ((a.ints?.length ?? 0) > 0) return TYPE.INTS;
  if ((a.strings?.length ?? 0) > 0) return TYPE.STRINGS;
  if ((a.graphs?.length ?? 0) > 0) return TYPE.GRAPHS;
  return 0;
}

/**
 * Decodes one attribute of node `nodeName`. A graph-valued attribute (a control-flow body) is decoded by
 * `decodeGraph` when given, a list of graphs becomes a marker;
 * sparse-tensor and type-proto attributes become `unsupported` so that only ops using them fail.
 */
export function decodeAttribute(a: AttributeProtoObject, nodeName: string, decodeGraph?: (g: unknown, where: string) => OnnxSubgraph): [string, OnnxAttribute] {
  const name = a.name ?? '';
  if (a.refAttrName) throw new OnnxError(`node "${nodeName}": attribute "${name}" refers to a function attribute, which is only valid inside a function body`);
  const type = a.type || inferType(a);
  switch (type) {
    case TYPE.FLOAT:
      return [name, { kind: 'float', value: a.f ?? 0 }];
    case TYPE.INT:
      return [name, { kind: 'int', value: Number(a.i ?? '0') }];
    case TYPE.STRING:
      return [name, { kind: 'string', value: utf8.decode(a.s ?? new Uint8Array()) }];
    case TYPE.TENSOR:
      if (a.t === undefined) throw new OnnxError(`node "${nodeName}": tensor attribute "${name}" has no tensor`);
      return [name, { kind: 'tensor', value: decodeTensor(a.t, `${nodeName}.${name}`) }];
    case TYPE.FLOATS:
      return [name, { kind: 'floats', value: a.floats ?? [] }];
    case TYPE.INTS:
      return [name, { kind: 'ints', value: (a.ints ?? []).map(Number) }];
    case TYPE.STRINGS:
      return [name, { kind: 'strings', value: (a.strings ?? []).map((s) => utf8.decode(s)) }];
    case TYPE.GRAPH:
      return [name, a.g !== undefined && a.g !== null && decodeGraph ? { kind: 'graph', graph: decodeGraph(a.g, `node "${nodeName}" attribute "${name}"`) } : { kind: 'graph' }];
    case TYPE.GRAPHS:
      return [name, { kind: 'graph' }];
    case TYPE.SPARSE_TENSOR:
    case TYPE.SPARSE_TENSORS:
      return [name, { kind: 'unsupported', what: 'sparse tensor' }];
    case TYPE.TENSORS:
      return [name, { kind: 'unsupported', what: 'list of tensors' }];
    case TYPE.TYPE_PROTO:
    case TYPE.TYPE_PROTOS:
      return [name, { kind: 'unsupported', what: 'type proto' }];
    default:
      throw new OnnxError(`node "${nodeName}": attribute "${name}" has unknown attribute type ${type}`);
  }
}
