/**
 * HadamardBlock: conformance, one row and many rows, random small shapes; with fixed weights, no weight row is
 * opened at ζ (a changed weight is rejected: weight-link.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { getDefaultEngine } from '../../src/index';
import { checkConformance, commitRows, messageSize, proveBlock, verifyBlock, type BlockContext } from '../../blocks/index';
import { HadamardBlock } from '../../blocks/hadamard';
import { testKzgKey } from '../helpers/kzg';

async function context(size: number): Promise<BlockContext> {
  const engine = getDefaultEngine();
  return { engine, kzg: await testKzgKey(size, engine) };
}

test('hadamard of one row passes the conformance harness', async () => {
  const block = new HadamardBlock({ rows: 1, domain: 8 });
  const report = await checkConformance(block, await context(16), { a: [[3n, -2n, 0n, 7n, 1n]], b: [[1n, 5n, 9n, -7n, 2n]] }, { numRuns: 3 });
  // The quotient and the opening proof, and b at ζ: a is linearized (docs/protocol.md, "Linearization").
  assert.equal(report.proofBytes, 2 * 32 + 32);
  assert.ok(report.witnessTamperings > 0);
  assert.ok(report.blindedEvaluations > 0, 'blinded rows: revealed evaluations checked');
  assert.ok(report.unblindedRowsRejected, 'blinded rows: a prover opening the unblinded rows is rejected');
});

test('hadamard of three rows passes the conformance harness', async () => {
  const block = new HadamardBlock({ rows: 3, domain: 4 });
  const report = await checkConformance(
    block,
    await context(8),
    { a: [[1n, 2n, 3n, 4n], [-1n, 0n, 1n, 2n], [9n, 9n, 9n, 9n]], b: [[4n, 3n, 2n, 1n], [5n, 5n, -5n, 5n], [0n, 1n, 0n, 1n]] },
    { numRuns: 3 },
  );
  assert.equal(report.size.total, messageSize(block.protocol(await context(8))).total);
});

test('hadamard verifies on random small shapes and rejects a swapped output row', async () => {
  const ctx = await context(8);
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 2, max: 3 }),
      fc.integer({ min: 1, max: 4 }),
      fc.array(fc.bigInt({ min: -300n, max: 300n }), { minLength: 24, maxLength: 24 }),
      async (rows, len, pool) => {
        const a = Array.from({ length: rows }, (_, i) => pool.slice(i * len, i * len + len));
        const b = Array.from({ length: rows }, (_, i) => pool.slice(12 + i * len, 12 + i * len + len));
        const block = new HadamardBlock({ rows, domain: 4 });
        const protocol = block.protocol(ctx);
        const c = block.witness({ a, b }).c;
        const commit = (t: readonly (readonly bigint[])[]) => commitRows(ctx.kzg, t, 4);
        const [ca, cb, cc] = [await commit(a), await commit(b), await commit(c)];
        const statement = block.statement({ a: ca, b: cb, c: cc });
        const proof = await proveBlock(block, ctx, protocol, statement, { a, b, c });
        assert.equal((await verifyBlock(ctx, protocol, statement, proof)).ok, true);
        // The same proof against c's rows in another order: rejected unless the rows are equal.
        const swapped = block.statement({ a: ca, b: cb, c: [...cc.slice(1), cc[0]] });
        const same = c.every((r) => r.every((x, j) => x === c[0][j]));
        if (!same) assert.equal((await verifyBlock(ctx, protocol, swapped, proof)).ok, false);
      },
    ),
    { numRuns: 5, seed: 11 },
  );
});

test('hadamard with fixed weights passes the conformance harness', async () => {
  const block = new HadamardBlock({ rows: 2, domain: 4, fixedB: true });
  const report = await checkConformance(block, await context(16), { a: [[1n, -2n, 3n, 4n], [0n, 5n, -1n, 2n]], b: [[2n, 1n, 1n, 3n], [7n, 0n, -3n, 5n]] }, { numRuns: 3 });
  assert.ok(report.witnessTamperings > 0);
  assert.ok(report.blindedEvaluations > 0, 'blinded rows: revealed evaluations checked');
  assert.ok(report.unblindedRowsRejected, 'blinded rows: a prover opening the unblinded rows is rejected');
});

test('hadamard with fixed weights opens no weight row at ζ: every b row is read through its link', async () => {
  const block = new HadamardBlock({ rows: 3, domain: 4, fixedB: true });
  const spec = block.iopSpec();
  const bRows = spec.statement.filter((s) => s.name.startsWith('b/')).map((s) => s.name);
  assert.equal(bRows.length, 3);
  for (const row of bRows) assert.ok(!spec.oracles.some((o) => o.commitment === row), `${row} is opened at ζ`);
  assert.equal(spec.identities.filter((id) => id.name.startsWith('link/')).length, 3);
  // Without fixed weights the rows are statement oracles (the committed operand of another block's output).
  assert.ok(new HadamardBlock({ rows: 3, domain: 4 }).iopSpec().oracles.some((o) => o.commitment === bRows[0]));
});
