/**
 * The command line, spawned as users run it (`node --import tsx src/cli.ts …`) on the sample MLP: exit
 * codes (0 ok, 1 rejected, 2 bad input or usage), `--json` output, and the whole compile → setup → prove →
 * verify flow through files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeProof, encodeProof } from '../../src/pipeline/artifacts';
import { encodeModel, node, valueInfo } from '../onnx/builder';
import { modelFile, SAMPLE_MLP } from '../model/fixtures';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const model = fileURLToPath(modelFile(SAMPLE_MLP));
const input = fileURLToPath(modelFile('zktorch-sample-mlp.input.json'));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(...args: string[]): Promise<Run> {
  return cliWith({}, ...args);
}

/** Runs the command line with `env` added to the environment. */
function cliWith(env: NodeJS.ProcessEnv, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: repo, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

function json(r: Run): Record<string, any> {
  return JSON.parse(r.stdout);
}

test('--help documents the exit codes; usage errors exit 2', async () => {
  const help = await cli('--help');
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Exit codes:[\s\S]*1 +verification rejected[\s\S]*2 +bad input/);
  assert.equal((await cli('frobnicate')).code, 2);
  assert.equal((await cli('compile', model)).code, 2, 'missing required --input');
  assert.equal((await cli('prove', 'x.pk', '--input', input, '--path', 'sideways')).code, 2);
});

test('inspect --json: block graph and estimates; an unsupported node is named and exits 2', async () => {
  const r = await cli('inspect', model, '--input', input, '--json');
  assert.equal(r.code, 0, r.stderr);
  const out = json(r);
  assert.equal(out.ok, true);
  assert.ok(out.inspection.compiled.srsG1Powers > 0);
  assert.ok(out.inspection.compiled.estimate.proofBytes.direct > 0);

  const dir = mkdtempSync(join(tmpdir(), 'blockfold-cli-'));
  const bad = join(dir, 'bad.onnx');
  writeFileSync(
    bad,
    encodeModel({ inputs: [valueInfo('x', [1, 4])], outputs: [valueInfo('y', [1, 4])], nodes: [node('Hardmax', ['x'], ['y'], [], 'the_hardmax')] }),
  );
  const u = await cli('inspect', bad);
  assert.equal(u.code, 2);
  assert.match(u.stdout, /node "the_hardmax" \(Hardmax\)/);
  const missing = await cli('inspect', join(dir, 'nope.onnx'), '--json');
  assert.equal(missing.code, 2);
  assert.equal(json(missing).error.code, 'ENOENT');
});

test('compile → setup → prove → verify through files; a changed output is rejected (1), a corrupted file is bad input (2)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'blockfold-cli-'));
  const f = (name: string) => join(dir, name);
  const c = await cli('compile', model, '--input', input, '-o', f('m.bfm'), '--json');
  assert.equal(c.code, 0, c.stderr);
  assert.equal(json(c).file, f('m.bfm'));
  const s = await cli('setup', f('m.bfm'), '--dev-srs', '--pk', f('m.pk'), '--vk', f('m.vk'), '--json');
  assert.equal(s.code, 0, s.stderr);
  assert.equal(json(s).insecureSrs, true);
  assert.match(json(s).verifyingKeyDigest, /^[0-9a-f]{64}$/);
  const p = await cli('prove', f('m.pk'), '--input', input, '-o', f('m.proof'), '--json');
  assert.equal(p.code, 0, p.stderr);
  assert.equal(json(p).outputs[0].values.length, 4);
  const v = await cli('verify', f('m.vk'), f('m.proof'), '--json');
  assert.equal(v.code, 0, v.stderr);
  assert.equal(json(v).accepted, true);

  const proof = decodeProof(readFileSync(f('m.proof')));
  const [id] = Object.keys(proof.statement.outputs);
  const changed = { ...proof.statement.outputs, [id]: proof.statement.outputs[id].map((row) => row.map((x, i) => (i === 0 ? x + 1n : x))) };
  writeFileSync(f('changed.proof'), encodeProof({ ...proof, statement: { ...proof.statement, outputs: changed } }));
  const rejected = await cli('verify', f('m.vk'), f('changed.proof'), '--json');
  assert.equal(rejected.code, 1);
  assert.equal(json(rejected).accepted, false);
  assert.equal(json(rejected).ok, false);

  const bytes = readFileSync(f('m.proof'));
  writeFileSync(f('cut.proof'), bytes.subarray(0, bytes.length - 5));
  const cut = await cli('verify', f('m.vk'), f('cut.proof'), '--json');
  assert.equal(cut.code, 2);
  assert.equal(json(cut).error.code, 'ENCODING');
  assert.match(json(cut).error.message, /truncated or corrupted/);
  assert.equal((await cli('verify', f('m.proof'), f('m.proof'))).code, 2, 'a proof given as the verifying key');
});

test('demo --json proves and verifies the sample MLP with timings and proof size', async () => {
  const r = await cli('demo', '--json');
  assert.equal(r.code, 0, r.stderr);
  const { demo } = json(r);
  assert.equal(demo.accepted, true);
  assert.ok(demo.proofBytes > 0);
  for (const step of ['compile', 'setup']) assert.ok(demo.seconds[step] > 0);
  assert.equal(demo.seconds.prove.length, 1);
  assert.equal((await cli('demo', '--model', 'no-such-model')).code, 2);
});

test('demo: a missing bundled model is bad input (2) whose message names BLOCKFOLD_MODELS', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'blockfold-cli-'));
  const r = await cliWith({ BLOCKFOLD_MODELS: empty }, 'demo', '--json');
  assert.equal(r.code, 2, r.stderr);
  assert.equal(json(r).error.code, 'INPUT');
  assert.match(json(r).error.message, /zktorch-sample-mlp\.onnx not found .*BLOCKFOLD_MODELS/);
  const text = await cliWith({ BLOCKFOLD_MODELS: empty }, 'demo', '--model', 'fashion-mlp');
  assert.equal(text.code, 2);
  assert.match(text.stderr, /fashion-mlp\.onnx not found .*BLOCKFOLD_MODELS/);
});
