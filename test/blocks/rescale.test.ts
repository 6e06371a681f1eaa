import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { getDefaultEngine } from '../../src/index';
import { checkConformance, type BlockContext } from '../../blocks/index';
import { RescaleBlock } from '../../blocks/rescale';
import { testKzgKey } from '../helpers/kzg';

async function context(size: number): Promise<BlockContext> {
  const engine = getDefaultEngine();
  return { engine, kzg: await testKzgKey(size, engine) };
}

const params = { input: 'x', output: 'y', remainder: 'r', rows: 2, domain: 8, length: 5, shift: 3, outputBits: 8 };

test('rescale rounds to nearest with ties toward +∞', () => {
  const block = new RescaleBlock({ ...params, rows: 1, length: 8 });
  const w = block.witness({ x: [[4n, -4n, 3n, -5n, 12n, -12n, 0n, 7n]] });
  // 4/8 = 0.5 → 1; −4/8 = −0.5 → 0; 3/8 → 0; −5/8 → −1; 12/8 = 1.5 → 2; −12/8 = −1.5 → −1
  assert.deepEqual(w.y, [[1n, 0n, 0n, -1n, 2n, -1n, 0n, 1n]]);
  fc.assert(
    fc.property(fc.bigInt({ min: -(1n << 40n), max: 1n << 40n }), fc.integer({ min: 1, max: 20 }), (x, k) => {
      const b = new RescaleBlock({ ...params, rows: 1, length: 1, shift: k });
      const out = b.witness({ x: [[x]] });
      const y = out.y[0][0];
      const r = out.r[0][0];
      const exact = Number(x) / 2 ** k;
      return r >= 0n && r < 1n << BigInt(k) && x + (1n << BigInt(k - 1)) === (y << BigInt(k)) + r && Number(y) === Math.floor(exact + 0.5);
    }),
  );
});

test('rescale passes the conformance harness (padded rows and unpadded rows)', async () => {
  const ctx = await context(16);
  const padded = await checkConformance(new RescaleBlock(params), ctx, { x: [[100n, -100n, 4n, -4n, 0n], [1n, 2n, 3n, 4n, 5n]] }, { numRuns: 4 });
  assert.equal(padded.proofBytes, 0);
  assert.ok(padded.witnessTamperings > 0);
  await checkConformance(new RescaleBlock({ ...params, rows: 1, length: 8 }), ctx, { x: [[9n, -9n, 8n, 7n, 6n, 5n, 4n, 3n]] }, { numRuns: 2 });
});

test('rescale declares the ranges its soundness needs', () => {
  assert.deepEqual(new RescaleBlock(params).rangeObligations(), [
    { tensor: 'r', lo: 0n, hi: 7n, cells: 5 },
    { tensor: 'y', lo: -128n, hi: 127n, cells: 5 },
  ]);
});
