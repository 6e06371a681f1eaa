/**
 * Canonical encodings of Fr, G1, G2 and GT.
 *
 * - Fr: 32 bytes, big-endian, `< r`.
 * - G1: 32 bytes, the x coordinate big-endian; the two top bits of the first byte are flags
 *   (bit 7: point at infinity, then every other bit is zero; bit 6: y is the larger root, `y > (p−1)/2`).
 * - G1 uncompressed: 64 bytes, `x ‖ y` big-endian; bit 7 of the first byte flags the point at infinity (every
 *   other bit zero). Decoding checks `y² = x³ + 3` (two products) instead of taking a square root, so a file
 *   holding thousands of points (a key's powers of τ) decodes an order of magnitude faster, for twice the bytes.
 * - G2: 64 bytes, `x.c1 ‖ x.c0` big-endian (EVM order), the same two flags in the first byte; "larger"
 *   compares `y.c1` first and `y.c0` when `y.c1 = 0`.
 * - GT: 12 Fp coefficients, 384 bytes (noble's Fp12 byte order), checked to lie in the order-r subgroup.
 *
 * Decoding validates everything: coordinates below p, the point on the curve, G2 and GT in the
 * prime-order subgroup, no flag bits on a field element. A failure is an {@link EncodingError}.
 * @module
 */
import { bn254 } from '@noble/curves/bn254.js';
import { Fp12, G1, G2, type G1Point, type G2Point, type GtElement } from '../curve';
import { EncodingError } from '../errors';
import { Fp, R } from '../field';
import { bytesToBigintBE } from './bytes';
import { g1YsFromXs } from './g1-y';

export const FR_BYTES = 32;
export const G1_BYTES = 32;
export const G1_UNCOMPRESSED_BYTES = 64;
export const G2_BYTES = 64;
export const GT_BYTES = 384;

const P = Fp.ORDER;
const HALF_P = (P - 1n) >> 1n;
const FLAG_INFINITY = 0x80;
const FLAG_LARGER = 0x40;
/** The 254 bits of a 32-byte G1 encoding below its two flag bits. */
const FLAG_FREE = (1n << 254n) - 1n;
const Fp2 = bn254.fields.Fp2;
type Fp2Element = ReturnType<typeof Fp2.create>;

/** A 32-byte area and a view of it, where integers are split into bytes before they are copied out. */
const SCRATCH = new Uint8Array(32);
const SCRATCH_VIEW = new DataView(SCRATCH.buffer);

/** Writes `0 ≤ x < 2^256` (callers pass values below p or r) as 32 big-endian bytes at `out[at … at+32)`: four 64-bit words, not 32 bigint shifts. */
function write32BE(x: bigint, out: Uint8Array, at: number): void {
  SCRATCH_VIEW.setBigUint64(24, BigInt.asUintN(64, x));
  SCRATCH_VIEW.setBigUint64(16, BigInt.asUintN(64, x >> 64n));
  SCRATCH_VIEW.setBigUint64(8, BigInt.asUintN(64, x >> 128n));
  SCRATCH_VIEW.setBigUint64(0, BigInt.asUintN(64, x >> 192n));
  out.set(SCRATCH, at);
}

/** 32 big-endian bytes of `0 ≤ x < 2^256` ({@link write32BE} into a new array). */
function to32BE(x: bigint): Uint8Array {
  const out = new Uint8Array(32);
  write32BE(x, out, 0);
  return out;
}

/** The integer `Σ_i b[at+i]·2^(8·(31−i))` of 32 big-endian bytes `b[at … at+32)` (read as four 64-bit words). */
export function from32BE(b: Uint8Array, at = 0): bigint {
  const dv = new DataView(b.buffer, b.byteOffset + at, 32);
  return (dv.getBigUint64(0) << 192n) | (dv.getBigUint64(8) << 128n) | (dv.getBigUint64(16) << 64n) | dv.getBigUint64(24);
}

