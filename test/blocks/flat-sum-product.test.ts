/**
 * SumBlock, flat layout with a product summand (`product: true`): `s_i = Σ_{j<k} x_ij·w_ij`, w laid out as x (w = x:
 * LayerNorm's `Σ_j c_ij²`). The conformance harness (blinded rows included) on several shapes, m not a power of two
 * among them; every proof element changed is rejected; every real cell of x and w and every cell of s (its padding
 * included) is pinned while the padding cells of x and w are free; sums right in total but wrong row by row are
 * rejected; the row layout refuses a product with a typed error; the codec round-trips the summand and keeps the bytes
 * of flat sums without one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { getDefaultEngine } from '../../src/index';
import { ByteWriter } from '../../src/encoding/bytes';
import { BlockfoldError, EncodingError } from '../../src/errors';
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

/** One flat row of `rows` rows of `K` cells, cell (i, j) = f(i, j). */
function flatRow(rows: number, K: number, f: (i: number, j: number) => bigint): bigint[] {
  return Array.from({ length: rows * K }, (_, c) => f(Math.floor(c / K), c % K));
}

/** Real cells pseudo-random in [−100, 100], padding columns garbage (the mask keeps them out of the sums). */
function operand(rows: number, length: number, K: number, seed: number): bigint[] {
  return flatRow(rows, K, (i, j) => (j < length ? BigInt((i * 31 + j * 17 + seed * 13) % 201) - 100n : 1000n + BigInt(i + seed)));
}

/** Whether the verifier accepts a proof of `block` for x, w and the claimed s (the prover's checks bypassed). */
async function accepts(ctx: BlockContext, block: SumBlock, x: readonly bigint[], w: readonly bigint[], s: readonly bigint[]): Promise<boolean> {
  const protocol = block.protocol(ctx);
  const [xSpec, wSpec, sSpec] = block.tensors;
  const statement = block.statement({ x: await commitRows(ctx.kzg, [x], xSpec.domain), w: await commitRows(ctx.kzg, [w], wSpec.domain), s: await commitRows(ctx.kzg, [s], sSpec.domain) });
  const proof = await proveBlock(block, { ...ctx, allowInvalidWitness: true }, protocol, statement, { x: [x], w: [w], s: [s] });
  return (await verifyBlock(ctx, protocol, statement, proof)).ok;
}

test('flat sums of a product pass the conformance harness (blinded rows included), w = x and w ≠ x: 4×4, 8×3 in K = 4, 3×8, 5×16, one row', async () => {
  const ctx = await context(1024);
  for (const [rows, length, K] of [[4, 4, 4], [8, 3, 4], [3, 8, 8], [5, 16, 16], [1, 5, 8]]) {
    const block = new SumBlock({ rows, length, domain: K, flat: true, product: true });
    const x = operand(rows, length, K, 0);
    for (const w of [x, operand(rows, length, K, 1)]) {
      const report = await checkConformance(block, ctx, { x: [x], w: [w] }, { numRuns: 1 });
      const what = `${rows}×${length} in K = ${K}${w === x ? ', w = x' : ''}`;
      assert.equal(report.foldKey, `sum/flat/m${rows}/k${length}/K${K}/xy`, what);
      assert.ok(report.witnessTamperings > 0, `${what}: tampered outputs proven and rejected`);
      assert.ok(report.unblindedRowsRejected, `${what}: a prover opening the unblinded rows is rejected`);
    }
  }
});

