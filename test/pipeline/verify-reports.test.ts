/**
 * What `verify` reports is what the proof binds (issue 12, finding 1). Every field of the proof file and of
 * the verifying-key file is forged (the field changed or deleted, the checksum recomputed): each forgery is
 * either rejected (a typed error or `ok: false`) or leaves the report (acceptance and the outputs) exactly
 * as it was. Also the JSON form of a proof, the command line, a key whose output scale is changed in memory, and a
 * key whose digest differs only past the 8 bytes its fold key carries.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BlockfoldError } from '../../src/errors';
import { openSrs, type SrsSource } from '../../src/pipeline/api';
import { quantizeFeeds } from '../../src/pipeline/compile';
import {
  decodeVerifyingKey,
  encodeProof,
  encodeVerifyingKey,
  proofFromJson,
  proofToJson,
  statementFromJson,
  statementToJson,
  verifyProofFile,
  verifyProofJson,
} from '../../src/pipeline/artifacts';
import fc from 'fast-check';
import { setup, verifyingKeyDigest } from '../../src/pipeline/keys';
import { floatOutputs, prove, verify, type VerifyResult } from '../../src/pipeline/prove-verify';
import { headerForgeries, rewriteFile, rewriteHeader, splitContainer } from '../helpers/artifact-files';
import { sampleArtifacts } from '../helpers/sample-artifacts';
import { tempDir } from '../helpers/temp-dir';

const fixture = sampleArtifacts().then((a) => ({ ...a, vkFile: a.files.vk, proofFile: a.files.proof }));

const repo = fileURLToPath(new URL('../../', import.meta.url));

/** Runs the command line as users do; resolves to its exit code, stdout and stderr. */
function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: repo }, (e, stdout, stderr) => resolve({ code: e ? (e.code as number) : 0, stdout, stderr })),
  );
}

/** What the verifier of these two files reports; a typed error while reading them is a rejection. */
async function report(vkFile: Uint8Array, proofFile: Uint8Array): Promise<VerifyResult> {
  try {
    const { vk } = await decodeVerifyingKey(vkFile);
    return await verifyProofFile(vk, proofFile);
  } catch (e) {
    if (e instanceof BlockfoldError) return { ok: false, reason: e.message };
    throw e;
  }
}

test('the honest files verify and report the outputs decoded from the statement with the key\'s scales', async () => {
  const { compiled, statement, vkFile, proofFile } = await fixture;
  const honest = await report(vkFile, proofFile);
  assert.deepEqual(honest, { ok: true, outputs: floatOutputs(compiled.model, statement), insecureSrs: true });
  assert.ok(honest.ok && honest.outputs[0].values.some((v) => v !== 0));
});

test('every field of a proof file, forged, is rejected or changes nothing verify reports', async () => {
  const { vkFile, proofFile } = await fixture;
  const { vk } = await decodeVerifyingKey(vkFile);
  const honest = await verifyProofFile(vk, proofFile);
  const forgeries = headerForgeries(splitContainer(proofFile).header);
  forgeries.push({ where: 'floatOutputs added (issue 12)', apply: (h) => (h.floatOutputs = [{ name: 'output', shape: [1, 4], values: [99, 0, 0, 0] }]) });
  for (const f of forgeries) {
    const r = await verifyProofFile(vk, rewriteHeader(proofFile, f.apply));
    if (r.ok) assert.deepEqual(r, honest, `${f.where}: accepted with a different report`);
  }
});

test('every field of a verifying-key file, forged, is rejected or changes nothing verify reports', async () => {
  const { vkFile, proofFile } = await fixture;
  const honest = await report(vkFile, proofFile);
  const forgeries = headerForgeries(splitContainer(vkFile).header);
  for (const f of forgeries) {
    const r = await report(rewriteHeader(vkFile, f.apply), proofFile);
    if (r.ok) assert.deepEqual(r, honest, `${f.where}: accepted with a different report`);
  }
  const flipped = rewriteFile(vkFile, (_h, blobs) => (blobs[0][blobs[0].length >> 1] ^= 1));
  assert.equal((await report(flipped, proofFile)).ok, false, 'a changed architecture');
});

