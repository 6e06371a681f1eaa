/**
 * WeightedRowsBlock (`C = W·B`, W fixed): conformance (completeness, tampering of messages, outputs and statement,
 * determinism) and the cheats its protocol must catch: a wrong output cell, a p chosen after β to fit a wrong output,
 * garbage in p's padding, in C's padding, and in B's padding matched in C's; a p fitted with γ known, accepted once γ is
 * drawn before p.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { getDefaultEngine } from '../../src/index';
import { Fr, frFromSigned } from '../../src/field';
import { frSlot } from '../../src/equations/evaluate';
import type { SlotValues } from '../../src/equations/equation';
import { checkConformance, commitRows, powers, proveBlock, verifyBlock, type BlockContext, type Verdict } from '../../blocks/index';
import { cheatingVerdict } from '../soundness/helpers';
import { WeightedRowsBlock, type WeightedRowsOptions } from '../../blocks/weighted-rows';
import { testKzgKey } from '../helpers/kzg';
import { drawnWith, readOrGuess } from '../helpers/early-challenge';

async function context(size: number): Promise<BlockContext> {
  const engine = getDefaultEngine();
  return { engine, kzg: await testKzgKey(size, engine) };
}

type Rows = readonly (readonly bigint[])[];

/** Proves `block` on (w, b, c) as given (a cheating prover when c is wrong) and returns the verdict. */
async function verdictOf(block: WeightedRowsBlock, ctx: BlockContext, w: Rows, b: Rows, c: Rows): Promise<Verdict> {
  const protocol = block.protocol(ctx);
  const statement = block.statement({
    w: await commitRows(ctx.kzg, w, block.innerDomain),
    b: await commitRows(ctx.kzg, b, block.outerDomain),
    c: await commitRows(ctx.kzg, c, block.outerDomain),
  });
  const proof = await proveBlock(block, { ...ctx, allowInvalidWitness: true }, protocol, statement, { w, b, c });
  return verifyBlock(ctx, protocol, statement, proof);
}

async function proveAndVerify(block: WeightedRowsBlock, ctx: BlockContext, w: Rows, b: Rows, c: Rows): Promise<boolean> {
  return (await verdictOf(block, ctx, w, b, c)).ok;
}

const W: Rows = [[1n, -2n, 3n], [4n, 0n, -1n]];
const B: Rows = [[2n, 1n, 1n, 0n, 5n], [0n, -3n, 5n, 2n, 2n], [7n, 1n, -1n, 1n, -4n]];

test('weighted rows passes the conformance harness (K ≠ N and K = N)', async () => {
  const ctx = await context(32);
  const report = await checkConformance(new WeightedRowsBlock({ m: 2, k: 3, n: 5 }), ctx, { w: W, b: B }, { numRuns: 3 });
  assert.ok(report.witnessTamperings > 0);
  assert.ok(report.unblindedRowsRejected, 'blinded rows: a prover opening the unblinded rows is rejected');
  assert.equal(report.proofBytes, 352); // 384 with a hidden scalar between the sums over H_K and H_N (the one over H_K is now read on H_N through its subgroup's indicator), 448 with the weight link's own challenge and opening ([ã]₁, [r]₁ and π in place of E), 576 with a running sum per claim, 608 with one opening proof per point, 640 with a quotient per domain size, 992 before linearization, 832 before the weight link ([ã]₁, [r]₁ and π), 928 before the hidden sums ([G]₁ and G(ζ) in place of s, t)
  const square = await checkConformance(new WeightedRowsBlock({ m: 3, k: 5, n: 7 }), ctx, {
    w: [[1n, 2n, 3n, 4n, 5n], [-1n, 0n, 0n, 2n, 9n], [0n, 0n, 0n, 0n, 1n]],
    b: Array.from({ length: 5 }, (_, j) => Array.from({ length: 7 }, (_, l) => BigInt((j * 7 + l * 3) % 11) - 5n)),
  }, { numRuns: 2 });
  assert.equal(square.proofBytes, 256); // 320 with the weight link's own challenge and opening, 384 with a running sum per claim, 576 before linearization; 832 with s, t and four running sums: each pair is now one running sum closing on 0
});

