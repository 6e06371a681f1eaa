/**
 * The running-sum gadget with hidden totals (`blocks/running-sum.ts`): two sums proven equal without their value,
 * on one domain (one running sum of the difference closing on 0) and on two (two running sums closing on one
 * hidden scalar G on H_1). Sums that differ, a G that is not the sum, and every changed message element are
 * rejected; G's evaluation is the sum only when blinding is off; the compiler lets an identity read an H_1 oracle
 * only unshifted and times L_0 of the identity's domain.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { UNBLINDED } from '../../src/blinding';
import { G1_ONE } from '../../src/curve';
import { commit, EvaluationDomain, Fr, type G1Point, type SlotValues } from '../../src/index';
import {
  at,
  equalSumsGadget,
  equalSumsProver,
  hiddenScalarRound,
  lagrangePoly,
  polyIopProtocol,
  polyIopProver,
  proveBlock,
  pub,
  publicVector,
  shiftedAt,
  term,
  verifyBlock,
  type Block,
  type BlockContext,
  type EqualSums,
  type Identity,
  type MessageSource,
  type PolyIopSpec,
} from '../../blocks/index';
import { blindedCommitments } from '../../blocks/hiding';
import { context } from '../soundness/helpers';
import { acceptedElementChanges } from '../helpers/tampered-elements';

/** `Σ_{H_n} a = Σ_{H_m} b` for statement oracles a (on H_n) and b (on H_m). */
function equalSumsSpec(n: number, m: number): { spec: PolyIopSpec; sums: EqualSums } {
  const sums = equalSumsGadget('s', { domain: n, summand: [term(1, at('a'))] }, { domain: m, summand: [term(1, at('b'))] });
  const spec: PolyIopSpec = {
    foldKey: `equal-sums/${n}/${m}`,
    statement: [
      { name: 'A', sort: 'g1', origin: 'statement' },
      { name: 'B', sort: 'g1', origin: 'statement' },
    ],
    slots: [...sums.slots],
    rounds: hiddenScalarRound(sums),
    oracles: [{ name: 'a', domain: n, commitment: 'A' }, { name: 'b', domain: m, commitment: 'B' }, ...sums.oracles],
    publics: [],
    identities: [],
    sums: sums.sums,
  };
  return { spec, sums };
}

/** What a run of the prover sent, by slot (the last `values` it saw hold every challenge). */
interface Run {
  readonly bytes: Uint8Array;
  readonly sent: Record<string, unknown>;
}

/**
 * Proves `Σ a = Σ b` with `as`, `bs` on their domains; `forge` may replace G's value (its commitment and polynomial)
 * before blinding. The prover's checks are bypassed, so a rejection comes from the verifier.
 */
async function run(ctx: BlockContext, n: number, m: number, as: bigint[], bs: bigint[], forge?: (sums: { left: bigint; right: bigint }) => bigint): Promise<Run & { ok: boolean; protocol: ReturnType<typeof polyIopProtocol>; statement: SlotValues }> {
  const { spec, sums } = equalSumsSpec(n, m);
  const [hn, hm] = [new EvaluationDomain(n, ctx.engine), new EvaluationDomain(m, ctx.engine)];
  const statement: SlotValues = { A: await commit(ctx.kzg, hn.ifft(as)), B: await commit(ctx.kzg, hm.ifft(bs)) };
  let polys: Record<string, bigint[]> = {};
  const sent: Record<string, unknown> = {};
  const inner = polyIopProver(spec, { ...ctx, allowInvalidWitness: true }, {
    round: async () => {
      const r = await equalSumsProver(ctx.kzg, sums, as);
      polys = r.polys;
      if (forge && !sums.shared) {
        const total = (xs: bigint[]) => xs.reduce((x, y) => Fr.add(x, Fr.create(y)), 0n);
        const g = forge({ left: total(as), right: total(bs) });
        polys['G/s'] = [g];
        return { ...r.messages, '[G]/s': await commit(ctx.kzg, [g]) };
      }
      return r.messages;
    },
    polynomials: () => ({ a: hn.ifft(as), b: hm.ifft(bs), ...polys }),
  });
  const prover: MessageSource = async (decls, values) => {
    const out = await inner(decls, values);
    Object.assign(sent, out);
    return out;
  };
  const protocol = polyIopProtocol(spec, ctx.kzg, ctx.engine);
  const bytes = await proveBlock({ prover: () => prover } as unknown as Block, { ...ctx, allowInvalidWitness: true }, protocol, statement, {});
  const ok = (await verifyBlock(ctx, protocol, statement, bytes)).ok;
  return { bytes, sent, ok, protocol, statement };
}