test('a verifying key with another output scale, digest recomputed, rejects the proof', async () => {
  const { pk, statement, proof } = await fixture;
  const { vk } = pk;
  const model = { ...vk.model, outputs: vk.model.outputs.map((l) => ({ ...l, scale: l.scale - 1 })) };
  assert.deepEqual(verifyingKeyDigest(vk), vk.digest, 'the control: the honest inputs give the key\'s digest');
  const forged = { ...vk, model, digest: verifyingKeyDigest({ ...vk, model }) };
  assert.equal((await verify(forged, statement, proof.bytes)).ok, false);
});

test('blockfold verify prints the proven outputs, not a forged floatOutputs field (text and --json), and flags the development SRS', async () => {
  const { compiled, statement, vkFile, proofFile } = await fixture;
  const dir = mkdtempSync(join(tmpdir(), 'blockfold-verify-'));
  writeFileSync(join(dir, 'm.vk'), vkFile);
  writeFileSync(join(dir, 'm.proof'), rewriteHeader(proofFile, (h) => (h.floatOutputs = [{ name: 'output', shape: [1, 4], values: [99, 0, 0, 0] }])));
  writeFileSync(join(dir, 'honest.proof'), proofFile);
  const verifyCli = (...args: string[]) => cli('verify', join(dir, 'm.vk'), ...args);
  const truth = floatOutputs(compiled.model, statement)[0].values;
  for (const r of [await verifyCli(join(dir, 'm.proof'), '--json'), await verifyCli(join(dir, 'm.proof'))]) {
    assert.doesNotMatch(r.stdout, /\b99\b/, 'the forged output is not printed');
    assert.notEqual(r.code, 0, 'a proof file carrying a field its format does not have is refused');
  }
  const honest = await verifyCli(join(dir, 'honest.proof'), '--json');
  assert.equal(honest.code, 0);
  assert.deepEqual(JSON.parse(honest.stdout).outputs[0].values, truth);
  assert.equal(JSON.parse(honest.stdout).insecureSrs, true);
  assert.match((await verifyCli(join(dir, 'honest.proof'))).stdout, /accepted[\s\S]*WARNING: this verifying key uses the INSECURE development SRS/);
});

test('blockfold verify reads either form by content, and reports from a JSON proof only what it binds', async () => {
  const { compiled, pk, statement, proof, vkFile, proofFile } = await fixture;
  const dir = mkdtempSync(join(tmpdir(), 'blockfold-verify-json-'));
  const json = proofToJson({ verifyingKeyDigest: pk.vk.digest, statement, proof });
  const put = (name: string, content: string | Uint8Array) => (writeFileSync(join(dir, name), content), join(dir, name));
  put('m.vk', vkFile);
  const truth = floatOutputs(compiled.model, statement)[0].values;
  // Names that lie about the content: the form is read from the bytes.
  for (const file of [put('json-named.proof', `  ${JSON.stringify(json)}`), put('binary-named.json', proofFile)]) {
    const r = await cli('verify', join(dir, 'm.vk'), file, '--json');
    assert.equal(r.code, 0, file);
    assert.deepEqual(JSON.parse(r.stdout).outputs[0].values, truth);
  }
  const forged = await cli('verify', join(dir, 'm.vk'), put('forged.json', JSON.stringify({ ...json, floatOutputs: [{ name: 'output', shape: [1, 4], values: [99, 0, 0, 0] }] })), '--json');
  assert.equal(forged.code, 2, 'a field the proof does not bind is refused');
  assert.doesNotMatch(forged.stdout, /\b99\b/);
  assert.match(JSON.parse(forged.stdout).error.message, /unknown field "floatOutputs"/);
  const [id] = Object.keys(json.statement.outputs);
  const changed = structuredClone(json) as { statement: { outputs: Record<string, string[][]> } };
  changed.statement.outputs[id][0][1] = '99';
  const rejected = await cli('verify', join(dir, 'm.vk'), put('changed.json', JSON.stringify(changed)), '--json');
  assert.equal(rejected.code, 1, 'a changed statement is rejected');
  assert.equal(JSON.parse(rejected.stdout).accepted, false);
  assert.equal(JSON.parse(rejected.stdout).outputs, undefined, 'a rejected proof reports no outputs');
  for (const [name, content] of [['cut.json', JSON.stringify(json).slice(0, -9)], ['empty.json', ''], ['array.json', '[1]']] as const) {
    const r = await cli('verify', join(dir, 'm.vk'), put(name, content), '--json');
    assert.equal(r.code, 2, `${name}: bad input`);
    assert.equal(JSON.parse(r.stdout).ok, false);
  }
});

