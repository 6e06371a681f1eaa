/**
 * The row-blinding solver (src/pipeline/row-blinding.ts): every relation holds, free rows are blinded, the result
 * is determined by the source, widths follow the rows that need more coefficients, an inconsistent system is a typed
 * error; and the blocks that check relations on commitments accept rows blinded by it and reject a row blinded
 * otherwise (their declared relations are the ones they check).
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import fc from 'fast-check';
import { blindingSource, type BlindingSource } from '../../src/blinding';
import { getDefaultEngine } from '../../src/index';
import { BlockfoldError } from '../../src/errors';
import { Fr, frFromSigned } from '../../src/field';
import { commitVanishingMultiple } from '../../src/kzg/commit';
import { commitRows, proveBlock, verifyBlock, type Block, type BlockContext, type Tensors } from '../../blocks/index';
import { LinearBlock } from '../../blocks/elementwise';
import { RescaleBlock } from '../../blocks/rescale';
import { LimbSplitBlock } from '../../blocks/limb-split';
import { solveRowBlinding, type RowBlindingSystem } from '../../src/pipeline/row-blinding';
import { graphRelations, type RowRelation } from '../../src/pipeline/row-relations';
import type { BlockGraph } from '../../src/pipeline/block-graph';
import { testKzgKey } from '../helpers/kzg';

/** Σ coeff·b(row) at every coordinate, the missing coordinates of a shorter blinding being zero. */
function residual(rel: RowRelation, b: (row: string) => readonly bigint[]): bigint[] {
  const out = [0n, 0n, 0n];
  for (const t of rel.terms) b(t.row).forEach((x, c) => (out[c] = Fr.add(out[c], Fr.mul(frFromSigned(t.coeff), x))));
  return out;
}

function holds(system: RowBlindingSystem, solution: ReadonlyMap<string, readonly bigint[]>): boolean {
  const b = (row: string) => system.fixed.get(row) ?? solution.get(row)!;
  return system.relations.every((rel) => residual(rel, b).every((x) => x === 0n));
}

const rel = (where: string, ...terms: [string, bigint][]): RowRelation => ({ where, terms: terms.map(([row, coeff]) => ({ row, coeff })) });

test('two relations sharing two unknowns with fixed ends (propagation alone draws one and breaks the other)', () => {
  const system: RowBlindingSystem = {
    relations: [rel('sum', ['x', 1n], ['y', 1n], ['f', -1n]), rel('difference', ['x', 1n], ['y', -1n], ['g', -1n])],
    fixed: new Map([['f', [5n, 7n]], ['g', [1n, 2n]]]),
    free: new Map([['x', 2], ['y', 2], ['z', 2]]),
  };
  const b = solveRowBlinding(system, blindingSource('s'));
  assert.ok(holds(system, b));
  assert.deepEqual(b.get('x'), [3n, Fr.div(9n, 2n)]);
  assert.equal(b.get('z')!.length, 2);
  assert.ok(b.get('z')!.every((x) => x !== 0n), 'a row no relation reaches draws fresh scalars');
});

test('a chain of relations from public rows determines what it reaches; the rest is drawn', () => {
  // c = a + w (w a weight with b₀), out = c − d with out public: d = c, a drawn.
  const system: RowBlindingSystem = {
    relations: [rel('add', ['a', 1n], ['w', 1n], ['c', -1n]), rel('sub', ['c', 1n], ['d', -1n], ['out', -1n])],
    fixed: new Map([['w', [11n, 13n]], ['out', []]]),
    free: new Map([['a', 2], ['c', 2], ['d', 2]]),
  };
  const b = solveRowBlinding(system, blindingSource('chain'));
  assert.ok(holds(system, b));
  assert.deepEqual(b.get('d'), b.get('c'));
  assert.notDeepEqual(b.get('a'), [0n, 0n]);
});

test('a row related to one that needs 3 coefficients gets 3; unrelated rows keep their count', () => {
  const system: RowBlindingSystem = {
    relations: [rel('linear', ['a', 1n], ['s', -2n])],
    fixed: new Map(),
    free: new Map([['a', 2], ['s', 3], ['u', 2]]),
  };
  const b = solveRowBlinding(system, blindingSource());
  assert.equal(b.get('a')!.length, 3);
  assert.equal(b.get('s')!.length, 3);
  assert.equal(b.get('u')!.length, 2);
  assert.ok(holds(system, b));
});

