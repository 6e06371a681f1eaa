/**
 * Fuzzing of every file format a verifier or prover reads (issue 12, finding 7): proof, proving key,
 * verifying key, compiled model, the architecture blob (block codecs, tables, index maps), `.ptau`, a prepared range basis, ONNX. The cases (`cases.ts`) run in a child process with a 1 GiB
 * heap, so a case that allocates gigabytes kills the child and fails this test; each case must end within
 * 10 s in a typed error or in a result that means the same as the unmutated file, and enough of the
 * container cases must carry a valid checksum so that the decoders behind it are reached.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));

test('fuzzed proof, key, compiled-model, architecture, .ptau, range-basis and ONNX files end in typed errors, never a crash, an OOM or a changed statement', async () => {
  const formats = ['proof', 'proving-key', 'verifying-key', 'compiled-model', 'architecture', 'ptau', 'range-basis', 'onnx'];
  const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    execFile(
      process.execPath,
      ['--max-old-space-size=1024', '--import', 'tsx', 'test/fuzz/cases.ts', ...formats],
      { cwd: repo, timeout: 170_000, maxBuffer: 64 * 2 ** 20 },
      (e, stdout, stderr) => resolve({ code: e ? ((e as { code?: number }).code ?? null) : 0, stdout, stderr }),
    ),
  );
  assert.equal(run.code, 0, `fuzz cases failed (exit ${run.code}):\n${run.stderr.slice(-4000)}`);
  const stats = JSON.parse(run.stdout.trim().split('\n').pop()!) as Record<string, { cases: number; slowest: number; pastChecksum: number }>;
  for (const format of formats) assert.ok(Object.keys(stats).some((k) => k.startsWith(format)), `${format} was fuzzed`);
  // About half of the container mutations get their checksum recomputed (those of garbage alone cannot): unless
  // a share of the cases reach the decoders behind the checksum, the fuzz tests nothing but the checksum.
  for (const format of ['proof', 'proving-key', 'verifying-key', 'compiled-model'])
    assert.ok(stats[format].pastChecksum >= Math.max(1, stats[format].cases / 8), `${format}: ${stats[format].pastChecksum} of ${stats[format].cases} cases passed the checksum`);
  for (const [format, s] of Object.entries(stats)) console.log(`${format}: ${s.cases} cases (${s.pastChecksum} past the checksum), slowest ${s.slowest.toFixed(2)} s`);
});
