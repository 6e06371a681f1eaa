/**
 * File formats of the pipeline: compiled model, proving key, verifying key, proof; and the JSON input files.
 *
 * Every artifact is one container (format version 1, little-endian):
 *
 * ```
 * "BKFA"  u8 version = 1  u8 kind (1 compiled model, 2 proving key, 3 verifying key, 4 proof)
 * u32 n   n bytes of UTF-8 JSON header (keys sorted, so equal content gives equal bytes)
 * u32 k   k blobs, each u32 length + bytes
 * 32 bytes Keccak-256 of everything before
 * ```
 *
 * The header says what it is (`format`) and holds the small fields; integers that may exceed 2^53 are decimal
 * strings. A truncated, corrupted or mislabelled file is an {@link ArtifactError}; files are written to a
 * temporary name and renamed, so a failed write leaves nothing half-way.
 *
 * Models are stored as their **architecture** (`architecture.ts`: the block graph with every block's public
 * parameters, layouts, calibrated ranges), never as ONNX, so no reader compiles anything:
 *
 * | file | blobs |
 * | --- | --- |
 * | compiled model | architecture, weights |
 * | verifying key | architecture, the SRS points its verifier reads (uncompressed the Lagrange bases `[L_i(τ)]₁` of the model's input and output domains by ascending size, `[1]₂`, `[τ]₂` compressed, then uncompressed a range table's `[Z_S(τ)]₁` and the commitments of `verifierPoints`), model commitment |
 * | proving key | architecture, SRS points (uncompressed `[τ^i]₁` for i < `keyG1Powers` and the Lagrange bases of the input and output domains, `[1]₂`, `[τ]₂` compressed, uncompressed a range table's `[Z_S(τ)]₁` and `[τ·Z_S(τ)]₁`, then compressed its K basis and the Lagrange bases of the other powers of two up to the largest domain), model commitment, then the weights, then the weight rows' blinding b₀ |
 *
 * A key's header holds the SRS label, the SRS digest (which a proving key's reader recomputes from its powers and a
 * verifying key's reads as recorded: it holds no powers) and the verifying-key digest, which the reader recomputes.
 * The verifying key holds no weight: the model commitment binds them (docs/soundness.md rule 5) and hides them
 * (each row committed as `[w + Z_K·b₀]₁`, `keys.ts`), and the proving key's weights and b₀ are checked against it on
 * reading. A verifying key of four blobs or a proving key of six was written before lookup tables were public
 * polynomials (proof layout 8): its fourth blob holds commitments of the tables' columns, which no verifier reads
 * any more; it is refused with a message saying to run setup again.
 * @module
 */
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import type { G1Point, G2Point } from '../curve';
import { ByteReader, ByteWriter } from '../encoding/bytes';
import { parseJsonUniqueKeys } from '../encoding/strict-json';
import { decodeFr, decodeG1, decodeG1s, decodeG1Uncompressed, decodeG2, encodeFr, encodeG1, encodeG1Uncompressed, encodeG2, FR_BYTES, G1_BYTES, G1_UNCOMPRESSED_BYTES, G2_BYTES } from '../encoding/points';
import { G1_ONE, G2_ONE } from '../curve';
import { Srs, srsDigest } from '../srs/srs';
import { validateSrsStructure } from '../srs/validate';
import type { Engine } from '../engine/engine';
import { getDefaultEngine } from '../engine/index';
import { keccak256 } from '../engine/wasm/keccak';
import { BlockfoldError, SrsError } from '../errors';
import { HALF_R } from '../field';
import { createKzgKey, createVerifierKzgKey, withRangeTable, type KzgKey } from '../kzg/key';
import { rangeTableKey, rangeTableVerifierKey } from '../kzg/range-table';
import { lagrangeBasesHold } from '../srs/lagrange-basis';
import { rangeBasisHolds, type RangeBasis } from '../srs/range-basis';
import { isInsecureDevTau } from '../srs/dev';
import type { Calibration } from '../model/quant/calibrate';
import { tensor, type Tensor } from '../model/tensor';
import { InputError, InputLengthError } from '../model/errors';
import { DEV_SEED } from './api';
import { ArtifactError } from './artifact-error';
import { decodeArchitecture, encodeArchitecture } from './architecture';
import { keyG1Powers, rangeTableSize, type BlockGraph } from './block-graph';
import { compileCalibrated } from './compile';
import type { CompileOptions, CompiledWithQuant } from './compile';
import type { CompiledModel } from './compiled-model';
import type { CommitmentTable } from './graph-proof';
import { commitmentsMatch, keyLagrangeDomains, proverLagrangeDomains, verifierCommitmentsOf, verifierPoints, verifierSelectors, verifyingKeyDigestOf, WEIGHT_BLINDING_COEFFICIENTS, type ProvingKey, type VerifyingKey, type WeightBlinding } from './keys';
import { verify, type ModelProof, type ProgressListener, type Statement, type VerifyResult } from './prove-verify';
import { isHidden } from './visibility';

const MAGIC = Uint8Array.from([0x42, 0x4b, 0x46, 0x41]); // "BKFA"
const CONTAINER_VERSION = 1;
const CHECKSUM_BYTES = 32;
const MAX_BLOBS = 16;

/** Artifact kinds and their codes in the container. */
export const ArtifactKind = { 'compiled-model': 1, 'proving-key': 2, 'verifying-key': 3, proof: 4 } as const;
export type ArtifactKindName = keyof typeof ArtifactKind;

// ---------------------------------------------------------------------------------------------------------
// Container

/** JSON with keys sorted at every level: the header's bytes depend only on its content. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) throw new ArtifactError(`cannot store the non-finite number ${value}`);
  return JSON.stringify(value);
}

function encodeContainer(kind: ArtifactKindName, header: Record<string, unknown>, blobs: readonly Uint8Array[]): Uint8Array {
  const w = new ByteWriter();
  w.write(MAGIC).u8(CONTAINER_VERSION).u8(ArtifactKind[kind]);
  const json = new TextEncoder().encode(canonicalJson({ ...header, format: `blockfold/${kind}` }));
  w.u32(json.length).write(json).u32(blobs.length);
  for (const b of blobs) w.u32(b.length).write(b);
  const body = w.bytes();
  const out = new Uint8Array(body.length + CHECKSUM_BYTES);
  out.set(body);
  out.set(keccak256(body), body.length);
  return out;
}

/** Which command writes each kind of file, for the message that refuses a file of no kind (an ONNX model given to setup). */
const MADE_BY: Readonly<Record<ArtifactKindName, string>> = {
  'compiled-model': '`blockfold compile` makes one from an ONNX model',
  'proving-key': '`blockfold setup` makes one from a compiled model',
  'verifying-key': '`blockfold setup` makes one from a compiled model',
  proof: '`blockfold prove` makes one',
};

function kindName(code: number): string {
  return Object.entries(ArtifactKind).find(([, c]) => c === code)?.[0] ?? `unknown kind ${code}`;
}

