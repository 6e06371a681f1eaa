/**
 * Derived rows (`src/pipeline/derived-rows.ts`): which tensors a graph derives (outputs its blocks' relations
 * determine, never a model input or output, in dependency order, never a cycle), that an honest derived
 * commitment is exactly the row committed with the blinding the row-blinding solver assigns it, and that a
 * derived row proven with another value is rejected; a max, argmax or ReLU whose differences are derived has no linear check
 * left in the argument (it could not fail), and keeps it where nothing derives them or where a relation derives no row. The tables the verifier completes step by step are copies
 * (`copyTables`), never the caller's.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { LinearBlock } from '../../blocks/elementwise';
import { RescaleBlock } from '../../blocks/rescale';
import { LimbSplitBlock } from '../../blocks/limb-split';
import { MaxBlock } from '../../blocks/max';
import { ArgmaxBlock } from '../../blocks/argmax';
import { MaxConstantBlock } from '../../blocks/max-constant';
import type { Block, BlockContext, Tensors } from '../../blocks/block';
import { commitRows } from '../../blocks/commit-rows';
import { G1, type G1Point } from '../../src/curve';
import type { SlotValues } from '../../src/equations/equation';
import { Fr, frFromSigned, randomFr } from '../../src/field';
import { EvaluationDomain } from '../../src/poly/domain';
import { linearPublicCommitment, linearPublicSelector } from '../../blocks/linear-relation';
import { getDefaultEngine } from '../../src/engine/index';
import { testKzgKey } from '../helpers/kzg';
import { rowSlot } from '../../blocks/poly-iop';
import { compile, quantizeFeeds } from '../../src/pipeline/compile';
import { calibratedRangeCheck } from '../../src/pipeline/compiled-model';
import type { BlockGraph, GraphTensor } from '../../src/pipeline/block-graph';
import { deriveCommitments, derivedRows } from '../../src/pipeline/derived-rows';
import { commitTensors, computeGraphWitness, copyTables } from '../../src/pipeline/graph-proof';
import { blockContext } from '../../src/pipeline/keys';
import { modelSpecOf, prove, rowCommitmentNames, verify } from '../../src/pipeline/prove-verify';
import type { PolyIopSpec } from '../../blocks/poly-iop';
import { solveRowBlinding } from '../../src/pipeline/row-blinding';
import { graphRelations } from '../../src/pipeline/row-relations';
import { blindingSource } from '../../src/blinding';
import { readFileSync } from 'node:fs';
import { fashionImages, modelFile, sampleMlpInput } from '../model/fixtures';
import { compileSample, keysFor } from '../soundness/pipeline';

const tensor = (id: string, kind: GraphTensor['kind'], rows = 2, domain = 4): GraphTensor => ({ id, kind, rows, domain });
const add = (a: string, b: string, c: string) => ({ block: new LinearBlock({ operation: { op: 'add' }, rows: 2, domain: 4 }), bind: { a, b, c } });

test('choice: a wire output of each linear block, in dependency order; model outputs and cycles never; the smallest coefficient', () => {
  // Nodes listed against the dataflow: t = s + y is listed before s = x + y, and z = t + x writes the model output.
  const g: BlockGraph = {
    tensors: [tensor('x', 'input'), tensor('y', 'input'), tensor('s', 'wire'), tensor('t', 'wire'), tensor('z', 'output')],
    nodes: [add('s', 'y', 't'), add('x', 'y', 's'), add('t', 'x', 'z')],
  };
  const plan = derivedRows(g);
  assert.deepEqual(plan.tensors.map((d) => d.id), ['s', 't'], 's before t, which reads it; z is in the statement');
  assert.deepEqual([...plan.ids], ['t', 's']);
  assert.deepEqual(plan.argument.nodes, [g.nodes[2]], 'the blocks whose relation derives leave the argument; the one writing z stays');
  assert.equal(derivedRows(g), plan, 'computed once per graph');

  // u = x + v and v = x + u: deriving both would make each read the other.
  const cyclic: BlockGraph = { tensors: [tensor('x', 'input'), tensor('u', 'wire'), tensor('v', 'wire')], nodes: [add('x', 'u', 'v'), add('x', 'v', 'u')] };
  const c = derivedRows(cyclic);
  assert.deepEqual([...c.ids], ['v']);
  assert.deepEqual(c.argument.nodes, [cyclic.nodes[1]]);

  // x − 2^k·y − r = −2^(k−1)·q: the remainder (coefficient −1), not the quotient (−2^k).
  const rescale = new RescaleBlock({ input: 'x', output: 'y', remainder: 'r', rows: 2, domain: 4, length: 3, shift: 4, outputBits: 8 });
  const rg: BlockGraph = { tensors: [tensor('in', 'input'), tensor('q', 'wire'), tensor('rem', 'wire')], nodes: [{ block: rescale, bind: { x: 'in', y: 'q', r: 'rem' } }] };
  assert.deepEqual([...derivedRows(rg).ids], ['rem']);
  const out: BlockGraph = { tensors: [tensor('in', 'input'), tensor('q', 'wire'), tensor('rem', 'output')], nodes: rg.nodes };
  assert.deepEqual([...derivedRows(out).ids], ['q'], 'with the remainder in the statement, the quotient (2^k invertible in Fr)');
});

test('a max, argmax or ReLU whose every relation derives a row stays in the argument without its linear check; with its differences in the statement, or alone, it keeps it', async () => {
  const kzg = await testKzgKey(64);
  const ctx: BlockContext = { engine: getDefaultEngine(), kzg };
  const cases: { block: Block; bind: Record<string, string>; tensors: GraphTensor[] }[] = [
    { block: new MaxBlock({ candidates: 2, rows: 1, domain: 4, bits: 8 }), bind: { x: 'x', y: 'y', d: 'd' }, tensors: [tensor('x', 'input', 2), tensor('y', 'output', 1), tensor('d', 'wire', 2)] },
    { block: new MaxBlock({ candidates: 3, rows: 2, domain: 4, bits: 8 }), bind: { x: 'x', y: 'y', d: 'd' }, tensors: [tensor('x', 'input', 6), tensor('y', 'output', 2), tensor('d', 'wire', 6)] },
    {
      block: new ArgmaxBlock({ candidates: 2, rows: 1, domain: 4, bits: 8 }),
      bind: { x: 'x', y: 'y', idx: 'idx', d: 'd', e: 'e' },
      tensors: [tensor('x', 'input', 2), tensor('y', 'wire', 1), tensor('idx', 'output', 1), tensor('d', 'wire', 2), tensor('e', 'wire', 1)],
    },
  ];
  const checked = (spec: PolyIopSpec) => ({
    rho: spec.slots.some((d) => d.name.endsWith('rho')),
    residual: spec.slots.some((d) => d.name.endsWith('residual')),
    equations: (spec.equations?.(kzg) ?? []).length,
  });
  for (const { block, bind, tensors } of cases) {
    const g: BlockGraph = { tensors, nodes: [{ block, bind }] };
    const plan = derivedRows(g);
    assert.deepEqual([...plan.ids], ['d'], `${block.foldKey}: the differences are derived`);
    assert.deepEqual(plan.argument.nodes, g.nodes, 'the block stays: its other checks are not linear');
    assert.deepEqual([...plan.relationsDerived], [0]);
    assert.deepEqual(checked(modelSpecOf('derived', plan, ctx)), { rho: false, residual: false, equations: 0 }, `${block.foldKey}: no check that cannot fail`);
    assert.deepEqual(checked(block.iopSpec!(ctx)), { rho: true, residual: true, equations: 1 }, `${block.foldKey} alone keeps its linear check`);
    // The differences in the statement (a model output): nothing derives them, so the check stays.
    const stated: BlockGraph = { tensors: tensors.map((t) => (t.id === 'd' ? { ...t, kind: 'output' } : t)), nodes: g.nodes };
    const kept = derivedRows(stated);
    assert.ok(!kept.ids.has('d'));
    assert.deepEqual([...kept.relationsDerived], []);
    assert.deepEqual(checked(modelSpecOf('stated', kept, ctx)), { rho: true, residual: true, equations: 1 }, `${block.foldKey}: the check of relations nothing derives`);
  }
  // A ReLU's slack identity restates its relation: left out where the slack is derived, kept alone.
  const relu = new MaxConstantBlock({ rows: 1, domain: 4, length: 3, constant: 0n, bits: 8 });
  const rg: BlockGraph = { tensors: [tensor('x', 'input', 1), tensor('y', 'output', 1), tensor('d', 'wire', 1)], nodes: [{ block: relu, bind: { x: 'x', y: 'y', d: 'd' } }] };
  const reluPlan = derivedRows(rg);
  assert.deepEqual([...reluPlan.relationsDerived], [0]);
  const slack = (spec: PolyIopSpec) => spec.identities.filter((i) => i.name.endsWith('slack/0')).length;
  assert.equal(slack(modelSpecOf('relu', reluPlan, ctx)), 0);
  assert.equal(slack(relu.iopSpec(ctx)), 1);
  // d and y both in the statement: nothing derives a row, so the identity stays in the argument.
  const stated: BlockGraph = { tensors: [tensor('x', 'input', 1), tensor('y', 'output', 1), tensor('d', 'output', 1)], nodes: rg.nodes };
  const none = derivedRows(stated);
  assert.deepEqual([...none.ids], []);
  assert.equal(slack(modelSpecOf('relu-stated', none, ctx)), 1);
  // A flat max states d = y − x as an identity; it has no linear relations and nothing to leave out.
  const flat = new MaxBlock({ flat: true, candidates: 2, rows: 2, domain: 2, bits: 8 });
  assert.equal(flat.iopSpec({ ...ctx, relationsDerived: true }), flat.iopSpec(ctx));
});

test('a block with a relation that derives no row keeps it checked: a linear block stays in the argument, a max with a constant keeps its linear check', () => {
  // One more relation, `[A_0]₁ = 0`, on a tensor the derived one does not read: deriving c from the other relation
  // leaves it to the block's own check, which leaving the block out (or its check) would drop.
  const extra = <B extends Block>(block: B): B =>
    Object.create(block, { linearRelations: { value: () => [...block.linearRelations!(), { terms: [{ tensor: block.tensors[0].name, row: 0, coeff: 1n }] }] } });
  const scale = extra(new LinearBlock({ operation: { op: 'scale', factor: 2n }, rows: 1, domain: 4 }));
  const lg: BlockGraph = { tensors: [tensor('a', 'input', 1), tensor('c', 'wire', 1)], nodes: [{ block: scale, bind: { a: 'a', c: 'c' } }] };
  const lp = derivedRows(lg);
  assert.deepEqual([...lp.ids], ['c'], 'c is derived from its one relation');
  assert.deepEqual(lp.argument.nodes, lg.nodes, 'the block stays: [A_0]₁ = 0 derives nothing');
  const relu = extra(new MaxConstantBlock({ rows: 1, domain: 4, length: 3, constant: 0n, bits: 8 }));
  const rg: BlockGraph = { tensors: [tensor('x', 'input', 1), tensor('y', 'output', 1), tensor('d', 'wire', 1)], nodes: [{ block: relu, bind: { x: 'x', y: 'y', d: 'd' } }] };
  const rp = derivedRows(rg);
  assert.deepEqual([...rp.ids], ['d']);
  assert.deepEqual([...rp.relationsDerived], [], 'a relation derives no row: the linear check stays');
});

test("every block's public side: honest rows, committed, satisfy Σ_t k_t·[row_t]₁ = P in every relation (padding, offsets of each sign); a changed P does not", async () => {
  const engine = getDefaultEngine();
  const ctx: BlockContext = { engine, kzg: await testKzgKey(32, engine) };
  const rows = [[5n, -3n, 0n], [7n, 1n, -2n]];
  const cases: [string, Block, Tensors][] = [
    ['add', new LinearBlock({ operation: { op: 'add' }, rows: 2, domain: 4 }), { a: rows, b: [[1n, 2n, 3n], [4n, 5n, 6n]] }],
    ['scale', new LinearBlock({ operation: { op: 'scale', factor: -3n }, rows: 2, domain: 4 }), { a: rows }],
    ['rescale, padded', new RescaleBlock({ input: 'x', output: 'y', remainder: 'r', rows: 2, domain: 4, length: 3, shift: 2, outputBits: 8 }), { x: rows }],
    ['rescale, full rows', new RescaleBlock({ input: 'x', output: 'y', remainder: 'r', rows: 2, domain: 4, length: 4, shift: 3, outputBits: 8 }), { x: [[5n, -3n, 0n, 9n], [7n, 1n, -2n, 4n]] }],
    ['limb split, c > 0', new LimbSplitBlock({ rows: 2, domain: 4, length: 3, offset: 8n, limbBits: 2 }), { v: rows }],
    ['limb split, c = 0', new LimbSplitBlock({ rows: 2, domain: 4, length: 3, offset: 0n, limbBits: 2 }), { v: [[5n, 3n, 0n], [7n, 1n, 2n]] }],
    ['limb split, c < 0', new LimbSplitBlock({ rows: 2, domain: 4, length: 3, offset: -5n, limbBits: 2 }), { v: [[15n, 9n, 5n], [7n, 11n, 6n]] }],
    ['max', new MaxBlock({ candidates: 2, rows: 1, domain: 4, bits: 8 }), { x: rows }],
    ['argmax', new ArgmaxBlock({ candidates: 2, rows: 1, domain: 4, bits: 8 }), { x: rows }],
  ];
  for (const [what, block, inputs] of cases) {
    const values = { ...inputs, ...block.witness(inputs) };
    const commitments: Record<string, G1Point[]> = {};
    for (const t of block.tensors) commitments[t.name] = await commitRows(ctx.kzg, values[t.name], t.domain);
    const side = block.linearRelationsPublic!();
    const P = await linearPublicCommitment(ctx.kzg, side);
    // The same side as a polynomial: `Σ k_t·row_t(z) = constant·q(z)` at a random z (a derived row's value at ζ).
    const z = randomFr();
    const H = new EvaluationDomain(4);
    const Pz = Fr.mul(frFromSigned(side.constant), linearPublicSelector(side)?.evaluateAt(z, {}, H) ?? 0n);
    const relations = block.linearRelations!();
    assert.ok(relations.length > 0, what);
    for (const rel of relations) {
      const lhs = rel.terms.reduce((acc, t) => acc.add(commitments[t.tensor][t.row].multiplyUnsafe(frFromSigned(t.coeff))), G1.ZERO);
      assert.ok(lhs.equals(P), `${what}: Σ k_t·[row_t]₁ = P`);
      assert.ok(!lhs.equals(P.add(G1.BASE)), `${what}: not P + [1]₁`);
      const row = (t: { tensor: string; row: number }) => [...values[t.tensor][t.row].map(frFromSigned), ...new Array(4 - values[t.tensor][t.row].length).fill(0n)];
      const lhsAtZ = rel.terms.reduce((acc, t) => Fr.add(acc, Fr.mul(frFromSigned(t.coeff), H.evaluateInterpolant(row(t), z))), 0n);
      assert.equal(lhsAtZ, Pz, `${what}: Σ k_t·row_t(z) = P(z)`);
      assert.notEqual(lhsAtZ, Fr.add(Pz, 1n), `${what}: not P(z) + 1`);
    }
    assert.equal(block.linearOnly === true, !['max', 'argmax'].includes(what), `${what}: linear-only`);
  }
});

test('sample MLP: a derived commitment is the row committed with the blinding the row-blinding solver gives it', async () => {
  const model = compileSample();
  const pk = await keysFor(model);
  const g = model.graph;
  const plan = derivedRows(g);
  assert.ok(plan.tensors.length > 0);
  for (const d of plan.tensors) assert.equal(g.tensors.find((t) => t.id === d.id)!.kind, 'wire', `${d.id} is a wire`);
  const values = computeGraphWitness(g, { ...quantizeFeeds(model, { input: sampleMlpInput() }), ...model.weights }, calibratedRangeCheck(model));
  const fixed = new Map<string, readonly bigint[]>();
  const free = new Map<string, number>();
  for (const t of g.tensors)
    for (let r = 0; r < t.rows; r++)
      if (t.kind === 'weight') fixed.set(rowSlot(t.id, r), pk.weightBlinding[t.id][r]);
      else if (t.kind === 'wire') free.set(rowSlot(t.id, r), 2);
      else fixed.set(rowSlot(t.id, r), []);
  const blinding = solveRowBlinding({ relations: graphRelations(g), fixed, free }, blindingSource('derived-rows'));
  const ctx = blockContext(pk.vk.kzg);
  const committed = { ...pk.vk.modelCommitment, ...(await commitTensors(ctx, g.tensors.filter((t) => t.kind !== 'weight'), values, (row) => blinding.get(row) ?? fixed.get(row))) };
  const withoutDerived = Object.fromEntries(Object.entries(committed).filter(([id]) => !plan.ids.has(id)));
  const derived = await deriveCommitments(plan, ctx, withoutDerived);
  for (const d of plan.tensors) d.rows.forEach((_, r) => assert.ok(derived[d.id][r].equals(committed[d.id][r]), `${d.id}[${r}]`));
  // The solver's blinding is what the relation forces: another blinding of a derived row gives another commitment.
  const [first] = plan.tensors;
  const other = await commitTensors(ctx, [g.tensors.find((t) => t.id === first.id)!], values, (row) => blinding.get(row)!.map((b) => b + 1n));
  assert.ok(!other[first.id][0].equals(derived[first.id][0]));
});

/** A proof of the sample MLP with one cell of tensor `id` changed by `delta` after the witness is computed (checks bypassed). */
function tampered(id: string, row: number, cell: number, delta: bigint) {
  return {
    allowInvalidWitness: true,
    tamper: (values: Record<string, (readonly bigint[])[]>) => {
      const rows = values[id].map((r) => [...r]);
      const r = row % rows.length;
      rows[r][cell % rows[r].length] += delta;
      values[id] = rows;
    },
  };
}

