/**
 * Stacked commitments (src/kzg/stack.ts): `C = Σ_j X^j·t_j(X^k)` decomposes back into its members, its remainder by
 * `X^k − z` is `Σ_j X^j·t_j(z)`, and `commitStack` gives `[C]₁` from the members' values and blindings over the stacked
 * bases, over the powers without them, and over a ceremony's SRS, which has none.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { G1_ONE } from '../../src/curve';
import { createReferenceEngine } from '../../src/engine/reference';
import { PolyError, SrsError } from '../../src/errors';
import { Fr } from '../../src/field';
import { commit } from '../../src/kzg/commit';
import { createKzgKey, type KzgKey } from '../../src/kzg/key';
import { multiPointFirstProof, multiPointOpeningEquation, multiPointSecondProof, multiPointWeights } from '../../src/kzg/multi-open';
import { commitStack, stackPolynomials, stackRemainderAt, type StackMember } from '../../src/kzg/stack';
import { divideByBinomial } from '../../src/poly/division';
import { interpolate } from '../../src/poly/interpolate';
import { evaluate } from '../../src/poly/polynomial';
import { addVanishingMultiple } from '../../src/poly/vanishing-multiple';
import { createInsecureDevSrs, readPtau, type Srs } from '../../src/srs/index';
import { frArb, naiveEval, polyArb } from '../poly/naive';
import { holds } from './helpers';

const engine = createReferenceEngine();

const stackArb = fc.integer({ min: 1, max: 5 }).chain((k) => fc.array(polyArb(7), { minLength: k, maxLength: k }));

test('stackPolynomials: coefficient i·k + j of C is t_j[i], |C| = k·max|t_j|, and C decomposes back into its members', () => {
  fc.assert(
    fc.property(stackArb, (polys) => {
      const k = polys.length;
      const c = stackPolynomials(polys);
      const longest = Math.max(...polys.map((t) => t.length));
      assert.equal(c.length, k * longest);
      const members = Array.from({ length: k }, (_, j) => Array.from({ length: longest }, (_, i) => c[i * k + j]));
      members.forEach((t, j) => assert.deepEqual(t, [...polys[j], ...new Array<bigint>(longest - polys[j].length).fill(0n)]));
    }),
  );
  assert.throws(() => stackPolynomials([]), PolyError);
});

test('C(x) = Σ_j x^j·t_j(x^k), C mod (X^k − z) = Σ_j X^j·t_j(z), and stackRemainderAt is that remainder at x', () => {
  fc.assert(
    fc.property(stackArb, frArb, frArb, (polys, z, x) => {
      const k = polys.length;
      const c = stackPolynomials(polys);
      const values = polys.map((t) => evaluate(t, z));
      assert.equal(naiveEval(c, x), polys.reduce((acc, t, j) => Fr.add(acc, Fr.mul(Fr.pow(x, BigInt(j)), naiveEval(t, Fr.pow(x, BigInt(k))))), 0n));
      assert.deepEqual(divideByBinomial(c, k, z).remainder, values);
      assert.equal(stackRemainderAt(values, x), naiveEval(values, x));
    }),
  );
  assert.throws(() => stackRemainderAt([], 3n), PolyError);
});

/** The blinded member `interpolant(values) + Z_(H_n)·b`, in coefficients. */
function blinded(m: StackMember): bigint[] {
  return addVanishingMultiple(interpolate(m.values, engine), m.values.length, m.blinding);
}

/** Keys over one development SRS of 64 G1 powers: with its stacked bases and without. */
const dev = (async () => {
  const srs = await createInsecureDevSrs(6, { engine, seed: 'stack-test', g1Powers: 64, g2Powers: 2 });
  const keyOf = (stacked: boolean) =>
    createKzgKey(engine, srs.g1Powers, srs.g2Powers[0], srs.g2Powers[1], (n) => srs.lagrangeBasis(n), stacked ? (n, k, j) => srs.stackBasis(n, k, j) : undefined);
  return { srs, withBases: await keyOf(true), withoutBases: await keyOf(false) };
})();

/** Members of domains 1…8 with 0…3 blinding coefficients, fitting 64 powers for k ≤ 4. */
const membersArb = fc.integer({ min: 1, max: 4 }).chain((k) =>
  fc.array(
    fc.constantFrom(1, 2, 4, 8).chain((n) => fc.record({ values: fc.array(frArb, { minLength: n, maxLength: n }), blinding: polyArb(3) })),
    { minLength: k, maxLength: k },
  ),
);

