/**
 * The model-level argument over one small instance of every built-in block kind: completeness, the lockstep
 * transcript order (rule 1), every message element tampered, every block's output tampered with the prover's
 * checks bypassed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ByteReader } from '../../src/encoding/bytes';
import { Transcript } from '../../src/transcript';
import type { SlotValues } from '../../src/equations/equation';
import { BroadcastBlock, SumBlock, commitRows, MaxBlock, lagrangePoly, LinearBlock, LookupBlock, rangeTable, type Block, type BlockContext, type Tensors } from '../../blocks/index';
import { pairingTerms } from '../../src/equations/evaluate';
import { pairingProductIsOne } from '../../src/equations/pairing-check';
import type { PairingEquation } from '../../src/equations/equation';
import { proveLeaf, replayLeaf } from '../../blocks/leaf';
import { memberPrefix, modelArgumentProtocol, modelArgumentProver, modelArgumentSpec, modelArgumentStatement, tableCommitmentNames } from '../../blocks/model-argument';
import { validateProtocol, type Protocol, type Step } from '../../blocks/protocol';
import { replayAndVerify } from '../helpers/replay-verify';
import { builtinBlocks, context } from '../soundness/helpers';
import { G1_ONE, type G1Point } from '../../src/curve';
import { BlockfoldError } from '../../src/errors';

type Instance = { block: Block; tensors: Tensors };

function honest(): Instance[] {
  return builtinBlocks().map(({ block, inputs }) => ({ block, tensors: { ...inputs, ...block.witness(inputs) } }));
}

async function statements(ctx: BlockContext, instances: readonly Instance[]): Promise<SlotValues> {
  const out: SlotValues[] = [];
  for (const { block, tensors } of instances) {
    const c: Record<string, G1Point[]> = {};
    for (const t of block.tensors) c[t.name] = await commitRows(ctx.kzg, tensors[t.name], t.domain);
    out.push(block.statement(c));
  }
  return modelArgumentStatement(out);
}

async function proveArgument(ctx: BlockContext, instances: readonly Instance[]) {
  const blocks = instances.map((i) => i.block);
  const spec = modelArgumentSpec('test-model', blocks, ctx);
  const protocol = modelArgumentProtocol(spec, ctx);
  const statement = await statements(ctx, instances);
  const { messages } = await proveLeaf(protocol, Transcript.create('model-argument-test'), ctx.engine, statement, modelArgumentProver(spec, blocks, ctx, instances.map((i) => i.tensors)));
  return { protocol, statement, messages };
}

function verifyArgument(ctx: BlockContext, protocol: Protocol, statement: SlotValues, messages: Uint8Array) {
  return replayAndVerify(protocol, 'model-argument-test', ctx.engine, statement, messages);
}

test('model argument: every built-in block kind in one argument verifies; one ζ, one quotient for every domain size', async () => {
  const ctx = await context(64);
  const instances = honest();
  const { protocol, statement, messages } = await proveArgument(ctx, instances);
  validateProtocol(protocol);
  assert.deepEqual(await verifyArgument(ctx, protocol, statement, messages), { ok: true });
  const challenges = protocol.slots.filter((s) => s.origin === 'challenge').map((s) => s.name);
  assert.equal(challenges.filter((s) => s === 'zeta').length, 1, 'the shared ζ');
  const quotients = protocol.slots.filter((s) => s.origin === 'message' && s.name.includes('quotient')).map((s) => s.name);
  const sizes = new Set(instances.flatMap((i) => (i.block.iopSpec?.(ctx).identities ?? []).map((id) => id.domain)));
  assert.ok(sizes.size >= 3, 'identities on several domain sizes');
  assert.deepEqual(quotients, ['[quotient]'], 'one quotient over all domain sizes');
});

/** A block's own challenge or message slot under the argument's name: prefixed, or a challenge it shares as it is. */
function argumentName(block: Block, i: number, ctx: BlockContext): (slot: string) => string {
  const shared = new Set(block.iopSpec?.(ctx).sharedChallenges ?? []);
  return (slot) => (shared.has(slot) ? slot : memberPrefix(i) + slot);
}