test('fixed rows alone violating a relation, and a relation over an undeclared row, are typed errors', () => {
  const inconsistent: RowBlindingSystem = { relations: [rel('block 7 (linear/add)', ['in', 1n], ['w', 1n], ['out', -1n])], fixed: new Map([['in', []], ['w', [1n, 2n]], ['out', []]]), free: new Map() };
  assert.throws(() => solveRowBlinding(inconsistent, blindingSource()), (e: unknown) => e instanceof BlockfoldError && /block 7/.test(e.message));
  // Inconsistent only after elimination: x + y = f, x + y = g with f ≠ g.
  const hidden: RowBlindingSystem = {
    relations: [rel('first', ['x', 1n], ['y', 1n], ['f', -1n]), rel('second', ['x', 1n], ['y', 1n], ['g', -1n])],
    fixed: new Map([['f', [1n, 1n]], ['g', [2n, 1n]]]),
    free: new Map([['x', 2], ['y', 2]]),
  };
  assert.throws(() => solveRowBlinding(hidden, blindingSource()), BlockfoldError);
  const undeclared: RowBlindingSystem = { relations: [rel('r', ['x', 1n], ['ghost', 1n])], fixed: new Map(), free: new Map([['x', 2]]) };
  assert.throws(() => solveRowBlinding(undeclared, blindingSource()), (e: unknown) => e instanceof BlockfoldError && /ghost/.test(e.message));
  const both: RowBlindingSystem = { relations: [], fixed: new Map([['x', []]]), free: new Map([['x', 2]]) };
  assert.throws(() => solveRowBlinding(both, blindingSource()), BlockfoldError);
});

/**
 * A consistent random system: free rows with planted blindings of 3 coordinates, relations over random rows with
 * random coefficients, each closed by a fixed row of its own holding minus the planted sum (so the planted
 * blindings solve it). Rows and relations are drawn so that unknowns are shared, and some relations have several.
 */
const randomSystem = fc
  .record({
    rows: fc.integer({ min: 1, max: 10 }),
    counts: fc.array(fc.constantFrom(2, 3), { minLength: 10, maxLength: 10 }),
    relations: fc.array(fc.array(fc.record({ row: fc.nat(), coeff: fc.bigInt({ min: -5n, max: 5n }) }), { minLength: 1, maxLength: 4 }), { maxLength: 12 }),
    planted: fc.array(fc.array(fc.bigInt({ min: 1n, max: (1n << 64n) }), { minLength: 3, maxLength: 3 }), { minLength: 10, maxLength: 10 }),
  })
  .map(({ rows, counts, relations, planted }): RowBlindingSystem => {
    const names = Array.from({ length: rows }, (_, i) => `t/${i}`);
    const fixed = new Map<string, bigint[]>();
    const rels = relations.map((terms, j): RowRelation => {
      const own = terms.map((t) => ({ row: names[t.row % rows], coeff: t.coeff }));
      const sum = residual({ where: '', terms: own }, (row) => planted[names.indexOf(row)]);
      fixed.set(`fixed/${j}`, sum.map((x) => Fr.neg(x)));
      return { where: `relation ${j}`, terms: [...own, { row: `fixed/${j}`, coeff: 1n }] };
    });
    return { relations: rels, fixed, free: new Map(names.map((n, i) => [n, counts[i]])) };
  });

test('random consistent systems: every relation holds, every free row is blinded, with at least its count of coefficients', () => {
  fc.assert(
    fc.property(randomSystem, fc.string(), (system, seed) => {
      const b = solveRowBlinding(system, blindingSource(seed));
      assert.ok(holds(system, b));
      for (const [row, count] of system.free) {
        assert.ok(b.get(row)!.length >= count, row);
        assert.ok(b.get(row)!.some((x) => x !== 0n), `${row} is blinded`);
      }
    }),
    { numRuns: 200 },
  );
});

