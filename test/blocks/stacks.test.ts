/**
 * Stacks (`blocks/poly-iop.ts`, "Stacks"; `PolyIopSpec.stacks`): statement oracles committed as one
 * `C = Σ_j X^j·t_j(X^k)` and opened modulo `X^k − z` at their points. The tests: an honest proof with stacked rows
 * verifies (with places left empty too) and sends as many messages as the unstacked one; message bytes tampered
 * (fast-check), every value of a stack opened at ζ and at ω·ζ changed, a stack committed from other values, with its rows
 * in another order or over another place count, and a witness outside the table are rejected; every misuse of stacks and
 * uncommitted slots is refused by name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Transcript } from '../../src/transcript';
import type { SlotValues } from '../../src/equations/equation';
import type { G1Point } from '../../src/curve';
import { BlockfoldError } from '../../src/errors';
import { commitStack } from '../../src/kzg/stack';
import { proveLeaf } from '../../blocks/leaf';
import { commitRows, LookupBlock, rangeTable } from '../../blocks/index';
import { rowEvaluations } from '../../blocks/commit-rows';
import { modelArgumentProtocol, modelArgumentProver, modelArgumentSpec, modelArgumentStatement } from '../../blocks/model-argument';
import { oracleOpenings, rotatedAt, term, type OracleStack, type PolyIopSpec } from '../../blocks/poly-iop';
import { messageSlots, slotBytes } from '../../blocks/index';
import type { BlockContext, Tensors } from '../../blocks/block';
import { replayAndVerify } from '../helpers/replay-verify';
import { context } from '../soundness/helpers';

const LABEL = 'stacks';
const names = ['a', 'b', 'c'] as const;
const honest: Tensors = { a: [[1n, 2n, 3n]], b: [[4n, 5n, 6n]], c: [[7n, 8n, 9n]] };
const block = new LookupBlock(
  rangeTable(0n, 16n),
  names.map((input) => ({ input, rows: 1, domain: 4, length: 3 })),
);
const nameOf = (_: number, slot: string) => slot;
const escaped = (s: string) => s.replace(/[|[\]/]/g, '\\$&');

/** The merged spec's oracle and statement slot of each tensor's row (the lookup names its rows `<tensor>[<row>]`). */
function rowOracles(spec: PolyIopSpec): Map<string, { oracle: string; slot: string }> {
  const out = new Map<string, { oracle: string; slot: string }>();
  for (const o of spec.oracles) for (const t of names) if (o.commitment === `b0|${t}[0]`) out.set(t, { oracle: o.name, slot: o.commitment });
  return out;
}

/**
 * The lookup's argument, and with `rotated` one more identity reading that row's oracle at ω·ζ (`a(ωX) − a(ωX) = 0`,
 * which every row satisfies): the row is then opened at ζ and at ω·ζ.
 */
function plainSpec(ctx: BlockContext, rotated?: string): PolyIopSpec {
  const spec = modelArgumentSpec(LABEL, [block], ctx, nameOf);
  if (rotated === undefined) return spec;
  const oracle = rowOracles(spec).get(rotated)!.oracle;
  return { ...spec, identities: [...spec.identities, { name: 'rotated', domain: 4, terms: [term(1, rotatedAt(oracle, 1)), term(-1, rotatedAt(oracle, 1))] }] };
}

/** The spec with the rows of `stacked` (in that order) in one stack of `size` places (and `rotated` read at ω·ζ). */
async function stackedSpec(stacked: readonly string[], size = stacked.length, rotated?: string) {
  const ctx = await context();
  const plain = plainSpec(ctx, rotated);
  const rows = rowOracles(plain);
  const stack: OracleStack = { commitment: 'stack/0', oracles: stacked.map((t) => rows.get(t)!.oracle), size };
  return { ctx, plain, spec: { ...plain, stacks: [stack], uncommitted: stacked.map((t) => rows.get(t)!.slot) } satisfies PolyIopSpec };
}

/** The argument's statement: the unstacked rows' commitments and the stack's, committed from `values` in the stack's order. */
async function statementOf(ctx: BlockContext, spec: PolyIopSpec, stacked: readonly string[], size: number, values: Tensors = honest): Promise<SlotValues> {
  const commitments: Record<string, G1Point[]> = {};
  for (const t of block.tensors) commitments[t.name] = await commitRows(ctx.kzg, values[t.name], t.domain);
  const uncommitted = new Set(spec.uncommitted ?? []);
  const members = Array.from({ length: size }, (_, j) => ({ values: j < stacked.length ? rowEvaluations(values[stacked[j]][0], 4) : [0n, 0n, 0n, 0n], blinding: [] }));
  return { ...modelArgumentStatement([block.statement(commitments)], nameOf, uncommitted), 'stack/0': await commitStack(ctx.kzg, members) };
}

