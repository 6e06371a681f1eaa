import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FoldPool } from '../../accumulation/pool';
import { encodeFoldedProof } from '../../accumulation/proof';
import { foldLeaves } from '../../accumulation/prove';
import { verifyFolded } from '../../accumulation/verify';
import { baseTranscript, mixedSpecs, newEngine, proveLeaves } from './fixtures';

test('the folded proof is the same bytes on the calling thread and on 1, 2 and 4 worker threads', async () => {
  const engine = newEngine();
  const base = baseTranscript();
  const leaves = await proveLeaves(engine, base, mixedSpecs(5));
  const instances = leaves.map((l) => l.instance);
  const inThread = encodeFoldedProof((await foldLeaves(engine, base, instances)).proof);
  assert.deepEqual(await verifyFolded(engine, base, leaves.map((l) => l.statement), inThread), { ok: true });
  for (const workers of [1, 2, 4]) {
    const pooled = encodeFoldedProof((await foldLeaves(engine, base, instances, { workers })).proof);
    assert.deepEqual(pooled, inThread, `${workers} workers`);
  }
  const pool = new FoldPool(2);
  try {
    const reused = (await foldLeaves(engine, base, instances, { pool })).proof;
    assert.deepEqual(encodeFoldedProof(reused), inThread);
  } finally {
    await pool.close();
  }
});
