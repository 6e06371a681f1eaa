/**
 * MaxConstantBlock (`blocks/max-constant.ts`): `y = max(x, c)` with x read in place and one range-checked slack
 * `d = 2y − x − c`. Conformance for a ReLU, a negative and a positive constant over several rows (blinded rows
 * included); the two ways to cheat that the identities alone let through (y = x below c, y = c below x) are both
 * caught by the one range lookup on d, and a graph without it is refused; the ranges of y and x it implies; a y that
 * is neither x nor c, and any changed cell of x, y or d, is rejected; a padding cell with y = x = c (which the tight
 * identity and the slack allow) is rejected, and so is each case only one padding identity refuses; the codec; refused shapes; and the compiler: a ReLU needs no copy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { BlockfoldError } from '../../src/errors';
import { compile } from '../../src/index';
import { provenRanges, validateBlockGraph, BlockGraphError, type BlockGraph } from '../../src/pipeline/block-graph';
import { checkConformance, LookupBlock, rangeTable, type Block, type BlockContext, type Tensors } from '../../blocks/index';
import { MaxConstantBlock } from '../../blocks/max-constant';
import { modelFile, SAMPLE_MLP, sampleMlpInput } from '../model/fixtures';
import { decodeParams, encodeParams } from '../helpers/block-params';
import { cheatingVerdict, context } from '../soundness/helpers';

const BITS = 8;

/** Whether the verifier rejects `block` proven on `tensors` with the prover's checks bypassed. */
const rejected = async (block: Block, ctx: BlockContext, tensors: Tensors) => !(await cheatingVerdict(block, ctx, tensors)).ok;

test('max-constant passes the conformance harness: a ReLU, c = −5 over three rows, c = 7 with padding', async () => {
  const ctx = await context(32);
  const cases: [MaxConstantBlock, bigint[][]][] = [
    [new MaxConstantBlock({ rows: 1, domain: 4, length: 3, constant: 0n, bits: BITS }), [[-3n, 0n, 5n]]],
    [new MaxConstantBlock({ rows: 3, domain: 4, constant: -5n, bits: BITS }), [[-9n, -5n, -4n, 6n], [0n, -100n, 3n, -6n], [-5n, -5n, -5n, -5n]]],
    [new MaxConstantBlock({ rows: 2, domain: 8, length: 5, constant: 7n, bits: BITS }), [[1n, 7n, 8n, 100n, -2n], [9n, 6n, 7n, 0n, 50n]]],
  ];
  for (const [block, x] of cases) {
    // The slack relation is an identity on H, so rows blinded independently keep it (no blinding to solve).
    const report = await checkConformance(block, ctx, { x }, { numRuns: 2 });
    assert.ok(report.witnessTamperings > 0, `${block.foldKey}: witness tampered`);
    assert.ok(report.unblindedRowsRejected, `${block.foldKey}: a prover opening the unblinded rows is rejected`);
  }
  // d = 2y − x − c on the real cells: y − c where y = x, c − x where y = c.
  assert.deepEqual(cases[0][0].witness({ x: cases[0][1] }), { y: [[0n, 0n, 5n]], d: [[3n, 0n, 5n]] });
  assert.deepEqual(cases[2][0].rangeObligations(), [{ tensor: 'd', lo: 0n, hi: 255n, cells: 5 }]);
  assert.deepEqual(cases[2][0].provenRanges(new Map([['d', { tensor: 'd', lo: 0n, hi: 255n, cells: 5 }]])), [
    { tensor: 'y', lo: 7n, hi: 262n, cells: 5 },
    { tensor: 'x', lo: -248n, hi: 262n, cells: 5 },
  ]);
  // A fact on d covering the whole row (a range lookup reports one) gives y's and x's on the real cells only: their
  // padding is 0, outside [7, 262] (c = 7 > 0).
  const block = cases[2][0];
  assert.ok(block.provenRanges(new Map([['d', { tensor: 'd', lo: 0n, hi: 255n, cells: 8 }]])).every((r) => r.cells === 5));
  const lookup = new LookupBlock(rangeTable(0n, 256n), [{ input: 'd', rows: 2, domain: 8, length: 8 }]);
  const facts = provenRanges({
    tensors: [
      { id: 'x', kind: 'input', rows: 2, domain: 8 },
      { id: 'y', kind: 'output', rows: 2, domain: 8 },
      { id: 'd', kind: 'wire', rows: 2, domain: 8 },
    ],
    nodes: [{ block, bind: { x: 'x', y: 'y', d: 'd' } }, { block: lookup, bind: { d: 'd' } }],
  });
  const honest = block.witness({ x: cases[2][1] });
  for (const t of ['y', 'x'] as const)
    for (const fact of facts.get(t) ?? []) {
      const values = (t === 'y' ? honest.y : cases[2][1]).flatMap((row) => [...row, ...new Array(8 - row.length).fill(0n)].slice(0, fact.cells));
      assert.ok(values.every((v) => v >= fact.lo && v <= fact.hi), `${t} ∈ [${fact.lo}, ${fact.hi}] on ${fact.cells} cells holds`);
    }
});

