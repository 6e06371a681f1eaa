/**
 * Fits `inspect`'s cost model to measurements and prints estimate ÷ measured for every model.
 *
 * For each model (bundled and generated), in a child process of its own: `inspect`'s features — the commitment
 * floor F (seconds: the witness rows' MSMs priced by an MSM probe of this engine), the block count B, the probe's
 * fixed cost per MSM u, and all committed points P — then one proof: prove wall and CPU seconds, peak RSS, proof
 * bytes. Relative least squares (minimising Σ (estimate ÷ measured − 1)²) fit
 *
 *   prove (CPU seconds) ≈ a·F + b·B·u        memory ≈ m₀ + m₁·P
 *
 * (B·u prices the per-block work that is not an MSM in units of this machine's speed, so the coefficients carry
 * to other machines as F and u do). Paste the printed coefficients into `COST_MODEL` (`src/pipeline/inspect.ts`).
 * The last table is inspect's current estimate ÷ measured (aim 0.5–2×). `--from=rows.json` (repeatable) adds the
 * models that `bench/depth.ts --json=rows.json` measured (the depth ladder at full size and the bundled models)
 * without proving them again; `--from=… --only-from` fits those alone.
 *
 * `nice node --import tsx bench/cost-model.ts [model …] [--from=rows.json …] [--only-from]`
 * @module
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compile, createInsecureDevSrs, getDefaultEngine, prove, quantizeFeeds, setup, type Tensor } from '../src/index';
import { COST_MODEL, inspect } from '../src/pipeline/inspect';
import { feedsFor, MODELS } from './models';
import { ladderModels } from './ladder';
import { randomFeeds, residualCnn, transformerEncoder } from '../test/model/deep-models';

export const name = 'cost model';

type Subject = () => { onnx: Uint8Array; feeds: Record<string, Tensor>[] };

const bundled = (m: string): Subject => () => ({ onnx: new Uint8Array(readFileSync(new URL(`${m}.onnx`, MODELS))), feeds: feedsFor(m).slice(0, 8) });

const SUBJECTS: Readonly<Record<string, Subject>> = {
  'zktorch-sample-mlp': bundled('zktorch-sample-mlp'),
  'fashion-mlp': bundled('fashion-mlp'),
  'fashion-cnn': bundled('fashion-cnn'),
  'fashion-attn': bundled('fashion-attn'),
  ...Object.fromEntries(ladderModels([2, 8]).map((m) => [m.name, () => ({ onnx: m.onnx, feeds: m.feeds })])),
  'encoder-2-small': () => ({ onnx: transformerEncoder({ blocks: 2, sequence: 4, width: 8, heads: 2 }), feeds: randomFeeds('x', [4, 8], 4, 5) }),
  'cnn-20-small': () => ({ onnx: residualCnn({ layers: 20, channels: 2, inputChannels: 3, size: 4, classes: 4 }), feeds: randomFeeds('x', [1, 3, 4, 4], 4, 5) }),
};

/** What one child measures: inspect's features and estimates, then one proof (the default, protocol v2). */
export interface Sample {
  readonly model: string;
  readonly floorS: number;
  readonly blocks: number;
  readonly msmS: number;
  readonly points: number;
  readonly estimate: { readonly proveS: number; readonly memoryBytes: number; readonly proofBytes: number };
  readonly proveS: number;
  /** CPU seconds of the prove: on a shared machine, what a quiet one takes in wall time (the engine runs on this thread). */
  readonly proveCpuS: number;
  readonly peakBytes: number;
  readonly proofBytes: number;
}

async function measure(model: string): Promise<Sample> {
  const { onnx, feeds } = SUBJECTS[model]();
  const report = await inspect(onnx, feeds);
  const c = report.compiled;
  if (!c) throw new Error(`${model}: does not compile: ${report.compileError?.message ?? report.unsupported.map((u) => u.node).join(', ')}`);
  const compiled = compile(onnx, feeds);
  const srs = await createInsecureDevSrs(Math.ceil(Math.log2(compiled.srsG1Powers)), { g1Powers: compiled.srsG1Powers, g2Powers: 2 });
  const pk = await setup(compiled, srs);
  const inputs = quantizeFeeds(compiled, feeds[0]);
  const t = performance.now();
  const cpu = process.cpuUsage();
  const { proof } = await prove(pk, inputs);
  const proveS = (performance.now() - t) / 1000;
  const { user, system } = process.cpuUsage(cpu);
  return {
    model,
    floorS: c.estimate.commitmentFloorSeconds,
    blocks: compiled.graph.nodes.length,
    msmS: c.estimate.msm.secondsPerMsm,
    points: Object.values(c.committedRows).reduce((n: number, r) => n + r.points, 0),
    estimate: { proveS: c.estimate.proveSeconds, memoryBytes: c.estimate.memoryBytes, proofBytes: c.estimate.proofBytes.proof },
    proveS,
    proveCpuS: (user + system) / 1e6,
    peakBytes: process.resourceUsage().maxRSS * 1024,
    proofBytes: proof.bytes.length,
  };
}