/** Encodes a canonical scalar. */
export function encodeFr(x: bigint): Uint8Array {
  const out = new Uint8Array(FR_BYTES);
  writeEncodedFr(x, out, 0);
  return out;
}

/** Writes {@link encodeFr}`(x)` at `out[at … at+32)` (a transcript hashes it where it is written). */
export function writeEncodedFr(x: bigint, out: Uint8Array, at: number): void {
  if (x < 0n || x >= R) throw new EncodingError('scalar is not a canonical Fr element');
  write32BE(x, out, at);
}

/** Decodes 32 bytes into a scalar, rejecting values ≥ r. */
export function decodeFr(b: Uint8Array): bigint {
  if (b.length !== FR_BYTES) throw new EncodingError(`Fr encoding must be ${FR_BYTES} bytes, got ${b.length}`);
  const x = from32BE(b);
  if (x >= R) throw new EncodingError('Fr encoding is not canonical (value ≥ r)');
  return x;
}

/**
 * Encodings by point object (points are immutable): a point absorbed or fingerprinted again (a public SRS
 * point in every leaf, a wire commitment in the statements of two leaves, a decoded message) is not
 * normalized again. Callers get a copy.
 */
const g1Encodings = new WeakMap<G1Point, Uint8Array>();
const g2Encodings = new WeakMap<G2Point, Uint8Array>();

/** Compressed G1 encoding. */
export function encodeG1(p: G1Point): Uint8Array {
  return cachedEncodingG1(p).slice();
}

/** Writes {@link encodeG1}`(p)` at `out[at … at+32)`, without the copy that `encodeG1` hands its caller. */
export function writeEncodedG1(p: G1Point, out: Uint8Array, at: number): void {
  out.set(cachedEncodingG1(p), at);
}

function cachedEncodingG1(p: G1Point): Uint8Array {
  let e = g1Encodings.get(p);
  if (e === undefined) g1Encodings.set(p, (e = encodeG1Uncached(p)));
  return e;
}

function encodeG1Uncached(p: G1Point): Uint8Array {
  const out = new Uint8Array(G1_BYTES);
  // Z is canonical, so this is noble's is0() (which compares with ZERO by four products) for any point.
  if (p.Z === 0n) {
    out[0] = FLAG_INFINITY;
    return out;
  }
  const { x, y } = p.toAffine();
  out.set(to32BE(x));
  if (y > HALF_P) out[0] |= FLAG_LARGER;
  return out;
}

/** Decodes and validates a compressed G1 point. */
export function decodeG1(b: Uint8Array): G1Point {
  return decodeG1s([b])[0];
}

/**
 * A compressed G1 encoding's abscissa, or undefined for its point at infinity, checked as far as needs no root (the
 * sign flag is read from the encoding where its root is chosen).
 */
function parseG1(b: Uint8Array): bigint | undefined {
  if (b.length !== G1_BYTES) throw new EncodingError(`G1 encoding must be ${G1_BYTES} bytes, got ${b.length}`);
  const flags = b[0] & 0xc0;
  // The flags are the top two bits of the big-endian integer: cleared on the integer, not on (a copy of) the bytes.
  const x = from32BE(b) & FLAG_FREE;
  if (flags & FLAG_INFINITY) {
    if (flags !== FLAG_INFINITY || x !== 0n) throw new EncodingError('G1 infinity encoding has stray bits');
    return undefined;
  }
  if (x >= P) throw new EncodingError('G1 x coordinate is not below p');
  return x;
}

/**
 * Decodes and validates compressed G1 points: {@link decodeG1} of each, in order, with their square roots taken
 * in one batch (`g1YsFromXs`). A malformed encoding throws the error that decoding them one by one would throw
 * first: the checks that need no root run in order up to the first failure, the roots are taken for the
 * encodings before it, and a point among those that is not on the curve (or flags the sign of y = 0) comes first.
 * The encodings each point keeps (for {@link encodeG1}) are copied into one array for the batch.
 */
