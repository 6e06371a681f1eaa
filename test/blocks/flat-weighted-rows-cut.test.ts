/**
 * WeightedRowsBlock's flat layout with B cut into several committed rows (`patchDomain` D < K·N, blocks/weighted-rows.ts
 * "B in several rows"): ⌈k·N/D⌉ rows of D cells, D/N rows of B each, combined by `α^(−r·D/N)` into the one claim over
 * H_D. Conformance (k a power of two and not, a last row partly padding, D = N); every cell of B (all committed rows,
 * padding included) and of C changed; p off in any cell (rows past the committed ones included); garbage in W's
 * padding columns and in B's padding rows of the last committed row matched in C; the codec (D written only when B
 * is cut) and bad shapes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkConformance, type Tensors } from '../../blocks/index';
import { WeightedRowsBlock, type WeightedRowsOptions } from '../../blocks/weighted-rows';
import type { SlotValues } from '../../src/equations/equation';
import { BlockfoldError, EncodingError } from '../../src/errors';
import { Fr, R } from '../../src/field';
import { decodeParams, encodeParams } from '../helpers/block-params';
import { cheatingVerdict, context } from '../soundness/helpers';

const cut = (m: number, k: number, n: number, patchDomain: number) => new WeightedRowsBlock({ m, k, n, flat: true, patchDomain });

/** W (m rows of k) and B as its committed rows of D cells (row j of B at j·N in row ⌊j·N/D⌋, zero on every padding cell). */
function inputsOf(block: WeightedRowsBlock, seed = 1): { w: bigint[][]; b: bigint[][] } {
  const [N, D] = [block.outerDomain, block.patchDomain];
  const cell = (x: number) => BigInt(((x + seed) * 40503 + 17) % 23) - 11n;
  const w = Array.from({ length: block.m }, (_, c) => Array.from({ length: block.k }, (_, j) => cell(c * block.k + j)));
  const b = Array.from({ length: block.patchRows }, (_, r) =>
    Array.from({ length: D }, (_, x) => {
      const j = (r * D + x) / N;
      return x % N < block.n && Math.floor(j) < block.k ? cell(1000 + r * D + x) : 0n;
    }),
  );
  return { w, b };
}

function honest(block: WeightedRowsBlock, seed = 1): Tensors {
  const inputs = inputsOf(block, seed);
  return { ...inputs, ...block.witness(inputs) };
}

/** A cut flat weighted-rows block whose prover commits `cheat(p)` in place of p. */
function cheatingBlock(opts: WeightedRowsOptions, cheat: (p: bigint[]) => bigint[]): WeightedRowsBlock {
  return new (class extends WeightedRowsBlock {
    protected override rowProducts(b: readonly (readonly bigint[])[], betas: readonly bigint[], values: SlotValues): bigint[] {
      return cheat(super.rowProducts(b, betas, values));
    }
  })(opts);
}

test('cut B passes the conformance harness: k = 9, 16, 36 in rows of 1, 2, 4, 16 rows of B; the last row partly padding', async () => {
  const ctx = await context(2048);
  const bytes: Record<string, number> = {};
  for (const [m, k, n, D] of [
    [4, 9, 5, 32],
    [3, 9, 5, 8],
    [2, 16, 16, 128],
    [8, 36, 6, 128],
  ]) {
    const block = cut(m, k, n, D);
    assert.equal(block.patchRows, Math.ceil((k * block.outerDomain) / D));
    assert.ok(block.patchRows > 1, block.foldKey);
    const report = await checkConformance(block, ctx, inputsOf(block), { numRuns: 1 });
    assert.ok(report.witnessTamperings > 0, block.foldKey);
    assert.ok(report.unblindedRowsRejected, block.foldKey);
    bytes[block.foldKey] = report.proofBytes;
  }
  // As with one row of B: the claim over B reads the combination of its rows, which the verifier derives (an MSM of
  // R points), so B's rows cost nothing in the block's messages; only the claims' domains change. With D = M·N the
  // claims over C and B share H_D and their multiplier, hence one running sum fewer.
  assert.deepEqual(bytes, {
    'weighted-rows/m4/k9/n5/K16/N8/flat/D32': 448,
    'weighted-rows/m3/k9/n5/K16/N8/flat/D8': 512,
    'weighted-rows/m2/k16/n16/K16/N16/flat/D128': 512,
    'weighted-rows/m8/k36/n6/K64/N8/flat/D128': 512,
  });
});

