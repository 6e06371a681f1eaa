/**
 * MaxBlock in the flat layout (`blocks/max.ts`, module comment): `y_i = max_{j<L} x_{i·K+j}` over ONE row of M·K cells.
 * Conformance for four shapes (blinded rows included); a y that is a candidate but not the maximum satisfies the
 * block's identities and is caught by the range obligation on d (which covers the cell: a range lookup on d rejects it,
 * and a graph without that lookup, or with a wider range, is refused); a y that is no candidate; d ≠ y − x on any cell (padding
 * included); every cell of y, d and p and every real cell of x changed; every proof element changed; the codec (old
 * row-layout bytes unchanged); refused shapes; and the proof bytes of a 16 × 16 max against the row layout's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { blindingSource } from '../../src/blinding';
import { BlockfoldError } from '../../src/errors';
import { commit } from '../../src/kzg/commit';
import { Transcript } from '../../src/transcript';
import { validateBlockGraph, BlockGraphError, type BlockGraph } from '../../src/pipeline/block-graph';
import {
  checkConformance,
  commitRows,
  LookupBlock,
  polyIopProver,
  proveBlock,
  rangeTable,
  SumBlock,
  verifyBlock,
  type Block,
  type BlockContext,
  type PolyIopProver,
  type Tensors,
} from '../../blocks/index';
import { MaxBlock } from '../../blocks/max';
import { proveLeaf } from '../../blocks/leaf';
import { modelArgumentProtocol, modelArgumentProver, modelArgumentSpec, modelArgumentStatement } from '../../blocks/model-argument';
import { interpolate } from '../../src/poly/interpolate';
import { frFromSigned, R } from '../../src/field';
import type { G1Point } from '../../src/curve';
import { context } from '../soundness/helpers';
import { honestProofElementChanges } from '../helpers/tampered-elements';
import { decodeParams, encodeParams } from '../helpers/block-params';

const BITS = 8;
const flatMax = (M: number, K: number, L: number) => new MaxBlock({ flat: true, rows: M, domain: K, candidates: L, bits: BITS });

/** Real cells in [−60, 60] (pseudo-random), padding cells 99: above every candidate, so a max that read them would differ. */
function flatInput(M: number, K: number, L: number, seed = 1): bigint[][] {
  return [Array.from({ length: M * K }, (_, c) => (c % K < L ? BigInt(((c * 7919 + seed * 104729) % 121) - 60) : 99n))];
}

/** The rows the pipeline would commit, blinded with 3 coefficients (x and d are opened at ζ and ω·ζ). */
const threeCoefficients = () => {
  const source = blindingSource('test/max-flat');
  return (tensor: string, row: number) => source.draw(`${tensor}/${row}`, 3);
};

/** Whether the verifier rejects `block` proven on `tensors` with the prover's checks bypassed (a prover that cannot even produce messages counts). */
async function rejected(block: Block, ctx: BlockContext, tensors: Tensors, prover?: (ctx: BlockContext) => PolyIopProver): Promise<boolean> {
  const cheat: BlockContext = { ...ctx, allowInvalidWitness: true };
  const c: Record<string, G1Point[]> = {};
  for (const t of block.tensors) c[t.name] = await commitRows(ctx.kzg, tensors[t.name], t.domain);
  const statement = block.statement(c);
  const protocol = block.protocol(ctx);
  let bytes: Uint8Array;
  try {
    bytes = prover
      ? await proveBlock({ prover: () => polyIopProver(block.iopSpec!(cheat), cheat, prover(cheat)) } as unknown as Block, cheat, protocol, statement, tensors)
      : await proveBlock(block, cheat, protocol, statement, tensors);
  } catch (e) {
    if (e instanceof BlockfoldError) return true;
    throw e;
  }
  return !(await verifyBlock(ctx, protocol, statement, bytes)).ok;
}

/** The honest witness with `edit` applied to copies of its rows. */
function edited(block: MaxBlock, x: bigint[][], edit: (t: { x: bigint[]; y: bigint[]; d: bigint[] }) => void): Tensors {
  const w = block.witness({ x });
  const t = { x: x[0].slice(), y: w.y[0].slice(), d: w.d[0].slice() };
  edit(t);
  return { x: [t.x], y: [t.y], d: [t.d] };
}

