/**
 * SegmentMaxBlock (`blocks/segment-max.ts`): `y_i = max_j x_{j·M+i}` over L segments of one row, the differences
 * `y(X^L) − x(X)` never committed, range-checked by a difference source of the range block (`blocks/range.ts`).
 * Conformance for L = 2, 4, 8; with the prover's checks bypassed, in a model argument beside its range block: a y
 * that is a candidate but not the maximum (a negative difference, which the block alone accepts and the range lookup
 * rejects), a y that is no candidate, every cell of x and y changed (each and at random), a changed composed opening
 * y(ζ^L) and every other proof element; y(ζ^L) forged with the quotient check at ζ kept, rejected by its opening alone
 * (verifying once the test τ opens it anyway: `test/helpers/composed-forgery.ts`); the graph refuses the block without the difference's range, or with a wider
 * one; refused shapes; the codecs; and both engines give one proof.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  checkConformance,
  messageSlots,
  modelArgumentProtocol,
  modelArgumentProver,
  modelArgumentSpec,
  modelArgumentStatement,
  proveBlock,
  RangeBlock,
  rowEvaluations,
  rowSlot,
  SegmentMaxBlock,
  verifyBlock,
  type Block,
  type BlockContext,
  type Tensors,
} from '../../blocks/index';
import { proveLeaf } from '../../blocks/leaf';
import { blindingSource } from '../../src/blinding';
import { BlockfoldError } from '../../src/errors';
import { Transcript } from '../../src/transcript';
import { createReferenceEngine } from '../../src/engine/reference';
import { getDefaultEngine } from '../../src/index';
import { graphBlindingCoefficients, keyG1Powers, validateBlockGraph, BlockGraphError, type BlockGraph } from '../../src/pipeline/block-graph';
import { hidingSrsSlack } from '../../blocks/hiding';
import type { G1Point } from '../../src/curve';
import { commit } from '../../src/kzg/commit';
import { interpolate } from '../../src/poly/interpolate';
import { addVanishingMultiple } from '../../src/poly/vanishing-multiple';
import { cheatingVerdict, context, proveAndVerify, RANGE_TABLE_SIZE, statementOf } from '../soundness/helpers';
import { composedForger } from '../helpers/composed-forgery';
import { replayAndVerify } from '../helpers/replay-verify';
import { testKzgKeyWithRange } from '../helpers/kzg';
import { decodeParams, encodeParams } from '../helpers/block-params';
import { power } from '../helpers/opening-points';

/** The differences fit the test key's range table of 16 entries. */
const BITS = 4;

/** Candidates in [0, 12): every difference is below 16. */
const input = (L: number, M: number) => [Array.from({ length: L * M }, (_, c) => BigInt((c * 7 + 3) % 12))];
const maxOf = (L: number, M: number) => new SegmentMaxBlock({ candidates: L, outputs: M, bits: BITS });
/** The range block the compiler attaches: y(X^L) − x(X) ∈ [0, 2^BITS) on every cell. */
const rangeOf = (L: number, M: number) => new RangeBlock(RANGE_TABLE_SIZE, [{ input: 'x', rows: 1, domain: L * M, length: L * M, bits: BITS, difference: { minuend: 'y', power: L } }]);

/** The max and its range block proven in one model argument (prover checks bypassed), verified. */
async function joint(ctx: BlockContext, L: number, M: number, tensors: Tensors) {
  const blocks: Block[] = [maxOf(L, M), rangeOf(L, M)];
  const spec = modelArgumentSpec('segment-max-test', blocks, ctx);
  const protocol = modelArgumentProtocol(spec, ctx);
  const statement = modelArgumentStatement([await statementOf(blocks[0], ctx, tensors), await statementOf(blocks[1], ctx, tensors)]);
  const { messages } = await proveLeaf(protocol, Transcript.create('segment-max-test'), ctx.engine, statement, modelArgumentProver(spec, blocks, ctx, [tensors, tensors]));
  return { protocol, statement, messages, verdict: await replayAndVerify(protocol, 'segment-max-test', ctx.engine, statement, messages) };
}

