/**
 * docs/soundness.md rule 2: no prover-chosen group element enters an equation unless its role is pinned.
 *
 * - Control: the square protocol with a free "correction" G1 message added to its opening equation (the
 *   ZKTorch break, here paired with [1]₂): its equations accept a wrong output, the correction cancelling whatever the
 *   openings miss. The engine refuses to run that protocol (`validateProtocol`, which the schedule runner applies).
 * - Ours: the same protocol without the free slot rejects the same forged messages.
 * - Role analysis of every built-in block (`messageRoles`, `checkDerivedRoles`, `blocks/message-roles.ts`): each
 *   prover G1 message is either a KZG opening proof or a commitment that is opened — directly, weighted in one of its
 *   openings by a challenge (or a function of one, e.g. a power of v) drawn after it, or through a verifier-derived
 *   batched commitment (logUp blocks) that changes when it changes. No G1 message of a built-in block is in a pairing
 *   equation that is not an opening (the analysis leaves those unjudged), and no built-in block has a G2 slot.
 * - The analysis flags each way a message can be free: unweighted in an opening, a malformed opening proof, in no
 *   equation with nothing derived after it, and read by no opened derived commitment (the last on an instance).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Fr, G1, G1_ONE, EvaluationDomain, commit, g1Slot, type G1Point, type SlotValue, type SlotValues } from '../../src/index';
import {
  checkDerivedRoles,
  commitRows,
  messageRoles,
  modelArgumentProtocol,
  modelArgumentSpec,
  proveLeaf,
  validateProtocol,
  verifyInstances,
  type BlockContext,
  type DerivedStep,
  type MessageSource,
  type Protocol,
  type Step,
} from '../../blocks/index';
import { Transcript } from '../../src/transcript';
import { builtinBlocks, context, proveAndVerify, squareProtocol } from './helpers';

const N = 8;
const xs = [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n];
const wrongY = xs.map((x, i) => x * x + (i === 0 ? 5n : 0n));

/** Forged messages: evaluations that satisfy the field equation, π = 0, and (when present) the correction term. */
function forger(withCorrection: boolean): MessageSource {
  return (decls, v): SlotValues => {
    const first = decls[0].name;
    if (first === 'T') return { T: G1_ONE };
    if (first === 'x') return { x: 1n, y: 1n, t: 0n };
    const cs = ['X', 'Y', 'T'].map((s) => v[s] as G1Point);
    const ws = ['v0', 'v1', 'v2'].map((s) => v[s] as bigint);
    const ys = ['x', 'y', 't'].map((s) => v[s] as bigint);
    // corr = Σ v_i·y_i·[1]₁ − Σ v_i·C_i, so Σ v_i·(C_i − y_i·[1]₁) + corr = 0 and π = 0 closes the equation.
    let corr = G1_ONE.multiplyUnsafe(ws.reduce((a, w, i) => Fr.add(a, Fr.mul(w, ys[i])), 0n));
    cs.forEach((c, i) => (corr = corr.subtract(c.multiplyUnsafe(ws[i]))));
    return withCorrection ? { pi: G1.ZERO, corr } : { pi: G1.ZERO };
  };
}

/**
 * The naive protocol's slots computed by hand with the forger (the engine refuses to run the protocol): challenges from
 * a transcript, the derived Z_H(ζ). The forger computes the correction after every challenge, so the equations hold
 * whatever the challenges are.
 */
async function forgedInstance(ctx: BlockContext, naive: Protocol, statement: SlotValues): Promise<SlotValues> {
  const t = Transcript.create('rule-2/control');
  const values: Record<string, SlotValue> = { ...statement };
  const decl = new Map(naive.slots.map((d) => [d.name, d]));
  for (const step of naive.schedule) {
    if (step.kind === 'challenge') for (const slot of step.slots) values[slot] = t.challengeFr(slot);
    if (step.kind === 'derived') Object.assign(values, await step.compute(values, ctx.engine));
    if (step.kind === 'message') Object.assign(values, await forger(true)(step.slots.map((n) => decl.get(n)!), values));
  }
  return values;
}

