/**
 * The package as npm users get it: `npm pack` (its `prepack` builds `dist/`), the tarball installed into an
 * empty project from the npm registry, then, in that project, `npx blockfold demo`, the README's example
 * against the installed package (ESM) and a `require` (CJS), and compile → setup → prove with the bundled
 * sample model, whose proof is verified from another folder holding only the verifying key and the proof,
 * and again through `blockfold/verify` (whose browser bundle must resolve to the package's browser build).
 *
 * It builds and installs, so it takes a minute or two: it is not part of `npm test`; `npm run test:pack`
 * runs it and `.ci/run` calls that (which is also where CI builds `dist/`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const tsx = import.meta.resolve('tsx');

/** The environment of a user's shell: none of the npm variables of the script running this test, no model folder override. */
function userEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (/^npm_/i.test(key) || key === 'BLOCKFOLD_MODELS' || key === 'INIT_CWD') delete env[key];
  return env;
}

interface Run {
  readonly stdout: string;
  readonly stderr: string;
}

function run(cwd: string, command: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { cwd, env: userEnv(), maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')} failed (${error.code}):\n${stderr}\n${stdout}`));
      else resolve({ stdout, stderr });
    });
  });
}

test('npm pack → npm install in an empty project → npx blockfold demo; a proof made there verifies from another folder', async () => {
  const root = mkdtempSync(join(tmpdir(), 'blockfold-pack-'));
  const pack = (await run(repo, 'npm', 'pack', '--json', '--pack-destination', root)).stdout;
  // The prepack build logs to stdout too; npm's JSON report comes last, from a line holding only "[".
  const [packed] = JSON.parse(pack.slice(pack.lastIndexOf('\n[\n') + 1)) as { filename: string; files: { path: string }[] }[];
  const files = packed.files.map((f) => f.path);
  for (const f of ['dist/cli.js', 'dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/engine-worker.js', 'models/zktorch-sample-mlp.onnx', 'models/zktorch-sample-mlp.input.json', 'models/LICENSE.Apache-2.0', 'LICENSE'])
    assert.ok(files.includes(f), `${f} is not in the package (${files.length} files)`);

  const project = join(root, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'pack-check', private: true, type: 'module' }));
  await run(project, 'npm', 'install', '--no-audit', '--no-fund', join(root, packed.filename));

  const demo = JSON.parse((await run(project, 'npx', 'blockfold', 'demo', '--json')).stdout);
  assert.equal(demo.ok, true);
  assert.equal(demo.demo.accepted, true);

  // The README's example, unchanged, against the installed package; and the CommonJS build.
  copyFileSync(join(repo, 'examples/prove-and-verify.ts'), join(project, 'prove-and-verify.ts'));
  const example = await run(project, process.execPath, '--import', tsx, 'prove-and-verify.ts');
  assert.match(example.stdout, /accepted: true/);
  const cjs = await run(project, process.execPath, '-e', "const b = require('blockfold'); if (typeof b.prove !== 'function') process.exit(1)");
  assert.equal(cjs.stderr, '');

  const models = join(project, 'node_modules/blockfold/models');
  const input = join(models, 'zktorch-sample-mlp.input.json');
  await run(project, 'npx', 'blockfold', 'compile', join(models, 'zktorch-sample-mlp.onnx'), '-i', input, '-o', 'm.bfm');
  await run(project, 'npx', 'blockfold', 'setup', 'm.bfm', '--dev-srs');
  const proved = JSON.parse((await run(project, 'npx', 'blockfold', 'prove', 'm.pk', '-i', input, '-o', 'm.proof', '--json')).stdout);

  const elsewhere = join(root, 'elsewhere');
  mkdirSync(elsewhere);
  copyFileSync(join(project, 'm.vk'), join(elsewhere, 'm.vk'));
  copyFileSync(join(project, 'm.proof'), join(elsewhere, 'm.proof'));
  const bin = join(project, 'node_modules/.bin/blockfold');
  const verified = JSON.parse((await run(elsewhere, bin, 'verify', 'm.vk', 'm.proof', '--json')).stdout);
  assert.equal(verified.accepted, true);
  const values = (outputs: { name: string; values: number[] }[]) => outputs.map((o) => [o.name, o.values]);
  assert.deepEqual(values(verified.outputs), values(proved.outputs));

  // `blockfold/verify` as installed: in Node it verifies the same files; a browser bundle of it resolves,
  // through the `browser` condition, to the self-contained browser build.
  const script = [
    "import { readFileSync } from 'node:fs';",
    "import { initWasm, decodeVerifyingKey, verifyProofFile } from 'blockfold/verify';",
    'await initWasm();',
    "const { vk } = await decodeVerifyingKey(readFileSync('m.vk'));",
    "console.log(JSON.stringify(await verifyProofFile(vk, readFileSync('m.proof'))));",
  ].join('\n');
  const viaEntry = JSON.parse((await run(project, process.execPath, '--input-type=module', '-e', script)).stdout);
  assert.equal(viaEntry.ok, true);
  assert.deepEqual(values(viaEntry.outputs), values(proved.outputs));
  const browser = await build({
    stdin: { contents: "export * from 'blockfold/verify';", resolveDir: project },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const fromPackage = Object.keys(browser.metafile.inputs).filter((f) => f.includes('node_modules/blockfold/'));
  assert.deepEqual(fromPackage.map((f) => f.slice(f.indexOf('node_modules/blockfold/'))), ['node_modules/blockfold/dist/browser/verify.js']);
});
