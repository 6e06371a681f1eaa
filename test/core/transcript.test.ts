import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { G1_ONE, G2_ONE } from '../../src/curve';
import { bytesToBigintBE } from '../../src/encoding/bytes';
import { encodeFr, encodeG1 } from '../../src/encoding/points';
import { EncodingError } from '../../src/errors';
import { R } from '../../src/field';
import { Transcript } from '../../src/transcript';

interface Message {
  label: string;
  bytes: Uint8Array;
}

const label = fc.string({ maxLength: 12 });
const message: fc.Arbitrary<Message> = fc.record({ label, bytes: fc.uint8Array({ maxLength: 48 }) });
const messages = fc.array(message, { maxLength: 6 });

function run(protocol: string, msgs: readonly Message[], challengeLabel = 'c'): bigint {
  const t = Transcript.create(protocol);
  for (const m of msgs) t.absorbBytes(m.label, m.bytes);
  return t.challengeFr(challengeLabel);
}

const sameMessage = (a: Message, b: Message) => a.label === b.label && Buffer.from(a.bytes).equals(Buffer.from(b.bytes));

test('challenges are deterministic and canonical (< r)', () => {
  fc.assert(
    fc.property(label, messages, label, (protocol, msgs, c) => {
      const x = run(protocol, msgs, c);
      assert.equal(x, run(protocol, msgs, c));
      assert.ok(x >= 0n && x < R);
    }),
  );
});

test('the challenge matches an independent implementation of the documented construction', () => {
  const enc = (s: string) => new TextEncoder().encode(s);
  const u32 = (n: number) => Uint8Array.of(n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24);
  const record = (state: Uint8Array, tag: string, l: string, payload?: Uint8Array) => {
    const parts = [state, enc(tag), u32(enc(l).length), enc(l)];
    if (payload) parts.push(u32(payload.length), payload);
    return keccak_256(Buffer.concat(parts));
  };
  fc.assert(
    fc.property(label, messages, label, (protocol, msgs, c) => {
      let state = record(new Uint8Array(32), 'P', protocol);
      for (const m of msgs) state = record(state, 'A', m.label, m.bytes);
      const wide = Buffer.concat([record(state, 'C', c, Uint8Array.of(0)), record(state, 'C', c, Uint8Array.of(1))]);
      assert.equal(run(protocol, msgs, c), bytesToBigintBE(wide) % R);
    }),
    { numRuns: 50 },
  );
});

test('the protocol id, every label and the challenge label change the challenge', () => {
  fc.assert(
    fc.property(label, label, messages, (p1, p2, msgs) => {
      fc.pre(p1 !== p2);
      assert.notEqual(run(p1, msgs), run(p2, msgs));
    }),
  );
  fc.assert(
    fc.property(messages.filter((m) => m.length > 0), fc.nat(), label, (msgs, k, other) => {
      const i = k % msgs.length;
      fc.pre(msgs[i].label !== other);
      const changed = msgs.map((m, j) => (j === i ? { ...m, label: other } : m));
      assert.notEqual(run('p', msgs), run('p', changed));
    }),
  );
  fc.assert(
    fc.property(messages, label, label, (msgs, c1, c2) => {
      fc.pre(c1 !== c2);
      assert.notEqual(run('p', msgs, c1), run('p', msgs, c2));
    }),
  );
});

test('every absorbed bit changes the challenge', () => {
  fc.assert(
    fc.property(messages.filter((m) => m.some((x) => x.bytes.length > 0)), fc.nat(), fc.nat(), fc.integer({ min: 0, max: 7 }), (msgs, k, b, bit) => {
      const nonEmpty = msgs.map((_, i) => i).filter((i) => msgs[i].bytes.length > 0);
      const i = nonEmpty[k % nonEmpty.length];
      const bytes = msgs[i].bytes.slice();
      bytes[b % bytes.length] ^= 1 << bit;
      const changed = msgs.map((m, j) => (j === i ? { ...m, bytes } : m));
      assert.notEqual(run('p', msgs), run('p', changed));
    }),
  );
});

test('the order of absorbs changes the challenge', () => {
  fc.assert(
    fc.property(message, message, messages, (a, b, rest) => {
      fc.pre(!sameMessage(a, b));
      assert.notEqual(run('p', [a, b, ...rest]), run('p', [b, a, ...rest]));
    }),
  );
});

test('message boundaries are unambiguous: splitting bytes or moving them between label and payload changes the challenge', () => {
  fc.assert(
    fc.property(label, fc.uint8Array({ minLength: 1, maxLength: 32 }), fc.nat(), (l, bytes, k) => {
      const cut = k % (bytes.length + 1);
      const whole = run('p', [{ label: l, bytes }]);
      assert.notEqual(whole, run('p', [{ label: l, bytes: bytes.subarray(0, cut) }, { label: l, bytes: bytes.subarray(cut) }]));
      // "ab" ‖ [] versus "a" ‖ "b": the label/payload boundary is length-prefixed.
      const text = new TextEncoder().encode(l + 'x');
      assert.notEqual(run('p', [{ label: l + 'x', bytes: new Uint8Array() }]), run('p', [{ label: l, bytes: text.subarray(text.length - 1) }]));
    }),
  );
  // An appended empty message is still a message.
  assert.notEqual(run('p', []), run('p', [{ label: '', bytes: new Uint8Array() }]));
});

