/**
 * End-to-end bench: for every model, the figures of the succinct-proof targets (`bench/targets.json`) for one
 * proof, as ratios to yardsticks measured in the same process (`bench/floor.ts`), and the same figures for an
 * aggregate of N proofs of that model (`aggregate`, one decider for all):
 *
 * - A (every ONNX node output, once) and the ideal floor (one G1 MSM over A resident bases);
 * - committed cells of wires and outputs (padding included; derived wires, computed from other commitments and
 *   never committed, `src/pipeline/derived-rows.ts`, not counted), and ÷ A; the cells of the protocol's helper
 *   polynomials (quotients, lookup helpers, running sums: every committed oracle that is a prover message) in a
 *   column of their own;
 * - prove (median) and prove ÷ floor; proof bytes (all the verifier reads); verify (median) and verify in units
 *   of one pairing; for the aggregate row, "prove" is the aggregation of N proofs made beforehand and the bytes
 *   and verify are the aggregate file's (targets apply to the proof row only);
 * - with `--workers=2` (default), prove and floor again in a child process whose engine has 2 workers;
 * - a ladder of generated models (`bench/ladder.ts`: MLPs, CNNs and transformer encoders of 2/4/8 layers or
 *   blocks) with proof bytes and verify per rung, and the growth per added layer.
 *
 * `node --import tsx bench/e2e.ts [model …] [--aggregate=2] [--iterations=3] [--workers=2] [--ladder=2,4,8] [--ladder-only]`
 * (models: names in the bundled models directory, default the sample MLP and the Fashion MLP; `--aggregate=0`
 * skips the aggregate row; `--ladder=` with no rungs skips the ladder; `--workers=0` skips the 2-worker figures).
 * @module
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { activationCount, committedCells, idealFloorMs, median, pairingMs } from './floor';
import { benchSubject, ladderModels } from './ladder';
import { modelArgumentSpec } from '../blocks/model-argument';
import { specWithRunningSums, type PolyIopSpec } from '../blocks/poly-iop';
import { blockContext } from '../src/pipeline/keys';
import { derivedRows } from '../src/pipeline/derived-rows';
import { aggregate, BlockfoldError, compile, createInsecureDevSrs, getDefaultEngine, prove, setup, quantizeFeeds, verify, verifyAggregate, type ProofToAggregate, type Statement, type Tensor } from '../src/index';

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

/**
 * Cells of the helper polynomials a poly-IOP commits, as the compiler proves it (`specWithRunningSums`: its
 * running sums' accumulators included): every oracle whose commitment is a prover message (its domain size), and
 * the one quotient, of `max_n (d_n − 1)·n` cells for identities of degree at most d_n on H_n.
 */
export function specHelperCells(declared: PolyIopSpec): number {
  const spec = specWithRunningSums(declared);
  const messages = new Set(spec.slots.filter((d) => d.origin === 'message' && d.sort === 'g1').map((d) => d.name));
  let cells = 0;
  for (const o of spec.oracles) if (messages.has(o.commitment)) cells += o.domain;
  const degree = new Map<number, number>();
  for (const id of spec.identities)
    for (const t of id.terms) degree.set(id.domain, Math.max(degree.get(id.domain) ?? 1, t.factors.filter((f) => !('scalar' in f)).length));
  return cells + Math.max(0, ...[...degree].map(([n, d]) => (d - 1) * n));
}

/** One row per model and subject (`proof`, or `aggregate×N`). */
export interface E2eRow {
  readonly model: string;
  readonly subject: string;
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

interface Subject {
  readonly model: string;
  readonly onnx: Uint8Array;
  readonly feeds: Record<string, Tensor>[];
}

function bundled(model: string): Subject {
  return { model, ...benchSubject(model) };
}

/** The `subject` of an aggregate row of N proofs. */
export const aggregateSubject = (n: number): string => `aggregate×${n}`;

/**
 * Measures one model in this process: one proof, then (if `parts > 0`) the aggregate of `parts` proofs of it
 * (each from the same inputs: the aggregation's cost and size do not depend on the witness).
 */
async function measure(s: Subject, parts: number, iterations: number, unit: number): Promise<E2eRow[]> {
  const engine = getDefaultEngine();
  const compiled = compile(s.onnx, s.feeds);
  const srs = await createInsecureDevSrs(Math.ceil(Math.log2(compiled.srsG1Powers)), { g1Powers: compiled.srsG1Powers, g2Powers: 2 });
  const pk = await setup(compiled, srs, { engine });
  const inputs = quantizeFeeds(compiled, s.feeds[0]);
  const activations = activationCount(s.onnx);
  const floorMs = await idealFloorMs(engine, activations, iterations, pk.vk.kzg);
  const helperCells = specHelperCells(modelArgumentSpec('bench', derivedRows(compiled.graph).argument.nodes.map((n) => n.block), blockContext(pk.vk.kzg, compiled.graph)));
  const row = { model: s.model, activations, committedCells: committedCells(compiled.graph), floorMs, pairingMs: unit };
  let proof = await prove(pk, inputs);
  const proveMs = await median(async () => (proof = await prove(pk, inputs)), iterations);
  const verifyMs = await median(async () => {
    const v = await verify(pk.vk, proof.statement, proof.proof.bytes);
    if (!v.ok) throw new Error(`${s.model}: honest proof rejected: ${v.reason}`);
  }, Math.max(iterations, 5));
  const rows: E2eRow[] = [{ ...row, subject: 'proof', helperCells, proveMs, proofBytes: proof.proof.bytes.length, verifyMs }];
  if (parts > 0) {
    const proofs: ProofToAggregate[] = [];
    for (let i = 0; i < parts; i++) {
      const p = await prove(pk, inputs);
      proofs.push({ statement: p.statement, proof: p.proof.bytes });
    }
    const statements: Statement[] = proofs.map((p) => p.statement);
    let bytes = (await aggregate(pk.vk, proofs)).bytes;
    const aggregateMs = await median(async () => (bytes = (await aggregate(pk.vk, proofs)).bytes), iterations);
    const verifyAggregateMs = await median(async () => {
      const v = await verifyAggregate(pk.vk, statements, bytes);
      if (!v.ok) throw new Error(`${s.model}: honest aggregate rejected: ${v.reason}`);
    }, Math.max(iterations, 5));
    rows.push({ ...row, subject: aggregateSubject(parts), helperCells: parts * helperCells, proveMs: aggregateMs, proofBytes: bytes.length, verifyMs: verifyAggregateMs });
  }
  return rows;
}

/** Prove and floor medians of one proof of each bundled model with a `workers`-worker engine, measured in a child process. */
function measureWithWorkers(models: readonly string[], iterations: number, workers: number): Map<string, { proveMs: number; floorMs: number }> {
  const out = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), ...models, `--iterations=${iterations}`, '--child'], {
    env: { ...process.env, BLOCKFOLD_WORKERS: String(workers) },
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  const rows = JSON.parse(out.slice(out.indexOf('['))) as { model: string; proveMs: number; floorMs: number }[];
  return new Map(rows.map((r) => [r.model, { proveMs: r.proveMs, floorMs: r.floorMs }]));
}

