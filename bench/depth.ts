/**
 * Depth ladder bench (issue 10): the generated ladder at full size — MLPs of 2/8/32 layers (width 64), residual
 * CNNs of 2/8/20 convolutions with BatchNorm (8 channels, 16×16 images), transformer encoders of 1/2/4/12 blocks
 * (sequence 16, width 64, 4 heads, LayerNorm, GELU) — and every bundled model (`../shared/models`). Their small
 * versions are what `test/model/depth.test.ts` proves. Per model, in a child process of its own:
 *
 * - compile, setup, prove (the default proof, protocol v2) and verify seconds, the prove's CPU seconds (the engine
 *   runs on this thread unless BLOCKFOLD_WORKERS says otherwise, so on a shared machine they are what a quiet one
 *   would take), proof bytes, peak memory (the child's max RSS);
 * - accuracy of the proven output against the float model (onnxruntime-node when it loads, else the project's
 *   float interpreter; the output says which) over held-out inputs: max |error|, cosine of all outputs, and top-1
 *   agreement (argmax along the last axis, per row: one per input for classifiers, one per token for encoders).
 *   One input is proven; the bench checks that the proof's output equals the quantized interpreter's (the witness
 *   the prover commits), and takes the other inputs' quantized outputs from the interpreter. An input that leaves a
 *   calibrated range is counted, not hidden (the prover would refuse it);
 * - `inspect`'s estimates (`COST_MODEL`) ÷ measured, for prove time (÷ CPU seconds: the estimate prices a quiet
 *   machine), peak memory and proof bytes (aim 0.5–2×); the
 *   JSON rows (`--json=`) carry inspect's features, which `bench/cost-model.ts --from=` fits the coefficients to.
 *
 * Calibration: 8 random inputs (seed 5) for generated models, held-out 16 others (seed 99); the Fashion models
 * calibrate on the first 16 of the 64 bundled test images and are judged on all 64 (target top-1 ≥ 63/64); the
 * ZKTorch sample MLP has one input, used for both.
 *
 * `nice node --import tsx bench/depth.ts [model …] [--json=out.json]` (default: every model; one child each).
 * @module
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compile, createInsecureDevSrs, dequantizeRows, getDefaultEngine, prove, quantizeFeeds, RangeExceededError, setup, verify, type Tensor } from '../src/index';
import { buildGraph } from '../src/model/build';
import { runFloat } from '../src/model/float/run';
import { dequantizeTensor, runQuantized } from '../src/model/quant/interpret';
import { parseOnnx } from '../src/onnx/index';
import { inspect } from '../src/pipeline/inspect';
import type { Sample } from './cost-model';
import { feedsFor, MODELS as BUNDLED } from './models';
import { mlp, randomFeeds, residualCnn, transformerEncoder } from '../test/model/deep-models';

export const name = 'depth';

/** A model of the bench: its ONNX bytes, calibration inputs and held-out inputs. */
interface Subject {
  readonly onnx: Uint8Array;
  readonly calibration: Record<string, Tensor>[];
  readonly heldOut: Record<string, Tensor>[];
}

const generated = (onnx: Uint8Array, shape: number[]): Subject => ({ onnx, calibration: randomFeeds('x', shape, 8, 5), heldOut: randomFeeds('x', shape, 16, 99) });
const MLP = { inputs: 64, width: 64, classes: 10 };
const CNN = { channels: 8, inputChannels: 3, size: 16, classes: 10 };
const ENCODER = { sequence: 16, width: 64, heads: 4 };
const bundled = (model: string, calibrate: number): Subject => {
  const feeds = feedsFor(model);
  return { onnx: new Uint8Array(readFileSync(new URL(`${model}.onnx`, BUNDLED))), calibration: feeds.slice(0, calibrate), heldOut: feeds };
};

/** The models of the bench, by name. */
const SUBJECTS: Readonly<Record<string, () => Subject>> = {
  ...Object.fromEntries([2, 8, 32].map((layers) => [`mlp-${layers}`, () => generated(mlp({ layers, ...MLP }), [1, MLP.inputs])])),
  ...Object.fromEntries([2, 8, 20].map((layers) => [`cnn-${layers}`, () => generated(residualCnn({ layers, ...CNN }), [1, CNN.inputChannels, CNN.size, CNN.size])])),
  ...Object.fromEntries([1, 2, 4, 12].map((blocks) => [`encoder-${blocks}`, () => generated(transformerEncoder({ blocks, ...ENCODER }), [ENCODER.sequence, ENCODER.width])])),
  'zktorch-sample-mlp': () => bundled('zktorch-sample-mlp', 1),
  'fashion-mlp': () => bundled('fashion-mlp', 16),
  'fashion-cnn': () => bundled('fashion-cnn', 16),
  'fashion-attn': () => bundled('fashion-attn', 16),
};