test('rule 2: a free correction G1 message makes a wrong square verify, and the engine refuses it; without it the forgery is rejected', async () => {
  const ctx = await context(32);
  const domain = new EvaluationDomain(N, ctx.engine);
  const statement = { X: await commit(ctx.kzg, domain.ifft(xs)), Y: await commit(ctx.kzg, domain.ifft(wrongY)) };
  const naive = squareProtocol(ctx, N, { correction: true });
  const values = await forgedInstance(ctx, naive, statement);
  assert.deepEqual(await verifyInstances(ctx.engine, [{ protocol: naive, values }], Transcript.create('rule-2')), { ok: true }, 'the attack is real');
  const refused = { name: 'MessageRoleError', block: naive.foldKey, slot: 'corr' };
  assert.throws(() => validateProtocol(naive), refused);
  await assert.rejects(proveAndVerify(ctx, naive, statement, forger(true)), refused, 'the schedule runner validates the protocol');
  const ours = squareProtocol(ctx, N);
  assert.equal((await proveAndVerify(ctx, ours, statement, forger(false))).ok, false);
});

test('rule 2: every G1 message of every built-in block, alone and in one argument, is an opening proof or an opened commitment', async () => {
  const ctx = await context(64);
  let derivedPath = 0;
  for (const { block, inputs } of builtinBlocks()) {
    const p = block.protocol(ctx);
    assert.ok(!p.slots.some((s) => s.sort === 'g2'), `${p.foldKey}: no G2 slots in built-in blocks`);
    const roles = messageRoles(p);
    assert.equal(roles.size, p.slots.filter((s) => s.sort === 'g1' && s.origin === 'message').length);
    for (const [slot, role] of roles) assert.notEqual(role.kind, 'unjudged', `${p.foldKey}: message ${slot} in a pairing equation that is not an opening`);
    const tensors = { ...inputs, ...block.witness(inputs) };
    const c: Record<string, G1Point[]> = {};
    for (const t of block.tensors) c[t.name] = await commitRows(ctx.kzg, tensors[t.name], t.domain);
    const { instance } = await proveLeaf(p, Transcript.create('rule-2').fork('leaf'), ctx.engine, block.statement(c), block.prover(ctx, tensors));
    await checkDerivedRoles(p, instance.values, ctx.engine);
    if ([...roles.values()].some((r) => r.kind === 'derived')) derivedPath++;
  }
  assert.ok(derivedPath >= 3, 'the derived-commitment path (logUp blocks) was exercised');
  const argument = modelArgumentProtocol(modelArgumentSpec('rule-2', builtinBlocks().map((b) => b.block), ctx), ctx);
  for (const [slot, role] of messageRoles(argument)) assert.ok(role.kind === 'proof' || role.kind === 'opened', `model argument: ${slot} is ${role.kind}`);
});

/**
 * The square protocol with a G1 message E sent beside T. With `derived`, the opening opens B in X's place, B derived
 * after E as `X + E` (`reads`) or as X alone (`ignores`); without, nothing reads E.
 */
function withExtraMessage(ctx: BlockContext, derived?: 'reads' | 'ignores'): Protocol {
  const base = squareProtocol(ctx, N);
  const b: DerivedStep = { kind: 'derived', slots: ['B'], compute: (v) => ({ B: derived === 'reads' ? g1Slot(v, 'X').add(g1Slot(v, 'E')) : g1Slot(v, 'X') }) };
  return {
    ...base,
    foldKey: `${base.foldKey}/extra/${derived ?? 'unread'}`,
    slots: [...base.slots, { name: 'E', sort: 'g1', origin: 'message' }, ...(derived ? [{ name: 'B', sort: 'g1', origin: 'derived' } as const] : [])],
    schedule: base.schedule.flatMap((step): Step[] => (step.kind === 'message' && step.slots[0] === 'T' ? [{ kind: 'message', slots: ['T', 'E'] }, ...(derived ? [b] : [])] : [step])),
    equations: derived ? base.equations.map((eq) => (eq.kind === 'pairing' ? { ...eq, terms: eq.terms.map((m) => (m.g1 === 'X' ? { ...m, g1: 'B' } : m)) } : eq)) : base.equations,
  };
}

