/**
 * `prove` and `verify` with proof protocol v2: the whole model proven as one argument
 * (`blocks/model-argument.ts`), beside version 1 (`prove-verify.ts`) until it replaces it.
 *
 * Transcript: the base transcript of version 1 (protocol id, SRS digest, verifying-key digest, statement), forked
 * under `protocol/v2`; then every wire commitment in tensor order; then, on the fork `leaf/<model fold key>/0`
 * (so the argument is an accumulator leaf and proofs of one model aggregate), the model argument's schedule (every
 * block's statement, the lockstep rounds, the shared quotients, ζ, evaluations and openings).
 *
 * Proof layout (version 2): `"BKFD"`, version u8 = 2, kind u8 (1 = model proof), zk flag u8 (0), u32 byte length
 * of the wire section, the wire commitments, then the argument's message slots in schedule order (each in its
 * canonical encoding; the sizes follow from the model, so there are no length prefixes to forge). Trailing bytes
 * are an error. The verifier decides everything with one multi-pairing whose Miller loops do not grow with the
 * model (one per distinct public G2 point: `[1]₂`, `[τ]₂`, and the few `[τ^n]₂` of linear blocks).
 * @module
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import type { Tensors } from '../../blocks/block';
import type { Block, BlockContext } from '../../blocks/block';
import { verifyInstances } from '../../blocks/batch-verify';
import { leafLabel, proveLeaf, replayLeaf, type LeafInstance } from '../../blocks/leaf';
import type { LeafStatement } from '../../accumulation/leaves';
import { modelArgumentProtocol, modelArgumentProver, modelArgumentSpec, modelArgumentStatement, type CommitmentName } from '../../blocks/model-argument';
import { rowSlot } from '../../blocks/poly-iop';
import { G1_ONE, type G1Point } from '../curve';
import type { PolyIopSpec } from '../../blocks/poly-iop';
import { ByteReader, ByteWriter } from '../encoding/bytes';
import { BlockfoldError, EncodingError } from '../errors';
import type { Transcript } from '../transcript';
import type { BlockGraph } from './block-graph';
import { calibratedRangeCheck } from './compiled-model';
import { commitTensors, computeGraphWitness, nodeCommitments, nodeTensors, readWireCommitments, writeWireCommitments, type CommitmentTable } from './graph-proof';
import { blockContext, type ProvingKey, type VerifyingKey } from './keys';
import { checkStatementShape, checkVerifyingKey, floatOutputs, KIND_MODEL_PROOF, MAGIC, publicCommitments, statementTranscript, type Statement, type VerifyResult } from './prove-verify';

/** The version byte of a v2 proof. */
export const PROOF_VERSION_2 = 2;

/** A v2 proof and where its bytes go. */
export interface ModelProofV2 {
  readonly bytes: Uint8Array;
  readonly size: {
    readonly total: number;
    readonly wireCommitments: number;
    /** The argument's messages: helper commitments, quotients, evaluations and opening proofs. */
    readonly argument: number;
  };
}

/** Options of {@link proveV2}. */
export interface ProveV2Options {
  /** Only for soundness tests: prove a witness that fails a block's relation (see {@link BlockContext}). */
  readonly allowInvalidWitness?: boolean;
  /**
   * Only for soundness tests: replaces the computed tensor values (by global tensor id) before anything is
   * committed, so a test can prove a tampered witness.
   */
  readonly tamper?: (values: Record<string, (readonly bigint[])[]>) => void;
}

/**
 * Which statement slots hold one commitment, from the graph alone. Each block's own `statement` is called on
 * distinct marker points (`k·[1]₁`, one per row of its tensors), so a slot holding the marker of row r of the
 * block's tensor bound to global tensor `id` is named `id/r`, whatever the block's naming of its slots: every
 * block that reads one row of one wire, input, output or weight shares that row's name. Slots holding anything
 * else (a combination of rows, or a copy of a marker) have no name and are never merged. Computed once per graph.
 */
