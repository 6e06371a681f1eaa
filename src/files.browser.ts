/**
 * Files in browser builds: the `browser` condition of the package's `#files` import. A browser has no
 * file system, so every operation that takes a path is a typed error telling the caller to pass bytes
 * (from `fetch`, a file input, …) to the functions that take bytes.
 * @module
 */
import { BlockfoldError } from './errors';
import type * as NodeFiles from './files';

export type RandomAccessFile = NodeFiles.RandomAccessFile;
export type FileToWrite = NodeFiles.FileToWrite;

function noFiles(path: string): never {
  throw new BlockfoldError('INPUT', `blockfold in a browser has no file system: load "${path}" yourself (for example with fetch) and pass its bytes`);
}

/** Refuses: a browser has no files to open. */
export const withFileForReading: typeof NodeFiles.withFileForReading = async (path) => noFiles(path);
/** Refuses: a browser has no files to write. */
export const writeFileAtomic: typeof NodeFiles.writeFileAtomic = async (path) => noFiles(path);
/** Refuses: a browser has no files to write. */
export const writeFilesAtomic: typeof NodeFiles.writeFilesAtomic = async (files) => noFiles(files.map((f) => f.path).join('", "'));
/** A browser has no file system for the development SRS's cache: none. */
export const devSrsCacheDirectory: typeof NodeFiles.devSrsCacheDirectory = () => undefined;
/** A browser has no files to read: undefined. */
export const readFileIfReadable: typeof NodeFiles.readFileIfReadable = async () => undefined;
/** Refuses: a browser has no directories to make. */
export const makePrivateDirectory: typeof NodeFiles.makePrivateDirectory = async (path) => noFiles(path);
