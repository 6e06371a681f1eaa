/**
 * Aggregation of model proofs: N proofs of one model (N inferences) become one file decided by **one** decider
 * multi-pairing, and the same proofs can be verified as a stream holding one accumulator.
 *
 * A proof's argument is one leaf of the Mira accumulator (its equations are data, `blocks/model-argument.ts`), and
 * every proof of one model has the same protocol, hence one fold key. The aggregator replays each proof as its
 * verifier would (so only the proof bytes are needed, and an aggregate is the same bytes whoever makes it),
 * turns each replayed leaf into a fresh accumulator, and folds them in the deterministic tree of
 * `accumulation/tree.ts` on the fork `aggregate/v2` of a transcript that absorbs the verifying-key digest and N,
 * across worker threads if asked (the bytes do not depend on the number of workers).
 *
 * File layout: `"BKFD"`, version u8 = 15 (`PROOF_VERSION`), kind u8 = 2 (aggregated proofs), zk flag u8 (1), u32 N, then N parts, each
 * a u32 length and a whole model proof (its header, wire section and argument messages), then the N − 1 folds'
 * cross terms in tree order (their size follows from the model). No accumulator is sent: the verifier recomputes
 * the root from the replayed parts and the cross terms (docs/folding.md §6.2). Trailing bytes are an error.
 *
 * Soundness: each part is replayed against the statement the verifier holds for it (position i of the
 * statements), so every leaf is bound to its own statement and transcript; each fold's γ is drawn after both
 * accumulators (slots, slack, errors) and its cross terms (rule 1); the verifier replays every fold (rule 7) and
 * decides the root with transcript-derived weights (rule 8). A false part makes the root fail the decider except
 * with probability ≤ d/r per fold (docs/folding.md §5).
 * @module
 */
import type { LeafInstance } from '../../blocks/leaf';
import { decide } from '../../accumulation/decider';
import { ProofError } from '../../accumulation/errors';
import { crossTermBytes } from '../../accumulation/cross-terms';
import { descriptorOf } from '../../accumulation/fold-key';
import { withFoldPool, type FoldOptions } from '../../accumulation/prove';
import { freshAccumulator } from '../../accumulation/relaxed';
import { StreamProver, StreamVerifier } from '../../accumulation/stream';
import { proveTree, replayTree, type NodeLabel } from '../../accumulation/tree';
import { ByteReader, ByteWriter } from '../encoding/bytes';
import { BlockfoldError, EncodingError } from '../errors';
import { Transcript } from '../transcript';
import { blockContext, PROTOCOL_ID, type VerifyingKey } from './keys';
import { checkVerifyingKey, floatOutputs, hiddenTensors, MAGIC, modelProtocol, PROOF_VERSION, readVersion, readZkFlag, replayArgument, ZK_FLAG, type FloatOutput, type HiddenTensor, type Statement } from './prove-verify';

/** The kind byte of an aggregated proof. */
export const KIND_AGGREGATED_PROOF = 2;

/** Upper bound on the number of parts read from a file (a corrupted count cannot trigger a huge allocation). */
const MAX_PARTS = 1 << 20;

/** One proof to aggregate: its statement and its bytes (from {@link prove}). */
export interface ProofToAggregate {
  readonly statement: Statement;
  readonly proof: Uint8Array;
}

/** An aggregated proof and where its bytes go. */
export interface AggregatedModelProof {
  readonly bytes: Uint8Array;
  readonly size: {
    readonly total: number;
    /** The parts' proofs, with their headers and length prefixes. */
    readonly parts: number;
    /** The N − 1 folds' cross terms. */
    readonly crossTerms: number;
  };
}

