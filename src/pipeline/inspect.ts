/**
 * `inspect`: what a model will cost, before any heavy work. Lists unsupported ops by node; for a compilable
 * model, the block graph, the SRS size, the committed rows, and **estimates** of prove time, memory and
 * proof size (formulas below; only `bench` measures).
 * @module
 */
import { crossTermBytes } from '../../accumulation/cross-terms';
import { descriptorOf } from '../../accumulation/fold-key';
import { accumulatorBytes } from '../../accumulation/relaxed';
import { messageSize } from '../../blocks/messages';
import { G1_ONE, G2_ONE, type G1Point } from '../curve';
import type { Engine } from '../engine/engine';
import { getDefaultEngine } from '../engine/index';
import { BlockfoldError } from '../errors';
import { R } from '../field';
import { createKzgKey, withRangeTable } from '../kzg/key';
import { rangeTableVerifierKey } from '../kzg/range-table';
import { buildGraph, type BuildOptions } from '../model/build';
import type { Calibration } from '../model/quant/calibrate';
import { UnsupportedOpError } from '../model/errors';
import { inspectModel } from '../model/inspect';
import { tensor, type Tensor } from '../model/tensor';
import { parseOnnx } from '../onnx/index';
import { calibrateOnnx, compileCalibrated } from './compile';
import { argumentLayout } from './prove-verify';
import { derivedRows } from './derived-rows';
import { relinkedRows } from './relinked-rows';
import { graphBlindingCoefficients, keyG1Powers, rangeTableSize, type TensorKind } from './block-graph';
import type { CompileOptions, CompiledWithQuant } from './compile';

/**
 * The cost model behind the estimates, fitted by `bench/cost-model.ts` (which prints these coefficients and
 * estimate ÷ measured per model): prove ≈ `proveFloor`·F + `provePerBlockMsms`·B·u, with F the commitment floor, B
 * the number of blocks and u this engine's fixed cost of one MSM (per-block work that is not an MSM, priced in
 * units of this machine's speed); peak memory ≈ `memoryBaseBytes` + `memoryPerPointBytes`·P, with P every committed
 * point (weights included: the v2 prover keeps the model's witness until its quotients are computed). Fitted to the
 * prove's CPU seconds (what a quiet machine takes; the engine runs on the prover's thread) and peak RSS of the
 * fourteen models of `bench/depth.ts` (the depth ladder at full size: MLPs of 2/8/32 layers, CNNs of 2/8/20, encoders
 * of 1/2/4/12 blocks; and the bundled four), proof protocol v2, WebAssembly engine, one thread: prove within
 * 0.55–1.47× and memory within 0.81–1.23× of the measurement on all of them; re-measured after the prover's
 * quotients moved to smaller cosets, 0.63–1.45× and 0.69–1.41× (`docs/depth.md`). The proof-size estimate (from
 * the protocols, not fitted) is exact for the calibration inspected.
 */
export const COST_MODEL = { proveFloor: 1.799, provePerBlockMsms: 50.53, memoryBaseBytes: 130995413, memoryPerPointBytes: 753.9 } as const;

/** Sizes of the two MSMs timed once per process to price a commitment as `fixed + points × per point`. */
const PROBE_SMALL = 4;
const PROBE_LARGE = 1 << 10;
const PROBE_RUNS = 9;

/**
 * The points of the MSM that sends a relinked copy's row (`relinked-rows.ts`): E = `[Z_H·(b_y − b_x)]₁` over the
 * vanishing bases, b_y of 3 coefficients at most (2, 3 when the row is opened shifted; a row a block reads at more
 * rotations takes more, which no built-in block does), whatever the row's domain.
 */
export const RELINK_MESSAGE_POINTS = 3;

/** Committed rows of one tensor kind. */
export interface RowCount {
  readonly tensors: number;
  readonly rows: number;
  /** Σ rows × domain size: the points of all their commitments' MSMs. */
  readonly points: number;
}

