import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LimbSplitBlock } from '../../blocks/limb-split';
import { checkConformance, type BlockContext } from '../../blocks/index';
import { getDefaultEngine } from '../../src/index';
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