/** One segment max of L candidates and M outputs proven alone: its context, honest tensors, protocol and statement. */
async function aloneOf(L: number, M: number) {
  const ctx = await context(64);
  const block = maxOf(L, M);
  const x = input(L, M);
  const tensors = { x, ...block.witness({ x }) };
  const protocol = block.protocol(ctx);
  return { ctx, L, M, block, tensors, protocol, statement: await statementOf(block, ctx, tensors) };
}

const rangeContext = async (): Promise<BlockContext> => ({ ...(await context(64)), allowInvalidWitness: true });

test('witness: y_i = max_j x_{j·M+i}; the difference obligation is y(X^L) − x(X) on every cell; refused shapes', () => {
  const block = maxOf(4, 2);
  assert.deepEqual(block.witness({ x: [[1n, 5n, 7n, -2n, 3n, 4n, -9n, 6n]] }).y, [[7n, 6n]]);
  assert.deepEqual(block.differenceObligations(), [{ minuend: 'y', subtrahend: 'x', power: 4, lo: 0n, hi: 15n }]);
  assert.equal('rangeObligations' in block, false, 'no tensor of the block holds the differences');
  assert.deepEqual(block.tensors, [
    { name: 'x', rows: 1, domain: 8, role: 'input' },
    { name: 'y', rows: 1, domain: 2, role: 'output' },
  ]);
  const refused = (f: () => unknown, message: RegExp) => assert.throws(f, (e: unknown) => e instanceof BlockfoldError && message.test(e.message));
  refused(() => maxOf(3, 2), /candidates must be a power of two ≥ 2, got 3/);
  refused(() => maxOf(1, 2), /candidates must be a power of two ≥ 2, got 1/);
  refused(() => maxOf(2, 6), /outputs must be a power of two, got 6/);
  refused(() => new SegmentMaxBlock({ candidates: 2, outputs: 2, bits: 0 }), /bits must be in 1..64/);
  refused(() => block.witness({ x: [[1n, 2n]] }), /x must be one row of 8 cells/);
});

test('conformance for L = 2, 4, 8: every proof element, output cell and statement slot tampered is rejected, blinded rows included', async () => {
  const ctx = await context(64);
  for (const [L, M] of [[2, 4], [4, 2], [8, 2]]) {
    const report = await checkConformance(maxOf(L, M), ctx, { x: input(L, M) }, { numRuns: 3 });
    assert.ok(report.witnessTamperings > 0 && report.unblindedRowsRejected, `L = ${L}`);
  }
});

test('a y that is a candidate but not the maximum passes the block alone and is rejected by the range lookup on y(X^L) − x(X)', async () => {
  const ctx = await rangeContext();
  for (const [L, M] of [[2, 4], [4, 2], [8, 2]]) {
    const x = input(L, M);
    const y = maxOf(L, M).witness({ x }).y[0];
    // Output 0 takes its smallest candidate instead: a candidate, below the maximum.
    const smallest = Array.from({ length: L }, (_, j) => x[0][j * M]).reduce((a, v) => (v < a ? v : a));
    assert.ok(smallest < y[0]);
    const bad = { x, y: [y.map((v, i) => (i === 0 ? smallest : v))] };
    assert.deepEqual(await cheatingVerdict(maxOf(L, M), ctx, bad), { ok: true }, `L = ${L}: the block alone proves "y is a candidate"`);
    assert.equal((await cheatingVerdict(rangeOf(L, M), ctx, bad)).ok, false, `L = ${L}: a negative difference is out of range`);
    assert.equal((await joint(ctx, L, M, bad)).verdict.ok, false, `L = ${L}: jointly rejected`);
    assert.deepEqual((await joint(ctx, L, M, { x, y: [y] })).verdict, { ok: true }, `L = ${L}: the honest witness`);
  }
});

test('a y that is none of its candidates (above all of them, in range) is rejected by the block', async () => {
  const ctx = await rangeContext();
  const [L, M] = [4, 2];
  const x = input(L, M);
  const y = maxOf(L, M).witness({ x }).y[0];
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: M - 1 }), fc.bigInt({ min: 1n, max: 3n }), async (i, up) => {
      const bad = { x, y: [y.map((v, k) => (k === i ? v + up : v))] };
      assert.equal((await cheatingVerdict(maxOf(L, M), ctx, bad)).ok, false, `y[${i}] + ${up}`);
      assert.equal((await cheatingVerdict(rangeOf(L, M), ctx, bad)).ok, true, 'every difference stays in range');
    }),
    { numRuns: 4, seed: 5 },
  );
});

