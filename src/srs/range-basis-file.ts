/**
 * The prepared range-basis file: one {@link RangeBasis} of a ceremony, computed once (`blockfold prepare-range`) and
 * read with the ceremony's `.ptau`, since computing it from the powers takes about a quarter of an hour for 2^16
 * entries on one thread.
 *
 * Layout (integers little-endian), 48 + 32·(n + 2) bytes (2 MiB for n = 2^16):
 * - the magic `"BFRANGE\0"` (8 bytes), the version (u32, {@link RANGE_BASIS_VERSION}), the table size n (u32);
 * - the digest of the SRS the basis belongs to ({@link rangeBasisSrsDigest}, 32 bytes);
 * - n + 2 compressed G1 points (`encoding/points`): `[Z_S(τ)]₁`, `[τ·Z_S(τ)]₁`, then `[K_v(τ)]₁` for v < n.
 *
 * A file is never trusted: reading it checks the points against the SRS they are read with (`checkRangeBasis`: MSMs
 * and one pairing equation), so a wrong or tampered file is refused whatever its digest says; the digest names the
 * wrong ceremony early, before any point is decoded. Writing renames a complete temporary file into place, so a
 * reader never sees half a file.
 * @module
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { withFileForReading, writeFileAtomic } from '#files';
import type { Engine } from '../engine/engine';
import { getDefaultEngine } from '../engine/index';
import { decodeG1, decodeG1s, G1_BYTES, writeEncodedG1 } from '../encoding/points';
import { SrsError } from '../errors';
import { checkRangeBasis, isRangeTableSize, type RangeBasis } from './range-basis';
import type { Srs } from './srs';

/** The first 8 bytes of a range-basis file. */
export const RANGE_BASIS_MAGIC = 'BFRANGE\0';
/** The version this blockfold writes and reads. */
export const RANGE_BASIS_VERSION = 1;
/** Bytes before the points: magic, version, size, digest. */
const HEADER_BYTES = 8 + 4 + 4 + 32;

/**
 * The digest a range-basis file of size n records for `srs`: {@link Srs.digest} of its truncation to the powers the
 * basis is made from and checked with, n + 2 in G1 and `[1]₂, [τ]₂` in G2. Every truncation of one ceremony that holds
 * those has the same one. An {@link SrsError} when `srs` holds fewer.
 */
export function rangeBasisSrsDigest(srs: Srs, n: number): Uint8Array {
  if (srs.g1Count < n + 2 || srs.g2Count < 2)
    throw new SrsError(`a range basis of size ${n} needs ${n + 2} G1 and 2 G2 powers; SRS "${srs.name}" holds ${srs.g1Count} and ${srs.g2Count}`);
  return srs.truncate(n + 2, 2).digest;
}

/** The file of `basis`, a range basis of `srs` (the module comment gives the layout). */
export function encodeRangeBasis(basis: RangeBasis, srs: Srs): Uint8Array {
  const n = basis.size;
  if (!isRangeTableSize(n) || basis.kBasis.length !== n) throw new SrsError(`a range basis of size ${n} has ${basis.kBasis.length} K points`);
  const out = new Uint8Array(HEADER_BYTES + G1_BYTES * (n + 2));
  const view = new DataView(out.buffer);
  out.set(new TextEncoder().encode(RANGE_BASIS_MAGIC), 0);
  view.setUint32(8, RANGE_BASIS_VERSION, true);
  view.setUint32(12, n, true);
  out.set(rangeBasisSrsDigest(srs, n), 16);
  [basis.vanishing, basis.shiftedVanishing, ...basis.kBasis].forEach((p, i) => writeEncodedG1(p, out, HEADER_BYTES + G1_BYTES * i));
  return out;
}

/**
 * The table size n a range-basis file declares, from its header (`head`, at least its first {@link HEADER_BYTES}
 * bytes) and its whole length: an {@link SrsError} for a truncated or overlong file, a bad magic, an unknown version
 * or a size that is no range table's. A reader checks this before it reads the points, so a wrong file (a `.ptau`
 * given in its place) is refused after 48 bytes, not after being read whole.
 */
