/**
 * Keccak-256 on the kernels (`wasm/keccak.ts`): the same digest as `@noble/hashes`' `keccak_256` (compared in
 * test/engine/keccak.test.ts) about ten times faster, for the Fiat–Shamir transcript, which hashes one short
 * message per absorbed element and three per challenge, and for the digests and checksums of key files, which hash
 * hundreds of kilobytes of points on every read. A message is written straight into a resident input area of
 * one private kernels instance ({@link keccak256Of}), so a hash allocates only its 32-byte digest; noble's function
 * where there is no WebAssembly.
 * @module
 */
import { keccak_256 } from '@noble/hashes/sha3.js';
import { EngineError } from '../../errors';
import { Kernels } from './kernels';

/** The private instance, its input area (at least 32 bytes past the longest message so far) and a view of its memory. */
interface KeccakKernels {
  readonly k: Kernels;
  input: number;
  capacity: number;
  memory: Uint8Array;
}

let kernels: KeccakKernels | null | undefined;

function instance(): KeccakKernels | null {
  if (kernels === undefined) {
    try {
      const k = new Kernels();
      kernels = { k, input: 0, capacity: 0, memory: new Uint8Array(k.exports.memory.buffer) };
    } catch {
      kernels = null; // no WebAssembly here: noble's Keccak
    }
  }
  return kernels;
}

/**
 * The 32-byte Keccak-256 digest of the `length`-byte message that `write(memory, at)` writes at `memory[at … at + length)`
 * (a view of kernel memory, valid during the call only; `write` must not hash). The resident input area grows by
 * doubling up to 64 KiB; a longer message is written to scratch memory released after the hash. With `into` (32 bytes, which `write` may read: it is read
 * before the digest is written) the digest is written there and `into` returned, so a transcript that replaces its
 * state by the digest of a message holding it allocates nothing per hash. An `into` of another length is an
 * {@link EngineError}: a shorter one would silently lose digest bytes, a longer one keep stale ones.
 */
export function keccak256Of(length: number, write: (memory: Uint8Array, at: number) => void, into?: Uint8Array): Uint8Array {
  if (into !== undefined && into.length !== 32) throw new EngineError(`a Keccak-256 digest is written into 32 bytes, got ${into.length}`);
  const s = instance();
  if (s === null) {
    const bytes = new Uint8Array(length);
    write(bytes, 0);
    const digest = keccak_256(bytes);
    if (into === undefined) return digest;
    into.set(digest);
    return into;
  }
  // A key file's checksum hashes megabytes once: scratch memory, released after, where a resident area grown to it
  // would stay (a transcript's short messages keep the resident one, so a hash allocates nothing).
  if (length + 32 > RESIDENT_LIMIT) return s.k.scratch((alloc) => hashAt(s, alloc(length + 32), length, write, into));
  if (length + 32 > s.capacity) {
    s.capacity = Math.max(1024, 2 * s.capacity, length + 32);
    s.input = s.k.allocResident(s.capacity);
  }
  return hashAt(s, s.input, length, write, into, s.capacity);
}

/** Messages up to this many bytes (with the digest's 32) are hashed in the resident input area, longer ones in scratch. */
const RESIDENT_LIMIT = 1 << 16;

/** Writes the message at `at` (an area of at least `area` ≥ length + 32 bytes), hashes it, and returns the digest. */
function hashAt(s: KeccakKernels, at: number, length: number, write: (memory: Uint8Array, at: number) => void, into: Uint8Array | undefined, area = length + 32): Uint8Array {
  if (s.memory.buffer !== s.k.exports.memory.buffer) s.memory = new Uint8Array(s.k.exports.memory.buffer);
  write(s.memory, at);
  const out = at + area - 32;
  s.k.exports.keccak256(out, at, length);
  if (into === undefined) return s.memory.slice(out, out + 32);
  for (let i = 0; i < 32; i++) into[i] = s.memory[out + i];
  return into;
}

/** The 32-byte Keccak-256 digest of `bytes` (Ethereum's Keccak padding, not SHA-3's). */
export function keccak256(bytes: Uint8Array): Uint8Array {
  return keccak256Of(bytes.length, (memory, at) => memory.set(bytes, at));
}

/**
 * The Keccak-256 digest of the concatenation `parts[0] ‖ parts[1] ‖ …`, each part written straight into kernel memory:
 * no concatenated copy, and one hash where an incremental one would take an update per part (noble's costs about as
 * much again as the hashing for 32-byte parts, the encodings of a key's points).
 */
export function keccak256Concat(parts: readonly Uint8Array[]): Uint8Array {
  const length = parts.reduce((n, p) => n + p.length, 0);
  return keccak256Of(length, (memory, at) => {
    for (const p of parts) {
      memory.set(p, at);
      at += p.length;
    }
  });
}
