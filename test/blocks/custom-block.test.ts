/**
 * The custom block of `examples/square-block.ts`, written only against the published package (`blockfold`,
 * `blockfold/blocks`): the square `y = x ∘ x` of one row, by the quotient argument
 * `x(X)² − y(X) = t(X)·Z_H(X)` checked at a random ζ. It passes the conformance harness and folds without
 * any block-specific verification or folding code. The same block with its opening leaving out Y, so that y(ζ) is bound
 * to no commitment, fails the harness.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkConformance, commitRows, ConformanceError, leafLabel, proveLeaf, rowEvaluations, type Block, type BlockContext, type LeafInstance, type Tensors } from '../../blocks/index';
import { encodeFoldedProof, foldLeaves, verifyFolded, type LeafStatement } from '../../accumulation/index';
import { testKzgKey } from '../helpers/kzg';
import { batchOpen, batchOpeningEquation, BlockfoldError, frSlot, getDefaultEngine, poly, Transcript, type SlotDecl, type SlotValues } from '../../src/index';
import { squareBlock } from '../../examples/square-block';

test('a custom block written against the public API passes the conformance harness', async () => {
  const engine = getDefaultEngine();
  const n = 8;
  const ctx: BlockContext = { engine, kzg: await testKzgKey(2 * n, engine) };
  const inputs: Tensors = { x: [[3n, -2n, 0n, 7n, 1n]] };
  const report = await checkConformance(squareBlock(n), ctx, inputs, { numRuns: 4 });
  assert.ok(report.witnessTamperings > 0, 'the harness must have run cheating provers');
  assert.equal(report.proofBytes, 2 * 32 + 3 * 32);
});

test('the custom block refuses a false witness with a typed error, and proves it only when told to cheat', async () => {
  const engine = getDefaultEngine();
  const n = 8;
  const ctx: BlockContext = { engine, kzg: await testKzgKey(2 * n, engine) };
  const block = squareBlock(n);
  const tensors: Tensors = { x: [[3n, 2n]], y: [[9n, 5n]] };
  assert.throws(() => block.prover(ctx, tensors), (e: unknown) => e instanceof BlockfoldError && e.code === 'BLOCK' && /does not satisfy y = x²/.test(e.message));
  assert.equal(typeof block.prover({ ...ctx, allowInvalidWitness: true }, tensors), 'function', 'the conformance harness proves false witnesses this way');
});

test('the custom block folds and verifies through the generic accumulator, with no folding code of its own', async () => {
  const engine = getDefaultEngine();
  const n = 8;
  const ctx: BlockContext = { engine, kzg: await testKzgKey(2 * n, engine) };
  const block = squareBlock(n);
  const protocol = block.protocol(ctx);
  const base = Transcript.create('blockfold/custom-fold-test');
  const leaves: LeafInstance[] = [];
  const statements: LeafStatement[] = [];
  for (const [i, x] of [[1n, 2n, 3n], [-4n, 5n], [7n, 0n, -7n, 9n]].entries()) {
    const tensors: Tensors = { x: [x], ...block.witness({ x: [x] }) };
    const statement = block.statement({ x: await commitRows(ctx.kzg, tensors.x, n), y: await commitRows(ctx.kzg, tensors.y, n) });
    leaves.push((await proveLeaf(protocol, base.fork(leafLabel(protocol.foldKey, i)), engine, statement, block.prover(ctx, tensors))).instance);
    statements.push({ protocol, statement });
  }
  const part = await foldLeaves(engine, base, leaves);
  const bytes = encodeFoldedProof(part.proof);
  engine.resetStats();
  assert.deepEqual(await verifyFolded(engine, base, statements, bytes), { ok: true });
  assert.equal(engine.stats.multiPairings, 1, 'one multi-pairing for all three leaves');
  const swapped = [statements[1], statements[0], statements[2]];
  assert.equal((await verifyFolded(engine, base, swapped, bytes)).ok, false, 'statements swapped between leaves');
});

/**
 * The square block with its batched opening over X and T only: y(ζ) is a message bound to no commitment, so its
 * statement's Y is read by no equation, and an honest prover's messages fit any Y. Every other step of the harness
 * passes it (a changed Y with the honest bytes moves the challenges; a changed output cell makes the quotient wrong).
 */
function squareOpeningWithoutY(n: number): Block {
  const block = squareBlock(n);
  return {
    ...block,
    protocol(ctx: BlockContext) {
      const p = block.protocol(ctx);
      const open = batchOpeningEquation(ctx.kzg, 'open', { commitments: ['X', 'T'], evaluations: ['x', 't'], challenges: ['v0', 'v2'], point: 'zeta', proof: 'pi' });
      return { ...p, equations: p.equations.map((e) => (e.name === 'open' ? open : e)) };
    },
    prover(ctx: BlockContext, tensors: Tensors) {
      const honest = block.prover(ctx, tensors);
      const x = poly.interpolate(rowEvaluations(tensors.x[0], n), ctx.engine);
      const y = poly.interpolate(rowEvaluations(tensors.y[0], n), ctx.engine);
      const t = poly.divideByVanishing(poly.sub(poly.mul(x, x, ctx.engine), y), n).quotient;
      return async (decls: readonly SlotDecl[], v: SlotValues) =>
        decls[0].name === 'pi' ? { pi: await batchOpen(ctx.kzg, { polys: [x, t], point: frSlot(v, 'zeta'), challenges: [frSlot(v, 'v0'), frSlot(v, 'v2')] }) } : honest(decls, v);
    },
  };
}

test('the harness refuses a block whose statement slot no equation reads: the honest prover against a changed Y is accepted', async () => {
  const engine = getDefaultEngine();
  const n = 8;
  const ctx: BlockContext = { engine, kzg: await testKzgKey(2 * n, engine) };
  await assert.rejects(checkConformance(squareOpeningWithoutY(n), ctx, { x: [[3n, -2n, 0n, 7n, 1n]] }, { numRuns: 4 }), (e: unknown) => e instanceof ConformanceError && /honest prover's messages for the statement of y\[0\]\[\d\] changed/.test(e.message));
  const report = await checkConformance(squareBlock(n), ctx, { x: [[3n, -2n, 0n, 7n, 1n]] }, { numRuns: 4 });
  assert.ok(report.statementReproofs >= 2, 'the square block itself meets the new step');
});