function decodeContainer(bytes: Uint8Array, kind: ArtifactKindName): { header: Record<string, unknown>; blobs: Uint8Array[] } {
  if (bytes.length < MAGIC.length + 2 + CHECKSUM_BYTES || !MAGIC.every((b, i) => bytes[i] === b))
    throw new ArtifactError(`not a blockfold file (expected a ${kind} file: ${MADE_BY[kind]})`);
  const body = bytes.subarray(0, bytes.length - CHECKSUM_BYTES);
  const sum = keccak256(body);
  if (!sum.every((b, i) => bytes[body.length + i] === b)) throw new ArtifactError(`the ${kind} file is truncated or corrupted (checksum mismatch)`);
  const r = new ByteReader(body);
  r.take(MAGIC.length);
  const version = r.u8();
  if (version !== CONTAINER_VERSION) throw new ArtifactError(`unsupported file format version ${version} (this blockfold reads version ${CONTAINER_VERSION})`);
  const code = r.u8();
  if (code !== ArtifactKind[kind]) throw new ArtifactError(`this is a ${kindName(code)} file, expected a ${kind} file`);
  try {
    const headerText = r.string('header', body.length);
    const blobs = Array.from({ length: r.count(MAX_BLOBS, 'blob count') }, (_, i) => r.take(r.count(body.length, `blob ${i} length`), `blob ${i}`));
    r.finish(`the ${kind} file`);
    const header = asObject(parseJsonUniqueKeys(headerText), 'header');
    if (header.format !== `blockfold/${kind}`) throw new ArtifactError(`header format is ${JSON.stringify(header.format)}, expected "blockfold/${kind}"`);
    return { header, blobs };
  } catch (e) {
    if (e instanceof ArtifactError) throw e;
    throw new ArtifactError(`malformed ${kind} file: ${(e as Error).message}`, { cause: e });
  }
}

// ---------------------------------------------------------------------------------------------------------
// Checked reading of JSON values

function asObject(v: unknown, what: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new ArtifactError(`${what} must be an object`);
  return v as Record<string, unknown>;
}

/** Refuses keys this version does not write: an extra field would be read by no one and checked by nothing. */
function onlyKeys(o: Record<string, unknown>, allowed: readonly string[], what: string): void {
  const extra = Object.keys(o).filter((k) => !allowed.includes(k));
  if (extra.length > 0) throw new ArtifactError(`${what} has unknown field${extra.length > 1 ? 's' : ''} ${extra.map((k) => JSON.stringify(k)).join(', ')}`);
}

function asArray(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw new ArtifactError(`${what} must be an array`);
  return v;
}

function asString(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new ArtifactError(`${what} must be a string`);
  return v;
}

/** Decimal digits of (r − 1)/2: no statement integer needs more, so longer strings are refused before parsing. */
const MAX_DECIMAL_DIGITS = HALF_R.toString().length;

/** A signed decimal integer string of magnitude at most (r − 1)/2 (what a field element decodes to). */
function asBigint(v: unknown, what: string): bigint {
  if (typeof v !== 'string' || v.length > MAX_DECIMAL_DIGITS + 1 || !/^-?(0|[1-9][0-9]*)$/.test(v)) throw new ArtifactError(`${what} must be a decimal integer string of at most ${MAX_DECIMAL_DIGITS} digits`);
  const x = BigInt(v);
  if (x > HALF_R || -x > HALF_R) throw new ArtifactError(`${what} is outside the field's signed range`);
  return x;
}

const toHex = bytesToHex;

function fromHex(v: unknown, what: string, length?: number): Uint8Array {
  const s = asString(v, what);
  if (!/^([0-9a-f]{2})*$/.test(s) || (length !== undefined && s.length !== 2 * length))
    throw new ArtifactError(`${what} must be ${length === undefined ? '' : `${length} bytes of `}lowercase hex`);
  return hexToBytes(s);
}

/** Decodes a point from bytes, turning the encoding error into an artifact error that names it. */
function pointBytes<P>(decode: (b: Uint8Array) => P, b: Uint8Array, what: string): P {
  try {
    return decode(b);
  } catch (e) {
    throw new ArtifactError(`${what}: ${(e as Error).message}`, { cause: e });
  }
}

