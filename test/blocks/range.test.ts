/**
 * The range block (`blocks/range.ts`): range checks through one table `{0, …, N − 1}` with a public denominator. It
 * passes the conformance harness alone (its own ζ, quotient and opening, β among the opening's points), joins a model
 * argument beside other blocks with no new G2 point, states the ranges it proves, refuses a key without its table, and
 * keys its blinding by its tensors (two blocks of one shape in one proof draw different ρ).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getDefaultEngine } from '../../src/index';
import { HALF_R } from '../../src/field';
import { checkConformance, commitRows, LookupBlock, RangeBlock, reluTable, type Block, type BlockContext, type Tensors } from '../../blocks/index';
import { verifyInstances } from '../../blocks/batch-verify';
import { proveLeaf, replayLeaf } from '../../blocks/leaf';
import { modelArgumentProtocol, modelArgumentProver, modelArgumentSpec, modelArgumentStatement } from '../../blocks/model-argument';
import { ByteReader } from '../../src/encoding/bytes';
import { Transcript } from '../../src/transcript';
import type { G1Point } from '../../src/curve';
import { blindingSource, type BlindingSource } from '../../src/blinding';
import { testKzgKey, testKzgKeyWithRange } from '../helpers/kzg';

const engine = getDefaultEngine();

async function context(): Promise<BlockContext> {
  return { engine, kzg: await testKzgKeyWithRange(32, 16, engine) };
}

/** Full-width rows of x, and y in [−3, 5) (three bits with an offset, looked up as y + 3 and 2·(y + 3)). */
const block = new RangeBlock(16, [
  { input: 'x', rows: 2, domain: 8, length: 5 },
  { input: 'y', rows: 1, domain: 4, length: 3, lo: -3n, bits: 3 },
]);
const inputs: Tensors = { x: [[1n, 2n, 3n, 15n, 0n], [7n, 7n, 7n, 1n, 2n]], y: [[-3n, 4n, 0n]] };

test('range block passes the conformance harness', async () => {
  const report = await checkConformance(block, await context(), inputs, { numRuns: 2 });
  assert.ok(report.messageSlotsTampered > 0 && report.statementSlotsTampered > 0);
  assert.ok(report.unblindedRowsRejected, 'blinded rows: a prover opening the unblinded rows is rejected');
});

test('range block: the ranges it proves, offsets and narrow widths included; the padding widened to hold 0', () => {
  assert.deepEqual(block.provenRanges(), [
    { tensor: 'x', lo: 0n, hi: 15n, cells: 5 },
    { tensor: 'x', lo: 0n, hi: 15n, cells: 8 },
    { tensor: 'y', lo: -3n, hi: 4n, cells: 3 },
    { tensor: 'y', lo: -3n, hi: 4n, cells: 4 },
  ]);
  // Counts of x, of y + 3 and of 2·(y + 3).
  const m = block.multiplicities(inputs);
  assert.equal(m.reduce((a, b) => a + b, 0n), 10n + 3n + 3n);
  assert.equal(m[7], 3n + 1n, 'three 7s in x, and y = 4 looked up as 7');
  assert.equal(m[14], 1n, '2·(4 + 3)');
});

test('range block: an offset that puts the proven interval beyond ±2^250 is refused (x − lo is computed in Fr)', () => {
  const source = { input: 'x', rows: 1, length: 4, domain: 4 };
  assert.throws(() => new RangeBlock(16, [{ ...source, lo: HALF_R }]), /offset .* outside \(−2\^250, 2\^250\)/);
  assert.throws(() => new RangeBlock(16, [{ ...source, lo: -(1n << 250n) }]), /outside/);
  assert.throws(() => new RangeBlock(16, [{ ...source, lo: (1n << 250n) - 16n }]), /outside/, 'lo + 2^bits reaches the limit');
  assert.doesNotThrow(() => new RangeBlock(16, [{ ...source, lo: (1n << 250n) - 17n }]));
  assert.doesNotThrow(() => new RangeBlock(16, [{ ...source, lo: -(1n << 250n) + 1n }]));
});

