/**
 * Verify CPU time of this checkout against other checkouts of blockfold, loaded side by side in one process with
 * their verifications interleaved (the order rotates every run), so that a shared machine's load swings hit every
 * side alike: a before/after in separate processes moves by ±30 % on its own. Each checkout compiles, sets up and
 * proves the model with the same seeds (the proofs must be byte-identical, or it stops), then verifies the same proof
 * `runs` times; with `--new-zeta` two proofs of different inputs in turn, so every run pays the work that depends on
 * ζ (barycentric weights) as a verifier of new proofs does. Prints the median and p25 CPU ms of each checkout (this
 * process's user + system time: no worker threads run) and its ratio to the first.
 *
 * `node --import tsx bench/verify-interleaved.ts <checkout>[,<checkout>…] [model,…] [runs] [--new-zeta]`
 * (a checkout is another work tree's root, with `node_modules`, for example `git worktree add ../base main`;
 * this checkout is measured last; models as in `../shared/models`, or a rung of the generated ladder such as
 * `transformer-8` (`bench/ladder.ts`); default the Fashion CNN and the attention model).
 * @module
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchSubject } from './ladder';

type Library = typeof import('../src/index');

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const newZeta = process.argv.includes('--new-zeta');
if (args.length === 0) throw new Error('usage: verify-interleaved.ts <checkout>[,<checkout>…] [model,…] [runs] [--new-zeta]');
const here = resolve(fileURLToPath(new URL('..', import.meta.url)));
const checkouts = [...args[0].split(',').map((d) => resolve(d)), here];
const models = (args[1] ?? 'fashion-cnn,fashion-attn').split(',');
const runs = Number(args[2] ?? 41);

const libraries: Library[] = [];
for (const dir of checkouts) libraries.push((await import(resolve(dir, 'src/index.ts'))) as Library);
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const quantile = (xs: readonly number[], f: number) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * f)];

for (const model of models) {
  const { onnx, feeds } = benchSubject(model);
  const sides = [];
  for (const L of libraries) {
    const compiled = L.compile(onnx, feeds.slice(0, 8));
    const srs = await L.createInsecureDevSrs(Math.ceil(Math.log2(compiled.srsG1Powers)), { g1Powers: compiled.srsG1Powers, g2Powers: 2 });
    const pk = await L.setup(compiled, srs, { seed: 'proof-digests' });
    const first = await L.prove(pk, L.quantizeFeeds(compiled, feeds[0]), { seed: 'proof-digests' });
    const second = newZeta ? await L.prove(pk, L.quantizeFeeds(compiled, feeds[1]), { seed: 'second' }) : first;
    const proofs = [first, second];
    const digest = proofs.map((p) => createHash('sha256').update(p.proof.bytes).digest('hex')).join(' ');
    sides.push({ L, vk: pk.vk, proofs, digest });
  }
  if (new Set(sides.map((s) => s.digest)).size !== 1) throw new Error(`${model}: the checkouts' proofs differ`);
  const times: number[][] = sides.map(() => []);
  for (let run = 0; run <= runs; run++) {
    for (let k = 0; k < sides.length; k++) {
      const j = (k + run) % sides.length;
      const { L, vk, proofs } = sides[j];
      const { statement, proof } = proofs[run % 2];
      const start = cpuMs();
      const result = await L.verify(vk, statement, proof.bytes);
      const ms = cpuMs() - start;
      if (!result.ok) throw new Error(`${model}: ${checkouts[j]} rejected an honest proof: ${result.reason}`);
      if (run > 0) times[j].push(ms); // the first run of each side warms its caches
    }
  }
  console.log(`${model}${newZeta ? ', two proofs in turn' : ''}: verify CPU ms, median (p25) of ${runs} runs, ratio to the first`);
  checkouts.forEach((dir, j) => {
    const median = quantile(times[j], 0.5);
    console.log(`  ${dir}: ${median.toFixed(1)} (${quantile(times[j], 0.25).toFixed(1)}) ×${(median / quantile(times[0], 0.5)).toFixed(3)}`);
  });
}
for (const L of libraries) await L.getDefaultEngine().close();
