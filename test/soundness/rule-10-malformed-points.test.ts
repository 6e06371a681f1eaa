/**
 * docs/soundness.md rule 10: every deserialized point and scalar is validated; malformed input is a typed error (a rejection
 * with a reason), never a crash.
 *
 * - Block level: the first message of a Hadamard proof is a G1 quotient commitment; replacing it by an x ≥ p, an
 *   off-curve x, an infinity with stray bits, both flags, or a scalar ≥ r in an evaluation slot gives a rejection.
 * - Pipeline level (sample MLP): the same malformed 32-byte encodings written over the first wire commitment and over
 *   32-byte windows spread across the whole proof, plus truncations and garbage, give `{ ok: false }` and never throw.
 *
 * Also covered elsewhere: decoders on random and mutated bytes, G2 subgroup and GT subgroup checks
 * (`test/core/encoding.test.ts`), G2 points off the curve or outside the subgroup in leaf messages and sign-flipped GT
 * cross terms (`test/accumulation/adversarial.test.ts`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Fp, R, bigintToBytesBE } from '../../src/index';
import { HadamardBlock, messageSlots, verifyBlock, proveBlock, slotBytes } from '../../blocks/index';
import { verify } from '../../src/pipeline/prove-verify';
import { context, statementOf } from './helpers';
import { sampleProof } from './pipeline';

/** The smallest x whose x³ + 3 is not a square: no G1 point has it. */
function offCurveX(): bigint {
  for (let x = 1n; ; x++) {
    const rhs = Fp.add(Fp.mul(Fp.sqr(x), x), 3n);
    if (Fp.pow(rhs, (Fp.ORDER - 1n) / 2n) !== 1n) return x;
  }
}

/** Malformed 32-byte encodings of a G1 point (and of a scalar). */
function malformed(): { name: string; bytes: Uint8Array }[] {
  const withFlags = (x: bigint, flags: number) => {
    const b = bigintToBytesBE(x, 32);
    b[0] |= flags;
    return b;
  };
  const strayInfinity = new Uint8Array(32);
  strayInfinity[0] = 0x80;
  strayInfinity[31] = 1;
  return [
    { name: 'x = p', bytes: bigintToBytesBE(Fp.ORDER, 32) },
    { name: 'x = p + 1 with the sign flag', bytes: withFlags(Fp.ORDER + 1n, 0x40) },
    { name: 'off-curve x', bytes: bigintToBytesBE(offCurveX(), 32) },
    { name: 'infinity with stray bits', bytes: strayInfinity },
    { name: 'both flags', bytes: withFlags(0n, 0xc0) },
    { name: 'all ones', bytes: new Uint8Array(32).fill(0xff) },
    { name: 'scalar r', bytes: bigintToBytesBE(R, 32) },
  ];
}

test('rule 10: malformed points and scalars in a block proof are rejections with a reason', async () => {
  const ctx = await context(64);
  const block = new HadamardBlock({ rows: 1, domain: 8 });
  const inputs = { a: [[1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n]], b: [[8n, 7n, 6n, 5n, 4n, 3n, 2n, 1n]] };
  const tensors = { ...inputs, ...block.witness(inputs) };
  const protocol = block.protocol(ctx);
  const statement = await statementOf(block, ctx, tensors);
  const proof = await proveBlock(block, ctx, protocol, statement, tensors);
  assert.deepEqual(await verifyBlock(ctx, protocol, statement, proof), { ok: true });
  const slots = messageSlots(protocol);
  assert.equal(slots[0].sort, 'g1');
  const frOffset = slotBytes('g1'); // the second message is an evaluation
  assert.equal(slots[1].sort, 'fr');
  for (const { name, bytes } of malformed()) {
    for (const offset of [0, frOffset]) {
      if (offset === frOffset && !/scalar|all ones|x = p$/.test(name)) continue;
      const bad = proof.slice();
      bad.set(bytes, offset);
      const v = await verifyBlock(ctx, protocol, statement, bad);
      assert.equal(v.ok, false, `${name} at ${offset}`);
      if (!v.ok) assert.match(v.reason, /not|encoding|stray|flag|canonical|curve|below/i, `${name}: ${v.reason}`);
    }
  }
});

test('rule 10: malformed encodings anywhere in a model proof are rejections, never exceptions', async () => {
  const { pk, statement, proof } = await sampleProof();
  const bytes = proof.bytes;
  assert.equal((await verify(pk.vk, statement, bytes)).ok, true);
  const check = async (what: string, b: Uint8Array) => {
    const v = await verify(pk.vk, statement, b); // must not throw
    assert.equal(v.ok, false, what);
  };
  const WIRES = 11; // magic, version, kind, zk flag, u32 length of the wire section
  for (const { name, bytes: m } of malformed()) {
    const b = bytes.slice();
    b.set(m, WIRES);
    await check(`first wire commitment: ${name}`, b);
  }
  // 32-byte windows across the proof (header, length, commitments, scalars, opening proofs).
  const patterns = malformed();
  const windows = 10;
  for (let i = 0; i < windows; i++) {
    const offset = Math.floor(((i + 0.5) * (bytes.length - 32)) / windows);
    const b = bytes.slice();
    b.set(patterns[i % patterns.length].bytes, offset);
    await check(`${patterns[i % patterns.length].name} at ${offset}`, b);
  }
  await check('empty', new Uint8Array(0));
  await check('header only', bytes.slice(0, 7));
  await check('huge wire length', (() => { const b = bytes.slice(); b.set([0xff, 0xff, 0xff, 0x7f], 7); return b; })());
  await check('garbage', Uint8Array.from({ length: 512 }, (_, i) => (i * 131 + 7) & 0xff));
});
