/**
 * BroadcastBlock: `out[i·K + j] = in[i]`, in one row on H_M and out one row on H_{M·K}. The conformance harness
 * (blinded rows included) on several shapes; every cell of out off by one is rejected, and so are outs that are
 * right on column 0 only, constant rows holding another row's value, and rows right on average; bad shapes and
 * witnesses are refused; the codec round-trips; ranges flow both ways only from facts on every cell.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { getDefaultEngine } from '../../src/index';
import { ByteWriter } from '../../src/encoding/bytes';
import { BlockfoldError, EncodingError } from '../../src/errors';
import { BroadcastBlock, checkConformance, commitRows, messageSlots, oracleRotations, proveBlock, verifyBlock, type BlockContext, type TensorRange } from '../../blocks/index';
import type { ParamLimits } from '../../blocks/codec';
import { decodeParams, encodeParams } from '../helpers/block-params';
import { testKzgKey } from '../helpers/kzg';

async function context(size: number): Promise<BlockContext> {
  const engine = getDefaultEngine();
  return { engine, kzg: await testKzgKey(size, engine) };
}

/** in as one row of M cells. */
const inRow = (M: number, f: (i: number) => bigint): bigint[][] => [Array.from({ length: M }, (_, i) => f(i))];

/** Whether the verifier accepts a proof of `block` for in and the claimed out (the prover's checks bypassed). */
async function accepts(ctx: BlockContext, block: BroadcastBlock, x: readonly (readonly bigint[])[], y: readonly (readonly bigint[])[]): Promise<boolean> {
  const protocol = block.protocol(ctx);
  const [inSpec, outSpec] = block.tensors;
  const statement = block.statement({ in: await commitRows(ctx.kzg, x, inSpec.domain), out: await commitRows(ctx.kzg, y, outSpec.domain) });
  const proof = await proveBlock(block, { ...ctx, allowInvalidWitness: true }, protocol, statement, { in: x, out: y });
  return (await verifyBlock(ctx, protocol, statement, proof)).ok;
}

test('broadcasts pass the conformance harness (blinded rows included): 4×4, 16×16, 2×8, one row (M = 1), rows of one cell (K = 1), 1×1', async () => {
  const ctx = await context(1024);
  for (const [M, K] of [[4, 4], [16, 16], [2, 8], [1, 4], [4, 1], [1, 1]]) {
    const block = new BroadcastBlock({ rows: M, rowLength: K });
    const report = await checkConformance(block, ctx, { in: inRow(M, (i) => BigInt(i * 37 - 50)) }, { numRuns: 3 });
    const what = `M = ${M}, K = ${K}`;
    assert.equal(report.foldKey, `broadcast/M${M}/K${K}`, what);
    assert.equal(report.messageSlotsTampered, messageSlots(block.protocol(ctx)).length, `${what}: every proof element tampered`);
    assert.ok(report.witnessTamperings > 0, `${what}: tampered outputs proven and rejected`);
    assert.ok(report.unblindedRowsRejected, `${what}: a prover opening the unblinded rows is rejected`);
  }
});

test('broadcast: the statement is two rows with no padding, out opened at ζ only (no shifted opening), the witness repeats each cell K times', () => {
  const block = new BroadcastBlock({ rows: 4, rowLength: 2 });
  assert.deepEqual(block.tensors, [
    { name: 'in', rows: 1, domain: 4, role: 'input' },
    { name: 'out', rows: 1, domain: 8, role: 'output' },
  ]);
  const spec = block.iopSpec();
  assert.equal(spec.statement.length, 2);
  const rotations = oracleRotations(spec);
  assert.ok(['in', 'out'].every((o) => rotations.get(o)!.length === 0), 'in and out are opened at ζ only');
  assert.deepEqual(block.witness({ in: [[3n, -1n, 0n, 7n]] }).out, [[3n, 3n, -1n, -1n, 0n, 0n, 7n, 7n]]);
});

test('broadcast: every cell of out off by one is rejected (each cell in turn, then fast-check over cells and offsets)', async () => {
  const ctx = await context(256);
  const [M, K] = [4, 4];
  const block = new BroadcastBlock({ rows: M, rowLength: K });
  const x = inRow(M, (i) => BigInt(5 * i - 7));
  const y = block.witness({ in: x }).out;
  assert.equal(await accepts(ctx, block, x, y), true, 'honest');
  for (let f = 0; f < M * K; f++) for (const d of [1n, -1n]) assert.equal(await accepts(ctx, block, x, [y[0].map((v, c) => (c === f ? v + d : v))]), false, `out cell ${f} + ${d}`);
  const wide = new BroadcastBlock({ rows: 8, rowLength: 8 });
  const wx = inRow(8, (i) => BigInt(i * i) - 20n);
  const wy = wide.witness({ in: wx }).out[0];
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: 63 }), fc.bigInt({ min: 1n, max: 1n << 60n }), fc.boolean(), async (f, mag, neg) => {
      const d = neg ? -mag : mag;
      assert.equal(await accepts(ctx, wide, wx, [wy.map((v, c) => (c === f ? v + d : v))]), false, `out cell ${f} + ${d}`);
      assert.equal(await accepts(ctx, wide, [wx[0].map((v, i) => (i === f % 8 ? v + d : v))], [wy]), false, `in cell ${f % 8} + ${d}`);
    }),
    { numRuns: 8, seed: 11 },
  );
});

