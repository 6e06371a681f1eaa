/**
 * The `blockfold` commands: inspect, compile, setup, prove, verify, bench, demo. `src/cli.ts`, the
 * executable, runs them in a child process it supervises.
 *
 * Exit codes (scripts rely on them): 0 success; 1 the proof was rejected; 2 bad input or usage (a missing
 * or malformed file, an unsupported model, an input outside the calibrated range); 3 internal error; 130
 * interrupted by Ctrl-C (SIGINT), 143 by SIGTERM (128 + the signal's number, as a shell reports it).
 * With `--json`, stdout holds exactly one JSON object (bigints as decimal strings), also on failure, on a
 * usage error and on an interruption (`error.code` "INTERRUPTED", printed by the supervisor). Progress goes
 * to stderr, only when it is a terminal (with or without `--json`), and never changes the terminal's state (the cursor stays visible,
 * autowrap stays on), so there is nothing to restore however the process ends. Output files are written
 * whole (a temporary file renamed into place), and every write is announced in the journal first (see
 * `journal.ts`), so that the supervisor of an interrupted command removes what it wrote.
 * @module
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { SingleBar } from 'cli-progress';
import { constants, readFileSync } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createEngine, getDefaultEngine, setDefaultEngine } from '../engine/index';
import { BlockfoldError, type ErrorCode } from '../errors';
import { writeFilesAtomic, type FileToWrite } from '#files';
import { journal } from './journal';
import { printable } from './printable';
import { checkInputFiles, type InputFile } from './input-files';
import { readSamplesWithBatchHint } from './batch-hint';
import { buildGraph } from '../model/build';
import { parseOnnx } from '../onnx/index';
import { JsonKeyError, parseJsonUniqueKeys } from '../encoding/strict-json';
import { DEV_SRS_WARNING } from '../srs/dev';
import { readPtauFile } from '../srs/ptau';
import { checkRangeBasis, isRangeTableSize, rangeBasisFromPowers } from '../srs/range-basis';
import { encodeRangeBasis, rangeBasisSrsDigest } from '../srs/range-basis-file';
import type { Tensor } from '../model/tensor';
import { DEV_SEED, openSrs, type SrsSource } from '../pipeline/api';
import { calibrateOnnx } from '../pipeline/compile';
import {
  compiledModelArtifact,
  decodeCompiledModel,
  decodeProof,
  decodeProvingKey,
  decodeVerifyingKey,
  encodeCompiledModel,
  encodeProof,
  encodeProvingKey,
  encodeVerifyingKey,
  readSamples,
  verifyingKeyArtifact,
  verifyProofFile,
  verifyProofJson,
  proofFromJson,
  proofToJson,
  type CompiledModelArtifact,
  type InputSpec,
} from '../pipeline/artifacts';
import { layerAccuracy, quantizeFeeds, type CompileOptions } from '../pipeline/compile';
import { formatLayerErrors } from '../model/quant/report';
import { inspect } from '../pipeline/inspect';
import { checkVerifyingKeySrs } from '../pipeline/check-key';
import { keyLagrangeDomains, setup, verifierPoints, type VerifyingKey } from '../pipeline/keys';
import { floatOutputs, hiddenTensors, prove, verify, type HiddenTensor, type ProgressListener, type VerifyResult } from '../pipeline/prove-verify';
import type { CompiledModel, PublicTensorLayout, Visibility } from '../pipeline/compiled-model';
import { inputDigest } from '../pipeline/hashed-input';
import { namedStatementJson } from '../pipeline/named-statement';
import type { OutputVisibility, VisibilityOptions } from '../pipeline/visibility';

/** Exit codes of a command (an interruption's, 128 + the signal's number, are the supervisor's: `src/cli.ts`). */
export const EXIT = { ok: 0, rejected: 1, badInput: 2, internal: 3 } as const;

/** Error codes caused by what the user passed in (files, models, inputs), as opposed to a bug. */
const BAD_INPUT_CODES = new Set<ErrorCode>(['ENCODING', 'SRS', 'ONNX', 'UNSUPPORTED', 'QUANTIZATION', 'SHAPE', 'INPUT', 'COMPILE']);
/** File system errors that mean a wrong path or permission, not a bug. */
const BAD_PATH_ERRNOS = new Set(['ENOENT', 'EACCES', 'EISDIR', 'ENOTDIR', 'EEXIST', 'EPERM', 'ENAMETOOLONG', 'ELOOP']);

const HELP_FOOTER = `
Exit codes:
  0  success (for verify: the proof is accepted)
  1  verification rejected the proof (check-key: the key's SRS material is not the given SRS's)
  2  bad input or usage: missing or malformed file, unsupported model, input outside the calibrated range
  3  internal error
  130, 143  interrupted by Ctrl-C (SIGINT) or SIGTERM; files the command was writing are removed

Input files (JSON), for --input:
  {"input_data": [[...]]}              one sample, one flat array per model input (ZKTorch / EZKL)
  {"shape": [N, ...], "data": [...]}   N samples of a single-input model ("pixels" also accepted)
  {"<input name>": [...]}              one sample by input name; or an array of such objects

Environment:
  BLOCKFOLD_WORKERS=<n>   MSM worker threads when --threads is not given (default 0: the calling thread)
  BLOCKFOLD_ENGINE=<name> wasm (default) or reference (the @noble/curves oracle, much slower)
  BLOCKFOLD_MODELS=<dir>  folder of the models of demo and bench
  BLOCKFOLD_DEV_SRS_CACHE=<dir>  where --dev-srs keeps its computed points (default: blockfold-dev-srs-<uid>
                          in the system's temporary folder; off: no cache)

Models of demo and bench: sample-mlp (ZKTorch sample MLP), fashion-mlp, fashion-cnn, fashion-attn, read from
$BLOCKFOLD_MODELS when it is set; else from the package, which ships sample-mlp only (the Fashion-MNIST models
are in neither the package nor the repository: a checkout looks for them in ../shared/models beside it).`;

// ---------------------------------------------------------------------------------------------------------
// Output

interface Output {
  readonly json: boolean;
  /** Human-readable progress and results (stderr for progress, stdout for results; silent with --json). */
  info(line: string): void;
  /** The command's result: printed as JSON with --json, else by `text`. */
  result(value: Record<string, unknown>, text: () => string[]): void;
  /**
   * Runs one step of the command, showing `label` on stderr while it runs when stderr is a terminal (also
   * with --json, whose object goes to stdout): a bar when `work` reports counted progress, else the
   * elapsed time. The step is recorded in the journal, so that an interruption names it.
   */
  step<T>(label: string, work: (progress: ProgressListener) => Promise<T> | T): Promise<T>;
  /**
   * Writes the command's output files whole and together (renamed into place once every one is complete: a failure
   * replaces none), announced in the journal so that an interrupted command's files are removed.
   */
  write(files: readonly FileToWrite[]): Promise<void>;
}

const jsonText = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x instanceof Uint8Array ? Buffer.from(x).toString('hex') : x), 2);

const BAR_WIDTH = 30;

