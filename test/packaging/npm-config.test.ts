/**
 * The first command of the README, `npm ci`, must need nothing but the npm registry. The one dependency
 * whose install script reaches elsewhere is onnxruntime-node (its script downloads CUDA libraries from
 * NuGet). Two settings keep it off: package.json's `allowScripts` denies the script on an npm with install-script
 * approvals, and the project's `.npmrc` tells the script itself to skip the download on an npm without them. The
 * first test runs that install script exactly as npm runs it for a dependency of this project, with every outside
 * connection refused, and requires it to succeed; the second asks npm which install scripts the policy leaves
 * unreviewed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const installScript = createRequire(import.meta.url).resolve('onnxruntime-node/script/install.js');

test("onnxruntime-node's install script downloads nothing under the project's npm configuration", async () => {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Only the project's configuration may skip the download (CI must not rely on its own environment).
  for (const key of Object.keys(env)) if (/^(npm_|onnxruntime_node_install)/i.test(key)) delete env[key];
  // A refused proxy: a download attempt fails at once instead of reaching the internet.
  const refused = 'http://127.0.0.1:9';
  Object.assign(env, { GLOBAL_AGENT_HTTP_PROXY: refused, GLOBAL_AGENT_HTTPS_PROXY: refused, HTTPS_PROXY: refused, HTTP_PROXY: refused });
  // `npm exec` hands the project's configuration to the script as npm does for install scripts. The script
  // skips by itself when run as the project's own package, so it is told it is a dependency (its own package.json).
  const asDependency = `process.env.npm_package_json = require.resolve('onnxruntime-node/package.json'); require(${JSON.stringify(installScript)})`;
  const r = await new Promise<{ code: number; output: string }>((resolve) => {
    execFile('npm', ['exec', '--offline', '--', 'node', '-e', asDependency], { cwd: repo, env }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr }),
    );
  });
  assert.equal(r.code, 0, `the install script tried to download:\n${r.output}`);
  assert.doesNotMatch(r.output, /Downloading|nuget/i);
});

test("package.json's allowScripts denies onnxruntime-node's install script and leaves no install script unreviewed", async (t) => {
  const { allowScripts } = JSON.parse(readFileSync(new URL('package.json', `file://${repo}`), 'utf8')) as { allowScripts?: Record<string, boolean> };
  assert.equal(allowScripts?.['onnxruntime-node'], false, 'the download script is denied by name');
  const r = await new Promise<{ code: number; output: string }>((resolve) => {
    execFile('npm', ['install-scripts', 'ls', '--offline'], { cwd: repo }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr }),
    );
  });
  if (r.code !== 0 && /Unknown command|not a known command/i.test(r.output)) {
    t.skip('this npm has no install-script approvals (the .npmrc setting above covers it)');
    return;
  }
  assert.equal(r.code, 0, r.output);
  assert.match(r.output, /No packages with unreviewed install scripts/, r.output);
});
