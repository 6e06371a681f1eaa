/**
 * What hiding costs: prove time, proof size and verify time of each bundled model with blinding (the default)
 * and without (`unblinded`, a bench-only switch), runs interleaved in one process on one engine.
 *
 * `node --import tsx bench/zk.ts [model …] [--runs=3]` (models: names in the shared models folder; default
 * `zktorch-sample-mlp fashion-mlp`). Times are this process's CPU time (user + system, no workers), medians.
 * @module
 */
import { readFileSync } from 'node:fs';
import { feedsFor, MODELS } from './models';
import { compile, createInsecureDevSrs, prove, quantizeFeeds, setup, verify } from '../src/index';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function cpu<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const c = process.cpuUsage();
  const value = await fn();
  const used = process.cpuUsage(c);
  return { ms: (used.user + used.system) / 1000, value };
}

const args = process.argv.slice(2);
const runs = Number(args.find((a) => a.startsWith('--runs='))?.split('=')[1] ?? 3);
const models = args.filter((a) => !a.startsWith('--'));
console.log('| model | prove CPU unblinded | prove CPU hidden | Δ prove | proof unblinded | proof hidden | Δ size | verify CPU unblinded | verify CPU hidden |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const model of models.length > 0 ? models : ['zktorch-sample-mlp', 'fashion-mlp']) {
  const feeds = feedsFor(model);
  const compiled = compile(readFileSync(new URL(`${model}.onnx`, MODELS)), feeds.slice(0, 8));
  const srs = await createInsecureDevSrs(Math.ceil(Math.log2(compiled.srsG1Powers)), { g1Powers: compiled.srsG1Powers, g2Powers: 2 });
  const pk = await setup(compiled, srs);
  const inputs = quantizeFeeds(compiled, feeds[0]);
  const modes = [{ unblinded: true }, { unblinded: false }] as const;
  const prove_ = modes.map(() => [] as number[]);
  const verify_ = modes.map(() => [] as number[]);
  const size = modes.map(() => 0);
  await prove(pk, inputs); // warm-up: lazily built tables and domains are not the proof
  for (let r = 0; r < runs; r++) {
    for (const [i, mode] of modes.entries()) {
      const p = await cpu(() => prove(pk, inputs, mode));
      prove_[i].push(p.ms);
      size[i] = p.value.proof.bytes.length;
      const v = await cpu(() => verify(pk.vk, p.value.statement, p.value.proof.bytes));
      if (!v.value.ok) throw new Error(`${model}: a proof did not verify`);
      verify_[i].push(v.ms);
    }
  }
  const [pu, ph] = prove_.map(median);
  const [vu, vh] = verify_.map(median);
  const pct = (a: number, b: number) => `${b >= a ? '+' : ''}${(((b - a) / a) * 100).toFixed(1)} %`;
  console.log(`| ${model} | ${pu.toFixed(0)} ms | ${ph.toFixed(0)} ms | ${pct(pu, ph)} | ${size[0].toLocaleString('en')} B | ${size[1].toLocaleString('en')} B | ${pct(size[0], size[1])} | ${vu.toFixed(0)} ms | ${vh.toFixed(0)} ms |`);
}
