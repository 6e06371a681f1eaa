/**
 * Visibility per tensor (`src/pipeline/visibility.ts`, `hashed-input.ts`): each visibility proves and verifies on
 * the sample MLP and the Fashion MLP; `verify` reports hidden tensors by commitment or digest only; a statement
 * whose hidden commitment is replaced by another point is rejected; a hashed input's digest is the known input's
 * and not a neighbour's; hidden inputs are range-checked (a forged out-of-range input passes only without the
 * check); the visibility is in the architecture (round trip, vk digest) and the statement files carry the
 * commitments, never the values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { bytesToHex } from '@noble/hashes/utils.js';
import { G1_ONE } from '../../src/curve';
import { ByteWriter } from '../../src/encoding/bytes';
import { encodeFr, encodeG1 } from '../../src/encoding/points';
import { BlockfoldError } from '../../src/errors';
import { frFromSigned } from '../../src/field';
import { tensor, type Tensor } from '../../src/model/tensor';
import { ArtifactError } from '../../src/pipeline/artifact-error';
import { decodeArchitecture, encodeArchitecture } from '../../src/pipeline/architecture';
import { decodeProof, encodeProof, proofToJson, statementFromJson, statementToJson, verifyProofFile } from '../../src/pipeline/artifacts';
import { compile, quantizeFeeds, type CompiledWithQuant } from '../../src/pipeline/compile';
import { computeGraphWitness } from '../../src/pipeline/graph-proof';
import { commitRows } from '../../blocks/commit-rows';
import { hashedInputBlinding, inputDigest } from '../../src/pipeline/hashed-input';
import type { ProvingKey } from '../../src/pipeline/keys';
import { prove, verify, type Statement } from '../../src/pipeline/prove-verify';
import type { VisibilityOptions } from '../../src/pipeline/visibility';
import { fashionImages, modelFile, sampleMlpInput } from '../model/fixtures';
import { encodeModel, node, valueInfo } from '../onnx/builder';
import { keysFor, sampleBytes } from '../soundness/pipeline';

const sampleFeeds = { input: sampleMlpInput() };

async function proven(onnx: Uint8Array, feeds: Record<string, Tensor>[], visibility: VisibilityOptions) {
  const model = compile(onnx, feeds, { visibility });
  const pk = await keysFor(model);
  const { statement, proof } = await prove(pk, quantizeFeeds(model, feeds[0]));
  return { model, pk, statement, proof };
}

/** The statement with the commitment of `id`, row 0, replaced by another valid point. */
const otherCommitment = (st: Statement, id: string): Statement => ({
  ...st,
  commitments: { ...st.commitments, [id]: st.commitments![id].map((c, r) => (r === 0 ? c.add(G1_ONE) : c)) },
});

test('compile: visibility names are checked against the model (typed errors listing its inputs and outputs); a hashed output is refused', () => {
  const onnx = sampleBytes();
  const fails = (visibility: unknown, pattern: RegExp) =>
    assert.throws(() => compile(onnx, [sampleFeeds], { visibility: visibility as VisibilityOptions }), (e: unknown) => e instanceof BlockfoldError && e.code === 'INPUT' && pattern.test((e as Error).message));
  fails({ inputs: { picture: 'private' } }, /no input "picture" \(inputs: input\)/);
  fails({ outputs: { logits: 'private' } }, /no output "logits" \(outputs: output\)/);
  fails({ outputs: { output: 'hashed' } }, /visibility of output "output" is "hashed"; an output is public, private/);
  fails({ inputs: { input: 'secret' } }, /an input is public, private, hashed/);
  fails({ inputs: ['input'] }, /visibility.inputs must be an object/);
  fails('private', /the visibility option must be an object/);
  const model = compile(onnx, [sampleFeeds], { visibility: { inputs: { input: 'hashed' }, outputs: { output: 'public' } } });
  assert.deepEqual([model.inputs[0].visibility, model.outputs[0].visibility], ['hashed', 'public']);
  assert.equal(compile(onnx, [sampleFeeds]).inputs[0].visibility, 'public');
});

