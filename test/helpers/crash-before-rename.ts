/**
 * Loaded with `--import` by a test of the command line: in the supervised command (the process the journal's
 * descriptor is handed to), the first rename of an output throws an uncaught exception instead, as a bug in a
 * worker or a callback would, so the command dies with an exit code of its own after writing its temporaries and
 * before printing anything. The supervisor itself is left alone.
 * @module
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { JOURNAL_FD_VARIABLE } from '../../src/cli/journal';

if (process.env[JOURNAL_FD_VARIABLE]) {
  fs.promises.rename = () => {
    setImmediate(() => {
      throw new Error('a crash of the command before its rename (test/helpers/crash-before-rename.ts)');
    });
    return new Promise<never>(() => {});
  };
  syncBuiltinESMExports();
}