test('range block: a key without the table, or with another size, is refused naming the table size', async () => {
  const bare: BlockContext = { engine, kzg: await testKzgKey(32, engine) };
  assert.throws(() => block.protocol(bare), /table of 16 entries need its range basis in the key \(18 G1 powers/);
  const other: BlockContext = { engine, kzg: await testKzgKeyWithRange(32, 8, engine) };
  assert.throws(() => block.protocol(other), /the key has a table of 8/);
});

test('range block: in a model argument beside a function lookup, one multi-pairing of two Miller loops', async () => {
  const ctx = await context();
  const relu = new LookupBlock(reluTable(-8n, 8n), [{ input: 'a', output: 'b', rows: 1, domain: 4, length: 4 }]);
  const reluInputs: Tensors = { a: [[-3n, 0n, 5n, 7n]] };
  const instances: { block: Block; tensors: Tensors }[] = [
    { block, tensors: inputs },
    { block: relu, tensors: { ...reluInputs, ...relu.witness(reluInputs) } },
  ];
  const blocks = instances.map((i) => i.block);
  const spec = modelArgumentSpec('range-model', blocks, ctx);
  const protocol = modelArgumentProtocol(spec, ctx);
  const statements = [];
  for (const { block: b, tensors } of instances) {
    const c: Record<string, G1Point[]> = {};
    for (const t of b.tensors) c[t.name] = await commitRows(ctx.kzg, tensors[t.name], t.domain);
    statements.push(b.statement(c));
  }
  const statement = modelArgumentStatement(statements);
  const { messages } = await proveLeaf(protocol, Transcript.create('range-test'), engine, statement, modelArgumentProver(spec, blocks, ctx, instances.map((i) => i.tensors)));
  const t = Transcript.create('range-test');
  const r = new ByteReader(messages);
  const leaf = await replayLeaf(protocol, t, engine, statement, r);
  r.finish('proof');
  engine.resetStats();
  assert.deepEqual(await verifyInstances(engine, [leaf], t), { ok: true });
  assert.equal(engine.stats.multiPairings, 1);
  assert.equal(engine.stats.millerLoops, 2, '[Z_S]₁ pairs with [1]₂: no new G2 point');
});

test('two range blocks of one shape in one proof draw different ρ₀, ρ₁ (else [M′_x] − [M′_z] = [M_x] − [M_z], a guess test on the counts)', async () => {
  const ctx = await context();
  const drawn = new Map<string, bigint[]>();
  const seeded = blindingSource('two-ranges');
  const recording: BlindingSource = {
    draw(label, count) {
      const out = seeded.draw(label, count);
      if (label.startsWith('range/')) drawn.set(label, out);
      return out;
    },
  };
  const shape = { rows: 1, domain: 8, length: 5 };
  const blocks = [new RangeBlock(16, [{ input: 'x', ...shape }]), new RangeBlock(16, [{ input: 'z', ...shape }])];
  assert.equal(blocks[0].foldKey, blocks[1].foldKey, 'the fold key names shapes, not tensors');
  const tensors: Tensors[] = [{ x: [[1n, 2n, 3n, 4n, 5n]] }, { z: [[5n, 5n, 0n, 9n, 1n]] }];
  const spec = modelArgumentSpec('two-ranges', blocks, ctx);
  const protocol = modelArgumentProtocol(spec, ctx);
  const statements = [];
  for (const [i, b] of blocks.entries()) {
    const c: Record<string, G1Point[]> = {};
    for (const t of b.tensors) c[t.name] = await commitRows(ctx.kzg, tensors[i][t.name], t.domain);
    statements.push(b.statement(c));
  }
  const statement = modelArgumentStatement(statements);
  const { messages } = await proveLeaf(protocol, Transcript.create('range-test'), engine, statement, modelArgumentProver(spec, blocks, { ...ctx, blinding: recording }, tensors));
  const rhos = [...drawn].filter(([label]) => label.endsWith('/rho'));
  assert.equal(rhos.length, 2, rhos.map(([l]) => l).join(' '));
  assert.notDeepEqual(rhos[0][1], rhos[1][1]);
  const t = Transcript.create('range-test');
  const r = new ByteReader(messages);
  const leaf = await replayLeaf(protocol, t, engine, statement, r);
  r.finish('proof');
  assert.deepEqual(await verifyInstances(engine, [leaf], t), { ok: true });
});
