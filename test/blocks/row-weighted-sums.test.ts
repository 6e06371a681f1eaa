/**
 * Row-weighted running sums (`blocks/running-sum.ts`, Horner form): a flat tensor of M rows of K cells on H_{M·K} and
 * one of M rows of K' cells on H_{M·K'} proven equal **row by row** through `Σ_i α^(M−1−i)·rowsum_i`, with α drawn after
 * both are committed: by one running sum on the larger domain that reads the smaller side through its subgroup's
 * indicator (cell k of H_m is cell k·n/m of H_n, in the same row), or, when a side reads a public polynomial of its
 * domain, by two closing on a hidden scalar. Row sums that differ in one row but agree in total are rejected (the plain
 * gadget would accept them), so are a wrong hidden scalar and every changed message element; the multiplier μ's closed
 * form at ζ is the interpolant of its values; the gadget refuses sides with different numbers of rows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { commit, EvaluationDomain, Fr, type SlotValues } from '../../src/index';
import {
  at,
  equalSumsGadget,
  equalSumsProver,
  hiddenScalarRound,
  polyIopProtocol,
  polyIopProver,
  proveBlock,
  pub,
  periodicVector,
  publicVector,
  runningSumValues,
  term,
  verifyBlock,
  type Block,
  type BlockContext,
  type EqualSums,
  type MessageSource,
  type PolyIopSpec,
} from '../../blocks/index';
import { firstRowWeight, rowWeightMultiplier } from '../../blocks/running-sum';
import { frSlot } from '../../src/equations/evaluate';
import { context } from '../soundness/helpers';
import { acceptedElementChanges } from '../helpers/tampered-elements';

/**
 * `Σ_i α^(M−1−i)·Σ_j a_ij = Σ_i α^(M−1−i)·Σ_j b_ij` for a on H_n (rows of n/M cells) and b on H_m (rows of m/M cells).
 * With `hidden`, each side is read times a public vector of ones on its domain, so the sides close on a hidden scalar.
 */
function rowSumsSpec(n: number, m: number, rows: number, hidden = false): { spec: PolyIopSpec; sums: EqualSums } {
  const weights = (domain: number) => ({ challenge: 'alpha', rowLength: domain / rows });
  const ones = (k: number) => publicVector(`ones/${k}`, k, () => new Array<bigint>(k).fill(1n));
  const side = (oracle: string, k: number) => ({ domain: k, summand: [term(1, at(oracle), ...(hidden ? [pub(`ones/${k}`)] : []))], rowWeights: weights(k) });
  const sums = equalSumsGadget('s', side('a', n), side('b', m));
  const spec: PolyIopSpec = {
    foldKey: `row-sums/${n}/${m}/${rows}`,
    statement: [
      { name: 'A', sort: 'g1', origin: 'statement' },
      { name: 'B', sort: 'g1', origin: 'statement' },
    ],
    slots: [{ name: 'alpha', sort: 'fr', origin: 'challenge' }, ...sums.slots],
    rounds: [{ kind: 'challenge', slots: ['alpha'] }, ...hiddenScalarRound(sums)],
    oracles: [{ name: 'a', domain: n, commitment: 'A' }, { name: 'b', domain: m, commitment: 'B' }, ...sums.oracles],
    publics: [...(hidden ? (n === m ? [ones(n)] : [ones(n), ones(m)]) : []), ...sums.publics],
    identities: [],
    sums: sums.sums,
  };
  return { spec, sums };
}

/**
 * Proves the row sums of `as` (on H_n) and `bs` (on H_m) equal, the prover's checks bypassed; `forgeG` replaces G (and
 * selects the hidden-scalar form, {@link rowSumsSpec}).
 */
