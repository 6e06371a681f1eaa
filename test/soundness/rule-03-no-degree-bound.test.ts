/**
 * docs/soundness.md rule 3: no argument relies on a degree bound.
 *
 * - Control: a naive inner-product protocol that proves `Σ_H a·b = s` with a committed `f = a∘b` (quotient on H) and
 *   the cq-style check `s = |H|·f(0)` (an opening of f at 0). It silently assumes `deg f < |H|`. A prover commits
 *   `f' = f + c·Z_H` (same values on H, `f'(0) = f(0) − c`, degree |H|) and the quotient `t − c`: any claimed s verifies.
 * - Ours: the same relation by the running-sum gadget (`blocks/running-sum`): the accumulator's values on H are all
 *   the verifier relies on, so the same shift of the accumulator (and any wrong total) is rejected.
 *
 * Also covered elsewhere: a wrong logUp total S (`test/blocks/lookup-adversarial.test.ts`, "rule 3").
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Fr, R, batchOpen, batchOpeningEquation, commit, open, openingEquation, EvaluationDomain, poly, type SlotDecl, type SlotValues } from '../../src/index';
import { at, polyIopProtocol, polyIopProver, scalar, sumClaim, term, type BlockContext, type MessageSource, type PolyIopSpec, type Protocol } from '../../blocks/index';
import type { BlindingSource } from '../../src/blinding';
import { context, proveAndVerify } from './helpers';


const N = 8;
const as = [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n];
const bs = [3n, 1n, 4n, 1n, 5n, 9n, 2n, 6n];
const TRUE_SUM = as.reduce((acc, a, i) => acc + a * bs[i], 0n);

/** The naive protocol: f committed, `a·b − f = t·Z_H`, and `f(0) = s/|H|` opened at the point 0. */
function naiveProtocol(ctx: BlockContext): Protocol {
  const domain = new EvaluationDomain(N);
  const fr = (name: string, origin: SlotDecl['origin']): SlotDecl => ({ name, sort: 'fr', origin });
  const g1 = (name: string, origin: SlotDecl['origin']): SlotDecl => ({ name, sort: 'g1', origin });
  const slots: SlotDecl[] = [
    g1('A', 'statement'), g1('B', 'statement'), fr('s', 'statement'),
    g1('F', 'message'), g1('T', 'message'),
    fr('zeta', 'challenge'), fr('zh', 'derived'), fr('f0', 'derived'), fr('zero', 'derived'),
    fr('a', 'message'), fr('b', 'message'), fr('f', 'message'), fr('t', 'message'),
    fr('v0', 'challenge'), fr('v1', 'challenge'), fr('v2', 'challenge'), fr('v3', 'challenge'),
    g1('pi', 'message'), g1('pi0', 'message'),
  ];
  return {
    foldKey: `soundness-naive-sum/${N}`,
    maxDegree: 2,
    slots,
    schedule: [
      { kind: 'statement', slots: ['A', 'B', 's'] },
      { kind: 'message', slots: ['F', 'T'] },
      { kind: 'challenge', slots: ['zeta'] },
      { kind: 'derived', slots: ['zh', 'f0', 'zero'], compute: (v: SlotValues) => ({ zh: domain.vanishingAt(v.zeta as bigint), f0: Fr.mul(v.s as bigint, Fr.inv(BigInt(N))), zero: 0n }) },
      { kind: 'message', slots: ['a', 'b', 'f', 't'] },
      { kind: 'challenge', slots: ['v0', 'v1', 'v2', 'v3'] },
      { kind: 'message', slots: ['pi', 'pi0'] },
    ],
    equations: [
      { kind: 'field', name: 'product', terms: [{ coeff: 1n, scalars: ['a', 'b'] }, { coeff: R - 1n, scalars: ['f'] }, { coeff: R - 1n, scalars: ['t', 'zh'] }] },
      batchOpeningEquation(ctx.kzg, 'open/zeta', { commitments: ['A', 'B', 'F', 'T'], evaluations: ['a', 'b', 'f', 't'], challenges: ['v0', 'v1', 'v2', 'v3'], point: 'zeta', proof: 'pi' }),
      openingEquation(ctx.kzg, 'open/0', { commitment: 'F', evaluation: 'f0', point: 'zero', proof: 'pi0' }),
    ],
  };
}

