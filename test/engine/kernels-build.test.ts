// The committed kernels (generated AssemblyScript and the embedded .wasm) must be exactly what a fresh
// build from the generators and wasm/ produces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildOutputs } from '../../scripts/wasm/build';

test('regenerating the kernels gives byte-identical sources and binary', async () => {
  const root = join(import.meta.dirname, '..', '..');
  for (const [path, text] of await buildOutputs()) {
    assert.equal(readFileSync(join(root, path), 'utf8'), text, `${path} is stale: run npm run build:wasm`);
  }
});
