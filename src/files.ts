/**
 * Files, for the operations that take a path: reading ranges of a large file (a `.ptau` ceremony), writing a file
 * whole or not at all, and the development SRS's on-disk cache (its directory, reading a file that may be absent).
 *
 * Imported as `#files` (package.json `imports`): under the `browser` condition that name is
 * `files.browser.ts`, where each operation is a typed error, so a browser bundle never contains Node's
 * file, path or crypto modules. Everything else in blockfold works on bytes.
 * @module
 */
import { bytesToHex, randomBytes } from '@noble/hashes/utils.js';
import { lstat, mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A file open for reading at any offset. */
export interface RandomAccessFile {
  readonly size: number;
  /** Up to `length` bytes at `offset` (fewer only at the end of the file). */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** Opens `path` for reading, runs `body` on it and closes it. */
export async function withFileForReading<T>(path: string, body: (file: RandomAccessFile) => Promise<T>): Promise<T> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    return await body({
      size,
      read: async (offset, length) => {
        const buf = new Uint8Array(length);
        const { bytesRead } = await handle.read(buf, 0, length, offset);
        return buf.subarray(0, bytesRead);
      },
    });
  } finally {
    await handle.close();
  }
}

/**
 * What {@link writeFilesAtomic} tells a supervisor that takes the writes back if this process is killed: each
 * temporary name before anything is written to it, and the moment the complete temporary is about to be renamed
 * over its `path` (from then on `path` holds, or is about to hold, the new content).
 */
export interface WriteJournal {
  readonly temporary: (temporary: string, path: string) => void;
  readonly renaming: (path: string) => void;
}

/** One file of {@link writeFilesAtomic}: where, and its whole content. */
export interface FileToWrite {
  readonly path: string;
  readonly bytes: Uint8Array;
}

/**
 * Writes `bytes` to a temporary file next to `path` and renames it over `path`: readers never see half a file.
 * A failure is reported against `path` (with the system's error code), never against the temporary name.
 */
export function writeFileAtomic(path: string, bytes: Uint8Array, journal?: WriteJournal): Promise<void> {
  return writeFilesAtomic([{ path, bytes }], journal);
}

/**
 * Writes files together or not at all: each to a temporary in its folder, and only once every temporary is
 * complete renames them over their paths. A file that cannot be written (a full disk, a name the system refuses)
 * therefore replaces none of the others: a setup that cannot write its verifying key leaves its proving key as it
 * was (only a rename failing after the first, in a folder where writing just succeeded, could still part them). The
 * temporaries are named `blockfold-<12 random hex>.tmp`, not after their files, so that a name as long as the system
 * allows is written too. A failure is reported against the file's path (with the system's error code), never
 * against a temporary, and leaves no temporary behind.
 */
export async function writeFilesAtomic(files: readonly FileToWrite[], journal?: WriteJournal): Promise<void> {
  const temporaries: string[] = [];
  let path: string | undefined;
  try {
    for (const file of files) {
      path = file.path;
      const tmp = join(dirname(file.path), `blockfold-${bytesToHex(randomBytes(6))}.tmp`);
      journal?.temporary(tmp, file.path);
      temporaries.push(tmp);
      await writeFile(tmp, file.bytes, { flag: 'wx' });
    }
    for (const [i, file] of files.entries()) {
      path = file.path;
      journal?.renaming(file.path);
      await rename(temporaries[i], file.path);
    }
  } catch (e) {
    // Removing a temporary that was never created (or is already renamed) is no failure of its own.
    await Promise.all(temporaries.map((tmp) => rm(tmp, { force: true }).catch(() => {})));
    const { code, syscall } = e as NodeJS.ErrnoException;
    if (code === undefined) throw e;
    throw Object.assign(new Error(`cannot write ${path}: ${code}${syscall ? ` (${syscall})` : ''}`, { cause: e }), { code });
  }
}

/**
 * The directory of the development SRS's on-disk cache (`src/srs/dev-cache.ts`): `$BLOCKFOLD_DEV_SRS_CACHE` when it
 * names one, none when it is `off`, else `blockfold-dev-srs-<uid>` in the system's temporary directory (one per user:
 * a directory another user made first is not shared, see {@link makePrivateDirectory}).
 */
export function devSrsCacheDirectory(): string | undefined {
  const setting = process.env.BLOCKFOLD_DEV_SRS_CACHE;
  if (setting === 'off') return undefined;
  return setting ? setting : join(tmpdir(), `blockfold-dev-srs-${process.getuid?.() ?? 'user'}`);
}

/**
 * The bytes of the file at `path` if it holds exactly `length` bytes, or undefined when it does not or cannot be read
 * (absent, unreadable, a directory). The size is read from the open file and only `length` bytes are read, so a large
 * file in its place (put there before or while it is opened) is not read into memory.
 */
export async function readFileIfReadable(path: string, length: number): Promise<Uint8Array | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
    if ((await handle.stat()).size !== length) return undefined;
    const bytes = new Uint8Array(length);
    const { bytesRead } = await handle.read(bytes, 0, length, 0);
    return bytesRead === length ? bytes : undefined;
  } catch {
    return undefined;
  } finally {
    await handle?.close();
  }
}

/**
 * Creates the directory `path` and its parents if absent, readable and writable by this user only, and refuses (an
 * `Error`) a `path` that is not such a directory of this user's: a symbolic link, another user's, or open to others,
 * as one made first by someone else in a shared temporary directory would be. Files are then written only there.
 */
export async function makePrivateDirectory(path: string): Promise<void> {
  await mkdir(path, { recursive: true, mode: 0o700 });
  const s = await lstat(path);
  const uid = process.getuid?.();
  if (!s.isDirectory() || (uid !== undefined && s.uid !== uid) || (s.mode & 0o077) !== 0)
    throw new Error(`${path} is not a directory of this user's closed to others`);
}