test('y = x below c, or y = c below x: the identities hold, and the range lookup on the slack d rejects both; a graph without it is refused', async () => {
  const n = 4;
  const c = 2n;
  const block = new MaxConstantBlock({ rows: 1, domain: n, constant: c, bits: BITS });
  const ctx = await context(2 * (1 << BITS) + 16);
  const x = [[-3n, 5n, 2n, 0n]];
  const honest = block.witness({ x });
  assert.deepEqual(honest.y, [[2n, 5n, 2n, 2n]]);
  const slack = (y: bigint[][]) => y.map((row, r) => row.map((v, i) => 2n * v - x[r][i] - c));
  const low = { x, y: [[-3n, 5n, 2n, 2n]] }; // cell 0: y = x = −3 < c, slack y − c = −5
  const high = { x, y: [[2n, 2n, 2n, 2n]] }; // cell 1: y = c = 2 < x = 5, slack c − x = −3
  for (const cheat of [low, high]) assert.equal(await rejected(block, ctx, { ...cheat, d: slack(cheat.y) }), false, 'the block alone proves only "y ∈ {x, c} and d = 2y − x − c"');
  // The lookup the compiler attaches: d ∈ [0, 2^8).
  const dRange = new LookupBlock(rangeTable(0n, 1n << BigInt(BITS)), [{ input: 'd', rows: 1, domain: n, length: n }]);
  assert.equal(await rejected(dRange, ctx, { d: honest.d }), false);
  assert.equal(await rejected(dRange, ctx, { d: slack(low.y) }), true, 'd = −5: y = −3 is below c');
  assert.equal(await rejected(dRange, ctx, { d: slack(high.y) }), true, 'd = −3: y = c is below x');
  const graph = (...ranges: LookupBlock[]): BlockGraph => ({
    tensors: [
      { id: 'x', kind: 'input', rows: 1, domain: n },
      { id: 'y', kind: 'output', rows: 1, domain: n },
      { id: 'd', kind: 'wire', rows: 1, domain: n },
    ],
    nodes: [{ block, bind: { x: 'x', y: 'y', d: 'd' } }, ...ranges.map((r) => ({ block: r, bind: { d: 'd' } }))],
  });
  validateBlockGraph(graph(dRange));
  assert.throws(() => validateBlockGraph(graph()), (e: unknown) => e instanceof BlockGraphError && e.message.includes('"d" in [0, 255]'));
});

test('a y that is neither x nor c, and any changed cell of x, y or d (padding included), is rejected', async () => {
  const ctx = await context(32);
  const block = new MaxConstantBlock({ rows: 2, domain: 4, length: 3, constant: -1n, bits: BITS });
  const x = [[-4n, 3n, -1n], [0n, -2n, 9n]];
  const honest: Tensors = { x, ...block.witness({ x }) };
  assert.equal(await rejected(block, ctx, honest), false, 'honest');
  await fc.assert(
    fc.asyncProperty(fc.constantFrom('x', 'y', 'd'), fc.nat({ max: 1 }), fc.nat({ max: 3 }), fc.bigInt({ min: 1n, max: 1n << 40n }), fc.boolean(), async (t, r, cell, mag, keepSlack) => {
      const rows = Object.fromEntries((['x', 'y', 'd'] as const).map((k) => [k, honest[k].map((row) => [...row, 0n].slice(0, 4))]));
      rows[t][r][cell] += mag;
      // Keeping d = 2y − x − c moves y off both x and c (or x off y); otherwise the slack identity fails.
      if (keepSlack && t !== 'd') rows.d[r][cell] += t === 'y' ? 2n * mag : -mag;
      assert.equal(await rejected(block, ctx, rows), true, `${t}[${r}][${cell}] + ${mag}${keepSlack ? ' (slack kept)' : ''}`);
    }),
    { numRuns: 12, seed: 11 },
  );
});

