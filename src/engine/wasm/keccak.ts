/**
 * Keccak-256 on the kernels (`wasm/keccak.ts`): the same digest as `@noble/hashes`' `keccak_256` (compared in
 * test/engine/keccak.test.ts) about ten times faster, for the Fiat–Shamir transcript, which hashes one short
 * message per absorbed element and three per challenge. One private kernels instance; noble's function where there
 * is no WebAssembly.
 * @module
 */
import { keccak_256 } from '@noble/hashes/sha3.js';
import { Kernels } from './kernels';

let kernels: Kernels | null | undefined;

function instance(): Kernels | null {
  if (kernels === undefined) {
    try {
      kernels = new Kernels();
    } catch {
      kernels = null; // no WebAssembly here: noble's Keccak
    }
  }
  return kernels;
}

/** The 32-byte Keccak-256 digest of `bytes` (Ethereum's Keccak padding, not SHA-3's). */
export function keccak256(bytes: Uint8Array): Uint8Array {
  const k = instance();
  if (k === null) return keccak_256(bytes);
  return k.scratch((alloc) => {
    const input = alloc(bytes.length);
    const out = alloc(32);
    new Uint8Array(k.exports.memory.buffer, input, bytes.length).set(bytes);
    k.exports.keccak256(out, input, bytes.length);
    return k.copyOut(out, 32);
  });
}