/**
 * Rule 1 in a model argument's schedule: every challenge a block draws comes after every message the block sends
 * before it in its own rounds (a shared challenge, one slot of the argument, is checked against every block drawing
 * it). The violations, as "challenge ← message".
 */
function orderViolations(schedule: readonly Step[], blocks: readonly Block[], ctx: BlockContext): string[] {
  // A slot's first step: a challenge drawn twice is read from its first draw.
  const position = new Map<string, number>();
  schedule.forEach((step, k) => step.slots.forEach((s) => position.has(s) || position.set(s, k)));
  const out: string[] = [];
  blocks.forEach((b, i) => {
    const name = argumentName(b, i, ctx);
    const steps = b.iopSpec ? b.iopSpec(ctx).rounds : b.protocol(ctx).schedule.filter((s) => s.kind !== 'statement');
    const sent: string[] = [];
    for (const s of steps) {
      if (s.kind === 'message') sent.push(...s.slots.map(name));
      if (s.kind !== 'challenge') continue;
      for (const c of s.slots.map(name)) for (const m of sent) if (!(position.get(m)! < position.get(c)!)) out.push(`${c} ← ${m}`);
    }
  });
  return out;
}

test('model argument (rule 1): each challenge, shared or not, comes after every message of each block drawing it; a shared α drawn too early is caught', async () => {
  const ctx = await context(64);
  const blocks = honest().map((i) => i.block);
  const protocol = modelArgumentProtocol(modelArgumentSpec('test-model', blocks, ctx), ctx);
  const position = new Map<string, number>();
  protocol.schedule.forEach((step, k) => step.slots.forEach((s) => position.set(s, k)));
  assert.deepEqual(orderViolations(protocol.schedule, blocks, ctx), []);
  // The row weights' α is one slot, drawn once, shared by the flat blocks; at least one of them sends a message
  // before it (the flat matmul's P), which the check covers.
  const sharing = blocks.filter((b) => b.iopSpec?.(ctx).sharedChallenges?.includes('alpha'));
  assert.ok(sharing.length >= 3, `${sharing.length} blocks share α`);
  assert.equal(protocol.slots.filter((d) => d.name === 'alpha').length, 1);
  assert.equal(protocol.schedule.filter((s) => s.slots.includes('alpha')).length, 1);
  // A schedule that draws the shared α right after the statement (as the flat sum alone would) is refused by the
  // same check: the flat matmul's P would come after it.
  const early: Step[] = [protocol.schedule[0], { kind: 'challenge', slots: ['alpha'] }, ...protocol.schedule.slice(1).map((s) => ({ ...s, slots: s.slots.filter((x) => x !== 'alpha') })).filter((s) => s.slots.length > 0)];
  const caught = orderViolations(early, blocks, ctx);
  assert.ok(caught.length > 0 && caught.every((v) => v.startsWith('alpha ← ')), caught.join(', '));
  assert.ok(caught.some((v) => v.endsWith('|[p]')), 'the flat matmul\'s P');
  // And the shared tail: ρ after every message of the blocks' rounds, λ after every accumulator, ζ after the quotient,
  // v and γ after every evaluation, x after W.
  const memberMessages = blocks.flatMap((b, i) => {
    const steps = b.iopSpec ? b.iopSpec(ctx).rounds : b.protocol(ctx).schedule;
    return steps.filter((s) => s.kind === 'message').flatMap((s) => s.slots.map(argumentName(b, i, ctx)));
  });
  const tailMessages = (prefix: string) => protocol.slots.filter((d) => d.origin === 'message' && d.name.startsWith(prefix)).map((d) => d.name);
  const after = (challenge: string, messages: readonly string[]) => {
    assert.ok(messages.length > 0 && position.has(challenge), challenge);
    for (const n of messages) assert.ok(position.get(n)! < position.get(challenge)!, `${challenge} is drawn before ${n} is absorbed`);
  };
  after('rho', memberMessages);
  after('lambda', [...memberMessages, ...tailMessages('[Z]/sum/')]);
  after('zeta', [...memberMessages, ...tailMessages('[Z]/sum/'), ...tailMessages('[quotient')]);
  after('v', protocol.slots.filter((d) => d.origin === 'message' && d.name.includes('@')).map((d) => d.name));
  after('open/gamma', protocol.slots.filter((d) => d.origin === 'message' && d.name.includes('@')).map((d) => d.name));
  after('open/x', ['open/W']);
  assert.ok(position.get("open/W'")! > position.get('open/x')!, "W' after x");
});

