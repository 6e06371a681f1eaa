/**
 * Every file in `examples/` runs as it is written (against the published package names, which resolve to
 * the sources here) and prints what it promises. The README's code comes from these files.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));

/** What each runnable example must print; a module that only exports (square-block.ts) must load cleanly. */
const EXPECTED: Readonly<Record<string, RegExp>> = {
  'prove-and-verify.ts': /^proof: \d+ bytes; accepted: true\noutput = \[0, 0\.110\d*, 0, 0\.397\d*\]\n$/,
  'custom-block.ts': /^conformance: 160-byte leaf proof; [1-9]\d* message and [1-9]\d* statement tamperings and [1-9]\d* cheating witnesses rejected\nfolded proof of 3 leaves: \d+ bytes; verdict \{"ok":true\} with 1 multi-pairing\n$/,
};

for (const file of readdirSync(new URL('../../examples/', import.meta.url)).filter((f) => f.endsWith('.ts')).sort()) {
  test(`examples/${file} runs`, async () => {
    const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', `examples/${file}`], { cwd: repo }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
    assert.equal(r.code, 0, r.stderr);
    if (EXPECTED[file]) assert.match(r.stdout, EXPECTED[file]);
    else assert.equal(r.stdout, '', `examples/${file} prints but has no expected output in this test`);
  });
}