test('every cell of x and y changed so that y is no longer the maximum is rejected jointly (each cell, then at random)', async () => {
  const ctx = await rangeContext();
  const [L, M] = [4, 2];
  const x = input(L, M);
  const y = maxOf(L, M).witness({ x }).y[0];
  // x_c raised above its output (a negative difference), or lowered when it is its output's only maximum.
  for (let c = 0; c < L * M; c++) {
    const i = c % M;
    const raised = { x: [x[0].map((v, k) => (k === c ? y[i] + 1n : v))], y: [y] };
    assert.equal((await joint(ctx, L, M, raised)).verdict.ok, false, `x[${c}] above y[${i}]`);
    const maxima = Array.from({ length: L }, (_, j) => x[0][j * M + i]).filter((v) => v === y[i]).length;
    if (x[0][c] === y[i] && maxima === 1) {
      const lowered = { x: [x[0].map((v, k) => (k === c ? v - 1n : v))], y: [y] };
      assert.equal((await joint(ctx, L, M, lowered)).verdict.ok, false, `x[${c}], the maximum, lowered`);
    }
  }
  for (let i = 0; i < M; i++)
    for (const delta of [-1n, 1n]) assert.equal((await joint(ctx, L, M, { x, y: [y.map((v, k) => (k === i ? v + delta : v))] })).verdict.ok, false, `y[${i}] + ${delta}`);
  await fc.assert(
    fc.asyncProperty(fc.constantFrom('x', 'y'), fc.nat(), fc.bigInt({ min: 1n, max: 1n << 70n }), async (name, at, delta) => {
      const t: Tensors = { x, y: [y] };
      const row = t[name][0];
      const changed = { ...t, [name]: [row.map((v, k) => (k === at % row.length ? v + delta : v))] };
      // Raising a non-maximal candidate by less than its slack keeps y the maximum: only a change that breaks it counts.
      const after = maxOf(L, M).witness({ x: changed.x }).y[0];
      fc.pre(after.some((v, k) => v !== changed.y[0][k]));
      assert.equal((await joint(ctx, L, M, changed)).verdict.ok, false);
    }),
    { numRuns: 8, seed: 7 },
  );
});

test('the composed opening y(ζ^L) changed is rejected, in the block alone and in the model argument', async () => {
  const { ctx, L, M, block, tensors, protocol, statement } = await aloneOf(4, 2);
  const proof = await proveBlock(block, ctx, protocol, statement, tensors);
  const names = messageSlots(protocol).map((d) => d.name);
  const e = names.indexOf(`${rowSlot('y', 0)}@zeta^${L}`);
  assert.ok(e >= 0, 'y is opened at ζ^L');
  const bytes = proof.slice();
  bytes[32 * e + 31] ^= 1;
  assert.equal((await verifyBlock(ctx, protocol, statement, bytes)).ok, false);
  const good = await joint(await rangeContext(), L, M, tensors);
  assert.deepEqual(good.verdict, { ok: true });
  const inArgument = messageSlots(good.protocol).map((d) => d.name);
  for (const k of inArgument.flatMap((n, i) => (n.endsWith(`${rowSlot('y', 0)}@zeta^${L}`) ? [i] : []))) {
    const changed = Uint8Array.from(good.messages);
    changed[32 * k + 31] ^= 1;
    assert.equal((await replayAndVerify(good.protocol, 'segment-max-test', ctx.engine, good.statement, changed)).ok, false);
  }
});