export function rowCommitmentNames(g: BlockGraph): CommitmentName {
  let names = rowNames.get(g);
  if (!names) rowNames.set(g, (names = computeRowNames(g)));
  const byBlock = names;
  return (block, slot) => byBlock[block]?.get(slot);
}

const rowNames = new WeakMap<BlockGraph, Map<string, string>[]>();

function computeRowNames(g: BlockGraph): Map<string, string>[] {
  const markers: G1Point[] = [];
  const markerOf = new Map<unknown, number>();
  const marker = (k: number): G1Point => {
    while (markers.length <= k) {
      const next = markers.length === 0 ? G1_ONE : markers[markers.length - 1].add(G1_ONE);
      markerOf.set(next, markers.length);
      markers.push(next);
    }
    return markers[k];
  };
  return g.nodes.map((node) => {
    const rows: string[] = [];
    const commitments: Record<string, G1Point[]> = {};
    for (const t of node.block.tensors) commitments[t.name] = Array.from({ length: t.rows }, (_, r) => marker(rows.push(rowSlot(node.bind[t.name], r)) - 1));
    const m = new Map<string, string>();
    for (const [slot, v] of Object.entries(node.block.statement(commitments))) {
      const k = markerOf.get(v);
      if (k !== undefined && k < rows.length) m.set(slot, rows[k]);
    }
    return m;
  });
}

/** The model's one spec: its fold key names the verifying key, so two models never share a key. */
function modelSpec(vk: VerifyingKey, ctx: BlockContext): { spec: PolyIopSpec; blocks: Block[] } {
  const blocks = vk.model.graph.nodes.map((n) => n.block);
  return { spec: modelArgumentSpec(`model/v2/${bytesToHex(vk.digest.subarray(0, 8))}`, blocks, ctx, rowCommitmentNames(vk.model.graph)), blocks };
}

function modelTranscript(vk: VerifyingKey, st: Statement): Transcript {
  return statementTranscript(vk, st).fork('protocol/v2');
}

function blockStatements(g: BlockGraph, table: CommitmentTable) {
  return modelArgumentStatement(g.nodes.map((node, i) => node.block.statement(nodeCommitments(g, i, table))), rowCommitmentNames(g));
}

/**
 * The argument of a v2 proof as a leaf of the accumulator: proven on the fork `leaf/<model fold key>/0` of
 * `base` (the model transcript after the wire commitments), so several proofs of one model fold and aggregate
 * into one decider check with `blockfold/accumulation` (`foldLeaves`, `aggregateFolded`).
 */
export interface ArgumentLeaf {
  readonly base: Transcript;
  readonly leaf: LeafInstance;
}

/** What the verifier of an aggregation knows of one v2 proof: its base transcript and its leaf's protocol and statement. */
export interface ArgumentStatement {
  readonly base: Transcript;
  readonly leaf: LeafStatement;
}

/**
 * Proves the model on quantized `inputs` with protocol v2; returns the statement, the proof, and the argument as
 * an accumulator leaf (for aggregation; not part of the proof).
 */
