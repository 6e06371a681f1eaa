/**
 * Aggregation of model proofs (`aggregate`, `verifyAggregate`) and streaming verification of proofs
 * (`ProofStreamProver`, `ProofStreamVerifier`) on the sample MLP: one decider multi-pairing for several
 * inferences; every part tampered, parts dropped, duplicated and reordered, mismatched statements, changed
 * cross terms, earlier layout versions refused by name, byte-identical files whatever the number of fold workers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { quantizeFeeds } from '../../src/pipeline/compile';
import { aggregate, ProofStreamProver, ProofStreamVerifier, verifyAggregate, type ProofToAggregate } from '../../src/pipeline/aggregate';
import { floatOutputs, prove, type Statement } from '../../src/pipeline/prove-verify';
import { ByteReader, ByteWriter } from '../../src/encoding/bytes';
import { tensor } from '../../src/index';
import { sampleMlpInput } from '../model/fixtures';
import { compileSample, keysFor } from '../soundness/pipeline';

const HEADER = 4 + 3 + 4; // magic, version/kind/zk, part count

let cached: Promise<{ model: ReturnType<typeof compileSample>; pk: Awaited<ReturnType<typeof keysFor>>; proofs: ProofToAggregate[] }> | undefined;
/** Three inferences of the sample MLP, proven once. */
function setup() {
  cached ??= (async () => {
    const model = compileSample();
    const pk = await keysFor(model);
    const feeds = [sampleMlpInput(), tensor([4], [0.25, -0.125, 0.375, 0.05]), tensor([4], [-0.375, 0.25, 0.125, -0.0625])];
    const proofs: ProofToAggregate[] = [];
    for (const input of feeds) {
      const { statement, proof } = await prove(pk, quantizeFeeds(model, { input }));
      proofs.push({ statement, proof: proof.bytes });
    }
    return { model, pk, proofs };
  })();
  return cached;
}

/** The parts and cross terms of an aggregated file, and a writer putting them back. */
function split(bytes: Uint8Array): { parts: Uint8Array[]; tail: Uint8Array } {
  const r = new ByteReader(bytes);
  r.take(7);
  const n = r.u32();
  const parts = Array.from({ length: n }, () => r.take(r.u32()));
  return { parts, tail: r.take(r.remaining) };
}
function join(head: Uint8Array, parts: readonly Uint8Array[], tail: Uint8Array): Uint8Array {
  const w = new ByteWriter().write(head.subarray(0, 7)).u32(parts.length);
  for (const p of parts) w.u32(p.length).write(p);
  return w.write(tail).bytes();
}

test('aggregate: three inferences, one file, one decider multi-pairing; the same bytes on 0 or 2 workers', async () => {
  const { model, pk, proofs } = await setup();
  const statements = proofs.map((p) => p.statement);
  const one = await aggregate(pk.vk, proofs);
  assert.equal(one.size.total, one.bytes.length);
  assert.equal(one.size.total, HEADER + one.size.parts + one.size.crossTerms);
  assert.equal(one.size.parts, proofs.reduce((n, p) => n + 4 + p.proof.length, 0));
  const engine = pk.vk.kzg.engine;
  engine.resetStats();
  assert.deepEqual(await verifyAggregate(pk.vk, statements, one.bytes), { ok: true, outputs: statements.map((s) => floatOutputs(model, s)), insecureSrs: true });
  assert.equal(engine.stats.multiPairings, 1, 'one decider multi-pairing for all three proofs');
  const two = await aggregate(pk.vk, proofs, { workers: 2 });
  assert.deepEqual(two.bytes, one.bytes, 'byte-identical whatever the number of workers');
  const single = await aggregate(pk.vk, proofs.slice(0, 1));
  assert.equal(single.size.crossTerms, 0);
  assert.equal((await verifyAggregate(pk.vk, statements.slice(0, 1), single.bytes)).ok, true, 'one part, no fold');
  // The zk flag (byte 6, after the magic, version and kind) is 1 only when every part declares it.
  assert.equal(one.bytes[6], 1);
  const plain = await prove(pk, quantizeFeeds(model, { input: sampleMlpInput() }), { unblinded: true });
  const mixed = await aggregate(pk.vk, [proofs[0], { statement: plain.statement, proof: plain.proof.bytes }]);
  assert.equal(plain.proof.bytes[6], 0);
  assert.equal(mixed.bytes[6], 0, 'an unblinded part makes the aggregate declare 0');
});

