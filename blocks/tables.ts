/**
 * Public lookup tables, and the cache of the public selectors' commitments.
 *
 * A table is a list of entries: one column (range checks, `x ∈ [lo, hi)`) or two columns (`(x, f(x))` pairs of
 * a nonlinearity or a requantization). It is public: prover and verifier build it from its parameters, and the
 * lookup block reads it as a public polynomial that the verifier evaluates itself (docs/soundness.md rule 4), so
 * no table is ever committed. The selectors of padded rows are committed once per (length, SRS), cached here.
 *
 * On H_N (N = the entry count rounded up to a power of two) the table column holds the entries, then copies of
 * entry 0 up to N: duplicates are harmless in logUp (their multiplicity is 0).
 * @module
 */
import { keccak256Concat } from '../src/engine/wasm/keccak';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { G1Point } from '../src/curve';
import { ByteWriter } from '../src/encoding/bytes';
import { encodeFr } from '../src/encoding/points';
import { BlockfoldError } from '../src/errors';
import { frFromSigned } from '../src/field';
import { commitLagrange } from '../src/kzg/commit';
import type { KzgKey } from '../src/kzg/key';
import { nextPowerOfTwo } from '../src/poly/roots';
import { EvaluationDomain } from '../src/poly/domain';
import type { Engine } from '../src/engine/engine';

/** The largest table the lookup block accepts. */
export const MAX_TABLE_ENTRIES = 1 << 16;

/** A public lookup table of signed integers. */
export interface LookupTable {
  /** Describes the table and its parameters (part of the digest and of fold keys). */
  readonly name: string;
  /** The first column x (signed integers). */
  readonly inputs: readonly bigint[];
  /** The second column y = f(x) of a two-column table; absent for one-column tables. */
  readonly outputs?: readonly bigint[];
  /**
   * Keccak-256 (hex) of the column count, the length-prefixed name, the entry count and the entries: identifies
   * the table in caches and fold keys. Every field is prefixed by its length or has a fixed width, so the
   * encoding is injective (a name cannot absorb the bytes of an entry).
   */
  readonly digest: string;
}


/** Builds a table from its entries; a {@link BlockfoldError} if it is empty, too large, or its columns differ in length. */
export function makeTable(name: string, inputs: readonly bigint[], outputs?: readonly bigint[]): LookupTable {
  if (inputs.length === 0 || inputs.length > MAX_TABLE_ENTRIES)
    throw new BlockfoldError('BLOCK', `table ${name}: ${inputs.length} entries, expected 1..${MAX_TABLE_ENTRIES}`);
  if (outputs && outputs.length !== inputs.length) throw new BlockfoldError('BLOCK', `table ${name}: ${inputs.length} inputs but ${outputs.length} outputs`);
  // One hash of every part on the kernels: noble's incremental Keccak costs an update per 32-byte entry, which was
  // most of reading the attention model's verifying key (its tables are rebuilt from the architecture).
  const parts = [new ByteWriter().string('blockfold/table/v2').u8(outputs ? 2 : 1).string(name).u32(inputs.length).bytes()];
  for (let i = 0; i < inputs.length; i++) {
    parts.push(encodeFr(frFromSigned(inputs[i])));
    if (outputs) parts.push(encodeFr(frFromSigned(outputs[i])));
  }
  return { name, inputs, outputs, digest: bytesToHex(keccak256Concat(parts)) };
}

/** Range check `x ∈ [lo, hi)`: one column `lo, lo + 1, …, hi − 1`. */
export function rangeTable(lo: bigint, hi: bigint): LookupTable {
  const inputs: bigint[] = [];
  for (let x = lo; x < hi; x++) inputs.push(x);
  return makeTable(`range[${lo},${hi})`, inputs);
}

/** The two-column table `(x, f(x))` for x in `[lo, hi)`. `name` must identify f and its parameters. */
export function functionTable(name: string, lo: bigint, hi: bigint, f: (x: bigint) => bigint): LookupTable {
  const inputs: bigint[] = [];
  const outputs: bigint[] = [];
  for (let x = lo; x < hi; x++) {
    inputs.push(x);
    outputs.push(f(x));
  }
  return makeTable(`${name}[${lo},${hi})`, inputs, outputs);
}

