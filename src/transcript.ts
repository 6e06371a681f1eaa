/**
 * Fiat–Shamir transcript over Keccak-256.
 *
 * The state is a 32-byte chaining value. Absorbing a message with label `l` and bytes `m` sets
 * `state ← Keccak256(state ‖ 'A' ‖ len(l) ‖ l ‖ len(m) ‖ m)` (lengths u32 little-endian), so order,
 * labels and every byte matter and no two sequences of messages collide by concatenation.
 * A challenge with label `l` is the wide reduction of 64 bytes
 * `Keccak256(state ‖ 'C' ‖ len(l) ‖ l ‖ 0) ‖ Keccak256(state ‖ 'C' ‖ len(l) ‖ l ‖ 1)` modulo r
 * (bias below 2^−250), after which the challenge itself is absorbed, so two challenges in a row differ.
 * {@link Transcript.fork} derives an independent child `Keccak256(state ‖ 'F' ‖ len(l) ‖ l)`; the parent is
 * unchanged, so forks with distinct labels can be used in any order (or on any worker).
 * Keccak-256 runs in the WebAssembly kernels (`src/engine/wasm/keccak.ts`, the same digests as `@noble/hashes`):
 * a verifier hashes once per absorbed element, thousands of times per proof.
 * @module
 */
import type { G1Point, G2Point, GtElement } from './curve';
import { encodeFr, encodeG2, encodeGt, from32BE, writeEncodedFr, writeEncodedG1 } from './encoding/points';
import { keccak256Of } from './engine/wasm/keccak';
import { BlockfoldError } from './errors';
import { R } from './field';

/** Misuse of a transcript (a malformed state). */
export class TranscriptError extends BlockfoldError {
  constructor(message: string) {
    super('TRANSCRIPT', message);
  }
}

const TEXT = new TextEncoder();

/** Encoded labels (a transcript uses few distinct labels, many times each). */
const labelCache = new Map<string, Uint8Array>();
const LABEL_CACHE_LIMIT = 1 << 16;

function encodeLabel(label: string): Uint8Array {
  let l = labelCache.get(label);
  if (l === undefined) {
    l = TEXT.encode(label);
    if (labelCache.size < LABEL_CACHE_LIMIT) labelCache.set(label, l);
  }
  return l;
}

/** `challenge/<label>`, the label a drawn challenge is absorbed under (kept, like the encoded labels). */
const challengeLabels = new Map<string, string>();
function challengeLabel(label: string): string {
  let l = challengeLabels.get(label);
  if (l === undefined) {
    l = `challenge/${label}`;
    if (challengeLabels.size < LABEL_CACHE_LIMIT) challengeLabels.set(label, l);
  }
  return l;
}

function putU32le(buf: Uint8Array, at: number, n: number): void {
  n >>>= 0;
  buf[at] = n & 0xff;
  buf[at + 1] = (n >>> 8) & 0xff;
  buf[at + 2] = (n >>> 16) & 0xff;
  buf[at + 3] = (n >>> 24) & 0xff;
}

/** Writes a message's bytes `m` at `buf[at … at+len(m))`. */
type Payload = (buf: Uint8Array, at: number) => void;

/**
 * `Keccak256(state ‖ tag ‖ len(l) ‖ l [‖ len(m) ‖ m])`, written straight into the hash's input (tags are one ASCII
 * byte; m of `length` bytes written by `payload`); the digest in `into` when given (it may be `state`, which is read
 * first), else in a new array.
 */
function record(state: Uint8Array, tag: string, label: string, length?: number, payload?: Payload, into?: Uint8Array): Uint8Array {
  const l = encodeLabel(label);
  const size = state.length + 1 + 4 + l.length + (payload ? 4 + length! : 0);
  return keccak256Of(
    size,
    (buf, o) => {
      buf.set(state, o);
      o += state.length;
      buf[o++] = tag.charCodeAt(0);
      putU32le(buf, o, l.length);
      o += 4;
      buf.set(l, o);
      o += l.length;
      if (payload) {
        putU32le(buf, o, length!);
        payload(buf, o + 4);
      }
    },
    into,
  );
}

/** The two halves of a challenge's 64 bytes (a challenge allocates no array of its own). */
const LO = new Uint8Array(32);
const HI = new Uint8Array(32);
const ZERO_BYTE: Payload = (buf, at) => (buf[at] = 0);
const ONE_BYTE: Payload = (buf, at) => (buf[at] = 1);

/** A Fiat–Shamir transcript. */
export class Transcript {
  private state: Uint8Array;

  private constructor(state: Uint8Array) {
    this.state = state;
  }

  /**
   * Resumes a transcript from a state returned by {@link Transcript.digest} (for example a fork sent to a
   * worker thread). The state carries everything: the resumed transcript continues exactly as the original.
   */
  static fromState(state: Uint8Array): Transcript {
    if (state.length !== 32) throw new TranscriptError(`a transcript state is 32 bytes, got ${state.length}`);
    return new Transcript(state.slice());
  }

  /** A fresh transcript for protocol `protocol` (for example `blockfold/v1`). */
  static create(protocol: string): Transcript {
    return new Transcript(record(new Uint8Array(32), 'P', protocol));
  }

  /** Absorbs raw bytes under a label. */
  absorbBytes(label: string, bytes: Uint8Array): this {
    return this.absorbWritten(label, bytes.length, (buf, at) => buf.set(bytes, at));
  }

  /** Absorbs the `length` bytes that `payload` writes, under a label; the state, which no one else holds, is overwritten. */
  private absorbWritten(label: string, length: number, payload: Payload): this {
    record(this.state, 'A', label, length, payload, this.state);
    return this;
  }

  /** Absorbs a scalar (canonical 32-byte encoding). */
  absorbFr(label: string, x: bigint): this {
    // A non-canonical x is refused while the message is written, before anything is hashed or the state changes.
    return this.absorbWritten(label, 32, (buf, at) => writeEncodedFr(x, buf, at));
  }

  /** Absorbs several scalars as one message. */
  absorbFrs(label: string, xs: readonly bigint[]): this {
    const b = new Uint8Array(32 * xs.length);
    xs.forEach((x, i) => b.set(encodeFr(x), 32 * i));
    return this.absorbBytes(label, b);
  }

  /** Absorbs a G1 point (compressed encoding, explicit infinity). */
  absorbG1(label: string, p: G1Point): this {
    return this.absorbWritten(label, 32, (buf, at) => writeEncodedG1(p, buf, at));
  }

  /** Absorbs a G2 point. */
  absorbG2(label: string, p: G2Point): this {
    return this.absorbBytes(label, encodeG2(p));
  }

  /** Absorbs a GT element (12 Fp coefficients). */
  absorbGt(label: string, x: GtElement): this {
    return this.absorbBytes(label, encodeGt(x));
  }

  /** Absorbs a UTF-8 string. */
  absorbString(label: string, s: string): this {
    return this.absorbBytes(label, TEXT.encode(s));
  }

  /** Draws a challenge in Fr by wide reduction of 512 bits, then absorbs it. */
  challengeFr(label: string): bigint {
    record(this.state, 'C', label, 1, ZERO_BYTE, LO);
    record(this.state, 'C', label, 1, ONE_BYTE, HI);
    const x = ((from32BE(LO) << 256n) | from32BE(HI)) % R;
    this.absorbFr(challengeLabel(label), x);
    return x;
  }

  /** An independent child transcript; the parent state does not change. */
  fork(label: string): Transcript {
    return new Transcript(record(this.state, 'F', label));
  }

  /** The current 32-byte state (for digests and tests). */
  digest(): Uint8Array {
    return this.state.slice();
  }
}
