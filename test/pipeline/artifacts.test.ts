/**
 * Artifact files: round trips (compile → save → load → same architecture bytes and verifying-key digest, with no
 * compiler run; keys and proofs that still verify), typed errors for truncated, corrupted, mislabelled or
 * inconsistent files, the review findings on proof files (key digest and sizes checked before the statement is
 * parsed, capped integers), and the JSON input forms.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { BlockfoldError, SrsError } from '../../src/errors';
import { decodeG1s, decodeG1Uncompressed, encodeG1, encodeG1Uncompressed, G1_BYTES, G1_UNCOMPRESSED_BYTES } from '../../src/encoding/points';
import { normalizeZ } from '@noble/curves/abstract/curve.js';
import { G1, G1_ONE, G2_ONE } from '../../src/curve';
import { getDefaultEngine } from '../../src/engine/index';
import { Fr } from '../../src/field';
import { rootOfUnity } from '../../src/poly/roots';
import { createInsecureDevSrs, Srs } from '../../src/srs/index';
import { keyG1Powers, rangeTableSize } from '../../src/pipeline/block-graph';
import { DEV_SEED, openSrs } from '../../src/pipeline/api';
import { calibrateOnnx } from '../../src/pipeline/compile';
import { ArtifactError } from '../../src/pipeline/artifact-error';
import { architectureDigest, encodeArchitecture } from '../../src/pipeline/architecture';
import {
  compiledModelArtifact,
  decodeCompiledModel,
  decodeProof,
  decodeProvingKey,
  decodeVerifyingKey,
  encodeCompiledModel,
  encodeProof,
  encodeProvingKey,
  encodeVerifyingKey,
  readSamples,
  statementToJson,
  verifyProofFile,
  writeFileAtomic,
} from '../../src/pipeline/artifacts';
import { compile, quantizeFeeds } from '../../src/pipeline/compile';
import { tensor } from '../../src/model/tensor';
import { keyLagrangeDomains, proverLagrangeDomains, setup, verifierSelectors, verifyingKeyDigest } from '../../src/pipeline/keys';
import { floatOutputs, prove, verify } from '../../src/pipeline/prove-verify';
import { rewriteFile, rewriteHeader, rewriteHeaderText } from '../helpers/artifact-files';
import { DEV_SRS, sampleArtifacts } from '../helpers/sample-artifacts';
import { compilePaddedHiddenModel, compileTwoDomainModel } from '../helpers/two-domain-model';
import { commitLagrange } from '../../src/kzg/commit';
import { fashionImages, modelFile } from '../model/fixtures';
import { tempDir } from '../helpers/temp-dir';

const { onnx, feeds } = await sampleArtifacts();
const dev = DEV_SRS;
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

async function fixture() {
  const { compiled, pk } = await sampleArtifacts();
  return { compiled, pk, keys: { compiled, srs: dev, pk } };
}

test('a compiled model file decodes to the architecture compile() gives, and encodes deterministically', async () => {
  const { compiled } = await fixture();
  assert.deepEqual(architectureDigest(compiled.model), architectureDigest(compile(onnx, [feeds])));
  const bytes = encodeCompiledModel(compiled);
  const loaded = decodeCompiledModel(bytes);
  assert.deepEqual(architectureDigest(loaded.model), architectureDigest(compiled.model));
  assert.deepEqual(encodeArchitecture(loaded.model), encodeArchitecture(compiled.model));
  assert.deepEqual(loaded.model.weights, compiled.model.weights);
  assert.deepEqual(loaded.model.graph.nodes.map((n) => n.block.foldKey), compiled.model.graph.nodes.map((n) => n.block.foldKey));
  assert.deepEqual(encodeCompiledModel(loaded), bytes, 'save(load(file)) is the same file');
  const [pkA, pkB] = await Promise.all([compiled, loaded].map(async (c) => setup(c.model, await openSrs(dev, c.model.srsG1Powers), { seed: 'one key' })));
  assert.equal(hex(pkB.vk.digest), hex(pkA.vk.digest), 'same verifying-key digest (one seed of the weight blinding)');
});

test('a compiled-model file decodes to the architecture compile gives (Fashion MLP, multi-row inputs)', () => {
  const fashion = new Uint8Array(readFileSync(modelFile('fashion-mlp.onnx')));
  const samples = fashionImages().images.slice(0, 4).map((input) => ({ input }));
  const direct = compile(fashion, samples);
  const viaFile = decodeCompiledModel(encodeCompiledModel(compiledModelArtifact(fashion, calibrateOnnx(fashion, samples)))).model;
  assert.deepEqual(viaFile.inputs, direct.inputs);
  assert.deepEqual(viaFile.outputs, direct.outputs);
  assert.deepEqual(architectureDigest(viaFile), architectureDigest(direct));
});

test('proving and verifying key files reopen to the same keys; a proof file round-trips and verifies', async () => {
  const { pk, keys } = await fixture();
  const pkLoaded = await decodeProvingKey(encodeProvingKey(keys));
  assert.equal(hex(pkLoaded.pk.vk.digest), hex(pk.vk.digest));
  const vkLoaded = await decodeVerifyingKey(encodeVerifyingKey({ srs: dev, vk: pk.vk }));
  assert.equal(vkLoaded.vk.insecureSrs, true);
  assert.equal(hex(vkLoaded.vk.digest), hex(pk.vk.digest));

  const { statement, proof } = await prove(pkLoaded.pk, quantizeFeeds(pkLoaded.compiled.model, feeds));
  const file = encodeProof({ verifyingKeyDigest: pk.vk.digest, statement, proof });
  const read = decodeProof(file);
  assert.deepEqual(read.statement, statement);
  assert.equal(hex(read.verifyingKeyDigest), hex(pk.vk.digest));
  const verdict = await verify(vkLoaded.vk, read.statement, read.proof.bytes);
  assert.deepEqual(verdict, { ok: true, outputs: floatOutputs(keys.compiled.model, statement), insecureSrs: true });
});

test('a proving key file cannot be written from a verifier\'s key (its range table without the basis): a typed error, not a TypeError', async () => {
  const { pk, keys } = await fixture();
  const { vk } = await decodeVerifyingKey(encodeVerifyingKey({ srs: dev, vk: pk.vk }));
  assert.ok(vk.kzg.rangeTable && !vk.kzg.rangeTable.prover);
  assert.throws(() => encodeProvingKey({ ...keys, pk: { ...pk, vk } }), (e: unknown) => e instanceof ArtifactError && /needs the range table's basis/.test(e.message));
});

test('truncated, extended, bit-flipped and mislabelled files are typed errors', async () => {
  const { compiled } = await fixture();
  const bytes = encodeCompiledModel(compiled);
  for (const n of [0, 3, 6, 10, bytes.length >> 1, bytes.length - 1])
    assert.throws(() => decodeCompiledModel(bytes.slice(0, n)), ArtifactError, `truncated to ${n} bytes`);
  assert.throws(() => decodeCompiledModel(Uint8Array.from([...bytes, 0])), ArtifactError, 'extended');
  fc.assert(
    fc.property(fc.nat({ max: bytes.length * 8 - 1 }), (bit) => {
      const t = bytes.slice();
      t[bit >> 3] ^= 1 << (bit & 7);
      assert.throws(() => decodeCompiledModel(t), ArtifactError, `bit ${bit}`);
    }),
    { numRuns: 40, seed: 11 },
  );
  assert.throws(() => decodeProof(bytes), /this is a compiled-model file, expected a proof file/);
  assert.throws(() => decodeCompiledModel(new TextEncoder().encode('{"not": "an artifact"}')), /^ArtifactError: not a blockfold file \(expected a compiled-model file: `blockfold compile` makes one from an ONNX model\)$/);
});

test('a verifying key whose commitments, digest, points or architecture do not match is refused', async () => {
  const { pk, keys } = await fixture();
  const vkFile = encodeVerifyingKey({ srs: dev, vk: pk.vk });
  assert.ok(await decodeVerifyingKey(rewriteHeader(vkFile, () => {})), 'rewriting alone keeps the file valid');

  const swapRows = rewriteFile(vkFile, (_h, blobs) => {
    const first = blobs[2].slice(0, 32);
    blobs[2].copyWithin(0, 32, 64);
    blobs[2].set(first, 32);
  });
  await assert.rejects(decodeVerifyingKey(swapRows), /digest does not match/);
  await assert.rejects(decodeVerifyingKey(rewriteHeader(vkFile, (h) => (h.digest = '00'.repeat(32)))), /digest does not match/);
  // Blob 1 ends with [1]₂, [τ]₂ (compressed) and the range table's [Z_S]₁ (uncompressed): the sample MLP's verifier
  // reads no selector commitment.
  assert.equal(verifierSelectors(pk.vk.model.graph).length, 0);
  const zs = (b: Uint8Array) => b.length - 64;
  const otherTau = (label: (h: any) => void) => rewriteFile(vkFile, (h, blobs) => {
    blobs[1].set(blobs[1].subarray(zs(blobs[1]) - 128, zs(blobs[1]) - 64), zs(blobs[1]) - 64);
    label(h);
  });
  // [τ]₂ = [1]₂: not the development seed's, and in the digest whatever the label says (no power checks it).
  await assert.rejects(decodeVerifyingKey(otherTau(() => {})), /does not come from/);
  await assert.rejects(decodeVerifyingKey(otherTau((h) => (h.srs = { kind: 'ptau' }))), /digest does not match/);
  assert.notDeepEqual(verifyingKeyDigest({ ...pk.vk, kzg: { ...pk.vk.kzg, g2Tau: { ...pk.vk.kzg.g2Tau, point: G2_ONE } } }), pk.vk.digest, 'the digest hashes [τ]₂');
  // [Z_S]₁ is bound by the verifying-key digest: another point on the curve is refused, a point off it named.
  const otherZs = rewriteFile(vkFile, (_h, blobs) => blobs[1].set(encodeG1Uncompressed(decodeG1Uncompressed(blobs[1].subarray(zs(blobs[1]))).double()), zs(blobs[1])));
  await assert.rejects(decodeVerifyingKey(otherZs), /digest does not match/);
  await assert.rejects(decodeVerifyingKey(rewriteFile(vkFile, (_h, blobs) => (blobs[1][blobs[1].length - 1] ^= 1))), /\[Z_S\(τ\)\]₁/);
  // A proving key's G1 powers are stored uncompressed: −[τ]₁ is on the curve but not the power the SRS digest covers;
  // y + 1 is off the curve.
  const pkFile = encodeProvingKey(keys);
  const negated = rewriteFile(pkFile, (_h, blobs) => blobs[1].set(encodeG1Uncompressed(decodeG1Uncompressed(blobs[1].subarray(64, 128)).negate()), 64));
  await assert.rejects(decodeProvingKey(negated), /do not have the recorded SRS digest/);
  const offCurve = rewriteFile(pkFile, (_h, blobs) => (blobs[1][127] ^= 1));
  await assert.rejects(decodeProvingKey(offCurve), (e: unknown) => e instanceof ArtifactError && /\[τ\^1\]₁/.test((e as Error).message));
  await assert.rejects(decodeVerifyingKey(rewriteFile(vkFile, (_h, blobs) => blobs.pop())), /holds 3 blobs/);
  // A key of the layout before tables were public polynomials carries a fourth blob (the tables' commitments): refused by name.
  await assert.rejects(decodeVerifyingKey(rewriteFile(vkFile, (_h, blobs) => blobs.push(new Uint8Array(64)))), /written before lookup tables were public polynomials.*run setup again/);
  await assert.rejects(decodeProvingKey(rewriteFile(encodeProvingKey(keys), (_h, blobs) => blobs.push(new Uint8Array(64)))), /written before lookup tables were public polynomials.*run setup again/);
  await assert.rejects(decodeVerifyingKey(rewriteFile(vkFile, (_h, blobs) => (blobs[2] = blobs[2].slice(32)))), /model commitment \(blob 2\) must be/);
  await assert.rejects(decodeVerifyingKey(rewriteHeader(vkFile, (h) => (h.srs.seed = 'another seed'))), /does not come from/);
  await assert.rejects(decodeVerifyingKey(rewriteHeader(vkFile, (h) => (h.model = {}))), /unknown field "model"/);
  await assert.rejects(
    decodeVerifyingKey(rewriteFile(vkFile, (_h, blobs) => blobs[2].fill(0xff, 0, 32))),
    (e: unknown) => e instanceof ArtifactError && /commitment of/.test((e as Error).message),
  );
  await assert.rejects(decodeProvingKey(rewriteHeader(encodeProvingKey(keys), (h) => (h.digest = '11'.repeat(32)))), /digest does not match/);
});

test('writeFileAtomic replaces the file whole and leaves no temporary file', async () => {
  const dir = tempDir('blockfold-artifacts-');
  const file = join(dir, 'a.bin');
  await writeFileAtomic(file, Uint8Array.of(1, 2, 3));
  await writeFileAtomic(file, Uint8Array.of(4, 5));
  assert.deepEqual([...readFileSync(file)], [4, 5]);
  assert.deepEqual(readdirSync(dir), ['a.bin']);
  await assert.rejects(writeFileAtomic(join(dir, 'missing', 'b.bin'), Uint8Array.of(1)), { code: 'ENOENT' });
  assert.deepEqual(readdirSync(dir), ['a.bin']);
});

test('input files: ZKTorch, batch, by-name and list forms; wrong sizes and names are typed errors', () => {
  const inputs = [{ name: 'input', shape: [4] }];
  const zk = readSamples({ input_data: [[1, 2, 3, 4]] }, inputs);
  assert.deepEqual([...zk[0].input.data], [1, 2, 3, 4]);
  const batch = readSamples({ shape: [2, 4], data: [1, 2, 3, 4, 5, 6, 7, 8] }, inputs);
  assert.deepEqual(batch.map((s) => [...s.input.data]), [[1, 2, 3, 4], [5, 6, 7, 8]]);
  assert.deepEqual([...readSamples({ input: [[1, 2], [3, 4]] }, inputs)[0].input.data], [1, 2, 3, 4]);
  assert.equal(readSamples([{ input: [1, 2, 3, 4] }, { input: [0, 0, 0, 0] }], inputs).length, 2);
  for (const bad of [{ input_data: [[1, 2, 3]] }, { input: [1, 2, 3, 'x'] }, { other: [1, 2, 3, 4] }, { shape: [2, 4], data: [1, 2, 3] }, [], 42])
    assert.throws(() => readSamples(bad, inputs), (e: unknown) => e instanceof BlockfoldError && e.code === 'INPUT', JSON.stringify(bad));
  // An input_data of the wrong length says what it holds and what the model takes.
  assert.throws(() => readSamples({ input_data: [[1, 2, 3, 4], [5]] }, inputs), { message: 'input_data holds 2 arrays; the model has 1 input ("input"): give one flat array per input, in that order' });
  assert.throws(() => readSamples({ input_data: 7 }, inputs), { message: /^input_data holds no array; the model has 1 input \("input"\)/ });
});

test('a proof file whose header names a field twice is refused: no statement in the file goes unread (another JSON reader may keep the first where blockfold keeps the last)', async () => {
  const { files, compiled, statement } = await sampleArtifacts();
  const out = compiled.model.outputs[0].id;
  const forged = { ...statementToJson(statement), outputs: { [out]: [['65536', '0', '0', '0']] } };
  // The forged statement first, the proven one second: JSON.parse alone keeps the second and drops the first unread.
  const twice = rewriteHeaderText(files.proof, (json) => json.replace('"statement":', `"statement":${JSON.stringify(forged)},"statement":`));
  assert.throws(() => decodeProof(twice), (e: unknown) => e instanceof ArtifactError && /statement.*twice|twice.*statement/.test((e as Error).message));
  const inner = rewriteHeaderText(files.proof, (json) => json.replace(`"outputs":{"${out}":`, `"outputs":{"${out}":${JSON.stringify(forged.outputs[out])},"${out}":`));
  assert.throws(() => decodeProof(inner), (e: unknown) => e instanceof ArtifactError && /twice/.test((e as Error).message));
});

test('a proof file\'s tensor ids reach error messages quoted, as JSON writes them: no control character of the file is in a message', async () => {
  const { files } = await sampleArtifacts();
  const id = '\r\x1b[2Kaccepted\n';
  for (const edit of [(h: Record<string, any>) => (h.statement.outputs[id] = [['x']]), (h: Record<string, any>) => (h.statement.commitments = { [id]: ['zz'] })])
    assert.throws(
      () => decodeProof(rewriteHeader(files.proof, edit)),
      (e: unknown) => e instanceof ArtifactError && !/[\r\n\x1b]/.test((e as Error).message) && (e as Error).message.includes(JSON.stringify(id)),
    );
});

test("an input file nested deeper than the stack is an InputError naming the input, not a RangeError from flattening it", () => {
  const inputs = [{ name: 'input', shape: [4] }];
  // What JSON.parse makes of "[[[…[1, 2, 3, 4]…]]]" 100,000 levels deep (it parses that depth without recursing).
  let deep: unknown = [1, 2, 3, 4];
  for (let i = 0; i < 100_000; i++) deep = [deep];
  for (const file of [{ input: deep }, { input_data: [deep] }, [{ input: deep }]])
    assert.throws(() => readSamples(file, inputs), (e: unknown) => e instanceof BlockfoldError && e.code === 'INPUT' && /input/.test((e as Error).message));
});

test('a proving key file whose range basis is not its [Z_S]₁’s is refused on reading (a proof made with it would leak the lookup counts to the file’s author); its points are validated', async () => {
  const { pk, keys } = await fixture();
  const file = encodeProvingKey(keys);
  const { kBasis, shiftedVanishing } = pk.vk.kzg.rangeTable!.prover!.basis;
  // Blob 1 ends with [Z_S]₁ and [τ·Z_S]₁ (uncompressed), then the N points [K_v]₁ and the prover's own Lagrange bases (compressed).
  const own = proverLagrangeDomains(keys.compiled.model.graph).filter((n) => !keyLagrangeDomains(keys.compiled.model).includes(n)).reduce((a, n) => a + n, 0);
  const kAt = (b: Uint8Array) => b.length - G1_BYTES * (kBasis.length + own);
  const shiftedAt = (b: Uint8Array) => kAt(b) - G1_UNCOMPRESSED_BYTES;
  const refused = (forged: Uint8Array, what: string) =>
    assert.rejects(decodeProvingKey(forged), (e: unknown) => e instanceof ArtifactError && /the range basis in the file \(65536 points \[K_v\(τ\)\]₁\) is not the one of its/.test((e as Error).message), what);
  // One K point moved (the leak: its count from the pairing residue), every K point negated, and [τ·Z_S]₁ alone moved.
  await refused(rewriteFile(file, (_h, blobs) => blobs[1].set(encodeG1(kBasis[7].add(G1_ONE)), kAt(blobs[1]) + G1_BYTES * 7)), 'one K point moved');
  await refused(rewriteFile(file, (_h, blobs) => kBasis.forEach((p, v) => blobs[1].set(encodeG1(p.negate()), kAt(blobs[1]) + G1_BYTES * v))), 'K basis negated');
  await refused(rewriteFile(file, (_h, blobs) => blobs[1].set(encodeG1Uncompressed(shiftedVanishing.double()), shiftedAt(blobs[1]))), '[τ·Z_S]₁ doubled');
  // Decoding still refuses what is no point, and a blob of the wrong length, with typed errors.
  const offCurve = rewriteFile(file, (_h, blobs) => (blobs[1][shiftedAt(blobs[1]) + G1_UNCOMPRESSED_BYTES - 1] ^= 1));
  await assert.rejects(decodeProvingKey(offCurve), (e: unknown) => e instanceof ArtifactError && /\[τ·Z_S\(τ\)\]₁: G1 point is not on the curve/.test((e as Error).message));
  const noPoint = rewriteFile(file, (_h, blobs) => blobs[1].fill(0xff, kAt(blobs[1]) + G1_BYTES * 5, kAt(blobs[1]) + G1_BYTES * 6));
  await assert.rejects(decodeProvingKey(noPoint), (e: unknown) => e instanceof ArtifactError && /^the range basis \[K_v\(τ\)\]₁: /.test((e as Error).message));
  const truncated = rewriteFile(file, (_h, blobs) => (blobs[1] = blobs[1].subarray(0, blobs[1].length - G1_BYTES)));
  await assert.rejects(decodeProvingKey(truncated), (e: unknown) => e instanceof ArtifactError && /the SRS points \(blob 1\) must be \d+ bytes .* of a range table of 65536 entries/.test((e as Error).message));
});

test('key files hold the Lagrange bases of the input and output domains after the powers: bound by the digest, a proving key\'s checked against its powers, a file without them refused by name', async () => {
  const { pk, keys } = await fixture();
  const graph = keys.compiled.model.graph;
  const domains = keyLagrangeDomains(keys.compiled.model);
  assert.deepEqual([...pk.vk.lagrangeBases.keys()], domains);
  const count = keyG1Powers(graph);
  const points = domains.reduce((a, n) => a + n, 0);
  // A proving key's bases follow its powers; a verifying key holds no powers: its bases come first.
  const at = (i: number, powers = count) => (powers + i) * G1_UNCOMPRESSED_BYTES;
  const vkFile = encodeVerifyingKey({ srs: dev, vk: pk.vk });
  const read = await decodeVerifyingKey(vkFile);
  assert.ok(domains.every((n) => read.vk.lagrangeBases.get(n)!.every((p, i) => p.equals(pk.vk.lagrangeBases.get(n)![i]))));
  // Verifying keys written before held the powers first (the sample MLP's verifier reads no selector commitment, which
  // they did not hold), and before that no bases either: each refused by name.
  const powers = Uint8Array.from(pk.vk.g1Powers.flatMap((p) => [...encodeG1Uncompressed(p)]));
  await assert.rejects(decodeVerifyingKey(rewriteFile(vkFile, (_h, blobs) => (blobs[1] = Uint8Array.from([...powers, ...blobs[1]])))), /written before verifying key files held only the points a verifier reads.*run setup again/);
  const without = (blob: Uint8Array) => Uint8Array.from([...blob.subarray(0, at(0)), ...blob.subarray(at(points))]);
  await assert.rejects(decodeVerifyingKey(rewriteFile(vkFile, (_h, blobs) => (blobs[1] = Uint8Array.from([...powers, ...blobs[1].subarray(at(points, 0))])))), /written before key files held the Lagrange bases.*run setup again/);
  // A proving key of then had neither these nor the prover's own bases, stored compressed at the end.
  const own = proverLagrangeDomains(graph).filter((m) => !domains.includes(m)).reduce((a, m) => a + m, 0);
  const pkWithout = rewriteFile(encodeProvingKey(keys), (_h, blobs) => (blobs[1] = without(blobs[1]).subarray(0, blobs[1].length - points * G1_UNCOMPRESSED_BYTES - own * G1_BYTES)));
  await assert.rejects(decodeProvingKey(pkWithout), /written before key files held the Lagrange bases.*run setup again/);
  assert.ok(own > 0, 'the sample MLP\'s proving key holds bases of its own');
  // Those are in no digest: one moved is refused by the check against the powers; the honest file loads with them all.
  const ownMoved = rewriteFile(encodeProvingKey(keys), (_h, blobs) => {
    const at = blobs[1].length - G1_BYTES;
    blobs[1].set(encodeG1(decodeG1s([blobs[1].slice(at)])[0].double()), at);
  });
  await assert.rejects(decodeProvingKey(ownMoved), /the Lagrange bases in the file are not those of its G1 powers/);
  const loaded = await decodeProvingKey(encodeProvingKey(keys));
  assert.deepEqual([...loaded.pk.lagrangeBases.keys()], proverLagrangeDomains(graph));
  assert.ok([...pk.lagrangeBases].every(([m, b]) => b.every((p, i) => p.equals(loaded.pk.lagrangeBases.get(m)![i]))));
  // A moved basis point: another digest; off the curve: named.
  const moved = (blob: Uint8Array, i: number) => blob.set(encodeG1Uncompressed(decodeG1Uncompressed(blob.subarray(at(i), at(i + 1))).double()), at(i));
  const movedVk = (blob: Uint8Array, i: number) => blob.set(encodeG1Uncompressed(decodeG1Uncompressed(blob.subarray(at(i, 0), at(i + 1, 0))).double()), at(i, 0));
  await assert.rejects(decodeVerifyingKey(rewriteFile(vkFile, (_h, blobs) => movedVk(blobs[1], points - 1))), /digest does not match/);
  await assert.rejects(decodeProvingKey(rewriteFile(encodeProvingKey(keys), (_h, blobs) => moved(blobs[1], points - 1))), /digest does not match/);
  await assert.rejects(decodeVerifyingKey(rewriteFile(vkFile, (_h, blobs) => (blobs[1][at(1, 0) - 1] ^= 1))), (e: unknown) => e instanceof ArtifactError && new RegExp(`\\[L_0\\(τ\\)\\]₁ of H_${domains[0]}: G1 point is not on the curve`).test((e as Error).message));
  // A proving key's author who moves a basis point and recomputes the digest: refused on reading (a prover commits private rows over them).
  const n = domains[0];
  const forgedBases = new Map(pk.vk.lagrangeBases).set(n, pk.vk.lagrangeBases.get(n)!.map((p, i) => (i === 0 ? p.double() : p)));
  const digest = verifyingKeyDigest({ ...pk.vk, lagrangeBases: forgedBases });
  const forged = encodeProvingKey({ ...keys, pk: { ...pk, vk: { ...pk.vk, lagrangeBases: forgedBases, digest } } });
  await assert.rejects(decodeProvingKey(forged), /the Lagrange bases in the file are not those of its G1 powers/);
  // The same forgery as a verifying key reads (its digest is consistent): check-key is what refuses it (test/pipeline/check-key).
  assert.ok(await decodeVerifyingKey(encodeVerifyingKey({ srs: dev, vk: { ...pk.vk, lagrangeBases: forgedBases, digest } })));
});

test('a verifying key file holds the points its verifier reads and no power: a padded hidden layer\'s selector, on a domain of no input or output, comes from the file, bound by the digest; a key without it is not written', async () => {
  const model = compilePaddedHiddenModel();
  const pk = await setup(model, await openSrs(dev, model.srsG1Powers), { seed: 'padded hidden' });
  const [selector] = verifierSelectors(model.graph);
  assert.equal(selector?.digest, 'selector/16/10', 'the hidden rescale reads the selector of H_16\'s first 10 cells');
  assert.ok(!keyLagrangeDomains(model).includes(16), 'on a domain whose basis the key does not hold');
  const file = encodeVerifyingKey({ srs: dev, vk: pk.vk });
  const { vk } = await decodeVerifyingKey(file);
  assert.equal(vk.g1Powers.length, 1, 'the file holds no power but [1]₁');
  assert.equal(vk.kzg.maxDegree, pk.vk.kzg.maxDegree, 'the key keeps the prover\'s degree, which lays out the blocks');
  assert.equal(vk.digest.length, 32);
  assert.deepEqual(vk.digest, pk.vk.digest);
  assert.ok(vk.verifierCommitments.get(selector.digest)!.equals(pk.vk.verifierCommitments.get(selector.digest)!));
  // The commitment is the file's: the key cannot make it from powers, and says why.
  await assert.rejects(commitLagrange(vk.kzg, new Array<bigint>(16).fill(1n)), (e: unknown) => e instanceof SrsError && /a verifier's key/.test((e as Error).message));
  const { statement, proof } = await prove(pk, quantizeFeeds(model, { x: tensor([1, 8], [0.5, -0.25, 0.125, 0.75, 0.25, 0.5, -0.375, 0.125]) }), { seed: 'padded hidden' });
  assert.equal((await verify(vk, statement, proof.bytes)).ok, true, 'a proof verifies with the file\'s key');
  // The commitment is the last point of blob 1: moved, another digest; off the curve, named.
  const last = (blob: Uint8Array) => blob.length - G1_UNCOMPRESSED_BYTES;
  await assert.rejects(decodeVerifyingKey(rewriteFile(file, (_h, blobs) => blobs[1].set(encodeG1Uncompressed(decodeG1Uncompressed(blobs[1].subarray(last(blobs[1]))).double()), last(blobs[1])))), /digest does not match/);
  await assert.rejects(decodeVerifyingKey(rewriteFile(file, (_h, blobs) => (blobs[1][blobs[1].length - 1] ^= 1))), (e: unknown) => e instanceof ArtifactError && /verifier commitment 0/.test((e as Error).message));
  assert.throws(() => encodeVerifyingKey({ srs: dev, vk: { ...pk.vk, verifierCommitments: new Map() } }), (e: unknown) => e instanceof ArtifactError && /no commitment of selector\/16\/10/.test((e as Error).message));
  // A proving key holds the powers and makes the commitment from them: the same key.
  const read = await decodeProvingKey(encodeProvingKey({ compiled: { model }, srs: dev, pk }));
  assert.deepEqual(read.pk.vk.digest, pk.vk.digest);
  // Written again, from the file's key or the proving key file's, a verifying key has the same bytes.
  assert.deepEqual(encodeVerifyingKey({ srs: dev, vk }), file);
  assert.deepEqual(encodeVerifyingKey({ srs: dev, vk: read.pk.vk }), file);
});

test('a key file\'s every Lagrange basis is read into its KZG key, bound by the digest and a proving key\'s each checked (input and output on two domains); a key missing one is not written', async () => {
  const model = compileTwoDomainModel();
  const pk = await setup(model, await openSrs(dev, model.srsG1Powers), { seed: 'two domains' });
  const keys = { compiled: { model }, srs: dev, pk };
  const domains = keyLagrangeDomains(model);
  assert.equal(domains.length, 2);
  // A verifier from the file commits over the file's bases (one MSM of the values), the same commitments as setup's key.
  const read = await decodeVerifyingKey(encodeVerifyingKey({ srs: dev, vk: pk.vk }));
  for (const n of domains) {
    assert.ok(await read.vk.kzg.lagrangeBasis(n), `the read key holds the basis of H_${n}`);
    const values = Array.from({ length: n }, (_, i) => BigInt(3 * i + 1));
    assert.ok((await commitLagrange(read.vk.kzg, values)).equals(await commitLagrange(pk.vk.kzg, values)));
  }
  for (const n of domains) {
    const forgedBases = new Map(pk.vk.lagrangeBases).set(n, pk.vk.lagrangeBases.get(n)!.map((p, i) => (i === n - 1 ? p.add(G1_ONE) : p)));
    // With the honest key's digest, the verifying key file is refused: the digest binds each basis.
    await assert.rejects(decodeVerifyingKey(encodeVerifyingKey({ srs: dev, vk: { ...pk.vk, lagrangeBases: forgedBases } })), /digest does not match/);
    const digest = verifyingKeyDigest({ ...pk.vk, lagrangeBases: forgedBases });
    const forged = encodeProvingKey({ ...keys, pk: { ...pk, vk: { ...pk.vk, lagrangeBases: forgedBases, digest } } });
    await assert.rejects(decodeProvingKey(forged), /the Lagrange bases in the file are not those of its G1 powers/);
  }
  // Written without a basis, a file would read as one from before key files held them: the writer refuses it.
  const missing = new Map(pk.vk.lagrangeBases);
  missing.delete(domains[0]);
  assert.throws(() => encodeVerifyingKey({ srs: dev, vk: { ...pk.vk, lagrangeBases: missing } }), (e: unknown) => e instanceof ArtifactError && new RegExp(`Lagrange basis of H_${domains[0]} .* has 0 points, not ${domains[0]}`).test((e as Error).message));
  const short = new Map(pk.vk.lagrangeBases).set(domains[1], pk.vk.lagrangeBases.get(domains[1])!.slice(1));
  assert.throws(() => encodeProvingKey({ ...keys, pk: { ...pk, vk: { ...pk.vk, lagrangeBases: short } } }), ArtifactError);
  const proverOnly = [...pk.lagrangeBases.keys()].find((n) => !domains.includes(n))!;
  const lacking = new Map(pk.lagrangeBases);
  lacking.delete(proverOnly);
  assert.throws(() => encodeProvingKey({ ...keys, pk: { ...pk, lagrangeBases: lacking } }), (e: unknown) => e instanceof ArtifactError && new RegExp(`Lagrange basis of H_${proverOnly} \\(a domain of the prover\\) has 0 points`).test((e as Error).message));
});

test('a proving key file whose G1 powers are not powers of its [τ]₂\'s τ, or whose τ is a root of unity, is refused on reading (a prover commits private rows over them)', async () => {
  const { pk, keys } = await fixture();
  const count = pk.vk.g1Powers.length;
  const { g2One, g2Tau } = { g2One: pk.vk.kzg.g2One.point, g2Tau: pk.vk.kzg.g2Tau.point };
  /** The proving key with `g1Powers` and `tau2` as its SRS points, its SRS digest and key digest recomputed: a consistent file of a dishonest author. */
  const withPowers = (g1Powers: readonly (typeof G1_ONE)[], tau2: typeof g2Tau) => {
    const srsDigest = new Srs({ g1Powers, g2Powers: [g2One, tau2], power: Math.ceil(Math.log2(count)), insecure: false, name: 'forged' }).digest;
    const kzg = { ...pk.vk.kzg, g2Tau: { ...pk.vk.kzg.g2Tau, point: tau2 } };
    const digest = verifyingKeyDigest({ ...pk.vk, srsDigest, kzg });
    return encodeProvingKey({ ...keys, pk: { ...pk, vk: { ...pk.vk, kzg, g1Powers, srsDigest, digest } } });
  };
  const other = await createInsecureDevSrs(Math.ceil(Math.log2(count)), { seed: 'another τ', g1Powers: count, g2Powers: 2 });
  await assert.rejects(decodeProvingKey(withPowers(other.g1Powers, g2Tau)), /the proving key's G1 powers: G1 powers are not consecutive powers of the τ of \[τ\]₂/);
  // τ = ω_8: consecutive powers of the τ of [τ]₂, but τ^8 = 1, so every Z_H of H_8 or smaller vanishes at τ.
  const omega = rootOfUnity(8);
  const rooted = normalizeZ(G1, await getDefaultEngine().fixedBaseG1(G1_ONE, Array.from({ length: count }, (_, i) => Fr.pow(omega, BigInt(i)))));
  await assert.rejects(decodeProvingKey(withPowers(rooted, G2_ONE.multiply(omega))), /the proving key's G1 powers: τ\^8 = 1: τ is a root of unity/);
  assert.ok(await decodeProvingKey(withPowers(pk.vk.g1Powers, g2Tau)), 'the control: the honest powers, rewritten the same way, read');
});

