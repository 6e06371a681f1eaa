/**
 * SumBlock, flat layout with broadcast sums (`broadcast: true`): s is laid out as x, `s_ij = Σ_l x_il` on every cell
 * of row i (LayerNorm's mean `perRow(Σx)`), so the sums themselves are never committed. The conformance harness
 * (blinded rows included) on several shapes, m not a power of two among them; every proof element changed is
 * rejected; every real cell of x and every cell of s (its padding rows included) is pinned while x's padding rows are
 * free; a row of s constant but wrong, or wrong in one column only, is rejected; bad options and witnesses are typed
 * errors; the codec round-trips the form and refuses hostile ones; `columnWeights` sums to one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { getDefaultEngine } from '../../src/index';
import { BlockfoldError, EncodingError } from '../../src/errors';
import { Fr, R } from '../../src/field';
import { columnWeights } from '../../blocks/broadcast';
import { checkConformance, commitRows, proveBlock, verifyBlock, type BlockContext } from '../../blocks/index';
import type { ParamLimits } from '../../blocks/codec';
import { SumBlock } from '../../blocks/sum';
import { decodeParams, encodeParams } from '../helpers/block-params';
import { testKzgKey } from '../helpers/kzg';
import { honestProofElementChanges } from '../helpers/tampered-elements';

async function context(size: number): Promise<BlockContext> {
  const engine = getDefaultEngine();
  return { engine, kzg: await testKzgKey(size, engine) };
}

/** x as one flat row of `rows` rows of K cells, pseudo-random in [−100, 100]. */
function rowsOf(rows: number, K: number, seed = 0): bigint[] {
  return Array.from({ length: rows * K }, (_, c) => BigInt((c * 37 + seed * 11) % 201) - 100n);
}

const broadcastSums = (rows: number, K: number) => new SumBlock({ rows, length: K, domain: K, flat: true, broadcast: true });

/** Whether the verifier accepts a proof of `block` for x and the claimed s (the prover's checks bypassed). */
async function accepts(ctx: BlockContext, block: SumBlock, x: readonly bigint[], s: readonly bigint[]): Promise<boolean> {
  const protocol = block.protocol(ctx);
  const [xSpec, sSpec] = block.tensors;
  const statement = block.statement({ x: await commitRows(ctx.kzg, [x], xSpec.domain), s: await commitRows(ctx.kzg, [s], sSpec.domain) });
  const proof = await proveBlock(block, { ...ctx, allowInvalidWitness: true }, protocol, statement, { x: [x], s: [s] });
  return (await verifyBlock(ctx, protocol, statement, proof)).ok;
}

test('broadcast sums pass the conformance harness (blinded rows included): 4×4, 16×16, 3×8, 5×2, one row of 8', async () => {
  const ctx = await context(1024);
  for (const [rows, K] of [[4, 4], [16, 16], [3, 8], [5, 2], [1, 8]]) {
    const block = broadcastSums(rows, K);
    const report = await checkConformance(block, ctx, { x: [rowsOf(rows, K)] }, { numRuns: 1 });
    const what = `${rows}×${K}`;
    assert.equal(report.foldKey, `sum/flat/m${rows}/k${K}/K${K}/rows`, what);
    assert.ok(report.witnessTamperings > 0, `${what}: tampered outputs proven and rejected`);
    assert.ok(report.unblindedRowsRejected, `${what}: a prover opening the unblinded rows is rejected`);
  }
});

test('broadcast sums: s is laid out as x, each row sum on every cell of its row', () => {
  const block = broadcastSums(3, 4);
  const M = 4;
  assert.deepEqual(block.tensors, [
    { name: 'x', rows: 1, domain: M * 4, role: 'input' },
    { name: 's', rows: 1, domain: M * 4, role: 'output' },
  ]);
  const x = Array.from({ length: 12 }, (_, c) => BigInt(c));
  assert.deepEqual(block.witness({ x: [x] }).s, [[6n, 6n, 6n, 6n, 22n, 22n, 22n, 22n, 38n, 38n, 38n, 38n]]);
});

test('broadcast sums: every element of an honest proof changed is rejected', async () => {
  const ctx = await context(64);
  const block = broadcastSums(3, 4);
  const x = rowsOf(3, 4, 1);
  const { verified, accepted } = await honestProofElementChanges(block, ctx, { x: [x], ...block.witness({ x: [x] }) });
  assert.equal(verified, true);
  assert.deepEqual(accepted, [], 'changed elements accepted');
});

test("broadcast sums, m not a power of two: every cell of x's real rows and of s is pinned, x's padding rows are free", async () => {
  const ctx = await context(64);
  const [rows, K, M] = [3, 4, 4];
  const block = broadcastSums(rows, K);
  const full = (row: readonly bigint[]) => [...row, ...new Array<bigint>(M * K - row.length).fill(0n)];
  const x = full(rowsOf(rows, K, 2));
  const s = full(block.witness({ x: [x.slice(0, rows * K)] }).s[0]);
  assert.equal(await accepts(ctx, block, x, s), true, 'honest');
  for (let c = 0; c < M * K; c++) {
    assert.equal(await accepts(ctx, block, x.map((v, i) => (i === c ? v + 1n : v)), s), c >= rows * K, `x cell ${c} + 1, s kept`);
    assert.equal(await accepts(ctx, block, x, s.map((v, i) => (i === c ? v + 1n : v))), false, `s cell ${c} + 1`);
  }
  // A padding row of x with garbage, and s's padding row its sum broadcast: rejected (the mask leaves the row out).
  const dirty = x.map((v, c) => (c >= rows * K ? 9n + BigInt(c) : v));
  const padSum = dirty.slice(rows * K).reduce((a, v) => a + v, 0n);
  assert.equal(await accepts(ctx, block, dirty, s), true, "x's padding row is not read");
  assert.equal(await accepts(ctx, block, dirty, s.map((v, c) => (c >= rows * K ? padSum : v))), false, "s's padding row = the padding row's sum");
});

