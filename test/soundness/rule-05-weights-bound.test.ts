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
import { BlockfoldError } from '../../src/errors';
import { prove, verify } from '../../src/pipeline/prove-verify';
import { keysFor, sampleProof } from './pipeline';

test('rule 5: proving with weights other than the model commitment is rejected by the pipeline verifier', async () => {
  const { model, pk, inputs, statement } = await sampleProof();
  // Change every weight tensor a little (all weight rows doubled): the output changes.
  const weights = Object.fromEntries(Object.entries(model.weights).map(([id, rows]) => [id, rows.map((row) => row.map((v) => 2n * v))]));
  const cheaterModel = { ...model, weights };
  let cheat;
  try {
    cheat = await prove({ ...pk, model: cheaterModel }, inputs);
  } catch (e) {
    // A prover that notices the mismatch and refuses is also fine; it must be a typed error.
    assert.ok(e instanceof BlockfoldError, `untyped error ${String(e)}`);
    return;
  }
  assert.notDeepEqual(cheat.statement.outputs, statement.outputs, 'the other weights give another output');
  const verdict = await verify(pk.vk, cheat.statement, cheat.proof.bytes);
  assert.equal(verdict.ok, false, 'a proof with uncommitted weights must be rejected');

  // Control: under a key that commits the cheater's weights, the same statement is provable and verifies.
  const otherPk = await keysFor(cheaterModel);
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
  assert.deepEqual(verifyingKeyDigest(pk.vk.model, pk.vk.modelCommitment, pk.vk.srsDigest, pk.vk.insecureSrs, range), pk.vk.digest);
  for (const id of Object.keys(pk.vk.modelCommitment)) {
    const rows = pk.vk.modelCommitment[id].map((c, r) => (r === 0 ? c.add(G1_ONE) : c));
    const digest = verifyingKeyDigest(pk.vk.model, { ...pk.vk.modelCommitment, [id]: rows }, pk.vk.srsDigest, pk.vk.insecureSrs, range);
    assert.notDeepEqual(digest, pk.vk.digest, `weight ${id} is not in the digest`);
  }
  assert.ok(Object.keys(model.weights).length > 0);
});
