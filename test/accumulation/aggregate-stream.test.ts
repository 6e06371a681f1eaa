import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregateFolded, verifyAggregated } from '../../accumulation/aggregate';
import { decodeAggregatedProof, encodeAggregatedProof, encodeFoldedProof } from '../../accumulation/proof';
import { foldLeaves, type FoldedProofPart } from '../../accumulation/prove';
import { decide } from '../../accumulation/decider';
import { encodeAccumulator } from '../../accumulation/relaxed';
import { bumpAccumulator } from './helpers';
import { aggregatedProofSize, foldedProofSize } from '../../accumulation/size';
import { StreamProver, StreamVerifier } from '../../accumulation/stream';
import { expectedLeaves } from '../../accumulation/leaves';
import { Transcript } from '../../src/transcript';
import { ByteReader, ByteWriter } from '../../src/encoding/bytes';
import { leafLabel, replayLeaf, type LeafInstance } from '../../blocks/leaf';
import { writeMessages } from '../../blocks/messages';
import { cubicProtocol, cubicWitness, g2Protocol, g2Witness, kzgProtocol, kzgWitness, mixedSpecs, newEngine, proveLeaves, type TestLeaf } from './fixtures';

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

test('aggregation: three proofs of one model fold into one accumulator per fold key, decided with one multi-pairing', async () => {
  const parts: { base: Transcript; leaves: TestLeaf[] }[] = [];
  for (let p = 0; p < 3; p++) {
    const base = Transcript.create(`inference/${p}`);
    const specs = [
      { protocol: kzgProtocol, witness: kzgWitness([BigInt(p), 2n]) },
      { protocol: g2Protocol, witness: g2Witness(BigInt(p + 2), 3n) },
      { protocol: kzgProtocol, witness: kzgWitness([5n, BigInt(p)]) },
    ];
    parts.push({ base, leaves: await proveLeaves(engine, base, specs) });
  }
  const folded: FoldedProofPart[] = [];
  for (const p of parts) folded.push(await foldLeaves(engine, p.base, p.leaves.map((l) => l.instance)));
  const agg = Transcript.create('aggregate');
  const { proof, roots } = await aggregateFolded(engine, agg, folded);
  const bytes = encodeAggregatedProof(proof);
  assert.deepEqual(encodeAggregatedProof(decodeAggregatedProof(bytes)), bytes);
  const statements = parts.map((p) => ({ base: p.base, leaves: p.leaves.map((l) => l.statement) }));
  engine.resetStats();
  assert.deepEqual(await verifyAggregated(engine, agg, statements, bytes), { ok: true });
  assert.equal(engine.stats.multiPairings, 1);
  const descriptors = roots.map((r) => r.descriptor);
  const size = aggregatedProofSize(proof, descriptors);
  assert.equal(size.totalBytes, bytes.length);
  assert.equal(size.notSent?.finalAccumulatorBytes, foldedProofSize(proof.parts[0], descriptors).notSent?.finalAccumulatorBytes);

  // A part verified against another inference's statements, parts swapped, a tampered aggregation fold.
  const wrong = [statements[1], statements[0], statements[2]];
  assert.equal((await verifyAggregated(engine, agg, wrong, bytes)).ok, false);
  const tampered = { ...proof, keys: proof.keys.map((k, i) => (i === 0 ? { ...k, crossTerms: [k.crossTerms[1], k.crossTerms[0]] } : k)) };
  assert.equal((await verifyAggregated(engine, agg, statements, encodeAggregatedProof(tampered))).ok, false);
  assert.equal((await verifyAggregated(engine, agg, statements.slice(0, 2), bytes)).ok, false);
  assert.equal((await verifyAggregated(engine, agg, statements, bytes.subarray(0, bytes.length - 1))).ok, false);

  // An aggregator handed a tampered root (one that is not what its part's folds produce) makes a proof
  // that is rejected: the verifier folds the roots it recomputes, not the aggregator's.
  const d = folded[1].roots[0].descriptor;
  const tamperedPart = { ...folded[1], roots: folded[1].roots.map((r, i) => (i === 0 ? { ...r, accumulator: bumpAccumulator(d, r.accumulator, 0) } : r)) };
  const fromTampered = await aggregateFolded(engine, agg, [folded[0], tamperedPart, folded[2]]);
  assert.equal((await verifyAggregated(engine, agg, statements, encodeAggregatedProof(fromTampered.proof))).ok, false);
  // Its own roots fail the decider too; the honest aggregated roots pass.
  assert.equal((await decide(engine, agg, fromTampered.roots)).ok, false);
  assert.deepEqual(await decide(engine, agg, roots), { ok: true });
});

test('aggregation with an invalid leaf inside one part is rejected by the single decider', async () => {
  const good = Transcript.create('good');
  const bad = Transcript.create('bad');
  const goodLeaves = await proveLeaves(engine, good, [{ protocol: cubicProtocol, witness: cubicWitness(2n, 5n) }]);
  const badLeaves = await proveLeaves(engine, bad, [{ protocol: cubicProtocol, witness: { ...cubicWitness(3n, 5n), prover: () => ({ y: 26n, W: cubicWitness(3n, 5n).statement.C }) } }]);
  const folded = [await foldLeaves(engine, good, goodLeaves.map((l) => l.instance)), await foldLeaves(engine, bad, badLeaves.map((l) => l.instance))];
  const agg = Transcript.create('aggregate');
  const { proof } = await aggregateFolded(engine, agg, folded);
  const v = await verifyAggregated(engine, agg, [{ base: good, leaves: goodLeaves.map((l) => l.statement) }, { base: bad, leaves: badLeaves.map((l) => l.statement) }], encodeAggregatedProof(proof));
  assert.deepEqual(v, { ok: false, reason: 'test-cubic: relaxed field equation "cube" does not hold' });
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

test('an aggregated proof whose part declares 2^24 zero-size leaves per fold key is refused before allocating', async () => {
  const base = Transcript.create('aggregate-huge');
  const statements = (await proveLeaves(engine, base, mixedSpecs(2))).map((l) => l.statement);
  const part = new ByteWriter().write(encodeFoldedProof({ keys: [] }).subarray(0, 6));
  const keys = expectedLeaves(statements);
  part.u32(keys.length);
  for (const k of keys) part.string(k.foldKey).u32(1 << 24).u32(0).u32(0);
  const partBytes = part.bytes();
  const forged = new ByteWriter().write(encodeAggregatedProof({ parts: [], keys: [] }).subarray(0, 6)).u32(1).u32(partBytes.length).write(partBytes).u32(0).bytes();
  const before = process.memoryUsage().heapUsed;
  const v = await verifyAggregated(engine, Transcript.create('aggregate'), [{ base, leaves: statements }], forged);
  assert.equal(v.ok, false);
  assert.match(!v.ok ? v.reason : '', /leaves, the verifier expects/);
  assert.ok(process.memoryUsage().heapUsed - before < 64 * 2 ** 20, 'no large allocation');
});
