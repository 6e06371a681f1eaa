/**
 * MatmulBlock: conformance (completeness, tampering of messages, outputs and statement, determinism) for weights
 * and for two committed operands, plus the padding attack on both and the weight link (row and flat layouts; the
 * flat layout's own tests are in flat-matmul.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { getDefaultEngine } from '../../src/index';
import { checkConformance, commitRows, polyIopProtocol, polyIopProver, proveBlock, verifyBlock, type Block, type BlockContext, type PolyIopSpec } from '../../blocks/index';
import { MatmulBlock } from '../../blocks/matmul';
import { testKzgKey } from '../helpers/kzg';
import { powers, rowEvaluations } from '../../blocks/index';
import type { SlotDecl, SlotValues } from '../../src/equations/equation';
import { frSlot, g1Slot } from '../../src/equations/evaluate';
import { Fr, frFromSigned } from '../../src/field';
import { commit } from '../../src/kzg/commit';
import { open } from '../../src/kzg/open';
import { interpolate } from '../../src/poly/interpolate';

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

test('fixed weights: a proof whose re-randomized weights differ from the committed ones on H is rejected (row and flat layouts)', async () => {
  // The cheat proves C = A·B'ᵀ with B' the committed B with one weight changed. Every identity holds for B', and
  // the cheater sends [w̃]₁ = [w' + Z_K·r]₁, D = [r]₁ and, at ξ, the honest KZG quotient of the polynomial it holds,
  // w̃ − w − Z_K(ξ)·r = Δ + (Z_K − Z_K(ξ))·r with Δ = Σ_l β^l·(B'_l − B_l) ≠ 0: its value Δ(ξ) at ξ is not 0, and
  // D was sent before ξ, so no D makes the link equation hold. With B' = B (control) the same prover verifies. The
  // flat layout reads w̃ only in its sum over H_K, which ties P (and so the product) to it: the link is as needed there.
  const ctx = await context(32);
  for (const flat of [false, true]) {
    const block = new MatmulBlock({ m: 2, k: 3, n: 2, fixedB: true, flat });
    const protocol = block.protocol(ctx);
    const a = flat ? [[1n, -2n, 3n, 0n, 4n, 0n, -1n, 0n]] : [[1n, -2n, 3n], [4n, 0n, -1n]];
    const b = [[2n, 1n, 1n], [0n, -3n, 5n]];
    const [aSpec, , cSpec] = block.tensors;
    // The statement: A and the committed B, and the output the cheat claims, A·B'ᵀ.
    const statementOf = async (bPrime: bigint[][]) =>
      block.statement({ a: await commitRows(ctx.kzg, a, aSpec.domain), b: await commitRows(ctx.kzg, b, 4), c: await commitRows(ctx.kzg, block.witness({ a, b: bPrime }).c, cSpec.domain) });
    const prove = async (bPrime: bigint[][], spec: PolyIopSpec = block.iopSpec()): Promise<Uint8Array> => {
      const statement = await statementOf(bPrime);
      const tensors = { a, b: bPrime, ...block.witness({ a, b: bPrime }) };
      const cheatCtx: BlockContext = { ...ctx, allowInvalidWitness: true };
      const delta = (v: SlotValues): bigint[] => {
        const betas = powers(frSlot(v, 'beta'), b.length);
        const diff = rowEvaluations([], 4).map((_, j) => betas.reduce((s, beta, l) => Fr.add(s, Fr.mul(beta, frFromSigned((bPrime[l][j] ?? 0n) - (b[l][j] ?? 0n)))), 0n));
        return interpolate(diff, ctx.engine);
      };
      const cheater = (x: BlockContext, t: typeof tensors) => {
        const honest = block.iopProver(x, t);
        return {
          ...honest,
          round: async (decls: readonly SlotDecl[], v: SlotValues) => {
            const out = { ...(await honest.round(decls, v)) } as Record<string, SlotValues[string]>;
            // The honest prover re-randomizes the committed combination; the cheater commits to the w' it opens.
            if ('link/comb/w/w~' in out) out['link/comb/w/w~'] = g1Slot(out, 'link/comb/w/w~').add(await commit(x.kzg, delta(v)));
            if ('link/comb/w/pi' in out) out['link/comb/w/pi'] = g1Slot(out, 'link/comb/w/pi').add((await open(x.kzg, delta(v), frSlot(v, 'link/comb/w/xi'))).proof);
            return out;
          },
        };
      };
      const cheatBlock: Block = Object.create(block, { prover: { value: (x: BlockContext, t: typeof tensors) => polyIopProver(spec, x, cheater(x, t)) } });
      return proveBlock(cheatBlock, cheatCtx, polyIopProtocol(spec, ctx.kzg, ctx.engine), statement, tensors);
    };
    const layout = flat ? 'flat' : 'rows';
    assert.equal((await verifyBlock(ctx, protocol, await statementOf(b), await prove(b))).ok, true, `${layout}: control, the committed weights`);
    const changed = b.map((row) => [...row]);
    changed[1][2] += 1n;
    const statement = await statementOf(changed);
    const verdict = await verifyBlock(ctx, protocol, statement, await prove(changed));
    assert.equal(verdict.ok, false, `${layout}: one weight changed`);
    // Control: without the link equation the same cheat verifies, so the rejection above is the link's doing.
    const unlinked: PolyIopSpec = { ...block.iopSpec(), equations: undefined };
    assert.deepEqual(await verifyBlock(ctx, polyIopProtocol(unlinked, ctx.kzg, ctx.engine), statement, await prove(changed, unlinked)), { ok: true }, `${layout}: without the link`);
  }
});