/** What {@link verifyAggregate} reports: on acceptance, each part's proven outputs (in part order), decoded from its statement. */
export type AggregateVerifyResult =
  | {
      readonly ok: true;
      /** Each proof's public outputs, in the order of the proofs. */
      readonly outputs: readonly (readonly FloatOutput[])[];
      /** Each proof's private and hashed inputs and outputs, as `verify` reports them; present when the key has any. */
      readonly hidden?: readonly (readonly HiddenTensor[])[];
      readonly insecureSrs: boolean;
    }
  | { readonly ok: false; readonly reason: string };

/** What `verify` reports of one statement of an accepted aggregate or stream: its public outputs and hidden tensors. */
interface PartReport {
  readonly outputs: readonly FloatOutput[];
  readonly hidden: readonly HiddenTensor[];
}

function partReport(vk: VerifyingKey, statement: Statement): PartReport {
  return { outputs: floatOutputs(vk.model, statement), hidden: hiddenTensors(vk.model, statement) };
}

/** An accepting {@link verifyAggregate}'s or stream's result from its parts' reports, in order. */
function aggregateAcceptance(vk: VerifyingKey, parts: readonly PartReport[]): Extract<AggregateVerifyResult, { ok: true }> {
  const hidden = parts.map((p) => p.hidden);
  return { ok: true, outputs: parts.map((p) => p.outputs), ...(hidden.some((h) => h.length > 0) ? { hidden } : {}), insecureSrs: vk.insecureSrs };
}

/** The aggregator's transcript: the protocol id, the verifying-key digest and the number of parts. */
function aggregateTranscript(vk: VerifyingKey, parts: number): Transcript {
  const t = Transcript.create(PROTOCOL_ID).fork('aggregate/v2');
  t.absorbBytes('verifying-key', vk.digest);
  t.absorbString('parts', String(parts));
  return t;
}

/** Transcript label of node `(level, index)` of the aggregation tree. */
const aggregateLabel: NodeLabel = (level, index) => `aggregate/${level}/${index}`;

/** Replays part `i` as its verifier; a malformed or mismatched part is a typed error naming it. */
async function replayPart(vk: VerifyingKey, i: number, statement: Statement, proof: Uint8Array): Promise<LeafInstance> {
  try {
    return (await replayArgument(vk, statement, proof)).instance;
  } catch (e) {
    if (e instanceof BlockfoldError) throw new ProofError(`part ${i}: ${e.message}`, { cause: e });
    throw e;
  }
}

/** Refuses a part that is not an object `{ statement, proof }` before anything reads it (the replay checks both). */
function checkPart(p: unknown, i: number): asserts p is ProofToAggregate {
  if (p === null || typeof p !== 'object') throw new BlockfoldError('INPUT', `proof ${i} must be an object { statement, proof } (from prove), got ${p === null ? 'null' : typeof p}`);
}

/**
 * Aggregates proofs of one model into one file: every proof replayed, the leaves folded in one tree (on
 * `options.workers` threads; same bytes for any number), the root decided once so that a set holding a false
 * proof is refused here (a {@link ProofError}) rather than written.
 */
export async function aggregate(vk: VerifyingKey, proofs: readonly ProofToAggregate[], options: FoldOptions = {}): Promise<AggregatedModelProof> {
  checkVerifyingKey(vk);
  if (!Array.isArray(proofs) || proofs.length === 0) throw new BlockfoldError('INPUT', 'aggregate needs at least one proof');
  const engine = blockContext(vk.kzg).engine;
  const leaves: LeafInstance[] = [];
  for (const [i, p] of proofs.entries()) {
    checkPart(p, i);
    leaves.push(await replayPart(vk, i, p.statement, p.proof));
  }
  const descriptor = descriptorOf(leaves[0].protocol);
  const t = aggregateTranscript(vk, proofs.length);
  const fresh = leaves.map((leaf) => freshAccumulator(descriptor, leaf.values));
  const { root, crossTerms } = await withFoldPool(options, (pool) => proveTree(engine, descriptor, t, fresh, aggregateLabel, pool));
  const verdict = await decide(engine, t, [{ descriptor, accumulator: root }]);
  if (!verdict.ok) throw new ProofError(`the proofs do not aggregate: at least one of them is false (verify each to find it): ${verdict.reason}`);
  const w = new ByteWriter();
  // The aggregate declares zero knowledge only if every part does (a part's flag follows its magic, version and kind).
  const zkFlag = proofs.reduce((flag, p) => Math.min(flag, p.proof[MAGIC.length + 2]), ZK_FLAG);
  w.write(Uint8Array.from(MAGIC)).u8(PROOF_VERSION).u8(KIND_AGGREGATED_PROOF).u8(zkFlag).u32(proofs.length);
  for (const p of proofs) w.u32(p.proof.length).write(p.proof);
  const partBytes = w.length - (MAGIC.length + 3 + 4);
  for (const c of crossTerms) w.write(c);
  const bytes = w.bytes();
  return { bytes, size: { total: bytes.length, parts: partBytes, crossTerms: crossTerms.length * crossTermBytes(descriptor) } };
}

