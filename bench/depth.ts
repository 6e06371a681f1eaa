/**
 * Depth bench: the full-size generated models whose small versions `test/model/depth.test.ts` proves — a
 * 12-block transformer encoder (sequence 16, width 64, 4 heads, LayerNorm, GELU) and a 20-layer residual CNN
 * (3×3 convolutions with BatchNorm and ReLU, residual adds) — and a shallower rung of each. Per model: compile,
 * setup, prove (direct path) and verify time, proof bytes, peak memory (max RSS of a child process per model),
 * the largest bound, and the proven output against the float model (max |error| relative to max |output|, and
 * cosine) on held-out inputs.
 *
 * `node --import tsx bench/depth.ts [encoder-12 cnn-20 …]` (default: every model below; one model per child process).
 * @module
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { compile, createInsecureDevSrs, getDefaultEngine, prove, quantizeFeeds, setup, verify, dequantizeRows } from '../src/index';
import { buildGraph } from '../src/model/build';
import { runFloat } from '../src/model/float/run';
import { parseOnnx } from '../src/onnx/index';
import { randomFeeds, residualCnn, transformerEncoder } from '../test/model/deep-models';

export const name = 'depth';

/** The models of the bench, by name. */
const MODELS: Readonly<Record<string, () => { onnx: Uint8Array; shape: number[] }>> = {
  'encoder-2': () => ({ onnx: transformerEncoder({ blocks: 2, sequence: 16, width: 64, heads: 4 }), shape: [16, 64] }),
  'encoder-12': () => ({ onnx: transformerEncoder({ blocks: 12, sequence: 16, width: 64, heads: 4 }), shape: [16, 64] }),
  'cnn-8': () => ({ onnx: residualCnn({ layers: 8, channels: 8, inputChannels: 3, size: 16, classes: 10 }), shape: [1, 3, 16, 16] }),
  'cnn-20': () => ({ onnx: residualCnn({ layers: 20, channels: 8, inputChannels: 3, size: 16, classes: 10 }), shape: [1, 3, 16, 16] }),
};

/** One model's figures. */
interface DepthRow {
  readonly model: string;
  readonly blocks: number;
  readonly boundBits: number;
  readonly compileS: number;
  readonly setupS: number;
  readonly proveS: number;
  readonly verifyS: number;
  readonly proofBytes: number;
  readonly peakMiB: number;
  readonly relError: number;
  readonly cosine: number;
}

const seconds = async <T>(f: () => Promise<T> | T): Promise<[T, number]> => {
  const t = performance.now();
  const r = await f();
  return [r, (performance.now() - t) / 1000];
};

/** Measures one model in this process. */
async function measure(model: string): Promise<DepthRow> {
  const { onnx, shape } = MODELS[model]();
  const calibration = randomFeeds('x', shape, 8, 5);
  const [compiled, compileS] = await seconds(() => compile(onnx, calibration));
  const srs = await createInsecureDevSrs(Math.ceil(Math.log2(compiled.srsG1Powers)), { g1Powers: compiled.srsG1Powers, g2Powers: 2 });
  const [pk, setupS] = await seconds(() => setup(compiled, srs));
  const feeds = randomFeeds('x', shape, 1, 99)[0];
  const [{ statement, proof }, proveS] = await seconds(() => prove(pk, quantizeFeeds(compiled, feeds)));
  const [verdict, verifyS] = await seconds(() => verify(pk.vk, statement, proof.bytes));
  if (!verdict.ok) throw new Error(`${model}: honest proof rejected: ${verdict.reason}`);
  const out = compiled.outputs[0];
  const proven = dequantizeRows(out, statement.outputs[out.id]);
  const float = runFloat(buildGraph(parseOnnx(onnx)), feeds).get(out.name)!.data;
  let err = 0;
  let mag = 0;
  let qf = 0;
  let qq = 0;
  let ff = 0;
  float.forEach((f, i) => {
    const q = proven[i];
    err = Math.max(err, Math.abs(q - f));
    mag = Math.max(mag, Math.abs(f));
    qf += q * f;
    qq += q * q;
    ff += f * f;
  });
  return {
    model,
    blocks: compiled.graph.nodes.length,
    boundBits: compiled.quant.maxBoundBits,
    compileS,
    setupS,
    proveS,
    verifyS,
    proofBytes: proof.bytes.length,
    peakMiB: process.resourceUsage().maxRSS / 1024,
    relError: err / mag,
    cosine: qf / Math.sqrt(qq * ff),
  };
}

/** Runs each model in a child process (so peak memory is its own) and prints one table. */
export async function run(models: readonly string[] = Object.keys(MODELS)): Promise<void> {
  const rows: DepthRow[] = [];
  for (const m of models) {
    const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', m], { encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'] });
    rows.push(JSON.parse(out.slice(out.indexOf('{'))) as DepthRow);
    console.log(`${m}: done`);
  }
  const f = (x: number, d = 1) => x.toFixed(d);
  console.table(
    rows.map((r) => ({
      model: r.model,
      blocks: r.blocks,
      'bound bits': r.boundBits,
      'compile s': f(r.compileS),
      'setup s': f(r.setupS),
      'prove s': f(r.proveS),
      'verify s': f(r.verifyS),
      'proof KB': f(r.proofBytes / 1024),
      'peak MiB': f(r.peakMiB, 0),
      'max|err|/max|y|': r.relError.toExponential(2),
      cosine: f(r.cosine, 6),
    })),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args[0] === '--child') {
    console.log(JSON.stringify(await measure(args[1])));
    await getDefaultEngine().close();
  } else await run(args.length > 0 ? args : undefined);
}