export async function proveV2(pk: ProvingKey, inputs: Tensors, options: ProveV2Options = {}): Promise<{ statement: Statement; proof: ModelProofV2; argument: ArgumentLeaf }> {
  const { vk, model } = pk;
  const ctx: BlockContext = { ...blockContext(vk.kzg), allowInvalidWitness: options.allowInvalidWitness };
  const g = model.graph;
  const values = computeGraphWitness(g, { ...inputs, ...model.weights }, calibratedRangeCheck(model));
  options.tamper?.(values);
  const outputs: Record<string, readonly (readonly bigint[])[]> = {};
  for (const t of g.tensors) if (t.kind === 'output') outputs[t.id] = values[t.id];
  const statement: Statement = { inputs, outputs };
  checkStatementShape(vk, statement);
  const table = { ...(await publicCommitments(vk, statement)), ...(await commitTensors(ctx, g, values, ['wire'])) };
  const t = modelTranscript(vk, statement);
  const wires = writeWireCommitments(g, table, t);
  const { spec, blocks } = modelSpec(vk, ctx);
  const protocol = modelArgumentProtocol(spec, ctx);
  const tensors = g.nodes.map((_, i) => nodeTensors(g, i, values));
  const { instance, messages } = await proveLeaf(protocol, t.fork(leafLabel(spec.foldKey, 0)), ctx.engine, blockStatements(g, table), modelArgumentProver(spec, blocks, ctx, tensors));
  const w = new ByteWriter();
  w.write(Uint8Array.from(MAGIC)).u8(PROOF_VERSION_2).u8(KIND_MODEL_PROOF).u8(0);
  w.u32(wires.length).write(wires).write(messages);
  const bytes = w.bytes();
  return { statement, proof: { bytes, size: { total: bytes.length, wireCommitments: wires.length, argument: messages.length } }, argument: { base: t, leaf: instance } };
}

/**
 * Reads a v2 proof's header and wire section: the argument's base transcript and statement, and a reader at the
 * argument's messages. Throws a typed error on malformed bytes.
 */
export async function readArgumentStatement(vk: VerifyingKey, statement: Statement, proof: Uint8Array): Promise<ArgumentStatement & { messages: ByteReader }> {
  checkStatementShape(vk, statement);
  const r = new ByteReader(proof);
  const magic = r.take(4, 'magic');
  if (!MAGIC.every((b, i) => magic[i] === b)) throw new EncodingError('not a blockfold proof (bad magic)');
  const version = r.u8('version');
  if (version !== PROOF_VERSION_2) throw new EncodingError(`unsupported proof version ${version}`);
  if (r.u8('kind') !== KIND_MODEL_PROOF) throw new EncodingError('not a model proof');
  if (r.u8('zk flag') !== 0) throw new EncodingError('zero-knowledge proofs are not supported by this version');
  const wires = new ByteReader(r.take(r.count(proof.length, 'wire section length'), 'wire section'));
  const ctx = blockContext(vk.kzg);
  const base = modelTranscript(vk, statement);
  const table = readWireCommitments(vk.model.graph, await publicCommitments(vk, statement), base, wires);
  wires.finish('wire section');
  const { spec } = modelSpec(vk, ctx);
  return { base, leaf: { protocol: modelArgumentProtocol(spec, ctx), statement: blockStatements(vk.model.graph, table) }, messages: r };
}

/**
 * Verifies a v2 proof against a verifying key and a statement, with the result of version 1's `verify` ({@link VerifyResult}): on acceptance
 * the proven outputs as floats (decoded from the verified statement with the key's scales) and whether the SRS
 * is an insecure development one; a malformed key, statement or proof gives a reason, never an exception.
 */
export async function verifyV2(vk: VerifyingKey, statement: Statement, proof: Uint8Array): Promise<VerifyResult> {
  try {
    if (!(proof instanceof Uint8Array)) throw new EncodingError('the proof must be bytes (a Uint8Array)');
    checkVerifyingKey(vk);
    const { base, leaf, messages } = await readArgumentStatement(vk, statement, proof);
    const engine = blockContext(vk.kzg).engine;
    const instance = await replayLeaf(leaf.protocol, base.fork(leafLabel(leaf.protocol.foldKey, 0)), engine, leaf.statement, messages);
    messages.finish('proof');
    const verdict = await verifyInstances(engine, [instance], base);
    return verdict.ok ? { ok: true, outputs: floatOutputs(vk.model, statement), insecureSrs: vk.insecureSrs } : verdict;
  } catch (e) {
    if (e instanceof BlockfoldError) return { ok: false, reason: e.message };
    throw e;
  }
}
