/**
 * The command line in a real terminal (a pseudo-terminal from util-linux `script`): progress is drawn, but
 * the terminal's state is never changed (no hidden cursor, no autowrap off), so Ctrl-C in the middle of a
 * step, when no JavaScript handler could run, leaves the user's terminal as it was.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const HIDE_CURSOR = '\x1b[?25l';
const AUTOWRAP_OFF = '\x1b[?7l';

function hasScript(): boolean {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test('Ctrl-C during setup leaves the cursor visible and autowrap on', { skip: !hasScript() && 'util-linux script is not installed' }, async () => {
  const command = `${JSON.stringify(process.execPath)} --import tsx src/cli.ts demo --model fashion-mlp`;
  const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: repo, stdio: ['pipe', 'pipe', 'pipe'] });
  let screen = '';
  let interrupted = false;
  child.stdout.on('data', (chunk: Buffer) => {
    screen += chunk.toString('utf8');
    // The setup step of the Fashion MLP takes seconds: Ctrl-C lands while its progress line is shown.
    if (!interrupted && screen.includes('setup …')) {
      interrupted = true;
      child.stdin.write('\x03');
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.ok(interrupted, `no progress line was drawn:\n${JSON.stringify(screen)}`);
  assert.equal(code, 130, 'ended by SIGINT (128 + 2)');
  assert.ok(!screen.includes(HIDE_CURSOR), 'the cursor was hidden');
  assert.ok(!screen.includes(AUTOWRAP_OFF), 'autowrap was turned off');
});
