/**
 * The journal between the `blockfold` command and the supervisor that started it (see `src/cli.ts`).
 *
 * A signal can end the command at any instruction: inside a long synchronous step no JavaScript handler
 * runs, so the command cannot clean up after itself. It therefore tells its supervisor, before each effect,
 * what it is about to do — the step it starts, the temporary file it is about to write, the moment it is
 * about to rename that file over an output, the exit code once its result is printed — one JSON line per
 * entry on a pipe. Each entry is written with a synchronous `write(2)` before the effect, so whatever the
 * moment of the signal, the supervisor has read every effect that may have happened and can take them back:
 * it removes every temporary, and every output whose rename was announced. (Killed between that
 * announcement and the rename, a command loses the file it was about to replace: an interrupted command
 * leaves none of its outputs, never an old one beside a new one.)
 * @module
 */
import { writeSync } from 'node:fs';

/** The environment variable that hands the command the journal's file descriptor. */
export const JOURNAL_FD_VARIABLE = 'BLOCKFOLD_CLI_JOURNAL_FD';

/** One journal entry. */
export type JournalEntry =
  /** A step of the command begins (its progress label). */
  | { readonly step: string }
  /** A temporary file is about to be written; it becomes `path` when renamed. */
  | { readonly temporary: string; readonly path: string }
  /** The temporary of `renaming` is complete and about to be renamed over it. */
  | { readonly renaming: string }
  /** The command printed its result or error and ends with this code. */
  | { readonly finished: number };

const fd = Number(process.env[JOURNAL_FD_VARIABLE]);

/** Appends an entry to the journal, synchronously; does nothing when the command runs unsupervised. */
export function journal(entry: JournalEntry): void {
  if (Number.isInteger(fd) && fd > 2) writeSync(fd, `${JSON.stringify(entry)}\n`);
}

/** One output file the command began to write. */
export interface JournalWrite {
  readonly temporary: string;
  readonly path: string;
  /** Whether the rename over `path` was announced: `path` may hold this command's output. */
  readonly renaming: boolean;
}

/** What a journal says happened before the command ended. */
export interface JournalSummary {
  /** The step that had begun last. */
  readonly step?: string;
  /** The output files the command began to write. */
  readonly writes: readonly JournalWrite[];
  /** The exit code, if the command finished. */
  readonly finished?: number;
}

/** Reads a journal's text (a partial last line, from a command killed mid-write, is ignored). */
export function readJournal(text: string): JournalSummary {
  let step: string | undefined;
  let finished: number | undefined;
  const writes: { temporary: string; path: string; renaming: boolean }[] = [];
  for (const line of text.split('\n')) {
    let entry: Partial<Record<'step' | 'temporary' | 'path' | 'renaming' | 'finished', unknown>> | null;
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    if (entry === null || typeof entry !== 'object') continue;
    if (typeof entry.step === 'string') step = entry.step;
    if (typeof entry.temporary === 'string' && typeof entry.path === 'string') writes.push({ temporary: entry.temporary, path: entry.path, renaming: false });
    if (typeof entry.renaming === 'string') for (const w of writes) if (w.path === entry.renaming) w.renaming = true;
    if (typeof entry.finished === 'number') finished = entry.finished;
  }
  return { step, writes, finished };
}
