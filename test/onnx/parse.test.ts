import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { OnnxError, parseOnnx, parseTensorProto, TensorProtoType } from '../../src/onnx/index';
import { modelFile, FASHION_MODELS, SAMPLE_MLP } from '../model/fixtures';
import { attr, DT, encodeModel, floatData, floatRaw, int64Data, node, valueInfo } from './builder';

test('parses the real models: opsets, IR version, inputs, initializers', () => {
  for (const name of [...FASHION_MODELS, SAMPLE_MLP]) {
    const m = parseOnnx(readFileSync(modelFile(name)));
    assert.ok(m.nodes.length > 0, name);
    assert.ok((m.opsets.get('') ?? 0) >= 10, name);
    assert.equal(m.outputs.length, 1);
  }
  const mlp = parseOnnx(readFileSync(modelFile('fashion-mlp.onnx')));
  assert.equal(mlp.irVersion, 8);
  assert.equal(mlp.opsets.get(''), 17);
  assert.deepEqual(mlp.inputs, [{ name: 'input', elemType: 'float32', shape: [1, 1, 28, 28] }]);
  assert.deepEqual(mlp.initializers.get('fc1.weight')?.dims, [64, 784]);
  assert.deepEqual(mlp.nodes.map((n) => n.opType), ['Flatten', 'Gemm', 'Relu', 'Gemm']);
  const sample = parseOnnx(readFileSync(modelFile(SAMPLE_MLP)));
  assert.equal(sample.opsets.get(''), 10);
  const b = sample.initializers.get('lin1.bias');
  assert.ok(b && Math.abs(b.values[0] - -0.3709242343902588) < 1e-12);
});

function modelWith(initializers: Record<string, unknown>[]): Uint8Array {
  return encodeModel({ inputs: [valueInfo('x', [2])], outputs: [valueInfo('x', [2])], nodes: [], initializers });
}

test('decodes raw_data at any alignment, float_data, int64_data, int32_data and double_data', () => {
  fc.assert(
    fc.property(fc.array(fc.float({ noNaN: true }), { minLength: 1, maxLength: 20 }), fc.integer({ min: 1, max: 7 }), (values, shift) => {
      const bytes = modelWith([floatRaw('r', [values.length], values), floatData('f', [values.length], values)]);
      // Copy into a buffer at an odd offset so raw_data is not 4-byte aligned.
      const shifted = new Uint8Array(bytes.length + shift);
      shifted.set(bytes, shift);
      const m = parseOnnx(shifted.subarray(shift));
      const want = values.map((v) => Math.fround(v));
      assert.deepEqual([...(m.initializers.get('r')?.values ?? [])], want);
      assert.deepEqual([...(m.initializers.get('f')?.values ?? [])], want);
    }),
    { numRuns: 50 },
  );
  const m = parseOnnx(
    modelWith([
      int64Data('i64', [3], [-5, 0, 2 ** 40]),
      { name: 'i32', dims: [2], dataType: DT.INT32, int32Data: [-7, 9] },
      { name: 'f64', dims: [1], dataType: DT.DOUBLE, doubleData: [0.1] },
      { name: 'u8raw', dims: [3], dataType: DT.UINT8, rawData: new Uint8Array([1, 2, 255]) },
    ]),
  );
  assert.deepEqual([...(m.initializers.get('i64')?.values ?? [])], [-5, 0, 2 ** 40]);
  assert.deepEqual([...(m.initializers.get('i32')?.values ?? [])], [-7, 9]);
  assert.deepEqual([...(m.initializers.get('f64')?.values ?? [])], [0.1]);
  assert.deepEqual([...(m.initializers.get('u8raw')?.values ?? [])], [1, 2, 255]);
});

test('decodes attributes of every scalar and list kind', () => {
  const bytes = encodeModel({
    inputs: [valueInfo('x', [2])],
    outputs: [valueInfo('y', [2])],
    nodes: [node('Identity', ['x'], ['y'], [attr.int('i', -3), attr.float('f', 0.5), attr.ints('is', [1, 2]), attr.string('s', 'hé'), attr.tensor('t', floatData('', [1], [2]))], 'n')],
  });
  const a = parseOnnx(bytes).nodes[0].attributes;
  assert.deepEqual(a.get('i'), { kind: 'int', value: -3 });
  assert.deepEqual(a.get('f'), { kind: 'float', value: 0.5 });
  assert.deepEqual(a.get('is'), { kind: 'ints', value: [1, 2] });
  assert.deepEqual(a.get('s'), { kind: 'string', value: 'hé' });
  const t = a.get('t');
  assert.ok(t?.kind === 'tensor' && t.value.values[0] === 2);
});

test('external data is a typed error naming the tensor and the file', () => {
  const bytes = modelWith([{ name: 'w', dims: [2], dataType: DT.FLOAT, dataLocation: 1, externalData: [{ key: 'location', value: 'weights.bin' }] }]);
  assert.throws(() => parseOnnx(bytes), (e: unknown) => e instanceof OnnxError && e.code === 'ONNX' && /"w"/.test(e.message) && /weights\.bin/.test(e.message));
});

test('unsupported data types are typed errors naming the tensor and the type', () => {
  for (const [dataType, name] of [[DT.STRING, 'STRING'], [DT.FLOAT8, 'FLOAT8E4M3FN']] as const) {
    const bytes = modelWith([{ name: 'odd', dims: [1], dataType, rawData: new Uint8Array([0]) }]);
    assert.throws(() => parseOnnx(bytes), (e: unknown) => e instanceof OnnxError && e.message.includes('"odd"') && e.message.includes(name));
  }
});

test('a value count that does not match the dimensions is a typed error', () => {
  assert.throws(() => parseOnnx(modelWith([floatData('short', [3], [1, 2])])), (e: unknown) => e instanceof OnnxError && /"short"/.test(e.message) && /expected 3/.test(e.message));
  assert.throws(() => parseOnnx(modelWith([floatRaw('odd', [2], [1, 2, 3])])), (e: unknown) => e instanceof OnnxError && /"odd"/.test(e.message));
});

test('malformed and truncated bytes are typed errors, never crashes', () => {
  const real = readFileSync(modelFile('fashion-cnn.onnx'));
  fc.assert(
    fc.property(fc.integer({ min: 0, max: real.length - 1 }), (cut) => {
      assert.throws(() => parseOnnx(real.subarray(0, cut)), (e: unknown) => e instanceof OnnxError);
    }),
    { numRuns: 60 },
  );
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 0, maxLength: 200 }), (junk) => {
      try {
        parseOnnx(junk);
      } catch (e) {
        assert.ok(e instanceof OnnxError, String(e));
      }
    }),
    { numRuns: 200 },
  );
  assert.throws(() => parseOnnx(new TextEncoder().encode('not a model at all')), OnnxError);
});

test('parseTensorProto reads a serialized TensorProto', () => {
  const bytes = TensorProtoType.encode(TensorProtoType.fromObject(floatRaw('t', [2, 2], [1, 2, 3, 4]))).finish();
  const t = parseTensorProto(bytes);
  assert.deepEqual(t.dims, [2, 2]);
  assert.deepEqual([...t.values], [1, 2, 3, 4]);
});