/** The compilable part of an inspection. */
export interface CompiledInspection {
  readonly calibration: 'samples' | 'synthetic';
  /** Block kinds and how many instances of each. */
  readonly blocks: readonly { readonly kind: string; readonly count: number }[];
  /** Fold keys (leaves of one key fold together) and how many leaves each. */
  readonly foldKeys: readonly { readonly foldKey: string; readonly leaves: number }[];
  /** Which blocks each ONNX node became. */
  readonly layers: CompiledWithQuant['layers'];
  /** G1 powers of τ the SRS needs. */
  readonly srsG1Powers: number;
  /** Committed rows by tensor kind (weights once at setup; the rest per proof; derived wire rows are computed and relinked copies sent as differences, not committed). */
  readonly committedRows: Readonly<Record<TensorKind, RowCount>>;
  readonly estimate: {
    /** Measured cost of a commitment MSM on the engine (timed once per process). */
    readonly msm: MsmCost;
    /**
     * Commitment floor: Σ over rows committed per proof (inputs, outputs, wires) of the cost of an MSM of the
     * row's domain size, `rows × secondsPerMsm + Σ domain sizes × secondsPerPoint`, plus each relinked copy's row
     * sent as its difference E, an MSM of {@link RELINK_MESSAGE_POINTS} vanishing bases.
     */
    readonly commitmentFloorSeconds: number;
    /** {@link COST_MODEL}: `proveFloor`·floor + `provePerBlockMsms`·blocks·`msm.secondsPerMsm`. */
    readonly proveSeconds: number;
    /** {@link COST_MODEL}: `memoryBaseBytes` + `memoryPerPointBytes`·(every committed point). */
    readonly memoryBytes: number;
    /**
     * Bytes the verifier reads, exactly, from the model argument's protocol (proof protocol v2), for the model as
     * calibrated here: calibrated on a synthetic input (no samples), its range tables and limb splits, hence its size,
     * can differ from those of the model compiled on real samples (the Fashion MLP: 1,035 B synthetic, 1,099 B
     * real). The final accumulator of an aggregate is not sent (the verifier recomputes it); its size is what ZKTorch
     * reports as its proof size.
     */
    readonly proofBytes: {
      /** The wire section of one proof: one G1 point per sent wire row (derived rows are not sent, `derived-rows.ts`). */
      readonly wireCommitments: number;
      /** The model argument's prover messages in one proof. */
      readonly argumentMessages: number;
      /** The cross terms of one fold of two accumulators (an aggregate of N proofs carries N − 1 of them). */
      readonly crossTermsPerFold: number;
      /** One proof (`prove`): the header, `wireCommitments` and `argumentMessages`. */
      readonly proof: number;
      /** An aggregate of two proofs (`aggregate`): a header and count, each proof with its length, one fold's cross terms. */
      readonly aggregateOfTwo: number;
      /** The root accumulator an aggregate's verifier recomputes instead of reading. */
      readonly finalAccumulatorsNotSent: number;
    };
  };
}

/** Result of {@link inspect}. */
export interface Inspection {
  readonly name: string;
  readonly nodeCount: number;
  /** Count of nodes per ONNX op type. */
  readonly opCounts: Readonly<Record<string, number>>;
  /** Choices made for the user (a symbolic input dimension set to 1), to confirm or override with `inputShapes`. */
  readonly warnings: readonly string[];
  /** Every node the compiler cannot handle, by name; `reason` says why without repeating the node and op. */
  readonly unsupported: readonly { readonly node: string; readonly opType: string; readonly reason: string }[];
  /** Present when the model compiles. */
  readonly compiled?: CompiledInspection;
  /** Why compilation failed when every node is supported (a quantization bound, a shape, …). */
  readonly compileError?: { readonly code: string; readonly message: string };
}

/** Options of {@link inspect}. */
export interface InspectOptions extends CompileOptions {
  readonly engine?: Engine;
}

/** Measured cost of one commitment MSM: a fixed part and a part per point. */
export interface MsmCost {
  readonly secondsPerMsm: number;
  readonly secondsPerPoint: number;
}

let probe: Promise<MsmCost> | undefined;

/**
 * Times MSMs of {@link PROBE_SMALL} and {@link PROBE_LARGE} points with full-width scalars, once per process: the
 * fastest of {@link PROBE_RUNS} runs of each, the machine's speed when nothing else runs (the probe is short, so on
 * a shared machine its median moved 3× between processes while the fastest run stays put).
 */
