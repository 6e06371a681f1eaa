/**
 * Node callers pass file contents as Buffers (`readFileSync`), whose `slice` is a view, not a copy: a key
 * and a proof given as Buffers verify exactly as Uint8Arrays do, and the caller's bytes are not modified.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeVerifyingKey, verifyProofFile } from '../../src/pipeline/artifacts';
import { sampleFiles } from '../browser/chromium';

test('a verifying key and a proof given as Node Buffers verify as Uint8Arrays do, unchanged', async () => {
  const files = await sampleFiles();
  const vkFile = Buffer.from(files.vk);
  const proofFile = Buffer.from(files.proof);
  const { vk } = await decodeVerifyingKey(vkFile);
  const verdict = await verifyProofFile(vk, proofFile);
  assert.equal(verdict.ok, true, verdict.ok ? '' : verdict.reason);
  assert.deepEqual(new Uint8Array(vkFile), files.vk, 'the key file is not modified');
  assert.deepEqual(new Uint8Array(proofFile), files.proof, 'the proof file is not modified');
  assert.equal((await verifyProofFile(vk, proofFile)).ok, true, 'and verifies again');
});
