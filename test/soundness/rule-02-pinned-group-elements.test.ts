/**
 * docs/soundness.md rule 2: no prover-chosen group element enters an equation unless its role is pinned.
 *
 * - Control: the square protocol with a free "correction" G1 message added to its opening equation (the
 *   ZKTorch break, here paired with [1]₂) accepts a wrong output: the correction cancels whatever the openings miss.
 * - Ours: the same protocol without the free slot rejects the same forged messages.
 * - Role analysis of every built-in block: each prover G1 message is either a KZG opening proof (paired exactly with
 *   `ζ·[1]₂` and `−[τ]₂` in one opening equation) or a commitment that is opened — directly, weighted in one of its
 *   openings by a challenge (or a function of one, e.g. a power of v) drawn after it, or through a verifier-derived batched commitment (logUp blocks) that changes when it
 *   changes. No G1 message appears in any other monomial. Note: the engine's `validateProtocol` does not perform this
 *   analysis (a custom block can declare a free slot, as the control shows); the analysis here is what pins the built-in
 *   blocks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Fr, G1, G1_ONE, EvaluationDomain, commit, type G1Point, type SlotValues, type SlotValue, type PairingEquation, type PairingMonomial } from '../../src/index';
import { commitRows, proveLeaf, validateProtocol, type MessageSource, type Protocol } from '../../blocks/index';
import { Transcript } from '../../src/transcript';
import { KZG_POINT_KEYS } from '../../src/kzg/key';
import type { Engine } from '../../src/engine/engine';
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

test('rule 2: a free correction G1 message makes a wrong square verify; without it the forgery is rejected', async () => {
  const ctx = await context(32);
  const domain = new EvaluationDomain(N, ctx.engine);
  const statement = { X: await commit(ctx.kzg, domain.ifft(xs)), Y: await commit(ctx.kzg, domain.ifft(wrongY)) };
  const naive = squareProtocol(ctx, N, { correction: true });
  validateProtocol(naive); // the engine's validation alone does not see the free slot
  assert.deepEqual(await proveAndVerify(ctx, naive, statement, forger(true)), { ok: true }, 'the attack is real');
  const ours = squareProtocol(ctx, N);
  assert.equal((await proveAndVerify(ctx, ours, statement, forger(false))).ok, false);
});

const isTau = (m: PairingMonomial) => typeof m.g2 !== 'string' && m.g2.key === KZG_POINT_KEYS.g2Tau;
const isOne2 = (m: PairingMonomial) => typeof m.g2 !== 'string' && m.g2.key === KZG_POINT_KEYS.g2One;

/** The opening equations of a protocol: proof slot, point slot, and the G1 slots opened with their weights. */
function openings(p: Protocol): { eq: PairingEquation; proof: string; point: string; opened: Map<string, readonly string[]> }[] {
  const out = [];
  for (const eq of p.equations) {
    if (eq.kind !== 'pairing') continue;
    const tau = eq.terms.filter(isTau);
    if (tau.length !== 1 || typeof tau[0].g1 !== 'string' || tau[0].scalars.length !== 0) continue;
    const proof = tau[0].g1;
    const withPoint = eq.terms.filter((m) => m.g1 === proof && !isTau(m));
    assert.equal(withPoint.length, 1, `${p.foldKey}/${eq.name}: the proof ${proof} appears in exactly ζ·e(π,[1]₂) and −e(π,[τ]₂)`);
    assert.ok(isOne2(withPoint[0]) && withPoint[0].scalars.length === 1 && withPoint[0].coeff === 1n && tau[0].coeff === Fr.neg(1n));
    const opened = new Map<string, readonly string[]>();
    for (const m of eq.terms) if (typeof m.g1 === 'string' && m.g1 !== proof) opened.set(m.g1, m.scalars);
    out.push({ eq, proof, point: withPoint[0].scalars[0], opened });
  }
  return out;
}