/**
 * One progress line: `label [████░░░░] done/total` for counted progress, else `label …`, with the elapsed
 * time once there is one to show. A synchronous step redraws only when it ends, so its line says `label …`
 * rather than a clock frozen at 0.0 s.
 */
function stepLine(_options: unknown, params: { value: number; total: number; startTime: number }, payload: { label: string }): string {
  const seconds = (Date.now() - params.startTime) / 1000;
  if (params.total <= 0) return `${payload.label} …${seconds >= 1 ? ` ${seconds.toFixed(1)} s` : ''}`;
  const filled = Math.round((BAR_WIDTH * Math.min(params.value, params.total)) / params.total);
  return `${payload.label} [${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}] ${params.value}/${params.total}`;
}

function output(json: boolean): Output {
  return {
    json,
    info: (line) => {
      if (!json) process.stderr.write(`${printable(line)}\n`);
    },
    result: (value, text) => process.stdout.write(json ? `${jsonText({ ok: true, ...value })}\n` : `${text().map(printable).join('\n')}\n`),
    step: async (label, work) => {
      journal({ step: label });
      if (!process.stderr.isTTY) return work(() => {});
      // linewrap: true truncates the line to the terminal's width instead of turning autowrap off.
      const bar = new SingleBar({ format: stepLine, stream: process.stderr, clearOnComplete: true, hideCursor: false, linewrap: true, fps: 4 });
      bar.start(0, 0, { label });
      try {
        return await work((sub, done, total) => {
          bar.setTotal(total);
          bar.update(done, { label: `${label}: ${sub}` });
        });
      } finally {
        bar.stop();
      }
    },
    write: (files) => writeFilesAtomic(files, { temporary: (temporary, path) => journal({ temporary, path }), renaming: (path) => journal({ renaming: path }) }),
  };
}

const ms = (seconds: number) => (seconds < 10 ? `${(seconds * 1000).toFixed(0)} ms` : `${seconds.toFixed(1)} s`);
const kb = (bytes: number) => `${bytes} bytes (${(bytes / 1024).toFixed(1)} KB)`;

async function timed<T>(f: () => Promise<T> | T): Promise<[T, number]> {
  const t = performance.now();
  const v = await f();
  return [v, (performance.now() - t) / 1000];
}

// ---------------------------------------------------------------------------------------------------------
// Inputs

/**
 * Parses a JSON file's text (a byte-order mark read past), refusing a key written twice in one object
 * (`parseJsonUniqueKeys`: a proof's JSON form naming `statement` twice says two things).
 */
function parseJson(text: string, name: string): unknown {
  try {
    return parseJsonUniqueKeys(text);
  } catch (e) {
    if (e instanceof JsonKeyError) throw new BlockfoldError('INPUT', `${name}: ${e.message}`);
    throw new BlockfoldError('INPUT', `${name} is not valid JSON: ${(e as Error).message}`);
  }
}

async function readJson(path: string): Promise<unknown> {
  return parseJson(await readFile(path, 'utf8'), path);
}

function onnxInputs(onnx: Uint8Array, options: CompileOptions): InputSpec[] {
  return buildGraph(parseOnnx(onnx), options).inputs.map((i) => ({ name: i.name, shape: i.shape }));
}

/**
 * The samples of an input file for an ONNX model's inputs; a length off only in an input's symbolic first dimension
 * names the `--input-shape` that fits it.
 */
function readOnnxSamples(json: unknown, onnx: Uint8Array, options: CompileOptions): Record<string, Tensor>[] {
  return readSamplesWithBatchHint(json, onnxInputs(onnx, options), (input, shape) => {
    const first = parseOnnx(onnx).inputs.find((v) => v.name === input.name)?.shape?.[0];
    if (first === undefined || typeof first === 'number') return undefined;
    return `pass --input-shape ${input.name}=${shape.join(',')} (the input's dimension 0${first === null ? '' : `, "${first}",`} is symbolic: the option sets it)`;
  });
}

function pickSample(samples: Record<string, Tensor>[], index: number): Record<string, Tensor> {
  if (!Number.isInteger(index) || index < 0 || index >= samples.length)
    throw new BlockfoldError('INPUT', `sample ${index} does not exist: the input file holds ${samples.length}`);
  return samples[index];
}

/** Collects repeated `--input-shape name=d0,d1,…` options into `options.inputShapes`. */
function inputShapeOption(value: string, shapes: Record<string, number[]> = {}): Record<string, number[]> {
  const m = /^([^=]+)=(\d+(?:,\d+)*)$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError(`expected name=d0,d1,… with positive integer dimensions, got "${value}"`);
  const dims = m[2].split(',').map(Number);
  if (dims.some((d) => !Number.isSafeInteger(d) || d < 1)) throw new InvalidArgumentError(`${m[1]}: dimensions must be positive integers, got ${m[2]}`);
  if (shapes[m[1]]) throw new InvalidArgumentError(`${m[1]} is given twice`);
  return { ...shapes, [m[1]]: dims };
}

/** An option parser for integers in `min…max`; commander reports a rejected value with the option's name (exit 2). */
function integerIn(min: number, max: number): (value: string) => number {
  return (value) => {
    const n = /^\s*-?\d+\s*$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    return n;
  };
}

/** Most worker threads accepted: far above any core count, low enough that a typo cannot exhaust memory. */
const MAX_THREADS = 256;
/** Largest calibration margin accepted: wider ranges only waste table and field bits. */
const MAX_MARGIN = 65536;

function marginOption(value: string): number {
  const n = value.trim() === '' ? NaN : Number(value);
  if (!Number.isFinite(n) || n < 1 || n > MAX_MARGIN) throw new InvalidArgumentError(`expected a number from 1 to ${MAX_MARGIN} (the factor calibrated ranges are widened by)`);
  return n;
}

/** Engines `BLOCKFOLD_ENGINE` may name. */
const ENGINES = ['wasm', 'reference'];

/**
 * Sets up the default engine: `$BLOCKFOLD_ENGINE` (checked here, so a bad value is a usage error naming the
 * variable rather than an engine failure), with `--threads` MSM worker threads, else `$BLOCKFOLD_WORKERS`.
 */
function configureEngine(threads: number | undefined): void {
  const engine = process.env.BLOCKFOLD_ENGINE;
  if (engine && !ENGINES.includes(engine))
    throw new CommanderError(EXIT.badInput, 'blockfold.invalidEnvironment', `BLOCKFOLD_ENGINE=${engine}: expected one of ${ENGINES.join(', ')}`);
  const fromEnv = process.env.BLOCKFOLD_WORKERS;
  let workers = threads;
  if (workers === undefined && fromEnv !== undefined && fromEnv !== '') {
    try {
      workers = integerIn(0, MAX_THREADS)(fromEnv);
    } catch (e) {
      throw new CommanderError(EXIT.badInput, 'blockfold.invalidEnvironment', `BLOCKFOLD_WORKERS=${fromEnv}: ${(e as Error).message}`);
    }
  }
  if (workers !== undefined) setDefaultEngine(createEngine(undefined, { workers }));
}

