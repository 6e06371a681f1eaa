/**
 * ArgmaxBlock: conformance for k = 2 and k = 4 with ties; adversarial indices (a later maximum on a tie, a
 * non-maximum, a tampered index), showing which check catches each: the proof itself or the range obligation on e;
 * a cheating prover's selectors (an index other than Σ j·s_j, selectors that are not bits, none set), each refused by
 * the one identity that guards it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getDefaultEngine } from '../../src/index';
import { ArgmaxBlock, checkConformance, commitRows, maxDifferenceCommitments, proveBlock, verifyBlock, type BlockContext, type PolyIopProver, type Tensors } from '../../blocks/index';
import { commit } from '../../src/kzg/commit';
import { interpolate } from '../../src/poly/interpolate';
import { frFromSigned } from '../../src/field';
import { differenceBlinding } from '../helpers/difference-blinding';
import { testKzgKey } from '../helpers/kzg';

async function context(size: number): Promise<BlockContext> {
  const engine = getDefaultEngine();
  return { engine, kzg: await testKzgKey(size, engine) };
}

/** Proves `tensors` as given (the prover does not refuse an invalid witness) and verifies against their commitments. */
async function proveAndVerify(block: ArgmaxBlock, ctx: BlockContext, tensors: Tensors): Promise<boolean> {
  const protocol = block.protocol(ctx);
  const commitments: Record<string, Awaited<ReturnType<typeof commitRows>>> = {};
  for (const t of block.tensors) commitments[t.name] = await commitRows(ctx.kzg, tensors[t.name], t.domain);
  const statement = block.statement(commitments);
  const proof = await proveBlock(block, { ...ctx, allowInvalidWitness: true }, protocol, statement, tensors);
  return (await verifyBlock(ctx, protocol, statement, proof)).ok;
}

/** Whether every cell of every obligated tensor lies in its declared range (what the range lookups would prove). */
function rangesHold(block: ArgmaxBlock, tensors: Tensors): boolean {
  return block.rangeObligations().every(({ tensor, lo, hi }) => tensors[tensor].every((row) => row.every((v) => v >= lo && v <= hi)));
}

test('argmax of 4 candidates with ties passes the conformance harness', async () => {
  const block = new ArgmaxBlock({ candidates: 4, rows: 1, domain: 4, bits: 8 });
  assert.deepEqual(block.rangeObligations(), [
    { tensor: 'd', lo: 0n, hi: 255n, cells: 4 },
    { tensor: 'e', lo: 0n, hi: 255n, cells: 4 },
  ]);
  // Column 1: tie between candidates 1 and 2 (index 1); column 2: all equal (index 0); column 0: last wins.
  const x = [[1n, 5n, -3n], [4n, 9n, -3n], [0n, 9n, -3n], [6n, -1n, -3n]];
  const w = block.witness({ x });
  assert.deepEqual(w.y, [[6n, 9n, -3n]]);
  assert.deepEqual(w.idx, [[3n, 1n, 0n]]);
  assert.deepEqual(w.e, [[4n, 3n, 0n], [1n, 0n, 0n], [5n, 0n, 0n]]);
  const report = await checkConformance(block, await context(8), { x }, { numRuns: 3, rowBlinding: differenceBlinding(block.rows) });
  assert.ok(report.witnessTamperings > 0);
  assert.ok(report.unblindedRowsRejected, 'blinded rows: a prover opening the unblinded rows is rejected');
});

test('argmax of 2 candidates over 2 output rows, with ties, passes the conformance harness', async () => {
  const block = new ArgmaxBlock({ candidates: 2, rows: 2, domain: 4, bits: 8 });
  const x = [[1n, 2n, 7n], [3n, -4n, 0n], [1n, 7n, 8n], [3n, -5n, 0n]];
  assert.deepEqual(block.witness({ x }).idx, [[0n, 1n, 1n], [0n, 0n, 0n]]);
  await checkConformance(block, await context(8), { x }, { numRuns: 2, rowBlinding: differenceBlinding(block.rows) });
});

test('on a tie, a later maximum index satisfies every identity but leaves e = −1: the range obligation on e rejects it', async () => {
  const ctx = await context(8);
  const block = new ArgmaxBlock({ candidates: 3, rows: 1, domain: 2, bits: 8 });
  const x = [[2n, 5n], [7n, 5n], [7n, 1n]];
  const honest = block.witness({ x });
  assert.deepEqual(honest.idx, [[1n, 0n]]);
  // Claim index 2 in column 0 (also a maximum). With c_1 = 0 the gap identity forces e_1 = d_1 − 1 = −1.
  const idx = [[2n, 0n]];
  const cheat: Tensors = { x, ...honest, idx, e: [[4n, 0n], [-1n, 0n]] };
  assert.equal(await proveAndVerify(block, ctx, cheat), true, 'the block proof alone cannot tell a tie apart');
  assert.equal(rangesHold(block, cheat), false, 'e_1 = −1 is outside [0, 2^bits)');
  // Keeping e in range instead (the honest e) breaks the gap identity.
  assert.equal(await proveAndVerify(block, ctx, { x, ...honest, idx }), false);
  assert.equal(rangesHold(block, { x, ...honest, idx }), true);
});