/** ReLU `(x, max(x, 0))` on `[lo, hi)`. */
export function reluTable(lo: bigint, hi: bigint): LookupTable {
  return functionTable('relu', lo, hi, (x) => (x > 0n ? x : 0n));
}

/** `floor(a / 2^k)` for signed a (BigInt division truncates toward zero). */
export function floorShift(a: bigint, k: number): bigint {
  return a >> BigInt(k);
}

/**
 * Requantization: `y = clamp(floor((x + 2^(k−1)) / 2^k), outLo, outHi − 1)` (round to nearest, ties toward +∞, the
 * rounding of the rescale block) for x in `[lo, hi)`.
 */
export function requantTable(lo: bigint, hi: bigint, k: number, outLo: bigint, outHi: bigint): LookupTable {
  const half = k > 0 ? 1n << BigInt(k - 1) : 0n;
  return functionTable(`requant/k=${k}/out[${outLo},${outHi})`, lo, hi, (x) => {
    const y = floorShift(x + half, k);
    return y < outLo ? outLo : y >= outHi ? outHi - 1n : y;
  });
}

/** Fixed-point scales of a nonlinearity table: x encodes `x / 2^inputScale`, y encodes `y / 2^outputScale`. */
export interface FixedPointScales {
  readonly inputScale: number;
  readonly outputScale: number;
}

/**
 * `(x, round(g(x / 2^s_in) · 2^s_out))` for x in `[lo, hi)`, rounding half toward +∞. The float g runs in
 * double precision (V8's fdlibm-derived Math functions, identical on every platform), and the table is
 * identified by its digest, so prover and verifier agree on every entry or fail to match.
 */
export function fixedPointTable(name: string, g: (x: number) => number, lo: bigint, hi: bigint, scales: FixedPointScales): LookupTable {
  const inScale = 2 ** scales.inputScale;
  const outScale = 2 ** scales.outputScale;
  return functionTable(`${name}/in=${scales.inputScale}/out=${scales.outputScale}`, lo, hi, (x) => {
    const y = Math.floor(g(Number(x) / inScale) * outScale + 0.5);
    if (!Number.isSafeInteger(y)) throw new BlockfoldError('BLOCK', `table ${name}: g(${x}) overflows the fixed-point range`);
    return BigInt(y);
  });
}

/** Logistic sigmoid `1 / (1 + e^(−x))`. */
export function sigmoidTable(lo: bigint, hi: bigint, scales: FixedPointScales): LookupTable {
  return fixedPointTable('sigmoid', (x) => 1 / (1 + Math.exp(-x)), lo, hi, scales);
}

/** Hyperbolic tangent. */
export function tanhTable(lo: bigint, hi: bigint, scales: FixedPointScales): LookupTable {
  return fixedPointTable('tanh', Math.tanh, lo, hi, scales);
}

/** `e^x` (the caller keeps hi small enough for the output scale, softmax subtracts the max first). */
export function expTable(lo: bigint, hi: bigint, scales: FixedPointScales): LookupTable {
  return fixedPointTable('exp', Math.exp, lo, hi, scales);
}

/** GELU in its tanh form `x/2·(1 + tanh(√(2/π)·(x + 0.044715·x³)))` (ONNX Gelu approximate="tanh"). */
export function geluTable(lo: bigint, hi: bigint, scales: FixedPointScales): LookupTable {
  const c = Math.sqrt(2 / Math.PI);
  return fixedPointTable('gelu', (x) => 0.5 * x * (1 + Math.tanh(c * (x + 0.044715 * x * x * x))), lo, hi, scales);
}

/** N: the number of entries rounded up to a power of two (the table's domain size). */
export function tableDomain(table: LookupTable): number {
  return nextPowerOfTwo(table.inputs.length);
}

/** A table column on H_N as field elements: the entries, then copies of entry 0. */
export function tableColumn(table: LookupTable, column: 'inputs' | 'outputs'): bigint[] {
  const values = table[column];
  if (!values) throw new BlockfoldError('BLOCK', `table ${table.name} has one column`);
  const n = tableDomain(table);
  const out = new Array<bigint>(n);
  for (let i = 0; i < n; i++) out[i] = frFromSigned(values[i < values.length ? i : 0]);
  return out;
}