/**
 * Every derived tensor of `model` (fast-check over the opened ones), changed by a few units after the witness is computed
 * (checks bypassed): rejected where a block opens it, the honest proof's bytes where nothing does. Returns how many of
 * each the model has.
 */
async function derivedRowsTampered(model: ReturnType<typeof compileSample>, inputs: ReturnType<typeof quantizeFeeds>): Promise<{ opened: number; closed: number }> {
  const pk = await keysFor(model);
  const plan = derivedRows(model.graph);
  // Opened: some block of the argument (a range check, a copy, a max) has an oracle committed by the row or by a
  // combination of it, so a changed cell contradicts the derived commitment there. Not opened: read only by linear
  // relations (a rescale's remainder wider than the range table, whose limb split derives its low limb from it; a ReLU's
  // input, which max-constant reads only in its difference relation; a ReLU's slack, read only through its limbs), so the
  // changed cell enters no message and no commitment.
  const rowOf = rowCommitmentNames(plan.argument);
  const ctx = blockContext(pk.vk.kzg);
  // A combination's slots depend on the challenges' values only through its scalars: any value names them.
  const anyChallenges = new Proxy({}, { get: (_t, name) => (typeof name === 'string' ? 3n : undefined) }) as SlotValues;
  const openedRows = new Set(
    plan.argument.nodes.flatMap((n, i) =>
      (n.block.iopSpec?.({ ...ctx, relationsDerived: plan.relationsDerived.has(i) }).oracles ?? []).flatMap((o) => (o.combination ? o.combination(anyChallenges).slots : [o.commitment]).flatMap((slot) => rowOf(i, slot) ?? [])),
    ),
  );
  // A row is named `<tensor id>/<row>` (ids hold slashes themselves: `t3/rem~0/limb~1`).
  const openedTensors = new Set([...openedRows].map((row) => row.slice(0, row.lastIndexOf('/'))));
  const opened = (id: string) => openedTensors.has(id);
  const ids = plan.tensors.map((d) => d.id).filter(opened);
  const closed = plan.tensors.map((d) => d.id).filter((id) => !opened(id));
  if (ids.length > 0)
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ids), fc.nat(), fc.nat(3), fc.integer({ min: 1, max: 5 }), async (id, row, cell, delta) => {
        const { statement, proof } = await prove(pk, inputs, tampered(id, row, cell, BigInt(delta)));
        assert.equal((await verify(pk.vk, statement, proof.bytes)).ok, false, `${id} changed by ${delta}`);
      }),
      { numRuns: 6 },
    );
  const honest = (await prove(pk, inputs, { seed: 'd' })).proof.bytes;
  for (const id of closed) assert.deepEqual((await prove(pk, inputs, { seed: 'd', ...tampered(id, 0, 0, 1n) })).proof.bytes, honest, `${id}: the honest proof`);
  return { opened: ids.length, closed: closed.length };
}

