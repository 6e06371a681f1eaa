/**
 * Canonical integers ↔ the kernels' word format: each field element as 8 little-endian u32 words
 * (written as 4 little-endian u64 through a DataView, the fastest bigint split in V8).
 * @module
 */

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

/** Reads the 32-byte little-endian integer at `offset`. */
export function readWords(view: DataView, offset: number): bigint {
  return (
    (view.getBigUint64(offset + 24, true) << 192n) |
    (view.getBigUint64(offset + 16, true) << 128n) |
    (view.getBigUint64(offset + 8, true) << 64n) |
    view.getBigUint64(offset, true)
  );
}

/** Writes every element of `xs` consecutively from `offset`. */
export function writeWordsArray(view: DataView, offset: number, xs: readonly bigint[]): void {
  for (let i = 0; i < xs.length; i++) writeWords(view, offset + 32 * i, xs[i]);
}

/** Reads `count` consecutive integers from `offset`. */
export function readWordsArray(view: DataView, offset: number, count: number): bigint[] {
  const out = new Array<bigint>(count);
  for (let i = 0; i < count; i++) out[i] = readWords(view, offset + 32 * i);
  return out;
}
