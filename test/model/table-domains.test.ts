/**
 * One table per function and scales (`src/model/quant/table-domains.ts`): domains of one function and scales are
 * merged into their union, other scales and far-apart domains stay apart, the union's entries equal each original
 * table's on its domain, bounds come from the widened table, and on the generated 8-block encoder every function
 * is one lookup block while every integer of the quantized witness stays what it was without merging.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { transformerModel } from '../../bench/ladder';
import { encodeModel, floatRaw, node, valueInfo } from '../onnx/builder';
import { tensor } from '../../src/model/tensor';
import { buildGraph } from '../../src/model/build';
import { DEFAULT_QUANT_OPTIONS } from '../../src/model/quant/context';
import { runQuantized } from '../../src/model/quant/interpret';
import { quantize, quantizeOver } from '../../src/model/quant/quantize';
import { TableDomains } from '../../src/model/quant/table-domains';
import { Emitter } from '../../src/model/quant/emitter';
import { buildTable, tableFunction, type TableSpec } from '../../src/model/quant/tables';
import { valuesInterval } from '../../src/model/quant/bounds';
import { QuantizationError } from '../../src/model/errors';
import { parseOnnx } from '../../src/onnx/index';
import { calibrateOnnx, compile, PROVING_QUANTIZATION, quantizeFeeds } from '../../src/pipeline/compile';
import { prove, verify } from '../../src/pipeline/prove-verify';
import { LookupBlock } from '../../blocks/lookup';
import { assertTamperRejected, keysFor } from '../soundness/pipeline';
import type { Tensor } from '../../src/model/tensor';
import { fashionImages, modelFile } from './fixtures';

const rsqrt = (w: number) => 1 / (8 * Math.sqrt(w / 512 + 1e-5));
const spec = (lo: bigint, hi: bigint, inputScale = 0, outputScale = 17, maxEntries = 4096): TableSpec => ({ fn: 'rsqrt_ln(L=8,eps=0.00001)', f: rsqrt, inputScale, outputScale, lo, hi, maxEntries });

test('tableFunction names the function and scales, not the domain; buildTable tabulates f over a given domain', () => {
  assert.equal(tableFunction(spec(0n, 10n)), tableFunction(spec(0n, 3000n)));
  assert.notEqual(tableFunction(spec(0n, 10n)), tableFunction(spec(0n, 10n, 1)));
  assert.notEqual(tableFunction(spec(0n, 10n)), tableFunction(spec(0n, 10n, 0, 16)));
  const own = buildTable(spec(2n, 10n));
  const wide = buildTable(spec(2n, 10n), 0n, 20n);
  assert.equal(own.name, `${tableFunction(spec(2n, 10n))}|[2,10]`);
  assert.equal(wide.name, `${tableFunction(spec(2n, 10n))}|[0,20]`);
  assert.equal(wide.inputLo, 0n);
  assert.equal(wide.outputs.length, 21);
  assert.deepEqual(wide.outputs.slice(2, 11), own.outputs);
  assert.throws(() => buildTable(spec(0n, 10n, 0, 17, 8)), QuantizationError);
  assert.throws(() => buildTable(spec(0n, 10n), -2n, 10n), /not finite/);
});

test('TableDomains.merge widens two tables of one function and scales to their union; domainOf gives it to both', () => {
  const [a, b] = [spec(0n, 2386n), spec(0n, 3742n)];
  const d = TableDomains.merge([a, b, a]);
  assert.equal(d.widens, true);
  assert.deepEqual(d.domainOf(a), { lo: 0n, hi: 3742n });
  assert.deepEqual(d.domainOf(b), { lo: 0n, hi: 3742n });
  // The union's outputs equal each original table's on its domain, and one name (one digest) holds both.
  const [ta, tb] = [buildTable(a, 0n, 3742n), buildTable(b, 0n, 3742n)];
  assert.equal(ta.name, tb.name);
  assert.deepEqual(ta.outputs.slice(0, 2387), buildTable(a).outputs);
  assert.deepEqual(tb.outputs, buildTable(b).outputs);
  // Overlapping domains on both sides (exp's [−256, 0] and [−1024, 0], or shifted windows) merge too.
  const e = TableDomains.merge([spec(-256n, 0n), spec(-1024n, 0n), spec(-100n, 50n)]);
  assert.deepEqual(e.domainOf(spec(-256n, 0n)), { lo: -1024n, hi: 50n });
  assert.deepEqual(e.domainOf(spec(-100n, 50n)), { lo: -1024n, hi: 50n });
});

test('TableDomains.merge keeps other scales, far-apart domains and unions beyond the limit apart', () => {
  const scales = TableDomains.merge([spec(0n, 2386n, 1, 16), spec(0n, 3742n, 0, 17), spec(0n, 3000n, 0, 16)]);
  assert.equal(scales.widens, false);
  assert.deepEqual(scales.domainOf(spec(0n, 2386n, 1, 16)), { lo: 0n, hi: 2386n });
  // [0, 10] and [1000, 1010] have a gap (a table over both would tabulate 1,011 entries for 22): two tables.
  const far = TableDomains.merge([spec(0n, 10n), spec(1000n, 1010n)]);
  assert.equal(far.widens, false);
  assert.deepEqual(far.domainOf(spec(1000n, 1010n)), { lo: 1000n, hi: 1010n });
  // [0, 2999] ∪ [2000, 4999] has 5,000 entries, more than the 4,096 a table may hold.
  const big = TableDomains.merge([spec(0n, 2999n), spec(2000n, 4999n, 0, 17, 8192)]);
  assert.equal(big.widens, false);
  // Touching domains merge; a gap keeps a domain apart, even a gap narrower than the others' overlap; a lookup the
  // merge never saw keeps its own domain.
  const three = TableDomains.merge([spec(0n, 100n), spec(50n, 150n), spec(151n, 160n), spec(200n, 260n)]);
  assert.equal(three.widens, true);
  assert.deepEqual(three.domainOf(spec(50n, 150n)), { lo: 0n, hi: 160n });
  assert.deepEqual(three.domainOf(spec(151n, 160n)), { lo: 0n, hi: 160n });
  assert.deepEqual(three.domainOf(spec(200n, 260n)), { lo: 200n, hi: 260n });
  assert.deepEqual(three.domainOf(spec(120n, 200n)), { lo: 120n, hi: 200n });
});

/** The quantized model with and without merged tables, from one graph and calibration. */
function bothWays(onnx: Uint8Array, feeds: readonly Record<string, Tensor>[]) {
  const graph = buildGraph(parseOnnx(onnx));
  const calibration = calibrateOnnx(onnx, feeds);
  const opts = { ...DEFAULT_QUANT_OPTIONS, ...PROVING_QUANTIZATION };
  return { merged: quantize(graph, calibration, opts), separate: quantizeOver(graph, calibration, opts).model };
}