test('commitStack: with the stacked bases = without them = [stackPolynomials(blinded members)]₁', async () => {
  const { withBases, withoutBases } = await dev;
  await fc.assert(
    fc.asyncProperty(membersArb, async (members) => {
      const k = members.length;
      for (const m of members) {
        assert.notEqual(await withBases.stackBases(m.values.length, k), undefined);
        assert.equal(await withoutBases.stackBases(m.values.length, k), undefined);
      }
      const expected = await commit(withBases, trimmedStack(members.map(blinded)));
      assert.ok((await commitStack(withBases, members)).equals(expected), 'over the stacked bases');
      assert.ok((await commitStack(withoutBases, members)).equals(expected), 'over the powers');
    }),
    { numRuns: 12, seed: 7 },
  );
});

/** The stack without its trailing zeros (a commitment needs as many powers as coefficients). */
function trimmedStack(polys: readonly (readonly bigint[])[]): bigint[] {
  const c = stackPolynomials(polys);
  while (c.length > 0 && c[c.length - 1] === 0n) c.pop();
  return c;
}

test('commitStack: a member in another place, another value or another blinding gives another point', async () => {
  const { withBases } = await dev;
  const members: StackMember[] = [
    { values: [1n, 2n, 3n, 4n], blinding: [5n, 6n] },
    { values: [7n, 8n], blinding: [] },
    { values: [9n, 10n, 11n, 12n, 13n, 14n, 15n, 16n], blinding: [17n] },
  ];
  const honest = await commitStack(withBases, members);
  const others: StackMember[][] = [
    [members[1], members[0], members[2]],
    [members[0], { values: [7n, 9n], blinding: [] }, members[2]],
    [{ ...members[0], blinding: [5n, 7n] }, members[1], members[2]],
    [members[0], members[1]],
  ];
  for (const other of others) assert.ok(!(await commitStack(withBases, other)).equals(honest));
});

test('commitStack over more places than members: the empty places hold zero, as zero members would; fewer places than members is a PolyError', async () => {
  const { withBases, withoutBases } = await dev;
  const members: StackMember[] = [
    { values: [1n, 2n, 3n, 4n], blinding: [5n, 6n] },
    { values: [7n, 8n], blinding: [] },
  ];
  const zeros: StackMember[] = [...members, { values: [0n, 0n], blinding: [] }, { values: [0n], blinding: [] }];
  const expected = await commit(withBases, trimmedStack([...members.map(blinded), [], []]));
  for (const key of [withBases, withoutBases]) {
    const inFour = await commitStack(key, members, 4);
    assert.ok(inFour.equals(expected));
    assert.ok(inFour.equals(await commitStack(key, zeros)));
    assert.ok(!inFour.equals(await commitStack(key, members)), 'two places is another stack');
    await assert.rejects(commitStack(key, members, 1), PolyError);
  }
});

test('commitStack at the key\'s last power: an empty last place or unequal blindings keep C within the powers, the bases beyond them (committed from coefficients)', async () => {
  const { srs } = await dev;
  const keyOf = (powers: number) =>
    createKzgKey(engine, srs.g1Powers.slice(0, powers), srs.g2Powers[0], srs.g2Powers[1], (n) => srs.lagrangeBasis(n), (n, k, j) => srs.stackBasis(n, k, j));
  // One member of 4 cells in 2 places: C has (4 − 1)·2 + 0 + 1 = 7 coefficients; the bases of 2 places reach τ^7.
  const seven = await keyOf(7);
  const one: StackMember[] = [{ values: [1n, 2n, 3n, 4n], blinding: [] }];
  assert.ok((await commitStack(seven, one, 2)).equals(await commit(seven, trimmedStack([blinded(one[0]), []]))));
  // Blindings of 1 and 0 coefficients in 2 places: C has (4 + 1 − 1)·2 + 0 + 1 = 9 coefficients; place 1's blinding bases reach τ^9.
  const nine = await keyOf(9);
  const unequal: StackMember[] = [{ values: [1n, 2n, 3n, 4n], blinding: [5n] }, { values: [6n, 7n, 8n, 9n], blinding: [] }];
  assert.ok((await commitStack(nine, unequal)).equals(await commit(nine, trimmedStack(unequal.map(blinded)))));
});

test('commitStack: an SrsError when C needs more powers than the key has; a PolyError for no members or a member off a power of two', async () => {
  const { withBases, withoutBases } = await dev;
  // (8 + 1 − 1)·8 + 7 + 1 = 72 powers for the last member: the key has 64.
  const tooHigh: StackMember[] = Array.from({ length: 8 }, () => ({ values: new Array<bigint>(8).fill(1n), blinding: [1n] }));
  // (8 − 1)·8 + 7 + 1 = 64: fits.
  const fits: StackMember[] = tooHigh.map((m) => ({ ...m, blinding: [] }));
  for (const key of [withBases, withoutBases]) {
    await assert.rejects(commitStack(key, tooHigh), SrsError);
    assert.ok((await commitStack(key, fits)).equals(await commit(key, trimmedStack(fits.map(blinded)))));
    await assert.rejects(commitStack(key, []), PolyError);
    await assert.rejects(commitStack(key, [{ values: [1n, 2n, 3n], blinding: [] }]), PolyError);
  }
});

