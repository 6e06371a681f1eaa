/**
 * The input files of a command, checked before any work: a path that does not exist, is a folder or cannot be read
 * is bad input (exit 2) whose message names the file and what the command wanted it for, instead of Node's
 * `ENOENT: no such file or directory, open …` from deep inside a step, which names neither the option nor the role.
 * A file removed between this check and its reading still fails with the raw error, also with exit 2.
 * @module
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { BlockfoldError } from '../errors';

/** An input file of a command: its path as given (`undefined`: an option not given) and what it is for ("the proof file"). */
export interface InputFile {
  readonly path: string | undefined;
  readonly role: string;
}

/**
 * Throws an `INPUT` {@link BlockfoldError} for the first of `files` that does not exist, is a folder or is not
 * readable, naming its role and path: "the proof file x.proof does not exist". Options not given are skipped.
 */
export async function checkInputFiles(files: readonly InputFile[]): Promise<void> {
  for (const { path, role } of files) {
    if (path === undefined) continue;
    const found = await stat(path).catch((e: NodeJS.ErrnoException) => e);
    if (found instanceof Error) {
      if (found.code === 'ENOENT') throw new BlockfoldError('INPUT', `${role} ${path} does not exist`);
      if (found.code === 'ENOTDIR') throw new BlockfoldError('INPUT', `${role} ${path} does not exist: a folder on its path is a file`);
      throw new BlockfoldError('INPUT', `${role} ${path} cannot be read: ${found.code ?? found.message}`);
    }
    if (found.isDirectory()) throw new BlockfoldError('INPUT', `${role} ${path} is a folder, not a file`);
    await access(path, constants.R_OK).catch(() => {
      throw new BlockfoldError('INPUT', `${role} ${path} cannot be read (no read permission)`);
    });
  }
}
