/**
 * The command line in a real terminal (a pseudo-terminal from util-linux `script`): every step draws its
 * progress line (loading keys included), but the terminal's state is never changed (no hidden cursor, no
 * autowrap off), so Ctrl-C in the middle of a step leaves the user's terminal as it was.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { modelFile, SAMPLE_MLP } from '../model/fixtures';
import { AUTOWRAP_OFF, ctrlCAt, hasScript, HIDE_CURSOR, REPO } from '../helpers/terminal';
import { tempDir } from '../helpers/temp-dir';

test('Ctrl-C during setup leaves the cursor visible and autowrap on', { skip: !hasScript() && 'util-linux script is not installed' }, async () => {
  // The setup step of the Fashion MLP takes seconds: Ctrl-C lands while its progress line is shown.
  const { code, screen, interrupted } = await ctrlCAt(`${JSON.stringify(process.execPath)} --import tsx src/cli.ts demo --model fashion-mlp`, 'setup …');
  assert.ok(interrupted, `no progress line was drawn:\n${JSON.stringify(screen)}`);
  assert.equal(code, 130, 'ended by SIGINT (128 + 2)');
  assert.ok(!screen.includes(HIDE_CURSOR), 'the cursor was hidden');
  assert.ok(!screen.includes(AUTOWRAP_OFF), 'autowrap was turned off');
});

test('every step shows its progress line on a terminal: reading, loading the keys, proving, verifying, writing', { skip: !hasScript() && 'util-linux script is not installed' }, async () => {
  const dir = tempDir('blockfold-progress-');
  const f = (name: string) => JSON.stringify(join(dir, name));
  const cli = `${JSON.stringify(process.execPath)} --import tsx src/cli.ts`;
  const input = JSON.stringify(fileURLToPath(modelFile('zktorch-sample-mlp.input.json')));
  const commands = [
    `${cli} compile ${JSON.stringify(fileURLToPath(modelFile(SAMPLE_MLP)))} -i ${input} -o ${f('m.bfm')}`,
    `${cli} setup ${f('m.bfm')} --dev-srs --pk ${f('m.pk')} --vk ${f('m.vk')}`,
    `${cli} prove ${f('m.pk')} -i ${input} -o ${f('m.proof')}`,
    `${cli} verify ${f('m.vk')} ${f('m.proof')} --json`,
  ];
  const child = spawn('script', ['-qfec', commands.join(' && '), '/dev/null'], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  let screen = '';
  child.stdout.on('data', (chunk: Buffer) => (screen += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  assert.equal(code, 0, screen);
  const labels = [
    ['compile', ['reading the model and the samples', 'compile', 'writing the compiled model', 'accuracy']],
    ['setup', ['loading the compiled model', 'computing the development SRS', 'setup: committing the weights', 'writing the keys']],
    ['prove', ['loading the proving key', 'reading the input', 'prove', 'writing the proof']],
    ['verify (--json: the progress is on stderr, the object on stdout)', ['loading the verifying key', 'reading the proof', 'verify']],
  ] as const;
  for (const [command, steps] of labels) for (const step of steps) assert.match(screen, new RegExp(`\\x1b\\[1G${step}( …|: | \\[)`), `${command}: "${step}" was shown`);
  assert.ok(!screen.includes(HIDE_CURSOR) && !screen.includes(AUTOWRAP_OFF), 'the terminal state was never changed');
});