/** The block with its spec's shared challenges withdrawn: in a model argument it draws its own α, as a custom block may. */
function ownChallenges(block: Block): Block {
  return Object.assign(Object.create(Object.getPrototypeOf(block)) as Block, block, {
    iopSpec: (c: BlockContext) => ({ ...block.iopSpec!(c), sharedChallenges: [] }),
  });
}

function accumulators(ctx: BlockContext, blocks: readonly Block[]): number {
  return modelArgumentProtocol(modelArgumentSpec('test-model', blocks, ctx), ctx).slots.filter((d) => d.origin === 'message' && d.name.startsWith('[Z]/sum/')).length;
}

test('model argument: the flat blocks share α, so row-weighted claims of one domain and row length share one running sum; with their own α they do not', async () => {
  const ctx = await context(64);
  const instances = honest();
  const blocks = instances.map((i) => i.block);
  // Two flat matmuls (M = 2, K = 4, N = 2: one claim on H_8 in rows of 4, C on H_4 read there through its subgroup), a
  // broadcast (M = 2, K = 4: rows of 4 on H_8, its input on H_2 read there too), a flat sum of a product (M = 2, K = 4:
  // its sums on H_2 read on H_8) and broadcast sums (M = 2, K = 4, both sides on H_8): five row-weighted claims, on one
  // (domain, row length) pair once α is shared.
  assert.equal(accumulators(ctx, blocks.map(ownChallenges)) - accumulators(ctx, blocks), 4);
  const mixed = blocks.map((b) => (b.kind === 'broadcast' ? ownChallenges(b) : b));
  assert.equal(accumulators(ctx, mixed) - accumulators(ctx, blocks), 1, 'a member with its own α keeps its own running sums');
  const shared = await proveArgument(ctx, instances);
  assert.deepEqual(await verifyArgument(ctx, shared.protocol, shared.statement, shared.messages), { ok: true });
  const own = await proveArgument(ctx, instances.map((i) => ({ block: ownChallenges(i.block), tensors: i.tensors })));
  assert.deepEqual(await verifyArgument(ctx, own.protocol, own.statement, own.messages), { ok: true });
  assert.equal(own.messages.length - shared.messages.length, 4 * 64, 'an accumulator and its value at ω·ζ each');
});

test('model argument: under the shared α and a merged running sum, one member\'s false claim beside another\'s true one is rejected', async () => {
  const honestCtx = await context(64);
  const cheatCtx: BlockContext = { ...honestCtx, allowInvalidWitness: true };
  const block = new BroadcastBlock({ rows: 2, rowLength: 4 });
  const ins = [[[3n, -2n]], [[7n, 5n]]];
  const pair = (k: number, cell: number, delta: bigint) =>
    ins.map((x, i) => {
      const { out } = block.witness({ in: x });
      const tensors: Tensors = { in: x, out: i === k ? [out[0].map((v, f) => (f === cell ? v + delta : v))] : out };
      return { block, tensors };
    });
  // Each broadcast claims one row-weighted sum on H_8 (rows of 4; its in on H_2 read there through the indicator of
  // H_2): one running sum for both.
  assert.equal(accumulators(honestCtx, [block, block]), 1);
  assert.equal(accumulators(honestCtx, [block, ownChallenges(block)]), 2);
  const ok = await proveArgument(honestCtx, pair(0, 0, 0n));
  assert.deepEqual(await verifyArgument(honestCtx, ok.protocol, ok.statement, ok.messages), { ok: true });
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 7 }), fc.bigInt({ min: 1n, max: 1n << 64n }), async (k, cell, delta) => {
      const p = await proveArgument(cheatCtx, pair(k, cell, delta));
      assert.equal((await verifyArgument(cheatCtx, p.protocol, p.statement, p.messages)).ok, false, `member ${k}, cell ${cell} + ${delta}`);
    }),
    { numRuns: 8 },
  );
});

