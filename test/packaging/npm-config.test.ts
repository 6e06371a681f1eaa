/**
 * The first command of the README, `npm ci`, must need nothing but the npm registry. The one dependency
 * whose install script reaches elsewhere is onnxruntime-node (its script downloads CUDA libraries from
 * NuGet); the project's `.npmrc` tells it to skip that. This runs that install script exactly as npm runs
 * it for a dependency of this project, with every outside connection refused, and requires it to succeed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
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
