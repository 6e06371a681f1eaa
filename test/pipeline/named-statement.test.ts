/**
 * `namedStatementJson`: the statement by ONNX name, the names from the verifying key's architecture (covered by its
 * digest: a key with another name rejects the proof), the internal ids kept beside them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bytesToHex } from '@noble/hashes/utils.js';
import { encodeG1 } from '../../src/encoding/points';
import { BlockfoldError } from '../../src/errors';
import { decodeVerifyingKey, encodeVerifyingKey, statementToJson } from '../../src/pipeline/artifacts';
import { compile, quantizeFeeds } from '../../src/pipeline/compile';
import { hashedInputDigest } from '../../src/pipeline/hashed-input';
import { verifyingKeyDigest } from '../../src/pipeline/keys';
import { ArtifactError } from '../../src/pipeline/artifact-error';
import { namedStatementJson } from '../../src/pipeline/named-statement';
import { prove, verify } from '../../src/pipeline/prove-verify';
import { DEV_SRS, sampleArtifacts } from '../helpers/sample-artifacts';
import { keysFor, sampleBytes } from '../soundness/pipeline';
import { sampleMlpInput } from '../model/fixtures';

test('namedStatementJson: public rows under the ONNX names of the key, with their ids; a statement without a named tensor is a typed error', async () => {
  const { pk, statement } = await sampleArtifacts();
  const [input, output] = [pk.vk.model.inputs[0], pk.vk.model.outputs[0]];
  const byId = statementToJson(statement);
  assert.deepEqual(namedStatementJson(pk.vk, statement), {
    inputs: { input: { id: input.id, shape: input.shape, visibility: 'public', rows: byId.inputs[input.id] } },
    outputs: { output: { id: output.id, shape: output.shape, visibility: 'public', rows: byId.outputs[output.id] } },
  });
  assert.match(output.id, /^t\d+$/, 'the internal id stays beside the name');
  assert.throws(
    () => namedStatementJson(pk.vk, { ...statement, outputs: {} }),
    (e: unknown) => e instanceof BlockfoldError && e.code === 'PROOF' && new RegExp(`nothing for output "output" \\(${output.id}\\)`).test((e as Error).message),
  );
});

test('namedStatementJson: the names are bound by the key digest: a key file with an output renamed is refused, and a key made with it rejects the proof', async () => {
  const { pk, statement, proof } = await sampleArtifacts();
  const vk = pk.vk;
  const model = { ...vk.model, outputs: vk.model.outputs.map((l) => ({ ...l, name: 'renamed' })) };
  await assert.rejects(decodeVerifyingKey(encodeVerifyingKey({ srs: DEV_SRS, vk: { ...vk, model } })), (e: unknown) => e instanceof ArtifactError && /digest does not match the architecture/.test((e as Error).message));
  const renamed = { ...vk, model, digest: verifyingKeyDigest({ ...vk, model }) };
  assert.notDeepEqual(renamed.digest, vk.digest);
  assert.deepEqual(Object.keys(namedStatementJson(renamed, statement).outputs), ['renamed']);
  assert.equal((await verify(vk, statement, proof.bytes)).ok, true);
  assert.equal((await verify(renamed, statement, proof.bytes)).ok, false);
});

test('namedStatementJson: a private output and a hashed input are their row commitments by name, the hashed one with its digest', async () => {
  const feeds = { input: sampleMlpInput() };
  const model = compile(sampleBytes(), [feeds], { visibility: { inputs: { input: 'hashed' }, outputs: { output: 'private' } } });
  const pk = await keysFor(model);
  const { statement } = await prove(pk, quantizeFeeds(model, feeds));
  const [input, output] = [model.inputs[0].id, model.outputs[0].id];
  const hex = (id: string) => statement.commitments![id].map((c) => bytesToHex(encodeG1(c)));
  assert.deepEqual(namedStatementJson(pk.vk, statement), {
    inputs: { input: { id: input, shape: model.inputs[0].shape, visibility: 'hashed', commitments: hex(input), digest: hashedInputDigest(statement.commitments![input]) } },
    outputs: { output: { id: output, shape: model.outputs[0].shape, visibility: 'private', commitments: hex(output) } },
  });
});