test('consecutive challenges differ, and a challenge depends on the previous ones', () => {
  fc.assert(
    fc.property(messages, (msgs) => {
      const t = Transcript.create('p');
      for (const m of msgs) t.absorbBytes(m.label, m.bytes);
      const first = t.challengeFr('c');
      const second = t.challengeFr('c');
      assert.notEqual(first, second);
      // Drawing 'c' before 'd' changes 'd': the challenge itself is absorbed.
      const withC = Transcript.create('p');
      const withoutC = Transcript.create('p');
      for (const m of msgs) [withC, withoutC].forEach((t) => t.absorbBytes(m.label, m.bytes));
      assert.equal(withC.challengeFr('c'), first);
      assert.notEqual(withC.challengeFr('d'), withoutC.challengeFr('d'));
    }),
    { numRuns: 50 },
  );
});

test('forks are independent of each other and leave the parent unchanged', () => {
  fc.assert(
    fc.property(messages, label, label, message, (msgs, l1, l2, extra) => {
      fc.pre(l1 !== l2);
      const parent = Transcript.create('p');
      for (const m of msgs) parent.absorbBytes(m.label, m.bytes);
      const before = parent.digest();
      const a = parent.fork(l1);
      const b = parent.fork(l2);
      assert.deepEqual(parent.digest(), before);
      // A fork's absorbs and challenges touch neither the parent nor a sibling.
      const bState = b.digest();
      a.absorbBytes(extra.label, extra.bytes);
      const ca = a.challengeFr('c');
      assert.deepEqual(parent.digest(), before);
      assert.deepEqual(b.digest(), bState);
      const cb = b.challengeFr('c');
      assert.notEqual(ca, cb);
      assert.notEqual(parent.fork(l1).challengeFr('c'), cb);
      // Same label from the same state: the same child, whatever happened to other forks.
      assert.deepEqual(parent.fork(l2).challengeFr('c'), cb);
      // A fork is not the parent itself.
      assert.notEqual(parent.fork(l1).challengeFr('c'), run('p', msgs));
    }),
    { numRuns: 50 },
  );
});

test('typed absorbs use the canonical encodings and reject non-canonical scalars', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: 0n, max: R - 1n }), (x) => {
      const a = Transcript.create('p').absorbFr('x', x).challengeFr('c');
      const b = Transcript.create('p').absorbBytes('x', encodeFr(x)).challengeFr('c');
      assert.equal(a, b);
      assert.notEqual(Transcript.create('p').absorbFrs('x', [x]).challengeFr('c'), Transcript.create('p').absorbFrs('x', [x, 0n]).challengeFr('c'));
    }),
    { numRuns: 30 },
  );
  assert.throws(() => Transcript.create('p').absorbFr('x', R), EncodingError);
  assert.throws(() => Transcript.create('p').absorbFr('x', -1n), EncodingError);
  // The state is overwritten in place by each absorb: a refused scalar must leave it as it was.
  const refused = Transcript.create('p').absorbFr('x', 5n);
  const before = refused.digest();
  assert.throws(() => refused.absorbFr('y', R), EncodingError);
  assert.deepEqual(refused.digest(), before);
  assert.equal(refused.challengeFr('c'), Transcript.create('p').absorbFr('x', 5n).challengeFr('c'));
  const g1 = Transcript.create('p').absorbG1('P', G1_ONE).challengeFr('c');
  assert.equal(g1, Transcript.create('p').absorbBytes('P', encodeG1(G1_ONE)).challengeFr('c'));
  assert.notEqual(g1, Transcript.create('p').absorbG1('P', G1_ONE.negate()).challengeFr('c'));
  const g2 = Transcript.create('p').absorbG2('Q', G2_ONE).challengeFr('c');
  assert.notEqual(g2, Transcript.create('p').absorbG2('Q', G2_ONE.negate()).challengeFr('c'));
});

test('a digest handed out (fork, digest) is not changed by later absorbs into the transcript that gave it', () => {
  const t = Transcript.create('p').absorbFr('x', 1n);
  const digest = t.digest();
  const fork = t.fork('f');
  const forkChallenge = Transcript.fromState(fork.digest()).challengeFr('c');
  t.absorbFr('y', 2n).absorbG1('P', G1_ONE);
  t.challengeFr('d');
  assert.deepEqual(Transcript.create('p').absorbFr('x', 1n).digest(), digest);
  assert.equal(fork.challengeFr('c'), forkChallenge);
});

test('a transcript resumed from a state absorbs into its own copy: the state passed in is unchanged', () => {
  const s = Transcript.create('p').absorbFr('x', 1n).digest();
  const before = s.slice();
  const resumed = Transcript.fromState(s).absorbFr('x', 1n);
  assert.deepEqual(s, before);
  assert.notDeepEqual(resumed.digest(), before, 'the resumed transcript did absorb');
});