/** The naive prover; `shift` c replaces f by `f + c·Z_H` and t by `t − c` (identical values on H). */
function naiveProver(ctx: BlockContext, shift: bigint): MessageSource {
  const domain = new EvaluationDomain(N, ctx.engine);
  const a = domain.ifft(as);
  const b = domain.ifft(bs);
  const honestF = domain.ifft(as.map((x, i) => Fr.create(x * bs[i])));
  const zH = [R - 1n, ...new Array<bigint>(N - 1).fill(0n), 1n];
  const f = poly.add(honestF, poly.scale(zH, shift));
  const t = poly.sub(poly.divideByVanishing(poly.sub(poly.mul(a, b), honestF), N).quotient, [shift]);
  return async (decls, v): Promise<SlotValues> => {
    const first = decls[0].name;
    if (first === 'F') return { F: await commit(ctx.kzg, f), T: await commit(ctx.kzg, t) };
    const z = v.zeta as bigint;
    if (first === 'a') return { a: poly.evaluate(a, z), b: poly.evaluate(b, z), f: poly.evaluate(f, z), t: poly.evaluate(t, z) };
    const pi = await batchOpen(ctx.kzg, { polys: [a, b, f, t], point: z, challenges: ['v0', 'v1', 'v2', 'v3'].map((s) => v[s] as bigint) });
    return { pi, pi0: (await open(ctx.kzg, f, 0n)).proof };
  };
}

test('rule 3: Σ_H f = |H|·f(0) accepts any claimed sum once f is shifted by a multiple of Z_H', async () => {
  const ctx = await context(32);
  const domain = new EvaluationDomain(N, ctx.engine);
  const p = naiveProtocol(ctx);
  const st = async (s: bigint) => ({ A: await commit(ctx.kzg, domain.ifft(as)), B: await commit(ctx.kzg, domain.ifft(bs)), s: Fr.create(s) });
  assert.deepEqual(await proveAndVerify(ctx, p, await st(TRUE_SUM), naiveProver(ctx, 0n)), { ok: true }, 'honest');
  const claimed = TRUE_SUM + 1000n;
  assert.equal((await proveAndVerify(ctx, p, await st(claimed), naiveProver(ctx, 0n))).ok, false, 'unshifted lie');
  // c = f(0) − s'/|H| = (Σ − s')/|H| makes f'(0) = s'/|H|.
  const c = Fr.mul(Fr.create(TRUE_SUM - claimed), Fr.inv(BigInt(N)));
  assert.deepEqual(await proveAndVerify(ctx, p, await st(claimed), naiveProver(ctx, c)), { ok: true }, 'the degree-bound attack is real');
});

/** `⟨a, b⟩ = s` as a sum claim the compiler proves with its running sum; s is a statement scalar. */
function runningSumSpec(): PolyIopSpec {
  return {
    foldKey: `soundness-running-sum/${N}`,
    statement: [
      { name: 'A', sort: 'g1', origin: 'statement' },
      { name: 'B', sort: 'g1', origin: 'statement' },
      { name: 's', sort: 'fr', origin: 'statement' },
    ],
    slots: [],
    rounds: [],
    oracles: [{ name: 'a', domain: N, commitment: 'A' }, { name: 'b', domain: N, commitment: 'B' }],
    publics: [],
    identities: [],
    sums: [sumClaim({ name: 'ip', domain: N, summand: [term(1, at('a'), at('b'))], total: [term(1, scalar('s'))] })],
  };
}

/**
 * The block's side: a and b. The compiler's accumulator is blinded by `Z_H·b`: here b = (shift, 0, 0), so the
 * accumulator carries exactly `shift·Z_H`, the shift that fools the naive `Σ_H f = |H|·f(0)` above.
 */
function runningSumProver(ctx: BlockContext, spec: PolyIopSpec, shift: bigint): MessageSource {
  const domain = new EvaluationDomain(N, ctx.engine);
  const blinding: BlindingSource = { draw: (label, count) => Array.from({ length: count }, (_, i) => (label.endsWith('[Z]/sum/0') && i === 0 ? shift : 0n)) };
  return polyIopProver(spec, { ...ctx, blinding }, {
    round: async () => ({}),
    polynomials: () => ({ a: domain.ifft(as), b: domain.ifft(bs) }),
  });
}

test('rule 3: the running-sum version rejects every wrong total, with or without a Z_H shift of the accumulator', async () => {
  const ctx = await context(32, true);
  const domain = new EvaluationDomain(N, ctx.engine);
  const spec = runningSumSpec();
  const p = polyIopProtocol(spec, ctx.kzg, ctx.engine);
  const st = async (s: bigint) => ({ A: await commit(ctx.kzg, domain.ifft(as)), B: await commit(ctx.kzg, domain.ifft(bs)), s: Fr.create(s) });
  assert.deepEqual(await proveAndVerify(ctx, p, await st(TRUE_SUM), runningSumProver(ctx, spec, 0n)), { ok: true }, 'honest');
  assert.deepEqual(await proveAndVerify(ctx, p, await st(TRUE_SUM), runningSumProver(ctx, spec, 7n)), { ok: true }, 'a Z_H shift changes nothing on H');
  const claimed = TRUE_SUM + 1000n;
  for (const shift of [0n, 1n, Fr.mul(Fr.create(TRUE_SUM - claimed), Fr.inv(BigInt(N))), Fr.create(claimed - TRUE_SUM)]) {
    const v = await proveAndVerify(ctx, p, await st(claimed), runningSumProver(ctx, spec, shift));
    assert.equal(v.ok, false, `wrong total accepted with shift ${shift}`);
  }
});
