/**
 * LinearBlock (add, sub, scale): conformance, swapped operands, and random shapes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { getDefaultEngine } from '../../src/index';
import { checkConformance, commitRows, proveBlock, verifyBlock, type BlockContext, type Tensors } from '../../blocks/index';
import { LinearBlock } from '../../blocks/elementwise';
import { testKzgKey } from '../helpers/kzg';

async function context(size: number): Promise<BlockContext> {
  const engine = getDefaultEngine();
  return { engine, kzg: await testKzgKey(size, engine) };
}

const a = [[1n, -2n, 3n], [4n, 0n, -1n]];
const b = [[2n, 1n, 1n], [0n, -3n, 5n]];

for (const operation of [{ op: 'add' } as const, { op: 'sub' } as const, { op: 'scale', factor: -3n } as const]) {
  test(`linear ${operation.op} passes the conformance harness`, async () => {
    const block = new LinearBlock({ operation, rows: 2, domain: 4 });
    const inputs: Tensors = operation.op === 'scale' ? { a } : { a, b };
    const report = await checkConformance(block, await context(8), inputs, { numRuns: 3 });
    assert.equal(report.proofBytes, 0);
    assert.ok(report.witnessTamperings > 0);
  });
}

test('linear sub rejects swapped operands (c = b − a claimed as a − b)', async () => {
  const ctx = await context(8);
  const block = new LinearBlock({ operation: { op: 'sub' }, rows: 2, domain: 4 });
  const protocol = block.protocol(ctx);
  const c = block.witness({ a, b }).c;
  const statement = block.statement({ a: await commitRows(ctx.kzg, b, 4), b: await commitRows(ctx.kzg, a, 4), c: await commitRows(ctx.kzg, c, 4) });
  const proof = await proveBlock(block, ctx, protocol, statement, { a: b, b: a, c });
  assert.equal((await verifyBlock(ctx, protocol, statement, proof)).ok, false);
});

test('linear add verifies on random small shapes and rejects a changed output cell', async () => {
  const ctx = await context(8);
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 4 }),
      fc.array(fc.bigInt({ min: -1000n, max: 1000n }), { minLength: 24, maxLength: 24 }),
      async (rows, len, pool) => {
        const x = Array.from({ length: rows }, (_, i) => pool.slice(i * len, i * len + len));
        const y = Array.from({ length: rows }, (_, i) => pool.slice(12 + i * len, 12 + i * len + len));
        const block = new LinearBlock({ operation: { op: 'add' }, rows, domain: 4 });
        const protocol = block.protocol(ctx);
        const c = block.witness({ a: x, b: y }).c;
        const commit = async (t: readonly (readonly bigint[])[]) => commitRows(ctx.kzg, t, 4);
        const statement = block.statement({ a: await commit(x), b: await commit(y), c: await commit(c) });
        const tensors = { a: x, b: y, c };
        assert.equal((await verifyBlock(ctx, protocol, statement, await proveBlock(block, ctx, protocol, statement, tensors))).ok, true);
        const bad = c.map((r) => r.slice());
        bad[rows - 1][len - 1] += 1n;
        const badStatement = block.statement({ a: await commit(x), b: await commit(y), c: await commit(bad) });
        assert.equal((await verifyBlock(ctx, protocol, badStatement, new Uint8Array())).ok, false);
      },
    ),
    { numRuns: 6, seed: 7 },
  );
});