function rangeBasisFileSize(head: Uint8Array, length: number): number {
  if (length < HEADER_BYTES || head.length < HEADER_BYTES) throw new SrsError(`truncated range-basis file: ${length} bytes, its header alone has ${HEADER_BYTES}`);
  if (new TextDecoder().decode(head.subarray(0, 8)) !== RANGE_BASIS_MAGIC) throw new SrsError('not a range-basis file: bad magic');
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const version = view.getUint32(8, true);
  if (version !== RANGE_BASIS_VERSION) throw new SrsError(`range-basis file version ${version} is not supported: this blockfold reads version ${RANGE_BASIS_VERSION}`);
  const n = view.getUint32(12, true);
  if (!isRangeTableSize(n)) throw new SrsError(`the range-basis file declares ${n} entries: a range table has a power-of-two size from 2 to 2^20`);
  const expected = HEADER_BYTES + G1_BYTES * (n + 2);
  if (length !== expected) throw new SrsError(`${length < expected ? 'truncated' : 'overlong'} range-basis file: ${n} entries take ${expected} bytes, the file has ${length}`);
  return n;
}

/**
 * The range basis in `bytes`, read for `srs` and checked against it (`checkRangeBasis`, with `engine`). Every failure
 * is an {@link SrsError} naming what is wrong: a truncated (or overlong) file, a bad magic, an unknown version, a size
 * that is no range table's, an SRS too small for it or other than the one it was made from (both digests named), an
 * invalid point (its index named), or points that are not this SRS's basis.
 */
export async function decodeRangeBasis(bytes: Uint8Array, srs: Srs, engine: Engine = getDefaultEngine()): Promise<RangeBasis> {
  const n = rangeBasisFileSize(bytes, bytes.length);
  const recorded = bytesToHex(bytes.subarray(16, HEADER_BYTES));
  const own = bytesToHex(rangeBasisSrsDigest(srs, n));
  if (recorded !== own)
    throw new SrsError(`the range-basis file belongs to the SRS of digest ${recorded}, not to "${srs.name}" (digest ${own} of its first ${n + 2} G1 and 2 G2 powers)`);
  const encodings = Array.from({ length: n + 2 }, (_, i) => bytes.subarray(HEADER_BYTES + G1_BYTES * i, HEADER_BYTES + G1_BYTES * (i + 1)));
  let points;
  try {
    points = decodeG1s(encodings);
  } catch (e) {
    throw new SrsError(`range-basis file: point ${invalidIndex(encodings)} is not a valid G1 encoding (${(e as Error).message})`, { cause: e });
  }
  const basis: RangeBasis = { size: n, vanishing: points[0], shiftedVanishing: points[1], kBasis: points.slice(2) };
  await checkRangeBasis(basis, srs, engine);
  return basis;
}

/** The index of the first encoding that does not decode (0 = `[Z_S]`, 1 = `[τ·Z_S]`, 2 + v = `K_v`): on the error path only. */
function invalidIndex(encodings: readonly Uint8Array[]): number {
  return encodings.findIndex((e) => {
    try {
      decodeG1(e);
      return false;
    } catch {
      return true;
    }
  });
}

/** Writes the file of `basis` (a range basis of `srs`) at `path`, whole or not at all. */
export function writeRangeBasisFile(path: string, basis: RangeBasis, srs: Srs): Promise<void> {
  return writeFileAtomic(path, encodeRangeBasis(basis, srs));
}

/**
 * The bytes of the range-basis file at `path`, read whole only once its header and length are a range basis's
 * (an {@link SrsError} otherwise): what {@link decodeRangeBasis} then reads for an SRS.
 */
export function readRangeBasisFileBytes(path: string): Promise<Uint8Array> {
  return withFileForReading(path, async (file) => {
    rangeBasisFileSize(await file.read(0, Math.min(HEADER_BYTES, file.size)), file.size);
    return file.read(0, file.size);
  });
}

/** Reads the range-basis file at `path` for `srs` and checks it ({@link decodeRangeBasis}). */
export async function readRangeBasisFile(path: string, srs: Srs, engine: Engine = getDefaultEngine()): Promise<RangeBasis> {
  return decodeRangeBasis(await readRangeBasisFileBytes(path), srs, engine);
}
