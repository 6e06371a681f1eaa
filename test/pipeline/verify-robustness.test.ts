/**
 * Verifier robustness (issue 12, finding 7): a proof or an aggregate that declares huge lengths or counts is
 * refused before anything is allocated for them; malformed arguments give `{ ok: false, reason }`, never an
 * exception; a key over the development SRS is flagged; an output moved by r (the same field element) is refused as
 * beyond its bound.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteWriter } from '../../src/encoding/bytes';
import { G1, G2_ONE } from '../../src/curve';
import { isInsecureDevTau } from '../../src/srs/dev';
import { DEV_SEED, openSrs } from '../../src/pipeline/api';
import { calibrateOnnx, quantizeFeeds } from '../../src/pipeline/compile';
import { compiledModelArtifact, decodeCompiledModel, decodeVerifyingKey, encodeCompiledModel, encodeVerifyingKey } from '../../src/pipeline/artifacts';
import { BlockfoldError } from '../../src/errors';
import { R } from '../../src/field';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { ArtifactError } from '../../src/pipeline/artifact-error';
import { encodeArchitecture, MAX_TENSOR_DOMAIN, MAX_TENSOR_ROWS, type Architecture } from '../../src/pipeline/architecture';
import { rewriteFile } from '../helpers/artifact-files';
import { sampleArtifacts } from '../helpers/sample-artifacts';
import { setup } from '../../src/pipeline/keys';
import { PROOF_VERSION, prove, publicCommitments, verify, type Statement } from '../../src/pipeline/prove-verify';
import { KIND_AGGREGATED_PROOF, verifyAggregate } from '../../src/pipeline/aggregate';
import { readFileSync } from 'node:fs';
import { fashionImages, modelFile } from '../model/fixtures';
import { encodeModel, floatData, node, valueInfo } from '../onnx/builder';
import { tensor } from '../../src/model/tensor';

const fixture = (async () => {
  const { compiled, pk, statement, proof } = await sampleArtifacts();
  return { compiled, pk, statement, direct: proof.bytes };
})();

/** Checks that `run` rejects, quickly and without a large allocation. */
async function refusedCheaply(what: string, run: () => Promise<{ ok: boolean; reason?: string }>, reason: RegExp): Promise<void> {
  const before = process.memoryUsage().heapUsed;
  const t = performance.now();
  const r = await run();
  assert.equal(r.ok, false, what);
  assert.match(r.reason ?? '', reason, what);
  assert.ok(performance.now() - t < 5000, `${what}: fast`);
  assert.ok(process.memoryUsage().heapUsed - before < 64 * 2 ** 20, `${what}: no large allocation`);
}

test('a proof declaring a huge wire section, or an aggregate declaring 2^20 empty parts or a 4 GiB part, is rejected without allocating for them', async () => {
  const { pk, statement, direct } = await fixture;
  const huge = direct.slice();
  new DataView(huge.buffer).setUint32(7, 0xffffffff, true);
  await refusedCheaply('wire section of 2^32 − 1 bytes', () => verify(pk.vk, statement, huge), /wire section length/);
  // Cut inside its wire section, a proof says it is truncated, with the length its header declares.
  const cut = direct.subarray(0, 11 + 40);
  await refusedCheaply('a proof cut inside its wire section', () => verify(pk.vk, statement, cut), /the proof is truncated: its wire section length is \d+ bytes, 40 are left/);
  const header = new ByteWriter().write(direct.subarray(0, 4)).u8(PROOF_VERSION).u8(KIND_AGGREGATED_PROOF).u8(0);
  const manyParts = header.u32(1 << 20).bytes();
  const many = Array.from({ length: 1 << 20 }, () => statement);
  await refusedCheaply('2^20 parts declared, none present', () => verifyAggregate(pk.vk, many, manyParts), /truncated|part/);
  const bigPart = new ByteWriter().write(direct.subarray(0, 4)).u8(PROOF_VERSION).u8(KIND_AGGREGATED_PROOF).u8(0).u32(1).u32(0xffffffff).bytes();
  await refusedCheaply('a part of 2^32 − 1 bytes', () => verifyAggregate(pk.vk, [statement], bigPart), /length of part 0/);
});