test('flat sum of a product: the statement is three commitments, the witness the row sums of x ∘ w over the real cells', () => {
  const block = new SumBlock({ rows: 3, length: 3, domain: 4, flat: true, product: true });
  assert.deepEqual(block.tensors, [
    { name: 'x', rows: 1, domain: 16, role: 'input' },
    { name: 'w', rows: 1, domain: 16, role: 'input' },
    { name: 's', rows: 1, domain: 4, role: 'output' },
  ]);
  assert.equal(block.iopSpec().statement.length, 3);
  assert.notEqual(block.foldKey, new SumBlock({ rows: 3, length: 3, domain: 4, flat: true }).foldKey);
  const x = flatRow(3, 4, (i, j) => (j < 3 ? BigInt(i + j) : 99n));
  const w = flatRow(3, 4, (i, j) => (j < 3 ? BigInt(j - i) : -7n));
  // Row i: Σ_j (i + j)(j − i) = Σ_j (j² − i²) = 5 − 3i².
  assert.deepEqual(block.witness({ x: [x], w: [w] }).s, [[5n, 2n, -7n]]);
  assert.deepEqual(block.witness({ x: [x], w: [x] }).s, [[5n, 14n, 29n]]);
});

test('flat sum of a product: every element of an honest proof changed is rejected (w = x and w ≠ x)', async () => {
  const ctx = await context(64);
  const [rows, length, K] = [3, 3, 4];
  const block = new SumBlock({ rows, length, domain: K, flat: true, product: true });
  const x = operand(rows, length, K, 0);
  for (const w of [x, operand(rows, length, K, 2)]) {
    const { verified, accepted } = await honestProofElementChanges(block, ctx, { x: [x], w: [w], ...block.witness({ x: [x], w: [w] }) });
    assert.equal(verified, true);
    assert.deepEqual(accepted, [], 'changed elements accepted');
  }
});

test('flat sum of a product, m not a power of two: every real cell of x and w and every cell of s is pinned, padding cells are free', async () => {
  const ctx = await context(64);
  const [rows, length, K, M] = [3, 3, 4, 4];
  const block = new SumBlock({ rows, length, domain: K, flat: true, product: true });
  const full = (row: readonly bigint[], n: number) => [...row, ...new Array<bigint>(n - row.length).fill(0n)];
  const x = full(operand(rows, length, K, 0), M * K);
  const w = full(operand(rows, length, K, 3), M * K);
  const s = full(block.witness({ x: [x.slice(0, rows * K)], w: [w.slice(0, rows * K)] }).s[0], M);
  assert.equal(await accepts(ctx, block, x, w, s), true, 'honest');
  const real = (c: number) => c < rows * K && c % K < length;
  for (let c = 0; c < M * K; c++) {
    // A real cell whose partner is nonzero changes its row's sum; a padding cell (column j ≥ k or row i ≥ m) is not read.
    assert.equal(await accepts(ctx, block, x.map((v, i) => (i === c ? v + 1n : v)), w, s), !real(c) || w[c] === 0n, `x cell ${c} + 1`);
    assert.equal(await accepts(ctx, block, x, w.map((v, i) => (i === c ? v + 1n : v)), s), !real(c) || x[c] === 0n, `w cell ${c} + 1`);
  }
  for (let i = 0; i < M; i++) assert.equal(await accepts(ctx, block, x, w, s.map((v, r) => (r === i ? v + 1n : v))), false, `s cell ${i} + 1`);
  // A padding row of s set to the product-sum of garbage in x's and w's padding row: rejected (the mask leaves it out).
  const dirty = (t: bigint[]) => t.map((v, c) => (c >= rows * K ? 5n + BigInt(c) : v));
  const padSum = [0, 1, 2].reduce((a, j) => a + (5n + BigInt(rows * K + j)) ** 2n, 0n);
  assert.equal(await accepts(ctx, block, dirty(x), dirty(w), s), true, "x's and w's padding rows are not read");
  assert.equal(await accepts(ctx, block, dirty(x), dirty(w), s.map((v, r) => (r === rows ? padSum : v))), false, "s's padding = the padding rows' product-sum");
});