/** Options of {@link e2eBenchSuite}. */
export interface E2eOptions {
  /** Bundled models (default: the sample MLP and the Fashion MLP; empty: none, the ladder only). */
  readonly models?: readonly string[];
  /** Proofs per aggregate row of a bundled model (default 2; 0: no aggregate row). */
  readonly aggregate?: number;
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
  const parts = options.aggregate ?? 2;
  if (!Number.isSafeInteger(parts) || parts < 0) throw new Error(`bench: --aggregate must be a count of proofs ≥ 0, got ${parts}`);
  const iterations = options.iterations ?? 3;
  const unit = await pairingMs(getDefaultEngine());
  const rows: E2eRow[] = [];
  for (const model of models) rows.push(...(await measure(bundled(model), parts, iterations, unit)));
  const workers = options.workers ?? 2;
  if (workers > 0 && models.length > 0) {
    const two = measureWithWorkers(models, iterations, workers);
    rows.forEach((r, i) => (rows[i] = r.subject === 'proof' ? { ...r, workers2: two.get(r.model) } : r));
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
    for (const r of await measure({ model: m.name, onnx: m.onnx, feeds: m.feeds }, 0, 1, unit)) ladder.push({ ...r, family: m.family, layers: m.layers });
  }
  return { models: rows, ladder, skipped };
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
        const t = r.subject === 'proof' ? targets.models[r.model] : undefined;
        return {
          model: r.model,
          subject: r.subject,
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
  console.table(ladder.map((r) => ({ model: r.model, A: r.activations, 'committed cells': r.committedCells, 'helper cells': r.helperCells, prove: fixed(r.proveMs), bytes: r.proofBytes, verify: fixed(r.verifyMs, 1) })));
  const growth = [];
  for (const family of new Set(ladder.map((r) => r.family))) {
    const rungs = ladder.filter((r) => r.family === family).sort((a, b) => a.layers - b.layers);
    const [first, last] = [rungs[0], rungs[rungs.length - 1]];
    if (rungs.length < 2) continue;
    const layers = last.layers - first.layers;
    growth.push({
      family,
      rungs: rungs.map((r) => r.layers).join('/'),
      'bytes per layer': vs((last.proofBytes - first.proofBytes) / layers, targets.growth.bytesPerLayer),
      'verify ms per layer': vs((last.verifyMs - first.verifyMs) / layers, targets.growth.verifyMsPerLayer, 1),
    });
  }
  if (growth.length > 0) console.table(growth);
}

/** The child of {@link measureWithWorkers}: prove and floor only, as JSON. */
async function child(models: readonly string[], iterations: number): Promise<void> {
  const out = [];
  for (const model of models) {
    const s = bundled(model);
    const compiled = compile(s.onnx, s.feeds);
    const srs = await createInsecureDevSrs(Math.ceil(Math.log2(compiled.srsG1Powers)), { g1Powers: compiled.srsG1Powers, g2Powers: 2 });
    const pk = await setup(compiled, srs);
    const inputs = quantizeFeeds(compiled, s.feeds[0]);
    const floorMs = await idealFloorMs(getDefaultEngine(), activationCount(s.onnx), iterations, pk.vk.kzg);
    await prove(pk, inputs);
    out.push({ model, floorMs, proveMs: await median(() => prove(pk, inputs), iterations) });
  }
  process.stdout.write(JSON.stringify(out));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const list = (text: string | undefined) => (text === undefined ? undefined : text.split(',').filter((x) => x !== ''));
  const count = (name: string) => (flag(name) === undefined ? undefined : Number(flag(name)));
  const models = args.filter((a) => !a.startsWith('--'));
  if (args.includes('--child')) await child(models, count('iterations') ?? 3);
  else
    await run({
      models: args.includes('--ladder-only') ? [] : models.length > 0 ? models : undefined,
      aggregate: count('aggregate'),
      iterations: count('iterations'),
      workers: count('workers'),
      ladder: list(flag('ladder'))?.map(Number),
    });
  await getDefaultEngine().close();
}
