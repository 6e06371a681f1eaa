/**
 * Visibility flags of the command line on the sample MLP: `compile --private-input/--hashed-input/--private-output`
 * round-trip through the compiled model and key files; `verify --json` reports commitments and digests, never the
 * values of private tensors; `verify --input` accepts the hashed input's values and rejects (1) others; unknown
 * names and conflicting flags are usage errors (2).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeCompiledModel, decodeProof, decodeVerifyingKey } from '../../src/pipeline/artifacts';
import { quantizeFeeds } from '../../src/pipeline/compile';
import { tensor } from '../../src/model/tensor';
import { modelFile, SAMPLE_MLP } from '../model/fixtures';
import { tempDir } from '../helpers/temp-dir';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const model = fileURLToPath(modelFile(SAMPLE_MLP));
const input = fileURLToPath(modelFile('zktorch-sample-mlp.input.json'));

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: repo }, (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr }));
  });
}

/** compile (with `flags`) → setup → prove into a fresh folder; the paths of its files. */
async function flow(flags: string[]) {
  const dir = tempDir('blockfold-visibility-');
  const f = (name: string) => join(dir, name);
  const c = await cli('compile', model, '--input', input, '-o', f('m.bfm'), ...flags, '--json');
  assert.equal(c.code, 0, c.stderr);
  assert.equal((await cli('setup', f('m.bfm'), '--dev-srs', '--pk', f('m.pk'), '--vk', f('m.vk'))).code, 0);
  const p = await cli('prove', f('m.pk'), '--input', input, '-o', f('m.proof'), '--json');
  assert.equal(p.code, 0, p.stderr);
  return { f, compiled: JSON.parse(c.stdout), proved: JSON.parse(p.stdout) };
}

test('private input and output: the flags reach the key files; prove and verify --json report commitments, never the values', async () => {
  const { f, compiled, proved } = await flow(['--private-input', 'input', '--private-output', 'output']);
  assert.deepEqual(compiled.visibility, { inputs: { input: 'private' }, outputs: { output: 'private' } });
  const text = await cli('compile', model, '--input', input, '-o', f('again.bfm'), '--private-input', 'input');
  assert.match(text.stdout, /visibility: input input \(private\); every other input and output public/);
  const bfm = decodeCompiledModel(readFileSync(f('m.bfm'))).model;
  const { vk } = await decodeVerifyingKey(readFileSync(f('m.vk')));
  assert.deepEqual([bfm.inputs[0].visibility, vk.model.inputs[0].visibility, vk.model.outputs[0].visibility], ['private', 'private', 'private']);
  const v = await cli('verify', f('m.vk'), f('m.proof'), '--json');
  assert.equal(v.code, 0, v.stderr);
  const report = JSON.parse(v.stdout);
  assert.deepEqual(report.outputs, []);
  assert.deepEqual(report.hidden.map((h: { name: string; visibility: string; commitments: string[] }) => [h.name, h.visibility, h.commitments.length]), [['input', 'private', 1], ['output', 'private', 1]]);
  assert.deepEqual(proved.hidden, report.hidden, 'prove reports what verify reports');
  const statement = decodeProof(readFileSync(f('m.proof'))).statement;
  assert.deepEqual([statement.inputs, statement.outputs], [{}, {}]);
  // No value of the input in what verify prints: its integers (text and JSON), its floats (JSON but the timing).
  const json = JSON.parse(readFileSync(input, 'utf8')) as { input_data: number[][] };
  const q = quantizeFeeds(vk.model, { input: tensor([4], json.input_data[0]) })[vk.model.inputs[0].id].flat();
  // Searched as whole numbers outside hex strings and timings: a commitment's hex, or a timing on a loaded machine,
  // holds any run of digits by chance (this test once failed on an "8520" that was no value).
  const printed = (out: string, x: number | bigint) =>
    new RegExp(`(^|[^0-9.])${String(x).replace('.', '\\.')}([^0-9]|$)`).test(out.replace(/[0-9a-f]{16,}/g, '#').replace(/\d+(\.\d+)? (ms|s)\b/g, '#'));
  const { seconds: _seconds, ...untimed } = report;
  for (const out of [JSON.stringify(untimed), (await cli('verify', f('m.vk'), f('m.proof'))).stdout]) for (const x of q) assert.ok(!printed(out, x), `${x} printed`);
  for (const x of json.input_data[0]) assert.ok(!printed(JSON.stringify(untimed), x), `${x} printed`);
  assert.match((await cli('verify', f('m.vk'), f('m.proof'))).stdout, /input input \(private\): 1 row commitment\(s\) [0-9a-f]{64}\noutput output \(private\)/);
});

test('hashed input: verify --input accepts the proven input and rejects (1) another one; without hashed inputs --input is bad input (2)', async () => {
  const { f } = await flow(['--hashed-input', 'input']);
  const plain = await cli('verify', f('m.vk'), f('m.proof'), '--json');
  const [hashed] = JSON.parse(plain.stdout).hidden;
  assert.match(hashed.digest, /^[0-9a-f]{64}$/);
  const ok = await cli('verify', f('m.vk'), f('m.proof'), '--input', input, '--json');
  assert.equal(ok.code, 0, ok.stdout);
  assert.equal(JSON.parse(ok.stdout).hidden[0].digest, hashed.digest);
  const json = JSON.parse(readFileSync(input, 'utf8')) as { input_data: number[][] };
  writeFileSync(f('other.json'), JSON.stringify({ input_data: [json.input_data[0].map((x, i) => (i === 0 ? x / 2 : x))] }));
  const other = await cli('verify', f('m.vk'), f('m.proof'), '--input', f('other.json'), '--json');
  assert.equal(other.code, 1);
  assert.match(JSON.parse(other.stdout).reason, /hashed input "input" is not the given input/);
  const pub = await flow([]);
  const none = await cli('verify', pub.f('m.vk'), pub.f('m.proof'), '--input', input, '--json');
  assert.equal(none.code, 2);
  assert.match(JSON.parse(none.stdout).error.message, /no hashed input/);
});

test('compile: an unknown input or output name, or one name given two visibilities, is bad input (2)', async () => {
  const dir = tempDir('blockfold-visibility-');
  const run = (...flags: string[]) => cli('compile', model, '--input', input, '-o', join(dir, 'x.bfm'), ...flags, '--json');
  const unknown = await run('--private-input', 'picture');
  assert.equal(unknown.code, 2);
  assert.match(JSON.parse(unknown.stdout).error.message, /no input "picture" \(inputs: input\)/);
  const output = await run('--private-output', 'logits');
  assert.equal(output.code, 2);
  assert.match(JSON.parse(output.stdout).error.message, /no output "logits" \(outputs: output\)/);
  const both = await run('--private-input', 'input', '--hashed-input', 'input');
  assert.equal(both.code, 2);
  assert.match(JSON.parse(both.stdout).error.message, /input "input" is given two visibilities/);
});