test('rule 2: the role analysis flags every free G1 message, and accepts one an opened derived commitment reads', async () => {
  const ctx = await context(32);
  const naive = squareProtocol(ctx, N, { correction: true });
  assert.throws(() => messageRoles(naive), { name: 'MessageRoleError', block: naive.foldKey, slot: 'corr', message: /weighted by no challenge drawn after it/ });
  const ours = squareProtocol(ctx, N);
  assert.deepEqual(messageRoles(ours).get('T'), { kind: 'opened', equation: 'open', weight: 'v2' });
  assert.deepEqual(messageRoles(ours).get('pi'), { kind: 'proof', equation: 'open' });
  // A weight pins a message only when it is one challenge drawn after it, or a derived slot of the step right after one.
  const reweighted = (p: Protocol, slot: string, scalars: readonly string[]): Protocol => ({
    ...p,
    equations: p.equations.map((eq) => (eq.kind === 'pairing' ? { ...eq, terms: eq.terms.map((m) => (m.g1 === slot ? { ...m, scalars } : m)) } : eq)),
  });
  for (const drawnBefore of [['v0'], ['zh']]) assert.throws(() => messageRoles(reweighted(naive, 'corr', drawnBefore)), { slot: 'corr' }, `corr weighted by ${drawnBefore}, drawn before it`);
  assert.throws(() => messageRoles(reweighted(ours, 'T', ['v2', 'x'])), { slot: 'T' }, 'a weight of two slots');
  assert.deepEqual(messageRoles(reweighted(ours, 'T', ['zh'])).get('T'), { kind: 'opened', equation: 'open', weight: 'zh' }, 'Z_H(ζ), derived right after ζ, drawn after T');
  const late: Protocol = {
    ...reweighted(ours, 'T', ['w']),
    slots: [...ours.slots, { name: 'w', sort: 'fr', origin: 'derived' }],
    schedule: ours.schedule.flatMap((step): Step[] => (step.kind === 'message' && step.slots[0] === 'x' ? [step, { kind: 'derived', slots: ['w'], compute: (v) => ({ w: v.zeta }) }] : [step])),
  };
  validateProtocol(reweighted(late, 'T', ['v2']));
  assert.throws(() => messageRoles(late), { slot: 'T' }, 'a derived weight after a message step is no function of a challenge by position');
  // π without its ζ·e(π, [1]₂) term is no KZG opening proof.
  const withoutPoint = { ...ours, equations: ours.equations.map((eq) => (eq.kind === 'pairing' ? { ...eq, terms: eq.terms.filter((m) => !(m.g1 === 'pi' && m.scalars.length === 1)) } : eq)) };
  assert.throws(() => messageRoles(withoutPoint), { name: 'MessageRoleError', slot: 'pi', message: /not as a KZG opening proof/ });
  assert.throws(() => validateProtocol(withExtraMessage(ctx)), { name: 'MessageRoleError', slot: 'E', message: /in no equation and no opened commitment is derived after it/ });

  // E in no equation, an opened B derived after it: the protocol alone cannot tell whether B reads E; an instance can.
  for (const derived of ['reads', 'ignores'] as const) {
    const p = withExtraMessage(ctx, derived);
    validateProtocol(p);
    assert.deepEqual(messageRoles(p).get('E'), { kind: 'derived', opened: ['B'] });
    const X = G1_ONE.multiplyUnsafe(3n);
    const E = G1_ONE.multiplyUnsafe(5n);
    const values = { X, E, B: derived === 'reads' ? X.add(E) : X, zeta: 7n };
    if (derived === 'reads') await checkDerivedRoles(p, values, ctx.engine);
    else await assert.rejects(checkDerivedRoles(p, values, ctx.engine), { name: 'MessageRoleError', slot: 'E', message: /reaches no opened commitment/ });
  }
});