/**
 * Verifies an aggregated proof against a verifying key and the statements of its parts, in part order: every
 * part replayed against its statement, every fold replayed, one decider multi-pairing. A malformed file, a
 * part count other than the number of statements, or a part proven for another statement is a rejection with a
 * reason, never an exception.
 */
export async function verifyAggregate(vk: VerifyingKey, statements: readonly Statement[], bytes: Uint8Array): Promise<AggregateVerifyResult> {
  try {
    if (!(bytes instanceof Uint8Array)) throw new EncodingError('the aggregated proof must be bytes (a Uint8Array)');
    checkVerifyingKey(vk);
    if (!Array.isArray(statements)) throw new BlockfoldError('INPUT', 'the statements must be an array, one per aggregated proof');
    const r = new ByteReader(bytes);
    const magic = r.take(4, 'magic');
    if (!MAGIC.every((b, i) => magic[i] === b)) throw new EncodingError('not a blockfold proof (bad magic)');
    readVersion(r);
    if (r.u8('kind') !== KIND_AGGREGATED_PROOF) throw new EncodingError('not an aggregated proof');
    readZkFlag(r);
    const n = r.count(MAX_PARTS, 'part count');
    if (n === 0) throw new ProofError('an aggregated proof holds at least one part');
    if (n !== statements.length) throw new ProofError(`the file aggregates ${n} proofs, the verifier holds ${statements.length} statements`);
    const engine = blockContext(vk.kzg).engine;
    const leaves: LeafInstance[] = [];
    for (let i = 0; i < n; i++) leaves.push(await replayPart(vk, i, statements[i], r.take(r.count(bytes.length, `length of part ${i}`), `part ${i}`)));
    const descriptor = descriptorOf(leaves[0].protocol);
    const size = crossTermBytes(descriptor);
    const crossTerms = Array.from({ length: n - 1 }, (_, k) => r.take(size, `cross terms of fold ${k}`));
    r.finish('aggregated proof');
    const t = aggregateTranscript(vk, n);
    const root = await replayTree(engine, descriptor, t, leaves.map((leaf) => freshAccumulator(descriptor, leaf.values)), crossTerms, aggregateLabel);
    const verdict = await decide(engine, t, [{ descriptor, accumulator: root }]);
    return verdict.ok ? aggregateAcceptance(vk, statements.map((st) => partReport(vk, st))) : verdict;
  } catch (e) {
    if (e instanceof BlockfoldError) return { ok: false, reason: e.message };
    throw e;
  }
}

/**
 * The prover's side of a stream of proofs of one model: each pushed proof yields a chunk, the proof (u32 length
 * and bytes) followed, from the second proof on, by the cross terms folding it into the running accumulator.
 * Like {@link aggregate}, it replays every proof and decides the accumulator once the last one is in, so it
 * refuses to finish a stream holding a false proof.
 */
