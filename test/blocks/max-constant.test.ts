/**
 * MaxConstantBlock (`blocks/max-constant.ts`): `y = max(x, c)` with x read in place. Conformance for a ReLU, a
 * negative and a positive constant over several rows (blinded rows included); the two ways to cheat that the
 * identity alone lets through (y = x below c, y = c below x) are caught by the range lookups the obligations ask for,
 * and a graph without them is refused; a y that is neither x nor c, and any changed cell of y or d, is rejected; a
 * padding cell with y = d = c (which the tight identity and the difference allow) is rejected; the codec; refused
 * shapes; and the compiler: a ReLU needs no copy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { ByteReader, ByteWriter } from '../../src/encoding/bytes';
import { BlockfoldError } from '../../src/errors';
import { compile } from '../../src/index';
import { validateBlockGraph, BlockGraphError, type BlockGraph } from '../../src/pipeline/block-graph';
import { blockCodec, CellBudget, checkConformance, LookupBlock, ParamReader, rangeTable, type Block, type BlockContext, type Tensors } from '../../blocks/index';
import { MaxConstantBlock } from '../../blocks/max-constant';
import { differenceBlinding } from '../helpers/difference-blinding';
import { modelFile, SAMPLE_MLP, sampleMlpInput } from '../model/fixtures';
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
    const report = await checkConformance(block, ctx, { x }, { numRuns: 2, rowBlinding: differenceBlinding(block.rows) });
    assert.ok(report.witnessTamperings > 0, `${block.foldKey}: witness tampered`);
    assert.ok(report.unblindedRowsRejected, `${block.foldKey}: a prover opening the unblinded rows is rejected`);
  }
  assert.deepEqual(cases[0][0].witness({ x: cases[0][1] }), { y: [[0n, 0n, 5n]], d: [[3n, 0n, 0n]] });
  assert.deepEqual(cases[2][0].rangeObligations(), [
    { tensor: 'd', lo: 0n, hi: 255n, cells: 5 },
    { tensor: 'y', lo: 7n, hi: 262n, cells: 5 },
  ]);
});

test('y = x below c, or y = c below x: the identity holds, and the range lookup on y (on d) rejects it; a graph without both lookups is refused', async () => {
  const n = 4;
  const c = 2n;
  const block = new MaxConstantBlock({ rows: 1, domain: n, constant: c, bits: BITS });
  const ctx = await context(2 * (1 << BITS) + 16);
  const x = [[-3n, 5n, 2n, 0n]];
  const honest = block.witness({ x });
  assert.deepEqual(honest.y, [[2n, 5n, 2n, 2n]]);
  const low = { x, y: [[-3n, 5n, 2n, 2n]], d: [[0n, 0n, 0n, 2n]] }; // cell 0: y = x = −3 < c
  const high = { x, y: [[2n, 2n, 2n, 2n]], d: [[5n, -3n, 0n, 2n]] }; // cell 1: y = c = 2 < x = 5
  assert.equal(await rejected(block, ctx, low), false, 'the block alone proves only "y ∈ {x, c} and d = y − x"');
  assert.equal(await rejected(block, ctx, high), false, 'the block alone proves only "y ∈ {x, c} and d = y − x"');
  // The lookups the compiler attaches: y − c and d in [0, 2^8) (y's offset by a limb split in the pipeline; here a
  // table of [c, c + 2^8) stands for it).
  const yRange = new LookupBlock(rangeTable(c, c + (1n << BigInt(BITS))), [{ input: 'y', rows: 1, domain: n, length: n }]);
  const dRange = new LookupBlock(rangeTable(0n, 1n << BigInt(BITS)), [{ input: 'd', rows: 1, domain: n, length: n }]);
  assert.equal(await rejected(yRange, ctx, { y: honest.y }), false);
  assert.equal(await rejected(dRange, ctx, { d: honest.d }), false);
  assert.equal(await rejected(yRange, ctx, { y: low.y }), true, 'y = −3 is below c');
  assert.equal(await rejected(dRange, ctx, { d: high.d }), true, 'd = −3 is negative');
  const graph = (...ranges: LookupBlock[]): BlockGraph => ({
    tensors: [
      { id: 'x', kind: 'input', rows: 1, domain: n },
      { id: 'y', kind: 'output', rows: 1, domain: n },
      { id: 'd', kind: 'wire', rows: 1, domain: n },
    ],
    nodes: [{ block, bind: { x: 'x', y: 'y', d: 'd' } }, ...ranges.map((r) => { const t = r === yRange ? 'y' : 'd'; return { block: r, bind: { [t]: t } }; })],
  });
  validateBlockGraph(graph(yRange, dRange));
  assert.throws(() => validateBlockGraph(graph(dRange)), (e: unknown) => e instanceof BlockGraphError && e.message.includes('"y" in [2, 257]'));
  assert.throws(() => validateBlockGraph(graph(yRange)), (e: unknown) => e instanceof BlockGraphError && e.message.includes('"d" in [0, 255]'));
});

test('a y that is neither x nor c, and any changed cell of y or d (padding included), is rejected', async () => {
  const ctx = await context(32);
  const block = new MaxConstantBlock({ rows: 2, domain: 4, length: 3, constant: -1n, bits: BITS });
  const x = [[-4n, 3n, -1n], [0n, -2n, 9n]];
  const honest: Tensors = { x, ...block.witness({ x }) };
  assert.equal(await rejected(block, ctx, honest), false, 'honest');
  await fc.assert(
    fc.asyncProperty(fc.constantFrom('y', 'd'), fc.nat({ max: 1 }), fc.nat({ max: 3 }), fc.bigInt({ min: 1n, max: 1n << 40n }), fc.boolean(), async (t, r, cell, mag, keepDifference) => {
      const y = honest.y.map((row) => [...row, 0n].slice(0, 4));
      const d = honest.d.map((row) => [...row, 0n].slice(0, 4));
      (t === 'y' ? y : d)[r][cell] += mag;
      // Keeping d = y − x moves y off both x and c; otherwise d ≠ y − x.
      if (keepDifference && t === 'y') d[r][cell] += mag;
      assert.equal(await rejected(block, ctx, { x, y, d }), true, `${t}[${r}][${cell}] + ${mag}${keepDifference ? ' (d kept y − x)' : ''}`);
    }),
    { numRuns: 10, seed: 11 },
  );
});

test('padding: y = d = c on a padding cell satisfies the tight identity and the difference, and is rejected (y and d are pinned to zero there)', async () => {
  const ctx = await context(32);
  const block = new MaxConstantBlock({ rows: 2, domain: 4, length: 3, constant: -1n, bits: BITS });
  const x = [[-4n, 3n, -1n, 0n], [0n, -2n, 9n, 0n]];
  const honest = block.witness({ x });
  assert.equal(await rejected(block, ctx, { x, ...honest }), false, 'honest');
  for (const r of [0, 1]) {
    const y = honest.y.map((row) => [...row]);
    const d = honest.d.map((row) => [...row]);
    y[r][3] = -1n; // = c, and d = y − x = c − 0
    d[r][3] = -1n;
    assert.equal(await rejected(block, ctx, { x, y, d }), true, `row ${r}: padding cell y = d = c`);
  }
  // Without padding (length = n) no indicator is needed: the spec has none.
  assert.equal(new MaxConstantBlock({ rows: 1, domain: 4, constant: 0n, bits: BITS }).iopSpec().publics.length, 0);
});

test('max-constant: codec round trip (negative constants included) and refused shapes', () => {
  const codec = blockCodec('max-constant')!;
  for (const block of [new MaxConstantBlock({ rows: 3, domain: 8, length: 5, constant: -12n, bits: 9 }), new MaxConstantBlock({ rows: 1, domain: 4, constant: 0n, bits: 8 })]) {
    const w = new ByteWriter();
    codec.encode(block, w);
    const r = new ParamReader(new ByteReader(w.bytes()), { rows: 16, domain: 64 }, new CellBudget(1 << 20));
    const back = codec.decode(r) as MaxConstantBlock;
    r.finish('max-constant parameters');
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
