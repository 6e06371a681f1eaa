/**
 * `PolyIopBlock` (`blocks/poly-iop-block.ts`), the base class a block gives only its spec and its side of the prover:
 * a custom square block `y = x ∘ x` written on it passes the conformance harness (every proof element and every
 * witness cell tampered), its protocol, statement and prover all follow the one spec, a false square in any cell is
 * rejected (prover checks bypassed), and it joins a model argument with no batching code of its own.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { G1_ONE } from '../../src/curve';
import { at, checkConformance, rowSlot, rowStatementSlots, term, type PolyIopSpec, type TensorSpec, type Tensors } from '../../blocks/index';
import { cheatingVerdict, context } from '../soundness/helpers';
import { PowerBlock } from '../helpers/power-block';
import { modelArgumentProtocol, modelArgumentProver, modelArgumentSpec, modelArgumentStatement } from '../../blocks/model-argument';
import { proveLeaf, replayLeaf } from '../../blocks/leaf';
import { verifyInstances } from '../../blocks/batch-verify';
import { Transcript } from '../../src/transcript';
import { ByteReader } from '../../src/encoding/bytes';
import { commitRows } from '../../blocks/commit-rows';
import { checkFixedRowsNotRead, withoutLinearCheck } from '../../blocks/poly-iop-block';
import { MaxBlock } from '../../blocks/max';
import { MaxConstantBlock } from '../../blocks/max-constant';
import type { LinearCheckParts } from '../../blocks/linear-relation';
import { BlockfoldError } from '../../src/errors';

/** `y = x ∘ x` on one row of n cells: one identity `x·x − y = 0` on H_n. */
const SquareBlock = class extends PowerBlock {
  constructor(n: number, fixedX = false) {
    super(n, 2, fixedX);
  }
};

test('a block on PolyIopBlock passes the conformance harness: every proof element and every witness cell tampered is rejected', async () => {
  const block = new SquareBlock(4);
  const report = await checkConformance(block, await context(32), { x: [[3n, -2n, 7n, 0n]] }, { numRuns: 4 });
  assert.ok(report.witnessTamperings > 0, 'witness cells tampered');
  assert.ok(report.unblindedRowsRejected, 'a prover opening the unblinded rows is rejected');
});

test('PolyIopBlock: protocol, statement and iopSpec all follow the one spec', async () => {
  const ctx = await context(32);
  const block = new SquareBlock(4);
  assert.equal(block.protocol(ctx).foldKey, block.foldKey);
  assert.equal(block.iopSpec(), block.iopSpec(), 'one spec object');
  assert.deepEqual(Object.keys(block.statement({ x: [G1_ONE], y: [G1_ONE.double()] })), block.iopSpec().statement.map((d) => d.name));
  const messages = block.protocol(ctx).slots.filter((d) => d.origin === 'message').map((d) => d.name);
  assert.ok(messages.includes('[quotient]'), `the compiler's tail is in the protocol: ${messages.join(', ')}`);
});

test('PolyIopBlock: a false square in any cell (prover checks bypassed) is rejected, the true one accepted', async () => {
  const ctx = await context(32);
  const block = new SquareBlock(4);
  const x = [[3n, -2n, 7n, 5n]];
  assert.equal((await cheatingVerdict(block, ctx, { x, ...block.witness({ x }) })).ok, true);
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: 3 }), fc.bigInt({ min: 1n, max: 1n << 40n }), async (cell, delta) => {
      const y = block.witness({ x }).y.map((row) => row.map((v, i) => (i === cell ? v + delta : v)));
      assert.equal((await cheatingVerdict(block, ctx, { x, y })).ok, false, `y[${cell}] + ${delta}`);
    }),
    { numRuns: 6 },
  );
});

test('PolyIopBlock: a block on it joins a model argument with no batching code of its own', async () => {
  const ctx = await context(32);
  const block = new SquareBlock(4);
  const x = [[1n, 2n, 3n, 4n]];
  const tensors: Tensors = { x, ...block.witness({ x }) };
  const spec = modelArgumentSpec('poly-iop-block-test', [block], ctx);
  const protocol = modelArgumentProtocol(spec, ctx);
  const c = { x: await commitRows(ctx.kzg, x, 4), y: await commitRows(ctx.kzg, tensors.y, 4) };
  const statement = modelArgumentStatement([block.statement(c)]);
  const { messages } = await proveLeaf(protocol, Transcript.create('poly-iop-block-test'), ctx.engine, statement, modelArgumentProver(spec, [block], ctx, [tensors]));
  const t = Transcript.create('poly-iop-block-test');
  const r = new ByteReader(Uint8Array.from(messages));
  const leaf = await replayLeaf(protocol, t, ctx.engine, statement, r);
  r.finish('proof');
  assert.deepEqual(await verifyInstances(ctx.engine, [leaf], t), { ok: true });
});

test('checkFixedRowsNotRead: a block that opens a fixed tensor\'s row itself (not through a weight link) is refused, alone and in a model argument', async () => {
  const ctx = await context(64);
  const fixed = new SquareBlock(8, true);
  const refused = (e: unknown) => e instanceof BlockfoldError && /oracle "x\/0" is the fixed tensor "x" itself/.test(e.message);
  assert.throws(() => checkFixedRowsNotRead(fixed.iopSpec(), fixed.tensors), refused);
  assert.throws(() => fixed.protocol(ctx), refused);
  assert.throws(() => fixed.prover(ctx, { x: [[1n]], y: [[1n]] }), refused);
  assert.throws(() => modelArgumentSpec('fixed-read', [fixed], ctx), refused);
  // The same block with x an ordinary input is accepted.
  const plain = new SquareBlock(8);
  checkFixedRowsNotRead(plain.iopSpec(), plain.tensors);
  assert.ok(modelArgumentSpec('plain-read', [plain], ctx));
});