test('sample MLP, private input and output: verifies and reports their commitments only, which are blinded; another point in place of either commitment is rejected', async () => {
  const { model, pk, statement, proof } = await proven(sampleBytes(), [sampleFeeds], { inputs: { input: 'private' }, outputs: { output: 'private' } });
  const [input, output] = [model.inputs[0].id, model.outputs[0].id];
  assert.deepEqual([Object.keys(statement.inputs), Object.keys(statement.outputs), Object.keys(statement.commitments!).sort()], [[], [], [input, output].sort()]);
  const result = await verify(pk.vk, statement, proof.bytes);
  assert.ok(result.ok, !result.ok ? result.reason : '');
  assert.deepEqual(result.outputs, [], 'no public output');
  const hex = (id: string) => statement.commitments![id].map((c) => bytesToHex(encodeG1(c)));
  assert.deepEqual(result.hidden, [
    { name: 'input', kind: 'input', visibility: 'private', shape: model.inputs[0].shape, commitments: hex(input) },
    { name: 'output', kind: 'output', visibility: 'private', shape: model.outputs[0].shape, commitments: hex(output) },
  ]);
  for (const id of [input, output]) assert.equal((await verify(pk.vk, otherCommitment(statement, id), proof.bytes)).ok, false, `another commitment of ${id}`);
  // Hidden, not merely unreported: neither tensor's rows are committed plainly (a plain commitment confirms a guess).
  const values = computeGraphWitness(model.graph, { ...quantizeFeeds(model, sampleFeeds), ...model.weights });
  for (const id of [input, output]) {
    const plain = await commitRows(pk.vk.kzg, values[id], model.graph.tensors.find((t) => t.id === id)!.domain);
    plain.forEach((c, r) => assert.ok(!c.equals(statement.commitments![id][r]), `${id}/${r} is committed plainly`));
  }
  // The commitments of another input's proof: each a valid commitment, not this proof's.
  const other = await prove(pk, quantizeFeeds(model, { input: tensor([4], [0.4, -0.3, 0.25, 0]) }));
  assert.equal((await verify(pk.vk, { ...statement, commitments: { ...statement.commitments, [input]: other.statement.commitments![input] } }, proof.bytes)).ok, false);
  assert.equal((await verify(pk.vk, other.statement, proof.bytes)).ok, false);
  // A statement without the commitments, with extra ones, or with rows in their place is a typed rejection.
  for (const st of [{ ...statement, commitments: undefined }, { ...statement, commitments: { ...statement.commitments, t0: [G1_ONE] } }, { ...statement, inputs: { [input]: [[1n, 2n, 3n, 4n]] } }])
    assert.equal((await verify(pk.vk, st as Statement, proof.bytes)).ok, false);
});

test('sample MLP, private output with a public input: the public input is still checked; one seed gives one proof', async () => {
  const { model, pk, statement, proof } = await proven(sampleBytes(), [sampleFeeds], { outputs: { output: 'private' } });
  assert.ok((await verify(pk.vk, statement, proof.bytes)).ok);
  const id = model.inputs[0].id;
  const changed = { ...statement, inputs: { [id]: statement.inputs[id].map((row) => row.map((v, c) => (c === 0 ? v + 1n : v))) } };
  assert.equal((await verify(pk.vk, changed, proof.bytes)).ok, false, 'changed public input');
  assert.equal((await verify(pk.vk, otherCommitment(statement, model.outputs[0].id), proof.bytes)).ok, false);
  const inputs = quantizeFeeds(model, sampleFeeds);
  assert.deepEqual((await prove(pk, inputs, { seed: 's' })).proof.bytes, (await prove(pk, inputs, { seed: 's' })).proof.bytes);
});

