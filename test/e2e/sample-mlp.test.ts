/**
 * End to end on the ZKTorch sample MLP: compile, set up with the development SRS, prove, verify; and the
 * rejections a verifier owes its users (changed output, changed input, another model's key, tampered bytes).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { compile, quantizeFeeds } from '../../src/pipeline/compile';
import { setup } from '../../src/pipeline/keys';
import { prove, verify, type Statement } from '../../src/pipeline/prove-verify';
import { devSrs } from '../helpers/dev-srs';
import { modelFile, sampleMlpInput, SAMPLE_MLP } from '../model/fixtures';

const bytes = readFileSync(modelFile(SAMPLE_MLP));
const feeds = { input: sampleMlpInput() };

async function keysFor(model: ReturnType<typeof compile>) {
  const srs = await devSrs(model.srsG1Powers);
  return setup(model, srs);
}

function bump(t: Statement['inputs'], id: string): Statement['inputs'] {
  return { ...t, [id]: t[id].map((row, r) => row.map((v, c) => (r === 0 && c === 0 ? v + 1n : v))) };
}

test('sample MLP: a proof verifies, is deterministic, and every rejection holds', async () => {
  const model = compile(bytes, [feeds]);
  const pk = await keysFor(model);
  const inputs = quantizeFeeds(model, feeds);
  const { statement, proof } = await prove(pk, inputs, { seed: 'e2e' });
  assert.equal((await verify(pk.vk, statement, proof.bytes)).ok, true);

  const again = await prove(pk, inputs, { seed: 'e2e' });
  assert.deepEqual(again.proof.bytes, proof.bytes, 'same inputs and seed, same bytes');

  const out = model.outputs[0].id;
  const inp = model.inputs[0].id;
  assert.equal((await verify(pk.vk, { ...statement, outputs: bump(statement.outputs, out) }, proof.bytes)).ok, false, 'changed output');
  assert.equal((await verify(pk.vk, { ...statement, inputs: bump(statement.inputs, inp) }, proof.bytes)).ok, false, 'changed input');

  // Same architecture, one weight changed: another model's verifying key.
  const weightId = Object.keys(model.weights)[0];
  const other = { ...model, weights: { ...model.weights, [weightId]: bump(model.weights, weightId)[weightId] as bigint[][] } };
  const otherPk = await keysFor(other);
  assert.equal((await verify(otherPk.vk, statement, proof.bytes)).ok, false, 'another model');

  assert.equal((await verify(pk.vk, statement, proof.bytes.slice(0, proof.bytes.length - 1))).ok, false, 'truncated');
  assert.equal((await verify(pk.vk, statement, Uint8Array.from([...proof.bytes, 0]))).ok, false, 'extended');
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: proof.bytes.length * 8 - 1 }), async (bit) => {
      const tampered = proof.bytes.slice();
      tampered[bit >> 3] ^= 1 << (bit & 7);
      assert.equal((await verify(pk.vk, statement, tampered)).ok, false, `bit ${bit} flipped`);
    }),
    { numRuns: 12, seed: 7 },
  );
});

test('sample MLP: the proof is one argument decided by one multi-pairing of two Miller loops', async () => {
  const model = compile(bytes, [feeds]);
  const pk = await keysFor(model);
  const { statement, proof } = await prove(pk, quantizeFeeds(model, feeds));
  const engine = pk.vk.kzg.engine;
  engine.resetStats();
  assert.equal((await verify(pk.vk, statement, proof.bytes)).ok, true);
  assert.deepEqual([engine.stats.multiPairings, engine.stats.millerLoops], [1, 2]);
  assert.equal((await verify(pk.vk, { ...statement, outputs: bump(statement.outputs, model.outputs[0].id) }, proof.bytes)).ok, false);
});
