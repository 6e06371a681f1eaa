/**
 * The logUp argument as a poly-IOP spec (`blocks/logup-iop.ts`), proven alone as a model argument: columns bundled
 * into shared helpers, every message element tampered, and cheating witnesses (a cell outside the table, a wrong
 * lookup output, a wrong copy) proven with the prover's checks bypassed — each must be rejected.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Transcript } from '../../src/transcript';
import type { G1Point } from '../../src/curve';
import { commitRows, LookupBlock, makeTable, PermutationBlock, rangeTable, reluTable, transposeMap, type Block, type BlockContext, type Tensors } from '../../blocks/index';
import { EvaluationDomain } from '../../src/poly/domain';
import { bundleBound, CHEAP_COSET, logupBundles, MAX_BUNDLE } from '../../blocks/logup-iop';
import { quotientCosetSize } from '../../src/poly/quotient';
import { BASE_OPENING_POINTS, blindedQuotientPowers, blindingCoefficients, hidingSrsSlack } from '../../blocks/hiding';
import { logupGroups, logupSlot, type LogupColumn } from '../../blocks/logup';
import { messageSlots } from '../../blocks/protocol';
import { slotBytes } from '../../blocks/messages';
import { decodeG1, encodeG1, G1_BYTES } from '../../src/encoding/points';
import { G1_ONE } from '../../src/curve';
import { proveLeaf } from '../../blocks/leaf';
import { modelArgumentProtocol, modelArgumentProver, modelArgumentSpec, modelArgumentStatement } from '../../blocks/model-argument';
import { replayAndVerify } from '../helpers/replay-verify';
import { context } from '../soundness/helpers';

/**
 * Proves `block` on `tensors` (inputs and outputs) as a one-member model argument, lets `tamper` edit the proof,
 * and verifies it. The prover must produce a proof (a throw there fails the test), so a rejection comes from the
 * verifier.
 */
async function verdict(ctx: BlockContext, block: Block, tensors: Tensors, tamper: (proof: Uint8Array) => void = () => {}, verifier: Block = block) {
  const spec = modelArgumentSpec('logup-iop-test', [block], ctx);
  const protocol = modelArgumentProtocol(spec, ctx);
  const verifierProtocol = verifier === block ? protocol : modelArgumentProtocol(modelArgumentSpec('logup-iop-test', [verifier], ctx), ctx);
  const c: Record<string, G1Point[]> = {};
  for (const t of block.tensors) c[t.name] = await commitRows(ctx.kzg, tensors[t.name], t.domain);
  const statement = modelArgumentStatement([block.statement(c)]);
  const { messages } = await proveLeaf(protocol, Transcript.create('logup-iop-test'), ctx.engine, statement, modelArgumentProver(spec, [block], ctx, [tensors]));
  const proof = Uint8Array.from(messages);
  tamper(proof);
  return replayAndVerify(verifierProtocol, 'logup-iop-test', ctx.engine, statement, proof);
}

/**
 * A range lookup into [0, 16) of rows of three cells: honest `x` verifies; any cell set outside the table (prover's
 * checks bypassed) and any changed message element is rejected.
 */
async function assertRangeLookupSound(ctx: BlockContext, block: Block, x: bigint[][]): Promise<void> {
  const cheat: BlockContext = { ...ctx, allowInvalidWitness: true };
  assert.deepEqual(await verdict(ctx, block, { x }), { ok: true });
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: 3 * x.length - 1 }), fc.oneof(fc.constant(16n), fc.constant(-1n), fc.bigInt({ min: 17n, max: 1n << 40n })), async (cell, v) => {
      const bad = x.map((r) => [...r]);
      bad[Math.floor(cell / 3)][cell % 3] = v;
      assert.equal((await verdict(cheat, block, { x: bad })).ok, false, `x[${cell}] = ${v} is outside [0, 16)`);
    }),
    { numRuns: 8 },
  );
  await fc.assert(
    fc.asyncProperty(fc.nat(), fc.integer({ min: 1, max: 255 }), async (e, mask) => {
      const v = await verdict(ctx, block, { x }, (p) => {
        p[32 * (e % (p.length / 32)) + 31] ^= mask;
      });
      assert.equal(v.ok, false, `element ${e}`);
    }),
    { numRuns: 8 },
  );
}