test('cut B: every cell of every committed row of B changed is rejected when real, ignored when padding (columns l ≥ n, rows j ≥ k)', async () => {
  const ctx = await context(128);
  const block = cut(3, 9, 5, 32); // N = 8, 4 rows of B per committed row: rows 0–3, 4–7, 8 and 3 padding rows
  const [N, D] = [block.outerDomain, block.patchDomain];
  const t = honest(block);
  assert.equal(t.b.length, 3);
  const deltas = fc.sample(fc.bigInt({ min: -(1n << 20n), max: 1n << 20n }).filter((d) => d !== 0n), { numRuns: 3 * D, seed: 13 });
  for (let r = 0; r < 3; r++)
    for (let x = 0; x < D; x++) {
      const j = (r * D + x - (x % N)) / N;
      const real = j < block.k && x % N < block.n;
      const b = t.b.map((row, i) => (i === r ? row.map((v, y) => (y === x ? v + deltas[r * D + x] : v)) : row));
      assert.equal((await cheatingVerdict(block, ctx, { ...t, b })).ok, !real, `B row ${r} cell ${x} (row ${j} of B, column ${x % N}): ${real ? 'real, must be rejected' : 'padding, ignored'}`);
    }
});

test('cut B: every cell of C changed, padding columns and padding rows included, is rejected', async () => {
  const ctx = await context(128);
  const block = cut(3, 9, 5, 16);
  const N = block.outerDomain;
  const t = honest(block);
  const c = [...t.c[0], ...new Array<bigint>((block.flatRows - block.m) * N).fill(0n)];
  assert.equal((await cheatingVerdict(block, ctx, { ...t, c: [c] })).ok, true, 'honest, with explicit zero padding rows');
  const deltas = fc.sample(fc.bigInt({ min: 1n, max: R - 1n }), { numRuns: c.length, seed: 17 });
  for (let x = 0; x < c.length; x++) {
    const bad = c.map((v, i) => (i === x ? Fr.add(v, deltas[x]) : v));
    assert.equal((await cheatingVerdict(block, ctx, { ...t, c: [bad] })).ok, false, `C cell (${Math.floor(x / N)}, ${x % N}) + ${deltas[x]}`);
  }
});

test("cut B: garbage in W's padding columns and in the padding rows of B's last committed row, matched in C, is rejected", async () => {
  const ctx = await context(128);
  const block = cut(2, 9, 5, 32); // K = 16: W's columns 9–15 and rows 9–11 of B (in B's last committed row) are padding
  const [N, D, K] = [block.outerDomain, block.patchDomain, block.innerDomain];
  const t = honest(block);
  // A key whose weight padding is not zero (the verifier never sees the weights), and a B with garbage in its padding rows.
  const w = t.w.map((row, c) => [...row, ...Array.from({ length: K - block.k }, (_, j) => BigInt(3 + c + j))]);
  const b = t.b.map((row, r) => row.map((v, x) => (Math.floor((r * D + x) / N) >= block.k && x % N < block.n ? BigInt(x + 2) : v)));
  const rowOfB = (j: number, l: number) => (j * N < b.length * D ? b[Math.floor((j * N) / D)][((j * N) % D) + l] : 0n);
  const c = Array.from({ length: block.m * N }, (_, x) => {
    const [row, l] = [Math.floor(x / N), x % N];
    let acc = 0n;
    for (let j = 0; j < K && l < block.n; j++) acc += w[row][j] * rowOfB(j, l);
    return acc;
  });
  assert.notDeepEqual(c, t.c[0], 'the padding changes the product over all K rows');
  assert.equal((await cheatingVerdict(block, ctx, { w, b, c: [c] })).ok, false, 'the product read through the padding');
  assert.equal((await cheatingVerdict(block, ctx, { w, b, c: t.c })).ok, true, 'the honest C, whatever both paddings hold');
});

test('cut B: a p off in any cell (rows past the committed ones included) by any amount is rejected', async () => {
  const ctx = await context(128);
  const opts: WeightedRowsOptions = { m: 3, k: 5, n: 5, flat: true, patchDomain: 16 }; // K = 8, committed rows 0–5 of B
  const t = honest(new WeightedRowsBlock(opts));
  assert.equal((await cheatingVerdict(cheatingBlock(opts, (p) => p), ctx, t)).ok, true, 'control: the same prover without the cheat');
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: 7 }), fc.bigInt({ min: 1n, max: R - 1n }), async (j, delta) => {
      const block = cheatingBlock(opts, (p) => p.map((v, i) => (i === j ? Fr.add(v, delta) : v)));
      assert.equal((await cheatingVerdict(block, ctx, t)).ok, false, `p_${j} + ${delta}`);
    }),
    { numRuns: 10, seed: 19 },
  );
});

