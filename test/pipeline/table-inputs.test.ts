/**
 * The table-input check of the witness (`src/pipeline/table-inputs.ts`): a model read from a key file has no
 * quantized model to run first, so an input that drives a lookup outside its table used to stop the witness with the
 * lookup block's `BLOCK` error (the CLI's exit 3, "internal error"); it is now an `INPUT` error naming the tensor and
 * the table, before anything is committed. The Fashion attention model calibrated on one image with margin 1: its
 * LayerNorm's rsqrt table holds the variances of that image only, and another image's are beyond it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BlockfoldError } from '../../src/errors';
import { compile, quantizeFeeds } from '../../src/pipeline/compile';
import { computeGraphWitness } from '../../src/pipeline/graph-proof';
import { setup } from '../../src/pipeline/keys';
import { prove } from '../../src/pipeline/prove-verify';
import { tableInputCheck } from '../../src/pipeline/table-inputs';
import type { BlockGraph } from '../../src/pipeline/block-graph';
import { LookupBlock } from '../../blocks/lookup';
import { functionTable, makeTable } from '../../blocks/tables';
import { devSrs } from '../helpers/dev-srs';
import { fashionImages, modelFile } from '../model/fixtures';

const images = fashionImages().images;
const options = { quantization: { margin: 1 } };
const model = compile(readFileSync(modelFile('fashion-attn.onnx')), [{ input: images[0] }], options);
/** An image whose LayerNorm variance leaves the rsqrt table calibrated on image 0 (and no calibrated range before it). */
const beyond = { input: images[2] };
const missed = (e: unknown) => e instanceof BlockfoldError && e.code === 'INPUT' && /^tensor "[^"]+" holds \d+, which the table rsqrt_ln\(.* it is looked up in does not hold \(its inputs range over \[\d+, \d+\], as calibrated with the model's margin\): recompile with a larger --margin/.test((e as Error).message);

test('tableInputCheck: a value outside the input column of the table it is looked up in is an INPUT error naming tensor and table; an image within every table passes', () => {
  const witness = (feeds: typeof beyond, check?: ReturnType<typeof tableInputCheck>) => computeGraphWitness(model.graph, { ...quantizeFeeds(model, feeds), ...model.weights }, check);
  assert.throws(() => witness(beyond), (e: unknown) => e instanceof BlockfoldError && e.code === 'BLOCK' && /is not in the input column of table rsqrt_ln/.test((e as Error).message), 'without the check: the lookup block\'s own error');
  assert.throws(() => witness(beyond, tableInputCheck(model.graph)), missed);
  const within = witness({ input: images[8] }, tableInputCheck(model.graph));
  assert.deepEqual(within, witness({ input: images[8] }), 'the check changes no value');
});

test('prove with a key holding no quantized model (as a key file does): an input beyond a table is an INPUT error, not the lookup block\'s BLOCK error', async () => {
  const pk = await setup(model, await devSrs(model.srsG1Powers));
  const { quant: _quant, ...fromFile } = pk.model as typeof model;
  await assert.rejects(prove({ ...pk, model: fromFile }, quantizeFeeds(model, beyond)), missed);
  await assert.rejects(prove(pk, quantizeFeeds(model, beyond)), (e: unknown) => e instanceof BlockfoldError && e.code === 'INPUT', 'with the quantized model: its run names the node first');
});

test('tableInputCheck on a table of an interval and on one of scattered entries: only the real cells of the tensors looked up are checked', () => {
  const scattered = makeTable('scattered', [5n, -3n, 40n], [1n, 2n, 3n]);
  const interval = functionTable('double', -2n, 3n, (x) => 2n * x);
  const source = { input: 'x0', output: 'y0', rows: 2, domain: 4, length: 3 };
  const graph = {
    tensors: [],
    nodes: [
      { block: new LookupBlock(scattered, [source]), bind: { x0: 'a', y0: 'b' } },
      { block: new LookupBlock(interval, [source]), bind: { x0: 'c', y0: 'd' } },
    ],
  } as unknown as BlockGraph;
  const check = tableInputCheck(graph);
  check('a', [[5n, -3n, 40n, 7n], [40n, 40n, 5n, 0n]]);
  check('c', [[-2n, 0n, 2n, 9n]]);
  check('b', [[123n]]);
  const refused = (id: string, x: bigint, lo: bigint, hi: bigint) => (e: unknown) =>
    e instanceof BlockfoldError && e.code === 'INPUT' && (e as Error).message.startsWith(`tensor "${id}" holds ${x}, which the table `) && (e as Error).message.includes(`(its inputs range over [${lo}, ${hi}]`);
  assert.throws(() => check('a', [[5n, -3n, 40n], [5n, 6n, 5n]]), refused('a', 6n, -3n, 40n), 'a value between two entries of the scattered table');
  assert.throws(() => check('c', [[-2n, 3n, 0n]]), refused('c', 3n, -2n, 2n), 'a value past the interval');
  assert.throws(() => check('c', [[-3n, 0n, 0n]]), refused('c', -3n, -2n, 2n), 'a value before the interval');
});
