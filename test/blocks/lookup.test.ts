import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getDefaultEngine } from '../../src/index';
import { checkConformance, type BlockContext } from '../../blocks/index';
import { LookupBlock } from '../../blocks/lookup';
import { rangeTable, reluTable } from '../../blocks/tables';
import { testKzgKey } from '../helpers/kzg';

async function context(size: number): Promise<BlockContext> {
  const engine = getDefaultEngine();
  return { engine, kzg: await testKzgKey(size, engine) };
}

test('range lookup passes the conformance harness', async () => {
  const ctx = await context(32);
  const block = new LookupBlock(rangeTable(0n, 16n), [{ input: 'r', rows: 2, domain: 8, length: 5 }]);
  const t0 = performance.now();
  const report = await checkConformance(block, ctx, { r: [[1n, 2n, 3n, 15n, 0n], [7n, 7n, 7n, 1n, 2n]] }, { numRuns: 2 });
  console.log(report, performance.now() - t0);
});

test('relu lookup passes the conformance harness', async () => {
  const ctx = await context(32);
  const block = new LookupBlock(reluTable(-8n, 8n), [{ input: 'x', output: 'y', rows: 1, domain: 8, length: 6 }, { input: 'a', output: 'b', rows: 1, domain: 4, length: 4 }]);
  const t0 = performance.now();
  const report = await checkConformance(block, ctx, { x: [[1n, -2n, 3n, 7n, 0n, -8n]], a: [[-1n, 4n, 0n, 2n]] }, { numRuns: 2 });
  console.log(report, performance.now() - t0);
  assert.ok(report.witnessTamperings > 0);
});