function measureMsmCost(engine: Engine): Promise<MsmCost> {
  probe ??= (async () => {
    // Full-width pseudo-random scalars: an MSM's cost grows with the scalars' bit length.
    const scalars = Array.from({ length: PROBE_LARGE }, (_, i) => (BigInt(i + 1) * 0x2b992ddfa23249d6e1b8b4e52fb2ff2a1c1d5d7a3cb6e2f0a4e3d1c9b7f5a3n) % R);
    const bases = await engine.loadG1Bases(await engine.fixedBaseG1(G1_ONE, scalars));
    // The fastest of a few runs after a warm-up: any run is at the mercy of a GC pause or a busy machine.
    const time = async (n: number) => {
      const runs: number[] = [];
      for (let i = 0; i <= PROBE_RUNS; i++) {
        const t = performance.now();
        await engine.msmG1(bases, scalars.slice(0, n));
        if (i > 0) runs.push((performance.now() - t) / 1000);
      }
      return Math.min(...runs);
    };
    const small = await time(PROBE_SMALL);
    const large = await time(PROBE_LARGE);
    const secondsPerPoint = Math.max(large - small, 0) / (PROBE_LARGE - PROBE_SMALL);
    return { secondsPerMsm: Math.max(small - PROBE_SMALL * secondsPerPoint, 0), secondsPerPoint };
  })();
  return probe;
}

/**
 * One deterministic input per model input with values spread over [−1, 1]: enough to compile when no
 * samples are given (the block graph's structure does not depend on it; table sizes and scales do).
 */
function syntheticSample(onnx: Uint8Array, options: BuildOptions): Record<string, Tensor> {
  const graph = buildGraph(parseOnnx(onnx), options);
  return Object.fromEntries(
    graph.inputs.map((i) => {
      const size = i.shape.reduce((a, b) => a * b, 1);
      return [i.name, tensor(i.shape, Array.from({ length: size }, (_, k) => Math.sin(k + 1)))];
    }),
  );
}

function countBy<T>(items: readonly T[], key: (t: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of items) m.set(key(t), (m.get(key(t)) ?? 0) + 1);
  return m;
}

/** Model proof header: magic, version, kind, zk flag, path, and the u32 length of the wire section. */
const MODEL_PROOF_HEADER_BYTES = 4 + 3 + 4;
const AGGREGATE_HEADER_BYTES = 4 + 3 + 4;

/** Proof sizes from the model argument's protocol alone (the layouts of `prove-verify.ts` and `aggregate.ts`). */
async function proofSize(model: CompiledWithQuant, engine: Engine): Promise<CompiledInspection['estimate']['proofBytes']> {
  // Sizes depend only on the protocol's slots and equations (public shapes) and on the SRS's number of powers (the
  // logUp bundles fit their quotients to it), not on SRS points: any points do, as long as there are as many as the
  // model's SRS holds and [τ]₂ differs from [1]₂ (the fold key keeps one error cell per distinct public G2 point).
  const powers = await createKzgKey(engine, new Array<G1Point>(keyG1Powers(model.graph)).fill(G1_ONE), G2_ONE, G2_ONE.double());
  // The range table's [Z_S]₁ is a public point of the claim at β: any point does here too.
  const table = rangeTableSize(model.graph);
  const kzg = table === undefined ? powers : withRangeTable(powers, rangeTableVerifierKey(table, G1_ONE));
  const ctx = { engine, kzg, blindingCoefficients: graphBlindingCoefficients(model.graph) };
  const { protocol, wireSectionBytes: wireCommitments } = argumentLayout(model, ctx, 'inspect');
  const desc = descriptorOf(protocol);
  const argumentMessages = messageSize(protocol).total;
  const crossTermsPerFold = crossTermBytes(desc);
  const proof = MODEL_PROOF_HEADER_BYTES + wireCommitments + argumentMessages;
  return {
    wireCommitments,
    argumentMessages,
    crossTermsPerFold,
    proof,
    aggregateOfTwo: AGGREGATE_HEADER_BYTES + 2 * (4 + proof) + crossTermsPerFold,
    finalAccumulatorsNotSent: accumulatorBytes(desc),
  };
}

