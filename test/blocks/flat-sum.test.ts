/**
 * SumBlock, flat layout (`flat: true`): x is one row on H_{M·K}, cell (i, j) at i·K + j, and s one row on H_M. The
 * conformance harness (blinded rows included) on several shapes, m not a power of two among them (padding rows up to
 * M = pow2(m)); x's padding columns and rows are free while every cell of s, its padding included, is pinned; sums
 * right in total but wrong row by row are rejected; bad shapes are refused; the codec round-trips the layout, and
 * row-layout parameters keep their bytes (older keys decode unchanged).
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

async function context(size: number): Promise<BlockContext> {
  const engine = getDefaultEngine();
  return { engine, kzg: await testKzgKey(size, engine) };
}

/** x as one flat row: `rows` rows of `K` cells, cell (i, j) = f(i, j). */
function flatRow(rows: number, K: number, f: (i: number, j: number) => bigint): bigint[][] {
  return [Array.from({ length: rows * K }, (_, c) => f(Math.floor(c / K), c % K))];
}

/** Whether the verifier accepts a proof of `block` for x and the claimed s (the prover's checks bypassed). */
async function accepts(ctx: BlockContext, block: SumBlock, x: readonly (readonly bigint[])[], s: readonly (readonly bigint[])[]): Promise<boolean> {
  const protocol = block.protocol(ctx);
  const [xSpec, sSpec] = block.tensors;
  const statement = block.statement({ x: await commitRows(ctx.kzg, x, xSpec.domain), s: await commitRows(ctx.kzg, s, sSpec.domain) });
  const proof = await proveBlock(block, { ...ctx, allowInvalidWitness: true }, protocol, statement, { x, s });
  return (await verifyBlock(ctx, protocol, statement, proof)).ok;
}

test('flat sums pass the conformance harness (blinded rows included): 4×4, 16×16, 8×3 in K = 4, 2×8, one row, rows of one cell', async () => {
  const ctx = await context(1024);
  for (const [rows, length, K] of [[4, 4, 4], [16, 16, 16], [8, 3, 4], [2, 8, 8], [1, 5, 8], [4, 1, 1]]) {
    const block = new SumBlock({ rows, length, domain: K, flat: true });
    // Padding columns hold garbage: the mask keeps them out of the sums.
    const x = flatRow(rows, K, (i, j) => (j < length ? BigInt((i * 31 + j * 17) % 201) - 100n : 1000n + BigInt(i)));
    const report = await checkConformance(block, ctx, { x }, { numRuns: 2 });
    const what = `${rows}×${length} in K = ${K}`;
    assert.equal(report.foldKey, `sum/flat/m${rows}/k${length}/K${K}`, what);
    assert.ok(report.witnessTamperings > 0, `${what}: tampered outputs proven and rejected`);
    assert.ok(report.unblindedRowsRejected, `${what}: a prover opening the unblinded rows is rejected`);
  }
});

test('flat sums with m not a power of two pass the conformance harness: 3 rows of 8, 5 of 16, 49 of 16, 3 of 3 in K = 4', async () => {
  const ctx = await context(2 * 1024 + 8);
  for (const [rows, length, K] of [[3, 8, 8], [5, 16, 16], [49, 16, 16], [3, 3, 4]]) {
    const block = new SumBlock({ rows, length, domain: K, flat: true });
    const M = 2 ** Math.ceil(Math.log2(rows));
    assert.deepEqual(block.tensors.map((t) => t.domain), [M * K, M], `${rows}×${length}: x on H_{M·K}, s on H_M`);
    const x = flatRow(rows, K, (i, j) => (j < length ? BigInt((i * 31 + j * 17) % 201) - 100n : 1000n + BigInt(i)));
    const report = await checkConformance(block, ctx, { x }, { numRuns: 1 });
    const what = `${rows}×${length} in K = ${K}`;
    assert.equal(report.foldKey, `sum/flat/m${rows}/k${length}/K${K}`, what);
    assert.ok(report.witnessTamperings > 0, `${what}: tampered outputs proven and rejected`);
    assert.ok(report.unblindedRowsRejected, `${what}: a prover opening the unblinded rows is rejected`);
  }
});