test('the solution is a function of the source: one seed, one solution; another seed, other drawn rows', () => {
  fc.assert(
    fc.property(randomSystem, (system) => {
      const once = solveRowBlinding(system, blindingSource('a'));
      assert.deepEqual(solveRowBlinding(system, blindingSource('a')), once);
      const counting: string[] = [];
      const spy: BlindingSource = { draw: (label, count) => (counting.push(label), blindingSource('a').draw(label, count)) };
      solveRowBlinding(system, spy);
      assert.deepEqual(counting, [...new Set(counting)], 'each row draws once, by its own label');
      const other = solveRowBlinding(system, blindingSource('b'));
      for (const label of counting) {
        const row = label.slice('row-blinding/'.length);
        assert.notDeepEqual(other.get(row), once.get(row), row);
      }
    }),
    { numRuns: 50 },
  );
});

/** `[f + Z_H·b]₁` for each row. */
async function commitBlinded(ctx: BlockContext, rows: readonly (readonly bigint[])[], n: number, b: (row: number) => readonly bigint[]) {
  const plain = await commitRows(ctx.kzg, rows, n);
  return Promise.all(plain.map(async (c, r) => c.add(await commitVanishingMultiple(ctx.kzg, n, b(r)))));
}

/**
 * The block alone as a graph (its inputs public-free wires): the solver's blindings keep its check true, and one
 * row's blinding moved by one makes it fail, so the relations it declares are the ones it checks.
 */
async function checkBlindedBlock(block: Block, inputs: Tensors) {
  const engine = getDefaultEngine();
  const ctx: BlockContext = { engine, kzg: await testKzgKey(32, engine) };
  const g: BlockGraph = {
    tensors: block.tensors.map((t) => ({ id: t.name, kind: 'wire', rows: t.rows, domain: t.domain })),
    nodes: [{ block, bind: Object.fromEntries(block.tensors.map((t) => [t.name, t.name])) }],
  };
  const tensors = { ...inputs, ...block.witness(inputs) };
  const free = new Map(block.tensors.flatMap((t) => Array.from({ length: t.rows }, (_, r) => [`${t.name}/${r}`, 2] as const)));
  const b = solveRowBlinding({ relations: graphRelations(g), fixed: new Map(), free }, blindingSource('block'));
  const protocol = block.protocol(ctx);
  const statementOf = async (blinding: (row: string) => readonly bigint[]) => {
    const commitments: Record<string, Awaited<ReturnType<typeof commitBlinded>>> = {};
    for (const t of block.tensors) commitments[t.name] = await commitBlinded(ctx, tensors[t.name], t.domain, (r) => blinding(`${t.name}/${r}`));
    return block.statement(commitments);
  };
  const honest = await statementOf((row) => b.get(row)!);
  assert.ok((await verifyBlock(ctx, protocol, honest, await proveBlock(block, ctx, protocol, honest, tensors))).ok, `${block.foldKey}: blinded rows verify`);
  for (const t of block.tensors) {
    const moved = `${t.name}/0`;
    const off = await statementOf((row) => (row === moved ? [Fr.add(b.get(row)![0], 1n), b.get(row)![1]] : b.get(row)!));
    assert.equal((await verifyBlock(ctx, protocol, off, await proveBlock(block, ctx, protocol, off, tensors))).ok, false, `${block.foldKey}: ${moved} blinded off the relations`);
  }
}

test('elementwise, rescale and limb split accept rows blinded by the solver and reject one row blinded otherwise', async () => {
  await checkBlindedBlock(new LinearBlock({ operation: { op: 'add' }, rows: 2, domain: 4 }), { a: [[1n, 2n], [3n, 4n]], b: [[5n, -6n], [7n, 8n]] });
  await checkBlindedBlock(new LinearBlock({ operation: { op: 'scale', factor: -3n }, rows: 2, domain: 4 }), { a: [[1n, 2n], [3n, 4n]] });
  await checkBlindedBlock(new RescaleBlock({ input: 'x', output: 'y', remainder: 'r', rows: 2, domain: 8, length: 5, shift: 3, outputBits: 8 }), { x: [[100n, -100n, 4n, -4n, 0n], [1n, 2n, 3n, 4n, 5n]] });
  await checkBlindedBlock(new LimbSplitBlock({ rows: 2, domain: 4, length: 3, offset: 8n, limbBits: 2 }), { v: [[1n, -8n, 7n], [0n, 3n, 2n]] });
});