test('sample MLP, hashed input: the digest is the known input\'s (inputDigest) and not that of an input with one value changed', async () => {
  const { model, pk, statement, proof } = await proven(sampleBytes(), [sampleFeeds], { inputs: { input: 'hashed' } });
  const result = await verify(pk.vk, statement, proof.bytes);
  assert.ok(result.ok && result.outputs.length === 1, 'the public output is reported');
  const [hashed] = result.hidden!;
  assert.ok(hashed.visibility === 'hashed');
  assert.match(hashed.digest, /^[0-9a-f]{64}$/);
  assert.equal(await inputDigest(pk.vk, 'input', sampleFeeds.input), hashed.digest);
  const values = [...sampleFeeds.input.data];
  values[2] += 0.01;
  const neighbour = tensor(sampleFeeds.input.shape, values);
  assert.notDeepEqual(quantizeFeeds(model, { input: neighbour }), quantizeFeeds(model, sampleFeeds), 'the change survives quantization');
  assert.notEqual(await inputDigest(pk.vk, 'input', neighbour), hashed.digest);
  assert.equal((await verify(pk.vk, otherCommitment(statement, model.inputs[0].id), proof.bytes)).ok, false);
  await assert.rejects(inputDigest(pk.vk, 'nope', sampleFeeds.input), /"nope" is not a hashed input of this key \(hashed inputs: input\)/);
  await assert.rejects(inputDigest(pk.vk, 'input', tensor([3], [0, 0, 0])), (e: unknown) => e instanceof BlockfoldError);
});

test('the hashed-input blinding is a deterministic function of the key digest, the tensor and every value', () => {
  const d = new Uint8Array(32).fill(7);
  const rows = [[1n, -2n, 3n], [4n]];
  const b = hashedInputBlinding(d, 't0', rows);
  assert.deepEqual(hashedInputBlinding(d, 't0', rows), b);
  assert.deepEqual(b.map((r) => r.length), [2, 2]);
  assert.ok(b.flat().every((x) => x !== 0n));
  for (const other of [hashedInputBlinding(new Uint8Array(32).fill(8), 't0', rows), hashedInputBlinding(d, 't1', rows), hashedInputBlinding(d, 't0', [[1n, -2n, 4n], [4n]]), hashedInputBlinding(d, 't0', [[1n, -2n], [3n, 4n]])])
    assert.ok(other.flat().every((x, i) => x !== b.flat()[i]));
  assert.equal(hashedInputBlinding(d, 't0', rows, 3)[0].length, 3);
});

test('hidden inputs are range-checked: an out-of-range private input passes only without the check', async () => {
  // z = −(x + y) with x private: without a range check on x, any z has a preimage x in the field.
  const onnx = encodeModel({
    inputs: [valueInfo('x', [1, 4]), valueInfo('y', [1, 4])],
    outputs: [valueInfo('z', [1, 4])],
    initializers: [],
    nodes: [node('Add', ['x', 'y'], ['s']), node('Neg', ['s'], ['z'])],
  });
  const feeds = { x: tensor([1, 4], [0.5, -0.25, 0.125, 0.75]), y: tensor([1, 4], [0.25, 0.5, -0.375, 0.125]) };
  const ranged = compile(onnx, [feeds], { visibility: { inputs: { x: 'private' } } });
  const plain = compile(onnx, [feeds]);
  assert.ok(ranged.graph.nodes.length > plain.graph.nodes.length, 'the range check adds blocks');
  // The control: the same statement shape without the check (a key no compiler makes, and no key file decodes).
  const unranged: CompiledWithQuant = { ...plain, inputs: plain.inputs.map((l) => (l.name === 'x' ? { ...l, visibility: 'private' } : l)) };
  assert.throws(() => decodeArchitecture(encodeArchitecture(unranged)), (e: unknown) => e instanceof ArtifactError && /private input "x" .* is not range-checked/.test((e as Error).message));
  const forge = async (model: CompiledWithQuant, pk: ProvingKey) => {
    const inputs = quantizeFeeds(model, feeds);
    const [x, y] = model.inputs;
    // x[0] just past the range the check proves ([lo, lo + 2^b)), y[0] at its lowest so that z stays within its bound.
    const forged = { [x.id]: [[x.bound[0] + (1n << BigInt((x.bound[1] - x.bound[0]).toString(2).length)), ...inputs[x.id][0].slice(1)]], [y.id]: [[y.bound[0], ...inputs[y.id][0].slice(1)]] };
    const { statement, proof } = await prove(pk, inputs, { allowInvalidWitness: true, tamper: (values) => Object.assign(values, computeGraphWitness(model.graph, { ...forged, ...model.weights })) });
    return verify(pk.vk, { ...statement, inputs: { [y.id]: forged[y.id] } }, proof.bytes);
  };
  assert.equal((await forge(unranged, await keysFor(unranged))).ok, true, 'control: without the range check the forged input verifies');
  assert.equal((await forge(ranged, await keysFor(ranged))).ok, false, 'with it, rejected');
});