const byName = <T>(entries: Iterable<[string, T]>) => [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

const equalBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

// ---------------------------------------------------------------------------------------------------------
// Weights

/**
 * The quantized weights, in the graph's order of weight tensors: for each row its length (at most the tensor's
 * domain) then its values, all varints (signed values zig-zag mapped, `|v| ≤ (r − 1)/2`).
 */
function encodeWeights(graph: BlockGraph, weights: CompiledModel['weights']): Uint8Array {
  const w = new ByteWriter();
  for (const t of graph.tensors) {
    if (t.kind !== 'weight') continue;
    const rows = weights[t.id];
    if (!rows || rows.length !== t.rows) throw new ArtifactError(`weight "${t.id}" has ${rows?.length ?? 0} rows, the graph declares ${t.rows}`);
    for (const row of rows) {
      w.uvarint(row.length);
      for (const v of row) w.svarint(v);
    }
  }
  return w.bytes();
}

/** Reads {@link encodeWeights}' bytes for `graph`: each row's length is checked against its domain and the bytes left before it is allocated. */
function decodeWeights(bytes: Uint8Array, graph: BlockGraph): CompiledModel['weights'] {
  const r = new ByteReader(bytes);
  const out: Record<string, bigint[][]> = {};
  try {
    for (const t of graph.tensors) {
      if (t.kind !== 'weight') continue;
      out[t.id] = Array.from({ length: t.rows }, (_, i) => {
        const length = r.uvarint(Math.min(t.domain, r.remaining), `length of row ${i} of weight "${t.id}"`);
        return Array.from({ length }, () => r.svarint(HALF_R, `a value of weight "${t.id}" row ${i}`));
      });
    }
    r.finish('the weights');
  } catch (e) {
    if (e instanceof ArtifactError || !(e instanceof BlockfoldError)) throw e;
    throw new ArtifactError(`weights: ${e.message}`, { cause: e });
  }
  return out;
}

/** The weight rows' blinding b₀, in the graph's order of weight tensors and rows: each row's coefficients as canonical Fr. */
function encodeWeightBlinding(graph: BlockGraph, blinding: WeightBlinding): Uint8Array {
  const w = new ByteWriter();
  for (const t of graph.tensors) {
    if (t.kind !== 'weight') continue;
    const rows = blinding[t.id];
    if (!rows || rows.length !== t.rows || rows.some((b) => b.length !== WEIGHT_BLINDING_COEFFICIENTS))
      throw new ArtifactError(`the blinding of weight "${t.id}" must hold ${WEIGHT_BLINDING_COEFFICIENTS} coefficients for each of its ${t.rows} rows`);
    for (const b of rows) for (const x of b) w.write(encodeFr(x));
  }
  return w.bytes();
}

/** Reads {@link encodeWeightBlinding}'s bytes for `graph`: the size checked first, every coefficient canonical. */
function decodeWeightBlinding(bytes: Uint8Array, graph: BlockGraph): WeightBlinding {
  const weights = graph.tensors.filter((t) => t.kind === 'weight');
  const size = weights.reduce((n, t) => n + t.rows, 0) * WEIGHT_BLINDING_COEFFICIENTS * FR_BYTES;
  if (bytes.length !== size) throw new ArtifactError(`the weight blinding (blob 4) must be ${size} bytes, the file has ${bytes.length}`);
  const out: Record<string, bigint[][]> = {};
  let at = 0;
  for (const t of weights)
    out[t.id] = Array.from({ length: t.rows }, (_, r) =>
      Array.from({ length: WEIGHT_BLINDING_COEFFICIENTS }, () => pointBytes(decodeFr, bytes.subarray(at, (at += FR_BYTES)), `blinding of weight "${t.id}" row ${r}`)),
    );
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Compiled model

/** A compiled model as a file holds it: the architecture and the quantized weights. */
export interface CompiledModelArtifact {
  readonly model: CompiledModel;
}

/** Compiles `onnx` from a calibration (see {@link compileCalibrated}), ready for {@link encodeCompiledModel}. */
export function compiledModelArtifact(onnx: Uint8Array, calibration: Calibration, options: CompileOptions = {}): { readonly model: CompiledWithQuant } {
  return { model: compileCalibrated(onnx, calibration, options) };
}

/**
 * Encodes a compiled model file: blob 0 the architecture (`architecture.ts`, its digest in the header), blob 1 the
 * quantized weights. It holds no ONNX: `setup` reads it without compiling. A block with no registered codec is an {@link ArtifactError}.
 */
export function encodeCompiledModel(a: CompiledModelArtifact): Uint8Array {
  const architecture = encodeArchitecture(a.model);
  return encodeContainer('compiled-model', { architecture: toHex(keccak256(architecture)) }, [architecture, encodeWeights(a.model.graph, a.model.weights)]);
}

/** Decodes a compiled model file without compiling: the architecture is decoded and re-validated, the weights sized by it. */
export function decodeCompiledModel(bytes: Uint8Array): CompiledModelArtifact {
  const { header, blobs } = decodeContainer(bytes, 'compiled-model');
  onlyKeys(header, ['format', 'architecture'], 'compiled-model header');
  if (blobs.length !== 2) throw new ArtifactError(`a compiled-model file holds 2 blobs (the architecture and the weights), this one ${blobs.length}`);
  if (!equalBytes(keccak256(blobs[0]), fromHex(header.architecture, 'architecture digest', 32))) throw new ArtifactError('the architecture does not have its recorded digest');
  const architecture = decodeArchitecture(blobs[0]);
  return { model: { ...architecture, weights: decodeWeights(blobs[1], architecture.graph) } };
}

// ---------------------------------------------------------------------------------------------------------
// SRS points and model commitment in key files

/** Options of the key decoders. */
export interface KeyFileOptions {
  readonly engine?: Engine;
  /** Progress of loading (reading the architecture and the SRS points, checking the model commitment). */
  readonly onProgress?: ProgressListener;
}

/**
 * What a key file says about its SRS: a development seed (checked against the key's `[τ]₂`), or a ceremony, of
 * which the key keeps the points it needs and no path.
 */
export type SrsLabel = { readonly kind: 'dev'; readonly seed: string } | { readonly kind: 'ptau' };

function srsLabelJson(s: SrsLabel): Record<string, unknown> {
  return s.kind === 'dev' ? { kind: 'dev', seed: s.seed } : { kind: 'ptau' };
}

function readSrsLabel(v: unknown): SrsLabel {
  const o = asObject(v, 'srs');
  if (o.kind === 'dev') {
    onlyKeys(o, ['kind', 'seed'], 'srs');
    return { kind: 'dev', seed: asString(o.seed, 'srs.seed') };
  }
  if (o.kind === 'ptau') {
    onlyKeys(o, ['kind'], 'srs');
    return { kind: 'ptau' };
  }
  throw new ArtifactError(`unknown SRS kind ${JSON.stringify(o.kind)}`);
}

/**
 * The points of each basis of `bases` for the domain sizes `domains`, in that order; an {@link ArtifactError} when one
 * is missing or of another size (`what` names the domains): a file written without it would be refused on reading.
 */
function wholeBases(bases: ReadonlyMap<number, readonly G1Point[]>, domains: readonly number[], what: string): G1Point[] {
  return domains.flatMap((n) => {
    const points = bases.get(n);
    if (points?.length !== n) throw new ArtifactError(`the key's Lagrange basis of H_${n} (${what}) has ${points?.length ?? 0} points, not ${n}: a key file holds it whole`);
    return points;
  });
}

/**
 * Blob 1 of a key file, its SRS points. A proving key's: the G1 powers the key uses, uncompressed (a decoder checks each
 * on the curve with two products instead of a square root: most of a key's loading time otherwise), the Lagrange basis
 * of each domain of {@link keyLagrangeDomains} uncompressed too, `[1]₂` and `[τ]₂` compressed, for a model with a range
 * table (`blocks/range.ts`) `[Z_S(τ)]₁` and `[τ·Z_S(τ)]₁` uncompressed and the N points `[K_v(τ)]₁` compressed (2 MiB
 * for 2^16, their roots taken in one batch on reading), then the Lagrange bases of its other domains compressed: a key
 * file is read without an SRS file. The SRS digest is over the compressed encodings of the powers and `[1]₂, [τ]₂`
 * ({@link srsDigest}, as setup computes it). A verifying key's: the points its verifier reads and no power, in the same
 * order (the Lagrange bases, `[1]₂`, `[τ]₂`, `[Z_S(τ)]₁`), then its verifier commitments uncompressed, in the order of
 * {@link verifierPoints}: about a tenth of the bytes (`docs/protocol.md`, "Verifier"). A key lacking one of its
 * bases, or holding one of another size, is an {@link ArtifactError} ({@link wholeBases}).
 */
function srsPointsBlob(vk: VerifyingKey, proverBases?: ReadonlyMap<number, readonly G1Point[]>): Uint8Array {
  const prover = proverBases !== undefined;
  const table = vk.kzg.rangeTable;
  if (table && prover && !table.prover)
    throw new ArtifactError(`a proving key file needs the range table's basis; this key holds only its [Z_S(τ)]₁ (a verifier's key of ${table.size} entries)`);
  const held = prover ? [] : verifierPoints(vk.model).map(({ digest }) => {
    const point = vk.verifierCommitments.get(digest);
    if (point === undefined) throw new ArtifactError(`the key has no commitment of ${digest}, which its verifier reads`);
    return point;
  });
  const wide = [...(table ? [table.vanishing.point, ...(prover && table.prover ? [table.prover.shiftedVanishing] : [])] : []), ...held];
  const lagrange = wholeBases(vk.lagrangeBases, keyLagrangeDomains(vk.model), 'an input or output domain');
  const own = proverBases ? wholeBases(proverBases, proverOnlyDomains(vk.model), 'a domain of the prover') : [];
  const basis = [...(table?.prover && prover ? table.prover.basis.kBasis : []), ...own];
  const g1 = [...(prover ? vk.g1Powers : []), ...lagrange];
  const at = g1.length * G1_UNCOMPRESSED_BYTES;
  const out = new Uint8Array(at + 2 * G2_BYTES + wide.length * G1_UNCOMPRESSED_BYTES + basis.length * G1_BYTES);
  g1.forEach((p, i) => out.set(encodeG1Uncompressed(p), i * G1_UNCOMPRESSED_BYTES));
  out.set(encodeG2(vk.kzg.g2One.point), at);
  out.set(encodeG2(vk.kzg.g2Tau.point), at + G2_BYTES);
  wide.forEach((p, i) => out.set(encodeG1Uncompressed(p), at + 2 * G2_BYTES + i * G1_UNCOMPRESSED_BYTES));
  const k = at + 2 * G2_BYTES + wide.length * G1_UNCOMPRESSED_BYTES;
  basis.forEach((p, v) => out.set(encodeG1(p), k + v * G1_BYTES));
  return out;
}

/** {@link validateSrsStructure} of a proving key file's powers and `[1]₂, [τ]₂`, its error an {@link ArtifactError}. */
async function provingKeyPowersHold(g1Powers: readonly G1Point[], g2One: G2Point, g2Tau: G2Point, engine: Engine): Promise<void> {
  const power = Math.max(1, Math.ceil(Math.log2(g1Powers.length)));
  try {
    await validateSrsStructure(new Srs({ g1Powers, g2Powers: [g2One, g2Tau], power, insecure: false, name: 'proving key' }), engine);
  } catch (e) {
    if (e instanceof SrsError) throw new ArtifactError(`the proving key's G1 powers: ${e.message}`, { cause: e });
    throw e;
  }
}

/** The domains of a proving key's Lagrange bases that its verifying key's part does not hold: stored after the range basis. */
function proverOnlyDomains(model: Pick<VerifyingKey['model'], 'graph' | 'inputs' | 'outputs'>): number[] {
  const shared = new Set(keyLagrangeDomains(model));
  return proverLagrangeDomains(model.graph).filter((n) => !shared.has(n));
}

/** The range table points of a key file's blob 1: `[Z_S]₁`, and a proving key's `[τ·Z_S]₁` and K basis. */
interface RangePoints {
  readonly vanishing: G1Point;
  readonly basis?: RangeBasis;
}

/** The points blob 1 of a key file holds ({@link srsPointsBlob}), all sizes from the architecture. */
interface SrsPointsLayout {
  /** G1 powers: the key's `keyG1Powers` in a proving key, none in a verifying key. */
  readonly powers: number;
  /** The domain sizes of the Lagrange bases stored uncompressed ({@link keyLagrangeDomains}), ascending. */
  readonly lagrange: readonly number[];
  /** The range table: its size, and whether the file holds a prover's basis of it. */
  readonly range?: { readonly size: number; readonly prover: boolean };
  /** The domain sizes of a proving key's other Lagrange bases, stored compressed. */
  readonly proverOnly: readonly number[];
  /** The verifier commitments a verifying key stores ({@link verifierPoints}). */
  readonly commitments: number;
}

/** The size of blob 1 for `layout`. */
function srsPointsSize(l: SrsPointsLayout): number {
  const wide = (l.range ? (l.range.prover ? 2 : 1) : 0) + l.commitments;
  const uncompressed = l.powers + l.lagrange.reduce((a, n) => a + n, 0) + wide;
  const compressed = (l.range?.prover ? l.range.size : 0) + l.proverOnly.reduce((a, n) => a + n, 0);
  return uncompressed * G1_UNCOMPRESSED_BYTES + 2 * G2_BYTES + compressed * G1_BYTES;
}

/**
 * Reads the SRS points of a key file laid out as `layout` says: the size is checked before anything is decoded, every
 * point is validated (on the curve, canonical, G2 in the subgroup), and a proving key's powers must have the recorded
 * SRS digest ({@link srsDigest}; an uncompressed point determines its compressed encoding, so the digest binds the
 * stored coordinates exactly). A verifying key holds no powers: its SRS digest is read as recorded and its points are
 * bound by the verifying-key digest, which hashes each ({@link verifyingKeyDigestOf}); `check-key` compares them with
 * the ceremony. A proving key's range basis is checked against `[Z_S]₁` by a pairing and its Lagrange bases against its
 * powers (see `readKeySection`). A blob of the size a key of an earlier format would have (`older`: a verifying key
 * that held the powers, a key without the Lagrange bases) is refused with a message saying to run setup again.
 */
function readSrsPoints(
  blob: Uint8Array,
  layout: SrsPointsLayout,
  older: readonly { readonly layout: SrsPointsLayout; readonly written: string }[],
  recorded: Uint8Array,
  onProgress?: ProgressListener,
): { g1: G1Point[]; g2One: G2Point; g2Tau: G2Point; lagrange: Map<number, readonly G1Point[]>; proverLagrange: Map<number, readonly G1Point[]>; range?: RangePoints; commitments: G1Point[] } {
  const { powers: count, range } = layout;
  const size = srsPointsSize(layout);
  const old = blob.length === size ? undefined : older.find((o) => srsPointsSize(o.layout) === blob.length);
  if (old) throw new ArtifactError(`this key was written before ${old.written}: run setup again`);
  if (blob.length !== size) {
    const lagrangePoints = layout.lagrange.reduce((a, n) => a + n, 0) + layout.proverOnly.reduce((a, n) => a + n, 0);
    const what = [
      ...(count > 0 ? [`${count} G1 powers`] : []),
      `${lagrangePoints} points of Lagrange bases`,
      ...(range ? [`${(range.prover ? 2 + range.size : 1)} points of a range table of ${range.size} entries`] : []),
      ...(layout.commitments > 0 ? [`${layout.commitments} verifier commitments`] : []),
    ];
    throw new ArtifactError(`the SRS points (blob 1) must be ${size} bytes for ${what.join(', ')}, the file has ${blob.length}`);
  }
  const g1: G1Point[] = new Array(count);
  const compressed = new Uint8Array(count * G1_BYTES + 2 * G2_BYTES);
  const step = Math.max(1, count >> 6);
  const g1Point = (i: number, what: string) => pointBytes(decodeG1Uncompressed, blob.subarray(i * G1_UNCOMPRESSED_BYTES, (i + 1) * G1_UNCOMPRESSED_BYTES), what);
  for (let i = 0; i < count; i++) {
    g1[i] = g1Point(i, `[τ^${i}]₁`);
    compressed.set(encodeG1(g1[i]), i * G1_BYTES);
    if (i % step === 0) onProgress?.('SRS points', i, count);
  }
  onProgress?.('SRS points', count, count);
  const bases = new Map<number, readonly G1Point[]>();
  let next = count;
  for (const n of layout.lagrange) {
    const first = next;
    bases.set(n, Array.from({ length: n }, (_, i) => g1Point(first + i, `[L_${i}(τ)]₁ of H_${n}`)));
    next += n;
  }
  const at = next * G1_UNCOMPRESSED_BYTES;
  const g2One = pointBytes(decodeG2, blob.subarray(at, at + G2_BYTES), '[1]₂');
  const g2Tau = pointBytes(decodeG2, blob.subarray(at + G2_BYTES, at + 2 * G2_BYTES), '[τ]₂');
  compressed.set(blob.subarray(at, at + 2 * G2_BYTES), count * G1_BYTES);
  if (count > 0 && !equalBytes(srsDigest(count, 2, [compressed]), recorded)) throw new ArtifactError('the SRS points in the file do not have the recorded SRS digest');
  const wide = (range ? (range.prover ? 2 : 1) : 0) + layout.commitments;
  const point = (i: number, what: string) => pointBytes(decodeG1Uncompressed, blob.subarray(at + 2 * G2_BYTES + i * G1_UNCOMPRESSED_BYTES, at + 2 * G2_BYTES + (i + 1) * G1_UNCOMPRESSED_BYTES), what);
  const tablePoints = wide - layout.commitments;
  const commitments = Array.from({ length: layout.commitments }, (_, i) => point(tablePoints + i, `verifier commitment ${i}`));
  const compressedAt = at + 2 * G2_BYTES + wide * G1_UNCOMPRESSED_BYTES;
  // A proving key's own Lagrange bases, compressed at the end (decompressed in one batch on the kernels).
  const proverLagrange = new Map<number, readonly G1Point[]>();
  let own = compressedAt + (range?.prover ? range.size : 0) * G1_BYTES;
  for (const n of layout.proverOnly) {
    const first = own;
    proverLagrange.set(n, compressedPoints(blob, first, n, `the Lagrange basis of H_${n}`));
    own += n * G1_BYTES;
  }
  const read = { g1, g2One, g2Tau, lagrange: bases, proverLagrange, commitments };
  if (!range) return read;
  const vanishing = point(0, '[Z_S(τ)]₁');
  if (!range.prover) return { ...read, range: { vanishing } };
  const shiftedVanishing = point(1, '[τ·Z_S(τ)]₁');
  const kBasis = compressedPoints(blob, compressedAt, range.size, 'the range basis [K_v(τ)]₁');
  return { ...read, range: { vanishing, basis: { size: range.size, vanishing, shiftedVanishing, kBasis } } };
}

/** `count` compressed G1 points of `blob` from byte `at`, decompressed in one batch; a bad one is an {@link ArtifactError} naming `what`. */
function compressedPoints(blob: Uint8Array, at: number, count: number, what: string): G1Point[] {
  try {
    return decodeG1s(Array.from({ length: count }, (_, v) => blob.subarray(at + v * G1_BYTES, at + (v + 1) * G1_BYTES)));
  } catch (e) {
    if (e instanceof BlockfoldError) throw new ArtifactError(`${what}: ${e.message}`, { cause: e });
    throw e;
  }
}

/** Blob 2 of a key file: the model commitment, one compressed G1 point per row of each weight tensor, in graph order. */
function commitmentBlob(graph: BlockGraph, c: CommitmentTable): Uint8Array {
  const w = new ByteWriter();
  for (const t of graph.tensors) if (t.kind === 'weight') for (const p of c[t.id]) w.write(encodeG1(p));
  return w.bytes();
}

/** The model commitment of a key file: its size checked against the graph's weight rows first, each point validated. */
function readModelCommitment(blob: Uint8Array, graph: BlockGraph): CommitmentTable {
  const weights = graph.tensors.filter((t) => t.kind === 'weight');
  const rows = weights.reduce((n, t) => n + t.rows, 0);
  if (blob.length !== rows * G1_BYTES) throw new ArtifactError(`the model commitment (blob 2) must be ${rows * G1_BYTES} bytes for ${rows} weight rows, the file has ${blob.length}`);
  const out: Record<string, G1Point[]> = {};
  let at = 0;
  for (const t of weights)
    out[t.id] = Array.from({ length: t.rows }, (_, i) => pointBytes(decodeG1, blob.subarray(at, (at += G1_BYTES)), `commitment of ${t.id} row ${i}`));
  return out;
}

/**
 * The header and blobs shared by both key files: architecture, SRS points (a proving key's with its range basis),
 * model commitment (and the proving key's weights after).
 */
function keySection(srs: SrsLabel, vk: VerifyingKey, proverBases?: ReadonlyMap<number, readonly G1Point[]>): { header: Record<string, unknown>; blobs: Uint8Array[] } {
  return {
    header: { srs: srsLabelJson(srs), srsDigest: toHex(vk.srsDigest), digest: toHex(vk.digest) },
    blobs: [encodeArchitecture(vk.model), srsPointsBlob(vk, proverBases), commitmentBlob(vk.model.graph, vk.modelCommitment)],
  };
}

/**
 * The weights blob of a proving key. A key written before the weights were hidden also has five blobs, the fourth
 * the tables' commitments and the fifth the weights, so a fourth blob that is not this architecture's weights names
 * that possibility (run setup again) beside the decoding error, instead of only the error.
 */
function decodeProvingKeyWeights(blob: Uint8Array, graph: BlockGraph): CompiledModel['weights'] {
  try {
    return decodeWeights(blob, graph);
  } catch (e) {
    if (!(e instanceof BlockfoldError)) throw e;
    throw new ArtifactError(`${e.message}: a damaged proving key, or one written before the weights were hidden (its fourth blob holds table commitments): run setup again`);
  }
}

/**
 * Reads a key file's shared part without compiling anything: decodes and re-validates the architecture, checks
 * every size against it before decoding, validates every point, recomputes the verifying-key digest from the
 * architecture, the commitments and the SRS digest, and checks a development-SRS label against `[τ]₂`. A
 * proving key's weights are then checked against the commitments (random linear combination, see
 * {@link commitmentsMatch}). Nothing is taken on trust and no SRS file is opened.
 */
async function readKeySection(
  kind: 'proving-key' | 'verifying-key',
  bytes: Uint8Array,
  options: KeyFileOptions,
): Promise<{ srs: SrsLabel; vk: VerifyingKey; weights?: CompiledModel['weights']; weightBlinding?: WeightBlinding; lagrangeBases?: ReadonlyMap<number, readonly G1Point[]> }> {
  const { header, blobs } = decodeContainer(bytes, kind);
  onlyKeys(header, ['format', 'srs', 'srsDigest', 'digest'], `${kind} header`);
  const expected = kind === 'proving-key' ? 5 : 3;
  if (blobs.length === expected + 1)
    throw new ArtifactError(`this ${kind} was written before lookup tables were public polynomials (it holds commitments of the tables): run setup again`);
  if (blobs.length !== expected)
    throw new ArtifactError(`a ${kind} file holds ${expected} blobs (the architecture, the SRS points, the model commitment${kind === 'proving-key' ? ', the weights, the weight blinding' : ''}), this one ${blobs.length}`);
  const srs = readSrsLabel(header.srs);
  const srsDigestRecorded = fromHex(header.srsDigest, 'srsDigest', 32);
  const recorded = fromHex(header.digest, 'digest', 32);
  options.onProgress?.('architecture', 0, 1);
  const architecture = decodeArchitecture(blobs[0]);
  options.onProgress?.('architecture', 1, 1);
  const modelCommitment = readModelCommitment(blobs[2], architecture.graph);
  // A proving key's weights and blinding are sized by the architecture: read before any point or pairing work.
  const weights = kind === 'proving-key' ? decodeProvingKeyWeights(blobs[3], architecture.graph) : undefined;
  const weightBlinding = kind === 'proving-key' ? decodeWeightBlinding(blobs[4], architecture.graph) : undefined;
  const table = rangeTableSize(architecture.graph);
  const prover = kind === 'proving-key';
  const keyPowers = keyG1Powers(architecture.graph);
  // A verifying key holds the points its verifier reads; a proving key makes them from its powers.
  const held = prover ? [] : verifierPoints(architecture);
  const layout: SrsPointsLayout = {
    powers: prover ? keyPowers : 0,
    lagrange: keyLagrangeDomains(architecture),
    range: table === undefined ? undefined : { size: table, prover },
    proverOnly: prover ? proverOnlyDomains(architecture) : [],
    commitments: held.length,
  };
  const older = [
    ...(prover ? [] : [{ layout: { ...layout, powers: keyPowers, commitments: 0 }, written: 'verifying key files held only the points a verifier reads (it holds the G1 powers)' }]),
    ...(prover ? [] : [{ layout: { ...layout, commitments: verifierSelectors(architecture.graph).length }, written: "verifying key files held a hashed input's [τ^j·Z_H(τ)]₁" }]),
    { layout: { ...layout, powers: keyPowers, lagrange: [], proverOnly: [], commitments: 0 }, written: "key files held the Lagrange bases of the model's domains" },
  ];
  const points = readSrsPoints(blobs[1], layout, older, srsDigestRecorded, options.onProgress);
  if ((prover && !points.g1[0].equals(G1_ONE)) || !points.g2One.equals(G2_ONE)) throw new ArtifactError('[1]₁ or [1]₂ in the file is not the generator');
  const engine = options.engine ?? getDefaultEngine();
  // A verifier's trust in the points is check-key's (against the ceremony). A prover commits private rows over the
  // powers: powers of another τ than [τ]₂'s, or of a τ in a domain (`Z_H(τ) = 0`), would let the file's author read a
  // row from a proof, so a proving key's are checked to be powers of its [τ]₂'s τ, none a root of unity of the domains.
  if (prover) await provingKeyPowersHold(points.g1, points.g2One, points.g2Tau, engine);
  // Flagged whatever the label says when τ is the default seed's; a label naming a seed must be true. The flag is
  // in the digest, so relabelling a development key as a ceremony's changes the digest its proofs were made for.
  const insecureSrs = isInsecureDevTau(points.g2Tau, srs.kind === 'dev' ? [DEV_SEED, srs.seed] : [DEV_SEED]);
  if (srs.kind === 'dev' && !isInsecureDevTau(points.g2Tau, [srs.seed])) throw new ArtifactError('the file names a development SRS seed its [τ]₂ does not come from');
  const allBases = new Map([...points.lagrange, ...points.proverLagrange].sort(([a], [b]) => a - b));
  const base = prover
    ? await createKzgKey(engine, points.g1, points.g2One, points.g2Tau, allBases)
    : await createVerifierKzgKey(engine, points.g2One, points.g2Tau, keyPowers - 1, points.lagrange, new Map(held.map((s, i) => [s.digest, points.commitments[i]])));
  const verifierCommitments = prover ? await verifierCommitmentsOf(base, architecture) : base.commitments!;
  const content = {
    model: architecture,
    modelCommitment,
    srsDigest: srsDigestRecorded,
    insecureSrs,
    lagrangeBases: points.lagrange,
    verifierCommitments,
    kzg: { g2Tau: base.g2Tau, rangeTable: points.range && rangeTableVerifierKey(table!, points.range.vanishing) },
  };
  // The architecture decoded canonically, so its bytes are encodeArchitecture's and their hash its digest.
  const digest = verifyingKeyDigestOf(keccak256(blobs[0]), content);
  if (!equalBytes(digest, recorded)) throw new ArtifactError('the verifying-key digest does not match the architecture, commitments and SRS points in the file');
  const kzg = await withRangePoints(base, table, points.range, options.onProgress);
  const vk: VerifyingKey = { ...content, kzg, g1Powers: prover ? points.g1 : [G1_ONE], digest };
  if (!weights || !weightBlinding) return { srs, vk };
  // A verifier reads the bases as the digest binds them (check-key compares them with the ceremony); a prover commits
  // every row over them, so, as with the range basis, a file's author who changed one could read a private row from
  // the residue of a proof's checks: all are checked against the file's own powers at once (two MSMs).
  if (!(await lagrangeBasesHold(allBases, points.g1, engine))) throw new ArtifactError('the Lagrange bases in the file are not those of its G1 powers');
  options.onProgress?.('model commitment', 0, 1);
  if (!(await commitmentsMatch(kzg, architecture.graph, weights, weightBlinding, modelCommitment)))
    throw new ArtifactError('the model commitment in the file is not the commitment of its weights (with their blinding)');
  options.onProgress?.('model commitment', 1, 1);
  return { srs, vk, weights, weightBlinding, lagrangeBases: allBases };
}

/**
 * `kzg` with the range table of a key file: a verifying key's `[Z_S]₁` alone, a proving key's basis once it holds
 * against `[Z_S]₁` and `[τ]₂` (`rangeBasisHolds`, two MSMs of N points and a pairing, about a second at N = 2^16; a
 * wrong basis is an {@link ArtifactError}); `kzg` itself for a model without a range table. A verifier reads `[Z_S]₁`
 * alone, so a wrong basis could not make a false proof pass; the check is for the prover's privacy: a key file's
 * author who changed a K point (or `[τ·Z_S]₁`) and sees a proof made with it learns a count of the range lookup (or
 * can test a guess of all of them) from the residue of its pairing equation, since the proof is sent whether or not it
 * verifies.
 */
async function withRangePoints(kzg: KzgKey, size: number | undefined, range: RangePoints | undefined, onProgress?: ProgressListener): Promise<KzgKey> {
  if (size === undefined || range === undefined) return kzg;
  if (range.basis === undefined) return withRangeTable(kzg, rangeTableVerifierKey(size, range.vanishing));
  onProgress?.('range basis', 0, 1);
  const table = await rangeTableKey(kzg.engine, range.basis);
  if (!(await rangeBasisHolds(range.basis, kzg.g2One.point, kzg.g2Tau.point, kzg.engine, table.prover!.kBasis)))
    throw new ArtifactError(`the range basis in the file (${size} points [K_v(τ)]₁) is not the one of its [Z_S(τ)]₁ and [τ]₂`);
  onProgress?.('range basis', 1, 1);
  return withRangeTable(kzg, table);
}

// ---------------------------------------------------------------------------------------------------------
// Proving key

/** A proving key with what it was made from. */
export interface ProvingKeyArtifact {
  readonly compiled: CompiledModelArtifact;
  readonly srs: SrsLabel;
  readonly pk: ProvingKey;
}

/**
 * Encodes a proving key file: the verifying key's content (architecture, SRS points, model commitment, digests),
 * the quantized weights (blob 3) and their commitments' blinding b₀ (blob 4), so that loading it neither compiles, nor opens an SRS file, nor reruns setup.
 */
export function encodeProvingKey(a: ProvingKeyArtifact): Uint8Array {
  const { header, blobs } = keySection(a.srs, a.pk.vk, a.pk.lagrangeBases);
  const graph = a.pk.vk.model.graph;
  return encodeContainer('proving-key', header, [...blobs, encodeWeights(graph, a.pk.model.weights), encodeWeightBlinding(graph, a.pk.weightBlinding)]);
}

/**
 * Decodes a proving key file with no SRS file, no setup and no compiler: the checks of {@link decodeVerifyingKey},
 * then the weights and their blinding checked against the model commitment; progress through `options.onProgress`.
 */
export async function decodeProvingKey(bytes: Uint8Array, options: KeyFileOptions = {}): Promise<ProvingKeyArtifact> {
  const { srs, vk, weights, weightBlinding, lagrangeBases } = await readKeySection('proving-key', bytes, options);
  const model: CompiledModel = { ...vk.model, weights: weights! };
  return { compiled: { model }, srs, pk: { vk, model, weightBlinding: weightBlinding!, lagrangeBases: lagrangeBases! } };
}

// ---------------------------------------------------------------------------------------------------------
// Verifying key

/** A verifying key with the label of the SRS it was made with. */
export interface VerifyingKeyArtifact {
  readonly srs: SrsLabel;
  readonly vk: VerifyingKey;
}

/**
 * Encodes a verifying key file: the architecture (every block's public parameters, no weight), the model
 * commitment (every weight row's commitment, compressed G1), the SRS points the verifier needs and the digests.
 * It verifies alone: no `.ptau` file, no ONNX model.
 */
export function encodeVerifyingKey(a: VerifyingKeyArtifact): Uint8Array {
  const { header, blobs } = keySection(a.srs, a.vk);
  return encodeContainer('verifying-key', header, blobs);
}

/**
 * Decodes a verifying key file, which needs no SRS file and no compiler: the architecture decoded and
 * re-validated, every size checked before decoding, every point validated, the digest recomputed, a
 * development-SRS label checked against `[τ]₂` (tables are public polynomials the verifier evaluates itself, so the
 * file holds none of their commitments). Any inconsistency is a typed error.
 */
export async function decodeVerifyingKey(bytes: Uint8Array, options: KeyFileOptions = {}): Promise<VerifyingKeyArtifact> {
  return readKeySection('verifying-key', bytes, options);
}

/** The verifying-key part of a proving key, for writing the two files of a setup. */
export function verifyingKeyArtifact(a: ProvingKeyArtifact): VerifyingKeyArtifact {
  return { srs: a.srs, vk: a.pk.vk };
}

// ---------------------------------------------------------------------------------------------------------
// Proof

/**
 * A proof file's content. Only what the proof binds: the statement (absorbed by the transcript) and the
 * digest of the verifying key it was made for (checked against the key before verifying). The path is
 * always `direct` (a version 15 proof is one argument); outputs are not stored, {@link verifyProofFile} decodes them from the statement.
 */
export interface ProofArtifact {
  /** Digest of the verifying key the proof was made for. */
  readonly verifyingKeyDigest: Uint8Array;
  readonly statement: Statement;
  readonly proof: Pick<ModelProof, 'bytes'>;
}

const rowsJson = (t: Statement['inputs']) => Object.fromEntries(byName(Object.entries(t)).map(([id, rows]) => [id, rows.map((r) => r.map(String))]));

function readRows(v: unknown, what: string): Statement['inputs'] {
  return Object.fromEntries(
    Object.entries(asObject(v, what)).map(([id, rows]) => [
      id,
      // A file's id is quoted as JSON writes it: a control character in it reaches no message raw.
      asArray(rows, `${what} ${JSON.stringify(id)}`).map((row, r) => asArray(row, `${what} ${JSON.stringify(id)} row ${r}`).map((x) => asBigint(x, `${what} ${JSON.stringify(id)} row ${r} value`))),
    ]),
  );
}

/** Encodes a proof file: a header with the verifying-key digest and the statement; blob 0 is the proof. */
export function encodeProof(a: Pick<ProofArtifact, 'verifyingKeyDigest' | 'statement'> & { readonly proof: Pick<ModelProof, 'bytes'> }): Uint8Array {
  return encodeContainer(
    'proof',
    { verifyingKeyDigest: toHex(a.verifyingKeyDigest), statement: statementToJson(a.statement) },
    [a.proof.bytes],
  );
}

/**
 * A statement in JSON: the public tensors' integer rows by tensor id, every integer a decimal string (they exceed
 * 2^53); the private and hashed tensors' row commitments by tensor id, each compressed G1 point in hex (absent when
 * every tensor is public).
 */
export interface StatementJson {
  readonly inputs: Record<string, string[][]>;
  readonly outputs: Record<string, string[][]>;
  readonly commitments?: Record<string, string[]>;
}

/** The JSON form of a statement (see {@link StatementJson}). */
export function statementToJson(st: Statement): StatementJson {
  const commitments = byName(Object.entries(st.commitments ?? {}));
  return {
    inputs: rowsJson(st.inputs),
    outputs: rowsJson(st.outputs),
    ...(commitments.length > 0 ? { commitments: Object.fromEntries(commitments.map(([id, cs]) => [id, cs.map((c) => toHex(encodeG1(c)))])) } : {}),
  };
}

function readCommitments(v: unknown): CommitmentTable {
  return Object.fromEntries(
    Object.entries(asObject(v, 'commitments')).map(([id, cs]) => [
      id,
      asArray(cs, `commitments of ${JSON.stringify(id)}`).map((c, r) => pointBytes(decodeG1, fromHex(c, `commitment of ${JSON.stringify(id)} row ${r}`, G1_BYTES), `commitment of ${JSON.stringify(id)} row ${r}`)),
    ]),
  );
}

/** A statement from its JSON form; anything else (a malformed or off-curve commitment included) is an {@link ArtifactError} naming the field. */
export function statementFromJson(json: unknown): Statement {
  const st = asObject(json, 'statement');
  onlyKeys(st, ['inputs', 'outputs', 'commitments'], 'statement');
  return { inputs: readRows(st.inputs, 'input'), outputs: readRows(st.outputs, 'output'), ...(st.commitments !== undefined ? { commitments: readCommitments(st.commitments) } : {}) };
}

/**
 * A proof and its public statement as JSON, as snarkjs users keep `proof.json` and `public.json`: the proof
 * bytes in base64, the verifying-key digest in hex, the statement's integers as decimal strings. It holds
 * the same fields as a proof file, and nothing the proof does not bind.
 */
export interface ProofJson {
  readonly format: 'blockfold/proof+json';
  readonly verifyingKeyDigest: string;
  readonly statement: StatementJson;
  readonly proof: string;
}

/** The JSON form of a proof file's content. */
export function proofToJson(a: Pick<ProofArtifact, 'verifyingKeyDigest' | 'statement'> & { readonly proof: Pick<ModelProof, 'bytes'> }): ProofJson {
  return { format: 'blockfold/proof+json', verifyingKeyDigest: toHex(a.verifyingKeyDigest), statement: statementToJson(a.statement), proof: base64(a.proof.bytes) };
}

/**
 * A proof from its JSON form (structure only: {@link verify} decides), with the same checks as {@link decodeProof}.
 * Given as text (a string), it is parsed here and a key written twice in one object is refused
 * (`parseJsonUniqueKeys`): a parsed value no longer shows that, so pass the file's text where you have it.
 */
export function proofFromJson(json: unknown): ProofArtifact {
  return parseProof(rawProofJson(json));
}

/** The JSON form's parts, the statement not yet parsed. */
function rawProofJson(json: unknown): RawProof {
  try {
    const o = asObject(typeof json === 'string' ? parseJsonUniqueKeys(json) : json, 'proof JSON');
    onlyKeys(o, ['format', 'verifyingKeyDigest', 'statement', 'proof'], 'proof JSON');
    if (o.format !== 'blockfold/proof+json') throw new ArtifactError(`proof JSON format is ${JSON.stringify(o.format)}, expected "blockfold/proof+json"`);
    return { verifyingKeyDigest: fromHex(o.verifyingKeyDigest, 'verifyingKeyDigest', 32), statement: o.statement, bytes: fromBase64(asString(o.proof, 'proof')) };
  } catch (e) {
    if (e instanceof BlockfoldError) throw e;
    throw new ArtifactError(`malformed proof JSON: ${(e as Error).message}`, { cause: e });
  }
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 with padding (no Node `Buffer`, so the browser verifier can read it too). */
function base64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += BASE64[n >> 18] + BASE64[(n >> 12) & 63] + (i + 1 < bytes.length ? BASE64[(n >> 6) & 63] : '=') + (i + 2 < bytes.length ? BASE64[n & 63] : '=');
  }
  return out;
}

function fromBase64(s: string): Uint8Array {
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(s)) throw new ArtifactError('proof must be standard base64');
  const out = new Uint8Array((s.length / 4) * 3 - (s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0));
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    let n = 0;
    for (let k = 0; k < 4; k++) n = (n << 6) | (s[i + k] === '=' ? 0 : BASE64.indexOf(s[i + k]));
    for (const shift of [16, 8, 0]) if (o < out.length) out[o++] = (n >> shift) & 255;
  }
  if (base64(out) !== s) throw new ArtifactError('proof is not canonical base64');
  return out;
}

