/**
 * The running-sum gadget with hidden totals (`blocks/running-sum.ts`): two sums proven equal without their value,
 * on one domain (one running sum of the difference closing on 0), on two with the smaller side read on the larger
 * domain through its subgroup's indicator (one running sum, no hidden scalar), and on two whose smaller side reads a
 * public polynomial of its own domain (two running sums closing on one hidden scalar G on H_1). Sums that differ, a G
 * that is not the sum, a smaller side right in total over the larger domain but not over its own, and every changed
 * message element are rejected; G's commitment is the sum's, and the running sums' their plain accumulators', only
 * when blinding is off; the compiler lets an identity
 * read an H_1 oracle only unshifted and times L_0 of the identity's domain, and an oracle of a subgroup only times
 * that subgroup's indicator or a `subgroupVector` of it (a `renamedPublic` copy keeps that support, a look-alike gets
 * none); the prover reads such an oracle on its subgroup, with no transform on the larger domain. `firstRowWeight` (μ_0
 * from a kept α^(−1)) equals the plain inversion (fast-check).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { UNBLINDED } from '../../src/blinding';
import { G1_ONE } from '../../src/curve';
import { commit, EvaluationDomain, Fr, type G1Point, type SlotValues } from '../../src/index';
import { runningSumValues } from '../../blocks/poly-iop';
import {
  at,
  BroadcastBlock,
  equalSumsGadget,
  equalSumsProver,
  hiddenScalarRound,
  lagrangePoly,
  polyIopProtocol,
  polyIopProver,
  proveBlock,
  pub,
  publicVector,
  renamedPublic,
  shiftedAt,
  specWithRunningSums,
  subgroupIndicatorPoly,
  subgroupVector,
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
import { firstRowWeight } from '../../blocks/running-sum';
import { frSlot } from '../../src/equations/evaluate';
import { context } from '../soundness/helpers';
import { acceptedElementChanges } from '../helpers/tampered-elements';

/**
 * `Σ_{H_n} a = Σ_{H_m} b` for statement oracles a (on H_n) and b (on H_m). With `hidden`, each is read times a public
 * vector of ones on its domain, so the gadget cannot read the smaller on the larger domain and closes both sides on a
 * hidden scalar.
 */