test('visibility is in the architecture: it round-trips, changes the vk digest, and a v1 architecture or a hashed output is refused', async () => {
  const model = compile(sampleBytes(), [sampleFeeds], { visibility: { inputs: { input: 'hashed' }, outputs: { output: 'private' } } });
  const bytes = encodeArchitecture(model);
  const back = decodeArchitecture(bytes);
  assert.deepEqual([back.inputs[0].visibility, back.outputs[0].visibility], ['hashed', 'private']);
  const privateInput = compile(sampleBytes(), [sampleFeeds], { visibility: { inputs: { input: 'private' }, outputs: { output: 'private' } } });
  // A compiled hashed input is also read through its relinked copy (src/pipeline/relink.ts): relabel to isolate the byte.
  const relabeled: CompiledWithQuant = { ...privateInput, inputs: privateInput.inputs.map((l) => ({ ...l, visibility: 'hashed' })) };
  const [privateBytes, relabeledBytes] = [encodeArchitecture(privateInput), encodeArchitecture(relabeled)];
  assert.equal(relabeledBytes.length, privateBytes.length);
  assert.equal(relabeledBytes.filter((b, i) => b !== privateBytes[i]).length, 1, 'private and hashed inputs of one graph differ only in the visibility byte');
  assert.notDeepEqual((await keysFor(privateInput)).vk.digest, (await keysFor(relabeled)).vk.digest, 'the visibility alone changes the vk digest');
  // The output's visibility byte is the last byte of the layouts, before ranges and layers: find it by re-encoding with it public.
  const publicOut = encodeArchitecture({ ...model, outputs: model.outputs.map((l) => ({ ...l, visibility: 'public' })) });
  const at = bytes.findIndex((b, i) => b !== publicOut[i]);
  assert.equal(bytes[at], 1);
  const hashedOutput = Uint8Array.from(bytes);
  hashedOutput[at] = 2;
  assert.throws(() => decodeArchitecture(hashedOutput), (e: unknown) => e instanceof ArtifactError && /visibility of output "output"/.test((e as Error).message));
  const v1 = new TextEncoder().encode('blockfold/architecture/v1');
  const old = Uint8Array.from(bytes);
  old.set(v1, 1);
  assert.throws(() => decodeArchitecture(old), /blockfold\/architecture\/v1 model \(before per-tensor visibility\)/);
});

