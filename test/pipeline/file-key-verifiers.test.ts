/**
 * Every verifier of a model proof with the key read back from its `.vk` file (which holds `[1]₁` of the powers, the
 * input and output domains' Lagrange bases, the padded rows' selector commitments and a hashed input's
 * `[τ^j·Z_H(τ)]₁`): `verify`, `verifyAggregate`, `ProofStreamVerifier` and `inputDigest` on a model whose hidden
 * rescale reads a selector on a domain the key holds no basis of, with a hashed input and a private output; each
 * accepts the honest proofs and refuses a changed one. A verifier that read a point the file does not hold would
 * refuse the honest proofs here (`inputDigest` did: `blockfold verify --input` failed with the file's key).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor } from '../../src/model/tensor';
import { aggregate, ProofStreamProver, ProofStreamVerifier, verifyAggregate, type ProofToAggregate } from '../../src/pipeline/aggregate';
import { ArtifactError } from '../../src/pipeline/artifact-error';
import { decodeVerifyingKey, encodeVerifyingKey } from '../../src/pipeline/artifacts';
import { quantizeFeeds } from '../../src/pipeline/compile';
import { inputDigest } from '../../src/pipeline/hashed-input';
import { setup, verifierPoints, verifierSelectors, verifyingKeyDigest } from '../../src/pipeline/keys';
import { selectorCommitment } from '../../blocks/tables';
import { vanishingMultipleDigest } from '../../src/kzg/key';
import { prove, verify } from '../../src/pipeline/prove-verify';
import { decodeG1Uncompressed, encodeG1Uncompressed, G1_UNCOMPRESSED_BYTES } from '../../src/encoding/points';
import { rewriteFile, splitContainer } from '../helpers/artifact-files';
import { DEV_SRS, devSrs } from '../helpers/dev-srs';
import { compilePaddedHiddenModel } from '../helpers/two-domain-model';

const model = compilePaddedHiddenModel({ visibility: { inputs: { x: 'hashed' }, outputs: { y: 'private' } } });
const pk = await setup(model, await devSrs(model.srsG1Powers), { seed: 'file key verifiers' });
const file = encodeVerifyingKey({ srs: DEV_SRS, vk: pk.vk });
const { vk } = await decodeVerifyingKey(file);
const inputs = [
  [0.5, -0.25, 0.125, 0.75, 0.25, 0.5, -0.375, 0.125],
  [-0.5, 0.25, 0.375, -0.125, 0.625, 0, 0.25, -0.75],
];
const proofs: ProofToAggregate[] = [];
for (const x of inputs) {
  const { statement, proof } = await prove(pk, quantizeFeeds(model, { x: tensor([1, 8], x) }), { seed: 'file key verifiers' });
  proofs.push({ statement, proof: proof.bytes });
}
const flipped = (bytes: Uint8Array): Uint8Array => {
  const out = bytes.slice();
  out[out.length - 40] ^= 1;
  return out;
};

test('the file\'s key is a verifier\'s key of a model that reads a selector and a hashed input\'s [τ^j·Z_H(τ)]₁ from it (verifierPoints)', () => {
  assert.equal(vk.g1Powers.length, 1, 'no power but [1]₁');
  assert.deepEqual(verifierSelectors(model.graph).map((s) => s.digest), ['selector/16/10']);
  assert.deepEqual(verifierPoints(model).map((s) => s.digest), ['selector/16/10', vanishingMultipleDigest(8, 0), vanishingMultipleDigest(8, 1)]);
  assert.deepEqual([...vk.verifierCommitments.keys()], verifierPoints(model).map((s) => s.digest));
  assert.deepEqual(vk.digest, pk.vk.digest);
  assert.deepEqual([model.inputs[0].visibility, model.outputs[0].visibility], ['hashed', 'private']);
});

test('the file\'s [τ^j·Z_H(τ)]₁ are its last points, bound by the digest: one moved is refused on reading, a file without them named', async () => {
  const at = (blob: Uint8Array, j: number) => blob.length - (2 - j) * G1_UNCOMPRESSED_BYTES;
  for (const j of [0, 1]) {
    const moved = rewriteFile(file, (_h, blobs) => blobs[1].set(encodeG1Uncompressed(decodeG1Uncompressed(blobs[1].subarray(at(blobs[1], j), at(blobs[1], j) + G1_UNCOMPRESSED_BYTES)).double()), at(blobs[1], j)));
    await assert.rejects(decodeVerifyingKey(moved), /digest does not match/, `vanishing/8/${j}`);
  }
  const { blobs } = splitContainer(file);
  assert.ok(decodeG1Uncompressed(blobs[1].subarray(at(blobs[1], 1))).equals(vk.verifierCommitments.get(vanishingMultipleDigest(8, 1))!), 'the control: the last point is vanishing/8/1');
  // A file without them (written before they were held) is refused by name, not by size alone.
  const without = rewriteFile(file, (_h, b) => (b[1] = b[1].slice(0, at(b[1], 0))));
  await assert.rejects(decodeVerifyingKey(without), (e: unknown) => e instanceof ArtifactError && /written before verifying key files held a hashed input's \[τ\^j·Z_H\(τ\)\]₁: run setup again/.test((e as Error).message));
  const short = rewriteFile(file, (_h, b) => (b[1] = b[1].slice(0, at(b[1], 1))));
  await assert.rejects(decodeVerifyingKey(short), (e: unknown) => e instanceof ArtifactError && /must be \d+ bytes for .*3 verifier commitments, the file has/.test((e as Error).message), 'one of them missing');
});

test('inputDigest with the file\'s key is the proven input\'s, as with setup\'s key, and not another input\'s', async () => {
  const x = (values: readonly number[]) => tensor([1, 8], [...values]);
  for (const [i, p] of proofs.entries()) {
    const verdict = await verify(vk, p.statement, p.proof);
    const hashed = verdict.ok ? verdict.hidden?.find((h) => h.kind === 'input') : undefined;
    assert.ok(hashed?.visibility === 'hashed');
    assert.equal(await inputDigest(vk, 'x', x(inputs[i])), hashed.digest, `input ${i}`);
    assert.equal(await inputDigest(pk.vk, 'x', x(inputs[i])), hashed.digest, `input ${i}, setup's key`);
    assert.notEqual(await inputDigest(vk, 'x', x(inputs[1 - i])), hashed.digest, `input ${i}: the other input`);
  }
});

test('verify with the file\'s key: the honest proofs accepted, reporting the hidden tensors; a changed proof refused', async () => {
  for (const p of proofs) {
    const verdict = await verify(vk, p.statement, p.proof);
    assert.ok(verdict.ok, !verdict.ok ? verdict.reason : '');
    assert.deepEqual(verdict.hidden?.map((h) => [h.kind, h.visibility]), [['input', 'hashed'], ['output', 'private']]);
  }
  assert.equal((await verify(vk, proofs[0].statement, flipped(proofs[0].proof))).ok, false);
  assert.equal((await verify(vk, proofs[1].statement, proofs[0].proof)).ok, false, 'another proof\'s statement');
});

test('verifyAggregate with the file\'s key: the aggregate of the honest proofs accepted, one with a changed part refused', async () => {
  const statements = proofs.map((p) => p.statement);
  const { bytes } = await aggregate(pk.vk, proofs);
  const verdict = await verifyAggregate(vk, statements, bytes);
  assert.ok(verdict.ok, !verdict.ok ? verdict.reason : '');
  // Each part reports what verify reports of it: its hidden tensors too.
  for (const [i, p] of proofs.entries()) {
    const alone = await verify(vk, p.statement, p.proof);
    assert.deepEqual(verdict.hidden?.[i], alone.ok ? alone.hidden : undefined, `part ${i}`);
  }
  assert.equal((await verifyAggregate(vk, statements, flipped(bytes))).ok, false);
  assert.equal((await verifyAggregate(vk, [...statements].reverse(), bytes)).ok, false, 'the statements swapped');
});

test('ProofStreamVerifier with the file\'s key: the honest stream decided true, one with a changed chunk refused', async () => {
  const prover = ProofStreamProver.open(pk.vk, proofs.length);
  const chunks: Uint8Array[] = [];
  for (const p of proofs) chunks.push(await prover.push(p));
  const honest = ProofStreamVerifier.open(vk, proofs.length);
  for (const [i, p] of proofs.entries()) await honest.absorb(p.statement, chunks[i]);
  const verdict = await honest.decide();
  assert.ok(verdict.ok, !verdict.ok ? verdict.reason : '');
  assert.deepEqual(verdict.hidden?.map((h) => h.map((t) => [t.kind, t.visibility])), proofs.map(() => [['input', 'hashed'], ['output', 'private']]));
  const changed = ProofStreamVerifier.open(vk, proofs.length);
  for (const [i, p] of proofs.entries()) await changed.absorb(p.statement, i === 1 ? flipped(chunks[i]) : chunks[i]).catch(() => undefined);
  assert.equal((await changed.decide()).ok, false);
});

test('a forged key file read in the same process (its selector moved, its digest recomputed) shares no commitment with the honest one: each key serves its own, the honest proofs verify with the honest key only', async () => {
  const name = 'selector/16/10';
  const moved = new Map(pk.vk.verifierCommitments).set(name, pk.vk.verifierCommitments.get(name)!.double());
  const forgedKey = { ...pk.vk, verifierCommitments: moved, digest: verifyingKeyDigest({ ...pk.vk, verifierCommitments: moved }) };
  const { vk: forged } = await decodeVerifyingKey(encodeVerifyingKey({ srs: DEV_SRS, vk: forgedKey }));
  assert.notEqual(forged.kzg.srsId, vk.kzg.srsId);
  assert.equal((await verify(forged, proofs[0].statement, proofs[0].proof)).ok, false, 'the forged key\'s digest is not the proof\'s');
  assert.ok((await selectorCommitment(forged.kzg, 16, 10)).equals(moved.get(name)!));
  assert.ok((await selectorCommitment(vk.kzg, 16, 10)).equals(pk.vk.verifierCommitments.get(name)!), 'the honest file\'s, after the forged one\'s was served');
  assert.ok((await selectorCommitment(pk.vk.kzg, 16, 10)).equals(pk.vk.verifierCommitments.get(name)!), 'setup\'s, from its powers');
  for (const p of proofs) assert.equal((await verify(vk, p.statement, p.proof)).ok, true);
});
