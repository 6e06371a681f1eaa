/**
 * A profiling harness for the protocol overhead: prove and verify one model `iterations` times in one process,
 * print the median wall and CPU times (CPU: this process's user + system time, steadier than wall time on a
 * shared machine as long as no worker threads run) and a SHA-256 digest of the proof bytes (so a performance change can show that proof
 * bytes did not change). Run it under `node --cpu-prof --import tsx` to get a profile of the steady state.
 *
 * With `--against=<checkout>[,<checkout>…]` (another work tree's root, with `node_modules`) it measures prove CPU
 * instead, of those checkouts and this one loaded side by side in one process with their proofs interleaved (the
 * order rotates every run, so a shared machine's load swings hit every side alike), all seeded alike: the proofs
 * must be byte-identical, or it stops (with `--layouts-differ` they need not be: a change of the proof layout, such as
 * the logUp bundles', is timed against the layout it replaces; each side's proofs are still its own seeded ones). It
 * prints each side's median (and p25) prove CPU ms and its ratio to the first.
 * With `--workers=W[,W…]` as well, each checkout is loaded once per worker count (its key set up on a WASM engine with
 * W workers; 0 computes on the calling thread) and every side also gets its median (and p25) prove wall time, with its
 * ratio to the same checkout's first worker count: what 2 workers gain over one thread, measured interleaved (CPU
 * time counts every thread, so with workers the wall time is the figure).
 * With `--distinct-inputs` run k proves the model's k-th feed (the Fashion models' 64 test images, in turn) instead
 * of the first every run, so that what a prover keeps from one proof cannot make the next proof of the same input
 * cheaper than a new input's.
 *
 * `node --import tsx bench/prove-verify-profile.ts <model> [iterations] [--against=<checkout>,…] [--workers=0,2] [--distinct-inputs] [--layouts-differ]`
 * (model: `zktorch-sample-mlp`, `fashion-mlp`, `fashion-cnn` or `fashion-attn`, names in `../shared/models`, or a rung of
 * the generated ladder such as `transformer-8`, `bench/ladder.ts`).
 * @module
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchSubject } from './ladder';
import { compile, createInsecureDevSrs, getDefaultEngine, prove, quantizeFeeds, setup, verify } from '../src/index';

type Library = typeof import('../src/index');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const quantile = (xs: readonly number[], f: number) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * f)];
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const against = process.argv.find((a) => a.startsWith('--against='))?.slice('--against='.length);
const distinctInputs = process.argv.includes('--distinct-inputs');
const layoutsDiffer = process.argv.includes('--layouts-differ');
const workerCounts = process.argv
  .find((a) => a.startsWith('--workers='))
  ?.slice('--workers='.length)
  .split(',')
  .map(Number);
const model = args[0] ?? 'zktorch-sample-mlp';
const iterations = Number(args[1] ?? 5);
const { onnx, feeds } = benchSubject(model);

/** Prove CPU of the checkouts and this one, interleaved in this process, with seeded (byte-identical) proofs. */
async function interleaved(checkouts: string[]): Promise<void> {
  const libraries: Library[] = [];
  for (const dir of checkouts) libraries.push((await import(resolve(dir, 'src/index.ts'))) as Library);
  const sides: {
    L: Library;
    pk: Awaited<ReturnType<Library['setup']>>;
    engine: ReturnType<Library['getDefaultEngine']>;
    name: string;
    /** The side of the same checkout with the first worker count. */
    first: number;
    inputsOf: (run: number) => ReturnType<Library['quantizeFeeds']>;
  }[] = [];
  for (const [c, L] of libraries.entries()) {
    const compiled = L.compile(onnx, feeds.slice(0, 8));
    for (const workers of workerCounts ?? [undefined]) {
      const engine = workers === undefined ? L.getDefaultEngine() : L.createWasmEngine({ workers });
      const srs = await L.createInsecureDevSrs(Math.ceil(Math.log2(compiled.srsG1Powers)), { g1Powers: compiled.srsG1Powers, g2Powers: 2, engine });
      const pk = await L.setup(compiled, srs, { seed: 'prove-interleaved', engine });
      const name = workers === undefined ? checkouts[c] : `${checkouts[c]}, ${workers} workers`;
      sides.push({ L, pk, engine, name, first: workerCounts === undefined ? 0 : sides.length - (sides.length % workerCounts.length), inputsOf: (run: number) => L.quantizeFeeds(compiled, feeds[distinctInputs ? run % feeds.length : 0]) });
    }
  }
  const times: number[][] = sides.map(() => []);
  const walls: number[][] = sides.map(() => []);
  for (let run = 0; run <= iterations; run++) {
    const digests = new Set<string>();
    for (let k = 0; k < sides.length; k++) {
      const j = (k + run) % sides.length;
      const { L, pk, inputsOf } = sides[j];
      const inputs = inputsOf(run);
      const start = cpuMs();
      const wall = performance.now();
      const { proof } = await L.prove(pk, inputs, { seed: `run ${run}` });
      const ms = cpuMs() - start;
      digests.add(sha256(proof.bytes));
      // The first run of each side warms its caches.
      if (run > 0) {
        times[j].push(ms);
        walls[j].push(performance.now() - wall);
      }
    }
    if (digests.size !== 1 && !layoutsDiffer) throw new Error(`${model}: the sides' proofs differ (run ${run})`);
  }
  console.log(`${model}: prove CPU ms, median (p25) of ${iterations} interleaved runs${distinctInputs ? ` (inputs in turn: ${Math.min(feeds.length, iterations + 1)} distinct of ${iterations + 1} proofs)` : ''}, ratio to the first; ${layoutsDiffer ? 'each side its own proof layout' : 'proofs byte-identical'}`);
  sides.forEach(({ name, first }, j) => {
    const m = quantile(times[j], 0.5);
    const w = quantile(walls[j], 0.5);
    const wall = workerCounts === undefined ? '' : `; wall ${w.toFixed(0)} (${quantile(walls[j], 0.25).toFixed(0)}) ×${(w / quantile(walls[first], 0.5)).toFixed(3)} of ${sides[first].name}`;
    console.log(`  ${name}: ${m.toFixed(0)} (${quantile(times[j], 0.25).toFixed(0)}) ×${(m / quantile(times[0], 0.5)).toFixed(3)}${wall}`);
  });
  for (const { engine } of sides) await engine.close();
}

/** Prove and verify this checkout `iterations` times: median wall and CPU times and the proofs' digests. */
async function profile(): Promise<void> {
  const compiled = compile(onnx, feeds);
  const srs = await createInsecureDevSrs(Math.ceil(Math.log2(compiled.srsG1Powers)), { g1Powers: compiled.srsG1Powers, g2Powers: 2 });
  const pk = await setup(compiled, srs);
  const inputs = quantizeFeeds(compiled, feeds[0]);
  const proveMs: number[] = [];
  const verifyMs: number[] = [];
  const proveCpuMs: number[] = [];
  const verifyCpuMs: number[] = [];
  const digests = new Set<string>();
  for (let i = 0; i < iterations; i++) {
    let t = performance.now();
    let c = cpuMs();
    const { statement, proof } = await prove(pk, inputs);
    proveMs.push(performance.now() - t);
    proveCpuMs.push(cpuMs() - c);
    digests.add(sha256(proof.bytes));
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
}

if (against !== undefined) await interleaved([...against.split(',').map((d) => resolve(d)), resolve(fileURLToPath(new URL('..', import.meta.url)))]);
else await profile();
