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
import { keccak_256 } from '@noble/hashes/sha3.js';
import { randomBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { BlockfoldError } from './errors';
import { R } from './field';

/** Where one proof's blinding scalars come from. */
export interface BlindingSource {
  /** `count` scalars of Fr for `label`: the same label always gives the same scalars within one source. */
  draw(label: string, count: number): bigint[];
}

const DOMAIN = utf8ToBytes('blockfold/blinding/v1');

/** Keccak-256 of `DOMAIN ‖ key ‖ label ‖ 0x00 ‖ u32 index ‖ u8 half`. */
function block(key: Uint8Array, label: Uint8Array, index: number, half: number): Uint8Array {
  const buf = new Uint8Array(DOMAIN.length + key.length + label.length + 6);
  let o = 0;
  buf.set(DOMAIN, o);
  buf.set(key, (o += DOMAIN.length));
  buf.set(label, (o += key.length));
  o += label.length;
  buf[o++] = 0;
  new DataView(buf.buffer).setUint32(o, index);
  buf[o + 4] = half;
  return keccak_256(buf);
}

/**
 * A blinding source keyed by `seed` (any bytes or string: hashed to the key; anything else is a
 * {@link BlockfoldError}) or, without a seed, by 32 bytes of the platform's CSPRNG. Scalar i of `label` is `(H(key, label, i, 0) ‖ H(key, label, i, 1)) mod r`.
 */
export function blindingSource(seed?: Uint8Array | string): BlindingSource {
  if (seed !== undefined && typeof seed !== 'string' && !(seed instanceof Uint8Array))
    throw new BlockfoldError('INPUT', `the blinding seed must be a string or bytes (a Uint8Array), got ${seed === null ? 'null' : typeof seed}`);
  const key = seed === undefined ? randomBytes(32) : keccak_256(typeof seed === 'string' ? utf8ToBytes(seed) : seed);
  return {
    draw(label, count) {
      const l = utf8ToBytes(label);
      const out: bigint[] = [];
      for (let i = 0; i < count; i++) {
        let x = 0n;
        for (const half of [0, 1]) for (const b of block(key, l, i, half)) x = (x << 8n) | BigInt(b);
        out.push(x % R);
      }
      return out;
    },
  };
}

/**
 * A source whose every scalar is 0: proofs made with it are blinded by nothing. Only for tests and benches that
 * measure what hiding costs or show what an unblinded proof leaks; never for a proof anyone else sees.
 */
export const UNBLINDED: BlindingSource = { draw: (_label, count) => new Array<bigint>(count).fill(0n) };