test('aggregate: a changed byte in every part, in every cross term, dropped, duplicated or reordered parts are rejected', async () => {
  const { pk, proofs } = await setup();
  const statements = proofs.map((p) => p.statement);
  const { bytes } = await aggregate(pk.vk, proofs);
  const { parts, tail } = split(bytes);
  const rejected = async (what: string, b: Uint8Array, st: readonly Statement[] = statements) => {
    const v = await verifyAggregate(pk.vk, st, b);
    assert.equal(v.ok, false, what);
    assert.ok(!v.ok && v.reason.length > 0, what);
  };
  for (const [i, part] of parts.entries()) {
    // The last byte of a part's body: its last opening proof; the first byte after the part's header: its first wire commitment.
    for (const at of [part.length - 1, 11]) {
      const bad = parts.map((p) => p.slice());
      bad[i][at] ^= 1;
      await rejected(`part ${i} byte ${at}`, join(bytes, bad, tail));
    }
  }
  for (let k = 0; k < tail.length; k += 97) {
    const bad = tail.slice();
    bad[k] ^= 1;
    await rejected(`cross terms byte ${k}`, join(bytes, parts, bad));
  }
  await rejected('a part dropped', join(bytes, parts.slice(0, 2), tail));
  await rejected('a part dropped, statements to match', join(bytes, parts.slice(0, 2), tail), statements.slice(0, 2));
  await rejected('part 0 duplicated over part 1', join(bytes, [parts[0], parts[0], parts[2]], tail));
  await rejected('parts 0 and 1 swapped', join(bytes, [parts[1], parts[0], parts[2]], tail));
  await rejected('statements 0 and 1 swapped', bytes, [statements[1], statements[0], statements[2]]);
  await rejected('trailing byte', Uint8Array.from([...bytes, 0]));
  await rejected('truncated', bytes.subarray(0, bytes.length - 1));
  await rejected('a single proof is not an aggregate', proofs[0].proof, statements.slice(0, 1));
  // The version byte (byte 4): an earlier layout is refused by name, as a single proof's is; a later one as unknown.
  const versioned = (version: number) => Uint8Array.from(bytes, (b, i) => (i === 4 ? version : b));
  const reason = async (b: Uint8Array) => (await verifyAggregate(pk.vk, statements, b) as { reason: string }).reason;
  assert.match(await reason(versioned(10)), /^this is a version 10 proof \(range checks through a committed 2\^12 lookup table, wider values in 12-bit limbs\).*prove again$/);
  assert.match(await reason(versioned(9)), /^this is a version 9 proof \(a relinked copy's rows committed\).*prove again$/);
  assert.match(await reason(versioned(1)), /^this is a version 1 proof \(one proof per block\).*prove again$/);
  assert.match(await reason(versioned(11)), /^this is a version 11 proof \(checks that cannot fail still proven.*prove again$/);
  assert.match(await reason(versioned(12)), /^this is a version 12 proof \(logUp bundles of at most eight columns\).*prove again$/);
  assert.match(await reason(versioned(13)), /^this is a version 13 proof \(every wire row committed alone\).*prove again$/);
  assert.match(await reason(versioned(14)), /^this is a version 14 proof \(the quotient committed whole\).*prove again$/);
  assert.match(await reason(versioned(16)), /unsupported proof version 16/);
});

test('aggregate: mismatched statements (a changed output, another inference) are rejected; aggregating a false proof is refused', async () => {
  const { model, pk, proofs } = await setup();
  const statements = proofs.map((p) => p.statement);
  const { bytes } = await aggregate(pk.vk, proofs);
  const out = model.outputs[0].id;
  const bumped: Statement = { ...statements[2], outputs: { ...statements[2].outputs, [out]: statements[2].outputs[out].map((row, r) => row.map((v, c) => (r === 0 && c === 0 ? v + 1n : v))) } };
  assert.equal((await verifyAggregate(pk.vk, [statements[0], statements[1], bumped], bytes)).ok, false, 'a changed output of part 2');
  assert.equal((await verifyAggregate(pk.vk, [statements[0], statements[1], statements[0]], bytes)).ok, false, 'the statement of another inference');
  const forged = { statement: bumped, proof: proofs[2].proof };
  await assert.rejects(aggregate(pk.vk, [proofs[0], forged]), (e: Error & { code?: string }) => e.code === 'PROOF');
  const bad = proofs[1].proof.slice();
  bad[bad.length - 1] ^= 1;
  await assert.rejects(aggregate(pk.vk, [proofs[0], { statement: proofs[1].statement, proof: bad }]), (e: Error & { code?: string }) => e.code === 'PROOF' || e.code === 'ENCODING');
  await assert.rejects(aggregate(pk.vk, []), (e: Error & { code?: string }) => e.code === 'INPUT');
});

test('stream: proofs verified one at a time with one accumulator and one multi-pairing; a tampered, withheld or extra proof is refused', async () => {
  const { model, pk, proofs } = await setup();
  const prover = ProofStreamProver.open(pk.vk, proofs.length);
  const chunks: Uint8Array[] = [];
  for (const p of proofs) chunks.push(await prover.push(p));
  const verifier = ProofStreamVerifier.open(pk.vk, proofs.length);
  for (const [i, p] of proofs.entries()) await verifier.absorb(p.statement, chunks[i]);
  const engine = pk.vk.kzg.engine;
  engine.resetStats();
  assert.deepEqual(await verifier.decide(), { ok: true, outputs: proofs.map((p) => floatOutputs(model, p.statement)), insecureSrs: true });
  assert.equal(engine.stats.multiPairings, 1);

  const crossTamper = ProofStreamVerifier.open(pk.vk, proofs.length);
  for (const [i, p] of proofs.entries()) {
    const c = chunks[i].slice();
    if (i === 2) c[c.length - 1] ^= 1;
    await crossTamper.absorb(p.statement, c).catch(() => undefined);
  }
  assert.equal((await crossTamper.decide()).ok, false, 'a changed cross term');

  const withheld = ProofStreamVerifier.open(pk.vk, proofs.length);
  for (const [i, p] of proofs.slice(0, 2).entries()) await withheld.absorb(p.statement, chunks[i]);
  const v = await withheld.decide();
  assert.match(!v.ok ? v.reason : '', /2 of the 3 expected leaves/, 'the third proof withheld');

  const extra = ProofStreamVerifier.open(pk.vk, 1);
  await extra.absorb(proofs[0].statement, chunks[0]);
  await assert.rejects(extra.absorb(proofs[1].statement, chunks[1]), /not expected/);

  const wrongStatement = ProofStreamVerifier.open(pk.vk, 2);
  await wrongStatement.absorb(proofs[0].statement, chunks[0]);
  await wrongStatement.absorb(proofs[0].statement, chunks[1]).catch(() => undefined);
  assert.equal((await wrongStatement.decide()).ok, false, 'proof 1 absorbed under the statement of proof 0');
});

test('aggregate and stream prover: a part that is not { statement, proof } is a typed error; the stream refuses an extra proof, names a bad part and refuses to finish a false set', async () => {
  const { model, pk, proofs } = await setup();
  const code = (c: string) => (e: Error & { code?: string }) => e.code === c;
  await assert.rejects(aggregate(pk.vk, [null as unknown as ProofToAggregate]), (e: Error & { code?: string }) => e.code === 'INPUT' && /proof 0 must be an object/.test(e.message));
  await assert.rejects(aggregate(pk.vk, [proofs[0], 7 as unknown as ProofToAggregate]), (e: Error) => /proof 1 must be an object/.test(e.message) && code('INPUT')(e));
  await assert.rejects(ProofStreamProver.open(pk.vk, 1).push(null as unknown as ProofToAggregate), code('INPUT'));

  const one = ProofStreamProver.open(pk.vk, 1);
  await one.push(proofs[0]);
  await assert.rejects(one.push(proofs[1]), (e: Error & { code?: string }) => e.code === 'INPUT' && /opened for 1 proofs: proof 1 is one too many/.test(e.message));

  const bad = proofs[1].proof.slice(0, 20);
  const named = ProofStreamProver.open(pk.vk, 2);
  await named.push(proofs[0]);
  await assert.rejects(named.push({ statement: proofs[1].statement, proof: bad }), (e: Error) => /^part 1: /.test(e.message));

  const out = model.outputs[0].id;
  const st = proofs[1].statement;
  const bumped: Statement = { ...st, outputs: { ...st.outputs, [out]: st.outputs[out].map((row, r) => row.map((v, c) => (r === 0 && c === 0 ? v + 1n : v))) } };
  const falseSet = ProofStreamProver.open(pk.vk, 2);
  await falseSet.push(proofs[0]);
  await assert.rejects(falseSet.push({ statement: bumped, proof: proofs[1].proof }), (e: Error & { code?: string }) => e.code === 'PROOF' && /streamed proofs do not verify/.test(e.message));
});
