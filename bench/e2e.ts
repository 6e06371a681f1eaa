/**
 * End-to-end bench per model: compile, setup, prove and verify times (tinybench medians), peak memory,
 * proof size against `bench/targets.json`, and prove time ÷ commitment floor (the time to commit every
 * witness row once with the same engine), for both verification paths.
 *
 * `node --import tsx bench/e2e.ts [model ...]` (default: the sample MLP and the Fashion MLP; the CNN and the
 * attention model take minutes).
 */
import { readFileSync } from 'node:fs';
import { feedsFor, MODELS } from './models';
import { resourceUsage } from 'node:process';
import { Bench } from 'tinybench';
import { commitTensors, computeGraphWitness } from '../src/pipeline/graph-proof';
import { blockContext } from '../src/pipeline/keys';
import { compile, createInsecureDevSrs, getDefaultEngine, prove, quantizeFeeds, setup, verify, type ProofPath } from '../src/index';

export const name = 'end to end';

const targets = JSON.parse(readFileSync(new URL('./targets.json', import.meta.url), 'utf8')) as Record<string, { proveMs: number; verifyMs: number; proofBytes: number; setupMs?: number }>;


async function median(fn: () => Promise<unknown>, iterations: number): Promise<number> {
  const b = new Bench({ iterations, time: 0, warmup: false });
  b.add('x', async () => void (await fn()));
  await b.run();
  const r = b.getTask('x')?.result;
  if (r && 'error' in r && r.error) throw r.error;
  return r && 'latency' in r ? r.latency.p50 : NaN;
}

/** One row per model and path. */
export interface E2eRow {
  model: string;
  path: ProofPath;
  compileMs: number;
  setupMs: number;
  proveMs: number;
  verifyMs: number;
  floorMs: number;
  proveOverFloor: number;
  proofBytes: number;
  targetBytes: number;
  peakRssMiB: number;
}

/** Benchmarks `models` (names in `../shared/models`). */
export async function e2eBenchSuite(models: readonly string[] = ['zktorch-sample-mlp', 'fashion-mlp'], iterations = 3): Promise<E2eRow[]> {
  const rows: E2eRow[] = [];
  for (const model of models) {
    const onnx = readFileSync(new URL(`${model}.onnx`, MODELS));
    const feeds = feedsFor(model);
    let compiled = compile(onnx, feeds);
    const compileMs = await median(async () => (compiled = compile(onnx, feeds)), iterations);
    const srs = await createInsecureDevSrs(Math.ceil(Math.log2(compiled.srsG1Powers)), { g1Powers: compiled.srsG1Powers, g2Powers: 2 });
    let pk = await setup(compiled, srs);
    const setupMs = await median(async () => (pk = await setup(compiled, srs)), iterations);
    const inputs = quantizeFeeds(compiled, feeds[0]);
    const values = computeGraphWitness(compiled.graph, { ...inputs, ...compiled.weights });
    const floorMs = await median(() => commitTensors(blockContext(pk.vk.kzg), compiled.graph, values, ['input', 'output', 'wire']), iterations);
    for (const path of ['direct', 'folded'] as const) {
      let result = await prove(pk, inputs, { path });
      const proveMs = await median(async () => (result = await prove(pk, inputs, { path })), iterations);
      const verifyMs = await median(async () => {
        const v = await verify(pk.vk, result.statement, result.proof.bytes);
        if (!v.ok) throw new Error(`${model}: honest proof rejected: ${v.reason}`);
      }, iterations);
      rows.push({
        model,
        path,
        compileMs,
        setupMs,
        proveMs,
        verifyMs,
        floorMs,
        proveOverFloor: proveMs / floorMs,
        proofBytes: result.proof.bytes.length,
        targetBytes: targets[model]?.proofBytes ?? NaN,
        peakRssMiB: resourceUsage().maxRSS / 1024,
      });
    }
  }
  return rows;
}

/** Prints the table with each figure against its target. */
export async function run(models?: readonly string[]): Promise<void> {
  const rows = await e2eBenchSuite(models);
  const engine = getDefaultEngine();
  console.log(`engine: ${engine.name}, workers: ${engine.workers}; times are medians in ms`);
  console.table(
    rows.map((r) => {
      const t = targets[r.model];
      const vs = (x: number, target: number | undefined) => (target ? `${x.toFixed(0)} (${(x / target).toFixed(2)}× target)` : x.toFixed(0));
      return {
        model: r.model,
        path: r.path,
        compile: r.compileMs.toFixed(0),
        setup: vs(r.setupMs, t?.setupMs),
        prove: vs(r.proveMs, t?.proveMs),
        verify: vs(r.verifyMs, t?.verifyMs),
        'prove÷floor': r.proveOverFloor.toFixed(1),
        bytes: vs(r.proofBytes, t?.proofBytes),
        'peak RSS MiB': r.peakRssMiB.toFixed(0),
      };
    }),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const models = process.argv.slice(2);
  await run(models.length > 0 ? models : undefined);
  await getDefaultEngine().close();
}