export class ProofStreamProver {
  private readonly stream: StreamProver;
  private readonly base: Transcript;
  private pushed = 0;
  private constructor(
    private readonly vk: VerifyingKey,
    private readonly count: number,
  ) {
    this.base = aggregateTranscript(vk, count);
    this.stream = new StreamProver(blockContext(vk.kzg).engine, this.base);
  }

  /** A stream of `count` proofs (the verifier is told the same count). */
  static open(vk: VerifyingKey, count: number): ProofStreamProver {
    checkVerifyingKey(vk);
    if (!Number.isInteger(count) || count < 1) throw new BlockfoldError('INPUT', `a stream holds at least one proof, not ${count}`);
    return new ProofStreamProver(vk, count);
  }

  /**
   * The chunk of the next proof, replayed as its verifier would (a typed error naming the part if it is malformed
   * or not a proof of its statement). A proof beyond the count the stream was opened with is refused. With the
   * last proof the running accumulator is decided (one multi-pairing): if any proof of the stream is false the
   * last chunk is refused with a {@link ProofError} (the chunks already sent cannot be recalled, and a verifier
   * rejects them anyway).
   */
  async push(p: ProofToAggregate): Promise<Uint8Array> {
    const i = this.pushed;
    if (i >= this.count) throw new BlockfoldError('INPUT', `the stream was opened for ${this.count} proofs: proof ${i} is one too many`);
    checkPart(p, i);
    const leaf = await replayPart(this.vk, i, p.statement, p.proof);
    const crossTerms = await this.stream.push(leaf);
    this.pushed++;
    if (this.pushed === this.count) {
      const verdict = await decide(blockContext(this.vk.kzg).engine, this.base, this.stream.roots());
      if (!verdict.ok) throw new ProofError(`the streamed proofs do not verify: at least one of them is false (verify each to find it): ${verdict.reason}`);
    }
    return new ByteWriter().u32(p.proof.length).write(p.proof).write(crossTerms).bytes();
  }
}

/**
 * The verifier's side: holds one accumulator, never the proofs. It is told up front how many proofs to expect
 * and refuses any more; it accepts nothing until every one has been absorbed, so withholding a proof cannot hide it.
 */
export class ProofStreamVerifier {
  private readonly stream: StreamVerifier;
  private readonly reports: PartReport[] = [];
  private constructor(private readonly vk: VerifyingKey, count: number) {
    const foldKey = modelProtocol(vk).foldKey;
    this.stream = new StreamVerifier(blockContext(vk.kzg).engine, aggregateTranscript(vk, count), [{ foldKey, leaves: count }]);
  }

  /** A verifier of a stream of `count` proofs of `vk`'s model. */
  static open(vk: VerifyingKey, count: number): ProofStreamVerifier {
    checkVerifyingKey(vk);
    if (!Number.isInteger(count) || count < 1) throw new BlockfoldError('INPUT', `a stream holds at least one proof, not ${count}`);
    return new ProofStreamVerifier(vk, count);
  }

  /** Replays the next proof of the stream against `statement` and folds it in; a typed error on a malformed chunk, a false replay or an unexpected proof. */
  async absorb(statement: Statement, chunk: Uint8Array): Promise<void> {
    if (!(chunk instanceof Uint8Array)) throw new EncodingError('a stream chunk must be bytes (a Uint8Array)');
    const i = this.reports.length;
    const r = new ByteReader(chunk);
    const proof = r.take(r.count(chunk.length, `length of proof ${i}`), `proof ${i}`);
    const leaf = await replayPart(this.vk, i, statement, proof);
    await this.stream.absorb(leaf, r.take(r.remaining, `cross terms of proof ${i}`));
    this.reports.push(partReport(this.vk, statement));
  }

  /** Decides the accumulator in one multi-pairing once every expected proof is in. */
  async decide(): Promise<AggregateVerifyResult> {
    const verdict = await this.stream.decide();
    return verdict.ok ? aggregateAcceptance(this.vk, this.reports) : verdict;
  }
}