/** A proof's parts before its statement is parsed: a verifier checks the key digest and the sizes first. */
interface RawProof {
  readonly verifyingKeyDigest: Uint8Array;
  readonly statement: unknown;
  readonly bytes: Uint8Array;
}

/** The parts of a proof file: container, header fields and the one blob checked, the statement left as JSON. */
function rawProofFile(bytes: Uint8Array): RawProof {
  const { header, blobs } = decodeContainer(bytes, 'proof');
  onlyKeys(header, ['format', 'verifyingKeyDigest', 'statement'], 'proof header');
  if (blobs.length !== 1) throw new ArtifactError('a proof file holds exactly one blob, the proof');
  return { verifyingKeyDigest: fromHex(header.verifyingKeyDigest, 'verifyingKeyDigest', 32), statement: header.statement, bytes: blobs[0] };
}

function parseProof(raw: RawProof): ProofArtifact {
  return { verifyingKeyDigest: raw.verifyingKeyDigest, statement: statementFromJson(raw.statement), proof: { bytes: raw.bytes } };
}

/**
 * Decodes a proof file (structure only: {@link verifyProofFile} decides whether the proof holds). A header
 * field this version does not write is refused: nothing in the file goes unchecked.
 */
export function decodeProof(bytes: Uint8Array): ProofArtifact {
  return parseProof(rawProofFile(bytes));
}

