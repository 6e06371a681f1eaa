/**
 * End-to-end bench: for every model and proof path, the figures of the succinct-proof targets
 * (`bench/targets.json`), as ratios to yardsticks measured in the same process (`bench/floor.ts`):
 *
 * - A (every ONNX node output, once) and the ideal floor (one G1 MSM over A resident bases);
 * - committed cells of wires and outputs (padding included), and ÷ A; the cells of the protocol's helper
 *   polynomials (quotients, lookup helpers, running sums: every committed oracle that is a prover message) in a
 *   column of their own;
 * - prove (median) and prove ÷ floor; proof bytes (all the verifier reads); verify (median) and verify in units
 *   of one pairing;
 * - with `--workers=2` (default), prove and floor again in a child process whose engine has 2 workers;
 * - a ladder of generated models (`bench/ladder.ts`: MLPs of 2/4/8 hidden layers, CNNs of 2/4/8 convolutions,
 *   transformer encoders of 2/4/8 blocks as far as they compile) with proof bytes and verify per rung, and the
 *   growth per added layer.
 *
 * A proof path is one entry of {@link PATHS}; another protocol is one more line there.
 *
 * `node --import tsx bench/e2e.ts [model …] [--path=direct,v2] [--iterations=3] [--workers=2] [--ladder=2,4,8] [--ladder-only]`
 * (models: names in `../shared/models`, default the sample MLP and the Fashion MLP; `--ladder=` with no rungs
 * skips the ladder; `--workers=0` skips the 2-worker figures).
 * @module
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { feedsFor, MODELS } from './models';
import { activationCount, idealFloorMs, median, pairingMs } from './floor';
import { ladderModels } from './ladder';
import type { Block, BlockContext } from '../blocks/block';
import { messageSlots } from '../blocks/protocol';
import { modelArgumentSpec } from '../blocks/model-argument';
import type { PolyIopSpec } from '../blocks/poly-iop';
import { blockContext } from '../src/pipeline/keys';
import { proveV2, verifyV2 } from '../src/pipeline/prove-verify-v2';
import { BlockfoldError, compile, createInsecureDevSrs, getDefaultEngine, prove, setup, quantizeFeeds, verify, type CompiledModel, type ProofPath, type ProvingKey, type Statement, type Tensor, type VerifyingKey } from '../src/index';

export const name = 'end to end';

interface ModelTargets {
  readonly proofBytes?: number;
  readonly verifyMs?: number;
  readonly proveOverFloor?: number;
  readonly cellsOverA?: number;
}
const targets = JSON.parse(readFileSync(new URL('./targets.json', import.meta.url), 'utf8')) as {
  models: Record<string, ModelTargets>;
  growth: { bytesPerLayer: number; verifyMsPerLayer: number };
};

/** A proof path as the bench sees it: prove, verify, and the cells of its helper polynomials. */
export interface BenchPath {
  readonly name: string;
  prove(pk: ProvingKey, inputs: Record<string, readonly (readonly bigint[])[]>): Promise<{ statement: Statement; bytes: Uint8Array }>;
  verify(vk: VerifyingKey, statement: Statement, bytes: Uint8Array): Promise<{ ok: boolean; reason?: string }>;
  /** Cells of the committed helper polynomials (quotients, lookup helpers, running sums). */
  helperCells(blocks: readonly Block[], ctx: BlockContext): number;
}

/**
 * Cells of the helper polynomials a poly-IOP commits: every oracle whose commitment is a prover message (its
 * domain size), and one quotient per domain, `(d − 1)·n` cells for identities of degree d on H_n.
 */
export function specHelperCells(spec: PolyIopSpec): number {
  const messages = new Set(spec.slots.filter((d) => d.origin === 'message' && d.sort === 'g1').map((d) => d.name));
  let cells = 0;
  for (const o of spec.oracles) if (messages.has(o.commitment)) cells += o.domain;
  const degree = new Map<number, number>();
  for (const id of spec.identities)
    for (const t of id.terms) degree.set(id.domain, Math.max(degree.get(id.domain) ?? 1, t.factors.filter((f) => !('scalar' in f)).length));
  for (const [n, d] of degree) cells += (d - 1) * n;
  return cells;
}