function equalSumsSpec(n: number, m: number, hidden = false): { spec: PolyIopSpec; sums: EqualSums } {
  const ones = (k: number) => publicVector(`ones/${k}`, k, () => new Array<bigint>(k).fill(1n));
  const side = (oracle: string, k: number) => ({ domain: k, summand: [term(1, at(oracle), ...(hidden ? [pub(`ones/${k}`)] : []))] });
  const sums = equalSumsGadget('s', side('a', n), side('b', m));
  const spec: PolyIopSpec = {
    foldKey: `equal-sums/${n}/${m}`,
    statement: [
      { name: 'A', sort: 'g1', origin: 'statement' },
      { name: 'B', sort: 'g1', origin: 'statement' },
    ],
    slots: [...sums.slots],
    rounds: hiddenScalarRound(sums),
    oracles: [{ name: 'a', domain: n, commitment: 'A' }, { name: 'b', domain: m, commitment: 'B' }, ...sums.oracles],
    publics: [...(hidden ? (n === m ? [ones(n)] : [ones(n), ones(m)]) : []), ...sums.publics],
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

/** How {@link run} builds and commits the sides. */
interface RunOptions {
  /** Replaces G's value (its commitment and polynomial) before blinding. */
  readonly forge?: (sums: { left: bigint; right: bigint }) => bigint;
  /** The hidden-scalar form ({@link equalSumsSpec}). */
  readonly hidden?: boolean;
  /** b's coefficients in place of its interpolant over H_m (a polynomial of higher degree). */
  readonly bCoefficients?: bigint[];
}

/**
 * Proves `Σ a = Σ b` with `as`, `bs` on their domains. The prover's checks are bypassed, so a rejection comes from
 * the verifier.
 */
async function run(ctx: BlockContext, n: number, m: number, as: bigint[], bs: bigint[], { forge, hidden = false, bCoefficients }: RunOptions = {}): Promise<Run & { ok: boolean; protocol: ReturnType<typeof polyIopProtocol>; statement: SlotValues }> {
  const { spec, sums } = equalSumsSpec(n, m, hidden);
  const [hn, hm] = [new EvaluationDomain(n, ctx.engine), new EvaluationDomain(m, ctx.engine)];
  const b = bCoefficients ?? hm.ifft(bs);
  const statement: SlotValues = { A: await commit(ctx.kzg, hn.ifft(as)), B: await commit(ctx.kzg, b) };
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
    polynomials: () => ({ a: hn.ifft(as), b, ...polys }),
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

test('equal sums on two domains (the smaller read on the larger, or a hidden scalar) and on one (one running sum of the difference) verify', async () => {
  const ctx = await context(64);
  for (const hidden of [false, true]) {
    assert.equal((await run(ctx, 4, 8, A4, B8, { hidden })).ok, true, `H_4 and H_8, hidden ${hidden}`);
    assert.equal((await run(ctx, 8, 4, B8, A4, { hidden })).ok, true, `H_8 and H_4, hidden ${hidden}`);
    assert.equal((await run(ctx, 4, 4, A4, B4, { hidden })).ok, true, `H_4 twice, hidden ${hidden}`);
    assert.equal((await run(ctx, 1, 4, [7n], B4, { hidden })).ok, true, `H_1 and H_4, hidden ${hidden}`);
  }
  const { sums } = equalSumsSpec(4, 8, true);
  assert.deepEqual([sums.slots.map((d) => d.name), sums.sums.map((c) => c.name)], [['[G]/s'], ['s/left', 's/right']]);
  const embedded = equalSumsSpec(4, 8).sums;
  assert.deepEqual([embedded.slots.map((d) => d.name), embedded.sums.map((c) => [c.name, c.domain]), embedded.publics.map((p) => p.name)], [[], [['s', 8]], ['I4/8']]);
  assert.deepEqual(embedded.sums[0].summand.map((t) => [t.coeff, t.factors]), [[1n, [at('a'), pub('I4/8')]], [Fr.neg(1n), [at('b')]]], 'the smaller side (a) times the indicator of H_4 in H_8');
  const shared = equalSumsSpec(4, 4).sums;
  assert.deepEqual([shared.slots.map((d) => d.name), shared.sums.map((c) => c.name)], [[], ['s']]);
});

test('the smaller side is read on its own subgroup only: right in total over the larger domain but not over its own is rejected', async () => {
  const ctx = await context(64);
  // a of degree < 8 (the values of A4 on H_4, other values on the rest of H_8): the sum of a over H_4 is 7 = Σ B8
  // whatever a holds off H_4, so the claim holds; with a over H_4 off by one, a sum over H_8 of 7 does not save it.
  const h8 = new EvaluationDomain(8, ctx.engine);
  const onH8 = (onH4: bigint[], rest: bigint[]) => h8.ifft(Array.from({ length: 8 }, (_, k) => Fr.create(k % 2 === 0 ? onH4[k / 2] : rest[(k - 1) / 2])));
  assert.equal((await run(ctx, 8, 4, B8, A4, { bCoefficients: onH8(A4, [9n, -2n, 5n, 0n]) })).ok, true, 'free off H_4');
  const off = A4.map((x, i) => (i === 2 ? x + 1n : x)); // Σ over H_4 = 8
  assert.equal((await run(ctx, 8, 4, B8, off, { bCoefficients: onH8(off, [-1n, 0n, 0n, 0n]) })).ok, false, 'Σ over H_8 = 7, over H_4 = 8');
});

test('the prover reads the smaller side on its own subgroup: its values on H_4, spread on H_8, with no transform of size 8 (the proof verifies)', async () => {
  const ctx = await context(64);
  const forward: number[] = [];
  const engine = Object.create(ctx.engine) as typeof ctx.engine;
  engine.transforms = (vectors, options) => {
    if (!options?.inverse) forward.push(...vectors.map((v) => v.length));
    return ctx.engine.transforms(vectors, options);
  };
  // b of degree < 8, so no values on H_4 are kept from an interpolation: they are transformed, on H_4.
  const h8 = new EvaluationDomain(8, ctx.engine);
  const b = h8.ifft(Array.from({ length: 8 }, (_, k) => Fr.create(k % 2 === 0 ? A4[k / 2] : [9n, -2n, 5n, 0n][(k - 1) / 2])));
  assert.equal((await run({ ...ctx, engine }, 8, 4, B8, A4, { bCoefficients: b })).ok, true);
  assert.ok(forward.includes(4) && !forward.includes(8), `forward transforms of sizes ${forward.join(', ')}`);
});

test('sums that differ are rejected, whatever G holds (prover checks bypassed)', async () => {
  const ctx = await context(64);
  const off = B8.map((x, i) => (i === 5 ? x + 1n : x));
  await fc.assert(
    fc.asyncProperty(fc.constantFrom<'left' | 'right' | 'random'>('left', 'right', 'random'), fc.bigInt({ min: 0n, max: Fr.ORDER - 1n }), async (which, random) => {
      const forge = ({ left, right }: { left: bigint; right: bigint }) => (which === 'left' ? left : which === 'right' ? right : random);
      assert.equal((await run(ctx, 4, 8, A4, off, { forge, hidden: true })).ok, false, `G = ${which}`);
    }),
    { numRuns: 5 },
  );
  assert.equal((await run(ctx, 4, 8, A4, off)).ok, false, 'the smaller side read on the larger domain');
  assert.equal((await run(ctx, 8, 4, off, A4)).ok, false, 'the same, sides swapped');
  assert.equal((await run(ctx, 4, 4, A4, B4.map((x, i) => (i === 0 ? x + 1n : x)))).ok, false, 'one domain');
});

test('equal sums with a G that is not their sum are rejected', async () => {
  const ctx = await context(64);
  assert.equal((await run(ctx, 4, 8, A4, B8, { forge: ({ left }) => left + 1n, hidden: true })).ok, false);
});

test('every changed message element of an equal-sums proof is rejected', async () => {
  const ctx = await context(64);
  for (const [n, m, as, bs, hidden] of [[4, 8, A4, B8, true], [4, 8, A4, B8, false], [4, 4, A4, B4, false]] as const) {
    const honest = await run(ctx, n, m, [...as], [...bs], { hidden });
    assert.equal(honest.ok, true);
    assert.deepEqual(await acceptedElementChanges(ctx, honest.protocol, honest.statement, honest.bytes), [], `H_${n}, H_${m}, hidden ${hidden}: changed elements accepted`);
  }
});

test('the hidden scalar is blinded over H_1 with two coefficients: [G]₁ is [sum]₁ only without blinding, G(ζ) is never sent; so are the running sums closing on it', async () => {
  const ctx = await context(64);
  const { spec } = equalSumsSpec(4, 8, true);
  assert.deepEqual(
    blindedCommitments(spec.foldKey, spec.oracles, new Map(), spec.slots).find((b) => b.commitment === '[G]/s'),
    { commitment: '[G]/s', domain: 1, count: 2, oracles: ['G/s'] },
  );
  const sum = 7n;
  const hidden = await run(ctx, 4, 8, A4, B8, { hidden: true });
  const plain = await run({ ...ctx, blinding: UNBLINDED }, 4, 8, A4, B8, { hidden: true });
  assert.equal(plain.ok, true);
  // G is read linearly (times L_0), so it is linearized: its value at ζ is in neither proof.
  assert.ok(!('G/s@zeta' in hidden.sent) && !('G/s@zeta' in plain.sent));
  assert.deepEqual((plain.sent['[G]/s'] as G1Point).toAffine(), G1_ONE.multiply(sum).toAffine(), 'unblinded: [G]₁ is [sum]₁');
  assert.notDeepEqual((hidden.sent['[G]/s'] as G1Point).toAffine(), (plain.sent['[G]/s'] as G1Point).toAffine());
  for (const [slot, v] of Object.entries(hidden.sent)) if (typeof v === 'bigint') assert.notEqual(v, sum, `${slot} is the sum`);
  // The running sums are blinded too: each accumulator's commitment is its plain one only without blinding.
  const accumulators = await Promise.all(
    [A4, B8].map((xs) => commit(ctx.kzg, new EvaluationDomain(xs.length, ctx.engine).ifft(runningSumValues(xs.map((x) => Fr.create(x))).values))),
  );
  const slots = ['[Z]/sum/0', '[Z]/sum/1'];
  for (const slot of slots) assert.ok(accumulators.some((c) => c.equals(plain.sent[slot] as G1Point)), `unblinded: ${slot} is a plain accumulator`);
  for (const slot of slots) assert.ok(!accumulators.some((c) => c.equals(hidden.sent[slot] as G1Point)), `${slot} is a plain accumulator`);
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
    slots: read.has('g') ? [{ name: '[G]', sort: 'g1', origin: 'message' }] : [],
    rounds: read.has('g') ? [{ kind: 'message', slots: ['[G]'] }] : [],
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

test('the compiler reads an oracle of a subgroup H_m only unshifted and times a public zero off H_m (its indicator, subgroupIndicatorPoly, frozen)', async () => {
  const ctx = await context(64);
  const build = (spec: PolyIopSpec) => polyIopProtocol(spec, ctx.kzg, ctx.engine);
  const [i4, i2] = [subgroupIndicatorPoly(4, 8), subgroupIndicatorPoly(2, 8)];
  assert.doesNotThrow(() => build(readsSpec([term(1, at('u'), pub(i4.name))], [lagrangePoly(8, 0), i4])));
  assert.doesNotThrow(() => build(readsSpec([term(1, at('u'), pub(i2.name))], [lagrangePoly(8, 0), i2])), 'H_2 ⊂ H_4');
  assert.throws(() => build(readsSpec([term(1, at('u'))], [lagrangePoly(8, 0), i4])), /"u" lives on H_4/, 'no indicator');
  assert.throws(() => build(readsSpec([term(1, shiftedAt('u'), pub(i4.name))], [lagrangePoly(8, 0), i4])), /"u" lives on H_4/, 'shifted');
  const lookAlike = publicVector(i4.name, 8, () => [1n, 0n, 1n, 0n, 1n, 0n, 1n, 0n]);
  assert.throws(() => build(readsSpec([term(1, at('u'), pub(i4.name))], [lagrangePoly(8, 0), lookAlike])), /"u" lives on H_4/, 'a look-alike with no support');
  assert.throws(() => build(readsSpec([term(1, at('c'), pub(i4.name))], [lagrangePoly(8, 0), i4])), /"c" lives on H_16/, 'a larger domain');
  // A copy of the very indicator (same name, values and closed form) is not the indicator: no block grants the read itself.
  assert.throws(() => build(readsSpec([term(1, at('u'), pub(i4.name))], [lagrangePoly(8, 0), { ...i4 }])), /"u" lives on H_4/, 'a copy of the indicator');
  // An oracle of the identity's own domain through an indicator: a side declared on H_4 whose oracle lives on H_8.
  assert.throws(() => build(readsSpec([term(1, at('x'), pub(i4.name))], [lagrangePoly(8, 0), i4])), /reads its own oracle "x" of H_8 through a subgroup indicator/);
  assert.deepEqual(i4.values({}), [1n, 0n, 1n, 0n, 1n, 0n, 1n, 0n]);
  const h8 = new EvaluationDomain(8, ctx.engine);
  const zeta = 123456789n;
  assert.equal(i4.evaluateAt(zeta, {}, h8), h8.evaluateInterpolant(i4.values({}), zeta), 'its closed form is its interpolant');
  assert.throws(() => subgroupIndicatorPoly(8, 4), /m ≤ n/);
  // The compiler grants the read to this very object, so it is frozen: its values cannot be swapped afterwards.
  assert.throws(() => Object.assign(i4, { values: () => new Array<bigint>(8).fill(1n) }), TypeError, 'frozen');
  assert.deepEqual(subgroupIndicatorPoly(4, 8).values({}), [1n, 0n, 1n, 0n, 1n, 0n, 1n, 0n]);
});

test('a sum claim reads an oracle of a subgroup H_m only as an identity does, through a factor zero off H_m: the prover spreads its values on H_m because nothing else is compiled', async () => {
  const ctx = await context(64);
  const build = (spec: PolyIopSpec) => polyIopProtocol(spec, ctx.kzg, ctx.engine);
  const i4 = subgroupIndicatorPoly(4, 8);
  // `x = 0` on H_8 and a claim `Σ_{H_8} s = 0` whose summand reads u of H_4.
  const claimed = (summand: Identity['terms'], publics = [lagrangePoly(8, 0), i4]): PolyIopSpec => ({
    ...readsSpec([], publics),
    statement: [
      { name: 'X', sort: 'g1', origin: 'statement' },
      { name: 'U', sort: 'g1', origin: 'statement' },
    ],
    oracles: [
      { name: 'x', domain: 8, commitment: 'X' },
      { name: 'u', domain: 4, commitment: 'U' },
    ],
    sums: [{ name: 's', domain: 8, summand }],
  });
  assert.doesNotThrow(() => build(claimed([term(1, at('u'), pub(i4.name))])), 'through the indicator');
  assert.throws(() => build(claimed([term(1, at('u'))])), /"u" lives on H_4/, 'no indicator');
  const lookAlike = publicVector(i4.name, 8, () => [1n, 0n, 1n, 0n, 1n, 0n, 1n, 0n]);
  assert.throws(() => build(claimed([term(1, at('u'), pub(i4.name))], [lagrangePoly(8, 0), lookAlike])), /"u" lives on H_4/, 'a look-alike indicator');
});

test('subgroupVector: zero off H_m by construction, so it reads an oracle of H_m on H_n as the indicator does; its closed form and coefficients are its interpolant; it and its renamedPublic copy are frozen', async () => {
  const ctx = await context(64);
  const build = (spec: PolyIopSpec) => polyIopProtocol(spec, ctx.kzg, ctx.engine);
  const u = subgroupVector('u4', 4, 8, (slots) => [3n, frSlot(slots, 'k'), 5n, 7n]);
  const slots = { k: 11n };
  assert.deepEqual(u.values(slots), [3n, 0n, 11n, 0n, 5n, 0n, 7n, 0n], 'the values at the points of H_4, zero elsewhere');
  assert.doesNotThrow(() => build(readsSpec([term(1, at('u'), pub('u4'))], [lagrangePoly(8, 0), u])), 'reads u of H_4 without the indicator');
  // The same values as a plain public vector of H_8, or a copy of the object, grant nothing.
  const lookAlike = publicVector('u4', 8, () => u.values(slots));
  assert.throws(() => build(readsSpec([term(1, at('u'), pub('u4'))], [lagrangePoly(8, 0), lookAlike])), /"u" lives on H_4/, 'a look-alike');
  assert.throws(() => build(readsSpec([term(1, at('u'), pub('u4'))], [lagrangePoly(8, 0), { ...u }])), /"u" lives on H_4/, 'a copy');
  assert.throws(() => build(readsSpec([term(1, at('x'), pub('u4'))], [lagrangePoly(8, 0), u])), /reads its own oracle "x" of H_8 through a subgroup indicator/);
  const h8 = new EvaluationDomain(8, ctx.engine);
  const zeta = 987654321n;
  assert.equal(u.evaluateAt(zeta, slots, h8), h8.evaluateInterpolant(u.values(slots), zeta), 'I_4(ζ)·V(ζ) is its interpolant at ζ');
  assert.deepEqual([...u.coefficients!(slots, h8)], h8.ifft(u.values(slots)), 'its coefficients');
  // A renamed copy (a model argument's member's) keeps the support: its values are u's.
  const renamed = renamedPublic(u, 'b0|u4', (values) => ({ k: values['b0|k'] }));
  assert.deepEqual(renamed.values({ 'b0|k': 11n }), u.values(slots));
  assert.equal(renamed.evaluateAt(zeta, { 'b0|k': 11n }, h8), u.evaluateAt(zeta, slots, h8));
  assert.doesNotThrow(() => build(readsSpec([term(1, at('u'), pub('b0|u4'))], [lagrangePoly(8, 0), renamed])), 'the renamed copy reads u');
  const renamedPlain = renamedPublic(lookAlike, 'b0|u4', (values) => values);
  assert.throws(() => build(readsSpec([term(1, at('u'), pub('b0|u4'))], [lagrangePoly(8, 0), renamedPlain])), /"u" lives on H_4/, 'a renamed look-alike stays one');
  // Both objects the compiler grants the read to are frozen: neither's values nor closed form can be swapped after.
  for (const granted of [u, renamed]) {
    assert.throws(() => Object.assign(granted, { values: () => new Array<bigint>(8).fill(1n) }), TypeError, `${granted.name}: values frozen`);
    assert.throws(() => Object.assign(granted, { evaluateAt: () => 1n }), TypeError, `${granted.name}: evaluateAt frozen`);
  }
  assert.deepEqual(renamed.values({ 'b0|k': 11n }), u.values(slots), 'unchanged');
  assert.throws(() => subgroupVector('v', 8, 8, () => []), /m < n/);
  assert.throws(() => subgroupVector('v', 3, 8, () => []), /powers of two/);
  assert.throws(() => u.values({}), /k/, 'its values read the slots it names');
  assert.throws(() => subgroupVector('v', 2, 8, () => [1n]).values({}), /expected 2 values, got 1/);
});

test('firstRowWeight: μ_0 = α^(1−M) from the kept inverse equals the plain inversion, on repeated and on new challenges', () => {
  const plain = (alpha: bigint, rows: number) => Fr.pow(Fr.inv(alpha), BigInt(rows - 1));
  fc.assert(
    fc.property(fc.bigInt({ min: 1n, max: Fr.ORDER - 1n }), fc.integer({ min: 1, max: 4096 }), (alpha, rows) => {
      assert.equal(firstRowWeight(alpha, rows), plain(alpha, rows));
      assert.equal(firstRowWeight(alpha, rows + 1), plain(alpha, rows + 1)); // a kept α^(−1), another M
      assert.equal(Fr.mul(firstRowWeight(alpha, rows), Fr.pow(alpha, BigInt(rows - 1))), 1n);
    }),
    { numRuns: 1500 }, // more challenges than the cache keeps: it is emptied and refilled on the way
  );
});

test('specWithRunningSums: what the compiler makes of a spec object is made once and kept with it (a new object is compiled anew, alike)', () => {
  const spec = new BroadcastBlock({ rows: 2, rowLength: 4 }).iopSpec();
  const compiled = specWithRunningSums(spec);
  assert.ok(compiled.identities.length > spec.identities.length, 'the running sums joined the identities');
  assert.equal(specWithRunningSums(spec), compiled, 'the same object, not a recompilation');
  const copy: PolyIopSpec = { ...spec };
  const again = specWithRunningSums(copy);
  assert.notEqual(again, compiled);
  assert.deepEqual(again.identities.map((i) => i.name), compiled.identities.map((i) => i.name));
});