async function proveStacked(stacked: readonly string[], size = stacked.length, witness: Tensors = honest, rotated?: string) {
  const { ctx, spec } = await stackedSpec(stacked, size, rotated);
  const protocol = modelArgumentProtocol(spec, ctx);
  const statement = await statementOf(ctx, spec, stacked, size, witness);
  const proverCtx = witness === honest ? ctx : { ...ctx, allowInvalidWitness: true };
  const { messages } = await proveLeaf(protocol, Transcript.create(LABEL), ctx.engine, statement, modelArgumentProver(spec, [block], proverCtx, [witness]));
  return { ctx, spec, protocol, statement, messages };
}

async function accepted(p: Awaited<ReturnType<typeof proveStacked>>, statement = p.statement, messages = p.messages): Promise<boolean> {
  return (await replayAndVerify(p.protocol, LABEL, p.ctx.engine, statement, messages)).ok;
}

test('stacked rows: every row of the lookup is an evaluated oracle, the proof verifies, with as many messages as unstacked', async () => {
  const { plain } = await stackedSpec(['a']);
  const openings = oracleOpenings(plain);
  for (const { oracle } of rowOracles(plain).values()) assert.deepEqual(openings.get(oracle), { points: ['zeta'], linearized: false, derived: false });
  const three = await proveStacked(['a', 'b', 'c']);
  assert.ok(await accepted(three));
  // Places left empty hold zero, and a stack of some rows leaves the others committed alone.
  assert.ok(await accepted(await proveStacked(['c', 'a'], 4)));
  assert.ok(await accepted(await proveStacked(['b'], 2)));
  const ctx = await context();
  const unstackedProtocol = modelArgumentProtocol(plain, ctx);
  const count = (spec: { slots: readonly { origin: string }[] }) => spec.slots.filter((d) => d.origin === 'message').length;
  assert.equal(count(three.protocol), count(unstackedProtocol), 'the rows are evaluated either way: the same messages');
  const statementSlots = (p: { slots: readonly { name: string; origin: string }[] }) => p.slots.filter((d) => d.origin === 'statement').map((d) => d.name);
  assert.deepEqual(statementSlots(three.protocol).filter((s) => !statementSlots(unstackedProtocol).includes(s)), ['stack/0']);
  assert.equal(statementSlots(unstackedProtocol).length - statementSlots(three.protocol).length, 2, 'three rows, one stack');
});

test('bytes of a stacked proof tampered are rejected (fast-check)', async () => {
  const p = await proveStacked(['a', 'b', 'c'], 4);
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: p.messages.length - 1 }), fc.integer({ min: 1, max: 255 }), async (i, x) => {
      const bad = Uint8Array.from(p.messages);
      bad[i] ^= x;
      assert.equal(await accepted(p, p.statement, bad), false, `byte ${i}`);
    }),
    { numRuns: 40 },
  );
});

test('a stack opened at ζ and at ω·ζ: the proof verifies, and every value of its rows at either point changed is rejected', async () => {
  const p = await proveStacked(['a'], 2, honest, 'a');
  assert.ok(await accepted(p));
  const slots = messageSlots(p.protocol);
  const offsets = new Map<string, number>();
  slots.reduce((at, d) => (offsets.set(d.name, at), at + slotBytes(d.sort)), 0);
  const values = slots.filter((d) => /\|open:a\[0\]@(zeta|wzeta)$/.test(d.name)).map((d) => d.name);
  assert.equal(values.length, 2, `a(ζ) and a(ω·ζ) are sent: ${values.join(', ')}`);
  for (const slot of values) {
    const bad = Uint8Array.from(p.messages);
    bad[offsets.get(slot)! + 31] ^= 1;
    assert.equal(await accepted(p, p.statement, bad), false, slot);
  }
});

