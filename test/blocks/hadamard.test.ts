/**
 * HadamardBlock: conformance, one row and many rows, random small shapes; with fixed weights, the weight link
 * (a changed weight is rejected, no weight row is opened at ζ).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { getDefaultEngine } from '../../src/index';
import {
  checkConformance,
  commitRows,
  messageSize,
  polyIopProtocol,
  polyIopProver,
  proveBlock,
  rowEvaluations,
  verifyBlock,
  type Block,
  type BlockContext,
  type PolyIopSpec,
} from '../../blocks/index';
import { HadamardBlock } from '../../blocks/hadamard';
import { testKzgKey } from '../helpers/kzg';
import type { SlotDecl, SlotValues } from '../../src/equations/equation';
import { frSlot, g1Slot } from '../../src/equations/evaluate';
import { commit } from '../../src/kzg/commit';
import { open } from '../../src/kzg/open';
import { interpolate } from '../../src/poly/interpolate';

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
  assert.equal(spec.equations?.((await context(8)).kzg).filter((e) => e.name.startsWith('link ')).length, 3);
  // Without fixed weights the rows are statement oracles (the committed operand of another block's output).
  assert.ok(new HadamardBlock({ rows: 3, domain: 4 }).iopSpec().oracles.some((o) => o.commitment === bRows[0]));
});

test('fixed weights: a hadamard proof whose re-randomized weights differ from the committed ones on H is rejected', async () => {
  // The cheat proves c = a ∘ b' with b' the committed b with one weight changed. The identity holds for b', and the
  // cheater sends [b̃_i]₁ = [b'_i + Z_H·r_i]₁ and, at ξ_i, the honest KZG quotient of the polynomial it holds,
  // Δ_i + (Z_H − Z_H(ξ_i))·r_i with Δ_i = b'_i − b_i: Δ_1(ξ_1) ≠ 0 whp and D_1 was sent before ξ_1, so the link
  // equation of row 1 fails. With b' = b (control) the same prover verifies.
  const ctx = await context(16);
  const block = new HadamardBlock({ rows: 2, domain: 4, fixedB: true });
  const protocol = block.protocol(ctx);
  const a = [[1n, -2n, 3n, 4n], [0n, 5n, -1n, 2n]];
  const b = [[2n, 1n, 1n, 3n], [7n, 0n, -3n, 5n]];
  const statementOf = async (bPrime: bigint[][]) =>
    block.statement({ a: await commitRows(ctx.kzg, a, 4), b: await commitRows(ctx.kzg, b, 4), c: await commitRows(ctx.kzg, block.witness({ a, b: bPrime }).c, 4) });
  const prove = async (bPrime: bigint[][], spec: PolyIopSpec = block.iopSpec()): Promise<Uint8Array> => {
    const tensors = { a, b: bPrime, ...block.witness({ a, b: bPrime }) };
    const delta = (i: number): bigint[] => interpolate(rowEvaluations(bPrime[i].map((x, j) => x - b[i][j]), 4), ctx.engine);
    const cheater = (x: BlockContext, t: typeof tensors) => {
      const honest = block.iopProver(x, t);
      return {
        ...honest,
        round: async (decls: readonly SlotDecl[], v: SlotValues) => {
          const out = { ...(await honest.round(decls, v)) } as Record<string, SlotValues[string]>;
          for (let i = 0; i < b.length; i++) {
            // The honest prover re-randomizes the committed row; the cheater commits to the b'_i it opens.
            const tilde = `link/b/${i}/w~`;
            const pi = `link/b/${i}/pi`;
            if (tilde in out) out[tilde] = g1Slot(out, tilde).add(await commit(x.kzg, delta(i)));
            if (pi in out) out[pi] = g1Slot(out, pi).add((await open(x.kzg, delta(i), frSlot(v, `link/b/${i}/xi`))).proof);
          }
          return out;
        },
      };
    };
    const cheatBlock: Block = Object.create(block, { prover: { value: (x: BlockContext, t: typeof tensors) => polyIopProver(spec, x, cheater(x, t)) } });
    return proveBlock(cheatBlock, { ...ctx, allowInvalidWitness: true }, polyIopProtocol(spec, ctx.kzg, ctx.engine), await statementOf(bPrime), tensors);
  };
  assert.equal((await verifyBlock(ctx, protocol, await statementOf(b), await prove(b))).ok, true, 'control: the committed weights');
  const changed = b.map((row) => [...row]);
  changed[1][2] += 1n;
  const statement = await statementOf(changed);
  assert.equal((await verifyBlock(ctx, protocol, statement, await prove(changed))).ok, false, 'one weight changed');
  // Control: without the link equations the same cheat verifies, so the rejection above is the link's doing.
  const unlinked: PolyIopSpec = { ...block.iopSpec(), equations: undefined };
  assert.deepEqual(await verifyBlock(ctx, polyIopProtocol(unlinked, ctx.kzg, ctx.engine), statement, await prove(changed, unlinked)), { ok: true });
});
