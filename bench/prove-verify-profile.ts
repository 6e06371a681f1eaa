/**
 * A profiling harness for the protocol overhead: prove and verify one model `iterations` times in one process,
 * print the median wall and CPU times (CPU: this process's user + system time, steadier than wall time on a
 * shared machine as long as no worker threads run) and a SHA-256 digest of the proof bytes (so a performance change can show that proof
 * bytes did not change). Run it under `node --cpu-prof --import tsx` to get a profile of the steady state.
 *
 * `node --import tsx bench/prove-verify-profile.ts <model> [iterations]`
 * (model: `zktorch-sample-mlp` or `fashion-mlp`, names in `../shared/models`).
 * @module
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { feedsFor, MODELS } from './models';
import { compile, createInsecureDevSrs, getDefaultEngine, prove, quantizeFeeds, setup, verify } from '../src/index';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const model = process.argv[2] ?? 'zktorch-sample-mlp';
const iterations = Number(process.argv[3] ?? 5);
const feeds = feedsFor(model);
const compiled = compile(readFileSync(new URL(`${model}.onnx`, MODELS)), feeds);
const srs = await createInsecureDevSrs(Math.ceil(Math.log2(compiled.srsG1Powers)), { g1Powers: compiled.srsG1Powers, g2Powers: 2 });
const pk = await setup(compiled, srs);
const inputs = quantizeFeeds(compiled, feeds[0]);
const proveMs: number[] = [];
const verifyMs: number[] = [];
const proveCpuMs: number[] = [];
const verifyCpuMs: number[] = [];
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const digests = new Set<string>();
for (let i = 0; i < iterations; i++) {
  let t = performance.now();
  let c = cpuMs();
  const { statement, proof } = await prove(pk, inputs);
  proveMs.push(performance.now() - t);
  proveCpuMs.push(cpuMs() - c);
  digests.add(createHash('sha256').update(proof.bytes).digest('hex'));
  t = performance.now();
  c = cpuMs();
  const result = await verify(pk.vk, statement, proof.bytes);
  verifyMs.push(performance.now() - t);
  verifyCpuMs.push(cpuMs() - c);
  if (!result.ok) throw new Error(`${model}: honest proof rejected: ${result.reason}`);
}
const show = (xs: number[]) => `${median(xs).toFixed(0)} ms [${xs.map((x) => x.toFixed(0)).join(' ')}]`;
console.log(
  `${model}: prove median ${show(proveMs)} cpu ${show(proveCpuMs)}, verify median ${show(verifyMs)} cpu ${show(verifyCpuMs)}, ` +
    `proof sha256 ${[...digests].join(',')}`,
);
await getDefaultEngine().close();