test('the key: stackBases and stackVanishingBases hold every place at its offset, refuse what its powers cannot give; a source of the wrong length is an SrsError', async () => {
  const { srs, withBases } = await dev;
  // k·n − 1 ≤ 63, place j at offset j·n: [τ^j·L_i(τ^k)]₁.
  const bases = (await withBases.stackBases(16, 4))!;
  for (const j of [0, 3]) assert.ok((await engine.msmG1(bases, [0n, 1n], j * 16)).equals((await srs.stackBasis(16, 4, j))![1]), `place ${j}`);
  await assert.rejects(withBases.stackBases(32, 3), SrsError);
  await assert.rejects(withBases.stackBases(4, 0), SrsError);
  await assert.rejects(withBases.stackBases(3, 2), SrsError);
  // k − 1 + k·(n + count − 1) ≤ 63, place j's m-th point at j·count + m: [τ^(j+k(n+m))]₁ − [τ^(j+km)]₁.
  const diffs = await withBases.stackVanishingBases(4, 3, 2);
  const expected = await engine.msmG1Points([srs.g1Powers[2 + 3 * 5], srs.g1Powers[2 + 3 * 1]], [1n, Fr.neg(1n)]);
  assert.ok((await engine.msmG1(diffs, [0n, 1n], 2 * 2)).equals(expected));
  await assert.rejects(withBases.stackVanishingBases(8, 4, 9), SrsError);
  assert.notEqual(await withBases.stackVanishingBases(8, 4, 8), undefined);
  const wrong = await createKzgKey(engine, srs.g1Powers, srs.g2Powers[0], srs.g2Powers[1], undefined, async () => [G1_ONE]);
  await assert.rejects(wrong.stackBases(4, 2), SrsError);
});

/**
 * A stack of `members` committed with `key`, opened as one stacked opening at z (the general form: x and W'), its
 * members' values claimed. True when the pairing check holds.
 */
async function openedStack(key: KzgKey, members: readonly StackMember[], z: bigint, x: bigint, claims?: (values: bigint[]) => bigint[]): Promise<boolean> {
  const k = members.length;
  const polys = members.map(blinded);
  const values = polys.map((t) => evaluate(t, z));
  const opening = { poly: stackPolynomials(polys), point: z, power: k };
  const { h, proof: W } = await multiPointFirstProof(key, [opening], 1n);
  const { weights, vanishing } = multiPointWeights([opening], 1n, x);
  const eq = multiPointOpeningEquation(key, 'open', { terms: [{ commitment: 'C', coefficient: 'c' }], value: 'value', first: 'W', opening: { x: 'x', vanishing: 'zt', second: "W'" } });
  return holds(engine, [eq], {
    C: await commitStack(key, members),
    c: weights[0],
    value: Fr.mul(weights[0], stackRemainderAt((claims ?? ((v) => v))(values), x)),
    W,
    x,
    zt: vanishing,
    "W'": await multiPointSecondProof(key, [opening], h, 1n, x),
  });
}

/** The snarkjs power-4 fixture of test/srs/ptau.test.ts: a ceremony's SRS, no τ known, so no stacked bases. */
async function ceremony(): Promise<Srs> {
  return readPtau(new Uint8Array(readFileSync(fileURLToPath(new URL('../fixtures/ptau/bn254-p4-prepared.ptau', import.meta.url)))), { engine });
}

test('a key over a ceremony SRS has no stacked bases; commitStack commits the coefficients and the stack opens to the values of its members', async () => {
  const srs = await ceremony();
  assert.equal(await srs.stackBasis(4, 2, 1), undefined);
  const key = await createKzgKey(engine, srs.g1Powers, srs.g2Powers[0], srs.g2Powers[1], (n) => srs.lagrangeBasis(n), (n, k, j) => srs.stackBasis(n, k, j));
  assert.equal(await key.stackBases(4, 3), undefined);
  const members: StackMember[] = [
    { values: [3n, 1n, 4n, 1n], blinding: [5n, 9n] },
    { values: [2n, 6n], blinding: [5n] },
    { values: [3n, 5n, 8n, 9n], blinding: [] },
  ];
  assert.ok((await commitStack(key, members)).equals(await commit(key, trimmedStack(members.map(blinded)))));
  assert.ok(await openedStack(key, members, 11n, 13n), 'honest');
  assert.ok(!(await openedStack(key, members, 11n, 13n, (v) => v.map((y, j) => (j === 1 ? Fr.add(y, 1n) : y)))), 'a member value off');
  assert.ok(!(await openedStack(key, members, 11n, 13n, (v) => [v[1], v[0], v[2]])), 'members swapped');
});