/** Asserts the role of every G1 message of `p` (see the module comment), following messages through derived steps on `values`. */
async function checkRoles(p: Protocol, values: SlotValues, engine: Engine): Promise<void> {
  const decl = new Map(p.slots.map((s) => [s.name, s]));
  const stepOf = (name: string) => p.schedule.findIndex((s) => s.slots.includes(name));
  const opens = openings(p);
  const proofs = new Set(opens.map((o) => o.proof));
  // A commitment may be opened more than once (a shifted oracle at ζ and at ω·ζ): it is pinned when one of its
  // weights is one challenge drawn after it.
  const openedRoles = new Map<string, (readonly string[])[]>();
  for (const o of opens) for (const [g, w] of o.opened) openedRoles.set(g, [...(openedRoles.get(g) ?? []), w]);
  // Pairing equations that are not openings (linear checks) mention no message slot.
  for (const eq of p.equations) {
    if (eq.kind !== 'pairing' || opens.some((o) => o.eq === eq)) continue;
    for (const m of eq.terms) {
      if (typeof m.g1 === 'string') assert.notEqual(decl.get(m.g1)!.origin, 'message', `${p.foldKey}/${eq.name}: message ${m.g1} in a non-opening equation`);
      assert.equal(typeof m.g2, 'object', `${p.foldKey}: no G2 slots in built-in blocks`);
    }
  }
  const g1Messages = p.slots.filter((s) => s.sort === 'g1' && s.origin === 'message').map((s) => s.name);
  const direct = new Set(p.equations.flatMap((eq) => (eq.kind === 'pairing' ? eq.terms.map((m) => m.g1).filter((g): g is string => typeof g === 'string') : [])));
  for (const m of g1Messages) {
    if (proofs.has(m)) continue;
    if (direct.has(m)) {
      const roles = openedRoles.get(m);
      assert.ok(roles, `${p.foldKey}: message ${m} appears in an equation but is not opened`);
      // Its weight is one challenge, or a function of one (a derived slot of the step right after the challenge step
      // that draws it: a power, or a linearized coefficient), drawn after the message.
      const pinned = (weights: readonly string[]) => {
        if (weights.length !== 1) return false;
        const origin = decl.get(weights[0])!.origin;
        const drawn = origin === 'derived' ? stepOf(weights[0]) - 1 : stepOf(weights[0]);
        return (origin === 'challenge' || (origin === 'derived' && p.schedule[drawn]?.kind === 'challenge')) && drawn > stepOf(m);
      };
      assert.ok(roles.some(pinned), `${p.foldKey}: ${m} is opened weighted by one challenge (or a function of one) drawn after it`);
      continue;
    }
    // Not in any equation directly: it must feed a derived commitment that is opened.
    const changed = await derivedAfterPerturbing(p, values, m, engine);
    assert.ok(changed.some((d) => openedRoles.has(d)), `${p.foldKey}: message ${m} reaches no opened commitment (free group element)`);
  }
}

test('rule 2: every G1 message of every built-in block is an opening proof or an opened commitment', async () => {
  const ctx = await context(64);
  let logupBlocks = 0;
  for (const { block, inputs } of builtinBlocks()) {
    const p = block.protocol(ctx);
    const tensors = { ...inputs, ...block.witness(inputs) };
    const c: Record<string, G1Point[]> = {};
    for (const t of block.tensors) c[t.name] = await commitRows(ctx.kzg, tensors[t.name], t.domain);
    const { instance } = await proveLeaf(p, Transcript.create('rule-2').fork('leaf'), ctx.engine, block.statement(c), block.prover(ctx, tensors));
    await checkRoles(p, instance.values, ctx.engine);
    if (p.slots.some((s) => s.name.startsWith('H:'))) logupBlocks++;
  }
  assert.ok(logupBlocks >= 3, 'the derived-commitment path (logUp blocks) was exercised');
});

test('rule 2: the role analysis flags the free correction slot of the naive protocol', async () => {
  const ctx = await context(32);
  const domain = new EvaluationDomain(N, ctx.engine);
  const statement = { X: await commit(ctx.kzg, domain.ifft(xs)), Y: await commit(ctx.kzg, domain.ifft(wrongY)) };
  const naive = squareProtocol(ctx, N, { correction: true });
  const { instance } = await proveLeaf(naive, Transcript.create('rule-2').fork('leaf'), ctx.engine, statement, forger(true));
  await assert.rejects(checkRoles(naive, instance.values, ctx.engine), /corr/);
  await checkRoles(squareProtocol(ctx, N), { ...instance.values }, ctx.engine);
});

/** Re-runs the derived steps after `slot`'s step with `slot` shifted by [1]₁ (challenges fixed); returns the derived G1 slots that change. */
async function derivedAfterPerturbing(p: Protocol, values: SlotValues, slot: string, engine: Engine): Promise<string[]> {
  const start = p.schedule.findIndex((s) => s.slots.includes(slot));
  const v: Record<string, SlotValue> = { ...values, [slot]: (values[slot] as G1Point).add(G1_ONE) };
  const changed: string[] = [];
  for (const step of p.schedule.slice(start + 1)) {
    if (step.kind !== 'derived') continue;
    const out = await step.compute(v, engine);
    for (const name of step.slots) {
      const before = values[name];
      const after = out[name];
      v[name] = after;
      if (before instanceof G1 && !(before as G1Point).equals(after as G1Point)) changed.push(name);
    }
  }
  return changed;
}