/**
 * Checks a statement's tensors and sizes against the key's public layouts while it is still JSON, so that a proof
 * for another model is refused before any of its integers is parsed.
 */
function checkStatementSizes(json: unknown, vk: VerifyingKey): void {
  const st = asObject(json, 'statement');
  const hidden = [...vk.model.inputs, ...vk.model.outputs].filter(isHidden);
  const commitments = asObject(st.commitments ?? {}, 'statement.commitments');
  if (Object.keys(commitments).length !== hidden.length || hidden.some((l) => !Object.hasOwn(commitments, l.id)))
    throw new ArtifactError(`the statement's commitments are not of the key's private and hashed tensors (${hidden.map((l) => l.id).join(', ') || 'none'})`);
  for (const l of hidden)
    if (asArray(commitments[l.id], `statement commitments "${l.id}"`).length !== l.rows) throw new ArtifactError(`statement commitments "${l.id}" (${l.name}) must hold ${l.rows} row commitments`);
  for (const [kind, all] of [['inputs', vk.model.inputs], ['outputs', vk.model.outputs]] as const) {
    const layouts = all.filter((l) => !isHidden(l));
    const tensors = asObject(st[kind], `statement.${kind}`);
    if (Object.keys(tensors).length !== layouts.length || layouts.some((l) => !Object.hasOwn(tensors, l.id)))
      throw new ArtifactError(`the statement's ${kind} are not the key's (${layouts.map((l) => l.id).join(', ')})`);
    for (const l of layouts) {
      const rows = asArray(tensors[l.id], `statement ${kind} "${l.id}"`);
      if (rows.length !== l.rows || rows.some((row) => !Array.isArray(row) || row.length !== l.rowLength))
        throw new ArtifactError(`statement ${kind} "${l.id}" (${l.name}) must have ${l.rows} rows of ${l.rowLength} integers`);
    }
  }
}

