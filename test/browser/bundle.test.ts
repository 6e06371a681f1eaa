/**
 * `blockfold/verify` bundles for the browser: no Node built-in module anywhere in its import graph and no
 * free reference to a Node-only global. The same check on the Node entry finds the built-ins, so the test
 * can fail.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { bundleForBrowser } from './bundle';

test('the blockfold/verify entry bundles for the browser without Node built-ins or Node globals', async () => {
  const bundle = await bundleForBrowser();
  const imports = bundle.builtins.map((b) => `${b.path} (from ${b.importer})`);
  assert.deepEqual(imports, [], `Node built-ins in the browser graph:\n${imports.join('\n')}`);
  assert.deepEqual(bundle.nodeGlobals, [], 'free references to Node-only globals');
  assert.match(bundle.code, /WebAssembly/, 'the kernels are compiled with the standard WebAssembly API');
  assert.doesNotMatch(bundle.code, /piscina/i, 'no worker pool');
});

test('the check finds the Node built-ins of the CLI entry', async () => {
  const bundle = await bundleForBrowser(fileURLToPath(new URL('../../src/cli.ts', import.meta.url)));
  const paths = new Set(bundle.builtins.map((b) => b.path.replace(/^node:/, '')));
  for (const m of ['fs/promises', 'path']) assert.ok(paths.has(m), `${m} found`);
});
