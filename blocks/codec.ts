/**
 * Block codecs: the canonical binary encoding of a block's **public parameters** (shapes, tables, index maps,
 * scales), from which the block is rebuilt exactly. A key file stores the block graph this way, so `prove` and
 * `verify` never recompile a model, and the verifying-key digest, a hash of these bytes, binds every public
 * parameter of every block into each proof's transcript (docs/soundness.md rule 4: the verifier rebuilds tables
 * and maps from the key, never from the proof).
 *
 * Integers are LEB128 varints (signed ones zig-zag mapped), strings are varint-length UTF-8. A decoder reads from a
 * {@link ParamReader}, which checks every size against the limits of the graph being decoded **before** anything
 * is allocated from it: a count can never exceed the rows or domain of some tensor of the graph, and the cells a
 * map or table spells out are charged to one budget per graph. The writer is the plain `ByteWriter`.
 * @module
 */
import { ByteReader, type ByteWriter } from '../src/encoding/bytes';
import { EncodingError } from '../src/errors';
import { HALF_R, R } from '../src/field';
import { isPowerOfTwo, TWO_ADICITY } from '../src/poly/roots';
import type { Block } from './block';

/** The longest name (tensor, table, map label: a gather's label lists its indices) a block parameter may hold, in UTF-8 bytes. */
export const MAX_PARAM_NAME_BYTES = 1 << 20;

/** The encoder and decoder of one block kind's public parameters. */
export interface BlockCodec<B extends Block = Block> {
  /** The {@link Block.kind} this codec handles. */
  readonly kind: string;
  /** Writes every public parameter of `block` (everything its constructor takes), canonically. */
  encode(block: B, w: ByteWriter): void;
  /** Rebuilds the block; sizes are read through `r`, which enforces the graph's limits. */
  decode(r: ParamReader): B;
}

/** Upper bounds a decoded block must respect, from the graph it belongs to. */
export interface ParamLimits {
  /** The most rows of any tensor of the graph. */
  readonly rows: number;
  /** The largest domain of any tensor of the graph. */
  readonly domain: number;
}

/** Cells (map entries, table entries) one whole graph may spell out: a budget shared by all its blocks. */
export class CellBudget {
  constructor(private left: number) {}

  /** Charges `n` cells for `what`; an {@link EncodingError} once the budget is spent. */
  spend(n: number, what: string): void {
    if (!(n <= this.left)) throw new EncodingError(`${what}: ${n} cells exceed what is left of the graph's limit (${this.left})`);
    this.left -= n;
  }
}

/** Writes a varint-length UTF-8 string (see {@link ParamReader.name}). */
export function writeName(w: ByteWriter, s: string): void {
  const b = new TextEncoder().encode(s);
  w.uvarint(b.length).write(b);
}

/** Reads block parameters with the graph's limits; every violation is an {@link EncodingError} naming the field. */
export class ParamReader {
  constructor(
    private readonly r: ByteReader,
    readonly limits: ParamLimits,
    readonly budget: CellBudget,
  ) {}

  /** The same bytes, budget and position, read with other limits (once the graph's tensors are known). */
  withLimits(limits: ParamLimits): ParamReader {
    return new ParamReader(this.r, limits, this.budget);
  }

  /** A reader over `bytes` alone (one block's parameters), with the same limits and budget. */
  sub(bytes: Uint8Array): ParamReader {
    return new ParamReader(new ByteReader(bytes), this.limits, this.budget);
  }

  /** Bytes left, an upper bound on the items still to read (each takes at least one byte). */
  get remaining(): number {
    return this.r.remaining;
  }

  /** An integer in `[min, max]`. */
  uint(max: number, what: string, min = 0): number {
    const v = this.r.uvarint(max, what);
    if (v < min) throw new EncodingError(`${what} = ${v} is below ${min}`);
    return v;
  }

  /** A count of items that each take at least one more byte: no larger than the bytes left (nor `max`). */
  count(max: number, what: string): number {
    return this.uint(Math.min(max, this.r.remaining), what);
  }

  /** A row count: 1 up to the most rows of any tensor of the graph. */
  rows(what: string): number {
    return this.uint(this.limits.rows, what, 1);
  }

  /** A domain size: a power of two, 1 up to the graph's largest domain. */
  domain(what: string): number {
    const n = this.uint(Math.min(this.limits.domain, 2 ** TWO_ADICITY), what, 1);
    if (!isPowerOfTwo(n)) throw new EncodingError(`${what} = ${n} is not a power of two`);
    return n;
  }

  /** A signed integer that maps to the field without wrapping: `|v| ≤ (r − 1)/2`. */
  int(what: string): bigint {
    return this.r.svarint(HALF_R, what);
  }

  /** A difference of two such integers: `|d| < r`. */
  delta(what: string): bigint {
    return this.r.svarint(R - 1n, what);
  }

  /** Refuses a value computed from deltas that left the field's signed range. */
  checkInt(v: bigint, what: string): void {
    if (v > HALF_R || -v > HALF_R) throw new EncodingError(`${what} = ${v} is outside the field's signed range`);
  }

  /** A small signed number (a fixed-point scale), `|v| ≤ 2^20`. */
  smallInt(what: string): number {
    return Number(this.r.svarint(1n << 20n, what));
  }

  /** A boolean byte, 0 or 1. */
  flag(what: string): boolean {
    const b = this.r.u8(what);
    if (b > 1) throw new EncodingError(`${what} must be 0 or 1, got ${b}`);
    return b === 1;
  }

  /** A varint-length UTF-8 string of at most {@link MAX_PARAM_NAME_BYTES} bytes. */
  name(what: string): string {
    const b = this.r.take(this.uint(MAX_PARAM_NAME_BYTES, `${what} length`), what);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(b);
    } catch (e) {
      throw new EncodingError(`${what} is not valid UTF-8`, { cause: e });
    }
  }

  /** `n` raw bytes. */
  bytes(n: number, what: string): Uint8Array {
    return this.r.take(n, what);
  }

  /** Asserts that every byte was read. */
  finish(what: string): void {
    this.r.finish(what);
  }
}
