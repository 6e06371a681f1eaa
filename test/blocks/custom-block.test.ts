/**
 * A custom block written only against the public API (`blockfold`, `blockfold/blocks`): the square
 * `y = x ∘ x` of one row, by the quotient argument `x(X)² − y(X) = t(X)·Z_H(X)` checked at a random ζ.
 * It passes the conformance harness without any block-specific verification or folding code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  EvaluationDomain,
  Fr,
  batchOpen,
  batchOpeningEquation,
  commit,
  frSlot,
  poly,
  type G1Point,
  type SlotDecl,
  type SlotValues,
} from '../../src/index';
import { checkConformance, commitRows, leafLabel, proveLeaf, rowEvaluations, type Block, type BlockContext, type LeafInstance, type Protocol, type Tensors } from '../../blocks/index';
import { encodeFoldedProof, foldLeaves, verifyFolded, type LeafStatement } from '../../accumulation/index';
import { testKzgKey } from '../helpers/kzg';
import { getDefaultEngine, Transcript } from '../../src/index';

const OPENED = ['X', 'Y', 'T'] as const;

function squareBlock(n: number): Block {
  const domain = new EvaluationDomain(n);
  const slots: SlotDecl[] = [
    { name: 'X', sort: 'g1', origin: 'statement' },
    { name: 'Y', sort: 'g1', origin: 'statement' },
    { name: 'T', sort: 'g1', origin: 'message' },
    { name: 'zeta', sort: 'fr', origin: 'challenge' },
    { name: 'x', sort: 'fr', origin: 'message' },
    { name: 'y', sort: 'fr', origin: 'message' },
    { name: 't', sort: 'fr', origin: 'message' },
    { name: 'zh', sort: 'fr', origin: 'derived' },
    { name: 'v0', sort: 'fr', origin: 'challenge' },
    { name: 'v1', sort: 'fr', origin: 'challenge' },
    { name: 'v2', sort: 'fr', origin: 'challenge' },
    { name: 'pi', sort: 'g1', origin: 'message' },
  ];
  return {
    kind: 'custom-square',
    foldKey: `custom-square/${n}`,
    tensors: [
      { name: 'x', rows: 1, domain: n, role: 'input' },
      { name: 'y', rows: 1, domain: n, role: 'output' },
    ],
    witness: (inputs: Tensors) => ({ y: [inputs.x[0].map((v) => v * v)] }),
    protocol(ctx: BlockContext): Protocol {
      return {
        foldKey: `custom-square/${n}`,
        maxDegree: 2,
        slots,
        schedule: [
          { kind: 'statement', slots: ['X', 'Y'] },
          { kind: 'message', slots: ['T'] },
          { kind: 'challenge', slots: ['zeta'] },
          { kind: 'message', slots: ['x', 'y', 't'] },
          { kind: 'derived', slots: ['zh'], compute: (v: SlotValues) => ({ zh: domain.vanishingAt(frSlot(v, 'zeta')) }) },
          { kind: 'challenge', slots: ['v0', 'v1', 'v2'] },
          { kind: 'message', slots: ['pi'] },
        ],
        equations: [
          {
            kind: 'field',
            name: 'square',
            terms: [
              { coeff: 1n, scalars: ['x', 'x'] },
              { coeff: Fr.neg(1n), scalars: ['y'] },
              { coeff: Fr.neg(1n), scalars: ['t', 'zh'] },
            ],
          },
          batchOpeningEquation(ctx.kzg, 'open', { commitments: [...OPENED], evaluations: ['x', 'y', 't'], challenges: ['v0', 'v1', 'v2'], point: 'zeta', proof: 'pi' }),
        ],
      };
    },
    statement: (c: Readonly<Record<string, readonly G1Point[]>>) => ({ X: c.x[0], Y: c.y[0] }),
    prover(ctx: BlockContext, tensors: Tensors) {
      const x = poly.interpolate(rowEvaluations(tensors.x[0], n), ctx.engine);
      const y = poly.interpolate(rowEvaluations(tensors.y[0], n), ctx.engine);
      const numerator = poly.sub(poly.mul(x, x, ctx.engine), y);
      const division = poly.divideByVanishing(numerator, n);
      if (!ctx.allowInvalidWitness && division.remainder.some((c) => c !== 0n)) throw new Error('witness does not satisfy y = x²');
      const t = division.quotient;
      return async (decls: readonly SlotDecl[], v: SlotValues): Promise<SlotValues> => {
        const first = decls[0].name;
        if (first === 'T') return { T: await commit(ctx.kzg, t) };
        const zeta = frSlot(v, 'zeta');
        if (first === 'x') return { x: poly.evaluate(x, zeta), y: poly.evaluate(y, zeta), t: poly.evaluate(t, zeta) };
        const challenges = ['v0', 'v1', 'v2'].map((s) => frSlot(v, s));
        return { pi: await batchOpen(ctx.kzg, { polys: [x, y, t], point: zeta, challenges }) };
      };
    },
  };
}

test('a custom block written against the public API passes the conformance harness', async () => {
  const engine = getDefaultEngine();
  const n = 8;
  const ctx: BlockContext = { engine, kzg: await testKzgKey(2 * n, engine) };
  const inputs: Tensors = { x: [[3n, -2n, 0n, 7n, 1n]] };
  const report = await checkConformance(squareBlock(n), ctx, inputs, { numRuns: 4 });
  assert.ok(report.witnessTamperings > 0, 'the harness must have run cheating provers');
  assert.equal(report.proofBytes, 2 * 32 + 3 * 32);
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