test('logupBundles: columns of one domain in order, in bundles of up to MAX_BUNDLE while the quotient fits the SRS (half of it beyond pairs), of any size on a quotient coset of at most CHEAP_COSET points', () => {
  const col = (n: number) => (name: string): LogupColumn => ({ name, domain: n }) as unknown as LogupColumn;
  const linear = () => ({ value: 1, weight: 0 });
  const c = blindingCoefficients(BASE_OPENING_POINTS);
  // Powers a degree-d identity's quotient needs on H_n with blinded oracles: d·(n + 2) − n + 1.
  const powersFor = (d: number, n: number) => blindedQuotientPowers(d, n, c);
  assert.equal(powersFor(3, 4), 15);
  const sizes = (n: number, k: number, powers: number) => {
    const columns = Array.from({ length: k }, (_, i) => col(n)(`c${i}`));
    const bundles = logupBundles(logupGroups(columns)[0], { powers, coefficients: c }, linear);
    assert.deepEqual(bundles.flat(), columns.map((x) => x.name), 'every column once, in order');
    return bundles.map((b) => b.length);
  };
  const chunks = (k: number, size: number) => Array.from({ length: Math.ceil(k / size) }, (_, i) => Math.min(size, k - i * size));
  // H_256: even a pair's quotient is on 512 points, so up to MAX_BUNDLE within half the SRS, pairs within all of it.
  assert.equal(quotientCosetSize(256, 3 * 258), 2 * CHEAP_COSET);
  for (let k = 1; k <= 17; k++) {
    for (const [powers, size] of [[100_000, MAX_BUNDLE], [powersFor(3, 256), 2], [2 * powersFor(4, 256), 3], [2 * powersFor(4, 256) - 1, 2], [2 * powersFor(5, 256), 4]] as const) {
      assert.deepEqual(sizes(256, k, powers), chunks(k, size), `H_256: ${k} columns, ${powers} powers`);
    }
  }
  // H_64: bundles of up to four columns (degree 5, 330 → 256 points) are cheap, beyond the half of the SRS too.
  assert.equal(quotientCosetSize(64, 5 * 66), CHEAP_COSET);
  assert.deepEqual(sizes(64, 9, 2 * powersFor(3, 64)), chunks(9, 4));
  // H_4: a bundle of up to 42 columns (degree 43, 255 powers) is on 256 points.
  assert.equal(quotientCosetSize(4, 43 * 6), CHEAP_COSET);
  assert.equal(quotientCosetSize(4, 44 * 6), 2 * CHEAP_COSET);
  for (const k of [9, 12, 42, 43, 100]) assert.deepEqual(sizes(4, k, 100_000), chunks(k, 42), `H_4: ${k} columns`);
  assert.deepEqual(sizes(4, 12, powersFor(3, 4)), chunks(12, 2), 'the SRS bounds the cheap bundles too');
  assert.deepEqual(sizes(4, 12, powersFor(7, 4)), chunks(12, 6));
  // A column whose value is a product of two polynomials (degree 2) does not fit a pair in the SRS of degree 3.
  const quadratic = (x: LogupColumn) => ({ value: x.name === 'c1' ? 2 : 1, weight: 0 });
  assert.deepEqual(logupBundles(logupGroups(['c0', 'c1', 'c2', 'c3'].map(col(4)))[0], { powers: powersFor(3, 4), coefficients: 3 }, quadratic), [['c0'], ['c1'], ['c2', 'c3']]);
});

test('logupBundles with the graph\'s blinding count: 8 columns on H_16 under an SRS for N = 128 and c = 27 (335 powers) are one bundle when counted at c = 3, but bundles of at most 5 at c = 27, each quotient within the bound', () => {
  const col = (name: string): LogupColumn => ({ name, domain: 16 }) as unknown as LogupColumn;
  const linear = () => ({ value: 1, weight: 0 });
  const columns = Array.from({ length: 8 }, (_, i) => col(`c${i}`));
  const powers = 2 * 128 + hidingSrsSlack(27);
  assert.equal(powers, 335);
  // Counted with the logUp oracles' own 3 coefficients, a bundle of 8 looks like 147 powers ≤ 335/2; it needs 363.
  assert.equal(blindedQuotientPowers(9, 16, 3), 147);
  assert.equal(blindedQuotientPowers(9, 16, 27), 363);
  assert.deepEqual(bundleBound({ kzg: { maxDegree: powers - 1 } } as unknown as BlockContext), { powers, coefficients: 3 }, 'the base when the context has no count');
  assert.deepEqual(bundleBound({ kzg: { maxDegree: powers - 1 }, blindingCoefficients: 27 } as unknown as BlockContext), { powers, coefficients: 27 });
  assert.deepEqual(logupBundles(logupGroups(columns)[0], { powers, coefficients: 3 }, linear).map((b) => b.length), [8]);
  const bundles = logupBundles(logupGroups(columns)[0], { powers, coefficients: 27 }, linear);
  // Five columns: 237 powers (more than half), on a coset of 256 points; six would need 279 powers, on 512 points.
  assert.deepEqual(bundles.map((b) => b.length), [5, 3]);
  for (const b of bundles) assert.ok(blindedQuotientPowers(b.length + 1, 16, 27) <= powers);
  assert.equal(quotientCosetSize(16, 6 * 42), CHEAP_COSET);
  assert.equal(quotientCosetSize(16, 7 * 42), 2 * CHEAP_COSET);
  assert.ok(blindedQuotientPowers(7, 16, 27) > powers / 2);
});