test('flat max passes the conformance harness (blinded rows included) for M×K with L real candidates: 4×4 (4), 16×16 (16), 8×2 (2), 4×4 (3)', async () => {
  for (const [M, K, L] of [[4, 4, 4], [16, 16, 16], [8, 2, 2], [4, 4, 3]]) {
    const block = flatMax(M, K, L);
    const n = M * K;
    assert.equal(block.foldKey, `max/flat/k${L}/m${M}/K${K}`);
    assert.deepEqual(block.tensors.map((t) => [t.name, t.rows, t.domain, t.role]), [['x', 1, n, 'input'], ['y', 1, M, 'output'], ['d', 1, n, 'output']]);
    assert.deepEqual(block.rangeObligations(), [{ tensor: 'd', lo: 0n, hi: 255n, cells: n }], 'the whole row of d');
    assert.deepEqual(block.linearRelations(), []);
    const x = flatInput(M, K, L);
    const w = block.witness({ x });
    for (let i = 0; i < M; i++) {
      const real = x[0].slice(i * K, i * K + L);
      assert.equal(w.y[0][i], real.reduce((a, v) => (v > a ? v : a)), `y_${i} is the max of the real cells, not of the padding`);
    }
    assert.ok(w.d[0].every((v, c) => (c % K < L ? v >= 0n : v === 0n)), 'd ≥ 0 on real cells, 0 on padding');
    const ctx = await context(2 * n + 16);
    const report = await checkConformance(block, ctx, { x }, { numRuns: 2, rowBlinding: threeCoefficients() });
    assert.ok(report.witnessTamperings > 0, `${M}×${K}: witness tampered`);
    assert.ok(report.unblindedRowsRejected, `${M}×${K}: a prover opening the unblinded rows is rejected`);
  }
});

test('y a candidate but not the maximum: the block accepts (d = y − x, one d is 0), the range obligation covers the negative d, and a range lookup on d rejects it (the graph needs one)', async () => {
  const [M, K, L] = [4, 4, 3];
  const n = M * K;
  const block = flatMax(M, K, L);
  const x = [[5n, 9n, 2n, 0n, -1n, -3n, -2n, 0n, 7n, 7n, 1n, 0n, 0n, 4n, 8n, 0n]];
  const honest = block.witness({ x });
  assert.deepEqual(honest.y, [[9n, -1n, 7n, 8n]]);
  // Row 0: y = 5, a candidate (cell 0) below the maximum 9 (cell 1), so d_1 = −4.
  const bad = edited(block, x, (t) => {
    t.y[0] = 5n;
    for (let j = 0; j < L; j++) t.d[j] = 5n - t.x[j];
  });
  const ctx = await context(2 * (1 << BITS) + 16);
  assert.equal(await rejected(block, ctx, bad), false, 'the block alone proves only "y is a real candidate and d = y − x"');
  const [ob] = block.rangeObligations();
  const cell = 1;
  assert.ok(cell < ob.cells && bad.d[0][cell] < ob.lo, 'the obligation covers the negative difference');
  // The range lookup the compiler attaches to d: over the whole row, as the obligation asks.
  const lookup = new LookupBlock(rangeTable(0n, 1n << BigInt(BITS)), [{ input: 'd', rows: 1, domain: n, length: n }]);
  assert.equal(await rejected(lookup, ctx, { d: honest.d }), false, 'the honest d is in range, padding included');
  assert.equal(await rejected(lookup, ctx, { d: bad.d }), true, 'd = −4 is out of range');
  // The graph validation asks for that lookup: without it, or with a wider range, the obligation is not discharged.
  const graph = (range?: LookupBlock): BlockGraph => ({
    tensors: [
      { id: 'x', kind: 'input', rows: 1, domain: n },
      { id: 'y', kind: 'output', rows: 1, domain: M },
      { id: 'd', kind: 'wire', rows: 1, domain: n },
    ],
    nodes: [{ block, bind: { x: 'x', y: 'y', d: 'd' } }, ...(range ? [{ block: range, bind: { d: 'd' } }] : [])],
  });
  validateBlockGraph(graph(lookup));
  const refused = (g: BlockGraph, proves: string) =>
    assert.throws(() => validateBlockGraph(g), (e: unknown) => e instanceof BlockGraphError && e.message.includes(`needs "d" in [0, 255] on 16 cells of each row; the graph proves ${proves}`));
  refused(graph(), 'no range');
  refused(graph(new LookupBlock(rangeTable(0n, 2n << BigInt(BITS)), [{ input: 'd', rows: 1, domain: n, length: n }])), '[0, 511]');
});

