import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeFoldedProof } from '../../accumulation/proof';
import { foldLeaves } from '../../accumulation/prove';
import { encodeAccumulator } from '../../accumulation/relaxed';
import { foldedProofSize } from '../../accumulation/size';
import { StreamProver, StreamVerifier } from '../../accumulation/stream';
import { expectedLeaves } from '../../accumulation/leaves';
import { Transcript } from '../../src/transcript';
import { ByteReader, ByteWriter } from '../../src/encoding/bytes';
import { leafLabel, replayLeaf, type LeafInstance } from '../../blocks/leaf';
import { writeMessages } from '../../blocks/messages';
import { g2Protocol, g2Witness, kzgProtocol, mixedSpecs, newEngine, proveLeaves, type TestLeaf } from './fixtures';

const engine = newEngine();

test('size accounting: every byte of the proof is attributed; final accumulators, not sent, reported apart', async () => {
  const base = Transcript.create('size');
  const leaves = await proveLeaves(engine, base, mixedSpecs(3));
  const { proof, roots } = await foldLeaves(engine, base, leaves.map((l) => l.instance));
  const size = foldedProofSize(proof, roots.map((r) => r.descriptor));
  assert.equal(size.totalBytes, encodeFoldedProof(proof).length);
  const kzg = size.keys.find((k) => k.foldKey === kzgProtocol.foldKey)!;
  // 3 leaves × (y, π) = 64 B; 2 folds × 2 G1 cells; the accumulator (not sent): 4 slots, μ, 2 G1 cells = 7 × 32 B.
  assert.deepEqual([kzg.leaves, kzg.folds, kzg.leafMessageBytes, kzg.crossTermBytes, kzg.notSent?.finalAccumulatorBytes], [3, 2, 3 * 64, 2 * 64, 7 * 32]);
  assert.equal(kzg.framingBytes, 4 + kzgProtocol.foldKey.length + 3 * 4);
  assert.equal(size.notSent?.finalAccumulatorBytes, roots.reduce((n, r) => n + encodeAccumulator(r.descriptor, r.accumulator).length, 0));
  // Without descriptors: the same bytes read, nothing said about the accumulators.
  assert.equal(foldedProofSize(proof).totalBytes, size.totalBytes);
  assert.equal(foldedProofSize(proof).notSent, undefined);
});

// The stream verifier folds leaves its caller has replayed (the pipeline replays each model proof against its
// statement); here each leaf is replayed from its messages on its own fork, as a verifier would.
async function replayed(base: Transcript, leaves: readonly TestLeaf[]): Promise<LeafInstance[]> {
  const counts = new Map<string, number>();
  const out: LeafInstance[] = [];
  for (const l of leaves) {
    const key = l.statement.protocol.foldKey;
    const i = counts.get(key) ?? 0;
    counts.set(key, i + 1);
    const w = new ByteWriter();
    writeMessages(l.instance.protocol, l.instance.values, w);
    out.push(await replayLeaf(l.statement.protocol, base.fork(leafLabel(key, i)), engine, l.statement.statement, new ByteReader(w.bytes())));
  }
  return out;
}

test('streaming: leaves absorbed one at a time, one accumulator per fold key, one multi-pairing at the end', async () => {
  const base = Transcript.create('stream');
  const leaves = await proveLeaves(engine, base, mixedSpecs(3));
  const prover = new StreamProver(engine, base);
  const crossTerms: Uint8Array[] = [];
  for (const l of leaves) crossTerms.push(await prover.push(l.instance));
  const instances = await replayed(base, leaves);
  const expected = expectedLeaves(leaves.map((l) => l.statement));
  const verifier = new StreamVerifier(engine, base, expected);
  for (const [i, leaf] of instances.entries()) await verifier.absorb(leaf, crossTerms[i]);
  engine.resetStats();
  assert.deepEqual(await verifier.decide(), { ok: true });
  assert.equal(engine.stats.multiPairings, 1);

  // A tampered cross term (of the second KZG leaf's fold) is caught by the decider; short cross terms are a typed error.
  const tampered = new StreamVerifier(engine, base, expected);
  for (const [i, leaf] of instances.entries()) {
    const c = crossTerms[i].slice();
    if (i === 1) c[c.length - 1] ^= 1;
    await tampered.absorb(leaf, c).catch(() => undefined);
  }
  assert.equal((await tampered.decide()).ok, false);
  const short = new StreamVerifier(engine, base, expected);
  await short.absorb(instances[0], crossTerms[0]);
  await assert.rejects(short.absorb(instances[1], crossTerms[1].subarray(1)), (e: Error & { code?: string }) => e.code === 'PROOF');
});

test('streaming rejects a leaf whose block proof is invalid', async () => {
  const base = Transcript.create('stream-bad');
  const leaves = await proveLeaves(engine, base, [
    { protocol: g2Protocol, witness: g2Witness(2n, 3n) },
    { protocol: g2Protocol, witness: { ...g2Witness(4n, 5n), prover: () => ({ ...(g2Witness(4n, 5n).prover([], {}) as object), D: g2Witness(4n, 6n).statement.A }) } },
  ]);
  const prover = new StreamProver(engine, base);
  const verifier = new StreamVerifier(engine, base, expectedLeaves(leaves.map((l) => l.statement)));
  const instances = await replayed(base, leaves);
  for (const [i, l] of leaves.entries()) await verifier.absorb(instances[i], await prover.push(l.instance));
  assert.deepEqual(await verifier.decide(), { ok: false, reason: 'the decider pairing check failed' });
});

test('streaming: the verifier expects its leaves; withholding the inconsistent leaf, or adding one, is refused', async () => {
  const base = Transcript.create('stream-withheld');
  const leaves = await proveLeaves(engine, base, [
    { protocol: g2Protocol, witness: g2Witness(2n, 3n) },
    { protocol: g2Protocol, witness: g2Witness(7n, 3n) },
    { protocol: g2Protocol, witness: { ...g2Witness(4n, 5n), prover: () => ({ ...(g2Witness(4n, 5n).prover([], {}) as object), D: g2Witness(4n, 6n).statement.A }) } },
  ]);
  const prover = new StreamProver(engine, base);
  const crossTerms: Uint8Array[] = [];
  for (const l of leaves.slice(0, 2)) crossTerms.push(await prover.push(l.instance));
  const instances = await replayed(base, leaves.slice(0, 2));
  const expected = expectedLeaves(leaves.map((l) => l.statement));
  const withheld = new StreamVerifier(engine, base, expected);
  for (const [i, leaf] of instances.entries()) await withheld.absorb(leaf, crossTerms[i]);
  const v = await withheld.decide();
  assert.equal(v.ok, false, 'the third (inconsistent) leaf was withheld');
  assert.match(!v.ok ? v.reason : '', /2 of the 3 expected leaves/);

  const fewer = new StreamVerifier(engine, base, expectedLeaves(leaves.slice(0, 1).map((l) => l.statement)));
  await fewer.absorb(instances[0], crossTerms[0]);
  await assert.rejects(fewer.absorb(instances[1], crossTerms[1]), /not expected/);
});