/** Version 1: each block proves itself; a block that is no poly-IOP must send no G1 message (else it is not counted). */
function perBlockHelperCells(blocks: readonly Block[], ctx: BlockContext): number {
  let cells = 0;
  for (const b of blocks) {
    if (b.iopSpec) cells += specHelperCells(b.iopSpec(ctx));
    else if (messageSlots(b.protocol(ctx)).some((d) => d.sort === 'g1')) throw new Error(`bench: block ${b.foldKey} commits helpers the bench cannot size`);
  }
  return cells;
}

const v1 = (path: ProofPath): BenchPath => ({
  name: path,
  prove: async (pk, inputs) => {
    const r = await prove(pk, inputs, { path });
    return { statement: r.statement, bytes: r.proof.bytes };
  },
  verify: (vk, statement, bytes) => verify(vk, statement, bytes),
  helperCells: perBlockHelperCells,
});

/** The proof paths the bench knows, by name (`--path=`). */
export const PATHS: Readonly<Record<string, BenchPath>> = {
  direct: v1('direct'),
  folded: v1('folded'),
  v2: { name: 'v2', prove: async (pk, inputs) => { const r = await proveV2(pk, inputs); return { statement: r.statement, bytes: r.proof.bytes }; }, verify: verifyV2, helperCells: (blocks, ctx) => specHelperCells(modelArgumentSpec('bench', blocks, ctx)) },
};

/** One row per model and path. */
export interface E2eRow {
  readonly model: string;
  readonly path: string;
  readonly activations: number;
  readonly committedCells: number;
  readonly helperCells: number;
  readonly floorMs: number;
  readonly proveMs: number;
  readonly proofBytes: number;
  readonly verifyMs: number;
  readonly pairingMs: number;
  /** Prove and floor with a 2-worker engine (child process), when measured. */
  readonly workers2?: { readonly proveMs: number; readonly floorMs: number };
}

/** Cells of every wire and output tensor, padding included. */
function committedCells(compiled: CompiledModel): number {
  return compiled.graph.tensors.filter((t) => t.kind === 'wire' || t.kind === 'output').reduce((a, t) => a + t.rows * t.domain, 0);
}

interface Subject {
  readonly model: string;
  readonly onnx: Uint8Array;
  readonly feeds: Record<string, Tensor>[];
}

function bundled(model: string): Subject {
  return { model, onnx: readFileSync(new URL(`${model}.onnx`, MODELS)), feeds: feedsFor(model) };
}

/** Measures one model on every path in this process. */
async function measure(s: Subject, paths: readonly BenchPath[], iterations: number, unit: number): Promise<E2eRow[]> {
  const engine = getDefaultEngine();
  const compiled = compile(s.onnx, s.feeds);
  const srs = await createInsecureDevSrs(Math.ceil(Math.log2(compiled.srsG1Powers)), { g1Powers: compiled.srsG1Powers, g2Powers: 2 });
  const pk = await setup(compiled, srs, engine);
  const inputs = quantizeFeeds(compiled, s.feeds[0]);
  const activations = activationCount(s.onnx);
  const floorMs = await idealFloorMs(engine, activations, iterations, pk.vk.kzg);
  const ctx = blockContext(pk.vk.kzg);
  const blocks = compiled.graph.nodes.map((n) => n.block);
  const rows: E2eRow[] = [];
  for (const path of paths) {
    let result = await path.prove(pk, inputs);
    const proveMs = await median(async () => (result = await path.prove(pk, inputs)), iterations);
    const verifyMs = await median(async () => {
      const v = await path.verify(pk.vk, result.statement, result.bytes);
      if (!v.ok) throw new Error(`${s.model} (${path.name}): honest proof rejected: ${v.reason}`);
    }, Math.max(iterations, 5));
    rows.push({
      model: s.model,
      path: path.name,
      activations,
      committedCells: committedCells(compiled),
      helperCells: path.helperCells(blocks, ctx),
      floorMs,
      proveMs,
      proofBytes: result.bytes.length,
      verifyMs,
      pairingMs: unit,
    });
  }
  return rows;
}