test('a y that is none of the real candidates is rejected (every difference of its row ≥ 1: the running product ends nonzero)', async () => {
  const [M, K, L] = [4, 4, 3];
  const block = flatMax(M, K, L);
  const ctx = await context(64);
  const x = flatInput(M, K, L);
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: M - 1 }), fc.bigInt({ min: 1n, max: 100n }), async (i, up) => {
      const bad = edited(block, x, (t) => {
        t.y[i] += up;
        for (let j = 0; j < L; j++) t.d[i * K + j] = t.y[i] - t.x[i * K + j];
      });
      assert.equal(await rejected(block, ctx, bad), true, `row ${i}: y + ${up}`);
    }),
    { numRuns: 4, seed: 3 },
  );
  // The padding cell holds 99 > every real candidate: y = 99 equals x's padding, yet it is refused (only real cells count).
  const padded = edited(block, x, (t) => {
    t.y[0] = 99n;
    for (let j = 0; j < K; j++) t.d[j] = 99n - t.x[j];
  });
  assert.equal(await rejected(block, ctx, padded), true, 'y equal to a padding cell of x');
});

test('every cell of y and d changed (padding included), every real cell of x changed: rejected; x padding is read by no identity', async () => {
  const [M, K, L] = [4, 4, 3];
  const n = M * K;
  const block = flatMax(M, K, L);
  const ctx = await context(64);
  const x = flatInput(M, K, L);
  assert.equal(await rejected(block, ctx, edited(block, x, () => {})), false, 'honest');
  for (let c = 0; c < n; c++) assert.equal(await rejected(block, ctx, edited(block, x, (t) => void (t.d[c] += 1n))), true, `d[${c}] + 1 (d ≠ y − x)`);
  for (let i = 0; i < M; i++) assert.equal(await rejected(block, ctx, edited(block, x, (t) => void (t.y[i] -= 1n))), true, `y[${i}] − 1`);
  for (let c = 0; c < n; c++) {
    const real = c % K < L;
    assert.equal(await rejected(block, ctx, edited(block, x, (t) => void (t.x[c] += 3n))), real, `x[${c}] + 3 (${real ? 'real' : 'padding'})`);
  }
  // Random cells and magnitudes of y and d.
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: n + M - 1 }), fc.bigInt({ min: 1n, max: 1n << 40n }), fc.boolean(), async (cell, mag, neg) => {
      const delta = neg ? -mag : mag;
      const bad = edited(block, x, (t) => void (cell < n ? (t.d[cell] += delta) : (t.y[cell - n] += delta)));
      assert.equal(await rejected(block, ctx, bad), true, `${cell < n ? `d[${cell}]` : `y[${cell - n}]`} + ${delta}`);
    }),
    { numRuns: 8, seed: 7 },
  );
});

test('the running product p: each real cell changed (committed and opened consistently) is rejected; its padding is read by no identity', async () => {
  const [M, K, L] = [4, 4, 3];
  const block = flatMax(M, K, L);
  const ctx = await context(64);
  const x = flatInput(M, K, L);
  const tensors: Tensors = { x, ...block.witness({ x }) };
  // The honest p's values: the running product of d over the real cells of each row, 0 on the padding.
  const d = tensors.d[0].map(frFromSigned);
  const honest = d.map(() => 0n);
  for (let s = 0; s < M * K; s += K) for (let j = 0, acc = 1n; j < L; j++) honest[s + j] = acc = (acc * d[s + j]) % R;
  const forging = (cell: number) => (cheat: BlockContext): PolyIopProver => {
    const inner = block.iopProver(cheat, tensors);
    const p = interpolate(honest.map((v, c) => (c === cell ? (v + 5n) % R : v)), cheat.engine);
    return {
      round: async (decls, values) => ({ ...(await inner.round(decls, values)), '[p]': await commit(cheat.kzg, p) }),
      polynomials: (values) => ({ ...inner.polynomials(values), p }),
    };
  };
  assert.equal(await rejected(block, ctx, tensors, () => block.iopProver(ctx, tensors)), false, 'honest');
  for (let cell = 0; cell < M * K; cell++) {
    const real = cell % K < L;
    assert.equal(await rejected(block, ctx, tensors, forging(cell)), real, `p[${cell}] + 5 (${real ? 'real' : 'padding'})`);
  }
});