test('weighted rows of single rows and zero matrices (commitments at infinity) verify', async () => {
  const ctx = await context(16);
  await checkConformance(new WeightedRowsBlock({ m: 1, k: 1, n: 1 }), ctx, { w: [[3n]], b: [[-7n]] }, { numRuns: 1 });
  await checkConformance(new WeightedRowsBlock({ m: 2, k: 2, n: 2 }), ctx, { w: [[0n, 0n], [0n, 0n]], b: [[0n, 0n], [0n, 0n]] }, { numRuns: 1 });
});

test('weighted rows verifies on random small shapes and rejects a changed output cell', async () => {
  const ctx = await context(16);
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 5 }),
      fc.integer({ min: 1, max: 6 }),
      fc.array(fc.bigInt({ min: -100n, max: 100n }), { minLength: 45, maxLength: 45 }),
      fc.nat(),
      async (m, k, n, pool, pick) => {
        const w = Array.from({ length: m }, (_, c) => pool.slice(c * k, c * k + k));
        const b = Array.from({ length: k }, (_, j) => pool.slice(15 + j * n, 15 + j * n + n));
        const block = new WeightedRowsBlock({ m, k, n });
        const c = block.witness({ w, b }).c.map((r) => r.slice());
        assert.equal(await proveAndVerify(block, ctx, w, b, c), true);
        c[pick % m][pick % n] += 1n;
        assert.equal(await proveAndVerify(block, ctx, w, b, c), false);
      },
    ),
    { numRuns: 6, seed: 13 },
  );
});

test("an output padding cell that is not zero is rejected (β⃗_N pins C's padding)", async () => {
  const block = new WeightedRowsBlock({ m: 2, k: 3, n: 5 });
  const ctx = await context(16);
  const c = block.witness({ w: W, b: B }).c.map((r) => [...r, 0n, 0n, 0n]);
  c[1][6] = 4n;
  assert.equal(await proveAndVerify(block, ctx, W, B, c), false);
});

test("B's padding never enters the relation: ignored with an honest C, rejected when C's padding follows it", async () => {
  // n = 5 < N = 8: garbage in B's padding columns. An honest C (zero padding) still verifies; a C whose padding is
  // W times B's padding (what an unmasked β⃗ would accept) is rejected, so every output keeps a zero padding.
  const block = new WeightedRowsBlock({ m: 2, k: 3, n: 5 });
  const ctx = await context(16);
  const padded = B.map((r, j) => [...r, BigInt(j + 1), 0n, -3n]);
  const honest = block.witness({ w: W, b: B }).c;
  assert.equal(await proveAndVerify(block, ctx, W, padded, honest), true);
  const following = new WeightedRowsBlock({ m: 2, k: 3, n: 8 }).witness({ w: W, b: padded }).c;
  assert.equal(await proveAndVerify(block, ctx, W, padded, following), false);
});

/** A prover that replaces p (committed after β) by `cheat(honest p, α, β)`. */
function cheatingBlock(opts: WeightedRowsOptions, cheat: (p: bigint[], v: SlotValues) => bigint[]): WeightedRowsBlock {
  return new (class extends WeightedRowsBlock {
    protected override rowProducts(b: readonly (readonly bigint[])[], betas: readonly bigint[], values: SlotValues): bigint[] {
      return cheat(super.rowProducts(b, betas, values), values);
    }
  })(opts);
}

/** The wrong output of the two tests below: the honest C of `opts` with cell (1, 2) raised by {@link RAISED}. */
const RAISED = 6n;
function raisedOutput(opts: WeightedRowsOptions): bigint[][] {
  const c = new WeightedRowsBlock(opts).witness({ w: W, b: B }).c.map((r) => r.slice());
  c[1][2] += RAISED;
  return c;
}