test('verify returns { ok: false, reason } for any malformed argument', async () => {
  const { pk, statement, direct } = await fixture;
  const [inId] = Object.keys(statement.inputs);
  const [outId] = Object.keys(statement.outputs);
  const withOutput = (v: unknown) => ({ ...statement, outputs: { [outId]: [[v, ...statement.outputs[outId][0].slice(1)]] } });
  const statements: [string, unknown][] = [
    ['null', null],
    ['a number', 1.5],
    ['no outputs', { inputs: statement.inputs }],
    ['outputs null', { inputs: statement.inputs, outputs: null }],
    ['missing output tensor', { inputs: statement.inputs, outputs: {} }],
    ['an extra tensor', { ...statement, outputs: { ...statement.outputs, extra: [[0n]] } }],
    ['rows not arrays', { ...statement, inputs: { [inId]: [5] } }],
    ['a float value', withOutput(1.5)],
    ['NaN', withOutput(NaN)],
    ['a number for a bigint', withOutput(1)],
    ['a string', withOutput('1')],
    ['undefined', withOutput(undefined)],
    ['a huge value', withOutput(1n << 300n)],
  ];
  for (const [what, st] of statements) {
    const r = await verify(pk.vk, st as Statement, direct);
    assert.equal(r.ok, false, what);
  }
  for (const [what, proof] of [['null', null], ['a string', 'proof'], ['an array', [1, 2, 3]], ['empty', new Uint8Array()]] as const)
    assert.equal((await verify(pk.vk, statement, proof as unknown as Uint8Array)).ok, false, `proof ${what}`);
  for (const [what, vk] of [['null', null], ['an object', {}], ['without layouts', { ...pk.vk, model: { graph: pk.vk.model.graph } }]] as const)
    assert.equal((await verify(vk as never, statement, direct)).ok, false, `key ${what}`);
});

test('a key over the development SRS is flagged, in memory and from a file; another τ is not', async () => {
  const { pk, statement, direct } = await fixture;
  assert.equal(pk.vk.insecureSrs, true);
  const r = await verify(pk.vk, statement, direct);
  assert.ok(r.ok && r.insecureSrs);
  const { vk } = await decodeVerifyingKey(encodeVerifyingKey({ srs: { kind: 'dev', seed: DEV_SEED }, vk: pk.vk }));
  assert.equal(vk.insecureSrs, true);
  assert.equal(isInsecureDevTau(pk.vk.kzg.g2Tau.point, [DEV_SEED]), true, 'the default seed is recognised whatever the file says');
  assert.equal(isInsecureDevTau(G2_ONE.multiply(123456789n), [DEV_SEED]), false);
});

test('sizes carried by a compiled-model file (its architecture) are checked against documented limits before anything is built', async () => {
  const fashion = new Uint8Array(readFileSync(modelFile('fashion-mlp.onnx')));
  const samples = fashionImages().images.slice(0, 1).map((input) => ({ input }));
  const bfm = encodeCompiledModel(compiledModelArtifact(fashion, calibrateOnnx(fashion, samples)));
  const model = decodeCompiledModel(bfm).model;
  const big = model.graph.tensors.findIndex((t) => t.kind === 'wire');
  const edits: [string, Architecture][] = [
    ['srsG1Powers 2^30', { ...model, srsG1Powers: 2 ** 30 }],
    ['a tensor of 2^25 rows', { ...model, graph: { ...model.graph, tensors: model.graph.tensors.map((t, i) => (i === big ? { ...t, rows: 2 ** 25 } : t)) } }],
    ['a domain of 2^29', { ...model, graph: { ...model.graph, tensors: model.graph.tensors.map((t, i) => (i === big ? { ...t, domain: 2 ** 29 } : t)) } }],
    ['a domain of 3', { ...model, graph: { ...model.graph, tensors: model.graph.tensors.map((t, i) => (i === big ? { ...t, domain: 3 } : t)) } }],
  ];
  for (const [what, changed] of edits) {
    const t = performance.now();
    const bytes = encodeArchitecture(changed);
    const file = rewriteFile(bfm, (h, blobs) => {
      blobs[0] = bytes;
      h.architecture = Buffer.from(keccak_256(bytes)).toString('hex');
    });
    assert.throws(() => decodeCompiledModel(file), (e: unknown) => e instanceof ArtifactError, what);
    assert.ok(performance.now() - t < 5000, `${what}: refused quickly`);
  }
  assert.ok(MAX_TENSOR_ROWS <= 2 ** 24 && MAX_TENSOR_DOMAIN <= 2 ** 28, 'documented limits');
});