test("cut B: the codec writes D only when B is cut (one row's key keeps its bytes) and refuses a D outside [N, K·N) or the graph's largest domain", () => {
  const decode = (bytes: ArrayLike<number>, limits = { rows: 16, domain: 256 }) => decodeParams<WeightedRowsBlock>('weighted-rows', bytes, limits);
  const one = new WeightedRowsBlock({ m: 4, k: 9, n: 5, flat: true });
  const rows = cut(4, 9, 5, 32);
  assert.notEqual(one.foldKey, rows.foldKey);
  assert.deepEqual([...encodeParams(one)], [0, 4, 9, 5, 16, 8]);
  assert.deepEqual([...encodeParams(new WeightedRowsBlock({ m: 4, k: 9, n: 5, flat: true, patchDomain: 128 }))], [0, 4, 9, 5, 16, 8], 'D = K·N is one row');
  assert.deepEqual([...encodeParams(rows)], [0, 4, 9, 5, 16, 8, 32]);
  const back = decode(encodeParams(rows));
  assert.deepEqual([back.foldKey, back.patchDomain, back.patchRows], [rows.foldKey, 32, 3]);
  // K·N = 1024 cells exceed the largest domain, D = 256 does not: the key decodes.
  assert.equal(decode(encodeParams(cut(2, 49, 16, 256))).patchRows, 4);
  const refused = (bytes: number[], pattern: RegExp) =>
    assert.throws(() => decode(Uint8Array.from(bytes)), (e: unknown) => e instanceof EncodingError && pattern.test(e.message), pattern.source);
  // Varints: 128 is [128, 1], 256 is [128, 2], 512 is [128, 4].
  refused([0, 4, 9, 5, 16, 8, 128, 1], /B's row domain D = 128 must lie from N = 8 below K·N = 128/);
  refused([0, 4, 9, 5, 16, 8, 4], /B's row domain D = 4 must lie from N = 8 below K·N = 128/);
  refused([0, 4, 9, 5, 16, 8, 24], /not a power of two/);
  refused([0, 2, 49, 16, 64, 16, 128, 4], /exceeds the limit 256/);
  refused([0, 2, 49, 16, 64, 16, 128, 2, 1], /trailing|unread|left/);
  // k·N = 40 cells fit one row of D = 64: not a cut (it would decode to another block than its fold key names).
  refused([0, 2, 5, 5, 16, 8, 64], /must be more than one row/);
  // 2^18·2 cells in rows of 4: 131,072 rows of B against a graph of at most 16 rows.
  assert.throws(
    () => decode(Uint8Array.from([0, 1, 128, 128, 16, 2, 128, 128, 16, 2, 4]), { rows: 16, domain: 1 << 20 }),
    (e: unknown) => e instanceof EncodingError && /at most the graph's 16 rows/.test(e.message),
  );
});

test('cut B: bad options and witnesses are typed errors', () => {
  const bad = (opts: WeightedRowsOptions, pattern: RegExp) => assert.throws(() => new WeightedRowsBlock(opts), (e: unknown) => e instanceof BlockfoldError && pattern.test(e.message), pattern.source);
  bad({ m: 2, k: 9, n: 5, flat: true, patchDomain: 4 }, /B's row domain must be a power of two from N = 8 to K·N = 128/);
  bad({ m: 2, k: 9, n: 5, flat: true, patchDomain: 256 }, /B's row domain/);
  bad({ m: 2, k: 9, n: 5, flat: true, patchDomain: 24 }, /B's row domain/);
  bad({ m: 2, k: 9, n: 5, patchDomain: 32 }, /in the flat layout/);
  bad({ m: 2, k: 5, n: 5, flat: true, innerDomain: 16, patchDomain: 64 }, /fit one row of D = 64/);
  const block = cut(2, 9, 5, 32);
  const { w, b } = inputsOf(block);
  assert.throws(() => block.witness({ w, b: b.slice(0, 2) }), (e: unknown) => e instanceof BlockfoldError && /expected w \(2 rows\) and b \(3 rows\)/.test(e.message));
  assert.throws(() => block.witness({ w, b: [...b.slice(0, 2), b[2].slice(1)] }), (e: unknown) => e instanceof BlockfoldError && /b must be 3 rows of D = 32 cells/.test(e.message));
  // The witness is the one-row layout's product: B's rows read across the committed rows.
  const one = new WeightedRowsBlock({ m: 2, k: 9, n: 5, flat: true });
  const N = block.outerDomain;
  assert.deepEqual(block.witness({ w, b }).c, one.witness({ w, b: [b.flat().slice(0, 9 * N)] }).c);
});
