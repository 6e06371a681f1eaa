/**
 * File formats of the pipeline: compiled model, proving key, verifying key, proof; and the JSON input files.
 *
 * Every artifact is one container (format version 1, little-endian):
 *
 * ```
 * "BKFA"  u8 version = 1  u8 kind (1 compiled model, 2 proving key, 3 verifying key, 4 proof)
 * u32 n   n bytes of UTF-8 JSON header (keys sorted, so equal content gives equal bytes)
 * u32 k   k blobs, each u32 length + bytes (blob 0: the ONNX model, or the proof bytes)
 * 32 bytes Keccak-256 of everything before
 * ```
 *
 * The header says what it is (`format`) and holds everything a reader needs; integers that may exceed 2^53
 * are decimal strings, points are hex of their compressed encodings. A truncated, corrupted or mislabelled
 * file is an {@link ArtifactError}; files are written to a temporary name and renamed, so a failed write
 * leaves nothing half-way.
 *
 * A key file holds the setup result: the compiled model (ONNX bytes, calibration, options; blob 0), the model
 * commitment, and the SRS points the key uses (blob 1, whose hash is the SRS digest), so it is read with no
 * SRS file and no setup. The reader recompiles the architecture and checks the commitments against the
 * embedded weights. The verifying key therefore embeds the ONNX bytes, weights included: it is not yet
 * suitable for private weights.
 * @module
 */
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import type { G1Point, G2Point } from '../curve';
import { ByteReader, ByteWriter } from '../encoding/bytes';
import { decodeG1, decodeG2, encodeG1, encodeG2, G1_BYTES, G2_BYTES } from '../encoding/points';
import { G1_ONE, G2_ONE } from '../curve';
import { SRS_DIGEST_DOMAIN } from '../srs/srs';
import type { Engine } from '../engine/engine';
import { getDefaultEngine } from '../engine/index';
import { BlockfoldError, EncodingError } from '../errors';
import { createKzgKey } from '../kzg/key';
import { isInsecureDevTau } from '../srs/dev';
import type { Calibration, Range } from '../model/quant/calibrate';
import { tensor, type Tensor } from '../model/tensor';
import { InputError } from '../model/errors';
import { DEV_SEED, type SrsSource } from './api';
import { compileCalibrated } from './compile';
import type { CompileOptions, CompiledWithQuant } from './compile';
import type { CompiledModel, PublicTensorLayout } from './compiled-model';
import type { CommitmentTable } from './graph-proof';
import { commitmentsMatch, verifyingKeyDigest, type ProvingKey, type VerifyingKey } from './keys';
import { verify, type ModelProof, type ProgressListener, type Statement, type VerifyResult } from './prove-verify';
export { floatOutputs, type FloatOutput } from './prove-verify';

/** A file that is not a valid artifact of the expected kind (truncated, corrupted, mislabelled, inconsistent). */
export class ArtifactError extends EncodingError {}

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
  out.set(keccak_256(body), body.length);
  return out;
}

function kindName(code: number): string {
  return Object.entries(ArtifactKind).find(([, c]) => c === code)?.[0] ?? `unknown kind ${code}`;
}