export function decodeG1s(encodings: readonly Uint8Array[]): G1Point[] {
  const points = new Array<G1Point>(encodings.length);
  // The finite points' abscissas and their places in `encodings`.
  const xs: bigint[] = [];
  const at: number[] = [];
  let failure: unknown;
  for (let i = 0; i < encodings.length; i++) {
    try {
      const x = parseG1(encodings[i]);
      if (x === undefined) points[i] = G1.ZERO;
      else {
        xs.push(x);
        at.push(i);
      }
    } catch (e) {
      failure = e;
      break;
    }
  }
  const roots = g1YsFromXs(xs);
  const kept = new Uint8Array(G1_BYTES * xs.length);
  for (let j = 0; j < xs.length; j++) {
    const b = encodings[at[j]];
    let y = roots[j];
    if (y === undefined) throw new EncodingError('G1 point is not on the curve');
    const larger = (b[0] & FLAG_LARGER) !== 0;
    if (y > HALF_P !== larger) y = Fp.neg(y);
    if (y === 0n && larger) throw new EncodingError('G1 encoding sets the sign flag for y = 0');
    const point = G1.fromAffine({ x: xs[j], y });
    const encoding = kept.subarray(G1_BYTES * j, G1_BYTES * (j + 1));
    encoding.set(b);
    g1Encodings.set(point, encoding);
    points[at[j]] = point;
  }
  if (failure !== undefined) throw failure;
  return points;
}

function fp2IsLarger(y: Fp2Element): boolean {
  return y.c1 !== 0n ? y.c1 > HALF_P : y.c0 > HALF_P;
}

/** Uncompressed G1 encoding `x ‖ y` (see the module comment). */
export function encodeG1Uncompressed(p: G1Point): Uint8Array {
  const out = new Uint8Array(G1_UNCOMPRESSED_BYTES);
  if (p.is0()) {
    out[0] = FLAG_INFINITY;
    return out;
  }
  const { x, y } = p.toAffine();
  out.set(to32BE(x));
  out.set(to32BE(y), 32);
  return out;
}

/**
 * Decodes and validates an uncompressed G1 point: coordinates below p and `y² = x³ + 3` (G1 has cofactor 1, so
 * that is subgroup membership too). The point's compressed encoding is derived from (x, y) without a square
 * root and remembered, so {@link encodeG1} of the result costs nothing (a key file hashes its SRS points in
 * compressed form).
 */
export function decodeG1Uncompressed(b: Uint8Array): G1Point {
  if (b.length !== G1_UNCOMPRESSED_BYTES) throw new EncodingError(`uncompressed G1 encoding must be ${G1_UNCOMPRESSED_BYTES} bytes, got ${b.length}`);
  const flags = b[0] & 0xc0;
  if (flags & FLAG_INFINITY) {
    if (flags !== FLAG_INFINITY || (b[0] & 0x3f) !== 0 || b.subarray(1).some((v) => v !== 0)) throw new EncodingError('G1 infinity encoding has stray bits');
    return G1.ZERO;
  }
  if (flags !== 0) throw new EncodingError('uncompressed G1 encoding has flag bits set on a finite point');
  const x = from32BE(b);
  const y = from32BE(b, 32);
  if (x >= P || y >= P) throw new EncodingError('G1 coordinate is not below p');
  if (Fp.sqr(y) !== Fp.add(Fp.mul(Fp.sqr(x), x), 3n)) throw new EncodingError('G1 point is not on the curve');
  const point = G1.fromAffine({ x, y });
  // The first 32 bytes are x big-endian with no flag set (checked above): the compressed encoding, once its sign is set.
  const compressed = b.slice(0, 32);
  if (y > HALF_P) compressed[0] |= FLAG_LARGER;
  g1Encodings.set(point, compressed);
  return point;
}