test('logUp spec: twelve columns of one domain share two helpers (ten and two: the SRS of 64 powers bounds even a cheap bundle); a cell outside the table in any of them, or a changed message element, is rejected', async () => {
  const ctx = await context(64);
  const block = new LookupBlock(rangeTable(0n, 16n), [{ input: 'x', rows: 12, domain: 4, length: 3 }]);
  const spec = modelArgumentSpec('logup-iop-test', [block], ctx);
  const helpers = spec.identities.filter((id) => id.name.includes('logup/') && id.domain === 4);
  assert.deepEqual(helpers.map((id) => id.name.split('logup/')[1].split('+').length), [10, 2]);
  const x = Array.from({ length: 12 }, (_, r) => [BigInt((7 * r) % 16), BigInt(15 - r), BigInt((3 * r + 1) % 16)]);
  await assertRangeLookupSound(ctx, block, x);
});

test('logUp spec: eight columns share one helper, its identity one term per column plus one (linear forms `β − f_c`, not 2^8 monomials); a cell outside the table in any of them, or a changed message element, is rejected', async () => {
  assert.equal(MAX_BUNDLE, 8);
  const ctx = await context(128);
  const block = new LookupBlock(rangeTable(0n, 16n), [{ input: 'x', rows: 8, domain: 4, length: 3 }]);
  const spec = modelArgumentSpec('logup-iop-test', [block], ctx);
  const bundles = spec.identities.filter((id) => id.name.includes('logup/') && id.domain === 4);
  assert.deepEqual(bundles.map((id) => id.name.split('logup/')[1].split('+').length), [8]);
  assert.equal(bundles[0].terms.length, 9, 'h·Π(β − f_c) and one term per column');
  assert.ok(bundles[0].terms.every((t) => t.factors.filter((f) => 'sum' in f).length >= 7), 'each term a product of linear forms');
  const x = Array.from({ length: 8 }, (_, r) => [BigInt(r), BigInt(15 - r), BigInt((3 * r) % 16)]);
  await assertRangeLookupSound(ctx, block, x);
});

test('logUp spec: twelve columns share one helper (a bundle beyond eight, its quotient coset small); a cell outside the table in any column, the helper replaced by another point, or any changed message element, is rejected', async () => {
  const ctx = await context(128);
  const block = new LookupBlock(rangeTable(0n, 16n), [{ input: 'x', rows: 12, domain: 4, length: 3 }]);
  const spec = modelArgumentSpec('logup-iop-test', [block], ctx);
  const bundles = spec.identities.filter((id) => id.name.includes('logup/') && id.domain === 4);
  assert.deepEqual(bundles.map((id) => id.name.split('logup/')[1].split('+').length), [12]);
  assert.equal(bundles[0].terms.length, 13, 'h·Π(β − f_c) and one term per column, written by halves');
  const x = Array.from({ length: 12 }, (_, r) => [BigInt(r), BigInt(15 - r), BigInt((5 * r) % 16)]);
  await assertRangeLookupSound(ctx, block, x);
  // The helper's commitment replaced by a valid point (itself plus the generator): decoded, and rejected.
  const protocol = modelArgumentProtocol(spec, ctx);
  const slots = messageSlots(protocol);
  const helper = slots.findIndex((d) => d.name.endsWith(logupSlot.helper(bundles[0].name.split('logup/')[1].split('+')[0])));
  assert.ok(helper >= 0 && slots[helper].sort === 'g1', 'the bundle\'s helper is a message');
  const at = slots.slice(0, helper).reduce((n, d) => n + slotBytes(d.sort), 0);
  const v = await verdict(ctx, block, { x }, (p) => p.set(encodeG1(decodeG1(p.subarray(at, at + G1_BYTES)).add(G1_ONE)), at));
  assert.equal(v.ok, false, 'another helper');
});

