import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bn254 } from '@noble/curves/bn254.js';
import { Fp12, G1, G1_ONE, G2, G2_ONE, GT_ONE } from '../../src/curve';
import { bigintToBytesBE, ByteReader, ByteWriter } from '../../src/encoding/bytes';
import {
  decodeFr,
  decodeG1,
  decodeG1Uncompressed,
  decodeG2,
  decodeGt,
  encodeFr,
  encodeG1,
  encodeG2,
  encodeGt,
  from32BE,
  FR_BYTES,
  G1_BYTES,
  G1_UNCOMPRESSED_BYTES,
  encodeG1Uncompressed,
  G2_BYTES,
  GT_BYTES,
  gtEquals,
} from '../../src/encoding/points';
import { EncodingError } from '../../src/errors';
import { Fp, R } from '../../src/field';
import { twistPointOutsideSubgroup } from '../srs/points';

const P = Fp.ORDER;
const scalar = fc.bigInt({ min: 1n, max: R - 1n });
const g1Point = fc.oneof(
  { weight: 8, arbitrary: scalar.map((k) => G1_ONE.multiply(k)) },
  fc.constantFrom(G1.ZERO, G1_ONE, G1_ONE.negate()),
);
const g2Point = fc.oneof(
  { weight: 8, arbitrary: scalar.map((k) => G2_ONE.multiply(k)) },
  fc.constantFrom(G2.ZERO, G2_ONE, G2_ONE.negate()),
);

/** A decoder with the encoder of its result and its fixed length. */
interface Codec {
  name: string;
  length: number;
  decode(b: Uint8Array): unknown;
  encode(v: never): Uint8Array;
}
const codecs: Codec[] = [
  { name: 'Fr', length: FR_BYTES, decode: decodeFr, encode: encodeFr as (v: never) => Uint8Array },
  { name: 'G1', length: G1_BYTES, decode: decodeG1, encode: encodeG1 as (v: never) => Uint8Array },
  { name: 'G1u', length: G1_UNCOMPRESSED_BYTES, decode: decodeG1Uncompressed, encode: encodeG1Uncompressed as (v: never) => Uint8Array },
  { name: 'G2', length: G2_BYTES, decode: decodeG2, encode: encodeG2 as (v: never) => Uint8Array },
  { name: 'GT', length: GT_BYTES, decode: decodeGt, encode: encodeGt as (v: never) => Uint8Array },
];

/**
 * Decodes `bytes`: either an EncodingError, or a value whose encoding is `bytes` again (so every
 * accepted input is canonical). Never another exception, never slow.
 */
function decodesCanonicallyOrRejects(codec: Codec, bytes: Uint8Array): void {
  const start = performance.now();
  let value: unknown;
  try {
    value = codec.decode(bytes);
  } catch (e) {
    assert.ok(e instanceof EncodingError, `${codec.name}: ${String(e)} for ${Buffer.from(bytes).toString('hex')}`);
    return;
  } finally {
    assert.ok(performance.now() - start < 2000, `${codec.name} decode took too long`);
  }
  assert.deepEqual(codec.encode(value as never), bytes, `${codec.name}: accepted a non-canonical encoding`);
}

function rejects(codec: Codec | ((b: Uint8Array) => unknown), bytes: Uint8Array, pattern?: RegExp): void {
  const decode = typeof codec === 'function' ? codec : codec.decode;
  assert.throws(() => decode(bytes), (e: unknown) => e instanceof EncodingError && (!pattern || pattern.test(e.message)));
}

test('Fr, G1, G2 round-trip through their encodings (random points, ±P, infinity)', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: 0n, max: R - 1n }), (x) => assert.equal(decodeFr(encodeFr(x)), x)),
    { numRuns: 200 },
  );
  fc.assert(
    fc.property(g1Point, (p) => {
      assert.ok(decodeG1(encodeG1(p)).equals(p));
      assert.ok(decodeG1(encodeG1(p.negate())).equals(p.negate()));
      if (!p.is0()) assert.notDeepEqual(encodeG1(p), encodeG1(p.negate()));
    }),
    { numRuns: 100 },
  );
  fc.assert(
    fc.property(g2Point, (p) => {
      assert.ok(decodeG2(encodeG2(p)).equals(p));
      assert.ok(decodeG2(encodeG2(p.negate())).equals(p.negate()));
      if (!p.is0()) assert.notDeepEqual(encodeG2(p), encodeG2(p.negate()));
    }),
    { numRuns: 25 },
  );
});

/** Decodes `encoded` from inside a larger Buffer (as a reader's subarray of a file read with readFileSync is): same point, Buffer unchanged. */
function decodesFromBuffer<T extends { equals(other: T): boolean }>(encoded: Uint8Array, decode: (b: Uint8Array) => T, point: T): void {
  const file = Buffer.concat([Buffer.from([7]), Buffer.from(encoded), Buffer.from([7])]);
  const view = file.subarray(1, 1 + encoded.length);
  const before = Buffer.from(file);
  assert.ok(decode(view).equals(point));
  assert.deepEqual(file, before, "the caller's bytes are not modified");
  assert.ok(decode(view).equals(point), 'and decode the same again');
}