/** One model's figures. */
interface DepthRow {
  readonly model: string;
  readonly boundBits: number;
  readonly compileS: number;
  readonly setupS: number;
  readonly verifyS: number;
  /** Which float model the outputs are compared with. */
  readonly reference: 'onnxruntime' | 'interpreter';
  readonly inputs: number;
  /** Held-out inputs the quantized model refused (outside a calibrated range). */
  readonly outOfRange: number;
  readonly maxAbsError: number;
  readonly maxAbsFloat: number;
  readonly cosine: number;
  readonly top1: number;
  readonly top1Of: number;
  /** Blocks, prove seconds, peak bytes, proof bytes, and inspect's features and estimates (`bench/cost-model.ts --from=` fits these). */
  readonly cost: Sample;
}

const seconds = async <T>(f: () => Promise<T> | T): Promise<[T, number]> => {
  const t = performance.now();
  const r = await f();
  return [r, (performance.now() - t) / 1000];
};

/** The float model: onnxruntime-node when its binary loads here, else the float interpreter. */
async function floatModel(onnx: Uint8Array, output: string): Promise<{ reference: DepthRow['reference']; run: (f: Record<string, Tensor>) => Promise<ArrayLike<number>> }> {
  try {
    const { ortSession } = await import('../test/model/fixtures');
    const session = await ortSession(onnx, output);
    return { reference: 'onnxruntime', run: async (f) => (await session(f)).data };
  } catch (e) {
    console.error(`onnxruntime-node unusable (${(e as Error).message.split('\n')[0]}); comparing with the float interpreter`);
    const graph = buildGraph(parseOnnx(onnx));
    return { reference: 'interpreter', run: async (f) => runFloat(graph, f).get(output)!.data };
  }
}

/** Index of the largest value of each row of `rowLength` values. */
function rowArgmax(data: ArrayLike<number>, rowLength: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < data.length; r += rowLength) {
    let best = r;
    for (let i = r + 1; i < r + rowLength; i++) if (data[i] > data[best]) best = i;
    out.push(best - r);
  }
  return out;
}

/** Measures one model in this process. */
async function measure(model: string): Promise<DepthRow> {
  const { onnx, calibration, heldOut } = SUBJECTS[model]();
  const report = await inspect(onnx, calibration);
  if (!report.compiled) throw new Error(`${model}: inspect says it does not compile: ${report.compileError?.message ?? report.unsupported.map((u) => `${u.node} (${u.opType})`).join(', ')}`);
  const { estimate, committedRows } = report.compiled;
  const [compiled, compileS] = await seconds(() => compile(onnx, calibration));
  const srs = await createInsecureDevSrs(Math.ceil(Math.log2(compiled.srsG1Powers)), { g1Powers: compiled.srsG1Powers, g2Powers: 2 });
  const [pk, setupS] = await seconds(() => setup(compiled, srs));
  const cpu = process.cpuUsage();
  const [{ statement, proof }, proveS] = await seconds(() => prove(pk, quantizeFeeds(compiled, heldOut[0])));
  const { user, system } = process.cpuUsage(cpu);
  const [verdict, verifyS] = await seconds(() => verify(pk.vk, statement, proof.bytes));
  if (!verdict.ok) throw new Error(`${model}: honest proof rejected: ${verdict.reason}`);
  const peakBytes = process.resourceUsage().maxRSS * 1024;

  const out = compiled.outputs[0];
  const qOut = compiled.quant.outputs[0];
  const proven = dequantizeRows(out, statement.outputs[out.id]);
  const interpreted = dequantizeTensor(compiled.quant, runQuantized(compiled.quant, heldOut[0]), qOut.tensor).data;
  if (proven.some((v, i) => v !== interpreted[i])) throw new Error(`${model}: the proven output differs from the quantized interpreter's`);
  const float = await floatModel(onnx, qOut.name);
  const rowLength = compiled.quant.tensors[qOut.tensor].shape.at(-1)!;
  let [maxAbsError, maxAbsFloat, qf, qq, ff, top1, top1Of, outOfRange] = [0, 0, 0, 0, 0, 0, 0, 0];
  for (const [i, feeds] of heldOut.entries()) {
    let q: ArrayLike<number>;
    try {
      q = i === 0 ? proven : dequantizeTensor(compiled.quant, runQuantized(compiled.quant, feeds), qOut.tensor).data;
    } catch (e) {
      if (!(e instanceof RangeExceededError)) throw e;
      outOfRange++;
      continue;
    }
    const f = await float.run(feeds);
    for (let j = 0; j < f.length; j++) {
      maxAbsError = Math.max(maxAbsError, Math.abs(q[j] - f[j]));
      maxAbsFloat = Math.max(maxAbsFloat, Math.abs(f[j]));
      qf += q[j] * f[j];
      qq += q[j] * q[j];
      ff += f[j] * f[j];
    }
    const [a, b] = [rowArgmax(q, rowLength), rowArgmax(f, rowLength)];
    top1 += a.filter((k, r) => k === b[r]).length;
    top1Of += a.length;
  }
  return {
    model,
    boundBits: compiled.quant.maxBoundBits,
    compileS,
    setupS,
    verifyS,
    reference: float.reference,
    inputs: heldOut.length,
    outOfRange,
    maxAbsError,
    maxAbsFloat,
    cosine: qf / Math.sqrt(qq * ff),
    top1,
    top1Of,
    cost: {
      model,
      floorS: estimate.commitmentFloorSeconds,
      blocks: compiled.graph.nodes.length,
      msmS: estimate.msm.secondsPerMsm,
      points: Object.values(committedRows).reduce((n, r) => n + r.points, 0),
      estimate: { proveS: estimate.proveSeconds, memoryBytes: estimate.memoryBytes, proofBytes: estimate.proofBytes.proof },
      proveS,
      proveCpuS: (user + system) / 1e6,
      peakBytes,
      proofBytes: proof.bytes.length,
    },
  };
}