test('statement files carry the hidden commitments, never the private input\'s values; malformed commitments are typed errors', async () => {
  const { model, pk, statement, proof } = await proven(sampleBytes(), [sampleFeeds], { inputs: { input: 'private' } });
  const file = encodeProof({ verifyingKeyDigest: pk.vk.digest, statement, proof });
  assert.deepEqual(statementToJson(decodeProof(file).statement), statementToJson(statement), "the statement round-trips (points compared by encoding)");
  assert.ok((await verifyProofFile(pk.vk, file)).ok);
  const json = new TextEncoder().encode(JSON.stringify(proofToJson({ verifyingKeyDigest: pk.vk.digest, statement, proof })));
  const values = quantizeFeeds(model, sampleFeeds)[model.inputs[0].id].flat();
  assert.ok(values.every((v) => v !== 0n && (v > 255n || v < -255n)), 'values long enough that their encodings cannot occur by chance');
  const encodings = (v: bigint) => {
    const be = encodeFr(frFromSigned(v));
    return [new TextEncoder().encode(`"${v}"`), new TextEncoder().encode(`${v},`), be, be.slice().reverse()];
  };
  // The row as the weights are stored (zig-zag varints), in the files and proof bytes.
  const varints = new ByteWriter();
  for (const v of values) varints.svarint(v);
  const holds = (bytes: Uint8Array, needle: Uint8Array) => bytes.some((_, i) => needle.every((b, k) => bytes[i + k] === b));
  for (const v of values) for (const e of encodings(v)) for (const [what, bytes] of [['proof file', file], ['proof JSON', json], ['proof bytes', proof.bytes]] as const) assert.ok(!holds(bytes, e), `${what} holds an encoding of ${v}`);
  for (const bytes of [file, json, proof.bytes]) assert.ok(!holds(bytes, varints.bytes()), 'the row as varints');
  // Control: with the input public, the proof file holds its values as decimal text.
  const shown = await proven(sampleBytes(), [sampleFeeds], {});
  const shownFile = encodeProof({ verifyingKeyDigest: shown.pk.vk.digest, statement: shown.statement, proof: shown.proof });
  assert.ok(values.every((v) => holds(shownFile, encodings(v)[0])));
  // Malformed commitments: not hex, off the curve, a missing row, an extra tensor.
  const st = statementToJson(statement);
  const id = model.inputs[0].id;
  assert.deepEqual(statementToJson(statementFromJson(st)), st);
  for (const [commitments, pattern] of [
    [{ [id]: ['zz'] }, /commitment of "t\d+" row 0 must be 32 bytes of lowercase hex/],
    [{ [id]: ['05'.padEnd(64, '0')] }, /commitment of "t\d+" row 0: G1/],
    [{ [id]: 'x' }, /must be an array/],
  ] as const)
    assert.throws(() => statementFromJson({ ...st, commitments }), (e: unknown) => e instanceof ArtifactError && pattern.test((e as Error).message));
  const reencoded = (commitments: unknown) => encodeProof({ verifyingKeyDigest: pk.vk.digest, statement: { ...statement, commitments: commitments as Statement['commitments'] }, proof });
  for (const commitments of [{}, { [id]: [] }, { ...statement.commitments, t999: [G1_ONE] }]) {
    const r = await verifyProofFile(pk.vk, reencoded(commitments));
    assert.ok(!r.ok && /commitments/.test(r.reason), !r.ok ? r.reason : 'accepted');
  }
});

test('Fashion MLP: private input and output, and a hashed input, prove and verify; another commitment is rejected', async () => {
  const onnx = new Uint8Array(readFileSync(modelFile('fashion-mlp.onnx')));
  const feeds = fashionImages().images.slice(0, 4).map((input) => ({ input }));
  const hidden = await proven(onnx, feeds, { inputs: { input: 'private' }, outputs: { [compile(onnx, feeds).outputs[0].name]: 'private' } });
  const r = await verify(hidden.pk.vk, hidden.statement, hidden.proof.bytes);
  assert.ok(r.ok && r.outputs.length === 0 && r.hidden!.length === 2, !r.ok ? r.reason : '');
  assert.equal((await verify(hidden.pk.vk, otherCommitment(hidden.statement, hidden.model.inputs[0].id), hidden.proof.bytes)).ok, false);
  const hashed = await proven(onnx, feeds, { inputs: { input: 'hashed' } });
  const h = await verify(hashed.pk.vk, hashed.statement, hashed.proof.bytes);
  assert.ok(h.ok && h.outputs.length === 1, !h.ok ? h.reason : '');
  const [digest] = h.hidden!;
  assert.ok(digest.visibility === 'hashed' && digest.digest === (await inputDigest(hashed.pk.vk, 'input', feeds[0].input)));
  assert.notEqual(await inputDigest(hashed.pk.vk, 'input', feeds[1].input), digest.digest);
});