const A4 = [3n, -1n, 4n, 1n];
const B8 = [5n, 0n, 2n, -6n, 1n, 0n, 3n, 2n]; // Σ = 7 = Σ A4
const B4 = [1n, 1n, 2n, 3n]; // Σ = 7

test('equal sums on two domains (a hidden scalar) and on one (one running sum of the difference) verify', async () => {
  const ctx = await context(64);
  assert.equal((await run(ctx, 4, 8, A4, B8)).ok, true, 'H_4 and H_8');
  assert.equal((await run(ctx, 8, 4, B8, A4)).ok, true, 'H_8 and H_4');
  assert.equal((await run(ctx, 4, 4, A4, B4)).ok, true, 'H_4 twice');
  assert.equal((await run(ctx, 1, 4, [7n], B4)).ok, true, 'H_1 and H_4');
  const { sums } = equalSumsSpec(4, 8);
  assert.deepEqual([sums.slots.map((d) => d.name), sums.sums.map((c) => c.name)], [['[G]/s'], ['s/left', 's/right']]);
  const shared = equalSumsSpec(4, 4).sums;
  assert.deepEqual([shared.slots.map((d) => d.name), shared.sums.map((c) => c.name)], [[], ['s']]);
});

test('sums that differ are rejected, whatever G holds (prover checks bypassed)', async () => {
  const ctx = await context(64);
  const off = B8.map((x, i) => (i === 5 ? x + 1n : x));
  await fc.assert(
    fc.asyncProperty(fc.constantFrom<'left' | 'right' | 'random'>('left', 'right', 'random'), fc.bigInt({ min: 0n, max: Fr.ORDER - 1n }), async (which, random) => {
      const forge = ({ left, right }: { left: bigint; right: bigint }) => (which === 'left' ? left : which === 'right' ? right : random);
      assert.equal((await run(ctx, 4, 8, A4, off, forge)).ok, false, `G = ${which}`);
    }),
    { numRuns: 5 },
  );
  assert.equal((await run(ctx, 4, 4, A4, B4.map((x, i) => (i === 0 ? x + 1n : x)))).ok, false, 'one domain');
});

test('equal sums with a G that is not their sum are rejected', async () => {
  const ctx = await context(64);
  assert.equal((await run(ctx, 4, 8, A4, B8, ({ left }) => left + 1n)).ok, false);
});

test('every changed message element of an equal-sums proof is rejected', async () => {
  const ctx = await context(64);
  for (const [n, m, as, bs] of [[4, 8, A4, B8], [4, 4, A4, B4]] as const) {
    const honest = await run(ctx, n, m, [...as], [...bs]);
    assert.equal(honest.ok, true);
    assert.deepEqual(await acceptedElementChanges(ctx, honest.protocol, honest.statement, honest.bytes), [], `H_${n}, H_${m}: changed elements accepted`);
  }
});