test('broadcast: outs right on column 0 only, constant rows of another row, rows right on average or in total are rejected (fast-check)', async () => {
  const ctx = await context(256);
  for (const [M, K] of [[4, 4], [2, 8], [8, 2]]) {
    const block = new BroadcastBlock({ rows: M, rowLength: K });
    const x = inRow(M, (i) => BigInt(3 * i + 1));
    const y = block.witness({ in: x }).out[0];
    const what = `M = ${M}, K = ${K}`;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: M - 1 }), fc.nat({ max: M - 2 }), fc.integer({ min: 1, max: K - 1 }), fc.bigInt({ min: 1n, max: 1000n }), async (i, other, j, d) => {
        const k = other >= i ? other + 1 : other;
        // Column 0 right, one other cell of row i anything else.
        assert.equal(await accepts(ctx, block, x, [y.map((v, c) => (c === i * K + j ? v + d : v))]), false, `${what}: column 0 right, cell (${i}, ${j}) + ${d}`);
        // Every row constant, rows i and k swapped.
        const swapped = y.map((_, c) => x[0][Math.floor(c / K) === i ? k : Math.floor(c / K) === k ? i : Math.floor(c / K)]);
        if (x[0][i] !== x[0][k]) assert.equal(await accepts(ctx, block, x, [swapped]), false, `${what}: rows ${i} and ${k} swapped`);
        // Row i right on average (d moved from cell (i, j) to (i, 0)), and rows right in total (d moved from row k to row i).
        assert.equal(await accepts(ctx, block, x, [y.map((v, c) => (c === i * K ? v + d : c === i * K + j ? v - d : v))]), false, `${what}: row ${i} right on average`);
        assert.equal(await accepts(ctx, block, x, [y.map((v, c) => (Math.floor(c / K) === i ? v + d : Math.floor(c / K) === k ? v - d : v))]), false, `${what}: ${d} moved from row ${k} to row ${i}`);
      }),
      { numRuns: 3, seed: M },
    );
  }
});

test('broadcast: bad shapes and witnesses are refused with a BlockfoldError', () => {
  const refused = (opts: { rows: number; rowLength: number }) =>
    assert.throws(() => new BroadcastBlock(opts), (e: unknown) => e instanceof BlockfoldError && /must be powers of two/.test(e.message), JSON.stringify(opts));
  for (const [rows, rowLength] of [[3, 4], [4, 3], [0, 4], [4, 0], [-4, 2], [2.5, 2], [4, NaN]]) refused({ rows, rowLength });
  const block = new BroadcastBlock({ rows: 4, rowLength: 2 });
  for (const x of [[[1n, 2n, 3n]], [[1n, 2n, 3n, 4n, 5n]], [[1n, 2n, 3n, 4n], [1n, 2n, 3n, 4n]], []])
    assert.throws(() => block.witness({ in: x }), (e: unknown) => e instanceof BlockfoldError && /one row of 4 cells/.test(e.message), JSON.stringify(x.map((r) => r.length)));
  assert.throws(() => block.witness({}), BlockfoldError);
});

const LIMITS: ParamLimits = { rows: 16, domain: 1 << 10 };

const encode = encodeParams;
const decode = (bytes: ArrayLike<number>, limits = LIMITS) => decodeParams<BroadcastBlock>('broadcast', bytes, limits);

test('broadcast codec: round-trips (fold key, tensors, bytes), bounded by the graph, refuses shapes that are not powers of two', () => {
  for (const [M, K] of [[4, 4], [16, 16], [2, 8], [1, 4], [4, 1], [1, 1], [64, 16]]) {
    const block = new BroadcastBlock({ rows: M, rowLength: K });
    const bytes = encode(block);
    assert.deepEqual(bytes, [...new ByteWriter().uvarint(M).uvarint(K).bytes()]);
    const back = decode(bytes);
    assert.equal(back.foldKey, block.foldKey);
    assert.deepEqual(back.tensors, block.tensors);
    assert.deepEqual(encode(back), bytes);
  }
  const encodingError = (bytes: ArrayLike<number>, message: RegExp, limits = LIMITS) =>
    assert.throws(() => decode(bytes, limits), (e: unknown) => e instanceof EncodingError && message.test(e.message), message.source);
  encodingError(encode(new BroadcastBlock({ rows: 64, rowLength: 16 })), /out's domain 64·16 exceeds the graph's largest domain 512/, { rows: 1, domain: 512 });
  encodingError(new ByteWriter().uvarint(3).uvarint(4).bytes(), /broadcast rows = 3 is not a power of two/);
  encodingError(new ByteWriter().uvarint(4).uvarint(6).bytes(), /broadcast row length = 6 is not a power of two/);
  encodingError(new ByteWriter().uvarint(0).uvarint(4).bytes(), /broadcast rows = 0 is below 1/);
});

test('broadcast ranges: a fact on every cell of in is one on every cell of out and conversely; a fact on part of a row gives nothing', () => {
  const block = new BroadcastBlock({ rows: 4, rowLength: 8 });
  const facts = (...known: TensorRange[]) => block.provenRanges(new Map(known.map((r) => [r.tensor, r])));
  assert.deepEqual(facts({ tensor: 'in', lo: -3n, hi: 9n, cells: 4 }), [{ tensor: 'out', lo: -3n, hi: 9n, cells: 32 }]);
  assert.deepEqual(facts({ tensor: 'out', lo: 0n, hi: 255n, cells: 32 }), [{ tensor: 'in', lo: 0n, hi: 255n, cells: 4 }]);
  assert.deepEqual(facts({ tensor: 'in', lo: -3n, hi: 9n, cells: 3 }, { tensor: 'out', lo: 0n, hi: 255n, cells: 31 }), []);
  assert.deepEqual(facts(), []);
});