/**
 * Verifies a proof file against a verifying key and reports only what the proof binds: acceptance and the
 * outputs decoded from the verified statement with the key's scales (see {@link verify}). The key digest and the
 * statement's sizes are checked before the statement is parsed. A malformed file or a proof made for another
 * key is a rejection with a reason.
 */
export function verifyProofFile(vk: VerifyingKey, proofFile: Uint8Array): Promise<VerifyResult> {
  return verifyDecoded(vk, () => rawProofFile(proofFile));
}

/**
 * {@link verifyProofFile} for the JSON form of a proof (see {@link ProofJson}): its text (a string, parsed here with a key
 * written twice in one object refused, as {@link proofFromJson} does) or a value already parsed.
 */
export function verifyProofJson(vk: VerifyingKey, json: unknown): Promise<VerifyResult> {
  return verifyDecoded(vk, () => rawProofJson(json));
}

async function verifyDecoded(vk: VerifyingKey, decode: () => RawProof): Promise<VerifyResult> {
  let proof: ProofArtifact;
  try {
    const raw = decode();
    // A value that is not a key is the caller's error: verify throws the typed error that says so.
    if (!(vk?.digest instanceof Uint8Array) || !vk.model) return verify(vk, parseProof(raw).statement, raw.bytes);
    if (!equalBytes(raw.verifyingKeyDigest, vk.digest))
      return { ok: false, reason: `the proof was made for another verifying key (digest ${toHex(raw.verifyingKeyDigest)}, this key's is ${toHex(vk.digest)})` };
    checkStatementSizes(raw.statement, vk);
    proof = parseProof(raw);
  } catch (e) {
    if (e instanceof BlockfoldError) return { ok: false, reason: e.message };
    throw e;
  }
  return verify(vk, proof.statement, proof.proof.bytes);
}