/** Compressed G2 encoding. */
export function encodeG2(p: G2Point): Uint8Array {
  let e = g2Encodings.get(p);
  if (e === undefined) g2Encodings.set(p, (e = encodeG2Uncached(p)));
  return e.slice();
}

function encodeG2Uncached(p: G2Point): Uint8Array {
  const out = new Uint8Array(G2_BYTES);
  if (p.is0()) {
    out[0] = FLAG_INFINITY;
    return out;
  }
  const { x, y } = p.toAffine();
  out.set(to32BE(x.c1), 0);
  out.set(to32BE(x.c0), 32);
  if (fp2IsLarger(y)) out[0] |= FLAG_LARGER;
  return out;
}

/** Decodes and validates a compressed G2 point, including the prime-order subgroup check. */
export function decodeG2(b: Uint8Array): G2Point {
  if (b.length !== G2_BYTES) throw new EncodingError(`G2 encoding must be ${G2_BYTES} bytes, got ${b.length}`);
  const flags = b[0] & 0xc0;
  // A copy whatever `b` is: a Node Buffer's slice() is a view, and clearing the flags in it would change the caller's bytes.
  const body = Uint8Array.from(b);
  body[0] &= 0x3f;
  if (flags & FLAG_INFINITY) {
    if (flags !== FLAG_INFINITY || body.some((v) => v !== 0)) throw new EncodingError('G2 infinity encoding has stray bits');
    return G2.ZERO;
  }
  const c1 = from32BE(body, 0);
  const c0 = from32BE(body, 32);
  if (c1 >= P || c0 >= P) throw new EncodingError('G2 x coordinate is not below p');
  const x = Fp2.create({ c0, c1 });
  const rhs = Fp2.add(Fp2.mul(Fp2.sqr(x), x), G2.CURVE().b);
  let y: Fp2Element;
  try {
    y = Fp2.sqrt(rhs);
  } catch (e) {
    throw new EncodingError('G2 point is not on the curve', { cause: e });
  }
  if (!Fp2.eql(Fp2.sqr(y), rhs)) throw new EncodingError('G2 point is not on the curve');
  if (fp2IsLarger(y) !== Boolean(flags & FLAG_LARGER)) y = Fp2.neg(y);
  if (Fp2.is0(y) && flags & FLAG_LARGER) throw new EncodingError('G2 encoding sets the sign flag for y = 0');
  const point = G2.fromAffine({ x, y });
  if (!point.isTorsionFree()) throw new EncodingError('G2 point is not in the prime-order subgroup');
  g2Encodings.set(point, Uint8Array.from(b));
  return point;
}

/** Encodes a GT element as 12 Fp coefficients. */
export function encodeGt(x: GtElement): Uint8Array {
  return Fp12.toBytes(x);
}

/** Decodes a GT element, checking canonical coefficients and membership in the order-r subgroup (`x^r = 1`). */
export function decodeGt(b: Uint8Array): GtElement {
  if (b.length !== GT_BYTES) throw new EncodingError(`GT encoding must be ${GT_BYTES} bytes, got ${b.length}`);
  for (let i = 0; i < 12; i++) {
    if (bytesToBigintBE(b.subarray(i * 32, i * 32 + 32)) >= P) throw new EncodingError('GT coefficient is not below p');
  }
  const x = Fp12.fromBytes(b);
  if (!isInGtSubgroup(x)) throw new EncodingError('GT element is not in the order-r subgroup');
  return x;
}

/** True when `x^r = 1` and x ≠ 0 (so x lies in the subgroup GT of Fp12*). */
export function isInGtSubgroup(x: GtElement): boolean {
  if (Fp12.is0(x)) return false;
  return Fp12.eql(Fp12.pow(x, R), Fp12.ONE);
}

/** Same-value comparison for GT elements. */
export function gtEquals(a: GtElement, b: GtElement): boolean {
  return Fp12.eql(a, b);
}