test('flat sum of a product: cells of x and w changed by random amounts, and sums right in total but wrong row by row, are rejected (fast-check)', async () => {
  const ctx = await context(64);
  const [rows, length, K] = [4, 3, 4];
  const block = new SumBlock({ rows, length, domain: K, flat: true, product: true });
  const x = operand(rows, length, K, 1).map((v, c) => (c % K < length && v === 0n ? 1n : v));
  const w = operand(rows, length, K, 4).map((v, c) => (c % K < length && v === 0n ? 1n : v));
  const s = block.witness({ x: [x], w: [w] }).s[0];
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: rows * K - 1 }), fc.bigInt({ min: 1n, max: 1n << 40n }), fc.boolean(), fc.boolean(), async (cell, mag, neg, inW) => {
      const delta = neg ? -mag : mag;
      const change = (t: bigint[]) => t.map((v, c) => (c === cell ? v + delta : v));
      const padding = cell % K >= length;
      assert.equal(await accepts(ctx, block, inW ? x : change(x), inW ? change(w) : w, s), padding, `${inW ? 'w' : 'x'} cell ${cell} + ${delta}`);
    }),
    { numRuns: 8, seed: 11 },
  );
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: rows - 1 }), fc.nat({ max: rows - 2 }), fc.bigInt({ min: 1n, max: 1000n }), async (a, other, d) => {
      const b = other >= a ? other + 1 : other;
      const moved = s.map((v, i) => (i === a ? v + d : i === b ? v - d : v));
      assert.equal(await accepts(ctx, block, x, w, moved), false, `${d} moved from row ${b} to row ${a}`);
    }),
    { numRuns: 4, seed: 5 },
  );
});

test('sum of a product: the row layout and bad witnesses are refused with a BlockfoldError', () => {
  assert.throws(
    () => new SumBlock({ rows: 4, length: 4, product: true }),
    (e: unknown) => e instanceof BlockfoldError && /a product summand needs the flat layout/.test(e.message),
  );
  const block = new SumBlock({ rows: 4, length: 3, flat: true, product: true });
  const x = flatRow(4, 4, () => 1n);
  const refused = (tensors: Record<string, bigint[][]>, message: RegExp) =>
    assert.throws(() => block.witness(tensors), (e: unknown) => e instanceof BlockfoldError && message.test(e.message), Object.keys(tensors).join());
  refused({ x: [x] }, /w must be one row of 16 cells/);
  refused({ x: [x], w: [x.slice(1)] }, /w must be one row of 16 cells/);
  refused({ x: [x], w: [x, x] }, /w must be one row of 16 cells/);
  refused({ w: [x] }, /x must be one row of 16 cells/);
});

const LIMITS: ParamLimits = { rows: 16, domain: 1 << 10 };
const decode = (bytes: ArrayLike<number>, limits = LIMITS) => decodeParams<SumBlock>('sum', bytes, limits);

test('sum codec: a product round-trips (fold key, tensors, bytes) as the flat fields and a trailing 1; flat sums without one keep their bytes', () => {
  for (const [rows, length, K] of [[4, 4, 4], [8, 3, 4], [3, 8, 8], [49, 16, 16]]) {
    const block = new SumBlock({ rows, length, domain: K, flat: true, product: true });
    const bytes = encodeParams(block);
    const plain = encodeParams(new SumBlock({ rows, length, domain: K, flat: true }));
    assert.deepEqual(bytes, [...plain, 1], 'the flat fields, then the product marker');
    const back = decode(bytes);
    assert.deepEqual([back.flat, back.product, back.foldKey], [true, true, block.foldKey]);
    assert.deepEqual(back.tensors, block.tensors);
    assert.deepEqual(encodeParams(back), bytes);
    assert.equal(decode(plain).product, false);
  }
  const flatFields = new ByteWriter().uvarint(0).uvarint(4).uvarint(4).uvarint(4);
  assert.throws(
    () => decode(flatFields.uvarint(3).bytes()),
    (e: unknown) => e instanceof EncodingError && /flat sum form \(1: a product, 2: broadcast sums\)/.test(e.message),
    'a form marker beyond 2',
  );
  assert.throws(
    () => decode(new ByteWriter().uvarint(0).uvarint(4).uvarint(4).uvarint(4).uvarint(0).bytes()),
    (e: unknown) => e instanceof EncodingError && /flat sum form \(1: a product, 2: broadcast sums\) = 0 is below 1/.test(e.message),
    'a trailing 0 (not canonical: a sum without a product has no marker)',
  );
});
