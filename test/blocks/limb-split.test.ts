import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LimbSplitBlock } from '../../blocks/limb-split';
import { checkConformance, type BlockContext, type Tensors } from '../../blocks/index';
import { proveBlock, verifyBlock } from '../../blocks/conformance';
import { createVerifierKzgKey } from '../../src/kzg/key';
import { statementOf } from '../soundness/helpers';
import { getDefaultEngine, R } from '../../src/index';
import { testKzgKey } from '../helpers/kzg';

async function context(): Promise<BlockContext> {
  const engine = getDefaultEngine();
  return { engine, kzg: await testKzgKey(32, engine) };
}

test('limb split passes the conformance harness, with and without padding', async () => {
  const ctx = await context();
  const padded = new LimbSplitBlock({ rows: 2, domain: 8, length: 5, offset: 300n, limbBits: 4 });
  const report = await checkConformance(padded, ctx, { v: [[-300n, 0n, 17n, 1000n, -1n], [5n, 6n, 7n, 8n, 9n]] }, { numRuns: 6 });
  assert.ok(report.witnessTamperings > 0);
  assert.equal(report.proofBytes, 0, 'the relation is checked on commitments alone');
  const full = new LimbSplitBlock({ rows: 1, domain: 4, length: 4, offset: 0n, limbBits: 8 });
  await checkConformance(full, ctx, { v: [[0n, 255n, 256n, 65535n]] }, { numRuns: 4 });
});

test('limb split witness decomposes exactly and refuses values below the range', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: -1000n, max: 1n << 40n }), fc.integer({ min: 1, max: 16 }), (v, b) => {
      const c = 1000n;
      const block = new LimbSplitBlock({ rows: 1, domain: 2, length: 1, offset: c, limbBits: b });
      const { lo, hi } = block.witness({ v: [[v]] });
      assert.ok(lo[0][0] >= 0n && lo[0][0] < 1n << BigInt(b));
      assert.equal(lo[0][0] + (hi[0][0] << BigInt(b)), v + c);
    }),
  );
  const block = new LimbSplitBlock({ rows: 1, domain: 2, length: 1, offset: 0n, limbBits: 8 });
  assert.throws(() => block.witness({ v: [[-1n]] }), /below the range start/);
});

test('a limb split proves no range for v when lo + 2^b·hi could wrap around r/2', () => {
  // v + c ≡ lo + 2^b·hi holds modulo r only: with hi ∈ [0, 2^240] and b = 16 the sum reaches 2^256 > r, so a
  // "proven" v ∈ [−c, 2^256 − 1 − c] would cover values the field cannot tell apart from small negative ones.
  const block = new LimbSplitBlock({ rows: 1, domain: 2, length: 1, offset: 5n, limbBits: 16 });
  const facts = (h0: bigint, h1: bigint) =>
    block.provenRanges(new Map([['lo', { tensor: 'lo', lo: 0n, hi: 65535n, cells: 1 }], ['hi', { tensor: 'hi', lo: h0, hi: h1, cells: 1 }]]));
  assert.deepEqual(facts(0n, 255n), [{ tensor: 'v', lo: -5n, hi: 256n * 65536n - 1n - 5n, cells: 1 }]);
  assert.deepEqual(facts(0n, 1n << 240n), [], 'the upper end wraps');
  assert.deepEqual(facts(-(1n << 240n), 0n), [], 'the lower end wraps');
  const limit = (R - 1n) / 2n;
  fc.assert(
    fc.property(fc.bigInt({ min: -(1n << 252n), max: 1n << 252n }), fc.bigInt({ min: 0n, max: 1n << 252n }), fc.bigInt({ min: -(1n << 252n), max: 1n << 252n }), (h0, width, c) => {
      const split = new LimbSplitBlock({ rows: 1, domain: 2, length: 1, offset: c, limbBits: 16 });
      const got = split.provenRanges(new Map([['lo', { tensor: 'lo', lo: 0n, hi: 65535n, cells: 1 }], ['hi', { tensor: 'hi', lo: h0, hi: h0 + width, cells: 1 }]]));
      for (const f of got) assert.ok(-limit < f.lo && f.hi <= limit, `fact [${f.lo}, ${f.hi}] reaches r/2`);
    }),
    { numRuns: 500 },
  );
});

test('a padded limb split with c = 0 verifies with a verifier\'s key holding no selector (its public side is 0: verifierSelectors lists none), and refuses a wrong limb', async () => {
  const ctx = await context();
  const block = new LimbSplitBlock({ rows: 2, domain: 8, length: 5, offset: 0n, limbBits: 4 });
  const v = [[0n, 17n, 255n, 3n, 100n], [5n, 6n, 7n, 8n, 9n]];
  const kzg = await createVerifierKzgKey(ctx.engine, ctx.kzg.g2One.point, ctx.kzg.g2Tau.point, ctx.kzg.maxDegree, new Map(), new Map());
  const verifier: BlockContext = { engine: ctx.engine, kzg };
  const verdict = async (tensors: Tensors) => {
    const statement = await statementOf(block, ctx, tensors);
    const proof = await proveBlock(block, { ...ctx, allowInvalidWitness: true }, block.protocol(ctx), statement, tensors);
    return verifyBlock(verifier, block.protocol(verifier), statement, proof);
  };
  const honest: Tensors = { v, ...block.witness({ v }) };
  assert.equal((await verdict(honest)).ok, true);
  const lo = honest.lo.map((row, j) => row.map((x, i) => (j === 1 && i === 2 ? x + 1n : x)));
  assert.equal((await verdict({ ...honest, lo })).ok, false, 'lo changed in one cell');
  // The control: with c ≠ 0 the relation reads the selector, which this key does not hold.
  const offset = new LimbSplitBlock({ ...block.options, offset: 3n });
  const shifted = { v, ...offset.witness({ v }) };
  const statement = await statementOf(offset, ctx, shifted);
  const proof = await proveBlock(offset, ctx, offset.protocol(ctx), statement, shifted);
  assert.equal((await verifyBlock(verifier, offset.protocol(verifier), statement, proof).catch((e: unknown) => ({ ok: false, reason: String(e) }))).ok, false);
});
