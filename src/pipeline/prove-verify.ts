/**
 * `prove` and `verify` for a compiled model.
 *
 * Proving streams in two passes over the block graph (commit every wire, then prove block by block), so
 * live witness values follow the layers in flight, not the model; an aggregated lookup keeps the tensors it
 * reads until its own proof.
 *
 * Proof layout (version 1): `"BKFD"`, version u8, kind u8 (1 = model proof), zk flag u8 (0: proofs are not
 * yet zero-knowledge), path u8 (1 = folded, 3 = direct batch), u32 byte length of the wire section, the
 * wire commitments, then the accumulator's proof (every leaf's messages grouped by fold key, and for the
 * folded path every fold's cross terms and the final accumulators). Trailing bytes are an error.
 * @module
 */
import { foldLeaves, directProof } from '../../accumulation/prove';
import { encodeDirectProof, encodeFoldedProof, ProofKind } from '../../accumulation/proof';
import { verifyDirect, verifyFolded } from '../../accumulation/verify';
import { foldedProofSize, type ProofSize } from '../../accumulation/size';
import type { Tensors } from '../../blocks/block';
import { ByteReader, ByteWriter } from '../encoding/bytes';
import { BlockfoldError, EncodingError } from '../errors';
import { Transcript } from '../transcript';
import { calibratedRangeCheck } from './compiled-model';
import { commitGraph, commitTensors, proveGraph, readGraphStatements, type CommitmentTable } from './graph-proof';
import { dequantizeRows, type CompiledWithQuant } from './compile';
import { InputError } from '../model/errors';
import { runQuantizedIntegers } from '../model/quant/interpret';
import type { CompiledModel } from './compiled-model';
import { blockContext, PROTOCOL_ID, type ProvingKey, type VerifyingKey } from './keys';

/** The first four bytes of every model proof: `"BKFD"`. */
export const MAGIC = [0x42, 0x4b, 0x46, 0x44];
const VERSION = 1;
/** The kind byte of a model proof. */
export const KIND_MODEL_PROOF = 1;

/** Verification path of a proof. */
export type ProofPath = 'folded' | 'direct';

/** The public statement: the quantized input and output tensors, as integer rows by tensor id. */
export interface Statement {
  readonly inputs: Tensors;
  readonly outputs: Tensors;
}

/** An output tensor as floats: the statement's integers q dequantized with the key's scale s, q·2^(−s). */
export interface FloatOutput {
  readonly name: string;
  readonly shape: readonly number[];
  readonly values: readonly number[];
}

/**
 * What {@link verify} reports. On acceptance it reports only what the proof binds: the outputs are the
 * statement's integers (absorbed by the transcript) dequantized with the scales of the verifying key
 * (covered by its digest, which the transcript also absorbs).
 */
export type VerifyResult =
  | {
      readonly ok: true;
      readonly outputs: readonly FloatOutput[];
      /** The key was made with the INSECURE development SRS: anyone can forge a proof it accepts. */
      readonly insecureSrs: boolean;
    }
  | { readonly ok: false; readonly reason: string };

/** The float outputs of a statement under a model's output layouts. */
export function floatOutputs(model: Pick<CompiledModel, 'outputs'>, statement: Statement): FloatOutput[] {
  return model.outputs.map((l) => ({ name: l.name, shape: l.shape, values: dequantizeRows(l, statement.outputs[l.id]) }));
}

/** Progress of a long step. */
export type ProgressListener = (step: string, done: number, total: number) => void;

/** Options of {@link prove}. */
export interface ProveOptions {
  /** `direct` (default): every leaf checked in one batched multi-pairing; `folded`: Mira-style folding and one decider multi-pairing (see the README for when each wins). */
  readonly path?: ProofPath;
  /** Worker threads for the fold tree (the proof bytes do not depend on it). */
  readonly workers?: number;
  readonly onProgress?: ProgressListener;
}

/** A proof with its size accounting: every byte counts, all are read by the verifier. */
export interface ModelProof {
  readonly bytes: Uint8Array;
  readonly path: ProofPath;
  readonly size: {
    readonly total: number;
    readonly wireCommitments: number;
    /** Breakdown of the accumulator's part (leaf messages, cross terms, final accumulators) for the folded path. */
    readonly accumulation?: ProofSize;
  };
}

/** The base transcript of a proof: protocol id, SRS digest, verifying-key digest and the statement's rows. */
export function statementTranscript(vk: VerifyingKey, st: Statement): Transcript {
  const t = Transcript.create(PROTOCOL_ID);
  t.absorbBytes('srs', vk.srsDigest);
  t.absorbBytes('verifying-key', vk.digest);
  for (const [kind, layouts, tensors] of [['input', vk.model.inputs, st.inputs], ['output', vk.model.outputs, st.outputs]] as const) {
    for (const layout of layouts) {
      t.absorbString(kind, layout.id);
      for (const row of tensors[layout.id]) t.absorbString('row', row.join(','));
    }
  }
  return t;
}

