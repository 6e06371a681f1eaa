/**
 * Batched decoding against decoding one element at a time (fast-check): `decodeG1s` (the square roots of a list of
 * compressed G1 points in one kernel call, `g1YsFromXs`) and `decodeSlots` (a message step's slots, its G1 points in
 * one batch) return exactly what `decodeG1` and the per-sort decoders return one by one, or throw the error those
 * would throw first, on lists mixing valid points, the point at infinity, off-curve abscissas, abscissas ≥ p, stray
 * flag bits, non-canonical scalars and truncated input; so does a proof's wire section (`readWireCommitments`), and
 * a verifier's reader of a leaf's messages (`leafMessageReader`: every message step's slots decoded in one batch,
 * each step handed its own, in schedule order only).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { G1, G1_ONE, G2, G2_ONE, type G1Point, type G2Point } from '../../src/curve';
import { ByteReader } from '../../src/encoding/bytes';
import { decodeFr, decodeG1, decodeG1s, decodeG2, encodeFr, encodeG1, encodeG2, FR_BYTES, G1_BYTES, G2_BYTES } from '../../src/encoding/points';
import type { SlotDecl, SlotSort, SlotValue } from '../../src/equations/equation';
import { Fp, R } from '../../src/field';
import { decodeSlot, decodeSlots, leafMessageReader } from '../../blocks/messages';
import { messageSlots, type Protocol } from '../../blocks/protocol';
import { readWireCommitments } from '../../src/pipeline/graph-proof';
import { Transcript } from '../../src/transcript';

const P = Fp.ORDER;
const scalar = fc.bigInt({ min: 1n, max: R - 1n });
const be32 = (x: bigint) => Uint8Array.from({ length: 32 }, (_, i) => Number((x >> BigInt(8 * (31 - i))) & 0xffn));

/** Compressed G1 encodings, mostly valid (either sign), some malformed in each way a decoder refuses. */
const g1Encoding = fc.oneof(
  { weight: 10, arbitrary: scalar.map((k) => encodeG1(G1_ONE.multiply(k))) },
  { weight: 1, arbitrary: fc.constant(encodeG1(G1.ZERO)) },
  { weight: 2, arbitrary: fc.uint8Array({ minLength: 32, maxLength: 32 }) }, // random: often off the curve or ≥ p
  { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: 15n }).map((d) => be32(P + d)) }, // x ≥ p (flags clear)
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 31 }).map((i) => Object.assign(encodeG1(G1.ZERO), { [i]: 1 })) }, // stray bits
  { weight: 1, arbitrary: fc.constant(Uint8Array.of(0xc0, ...new Uint8Array(31))) }, // infinity with the sign flag
);

/** The outcome of `f`: its value, or the class and message of what it threw. */
function outcome<T>(f: () => T): { value: T } | { error: string } {
  try {
    return { value: f() };
  } catch (e) {
    return { error: `${(e as Error).name}: ${(e as Error).message}` };
  }
}

/** Equal slot values: the same scalar, or the same point (compared as points and by their encodings). */
function same(a: SlotValue, b: SlotValue): boolean {
  if (typeof a === 'bigint' || typeof b === 'bigint') return a === b;
  if (a instanceof G1) return b instanceof G1 && (a as G1Point).equals(b as G1Point) && encodeG1(a as G1Point).join() === encodeG1(b as G1Point).join();
  return b instanceof G2 && (a as G2Point).equals(b as G2Point) && encodeG2(a as G2Point).join() === encodeG2(b as G2Point).join();
}

test('decodeG1s decodes what decodeG1 decodes one by one, and throws what it throws first', () => {
  fc.assert(
    fc.property(fc.array(g1Encoding, { maxLength: 10 }), (encodings) => {
      const batch = outcome(() => decodeG1s(encodings));
      const single = outcome(() => encodings.map(decodeG1));
      if ('error' in single) assert.deepEqual(batch, single);
      else {
        assert.ok('value' in batch, `the batch threw ${'error' in batch ? batch.error : ''}`);
        assert.equal(batch.value.length, single.value.length);
        batch.value.forEach((p, i) => assert.ok(same(p, single.value[i])));
        // A decoded point re-encodes to its own bytes (the transcript absorbs that encoding).
        batch.value.forEach((p, i) => assert.deepEqual(encodeG1(p), Uint8Array.from(encodings[i])));
      }
    }),
    { numRuns: 300 },
  );
});

test('decodeG1s of valid points of both signs, in lists of every length around the lockstep of three', () => {
  for (let n = 0; n <= 8; n++) {
    const points = Array.from({ length: n }, (_, i) => (i % 2 ? G1_ONE.multiply(BigInt(1000 + 7 * i)) : G1_ONE.multiply(BigInt(1000 + 7 * i)).negate()));
    decodeG1s(points.map(encodeG1)).forEach((p, i) => assert.ok(p.equals(points[i])));
  }
});

