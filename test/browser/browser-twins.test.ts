/**
 * The modules that the package's `browser` import condition substitutes (`#files`, `#engine-pool`,
 * `#fold-pool`): each exports the same names as its Node module, and does what its comment promises in
 * a browser (file operations and engine workers are typed errors; fold workers are absent, so folds run on
 * the calling thread).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { BlockfoldError, EngineError } from '../../src/errors';
import * as files from '../../src/files';
import * as filesBrowser from '../../src/files.browser';
import * as enginePoolBrowser from '../../src/engine/wasm/pool.browser';
import * as foldPoolBrowser from '../../accumulation/pool.browser';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { imports: Record<string, { browser: string; default: string }> };

test('every browser twin in package.json exists and exports only names its Node module exports', async () => {
  assert.ok(Object.keys(pkg.imports).length >= 3);
  for (const [name, { browser, default: node }] of Object.entries(pkg.imports)) {
    const [twin, original] = await Promise.all([browser, node].map((path) => import(new URL(`../../${path}`, import.meta.url).href) as Promise<object>));
    const missing = Object.keys(twin).filter((k) => !(k in original));
    assert.deepEqual(missing, [], `${name}: ${browser} exports names ${node} does not`);
    assert.ok(Object.keys(twin).length > 0, `${name}: ${browser} exports nothing`);
  }
  assert.deepEqual(Object.keys(filesBrowser).sort(), Object.keys(files).sort(), '#files: every file operation has its browser refusal');
});

test('in a browser build, file operations are typed errors that say to pass bytes', async () => {
  const refused = (e: unknown) => e instanceof BlockfoldError && e.code === 'INPUT' && /no file system.*m\.ptau.*bytes/.test(e.message);
  await assert.rejects(filesBrowser.withFileForReading('m.ptau', async () => 0), refused);
  await assert.rejects(filesBrowser.writeFileAtomic('m.ptau', new Uint8Array(1)), refused);
});

test('in a browser build, engine workers are refused and fold workers are absent', () => {
  assert.throws(() => enginePoolBrowser.startEnginePool(2), (e) => e instanceof EngineError && /calling thread.*workers: 0/.test(e.message));
  assert.equal(foldPoolBrowser.startFoldPool(2), undefined);
});
