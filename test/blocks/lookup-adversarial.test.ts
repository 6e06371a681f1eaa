/**
 * Adversarial tests of the lookup block (docs/soundness.md rules 1, 3, 4): cheating provers that our verifier rejects.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Fr, frSlot, getDefaultEngine, type G1Point, type SlotValues } from '../../src/index';
import { commitRows, proveBlock, verifyBlock, type Block, type BlockContext, type MessageSource, type Protocol, type Tensors } from '../../blocks/index';
import { LookupBlock, lookupProver } from '../../blocks/lookup';
import { RescaleBlock } from '../../blocks/rescale';
import { makeTable, rangeTable, tableDomain } from '../../blocks/tables';
import { testKzgKey } from '../helpers/kzg';

async function context(): Promise<BlockContext> {
  const engine = getDefaultEngine();
  return { engine, kzg: await testKzgKey(32, engine) };
}

async function statementOf(block: Block, ctx: BlockContext, tensors: Tensors): Promise<SlotValues> {
  const c: Record<string, G1Point[]> = {};
  for (const t of block.tensors) c[t.name] = await commitRows(ctx.kzg, tensors[t.name], t.domain);
  return block.statement(c);
}

async function provesAndVerifies(block: Block, ctx: BlockContext, protocol: Protocol, tensors: Tensors, prover: MessageSource): Promise<boolean> {
  const statement = await statementOf(block, ctx, tensors);
  const wrapped: Block = { ...block, foldKey: block.foldKey, tensors: block.tensors, witness: (i) => block.witness(i), protocol: () => protocol, statement: (c) => block.statement(c), prover: () => prover };
  const bytes = await proveBlock(wrapped, ctx, protocol, statement, tensors);
  return (await verifyBlock(ctx, protocol, statement, bytes)).ok;
}

const table = rangeTable(0n, 16n);
const source = { input: 'x', rows: 1, domain: 8, length: 4 };
const bad: Tensors = { x: [[3n, 20n, 5n, 5n]] }; // 20 is not in [0, 16)

/**
 * Multiplicities that make the logUp sums cancel for `bad` at a given β: the honest counts, plus
 * `(β − T_0)·Σ_{bad cells} 1/(β − f)` on entry 0 (T_0 = 0). Only a prover that knows β before committing m can do this.
 */
function forgedMultiplicities(block: LookupBlock, beta: bigint): bigint[] {
  const m = block.multiplicities(bad).map((c) => Fr.create(c));
  m[0] = Fr.add(m[0], Fr.mul(beta, Fr.inv(Fr.sub(beta, 20n))));
  return m;
}

test('rule 1: multiplicities chosen after β are accepted only by a verifier that draws β first; ours rejects', async () => {
  const ctx: BlockContext = { ...(await context()), allowInvalidWitness: true };
  const block = new LookupBlock(table, [source]);
  const ours = block.protocol(ctx);
  // The cheater picks m from β when the transcript gives it β first, and otherwise has to guess β.
  const cheat = () => lookupProver(block, ctx, bad, (v) => forgedMultiplicities(block, 'beta' in v ? frSlot(v, 'beta') : 123456789n));

  // A broken schedule (β drawn before the multiplicities are absorbed) accepts the forgery: the attack is real.
  const steps = [...ours.schedule];
  const mStep = steps.findIndex((s) => s.kind === 'message' && s.slots.includes('M'));
  const betaStep = steps.findIndex((s) => s.kind === 'challenge' && s.slots.includes('beta'));
  const [m] = steps.splice(mStep, 1);
  steps.splice(betaStep, 0, m);
  const broken: Protocol = { ...ours, schedule: steps };
  assert.equal(await provesAndVerifies(block, ctx, broken, bad, cheat()), true, 'the forgery must work against β-before-m');

  // Our schedule commits m before β: the forgery fails.
  assert.equal(await provesAndVerifies(block, ctx, ours, bad, cheat()), false);
});

test('rule 3: a prover claiming a wrong sum S (so that the totals cancel) is rejected', async () => {
  const ctx: BlockContext = { ...(await context()), allowInvalidWitness: true };
  const block = new LookupBlock(table, [source]);
  const protocol = block.protocol(ctx);
  const honest = block.prover(ctx, bad);
  const N = tableDomain(table);
  // The cells' running sum claims S = −S_table instead of its true total; everything else is the honest prover's.
  const lying: MessageSource = async (decls, v) => {
    const out = { ...(await honest(decls, v)) } as Record<string, bigint | G1Point>;
    if (`S:${N}` in out) out['S:8'] = Fr.neg(out[`S:${N}`] as bigint);
    return out;
  };
  assert.equal(await provesAndVerifies(block, ctx, protocol, bad, lying), false);
});

