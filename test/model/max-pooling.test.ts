/**
 * Max reductions on rows whose length is not a power of two (GlobalMaxPool over 3 channels, Softmax's row maxima):
 * the max block needs its differences range-checked on the real cells, which the lowering proves (one source of the
 * range block); the model proves and verifies, and a claimed maximum that is only a candidate, or a
 * graph without the differences' range check, is rejected.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateBlockGraph, BlockGraphError } from '../../src/pipeline/block-graph';
import { compile, quantizeFeeds } from '../../src/pipeline/compile';
import { setup } from '../../src/pipeline/keys';
import { prove, verify } from '../../src/pipeline/prove-verify';
import { runQuantized } from '../../src/model/quant/interpret';
import { devSrs } from '../helpers/dev-srs';
import { tensor } from '../../src/model/tensor';
import { RangeBlock } from '../../blocks/range';
import { attr, singleOpModel } from '../onnx/builder';

const pooled = singleOpModel('GlobalMaxPool', [1, 3, 5, 5], [1, 3, 1, 1]);
const sample = (seed: number) => tensor([1, 3, 5, 5], Array.from({ length: 75 }, (_, i) => Math.sin(seed * 13 + i * 1.7) * 2));

async function proveModel(bytes: Uint8Array, feed: ReturnType<typeof sample>) {
  const model = compile(bytes, [{ x: feed }]);
  const srs = await devSrs(model.srsG1Powers);
  const pk = await setup(model, srs);
  const inputs = quantizeFeeds(model, { x: feed });
  return { model, pk, inputs, ...(await prove(pk, inputs)) };
}

test('GlobalMaxPool over 3 channels (rows of 3 cells in a domain of 4) proves and verifies; a non-maximal candidate is rejected', async () => {
  const feed = sample(1);
  const { model, pk, inputs, statement, proof } = await proveModel(pooled, feed);
  assert.ok(model.graph.nodes.some((nd) => nd.block.kind === 'max'));
  assert.equal((await verify(pk.vk, statement, proof.bytes)).ok, true);
  const out = model.outputs[0].id;
  assert.deepEqual(statement.outputs[out].flat(), [...runQuantized(model.quant, { x: feed })[model.quant.outputs[0].tensor]]);
  // Claim, for channel 1, the second-largest value of its window: a candidate, so only d ≥ 0 rules it out.
  const x = inputs[model.inputs[0].id].flat();
  const window = x.slice(25, 50).sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
  assert.ok(window[1] < window[0]);
  const forged = statement.outputs[out].map((row) => row.map((v, c) => (c === 1 ? window[1] : v)));
  assert.equal((await verify(pk.vk, { ...statement, outputs: { [out]: forged } }, proof.bytes)).ok, false);
});

test('a prover that commits a non-maximal candidate as the max, with consistent differences, is rejected', async () => {
  const feed = sample(3);
  const { model, pk, inputs } = await proveModel(pooled, feed);
  const g = model.graph;
  const max = g.nodes.find((nd) => nd.block.kind === 'max')!;
  const { x: xs, y: ys, d: ds } = max.bind;
  // d is a source of the model's range block itself: its rows are looked up in the table, no copy and no limb.
  const range = g.nodes.find((nd) => nd.block instanceof RangeBlock)!;
  assert.ok(Object.values(range.bind).includes(ds), 'the differences are range-checked in place');
  const proven = await prove(pk, inputs, {
    allowInvalidWitness: true,
    tamper: (values) => {
      // Channel 1: y becomes its window's second largest value, d = y − x keeps linearity and a zero difference, and
      // one difference negative, which only the range check of d can catch.
      const x = values[xs].map((row) => [...row]);
      const second = x.map((row) => row[1]).sort((p, q) => (p < q ? 1 : p > q ? -1 : 0))[1];
      const y = values[ys].map((row) => row.map((v, c) => (c === 1 ? second : v)));
      values[ys] = y;
      values[ds] = x.map((row) => row.map((v, c) => y[0][c] - v));
    },
  });
  assert.ok(proven.statement.outputs[model.outputs[0].id][0][1] < inputs[model.inputs[0].id].flat().slice(25, 50).reduce((m, v) => (v > m ? v : m)));
  assert.equal((await verify(pk.vk, proven.statement, proven.proof.bytes)).ok, false);
});

test('Softmax along rows of 5 proves and verifies (its row maxima are a max block over padded rows)', async () => {
  const bytes = singleOpModel('Softmax', [3, 5], [3, 5], [], [attr.int('axis', -1)]);
  const feed = tensor([3, 5], Array.from({ length: 15 }, (_, i) => Math.cos(i * 0.9) * 3));
  const model = compile(bytes, [{ x: feed }]);
  const srs = await devSrs(model.srsG1Powers);
  const pk = await setup(model, srs);
  const { statement, proof } = await prove(pk, quantizeFeeds(model, { x: feed }));
  assert.equal((await verify(pk.vk, statement, proof.bytes)).ok, true);
});

test('a lowered max whose differences are not range-checked is refused', () => {
  const model = compile(pooled, [{ x: sample(2) }]);
  const max = model.graph.nodes.find((nd) => nd.block.kind === 'max')!;
  const d = max.bind.d;
  validateBlockGraph(model.graph);
  // d, and any copy or limb of it: drop every range check reading one, and nothing proves d ≥ 0.
  const copies = new Set([d]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const nd of model.graph.nodes) {
      const bound = Object.values(nd.bind);
      if (nd === max || nd.block instanceof RangeBlock || !bound.some((t) => copies.has(t))) continue;
      for (const t of bound) if (!copies.has(t)) grew = !!copies.add(t);
    }
  }
  const nodes = model.graph.nodes.flatMap((nd) => {
    if (!(nd.block instanceof RangeBlock)) return [nd];
    const keep = nd.block.sources.filter((s) => !copies.has(nd.bind[s.input]));
    if (keep.length === nd.block.sources.length) return [nd];
    if (keep.length === 0) return [];
    const bind: Record<string, string> = {};
    const sources = keep.map((s, j) => {
      bind[`x${j}`] = nd.bind[s.input];
      return { ...s, input: `x${j}` };
    });
    return [{ block: new RangeBlock(nd.block.size, sources), bind }];
  });
  assert.throws(() => validateBlockGraph({ ...model.graph, nodes }), (e: unknown) => e instanceof BlockGraphError && /needs ".*differences.*" in \[0, /.test((e as Error).message));
});