test('quantize merges the 8-block encoder’s tables (quantizeOver without domains does not), every witness integer unchanged, bounds from the widened tables', () => {
  const m = transformerModel(8);
  const { merged, separate } = bothWays(m.onnx, m.feeds);
  const functions = (q: typeof merged) => [...q.tables.values()].map(tableFunction);
  assert.equal(new Set(functions(merged)).size, merged.tables.size, 'one table per function and scales');
  assert.ok(separate.tables.size > merged.tables.size + 5, `${separate.tables.size} tables unmerged, ${merged.tables.size} merged`);
  assert.deepEqual(new Set(functions(separate)), new Set(functions(merged)), 'merging changes no scale');
  assert.equal(merged.ops.length, separate.ops.length);
  for (const feeds of m.feeds) assert.deepEqual(runQuantized(merged, feeds), runQuantized(separate, feeds));
  // A lookup's output bound is its (widened) table's output range, wider than the table it asked for.
  let widened = 0;
  for (const op of merged.ops) {
    if (op.kind !== 'lookup') continue;
    const table = merged.tables.get(op.table)!;
    assert.deepEqual(merged.tensors[op.out].bound, valuesInterval(table.outputs));
    const own = separate.tables.get((separate.ops[merged.ops.indexOf(op)] as typeof op).table)!;
    if (own.outputs.length < table.outputs.length) {
      widened++;
      assert.ok(merged.tensors[op.out].bound.lo < valuesInterval(own.outputs).lo, `${op.table} bound covers the entries the original table lacks`);
    }
  }
  assert.ok(widened >= 7, `${widened} lookups read a widened table`);
});

test('the lowered 8-block encoder has one lookup block per function and scales (one for the seven rsqrt tables of one scale)', () => {
  const m = transformerModel(8);
  const c = compile(m.onnx, m.feeds);
  const lookups = c.graph.nodes.filter((n) => n.block.kind === 'lookup');
  assert.equal(lookups.length, c.quant.tables.size);
  const rsqrt = [...c.quant.tables.values()].filter((t) => t.fn.startsWith('rsqrt_ln') && t.inputScale === 0);
  assert.equal(rsqrt.length, 1, 'the seven LayerNorms of one scale share one rsqrt table');
  const readers = c.quant.ops.filter((op) => op.kind === 'lookup' && op.table === rsqrt[0].name);
  assert.equal(readers.length, 7);
});

test('a model whose tables all differ in function or scales (fashion-attn) quantizes exactly as without merging', () => {
  const images = fashionImages().images.slice(0, 2).map((input) => ({ input }));
  const { merged, separate } = bothWays(new Uint8Array(readFileSync(modelFile('fashion-attn.onnx'))), images);
  assert.deepEqual([...merged.tables.keys()], [...separate.tables.keys()]);
  for (const feeds of images) assert.deepEqual(runQuantized(merged, feeds), runQuantized(separate, feeds));
});

