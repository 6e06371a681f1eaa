/**
 * MatmulBlock: conformance (completeness, tampering of messages, outputs and statement, determinism) for weights
 * and for two committed operands, plus the padding attack on committed operands.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getDefaultEngine } from '../../src/index';
import { checkConformance, commitRows, proveBlock, verifyBlock, type BlockContext } from '../../blocks/index';
import { MatmulBlock } from '../../blocks/matmul';
import { testKzgKey } from '../helpers/kzg';

async function context(size: number): Promise<BlockContext> {
  const engine = getDefaultEngine();
  return { engine, kzg: await testKzgKey(size, engine) };
}

test('matmul with fixed weights passes the conformance harness', async () => {
  const block = new MatmulBlock({ m: 2, k: 3, n: 3, fixedB: true });
  const report = await checkConformance(block, await context(16), {
    a: [[1n, -2n, 3n], [4n, 0n, -1n]],
    b: [[2n, 1n, 1n], [0n, -3n, 5n], [7n, 1n, -1n]],
  }, { numRuns: 3 });
  assert.ok(report.witnessTamperings > 0);
});

test('matmul with two committed operands passes the conformance harness', async () => {
  const block = new MatmulBlock({ m: 3, k: 3, n: 1 });
  assert.ok(block.checksPadding);
  const report = await checkConformance(block, await context(16), {
    a: [[1n, -2n, 0n], [4n, 0n, 1n], [5n, 5n, -5n]],
    b: [[-3n, 2n, 9n]],
  }, { numRuns: 3 });
  assert.ok(report.witnessTamperings > 0);
});

test('matmul on equal inner and outer domains shares one quotient', async () => {
  const block = new MatmulBlock({ m: 1, k: 4, n: 3 });
  const ctx = await context(16);
  const protocol = block.protocol(ctx);
  assert.equal(protocol.equations.filter((e) => e.kind === 'field').length, 1);
  await checkConformance(block, ctx, { a: [[1n, 2n, 3n, 4n]], b: [[1n, 0n, 0n, 1n], [2n, 2n, 2n, 2n], [-1n, 1n, -1n, 1n]] }, { numRuns: 2 });
});

test('committed operands with garbage in both paddings are rejected', async () => {
  // k = 2 < K = 4: the cheat puts x in A's padding and y in B's, so Σ_{j<K} A_ij·B_lj = A·Bᵀ + x·y.
  const block = new MatmulBlock({ m: 1, k: 2, n: 1, innerDomain: 4 });
  const ctx = await context(16);
  const cheatCtx: BlockContext = { ...ctx, allowInvalidWitness: true };
  const protocol = block.protocol(ctx);
  const a = [[1n, 2n, 5n, 0n]];
  const b = [[3n, 4n, 7n, 0n]];
  const c = [[1n * 3n + 2n * 4n + 5n * 7n]];
  const tensors = { a, b, c };
  const statement = block.statement({
    a: await commitRows(ctx.kzg, a, 4),
    b: await commitRows(ctx.kzg, b, 4),
    c: await commitRows(ctx.kzg, c, 1),
  });
  const proof = await proveBlock(block, cheatCtx, protocol, statement, tensors);
  const verdict = await verifyBlock(ctx, protocol, statement, proof);
  assert.equal(verdict.ok, false);
  // Control: the same cheat passes a block without the padding identity (B fixed, where the setup pins B's
  // padding to zero), so the rejection above is the padding identity's doing.
  const fixed = new MatmulBlock({ m: 1, k: 2, n: 1, innerDomain: 4, fixedB: true });
  const fixedProtocol = fixed.protocol(ctx);
  const fixedProof = await proveBlock(fixed, cheatCtx, fixedProtocol, statement, tensors);
  assert.equal((await verifyBlock(ctx, fixedProtocol, statement, fixedProof)).ok, true);
});