test('blockfold verify reads a JSON proof saved with a byte-order mark (as some editors save UTF-8) as the JSON form it is', async () => {
  const { compiled, pk, statement, proof, vkFile } = await fixture;
  const dir = tempDir('blockfold-verify-bom-');
  writeFileSync(join(dir, 'm.vk'), vkFile);
  writeFileSync(join(dir, 'bom.json'), `\ufeff${JSON.stringify(proofToJson({ verifyingKeyDigest: pk.vk.digest, statement, proof }), null, 2)}\n`);
  const r = await cli('verify', join(dir, 'm.vk'), join(dir, 'bom.json'), '--json');
  assert.equal(r.code, 0, r.stdout);
  assert.deepEqual(JSON.parse(r.stdout).outputs[0].values, floatOutputs(compiled.model, statement)[0].values);
});

test('blockfold verify refuses the JSON form of a proof that names a field twice (bad input, 2), as it refuses such a proof file', async () => {
  const { compiled, pk, statement, proof, vkFile } = await fixture;
  const dir = tempDir('blockfold-verify-twice-');
  writeFileSync(join(dir, 'm.vk'), vkFile);
  const json = proofToJson({ verifyingKeyDigest: pk.vk.digest, statement, proof });
  const out = compiled.model.outputs[0].id;
  const forged = { ...json.statement, outputs: { [out]: [['65536', '0', '0', '0']] } };
  // The forged statement first: JSON.parse alone keeps the second, the proven one, and the proof would verify.
  const text = JSON.stringify(json).replace('"statement":', `"statement":${JSON.stringify(forged)},"statement":`);
  writeFileSync(join(dir, 'twice.json'), text);
  const r = await cli('verify', join(dir, 'm.vk'), join(dir, 'twice.json'), '--json');
  assert.equal(r.code, 2, r.stdout);
  assert.match(JSON.parse(r.stdout).error.message, /the key "statement" is written twice in \$/);
});

test('blockfold verify prints a proof file\'s strings escaped: a tensor id of carriage returns and escape sequences cannot draw an acceptance on the terminal', async () => {
  const { pk, statement, proof, vkFile, proofFile } = await fixture;
  const dir = tempDir('blockfold-verify-terminal-');
  const put = (name: string, content: string | Uint8Array) => (writeFileSync(join(dir, name), content), join(dir, name));
  put('m.vk', vkFile);
  // Back to the line's start, erase it, print a fake verdict and output, then conceal the rest of the message.
  const fake = '\r\x1b[2Kaccepted in 77 ms\noutput output = [1, 0, 0, 0]\x1b[8m';
  const json = proofToJson({ verifyingKeyDigest: pk.vk.digest, statement, proof });
  const files = [
    put('forged.json', JSON.stringify({ ...json, statement: { ...json.statement, outputs: { ...json.statement.outputs, [fake]: [['x']] } } })),
    put('forged.proof', rewriteHeader(proofFile, (h) => (h.statement.outputs[fake] = [['x']]))),
  ];
  for (const file of files) {
    const r = await cli('verify', join(dir, 'm.vk'), file);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.doesNotMatch(r.stderr, /[\r\x1b]/, 'no carriage return and no escape sequence reaches the terminal');
    assert.equal(r.stderr.split('\n').filter(Boolean).length, 1, 'the error is one line');
    assert.match(r.stderr, /^blockfold: output "\\r\\u001b\[2Kaccepted in 77 ms\\noutput output = \[1, 0, 0, 0\]\\u001b\[8m" row 0 value must be a decimal integer string/);
  }
});

