import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeFoldedProof, encodeFoldedProof } from '../../accumulation/proof';
import { foldLeaves } from '../../accumulation/prove';
import { verifyFolded } from '../../accumulation/verify';
import { baseTranscript, mixedSpecs, newEngine, proveLeaves } from './fixtures';

test('a folded proof of three fold keys verifies with exactly one multi-pairing', async () => {
  const engine = newEngine();
  const base = baseTranscript();
  const leaves = await proveLeaves(engine, base, mixedSpecs(5));
  const { proof } = await foldLeaves(engine, base, leaves.map((l) => l.instance));
  const bytes = encodeFoldedProof(proof);
  assert.deepEqual(encodeFoldedProof(decodeFoldedProof(bytes)), bytes);
  engine.resetStats();
  assert.deepEqual(await verifyFolded(engine, base, leaves.map((l) => l.statement), bytes), { ok: true });
  assert.equal(engine.stats.multiPairings, 1);
});