test('model argument: a flat sum of a product and broadcast sums share α and one running sum; a false cell of either beside the other\'s true claim is rejected', async () => {
  const honestCtx = await context(64);
  const cheatCtx: BlockContext = { ...honestCtx, allowInvalidWitness: true };
  const product = new SumBlock({ rows: 2, length: 4, domain: 4, flat: true, product: true });
  const broadcast = new SumBlock({ rows: 2, length: 4, domain: 4, flat: true, broadcast: true });
  const x = [[3n, -2n, 5n, 1n, 7n, 0n, -4n, 2n]];
  const w = [[1n, 6n, -3n, 2n, -1n, 4n, 2n, 9n]];
  // s of the product (2 sums) and of the broadcast (8 cells); `k` picks the member whose s is off by delta at `cell`.
  const instances = (k: number, cell: number, delta: bigint) =>
    [
      { block: product, tensors: { x, w, ...product.witness({ x, w }) } as Tensors },
      { block: broadcast, tensors: { x, ...broadcast.witness({ x }) } as Tensors },
    ].map((inst, i) => (i === k ? { block: inst.block, tensors: { ...inst.tensors, s: [inst.tensors.s[0].map((v, f) => (f === cell % inst.tensors.s[0].length ? v + delta : v))] } } : inst));
  // Both claims are row-weighted on H_8 in rows of 4 once the product's sums on H_2 are read there: one accumulator.
  assert.equal(accumulators(honestCtx, [product, broadcast]), 1);
  const ok = await proveArgument(honestCtx, instances(0, 0, 0n));
  assert.deepEqual(await verifyArgument(honestCtx, ok.protocol, ok.statement, ok.messages), { ok: true });
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 7 }), fc.bigInt({ min: 1n, max: 1n << 64n }), async (k, cell, delta) => {
      const p = await proveArgument(cheatCtx, instances(k, cell, delta));
      assert.equal((await verifyArgument(cheatCtx, p.protocol, p.statement, p.messages)).ok, false, `member ${k}, cell ${cell} + ${delta}`);
    }),
    { numRuns: 8 },
  );
});

test('model argument: a shared challenge must be drawn in the one challenge step of the block that holds them all', async () => {
  const ctx = await context(64);
  const block = new BroadcastBlock({ rows: 2, rowLength: 4 });
  const sharing = (names: string[]): Block =>
    Object.assign(Object.create(Object.getPrototypeOf(block)) as Block, block, { iopSpec: () => ({ ...block.iopSpec(), sharedChallenges: names }) });
  assert.doesNotThrow(() => modelArgumentSpec('test-model', [block, sharing(['alpha', 'beta'])], ctx));
  for (const names of [['gamma'], ['[G]/rows']])
    assert.throws(
      () => modelArgumentSpec('test-model', [block, sharing(names)], ctx),
      (e: unknown) => e instanceof BlockfoldError && /shares ".*", which is not drawn in the one challenge step/.test(e.message),
    );
});

test('model argument: any changed message element is rejected', async () => {
  const ctx = await context(64);
  const { protocol, statement, messages } = await proveArgument(ctx, honest());
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: messages.length / 32 - 1 }), fc.integer({ min: 1, max: 255 }), async (e, mask) => {
      const bad = Uint8Array.from(messages);
      bad[32 * e + 31] ^= mask;
      assert.equal((await verifyArgument(ctx, protocol, statement, bad)).ok, false, `element ${e}`);
    }),
    { numRuns: 24 },
  );
});