// ---------------------------------------------------------------------------------------------------------
// Files

export { writeFileAtomic } from '#files';

// ---------------------------------------------------------------------------------------------------------
// Input files (JSON)

/** A model input's name and shape, as the input-file reader needs them. */
export interface InputSpec {
  readonly name: string;
  readonly shape: readonly number[];
}

/**
 * The leaves of nested arrays in order, without recursion (`flat(Infinity)` recurses once per level, and JSON.parse reads
 * any depth), or undefined when they nest more than `maxDepth` arrays deep.
 */
function leaves(values: unknown, maxDepth: number): unknown[] | undefined {
  const out: unknown[] = [];
  const stack: { readonly items: readonly unknown[]; next: number }[] = [{ items: [values], next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.next === top.items.length) {
      stack.pop();
      continue;
    }
    const item = top.items[top.next++];
    if (!Array.isArray(item)) out.push(item);
    else if (stack.length > maxDepth) return undefined;
    else stack.push({ items: item, next: 0 });
  }
  return out;
}

function sampleTensor(spec: InputSpec, values: unknown, where: string): Tensor {
  // One level per dimension, and one more for a batch of one around it.
  const depth = spec.shape.length + 1;
  const flat = leaves(values, depth);
  if (flat === undefined) throw new InputError(spec.name, `${where} nests arrays more than ${depth} deep: the input of shape [${spec.shape.join(', ')}] takes its values flat or nested by its dimensions`);
  const size = spec.shape.reduce((a, b) => a * b, 1);
  if (flat.length !== size) throw new InputLengthError(spec.name, `${where} has ${flat.length} values, the input of shape [${spec.shape.join(', ')}] needs ${size}`, flat.length);
  if (!flat.every((x) => typeof x === 'number' && Number.isFinite(x))) throw new InputError(spec.name, `${where} holds a value that is not a finite number`);
  return tensor(spec.shape, flat as number[]);
}