/**
 * Checks that `st` is a statement of this key: an object of `inputs` and `outputs`, each holding exactly the
 * key's public tensors as rows of bigints within the tensor's bound. Anything else (null, a missing tensor, a
 * float, NaN, an extra tensor) is a typed error naming the tensor, never a crash further on.
 */
export function checkStatementShape(vk: VerifyingKey, st: unknown): asserts st is Statement {
  if (st === null || typeof st !== 'object') throw new BlockfoldError('INPUT', 'the statement must be an object { inputs, outputs }');
  for (const [layouts, what] of [[vk.model.inputs, 'input'], [vk.model.outputs, 'output']] as const) {
    const tensors = (st as Record<string, unknown>)[`${what}s`];
    if (tensors === null || typeof tensors !== 'object') throw new BlockfoldError('INPUT', `the statement's ${what}s must be an object of integer rows by tensor id`);
    const extra = Object.keys(tensors).filter((id) => !layouts.some((l) => l.id === id));
    if (extra.length > 0) throw new BlockfoldError('INPUT', `the statement's ${what}s hold "${extra[0]}", which is not a model ${what}`);
    for (const l of layouts) {
      const rows = (tensors as Record<string, unknown>)[l.id];
      if (!Array.isArray(rows) || rows.length !== l.rows || rows.some((r) => !Array.isArray(r) || r.length !== l.rowLength))
        throw new BlockfoldError('INPUT', `${what} "${l.name}" must have ${l.rows} rows of ${l.rowLength} integers`);
      for (const row of rows as unknown[][])
        for (const v of row) {
          if (typeof v !== 'bigint') throw new BlockfoldError('INPUT', `${what} "${l.name}" holds ${String(v)}, not an integer (bigint)`);
          if (v < l.bound[0] || v > l.bound[1]) throw new BlockfoldError('INPUT', `${what} "${l.name}" has value ${v} outside [${l.bound[0]}, ${l.bound[1]}]`);
        }
    }
  }
}

/** The commitments the verifier knows: the model commitment (weights) and its own commitments of the statement. */
export async function publicCommitments(vk: VerifyingKey, st: Statement): Promise<CommitmentTable> {
  const values = { ...st.inputs, ...st.outputs };
  return { ...vk.modelCommitment, ...(await commitTensors(blockContext(vk.kzg), vk.model.graph, values, ['input', 'output'])) };
}

/**
 * The input check before proving: shapes and integer bounds (an {@link InputError} naming the input), and,
 * when the key holds the quantized model, a run of it, which names the node and table an input would miss.
 */
function checkInputs(pk: ProvingKey, inputs: Tensors): void {
  const layouts = pk.model.inputs;
  if (inputs === null || typeof inputs !== 'object') throw new BlockfoldError('INPUT', 'inputs must be an object of integer rows by tensor id');
  for (const l of layouts) {
    const rows: unknown = inputs[l.id];
    if (!Array.isArray(rows) || rows.length !== l.rows || rows.some((r) => !Array.isArray(r) || r.length !== l.rowLength))
      throw new InputError(l.name, `must have ${l.rows} rows of ${l.rowLength} integers (tensor ${l.id})`);
    for (const row of rows as unknown[][])
      for (const v of row)
        if (typeof v !== 'bigint' || v < l.bound[0] || v > l.bound[1])
          throw new InputError(l.name, `integer ${String(v)} is outside the bound [${l.bound[0]}, ${l.bound[1]}] at scale 2^${l.scale}`);
  }
  const quant = (pk.model as Partial<CompiledWithQuant>).quant;
  if (quant) runQuantizedIntegers(quant, layouts.map((l) => inputs[l.id].flat()));
}

/**
 * Proves the model on quantized `inputs`; returns the statement (inputs and computed outputs) and the proof.
 *
 * @example
 * ```ts
 * import { prove, quantizeFeeds, tensor } from 'blockfold';
 *
 * const inputs = quantizeFeeds(model, { input: tensor([4], [0.09, 0.13, 0.24, 0.05]) });
 * const { statement, proof } = await prove(pk, inputs, { onProgress: (step, done, total) => console.log(step, done, total) });
 * // A verifier needs pk.vk, the statement and proof.bytes.
 * ```
 */