test('model argument: one changed output cell of any block is rejected (prover checks bypassed)', async () => {
  const ctx: BlockContext = { ...(await context(64)), allowInvalidWitness: true };
  const base = honest();
  for (let b = 0; b < base.length; b++) {
    const outputs = base[b].block.tensors.filter((t) => t.role === 'output');
    for (const spec of outputs) {
      const instances = base.map((i, k) => {
        if (k !== b) return i;
        const rows = i.tensors[spec.name].map((r) => [...r]);
        rows[0][0] += 1n;
        return { block: i.block, tensors: { ...i.tensors, [spec.name]: rows } };
      });
      // The prover must make a proof (its checks are bypassed), so the rejection comes from the verifier.
      const { protocol, statement, messages } = await proveArgument(ctx, instances);
      const verdict = await verifyArgument(ctx, protocol, statement, messages);
      assert.equal(verdict.ok, false, `${base[b].block.foldKey}: changed "${spec.name}" accepted`);
    }
  }
});

test('model argument (rule 8): residuals of two blocks that cancel under unit weights are rejected', async () => {
  const ctx: BlockContext = { ...(await context(64)), allowInvalidWitness: true };
  const add = () => new LinearBlock({ operation: { op: 'add' }, rows: 1, domain: 4 });
  const inputs = { a: [[1n, 2n, 3n, 4n]], b: [[5n, 6n, 7n, 8n]] };
  const shifted = (delta: bigint) => ({ ...inputs, c: [[6n + delta, 8n, 10n, 12n]] });
  const hadamard = honest().find((i) => i.block.kind === 'hadamard')!;
  const instances = [{ block: add(), tensors: shifted(1n) }, { block: add(), tensors: shifted(-1n) }, hadamard];
  const { protocol, statement, messages } = await proveArgument(ctx, instances);
  // Control: with unit weights the two linear equations (residuals −[L_0] and +[L_0]) cancel in one pairing.
  const t = Transcript.create('model-argument-test');
  const leaf = await replayLeaf(protocol, t, ctx.engine, statement, new ByteReader(messages));
  const linear = protocol.equations.filter((e) => e.kind === 'pairing' && /^b[01]\|linear$/.test(e.name));
  assert.equal(linear.length, 2);
  const unit = linear.flatMap((eq) => pairingTerms(eq as PairingEquation, leaf.values, 1n));
  assert.equal(await pairingProductIsOne(ctx.engine, unit), true, 'unit weights accept the cancelling pair');
  assert.equal((await verifyArgument(ctx, protocol, statement, messages)).ok, false, 'transcript-derived weights reject it');
});

test('model argument: lookup cells share one helper per bundle; a cell outside the table is rejected, in any row', async () => {
  const honestCtx = await context(64);
  const cheatCtx: BlockContext = { ...honestCtx, allowInvalidWitness: true };
  const hadamard = honest().find((i) => i.block.kind === 'hadamard')!;
  const lookup = new LookupBlock(rangeTable(0n, 16n), [{ input: 'x', rows: 3, domain: 4, length: 3 }]);
  const rows = [[1n, 2n, 3n], [4n, 5n, 6n], [7n, 8n, 9n]];
  const spec = modelArgumentSpec('test-model', [lookup, hadamard.block], honestCtx);
  const helpers = spec.slots.filter((d) => /^b0\|H:/.test(d.name));
  assert.equal(helpers.length, 2, 'three row columns on one domain (one bundle) and the table column on its own');
  const ok = await proveArgument(honestCtx, [{ block: lookup, tensors: { x: rows } }, hadamard]);
  assert.deepEqual(await verifyArgument(honestCtx, ok.protocol, ok.statement, ok.messages), { ok: true });
  for (let r = 0; r < 3; r++) {
    const bad = rows.map((row, k) => (k === r ? [row[0], 16n, row[2]] : row));
    const p = await proveArgument(cheatCtx, [{ block: lookup, tensors: { x: bad } }, hadamard]);
    assert.equal((await verifyArgument(cheatCtx, p.protocol, p.statement, p.messages)).ok, false, `row ${r} holds 16, outside [0, 16)`);
  }
});

