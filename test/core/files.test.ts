/**
 * Writing files whole or not at all (`src/files.ts`): a set of files is replaced together or not at all, a
 * temporary never lengthens the name it stands for, and a failure names the file asked for, never a temporary.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic, writeFilesAtomic } from '../../src/files';
import { tempDir } from '../helpers/temp-dir';

test('writeFilesAtomic replaces every file or none: a file that cannot be written leaves the others as they were, and no temporary', async () => {
  const dir = tempDir('blockfold-files-');
  const f = (name: string) => join(dir, name);
  writeFileSync(f('a.pk'), 'old a');
  const journal: string[] = [];
  const announce = { temporary: (_tmp: string, path: string) => journal.push(`temporary ${path}`), renaming: (path: string) => journal.push(`renaming ${path}`) };
  const failed = await writeFilesAtomic(
    [
      { path: f('a.pk'), bytes: new TextEncoder().encode('new a') },
      { path: f('missing/b.vk'), bytes: Uint8Array.of(1) },
    ],
    announce,
  ).then(
    () => assert.fail('wrote into a missing folder'),
    (e: NodeJS.ErrnoException) => e,
  );
  assert.equal(failed.code, 'ENOENT');
  assert.match(failed.message, /^cannot write .*missing\/b\.vk: ENOENT/);
  assert.doesNotMatch(failed.message, /\.tmp/);
  assert.equal(readFileSync(f('a.pk'), 'utf8'), 'old a', 'a.pk is not replaced when b.vk cannot be written');
  assert.deepEqual(readdirSync(dir), ['a.pk'], 'no temporary left');
  assert.deepEqual(journal, [`temporary ${f('a.pk')}`, `temporary ${f('missing/b.vk')}`], 'no rename was announced: nothing to take back');

  journal.length = 0;
  await writeFilesAtomic([{ path: f('a.pk'), bytes: Uint8Array.of(7) }, { path: f('b.vk'), bytes: Uint8Array.of(8, 9) }], announce);
  assert.deepEqual([[...readFileSync(f('a.pk'))], [...readFileSync(f('b.vk'))]], [[7], [8, 9]]);
  assert.deepEqual(readdirSync(dir).sort(), ['a.pk', 'b.vk']);
  assert.deepEqual(journal, [`temporary ${f('a.pk')}`, `temporary ${f('b.vk')}`, `renaming ${f('a.pk')}`, `renaming ${f('b.vk')}`], 'every temporary is complete before the first rename');
});

test('writeFileAtomic writes a file whose name is as long as the system allows (255 bytes); a longer one fails naming it', async () => {
  const dir = tempDir('blockfold-files-');
  const longest = join(dir, 'x'.repeat(255));
  await writeFileAtomic(longest, Uint8Array.of(1, 2));
  assert.deepEqual([...readFileSync(longest)], [1, 2]);
  const tooLong = join(dir, 'y'.repeat(256));
  const failed = await writeFileAtomic(tooLong, Uint8Array.of(1)).then(
    () => assert.fail('wrote a 256-byte name'),
    (e: NodeJS.ErrnoException) => e,
  );
  assert.equal(failed.code, 'ENAMETOOLONG');
  assert.match(failed.message, /^cannot write .*y: ENAMETOOLONG/);
  assert.deepEqual(readdirSync(dir), ['x'.repeat(255)]);
});
