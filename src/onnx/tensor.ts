/**
 * Decoding of `TensorProto` values (initializers, `Constant` attributes, test-data `.pb` files).
 * @module
 */
import { OnnxError } from './errors';
import type { ElemType, OnnxTensor } from './types';

/** ONNX `TensorProto.DataType` codes blockfold decodes. */
const ELEM_TYPES: ReadonlyMap<number, ElemType> = new Map([
  [1, 'float32'],
  [2, 'uint8'],
  [3, 'int8'],
  [4, 'uint16'],
  [5, 'int16'],
  [6, 'int32'],
  [7, 'int64'],
  [9, 'bool'],
  [10, 'float16'],
  [11, 'float64'],
  [12, 'uint32'],
  [13, 'uint64'],
  [16, 'bfloat16'],
] as [number, ElemType][]);

/** Names of the data types blockfold rejects, for error messages. */
const UNSUPPORTED_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'UNDEFINED'],
  [8, 'STRING'],
  [14, 'COMPLEX64'],
  [15, 'COMPLEX128'],
  [17, 'FLOAT8E4M3FN'],
  [18, 'FLOAT8E4M3FNUZ'],
  [19, 'FLOAT8E5M2'],
  [20, 'FLOAT8E5M2FNUZ'],
  [21, 'UINT4'],
  [22, 'INT4'],
]);

/** Bytes per element in `raw_data`. */
const WIDTH: Record<ElemType, number> = {
  float32: 4,
  float64: 8,
  float16: 2,
  bfloat16: 2,
  int8: 1,
  int16: 2,
  int32: 4,
  int64: 8,
  uint8: 1,
  uint16: 2,
  uint32: 4,
  uint64: 8,
  bool: 1,
};

/**
 * Maps an ONNX data-type code to an {@link ElemType}, or throws an {@link OnnxError} naming `what` and the type.
 */
export function elemTypeOf(code: number, what: string): ElemType {
  const t = ELEM_TYPES.get(code);
  if (t !== undefined) return t;
  const name = UNSUPPORTED_NAMES.get(code) ?? `code ${code}`;
  throw new OnnxError(`${what} has data type ${name}, which blockfold does not support (supported: ${[...ELEM_TYPES.values()].join(', ')})`);
}

/** Converts an IEEE half-precision bit pattern to a number. */
export function float16ToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Converts a bfloat16 bit pattern (the top half of a float32) to a number. */
function bfloat16ToNumber(bits: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, (bits & 0xffff) << 16);
  return view.getFloat32(0);
}

/** Reads `count` little-endian elements of `type` from `raw`, whatever its alignment inside its buffer. */
function readRaw(raw: Uint8Array, type: ElemType, count: number): Float64Array {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = new Float64Array(count);
  const w = WIDTH[type];
  for (let i = 0; i < count; i++) {
    const o = i * w;
    switch (type) {
      case 'float32': out[i] = view.getFloat32(o, true); break;
      case 'float64': out[i] = view.getFloat64(o, true); break;
      case 'float16': out[i] = float16ToNumber(view.getUint16(o, true)); break;
      case 'bfloat16': out[i] = bfloat16ToNumber(view.getUint16(o, true)); break;
      case 'int8': out[i] = view.getInt8(o); break;
      case 'int16': out[i] = view.getInt16(o, true); break;
      case 'int32': out[i] = view.getInt32(o, true); break;
      case 'int64': out[i] = Number(view.getBigInt64(o, true)); break;
      case 'uint8': out[i] = view.getUint8(o); break;
      case 'uint16': out[i] = view.getUint16(o, true); break;
      case 'uint32': out[i] = view.getUint32(o, true); break;
      case 'uint64': out[i] = Number(view.getBigUint64(o, true)); break;
      case 'bool': out[i] = view.getUint8(o) ? 1 : 0; break;
    }
  }
  return out;
}

/** Field layout of a decoded `TensorProto` (protobufjs object with 64-bit integers as strings). */
export interface TensorProtoObject {
  name?: string;
  dims?: string[];
  dataType?: number;
  segment?: unknown;
  floatData?: number[];
  int32Data?: number[];
  stringData?: Uint8Array[];
  int64Data?: string[];
  rawData?: Uint8Array;
  doubleData?: number[];
  uint64Data?: string[];
  externalData?: { key?: string; value?: string }[];
  dataLocation?: number;
}

/** Values stored in the typed field that matches `type` (used when `raw_data` is absent). */
function typedField(t: TensorProtoObject, type: ElemType): Float64Array {
  switch (type) {
    case 'float32':
      return Float64Array.from(t.floatData ?? []);
    case 'float64':
      return Float64Array.from(t.doubleData ?? []);
    case 'int64':
      return Float64Array.from(t.int64Data ?? [], (s) => Number(s));
    case 'uint32':
    case 'uint64':
      return Float64Array.from(t.uint64Data ?? [], (s) => Number(s));
    case 'float16':
      return Float64Array.from(t.int32Data ?? [], (b) => float16ToNumber(b));
    case 'bfloat16':
      return Float64Array.from(t.int32Data ?? [], (b) => bfloat16ToNumber(b));
    case 'bool':
      return Float64Array.from(t.int32Data ?? [], (b) => (b ? 1 : 0));
    default:
      return Float64Array.from(t.int32Data ?? []);
  }
}

/**
 * Decodes a `TensorProto` into an {@link OnnxTensor}. Throws {@link OnnxError} for external data, segments,
 * unsupported data types, negative dimensions, and a value count that does not match the dimensions.
 * @param fallbackName used in messages when the tensor has no name (e.g. a `Constant` attribute).
 */
export function decodeTensor(t: TensorProtoObject, fallbackName: string): OnnxTensor {
  const name = t.name || fallbackName;
  const what = `tensor "${name}"`;
  if (t.dataLocation === 1 || (t.externalData?.length ?? 0) > 0) {
    const location = t.externalData?.find((e) => e.key === 'location')?.value ?? '(no location given)';
    throw new OnnxError(
      `${what} keeps its data in the external file "${location}"; blockfold reads self-contained models only ` +
        '(save the model with all tensors inside it, e.g. onnx.save_model(model, path, save_as_external_data=False))',
    );
  }
  if (t.segment !== undefined && t.segment !== null) throw new OnnxError(`${what} is stored in segments, which blockfold does not support`);
  const type = elemTypeOf(t.dataType ?? 0, what);
  const dims = (t.dims ?? []).map((d) => {
    const n = Number(d);
    if (!Number.isSafeInteger(n) || n < 0) throw new OnnxError(`${what} has an invalid dimension ${d}`);
    return n;
  });
  const count = dims.reduce((a, b) => a * b, 1);
  let values: Float64Array;
  if (t.rawData !== undefined && t.rawData.length > 0) {
    const expected = count * WIDTH[type];
    if (t.rawData.length !== expected) {
      throw new OnnxError(`${what} (${type} ${JSON.stringify(dims)}) has ${t.rawData.length} bytes of raw_data, expected ${expected}`);
    }
    values = readRaw(t.rawData, type, count);
  } else {
    values = typedField(t, type);
    if (values.length !== count) {
      throw new OnnxError(`${what} (${type} ${JSON.stringify(dims)}) holds ${values.length} values, expected ${count}`);
    }
  }
  return { name, elemType: type, dims, values };
}