test('quantize keeps merged tables only where the second pass is the first with wider tables: a widened sigmoid that would change a later pow table\'s scale leaves every table apart, every integer unchanged', () => {
  // sigmoid(a) and sigmoid(b) share one table once merged; its wider output bound moves pow(sigmoid(a), 6)'s domain
  // and output scale, so the merged pass is refused and the tables stay apart.
  const onnx = encodeModel({
    inputs: [valueInfo('a', [1, 4]), valueInfo('b', [1, 4])],
    outputs: [valueInfo('p', [1, 4]), valueInfo('sb', [1, 4])],
    nodes: [node('Sigmoid', ['a'], ['sa']), node('Sigmoid', ['b'], ['sb']), node('Pow', ['sa', 'six'], ['p'])],
    initializers: [floatRaw('six', [], [6])],
  });
  const feeds = [0, 1, 2].map((k) => ({ a: tensor([1, 4], [-1, -0.3 + k / 10, 0.5, 1]), b: tensor([1, 4], [-4, 1 + k, -2, 4]) }));
  const graph = buildGraph(parseOnnx(onnx));
  const calibration = calibrateOnnx(onnx, feeds);
  const opts = { ...DEFAULT_QUANT_OPTIONS, ...PROVING_QUANTIZATION };
  const apart = quantizeOver(graph, calibration, opts);
  const widened = quantizeOver(graph, calibration, opts, TableDomains.merge(apart.wanted));
  const scales = (q: typeof apart.model) => q.tensors.map((t) => t.scale);
  assert.notDeepEqual(scales(widened.model), scales(apart.model), 'the widened pass chooses another scale (the premise)');
  const q = quantize(graph, calibration, opts);
  assert.deepEqual([...q.tables.keys()], [...apart.model.tables.keys()], 'the tables stay apart');
  for (const f of feeds) assert.deepEqual(runQuantized(q, f), runQuantized(apart.model, f));
});

test('a 2-block encoder whose two softmaxes share one widened exp table proves and verifies; a changed cell of either lookup\'s output is rejected (prover checks bypassed)', async () => {
  const m = transformerModel(2);
  const c = compile(m.onnx, m.feeds);
  const exp = [...c.quant.tables.values()].filter((t) => t.fn === 'exp');
  assert.equal(exp.length, 1, 'one exp table');
  const readers = c.quant.ops.filter((op) => op.kind === 'lookup' && op.table === exp[0].name);
  assert.equal(readers.length, 2, 'read by both softmaxes');
  const block = c.graph.nodes.find((n) => n.block instanceof LookupBlock && n.block.foldKey.includes('exp'))!;
  const outputs = Object.entries(block.bind).filter(([name]) => /^y\d+$/.test(name)).map(([, id]) => id);
  assert.equal(outputs.length, 2, 'one lookup block for both');
  const pk = await keysFor(c);
  const inputs = quantizeFeeds(c, m.feeds[0]);
  const { statement, proof } = await prove(pk, inputs);
  assert.equal((await verify(pk.vk, statement, proof.bytes)).ok, true);
  for (const id of outputs) await assertTamperRejected(pk, inputs, id, 0, 1, 1n);
});

test('Emitter.lookup refuses two tables of one name with different entries (a function name that does not say all its parameters)', () => {
  const e = new Emitter(64);
  const x = e.leaf('x', [4], 0, 'input', { lo: 0n, hi: 10n });
  e.lookup('n1', x, spec(0n, 10n), 'a');
  e.lookup('n2', x, spec(0n, 10n), 'b');
  assert.throws(() => e.lookup('n3', x, { ...spec(0n, 10n), f: (w) => 2 * rsqrt(w) }, 'c'), /two tables named .* hold different entries/);
});

test('Emitter.lookup: a table that cannot be built (too many entries, a value that is not finite) is a QuantizationError naming the node and the tensor', () => {
  const e = new Emitter(64);
  const x = e.leaf('x', [4], 0, 'input', { lo: 0n, hi: 10n });
  const refused = (s: TableSpec, message: RegExp) =>
    assert.throws(() => e.lookup('LayerNorm_3', x, s, 'y#rsqrt'), (err: unknown) => err instanceof QuantizationError && message.test(err.message) && err.tensor === 'y#rsqrt');
  refused({ ...spec(0n, 10n), maxEntries: 4 }, /^node "LayerNorm_3": table rsqrt_ln.* would need 11 entries/);
  refused({ ...spec(0n, 10n), f: (w) => 1 / w }, /^node "LayerNorm_3": table rsqrt_ln.*: f\(0\) is not finite/);
});