test("flat sum, m not a power of two: x's padding rows and columns are free, every cell of s (its padding included) is pinned", async () => {
  const ctx = await context(64);
  const [rows, length, K, M] = [3, 3, 4, 4];
  const block = new SumBlock({ rows, length, domain: K, flat: true });
  const x = flatRow(rows, K, (i, j) => (j < length ? BigInt(i * 3 - j * 5 + 1) : 0n))[0];
  const s = block.witness({ x: [x] }).s[0];
  const full = (row: readonly bigint[], n: number) => [...row, ...new Array<bigint>(n - row.length).fill(0n)];
  const [xFull, sFull] = [full(x, M * K), full(s, M)];
  assert.equal(await accepts(ctx, block, [xFull], [sFull]), true, 'honest, given with the padding rows');
  // Garbage on x's padding row (every cell of it): still the honest sums, zero on s's padding row.
  const dirty = xFull.map((v, c) => (c >= rows * K ? 7n + BigInt(c) : v));
  assert.equal(await accepts(ctx, block, [dirty], [sFull]), true, "x's padding row is not read");
  // s's padding cell set to the dirty padding row's sum: rejected (the mask leaves the row out, so s_3 = 0).
  const rowSum = dirty.slice(rows * K, rows * K + length).reduce((a, v) => a + v, 0n);
  assert.equal(await accepts(ctx, block, [dirty], [sFull.map((v, i) => (i === rows ? rowSum : v))]), false, "s's padding = the padding row's sum");
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: M - 1 }), fc.bigInt({ min: 1n, max: 1n << 40n }), fc.boolean(), async (cell, mag, neg) => {
      const delta = neg ? -mag : mag;
      assert.equal(await accepts(ctx, block, [xFull], [sFull.map((v, i) => (i === cell ? v + delta : v))]), false, `s cell ${cell} + ${delta}`);
    }),
    { numRuns: 8, seed: 3 },
  );
  for (let i = 0; i < M; i++) assert.equal(await accepts(ctx, block, [xFull], [sFull.map((v, r) => (r === i ? v + 1n : v))]), false, `s cell ${i} + 1`);
});

test('flat layout: the statement is two commitments, and the fold key differs from the row layout of the same shape', () => {
  const flat = new SumBlock({ rows: 8, length: 3, domain: 4, flat: true });
  const rows = new SumBlock({ rows: 8, length: 3, domain: 4 });
  assert.deepEqual(flat.tensors, [
    { name: 'x', rows: 1, domain: 32, role: 'input' },
    { name: 's', rows: 1, domain: 8, role: 'output' },
  ]);
  assert.notEqual(flat.foldKey, rows.foldKey);
  assert.equal(flat.iopSpec().statement.length, 2);
  assert.equal(rows.iopSpec().statement.length, 9);
  assert.deepEqual(flat.witness({ x: flatRow(8, 4, (i, j) => (j < 3 ? BigInt(i + j) : 99n)) }).s, [[3n, 6n, 9n, 12n, 15n, 18n, 21n, 24n]]);
});

test("flat sum: x's padding columns are free, its real cells and every cell of s are pinned (fast-check)", async () => {
  const ctx = await context(64);
  const [rows, length, K] = [8, 3, 4];
  const block = new SumBlock({ rows, length, domain: K, flat: true });
  const x = flatRow(rows, K, (i, j) => (j < length ? BigInt(i * 3 - j * 5) : 0n));
  const s = block.witness({ x }).s;
  assert.equal(await accepts(ctx, block, x, s), true, 'honest');
  for (let i = 0; i < rows; i++) {
    assert.equal(await accepts(ctx, block, [x[0].map((v, c) => (c === i * K + length ? v - 5n : v))], s), true, `padding cell (${i}, ${length}) changed`);
    assert.equal(await accepts(ctx, block, [x[0].map((v, c) => (c === i * K ? v + 1n : v))], s), false, `real cell (${i}, 0) changed, s kept`);
    assert.equal(await accepts(ctx, block, x, [s[0].map((v, r) => (r === i ? v - 1n : v))]), false, `s cell ${i} changed`);
  }
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: rows * K - 1 }), fc.nat({ max: rows - 1 }), fc.bigInt({ min: 1n, max: 1n << 40n }), fc.boolean(), async (cell, row, mag, neg) => {
      const delta = neg ? -mag : mag;
      const changedX = [x[0].map((v, c) => (c === cell ? v + delta : v))];
      const padding = cell % K >= length;
      assert.equal(await accepts(ctx, block, changedX, s), padding, `x cell ${cell} (column ${cell % K}) + ${delta}, s kept`);
      const changedS = [s[0].map((v, i) => (i === row ? v + delta : v))];
      assert.equal(await accepts(ctx, block, x, changedS), false, `s cell ${row} + ${delta}`);
    }),
    { numRuns: 12, seed: 7 },
  );
});

test('flat sum: sums right in total but wrong row by row are rejected (fast-check)', async () => {
  const ctx = await context(256);
  for (const [rows, length, K] of [[4, 4, 4], [8, 3, 4], [2, 8, 8], [4, 1, 1]]) {
    const block = new SumBlock({ rows, length, domain: K, flat: true });
    const x = flatRow(rows, K, (i, j) => (j < length ? BigInt(7 * i - j) : 0n));
    const s = block.witness({ x }).s[0];
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: rows - 1 }), fc.nat({ max: rows - 2 }), fc.bigInt({ min: 1n, max: 1000n }), async (a, other, d) => {
        const b = other >= a ? other + 1 : other;
        const moved = s.map((v, i) => (i === a ? v + d : i === b ? v - d : v));
        assert.equal(moved.reduce((p, v) => p + v, 0n), s.reduce((p, v) => p + v, 0n), 'the same total');
        assert.equal(await accepts(ctx, block, x, [moved]), false, `${rows}×${length} in K = ${K}: ${d} moved from row ${b} to row ${a}`);
      }),
      { numRuns: 3, seed: rows },
    );
  }
});

