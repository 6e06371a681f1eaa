/**
 * MatmulBlock: conformance (completeness, tampering of messages, outputs and statement, determinism) for weights
 * and for two committed operands, plus the padding attack on both (the flat layout's own tests are in
 * flat-matmul.test.ts, the weight link's in weight-link.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { getDefaultEngine } from '../../src/index';
import { checkConformance, commitRows, polyIopProtocol, polyIopProver, proveBlock, verifyBlock, type Block, type BlockContext, type PolyIopSpec } from '../../blocks/index';
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
  assert.ok(report.unblindedRowsRejected, 'blinded rows: a prover opening the unblinded rows is rejected');
});

test('matmul with two committed operands passes the conformance harness', async () => {
  const block = new MatmulBlock({ m: 3, k: 3, n: 1 });
  assert.ok(block.checksPadding);
  const report = await checkConformance(block, await context(16), {
    a: [[1n, -2n, 0n], [4n, 0n, 1n], [5n, 5n, -5n]],
    b: [[-3n, 2n, 9n]],
  }, { numRuns: 3 });
  assert.ok(report.witnessTamperings > 0);
  assert.ok(report.blindedEvaluations > 0, 'blinded rows: revealed evaluations checked');
  assert.ok(report.unblindedRowsRejected, 'blinded rows: a prover opening the unblinded rows is rejected');
});

test('matmul on equal inner and outer domains: one shifted opening point', async () => {
  const block = new MatmulBlock({ m: 1, k: 4, n: 3 });
  const ctx = await context(16);
  const protocol = block.protocol(ctx);
  assert.deepEqual(protocol.slots.filter((d) => d.name.startsWith('wzeta/')).map((d) => d.name), ['wzeta/4']);
  await checkConformance(block, ctx, { a: [[1n, 2n, 3n, 4n]], b: [[1n, 0n, 0n, 1n], [2n, 2n, 2n, 2n], [-1n, 1n, -1n, 1n]] }, { numRuns: 2 });
});

test('garbage in both paddings is rejected, with committed operands and with fixed weights', async () => {
  // k = 2 < K = 4: the cheat puts x in A's padding and y in B's, so Σ_{j<K} A_ij·B_lj = A·Bᵀ + x·y. With fixed
  // weights the cheat is a model owner who committed weights with a non-zero padding at setup.
  const ctx = await context(16);
  const cheatCtx: BlockContext = { ...ctx, allowInvalidWitness: true };
  const a = [[1n, 2n, 5n, 0n]];
  const b = [[3n, 4n, 7n, 0n]];
  const c = [[1n * 3n + 2n * 4n + 5n * 7n]];
  const tensors = { a, b, c };
  const commitments = { a: await commitRows(ctx.kzg, a, 4), b: await commitRows(ctx.kzg, b, 4), c: await commitRows(ctx.kzg, c, 1) };
  for (const fixedB of [false, true]) {
    const block = new MatmulBlock({ m: 1, k: 2, n: 1, innerDomain: 4, fixedB });
    assert.ok(block.checksPadding);
    const protocol = block.protocol(ctx);
    const statement = block.statement(commitments);
    const proof = await proveBlock(block, cheatCtx, protocol, statement, tensors);
    assert.equal((await verifyBlock(ctx, protocol, statement, proof)).ok, false, fixedB ? 'fixed weights' : 'committed operands');
  }
  // Control: the same cheat passes the same block with its padding identity removed, so the rejection above is
  // the padding identity's doing.
  const block = new MatmulBlock({ m: 1, k: 2, n: 1, innerDomain: 4, fixedB: true });
  const spec = block.iopSpec();
  const broken: PolyIopSpec = { ...spec, identities: spec.identities.filter((i) => i.name !== 'a-padding') };
  assert.equal(broken.identities.length, spec.identities.length - 1);
  const protocol = polyIopProtocol(broken, ctx.kzg, ctx.engine);
  const brokenBlock: Block = Object.create(block, { prover: { value: (x: BlockContext, t: typeof tensors) => polyIopProver(broken, x, block.iopProver(x, t)) } });
  const statement = block.statement(commitments);
  const proof = await proveBlock(brokenBlock, cheatCtx, protocol, statement, tensors);
  assert.equal((await verifyBlock(ctx, protocol, statement, proof)).ok, true);
});

test('matmul verifies on random small shapes and rejects a changed output cell', async () => {
  const ctx = await context(16);
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 5 }),
      fc.integer({ min: 1, max: 4 }),
      fc.boolean(),
      fc.array(fc.bigInt({ min: -100n, max: 100n }), { minLength: 40, maxLength: 40 }),
      fc.nat(),
      async (m, k, n, fixedB, pool, pick) => {
        const a = Array.from({ length: m }, (_, i) => pool.slice(i * k, i * k + k));
        const b = Array.from({ length: n }, (_, l) => pool.slice(20 + l * k, 20 + l * k + k));
        const block = new MatmulBlock({ m, k, n, fixedB });
        const protocol = block.protocol(ctx);
        const c = block.witness({ a, b }).c;
        const K = block.innerDomain;
        const N = block.outerDomain;
        const ca = await commitRows(ctx.kzg, a, K);
        const cb = await commitRows(ctx.kzg, b, K);
        const statement = block.statement({ a: ca, b: cb, c: await commitRows(ctx.kzg, c, N) });
        assert.equal((await verifyBlock(ctx, protocol, statement, await proveBlock(block, ctx, protocol, statement, { a, b, c }))).ok, true);
        const bad = c.map((r) => r.slice());
        bad[pick % m][pick % n] += 1n;
        const badStatement = block.statement({ a: ca, b: cb, c: await commitRows(ctx.kzg, bad, N) });
        const badProof = await proveBlock(block, { ...ctx, allowInvalidWitness: true }, protocol, badStatement, { a, b, c: bad });
        assert.equal((await verifyBlock(ctx, protocol, badStatement, badProof)).ok, false);
      },
    ),
    { numRuns: 6, seed: 13 },
  );
});

test('matmul rejects a padding column of the output that is not zero', async () => {
  // n = 3 < N = 4: the cheat writes 5 into C's padding column; b_l = β^l for every l < N pins it to zero.
  const block = new MatmulBlock({ m: 1, k: 2, n: 3, fixedB: true });
  const ctx = await context(16);
  const protocol = block.protocol(ctx);
  const a = [[1n, 2n]];
  const b = [[1n, 0n], [0n, 1n], [1n, 1n]];
  const c = [[1n, 2n, 3n, 5n]];
  const statement = block.statement({ a: await commitRows(ctx.kzg, a, 2), b: await commitRows(ctx.kzg, b, 2), c: await commitRows(ctx.kzg, c, 4) });
  const proof = await proveBlock(block, { ...ctx, allowInvalidWitness: true }, protocol, statement, { a, b, c });
  assert.equal((await verifyBlock(ctx, protocol, statement, proof)).ok, false);
});

test('matmul of zero matrices (commitments at infinity) verifies', async () => {
  const block = new MatmulBlock({ m: 2, k: 2, n: 2 });
  await checkConformance(block, await context(8), { a: [[0n, 0n], [0n, 0n]], b: [[0n, 0n], [0n, 0n]] }, { numRuns: 1 });
});