/**
 * Refuses, before any heavy work, an output path that cannot be written: a folder that is missing or not
 * writable, a path that is a folder or that the system refuses (a name too long), or one of the command's input files.
 */
async function checkOutputs(outputs: readonly string[], inputs: readonly string[]): Promise<void> {
  const seen = new Set(inputs.map((f) => resolve(f)));
  for (const path of outputs) {
    const full = resolve(path);
    if (seen.has(full)) throw new BlockfoldError('INPUT', `${path} is also an input or another output of this command`);
    seen.add(full);
    const folder = dirname(full);
    const dir = await stat(folder).catch(() => undefined);
    if (!dir?.isDirectory()) throw new BlockfoldError('INPUT', `cannot write ${path}: the folder ${dirname(path)} does not exist`);
    const found = await stat(full).catch((e: NodeJS.ErrnoException) => e);
    // Absent is the usual case; any other failure (a name longer than the system allows, a loop of links) is a path not to write.
    if (found instanceof Error && (found as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new BlockfoldError('INPUT', `cannot write ${path}: ${(found as NodeJS.ErrnoException).code ?? found.message}`);
    if (!(found instanceof Error) && found.isDirectory()) throw new BlockfoldError('INPUT', `cannot write ${path}: it is a folder`);
    await access(folder, constants.W_OK).catch(() => {
      throw new BlockfoldError('INPUT', `cannot write ${path}: the folder ${dirname(path)} is not writable`);
    });
  }
}

/** A bundled model: an ONNX file and an input file in the shared models folder. */
interface BundledModel {
  readonly title: string;
  readonly onnx: string;
  readonly inputs: string;
  /** Labels of the samples, for classifiers. */
  readonly labelsKey?: string;
}

const BUNDLED: Readonly<Record<string, BundledModel>> = {
  'sample-mlp': { title: 'ZKTorch sample MLP (4-4-4, two ReLUs)', onnx: 'zktorch-sample-mlp.onnx', inputs: 'zktorch-sample-mlp.input.json' },
  'fashion-mlp': { title: 'Fashion-MNIST MLP (784-64-10)', onnx: 'fashion-mlp.onnx', inputs: 'fashion-test-64.json', labelsKey: 'labels' },
  'fashion-cnn': { title: 'Fashion-MNIST CNN (2 conv + max-pool)', onnx: 'fashion-cnn.onnx', inputs: 'fashion-test-64.json', labelsKey: 'labels' },
  'fashion-attn': { title: 'Fashion-MNIST tiny transformer', onnx: 'fashion-attn.onnx', inputs: 'fashion-test-64.json', labelsKey: 'labels' },
};

/**
 * Where bundled models are looked for: only `$BLOCKFOLD_MODELS` when it is set; else the package's own
 * `models/` folder (it ships the sample MLP), then `../shared/models` next to a checkout of the repository
 * (the Fashion-MNIST models).
 */
function modelDirs(packageRoot: URL): string[] {
  const chosen = process.env.BLOCKFOLD_MODELS;
  if (chosen) return [chosen];
  return [fileURLToPath(new URL('models/', packageRoot)), fileURLToPath(new URL('../shared/models/', packageRoot))];
}

/** Reads `file` from the first model folder that holds it; a typed input error naming `BLOCKFOLD_MODELS` otherwise. */
async function readModelFile(file: string, packageRoot: URL): Promise<Uint8Array> {
  const dirs = modelDirs(packageRoot);
  for (const dir of dirs) {
    try {
      return new Uint8Array(await readFile(join(dir, file)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  throw new BlockfoldError('INPUT', `model file ${file} not found in ${dirs.join(' or ')} (the package ships the sample MLP only); set BLOCKFOLD_MODELS to the folder that holds it`);
}

async function loadBundled(name: string, packageRoot: URL): Promise<{ model: BundledModel; onnx: Uint8Array; json: unknown }> {
  const model = BUNDLED[name];
  if (!model) throw new BlockfoldError('INPUT', `unknown model "${name}" (bundled: ${Object.keys(BUNDLED).join(', ')})`);
  const onnx = await readModelFile(model.onnx, packageRoot);
  const inputs = new TextDecoder().decode(await readModelFile(model.inputs, packageRoot));
  return { model, onnx, json: parseJson(inputs, model.inputs) };
}

// ---------------------------------------------------------------------------------------------------------
// Commands

async function inspectCommand(file: string, opts: { input?: string; inputShape?: Record<string, number[]> }, out: Output): Promise<number> {
  await checkInputFiles([
    { path: file, role: 'the ONNX model' },
    { path: opts.input, role: 'the calibration samples file' },
  ]);
  configureEngine(undefined);
  const build = opts.inputShape ? { inputShapes: opts.inputShape } : {};
  const report = await out.step('inspect', async () => {
    const onnx = new Uint8Array(await readFile(file));
    const samples = opts.input ? readOnnxSamples(await readJson(opts.input), onnx, build) : undefined;
    return inspect(onnx, samples, build);
  });
  out.result({ inspection: report }, () => {
    const lines = [`model ${report.name} (${basename(file)}): ${report.nodeCount} nodes: ${Object.entries(report.opCounts).map(([op, n]) => `${op}×${n}`).join(', ')}`];
    for (const w of report.warnings) lines.push(`warning: ${w}`);
    if (report.unsupported.length > 0) {
      lines.push(`unsupported (${report.unsupported.length}):`);
      for (const u of report.unsupported) lines.push(`  node "${u.node}" (${u.opType}): ${u.reason}`);
    }
    if (report.compileError) lines.push(`does not compile (${report.compileError.code}): ${report.compileError.message}`);
    const c = report.compiled;
    if (c) {
      const e = c.estimate;
      lines.push(
        `blocks: ${c.blocks.map((b) => `${b.kind}×${b.count}`).join(', ')} (${c.foldKeys.length} fold keys)`,
        `SRS: ${c.srsG1Powers} G1 powers of τ`,
        `committed rows: ${c.committedRows.wire.rows} wire, ${c.committedRows.input.rows} input, ${c.committedRows.output.rows} output per proof; ${c.committedRows.weight.rows} weight rows at setup`,
        `estimates${c.calibration === 'synthetic' ? ' (calibrated on a synthetic input; pass --input for real scales)' : ''}:`,
        `  prove  ≈ ${ms(e.proveSeconds)} (commitment floor ${ms(e.commitmentFloorSeconds)}, ${c.blocks.reduce((n, b) => n + b.count, 0)} blocks; cost model fitted by bench/cost-model.ts, MSM cost measured here)`,
        `  memory ≈ ${(e.memoryBytes / 2 ** 20).toFixed(1)} MiB`,
        `  proof  ${c.calibration === 'samples' ? '=' : '≈'} ${kb(e.proofBytes.proof)} (${e.proofBytes.wireCommitments} B wire commitments, ${e.proofBytes.argumentMessages} B argument messages); an aggregate of two ${kb(e.proofBytes.aggregateOfTwo)} (${e.proofBytes.crossTermsPerFold} B cross terms per fold)`,
        // Exact for the model as calibrated here: a synthetic input's scales can give other range tables and limb splits than real samples.
        c.calibration === 'samples'
          ? '         exact for this model compiled on these samples with the default quantization options (the proof file adds its statement)'
          : '         exact only for a model calibrated on the synthetic input: range tables and limb splits follow the calibration; pass --input for the exact size',
      );
    }
    return lines;
  });
  return report.unsupported.length > 0 || report.compileError ? EXIT.badInput : EXIT.ok;
}

interface CompileCliOptions {
  input: string;
  output?: string;
  name?: string;
  margin?: number;
  activationBits?: number;
  weightBits?: number;
  inputShape?: Record<string, number[]>;
  privateInput?: string[];
  hashedInput?: string[];
  privateOutput?: string[];
}

/** Collects a repeated option's values. */
const repeated = (value: string, previous: string[] = []): string[] => [...previous, value];

/** The visibility option of `compile` from its flags; a name given twice (in one flag or two) is a usage error. */
function visibilityOf(opts: CompileCliOptions): VisibilityOptions | undefined {
  const inputs: Record<string, Visibility> = {};
  const outputs: Record<string, OutputVisibility> = {};
  const put = <V extends string>(into: Record<string, V>, names: readonly string[] | undefined, v: V, what: string) => {
    for (const name of names ?? []) {
      if (Object.hasOwn(into, name)) throw new CommanderError(EXIT.badInput, 'blockfold.conflict', `${what} "${name}" is given two visibilities (${into[name]} and ${v})`);
      into[name] = v;
    }
  };
  put(inputs, opts.privateInput, 'private', 'input');
  put(inputs, opts.hashedInput, 'hashed', 'input');
  put(outputs, opts.privateOutput, 'private', 'output');
  return Object.keys(inputs).length + Object.keys(outputs).length > 0 ? { inputs, outputs } : undefined;
}

/** `name (visibility)` of every model input and output that is not public, for reports. */
function hiddenNames(model: Pick<CompiledModel, 'inputs' | 'outputs'>): string[] {
  return [...model.inputs.map((l) => ['input', l] as const), ...model.outputs.map((l) => ['output', l] as const)].filter(([, l]) => l.visibility !== 'public').map(([kind, l]) => `${kind} ${l.name} (${l.visibility})`);
}

async function compileCommand(file: string, opts: CompileCliOptions, out: Output): Promise<number> {
  const target = opts.output ?? `${basename(file, '.onnx')}.bfm`;
  await checkOutputs([target], [file, opts.input]);
  await checkInputFiles([
    { path: file, role: 'the ONNX model' },
    { path: opts.input, role: 'the calibration samples file' },
  ]);
  const onnx = new Uint8Array(await readFile(file));
  const quantization = {
    ...(opts.margin !== undefined ? { margin: opts.margin } : {}),
    ...(opts.activationBits !== undefined ? { activationBits: opts.activationBits } : {}),
    ...(opts.weightBits !== undefined ? { weightBits: opts.weightBits } : {}),
  };
  const visibility = visibilityOf(opts);
  const options: CompileOptions = {
    ...(opts.name ? { name: opts.name } : {}),
    ...(Object.keys(quantization).length ? { quantization } : {}),
    ...(opts.inputShape ? { inputShapes: opts.inputShape } : {}),
    ...(visibility ? { visibility } : {}),
  };
  const samples = await out.step('reading the model and the samples', async () => readOnnxSamples(await readJson(opts.input), onnx, options));
  const [artifact, seconds] = await timed(() => out.step('compile', () => compiledModelArtifact(onnx, calibrateOnnx(onnx, samples, options), options)));
  await out.step('writing the compiled model', () => out.write([{ path: target, bytes: encodeCompiledModel(artifact) }]));
  const { warnings } = artifact.model;
  const layers = await out.step('accuracy', () => layerAccuracy(onnx, artifact.model, samples, options));
  const { model } = artifact;
  const shown = (layouts: readonly PublicTensorLayout[]) => Object.fromEntries(layouts.map((l) => [l.name, l.visibility]));
  const hidden = hiddenNames(model);
  const result = { file: target, name: model.name, blocks: model.graph.nodes.length, srsG1Powers: model.srsG1Powers, samples: samples.length, seconds, visibility: { inputs: shown(model.inputs), outputs: shown(model.outputs) }, warnings, layers };
  out.result(result, () => [
    ...warnings.map((w) => `warning: ${w}`),
    `compiled ${model.name} on ${samples.length} sample(s) in ${ms(seconds)}: ${model.graph.nodes.length} blocks, SRS ${model.srsG1Powers} G1 powers`,
    `visibility: ${hidden.length > 0 ? `${hidden.join(', ')}; every other input and output public` : 'every input and output public'}`,
    `quantized vs float on the calibration samples, per layer:`,
    ...formatLayerErrors(layers).split('\n').map((l) => `  ${l}`),
    `wrote ${target}`,
  ]);
  return EXIT.ok;
}

interface SetupCliOptions {
  devSrs?: boolean;
  devSrsSeed?: string;
  ptau?: string;
  rangeBasis?: string[];
  pk?: string;
  vk?: string;
  threads?: number;
}

function srsSourceOf(opts: SetupCliOptions): SrsSource {
  const dev = opts.devSrs === true || opts.devSrsSeed !== undefined;
  if (opts.ptau !== undefined && dev) throw new CommanderError(EXIT.badInput, 'blockfold.conflict', 'choose one of --ptau and --dev-srs');
  if (opts.rangeBasis !== undefined && opts.ptau === undefined) throw new CommanderError(EXIT.badInput, 'blockfold.conflict', '--range-basis goes with --ptau (a development SRS computes its range bases from its public τ)');
  if (opts.ptau !== undefined) return { kind: 'ptau', path: opts.ptau, ...(opts.rangeBasis ? { rangeBasisFiles: opts.rangeBasis } : {}) };
  if (dev) return { kind: 'dev', seed: opts.devSrsSeed ?? DEV_SEED };
  throw new CommanderError(EXIT.badInput, 'blockfold.missingSrs', 'an SRS is needed: --ptau <file> (a powers-of-tau ceremony) or --dev-srs (INSECURE, for tests and demos)');
}

/** The files an SRS source reads: a ceremony and its prepared range bases (none for the development SRS). */
function srsFiles(source: SrsSource): InputFile[] {
  if (source.kind !== 'ptau') return [];
  return [{ path: source.path, role: 'the powers-of-tau file' }, ...(source.rangeBasisFiles ?? []).map((path) => ({ path, role: 'the range-basis file' }))];
}

async function setupCommand(file: string, opts: SetupCliOptions, out: Output): Promise<number> {
  const source = srsSourceOf(opts);
  const stem = basename(file, '.bfm');
  const pkFile = opts.pk ?? `${stem}.pk`;
  const vkFile = opts.vk ?? `${stem}.vk`;
  await checkOutputs([pkFile, vkFile], source.kind === 'ptau' ? [file, source.path] : [file]);
  await checkInputFiles([{ path: file, role: 'the compiled model' }, ...srsFiles(source)]);
  configureEngine(opts.threads);
  if (source.kind === 'dev') out.info(`WARNING: ${DEV_SRS_WARNING}`);
  const compiled = await out.step('loading the compiled model', async () => decodeCompiledModel(new Uint8Array(await readFile(file))));
  const [pk, seconds] = await timed(async () => {
    const srs = await out.step(source.kind === 'dev' ? 'computing the development SRS' : 'reading the SRS', () => openSrs(source, compiled.model.srsG1Powers));
    return out.step('setup: committing the weights', () => setup(compiled.model, srs));
  });
  const keys = { compiled, srs: source, pk };
  await out.step('writing the keys', () =>
    out.write([
      { path: pkFile, bytes: encodeProvingKey(keys) },
      { path: vkFile, bytes: encodeVerifyingKey(verifyingKeyArtifact(keys)) },
    ]),
  );
  const digest = Buffer.from(pk.vk.digest).toString('hex');
  out.result({ provingKey: pkFile, verifyingKey: vkFile, verifyingKeyDigest: digest, insecureSrs: source.kind === 'dev', seconds }, () => [
    `setup in ${ms(seconds)}; verifying-key digest ${digest}`,
    `wrote ${pkFile} and ${vkFile}`,
  ]);
  return EXIT.ok;
}

interface PrepareRangeCliOptions {
  size: number;
  output?: string;
  threads?: number;
}

/** The range-table sizes `prepare-range` takes: powers of two from 2 to 2^20. */
function rangeSizeOption(value: string): number {
  const n = /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  if (!isRangeTableSize(n)) throw new InvalidArgumentError('expected a power of two from 2 to 1048576');
  return n;
}

/**
 * `prepare-range`: the range basis of one table size from a ceremony's powers (a change of basis in G1, minutes for
 * 2^16 entries), checked against them and written as a range-basis file, so that it is computed once per ceremony.
 */
async function prepareRangeCommand(ptau: string, opts: PrepareRangeCliOptions, out: Output): Promise<number> {
  const n = opts.size;
  const target = opts.output ?? `${basename(ptau, '.ptau')}.range-${n}.bin`;
  await checkOutputs([target], [ptau]);
  await checkInputFiles([{ path: ptau, role: 'the powers-of-tau file' }]);
  configureEngine(opts.threads);
  const engine = getDefaultEngine();
  const [result, seconds] = await timed(async () => {
    const srs = await out.step('reading the SRS', () => readPtauFile(ptau, { maxG1: n + 2, maxG2: 2, engine }));
    const basis = await out.step(`computing the range basis of ${n} entries`, (progress) =>
      rangeBasisFromPowers(srs.g1Powers, n, engine, { onProgress: (done, total) => progress('K basis', Math.round(done), Math.round(total)) }),
    );
    await out.step('checking it against the SRS', () => checkRangeBasis(basis, srs, engine));
    await out.step('writing the range basis', () => out.write([{ path: target, bytes: encodeRangeBasis(basis, srs) }]));
    return { srsDigest: Buffer.from(rangeBasisSrsDigest(srs, n)).toString('hex') };
  });
  out.result({ file: target, size: n, srsDigest: result.srsDigest, seconds }, () => [
    `range basis of ${n} entries in ${ms(seconds)} (SRS digest ${result.srsDigest})`,
    `wrote ${target}`,
  ]);
  return EXIT.ok;
}

interface ProveCliOptions {
  input: string;
  sample: number;
  output?: string;
  format: ProofFormat;
  threads?: number;
  seed?: string;
}

/** How `prove` writes a proof: the binary proof file, or its JSON form (see {@link proofToJson}). */
type ProofFormat = 'binary' | 'json';

/** The bytes of a proof file in `format`; the JSON form is indented text ending in a newline. */
function proofFileBytes(format: ProofFormat, proof: Parameters<typeof encodeProof>[0]): Uint8Array {
  return format === 'json' ? new TextEncoder().encode(`${JSON.stringify(proofToJson(proof), null, 2)}\n`) : encodeProof(proof);
}

async function proveCommand(file: string, opts: ProveCliOptions, out: Output): Promise<number> {
  const target = opts.output ?? `${basename(file, '.pk')}.proof${opts.format === 'json' ? '.json' : ''}`;
  await checkOutputs([target], [file, opts.input]);
  await checkInputFiles([
    { path: file, role: 'the proving key' },
    { path: opts.input, role: 'the input file' },
  ]);
  configureEngine(opts.threads);
  const { pk, compiled } = await out.step('loading the proving key', async (onProgress) => decodeProvingKey(new Uint8Array(await readFile(file)), { onProgress }));
  const { model } = compiled;
  const { inputs, samples } = await out.step('reading the input', async () => {
    const all = readSamplesWithBatchHint(await readJson(opts.input), model.inputs, (input, shape) => `the model was compiled for [${input.shape.join(', ')}]; if its dimension 0 is symbolic, compile it again with --input-shape ${input.name}=${shape.join(',')}`);
    return { inputs: quantizeFeeds(model, pickSample(all, opts.sample)), samples: all.length };
  });
  const [{ statement, proof }, seconds] = await timed(() => out.step('prove', (onProgress) => prove(pk, inputs, { seed: opts.seed, onProgress })));
  const outputs = floatOutputs(model, statement);
  const hidden = hiddenTensors(model, statement);
  await out.step('writing the proof', () => out.write([{ path: target, bytes: proofFileBytes(opts.format, { verifyingKeyDigest: pk.vk.digest, statement, proof }) }]));
  out.result({ file: target, sample: opts.sample, samples, proofBytes: proof.size.total, seconds, outputs, ...(hidden.length > 0 ? { hidden } : {}), statement: namedStatementJson(pk.vk, statement) }, () => [
    // An input file of several samples (a calibration file) is proven on one: say which, and how to pick another.
    ...(samples > 1 ? [`input: sample ${opts.sample} of the ${samples} in ${opts.input} (--sample <n> picks another)`] : []),
    `proved in ${ms(seconds)}: ${kb(proof.size.total)}`,
    ...outputs.map((o) => `output ${o.name} = [${o.values.map((v) => +v.toFixed(4)).join(', ')}]`),
    ...hidden.map(hiddenLine),
    `wrote ${target}`,
  ]);
  return EXIT.ok;
}

/** One report line of a private or hashed tensor: its commitments or its digest, never its values. */
function hiddenLine(h: HiddenTensor): string {
  return h.visibility === 'hashed' ? `${h.kind} ${h.name} (hashed): digest ${h.digest}` : `${h.kind} ${h.name} (private): ${h.commitments.length} row commitment(s) ${h.commitments.join(' ')}`;
}

/**
 * The digests of the hashed inputs given in an input file (`verify --input`): the file holds one sample of the
 * key's hashed inputs, by name or in the other input-file forms (see `--help`), quantized with the key's layouts.
 */
async function givenDigests(vk: VerifyingKey, json: unknown): Promise<Map<string, string>> {
  const hashed = vk.model.inputs.filter((l) => l.visibility === 'hashed');
  if (hashed.length === 0) throw new BlockfoldError('INPUT', 'this key has no hashed input: --input gives the values of hashed inputs to compare with their digests');
  const samples = readSamples(json, hashed);
  if (samples.length !== 1) throw new BlockfoldError('INPUT', `the input file holds ${samples.length} samples; give the one the proof was made on`);
  const out = new Map<string, string>();
  for (const l of hashed) out.set(l.name, await inputDigest(vk, l.name, samples[0][l.name]));
  return out;
}

/** An accepting verdict kept only if every hashed input's digest is the given input's (`verify --input`). */
function matchingDigests(verdict: VerifyResult, given: ReadonlyMap<string, string>): VerifyResult {
  if (!verdict.ok) return verdict;
  for (const h of verdict.hidden ?? []) {
    const want = h.visibility === 'hashed' ? given.get(h.name) : undefined;
    if (h.visibility === 'hashed' && want !== h.digest)
      return { ok: false, reason: `the proof holds, but hashed input "${h.name}" is not the given input (digest ${h.digest}; the given input's is ${want})` };
  }
  return verdict;
}

/** The UTF-8 byte-order mark some editors write first in a text file; `TextDecoder` drops it. */
const UTF8_BOM = [0xef, 0xbb, 0xbf];

/**
 * Reads a proof in either form, told apart by content (not by the file's name): JSON text (first
 * non-blank character `{`, after a UTF-8 byte-order mark if there is one) is the JSON form, anything else must be a
 * binary proof file. A file that is no proof at all is bad input (exit 2), not a rejected proof, so it is decoded
 * here; the verifier decodes it again, from the same bytes, and decides.
 */
function readProof(bytes: Uint8Array, name: string): (vk: VerifyingKey) => Promise<VerifyResult> {
  const text = UTF8_BOM.every((b, i) => bytes[i] === b) ? bytes.subarray(UTF8_BOM.length) : bytes;
  const first = text.find((b) => b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d);
  if (first !== 0x7b) {
    decodeProof(bytes);
    return (vk) => verifyProofFile(vk, bytes);
  }
  const json = parseJson(new TextDecoder().decode(bytes), name);
  proofFromJson(json);
  return (vk) => verifyProofJson(vk, json);
}

async function verifyCommand(vkFile: string, proofFile: string, opts: { threads?: number; input?: string }, out: Output): Promise<number> {
  await checkInputFiles([
    { path: vkFile, role: 'the verifying key' },
    { path: proofFile, role: 'the proof file' },
    { path: opts.input, role: 'the hashed inputs file' },
  ]);
  configureEngine(opts.threads);
  const { vk } = await out.step('loading the verifying key', async (onProgress) => decodeVerifyingKey(new Uint8Array(await readFile(vkFile)), { onProgress }));
  const check = await out.step('reading the proof', async () => readProof(new Uint8Array(await readFile(proofFile)), proofFile));
  const given = opts.input === undefined ? undefined : await out.step('hashing the given input', async () => givenDigests(vk, await readJson(opts.input!)));
  // Only what the proof binds is reported: the outputs come from the verified statement, never from the file.
  const [verdict, seconds] = await timed(() => out.step('verify', async () => (given ? matchingDigests(await check(vk), given) : check(vk))));
  out.result(
    {
      ok: verdict.ok,
      accepted: verdict.ok,
      ...(verdict.ok ? { outputs: verdict.outputs, ...(verdict.hidden ? { hidden: verdict.hidden } : {}), insecureSrs: verdict.insecureSrs } : { reason: verdict.reason }),
      seconds,
    },
    () =>
      verdict.ok
        ? [
            `accepted in ${ms(seconds)}`,
            ...(verdict.insecureSrs ? [`WARNING: this verifying key uses the ${DEV_SRS_WARNING}`] : []),
            ...verdict.outputs.map((o) => `output ${o.name} = [${o.values.map((v) => +v.toFixed(4)).join(', ')}]`),
            ...(verdict.hidden ?? []).map(hiddenLine),
            ...(given ? [`hashed input(s) ${[...given.keys()].join(', ')}: the digest is the given input's`] : []),
          ]
        : [`REJECTED: ${verdict.reason}`],
  );
  return verdict.ok ? EXIT.ok : EXIT.rejected;
}

/**
 * `check-key`: whether a verifying key's SRS material is the ceremony's (`checkVerifyingKeySrs`): the digest of its
 * powers, its range table's `[Z_S(τ)]₁` and its Lagrange bases. Exit 1 when it is not, as a rejected proof.
 */
async function checkKeyCommand(vkFile: string, opts: SetupCliOptions, out: Output): Promise<number> {
  const source = srsSourceOf(opts);
  await checkInputFiles([{ path: vkFile, role: 'the verifying key' }, ...srsFiles(source)]);
  configureEngine(opts.threads);
  const { vk } = await out.step('loading the verifying key', async (onProgress) => decodeVerifyingKey(new Uint8Array(await readFile(vkFile)), { onProgress }));
  const [verdict, seconds] = await timed(async () => {
    const srs = await out.step(source.kind === 'dev' ? 'computing the development SRS' : 'reading the SRS', () => openSrs(source, vk.model.srsG1Powers));
    return out.step('checking the key against the SRS', () => checkVerifyingKeySrs(vk, srs));
  });
  const table = vk.kzg.rangeTable;
  const held = verifierPoints(vk.model).length;
  const checked = [
    "the key's SRS digest, [1]₂ and [τ]₂",
    ...(table ? [`its range table's [Z_S(τ)]₁ (${table.size} entries)`] : []),
    `its Lagrange bases of ${keyLagrangeDomains(vk.model).map((n) => `H_${n}`).join(', ')}`,
    ...(held > 0 ? [`its ${held} verifier commitment${held === 1 ? '' : 's'}`] : []),
  ];
  out.result({ ok: verdict.ok, ...(verdict.ok ? {} : { reason: verdict.reason }), seconds }, () =>
    verdict.ok ? [`${checked.slice(0, -1).join(', ')} and ${checked.at(-1)} are this SRS's (checked in ${ms(seconds)})`] : [`REJECTED: ${verdict.reason}`],
  );
  return verdict.ok ? EXIT.ok : EXIT.rejected;
}

/** Timings of one end-to-end run of a bundled model. */
interface EndToEnd {
  readonly model: string;
  readonly title: string;
  readonly blocks: number;
  readonly proofBytes: number;
  readonly seconds: { compile: number; setup: number; prove: number[]; verify: number[] };
  readonly accepted: boolean;
  readonly outputs: ReturnType<typeof floatOutputs>;
  readonly label?: number;
  readonly commitmentFloorSeconds: number;
}

/** Compile (calibrated on every bundled sample), set up with the dev SRS, prove and verify the first sample `runs` times. */
async function endToEnd(name: string, runs: number, out: Output, packageRoot: URL): Promise<EndToEnd> {
  const { model: bundled, onnx, json } = await loadBundled(name, packageRoot);
  out.info(`${bundled.title} (${bundled.onnx})`);
  out.info(`WARNING: ${DEV_SRS_WARNING}`);
  const samples = readSamples(json, onnxInputs(onnx, {}));
  const [compiled, compileSeconds] = await timed(() => out.step('compile', (): CompiledModelArtifact => compiledModelArtifact(onnx, calibrateOnnx(onnx, samples))));
  const model = compiled.model;
  out.info(`compile ${ms(compileSeconds).padStart(9)}  ${model.graph.nodes.length} blocks, SRS ${model.srsG1Powers} G1 powers`);
  const [pk, setupSeconds] = await timed(() => out.step('setup', async () => setup(model, await openSrs({ kind: 'dev', seed: DEV_SEED }, model.srsG1Powers))));
  out.info(`setup   ${ms(setupSeconds).padStart(9)}  (development SRS, model commitment)`);
  const inputs = quantizeFeeds(model, samples[0]);
  const proveSeconds: number[] = [];
  const verifySeconds: number[] = [];
  let result: Awaited<ReturnType<typeof prove>> | undefined;
  let accepted = true;
  for (let i = 0; i < runs; i++) {
    const [r, p] = await timed(() => out.step('prove', (onProgress) => prove(pk, inputs, { onProgress })));
    const [v, s] = await timed(() => out.step('verify', () => verify(pk.vk, r.statement, r.proof.bytes)));
    result = r;
    accepted &&= v.ok;
    proveSeconds.push(p);
    verifySeconds.push(s);
    out.info(`prove   ${ms(p).padStart(9)}  ${kb(r.proof.size.total)}`);
    out.info(`verify  ${ms(s).padStart(9)}  ${v.ok ? 'accepted' : `REJECTED: ${v.reason}`}`);
  }
  const report = await out.step('estimating the commitment floor', () => inspect(onnx, samples.slice(0, 1)));
  const labels = bundled.labelsKey ? ((json as Record<string, unknown>)[bundled.labelsKey] as number[] | undefined) : undefined;
  return {
    model: name,
    title: bundled.title,
    blocks: model.graph.nodes.length,
    proofBytes: result!.proof.size.total,
    seconds: { compile: compileSeconds, setup: setupSeconds, prove: proveSeconds, verify: verifySeconds },
    accepted,
    outputs: floatOutputs(model, result!.statement),
    ...(labels ? { label: labels[0] } : {}),
    commitmentFloorSeconds: report.compiled?.estimate.commitmentFloorSeconds ?? NaN,
  };
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];
const argmax = (xs: readonly number[]) => xs.reduce((best, x, i) => (x > xs[best] ? i : best), 0);

async function demoCommand(opts: { model: string; threads?: number }, out: Output, packageRoot: URL): Promise<number> {
  configureEngine(opts.threads);
  const r = await endToEnd(opts.model, 1, out, packageRoot);
  const o = r.outputs[0];
  out.result({ demo: r }, () => [
    `${r.title}: proof ${kb(r.proofBytes)}, ${r.accepted ? 'verified' : 'REJECTED'}`,
    `timings: compile ${ms(r.seconds.compile)}, setup ${ms(r.seconds.setup)}, prove ${ms(r.seconds.prove[0])}, verify ${ms(r.seconds.verify[0])}`,
    `output ${o.name} = [${o.values.map((v) => +v.toFixed(4)).join(', ')}]${r.label !== undefined ? `; predicted class ${argmax(o.values)}, label ${r.label}` : ''}`,
  ]);
  return r.accepted ? EXIT.ok : EXIT.rejected;
}

async function benchCommand(opts: { model: string; runs: number; threads?: number }, out: Output, packageRoot: URL): Promise<number> {
  configureEngine(opts.threads);
  const r = await endToEnd(opts.model, opts.runs, out, packageRoot);
  const prove = median(r.seconds.prove);
  const verifyS = median(r.seconds.verify);
  out.result({ bench: { ...r, medianSeconds: { prove, verify: verifyS }, proveOverFloor: prove / r.commitmentFloorSeconds } }, () => [
    `${r.title}, ${r.seconds.prove.length} run(s), medians: prove ${ms(prove)}, verify ${ms(verifyS)}; compile ${ms(r.seconds.compile)}, setup ${ms(r.seconds.setup)}`,
    `proof ${kb(r.proofBytes)}; prove ÷ commitment floor (estimated by inspect) = ${(prove / r.commitmentFloorSeconds).toFixed(1)}`,
    'the full suite with targets: npm run bench',
  ]);
  return r.accepted ? EXIT.ok : EXIT.rejected;
}

// ---------------------------------------------------------------------------------------------------------
// Program

/** The version in the package's package.json. */
function packageVersion(packageRoot: URL): string {
  return (JSON.parse(readFileSync(new URL('package.json', packageRoot), 'utf8')) as { version: string }).version;
}

function program(run: (action: (out: Output) => Promise<number>, json: boolean) => Promise<void>, packageRoot: URL): Command {
  const cmd = new Command('blockfold')
    .description('Zero-knowledge proofs of ML inference: compile an ONNX model, set up keys, prove, verify.')
    .addHelpText('after', HELP_FOOTER)
    .version(packageVersion(packageRoot), '-V, --version', 'print the version of blockfold')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  const json = new Option('--json', 'print one JSON object on stdout');
  const threads = new Option('--threads <n>', 'worker threads for multi-scalar multiplications (default: $BLOCKFOLD_WORKERS, else 0: the calling thread)').argParser(
    integerIn(0, MAX_THREADS),
  );
  const inputShape = new Option('--input-shape <name=dims>', 'concrete shape of an input, e.g. x=1,3,32,32 (repeatable; symbolic dimensions not given are 1)').argParser(inputShapeOption);
  const bundled = new Option('--model <name>', 'model to run: sample-mlp ships with the package, the others are read from $BLOCKFOLD_MODELS').choices(Object.keys(BUNDLED)).default('sample-mlp');
  cmd
    .command('inspect <model.onnx>')
    .description('unsupported ops, block graph, SRS size and estimated cost, before any heavy work (exit 2 if the model cannot compile)')
    .option('-i, --input <file.json>', 'calibration samples (default: one synthetic input)')
    .addOption(inputShape)
    .addOption(json)
    .action((file, o) => run((out) => inspectCommand(file, o, out), !!o.json));
  cmd
    .command('compile <model.onnx>')
    .description('calibrate on samples, quantize and lower to blocks; writes a compiled model file (.bfm)')
    .requiredOption('-i, --input <file.json>', 'calibration samples')
    .option('-o, --output <file>', 'output file (default: <model>.bfm)')
    .option('--name <name>', 'model name for reports')
    .option('--margin <factor>', `widen calibrated ranges by this factor, 1 to ${MAX_MARGIN} (default 2)`, marginOption)
    .option('--activation-bits <n>', 'signed bits of activations (default 16)', integerIn(2, 64))
    .option('--weight-bits <n>', 'signed bits of weights (default 16)', integerIn(2, 64))
    .option('--private-input <name>', 'the statement holds this input only as its row commitments (repeatable)', repeated)
    .option('--hashed-input <name>', 'the statement holds this input as row commitments whose digest identifies it: verify --input checks it (repeatable)', repeated)
    .option('--private-output <name>', 'the statement holds this output only as its row commitments (repeatable)', repeated)
    .addOption(inputShape)
    .addOption(json)
    .action((file, o) => run((out) => compileCommand(file, o, out), !!o.json));
  cmd
    .command('setup <model.bfm>')
    .description('commit the weights over a universal SRS; writes a proving key (.pk) and a verifying key (.vk)')
    .option('--ptau <file>', 'a snarkjs powers-of-tau ceremony file')
    .option('--range-basis <file>', "the ceremony's prepared range basis (`prepare-range`), checked on reading; repeatable; without it a range table's basis is computed from the powers (minutes at 2^16 entries)", (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .option('--dev-srs', 'the INSECURE development SRS (tests and demos only)')
    .option('--dev-srs-seed <seed>', 'public seed of the development SRS (implies --dev-srs; default "blockfold")')
    .option('--pk <file>', 'proving key file (default: <model>.pk)')
    .option('--vk <file>', 'verifying key file (default: <model>.vk)')
    .addOption(threads)
    .addOption(json)
    .action((file, o) => run((out) => setupCommand(file, o, out), !!o.json));
  cmd
    .command('prepare-range <file.ptau>')
    .description('compute the range basis of a range table from a ceremony\'s powers, once, and write it checked (read it with the ceremony)')
    .requiredOption('--size <n>', 'entries of the range table {0, …, n − 1}: a power of two up to 1048576 (e.g. 65536)', rangeSizeOption)
    .option('-o, --output <file>', 'output file (default: <ptau>.range-<n>.bin)')
    .addOption(threads)
    .addOption(json)
    .action((file, o) => run((out) => prepareRangeCommand(file, o, out), !!o.json));
  cmd
    .command('prove <key.pk>')
    .description('run the model on an input and prove it; writes a proof file with the statement and outputs')
    .requiredOption('-i, --input <file.json>', 'the input')
    .option('--sample <n>', 'which sample of the input file', integerIn(0, Number.MAX_SAFE_INTEGER), 0)
    .option('-o, --output <file>', 'proof file (default: <key>.proof, or <key>.proof.json with --format json)')
    .addOption(
      new Option('--format <format>', 'binary: a proof file; json: the proof (base64) and its public statement (decimal strings) as JSON')
        .choices(['binary', 'json'])
        .default('binary'),
    )
    .option('--seed <text>', 'seed of the blinding randomness: the same input and seed give the same proof file (tests and reproducible benches only; without it every proof is blinded afresh)')
    .addOption(threads)
    .addOption(json)
    .action((file, o) => run((out) => proveCommand(file, o, out), !!o.json));
  cmd
    .command('verify <key.vk> <proof>')
    .description('verify a proof against a verifying key, from a proof file or its JSON form (told apart by content); exit 1 if rejected')
    .option('-i, --input <file.json>', 'the values of the hashed inputs: rejected unless their digests are the proof\'s')
    .addOption(threads)
    .addOption(json)
    .action((vk, proof, o) => run((out) => verifyCommand(vk, proof, o, out), !!o.json));
  cmd
    .command('check-key <key.vk>')
    .description("check that a verifying key's SRS material (its powers of τ, its range table's [Z_S(τ)]₁ and its Lagrange bases) is the ceremony's, before trusting its verdicts; exit 1 if not")
    .option('--ptau <file>', 'the snarkjs powers-of-tau ceremony file the key names')
    .option('--dev-srs', 'the INSECURE development SRS (tests and demos only)')
    .option('--dev-srs-seed <seed>', 'public seed of the development SRS (implies --dev-srs; default "blockfold")')
    .addOption(threads)
    .addOption(json)
    .action((vk, o) => run((out) => checkKeyCommand(vk, o, out), !!o.json));
  cmd
    .command('bench')
    .description('end-to-end timing of one bundled model (medians, prove ÷ commitment floor); the full suite is npm run bench')
    .addOption(bundled)
    .option('--runs <n>', 'prove and verify runs', integerIn(1, 1000), 3)
    .addOption(threads)
    .addOption(json)
    .action((o) => run((out) => benchCommand(o, out, packageRoot), !!o.json));
  cmd
    .command('demo')
    .description('compile a bundled model, set up with the INSECURE development SRS, prove, verify, print size and timings')
    .addOption(bundled)
    .addOption(threads)
    .addOption(json)
    .action((o) => run((out) => demoCommand(o, out, packageRoot), !!o.json));
  return cmd;
}

/** The exit code for an error: bad input or usage (2), or a bug (3). */
function classify(e: unknown): number {
  if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.badInput;
  if (e instanceof BlockfoldError) return BAD_INPUT_CODES.has(e.code) ? EXIT.badInput : EXIT.internal;
  const errno = (e as NodeJS.ErrnoException | undefined)?.code;
  if (errno && BAD_PATH_ERRNOS.has(errno)) return EXIT.badInput;
  return EXIT.internal;
}

/**
 * Runs the command line with `argv` (without `node` and the script) and resolves to the exit code, which
 * it also records in the journal. `packageRoot` is the folder of the package's `package.json` and `models/`.
 */
export async function main(argv: readonly string[], packageRoot: URL): Promise<number> {
  const code = await command(argv, packageRoot);
  journal({ finished: code });
  return code;
}

async function command(argv: readonly string[], packageRoot: URL): Promise<number> {
  let exitCode: number = EXIT.ok;
  let failure: { error: unknown; json: boolean } | undefined;
  const run = async (action: (out: Output) => Promise<number>, json: boolean) => {
    try {
      exitCode = await action(output(json));
    } catch (error) {
      failure = { error, json };
    }
  };
  try {
    await program(run, packageRoot).parseAsync(argv, { from: 'user' });
  } catch (e) {
    // Commander has already printed usage errors (and help) on stderr; --json also gets its object.
    const code = classify(e);
    if (code !== EXIT.ok && argv.includes('--json')) {
      const message = (e instanceof Error ? e.message : String(e)).replace(/^error: /, '');
      process.stdout.write(`${jsonText({ ok: false, exitCode: code, error: { code: 'USAGE', message } })}\n`);
    }
    return code;
  }
  if (!failure) return exitCode;
  const { error, json } = failure;
  const code = classify(error);
  const message = error instanceof Error ? error.message : String(error);
  const errorCode = error instanceof BlockfoldError ? error.code : error instanceof CommanderError ? 'USAGE' : ((error as NodeJS.ErrnoException).code ?? 'INTERNAL');
  if (json) process.stdout.write(`${jsonText({ ok: false, exitCode: code, error: { code: errorCode, message } })}\n`);
  if (code === EXIT.internal) process.stderr.write(`internal error: ${(error instanceof Error ? (error.stack ?? message) : message).split('\n').map(printable).join('\n')}\n`);
  else process.stderr.write(`blockfold: ${printable(message)}\n`);
  return code;
}