test('sample MLP and Fashion MLP: a derived row proven with another value (checks bypassed) is rejected where a block opens it, and reaches nothing elsewhere', async () => {
  const sample = compileSample();
  const { opened } = await derivedRowsTampered(sample, quantizeFeeds(sample, { input: sampleMlpInput() }));
  // Its two ReLUs' slacks are derived and opened by no block since their own identity restating the relation went
  // (a check that could not fail): their limbs are, through the range lookup.
  assert.ok(opened >= 6, `sample MLP: ${opened} opened`);
  // The Fashion MLP has derived rows that no block opens (its ReLUs' inputs, a remainder wider than the range table).
  const fashion = compile(readFileSync(modelFile('fashion-mlp.onnx')), fashionImages().images.slice(0, 8).map((input) => ({ input })));
  const { closed } = await derivedRowsTampered(fashion, quantizeFeeds(fashion, { input: fashionImages().images[0] }));
  assert.ok(closed >= 1, `Fashion MLP: ${closed} not opened`);
});

test('copyTables: the entries of its tables, a later one replacing an earlier one, in a new object without inherited names', () => {
  const p = (k: bigint) => [G1.BASE.multiply(k)];
  const a = { x: p(1n), y: p(2n) };
  const b = { y: p(3n), z: p(4n) };
  const out = copyTables(a, b);
  assert.deepEqual(Object.keys(out), ['x', 'y', 'z']);
  assert.equal(out.x, a.x);
  assert.equal(out.y, b.y);
  assert.equal(out.z, b.z);
  assert.equal(Object.getPrototypeOf(out), null);
  assert.equal('toString' in out, false);
  // Completing the copy leaves the tables it was made from as they were.
  out.w = p(5n);
  assert.deepEqual(Object.keys(a), ['x', 'y']);
  assert.deepEqual(Object.keys(b), ['y', 'z']);
  assert.deepEqual(Object.keys(copyTables()), []);
  // Only own entries: one a table inherits (its prototype, a polluted Object.prototype) is not copied.
  const inherited = Object.create({ x: p(6n) }) as Record<string, G1Point[]>;
  inherited.v = p(7n);
  assert.deepEqual(Object.keys(copyTables(a, inherited)), ['x', 'y', 'v']);
  assert.equal(copyTables(a, inherited).x, a.x);
});