test('decodeG1s: each point is the one encoded (its affine x and y, not its negation), and keeps its own copy of its encoding', () => {
  const points = Array.from({ length: 7 }, (_, i) => G1_ONE.multiply(BigInt(31 + 1009 * i)));
  const signed = points.map((p, i) => (i % 3 === 0 ? p.negate() : p));
  const encodings = [...signed.map(encodeG1), encodeG1(G1.ZERO)];
  const decoded = decodeG1s(encodings);
  signed.forEach((p, i) => {
    assert.deepEqual(decoded[i].toAffine(), p.toAffine(), `point ${i}`);
    assert.ok(!decoded[i].equals(p.negate()), `point ${i} is not its negation`);
  });
  assert.ok(decoded[7].is0());
  // The caller's bytes may change afterwards: the encodings the points keep (which the transcript absorbs) do not.
  const kept = decoded.map((p) => encodeG1(p));
  for (const b of encodings) b.fill(0x5a);
  decoded.forEach((p, i) => assert.deepEqual(encodeG1(p), kept[i]));
  assert.deepEqual(kept.slice(0, 7), signed.map(encodeG1));
});

const sorts: SlotSort[] = ['fr', 'g1', 'g2'];
/** One slot's encoding: mostly valid, sometimes a non-canonical scalar or a malformed point. */
const slotBytes = (sort: SlotSort) =>
  sort === 'g1'
    ? g1Encoding
    : sort === 'fr'
      ? fc.oneof({ weight: 8, arbitrary: fc.bigInt({ min: 0n, max: R - 1n }).map(encodeFr) }, { weight: 1, arbitrary: fc.bigInt({ min: R, max: 2n ** 256n - 1n }).map(be32) })
      : fc.oneof({ weight: 8, arbitrary: scalar.map((k) => encodeG2(G2_ONE.multiply(k))) }, { weight: 1, arbitrary: fc.uint8Array({ minLength: 64, maxLength: 64 }) });
const step = fc
  .array(fc.constantFrom(...sorts), { maxLength: 8 })
  .chain((ss) => fc.tuple(fc.constant(ss), fc.tuple(...ss.map(slotBytes)), fc.nat({ max: 40 })));

/** The plain reading: each slot taken and decoded in turn. */
function oneByOne(decls: readonly SlotDecl[], r: ByteReader): Record<string, SlotValue> {
  const out: Record<string, SlotValue> = {};
  for (const d of decls) {
    const b = r.take(d.sort === 'fr' ? FR_BYTES : d.sort === 'g1' ? G1_BYTES : G2_BYTES, `${d.sort} slot "${d.name}"`);
    out[d.name] = d.sort === 'fr' ? decodeFr(b) : d.sort === 'g1' ? decodeG1(b) : decodeG2(b);
  }
  return out;
}

test('decodeSlots reads a step as the slots one by one, or throws what that throws first (truncated input included)', () => {
  fc.assert(
    fc.property(step, ([ss, parts, cut]) => {
      const decls: SlotDecl[] = ss.map((sort, i) => ({ name: `s${i}`, sort, origin: 'message' }));
      const all = Uint8Array.from(parts.flatMap((b) => [...b]));
      const bytes = all.subarray(0, Math.max(0, all.length - cut)); // drop up to 40 trailing bytes, sometimes
      const single = outcome(() => oneByOne(decls, new ByteReader(bytes)));
      const batch = outcome(() => decodeSlots(decls, new ByteReader(bytes)));
      if ('error' in single) assert.deepEqual(batch, single);
      else {
        assert.ok('value' in batch, `the batch threw ${'error' in batch ? batch.error : ''}`);
        for (const d of decls) assert.ok(same(batch.value[d.name], single.value[d.name]), d.name);
        if (decls.length > 0) assert.ok(same(decodeSlot(decls[0], new ByteReader(bytes)), single.value[decls[0].name]));
      }
    }),
    { numRuns: 200 },
  );
});

test('readWireCommitments throws the error that reading its points one by one meets first (an invalid point before a truncation)', () => {
  const g = { tensors: [{ id: 'a', kind: 'wire' as const, rows: 2, domain: 4 }, { id: 'b', kind: 'wire' as const, rows: 1, domain: 4 }], nodes: [] };
  const read = (bytes: Uint8Array) => outcome(() => readWireCommitments(g, new Set(), new Map(), {}, 0, Transcript.create('wires'), new ByteReader(bytes)));
  const valid = encodeG1(G1_ONE.multiply(5n));
  const offCurve = be32(P + 1n);
  const cases: [Uint8Array[], number][] = [
    [[valid, offCurve, valid], 96], // complete: the invalid point
    [[valid, offCurve, valid], 80], // truncated after the invalid point: still the invalid point
    [[valid, valid, valid], 80], // truncated, every point before valid: the truncation
  ];
  for (const [points, length] of cases) {
    const bytes = Uint8Array.from(points.flatMap((b) => [...b])).subarray(0, length);
    const single = outcome(() => {
      const r = new ByteReader(bytes);
      for (let i = 0; i < 3; i++) decodeG1(r.take(G1_BYTES, i < 2 ? `commitment of a[${i}]` : 'commitment of b[0]'));
    });
    const batch = read(bytes);
    assert.ok('error' in single && 'error' in batch, `${length} bytes: both refuse`);
    assert.equal(batch.error, single.error, `${length} bytes`);
  }
  assert.ok('value' in read(Uint8Array.from([valid, valid, valid].flatMap((b) => [...b]))));
});

