/**
 * The command line, spawned as users run it (`node --import tsx src/cli.ts …`) on the sample MLP: exit
 * codes (0 ok, 1 rejected, 2 bad input or usage), `--json` output (also for usage errors), validation of
 * every option value and output path, the whole compile → setup → prove → verify flow through files, and
 * `prepare-range` on a ceremony fixture.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeProof, encodeProof, writeFileAtomic } from '../../src/pipeline/artifacts';
import { openSrs } from '../../src/pipeline/api';
import { rangeBasisSrsDigest, readPtauFile } from '../../src/srs/index';
import { encodeModel, node, valueInfo } from '../onnx/builder';
import { modelFile, SAMPLE_MLP } from '../model/fixtures';
import { tempDir } from '../helpers/temp-dir';


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
  assert.match(help.stdout, /Exit codes:[\s\S]*1 +verification rejected[\s\S]*2 +bad input[\s\S]*130, 143 +interrupted/);
  assert.match(help.stdout, /BLOCKFOLD_WORKERS=<n> +MSM worker threads/, 'the environment variable is documented');
  assert.match(help.stdout, /BLOCKFOLD_DEV_SRS_CACHE=<dir> +where --dev-srs keeps/, 'so is the development SRS cache');
  assert.match(help.stdout, /1 +verification rejected the proof \(check-key: the key's SRS material is not the given SRS's\)/, "check-key's exit 1 is documented");
  assert.equal((await cli('frobnicate')).code, 2);
  assert.equal((await cli('compile', model)).code, 2, 'missing required --input');
  assert.equal((await cli('prove', 'x.pk', '--input', input, '--path', 'folded')).code, 2);
});

test('inspect --json: block graph and estimates; an unsupported node is named and exits 2', async () => {
  const r = await cli('inspect', model, '--input', input, '--json');
  assert.equal(r.code, 0, r.stderr);
  const out = json(r);
  assert.equal(out.ok, true);
  assert.ok(out.inspection.compiled.srsG1Powers > 0);
  assert.ok(out.inspection.compiled.estimate.proofBytes.proof > 0);

  const dir = tempDir('blockfold-cli-');
  const bad = join(dir, 'bad.onnx');
  writeFileSync(
    bad,
    encodeModel({ inputs: [valueInfo('x', [1, 4])], outputs: [valueInfo('y', [1, 4])], nodes: [node('NonMaxSuppression', ['x'], ['y'], [], 'the_nms')] }),
  );
  const u = await cli('inspect', bad);
  assert.equal(u.code, 2);
  assert.match(u.stdout, /^ {2}node "the_nms" \(NonMaxSuppression\): op is not supported$/m, 'the node and op are named once');
  const missing = await cli('inspect', join(dir, 'nope.onnx'), '--json');
  assert.equal(missing.code, 2);
  assert.deepEqual(json(missing).error, { code: 'INPUT', message: `the ONNX model ${join(dir, 'nope.onnx')} does not exist` });
});

test('checkInputFiles: a missing file given to any command is bad input (2) naming the file and its role, never a raw ENOENT', async () => {
  const dir = tempDir('blockfold-cli-');
  const gone = join(dir, 'gone.x');
  const out = (name: string) => join(dir, name);
  // Every file option of every command, the other files present (any existing file: the check comes before reading).
  const cases: [string[], string][] = [
    [['inspect', gone], 'the ONNX model'],
    [['inspect', model, '-i', gone], 'the calibration samples file'],
    [['compile', gone, '-i', input, '-o', out('a.bfm')], 'the ONNX model'],
    [['compile', model, '-i', gone, '-o', out('a.bfm')], 'the calibration samples file'],
    [['setup', gone, '--dev-srs', '--pk', out('a.pk'), '--vk', out('a.vk')], 'the compiled model'],
    [['setup', model, '--ptau', gone, '--pk', out('a.pk'), '--vk', out('a.vk')], 'the powers-of-tau file'],
    [['setup', model, '--ptau', input, '--range-basis', gone, '--pk', out('a.pk'), '--vk', out('a.vk')], 'the range-basis file'],
    [['prepare-range', gone, '--size', '4', '-o', out('a.bin')], 'the powers-of-tau file'],
    [['prove', gone, '-i', input, '-o', out('a.proof')], 'the proving key'],
    [['prove', model, '-i', gone, '-o', out('a.proof')], 'the input file'],
    [['verify', gone, model], 'the verifying key'],
    [['verify', model, gone], 'the proof file'],
    [['verify', model, input, '-i', gone], 'the hashed inputs file'],
    [['check-key', gone, '--dev-srs'], 'the verifying key'],
    [['check-key', model, '--ptau', gone], 'the powers-of-tau file'],
  ];
  for (const [args, role] of cases) {
    const r = await cli(...args, '--json');
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.deepEqual(json(r).error, { code: 'INPUT', message: `${role} ${gone} does not exist` }, args.join(' '));
  }
  const plain = await cli('verify', model, gone);
  assert.equal(plain.stderr, `blockfold: the proof file ${gone} does not exist\n`, 'without --json: the message alone, no errno');
  const folder = await cli('verify', model, dir, '--json');
  assert.deepEqual([folder.code, json(folder).error.message], [2, `the proof file ${dir} is a folder, not a file`]);
});

test('--input-shape (repeatable) sets symbolic dimensions for inspect and compile; without it they are 1, with a warning', async () => {
  const dir = tempDir('blockfold-cli-');
  const file = join(dir, 'batch.onnx');
  writeFileSync(file, encodeModel({ inputs: [valueInfo('x', ['batch', 4])], outputs: [valueInfo('y', ['batch', 4])], nodes: [node('Relu', ['x'], ['y'], [], 'relu')] }));
  const defaulted = json(await cli('inspect', file, '--json'));
  assert.match(defaulted.inspection.warnings[0], /dimension 0 \("batch"\) set to 1/);
  const given = await cli('inspect', file, '--input-shape', 'x=3,4', '--json');
  assert.equal(given.code, 0, given.stderr);
  assert.deepEqual(json(given).inspection.warnings, []);
  const samples = join(dir, 'samples.json');
  writeFileSync(samples, JSON.stringify({ x: Array.from({ length: 12 }, (_, i) => i / 12 - 0.5) }));
  const compiled = await cli('compile', file, '--input', samples, '--input-shape', 'x=3,4', '-o', join(dir, 'batch.bfm'), '--json');
  assert.equal(compiled.code, 0, compiled.stderr);
  assert.deepEqual(json(compiled).warnings, []);
  for (const bad of ['x=3,a', 'x', 'x=0,4', 'y=3,4 ']) {
    const r = await cli('inspect', file, '--input-shape', bad);
    assert.equal(r.code, 2, `--input-shape ${bad}`);
  }
  const twice = await cli('inspect', file, '--input-shape', 'x=3,4', '--input-shape', 'x=2,4');
  assert.equal(twice.code, 2);
});

test('an input whose length is off only in a symbolic batch dimension names the --input-shape that fits (compile, inspect) or says to compile with it (prove)', async () => {
  const dir = tempDir('blockfold-cli-');
  const f = (name: string) => join(dir, name);
  const relu = (dims: (string | number)[]) => encodeModel({ inputs: [valueInfo('x', dims)], outputs: [valueInfo('y', dims)], nodes: [node('Relu', ['x'], ['y'], [], 'relu')] });
  writeFileSync(f('batch.onnx'), relu(['batch', 4]));
  writeFileSync(f('fixed.onnx'), relu([1, 4]));
  const values = (n: number) => Array.from({ length: n }, (_, i) => i / n - 0.5);
  writeFileSync(f('three.json'), JSON.stringify({ x: values(12) }));
  writeFileSync(f('one.json'), JSON.stringify({ x: values(4) }));
  const several = await cli('compile', f('batch.onnx'), '-i', f('three.json'), '-o', f('b.bfm'), '--json');
  assert.equal(several.code, 2);
  assert.deepEqual(json(several).error, {
    code: 'INPUT',
    message: 'input "x": the input file has 12 values, the input of shape [1, 4] needs 4; these values make the shape [3, 4]: pass --input-shape x=3,4 (the input\'s dimension 0, "batch", is symbolic: the option sets it)',
  });
  assert.equal((await cli('compile', f('batch.onnx'), '-i', f('three.json'), '-o', f('b.bfm'), '--input-shape', 'x=3,4')).code, 0, 'the hint, followed, compiles');
  const converse = await cli('inspect', f('batch.onnx'), '-i', f('one.json'), '--input-shape', 'x=3,4');
  assert.equal(converse.code, 2);
  assert.match(converse.stderr, /the input of shape \[3, 4\] needs 12; these values make the shape \[1, 4\]: pass --input-shape x=1,4 /);
  const fixed = await cli('compile', f('fixed.onnx'), '-i', f('three.json'), '-o', f('x.bfm'));
  assert.equal(fixed.code, 2);
  assert.doesNotMatch(fixed.stderr, /--input-shape/, 'a fixed dimension: the option cannot change it');
  assert.equal((await cli('compile', f('batch.onnx'), '-i', f('one.json'), '-o', f('one.bfm'))).code, 0);
  assert.equal((await cli('setup', f('one.bfm'), '--dev-srs', '--pk', f('one.pk'), '--vk', f('one.vk'))).code, 0);
  const proved = await cli('prove', f('one.pk'), '-i', f('three.json'), '-o', f('one.proof'));
  assert.equal(proved.code, 2);
  assert.match(proved.stderr, /these values make the shape \[3, 4\]: the model was compiled for \[1, 4\]; if its dimension 0 is symbolic, compile it again with --input-shape x=3,4\n$/);
});

test('compile → setup → prove → verify through files; a changed output is rejected (1), a corrupted file is bad input (2)', async () => {
  const dir = tempDir('blockfold-cli-');
  const f = (name: string) => join(dir, name);
  const c = await cli('compile', model, '--input', input, '-o', f('m.bfm'), '--json');
  assert.equal(c.code, 0, c.stderr);
  assert.equal(json(c).file, f('m.bfm'));
  const s = await cli('setup', f('m.bfm'), '--dev-srs', '--pk', f('m.pk'), '--vk', f('m.vk'), '--json');
  assert.equal(s.code, 0, s.stderr);
  assert.equal(json(s).insecureSrs, true);
  assert.match(json(s).verifyingKeyDigest, /^[0-9a-f]{64}$/);
  const p = await cli('prove', f('m.pk'), '--input', input, '--seed', 'cli', '-o', f('m.proof'), '--json');
  assert.equal(p.code, 0, p.stderr);
  assert.equal(json(p).outputs[0].values.length, 4);
  assert.deepEqual([json(p).sample, json(p).samples], [0, 1]);
  // inspect's proof size: exact ("=") when calibrated on the samples the model is compiled on, a real proof's length;
  // "≈" on its synthetic input, whose scales may make another model.
  const written = decodeProof(readFileSync(f('m.proof')));
  const { length } = written.proof.bytes;
  assert.equal(json(p).proofBytes, length);
  // --json's statement: by the ONNX names of the key, the internal ids beside them.
  const named = json(p).statement;
  assert.deepEqual([Object.keys(named.inputs), Object.keys(named.outputs)], [['input'], ['output']]);
  assert.deepEqual(named.outputs.output.rows, written.statement.outputs[named.outputs.output.id].map((r) => r.map(String)));
  const exact = await cli('inspect', model, '--input', input);
  assert.match(exact.stdout, new RegExp(`^  proof  = ${length} bytes .*\\n +exact for this model compiled on these samples`, 'm'));
  assert.match((await cli('inspect', model)).stdout, /^  proof  ≈ \d+ bytes .*\n +exact only for a model calibrated on the synthetic input/m);
  const one = await cli('prove', f('m.pk'), '--input', input, '-o', f('one.proof'));
  assert.equal(one.code, 0, one.stderr);
  assert.doesNotMatch(one.stdout, /^input: sample/m, 'one sample: nothing to choose');
  writeFileSync(f('three.json'), JSON.stringify([1, 0.5, 0.8].map((k) => ({ input: [0.09, 0.13, 0.24, 0.05].map((x) => x * k) }))));
  const picked = await cli('prove', f('m.pk'), '--input', f('three.json'), '--sample', '2', '-o', f('two.proof'));
  assert.equal(picked.code, 0, picked.stderr);
  assert.match(picked.stdout, /^input: sample 2 of the 3 in .*three\.json \(--sample <n> picks another\)$/m, 'a file of several samples: the one proven is named');
  const v = await cli('verify', f('m.vk'), f('m.proof'), '--json');
  assert.equal(v.code, 0, v.stderr);
  assert.equal(json(v).accepted, true);
  const threaded = await cli('prove', f('m.pk'), '--input', input, '--seed', 'cli', '--threads', '2', '-o', f('threads.proof'));
  assert.equal(threaded.code, 0, threaded.stderr);
  assert.ok(readFileSync(f('threads.proof')).equals(readFileSync(f('m.proof'))), 'with one --seed, --threads 2 writes the same proof, byte for byte');
  const pj = await cli('prove', f('m.pk'), '--input', input, '--format', 'json', '-o', f('m.proof.json'), '--json');
  assert.equal(pj.code, 0, pj.stderr);
  assert.equal(JSON.parse(readFileSync(f('m.proof.json'), 'utf8')).format, 'blockfold/proof+json', 'prove --format json writes the JSON form');
  assert.deepEqual(json(await cli('verify', f('m.vk'), f('m.proof.json'), '--json')).outputs, json(v).outputs);
  assert.equal((await cli('prove', f('m.pk'), '--input', input, '--format', 'xml', '-o', f('x'))).code, 2, 'an unknown format is a usage error');

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
});

test('demo: a missing bundled model is bad input (2) whose message names BLOCKFOLD_MODELS', async () => {
  const empty = tempDir('blockfold-cli-');
  const r = await cliWith({ BLOCKFOLD_MODELS: empty }, 'demo', '--json');
  assert.equal(r.code, 2, r.stderr);
  assert.equal(json(r).error.code, 'INPUT');
  assert.match(json(r).error.message, /zktorch-sample-mlp\.onnx not found .*BLOCKFOLD_MODELS/);
  const text = await cliWith({ BLOCKFOLD_MODELS: empty }, 'demo', '--model', 'fashion-mlp');
  assert.equal(text.code, 2);
  assert.match(text.stderr, /fashion-mlp\.onnx not found .*BLOCKFOLD_MODELS/);
  assert.match(text.stderr, /\(the package ships the sample MLP only\)/, 'the Fashion-MNIST models are not called bundled');
  assert.doesNotMatch(text.stderr, /bundled/);
});

test('--version prints the package version', async () => {
  const r = await cli('--version');
  assert.equal(r.code, 0);
  assert.equal(r.stdout.trim(), JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).version);
});

test('every option value is validated: a message naming the option, exit 2, and a --json error object', async () => {
  const cases: [string[], RegExp][] = [
    [['prove', 'x.pk', '-i', input, '--threads', '-1'], /--threads <n>' argument '-1' is invalid. expected an integer from 0 to 256/],
    [['prove', 'x.pk', '-i', input, '--threads', 'abc'], /--threads <n>' argument 'abc' is invalid/],
    [['prove', 'x.pk', '-i', input, '--threads', '1.5'], /--threads <n>' argument '1.5' is invalid/],
    [['prove', 'x.pk', '-i', input, '--sample', '-2'], /--sample <n>' argument '-2' is invalid/],
    [['compile', model, '-i', input, '--margin', 'abc'], /--margin <factor>' argument 'abc' is invalid. expected a number from 1 to 65536/],
    [['compile', model, '-i', input, '--margin', '-1'], /--margin <factor>' argument '-1' is invalid/],
    [['compile', model, '-i', input, '--margin', '1e300'], /--margin <factor>' argument '1e300' is invalid/],
    [['compile', model, '-i', input, '--activation-bits', 'x'], /--activation-bits <n>' argument 'x' is invalid/],
    [['bench', '--runs', '0'], /--runs <n>' argument '0' is invalid/],
    [['demo', '--model', 'no-such-model'], /argument 'no-such-model' is invalid. Allowed choices are sample-mlp, fashion-mlp/],
  ];
  for (const [args, message] of cases) {
    // One run shows both: the message on stderr, the JSON object on stdout.
    const j = await cli(...args, '--json');
    assert.equal(j.code, 2, args.join(' '));
    assert.match(j.stderr, message);
    assert.deepEqual({ ...json(j), error: { ...json(j).error, message: '' } }, { ok: false, exitCode: 2, error: { code: 'USAGE', message: '' } });
    assert.match(json(j).error.message, message);
  }
  const env = await cliWith({ BLOCKFOLD_WORKERS: 'many' }, 'demo', '--json');
  assert.equal(env.code, 2);
  assert.match(json(env).error.message, /BLOCKFOLD_WORKERS=many: expected an integer/);
  const engine = await cliWith({ BLOCKFOLD_ENGINE: 'gpu' }, 'demo', '--json');
  assert.equal(engine.code, 2);
  assert.match(json(engine).error.message, /BLOCKFOLD_ENGINE=gpu: expected one of wasm, reference/);
});

test('setup --dev-srs takes no value (the model file after it is the model); --dev-srs-seed sets the seed; --ptau and --dev-srs conflict; check-key tells the two keys\' SRSes apart', async () => {
  const dir = tempDir('blockfold-cli-');
  const f = (name: string) => join(dir, name);
  assert.equal((await cli('compile', model, '--input', input, '-o', f('m.bfm'))).code, 0);
  const plain = await cli('setup', '--dev-srs', f('m.bfm'), '--pk', f('a.pk'), '--vk', f('a.vk'), '--json');
  assert.equal(plain.code, 0, plain.stderr);
  const seeded = await cli('setup', '--dev-srs-seed', 'other', f('m.bfm'), '--pk', f('b.pk'), '--vk', f('b.vk'), '--json');
  assert.equal(seeded.code, 0, seeded.stderr);
  assert.equal(json(seeded).insecureSrs, true);
  assert.notEqual(json(seeded).verifyingKeyDigest, json(plain).verifyingKeyDigest, 'another seed is another SRS');
  // check-key: each key is its own SRS's, not the other's (exit 1, as a rejected proof).
  const own = await cli('check-key', f('a.vk'), '--dev-srs', '--json');
  assert.equal(own.code, 0, own.stderr);
  assert.equal(json(own).ok, true);
  // The text names everything checked: the SRS digest, [1]₂ and [τ]₂, the range table's [Z_S(τ)]₁, the Lagrange bases (and the verifier commitments, which this model has none of).
  assert.match((await cli('check-key', f('a.vk'), '--dev-srs')).stdout, /^the key's SRS digest, \[1\]₂ and \[τ\]₂, its range table's \[Z_S\(τ\)\]₁ \(\d+ entries\) and its Lagrange bases of H_\d+(, H_\d+)* are this SRS's \(checked in /);
  const otherSeed = await cli('check-key', f('b.vk'), '--dev-srs');
  assert.equal(otherSeed.code, 1, otherSeed.stderr);
  assert.match(otherSeed.stdout, /REJECTED: the key's SRS digest is [0-9a-f]{64}; the first \d+ G1 and 2 G2 powers of .* have [0-9a-f]{64}/);
  assert.equal((await cli('check-key', f('b.vk'), '--dev-srs-seed', 'other')).code, 0);
  const both = await cli('setup', f('m.bfm'), '--dev-srs', '--ptau', f('x.ptau'), '--json');
  assert.equal(both.code, 2);
  assert.match(json(both).error.message, /choose one of --ptau and --dev-srs/);
});

test('output paths are checked before any work; write failures never name a temporary file', async () => {
  const dir = tempDir('blockfold-cli-');
  const f = (name: string) => join(dir, name);
  const missing = await cli('compile', model, '-i', input, '-o', f('nowhere/m.bfm'), '--json');
  assert.equal(missing.code, 2);
  assert.equal(json(missing).error.code, 'INPUT');
  assert.match(json(missing).error.message, /cannot write .*nowhere\/m\.bfm: the folder .*nowhere does not exist/);
  mkdirSync(f('folder.bfm'));
  const folder = await cli('compile', model, '-i', input, '-o', f('folder.bfm'));
  assert.equal(folder.code, 2);
  assert.match(folder.stderr, /folder\.bfm: it is a folder/);
  const overwrite = await cli('prove', f('m.pk'), '-i', input, '-o', input);
  assert.equal(overwrite.code, 2);
  assert.match(overwrite.stderr, /is also an input/);
  const same = await cli('setup', f('m.bfm'), '--dev-srs', '--pk', f('k'), '--vk', f('k'));
  assert.equal(same.code, 2);
  assert.match(same.stderr, /is also an input or another output/);

  const error = await writeFileAtomic(f('gone/x.proof'), new Uint8Array(4)).then(
    () => assert.fail('wrote into a missing folder'),
    (e: NodeJS.ErrnoException) => e,
  );
  assert.equal(error.code, 'ENOENT');
  assert.match(error.message, /cannot write .*gone\/x\.proof: ENOENT/);
  assert.doesNotMatch(error.message, /\.tmp/);
});

test('an input file saved with a UTF-8 byte-order mark reads as the JSON it is', async () => {
  const dir = tempDir('blockfold-cli-');
  writeFileSync(join(dir, 'bom.json'), `\ufeff${readFileSync(input, 'utf8')}`);
  const r = await cli('inspect', model, '-i', join(dir, 'bom.json'), '--json');
  assert.equal(r.code, 0, r.stdout);
  assert.equal(json(r).inspection.compiled.calibration, 'samples');
});

test('output names up to the system\'s limit are written; a longer one is bad input (2) before any work; setup never leaves a new key beside an old one', async () => {
  const dir = tempDir('blockfold-cli-');
  const f = (name: string) => join(dir, name);
  assert.equal((await cli('compile', model, '-i', input, '-o', f('m.bfm'))).code, 0);
  // 250 characters: a valid file name (at most 255), which a temporary named after it would overflow.
  const long = `${'k'.repeat(247)}.vk`;
  const written = await cli('setup', f('m.bfm'), '--dev-srs', '--pk', f('m.pk'), '--vk', f(long), '--json');
  assert.equal(written.code, 0, written.stdout);
  assert.deepEqual(readdirSync(dir).sort(), [long, 'm.bfm', 'm.pk'].sort(), 'both keys written, no temporary left');
  writeFileSync(f('old.pk'), 'the proving key of an earlier setup');
  const tooLong = await cli('setup', f('m.bfm'), '--dev-srs', '--pk', f('old.pk'), '--vk', f(`${'k'.repeat(253)}.vk`), '--json');
  assert.equal(tooLong.code, 2, tooLong.stdout);
  assert.equal(json(tooLong).error.code, 'INPUT');
  assert.match(json(tooLong).error.message, /^cannot write .*k\.vk: ENAMETOOLONG/);
  assert.doesNotMatch(tooLong.stdout + tooLong.stderr, /\.tmp|internal error/);
  assert.equal(readFileSync(f('old.pk'), 'utf8'), 'the proving key of an earlier setup', 'the proving key beside the unwritable verifying key is untouched');
});

test('prepare-range writes the checked range basis of a ceremony, which readPtauFile and setup\'s --range-basis then hold; a size that is no table\'s, or too large for the ceremony, or a file that is no ceremony, is bad input (2)', async () => {
  const dir = tempDir('blockfold-cli-');
  const ptau = fileURLToPath(new URL('../fixtures/ptau/bn254-p4-beacon.ptau', import.meta.url));
  const target = join(dir, 'beacon.range-16.bin');
  const r = await cli('prepare-range', ptau, '--size', '16', '-o', target, '--json');
  assert.equal(r.code, 0, r.stderr);
  const result = json(r);
  assert.equal(result.size, 16);
  assert.equal(result.file, target);
  assert.equal(readFileSync(target).length, 48 + 32 * 18);
  const srs = await readPtauFile(ptau, { maxG2: 2, rangeBasisFiles: [target] });
  assert.deepEqual(srs.rangeBasisSizes, [16]);
  assert.equal(Buffer.from(rangeBasisSrsDigest(srs, 16)).toString('hex'), result.srsDigest);
  // What `setup --ptau <file> --range-basis <file>` opens: the ceremony with the prepared basis held.
  assert.deepEqual((await openSrs({ kind: 'ptau', path: ptau, rangeBasisFiles: [target] }, 18)).rangeBasisSizes, [16]);
  const devWithBasis = await cli('setup', join(dir, 'm.bfm'), '--dev-srs', '--range-basis', target, '--json');
  assert.equal(devWithBasis.code, 2);
  assert.match(json(devWithBasis).error.message, /--range-basis goes with --ptau/);

  const odd = await cli('prepare-range', ptau, '--size', '12', '-o', join(dir, 'x.bin'), '--json');
  assert.equal(odd.code, 2);
  assert.match(json(odd).error.message, /--size <n>' argument '12' is invalid. expected a power of two/);
  const large = await cli('prepare-range', ptau, '--size', '32', '-o', join(dir, 'y.bin'), '--json');
  assert.equal(large.code, 2);
  assert.equal(json(large).error.code, 'SRS');
  assert.match(json(large).error.message, /holds 31 G1 and 16 G2 powers; 34 and 2 were requested/);
  const notPtau = await cli('prepare-range', input, '--size', '4', '-o', join(dir, 'z.bin'));
  assert.equal(notPtau.code, 2);
  assert.match(notPtau.stderr, /not a \.ptau file/);
  assert.deepEqual(readdirSync(dir), ['beacon.range-16.bin'], 'nothing written by a failed command');
});
