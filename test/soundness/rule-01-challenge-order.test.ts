/**
 * docs/soundness.md rule 1: every challenge is drawn after all prover messages it depends on.
 *
 * - A quotient check whose ζ is drawn before the quotient commitment is forgeable: knowing ζ, the prover commits
 *   the constant polynomial `t ≡ (x(ζ)² − y(ζ))/Z_H(ζ)` and every opening is honest. Our order (T, then ζ) rejects
 *   the same cheater, who then has to guess ζ.
 * - Every built-in block's schedule sends each G1 commitment before the point its openings are made at (ζ: every
 *   built-in block that opens anything is a quotient argument, the weight link and the relink included), and only
 *   opening proofs after the last challenge, the multi-point opening's W before its point x (structural check over all
 *   built-in blocks).
 * - Every challenge of every built-in block depends on each statement slot and message before it: changed, every later
 *   challenge changes (a schedule that sent in order but absorbed nothing passed the checks above).
 *
 * Also covered elsewhere: the lookup's β after the multiplicities (`test/blocks/lookup-adversarial.test.ts`,
 * "rule 1"), the fold's γ after both accumulators and the cross terms (`test/accumulation/adversarial.test.ts`,
 * "a prover that reuses one γ for two nodes is rejected", "a tampered cross term is rejected …").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Fr, G1_ONE, Transcript, batchOpen, commit, EvaluationDomain, poly, type G1Point, type SlotValues } from '../../src/index';
import { leafLabel, runSchedule, type MessageSource, type Protocol } from '../../blocks/index';
import { builtinBlocks, context, proveAndVerify, squareProtocol, squareProver, statementOf } from './helpers';
import { readOrGuess } from '../helpers/early-challenge';

const N = 8;
const xs = [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n];
const honestY = xs.map((x) => x * x);
const wrongY = honestY.map((y, i) => (i === 3 ? y + 1n : y)); // claims 4² = 17

/** The cheater: sends T after reading ζ from the values so far if it can, otherwise guesses ζ. */
function zetaCheater(ctx: Awaited<ReturnType<typeof context>>, ys: readonly bigint[]): MessageSource {
  const domain = new EvaluationDomain(N, ctx.engine);
  const x = domain.ifft(xs.map((v) => Fr.create(v)));
  const y = domain.ifft(ys.map((v) => Fr.create(v)));
  let t: bigint[] = [];
  return async (decls, v: SlotValues): Promise<SlotValues> => {
    const first = decls[0].name;
    if (first === 'T') {
      const zeta = readOrGuess(v, 'zeta');
      const zh = domain.vanishingAt(zeta);
      t = [Fr.mul(Fr.sub(Fr.mul(poly.evaluate(x, zeta), poly.evaluate(x, zeta)), poly.evaluate(y, zeta)), Fr.inv(zh))];
      return { T: await commit(ctx.kzg, t) };
    }
    const z = v.zeta as bigint;
    if (first === 'x') return { x: poly.evaluate(x, z), y: poly.evaluate(y, z), t: poly.evaluate(t, z) };
    return { pi: await batchOpen(ctx.kzg, { polys: [x, y, t], point: z, challenges: [v.v0, v.v1, v.v2] as bigint[] }) };
  };
}

test('rule 1: a quotient committed after ζ forges a wrong square; our order (T before ζ) rejects the same cheater', async () => {
  const ctx = await context(32);
  const statement = async (ys: readonly bigint[]) => {
    const domain = new EvaluationDomain(N, ctx.engine);
    return { X: await commit(ctx.kzg, domain.ifft(xs)), Y: await commit(ctx.kzg, domain.ifft(ys.map((v) => Fr.create(v)))) };
  };
  const ours = squareProtocol(ctx, N);
  const broken = squareProtocol(ctx, N, { zetaBeforeQuotient: true });

  // Sanity: the honest prover passes both; an honest prover with a wrong y fails both.
  assert.deepEqual(await proveAndVerify(ctx, ours, await statement(honestY), squareProver(ctx, N, xs, honestY)), { ok: true });
  assert.equal((await proveAndVerify(ctx, broken, await statement(wrongY), squareProver(ctx, N, xs, wrongY))).ok, false);

  // The attack is real: with ζ known first, the wrong square verifies.
  assert.deepEqual(await proveAndVerify(ctx, broken, await statement(wrongY), zetaCheater(ctx, wrongY)), { ok: true });
  // Our order: the cheater must commit T before ζ exists, and is rejected.
  const verdict = await proveAndVerify(ctx, ours, await statement(wrongY), zetaCheater(ctx, wrongY));
  assert.equal(verdict.ok, false);
});

/** Index of the first schedule step that produces `slot`. */
function stepOf(p: Protocol, slot: string): number {
  return p.schedule.findIndex((s) => s.slots.includes(slot));
}

/**
 * The challenge a protocol's openings are made at: ζ for a quotient argument; undefined for a protocol that opens
 * nothing (linear checks on commitments).
 */
function evaluationPoint(p: Protocol): string | undefined {
  return p.slots.some((s) => s.name === 'zeta' && s.origin === 'challenge') ? 'zeta' : undefined;
}

