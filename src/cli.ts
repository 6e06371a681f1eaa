#!/usr/bin/env node
/**
 * The `blockfold` executable: a supervisor that runs the command (`cli/main.ts`) in a child process.
 *
 * Why a child: Ctrl-C must work at any moment, and most of a command is long synchronous or
 * microtask-only work during which no signal handler of its own process would run. So the command keeps
 * the default disposition of SIGINT and SIGTERM — it dies at once — while this process, whose event loop is
 * idle, handles the signal: it forwards it to the command, then removes what the command was writing or had
 * written (read from the journal, `cli/journal.ts`: the command announces every file before it touches it),
 * and reports the interruption: one JSON object `{ ok: false, exitCode, error: { code: "INTERRUPTED", … } }`
 * on stdout with `--json`, a line on stderr otherwise. The exit code is 128 + the signal's number (130 for
 * Ctrl-C, 143 for SIGTERM). The command never changes the terminal's state (its progress lines keep the
 * cursor and autowrap), so clearing the unfinished progress line is all the terminal needs.
 * A command that ends by itself passes its exit code through; one that dies without finishing (an uncaught exception:
 * its journal holds no exit code) is an internal error, exit 3, reported and cleaned up as an interruption is.
 * Stdin, stdout and stderr are the child's.
 * @module
 */
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { once } from 'node:events';
import { realpathSync, rmSync } from 'node:fs';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { JOURNAL_FD_VARIABLE, readJournal } from './cli/journal';

/** The folder of the package's `package.json` and `models/`, one above `src/` and `dist/`. */
const PACKAGE_ROOT = new URL('../', import.meta.url);

/** Signals that interrupt a command; others that kill it (SIGKILL from the out-of-memory killer, …) are reported as internal errors. */
const INTERRUPTS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/** The exit code of an internal error (`EXIT.internal` of `cli/main.ts`, which this process does not load). */
const EXIT_INTERNAL = 3;

/** The file descriptor of the journal pipe in the command's process. */
const JOURNAL_FD = 3;

/** Runs `argv` in a supervised child process; resolves to the exit code. */
async function supervise(argv: readonly string[]): Promise<number> {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...argv], {
    stdio: ['inherit', 'inherit', 'inherit', 'pipe'],
    env: { ...process.env, [JOURNAL_FD_VARIABLE]: String(JOURNAL_FD) },
  });
  let text = '';
  (child.stdio[JOURNAL_FD] as Readable).setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  let received: NodeJS.Signals | undefined;
  // From a terminal, Ctrl-C reaches the command too (same process group); `kill <this pid>` reaches only here.
  const forward = (signal: NodeJS.Signals) => {
    received ??= signal;
    child.kill(signal);
  };
  for (const s of INTERRUPTS) process.on(s, forward);
  try {
    const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
    const journal = readJournal(text);
    // Finished (its result printed, its code journaled), even if a signal killed it afterwards: nothing to take back.
    if (journal.finished !== undefined) return signal === null ? (code ?? journal.finished) : journal.finished;
    const outputs = journal.writes.filter((w) => w.renaming).map((w) => w.path);
    for (const path of [...journal.writes.map((w) => w.temporary), ...outputs]) rmSync(path, { force: true });
    const interrupted = signal !== null && INTERRUPTS.includes(signal);
    // Ended by itself without finishing (an uncaught exception): its own exit code, 1 for Node, would read as a rejected proof.
    const exitCode = signal === null ? EXIT_INTERNAL : 128 + constants.signals[signal];
    const removed = outputs.length > 0 ? `; removed ${outputs.join(', ')}` : '';
    const how = signal === null ? `the command ended without finishing (exit code ${code})` : `${interrupted ? 'interrupted' : 'killed'} by ${signal}`;
    const message = `${how}${journal.step ? ` during ${journal.step}` : ''}${removed}`;
    // The command's progress line is left unfinished: carriage return and erase line.
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[2K');
    if (argv.includes('--json')) {
      const error = { code: interrupted ? 'INTERRUPTED' : 'INTERNAL', ...(signal === null ? {} : { signal }), message };
      process.stdout.write(`${JSON.stringify({ ok: false, exitCode, error }, null, 2)}\n`);
    }
    process.stderr.write(`blockfold: ${message}${signal !== null && received === undefined && !interrupted ? ' (out of memory?)' : ''}\n`);
    return exitCode;
  } finally {
    for (const s of INTERRUPTS) process.off(s, forward);
  }
}

// Run when executed (node src/cli.ts, the bin), not when imported: the supervisor, or the supervised command.
if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const run = process.env[JOURNAL_FD_VARIABLE] ? import('./cli/main').then(({ main }) => main(argv, PACKAGE_ROOT)) : supervise(argv);
  run.then((code) => process.exit(code));
}