test('points decode the same from a Node Buffer (whose slice is a view) and the Buffer is left unchanged', () => {
  fc.assert(
    fc.property(g1Point, g2Point, (p, q) => {
      decodesFromBuffer(encodeG1(p), decodeG1, p);
      decodesFromBuffer(encodeG2(q), decodeG2, q);
    }),
    { numRuns: 20 },
  );
});

test('GT round-trips (random pairings, inverses, identity)', () => {
  fc.assert(
    fc.property(scalar, (k) => {
      const x = bn254.pairing(G1_ONE.multiply(k), G2_ONE);
      assert.ok(gtEquals(decodeGt(encodeGt(x)), x));
      const inv = Fp12.inv(x);
      assert.ok(gtEquals(decodeGt(encodeGt(inv)), inv));
    }),
    { numRuns: 4 },
  );
  assert.ok(gtEquals(decodeGt(encodeGt(GT_ONE)), GT_ONE));
});

test('random bytes: every decoder gives an EncodingError or a canonical value', () => {
  for (const codec of codecs) {
    const bytes = fc.oneof(fc.uint8Array({ maxLength: codec.length + 8 }), fc.uint8Array({ minLength: codec.length, maxLength: codec.length }));
    fc.assert(
      fc.property(bytes, (b) => decodesCanonicallyOrRejects(codec, b)),
      { numRuns: codec.name === 'G2' ? 60 : codec.name === 'GT' ? 40 : 1000 },
    );
  }
});

/** Valid encodings of each codec, to mutate. */
const validEncodings: Record<string, fc.Arbitrary<Uint8Array>> = {
  Fr: fc.bigInt({ min: 0n, max: R - 1n }).map(encodeFr),
  G1: g1Point.map(encodeG1),
  G1u: g1Point.map(encodeG1Uncompressed),
  G2: g2Point.map(encodeG2),
  GT: scalar.map((k) => encodeGt(bn254.pairing(G1_ONE.multiply(k), G2_ONE))),
};

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('xor' as const), at: fc.nat(), mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('append' as const), value: fc.integer({ min: 0, max: 255 }) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(bytes: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let b = bytes.slice();
  for (const m of mutations) {
    if (m.kind === 'append') b = Uint8Array.from([...b, m.value]);
    else if (b.length === 0) continue;
    else if (m.kind === 'truncate') b = b.slice(0, m.at % b.length);
    else if (m.kind === 'xor') b[m.at % b.length] ^= m.mask;
    else b[m.at % b.length] = m.value;
  }
  return b;
}

test('mutated valid encodings: every decoder gives an EncodingError or a canonical value', () => {
  for (const codec of codecs) {
    fc.assert(
      fc.property(validEncodings[codec.name], fc.array(mutation, { minLength: 1, maxLength: 3 }), (b, ms) =>
        decodesCanonicallyOrRejects(codec, mutate(b, ms)),
      ),
      { numRuns: codec.name === 'G2' ? 40 : codec.name === 'GT' ? 12 : 300 },
    );
  }
});

test('non-canonical scalars (≥ r) and wrong lengths are rejected', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: R, max: (1n << 256n) - 1n }), (x) => rejects(decodeFr, bigintToBytesBE(x, 32), /≥ r/)),
  );
  for (const codec of codecs) {
    rejects(codec, new Uint8Array(codec.length - 1), /must be/);
    rejects(codec, new Uint8Array(codec.length + 1), /must be/);
    rejects(codec, new Uint8Array(0), /must be/);
  }
  assert.throws(() => encodeFr(R), EncodingError);
  assert.throws(() => encodeFr(-1n), EncodingError);
});

test('G1: x ≥ p, flags on infinity and off-curve x are rejected', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: P, max: (1n << 254n) - 1n }), fc.boolean(), (x, larger) => {
      const b = bigintToBytesBE(x, 32);
      if (larger) b[0] |= 0x40;
      rejects(decodeG1, b, /not below p/);
    }),
  );
  const infinity = encodeG1(G1.ZERO);
  rejects(decodeG1, Uint8Array.from(infinity, (v, i) => (i === 0 ? v | 0x40 : v)), /stray bits/);
  fc.assert(
    fc.property(fc.nat({ max: 31 }), fc.integer({ min: 1, max: 255 }), (at, v) => {
      const b = infinity.slice();
      if (at === 0) b[0] |= v & 0x3f || 1;
      else b[at] = v;
      rejects(decodeG1, b, /stray bits/);
    }),
  );
  // x = 0 would need y² = 3, which is not a square mod p.
  rejects(decodeG1, new Uint8Array(32), /not on the curve/);
});