/**
 * The shift of p_0 that hides the raised cell from the sums that see C: ⟨a, p⟩ = Σ_c α^c·⟨C_c, β⃗⟩ gains α·δ·β² on the
 * right, which p_0 + α·δ·β²/a_0 (a_0 = W_00 + α·W_10) adds on the left.
 */
function hidingShift(v: SlotValues): bigint {
  const alpha = frSlot(v, 'alpha');
  const a0 = Fr.add(frFromSigned(W[0][0]), Fr.mul(alpha, frFromSigned(W[1][0])));
  return Fr.div(Fr.mul(Fr.mul(RAISED, alpha), powers(frSlot(v, 'beta'), 3)[2]), a0);
}

test('a p chosen after β to fit a wrong output is rejected (γ⃗ pins p)', async () => {
  // The cheat: output cell (1, 2) raised by δ, and p_0 moved so that ⟨a, p⟩ = Σ_c α^c·⟨C_c, β⃗⟩ still holds; the two
  // sums that see C then agree, and only ⟨Σ_j γ^j·B_j, β⃗_n⟩ = ⟨p, γ⃗⟩ can catch it.
  const opts = { m: 2, k: 3, n: 5 };
  const ctx = await context(16);
  const c = raisedOutput(opts);
  const block = cheatingBlock(opts, (p, v) => p.map((x, j) => (j === 0 ? Fr.add(x, hidingShift(v)) : x)));
  assert.equal((await verdictOf(block, ctx, W, B, c)).ok, false);
  // The sums over H_N (N = 8) hold; the one over H_K (K = 4) that ties p to γ⃗ fails: the prover's own check names it.
  const protocol = block.protocol(ctx);
  const statement = block.statement({
    w: await commitRows(ctx.kzg, W, block.innerDomain),
    b: await commitRows(ctx.kzg, B, block.outerDomain),
    c: await commitRows(ctx.kzg, c, block.outerDomain),
  });
  await assert.rejects(proveBlock(block, ctx, protocol, statement, { w: W, b: B, c }), /does not vanish on H \(size 4\)/);
});

test('γ is drawn after p; a p fitted to a wrong output with γ known verifies where γ is drawn first (control) and is rejected here', async () => {
  // The cheat above, plus p's padding cell 3 (W's column there is zero, so ⟨a, p⟩ keeps it) moved by −s/γ³ for the
  // shift s of p_0: ⟨p, γ⃗⟩ is then the honest one's, γ read if drawn before p, else guessed.
  const opts = { m: 2, k: 3, n: 5 };
  const ctx = await context(16);
  const c = raisedOutput(opts);
  const block = cheatingBlock(opts, (p, v) => {
    const shift = hidingShift(v);
    const gamma = readOrGuess(v, 'gamma');
    return p.map((x, j) => (j === 0 ? Fr.add(x, shift) : j === 3 ? Fr.sub(x, Fr.div(shift, Fr.pow(gamma, 3n))) : x));
  });
  assert.deepEqual(await cheatingVerdict(block, ctx, { w: W, b: B, c }, drawnWith(block.iopSpec(), 'gamma', 'alpha')), { ok: true }, 'the forgery with γ drawn before p');
  assert.equal((await verdictOf(block, ctx, W, B, c)).ok, false, 'the forgery with γ drawn after p');
});

test("garbage in p's padding is rejected even where W's padding makes it harmless", async () => {
  // k = 3 < K = 4: W's padding column is zero, so p_3 does not change ⟨a, p⟩; γ⃗ over all of H_K still pins it.
  const opts = { m: 2, k: 3, n: 5 };
  const ctx = await context(16);
  const block = cheatingBlock(opts, (p) => p.map((x, j) => (j === 3 ? 17n : x)));
  assert.equal(await proveAndVerify(block, ctx, W, B, new WeightedRowsBlock(opts).witness({ w: W, b: B }).c), false);
  // Control: the same prover without the cheat verifies.
  assert.equal(await proveAndVerify(cheatingBlock(opts, (p) => p), ctx, W, B, new WeightedRowsBlock(opts).witness({ w: W, b: B }).c), true);
});