test('withoutLinearCheck: a max leaves exactly its residual check out (slots, steps, equation), a max with a constant exactly its slack identities; parts that are not a linear check are refused', async () => {
  const ctx = await context(64);
  const max = new MaxBlock({ candidates: 3, rows: 1, domain: 4, bits: 8 });
  const full = max.iopSpec(ctx);
  const without = max.iopSpec({ ...ctx, relationsDerived: true });
  assert.equal(max.iopSpec({ ...ctx, relationsDerived: true }), without, 'computed once');
  assert.deepEqual(full.slots.filter((d) => !without.slots.includes(d)).map((d) => d.name), ['rho', 'residual']);
  assert.deepEqual(without.identities, full.identities);
  assert.deepEqual(without.oracles, full.oracles);
  assert.deepEqual(full.equations?.(ctx.kzg).map((e) => e.name), ['differences']);
  assert.deepEqual(without.equations?.(ctx.kzg), []);
  assert.equal(without.rounds.length, full.rounds.length - 2);

  const relu = new MaxConstantBlock({ rows: 2, domain: 4, length: 3, constant: 0n, bits: 8 });
  const reluFull = relu.iopSpec(ctx);
  const reluWithout = relu.iopSpec({ ...ctx, relationsDerived: true });
  assert.deepEqual(reluFull.identities.filter((i) => !reluWithout.identities.includes(i)).map((i) => i.name), ['slack/0', 'slack/1']);
  assert.deepEqual(reluFull.oracles.filter((o) => !reluWithout.oracles.includes(o)).map((o) => o.name), ['d/0', 'd/1'], 'the slack rows only the slack identities read');

  const none: LinearCheckParts = { slots: [], steps: [], equations: [], identities: [] };
  const refused = (what: RegExp) => (e: unknown) => e instanceof BlockfoldError && what.test(e.message);
  const [maxRelations, reluRelations] = [max.linearRelations(), relu.linearRelations()];
  const cut = (parts: Partial<LinearCheckParts>, spec = full, relations = maxRelations) => withoutLinearCheck(spec, { ...none, ...parts }, relations);
  assert.throws(() => cut({ slots: ['[h]/1/0'] }), refused(/slot "\[h\]\/1\/0" is not a challenge or derived slot/));
  assert.throws(() => cut({ slots: ['rho'] }), refused(/slot "rho" is read or written outside the check/));
  assert.throws(() => cut({ slots: ['rho'], steps: [{ kind: 'challenge', slots: ['rho'] }] }), refused(/step \[rho\] is not the spec's/));
  assert.throws(() => cut({ steps: [full.rounds[0]] }), refused(/step \[rho\] is not the spec's or writes a slot outside the check/));
  assert.throws(() => cut({ identities: ['tight/0'] }, reluFull, reluRelations), refused(/identity "tight\/0" is not the spec's or restates none/));
  assert.throws(() => cut({ identities: ['padding/y/0'] }, reluFull, reluRelations), refused(/identity "padding\/y\/0" is not the spec's or restates none/));
  assert.throws(() => cut({ identities: ['slack/7'] }, reluFull, reluRelations), refused(/identity "slack\/7" is not the spec's/));
  // A linear identity, but of no relation the block declares (the max's differences instead of the slack).
  assert.throws(() => cut({ identities: ['slack/0'] }, reluFull, maxRelations), refused(/identity "slack\/0" is not the spec's or restates none/));
  assert.throws(() => cut({ equations: ['differences'] }, reluFull, reluRelations), refused(/equations \[differences\] are not the spec's/));
  assert.throws(() => cut({ equations: ['other'] }).equations?.(ctx.kzg), refused(/equation "other" is not the spec's/));
  // A row the left-out identity reads stays an oracle when a kept sum claim reads it too.
  const tensors: TensorSpec[] = [
    { name: 'a', rows: 1, domain: 4, role: 'input' },
    { name: 'b', rows: 1, domain: 4, role: 'output' },
  ];
  const toy: PolyIopSpec = {
    foldKey: 'toy',
    statement: rowStatementSlots(tensors),
    slots: [],
    rounds: [],
    oracles: ['a', 'b'].map((t) => ({ name: rowSlot(t, 0), domain: 4, commitment: rowSlot(t, 0) })),
    publics: [],
    identities: [
      { name: 'copy', domain: 4, terms: [term(1, at(rowSlot('a', 0))), term(-1, at(rowSlot('b', 0)))] },
      { name: 'square', domain: 4, terms: [term(1, at(rowSlot('a', 0)), at(rowSlot('a', 0)))] },
    ],
    sums: [{ name: 'b', domain: 4, summand: [term(1, at(rowSlot('b', 0)))] }],
  };
  const copy = [{ terms: [{ tensor: 'a', row: 0, coeff: 2n }, { tensor: 'b', row: 0, coeff: -2n }] }];
  assert.deepEqual(withoutLinearCheck(toy, { ...none, identities: ['copy'] }, copy).oracles.map((o) => o.name), ['a/0', 'b/0']);
  // The residual's slots go, its equation stays: it would read a slot no longer there.
  assert.throws(() => cut({ slots: ['rho', 'residual'], steps: full.rounds.slice(0, 2) }).equations?.(ctx.kzg), refused(/equation "differences" reads "residual" across the check's boundary/));
});