/** A protocol whose schedule interleaves message steps of the given slot sorts with challenges (nothing else is read). */
function messageProtocol(steps: readonly (readonly SlotSort[])[]): Protocol {
  const slots: SlotDecl[] = [];
  const schedule: Protocol['schedule'][number][] = [];
  steps.forEach((sorts, k) => {
    const names = sorts.map((sort, i) => {
      slots.push({ name: `m${k}_${i}`, sort, origin: 'message' });
      return `m${k}_${i}`;
    });
    schedule.push({ kind: 'message', slots: names });
    slots.push({ name: `c${k}`, sort: 'fr', origin: 'challenge' });
    schedule.push({ kind: 'challenge', slots: [`c${k}`] });
  });
  return { foldKey: 'messages', maxDegree: 2, slots, equations: [], schedule };
}

test('leafMessageReader hands each message step what decodeSlots of that step reads, or throws first what decodeSlots of all the messages throws', () => {
  const steps = fc.array(
    fc.array(fc.constantFrom(...sorts), { minLength: 1, maxLength: 3 }).chain((ss) => fc.tuple(fc.constant(ss), fc.tuple(...ss.map(slotBytes)))),
    { maxLength: 6 },
  );
  fc.assert(
    fc.property(steps, fc.nat({ max: 40 }), (parts, cut) => {
      const protocol = messageProtocol(parts.map(([ss]) => ss));
      const all = Uint8Array.from(parts.flatMap(([, bs]) => bs.flatMap((b) => [...b])));
      const bytes = all.subarray(0, Math.max(0, all.length - cut));
      const decls = protocol.slots.filter((d) => d.origin === 'message');
      // The plain reading, independent of decodeSlots (which the reader uses): a failure must be the one it meets first.
      const whole = outcome(() => oneByOne(decls, new ByteReader(bytes)));
      const reader = outcome(() => leafMessageReader(protocol, new ByteReader(bytes)));
      if ('error' in whole) {
        assert.deepEqual(reader, whole);
        return;
      }
      assert.ok('value' in reader, `the reader threw ${'error' in reader ? reader.error : ''}`);
      // Step by step, as the schedule asks: each step's own slots, equal to decoding that step alone.
      const r = new ByteReader(bytes);
      for (const step of protocol.schedule) {
        if (step.kind !== 'message') continue;
        const stepDecls = step.slots.map((n) => decls.find((d) => d.name === n)!);
        const got = reader.value(stepDecls);
        const alone = decodeSlots(stepDecls, r);
        assert.deepEqual(Object.keys(got), step.slots);
        for (const d of stepDecls) assert.ok(same(got[d.name], alone[d.name]), d.name);
      }
    }),
    { numRuns: 150 },
  );
});

test('leafMessageReader refuses a step asked out of schedule order, and a step asked again', () => {
  const protocol = messageProtocol([['g1'], ['fr', 'g1']]);
  const [a, b, c] = protocol.slots.filter((d) => d.origin === 'message');
  const bytes = Uint8Array.from([...encodeG1(G1_ONE.multiply(3n)), ...encodeFr(7n), ...encodeG1(G1_ONE.multiply(5n))]);
  assert.throws(() => leafMessageReader(protocol, new ByteReader(bytes))([b, c]), /out of schedule order/);
  const read = leafMessageReader(protocol, new ByteReader(bytes));
  assert.ok((read([a]).m0_0 as G1Point).equals(G1_ONE.multiply(3n)));
  assert.throws(() => read([a]), /out of schedule order/);
  const rest = read([b, c]);
  assert.equal(rest.m1_0, 7n);
  assert.ok((rest.m1_1 as G1Point).equals(G1_ONE.multiply(5n)));
});

test("messageSlots lists a protocol's message slots in schedule order, once per protocol, as a frozen list", () => {
  const p = messageProtocol([['g1', 'fr'], [], ['g2']]);
  const slots = messageSlots(p);
  assert.deepEqual(slots.map((d) => d.sort), ['g1', 'fr', 'g2']);
  assert.equal(messageSlots(p), slots);
  assert.ok(Object.isFrozen(slots));
  assert.notEqual(messageSlots(messageProtocol([['g1', 'fr'], [], ['g2']])), slots, 'another protocol, its own list');
});