test('logUp spec: thirteen columns share one helper (an odd bundle beyond eight: halves of six and seven, then three and three, three and four, down to single columns); a cell outside the table in any column, or a changed message element, is rejected', async () => {
  const ctx = await context(128);
  const block = new LookupBlock(rangeTable(0n, 16n), [{ input: 'x', rows: 13, domain: 4, length: 3 }]);
  const spec = modelArgumentSpec('logup-iop-test', [block], ctx);
  const bundles = spec.identities.filter((id) => id.name.includes('logup/') && id.domain === 4);
  assert.deepEqual(bundles.map((id) => id.name.split('logup/')[1].split('+').length), [13]);
  assert.equal(bundles[0].terms.length, 14, 'h·Π(β − f_c) and one term per column, written by halves');
  const x = Array.from({ length: 13 }, (_, r) => [BigInt((11 * r) % 16), BigInt(15 - r), BigInt((5 * r + 2) % 16)]);
  await assertRangeLookupSound(ctx, block, x);
});

test('logUp spec: a lookup verifies alone; any changed message element is rejected', async () => {
  const ctx = await context(64);
  const block = new LookupBlock(rangeTable(0n, 16n), [{ input: 'x', rows: 3, domain: 4, length: 3 }]);
  const tensors = { x: [[1n, 2n, 3n], [4n, 5n, 15n], [0n, 8n, 9n]] };
  assert.deepEqual(await verdict(ctx, block, tensors), { ok: true });
  await fc.assert(
    fc.asyncProperty(fc.nat(), fc.integer({ min: 1, max: 255 }), async (e, mask) => {
      const v = await verdict(ctx, block, tensors, (p) => {
        p[32 * (e % (p.length / 32)) + 31] ^= mask;
      });
      assert.equal(v.ok, false, `element ${e}`);
    }),
    { numRuns: 12 },
  );
});

test('lookup table as a public polynomial: nothing of the table is sent, and a prover interpolating another table is rejected', async () => {
  const ctx = await context(64);
  const source = { input: 'x', rows: 1, domain: 4, length: 4 };
  const block = new LookupBlock(rangeTable(0n, 16n), [source]);
  const x = [[3n, 20n, 5n, 5n]]; // 20 is not in [0, 16)
  const spec = block.iopSpec(ctx);
  assert.deepEqual(spec.oracles.map((o) => o.commitment).filter((c) => c.includes('T')), [], 'no oracle of the table');
  const table = spec.publics.find((p) => p.name === 'T')!;
  assert.ok(table, 'the table is a public polynomial');
  // Its value at a point is the table's own interpolant, computed by the verifier: entries 0…15 at ω^0…ω^15.
  const z = 12345n;
  const H = new EvaluationDomain(16, ctx.engine);
  assert.equal(table.evaluateAt(z, {}, H), H.evaluateInterpolant(Array.from({ length: 16 }, (_, i) => BigInt(i)), z));
  // A table of the same shape holding 20, under our block's fold key (so both transcripts agree): its honest proof
  // verifies against a verifier that reads the prover's table (the attack is real), and ours rejects it.
  const entries = Array.from({ length: 16 }, (_, i) => BigInt(i === 15 ? 20 : i));
  const other = new LookupBlock(makeTable('range[0,16)', entries), [source]);
  Object.defineProperty(other, 'foldKey', { value: block.foldKey });
  assert.deepEqual(await verdict(ctx, other, { x }), { ok: true }, 'the other table holds 20');
  assert.equal((await verdict(ctx, other, { x }, () => {}, block)).ok, false);
});