function sampleByName(o: Record<string, unknown>, inputs: readonly InputSpec[], where: string): Record<string, Tensor> {
  const unknown = Object.keys(o).filter((k) => !inputs.some((i) => i.name === k));
  if (unknown.length > 0) throw new InputError(unknown[0], `${where}: the model has no input of this name (inputs: ${inputs.map((i) => i.name).join(', ')})`);
  return Object.fromEntries(
    inputs.map((spec) => {
      if (!(spec.name in o)) throw new InputError(spec.name, `${where} gives no value`);
      return [spec.name, sampleTensor(spec, o[spec.name], where)];
    }),
  );
}

/**
 * Reads float samples from a parsed JSON input file. Accepted forms:
 * - `{"input_data": [[…], …]}` (ZKTorch / EZKL): one sample, the i-th array is the i-th model input, flattened;
 * - `{"shape": [N, …], "pixels" | "data": […]}`: N samples of a single-input model, flattened in order;
 * - `{"<input name>": […], …}`: one sample by input name (nested or flat arrays);
 * - `[ {"<input name>": […]}, … ]`: several samples.
 * Shape and value errors are {@link InputError}s naming the input.
 */
export function readSamples(json: unknown, inputs: readonly InputSpec[]): Record<string, Tensor>[] {
  const bad = () => new BlockfoldError('INPUT', 'an input file must be a JSON object or an array of objects (see `blockfold --help`)');
  if (Array.isArray(json)) {
    if (json.length === 0) throw new BlockfoldError('INPUT', 'the input file holds no sample');
    return json.map((s, i) => {
      if (s === null || typeof s !== 'object' || Array.isArray(s)) throw bad();
      return sampleByName(s as Record<string, unknown>, inputs, `sample ${i}`);
    });
  }
  if (json === null || typeof json !== 'object') throw bad();
  const o = json as Record<string, unknown>;
  if ('input_data' in o) {
    const data = o.input_data;
    if (!Array.isArray(data) || data.length !== inputs.length) {
      const held = Array.isArray(data) ? `${data.length} array${data.length === 1 ? '' : 's'}` : 'no array';
      const names = inputs.map((i) => `"${i.name}"`).join(', ');
      throw new BlockfoldError('INPUT', `input_data holds ${held}; the model has ${inputs.length} input${inputs.length === 1 ? '' : 's'} (${names}): give one flat array per input, in that order`);
    }
    return [Object.fromEntries(inputs.map((spec, i) => [spec.name, sampleTensor(spec, data[i], `input_data[${i}]`)]))];
  }
  if ('shape' in o && ('pixels' in o || 'data' in o)) {
    if (inputs.length !== 1) throw new BlockfoldError('INPUT', 'the {shape, data} form is for single-input models');
    const shape = o.shape;
    const data = o.pixels ?? o.data;
    if (!Array.isArray(shape) || !Number.isSafeInteger(shape[0]) || !Array.isArray(data)) throw bad();
    const n = shape[0] as number;
    const per = inputs[0].shape.reduce((a, b) => a * b, 1);
    if (n < 1 || data.length !== n * per) {
      // What one sample of the file's shape holds, when its dimensions after N are integers.
      const rest = shape.slice(1);
      const given = rest.every((d) => Number.isSafeInteger(d)) ? (rest as number[]).reduce((a, b) => a * b, 1) : data.length;
      throw new InputLengthError(inputs[0].name, `${data.length} values do not make ${n} samples of ${per}`, given);
    }
    return Array.from({ length: n }, (_, i) => ({ [inputs[0].name]: sampleTensor(inputs[0], data.slice(i * per, (i + 1) * per), `sample ${i}`) }));
  }
  return [sampleByName(o, inputs, 'the input file')];
}
