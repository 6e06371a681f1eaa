/**
 * The command line in a real terminal, a pseudo-terminal from util-linux `script`: what the CLI tests that press
 * Ctrl-C share. A terminal is needed because the progress lines (and any change to the terminal's state) are
 * drawn only on one.
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** The repository root, where `src/cli.ts` runs from. */
export const REPO = fileURLToPath(new URL('../../', import.meta.url));
/** The escape sequences a command must never send: hide the cursor, turn autowrap off. */
export const HIDE_CURSOR = '\x1b[?25l';
export const AUTOWRAP_OFF = '\x1b[?7l';

/** Whether util-linux `script` is installed (else the terminal tests are skipped). */
export function hasScript(): boolean {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs the shell `command` in a pseudo-terminal and types Ctrl-C once the screen shows `cue` (a step's progress
 * line); resolves to the exit code, everything the terminal received, and whether the cue was ever shown.
 */
export async function ctrlCAt(command: string, cue: string): Promise<{ code: number | null; screen: string; interrupted: boolean }> {
  const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
  let screen = '';
  let interrupted = false;
  child.stdout.on('data', (chunk: Buffer) => {
    screen += chunk.toString('utf8');
    if (!interrupted && screen.includes(cue)) {
      interrupted = true;
      child.stdin.write('\x03');
    }
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, screen, interrupted };
}