/** The table of the rows: figures, accuracy, and inspect's estimate ÷ measured. */
function table(rows: readonly DepthRow[]): Record<string, string | number>[] {
  const f = (x: number, d = 1) => x.toFixed(d);
  return rows.map((r) => ({
    model: r.model,
    blocks: r.cost.blocks,
    'bound bits': r.boundBits,
    'compile s': f(r.compileS),
    'setup s': f(r.setupS),
    'prove s': f(r.cost.proveS),
    'prove CPU s': f(r.cost.proveCpuS),
    'verify s': f(r.verifyS, 2),
    'proof KB': f(r.cost.proofBytes / 1024),
    'peak MiB': f(r.cost.peakBytes / 2 ** 20, 0),
    'max|err|': r.maxAbsError.toExponential(1),
    'max|y|': f(r.maxAbsFloat, 2),
    cosine: f(r.cosine, 6),
    top1: `${r.top1}/${r.top1Of}${r.outOfRange > 0 ? ` (${r.outOfRange} of ${r.inputs} inputs out of range)` : ''}`,
    'est÷meas prove (CPU)': f(r.cost.estimate.proveS / r.cost.proveCpuS, 2),
    'est÷meas memory': f(r.cost.estimate.memoryBytes / r.cost.peakBytes, 2),
    'est÷meas proof': f(r.cost.estimate.proofBytes / r.cost.proofBytes, 2),
  }));
}

/** Runs each model in a child process (so peak memory is its own) and prints one table, and a Markdown copy. */
export async function run(models: readonly string[] = Object.keys(SUBJECTS), json?: string): Promise<void> {
  const rows: DepthRow[] = [];
  for (const m of models) {
    if (!SUBJECTS[m]) throw new Error(`bench/depth: unknown model "${m}" (known: ${Object.keys(SUBJECTS).join(', ')})`);
    const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', m], { encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'] });
    const row = JSON.parse(out.slice(out.indexOf('{'))) as DepthRow;
    rows.push(row);
    console.log(`${m}: prove ${row.cost.proveS.toFixed(1)} s (float reference: ${row.reference})`);
    if (json) writeFileSync(json, JSON.stringify(rows, null, 1));
  }
  const t = table(rows);
  console.table(t);
  const keys = Object.keys(t[0]);
  console.log([`| ${keys.join(' | ')} |`, `|${keys.map(() => ' --- ').join('|')}|`, ...t.map((r) => `| ${keys.map((k) => r[k]).join(' | ')} |`)].join('\n'));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    console.log(JSON.stringify(await measure(args[1])));
    await getDefaultEngine().close();
  } else {
    const json = args.find((a) => a.startsWith('--json='))?.slice('--json='.length);
    const models = args.filter((a) => !a.startsWith('--'));
    await run(models.length > 0 ? models : undefined, json);
  }
}