/** Prove and floor medians of the bundled `models` with a 2-worker engine, measured in a child process. */
function measureWithWorkers(models: readonly string[], paths: readonly string[], iterations: number, workers: number): Map<string, { proveMs: number; floorMs: number }> {
  const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...models, `--path=${paths.join(',')}`, `--iterations=${iterations}`, '--child'], {
    env: { ...process.env, BLOCKFOLD_WORKERS: String(workers) },
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  const rows = JSON.parse(out.slice(out.indexOf('['))) as { model: string; path: string; proveMs: number; floorMs: number }[];
  return new Map(rows.map((r) => [`${r.model}/${r.path}`, { proveMs: r.proveMs, floorMs: r.floorMs }]));
}

/** Options of {@link e2eBenchSuite}. */
export interface E2eOptions {
  /** Bundled models (default: the sample MLP and the Fashion MLP; empty: none, the ladder only). */
  readonly models?: readonly string[];
  readonly paths?: readonly string[];
  readonly iterations?: number;
  /** Workers of the second figure (0: none). */
  readonly workers?: number;
  /** Rungs of the ladder (empty: none). */
  readonly ladder?: readonly number[];
}

/** Measures the bundled models (and the 2-worker figures) and the ladder; `skipped` names the rungs that do not compile. */
export async function e2eBenchSuite(
  options: E2eOptions = {},
): Promise<{ models: E2eRow[]; ladder: (E2eRow & { family: string; layers: number })[]; skipped: string[] }> {
  const models = options.models ?? ['zktorch-sample-mlp', 'fashion-mlp'];
  const pathNames = options.paths ?? ['direct', 'v2'];
  const paths = pathNames.map((p) => PATHS[p] ?? failPath(p));
  const iterations = options.iterations ?? 3;
  const unit = await pairingMs(getDefaultEngine());
  const rows: E2eRow[] = [];
  for (const model of models) rows.push(...(await measure(bundled(model), paths, iterations, unit)));
  const workers = options.workers ?? 2;
  if (workers > 0 && models.length > 0) {
    const two = measureWithWorkers(models, pathNames, iterations, workers);
    rows.forEach((r, i) => (rows[i] = { ...r, workers2: two.get(`${r.model}/${r.path}`) }));
  }
  const ladder = [];
  const skipped: string[] = [];
  for (const m of ladderModels(options.ladder ?? [2, 4, 8])) {
    try {
      compile(m.onnx, m.feeds);
    } catch (e) {
      if (!(e instanceof BlockfoldError)) throw e;
      skipped.push(`${m.name}: ${e.message.slice(0, 160)}`);
      continue;
    }
    for (const r of await measure({ model: m.name, onnx: m.onnx, feeds: m.feeds }, paths, 1, unit)) ladder.push({ ...r, family: m.family, layers: m.layers });
  }
  return { models: rows, ladder, skipped };
}

function failPath(p: string): never {
  throw new Error(`bench: unknown proof path "${p}" (known: ${Object.keys(PATHS).join(', ')})`);
}

const fixed = (x: number, digits = 0) => (Number.isFinite(x) ? x.toFixed(digits) : '—');
const vs = (x: number, target: number | undefined, digits = 0) => (target ? `${fixed(x, digits)} (${fixed(x / target, 2)}×)` : fixed(x, digits));

