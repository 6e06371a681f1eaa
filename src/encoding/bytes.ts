/**
 * Byte buffers with bounds-checked reads: every short read is an {@link EncodingError}, and
 * {@link ByteReader.finish} rejects trailing bytes.
 * @module
 */
import { EncodingError } from '../errors';

/** Appends bytes; `bytes()` returns one contiguous copy. */
export class ByteWriter {
  private chunks: Uint8Array[] = [];
  private size = 0;

  write(bytes: Uint8Array): this {
    this.chunks.push(bytes);
    this.size += bytes.length;
    return this;
  }

  u8(v: number): this {
    return this.write(Uint8Array.of(v & 0xff));
  }

  /** Unsigned 32-bit integer, little-endian. */
  u32(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new EncodingError(`u32 out of range: ${v}`);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v, true);
    return this.write(b);
  }

  /** Unsigned LEB128 varint (7 bits a byte, low groups first) of a safe non-negative integer. */
  uvarint(v: number | bigint): this {
    let x = BigInt(v);
    if (x < 0n || (typeof v === 'number' && !Number.isSafeInteger(v))) throw new EncodingError(`uvarint out of range: ${v}`);
    const out: number[] = [];
    do {
      const low = Number(x & 0x7fn);
      x >>= 7n;
      out.push(x === 0n ? low : low | 0x80);
    } while (x !== 0n);
    return this.write(Uint8Array.from(out));
  }

  /** Signed varint: the zig-zag map `v ↦ 2v` (v ≥ 0), `−2v − 1` (v < 0) then {@link ByteWriter.uvarint}, so small magnitudes take one byte. */
  svarint(v: bigint): this {
    return this.uvarint(v >= 0n ? v << 1n : ((-v) << 1n) - 1n);
  }

  /** Length-prefixed UTF-8 string. */
  string(s: string): this {
    const b = new TextEncoder().encode(s);
    return this.u32(b.length).write(b);
  }

  get length(): number {
    return this.size;
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }
}

/** Reads from a byte array; never reads past the end. */
export class ByteReader {
  private offset = 0;
  private readonly buf: Uint8Array;
  constructor(buf: Uint8Array) {
    // A plain Uint8Array view of the same bytes: what `take` returns then has the standard slice() (a copy), even when
    // the caller passed a subclass such as a Node Buffer, whose slice() is a view.
    this.buf = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get remaining(): number {
    return this.buf.length - this.offset;
  }

  get position(): number {
    return this.offset;
  }

  take(n: number, what = 'bytes'): Uint8Array {
    if (!Number.isInteger(n) || n < 0 || this.offset + n > this.buf.length)
      throw new EncodingError(`truncated input: needed ${n} bytes for ${what} at offset ${this.offset}, ${this.remaining} left`);
    const out = this.buf.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  u8(what = 'u8'): number {
    return this.take(1, what)[0];
  }

  u32(what = 'u32'): number {
    const b = this.take(4, what);
    return new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true);
  }

  /** A u32 count, rejected above `max` so a corrupted length cannot trigger a huge allocation. */
  count(max: number, what: string): number {
    const n = this.u32(what);
    if (n > max) throw new EncodingError(`${what} = ${n} exceeds the limit ${max}`);
    return n;
  }

  /**
   * An unsigned LEB128 varint of at most `maxBits` bits. Only the shortest encoding is accepted (no trailing zero
   * group), so every integer has one encoding.
   */
  uvarintBig(maxBits: number, what: string): bigint {
    let x = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const b = this.u8(what);
      if (shift >= BigInt(maxBits)) throw new EncodingError(`${what}: varint longer than ${maxBits} bits`);
      x |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) {
        if (b === 0 && shift > 0n) throw new EncodingError(`${what}: non-canonical varint (trailing zero group)`);
        if (x >> BigInt(maxBits) !== 0n) throw new EncodingError(`${what}: varint longer than ${maxBits} bits`);
        return x;
      }
    }
  }

  /** An unsigned varint no larger than `max` (a safe integer), checked before the caller allocates anything from it. */
  uvarint(max: number, what: string): number {
    const x = this.uvarintBig(53, what);
    if (x > BigInt(max)) throw new EncodingError(`${what} = ${x} exceeds the limit ${max}`);
    return Number(x);
  }

  /** A zig-zag signed varint (see {@link ByteWriter.svarint}) of magnitude at most `maxAbs`. */
  svarint(maxAbs: bigint, what: string): bigint {
    const z = this.uvarintBig(maxAbs.toString(2).length + 2, what);
    const v = (z & 1n) === 0n ? z >> 1n : -((z + 1n) >> 1n);
    if (v > maxAbs || -v > maxAbs) throw new EncodingError(`${what} = ${v} exceeds the magnitude limit ${maxAbs}`);
    return v;
  }

  string(what = 'string', maxBytes = 1 << 16): string {
    const n = this.count(maxBytes, `${what} length`);
    const b = this.take(n, what);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(b);
    } catch (e) {
      throw new EncodingError(`${what} is not valid UTF-8`, { cause: e });
    }
  }

  /** Asserts that every byte was consumed. */
  finish(what = 'input'): void {
    if (this.remaining !== 0) throw new EncodingError(`${this.remaining} trailing bytes after ${what}`);
  }
}

/** Big-endian bytes of a non-negative integer, exactly `len` bytes. */
export function bigintToBytesBE(x: bigint, len: number): Uint8Array {
  const out = new Uint8Array(len);
  let v = x;
  for (let i = len - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  if (v !== 0n) throw new EncodingError(`integer does not fit in ${len} bytes`);
  return out;
}

/** The integer whose big-endian bytes are `b`. */
export function bytesToBigintBE(b: Uint8Array): bigint {
  let hex = '';
  for (let i = 0; i < b.length; i++) hex += b[i].toString(16).padStart(2, '0');
  return hex.length === 0 ? 0n : BigInt('0x' + hex);
}