async function describeCompiled(model: CompiledWithQuant, calibration: CompiledInspection['calibration'], engine: Engine): Promise<CompiledInspection> {
  const { graph } = model;
  const committedRows = { input: { tensors: 0, rows: 0, points: 0 }, output: { tensors: 0, rows: 0, points: 0 }, weight: { tensors: 0, rows: 0, points: 0 }, wire: { tensors: 0, rows: 0, points: 0 } };
  const derived = derivedRows(graph).ids;
  const relinked = relinkedRows(graph);
  for (const t of graph.tensors) {
    // A derived row is computed from other commitments; a relinked copy is sent as its difference from the row it
    // copies (an MSM of a few vanishing bases): neither is committed from its cells.
    if (derived.has(t.id) || relinked.has(t.id)) continue;
    const c = committedRows[t.kind];
    c.tensors += 1;
    c.rows += t.rows;
    c.points += t.rows * t.domain;
  }
  const proofBytes = await proofSize(model, engine);
  const msm = await measureMsmCost(engine);
  const price = (c: RowCount) => c.rows * msm.secondsPerMsm + c.points * msm.secondsPerPoint;
  const relinkedRowCount = graph.tensors.reduce((n, t) => n + (relinked.has(t.id) ? t.rows : 0), 0);
  const relinkMessages = { tensors: relinked.size, rows: relinkedRowCount, points: RELINK_MESSAGE_POINTS * relinkedRowCount };
  const floor = price(committedRows.input) + price(committedRows.output) + price(committedRows.wire) + price(relinkMessages);
  const allPoints = Object.values(committedRows).reduce((n, c) => n + c.points, 0);
  return {
    calibration,
    blocks: [...countBy(graph.nodes, (n) => n.block.kind)].map(([kind, count]) => ({ kind, count })),
    foldKeys: [...countBy(graph.nodes, (n) => n.block.foldKey)].map(([foldKey, leaves]) => ({ foldKey, leaves })),
    layers: model.layers,
    srsG1Powers: model.srsG1Powers,
    committedRows,
    estimate: {
      msm,
      commitmentFloorSeconds: floor,
      proveSeconds: COST_MODEL.proveFloor * floor + COST_MODEL.provePerBlockMsms * graph.nodes.length * msm.secondsPerMsm,
      memoryBytes: COST_MODEL.memoryBaseBytes + COST_MODEL.memoryPerPointBytes * allPoints,
      proofBytes,
    },
  };
}

/**
 * Inspects an ONNX model. Malformed protobuf and graph-wide problems (an input without a shape) throw typed
 * errors; unsupported nodes are listed, all at once. With every node supported, the model is compiled —
 * calibrated on `samples`, or on one synthetic input without them — and its block graph and estimates reported.
 */
export async function inspect(onnx: Uint8Array, samples?: readonly Readonly<Record<string, Tensor>>[], options: InspectOptions = {}): Promise<Inspection> {
  const parsed = parseOnnx(onnx);
  const report = inspectModel(parsed, options);
  const base = {
    name: options.name ?? (parsed.graphName || 'model'),
    nodeCount: report.nodeCount,
    opCounts: Object.fromEntries(report.opCounts),
    warnings: report.warnings,
    unsupported: report.problems.map((p) => ({ node: p.node, opType: p.opType, reason: p.error instanceof UnsupportedOpError ? p.error.reason : p.error.message })),
  };
  if (report.problems.length > 0) return base;
  let model: CompiledWithQuant;
  const synthetic = !samples || samples.length === 0;
  try {
    const calibration: Calibration = calibrateOnnx(onnx, synthetic ? [syntheticSample(onnx, options)] : samples, options);
    model = compileCalibrated(onnx, calibration, options);
  } catch (e) {
    if (e instanceof BlockfoldError) return { ...base, compileError: { code: e.code, message: e.message } };
    throw e;
  }
  return { ...base, compiled: await describeCompiled(model, synthetic ? 'synthetic' : 'samples', options.engine ?? getDefaultEngine()) };
}