/** Least squares y ≈ Σ cᵢ·xᵢ (normal equations, small systems). */
function leastSquares(xs: readonly number[][], y: readonly number[]): number[] {
  const k = xs[0].length;
  const a = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => xs.reduce((s, x) => s + x[i] * x[j], 0)));
  const b = Array.from({ length: k }, (_, i) => xs.reduce((s, x, r) => s + x[i] * y[r], 0));
  // Gaussian elimination with partial pivoting.
  for (let c = 0; c < k; c++) {
    const p = a.slice(c).reduce((best, row, i) => (Math.abs(row[c]) > Math.abs(a[best][c]) ? c + i : best), c);
    [a[c], a[p]] = [a[p], a[c]];
    [b[c], b[p]] = [b[p], b[c]];
    for (let r = c + 1; r < k; r++) {
      const f = a[r][c] / a[c][c];
      for (let j = c; j < k; j++) a[r][j] -= f * a[c][j];
      b[r] -= f * b[c];
    }
  }
  const out = new Array<number>(k).fill(0);
  for (let c = k - 1; c >= 0; c--) out[c] = (b[c] - a[c].slice(c + 1).reduce((s, v, j) => s + v * out[c + 1 + j], 0)) / a[c][c];
  return out;
}

/**
 * Measures every model (one child process each), adds the samples of `from` (rows of `bench/depth.ts --json=`),
 * fits, prints coefficients and estimate ÷ measured.
 */
export async function run(models: readonly string[] = Object.keys(SUBJECTS), from: readonly string[] = []): Promise<void> {
  const samples: Sample[] = from.flatMap((file) => (JSON.parse(readFileSync(file, 'utf8')) as { cost: Sample }[]).map((r) => r.cost));
  for (const m of models) {
    const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', m], { encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'] });
    samples.push(JSON.parse(out.slice(out.indexOf('{'))) as Sample);
  }
  // Relative least squares (each row divided by its measurement): the models span two orders of magnitude, and
  // a ratio is what the estimate is judged by.
  const relative = (x: number[], y: number) => x.map((v) => v / y);
  // Prove time is fitted to CPU seconds: the probe prices a quiet machine, and on a busy one wall time is not a
  // property of the model.
  const [a, b] = leastSquares(samples.map((s) => relative([s.floorS, s.blocks * s.msmS], s.proveCpuS)), samples.map(() => 1));
  const [m0, m1] = leastSquares(samples.map((s) => relative([1, s.points], s.peakBytes)), samples.map(() => 1));
  console.log(`fitted on ${samples.length} models: prove ≈ ${a.toPrecision(4)}·floor + ${b.toPrecision(4)}·blocks·msm; memory ≈ ${(m0 / 2 ** 20).toFixed(1)} MiB + ${m1.toPrecision(4)} B·points`);
  console.log(`COST_MODEL = { proveFloor: ${a.toPrecision(4)}, provePerBlockMsms: ${b.toPrecision(4)}, memoryBaseBytes: ${Math.round(m0)}, memoryPerPointBytes: ${m1.toPrecision(4)} }`);
  const r = (x: number) => x.toFixed(2);
  console.table(
    samples.map((s) => ({
      model: s.model,
      'prove s': s.proveS.toFixed(2),
      'prove CPU s': s.proveCpuS.toFixed(2),
      'fit ÷ measured': r((a * s.floorS + b * s.blocks * s.msmS) / s.proveCpuS),
      'inspect prove ÷ measured': r(s.estimate.proveS / s.proveCpuS),
      'inspect memory ÷ measured': r(s.estimate.memoryBytes / s.peakBytes),
      'inspect proof ÷ measured': r(s.estimate.proofBytes / s.proofBytes),
    })),
  );
  console.log(`(inspect uses COST_MODEL = ${JSON.stringify(COST_MODEL)})`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    console.log(JSON.stringify(await measure(args[1])));
    await getDefaultEngine().close();
  } else {
    const from = args.filter((a) => a.startsWith('--from=')).map((a) => a.slice('--from='.length));
    const models = args.filter((a) => !a.startsWith('--'));
    await run(args.includes('--only-from') ? [] : models.length > 0 ? models : undefined, from);
  }
}
