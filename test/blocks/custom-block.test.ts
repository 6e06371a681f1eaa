/**
 * The custom block of `examples/square-block.ts`, written only against the published package (`blockfold`,
 * `blockfold/blocks`): the square `y = x ∘ x` of one row, by the quotient argument
 * `x(X)² − y(X) = t(X)·Z_H(X)` checked at a random ζ. It passes the conformance harness and folds without
 * any block-specific verification or folding code. The same block with its opening leaving out Y, so that y(ζ) is bound
 * to no commitment, fails the harness. With a free G1 message (docs/soundness.md rule 2) it is refused: a correction
 * added to its opening by `validateProtocol` (and so by the engine, which will not prove it), a message that a derived
 * commitment could read but does not by the harness, on the honest proof's values.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkConformance,
  commitRows,
  ConformanceError,
  leafLabel,
  MessageRoleError,
  proveLeaf,
  rowEvaluations,
  validateProtocol,
  type Block,
  type BlockContext,
  type LeafInstance,
  type Protocol,
  type Tensors,
} from '../../blocks/index';
import { encodeFoldedProof, foldLeaves, verifyFolded, type LeafStatement } from '../../accumulation/index';
import { testKzgKey } from '../helpers/kzg';
import { batchOpen, batchOpeningEquation, BlockfoldError, frSlot, g1Slot, G1, getDefaultEngine, poly, Transcript, type SlotDecl, type SlotValues } from '../../src/index';
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

/**
 * The square block with one more G1 message: `corr`, sent with π and added to the opening as `e(corr, [1]₂)` (ZKTorch's
 * correction, which a prover sets to cancel whatever the openings miss), or `E`, sent with T and read by nothing but a
 * derived B that the opening opens in X's place and that is X alone. The honest prover sends the zero point.
 */
function squareWithMessage(n: number, extra: 'corr' | 'E'): Block {
  const block = squareBlock(n);
  const withCorrection = (p: Protocol, ctx: BlockContext): Protocol => ({
    ...p,
    slots: [...p.slots, { name: 'corr', sort: 'g1', origin: 'message' }],
    schedule: p.schedule.map((s) => (s.kind === 'message' && s.slots[0] === 'pi' ? { kind: 'message', slots: ['pi', 'corr'] } : s)),
    equations: p.equations.map((e) => (e.kind === 'pairing' ? { ...e, terms: [...e.terms, { coeff: 1n, scalars: [], g1: 'corr', g2: ctx.kzg.g2One }] } : e)),
  });
  const withUnread = (p: Protocol): Protocol => ({
    ...p,
    slots: [...p.slots, { name: 'E', sort: 'g1', origin: 'message' }, { name: 'B', sort: 'g1', origin: 'derived' }],
    schedule: p.schedule.flatMap((s) =>
      s.kind === 'message' && s.slots[0] === 'T' ? [{ kind: 'message', slots: ['T', 'E'] }, { kind: 'derived', slots: ['B'], compute: (v: SlotValues) => ({ B: g1Slot(v, 'X') }) }] : [s],
    ),
    equations: p.equations.map((e) => (e.kind === 'pairing' ? { ...e, terms: e.terms.map((m) => (m.g1 === 'X' ? { ...m, g1: 'B' } : m)) } : e)),
  });
  return {
    ...block,
    protocol: (ctx: BlockContext) => (extra === 'corr' ? withCorrection(block.protocol(ctx), ctx) : withUnread(block.protocol(ctx))),
    prover(ctx: BlockContext, tensors: Tensors) {
      const honest = block.prover(ctx, tensors);
      return async (decls: readonly SlotDecl[], v: SlotValues) => {
        const own = decls.filter((d) => d.name !== extra);
        return own.length === decls.length ? honest(decls, v) : { ...(await honest(own, v)), [extra]: G1.ZERO };
      };
    },
  };
}

test('a custom block whose opening holds a free G1 message is refused by validateProtocol, the engine and the harness, naming the message', async () => {
  const engine = getDefaultEngine();
  const n = 8;
  const ctx: BlockContext = { engine, kzg: await testKzgKey(2 * n, engine) };
  const block = squareWithMessage(n, 'corr');
  const protocol = block.protocol(ctx);
  const named = (e: unknown) => e instanceof MessageRoleError && e.block === 'custom-square/8' && e.slot === 'corr' && /G1 message "corr"/.test(e.message);
  assert.throws(() => validateProtocol(protocol), named);
  const tensors: Tensors = { x: [[1n, 2n]], ...block.witness({ x: [[1n, 2n]] }) };
  const statement = block.statement({ x: await commitRows(ctx.kzg, tensors.x, n), y: await commitRows(ctx.kzg, tensors.y, n) });
  await assert.rejects(proveLeaf(protocol, Transcript.create('custom-block'), engine, statement, block.prover(ctx, tensors)), named);
  await assert.rejects(checkConformance(block, ctx, { x: [[3n, -2n]] }, { numRuns: 2 }), named);
});

test('the harness refuses a custom block whose G1 message only a derived commitment could read, and it does not', async () => {
  const engine = getDefaultEngine();
  const n = 8;
  const ctx: BlockContext = { engine, kzg: await testKzgKey(2 * n, engine) };
  const block = squareWithMessage(n, 'E');
  validateProtocol(block.protocol(ctx)); // from the protocol alone B may read E
  await assert.rejects(checkConformance(block, ctx, { x: [[3n, -2n, 0n, 7n, 1n]] }, { numRuns: 4 }), (e: unknown) => e instanceof MessageRoleError && e.slot === 'E' && /reaches no opened commitment/.test(e.message));
});
