/**
 * The on-disk cache of the INSECURE development SRS's G1 points, so that processes that open the same development SRS
 * (a test suite's, a demo's) compute its points once between them instead of once each.
 *
 * A model with a range table needs the 2^16 + 2 G1 powers and the range basis of 2^16 + 2 points: computing each is
 * 65,538 fixed-base multiplications, about 1.5 s of CPU; reading and checking a file of them about half of that (0.8 s).
 * Both are points `s_i·[1]₁` whose discrete logarithms s_i the development SRS knows (powers of its public τ, or
 * `rangeBasisScalars`), so a file is checked against them, not trusted: every point must decode (on the curve,
 * canonical coordinates: `decodeG1Uncompressed`), and for fresh random 128-bit ρ_i,
 * `Σ_i ρ_i·P_i = (Σ_i ρ_i·s_i)·[1]₁` (one MSM). If some P_i ≠ s_i·[1]₁, the difference `Σ_i ρ_i·(P_i − s_i·[1]₁)` is zero
 * for at most one value of that ρ_i given the others, so a wrong file passes with probability at most 2^−128, whoever
 * wrote it (the directory may be shared). A file that fails any check, or cannot be read, is ignored: the points are
 * computed and the file written again. Only the development SRS has a cache: a ceremony's τ is unknown, so its points
 * could not be checked this way (its prepared range bases are checked against its powers, `checkRangeBasis`).
 *
 * A file `<kind>-<count>-<key>.bin` is `"blockfold/dev-srs-cache" ‖ u32 version ‖ key ‖ count points` with the key
 * Keccak-256 of the magic, the version, the kind (`powers` or `range-basis`), τ and the count, each point uncompressed
 * (64 bytes: decoding takes no square root). It is written whole or not at all (a temporary file renamed), so
 * processes that fill it at once leave one of their equal copies. Points already read or computed are kept for the
 * life of the process, so each file is read at most once per process.
 * @module
 */
import { normalizeZ } from '@noble/curves/abstract/curve.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, randomBytes } from '@noble/hashes/utils.js';
import { makePrivateDirectory, readFileIfReadable, writeFileAtomic } from '#files';
import { G1, G1_ONE, type G1Point } from '../curve';
import type { Engine } from '../engine/engine';
import { decodeG1Uncompressed, encodeFr, encodeG1Uncompressed, G1_UNCOMPRESSED_BYTES } from '../encoding/points';
import { Fr } from '../field';

/** The magic that starts a cache file. */
export const DEV_SRS_CACHE_MAGIC = 'blockfold/dev-srs-cache';

/** The format version of a cache file, in its key and its header: a new layout or new points change it. */
export const DEV_SRS_CACHE_VERSION = 1;

/** What a cache file holds: the G1 powers `[τ^i]₁`, or a range basis `[Z_S]₁, [τ·Z_S]₁, [K_v]₁` (`range-basis.ts`). */
export type DevPointsKind = 'powers' | 'range-basis';

/** Makes the points `s_i·[1]₁` of scalars s of one kind, for one τ: computed, or read from the cache. */
export type DevPointMaker = (kind: DevPointsKind, scalars: readonly bigint[]) => Promise<readonly G1Point[]>;

const MAGIC = new TextEncoder().encode(DEV_SRS_CACHE_MAGIC);
const HEADER_BYTES = MAGIC.length + 4 + 32;

/** Points of the files read or computed in this process, by path: each is read (and checked) at most once. */
const held = new Map<string, Promise<readonly G1Point[]>>();

/** The points `s_i·[1]₁` by fixed-base multiplication on `engine`, affine. */
export function computedDevPoints(engine: Engine): DevPointMaker {
  return async (_kind, scalars) => normalizeZ(G1, await engine.fixedBaseG1(G1_ONE, scalars));
}

/**
 * The key of the cache file of `count` points of `kind` for τ: Keccak-256 of the magic, u32 version, the kind's name,
 * τ (32 bytes, big-endian) and u32 count (little-endian integers).
 */
export function devCacheKey(kind: DevPointsKind, tau: bigint, count: number): Uint8Array {
  const numbers = new Uint8Array(8);
  const view = new DataView(numbers.buffer);
  view.setUint32(0, DEV_SRS_CACHE_VERSION, true);
  view.setUint32(4, count, true);
  return keccak_256.create().update(MAGIC).update(numbers.subarray(0, 4)).update(new TextEncoder().encode(kind)).update(encodeFr(tau)).update(numbers.subarray(4)).digest();
}