test('logUp spec: a cell outside the table, or a wrong lookup output, is rejected (prover checks bypassed)', async () => {
  const cheat: BlockContext = { ...(await context(64)), allowInvalidWitness: true };
  const range = new LookupBlock(rangeTable(0n, 16n), [{ input: 'x', rows: 2, domain: 4, length: 3 }]);
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: 5 }), fc.oneof(fc.constant(16n), fc.constant(-1n), fc.bigInt({ min: 17n, max: 1n << 40n })), async (cell, v) => {
      const x = [[1n, 2n, 3n], [4n, 5n, 6n]];
      x[Math.floor(cell / 3)][cell % 3] = v;
      assert.equal((await verdict(cheat, range, { x })).ok, false, `x[${cell}] = ${v} is outside [0, 16)`);
    }),
    { numRuns: 6 },
  );
  const relu = new LookupBlock(reluTable(-8n, 8n), [{ input: 'x', output: 'y', rows: 1, domain: 4, length: 4 }]);
  const x = [[-3n, 0n, 5n, 7n]];
  const y = relu.witness({ x }).y.map((r) => [...r]);
  assert.deepEqual(await verdict(cheat, relu, { x, y }), { ok: true }, 'honest relu');
  for (let i = 0; i < 4; i++) {
    const bad = y.map((r) => [...r]);
    bad[0][i] += 1n;
    assert.equal((await verdict(cheat, relu, { x, y: bad })).ok, false, `relu output ${i} changed`);
  }
});

test('logUp spec: a copy argument rejects a wrong copy and a swapped pair (prover checks bypassed)', async () => {
  const cheat: BlockContext = { ...(await context(64)), allowInvalidWitness: true };
  const block = new PermutationBlock(transposeMap({ name: 'in', rows: 2, length: 2 }, 'out'));
  const input = [[1n, 2n], [3n, 4n]];
  const out = block.witness({ in: input }).out.map((r) => [...r]);
  assert.deepEqual(await verdict(cheat, block, { in: input, out }), { ok: true }, 'honest transpose');
  const changed = out.map((r) => [...r]);
  changed[1][0] += 1n;
  assert.equal((await verdict(cheat, block, { in: input, out: changed })).ok, false, 'a changed copy');
  const swapped = out.map((r) => [...r]);
  [swapped[0][1], swapped[1][0]] = [swapped[1][0], swapped[0][1]];
  assert.notDeepEqual(swapped, out);
  assert.equal((await verdict(cheat, block, { in: input, out: swapped })).ok, false, 'two copies swapped (same multiset, wrong positions)');
});

test('logUp spec: three domain sizes, one of two helpers chained through a hidden scalar, one of one helper read on the largest domain; a cell outside the table on any domain, or a changed message element, is rejected', async () => {
  const ctx = await context(64);
  const cheat: BlockContext = { ...ctx, allowInvalidWitness: true };
  const block = new LookupBlock(rangeTable(0n, 16n), [
    { input: 'x', rows: 12, domain: 4, length: 3 },
    { input: 'y', rows: 1, domain: 8, length: 6 },
  ]);
  const spec = modelArgumentSpec('logup-iop-test', [block], ctx);
  // With 64 powers of τ, bundles on H_4 hold ten columns: x's twelve rows need two helpers, y's one row one.
  assert.equal(spec.oracles.filter((o) => o.domain === 4 && o.name.includes('H:')).length, 2, 'two helpers on H_4');
  assert.deepEqual(spec.oracles.filter((o) => o.domain === 1).map((o) => o.name), ['b0|G/logup/4'], 'G_4 only: H_8 is read on H_16 (the table)');
  assert.ok(spec.publics.some((p) => p.name === 'I8/16'), 'through the indicator of H_8 in H_16');
  assert.equal(spec.slots.filter((d) => d.sort === 'fr' && d.origin === 'message').length, 0, 'no total is sent');
  const x = Array.from({ length: 12 }, (_, r) => [BigInt(r), BigInt((5 * r + 2) % 16), BigInt(15 - r)]);
  const tensors = { x, y: [[0n, 8n, 9n, 9n, 1n, 2n]] };
  assert.deepEqual(await verdict(ctx, block, tensors), { ok: true });
  for (const [t, v] of [['x', 16n], ['y', -1n]] as const) {
    const bad = { ...tensors, [t]: tensors[t].map((r) => r.map((c, i) => (i === 1 ? v : c))) };
    assert.equal((await verdict(cheat, block, bad)).ok, false, `${t} holds ${v}`);
  }
  await fc.assert(
    fc.asyncProperty(fc.nat(), async (e) => {
      const v = await verdict(ctx, block, tensors, (p) => {
        p[32 * (e % (p.length / 32)) + 31] ^= 1;
      });
      assert.equal(v.ok, false, `element ${e}`);
    }),
    { numRuns: 8 },
  );
});