test('rule 1: every built-in block sends each G1 commitment before its evaluation point ζ and only opening proofs after the last challenge', async () => {
  const ctx = await context(64);
  const points = new Set<string>();
  for (const { block } of builtinBlocks()) {
    const p = block.protocol(ctx);
    const decl = new Map(p.slots.map((s) => [s.name, s]));
    const challenges = p.schedule.map((s, i) => (s.kind === 'challenge' ? i : -1)).filter((i) => i >= 0);
    const lastChallenge = Math.max(...challenges);
    const first = p.schedule.findIndex((s) => s.kind === 'challenge');
    // statements all come before the first challenge
    p.schedule.forEach((s, i) => {
      if (s.kind === 'statement') assert.ok(i < first, `${p.foldKey}: statement after a challenge`);
    });
    const messages = p.schedule.flatMap((s, i) => (s.kind === 'message' ? s.slots.map((name) => ({ name, i })) : []));
    const point = evaluationPoint(p);
    if (point === undefined) {
      assert.equal(messages.length, 0, `${p.foldKey}: a protocol without an evaluation point sends no messages (linear checks on commitments)`);
      continue;
    }
    points.add(point);
    const at = stepOf(p, point);
    // The multi-point opening's W is opened at x (src/kzg/multi-open.ts): it comes before x, after ζ.
    const x = decl.has('open/x') ? stepOf(p, 'open/x') : undefined;
    for (const { name, i } of messages) {
      // W after x would let the prover fit h to false values at the point x it is checked at: an opening proof, but
      // one that must precede the last challenge.
      if (name === 'open/W' && x !== undefined) assert.ok(i < x, `${p.foldKey}: W is sent after x`);
      if (i > lastChallenge) {
        assert.equal(decl.get(name)!.sort, 'g1', `${p.foldKey}: ${name} after the last challenge`);
        assert.match(name, /^(pi|open\/W)/, `${p.foldKey}: only opening proofs follow the last challenge, got ${name}`);
      } else if (decl.get(name)!.sort === 'g1') {
        const before = name === 'open/W' && x !== undefined ? x : at;
        assert.ok(i < before, `${p.foldKey}: commitment ${name} is sent after its evaluation point`);
      }
    }
    // the opening proofs come after every batching challenge and every evaluation; the only Fr messages before ζ are
    // totals (a logUp gadget's S:<n>, a range table's S′ = M′(β)/Z_S(β))
    const evaluations = messages.filter((m) => decl.get(m.name)!.sort === 'fr');
    for (const e of evaluations) assert.ok(e.i > at || e.name.startsWith('S:') || e.name === "S'", `${p.foldKey}: ${e.name} before ${point}`);
  }
  assert.deepEqual([...points], ['zeta'], 'the built-in blocks open at ζ');
});

/** Every challenge of `values` drawn in a step after step `after` of `p`. */
function challengesAfter(p: Protocol, after: number, values: SlotValues): [string, SlotValues[string]][] {
  return p.schedule.flatMap((s, i) => (i > after && s.kind === 'challenge' ? s.slots.map((name): [string, SlotValues[string]] => [name, values[name]]) : []));
}

test('rule 1: every challenge depends on every statement slot and every message before it (each is absorbed)', async () => {
  // A challenge that does not depend on a message lets the prover choose that message knowing the challenge (the
  // forgery of the first test), and one that does not depend on the statement lets it choose the statement (the
  // claimed output) after the proof. On every built-in block: the honest run, then each statement or message step's
  // first and last slot changed (the other values replayed as sent); every challenge drawn after that step changes.
  const ctx = await context(64);
  const transcript = (p: Protocol) => Transcript.create('rule-01/absorb').fork(leafLabel(p.foldKey, 0));
  const bump = (v: SlotValues[string]): SlotValues[string] => (typeof v === 'bigint' ? Fr.add(v, 1n) : (v as G1Point).add(G1_ONE));
  let changed = 0;
  for (const { block, inputs } of builtinBlocks()) {
    const tensors = { ...inputs, ...block.witness(inputs) };
    const p = block.protocol(ctx);
    const statement = await statementOf(block, ctx, tensors);
    const honest = await runSchedule(p, transcript(p), ctx.engine, statement, block.prover(ctx, tensors));
    for (const [k, step] of p.schedule.entries()) {
      if (step.kind !== 'statement' && step.kind !== 'message') continue;
      for (const slot of new Set([step.slots[0], step.slots.at(-1)!])) {
        const other = { ...honest, [slot]: bump(honest[slot]) };
        const sent: MessageSource = (decls) => Object.fromEntries(decls.map((d) => [d.name, other[d.name]]));
        const replay = await runSchedule(p, transcript(p), ctx.engine, step.kind === 'statement' ? { ...statement, [slot]: other[slot] } : statement, sent);
        for (const [name, v] of challengesAfter(p, k, honest)) {
          assert.notEqual(replay[name], v, `${p.foldKey}: challenge ${name} does not depend on ${step.kind} slot ${slot}`);
          changed++;
        }
      }
    }
  }
  assert.ok(changed > 100, `${changed} challenges compared`);
});
