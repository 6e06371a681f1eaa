/**
 * Temporary folders for tests: `tempDir(prefix)` makes a fresh one under the system's temporary folder and removes
 * it, with everything in it, when the test file's tests end (a `node:test` `after` hook of the file that imports this).
 * @module
 */
import { after } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];
after(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A fresh folder `<tmp>/<prefix>XXXXXX`, removed when the importing test file's tests end. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