test('a proving key whose weights are not the committed ones is refused, whatever its digest (issue 12)', async () => {
  const { compiled, pk } = await fixture();
  const weights = compiled.model.weights;
  const id = Object.keys(weights).find((k) => weights[k].length > 1)!;
  // Another model: one weight moved by one unit (small enough that its activations stay in their calibrated ranges).
  const moved = { ...compiled.model, weights: { ...weights, [id]: weights[id].map((row, r) => row.map((v, c) => (r === 0 && c === 0 ? v + 1n : v))) } };
  const other = await setup(moved, await openSrs(dev, compiled.model.srsG1Powers));
  // The other model's commitments and digest, with this model's weights: consistent digest, wrong weights.
  const forged = { ...pk.vk, modelCommitment: other.vk.modelCommitment, digest: other.vk.digest };
  await assert.rejects(decodeProvingKey(encodeProvingKey({ compiled, srs: dev, pk: { ...pk, vk: forged } })), /not the commitment of its weights/);
  // A verifying key holds no weight: with the other model's commitments it is that model's key, and accepts its proofs only.
  const { vk } = await decodeVerifyingKey(encodeVerifyingKey({ srs: dev, vk: forged }));
  const honest = await prove(pk, quantizeFeeds(compiled.model, feeds));
  assert.equal((await verify(vk, honest.statement, honest.proof.bytes)).ok, false, 'a proof of this model is not one of the other');
});