/** The name of the cache file of `count` points of `kind` for τ, in its directory. */
export function devCacheFileName(kind: DevPointsKind, tau: bigint, count: number): string {
  return `${kind}-${count}-${bytesToHex(devCacheKey(kind, tau, count)).slice(0, 32)}.bin`;
}

/** A cache file's bytes: the magic, u32 version (little-endian), the key, the points uncompressed. */
export function encodeDevCacheFile(key: Uint8Array, points: readonly G1Point[]): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES + points.length * G1_UNCOMPRESSED_BYTES);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(MAGIC.length, DEV_SRS_CACHE_VERSION, true);
  out.set(key, MAGIC.length + 4);
  points.forEach((p, i) => out.set(encodeG1Uncompressed(p), HEADER_BYTES + i * G1_UNCOMPRESSED_BYTES));
  return out;
}

/**
 * The points of a cache file if it is the file of `key` with exactly `scalars.length` points, each decodes, and they are
 * `s_i·[1]₁` by the random-combination check of the module comment (one MSM on `engine`); else undefined.
 */
export async function readDevCacheFile(bytes: Uint8Array, key: Uint8Array, scalars: readonly bigint[], engine: Engine): Promise<G1Point[] | undefined> {
  if (bytes.length !== HEADER_BYTES + scalars.length * G1_UNCOMPRESSED_BYTES) return undefined;
  const header = new Uint8Array(HEADER_BYTES);
  header.set(MAGIC, 0);
  new DataView(header.buffer).setUint32(MAGIC.length, DEV_SRS_CACHE_VERSION, true);
  header.set(key, MAGIC.length + 4);
  if (!header.every((b, i) => b === bytes[i])) return undefined;
  let points: G1Point[];
  try {
    points = scalars.map((_, i) => decodeG1Uncompressed(bytes.subarray(HEADER_BYTES + i * G1_UNCOMPRESSED_BYTES, HEADER_BYTES + (i + 1) * G1_UNCOMPRESSED_BYTES)));
  } catch {
    return undefined;
  }
  const rho = random128s(scalars.length);
  const logarithm = rho.reduce((acc, r, i) => Fr.add(acc, Fr.mul(r, scalars[i])), 0n);
  const expected = logarithm === 0n ? G1.ZERO : G1_ONE.multiply(logarithm);
  return (await engine.msmG1Points(points, rho)).equals(expected) ? points : undefined;
}

/**
 * A {@link DevPointMaker} for τ over the cache in `directory`: the points of the file of (kind, τ, count) when it passes
 * {@link readDevCacheFile}, else computed on `engine` and written to it (best effort: a directory that cannot be
 * written to only means the next process computes them too). Points are kept per file for the life of the process.
 */
export function cachedDevPoints(directory: string, tau: bigint, engine: Engine): DevPointMaker {
  const compute = computedDevPoints(engine);
  return (kind, scalars) => {
    const path = `${directory}/${devCacheFileName(kind, tau, scalars.length)}`;
    let points = held.get(path);
    if (points === undefined) {
      points = (async () => {
        const key = devCacheKey(kind, tau, scalars.length);
        const bytes = await readFileIfReadable(path, HEADER_BYTES + scalars.length * G1_UNCOMPRESSED_BYTES);
        const read = bytes === undefined ? undefined : await readDevCacheFile(bytes, key, scalars, engine);
        if (read !== undefined) return read;
        const computed = await compute(kind, scalars);
        try {
          await makePrivateDirectory(directory);
          await writeFileAtomic(path, encodeDevCacheFile(key, computed));
        } catch {
          // Best effort: the points are right whether or not the next process finds them.
        }
        return computed;
      })();
      held.set(path, points);
      // A failed computation is not kept: a later request tries again.
      points.catch(() => held.delete(path));
    }
    return points;
  };
}

/** `n` uniformly random integers below 2^128 from the platform's secure generator (drawn 64 KiB at a time, its limit). */
function random128s(n: number): bigint[] {
  const bytes = new Uint8Array(16 * n);
  for (let at = 0; at < bytes.length; at += 65536) bytes.set(randomBytes(Math.min(65536, bytes.length - at)), at);
  const view = new DataView(bytes.buffer);
  return Array.from({ length: n }, (_, i) => (view.getBigUint64(16 * i) << 64n) | view.getBigUint64(16 * i + 8));
}
