/**
 * docs/soundness.md rule 5: weights are bound. One model commitment is published at setup (in the verifying key); every
 * block that uses weights is checked against it, so a prover who proves with other weights than the committed ones
 * is rejected — through the whole pipeline (`src/pipeline`) on the sample MLP.
 *
 * Control: the same cheating proof verifies under the verifying key of the cheater's weights (the attack is only
 * stopped by the binding), and its claimed output differs from the honest one.
 *
 * Also covered elsewhere: a proof checked against another model's verifying key (`test/e2e/sample-mlp.test.ts`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { prove, verify } from '../../src/pipeline/prove-verify';
import { keysFor, sampleProof } from './pipeline';

test('rule 5: proving with weights other than the model commitment is rejected by the pipeline verifier', async () => {
  const { model, pk, inputs, statement } = await sampleProof();
  // Add 1 to every cell of one weight tensor at a time: each proof is made (the values stay within every bound), so
  // the verifier, not a check of the prover, must refuse it, whether or not the output moves.
  let moved: typeof model | undefined;
  let cheat: Awaited<ReturnType<typeof prove>> | undefined;
  for (const [id, rows] of Object.entries(model.weights)) {
    const cheaterModel = { ...model, weights: { ...model.weights, [id]: rows.map((row) => row.map((v) => v + 1n)) } };
    const proof = await prove({ ...pk, model: cheaterModel }, inputs);
    assert.equal((await verify(pk.vk, proof.statement, proof.proof.bytes)).ok, false, `weight ${id} + 1: a proof with uncommitted weights must be rejected`);
    if (!moved && !isDeepStrictEqual(proof.statement.outputs, statement.outputs)) [moved, cheat] = [cheaterModel, proof];
  }
  assert.ok(moved && cheat, 'some changed weight tensor moves the output');

  // Control: under a key that commits the cheater's weights, the same statement is provable and verifies.
  const otherPk = await keysFor(moved);
  const honestOther = await prove(otherPk, inputs);
  assert.deepEqual(honestOther.statement.outputs, cheat.statement.outputs);
  assert.equal((await verify(otherPk.vk, honestOther.statement, honestOther.proof.bytes)).ok, true);
  assert.equal((await verify(pk.vk, honestOther.statement, honestOther.proof.bytes)).ok, false, 'its proof does not verify under the published key');
});

test('rule 5: the verifying key digest covers every weight commitment', async () => {
  const { model, pk } = await sampleProof();
  const { verifyingKeyDigest } = await import('../../src/pipeline/keys');
  const { G1_ONE } = await import('../../src/curve');
  const range = pk.vk.kzg.rangeTable?.vanishing.point;
  assert.ok(range, 'the sample MLP range-checks through a table');
  // The control: the same inputs give the key's digest, so a difference below is the changed commitment's.
  assert.deepEqual(verifyingKeyDigest(pk.vk), pk.vk.digest);
  for (const id of Object.keys(pk.vk.modelCommitment)) {
    const rows = pk.vk.modelCommitment[id].map((c, r) => (r === 0 ? c.add(G1_ONE) : c));
    const digest = verifyingKeyDigest({ ...pk.vk, modelCommitment: { ...pk.vk.modelCommitment, [id]: rows } });
    assert.notDeepEqual(digest, pk.vk.digest, `weight ${id} is not in the digest`);
  }
  assert.ok(Object.keys(model.weights).length > 0);
});