test('every proof element of a flat max changed is rejected', async () => {
  const block = flatMax(4, 4, 3);
  const ctx = await context(64);
  const x = flatInput(4, 4, 3);
  const tensors: Tensors = { x, ...block.witness({ x }) };
  const { verified, accepted } = await honestProofElementChanges(block, ctx, tensors);
  assert.equal(verified, true);
  assert.deepEqual(accepted, [], 'changed elements accepted');
});

test('codec: a flat max round-trips (fold key, tensors, obligation); row-layout bytes are unchanged; bad flat shapes are typed errors', () => {
  const encode = encodeParams;
  const decode = (bytes: ArrayLike<number>, domain = 1 << 12) => decodeParams('max', bytes, { rows: 1 << 12, domain });
  for (const [M, K, L] of [[4, 4, 4], [16, 16, 16], [8, 2, 2], [4, 4, 3], [1, 8, 5]]) {
    const block = flatMax(M, K, L);
    const bytes = encode(block);
    assert.deepEqual([...bytes], [0, M, K, L, BITS], 'flat: 0, M, K, L, bits');
    const back = decode(bytes) as MaxBlock;
    assert.ok(back instanceof MaxBlock && back.flat);
    assert.equal(back.foldKey, block.foldKey);
    assert.deepEqual(back.tensors, block.tensors);
    assert.deepEqual(back.rangeObligations(), block.rangeObligations());
    assert.deepEqual([...encode(back)], [...bytes]);
  }
  const rows = new MaxBlock({ candidates: 4, rows: 2, domain: 8, length: 6, bits: 12 });
  assert.deepEqual([...encode(rows)], [4, 2, 8, 6, 12], 'the row layout writes what it wrote before the flat layout');
  const back = decode(encode(rows)) as MaxBlock;
  assert.ok(!back.flat && back.foldKey === rows.foldKey && back.length === 6);
  assert.notEqual(flatMax(4, 4, 4).foldKey, new MaxBlock({ candidates: 4, rows: 4, domain: 4, bits: BITS }).foldKey);
  const refused = (bytes: number[], pattern: RegExp, domain?: number) =>
    assert.throws(() => decode(Uint8Array.from(bytes), domain), (e: unknown) => e instanceof BlockfoldError && pattern.test(e.message), pattern.source);
  refused([0, 4, 4, 5, 8], /max \(flat\) candidates = 5 exceeds|candidates/);
  refused([0, 4, 4, 1, 8], /max \(flat\) candidates = 1 is below 2/);
  refused([0, 3, 4, 2, 8], /max \(flat\) outputs = 3 is not a power of two/);
  refused([0, 4, 6, 2, 8], /max \(flat\) row length = 6 is not a power of two/);
  refused([0, 8, 8, 2, 8], /8 rows of 8 cells exceed the largest domain of the graph \(32\)/, 32);
  refused([1, 2, 8, 8, 8], /needs at least 2 candidates, got 1/);
});

test('refused flat shapes and inputs are typed errors', () => {
  const refused = (f: () => unknown, pattern: RegExp) => assert.throws(f, (e: unknown) => e instanceof BlockfoldError && pattern.test(e.message), pattern.source);
  refused(() => flatMax(3, 4, 4), /outputs M must be a power of two, got 3/);
  refused(() => flatMax(4, 6, 4), /row length K must be a power of two ≥ 4 candidates, got 6/);
  refused(() => flatMax(4, 4, 5), /row length K must be a power of two ≥ 5 candidates, got 4/);
  refused(() => flatMax(4, 4, 1), /at least 2 candidates, got 1/);
  refused(() => new MaxBlock({ flat: true, rows: 4, domain: 4, candidates: 4, bits: 0 }), /bits must be in 1\.\.64/);
  refused(() => new MaxBlock({ flat: true, rows: 4, domain: 4, candidates: 3, length: 3, bits: 8 }), /real cells of a row are its 3 candidates; length is for the row layout/);
  const block = flatMax(4, 4, 3);
  refused(() => block.witness({ x: [Array(15).fill(0n)] }), /x must be one row of 16 cells \(4 rows of 4\)/);
  refused(() => block.witness({ x: [Array(16).fill(0n), Array(16).fill(0n)] }), /one row of 16 cells/);
  refused(() => block.witness({}), /one row of 16 cells/);
});