test('key files need no SRS file: they hold the points they use, and a proving key loads without setup', async () => {
  const { pk, keys } = await fixture();
  const file = encodeProvingKey(keys);
  const steps = new Set<string>();
  const loaded = await decodeProvingKey(file, { onProgress: (step) => steps.add(step) });
  assert.deepEqual([...steps].sort(), ['SRS points', 'architecture', 'model commitment', 'range basis']);
  assert.equal(hex(loaded.pk.vk.srsDigest), hex(pk.vk.srsDigest));
  // The key holds the powers its quotients need; the range table's basis, which needs more of the SRS, is held itself.
  assert.equal(loaded.pk.vk.g1Powers.length, keyG1Powers(keys.compiled.model.graph));
  const table = loaded.pk.vk.kzg.rangeTable!;
  assert.ok(table.size + 2 <= keys.compiled.model.srsG1Powers && table.vanishing.point.equals(pk.vk.kzg.rangeTable!.vanishing.point));
  assert.ok(table.prover!.basis.kBasis.every((p, v) => p.equals(pk.vk.kzg.rangeTable!.prover!.basis.kBasis[v])));
  const header = JSON.parse(new TextDecoder().decode(file.subarray(10, 10 + new DataView(file.buffer, file.byteOffset).getUint32(6, true))));
  assert.deepEqual(header.srs, { kind: 'dev', seed: DEV_SEED }, 'no path');
});

