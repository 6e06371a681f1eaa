/**
 * `tempDir`: a fresh folder per call, which exists while the tests run and is gone, with its content, once the
 * test file that made it has ended (checked on a child test process).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './temp-dir';

const repo = fileURLToPath(new URL('../../', import.meta.url));

test('tempDir makes distinct folders that the test file removes when its tests end', async () => {
  const a = tempDir('blockfold-temp-dir-');
  assert.notEqual(a, tempDir('blockfold-temp-dir-'));
  assert.ok(existsSync(a));
  const child = join(a, 'child.test.ts');
  const helper = JSON.stringify(fileURLToPath(new URL('./temp-dir.ts', import.meta.url)));
  writeFileSync(
    child,
    `import { test } from 'node:test';\nimport { writeFileSync } from 'node:fs';\nimport { join } from 'node:path';\nimport { tempDir } from ${helper};\n` +
      `test('makes one', () => { const d = tempDir('blockfold-temp-dir-child-'); writeFileSync(join(d, 'f'), 'x'); console.log('MADE ' + d); });\n`,
  );
  // Without NODE_TEST_CONTEXT, which this runner sets, the child runs as a test run of its own and prints TAP.
  const { NODE_TEST_CONTEXT: _context, ...env } = process.env;
  const out = await new Promise<string>((resolve, reject) =>
    execFile(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', child], { cwd: repo, env }, (error, stdout) => (error ? reject(error) : resolve(stdout))),
  );
  const made = /MADE (\S+)/.exec(out)?.[1];
  assert.ok(made, out);
  assert.equal(existsSync(made), false, 'the child test file removed its folder and the file in it');
});