test('proof bytes of a 16 × 16 max, flat vs row layout, as members of one model argument (what each adds) plus their committed rows', async (t) => {
  const ctx = await context(2 * 256 + 16);
  // An anchor with identities and shifted running sums on H_256, H_16 and H_1, so neither max adds a quotient or an opening point.
  const anchor = [new SumBlock({ rows: 16, length: 16 }), new SumBlock({ rows: 1, length: 256 })];
  const anchorInputs: Tensors[] = [{ x: Array.from({ length: 16 }, (_, i) => Array.from({ length: 16 }, (_, j) => BigInt(i - j))) }, { x: [Array.from({ length: 256 }, (_, c) => BigInt(c % 9))] }];
  const argumentBytes = async (blocks: Block[], inputs: Tensors[]) => {
    const tensors = blocks.map((b, i) => ({ ...inputs[i], ...b.witness(inputs[i]) }));
    const statements = [];
    for (const [i, b] of blocks.entries()) {
      const c: Record<string, G1Point[]> = {};
      for (const s of b.tensors) c[s.name] = await commitRows(ctx.kzg, tensors[i][s.name], s.domain);
      statements.push(b.statement(c));
    }
    const spec = modelArgumentSpec('bytes', blocks, ctx);
    const { messages } = await proveLeaf(modelArgumentProtocol(spec, ctx), Transcript.create('max-flat-bytes'), ctx.engine, modelArgumentStatement(statements), modelArgumentProver(spec, blocks, ctx, tensors));
    return messages.length;
  };
  const base = await argumentBytes(anchor, anchorInputs);
  const x = flatInput(16, 16, 16, 5);
  const flat = flatMax(16, 16, 16);
  // The same 16 maxima in the row layout: 16 candidate rows of the 16 outputs (row j holds candidate j of every output).
  const rows = new MaxBlock({ candidates: 16, rows: 1, domain: 16, bits: BITS });
  const candidateRows = Array.from({ length: 16 }, (_, j) => Array.from({ length: 16 }, (_, i) => x[0][i * 16 + j]));
  assert.deepEqual(rows.witness({ x: candidateRows }).y, flat.witness({ x }).y);
  const flatBytes = (await argumentBytes([...anchor, flat], [...anchorInputs, { x }])) - base;
  const rowBytes = (await argumentBytes([...anchor, rows], [...anchorInputs, { x: candidateRows }])) - base;
  const committed = (b: Block) => 32 * b.tensors.reduce((s, spec) => s + spec.rows, 0);
  t.diagnostic(`flat: ${flatBytes} B in the argument + ${committed(flat)} B of committed rows (x, y, d) = ${flatBytes + committed(flat)} B`);
  t.diagnostic(`rows: ${rowBytes} B in the argument + ${committed(rows)} B of committed rows (16 x, 1 y, 16 d) = ${rowBytes + committed(rows)} B, before the copy into candidate rows`);
  assert.ok(flatBytes + committed(flat) < rowBytes + committed(rows));
  // The standalone block proofs (each with its own quotients and openings), for reference.
  const standalone = async (b: Block, input: Tensors) => {
    const tensors = { ...input, ...b.witness(input) };
    const c: Record<string, G1Point[]> = {};
    for (const s of b.tensors) c[s.name] = await commitRows(ctx.kzg, tensors[s.name], s.domain);
    return (await proveBlock(b, ctx, b.protocol(ctx), b.statement(c), tensors)).length;
  };
  t.diagnostic(`standalone leaves: flat ${await standalone(flat, { x })} B, rows ${await standalone(rows, { x: candidateRows })} B`);
});