test('uncompressed G1: round trip, the remembered compressed encoding, and y ≥ p, −y, off-curve points and flags are refused', () => {
  fc.assert(
    fc.property(g1Point, (p) => {
      const q = decodeG1Uncompressed(encodeG1Uncompressed(p));
      assert.ok(q.equals(p));
      // The compressed encoding derived without a square root is the one computed from the point.
      assert.deepEqual(encodeG1(q), encodeG1(G1.fromAffine(p.toAffine())));
    }),
    { numRuns: 50 },
  );
  const p = G1_ONE.multiply(12345n);
  const b = encodeG1Uncompressed(p);
  const { y } = p.toAffine();
  const withY = (v: bigint) => Uint8Array.from([...b.subarray(0, 32), ...bigintToBytesBE(v, 32)]);
  // −P decodes to −P (a different point, hence a different compressed encoding), never to P.
  assert.ok(decodeG1Uncompressed(withY(P - y)).equals(p.negate()));
  rejects(decodeG1Uncompressed, withY(y + P), /not below p/);
  rejects(decodeG1Uncompressed, withY(Fp.add(y, 1n)), /not on the curve/);
  rejects(decodeG1Uncompressed, Uint8Array.from(b, (v, i) => (i === 0 ? v | 0x40 : v)), /flag bits/);
  const infinity = encodeG1Uncompressed(G1.ZERO);
  assert.ok(decodeG1Uncompressed(infinity).is0());
  rejects(decodeG1Uncompressed, Uint8Array.from(infinity, (v, i) => (i === 63 ? 1 : v)), /stray bits/);
});

test('G2: coordinates ≥ p, flags on infinity, off-twist x and points outside the subgroup are rejected', () => {
  const valid = encodeG2(G2_ONE.multiply(7n));
  for (const half of [0, 32]) {
    fc.assert(
      fc.property(fc.bigInt({ min: P, max: (1n << 254n) - 1n }), (x) => {
        const b = valid.slice();
        b.set(bigintToBytesBE(x, 32), half);
        if (half === 0) b[0] |= valid[0] & 0xc0;
        rejects(decodeG2, b, /not below p/);
      }),
      { numRuns: 50 },
    );
  }
  const infinity = encodeG2(G2.ZERO);
  rejects(decodeG2, Uint8Array.from(infinity, (v, i) => (i === 0 ? v | 0x40 : v)), /stray bits/);
  rejects(decodeG2, Uint8Array.from(infinity, (v, i) => (i === 63 ? 1 : v)), /stray bits/);

  const outside = twistPointOutsideSubgroup();
  assert.ok(!outside.isTorsionFree());
  // The same compressed format, written by hand, for a point on the twist that is not in G2.
  const { x, y } = outside.toAffine();
  const b = new Uint8Array(64);
  b.set(bigintToBytesBE(x.c1, 32), 0);
  b.set(bigintToBytesBE(x.c0, 32), 32);
  const half = (P - 1n) >> 1n;
  if (y.c1 !== 0n ? y.c1 > half : y.c0 > half) b[0] |= 0x40;
  rejects(decodeG2, b, /subgroup/);
  b[0] ^= 0x40;
  rejects(decodeG2, b, /subgroup/);
});

test('GT: coefficients ≥ p and elements outside the order-r subgroup are rejected', () => {
  const one = encodeGt(GT_ONE);
  const big = one.slice();
  big.set(bigintToBytesBE(P, 32), 5 * 32);
  rejects(decodeGt, big, /not below p/);
  rejects(decodeGt, new Uint8Array(GT_BYTES), /subgroup/);
  // A random Fp12 element is in the order-r subgroup with probability ≈ r / p^12.
  const notInGt = Fp12.fromBytes(Uint8Array.from({ length: GT_BYTES }, (_, i) => (i % 32 === 0 ? 0 : (i * 37) & 0xff)));
  rejects(decodeGt, encodeGt(notInGt), /subgroup/);
});

test('ByteReader rejects short reads, oversized counts, bad UTF-8 and trailing bytes with EncodingError', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 16 }), fc.nat({ max: 32 }), (b, n) => {
      const r = new ByteReader(b);
      if (n <= b.length) assert.deepEqual(r.take(n), b.subarray(0, n));
      else assert.throws(() => r.take(n), EncodingError);
    }),
  );
  const w = new ByteWriter().u32(7).string('héllo').u8(255);
  const r = new ByteReader(w.bytes());
  assert.equal(r.u32(), 7);
  assert.equal(r.string(), 'héllo');
  assert.equal(r.u8(), 255);
  r.finish();
  assert.throws(() => new ByteReader(new ByteWriter().u32(1 << 20).bytes()).count(1000, 'n'), EncodingError);
  assert.throws(() => new ByteReader(Uint8Array.of(2, 0, 0, 0, 0xc3, 0x28)).string(), EncodingError);
  assert.throws(() => new ByteReader(Uint8Array.of(1, 2)).finish(), EncodingError);
  assert.throws(() => new ByteWriter().u32(-1), EncodingError);
});

test('from32BE reads the 32 big-endian bytes at an offset, inverse of bigintToBytesBE', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }), fc.nat({ max: 40 }), (x, at) => {
      const b = new Uint8Array(at + 32 + 3).fill(0xff);
      b.set(bigintToBytesBE(x, 32), at);
      assert.equal(from32BE(b, at), x);
      assert.equal(from32BE(b.subarray(at)), x, 'a view at an offset in its buffer');
    }),
    { numRuns: 100 },
  );
});