test('flat sum: bad shapes and witnesses are refused with a BlockfoldError', () => {
  const refused = (opts: ConstructorParameters<typeof SumBlock>[0], message: RegExp) =>
    assert.throws(() => new SumBlock(opts), (e: unknown) => e instanceof BlockfoldError && message.test(e.message), JSON.stringify(opts));
  refused({ rows: 3, length: 4, sumsDomain: 8, flat: true }, /sums domain must be the next power of two ≥ rows, got 3 rows, sums domain 8/);
  refused({ rows: 4, length: 4, sumsDomain: 8, flat: true }, /sums domain must be the next power of two ≥ rows/);
  refused({ rows: 0, length: 4, flat: true }, /positive integers/);
  refused({ rows: 4, length: 3, domain: 3, flat: true }, /row domain K must be a power of two/);
  refused({ rows: 4, length: 5, domain: 4, flat: true }, /domain too small/);
  refused({ rows: 4, length: 0, flat: true }, /positive integers/);
  const block = new SumBlock({ rows: 4, length: 3, flat: true });
  const badWitness = (x: bigint[][]) =>
    assert.throws(() => block.witness({ x }), (e: unknown) => e instanceof BlockfoldError && /one row of 16 cells/.test(e.message), `${x.length} rows`);
  badWitness(flatRow(4, 3, () => 1n)); // contiguous rows of 3 cells, not the layout's rows of 4
  badWitness([Array(16).fill(1n), Array(16).fill(1n)]);
  badWitness(flatRow(4, 4, () => 1n).map((r) => [...r, 0n]));
  assert.throws(() => block.witness({}), BlockfoldError);
});

const LIMITS: ParamLimits = { rows: 16, domain: 1 << 10 };

const encode = encodeParams;
const decode = (bytes: ArrayLike<number>, limits = LIMITS) => decodeParams<SumBlock>('sum', bytes, limits);

test('sum codec: the flat layout round-trips (fold key, tensors, bytes), bounded by the graph; row-layout bytes are those of older keys', () => {
  for (const [rows, length, K] of [[4, 4, 4], [16, 16, 16], [8, 3, 4], [2, 8, 8], [1, 5, 8], [4, 1, 1], [3, 8, 8], [49, 16, 16]]) {
    const block = new SumBlock({ rows, length, domain: K, flat: true });
    const bytes = encode(block);
    assert.equal(bytes[0], 0, 'the flat marker');
    const back = decode(bytes);
    assert.equal(back.flat, true);
    assert.equal(back.foldKey, block.foldKey);
    assert.deepEqual(back.tensors, block.tensors);
    assert.deepEqual(encode(back), bytes);
  }
  // Row layout: rows, length, domain, sums domain, as every key written before the flat layout stores it.
  const old = new ByteWriter().uvarint(3).uvarint(5).uvarint(8).uvarint(4).bytes();
  const row = new SumBlock({ rows: 3, length: 5 });
  assert.deepEqual(encode(row), [...old]);
  const back = decode(old);
  assert.equal(back.flat, false);
  assert.equal(back.foldKey, 'sum/m3/k5/n8/M4');
  assert.deepEqual(back.tensors, row.tensors);
  // A flat sum of 64 rows in a graph whose tensors all have one row: M is bounded by the domains, not the rows.
  const tall = new SumBlock({ rows: 64, length: 16, flat: true });
  assert.equal(decode(encode(tall), { rows: 1, domain: 1024 }).foldKey, tall.foldKey);
  const encodingError = (bytes: ArrayLike<number>, message: RegExp, limits = LIMITS) =>
    assert.throws(() => decode(bytes, limits), (e: unknown) => e instanceof EncodingError && message.test(e.message));
  encodingError(encode(tall), /x's domain 64·16 exceeds the graph's largest domain 512/, { rows: 1, domain: 512 });
  encodingError(new ByteWriter().uvarint(0).uvarint(4).uvarint(4).uvarint(0).bytes(), /flat sum rows = 0 is below 1/);
  // m not a power of two: stored as m, its sums domain M = pow2(m), bounded as M·K.
  const three = decode(new ByteWriter().uvarint(0).uvarint(4).uvarint(4).uvarint(3).bytes());
  assert.deepEqual([three.flat, three.rows, three.sumsDomain, three.foldKey], [true, 3, 4, 'sum/flat/m3/k4/K4']);
  encodingError(new ByteWriter().uvarint(0).uvarint(16).uvarint(16).uvarint(33).bytes(), /x's domain 64·16 exceeds the graph's largest domain 512/, { rows: 1, domain: 512 });
  encodingError(new ByteWriter().uvarint(17).uvarint(4).uvarint(4).uvarint(32).bytes(), /sum rows \(0: flat layout\) = 17/);
  assert.throws(() => decode(new ByteWriter().uvarint(0).uvarint(5).uvarint(4).uvarint(4).bytes()), (e: unknown) => e instanceof BlockfoldError && /domain too small/.test(e.message));
});
