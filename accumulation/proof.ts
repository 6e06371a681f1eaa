/**
 * Proof objects and their versioned binary encoding.
 *
 * A folded proof of leaves (any protocols: a custom block's, the leaves of a test) starts with a self-describing
 * header: magic `BFAC`, a version byte (2) and a kind byte (1, folded proof). Per fold key, the body carries its
 * name, counts and element sizes (so the structure decodes without the protocols; the verifier then checks the
 * sizes against the protocols it holds), and the data: every leaf's messages, every fold's cross terms (tree
 * order). (Model proofs are one leaf each; they aggregate with `src/pipeline/aggregate.ts`.)
 *
 * No proof carries a final accumulator (version 1 did): the verifier recomputes every root from the
 * leaves and cross terms (docs/folding.md §6.2), so a sent root would protect nothing and cost most of the
 * proof. The prover keeps its roots next to the proof (`FoldedProofPart.roots`).
 *
 * Truncated or trailing bytes are an `EncodingError`; a bad header is a {@link ProofError}.
 * @module
 */
import { ByteReader, ByteWriter } from '../src/encoding/bytes';
import { EncodingError } from '../src/errors';
import { ProofError } from './errors';

const MAGIC = [0x42, 0x46, 0x41, 0x43]; // "BFAC"
/** Encoding version written and accepted. */
export const PROOF_VERSION = 2;
/** Kinds of proof objects. */
export const ProofKind = { folded: 1 } as const;
export type ProofKindName = keyof typeof ProofKind;

/** Upper bound on counts read from a proof (leaves, folds, fold keys, parts). */
const MAX_COUNT = 1 << 24;
/** Upper bound on one element's size (a leaf's messages, a fold's cross terms). */
const MAX_ELEMENT = 1 << 30;

/** One fold key of a folded proof. */
export interface FoldKeyProof {
  readonly foldKey: string;
  /** Each leaf's message slots in canonical encoding, in leaf order. */
  readonly leafMessages: readonly Uint8Array[];
  /** Each fold's cross terms, in tree order (`leafMessages.length − 1` of them). */
  readonly crossTerms: readonly Uint8Array[];
}

/** A folded proof: one {@link FoldKeyProof} per fold key, in order of first appearance among the leaves. */
export interface FoldedProof {
  readonly keys: readonly FoldKeyProof[];
}

/** Bytes of the header. */
export const HEADER_BYTES = MAGIC.length + 2;

function writeHeader(w: ByteWriter, kind: ProofKindName): void {
  w.write(Uint8Array.from(MAGIC)).u8(PROOF_VERSION).u8(ProofKind[kind]);
}

function readHeader(r: ByteReader, kind: ProofKindName): void {
  const magic = r.take(MAGIC.length, 'magic');
  if (magic.some((b, i) => b !== MAGIC[i])) throw new ProofError('not a blockfold accumulation proof (bad magic)');
  const version = r.u8('version');
  if (version !== PROOF_VERSION) throw new ProofError(`unsupported proof version ${version} (expected ${PROOF_VERSION})`);
  const got = r.u8('kind');
  if (got !== ProofKind[kind]) throw new ProofError(`proof kind ${got} where a ${kind} proof (${ProofKind[kind]}) was expected`);
}

/** Writes `items` of one common size, after checking that they all have it. */
function writeSameSize(w: ByteWriter, size: number, items: readonly Uint8Array[], what: string): void {
  for (const b of items) {
    if (b.length !== size) throw new ProofError(`${what} of ${b.length} bytes among ${what}s of ${size} bytes`);
    w.write(b);
  }
}

/**
 * What a verifier expects of a proof, in order: each fold key and its number of leaves. A decoder given it
 * refuses a proof that differs before allocating anything for it (a count read from the proof never sizes
 * an allocation on its own: 2^24 leaves of zero bytes cost no proof bytes).
 */
export type ExpectedLeaves = readonly { readonly foldKey: string; readonly leaves: number }[];

/** Reads fold key `index`'s name and leaf count, checked against `expected` when given. */
function readKeyAndCount(r: ByteReader, index: number, expected: ExpectedLeaves | undefined): { foldKey: string; leaves: number } {
  const foldKey = r.string('fold key');
  const leaves = r.count(MAX_COUNT, 'leaf count');
  if (leaves === 0) throw new ProofError(`${foldKey}: no leaves`);
  const want = expected?.[index];
  if (want && want.foldKey !== foldKey) throw new ProofError(`fold key ${index} of the proof is "${foldKey}", the verifier expects "${want.foldKey}"`);
  if (want && want.leaves !== leaves) throw new ProofError(`${foldKey}: the proof has ${leaves} leaves, the verifier expects ${want.leaves}`);
  return { foldKey, leaves };
}

function readKeyCount(r: ByteReader, expected: ExpectedLeaves | undefined): number {
  const n = r.count(MAX_COUNT, 'fold key count');
  if (expected && n !== expected.length) throw new ProofError(`the proof has ${n} fold keys, the verifier expects ${expected.length}`);
  return n;
}

function readSameSize(r: ByteReader, count: number, size: number, what: string): Uint8Array[] {
  if (count * size > r.remaining) throw new EncodingError(`truncated input: ${count} ${what}s of ${size} bytes need more than the ${r.remaining} bytes left`);
  return Array.from({ length: count }, () => r.take(size, what));
}

function writeFoldedBody(w: ByteWriter, proof: FoldedProof): void {
  w.u32(proof.keys.length);
  for (const k of proof.keys) {
    if (k.leafMessages.length === 0) throw new ProofError(`${k.foldKey}: no leaves`);
    if (k.crossTerms.length !== k.leafMessages.length - 1) throw new ProofError(`${k.foldKey}: ${k.leafMessages.length} leaves need ${k.leafMessages.length - 1} folds, got ${k.crossTerms.length}`);
    const leafBytes = k.leafMessages[0].length;
    const crossBytes = k.crossTerms[0]?.length ?? 0;
    w.string(k.foldKey).u32(k.leafMessages.length).u32(leafBytes).u32(crossBytes);
    writeSameSize(w, leafBytes, k.leafMessages, 'leaf message block');
    writeSameSize(w, crossBytes, k.crossTerms, 'cross-term block');
  }
}

function readFoldedBody(r: ByteReader, expected?: ExpectedLeaves): FoldedProof {
  const keys: FoldKeyProof[] = [];
  for (let n = readKeyCount(r, expected), i = 0; i < n; i++) {
    const { foldKey, leaves } = readKeyAndCount(r, i, expected);
    const leafBytes = r.count(MAX_ELEMENT, 'leaf message size');
    const crossBytes = r.count(MAX_ELEMENT, 'cross-term size');
    const leafMessages = readSameSize(r, leaves, leafBytes, 'leaf message block');
    const crossTerms = readSameSize(r, leaves - 1, crossBytes, 'cross-term block');
    keys.push({ foldKey, leafMessages, crossTerms });
  }
  return { keys };
}

/** Encodes a folded proof. */
export function encodeFoldedProof(proof: FoldedProof): Uint8Array {
  const w = new ByteWriter();
  writeHeader(w, 'folded');
  writeFoldedBody(w, proof);
  return w.bytes();
}

/**
 * Decodes a folded proof's structure (element contents are validated when the verifier reads them); with
 * `expected`, refuses other fold keys or leaf counts before reading their messages.
 */
export function decodeFoldedProof(bytes: Uint8Array, expected?: ExpectedLeaves): FoldedProof {
  const r = new ByteReader(bytes);
  readHeader(r, 'folded');
  const proof = readFoldedBody(r, expected);
  r.finish('folded proof');
  return proof;
}