test('broadcast sums: a row of s wrong by the same amount everywhere, wrong in one column, or sums moved between rows, is rejected (fast-check)', async () => {
  const ctx = await context(64);
  const [rows, K] = [4, 4];
  const block = broadcastSums(rows, K);
  const x = rowsOf(rows, K, 3);
  const s = block.witness({ x: [x] }).s[0];
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: rows - 1 }), fc.nat({ max: K - 1 }), fc.bigInt({ min: 1n, max: 1n << 40n }), fc.boolean(), async (row, column, mag, whole) => {
      const changed = s.map((v, c) => (Math.floor(c / K) === row && (whole || c % K === column) ? v + mag : v));
      assert.equal(await accepts(ctx, block, x, changed), false, `row ${row} ${whole ? 'whole' : `column ${column}`} + ${mag}`);
    }),
    { numRuns: 8, seed: 13 },
  );
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: rows - 1 }), fc.nat({ max: rows - 2 }), fc.bigInt({ min: 1n, max: 1000n }), async (a, other, d) => {
      const b = other >= a ? other + 1 : other;
      const moved = s.map((v, c) => (Math.floor(c / K) === a ? v + d : Math.floor(c / K) === b ? v - d : v));
      assert.equal(await accepts(ctx, block, x, moved), false, `${d} moved from row ${b} to row ${a}`);
    }),
    { numRuns: 4, seed: 17 },
  );
});

test('broadcast sums: bad options and witnesses are refused with a BlockfoldError', () => {
  const refused = (opts: ConstructorParameters<typeof SumBlock>[0]) =>
    assert.throws(() => new SumBlock(opts), (e: unknown) => e instanceof BlockfoldError && /broadcast sums need the flat layout with rows of K = length cells, and no product/.test(e.message), JSON.stringify(opts));
  refused({ rows: 4, length: 4, broadcast: true });
  refused({ rows: 4, length: 3, domain: 4, flat: true, broadcast: true });
  refused({ rows: 4, length: 4, flat: true, product: true, broadcast: true });
  assert.throws(() => broadcastSums(4, 4).witness({ x: [rowsOf(4, 4).slice(1)] }), (e: unknown) => e instanceof BlockfoldError && /x must be one row of 16 cells/.test(e.message));
});

const LIMITS: ParamLimits = { rows: 16, domain: 1 << 10 };

test('sum codec: broadcast sums round-trip (fold key, tensors, bytes) as the flat fields and a trailing 2', () => {
  for (const [rows, K] of [[4, 4], [3, 8], [16, 16], [5, 2]]) {
    const block = broadcastSums(rows, K);
    const bytes = encodeParams(block);
    assert.deepEqual(bytes, [...encodeParams(new SumBlock({ rows, length: K, domain: K, flat: true })), 2]);
    const back = decodeParams<SumBlock>('sum', bytes, LIMITS);
    assert.deepEqual([back.broadcast, back.product, back.foldKey], [true, false, block.foldKey]);
    assert.deepEqual(back.tensors, block.tensors);
    assert.deepEqual(encodeParams(back), bytes);
  }
});

test('sum codec: hostile forms are refused with typed errors (broadcast sums over rows longer than their domain, a form byte after a row-layout sum)', () => {
  // Flat fields (rows 0 marks the flat layout), length 3, domain 4, 4 rows, then form 2: broadcast sums need K = length.
  assert.throws(() => decodeParams<SumBlock>('sum', [0, 3, 4, 4, 2], LIMITS), (e: unknown) => e instanceof BlockfoldError && /broadcast sums need the flat layout with rows of K = length cells/.test(e.message));
  // A row-layout sum's fields, then a byte no form reads.
  const rowSum = encodeParams(new SumBlock({ rows: 4, length: 4 }));
  assert.deepEqual(decodeParams<SumBlock>('sum', rowSum, LIMITS).flat, false);
  assert.throws(() => decodeParams<SumBlock>('sum', [...rowSum, 2], LIMITS), (e: unknown) => e instanceof EncodingError);
});

test('columnWeights: c_0 = 1 − Σ_{0<j<K} β^j and c_j = β^j, so Σ_j c_j = 1 (K = 1: the one weight 1)', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: 0n, max: R - 1n }), fc.constantFrom(1, 2, 4, 16), (beta, K) => {
      const c = columnWeights(beta, K);
      assert.equal(c.length, K);
      assert.equal(c.reduce((acc, v) => (acc + v) % R, 0n), 1n);
      for (let j = 1; j < K; j++) assert.equal(c[j], Fr.pow(beta, BigInt(j)));
    }),
    { numRuns: 50 },
  );
  assert.deepEqual(columnWeights(5n, 1), [1n]);
});