test('composedForger: y(ζ^L) forged with the check at ζ kept is rejected by its opening alone; opened at the false value with the test τ, the same forgery verifies', async () => {
  const { ctx, L, block, tensors, protocol, statement } = await aloneOf(4, 2);
  const forger = (keepCheckAtZeta: boolean, openedAnyway: boolean, shift: bigint) =>
    composedForger(ctx, protocol, block.prover(ctx, tensors), `${rowSlot('y', 0)}@zeta^${L}`, { keepCheckAtZeta, openedAnyway, shift });
  const verdict = (keepCheckAtZeta: boolean, openedAnyway: boolean, shift: bigint) => proveAndVerify(ctx, protocol, statement, forger(keepCheckAtZeta, openedAnyway, shift).source);
  // y(ζ^L) is read in the product D(ζ)·D(ω^(LM/2)·ζ): the forged value solves a quadratic, which has a root in Fr for
  // about half the shifts of the quotient (each a new ζ). The forger grinds the shift.
  let shift = 1n;
  for (;;) {
    const f = forger(true, true, shift);
    const result = await proveAndVerify(ctx, protocol, statement, f.source);
    if (f.solved()) {
      assert.deepEqual(result, { ok: true }, 'forged, opened anyway: nothing but the ζ^L opening notices it');
      break;
    }
    assert.ok(shift < 16n, 'some shift of 16 leaves a root');
    shift++;
  }
  const rejected = { ok: false, reason: 'the batched pairing check failed' };
  assert.deepEqual(await verdict(true, false, shift), rejected, 'forged, opened honestly: the ζ^L opening rejects it');
  assert.deepEqual(await verdict(false, true, shift), rejected, 'changed alone, opened anyway: the check at ζ rejects it');
  assert.deepEqual(await verdict(false, false, shift), rejected, 'changed alone');
});

test('the graph refuses the block without the range of y(X^L) − x(X), with a wider one, or with one of other tensors or power', () => {
  const [L, M] = [4, 2];
  const graph = (range?: RangeBlock, bind: Record<string, string> = { x: 'x', y: 'y' }): BlockGraph => ({
    tensors: [
      { id: 'x', kind: 'input', rows: 1, domain: L * M },
      { id: 'y', kind: 'output', rows: 1, domain: M },
      ...(bind.x === 'z' ? [{ id: 'z', kind: 'input' as const, rows: 1, domain: L * M }] : []),
    ],
    nodes: [{ block: maxOf(L, M), bind: { x: 'x', y: 'y' } }, ...(range ? [{ block: range, bind }] : [])],
  });
  validateBlockGraph(graph(rangeOf(L, M)));
  const refused = (g: BlockGraph, proves: string) =>
    assert.throws(() => validateBlockGraph(g), (e: unknown) => e instanceof BlockGraphError && e.message.includes(`needs "y"(X^4) − "x" in [0, 15] on every cell; the graph proves ${proves}`));
  refused(graph(), 'no range');
  refused(graph(new RangeBlock(2 * RANGE_TABLE_SIZE, [{ input: 'x', rows: 1, domain: L * M, length: L * M, bits: BITS + 1, difference: { minuend: 'y', power: L } }])), '[0, 31]');
  refused(graph(rangeOf(L, M), { x: 'z', y: 'y' }), 'no range');
});

test('codecs: the segment max and a range block with a difference source round-trip; a plain range source encodes as before', () => {
  for (const block of [maxOf(4, 2), maxOf(2, 1024), rangeOf(4, 2), new RangeBlock(RANGE_TABLE_SIZE, [{ input: 'a', rows: 2, domain: 8, length: 5 }, ...rangeOf(4, 2).sources])]) {
    const bytes = encodeParams(block);
    const back = decodeParams(block.kind, bytes, { rows: 4, domain: 4096 });
    assert.equal(back.foldKey, block.foldKey);
    assert.deepEqual(back.tensors, block.tensors);
    assert.deepEqual(encodeParams(back), bytes);
  }
  assert.ok(rangeOf(4, 2).foldKey.includes('X^4−1x8@8'));
  // table bits, one source: name "a", rows 2, domain 8, length 5, lo 0, bits 4 — the bytes written before difference sources existed.
  assert.deepEqual(encodeParams(new RangeBlock(RANGE_TABLE_SIZE, [{ input: 'a', rows: 2, domain: 8, length: 5 }])), [4, 1, 1, 97, 2, 8, 5, 0, 4]);
  assert.deepEqual(rangeOf(4, 2).provenDifferenceRanges(), [{ minuend: 'y', subtrahend: 'x', power: 4, lo: 0n, hi: 15n }]);
  assert.deepEqual(rangeOf(4, 2).provenRanges(), []);
  const refused = (f: () => unknown, message: RegExp) => assert.throws(f, (e: unknown) => e instanceof BlockfoldError && message.test(e.message));
  refused(() => new RangeBlock(RANGE_TABLE_SIZE, [{ input: 'x', rows: 2, domain: 8, length: 8, difference: { minuend: 'y', power: 4 } }]), /a difference source is one row with every cell real/);
  refused(() => new RangeBlock(RANGE_TABLE_SIZE, [{ input: 'x', rows: 1, domain: 8, length: 8, difference: { minuend: 'x', power: 4 } }]), /x is a source twice/);
  refused(() => new RangeBlock(RANGE_TABLE_SIZE, [{ input: 'x', rows: 1, domain: 8, length: 8, difference: { minuend: 'y', power: 3 } }]), /a difference source/);
});

