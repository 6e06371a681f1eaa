/**
 * Keys that travel: a verifying key made from a real `.ptau` ceremony file (the snarkjs fixture of 2^4 powers,
 * enough for a one-block model) verifies a proof through the command line after being copied alone, with the
 * proof, to an empty folder: no `.ptau`, no ONNX and no proving key beside it. A false statement (one input's
 * proof with another input's output) is rejected there, so the check can fail.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { encodeProof, encodeVerifyingKey } from '../../src/pipeline/artifacts';
import { compile, quantizeFeeds } from '../../src/pipeline/compile';
import { setup } from '../../src/pipeline/keys';
import { prove } from '../../src/pipeline/prove-verify';
import { tensor } from '../../src/model/tensor';
import { readPtauFile } from '../../src/srs/ptau';
import { floatRaw, singleOpModel } from '../onnx/builder';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const ptau = fileURLToPath(new URL('../fixtures/ptau/bn254-p4-prepared.ptau', import.meta.url));

function cliVerify(vk: string, proof: string): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) =>
    execFile(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'verify', vk, proof, '--json'], { cwd: repo }, (e, stdout) => resolve({ code: e ? (e.code as number) : 0, stdout })),
  );
}

test('a .vk made from a real .ptau verifies after being copied alone to an empty folder; a false statement is rejected there', async () => {
  const onnx = singleOpModel('Add', [4], [4], [floatRaw('B', [4], [0.5, -0.25, 0.125, 1])]);
  const model = compile(onnx, [{ x: tensor([4], [0.1, 0.2, 0.3, 0.4]) }]);
  const srs = await readPtauFile(ptau, { maxG1: model.srsG1Powers, maxG2: 2 });
  assert.equal(srs.insecure, false, 'a ceremony file, not the development SRS');
  const pk = await setup(model, srs);
  const [a, b] = [[0.1, 0.2, 0.3, 0.4], [0.4, 0.3, 0.2, 0.1]].map((x) => quantizeFeeds(model, { x: tensor([4], x) }));
  const [pa, pb] = [await prove(pk, a), await prove(pk, b)];
  assert.notDeepEqual(pa.statement.outputs, pb.statement.outputs);
  const dir = mkdtempSync(join(tmpdir(), 'blockfold-ptau-vk-'));
  writeFileSync(join(dir, 'm.vk'), encodeVerifyingKey({ srs: { kind: 'ptau' }, vk: pk.vk }));
  writeFileSync(join(dir, 'm.proof'), encodeProof({ verifyingKeyDigest: pk.vk.digest, statement: pa.statement, proof: pa.proof }));
  // A false statement: a's input with b's output.
  writeFileSync(join(dir, 'other.proof'), encodeProof({ verifyingKeyDigest: pk.vk.digest, statement: { ...pa.statement, outputs: pb.statement.outputs }, proof: pa.proof }));
  assert.deepEqual(readdirSync(dir).sort(), ['m.proof', 'm.vk', 'other.proof']);
  const ok = await cliVerify(join(dir, 'm.vk'), join(dir, 'm.proof'));
  assert.equal(ok.code, 0, ok.stdout);
  assert.equal(JSON.parse(ok.stdout).accepted, true);
  const bad = await cliVerify(join(dir, 'm.vk'), join(dir, 'other.proof'));
  assert.notEqual(bad.code, 0, bad.stdout);
  assert.equal(JSON.parse(bad.stdout).accepted, false);
});