test('model argument: paired helpers on the largest domain fit an SRS of 2·(largest domain) + 7 powers, exactly', async () => {
  // A pair's identity has degree 3: its quotient needs 3·(16 + 2) − 16 + 1 = 39 powers with blinded oracles.
  const ctx = await context(2 * 16 + 7);
  const hadamard = honest().find((i) => i.block.kind === 'hadamard')!;
  const lookup = new LookupBlock(rangeTable(0n, 16n), [{ input: 'x', rows: 2, domain: 16, length: 16 }]);
  const bundles = (c: BlockContext) => lookup.iopSpec(c).identities.filter((id) => id.name.startsWith('logup/') && id.domain === 16).map((id) => id.name.split('+').length);
  assert.deepEqual(bundles(ctx), [2, 1], 'the two rows share one helper (the table, also on H_16, has its own)');
  assert.deepEqual(bundles(await context(2 * 16 + 6)), [1, 1, 1], 'one power fewer: each column alone');
  const x = [Array.from({ length: 16 }, (_, i) => BigInt(i)), Array.from({ length: 16 }, (_, i) => BigInt(15 - i))];
  const { protocol, statement, messages } = await proveArgument(ctx, [{ block: lookup, tensors: { x } }, hadamard]);
  assert.deepEqual(await verifyArgument(ctx, protocol, statement, messages), { ok: true });
});

test('model argument: oracles of statement slots that hold one commitment are opened once, and such slots must be equal', async () => {
  const ctx = await context(64);
  const rowOraclesOf = (b: Block) => {
    const spec = b.iopSpec?.(ctx);
    return spec ? spec.oracles.filter((o) => spec.statement.some((d) => d.name === o.commitment)) : [];
  };
  const one = honest().find((i) => rowOraclesOf(i.block).length > 0);
  assert.ok(one, 'a built-in block opens a row commitment');
  const statementOf = async (tensors: Tensors) => {
    const c: Record<string, G1Point[]> = {};
    for (const t of one.block.tensors) c[t.name] = await commitRows(ctx.kzg, tensors[t.name], t.domain);
    return one.block.statement(c);
  };
  // The same block twice, reading the same rows under the same slot names.
  const blocks = [one.block, one.block];
  const sameSlot = (_block: number, slot: string) => slot;
  const own = await statementOf(one.tensors);
  const statement = modelArgumentStatement([own, own], sameSlot);
  const prove = async (spec: ReturnType<typeof modelArgumentSpec>) => {
    const protocol = modelArgumentProtocol(spec, ctx);
    const { messages } = await proveLeaf(protocol, Transcript.create('model-argument-test'), ctx.engine, statement, modelArgumentProver(spec, blocks, ctx, [one.tensors, one.tensors]));
    return { protocol, messages };
  };
  const apart = modelArgumentSpec('test-model', blocks, ctx);
  const merged = modelArgumentSpec('test-model', blocks, ctx, sameSlot);
  const rows = rowOraclesOf(one.block);
  assert.equal(merged.oracles.length, apart.oracles.length - rows.length, 'the second block opens none of its rows');
  const a = await prove(apart);
  const m = await prove(merged);
  // Evaluations of the second block's rows: in the separate argument (those not linearized), none in the merged one.
  const evaluationsOf = (p: Protocol, prefix: string) =>
    p.slots.filter((d) => d.origin === 'message' && rows.some((o) => d.name === `${prefix}${o.name}@zeta` || d.name === `${prefix}${o.name}@wzeta`)).length;
  const second = evaluationsOf(a.protocol, memberPrefix(1));
  assert.ok(second > 0, 'the separate argument evaluates some row of the second block');
  assert.equal(evaluationsOf(m.protocol, memberPrefix(1)), 0, 'the merged argument evaluates none');
  assert.ok(m.messages.length < a.messages.length, 'merged rows are evaluated once');
  assert.deepEqual(await verifyArgument(ctx, m.protocol, statement, m.messages), { ok: true });
  for (const e of [0, Math.floor(m.messages.length / 64), m.messages.length / 32 - 1]) {
    const bad = Uint8Array.from(m.messages);
    bad[32 * e + 31] ^= 1;
    assert.equal((await verifyArgument(ctx, m.protocol, statement, bad)).ok, false, `element ${e}`);
  }
  // Slots named one commitment that hold different points are refused.
  const changed: Record<string, (readonly bigint[])[]> = {};
  for (const t of one.block.tensors) changed[t.name] = one.tensors[t.name].map((row) => row.map((v) => v + 1n));
  await assert.rejects(async () => modelArgumentStatement([own, await statementOf(changed)], sameSlot), BlockfoldError);
});

