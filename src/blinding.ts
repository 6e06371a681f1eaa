/**
 * Blinding randomness for zero-knowledge proofs.
 *
 * A prover draws every random blinding scalar of one proof from a {@link BlindingSource}: a pseudorandom
 * function of a 32-byte key and a label naming what is blinded (`<oracle>/<j>`). The key comes from the
 * platform's CSPRNG unless the caller passes an explicit seed. Drawing by label, not by call order, is what makes
 * seeded proofs byte-identical whatever the order in which blocks (or worker threads) ask for their blinding,
 * and lets a block recompute the blinding of a polynomial it committed earlier in the proof.
 *
 * With a random key the scalars are indistinguishable from uniform (Keccak-256 as a PRF, 512 output bits
 * reduced mod r, bias below 2^−250); a seed makes them reproducible, so a seeded proof is only zero-knowledge
 * while the seed stays secret: seeds are for tests and reproducible benchmarks.
 * @module
 */
import { randomBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { keccak256 } from './engine/wasm/keccak';
import { BlockfoldError } from './errors';
import { R } from './field';

/** Where one proof's blinding scalars come from. */
export interface BlindingSource {
  /** `count` scalars of Fr for `label`: the same label always gives the same scalars within one source. */
  draw(label: string, count: number): bigint[];
}

const DOMAIN = utf8ToBytes('blockfold/blinding/v1');

/**
 * A blinding source keyed by `seed` (any bytes or string: hashed to the key; anything else is a
 * {@link BlockfoldError}) or, without a seed, by 32 bytes of the platform's CSPRNG. Scalar i of `label` is `(H(key, label, i, 0) ‖ H(key, label, i, 1)) mod r`.
 */
export function blindingSource(seed?: Uint8Array | string): BlindingSource {
  if (seed !== undefined && typeof seed !== 'string' && !(seed instanceof Uint8Array))
    throw new BlockfoldError('INPUT', `the blinding seed must be a string or bytes (a Uint8Array), got ${seed === null ? 'null' : typeof seed}`);
  const key = seed === undefined ? randomBytes(32) : keccak256(typeof seed === 'string' ? utf8ToBytes(seed) : seed);
  return {
    draw(label, count) {
      // H(key, label, i, half) is Keccak-256 of `DOMAIN ‖ key ‖ label ‖ 0x00 ‖ u32 index ‖ u8 half` (big-endian index):
      // one buffer per label, whose last five bytes each block sets.
      const l = utf8ToBytes(label);
      const input = new Uint8Array(DOMAIN.length + key.length + l.length + 6);
      input.set(DOMAIN);
      input.set(key, DOMAIN.length);
      input.set(l, DOMAIN.length + key.length);
      const index = input.length - 5;
      const view = new DataView(input.buffer);
      const out: bigint[] = [];
      for (let i = 0; i < count; i++) {
        view.setUint32(index, i);
        input[index + 4] = 0;
        // The kernels' Keccak: the same digest, 4–10 times faster than noble's (two per scalar, about a thousand per proof).
        const high = digestInteger(keccak256(input));
        input[index + 4] = 1;
        out.push(((high << 256n) | digestInteger(keccak256(input))) % R);
      }
      return out;
    },
  };
}

/**
 * The 32-byte digest `d` as a big-endian integer, `Σ_k d_k·2^(8·(31 − k))`, from its four big-endian u64 words: a few
 * times faster than parsing its hex digits (which took most of a draw's time, the two Keccaks included).
 */
function digestInteger(d: Uint8Array): bigint {
  const v = new DataView(d.buffer, d.byteOffset, 32);
  return (((((v.getBigUint64(0) << 64n) | v.getBigUint64(8)) << 64n) | v.getBigUint64(16)) << 64n) | v.getBigUint64(24);
}

/**
 * A source whose every scalar is 0: proofs made with it are blinded by nothing. Only for tests and benches that
 * measure what hiding costs or show what an unblinded proof leaks; never for a proof anyone else sees.
 */
export const UNBLINDED: BlindingSource = { draw: (_label, count) => new Array<bigint>(count).fill(0n) };