test('the reference and wasm engines give one proof of the max beside its range block under one blinding seed', async () => {
  const [L, M] = [4, 2];
  const x = input(L, M);
  const tensors = { x, ...maxOf(L, M).witness({ x }) };
  const proofs: Uint8Array[] = [];
  // The default engine is the WebAssembly one (the range keys are cached by engine name).
  assert.equal(getDefaultEngine().name, 'wasm');
  for (const engine of [createReferenceEngine(), getDefaultEngine()]) {
    const ctx: BlockContext = { engine, kzg: await testKzgKeyWithRange(64, RANGE_TABLE_SIZE, engine), blinding: blindingSource('segment-max') };
    const { verdict, messages } = await joint(ctx, L, M, tensors);
    assert.deepEqual(verdict, { ok: true }, engine.name);
    proofs.push(messages);
  }
  assert.deepEqual(proofs[0], proofs[1]);
});

test('quotientPowers: a few outputs of many candidates (L = 64, M = 2) need more powers than 2·LM + hidingSrsSlack(c); the key takes them, and with blinded rows the max proves and verifies on it and not on the smaller key', async () => {
  const [L, M] = [64, 2];
  const [block, range] = [maxOf(L, M), rangeOf(L, M)];
  const g: BlockGraph = {
    tensors: [
      { id: 'x', kind: 'input', rows: 1, domain: L * M },
      { id: 'y', kind: 'output', rows: 1, domain: M },
    ],
    nodes: [
      { block, bind: { x: 'x', y: 'y' } },
      { block: range, bind: { x: 'x', y: 'y' } },
    ],
  };
  const c = graphBlindingCoefficients(g);
  const base = 2 * L * M + hidingSrsSlack(c);
  assert.equal(block.quotientPowers(c), L * M + 2 * L * (c - 1) + 1);
  assert.ok(block.quotientPowers(c) > base, `${block.quotientPowers(c)} > ${base}`);
  assert.equal(keyG1Powers(g), block.quotientPowers(c));
  // The range block declares its own composed read of y, as the max does.
  assert.deepEqual(range.openingRotations(), { rows: { y: [power(L)] }, ownPoints: 1 });

  const tensors: Tensors = { x: input(L, M), ...block.witness({ x: input(L, M) }) };
  const source = blindingSource('quotient-powers');
  const blindingOf = (slot: string) => (slot === 'x/0' || slot === 'y/0' ? source.draw(slot, c) : undefined);
  const proveOn = async (powers: number) => {
    const engine = getDefaultEngine();
    const ctx: BlockContext = { engine, kzg: await testKzgKeyWithRange(powers, RANGE_TABLE_SIZE, engine), blindingCoefficients: c, blinding: source };
    const blocks: Block[] = [block, range];
    const statements = [];
    for (const b of blocks) {
      const commitments: Record<string, G1Point[]> = {};
      for (const t of b.tensors) commitments[t.name] = [await commit(ctx.kzg, addVanishingMultiple(interpolate(rowEvaluations(tensors[t.name][0], t.domain), engine), t.domain, blindingOf(`${t.name}/0`) ?? []))];
      statements.push(b.statement(commitments));
    }
    const spec = modelArgumentSpec('quotient-powers', blocks, ctx);
    const protocol = modelArgumentProtocol(spec, ctx);
    const statement = modelArgumentStatement(statements);
    const { messages } = await proveLeaf(protocol, Transcript.create('quotient-powers'), engine, statement, modelArgumentProver(spec, blocks, ctx, [tensors, tensors], (_, slot) => blindingOf(slot)));
    return replayAndVerify(protocol, 'quotient-powers', engine, statement, messages);
  };
  assert.deepEqual(await proveOn(keyG1Powers(g)), { ok: true });
  await assert.rejects(proveOn(base), (e: unknown) => e instanceof Error && /powers of τ/.test(e.message));
});