async function run(ctx: BlockContext, n: number, m: number, rows: number, as: bigint[], bs: bigint[], forgeG?: bigint, hidden = forgeG !== undefined) {
  const { spec, sums } = rowSumsSpec(n, m, rows, hidden);
  const [hn, hm] = [new EvaluationDomain(n, ctx.engine), new EvaluationDomain(m, ctx.engine)];
  const fr = (xs: bigint[]) => xs.map((x) => Fr.create(x));
  const statement: SlotValues = { A: await commit(ctx.kzg, hn.ifft(fr(as))), B: await commit(ctx.kzg, hm.ifft(fr(bs))) };
  let polys: Record<string, bigint[]> = {};
  const inner = polyIopProver(spec, { ...ctx, allowInvalidWitness: true }, {
    round: async (_step, values) => {
      const r = await equalSumsProver(ctx.kzg, sums, fr(as), values);
      polys = r.polys;
      if (forgeG !== undefined && !sums.shared) {
        polys['G/s'] = [forgeG];
        return { ...r.messages, '[G]/s': await commit(ctx.kzg, [forgeG]) };
      }
      return r.messages;
    },
    polynomials: () => ({ a: hn.ifft(fr(as)), b: hm.ifft(fr(bs)), ...polys }),
  });
  const prover: MessageSource = (decls, values) => inner(decls, values);
  const protocol = polyIopProtocol(spec, ctx.kzg, ctx.engine);
  const bytes = await proveBlock({ prover: () => prover } as unknown as Block, { ...ctx, allowInvalidWitness: true }, protocol, statement, {});
  return { bytes, protocol, statement, ok: (await verifyBlock(ctx, protocol, statement, bytes)).ok };
}

// 4 rows: a has rows of 4 cells (H_16), b rows of 2 cells (H_8); row sums 6, −2, 9, 0 on both.
const A16 = [1n, 2n, 3n, 0n, -2n, 0n, 0n, 0n, 4n, 4n, 1n, 0n, 5n, -5n, 0n, 0n];
const B8 = [6n, 0n, -1n, -1n, 9n, 0n, 0n, 0n];
// The same total (13) with rows 6, −1, 8, 0: rejected although Σ a = Σ b.
const B8_SHIFTED = [6n, 0n, -1n, 0n, 8n, 0n, 0n, 0n];
// Rows of one cell: the row sums themselves, on H_4.
const S4 = [6n, -2n, 9n, 0n];

test('row-weighted sums equal row by row verify: H_16 vs H_8, H_16 vs H_4 (rows of one cell), and on one domain', async () => {
  const ctx = await context(64);
  for (const hidden of [false, true]) {
    assert.equal((await run(ctx, 16, 8, 4, A16, B8, undefined, hidden)).ok, true, `H_16 and H_8, hidden ${hidden}`);
    assert.equal((await run(ctx, 16, 4, 4, A16, S4, undefined, hidden)).ok, true, `H_16 and H_4, hidden ${hidden}`);
    assert.equal((await run(ctx, 8, 4, 4, B8, S4, undefined, hidden)).ok, true, `H_8 and H_4, hidden ${hidden}`);
    assert.equal((await run(ctx, 4, 16, 4, S4, A16, undefined, hidden)).ok, true, `H_4 and H_16 (the smaller on the left), hidden ${hidden}`);
  }
  assert.deepEqual(rowSumsSpec(16, 4, 4).sums.sums.map((c) => [c.domain, c.multiplier?.name]), [[16, 'mu/alpha/16/4']], 'embedded: one claim on H_16 with its μ');
  const permuted = [2n, 1n, 0n, 3n, 0n, 0n, -2n, 0n, 4n, 1n, 4n, 0n, 0n, -5n, 5n, 0n];
  assert.equal((await run(ctx, 16, 16, 4, A16, permuted)).ok, true, 'one domain, cells moved inside their rows');
  assert.equal((await run(ctx, 4, 4, 1, [1n, 2n, 3n, 4n], [4n, 3n, 2n, 1n])).ok, true, 'one row: the plain sum');
});

