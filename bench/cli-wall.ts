/**
 * Where the wall time of `blockfold verify` goes, per bundled model, from key and proof files made beforehand
 * (`BLOCKFOLD_WALL_DIR`, default `.bench-cache/cli-wall/`, filled by the CLI's compile/setup/prove on first run):
 * the fixed start-up of a command (`--version`), the CLI's wall time from `dist/` and from sources (tsx), and in
 * this process key decoding, the first `verify` call (public-data commitments included) and a second one (the
 * check alone); and for `prove`, the CLI's wall time against the proving it reports and the proving key's loading.
 * Reports wall ÷ check and the target `wall ≤ 1.5 × check + 0.5 s`.
 *
 *   npm run build && node --import tsx bench/cli-wall.ts [sample-mlp fashion-mlp fashion-attn]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { MODELS } from './models';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DIR = process.env.BLOCKFOLD_WALL_DIR ?? `${ROOT}.bench-cache/cli-wall/`;
const INPUTS: Record<string, [string, string]> = {
  'sample-mlp': ['zktorch-sample-mlp.onnx', 'zktorch-sample-mlp.input.json'],
  'fashion-mlp': ['fashion-mlp.onnx', 'fashion-test-64.json'],
  'fashion-attn': ['fashion-attn.onnx', 'fashion-test-64.json'],
};
const models = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(INPUTS);

const cli = (how: 'dist' | 'src', args: string[]) =>
  execFileSync(process.execPath, how === 'dist' ? [`${ROOT}dist/cli.js`, ...args] : ['--import', 'tsx', `${ROOT}src/cli.ts`, ...args], { cwd: ROOT, encoding: 'utf8' });

/** Key and proof files of `model`, made with the CLI (development SRS) when missing. */
function files(model: string): { vk: string; pk: string; proof: string; input: string } {
  const [onnx, input] = INPUTS[model];
  const base = `${DIR}${model}`;
  if (!existsSync(`${base}.proof`)) {
    mkdirSync(DIR, { recursive: true });
    const i = fileURLToPath(new URL(input, MODELS));
    cli('src', ['compile', fileURLToPath(new URL(onnx, MODELS)), '-i', i, '-o', `${base}.bfm`]);
    cli('src', ['setup', `${base}.bfm`, '--dev-srs', '--pk', `${base}.pk`, '--vk', `${base}.vk`]);
    cli('src', ['prove', `${base}.pk`, '-i', i, '-o', `${base}.proof`]);
  }
  return { vk: `${base}.vk`, pk: `${base}.pk`, proof: `${base}.proof`, input: fileURLToPath(new URL(input, MODELS)) };
}

/** Median wall seconds of `runs` CLI verifications, and the check's seconds that the CLI reports. */
function cliWall(how: 'dist' | 'src', vk: string, proof: string, runs: number): { wall: number; check: number } {
  const walls: number[] = [];
  const checks: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = JSON.parse(cli(how, ['verify', vk, proof, '--json'])) as { ok: boolean; seconds: number };
    walls.push((performance.now() - t) / 1000);
    if (!r.ok) throw new Error(`${vk}: the proof was rejected`);
    checks.push(r.seconds);
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1];
  return { wall: median(walls), check: median(checks) };
}

const s = (x: number) => `${x.toFixed(2)} s`;
/** Wall seconds of `blockfold --version` (the supervisor, the command's process, module loading): the fixed cost of any command. */
function startup(how: 'dist' | 'src'): number {
  const t = performance.now();
  cli(how, ['--version']);
  return (performance.now() - t) / 1000;
}
for (const how of ['dist', 'src'] as const)
  if (how === 'src' || existsSync(`${ROOT}dist/cli.js`)) console.log(`start-up and module loading (blockfold --version) from ${how}: ${s(Math.min(startup(how), startup(how), startup(how)))}`);
const api = await import('../src/verify');
const { decodeProvingKey } = await import('../src/pipeline/artifacts');
await api.initWasm();
for (const model of models) {
  const { vk, pk, proof, input } = files(model);
  const vkBytes = new Uint8Array(readFileSync(vk));
  const proofBytes = new Uint8Array(readFileSync(proof));
  let t = performance.now();
  const key = (await api.decodeVerifyingKey(vkBytes)).vk;
  const decodeS = (performance.now() - t) / 1000;
  t = performance.now();
  const first = await api.verifyProofFile(key, proofBytes);
  const firstS = (performance.now() - t) / 1000;
  t = performance.now();
  const second = await api.verifyProofFile(key, proofBytes);
  const secondS = (performance.now() - t) / 1000;
  if (!first.ok || !second.ok) throw new Error(`${model}: the proof was rejected`);
  t = performance.now();
  await decodeProvingKey(new Uint8Array(readFileSync(pk)));
  const pkS = (performance.now() - t) / 1000;
  console.log(`${model}: decode key ${s(decodeS)}, first verify ${s(firstS)}, second verify (the check alone) ${s(secondS)}`);
  for (const how of ['dist', 'src'] as const) {
    if (how === 'dist' && !existsSync(`${ROOT}dist/cli.js`)) continue;
    const r = cliWall(how, vk, proof, 3);
    const target = 1.5 * secondS + 0.5;
    const t = performance.now();
    const proved = JSON.parse(cli(how, ['prove', pk, '-i', input, '-o', `${DIR}${model}.bench.proof`, '--seed', 'bench', '--json'])) as { seconds: number };
    const proveWall = (performance.now() - t) / 1000;
    console.log(
      `  CLI prove from ${how}: wall ${s(proveWall)}, reported proving ${s(proved.seconds)} (proving-key loading in process ${s(pkS)})`,
    );
    console.log(
      `  CLI verify from ${how}: wall ${s(r.wall)} (reported check ${s(r.check)}), wall ÷ check ${(r.wall / secondS).toFixed(2)}, target ≤ ${s(target)}: ${r.wall <= target ? 'met' : 'MISSED'}`,
    );
  }
}