test('a stack committed from other values, with its rows reordered, over another place count or moved is rejected', async () => {
  const p = await proveStacked(['a', 'b', 'c']);
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...names), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 7 }), async (t, cell, delta) => {
      const changed: Tensors = { ...honest, [t]: [honest[t][0].map((v, i) => (i === cell ? v + BigInt(delta) : v))] };
      const statement = await statementOf(p.ctx, p.spec, ['a', 'b', 'c'], 3, changed);
      assert.equal(await accepted(p, statement), false, `${t}[${cell}] + ${delta}`);
    }),
    { numRuns: 12 },
  );
  assert.equal(await accepted(p, await statementOf(p.ctx, p.spec, ['b', 'a', 'c'], 3)), false, 'rows in another order');
  assert.equal(await accepted(p, await statementOf(p.ctx, p.spec, ['a', 'b', 'c'], 4)), false, 'four places for three');
  assert.equal(await accepted(p, { ...p.statement, 'stack/0': (p.statement['stack/0'] as G1Point).double() }), false, 'another point');
});

test('a stacked row outside the table: the prover commits it, and the verifier rejects', async () => {
  const outside: Tensors = { ...honest, b: [[4n, 99n, 6n]] };
  const p = await proveStacked(['a', 'b', 'c'], 3, outside);
  assert.equal(await accepted(p), false);
});

test('stacks and uncommitted slots that cannot be opened are refused, each by name', async () => {
  const ctx = await context();
  const { plain, spec } = await stackedSpec(['a', 'b']);
  const rows = rowOracles(plain);
  const [a, b, c] = names.map((t) => rows.get(t)!);
  const refused = (s: PolyIopSpec, pattern: RegExp) =>
    assert.throws(
      () => modelArgumentProtocol(s, ctx),
      (e: unknown) => e instanceof BlockfoldError && pattern.test(e.message),
      String(pattern),
    );
  const stack = (oracles: readonly string[], size = oracles.length, commitment = 'stack/0'): OracleStack => ({ commitment, oracles, size });
  refused({ ...spec, uncommitted: [...spec.uncommitted!, 'stack/9'] }, /uncommitted slot "stack\/9" is no G1 statement slot/);
  refused({ ...spec, stacks: [stack([a.oracle, b.oracle], 2, a.slot)] }, /is named as another slot or stack is/);
  refused({ ...spec, stacks: [stack([a.oracle]), stack([b.oracle])] }, /is named as another slot or stack is/);
  refused({ ...spec, stacks: [stack([a.oracle, b.oracle], 1)] }, /has 2 oracles in 1 places/);
  refused({ ...spec, stacks: [stack([])] }, /has 0 oracles in 0 places/);
  refused({ ...spec, stacks: [stack([a.oracle, 'nobody'])] }, /holds "nobody", which is no oracle/);
  refused({ ...spec, stacks: [stack([a.oracle, a.oracle])] }, /is in two stacks/);
  refused({ ...spec, stacks: [stack([a.oracle, b.oracle, c.oracle])] }, new RegExp(`whose commitment "${escaped(c.slot)}" is not uncommitted`));
  refused({ ...spec, stacks: [stack([a.oracle])] }, new RegExp(`opens "${escaped(b.slot)}", which holds no commitment, and is not in a stack`));
  const message = plain.oracles.find((o) => plain.slots.some((d) => d.name === o.commitment && d.origin === 'message'));
  if (message) refused({ ...spec, stacks: [stack([a.oracle, b.oracle, message.name])] }, /whose commitment is not a statement slot of its own/);
  refused({ ...spec, equations: (kzg) => [...(spec.equations?.(kzg) ?? []), { kind: 'pairing', name: 'reads-a', terms: [{ coeff: 1n, scalars: [], g1: a.slot, g2: kzg.g2One }] }] }, /equation "reads-a" reads ".*", which holds no commitment/);
  refused({ ...spec, identities: [], oracles: [], sums: [], vanishingClaims: [] }, /in a spec with no identity, which opens nothing/);
  // A stack whose rows are opened at different points (a at ζ and ω·ζ, b at ζ only): its values at ω·ζ are not all sent.
  const rotated = plainSpec(ctx, 'a');
  refused({ ...rotated, stacks: [stack([a.oracle, b.oracle])], uncommitted: [a.slot, b.slot] }, /a stack's oracles share their points/);
  // A vanishing claim reading an uncommitted slot.
  const claim = { name: 'reads-a', point: 'b0|beta', terms: [{ coeff: 1n, scalars: [], commitment: a.slot }] };
  refused({ ...spec, vanishingClaims: [...(spec.vanishingClaims ?? []), claim] }, /vanishing claim "reads-a" reads ".*", which holds no commitment/);
});
