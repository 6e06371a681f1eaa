/**
 * Ctrl-C and SIGTERM in the middle of a command (issue 12, finding 6): the command ends at once, even inside
 * a long synchronous step; with `--json` stdout holds exactly one JSON object, `error.code` "INTERRUPTED";
 * the exit code is 128 + the signal's number; and no output file is left, neither a temporary nor one the
 * command had already written or was about to rename into place (`compile` writes its `.bfm`, then spends
 * seconds on the accuracy report). A command that dies by itself without finishing is cleaned up the same way and
 * reported as an internal error (exit 3), never with Node's exit code 1, which reads as a rejected proof.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readJournal } from '../../src/cli/journal';
import { modelFile } from '../model/fixtures';
import { AUTOWRAP_OFF, ctrlCAt, hasScript, HIDE_CURSOR, REPO } from '../helpers/terminal';
import { tempDir } from '../helpers/temp-dir';

const cnn = fileURLToPath(modelFile('fashion-cnn.onnx'));
const images = fileURLToPath(modelFile('fashion-test-64.json'));
const noModels = !existsSync(cnn) && 'the Fashion-MNIST models are not next to the repository';

/** Resolves when `condition` holds (polled every 10 ms), or rejects after `seconds`. */
async function until(condition: () => boolean, seconds: number, what: string): Promise<void> {
  const end = Date.now() + seconds * 1000;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  test(`${signal} after compile wrote its file: one JSON object, exit ${code}, the file removed`, { skip: noModels }, async () => {
    const dir = tempDir('blockfold-interrupt-');
    const target = join(dir, 'm.bfm');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'compile', cnn, '-i', images, '-o', target, '--json'], { cwd: REPO });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const exit = once(child, 'exit');
    // The .bfm is written before the accuracy report, which takes seconds: interrupt in between.
    await until(() => existsSync(target) || child.exitCode !== null, 120, 'the compiled model file');
    child.kill(signal);
    const [exitCode] = await exit;
    assert.equal(exitCode, code, stderr);
    const report = JSON.parse(stdout);
    assert.deepEqual(Object.keys(report), ['ok', 'exitCode', 'error']);
    assert.equal(report.ok, false);
    assert.equal(report.exitCode, code);
    assert.equal(report.error.code, 'INTERRUPTED');
    assert.equal(report.error.signal, signal);
    // The step is the accuracy report, or the write if the signal lands before the next step is journaled.
    assert.match(report.error.message, new RegExp(`^interrupted by ${signal} during (accuracy|writing the compiled model); removed .*m\\.bfm$`));
    assert.deepEqual(readdirSync(dir), [], 'no output file and no temporary is left');
  });
}

test('Ctrl-C in a terminal during a progress line: exit 130, one JSON object, no file, the terminal never changed', { skip: (!hasScript() && 'util-linux script is not installed') || noModels }, async () => {
  const dir = tempDir('blockfold-interrupt-');
  const target = join(dir, 'm.bfm');
  const command = [process.execPath, '--import', 'tsx', 'src/cli.ts', 'compile', cnn, '-i', images, '-o', target, '--json'].map((a) => JSON.stringify(a)).join(' ');
  // --json still draws progress on a terminal's stderr; Ctrl-C while the accuracy step's line is shown.
  const { code, screen, interrupted } = await ctrlCAt(command, 'accuracy …');
  assert.ok(interrupted, `no progress line was drawn:\n${JSON.stringify(screen)}`);
  assert.equal(code, 130, 'ended by SIGINT (128 + 2)');
  const objects = screen.replace(/\r|\x1b\[[0-9;?]*[A-Za-z]|\x1b[78]/g, '').match(/\{\n {2}"ok"[\s\S]*?\n\}/g) ?? [];
  assert.equal(objects.length, 1, `one JSON object on the terminal:\n${JSON.stringify(screen)}`);
  assert.equal(JSON.parse(objects[0]).error.code, 'INTERRUPTED');
  assert.deepEqual(readdirSync(dir), []);
  assert.ok(!screen.includes(HIDE_CURSOR), 'the cursor was hidden');
  assert.ok(!screen.includes(AUTOWRAP_OFF), 'autowrap was turned off');
});

test('the journal reader keeps the last step and every write, renamed or not, and skips a cut or foreign line', () => {
  const text = [
    '{"step":"writing the keys"}',
    '{"temporary":"m.pk.0011.tmp","path":"m.pk"}',
    '{"renaming":"m.pk"}',
    'null',
    '7',
    '{"temporary":"m.vk.0022.tmp","path":"m.vk"}',
    '{"renam',
  ].join('\n');
  assert.deepEqual(readJournal(text), {
    step: 'writing the keys',
    writes: [
      { temporary: 'm.pk.0011.tmp', path: 'm.pk', renaming: true },
      { temporary: 'm.vk.0022.tmp', path: 'm.vk', renaming: false },
    ],
    finished: undefined,
  });
  assert.equal(readJournal(`${text}\n{"finished":0}\n`).finished, 0);
});

test('a command that dies by itself before finishing (an uncaught exception, no signal): exit 3 with one JSON object, never 1 (rejected), and no temporary left', async () => {
  const dir = tempDir('blockfold-interrupt-');
  const target = join(dir, 'm.bfm');
  const sample = fileURLToPath(modelFile('zktorch-sample-mlp.onnx'));
  const input = fileURLToPath(modelFile('zktorch-sample-mlp.input.json'));
  const crash = fileURLToPath(new URL('../helpers/crash-before-rename.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', crash, 'src/cli.ts', 'compile', sample, '-i', input, '-o', target, '--json'], { cwd: REPO });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  const [exitCode] = await once(child, 'exit');
  assert.match(stderr, /a crash of the command before its rename/, 'the command crashed where the test made it');
  assert.equal(exitCode, 3, stderr);
  const report = JSON.parse(stdout);
  assert.deepEqual(report, { ok: false, exitCode: 3, error: { code: 'INTERNAL', message: report.error.message } });
  // It died after announcing the rename: the file it was about to replace is removed, as after an interruption.
  assert.match(report.error.message, /^the command ended without finishing \(exit code 1\) during writing the compiled model; removed .*m\.bfm$/);
  assert.match(stderr, /^blockfold: the command ended without finishing \(exit code 1\) during writing the compiled model; removed .*m\.bfm$/m);
  assert.deepEqual(readdirSync(dir), [], 'the temporary is removed');
});