test('a proof made for another key is rejected before its statement is parsed; statement integers are capped by the field', async () => {
  const { pk } = await fixture();
  const { statement, proof } = await prove(pk, quantizeFeeds(pk.model, feeds));
  const file = encodeProof({ verifyingKeyDigest: pk.vk.digest, statement, proof });
  const huge = '9'.repeat(5000);
  // Another key's digest and a statement that would cost a lot to parse: the digest decides first.
  const otherKey = rewriteHeader(file, (h) => {
    h.verifyingKeyDigest = '00'.repeat(32);
    h.statement.inputs[Object.keys(h.statement.inputs)[0]][0][0] = huge;
  });
  const r = await verifyProofFile(pk.vk, otherKey);
  assert.equal(r.ok, false);
  assert.match(!r.ok ? r.reason : '', /another verifying key/);
  // The right key, a statement of the wrong size: refused by its sizes, before any integer is parsed.
  const extraRow = rewriteHeader(file, (h) => {
    const rows = h.statement.inputs[Object.keys(h.statement.inputs)[0]];
    rows.push(rows[0].map(() => huge));
  });
  const sized = await verifyProofFile(pk.vk, extraRow);
  assert.match(!sized.ok ? sized.reason : '', /must have \d+ rows of \d+ integers/);
  // Integers beyond the field's signed range are refused, even far below the digit cap.
  const wide = rewriteHeader(file, (h) => (h.statement.inputs[Object.keys(h.statement.inputs)[0]][0][0] = (1n << 254n).toString()));
  assert.throws(() => decodeProof(wide), /outside the field's signed range/);
  assert.throws(() => decodeProof(rewriteHeader(file, (h) => (h.statement.inputs[Object.keys(h.statement.inputs)[0]][0][0] = huge))), /at most 77 digits/);
});

test('setup over an SRS with fewer G1 powers than the model’s range table needs (N + 2) is a typed error naming the table and them', async () => {
  const { compiled } = await fixture();
  const size = rangeTableSize(compiled.model.graph);
  assert.ok(size !== undefined && compiled.model.srsG1Powers >= size + 2, 'the SRS the model asks for holds its range table');
  // Any SRS with N + 2 powers has the basis (a ceremony's computed from its powers, `Srs.rangeBasis`); one power fewer has none.
  const short = (await openSrs(DEV_SRS, compiled.model.srsG1Powers)).truncate(size + 1, 2);
  assert.equal(await short.rangeBasis(size), undefined);
  // The sample MLP range-checks 16 bits: its table has 2^16 entries.
  await assert.rejects(setup(compiled.model, short), (e: unknown) => e instanceof SrsError && /needs 65538 G1 powers of τ \(its range table of 65536 entries needs 65538\), the SRS .* has 65537$/.test((e as Error).message));
});