test('model argument: a naming whose answers change is asked again on every statement, so slots it names one commitment are compared', () => {
  const one = { x: G1_ONE };
  const other = { x: G1_ONE.double() };
  let named = false;
  const nameOf = (_block: number, slot: string) => (named ? slot : undefined);
  assert.deepEqual(Object.keys(modelArgumentStatement([one, other], nameOf)), ['b0|x', 'b1|x'], 'unnamed slots are not compared');
  named = true;
  assert.throws(() => modelArgumentStatement([one, other], nameOf), (e: unknown) => e instanceof BlockfoldError && /declared one commitment but differ/.test(e.message));
  assert.deepEqual(Object.keys(modelArgumentStatement([one, one], nameOf)), ['b0|x', 'b1|x'], 'equal points are accepted');
});

test('model argument: a naming by fixed tables names slots from copies of its tables, and its slots of one commitment are compared on every statement', () => {
  const table = new Map([['x', 'row/0']]);
  const nameOf = tableCommitmentNames([table, table]);
  table.set('x', 'row/1');
  assert.equal(nameOf(0, 'x'), 'row/0', 'a later change of the table is not seen');
  assert.equal(nameOf(2, 'x'), undefined, 'a block past the tables names nothing');
  const one = { x: G1_ONE };
  assert.deepEqual(Object.keys(modelArgumentStatement([one, one], nameOf)), ['b0|x', 'b1|x']);
  for (let k = 0; k < 2; k++) {
    assert.throws(() => modelArgumentStatement([one, { x: G1_ONE.double() }], nameOf), (e: unknown) => e instanceof BlockfoldError && /declared one commitment but differ/.test(e.message), `statement ${k}`);
  }
});

test('model argument: a block that lists one public polynomial twice joins as it does alone (publics deduplicated per member)', async () => {
  const ctx = await context(64);
  const instances = honest();
  const i = instances.findIndex((x) => (x.block.iopSpec?.(ctx).publics.length ?? 0) > 0);
  assert.ok(i >= 0, 'some built-in block has a public polynomial');
  const { block } = instances[i];
  const repeated: Block = Object.assign(Object.create(Object.getPrototypeOf(block)) as Block, block, {
    iopSpec: (c: BlockContext) => {
      const spec = block.iopSpec!(c);
      return { ...spec, publics: [...spec.publics, spec.publics[0]] };
    },
  });
  instances[i] = { block: repeated, tensors: instances[i].tensors };
  const { protocol, statement, messages } = await proveArgument(ctx, instances);
  assert.deepEqual(await verifyArgument(ctx, protocol, statement, messages), { ok: true });
});