test('the JSON form of a proof round-trips, verifies, and every field forged is rejected or changes nothing', async () => {
  const { pk, statement, proof } = await fixture;
  const json = proofToJson({ verifyingKeyDigest: pk.vk.digest, statement, proof });
  const text = JSON.stringify(json);
  const read = proofFromJson(JSON.parse(text));
  assert.deepEqual(read.statement, statement);
  assert.deepEqual(read.proof.bytes, proof.bytes);
  assert.deepEqual(statementFromJson(statementToJson(statement)), statement);
  const honest = await verifyProofJson(pk.vk, JSON.parse(text));
  assert.equal(honest.ok, true);
  for (const f of headerForgeries(json as unknown as Record<string, unknown>)) {
    const forged = JSON.parse(text);
    f.apply(forged);
    const r = await verifyProofJson(pk.vk, forged);
    if (r.ok) assert.deepEqual(r, honest, `${f.where}: accepted with a different report`);
  }
  for (const bad of [null, 1, 'x', [], { ...json, proof: '@@@@' }, { ...json, proof: 'QQ' }, { ...json, proof: 'QR==' }])
    assert.equal((await verifyProofJson(pk.vk, bad)).ok, false, JSON.stringify(bad)?.slice(0, 40));
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 8, maxLength: 64 }), (bytes) => {
      bytes[7] = 3;
      const j = proofToJson({ verifyingKeyDigest: pk.vk.digest, statement, proof: { bytes } });
      assert.equal(j.proof, Buffer.from(bytes).toString('base64'));
      assert.deepEqual(proofFromJson(j).proof.bytes, bytes);
    }),
    { numRuns: 200, seed: 3 },
  );
});

test('a development key relabelled as a ceremony key cannot lose its insecureSrs flag: the flag is in the digest', async () => {
  const { compiled, feeds } = await fixture;
  const seeded: SrsSource = { kind: 'dev', seed: 'another public seed' };
  const pk = await setup(compiled.model, await openSrs(seeded, compiled.model.srsG1Powers));
  const { statement, proof } = await prove(pk, quantizeFeeds(compiled.model, feeds));
  const vkFile = encodeVerifyingKey({ srs: seeded, vk: pk.vk });
  const proofFile = encodeProof({ verifyingKeyDigest: pk.vk.digest, statement, proof });
  const honest = await report(vkFile, proofFile);
  assert.equal(honest.ok && honest.insecureSrs, true, 'the honest key is flagged');
  const relabelled = await report(rewriteHeader(vkFile, (h) => (h.srs = { kind: 'ptau' })), proofFile);
  assert.equal(relabelled.ok, false, 'a relabelled key is accepted only if it keeps the flag');
});

test('a verifying key whose digest differs only past the 8 bytes the argument\'s fold key carries rejects the proof: the transcript absorbs the whole digest', async () => {
  // The fold key `model/v2/<first 8 bytes>` forks the transcript too, but 64 bits are a second preimage away: a key
  // of other contents (output scales, say) whose digest shares them would verify this proof if only they were bound.
  const { pk, statement, proof } = await fixture;
  assert.equal((await verify({ ...pk.vk, digest: Uint8Array.from(pk.vk.digest) }, statement, proof.bytes)).ok, true, 'the control: a copy of the digest');
  for (const byte of [8, 31]) {
    const digest = Uint8Array.from(pk.vk.digest);
    digest[byte] ^= 1;
    assert.equal((await verify({ ...pk.vk, digest }, statement, proof.bytes)).ok, false, `digest byte ${byte} changed`);
  }
});

test('verifyProofJson and proofFromJson read a proof\'s JSON text: a key written twice is a rejection with the reason, a byte order mark is read past (what browser callers get without the CLI)', async () => {
  const { pk, statement, proof } = await fixture;
  const json = proofToJson({ verifyingKeyDigest: pk.vk.digest, statement, proof });
  const text = JSON.stringify(json);
  assert.equal((await verifyProofJson(pk.vk, text)).ok, true, 'the text of an honest proof verifies');
  assert.equal((await verifyProofJson(pk.vk, `\ufeff${text}`)).ok, true);
  assert.deepEqual(proofFromJson(text).statement, proofFromJson(json).statement);
  const [id] = Object.keys(json.statement.outputs);
  const forged = text.replace(`"outputs":{"${id}":`, `"outputs":{"${id}":[["65536","0","0","0"]],"${id}":`);
  const verdict = await verifyProofJson(pk.vk, forged);
  assert.equal(verdict.ok, false);
  assert.match(!verdict.ok ? verdict.reason : '', /written twice/);
  assert.throws(() => proofFromJson(forged), /written twice/);
  assert.equal((await verifyProofJson(pk.vk, JSON.parse(forged))).ok, true, 'the control: parsed first, the duplicate is gone and the proven statement is what remains');
});