/** Prints the model table (figures against their targets: `(n×)` is figure ÷ target), the ladder and its growth. */
export async function run(options?: E2eOptions): Promise<void> {
  const { models, ladder, skipped } = await e2eBenchSuite(options);
  const engine = getDefaultEngine();
  console.log(`engine: ${engine.name}, workers: ${engine.workers}; medians in ms; one pairing = ${fixed(models[0]?.pairingMs ?? ladder[0]?.pairingMs ?? NaN, 1)} ms; (n×) = figure ÷ target`);
  if (models.length > 0)
    console.table(
      models.map((r) => {
        const t = targets.models[r.model];
        return {
          model: r.model,
          path: r.path,
          A: r.activations,
          'floor ms': fixed(r.floorMs, 1),
          'committed cells': r.committedCells,
          'helper cells': r.helperCells,
          'cells÷A': vs(r.committedCells / r.activations, t?.cellsOverA, 1),
          prove: fixed(r.proveMs),
          'prove÷floor': vs(r.proveMs / r.floorMs, t?.proveOverFloor, 1),
          bytes: vs(r.proofBytes, t?.proofBytes),
          verify: vs(r.verifyMs, t?.verifyMs),
          'verify÷pairing': fixed(r.verifyMs / r.pairingMs, 1),
          ...(r.workers2 ? { 'prove 2w': fixed(r.workers2.proveMs), 'floor 2w': fixed(r.workers2.floorMs, 1), 'prove÷floor 2w': fixed(r.workers2.proveMs / r.workers2.floorMs, 1) } : {}),
        };
      }),
    );
  for (const s of skipped) console.log(`ladder rung not measured (does not compile): ${s}`);
  if (ladder.length === 0) return;
  console.table(ladder.map((r) => ({ model: r.model, path: r.path, A: r.activations, 'committed cells': r.committedCells, 'helper cells': r.helperCells, prove: fixed(r.proveMs), bytes: r.proofBytes, verify: fixed(r.verifyMs, 1) })));
  const growth = [];
  for (const family of new Set(ladder.map((r) => r.family)))
    for (const path of new Set(ladder.map((r) => r.path))) {
      const rungs = ladder.filter((r) => r.family === family && r.path === path).sort((a, b) => a.layers - b.layers);
      const [first, last] = [rungs[0], rungs[rungs.length - 1]];
      if (rungs.length < 2) continue;
      const layers = last.layers - first.layers;
      growth.push({
        family,
        path,
        rungs: rungs.map((r) => r.layers).join('/'),
        'bytes per layer': vs((last.proofBytes - first.proofBytes) / layers, targets.growth.bytesPerLayer),
        'verify ms per layer': vs((last.verifyMs - first.verifyMs) / layers, targets.growth.verifyMsPerLayer, 1),
      });
    }
  if (growth.length > 0) console.table(growth);
}

/** The child of {@link measureWithWorkers}: prove and floor only, as JSON. */
async function child(models: readonly string[], paths: readonly string[], iterations: number): Promise<void> {
  const out = [];
  for (const model of models) {
    const s = bundled(model);
    const compiled = compile(s.onnx, s.feeds);
    const srs = await createInsecureDevSrs(Math.ceil(Math.log2(compiled.srsG1Powers)), { g1Powers: compiled.srsG1Powers, g2Powers: 2 });
    const pk = await setup(compiled, srs);
    const inputs = quantizeFeeds(compiled, s.feeds[0]);
    const floorMs = await idealFloorMs(getDefaultEngine(), activationCount(s.onnx), iterations, pk.vk.kzg);
    for (const p of paths) {
      const path = PATHS[p] ?? failPath(p);
      await path.prove(pk, inputs);
      out.push({ model, path: path.name, floorMs, proveMs: await median(() => path.prove(pk, inputs), iterations) });
    }
  }
  process.stdout.write(JSON.stringify(out));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const list = (text: string | undefined) => (text === undefined ? undefined : text.split(',').filter((x) => x !== ''));
  const models = args.filter((a) => !a.startsWith('--'));
  const paths = list(flag('path'));
  const iterations = flag('iterations') === undefined ? undefined : Number(flag('iterations'));
  if (args.includes('--child')) await child(models, paths ?? ['direct'], iterations ?? 3);
  else
    await run({
      models: args.includes('--ladder-only') ? [] : models.length > 0 ? models : undefined,
      paths,
      iterations,
      workers: flag('workers') === undefined ? undefined : Number(flag('workers')),
      ladder: list(flag('ladder'))?.map(Number),
    });
  await getDefaultEngine().close();
}