test('rule 4: a prover using another table (its own table polynomial) is rejected', async () => {
  const ctx: BlockContext = { ...(await context()), allowInvalidWitness: true };
  const entries = Array.from({ length: 16 }, (_, i) => BigInt(i === 15 ? 20 : i));
  const other = new LookupBlock(makeTable('range[0,16)', entries), [source]);
  const block = new LookupBlock(table, [source]);
  const protocol = block.protocol(ctx);
  // The other table contains 20: its proof is honest for it, and has the same layout as ours.
  assert.equal(await provesAndVerifies(other, ctx, other.protocol(ctx), bad, other.prover(ctx, bad)), true);
  assert.equal(await provesAndVerifies(block, ctx, protocol, bad, other.prover(ctx, bad)), false);
});

test('swapping two row commitments of the statement is rejected', async () => {
  const ctx = await context();
  const block = new LookupBlock(table, [{ ...source, rows: 2 }]);
  const tensors: Tensors = { x: [[1n, 2n, 3n, 4n], [5n, 6n, 7n, 8n]] };
  const protocol = block.protocol(ctx);
  const statement = await statementOf(block, ctx, tensors);
  const bytes = await proveBlock(block, ctx, protocol, statement, tensors);
  assert.equal((await verifyBlock(ctx, protocol, statement, bytes)).ok, true);
  const swapped = { ...statement, 'x[0]': statement['x[1]'], 'x[1]': statement['x[0]'] };
  assert.equal((await verifyBlock(ctx, protocol, swapped, bytes)).ok, false);
});

test('a rescale with a shifted remainder passes the linear check but fails the range lookup', async () => {
  const ctx = await context();
  const rescale = new RescaleBlock({ input: 'x', output: 'y', remainder: 'r', rows: 1, domain: 4, length: 4, shift: 3, outputBits: 8 });
  const honest: Tensors = { x: [[20n, -3n, 7n, 0n]], ...rescale.witness({ x: [[20n, -3n, 7n, 0n]] }) };
  const forged: Tensors = { ...honest, y: [[honest.y[0][0] - 1n, ...honest.y[0].slice(1)]], r: [[honest.r[0][0] + 8n, ...honest.r[0].slice(1)]] };
  const p = rescale.protocol(ctx);
  const st = await statementOf(rescale, ctx, forged);
  assert.equal((await verifyBlock(ctx, p, st, await proveBlock(rescale, ctx, p, st, forged))).ok, true, 'the linear relation alone holds');
  const [rRange] = rescale.rangeObligations();
  const lookup = new LookupBlock(rangeTable(rRange.lo, rRange.hi + 1n), [{ input: rRange.tensor, rows: 1, domain: 4, length: 4 }]);
  assert.throws(() => lookup.prover(ctx, forged), /not an entry/);
  const cheatCtx = { ...ctx, allowInvalidWitness: true };
  assert.equal(await provesAndVerifies(lookup, cheatCtx, lookup.protocol(cheatCtx), forged, lookup.prover(cheatCtx, forged)), false);
});

test('random small two-column tables: lookups of entries verify, one foreign pair is rejected', async () => {
  const ctx = await context();
  await fc.assert(
    fc.asyncProperty(
      fc.uniqueArray(fc.bigInt({ min: -50n, max: 50n }), { minLength: 1, maxLength: 12 }),
      fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
      fc.nat(),
      async (xs, picks, where) => {
        const t = makeTable('random', xs, xs.map((x) => x * x - 3n));
        const s = { input: 'a', output: 'b', rows: 1, domain: 4, length: picks.length };
        const block = new LookupBlock(t, [s]);
        const a = [picks.map((p) => xs[p % xs.length])];
        const tensors: Tensors = { a, ...block.witness({ a }) };
        const protocol = block.protocol(ctx);
        assert.equal(await provesAndVerifies(block, ctx, protocol, tensors, block.prover(ctx, tensors)), true);
        const b = tensors.b.map((row) => row.slice());
        b[0][where % picks.length] += 1n;
        const cheat: Tensors = { ...tensors, b };
        const cheatCtx = { ...ctx, allowInvalidWitness: true };
        assert.equal(await provesAndVerifies(block, cheatCtx, protocol, cheat, block.prover(cheatCtx, cheat)), false);
      },
    ),
    { numRuns: 3, seed: 7 },
  );
});
