/**
 * `prove` and `verify` for a compiled model.
 *
 * Proof layout (version 1): `"BKFD"`, version u8, kind u8 (1 = model proof), zk flag u8 (0: proofs are not
 * yet zero-knowledge), then the graph section (wire commitments, every leaf's messages) and the
 * verification section written by the accumulator. Trailing bytes are an error.
 * @module
 */
import type { Tensors } from '../../blocks/block';
import { verifyInstances, type Verdict } from '../../blocks/batch-verify';
import { ByteReader, ByteWriter } from '../encoding/bytes';
import { BlockfoldError, EncodingError } from '../errors';
import { Transcript } from '../transcript';
import { commitTensors, computeGraphWitness, proveGraph, replayGraph, type CommitmentTable } from './graph-proof';
import { blockContext, PROTOCOL_ID, type ProvingKey, type VerifyingKey } from './keys';

const MAGIC = [0x42, 0x4b, 0x46, 0x44]; // "BKFD"
const VERSION = 1;
const KIND_MODEL_PROOF = 1;

/** The public statement: the quantized input and output tensors, as integer rows by tensor id. */
export interface Statement {
  readonly inputs: Tensors;
  readonly outputs: Tensors;
}

/** Progress of a long step. */
export type ProgressListener = (step: string, done: number, total: number) => void;

/** A proof with its size accounting. */
export interface ModelProof {
  readonly bytes: Uint8Array;
  /** Bytes of wire commitments, leaf messages and the rest, all read by the verifier. */
  readonly size: { readonly total: number; readonly wires: number; readonly leaves: number };
}

function statementTranscript(vk: VerifyingKey, st: Statement): Transcript {
  const t = Transcript.create(PROTOCOL_ID);
  t.absorbBytes('srs', vk.srsDigest);
  t.absorbBytes('verifying-key', vk.digest);
  for (const layout of [...vk.model.inputs, ...vk.model.outputs]) {
    const rows = (layout.id in st.inputs ? st.inputs : st.outputs)[layout.id];
    t.absorbString('tensor', layout.id);
    for (const row of rows) t.absorbString('row', row.join(','));
  }
  return t;
}

function checkStatementShape(vk: VerifyingKey, st: Statement): void {
  for (const [layouts, tensors, what] of [[vk.model.inputs, st.inputs, 'input'], [vk.model.outputs, st.outputs, 'output']] as const) {
    for (const l of layouts) {
      const rows = tensors[l.id];
      if (!rows || rows.length !== l.rows || rows.some((r) => r.length !== l.rowLength))
        throw new BlockfoldError('INPUT', `${what} "${l.name}" must have ${l.rows} rows of ${l.rowLength} integers`);
      for (const row of rows) for (const v of row) if (v < l.bound[0] || v > l.bound[1])
        throw new BlockfoldError('INPUT', `${what} "${l.name}" has value ${v} outside [${l.bound[0]}, ${l.bound[1]}]`);
    }
  }
}

async function publicCommitments(vk: VerifyingKey, st: Statement): Promise<CommitmentTable> {
  const values = { ...st.inputs, ...st.outputs };
  return { ...vk.modelCommitment, ...(await commitTensors(blockContext(vk.kzg), vk.model.graph, values, ['input', 'output'])) };
}

/** Proves the model on quantized `inputs`; returns the statement (inputs and computed outputs) and the proof. */
export async function prove(pk: ProvingKey, inputs: Tensors, onProgress?: ProgressListener): Promise<{ statement: Statement; proof: ModelProof }> {
  const { vk, model } = pk;
  const values = computeGraphWitness(model.graph, { ...inputs, ...model.weights });
  const outputs: Record<string, readonly (readonly bigint[])[]> = {};
  for (const l of model.outputs) outputs[l.id] = values[l.id];
  const statement: Statement = { inputs, outputs };
  checkStatementShape(vk, statement);
  const base = statementTranscript(vk, statement);
  const graph = await proveGraph(blockContext(vk.kzg), model.graph, values, await publicCommitments(vk, statement), base, (d, n) => onProgress?.('prove', d, n));
  const w = new ByteWriter();
  w.write(Uint8Array.from(MAGIC)).u8(VERSION).u8(KIND_MODEL_PROOF).u8(0);
  w.write(graph.bytes);
  const bytes = w.bytes();
  return { statement, proof: { bytes, size: { total: bytes.length, wires: graph.wireBytes, leaves: graph.bytes.length - graph.wireBytes } } };
}

/** Verifies a proof against a verifying key and a statement; never throws on bad proof bytes. */
export async function verify(vk: VerifyingKey, statement: Statement, proof: Uint8Array): Promise<Verdict> {
  try {
    checkStatementShape(vk, statement);
    const r = new ByteReader(proof);
    const magic = r.take(4, 'magic');
    if (!MAGIC.every((b, i) => magic[i] === b)) throw new EncodingError('not a blockfold proof (bad magic)');
    const version = r.u8('version');
    if (version !== VERSION) throw new EncodingError(`unsupported proof version ${version}`);
    if (r.u8('kind') !== KIND_MODEL_PROOF) throw new EncodingError('not a model proof');
    if (r.u8('zk flag') !== 0) throw new EncodingError('zero-knowledge proofs are not supported by this version');
    const base = statementTranscript(vk, statement);
    const ctx = blockContext(vk.kzg);
    const leaves = await replayGraph(ctx, vk.model.graph, await publicCommitments(vk, statement), base, r);
    r.finish('proof');
    return await verifyInstances(ctx.engine, leaves, base);
  } catch (e) {
    if (e instanceof BlockfoldError) return { ok: false, reason: e.message };
    throw e;
  }
}
