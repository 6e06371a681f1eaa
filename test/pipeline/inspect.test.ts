/**
 * `inspect`: unsupported nodes are named, a compilable model gets its block graph, and the estimates agree
 * with what compiling and proving produce (SRS size exactly, proof size closely).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compile, quantizeFeeds } from '../../src/pipeline/compile';
import { COST_MODEL, inspect, RELINK_MESSAGE_POINTS } from '../../src/pipeline/inspect';
import { setup } from '../../src/pipeline/keys';
import { aggregate } from '../../src/pipeline/aggregate';
import { prove } from '../../src/pipeline/prove-verify';
import { derivedRows } from '../../src/pipeline/derived-rows';
import { relinkedRows } from '../../src/pipeline/relinked-rows';
import { openSrs, DEV_SEED } from '../../src/pipeline/api';
import { encodeModel, node, valueInfo } from '../onnx/builder';
import { modelFile, sampleMlpInput, SAMPLE_MLP } from '../model/fixtures';

test('inspect names every unsupported node and its op, and does not compile', async () => {
  const onnx = encodeModel({
    inputs: [valueInfo('x', [1, 4])],
    outputs: [valueInfo('z', [1, 4])],
    nodes: [node('Relu', ['x'], ['y'], [], 'first_relu'), node('NonMaxSuppression', ['y'], ['z'], [], 'my_nms')],
  });
  const r = await inspect(onnx);
  assert.equal(r.nodeCount, 2);
  assert.deepEqual(r.opCounts, { Relu: 1, NonMaxSuppression: 1 });
  assert.equal(r.unsupported.length, 1);
  assert.equal(r.unsupported[0].node, 'my_nms');
  assert.equal(r.unsupported[0].opType, 'NonMaxSuppression');
  assert.equal(r.unsupported[0].reason, 'op is not supported', 'the reason alone: node and op are fields of their own');
  assert.equal(r.compiled, undefined);
});

test('inspect on the sample MLP: block graph, SRS size, rows, and estimates close to a real proof', async () => {
  const bytes = readFileSync(modelFile(SAMPLE_MLP));
  const feeds = { input: sampleMlpInput() };
  const r = await inspect(bytes, [feeds]);
  assert.deepEqual(r.unsupported, []);
  const c = r.compiled!;
  assert.equal(c.calibration, 'samples');
  const model = compile(bytes, [feeds]);
  assert.equal(c.srsG1Powers, model.srsG1Powers);
  assert.equal(c.blocks.reduce((n, b) => n + b.count, 0), model.graph.nodes.length);
  assert.equal(c.foldKeys.reduce((n, k) => n + k.leaves, 0), model.graph.nodes.length);
  const derived = derivedRows(model.graph).ids;
  assert.ok(derived.size > 0, 'the sample MLP has derived wires');
  const relinked = relinkedRows(model.graph);
  assert.ok(relinked.size > 0, 'the sample MLP reads its biases through relinked copies');
  assert.equal(c.committedRows.wire.rows, model.graph.tensors.filter((t) => t.kind === 'wire' && !derived.has(t.id) && !relinked.has(t.id)).reduce((n, t) => n + t.rows, 0));
  const e = c.estimate;
  assert.ok(e.commitmentFloorSeconds > 0 && e.msm.secondsPerPoint > 0);
  // The floor prices every row committed per proof, and each relinked copy's row as an MSM of a few vanishing bases.
  const relinkedRowCount = model.graph.tensors.reduce((n, t) => n + (relinked.has(t.id) ? t.rows : 0), 0);
  const price = (r: { rows: number; points: number }) => r.rows * e.msm.secondsPerMsm + r.points * e.msm.secondsPerPoint;
  const perProof = price(c.committedRows.input) + price(c.committedRows.output) + price(c.committedRows.wire);
  assert.equal(e.commitmentFloorSeconds, perProof + price({ rows: relinkedRowCount, points: RELINK_MESSAGE_POINTS * relinkedRowCount }));
  assert.ok(e.commitmentFloorSeconds > perProof, 'the relinked copies are priced');
  assert.equal(e.proveSeconds, COST_MODEL.proveFloor * e.commitmentFloorSeconds + COST_MODEL.provePerBlockMsms * model.graph.nodes.length * e.msm.secondsPerMsm);

  const pk = await setup(model, await openSrs({ kind: 'dev', seed: DEV_SEED }, model.srsG1Powers));
  const inputs = quantizeFeeds(model, feeds);
  const { statement, proof } = await prove(pk, inputs);
  assert.equal(e.proofBytes.proof, proof.bytes.length, 'the size of a proof follows from the model');
  const aggregated = await aggregate(pk.vk, [{ statement, proof: proof.bytes }, { statement, proof: proof.bytes }]);
  assert.equal(e.proofBytes.aggregateOfTwo, aggregated.bytes.length, 'and that of an aggregate of two');
});

test('inspect without samples calibrates on a synthetic input and reports it', async () => {
  const r = await inspect(readFileSync(modelFile(SAMPLE_MLP)));
  assert.equal(r.compiled?.calibration, 'synthetic');
});
