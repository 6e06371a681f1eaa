/**
 * Canonical integers ↔ the kernels' word format: each field element as 8 little-endian u32 words, written and read
 * as 4 little-endian u64. A vector goes through a `BigUint64Array` over its words when it can (little-endian platform,
 * 8-byte aligned: the kernels' allocator aligns to 16), whose element stores split a bigint in about half the time of
 * `DataView.setBigUint64` in V8 (and read it back a fifth faster); one element, or unaligned words, through a DataView.
 * @module
 */

/** Whether this platform stores a u64 little-endian, as WebAssembly memory does (a typed array uses the platform's order). */
const LITTLE_ENDIAN = new Uint8Array(new BigUint64Array([1n]).buffer)[0] === 1;

/** The 4·count u64 limbs of `count` words at `offset` as a typed array, when they can be one (see the module comment). */
export function limbs(view: DataView, offset: number, count: number): BigUint64Array | undefined {
  const at = view.byteOffset + offset;
  return LITTLE_ENDIAN && at % 8 === 0 ? new BigUint64Array(view.buffer, at, 4 * count) : undefined;
}

/**
 * Writes `x` (0 ≤ x < 2^256) as 32 little-endian bytes at `offset`. `setBigUint64` stores its argument mod 2^64
 * (ToBigUint64), so limb k is `x >> 64k` stored as it is: one BigInt operation per limb instead of two (half the
 * time of a conversion, which the engine pays for every value it is given).
 */
export function writeWords(view: DataView, offset: number, x: bigint): void {
  view.setBigUint64(offset, x, true);
  view.setBigUint64(offset + 8, x >> 64n, true);
  view.setBigUint64(offset + 16, x >> 128n, true);
  view.setBigUint64(offset + 24, x >> 192n, true);
}

/** Writes `x` (0 ≤ x < 2^256) as {@link writeWords} would, as the four limbs `u[k … k+4)` of a {@link limbs} array. */
export function writeLimbs(u: BigUint64Array, k: number, x: bigint): void {
  u[k] = x;
  u[k + 1] = x >> 64n;
  u[k + 2] = x >> 128n;
  u[k + 3] = x >> 192n;
}

/** The integer of the four limbs `u[k … k+4)` of a {@link limbs} array, as {@link readWords} reads it. */
export function readLimbs(u: BigUint64Array, k: number): bigint {
  return (u[k + 3] << 192n) | (u[k + 2] << 128n) | (u[k + 1] << 64n) | u[k];
}

/** Writes the integer 1 as {@link writeWords} would, without splitting a bigint (an affine point's Z). */
export function writeOneWords(view: DataView, offset: number): void {
  view.setBigUint64(offset, 1n, true);
  view.setBigUint64(offset + 8, 0n, true);
  view.setBigUint64(offset + 16, 0n, true);
  view.setBigUint64(offset + 24, 0n, true);
}

/** Reads the 32-byte little-endian integer at `offset`. */
export function readWords(view: DataView, offset: number): bigint {
  return (
    (view.getBigUint64(offset + 24, true) << 192n) |
    (view.getBigUint64(offset + 16, true) << 128n) |
    (view.getBigUint64(offset + 8, true) << 64n) |
    view.getBigUint64(offset, true)
  );
}

/**
 * Writes every element of `xs` (each 0 ≤ x < 2^256) consecutively from `offset`. A typed array's element store takes
 * its argument mod 2^64 (ToBigUint64), as `setBigUint64` does, so limb k is again `x >> 64k` as it is.
 */
export function writeWordsArray(view: DataView, offset: number, xs: readonly bigint[]): void {
  const u = limbs(view, offset, xs.length);
  if (u === undefined) {
    for (let i = 0; i < xs.length; i++) writeWords(view, offset + 32 * i, xs[i]);
    return;
  }
  for (let i = 0, k = 0; i < xs.length; i++, k += 4) writeLimbs(u, k, xs[i]);
}

/** Reads `count` consecutive integers from `offset`. */
export function readWordsArray(view: DataView, offset: number, count: number): bigint[] {
  const out = new Array<bigint>(count);
  const u = limbs(view, offset, count);
  if (u === undefined) {
    for (let i = 0; i < count; i++) out[i] = readWords(view, offset + 32 * i);
    return out;
  }
  for (let i = 0, k = 0; i < count; i++, k += 4) out[i] = readLimbs(u, k);
  return out;
}
