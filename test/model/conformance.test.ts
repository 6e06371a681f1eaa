/**
 * Per-op conformance with the ONNX backend test data (Debian package `libonnx-testdata`, installed at
 * /usr/share/libonnx-testdata/data/node; override with ONNX_TESTDATA_DIR). Every test whose ops are all
 * supported runs through the float interpreter (tolerance 1e-4 + 1e-3·|expected|) and, when its inputs are
 * float, through the quantized integer interpreter calibrated on the test's own input (tolerance derived
 * from the output scale, see `quantTolerance`). Unsupported variants are skipped and counted. The whole
 * test is skipped when the data is not installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { BlockfoldError } from '../../src/errors';
import { parseOnnx, parseTensorProto } from '../../src/onnx/index';
import type { OnnxModel, OnnxTensor } from '../../src/onnx/types';
import { buildGraph } from '../../src/model/build';
import { runFloat } from '../../src/model/float/run';
import { SUPPORTED_OPS } from '../../src/model/op';
import { calibrate } from '../../src/model/quant/calibrate';
import { dequantizeTensor, runQuantized } from '../../src/model/quant/interpret';
import { quantize } from '../../src/model/quant/quantize';
import { tensor, type Tensor } from '../../src/model/tensor';

const DATA_DIR = process.env.ONNX_TESTDATA_DIR ?? '/usr/share/libonnx-testdata/data/node';
const FLOAT_TYPES = new Set(['float32', 'float64', 'float16']);

interface Case {
  readonly name: string;
  readonly model: OnnxModel;
  readonly inputs: OnnxTensor[];
  readonly outputs: OnnxTensor[];
}

function readCase(dir: string): Case | undefined {
  const set = path.join(dir, 'test_data_set_0');
  if (!existsSync(path.join(dir, 'model.onnx')) || !existsSync(set)) return undefined;
  const files = readdirSync(set).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const read = (prefix: string) => files.filter((f) => f.startsWith(prefix)).map((f) => parseTensorProto(readFileSync(path.join(set, f)), f));
  return { name: path.basename(dir), model: parseOnnx(readFileSync(path.join(dir, 'model.onnx'))), inputs: read('input_'), outputs: read('output_') };
}

/** Ops whose inputs after the first are layer parameters (weights, biases, statistics) in real models. */
const PARAMETER_OPS = new Set(['Gemm', 'Conv', 'BatchNormalization', 'LayerNormalization', 'Clip']);

/**
 * Backend tests feed as graph inputs what real models store as constants: integer parameters (Reshape's
 * shape, Slice's starts, Squeeze's axes, ...) and the parameters of PARAMETER_OPS. Bind
 * those as initializers. Optional extra outputs (LayerNormalization's statistics, MaxPool's indices) are
 * dropped: only the first output is compared.
 */
function bindConstants(c: Case): { model: OnnxModel; feeds: Record<string, Tensor>; expected: OnnxTensor[] } {
  const initializers = new Map(c.model.initializers);
  const feeds: Record<string, Tensor> = {};
  const params = new Set(c.model.nodes.filter((n) => PARAMETER_OPS.has(n.opType)).flatMap((n) => n.inputs.slice(1)));
  const inputs = c.model.inputs.filter((v, i) => {
    const t = c.inputs[i];
    if (t && (!FLOAT_TYPES.has(t.elemType) || params.has(v.name))) {
      initializers.set(v.name, { ...t, name: v.name });
      return false;
    }
    if (t) feeds[v.name] = tensor(t.dims, t.values);
    return true;
  });
  const single = c.model.nodes.length === 1 && c.model.outputs.length > 1 && ['LayerNormalization', 'MaxPool'].includes(c.model.nodes[0].opType);
  if (!single) return { model: { ...c.model, inputs, initializers }, feeds, expected: c.outputs };
  const nodes = [{ ...c.model.nodes[0], outputs: c.model.nodes[0].outputs.slice(0, 1) }];
  return { model: { ...c.model, inputs, initializers, nodes, outputs: c.model.outputs.slice(0, 1) }, feeds, expected: c.outputs.slice(0, 1) };
}