test('row sums that agree in total but not row by row are rejected, whatever G holds', async () => {
  const ctx = await context(64);
  assert.equal((await run(ctx, 16, 8, 4, A16, B8_SHIFTED)).ok, false, 'rows 1 and 2 moved');
  assert.equal((await run(ctx, 16, 8, 4, A16, B8_SHIFTED, undefined, true)).ok, false, 'rows 1 and 2 moved, hidden scalar');
  assert.equal((await run(ctx, 16, 4, 4, A16, [6n, 9n, -2n, 0n])).ok, false, 'two row sums of the smaller side swapped');
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: 15 }), fc.bigInt({ min: 1n, max: 1000n }), fc.bigInt({ min: 0n, max: Fr.ORDER - 1n }), async (cell, delta, g) => {
      const off = A16.map((x, i) => (i === cell ? x + delta : x));
      assert.equal((await run(ctx, 16, 4, 4, off, S4)).ok, false, `cell ${cell} + ${delta}`);
      assert.equal((await run(ctx, 16, 4, 4, off, S4, g)).ok, false, `cell ${cell} + ${delta}, G forged`);
    }),
    { numRuns: 4 },
  );
  const movedAcrossRows = A16.map((x, i) => (i === 0 ? x + 1n : i === 4 ? x - 1n : x));
  assert.equal((await run(ctx, 16, 16, 4, A16, movedAcrossRows)).ok, false, 'one domain: a unit moved between rows');
});

test('every changed message element of a row-weighted equal-sums proof is rejected', async () => {
  const ctx = await context(64);
  for (const [n, m, as, bs, hidden] of [[16, 8, A16, B8, false], [16, 8, A16, B8, true], [16, 16, A16, A16, false]] as const) {
    const honest = await run(ctx, n, m, 4, [...as], [...bs], undefined, hidden);
    assert.equal(honest.ok, true);
    assert.deepEqual(await acceptedElementChanges(ctx, honest.protocol, honest.statement, honest.bytes), [], `H_${n}, H_${m}, hidden ${hidden}: changed elements accepted`);
  }
});

test('the multiplier μ: its closed form at ζ is the interpolant of its values, and the accumulator closes on H', async () => {
  const ctx = await context(64);
  await fc.assert(
    fc.asyncProperty(fc.constantFrom([16, 4], [16, 1], [16, 16], [8, 2]), fc.bigInt({ min: 2n, max: Fr.ORDER - 1n }), fc.bigInt({ min: 2n, max: Fr.ORDER - 1n }), async ([n, k], alpha, zeta) => {
      const mu = rowWeightMultiplier('t', n, { challenge: 'alpha', rowLength: k });
      const domain = new EvaluationDomain(n, ctx.engine);
      const slots = { alpha };
      const values = mu.values(slots);
      assert.equal(mu.evaluateAt(zeta, slots, domain), domain.evaluateInterpolant(values, zeta));
      assert.equal(mu.evaluateAt(domain.element(k % n), slots, domain), values[k % n], 'ζ on a row start');
      assert.equal(values.reduce((p, x) => Fr.mul(p, x), 1n), 1n, 'Π μ = 1');
      const summand = Array.from({ length: n }, (_, i) => BigInt(i * i + 1));
      const { values: z, sum } = runningSumValues(summand, values);
      for (let i = 0; i < n; i++) {
        const next = z[(i + 1) % n];
        assert.equal(Fr.sub(Fr.sub(next, Fr.mul(values[i], z[i])), summand[i]), i === 0 ? Fr.neg(sum) : 0n, `transition at ${i}`);
      }
    }),
    { numRuns: 12 },
  );
  assert.throws(() => rowWeightMultiplier('t', 16, { challenge: 'alpha', rowLength: 3 }), /power of two dividing/);
});

test('row-weighted sides must agree on the challenge and the number of rows', () => {
  const side = (domain: number, rowLength: number, challenge = 'alpha') => ({ domain, summand: [term(1, at('a'))], rowWeights: { challenge, rowLength } });
  assert.throws(() => equalSumsGadget('s', side(16, 4), side(8, 4)), /one number of rows/);
  assert.throws(() => equalSumsGadget('s', side(16, 4), side(8, 2, 'beta')), /one challenge/);
  assert.throws(() => equalSumsGadget('s', { domain: 4, summand: [term(1, at('b'))] }, side(16, 4)), /one challenge and one number of rows/, 'a plain left side');
  assert.throws(() => equalSumsGadget('s', side(16, 4), { domain: 16, summand: [term(1, at('b'))] }), /both row-weighted or neither/);
  assert.doesNotThrow(() => equalSumsGadget('s', side(16, 4), side(8, 2)));
  assert.doesNotThrow(() => equalSumsGadget('s', side(16, 4), { domain: 4, summand: [term(1, at('b'))] }), 'a plain right side');
});

