/**
 * Builds small ONNX models in TypeScript and encodes them with protobufjs, for per-op and bad-input tests.
 */
import { ModelProtoType } from '../../src/onnx/proto';

/** ONNX data-type codes used by the tests. */
export const DT = { FLOAT: 1, UINT8: 2, INT32: 6, INT64: 7, STRING: 8, DOUBLE: 11, FLOAT8: 17 } as const;

/** A tensor proto object (protobufjs JSON form). */
export type TensorSpec = Record<string, unknown>;

/** A float32 tensor stored in `raw_data` (little-endian). */
export function floatRaw(name: string, dims: number[], values: number[]): TensorSpec {
  const raw = new Uint8Array(values.length * 4);
  const view = new DataView(raw.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return { name, dims, dataType: DT.FLOAT, rawData: raw };
}

/** A float32 tensor stored in `float_data`. */
export function floatData(name: string, dims: number[], values: number[]): TensorSpec {
  return { name, dims, dataType: DT.FLOAT, floatData: values };
}

/** An int64 tensor stored in `int64_data`. */
export function int64Data(name: string, dims: number[], values: number[]): TensorSpec {
  return { name, dims, dataType: DT.INT64, int64Data: values };
}

/** A graph value declaration. */
export function valueInfo(name: string, dims: (number | string)[] | null, elemType: number = DT.FLOAT): Record<string, unknown> {
  const shape = dims === null ? undefined : { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) };
  return { name, type: { tensorType: { elemType, shape } } };
}

/** Attribute helpers (protobufjs JSON form, with the ONNX attribute type code). */
export const attr = {
  int: (name: string, i: number) => ({ name, type: 2, i }),
  float: (name: string, f: number) => ({ name, type: 1, f }),
  ints: (name: string, ints: number[]) => ({ name, type: 7, ints }),
  string: (name: string, s: string) => ({ name, type: 3, s: new TextEncoder().encode(s) }),
  tensor: (name: string, t: TensorSpec) => ({ name, type: 4, t }),
  graph: (name: string) => ({ name, type: 5, g: { name: 'body' } }),
};

/** A node. */
export function node(opType: string, inputs: string[], outputs: string[], attribute: unknown[] = [], name?: string): Record<string, unknown> {
  return { opType, input: inputs, output: outputs, attribute, name: name ?? `${opType}_${outputs[0]}` };
}

/** Everything a small test model needs. */
export interface ModelSpec {
  inputs: Record<string, unknown>[];
  outputs: Record<string, unknown>[];
  nodes: Record<string, unknown>[];
  initializers?: TensorSpec[];
  valueInfo?: Record<string, unknown>[];
  opset?: number;
}

/** Encodes a model spec as ONNX bytes. */
export function encodeModel(spec: ModelSpec): Uint8Array {
  const msg = ModelProtoType.fromObject({
    irVersion: 8,
    producerName: 'blockfold-tests',
    opsetImport: [{ domain: '', version: spec.opset ?? 17 }],
    graph: {
      name: 'test',
      node: spec.nodes,
      initializer: spec.initializers ?? [],
      input: spec.inputs,
      output: spec.outputs,
      valueInfo: spec.valueInfo ?? [],
    },
  });
  return ModelProtoType.encode(msg).finish();
}

/** A one-node model `y = op(x, ...initializers)` with a float input of shape `dims`. */
export function singleOpModel(opType: string, dims: number[], outDims: number[], initializers: TensorSpec[] = [], attributes: unknown[] = [], opset?: number): Uint8Array {
  return encodeModel({
    inputs: [valueInfo('x', dims)],
    outputs: [valueInfo('y', outDims)],
    nodes: [node(opType, ['x', ...initializers.map((t) => t.name as string)], ['y'], attributes, 'the_node')],
    initializers,
    opset,
  });
}