test('model argument: sum claims of several blocks share one running sum per domain, reading one L_0 of the model; a different polynomial under its name is refused', async () => {
  const ctx = await context(64);
  const instances = honest();
  const blocks = instances.map((x) => x.block);
  const spec = modelArgumentSpec('test-model', blocks, ctx);
  const claims = spec.sums ?? [];
  const owners = new Map<number, Set<string>>();
  for (const c of claims) owners.set(c.domain, new Set([...(owners.get(c.domain) ?? []), c.name.slice(0, c.name.indexOf('|'))]));
  assert.ok([...owners.values()].some((o) => o.size > 1), 'claims of two blocks on one domain');
  const protocol = modelArgumentProtocol(spec, ctx);
  const accumulators = protocol.slots.filter((d) => d.origin === 'message' && d.name.startsWith('[Z]/sum/'));
  assert.ok(accumulators.length < claims.length, `${accumulators.length} running sums for ${claims.length} claims`);
  const lagrange = protocol.slots.filter((d) => /L\d+\/\d+@zeta$/.test(d.name)).map((d) => d.name);
  assert.ok(lagrange.length > 0 && lagrange.every((n) => !n.includes('|')), 'L_0 of each domain once, under its own name');
  assert.equal(new Set(lagrange).size, lagrange.length);
  const { statement, messages } = await proveArgument(ctx, instances);
  assert.deepEqual(await verifyArgument(ctx, protocol, statement, messages), { ok: true });

  // A custom block that declares a different polynomial under a shared name would change the running sums' identities.
  const [n] = [...owners.keys()];
  const { block } = instances.find((x) => x.block.iopSpec) !;
  const impostor: Block = Object.assign(Object.create(Object.getPrototypeOf(block)) as Block, block, {
    iopSpec: (c: BlockContext) => {
      const own = block.iopSpec!(c);
      const fake = { ...lagrangePoly(n, 0), values: (sl: SlotValues) => lagrangePoly(n, 0).values(sl).map((v) => v + 1n) };
      return { ...own, publics: [...own.publics, fake] };
    },
  });
  assert.throws(
    () => modelArgumentProtocol(modelArgumentSpec('test-model', [...blocks, impostor], ctx), ctx),
    (e: unknown) => e instanceof BlockfoldError && /declared twice with different definitions/.test(e.message),
  );
});

test("a member's view of the argument's values enumerates its own slots under its own names (Object.keys, a spread), never another member's", async () => {
  const ctx = await context(64);
  const seen: Record<string, unknown>[] = [];
  const spied = (block: MaxBlock): Block => {
    const spy = Object.create(block) as MaxBlock;
    spy.iopProver = (c, t) => {
      const p = block.iopProver(c, t);
      return { ...p, round: async (decls, values) => (seen.push({ ...values }), p.round(decls, values)) };
    };
    return spy;
  };
  const max = new MaxBlock({ candidates: 3, rows: 1, domain: 4, bits: 8 });
  const x = [[1n, 5n, 2n, 0n], [4n, 1n, 2n, 0n], [3n, 3n, 7n, 0n]];
  const tensors = { x, ...max.witness({ x }) };
  const instances = [{ block: spied(max), tensors }, { block: spied(max), tensors }];
  const { protocol, statement, messages } = await proveArgument(ctx, instances);
  assert.deepEqual(await verifyArgument(ctx, protocol, statement, messages), { ok: true });
  assert.equal(seen.length, 2, 'one message round per member');
  for (const [i, view] of seen.entries()) {
    const keys = Object.keys(view);
    assert.ok(keys.includes('x/0') && keys.includes('d/2') && keys.includes('rho'), `member ${i} sees its own slots: ${keys.join(' ')}`);
    assert.ok(keys.every((k) => !k.includes('|')), `member ${i} sees no argument name`);
    assert.ok((view['x/0'] as G1Point).equals(statement[`${memberPrefix(i)}x/0`] as G1Point));
    assert.notEqual(view.rho, undefined);
  }
  assert.notEqual(seen[0].rho, seen[1].rho, "each member's own challenge");
});