test('padding: y = x = c on a padding cell satisfies the tight identity and the slack, and is rejected (y and x are pinned to zero there)', async () => {
  const ctx = await context(32);
  const block = new MaxConstantBlock({ rows: 2, domain: 4, length: 3, constant: -1n, bits: BITS });
  const x = [[-4n, 3n, -1n, 0n], [0n, -2n, 9n, 0n]];
  const honest = block.witness({ x });
  assert.equal(await rejected(block, ctx, { x, ...honest }), false, 'honest');
  for (const r of [0, 1]) {
    const xs = x.map((row) => [...row]);
    const y = honest.y.map((row) => [...row]);
    const d = honest.d.map((row) => [...row]);
    xs[r][3] = -1n; // y = x = c: (y − x)(y − c) = 0, and d = 2y − x on the padding = c
    y[r][3] = -1n;
    d[r][3] = -1n;
    assert.equal(await rejected(block, ctx, { x: xs, y, d }), true, `row ${r}: padding cell y = x = c`);
  }
  // Each padding identity alone: a cell the other one and the tight identity let through.
  const withPadding = (t: 'x' | 'y' | 'd', r: number, v: bigint, tensors: Tensors): Tensors => ({ ...tensors, [t]: tensors[t].map((row, i) => (i === r ? [...row.slice(0, 3), v] : row)) });
  // y = c, x = 0 on the padding: (y − x)(y − c) = 0 and d = 2y − x = 2c there; only `pad·y = 0` refuses it.
  assert.equal(await rejected(block, ctx, withPadding('d', 1, -2n, withPadding('y', 1, -1n, { x, ...honest }))), true, 'padding cell y = c, x = 0');
  // A ReLU (c = 0) with y = 0, x = 5 on the padding: (y − x)·y = 0 and d = −x there; only `pad·x = 0` refuses it.
  const relu = new MaxConstantBlock({ rows: 1, domain: 4, length: 3, constant: 0n, bits: BITS });
  const xr = [[-4n, 3n, 2n, 0n]];
  const reluHonest: Tensors = { x: xr, ...relu.witness({ x: xr }) };
  assert.equal(await rejected(relu, ctx, reluHonest), false, 'honest ReLU');
  assert.equal(await rejected(relu, ctx, withPadding('d', 0, -5n, withPadding('x', 0, 5n, reluHonest))), true, 'ReLU padding cell x = 5, y = 0');
  // Without padding (length = n) no indicator is needed: the spec has none.
  assert.equal(new MaxConstantBlock({ rows: 1, domain: 4, constant: 0n, bits: BITS }).iopSpec().publics.length, 0);
});

test('max-constant: codec round trip (negative constants included) and refused shapes', () => {
  for (const block of [new MaxConstantBlock({ rows: 3, domain: 8, length: 5, constant: -12n, bits: 9 }), new MaxConstantBlock({ rows: 1, domain: 4, constant: 0n, bits: 8 })]) {
    const back = decodeParams<MaxConstantBlock>('max-constant', encodeParams(block), { rows: 16, domain: 64 });
    assert.equal(back.foldKey, block.foldKey);
    assert.equal(back.constant, block.constant);
  }
  assert.throws(() => new MaxConstantBlock({ rows: 0, domain: 4, constant: 0n, bits: 8 }), BlockfoldError);
  assert.throws(() => new MaxConstantBlock({ rows: 1, domain: 6, constant: 0n, bits: 8 }), /power of two/);
  assert.throws(() => new MaxConstantBlock({ rows: 1, domain: 4, length: 5, constant: 0n, bits: 8 }), /row length must be in 1\.\.4/);
  assert.throws(() => new MaxConstantBlock({ rows: 1, domain: 4, constant: 1n << 64n, bits: 8 }), /64-bit/);
});

test('the compiler proves a ReLU with max-constant, reading its input in place (no copy, no candidate rows)', () => {
  const model = compile(readFileSync(modelFile(SAMPLE_MLP)), [{ input: sampleMlpInput() }]);
  const kinds = model.graph.nodes.map((n) => n.block.kind);
  assert.ok(kinds.includes('max-constant'), kinds.join(','));
  for (const node of model.graph.nodes.filter((n) => n.block.kind === 'max-constant')) {
    const x = node.bind.x;
    assert.ok(!model.graph.nodes.some((n) => n.block.kind === 'permutation' && n.bind.out === x), `${x} is not a copy`);
  }
});