export async function prove(pk: ProvingKey, inputs: Tensors, options: ProveOptions = {}): Promise<{ statement: Statement; proof: ModelProof }> {
  const { vk, model } = pk;
  checkInputs(pk, inputs);
  const path = options.path ?? 'direct';
  const ctx = blockContext(vk.kzg);
  const known = { ...inputs, ...model.weights };
  const { wires, outputs } = await commitGraph(ctx, model.graph, known, calibratedRangeCheck(model));
  const statement: Statement = { inputs, outputs };
  checkStatementShape(vk, statement);
  const base = statementTranscript(vk, statement);
  const table = { ...(await publicCommitments(vk, statement)), ...wires };
  const graph = await proveGraph(ctx, model.graph, known, table, base, (d, n) => options.onProgress?.('prove', d, n));
  let accumulation: Uint8Array;
  let size: ProofSize | undefined;
  if (path === 'folded') {
    options.onProgress?.('fold', 0, 1);
    const part = await foldLeaves(ctx.engine, base, graph.leaves, { workers: options.workers });
    accumulation = encodeFoldedProof(part.proof);
    size = foldedProofSize(part.proof, part.roots.map((r) => r.descriptor));
    options.onProgress?.('fold', 1, 1);
  } else {
    accumulation = encodeDirectProof(directProof(graph.leaves));
  }
  const w = new ByteWriter();
  w.write(Uint8Array.from(MAGIC)).u8(VERSION).u8(KIND_MODEL_PROOF).u8(0).u8(ProofKind[path]);
  w.u32(graph.wireCommitments.length).write(graph.wireCommitments).write(accumulation);
  const bytes = w.bytes();
  return { statement, proof: { bytes, path, size: { total: bytes.length, wireCommitments: graph.wireCommitments.length, accumulation: size } } };
}

/** Refuses something that is not a verifying key before anything reads it. */
export function checkVerifyingKey(vk: unknown): asserts vk is VerifyingKey {
  const k = vk as Partial<VerifyingKey> | null;
  if (k === null || typeof k !== 'object' || !(k.digest instanceof Uint8Array) || !(k.srsDigest instanceof Uint8Array) || !k.kzg || !k.modelCommitment || !k.model?.graph)
    throw new BlockfoldError('INPUT', 'the verifying key must be a VerifyingKey (from setup or decodeVerifyingKey)');
  if (!Array.isArray(k.model.inputs) || !Array.isArray(k.model.outputs)) throw new BlockfoldError('INPUT', 'the verifying key has no public tensor layouts');
}

/**
 * Verifies a proof against a verifying key and a statement; bad proof bytes give a reason, never an
 * exception. On acceptance, returns the proven outputs as floats (see {@link VerifyResult}).
 *
 * @example
 * ```ts
 * import { verify } from 'blockfold';
 *
 * const result = await verify(vk, statement, proofBytes);
 * if (result.ok) for (const o of result.outputs) console.log(o.name, o.values); // what the proof binds
 * else console.error(`rejected: ${result.reason}`);
 * ```
 */
export async function verify(vk: VerifyingKey, statement: Statement, proof: Uint8Array): Promise<VerifyResult> {
  try {
    if (!(proof instanceof Uint8Array)) throw new EncodingError('the proof must be bytes (a Uint8Array)');
    checkVerifyingKey(vk);
    checkStatementShape(vk, statement);
    const r = new ByteReader(proof);
    const magic = r.take(4, 'magic');
    if (!MAGIC.every((b, i) => magic[i] === b)) throw new EncodingError('not a blockfold proof (bad magic)');
    const version = r.u8('version');
    if (version !== VERSION) throw new EncodingError(`unsupported proof version ${version}`);
    if (r.u8('kind') !== KIND_MODEL_PROOF) throw new EncodingError('not a model proof');
    if (r.u8('zk flag') !== 0) throw new EncodingError('zero-knowledge proofs are not supported by this version');
    const path = r.u8('path');
    if (path !== ProofKind.folded && path !== ProofKind.direct) throw new EncodingError(`unknown verification path ${path}`);
    const wires = new ByteReader(r.take(r.count(proof.length, 'wire section length'), 'wire section'));
    const base = statementTranscript(vk, statement);
    const ctx = blockContext(vk.kzg);
    const leaves = readGraphStatements(ctx, vk.model.graph, await publicCommitments(vk, statement), base, wires);
    wires.finish('wire section');
    const rest = r.take(r.remaining, 'accumulation');
    const verdict = await (path === ProofKind.folded ? verifyFolded : verifyDirect)(ctx.engine, base, leaves, rest);
    return verdict.ok ? { ok: true, outputs: floatOutputs(vk.model, statement), insecureSrs: vk.insecureSrs } : verdict;
  } catch (e) {
    if (e instanceof BlockfoldError) return { ok: false, reason: e.message };
    throw e;
  }
}