test('the hidden scalar is blinded over H_1 with two coefficients: [G]₁ is [sum]₁ only without blinding, G(ζ) is never sent', async () => {
  const ctx = await context(64);
  const { spec } = equalSumsSpec(4, 8);
  assert.deepEqual(
    blindedCommitments(spec.foldKey, spec.oracles, spec.slots).find((b) => b.commitment === '[G]/s'),
    { commitment: '[G]/s', domain: 1, count: 2, oracles: ['G/s'] },
  );
  const sum = 7n;
  const hidden = await run(ctx, 4, 8, A4, B8);
  const plain = await run({ ...ctx, blinding: UNBLINDED }, 4, 8, A4, B8);
  assert.equal(plain.ok, true);
  // G is read linearly (times L_0), so it is linearized: its value at ζ is in neither proof.
  assert.ok(!('G/s@zeta' in hidden.sent) && !('G/s@zeta' in plain.sent));
  assert.deepEqual((plain.sent['[G]/s'] as G1Point).toAffine(), G1_ONE.multiply(sum).toAffine(), 'unblinded: [G]₁ is [sum]₁');
  assert.notDeepEqual((hidden.sent['[G]/s'] as G1Point).toAffine(), (plain.sent['[G]/s'] as G1Point).toAffine());
  for (const [slot, v] of Object.entries(hidden.sent)) if (typeof v === 'bigint') assert.notEqual(v, sum, `${slot} is the sum`);
});

/** A spec on H_8 with one identity of `terms` (oracle g on H_1, oracle c on H_16, u on H_4; L_0 of H_8 and H_4). */
function readsSpec(terms: Identity['terms'], extraPublics = [lagrangePoly(8, 0)]): PolyIopSpec {
  // Only the oracles the identity reads (an unread oracle is refused before any domain is checked).
  const read = new Set(['x', ...terms.flatMap((t) => t.factors.flatMap((f) => ('oracle' in f ? [f.oracle] : [])))]);
  return {
    foldKey: 'reads',
    statement: [
      { name: 'X', sort: 'g1', origin: 'statement' },
      { name: 'C', sort: 'g1', origin: 'statement' },
      { name: 'U', sort: 'g1', origin: 'statement' },
    ],
    slots: [{ name: '[G]', sort: 'g1', origin: 'message' }],
    rounds: [{ kind: 'message', slots: ['[G]'] }],
    oracles: [
      { name: 'x', domain: 8, commitment: 'X' },
      { name: 'g', domain: 1, commitment: '[G]' },
      { name: 'c', domain: 16, commitment: 'C' },
      { name: 'u', domain: 4, commitment: 'U' },
    ].filter((o) => read.has(o.name)),
    publics: [...extraPublics, lagrangePoly(4, 0)],
    identities: [{ name: 'id', domain: 8, terms: [term(1, at('x')), ...terms] }],
  };
}

test('the compiler reads an H_1 oracle only unshifted and times L_0 of the identity domain; other domains stay refused', async () => {
  const ctx = await context(64);
  const build = (spec: PolyIopSpec) => polyIopProtocol(spec, ctx.kzg, ctx.engine);
  assert.doesNotThrow(() => build(readsSpec([term(1, at('g'), pub('L0/8'))])));
  assert.throws(() => build(readsSpec([term(1, at('g'))])), /"g" lives on H_1.*times L_0/);
  assert.throws(() => build(readsSpec([term(1, shiftedAt('g'), pub('L0/8'))])), /"g" lives on H_1/);
  assert.throws(() => build(readsSpec([term(1, at('g'), pub('L0/4'))])), /"g" lives on H_1/, 'L_0 of another domain');
  assert.throws(() => build(readsSpec([term(1, at('g'), pub('L0/8'))], [publicVector('L0/8', 8, () => [1n, 1n, 0n, 0n, 0n, 0n, 0n, 0n])])), /"g" lives on H_1/, 'a look-alike L0/8');
  assert.throws(() => build(readsSpec([term(1, at('c'), pub('L0/8'))])), /"c" lives on H_16/, 'a larger domain');
  assert.throws(() => build(readsSpec([term(1, at('u'), pub('L0/8'))])), /"u" lives on H_4/, 'a smaller domain');
});
