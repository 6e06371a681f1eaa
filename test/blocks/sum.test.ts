/**
 * SumBlock: conformance, padding of the input rows ignored, random small shapes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { getDefaultEngine } from '../../src/index';
import { checkConformance, commitRows, proveBlock, verifyBlock, type BlockContext } from '../../blocks/index';
import { SumBlock } from '../../blocks/sum';
import { testKzgKey } from '../helpers/kzg';

async function context(size: number): Promise<BlockContext> {
  const engine = getDefaultEngine();
  return { engine, kzg: await testKzgKey(size, engine) };
}

test('sum of three rows passes the conformance harness', async () => {
  const block = new SumBlock({ rows: 3, length: 3 });
  const report = await checkConformance(block, await context(16), { x: [[1n, -2n, 3n], [4n, 0n, -1n], [7n, 7n, 7n]] }, { numRuns: 3 });
  assert.ok(report.witnessTamperings > 0);
  assert.ok(report.unblindedRowsRejected, 'blinded rows: a prover opening the unblinded rows is rejected');
});

test('sum of one row passes the conformance harness', async () => {
  const block = new SumBlock({ rows: 1, length: 5 });
  await checkConformance(block, await context(16), { x: [[1n, -2n, 3n, 10n, -100n]] }, { numRuns: 2 });
});

test('sum ignores garbage in the padding of its input rows', async () => {
  // x is committed with a non-zero padding cell; the sum must be that of the k = 3 real cells.
  const ctx = await context(16);
  const block = new SumBlock({ rows: 1, length: 3, domain: 4 });
  const protocol = block.protocol(ctx);
  const x = [[1n, 2n, 3n, 40n]];
  const s = [[6n]];
  const statement = block.statement({ x: await commitRows(ctx.kzg, x, 4), s: await commitRows(ctx.kzg, s, 1) });
  const proof = await proveBlock(block, ctx, protocol, statement, { x, s });
  assert.equal((await verifyBlock(ctx, protocol, statement, proof)).ok, true);
  const withPadding = [[46n]];
  const badStatement = block.statement({ x: await commitRows(ctx.kzg, x, 4), s: await commitRows(ctx.kzg, withPadding, 1) });
  const badProof = await proveBlock(block, { ...ctx, allowInvalidWitness: true }, protocol, badStatement, { x, s: withPadding });
  assert.equal((await verifyBlock(ctx, protocol, badStatement, badProof)).ok, false);
});

test('sum verifies on random small shapes and rejects a wrong sum', async () => {
  const ctx = await context(16);
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 5 }),
      fc.integer({ min: 1, max: 6 }),
      fc.array(fc.bigInt({ min: -1000n, max: 1000n }), { minLength: 30, maxLength: 30 }),
      fc.nat(),
      async (rows, len, pool, pick) => {
        const x = Array.from({ length: rows }, (_, i) => pool.slice(i * len, i * len + len));
        const block = new SumBlock({ rows, length: len });
        const protocol = block.protocol(ctx);
        const s = block.witness({ x }).s;
        const statement = block.statement({ x: await commitRows(ctx.kzg, x, block.domain), s: await commitRows(ctx.kzg, s, block.sumsDomain) });
        assert.equal((await verifyBlock(ctx, protocol, statement, await proveBlock(block, ctx, protocol, statement, { x, s }))).ok, true);
        const bad = [s[0].slice()];
        bad[0][pick % rows] -= 1n;
        const badStatement = block.statement({ x: await commitRows(ctx.kzg, x, block.domain), s: await commitRows(ctx.kzg, bad, block.sumsDomain) });
        const badProof = await proveBlock(block, { ...ctx, allowInvalidWitness: true }, protocol, badStatement, { x, s: bad });
        assert.equal((await verifyBlock(ctx, protocol, badStatement, badProof)).ok, false);
      },
    ),
    { numRuns: 5, seed: 3 },
  );
});