test('a row-weighted side against a plain side that carries μ_0 (a public vector μ_0·α^(M−1−i)): row by row', async () => {
  const ctx = await context(64);
  const weights = publicVector('w', 4, (slots) => {
    const alpha = frSlot(slots, 'alpha');
    const mu0 = firstRowWeight(alpha, 4);
    return [3, 2, 1, 0].map((e) => Fr.mul(mu0, Fr.pow(alpha, BigInt(e))));
  });
  const sums = equalSumsGadget('s', { domain: 16, summand: [term(1, at('a'))], rowWeights: { challenge: 'alpha', rowLength: 4 } }, { domain: 4, summand: [term(1, at('b'), pub('w'))] });
  const spec: PolyIopSpec = {
    ...rowSumsSpec(16, 4, 4).spec,
    foldKey: 'row-sums/mixed',
    slots: [{ name: 'alpha', sort: 'fr', origin: 'challenge' }, ...sums.slots],
    rounds: [{ kind: 'challenge', slots: ['alpha'] }, ...hiddenScalarRound(sums)],
    oracles: [{ name: 'a', domain: 16, commitment: 'A' }, { name: 'b', domain: 4, commitment: 'B' }, ...sums.oracles],
    publics: [weights],
    identities: [],
    sums: sums.sums,
  };
  const prove = async (bs: bigint[]) => {
    const [h16, h4] = [new EvaluationDomain(16, ctx.engine), new EvaluationDomain(4, ctx.engine)];
    const fr = (xs: bigint[]) => xs.map((x) => Fr.create(x));
    const statement: SlotValues = { A: await commit(ctx.kzg, h16.ifft(fr(A16))), B: await commit(ctx.kzg, h4.ifft(fr(bs))) };
    let polys: Record<string, bigint[]> = {};
    const inner = polyIopProver(spec, { ...ctx, allowInvalidWitness: true }, {
      round: async (_step, values) => {
        const r = await equalSumsProver(ctx.kzg, sums, fr(A16), values);
        polys = r.polys;
        return r.messages;
      },
      polynomials: () => ({ a: h16.ifft(fr(A16)), b: h4.ifft(fr(bs)), ...polys }),
    });
    const protocol = polyIopProtocol(spec, ctx.kzg, ctx.engine);
    const bytes = await proveBlock({ prover: () => inner } as unknown as Block, { ...ctx, allowInvalidWitness: true }, protocol, statement, {});
    return (await verifyBlock(ctx, protocol, statement, bytes)).ok;
  };
  assert.equal(await prove(S4), true);
  assert.equal(await prove([6n, -1n, 8n, 0n]), false, 'same total, other rows');
});

test('a periodic public vector: its O(K) evaluation at ζ is the interpolant of its tiled values over H_n', async () => {
  const ctx = await context(64);
  await fc.assert(
    fc.asyncProperty(fc.constantFrom([16, 4], [16, 16], [32, 1], [8, 2]), fc.bigInt({ min: 2n, max: Fr.ORDER - 1n }), fc.bigInt({ min: 0n, max: Fr.ORDER - 1n }), async ([n, k], beta, zeta) => {
      const v = periodicVector('p', n, k, (slots) => Array.from({ length: k }, (_, j) => Fr.pow(frSlot(slots, 'beta'), BigInt(j))));
      const domain = new EvaluationDomain(n, ctx.engine);
      const values = v.values({ beta });
      for (let i = 0; i < n; i++) assert.equal(values[i], values[i % k], `cell ${i}`);
      assert.equal(v.evaluateAt(zeta, { beta }, domain), domain.evaluateInterpolant(values, zeta));
    }),
    { numRuns: 12 },
  );
  assert.throws(() => periodicVector('p', 16, 3, () => [1n, 2n, 3n]), /power of two dividing/);
  assert.throws(() => periodicVector('p', 16, 4, () => [1n]).values({}), /expected 4 values/);
});