function decodeContainer(bytes: Uint8Array, kind: ArtifactKindName): { header: Record<string, unknown>; blobs: Uint8Array[] } {
  if (bytes.length < MAGIC.length + 2 + CHECKSUM_BYTES || !MAGIC.every((b, i) => bytes[i] === b))
    throw new ArtifactError(`not a blockfold file (expected a ${kind} file)`);
  const body = bytes.subarray(0, bytes.length - CHECKSUM_BYTES);
  const sum = keccak_256(body);
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
    const header = asObject(JSON.parse(headerText), 'header');
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

function asNumber(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ArtifactError(`${what} must be a finite number`);
  return v;
}

function asInteger(v: unknown, what: string): number {
  const n = asNumber(v, what);
  if (!Number.isSafeInteger(n) || n < 0) throw new ArtifactError(`${what} must be a non-negative integer`);
  return n;
}

function asBigint(v: unknown, what: string): bigint {
  if (typeof v !== 'string' || !/^-?(0|[1-9][0-9]*)$/.test(v)) throw new ArtifactError(`${what} must be a decimal integer string`);
  return BigInt(v);
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

/** Decodes a point, turning the encoding error (off curve, not canonical, …) into an artifact error that names it. */
function point<P>(decode: (b: Uint8Array) => P, v: unknown, what: string): P {
  try {
    return decode(fromHex(v, what));
  } catch (e) {
    if (e instanceof ArtifactError) throw e;
    throw new ArtifactError(`${what}: ${(e as Error).message}`, { cause: e });
  }
}

const equalBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

// ---------------------------------------------------------------------------------------------------------
// Compiled model

/** A compiled model with what it was compiled from, so that a file can reproduce it. */
export interface CompiledModelArtifact {
  readonly onnx: Uint8Array;
  readonly calibration: Calibration;
  readonly options: CompileOptions;
  readonly model: CompiledWithQuant;
}

/** Compiles `onnx` from a calibration (see {@link compileCalibrated}) and keeps the sources for saving. */
export function compiledModelArtifact(onnx: Uint8Array, calibration: Calibration, options: CompileOptions = {}): CompiledModelArtifact {
  return { onnx, calibration, options, model: compileCalibrated(onnx, calibration, options) };
}

/** Keccak-256 of the public architecture: block graph (tensors, fold keys, bindings), public layouts, SRS size. */
export function architectureDigest(model: Omit<CompiledModel, 'weights'>): Uint8Array {
  const layouts = (ls: readonly PublicTensorLayout[]) => ls.map((l) => ({ ...l, bound: l.bound.map(String) }));
  const text = canonicalJson({
    name: model.name,
    tensors: model.graph.tensors,
    nodes: model.graph.nodes.map((n) => ({ foldKey: n.block.foldKey, bind: n.bind })),
    inputs: layouts(model.inputs),
    outputs: layouts(model.outputs),
    srsG1Powers: model.srsG1Powers,
  });
  return keccak_256(new TextEncoder().encode(text));
}

const byName = <T>(entries: Iterable<[string, T]>) => [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

function calibrationJson(c: Calibration): Record<string, unknown> {
  return {
    samples: c.samples,
    ranges: byName(c.ranges).map(([name, r]) => [name, r.min, r.max]),
    internal: byName(c.internal).flatMap(([node, m]) => byName(m).map(([key, r]) => [node, key, r.min, r.max])),
  };
}

function readCalibration(v: unknown): Calibration {
  const o = asObject(v, 'calibration');
  const range = (lo: unknown, hi: unknown, what: string): Range => ({ min: asNumber(lo, `${what} min`), max: asNumber(hi, `${what} max`) });
  const ranges = new Map<string, Range>();
  for (const e of asArray(o.ranges, 'calibration.ranges')) {
    const [name, lo, hi] = asArray(e, 'calibration range');
    ranges.set(asString(name, 'calibration range name'), range(lo, hi, `range of ${String(name)}`));
  }
  const internal = new Map<string, Map<string, Range>>();
  for (const e of asArray(o.internal, 'calibration.internal')) {
    const [node, key, lo, hi] = asArray(e, 'internal calibration range');
    const n = asString(node, 'internal range node');
    if (!internal.has(n)) internal.set(n, new Map());
    internal.get(n)!.set(asString(key, 'internal range key'), range(lo, hi, `range ${n}/${String(key)}`));
  }
  return { ranges, internal, samples: asInteger(o.samples, 'calibration.samples') };
}

function readOptions(v: unknown): CompileOptions {
  const o = asObject(v, 'options');
  const out: { name?: string; inputShapes?: Record<string, number[]>; quantization?: Record<string, number> } = {};
  if (o.name !== undefined) out.name = asString(o.name, 'options.name');
  if (o.inputShapes !== undefined)
    out.inputShapes = Object.fromEntries(
      Object.entries(asObject(o.inputShapes, 'options.inputShapes')).map(([k, s]) => [k, asArray(s, `shape of ${k}`).map((d) => asInteger(d, `dimension of ${k}`))]),
    );
  if (o.quantization !== undefined)
    out.quantization = Object.fromEntries(Object.entries(asObject(o.quantization, 'options.quantization')).map(([k, x]) => [k, asNumber(x, `quantization.${k}`)]));
  return out;
}

/** The header section describing a compiled model; its ONNX bytes go in blob 0. */
function compiledModelSection(a: CompiledModelArtifact): Record<string, unknown> {
  return {
    name: a.model.name,
    options: a.options,
    calibration: calibrationJson(a.calibration),
    onnx: { bytes: a.onnx.length, keccak256: toHex(keccak_256(a.onnx)) },
    architecture: toHex(architectureDigest(a.model)),
  };
}

/** Recompiles a model section and checks that it gives the recorded architecture. */
function readCompiledModelSection(v: unknown, onnx: Uint8Array | undefined): CompiledModelArtifact {
  const o = asObject(v, 'model');
  if (!onnx) throw new ArtifactError('the ONNX model (blob 0) is missing');
  const info = asObject(o.onnx, 'model.onnx');
  if (asInteger(info.bytes, 'model.onnx.bytes') !== onnx.length || !equalBytes(fromHex(info.keccak256, 'model.onnx.keccak256', 32), keccak_256(onnx)))
    throw new ArtifactError('the embedded ONNX model does not match its recorded length and hash');
  const expected = fromHex(o.architecture, 'model.architecture', 32);
  const artifact = compiledModelArtifact(onnx, readCalibration(o.calibration), readOptions(o.options));
  if (!equalBytes(architectureDigest(artifact.model), expected))
    throw new ArtifactError('recompiling the model gives a different block graph than the one recorded (file from another blockfold version?)');
  return artifact;
}

/** Encodes a compiled model file: the ONNX bytes, the calibration and the options, plus the architecture digest. */
export function encodeCompiledModel(a: CompiledModelArtifact): Uint8Array {
  return encodeContainer('compiled-model', { model: compiledModelSection(a) }, [a.onnx]);
}

/** Decodes a compiled model file and recompiles it; refuses a file whose recompiled block graph differs. */
export function decodeCompiledModel(bytes: Uint8Array): CompiledModelArtifact {
  const { header, blobs } = decodeContainer(bytes, 'compiled-model');
  return readCompiledModelSection(header.model, blobs[0]);
}

// ---------------------------------------------------------------------------------------------------------
// SRS points and model commitment in key files

/** Options of the key decoders. */
export interface KeyFileOptions {
  readonly engine?: Engine;
  /** Progress of loading (recompiling, reading the SRS points, checking the model commitment). */
  readonly onProgress?: ProgressListener;
}

/** What a key file says about its SRS: a label, checked against the key's `[τ]₂` when it names a development seed. */
function srsLabelJson(s: SrsSource): Record<string, unknown> {
  return s.kind === 'dev' ? { kind: 'dev', seed: s.seed } : { kind: 'ptau' };
}

/** The SRS label of a key file (a `ptau` label keeps no path: the key file holds the points it needs). */
function readSrsLabel(v: unknown): SrsSource {
  const o = asObject(v, 'srs');
  if (o.kind === 'dev') {
    onlyKeys(o, ['kind', 'seed'], 'srs');
    return { kind: 'dev', seed: asString(o.seed, 'srs.seed') };
  }
  if (o.kind === 'ptau') {
    onlyKeys(o, ['kind'], 'srs');
    return { kind: 'ptau', path: '' };
  }
  throw new ArtifactError(`unknown SRS kind ${JSON.stringify(o.kind)}`);
}

/** Blob 1 of a key file: the G1 powers the key uses, then `[1]₂` and `[τ]₂`, compressed; its hash is the SRS digest. */
function srsPointsBlob(vk: VerifyingKey): Uint8Array {
  const out = new Uint8Array(vk.g1Powers.length * G1_BYTES + 2 * G2_BYTES);
  vk.g1Powers.forEach((p, i) => out.set(encodeG1(p), i * G1_BYTES));
  out.set(encodeG2(vk.kzg.g2One.point), vk.g1Powers.length * G1_BYTES);
  out.set(encodeG2(vk.kzg.g2Tau.point), vk.g1Powers.length * G1_BYTES + G2_BYTES);
  return out;
}

/** {@link Srs.digest} of `count` G1 and 2 G2 powers from their compressed encodings. */
function srsDigestOf(blob: Uint8Array, count: number): Uint8Array {
  const counts = new Uint8Array(8);
  new DataView(counts.buffer).setUint32(0, count, true);
  new DataView(counts.buffer).setUint32(4, 2, true);
  return keccak_256.create().update(new TextEncoder().encode(SRS_DIGEST_DOMAIN)).update(counts).update(blob).digest();
}

/**
 * Reads the SRS points of a key file for a model that needs `count` G1 powers: the size is checked before
 * anything is decoded, every point is validated (on the curve, canonical, G2 in the subgroup), and their
 * digest must be the recorded one.
 */
function readSrsPoints(blob: Uint8Array | undefined, count: number, srsDigest: Uint8Array, onProgress?: ProgressListener): { g1: G1Point[]; g2One: G2Point; g2Tau: G2Point } {
  const size = count * G1_BYTES + 2 * G2_BYTES;
  if (!blob || blob.length !== size) throw new ArtifactError(`the SRS points (blob 1) must be ${size} bytes for ${count} G1 powers, the file has ${blob?.length ?? 0}`);
  if (!equalBytes(srsDigestOf(blob, count), srsDigest)) throw new ArtifactError('the SRS points in the file do not have the recorded SRS digest');
  const g1: G1Point[] = new Array(count);
  const step = Math.max(1, count >> 6);
  for (let i = 0; i < count; i++) {
    g1[i] = pointBytes(decodeG1, blob.subarray(i * G1_BYTES, (i + 1) * G1_BYTES), `[τ^${i}]₁`);
    if (i % step === 0) onProgress?.('SRS points', i, count);
  }
  onProgress?.('SRS points', count, count);
  const at = count * G1_BYTES;
  return { g1, g2One: pointBytes(decodeG2, blob.subarray(at, at + G2_BYTES), '[1]₂'), g2Tau: pointBytes(decodeG2, blob.subarray(at + G2_BYTES), '[τ]₂') };
}

function commitmentJson(c: CommitmentTable): Record<string, string[]> {
  return Object.fromEntries(byName(Object.entries(c)).map(([id, rows]) => [id, rows.map((p) => toHex(encodeG1(p)))]));
}

/** The weight commitments of a key file: exactly one per row of each weight tensor of the model, each validated. */
function readModelCommitment(v: unknown, architecture: Omit<CompiledModel, 'weights'>): CommitmentTable {
  const stored = asObject(v, 'modelCommitment');
  const modelCommitment: CommitmentTable = {};
  for (const t of architecture.graph.tensors) {
    if (t.kind !== 'weight') continue;
    const rows = asArray(stored[t.id], `commitment of weight "${t.id}"`);
    if (rows.length !== t.rows) throw new ArtifactError(`weight "${t.id}" has ${t.rows} rows, the file commits to ${rows.length}`);
    modelCommitment[t.id] = rows.map((p, i) => point(decodeG1, p, `commitment of ${t.id} row ${i}`));
  }
  if (Object.keys(stored).length !== Object.keys(modelCommitment).length) throw new ArtifactError('the file commits to tensors that are not weights of the model');
  return modelCommitment;
}

/** The header and blobs shared by both key files. */
function keySection(compiled: CompiledModelArtifact, srs: SrsSource, vk: VerifyingKey): { header: Record<string, unknown>; blobs: Uint8Array[] } {
  return {
    header: { model: compiledModelSection(compiled), srs: srsLabelJson(srs), srsDigest: toHex(vk.srsDigest), modelCommitment: commitmentJson(vk.modelCommitment), digest: toHex(vk.digest) },
    blobs: [compiled.onnx, srsPointsBlob(vk)],
  };
}

/**
 * Reads a key file's shared part: recompiles the model (options and shapes checked first), validates every
 * point, recomputes the verifying-key digest from the architecture, the commitments and the SRS digest, checks
 * the commitments against the embedded weights (random linear combination, see {@link commitmentsMatch}), and
 * checks a development-SRS label against `[τ]₂`. Nothing is taken on trust and no SRS file is opened.
 */
async function readKeySection(kind: 'proving-key' | 'verifying-key', bytes: Uint8Array, options: KeyFileOptions): Promise<{ compiled: CompiledModelArtifact; srs: SrsSource; vk: VerifyingKey }> {
  const { header, blobs } = decodeContainer(bytes, kind);
  onlyKeys(header, ['format', 'model', 'srs', 'srsDigest', 'modelCommitment', 'digest'], `${kind} header`);
  if (blobs.length !== 2) throw new ArtifactError(`a ${kind} file holds 2 blobs (the ONNX model and the SRS points), this one ${blobs.length}`);
  options.onProgress?.('compile', 0, 1);
  const compiled = readCompiledModelSection(header.model, blobs[0]);
  options.onProgress?.('compile', 1, 1);
  const architecture = architectureOf(compiled.model);
  const srs = readSrsLabel(header.srs);
  const srsDigest = fromHex(header.srsDigest, 'srsDigest', 32);
  const modelCommitment = readModelCommitment(header.modelCommitment, architecture);
  const points = readSrsPoints(blobs[1], architecture.srsG1Powers, srsDigest, options.onProgress);
  if (!points.g1[0].equals(G1_ONE) || !points.g2One.equals(G2_ONE)) throw new ArtifactError('[1]₁ or [1]₂ in the file is not the generator');
  // Flagged whatever the label says when τ is the default seed's; a label naming a seed must be true. The flag is
  // in the digest, so relabelling a development key as a ceremony's changes the digest its proofs were made for.
  const insecureSrs = isInsecureDevTau(points.g2Tau, srs.kind === 'dev' ? [DEV_SEED, srs.seed] : [DEV_SEED]);
  if (srs.kind === 'dev' && !isInsecureDevTau(points.g2Tau, [srs.seed])) throw new ArtifactError('the file names a development SRS seed its [τ]₂ does not come from');
  const digest = verifyingKeyDigest(architecture, modelCommitment, srsDigest, insecureSrs);
  if (!equalBytes(digest, fromHex(header.digest, 'digest', 32))) throw new ArtifactError('the verifying-key digest does not match the architecture, commitments and SRS in the file');
  const kzg = await createKzgKey(options.engine ?? getDefaultEngine(), points.g1, points.g2One, points.g2Tau);
  options.onProgress?.('model commitment', 0, 1);
  if (!(await commitmentsMatch(kzg, architecture.graph, compiled.model.weights, modelCommitment)))
    throw new ArtifactError('the model commitment in the file is not the commitment of the embedded model');
  options.onProgress?.('model commitment', 1, 1);
  return { compiled, srs, vk: { model: architecture, modelCommitment, srsDigest, kzg, g1Powers: points.g1, digest, insecureSrs } };
}

// ---------------------------------------------------------------------------------------------------------
// Proving key

/** A proving key with what it was made from. */
export interface ProvingKeyArtifact {
  readonly compiled: CompiledModelArtifact;
  readonly srs: SrsSource;
  readonly pk: ProvingKey;
}

/**
 * Encodes a proving key file: the setup result (the compiled model, the model commitment, the SRS points it
 * uses, the digests), so that loading it neither opens an SRS file nor reruns setup.
 */
export function encodeProvingKey(a: ProvingKeyArtifact): Uint8Array {
  const { header, blobs } = keySection(a.compiled, a.srs, a.pk.vk);
  return encodeContainer('proving-key', header, blobs);
}

/**
 * Decodes a proving key file with no SRS file and no setup: recompiles the model (options and shapes checked
 * first), validates every point, recomputes the verifying-key digest, and checks the model commitment against
 * the embedded weights; progress through `options.onProgress`.
 */
export async function decodeProvingKey(bytes: Uint8Array, options: KeyFileOptions = {}): Promise<ProvingKeyArtifact> {
  const { compiled, srs, vk } = await readKeySection('proving-key', bytes, options);
  return { compiled, srs, pk: { vk, model: compiled.model } };
}

// ---------------------------------------------------------------------------------------------------------
// Verifying key

/** A verifying key with what it was made from. */
export interface VerifyingKeyArtifact {
  readonly compiled: CompiledModelArtifact;
  readonly srs: SrsSource;
  readonly vk: VerifyingKey;
}

/** The architecture of a compiled model: everything but the weights (and the quantized model that holds them). */
function architectureOf(model: CompiledWithQuant): Omit<CompiledModel, 'weights'> {
  const { weights: _weights, quant: _quant, ...architecture } = model;
  return architecture;
}

/**
 * Encodes a verifying key file: the compiled model, the model commitment (every weight row's commitment,
 * compressed G1), the SRS points the verifier needs and the digests. It verifies alone: no `.ptau` file.
 */
export function encodeVerifyingKey(a: VerifyingKeyArtifact): Uint8Array {
  const { header, blobs } = keySection(a.compiled, a.srs, a.vk);
  return encodeContainer('verifying-key', header, blobs);
}

/**
 * Decodes a verifying key file, which needs no SRS file: the same checks as {@link decodeProvingKey}, and a
 * development-SRS label checked against `[τ]₂`. Any inconsistency is a typed error.
 */
export async function decodeVerifyingKey(bytes: Uint8Array, options: KeyFileOptions = {}): Promise<VerifyingKeyArtifact> {
  return readKeySection('verifying-key', bytes, options);
}

/** The verifying-key part of a proving key, for writing the two files of a setup. */
export function verifyingKeyArtifact(a: ProvingKeyArtifact): VerifyingKeyArtifact {
  return { compiled: a.compiled, srs: a.srs, vk: a.pk.vk };
}

// ---------------------------------------------------------------------------------------------------------
// Proof

/**
 * A proof file's content. Only what the proof binds: the statement (absorbed by the transcript) and the
 * digest of the verifying key it was made for (checked against the key before verifying). The path is
 * always `direct` (a version 2 proof is one argument); outputs are not stored, {@link verifyProofFile} decodes them from the statement.
 */
export interface ProofArtifact {
  /** Digest of the verifying key the proof was made for. */
  readonly verifyingKeyDigest: Uint8Array;
  readonly statement: Statement;
  readonly proof: Pick<ModelProof, 'bytes' | 'path'>;
}

const rowsJson = (t: Statement['inputs']) => Object.fromEntries(byName(Object.entries(t)).map(([id, rows]) => [id, rows.map((r) => r.map(String))]));

function readRows(v: unknown, what: string): Statement['inputs'] {
  return Object.fromEntries(
    Object.entries(asObject(v, what)).map(([id, rows]) => [
      id,
      asArray(rows, `${what} "${id}"`).map((row, r) => asArray(row, `${what} "${id}" row ${r}`).map((x) => asBigint(x, `${what} "${id}" row ${r} value`))),
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

/** A statement in JSON: integer rows by tensor id, every integer a decimal string (they exceed 2^53). */
export interface StatementJson {
  readonly inputs: Record<string, string[][]>;
  readonly outputs: Record<string, string[][]>;
}

/** The JSON form of a statement (see {@link StatementJson}). */
export function statementToJson(st: Statement): StatementJson {
  return { inputs: rowsJson(st.inputs), outputs: rowsJson(st.outputs) };
}

/** A statement from its JSON form; anything else is an {@link ArtifactError} naming the field. */
export function statementFromJson(json: unknown): Statement {
  const st = asObject(json, 'statement');
  onlyKeys(st, ['inputs', 'outputs'], 'statement');
  return { inputs: readRows(st.inputs, 'input'), outputs: readRows(st.outputs, 'output') };
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

/** A proof from its JSON form (structure only: {@link verify} decides), with the same checks as {@link decodeProof}. */
export function proofFromJson(json: unknown): ProofArtifact {
  try {
    const o = asObject(json, 'proof JSON');
    onlyKeys(o, ['format', 'verifyingKeyDigest', 'statement', 'proof'], 'proof JSON');
    if (o.format !== 'blockfold/proof+json') throw new ArtifactError(`proof JSON format is ${JSON.stringify(o.format)}, expected "blockfold/proof+json"`);
    const bytes = fromBase64(asString(o.proof, 'proof'));
    return { verifyingKeyDigest: fromHex(o.verifyingKeyDigest, 'verifyingKeyDigest', 32), statement: statementFromJson(o.statement), proof: { bytes, path: 'direct' } };
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

/**
 * Decodes a proof file (structure only: {@link verifyProofFile} decides whether the proof holds). A header
 * field this version does not write is refused: nothing in the file goes unchecked.
 */
export function decodeProof(bytes: Uint8Array): ProofArtifact {
  const { header, blobs } = decodeContainer(bytes, 'proof');
  onlyKeys(header, ['format', 'verifyingKeyDigest', 'statement'], 'proof header');
  const proofBytes = blobs[0];
  if (!proofBytes || blobs.length !== 1) throw new ArtifactError('a proof file holds exactly one blob, the proof');
  return {
    verifyingKeyDigest: fromHex(header.verifyingKeyDigest, 'verifyingKeyDigest', 32),
    statement: statementFromJson(header.statement),
    proof: { bytes: proofBytes, path: 'direct' },
  };
}

/**
 * Verifies a proof file against a verifying key and reports only what the proof binds: acceptance and the
 * outputs decoded from the verified statement with the key's scales (see {@link verify}). A malformed file
 * or a proof made for another key is a rejection with a reason.
 */
export function verifyProofFile(vk: VerifyingKey, proofFile: Uint8Array): Promise<VerifyResult> {
  return verifyDecoded(vk, () => decodeProof(proofFile));
}

/** {@link verifyProofFile} for the JSON form of a proof (see {@link ProofJson}). */
export function verifyProofJson(vk: VerifyingKey, json: unknown): Promise<VerifyResult> {
  return verifyDecoded(vk, () => proofFromJson(json));
}

async function verifyDecoded(vk: VerifyingKey, decode: () => ProofArtifact): Promise<VerifyResult> {
  let proof: ProofArtifact;
  try {
    proof = decode();
  } catch (e) {
    if (e instanceof BlockfoldError) return { ok: false, reason: e.message };
    throw e;
  }
  if (!(vk?.digest instanceof Uint8Array)) return verify(vk, proof.statement, proof.proof.bytes);
  if (!equalBytes(proof.verifyingKeyDigest, vk.digest))
    return { ok: false, reason: `the proof was made for another verifying key (digest ${toHex(proof.verifyingKeyDigest)}, this key's is ${toHex(vk.digest)})` };
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

function sampleTensor(spec: InputSpec, values: unknown, where: string): Tensor {
  const flat = Array.isArray(values) ? (values as unknown[]).flat(Infinity) : [values];
  const size = spec.shape.reduce((a, b) => a * b, 1);
  if (flat.length !== size) throw new InputError(spec.name, `${where} has ${flat.length} values, the input of shape [${spec.shape.join(', ')}] needs ${size}`);
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
    if (!Array.isArray(data) || data.length !== inputs.length)
      throw new BlockfoldError('INPUT', `input_data must hold one array per model input (${inputs.length})`);
    return [Object.fromEntries(inputs.map((spec, i) => [spec.name, sampleTensor(spec, data[i], `input_data[${i}]`)]))];
  }
  if ('shape' in o && ('pixels' in o || 'data' in o)) {
    if (inputs.length !== 1) throw new BlockfoldError('INPUT', 'the {shape, data} form is for single-input models');
    const shape = o.shape;
    const data = o.pixels ?? o.data;
    if (!Array.isArray(shape) || !Number.isSafeInteger(shape[0]) || !Array.isArray(data)) throw bad();
    const n = shape[0] as number;
    const per = inputs[0].shape.reduce((a, b) => a * b, 1);
    if (n < 1 || data.length !== n * per) throw new InputError(inputs[0].name, `${data.length} values do not make ${n} samples of ${per}`);
    return Array.from({ length: n }, (_, i) => ({ [inputs[0].name]: sampleTensor(inputs[0], data.slice(i * per, (i + 1) * per), `sample ${i}`) }));
  }
  return [sampleByName(o, inputs, 'the input file')];
}