const interpolants = new WeakMap<LookupTable, Map<'inputs' | 'outputs', readonly bigint[]>>();

/**
 * The interpolant over H_N of a {@link tableColumn}, kept per table: a table is public and fixed, so every proof of
 * every block that reads it would interpolate the same N values. At most two polynomials per table, held as long as
 * the table is (callers must not modify them).
 */
export function tableInterpolant(table: LookupTable, column: 'inputs' | 'outputs', engine: Engine): readonly bigint[] {
  let kept = interpolants.get(table);
  if (!kept) interpolants.set(table, (kept = new Map()));
  let f = kept.get(column);
  if (!f) kept.set(column, (f = new EvaluationDomain(tableDomain(table), engine).ifft(tableColumn(table, column))));
  return f;
}

function entryKey(x: bigint, y: bigint | undefined): string {
  return y === undefined ? `${x}` : `${x},${y}`;
}

const indexCache = new WeakMap<LookupTable, Map<string, number>>();

/** The position of entry (x[, y]) in the table (its first occurrence), or −1. */
export function tablePosition(table: LookupTable, x: bigint, y?: bigint): number {
  let index = indexCache.get(table);
  if (!index) {
    index = new Map();
    for (let i = table.inputs.length - 1; i >= 0; i--) index.set(entryKey(table.inputs[i], table.outputs?.[i]), i);
    indexCache.set(table, index);
  }
  return index.get(entryKey(x, table.outputs ? y : undefined)) ?? -1;
}

/** f(x) for a two-column table; a {@link BlockfoldError} when x is not in its first column. */
export function tableOutput(table: LookupTable, x: bigint): bigint {
  if (!table.outputs) throw new BlockfoldError('BLOCK', `table ${table.name} has one column`);
  const i = firstInput(table).get(x);
  if (i === undefined) throw new BlockfoldError('BLOCK', `${x} is not in the input column of table ${table.name}`);
  return table.outputs[i];
}

const inputIndexCache = new WeakMap<LookupTable, Map<bigint, number>>();

function firstInput(table: LookupTable): Map<bigint, number> {
  let m = inputIndexCache.get(table);
  if (!m) {
    m = new Map();
    for (let i = table.inputs.length - 1; i >= 0; i--) m.set(table.inputs[i], i);
    inputIndexCache.set(table, m);
  }
  return m;
}

const commitmentCache = new Map<string, Promise<G1Point>>();

/**
 * The commitment of a public vector (length a power of two) over its domain: the key's own when it holds one by that
 * digest (`KzgKey.commitments`, a verifier's key read from a file), else computed once per (vector digest,
 * `KzgKey.srsId`: every point of the key) and cached for the life of the process. `digest` must identify the values.
 */
export function publicCommitment(kzg: KzgKey, digest: string, values: () => readonly bigint[]): Promise<G1Point> {
  const held = kzg.commitments?.get(digest);
  if (held) return Promise.resolve(held);
  const key = `${kzg.srsId}/${digest}`;
  let c = commitmentCache.get(key);
  if (!c) {
    c = commitLagrange(kzg, values());
    commitmentCache.set(key, c);
    c.catch(() => commitmentCache.delete(key));
  }
  return c;
}

/** The selector of the first `length` cells of H_n: 1 on cells `0 … length − 1`, 0 on the padding. */
export function selectorVector(n: number, length: number): bigint[] {
  return new Array<bigint>(n).fill(0n).fill(1n, 0, Math.max(length, 0));
}

/** The digest that names {@link selectorVector}`(n, length)` among public commitments ({@link publicCommitment}). */
export function selectorDigest(n: number, length: number): string {
  return `selector/${n}/${length}`;
}

/** `[q(τ)]₁` of {@link selectorVector}, cached; `[1]₁` when the row has no padding (q = 1). */
export function selectorCommitment(kzg: KzgKey, n: number, length: number): Promise<G1Point> {
  if (length === n) return Promise.resolve(kzg.g1One.point);
  return publicCommitment(kzg, selectorDigest(n, length), () => selectorVector(n, length));
}
