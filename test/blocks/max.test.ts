/**
 * MaxBlock: conformance for k = 2 and k = 4 candidates, a non-candidate maximum, range-check declaration.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { getDefaultEngine } from '../../src/index';
import { checkConformance, commitRows, proveBlock, verifyBlock, type BlockContext, type Tensors } from '../../blocks/index';
import { MaxBlock, maxDifferenceCommitments } from '../../blocks/max';
import { differenceBlinding } from '../helpers/difference-blinding';
import { testKzgKey } from '../helpers/kzg';

async function context(size: number): Promise<BlockContext> {
  const engine = getDefaultEngine();
  return { engine, kzg: await testKzgKey(size, engine) };
}

test('max of 4 candidates (2×2 pooling layout) passes the conformance harness', async () => {
  const block = new MaxBlock({ candidates: 4, rows: 1, domain: 4, bits: 8 });
  assert.deepEqual(block.rangeObligations(), [{ tensor: 'd', lo: 0n, hi: 255n, cells: 4 }]);
  const x = [[1n, 5n, -3n], [4n, 5n, -9n], [0n, 2n, -3n], [4n, -1n, -4n]];
  const report = await checkConformance(block, await context(8), { x }, { numRuns: 3, rowBlinding: differenceBlinding(block.rows) });
  assert.ok(report.witnessTamperings > 0);
  assert.ok(report.blindedEvaluations > 0, 'blinded rows: revealed evaluations checked');
  assert.ok(report.unblindedRowsRejected, 'blinded rows: a prover opening the unblinded rows is rejected');
  assert.deepEqual(block.witness({ x }).y, [[4n, 5n, -3n]]);
});

test('rows of 3 real cells in a domain of 4: the differences are needed in range on the 3 real cells only', async () => {
  const block = new MaxBlock({ candidates: 2, rows: 1, domain: 4, length: 3, bits: 8 });
  assert.deepEqual(block.rangeObligations(), [{ tensor: 'd', lo: 0n, hi: 255n, cells: 3 }]);
  assert.throws(() => new MaxBlock({ candidates: 2, rows: 1, domain: 4, length: 5, bits: 8 }), /row length must be in 1\.\.4/);
  await checkConformance(block, await context(8), { x: [[1n, 5n, -3n], [4n, -2n, -9n]] }, { numRuns: 2, rowBlinding: differenceBlinding(block.rows) });
});

test('max of 2 candidates over 2 output rows passes the conformance harness', async () => {
  const block = new MaxBlock({ candidates: 2, rows: 2, domain: 4, bits: 8 });
  await checkConformance(block, await context(8), { x: [[1n, 2n], [3n, -4n], [0n, 7n], [3n, -5n]] }, { numRuns: 2, rowBlinding: differenceBlinding(block.rows) });
});

test('a maximum that is none of the candidates is rejected', async () => {
  // y = 9 ≥ every candidate (so d passes any range check) but equals none of them.
  const ctx = await context(8);
  const block = new MaxBlock({ candidates: 3, rows: 1, domain: 2, bits: 8 });
  const protocol = block.protocol(ctx);
  const x = [[1n, 2n], [3n, 4n], [5n, 6n]];
  const y = [[9n, 6n]];
  const d = x.map((row) => row.map((v, c) => y[0][c] - v));
  const commitments = { x: await commitRows(ctx.kzg, x, 2), y: await commitRows(ctx.kzg, y, 2) };
  const statement = block.statement({ ...commitments, d: maxDifferenceCommitments(commitments.x, commitments.y) });
  const proof = await proveBlock(block, { ...ctx, allowInvalidWitness: true }, protocol, statement, { x, y, d });
  assert.equal((await verifyBlock(ctx, protocol, statement, proof)).ok, false);
});

test('difference commitments derived from x and y equal the committed differences', async () => {
  const ctx = await context(8);
  const block = new MaxBlock({ candidates: 2, rows: 1, domain: 4, bits: 8 });
  const x = [[1n, 2n, 3n], [3n, -4n, 0n]];
  const w = block.witness({ x });
  const derived = maxDifferenceCommitments(await commitRows(ctx.kzg, x, 4), await commitRows(ctx.kzg, w.y, 4));
  const committed = await commitRows(ctx.kzg, w.d, 4);
  assert.ok(derived.every((p, i) => p.equals(committed[i])));
});

test('max verifies on random small shapes; d not matching y − x is rejected', async () => {
  const ctx = await context(8);
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 2, max: 4 }),
      fc.integer({ min: 1, max: 4 }),
      fc.array(fc.bigInt({ min: -50n, max: 50n }), { minLength: 16, maxLength: 16 }),
      async (k, len, pool) => {
        const x = Array.from({ length: k }, (_, j) => pool.slice(j * len, j * len + len));
        const block = new MaxBlock({ candidates: k, rows: 1, domain: 4, bits: 8 });
        const protocol = block.protocol(ctx);
        const w = block.witness({ x });
        const tensors: Tensors = { x, ...w };
        const commit = (t: readonly (readonly bigint[])[]) => commitRows(ctx.kzg, t, 4);
        const statement = block.statement({ x: await commit(x), y: await commit(w.y), d: await commit(w.d) });
        assert.equal((await verifyBlock(ctx, protocol, statement, await proveBlock(block, ctx, protocol, statement, tensors))).ok, true);
        // A d that is not y − x (shifted by one in a cell) must be rejected even though the prover proves on it.
        const d = w.d.map((r) => r.slice());
        d[0][0] += 1n;
        const badStatement = block.statement({ x: await commit(x), y: await commit(w.y), d: await commit(d) });
        const badProof = await proveBlock(block, { ...ctx, allowInvalidWitness: true }, protocol, badStatement, { ...tensors, d });
        assert.equal((await verifyBlock(ctx, protocol, badStatement, badProof)).ok, false);
      },
    ),
    { numRuns: 5, seed: 5 },
  );
});

test('max of equal candidates (every difference and helper commitment is the point at infinity) verifies', async () => {
  const block = new MaxBlock({ candidates: 3, rows: 1, domain: 2, bits: 4 });
  await checkConformance(block, await context(8), { x: [[7n, -7n], [7n, -7n], [7n, -7n]] }, { numRuns: 1, rowBlinding: differenceBlinding(block.rows) });
});