test('prove checks its inputs first: a value missing a calibrated table, or an integer out of bound, is an InputError naming the tensor, the node and the bound', async () => {
  const bytes = encodeModel({
    inputs: [valueInfo('x', [1, 2])],
    outputs: [valueInfo('y', [1, 1])],
    initializers: [floatData('W', [2, 1], [1, 1])],
    nodes: [node('MatMul', ['x', 'W'], ['h'], [], 'the_matmul'), node('Log', ['h'], ['y'], [], 'the_log')],
  });
  // log's table covers the calibrated range of h (widened by the margin), not h's whole integer bound.
  const calibration = [{ x: tensor([1, 2], [0.5, 0.5]) }, { x: tensor([1, 2], [1, 1]) }, { x: tensor([1, 2], [0.7, 0.6]) }];
  const compiled = compiledModelArtifact(bytes, calibrateOnnx(bytes, calibration));
  const pk = await setup(compiled.model, await openSrs({ kind: 'dev', seed: DEV_SEED }, compiled.model.srsG1Powers));
  // Each input is within its calibrated bound (±2), but their sum (0) is below log's calibrated table (from 0.5).
  const inputs = quantizeFeeds(compiled.model, { x: tensor([1, 2], [0.1, -0.1]) });
  await assert.rejects(prove(pk, inputs), (e: unknown) => e instanceof BlockfoldError && e.code === 'INPUT' && /the_log/.test(e.message) && /outside the range/.test(e.message));
  const [id] = Object.keys(inputs);
  const huge = { [id]: [[1n << 100n, 0n]] };
  await assert.rejects(prove(pk, huge), (e: unknown) => e instanceof BlockfoldError && e.code === 'INPUT' && /input "x"/.test(e.message) && /outside the bound/.test(e.message));
  await assert.rejects(prove(pk, { [id]: [[1.5, 0n]] } as never), (e: unknown) => e instanceof BlockfoldError && e.code === 'INPUT');
});

test("a statement's entries are its own: inherited ones never replace a weight's commitment nor stand for an input", async () => {
  const { pk, statement, direct } = await fixture;
  const vk = pk.vk;
  const weightId = Object.keys(vk.modelCommitment)[0];
  const fake = vk.modelCommitment[weightId].map(() => G1.BASE);
  // Through the statement's own prototype: the weight's commitment stays the key's.
  const viaPrototype = await publicCommitments(vk, { ...statement, commitments: Object.create({ [weightId]: fake }) as Statement['commitments'] });
  assert.equal(viaPrototype[weightId], vk.modelCommitment[weightId]);
  // Through a polluted Object.prototype: the same, and the honest proof still verifies.
  const polluted = Object.prototype as unknown as Record<string, unknown>;
  polluted[weightId] = fake;
  try {
    const table = await publicCommitments(vk, statement);
    assert.equal(table[weightId], vk.modelCommitment[weightId]);
    assert.equal((await verify(vk, statement, direct)).ok, true);
  } finally {
    delete polluted[weightId];
  }
  // An input the statement only inherits is a missing input: a typed refusal naming it, not a crash further on.
  const inheritedInput = await verify(vk, { ...statement, inputs: Object.create(statement.inputs) as Statement['inputs'] }, direct);
  assert.equal(inheritedInput.ok, false);
  assert.match(inheritedInput.reason ?? '', /input/);
  // So is one it holds as a property that is not enumerable, which copies and spreads of its tables leave out.
  const hiddenInputs = {};
  for (const [id, rows] of Object.entries(statement.inputs)) Object.defineProperty(hiddenInputs, id, { value: rows, enumerable: false });
  const hiddenInput = await verify(vk, { ...statement, inputs: hiddenInputs as Statement['inputs'] }, direct);
  assert.equal(hiddenInput.ok, false);
  assert.match(hiddenInput.reason ?? '', /input/);
});

test('an output moved by r (y + r: the same field element, so every commitment and identity is the honest one) is refused by the prover and the verifier as beyond its bound', async () => {
  // Without the bound, a proof of y is a proof of y + r: the statement, dequantized, would report a false output.
  const { pk, statement, direct } = await fixture;
  const [outId] = Object.keys(statement.outputs);
  const shifted = (rows: readonly (readonly bigint[])[]) => rows.map((row, i) => row.map((v, j) => (i === 0 && j === 0 ? v + R : v)));
  const beyond = (e: unknown) => e instanceof BlockfoldError && e.code === 'INPUT' && /outside \[/.test(e.message);
  await assert.rejects(prove(pk, statement.inputs, { tamper: (values) => void (values[outId] = shifted(values[outId])) }), beyond, 'the prover states no output beyond its bound');
  const r = await verify(pk.vk, { ...statement, outputs: { ...statement.outputs, [outId]: shifted(statement.outputs[outId]) } }, direct);
  assert.equal(r.ok, false);
  assert.match(r.ok ? '' : r.reason, /outside \[/);
});
