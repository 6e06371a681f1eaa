/**
 * `prove`/`verify` (proof protocol v2, the model as one argument) on the bundled MLPs: completeness, determinism, every proof
 * element and every block output tampered (the prover's checks bypassed), malformed proofs as typed rejections. A
 * tampered derived tensor that no block opens reaches nothing: `assertTamperRejected` then asserts the honest bytes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { compile, quantizeFeeds } from '../../src/pipeline/compile';
import { fashionImages, modelFile, sampleMlpInput } from '../model/fixtures';
import { encodeModel, node, valueInfo } from '../onnx/builder';
import { tensor } from '../../src/model/tensor';
import { assertTamperRejected, compileSample, keysFor, writtenTensors } from '../soundness/pipeline';
import { floatOutputs, prove, rowCommitmentNames, verify, type Statement } from '../../src/pipeline/prove-verify';
import type { VerifyingKey } from '../../src/pipeline/keys';
import { derivedRows } from '../../src/pipeline/derived-rows';
import { commit } from '../../src/kzg/commit';
import { commitStack, stackPolynomials } from '../../src/kzg/stack';
import { interpolate } from '../../src/poly/interpolate';
import { addVanishingMultiple } from '../../src/poly/vanishing-multiple';

const HEADER = 4 + 3 + 4; // magic, version/kind/zk, wire section length
const WIRE_LENGTH_LE = true; // ByteWriter.u32 is little-endian

let cached: Promise<{ model: ReturnType<typeof compileSample>; pk: Awaited<ReturnType<typeof keysFor>>; inputs: ReturnType<typeof quantizeFeeds> }> | undefined;
function sample() {
  cached ??= (async () => {
    const model = compileSample();
    const pk = await keysFor(model);
    return { model, pk, inputs: quantizeFeeds(model, { input: sampleMlpInput() }) };
  })();
  return cached;
}

test('sample MLP: verifies, fresh blinding per proof, byte-identical proofs under a seed, changed statement rejected', async () => {
  const { model, pk, inputs } = await sample();
  const { statement, proof } = await prove(pk, inputs);
  assert.deepEqual(await verify(pk.vk, statement, proof.bytes), { ok: true, outputs: floatOutputs(model, statement), insecureSrs: pk.vk.insecureSrs });
  assert.equal(proof.size.total, proof.bytes.length);
  assert.equal(proof.size.total, HEADER + proof.size.wireCommitments + proof.size.argument);
  const fresh = await prove(pk, inputs);
  assert.equal((await verify(pk.vk, fresh.statement, fresh.proof.bytes)).ok, true, 'a second proof verifies');
  assert.notDeepEqual(fresh.proof.bytes.subarray(HEADER + proof.size.wireCommitments), proof.bytes.subarray(HEADER + proof.size.wireCommitments), 'the argument is blinded afresh');
  const seeded = await prove(pk, inputs, { seed: 'test' });
  assert.deepEqual((await prove(pk, inputs, { seed: 'test' })).proof.bytes, seeded.proof.bytes, 'same inputs and seed, same bytes');
  assert.equal((await verify(pk.vk, seeded.statement, seeded.proof.bytes)).ok, true);
  const out = model.outputs[0].id;
  const bumped = { ...statement.outputs, [out]: statement.outputs[out].map((row, r) => row.map((v, c) => (r === 0 && c === 0 ? v + 1n : v))) };
  assert.equal((await verify(pk.vk, { ...statement, outputs: bumped }, proof.bytes)).ok, false, 'changed output');
});

test('setup gives the key the stacked bases of the SRS (a development SRS computes them): a stack committed over them is the one over the powers', async () => {
  const { pk } = await sample();
  const key = pk.vk.kzg;
  assert.notEqual(await key.stackBases(4, 2), undefined);
  const members = [
    { values: [1n, 2n, 3n, 4n], blinding: [5n, 6n] },
    { values: [7n, 8n], blinding: [9n] },
  ];
  const coefficients = stackPolynomials(members.map((m) => addVanishingMultiple(interpolate(m.values, key.engine), m.values.length, m.blinding)));
  assert.ok((await commitStack(key, members)).equals(await commit(key, coefficients.slice(0, 11))));
});

test('sample MLP: any changed 32-byte proof element is rejected (fast-check over every element)', async () => {
  const { pk, inputs } = await sample();
  const { statement, proof } = await prove(pk, inputs);
  const elements = (proof.bytes.length - HEADER) / 32;
  assert.ok(Number.isInteger(elements), 'the proof body is whole 32-byte elements');
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: elements - 1 }), fc.integer({ min: 0, max: 31 }), fc.integer({ min: 1, max: 255 }), async (e, byte, mask) => {
      const bad = Uint8Array.from(proof.bytes);
      bad[HEADER + 32 * e + byte] ^= mask;
      const v = await verify(pk.vk, statement, bad);
      assert.equal(v.ok, false, `element ${e} byte ${byte}`);
    }),
    { numRuns: 12 },
  );
  // The first wire commitment, the first argument message and the last opening proof, always.
  for (const e of [0, proof.size.wireCommitments / 32, elements - 1]) {
    const bad = Uint8Array.from(proof.bytes);
    bad[HEADER + 32 * e + 31] ^= 1;
    assert.equal((await verify(pk.vk, statement, bad)).ok, false, `element ${e}`);
  }
});

test('sample MLP: a row that two blocks read has one name, whatever each block calls its statement slot', async () => {
  const { model } = await sample();
  const g = model.graph;
  const names = rowCommitmentNames(g);
  const slotsOf = new Map<string, string[]>();
  g.nodes.forEach((node, i) => {
    for (const t of node.block.tensors)
      for (let r = 0; r < t.rows; r++)
        for (const slot of [`${t.name}/${r}`, `${t.name}[${r}]`]) {
          const name = names(i, slot);
          if (name === undefined) continue;
          assert.equal(name, `${node.bind[t.name]}/${r}`, `block ${i} slot ${slot}`);
          slotsOf.set(name, [...(slotsOf.get(name) ?? []), `${i}:${slot}`]);
        }
  });
  const shared = [...slotsOf.values()].filter((v) => v.length > 1);
  assert.ok(shared.some((v) => v.some((s) => s.includes('[')) && v.some((s) => s.includes('/'))), 'a row read under both slot namings');
  assert.equal(names(0, 'no such slot'), undefined);
});

test('sample MLP: truncated, extended and mislabelled proofs are typed rejections', async () => {
  const { pk, inputs } = await sample();
  const { statement, proof } = await prove(pk, inputs);
  for (const cut of [0, 3, HEADER, HEADER + 32, proof.bytes.length - 1]) {
    const v = await verify(pk.vk, statement, proof.bytes.subarray(0, cut));
    assert.equal(v.ok, false, `cut at ${cut}`);
  }
  const longer = new Uint8Array(proof.bytes.length + 1);
  longer.set(proof.bytes);
  assert.equal((await verify(pk.vk, statement, longer)).ok, false, 'trailing byte');
  const v1 = Uint8Array.from(proof.bytes);
  v1[4] = 1;
  assert.deepEqual(await verify(pk.vk, statement, v1), { ok: false, reason: 'this is a version 1 proof (one proof per block); this library reads version 15 proofs (the model as one argument, derived rows and their values at ζ, linearized openings, links in the argument, equal sums read on one domain, lookup tables evaluated by the verifier, a logUp domain of one helper read on the largest, relinked rows sent as their differences, range checks through one table with a public denominator, no check that cannot fail, a flat matmul in one claim, logUp bundles beyond eight columns where their quotient coset is small, wire rows sent in stacks, the quotient in pieces): prove again' });
  const v2 = Uint8Array.from(proof.bytes);
  v2[4] = 2;
  assert.match((await verify(pk.vk, statement, v2) as { reason: string }).reason, /^this is a version 2 proof \(every wire row sent\).*prove again$/);
  const v3 = Uint8Array.from(proof.bytes);
  v3[4] = 3;
  assert.match((await verify(pk.vk, statement, v3) as { reason: string }).reason, /^this is a version 3 proof \(every oracle and quotient evaluated at ζ.*prove again$/);
  const v4 = Uint8Array.from(proof.bytes);
  v4[4] = 4;
  assert.match((await verify(pk.vk, statement, v4) as { reason: string }).reason, /^this is a version 4 proof \(logUp helpers in pairs, weight links and relinks opened at their own point\).*prove again$/);
  const v5 = Uint8Array.from(proof.bytes);
  v5[4] = 5;
  assert.match((await verify(pk.vk, statement, v5) as { reason: string }).reason, /^this is a version 5 proof \(every evaluated derived row's value at ζ sent\).*prove again$/);
  const v6 = Uint8Array.from(proof.bytes);
  v6[4] = 6;
  assert.match((await verify(pk.vk, statement, v6) as { reason: string }).reason, /^this is a version 6 proof \(a hidden scalar and two running sums for every equal sum on two domains\).*prove again$/);
  const v7 = Uint8Array.from(proof.bytes);
  v7[4] = 7;
  assert.match((await verify(pk.vk, statement, v7) as { reason: string }).reason, /^this is a version 7 proof \(every lookup table's value at ζ sent\).*prove again$/);
  const v8 = Uint8Array.from(proof.bytes);
  v8[4] = 8;
  assert.match((await verify(pk.vk, statement, v8) as { reason: string }).reason, /^this is a version 8 proof \(a hidden scalar for every logUp domain below the largest\).*prove again$/);
  const v9 = Uint8Array.from(proof.bytes);
  v9[4] = 9;
  assert.match((await verify(pk.vk, statement, v9) as { reason: string }).reason, /^this is a version 9 proof \(a relinked copy's rows committed\).*prove again$/);
  const v10 = Uint8Array.from(proof.bytes);
  v10[4] = 10;
  assert.match((await verify(pk.vk, statement, v10) as { reason: string }).reason, /^this is a version 10 proof \(range checks through a committed 2\^12 lookup table, wider values in 12-bit limbs\).*prove again$/);
  const v11 = Uint8Array.from(proof.bytes);
  v11[4] = 11;
  assert.match((await verify(pk.vk, statement, v11) as { reason: string }).reason, /^this is a version 11 proof \(checks that cannot fail still proven \(linear checks of rows derived from them, padding identities of rows of copies\), a flat matmul in three claims chained by hidden scalars\).*prove again$/);
  const v12 = Uint8Array.from(proof.bytes);
  v12[4] = 12;
  assert.match((await verify(pk.vk, statement, v12) as { reason: string }).reason, /^this is a version 12 proof \(logUp bundles of at most eight columns\).*prove again$/);
  const v13 = Uint8Array.from(proof.bytes);
  v13[4] = 13;
  assert.match((await verify(pk.vk, statement, v13) as { reason: string }).reason, /^this is a version 13 proof \(every wire row committed alone\).*prove again$/);
  const v14 = Uint8Array.from(proof.bytes);
  v14[4] = 14;
  assert.match((await verify(pk.vk, statement, v14) as { reason: string }).reason, /^this is a version 14 proof \(the quotient committed whole\).*prove again$/);
  const v16 = Uint8Array.from(proof.bytes);
  v16[4] = 16;
  assert.match((await verify(pk.vk, statement, v16) as { reason: string }).reason, /unsupported proof version 16/);
  // A wire section 32 bytes shorter than the key's (the bytes after it read as the argument's): refused by its length.
  const shorter = Uint8Array.from(proof.bytes);
  const view = new DataView(shorter.buffer);
  view.setUint32(7, view.getUint32(7, WIRE_LENGTH_LE) - 32, WIRE_LENGTH_LE);
  assert.match((await verify(pk.vk, statement, shorter) as { reason: string }).reason, /the wire section holds \d+ bytes; this key's proofs send \d+/);
});

test('sample MLP: a proof that is not bytes, a key that is not a key and a malformed statement give a reason, never a throw', async () => {
  const { pk, inputs } = await sample();
  const { statement, proof } = await prove(pk, inputs);
  const cases: [string, VerifyingKey, Statement, Uint8Array][] = [
    ['proof as a string', pk.vk, statement, 'BKFD' as unknown as Uint8Array],
    ['proof as an array', pk.vk, statement, Array.from(proof.bytes) as unknown as Uint8Array],
    ['no proof', pk.vk, statement, undefined as unknown as Uint8Array],
    ['key as an object', {} as VerifyingKey, statement, proof.bytes],
    ['no key', null as unknown as VerifyingKey, statement, proof.bytes],
    ['no statement', pk.vk, null as unknown as Statement, proof.bytes],
    ['statement without outputs', pk.vk, { inputs: statement.inputs } as Statement, proof.bytes],
  ];
  for (const [what, vk, st, bytes] of cases) {
    const v = await verify(vk, st, bytes);
    assert.equal(v.ok, false, what);
    assert.ok(!v.ok && v.reason.length > 0, what);
  }
});

test('sample MLP: one changed cell of every block output (padding included) is rejected', async () => {
  const { pk, inputs } = await sample();
  await fc.assert(
    fc.asyncProperty(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 3 }), async (rowSeed, cellSeed, delta) => {
      for (const id of writtenTensors(pk)) await assertTamperRejected(pk, inputs, id, rowSeed, cellSeed, BigInt(delta));
    }),
    { numRuns: 1 },
  );
});

test('Fashion MLP: verifies and is deterministic under a seed', async () => {
  const { images } = fashionImages();
  const model = compile(readFileSync(modelFile('fashion-mlp.onnx')), images.slice(0, 8).map((input) => ({ input })));
  const pk = await keysFor(model);
  const inputs = quantizeFeeds(model, { input: images[0] });
  const { statement, proof } = await prove(pk, inputs);
  assert.deepEqual(await verify(pk.vk, statement, proof.bytes), { ok: true, outputs: floatOutputs(model, statement), insecureSrs: pk.vk.insecureSrs });
  assert.deepEqual((await prove(pk, inputs, { seed: '1' })).proof.bytes, (await prove(pk, inputs, { seed: '1' })).proof.bytes);
  // Witness tampering: one changed cell (padding included) of every block output, prover checks bypassed; and the
  // last cell of every row's domain, padding wherever a row is shorter (rescale and limb-split provers crashed on it).
  for (const id of writtenTensors(pk)) await assertTamperRejected(pk, inputs, id, 0, 2 ** 20 - 1, 1n);
  await fc.assert(
    fc.asyncProperty(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 3 }), async (rowSeed, cellSeed, delta) => {
      for (const id of writtenTensors(pk)) await assertTamperRejected(pk, inputs, id, rowSeed, cellSeed, BigInt(delta));
    }),
    { numRuns: 1 },
  );
});

test('a model of linear blocks only (x + y, then −·: no poly-IOP identity, nothing to open) proves and verifies; a changed output is rejected, a changed derived wire reaches nothing', async () => {
  const bytes = encodeModel({
    inputs: [valueInfo('x', [1, 4]), valueInfo('y', [1, 4])],
    outputs: [valueInfo('z', [1, 4])],
    initializers: [],
    nodes: [node('Add', ['x', 'y'], ['s'], [], 'the_add'), node('Neg', ['s'], ['z'], [], 'the_neg')],
  });
  const feeds = { x: tensor([1, 4], [0.5, -0.25, 0.125, 0.75]), y: tensor([1, 4], [0.25, 0.5, -0.375, 0.125]) };
  const model = compile(bytes, [feeds]);
  const pk = await keysFor(model);
  const inputs = quantizeFeeds(model, feeds);
  const { statement, proof } = await prove(pk, inputs);
  assert.deepEqual(await verify(pk.vk, statement, proof.bytes), { ok: true, outputs: floatOutputs(model, statement), insecureSrs: pk.vk.insecureSrs });
  const out = model.outputs[0].id;
  const bumped = { ...statement.outputs, [out]: statement.outputs[out].map((row) => row.map((v, c) => (c === 1 ? v + 1n : v))) };
  assert.equal((await verify(pk.vk, { ...statement, outputs: bumped }, proof.bytes)).ok, false, 'changed output');
  // s = x + y is derived (the add leaves the argument), z = −s is the output: the argument is the negation alone.
  const plan = derivedRows(model.graph);
  assert.equal(plan.ids.size, 1);
  assert.deepEqual(plan.argument.nodes.map((n) => n.block.kind), ['linear']);
  assert.equal(proof.size.wireCommitments, 0, 'no wire is sent');
  for (const id of writtenTensors(pk)) for (const cell of [0, 3]) await assertTamperRejected(pk, inputs, id, 0, cell, 1n);
});