test('an index pointing to a non-maximum is rejected', async () => {
  const ctx = await context(8);
  const block = new ArgmaxBlock({ candidates: 3, rows: 1, domain: 2, bits: 8 });
  const x = [[2n, 5n], [7n, 5n], [3n, 1n]];
  const honest = block.witness({ x });
  // y stays the maximum 7; index 0 selects x_0 = 2, so s_0·d_0 = 5 ≠ 0. e is made consistent with the claim.
  assert.equal(await proveAndVerify(block, ctx, { x, ...honest, idx: [[0n, 0n]], e: [[0n, 0n], [0n, 0n]] }), false);
  // y lowered to the claimed candidate instead: the proof can pass, but d_1 = 2 − 7 = −5 breaks d's range.
  const y = [[2n, 5n]];
  const d = x.map((row) => row.map((v, c) => y[0][c] - v));
  const cheat: Tensors = { x, y, idx: [[0n, 0n]], d, e: [[0n, 0n], [0n, 0n]] };
  assert.equal(await proveAndVerify(block, ctx, cheat), true);
  assert.equal(rangesHold(block, cheat), false);
});

test('a tampered index is rejected, in range or not', async () => {
  const ctx = await context(8);
  const block = new ArgmaxBlock({ candidates: 4, rows: 1, domain: 4, bits: 8 });
  const x = [[1n, 5n, -3n], [4n, 9n, -3n], [0n, 9n, -3n], [6n, -1n, -3n]];
  const honest: Tensors = { x, ...block.witness({ x }) };
  assert.equal(await proveAndVerify(block, ctx, honest), true);
  for (const bad of [[[2n, 1n, 0n]], [[3n, 2n, 0n]], [[3n, 1n, 1n]], [[3n, 1n, 4n]], [[3n, 1n, -1n]]]) {
    assert.equal(await proveAndVerify(block, ctx, { ...honest, idx: bad }), false, `idx ${bad[0].join(',')}`);
  }
});

/**
 * `block` proven by a cheating prover that commits the selector rows `s` (row j·m + i, one value per cell of H, signed)
 * instead of the ones the honest prover derives from idx; everything else as the honest prover sends it.
 */
function withSelectors(block: ArgmaxBlock, s: readonly (readonly bigint[])[]): ArgmaxBlock {
  const iopProver = (ctx: BlockContext, tensors: Tensors): PolyIopProver => {
    const inner = block.iopProver(ctx, tensors);
    const polys = Object.fromEntries(s.map((row, r) => [`s/${r}`, interpolate(row.map((v) => frFromSigned(v)), ctx.engine)]));
    return {
      round: async (decls, values) => {
        await inner.round(decls, values);
        return Object.fromEntries(await Promise.all(s.map(async (_, r) => [`[s]/${r}`, await commit(ctx.kzg, polys[`s/${r}`])] as const)));
      },
      polynomials: (values) => ({ ...inner.polynomials(values), ...polys }),
    };
  };
  return Object.create(block, { iopProver: { value: iopProver } }) as ArgmaxBlock;
}

test('selectors a cheating prover chooses: each identity on them refuses the index or maximum only it guards, all ranges in bounds', async () => {
  // One output cell (domain 1), k = 3 candidates x = (1, 5, 5): honest y = 5, idx = 1, d = (4, 0, 0), e = (3, 0).
  const ctx = await context(8);
  const block = new ArgmaxBlock({ candidates: 3, rows: 1, domain: 1, bits: 8 });
  const x = [[1n], [5n], [5n]];
  const honest: Tensors = { x, ...block.witness({ x }) };
  assert.deepEqual([honest.idx, honest.e], [[[1n]], [[3n], [0n]]]);
  const honestSelectors = [[0n], [1n], [0n]];
  assert.equal(await proveAndVerify(withSelectors(block, honestSelectors), ctx, honest), true, 'the helper proves the honest selectors');
  const cases: [string, bigint[][], Tensors][] = [
    // idx = Σ j·s_j: honest selectors, idx 2 (the later tie; e as the honest one, in range).
    ['index', honestSelectors, { ...honest, idx: [[2n]] }],
    // s_j ∈ {0, 1}: s = (0, 2, −1) sums to 1, selects only zero differences, and gives e = (3, 1) in range, idx = 2 − 2 = 0,
    // a candidate below the maximum.
    ['bits', [[0n], [2n], [-1n]], { ...honest, idx: [[0n]], e: [[3n], [1n]] }],
    // Σ_j s_j = 1: no selector set, y = 9 above every candidate, d = (8, 4, 4), e = d − 1 in range, idx = 0.
    ['one-hot', [[0n], [0n], [0n]], { x, y: [[9n]], idx: [[0n]], d: [[8n], [4n], [4n]], e: [[7n], [3n]] }],
  ];
  for (const [what, s, cheat] of cases) {
    assert.ok(rangesHold(block, cheat), `${what}: d and e in range`);
    assert.equal(await proveAndVerify(withSelectors(block, s), ctx, cheat), false, what);
  }
});

test('difference commitments derived from x and y equal the committed differences', async () => {
  const ctx = await context(8);
  const block = new ArgmaxBlock({ candidates: 2, rows: 1, domain: 4, bits: 8 });
  const x = [[1n, 2n, 3n], [3n, -4n, 0n]];
  const w = block.witness({ x });
  const derived = maxDifferenceCommitments(await commitRows(ctx.kzg, x, 4), await commitRows(ctx.kzg, w.y, 4));
  const committed = await commitRows(ctx.kzg, w.d, 4);
  assert.ok(derived.every((p, i) => p.equals(committed[i])));
});

test('argmax rejects malformed shapes', () => {
  assert.throws(() => new ArgmaxBlock({ candidates: 1, rows: 1, domain: 4, bits: 8 }), /at least 2 candidates/);
  assert.throws(() => new ArgmaxBlock({ candidates: 2, rows: 1, domain: 4, bits: 8 }).witness({ x: [[1n]] }), /2 rows/);
});