/** Close within atol + rtol·|expected| elementwise (same shape). */
function close(got: Tensor, want: OnnxTensor, atol: number, rtol: number): string | undefined {
  if (got.data.length !== want.values.length) return `size ${got.data.length} ≠ ${want.values.length}`;
  for (let i = 0; i < want.values.length; i++) {
    const d = Math.abs(got.data[i] - want.values[i]);
    if (!(d <= atol + rtol * Math.abs(want.values[i]))) return `element ${i}: got ${got.data[i]}, expected ${want.values[i]} (tolerance ${atol + rtol * Math.abs(want.values[i])})`;
  }
  return undefined;
}

/**
 * Quantized tolerance: the output's own resolution (a few units of 2^−s) plus a relative part that covers
 * the input rounding (inputs quantized at ~2^−13 relative precision, amplified by at most a few ops) and
 * 1% for table-based nonlinearities.
 */
function quantTolerance(scale: number): { atol: number; rtol: number } {
  return { atol: 8 * 2 ** -scale, rtol: 1e-2 };
}

test('ONNX backend node tests: float and quantized interpreters', { skip: existsSync(DATA_DIR) ? false : `ONNX test data not installed (${DATA_DIR})` }, () => {
  const supported = new Set(SUPPORTED_OPS);
  const counts = { total: 0, unreadable: 0, otherOps: 0, unsupportedVariant: 0, float: 0, quantized: 0, quantSkipped: 0 };
  const failures: string[] = [];
  const skippedVariants: string[] = [];
  for (const entry of readdirSync(DATA_DIR).sort()) {
    let c: Case | undefined;
    try {
      c = readCase(path.join(DATA_DIR, entry));
    } catch (e) {
      // Models with data types blockfold does not read (strings, float8, ...): a typed error is the expected outcome.
      if (!(e instanceof BlockfoldError)) throw e;
      counts.total++;
      counts.unreadable++;
      continue;
    }
    if (!c) continue;
    counts.total++;
    if (!c.model.nodes.every((n) => supported.has(n.opType) && n.domain === '')) {
      counts.otherOps++;
      continue;
    }
    const { model, feeds, expected } = bindConstants(c);
    let graph;
    try {
      graph = buildGraph(model);
    } catch (e) {
      if (!(e instanceof BlockfoldError)) throw e;
      counts.unsupportedVariant++;
      skippedVariants.push(`${c.name} (${e.message})`);
      continue;
    }
    const values = runFloat(graph, feeds);
    graph.outputs.forEach((o, i) => {
      const err = close(values.get(o) as Tensor, expected[i], 1e-4, 1e-3);
      if (err) failures.push(`float ${c.name} output ${o}: ${err}`);
    });
    counts.float++;
    const floatInputs = graph.inputs.every((i) => FLOAT_TYPES.has(i.elemType));
    const floatOutputs = expected.every((t) => FLOAT_TYPES.has(t.elemType));
    if (!floatInputs || !floatOutputs || graph.inputs.length === 0 || graph.nodes.length === 0) {
      counts.quantSkipped++;
      continue;
    }
    let qmodel;
    try {
      qmodel = quantize(graph, calibrate(graph, [feeds]));
    } catch (e) {
      if (!(e instanceof BlockfoldError)) throw e;
      counts.quantSkipped++;
      skippedVariants.push(`${c.name} [quantized] (${e.message})`);
      continue;
    }
    const witness = runQuantized(qmodel, feeds);
    qmodel.outputs.forEach((o, i) => {
      const got = dequantizeTensor(qmodel, witness, o.tensor);
      const { atol, rtol } = quantTolerance(qmodel.tensors[o.tensor].scale);
      const err = close(got, expected[i], atol, rtol);
      if (err) failures.push(`quantized ${c.name} output ${o.name} (scale 2^-${qmodel.tensors[o.tensor].scale}): ${err}`);
    });
    counts.quantized++;
  }
  console.log(`# ONNX node tests: ${JSON.stringify(counts)}`);
  for (const s of skippedVariants) console.log(`#   skipped: ${s}`);
  assert.deepEqual(failures, []);
});
