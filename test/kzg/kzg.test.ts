import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { G1_ONE, G2_ONE, type G1Point } from '../../src/curve';
import { createKzgKey, createVerifierKzgKey, vanishingMultipleDigest, type KzgKey } from '../../src/kzg/key';
import { createReferenceEngine } from '../../src/engine/reference';
import { validateEquations, type SlotDecl, type SlotValues } from '../../src/equations/equation';
import { SrsError } from '../../src/errors';
import { Fr, R } from '../../src/field';
import { commit, commitLagrange, commitVanishingMultiple } from '../../src/kzg/commit';
import { publicCommitment } from '../../blocks/tables';
import { batchOpeningEquation, openingEquation } from '../../src/kzg/equations';
import { batchOpen, open } from '../../src/kzg/open';
import { EvaluationDomain } from '../../src/poly/domain';
import { interpolate } from '../../src/poly/interpolate';
import { evaluate } from '../../src/poly/polynomial';
import { frArb, polyArb } from '../poly/naive';
import { holds, TAU, tauPowers, testKey } from './helpers';

const engine = createReferenceEngine();
const MAX_DEGREE = 64;
const keyPromise = testKey(engine, MAX_DEGREE);
const nonZeroArb = fc.bigInt({ min: 1n, max: R - 1n });
const RUNS = { numRuns: 8 };

test('commit is [f(τ)]₁, and commitLagrange is the commitment of the interpolant', async () => {
  const key = await keyPromise;
  await fc.assert(
    fc.asyncProperty(polyArb(MAX_DEGREE + 1), async (f) => {
      const c = await commit(key, f);
      assert.ok(c.equals(G1_ONE.multiplyUnsafe(evaluate(f, TAU))));
    }),
    { numRuns: 20 },
  );
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 0, max: 6 }).chain((log) => fc.array(frArb, { minLength: 1 << log, maxLength: 1 << log })),
      async (evals) => {
        const c = await commitLagrange(key, evals);
        assert.ok(c.equals(await commit(key, interpolate(evals, engine))));
        // Σ_i evals[i]·L_i(τ): the Lagrange-basis form of the same commitment.
        const basis = new EvaluationDomain(evals.length, engine).lagrangeAt(TAU);
        const atTau = evals.reduce((acc, e, i) => Fr.add(acc, Fr.mul(e, basis[i])), 0n);
        assert.ok(c.equals(G1_ONE.multiplyUnsafe(atTau)));
      },
    ),
    { numRuns: 20 },
  );
});

test('commitLagrange over resident Lagrange bases equals the inverse-NTT path', async () => {
  const key = await keyPromise;
  const withBases = await testKey(engine, 16, [8, 16]);
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(8, 16).chain((n) => fc.array(frArb, { minLength: n, maxLength: n })), async (evals) => {
      engine.resetStats();
      const fast = await commitLagrange(withBases, evals);
      assert.equal(engine.stats.msmG1, 1);
      assert.ok(fast.equals(await commitLagrange(key, evals)));
    }),
    { numRuns: 10 },
  );
});

test('a key asks its Lagrange source once per domain, commits through it, and falls back without a basis', async () => {
  const withBases = await testKey(engine, 16, [8]);
  const asked: number[] = [];
  const key = await createKzgKey(engine, await engine.fixedBaseG1(G1_ONE, [1n, TAU]), G2_ONE, G2_ONE.multiply(TAU), async (n) => {
    asked.push(n);
    return n === 8 ? Promise.all(new EvaluationDomain(8, engine).lagrangeAt(TAU).map((l) => G1_ONE.multiplyUnsafe(l))) : undefined;
  });
  const evals = [3n, R - 5n, 0n, 7n, 1n, 2n, R - 1n, 9n];
  const [a, b] = await Promise.all([commitLagrange(key, evals), commitLagrange(key, evals.map((x) => Fr.mul(x, 2n)))]);
  assert.ok(a.equals(await commitLagrange(withBases, evals)));
  assert.ok(b.equals(a.double()));
  // Domain 2 has no basis: the interpolant's two coefficients are committed with the powers.
  assert.ok((await commitLagrange(key, [4n, 6n])).equals(await commit(withBases, interpolate([4n, 6n], engine))));
  // The caller's interpolant is committed when there is no basis, and not needed when there is one.
  assert.ok((await commitLagrange(key, [4n, 6n], interpolate([4n, 6n], engine))).equals(await commitLagrange(key, [4n, 6n])));
  assert.ok((await commitLagrange(key, evals, [1n])).equals(a));
  assert.deepEqual(asked, [8, 2], 'one request per domain, concurrent commitments included');
  const wrong = await createKzgKey(engine, [G1_ONE], G2_ONE, G2_ONE, async () => [G1_ONE]);
  await assert.rejects(commitLagrange(wrong, [1n, 2n]), SrsError);
});

test('createVerifierKzgKey holds [1]₁, its bases and its commitments: served by name, the prover\'s degree kept, a commitment it cannot make named, every held point and the degree in srsId', async () => {
  const powers = await tauPowers(engine, 16);
  const g2Tau = G2_ONE.multiply(TAU);
  const full = await createKzgKey(engine, powers, G2_ONE, g2Tau);
  const basis = await Promise.all(new EvaluationDomain(4, engine).lagrangeAt(TAU).map((l) => G1_ONE.multiplyUnsafe(l)));
  const selector = await publicCommitment(full, 'selector/8/5', () => [1n, 1n, 1n, 1n, 1n, 0n, 0n, 0n]);
  const held = new Map([['selector/8/5', selector]]);
  const key = await createVerifierKzgKey(engine, G2_ONE, g2Tau, 15, new Map([[4, basis]]), held);
  assert.equal(key.maxDegree, 15, 'the degree the blocks lay out with is the prover\'s');
  assert.equal(key.powers.length, 1);
  assert.ok(key.g1One.point.equals(G1_ONE));
  assert.ok((await publicCommitment(key, 'selector/8/5', () => assert.fail('a held commitment is not recomputed'))).equals(selector));
  const values = [3n, 1n, 4n, 1n];
  assert.ok((await commitLagrange(key, values)).equals(await commitLagrange(full, values)), 'over a held basis, the full key\'s commitment');
  await assert.rejects(commitLagrange(key, new Array<bigint>(8).fill(2n)), (e: unknown) => e instanceof SrsError && /a verifier's key.*\[1\]₁ of its 16 powers/.test((e as Error).message));
  await assert.rejects(createVerifierKzgKey(engine, G2_ONE, g2Tau, -1, new Map(), held), SrsError);
  const ids = await Promise.all([
    createVerifierKzgKey(engine, G2_ONE, g2Tau, 14, new Map([[4, basis]]), held),
    createVerifierKzgKey(engine, G2_ONE, g2Tau, 15, new Map([[4, basis]]), new Map([['selector/8/5', selector.double()]])),
    createVerifierKzgKey(engine, G2_ONE, g2Tau, 15, new Map([[4, basis]]), new Map([['selector/8/6', selector]])),
    createVerifierKzgKey(engine, G2_ONE, g2Tau, 15, new Map([[4, basis]]), new Map()),
  ]);
  assert.equal(new Set([key, ...ids].map((k) => k.srsId)).size, 5, 'the degree, each commitment and its name are in the id');
  assert.equal((await createVerifierKzgKey(engine, G2_ONE, g2Tau, 15, new Map([[4, basis]]), held)).srsId, key.srsId, 'the same points, the same id');
});

test('createVerifierKzgKey serves vanishingBasis(n, count) from the held [τ^j·Z_H(τ)]₁ (vanishingMultipleDigest): a blinding Z_H·b committed as over the powers; one not held is an SrsError', async () => {
  const powers = await tauPowers(engine, 16);
  const g2Tau = G2_ONE.multiply(TAU);
  const full = await createKzgKey(engine, powers, G2_ONE, g2Tau);
  assert.equal(vanishingMultipleDigest(4, 1), 'vanishing/4/1');
  const held = new Map([0, 1].map((j) => [vanishingMultipleDigest(4, j), powers[4 + j].subtract(powers[j])]));
  const key = await createVerifierKzgKey(engine, G2_ONE, g2Tau, 15, new Map(), held);
  const b = [5n, R - 3n];
  const blinding = await commitVanishingMultiple(key, 4, b);
  assert.ok(blinding.equals(await commitVanishingMultiple(full, 4, b)), 'Σ_j b_j·[τ^j·Z_H(τ)]₁ over the held points');
  assert.ok(!blinding.equals(await commitVanishingMultiple(full, 4, [b[1], b[0]])), 'each point in its place');
  assert.ok((await commitVanishingMultiple(key, 4, [7n])).equals(await commitVanishingMultiple(full, 4, [7n])), 'a prefix of the held points');
  await assert.rejects(commitVanishingMultiple(key, 4, [1n, 2n, 3n]), SrsError, 'j = 2 is not held');
  await assert.rejects(commitVanishingMultiple(key, 8, [1n]), SrsError, 'nor H_8\'s');
});

test('srsId names every point a key commits with, each basis by its domain: keys whose points concatenate alike share no public commitment', async () => {
  const powers = await tauPowers(engine, 16);
  const g2Tau = G2_ONE.multiply(TAU);
  const basis = await Promise.all(new EvaluationDomain(4, engine).lagrangeAt(TAU).map((l) => G1_ONE.multiplyUnsafe(l)));
  const honest = await createKzgKey(engine, powers, G2_ONE, g2Tau);
  const held = await createKzgKey(engine, powers, G2_ONE, g2Tau, new Map([[4, basis]]));
  const moved = await createKzgKey(engine, powers, G2_ONE, g2Tau, new Map([[4, basis.map((p, i) => (i === 3 ? p.add(G1_ONE) : p))]]));
  assert.equal(honest.srsId, (await createKzgKey(engine, powers, G2_ONE, g2Tau)).srsId, 'the same points, the same id');
  assert.notEqual(held.srsId, honest.srsId, 'a held basis is in the id');
  assert.notEqual(moved.srsId, held.srsId, 'a moved basis point changes the id');
  // Each basis is hashed after its domain size: the same points held as {1: [a], 2: [b, c]} and as {3: [a, b, c]}.
  const split = await createKzgKey(engine, powers, G2_ONE, g2Tau, new Map([[1, powers.slice(0, 1)], [2, powers.slice(1, 3)]]));
  assert.notEqual(split.srsId, (await createKzgKey(engine, powers, G2_ONE, g2Tau, new Map([[3, powers.slice(0, 3)]]))).srsId);
  // A key file's author holds 12 of the honest powers and, as the "basis" of H_4, the 4 next powers: the same points in
  // the same order as the honest 16 powers. Its commitments of public vectors over H_4 (of the powers' coefficients,
  // Σ v_i·[τ^(12+i)]₁) must not be served to the honest key from the process-wide cache.
  const forged = await createKzgKey(engine, powers.slice(0, 12), G2_ONE, g2Tau, new Map([[4, powers.slice(12)]]));
  assert.notEqual(forged.srsId, honest.srsId);
  const values = [1n, 1n, 1n, 0n];
  const digest = 'test/kzg/srs-id-collision';
  assert.ok(!(await publicCommitment(forged, digest, () => values)).equals(await commitLagrange(honest, values)), 'the forged key commits otherwise');
  assert.ok((await publicCommitment(honest, digest, () => values)).equals(await commitLagrange(honest, values)), 'the honest key is served its own commitment, not the forged key\'s');
});

test('keys and commitments refuse inconsistent sizes', async () => {
  const key = await keyPromise;
  await assert.rejects(commit(key, new Array(MAX_DEGREE + 2).fill(1n)), SrsError);
  await assert.rejects(createKzgKey(engine, [], G2_ONE, G2_ONE), SrsError);
  await assert.rejects(createKzgKey(engine, [G1_ONE], G2_ONE, G2_ONE, new Map([[4, [G1_ONE]]])), SrsError);
});

const singleSlots: SlotDecl[] = [
  { name: 'C', sort: 'g1', origin: 'statement' },
  { name: 'y', sort: 'fr', origin: 'message' },
  { name: 'zeta', sort: 'fr', origin: 'challenge' },
  { name: 'pi', sort: 'g1', origin: 'message' },
];

test('a single opening verifies; a wrong value, proof, commitment or point is rejected', async () => {
  const key = await keyPromise;
  const eq = openingEquation(key, 'open', { commitment: 'C', evaluation: 'y', point: 'zeta', proof: 'pi' });
  validateEquations(singleSlots, [eq], 2);
  await fc.assert(
    fc.asyncProperty(polyArb(MAX_DEGREE + 1, 1), polyArb(MAX_DEGREE + 1, 1), frArb, nonZeroArb, async (f, g, zeta, delta) => {
      const { value, proof } = await open(key, f, zeta);
      assert.equal(value, evaluate(f, zeta));
      const C = await commit(key, f);
      const honest: SlotValues = { C, y: value, zeta, pi: proof };
      assert.ok(await holds(engine, [eq], honest));
      assert.ok(!(await holds(engine, [eq], { ...honest, y: Fr.add(value, delta) })), 'wrong value');
      assert.ok(!(await holds(engine, [eq], { ...honest, pi: proof.add(G1_ONE.multiplyUnsafe(delta)) })), 'wrong proof');
      // Another point ζ' passes only if (ζ − ζ')·q(τ) = 0, that is for a constant f, whose proof is the identity.
      assert.ok(!(await holds(engine, [eq], { ...honest, zeta: Fr.add(zeta, delta) })) || proof.is0(), 'wrong point');
      const other = await commit(key, g);
      if (!other.equals(C)) assert.ok(!(await holds(engine, [eq], { ...honest, C: other })), 'swapped commitment');
    }),
    RUNS,
  );
});

/** Slot declarations and names of a batch of k openings at one point, with prefix p. */
function batchSlots(p: string, k: number, point: string) {
  const names = {
    commitments: Array.from({ length: k }, (_, i) => `${p}C${i}`),
    evaluations: Array.from({ length: k }, (_, i) => `${p}y${i}`),
    challenges: Array.from({ length: k }, (_, i) => `${p}v${i}`),
    point,
    proof: `${p}pi`,
  };
  const decls: SlotDecl[] = [
    ...names.commitments.map((name) => ({ name, sort: 'g1', origin: 'statement' }) as const),
    ...names.evaluations.map((name) => ({ name, sort: 'fr', origin: 'message' }) as const),
    ...names.challenges.map((name) => ({ name, sort: 'fr', origin: 'challenge' }) as const),
    { name: names.proof, sort: 'g1', origin: 'message' },
  ];
  return { names, decls };
}

/** Honest values of a batch: commitments, evaluations, challenges and the proof. */
async function batchValues(key: KzgKey, p: string, polys: bigint[][], z: bigint, challenges: bigint[], proof: G1Point): Promise<SlotValues> {
  const values: Record<string, G1Point | bigint> = { [`${p}pi`]: proof };
  for (let i = 0; i < polys.length; i++) {
    values[`${p}C${i}`] = await commit(key, polys[i]);
    values[`${p}y${i}`] = evaluate(polys[i], z);
    values[`${p}v${i}`] = challenges[i];
  }
  return values;
}

const batchArb = fc.integer({ min: 1, max: 4 }).chain((k) =>
  fc.tuple(
    fc.array(polyArb(MAX_DEGREE + 1, 1), { minLength: k, maxLength: k }),
    fc.array(nonZeroArb, { minLength: k, maxLength: k }),
  ),
);

test('a batched opening at one point verifies with one multi-pairing of two Miller loops; each tampering is rejected', async () => {
  const key = await keyPromise;
  await fc.assert(
    fc.asyncProperty(batchArb, frArb, nonZeroArb, fc.nat(), async ([polys, challenges], zeta, delta, pick) => {
      const k = polys.length;
      const { names, decls } = batchSlots('', k, 'zeta');
      const eq = batchOpeningEquation(key, 'batch', names);
      validateEquations([...decls, { name: 'zeta', sort: 'fr', origin: 'challenge' }], [eq], 2);
      const proof = await batchOpen(key, { polys, point: zeta, challenges });
      const honest: SlotValues = { ...(await batchValues(key, '', polys, zeta, challenges, proof)), zeta };
      engine.resetStats();
      assert.ok(await holds(engine, [eq], honest));
      assert.equal(engine.stats.multiPairings, 1);
      // Terms grouped by the public G2 points [1]₂ and [τ]₂; identity sums (zero polynomials) drop out.
      assert.ok(engine.stats.millerLoops <= 2, `${engine.stats.millerLoops} Miller loops`);

      const i = pick % k;
      const y = honest[`y${i}`] as bigint;
      assert.ok(!(await holds(engine, [eq], { ...honest, [`y${i}`]: Fr.add(y, delta) })), 'wrong evaluation');
      assert.ok(!(await holds(engine, [eq], { ...honest, pi: proof.add(G1_ONE) })), 'wrong proof');
      assert.ok(!(await holds(engine, [eq], { ...honest, zeta: Fr.add(zeta, delta) })) || proof.is0(), 'wrong point');
      if (k > 1) {
        const j = (i + 1) % k;
        const [ci, cj] = [honest[`C${i}`] as G1Point, honest[`C${j}`] as G1Point];
        const swapped = { ...honest, [`C${i}`]: cj, [`C${j}`]: ci };
        // Under equal challenges the batch is symmetric in C_i and C_j, so a swap is undetectable (and harmless).
        if (!ci.equals(cj) && challenges[i] !== challenges[j]) assert.ok(!(await holds(engine, [eq], swapped)), 'swapped commitments');
      }
    }),
    RUNS,
  );
});

test('equation builders reject mismatched batches', async () => {
  const key = await keyPromise;
  const { names } = batchSlots('', 2, 'zeta');
  assert.throws(() => batchOpeningEquation(key, 'x', { ...names, challenges: ['v0'] }));
  assert.throws(() => batchOpeningEquation(key, 'x', { ...names, commitments: [], evaluations: [], challenges: [] }));
});

test('a constant polynomial has the identity as proof, and its equation still pins the value', async () => {
  const key = await keyPromise;
  const eq = openingEquation(key, 'open', { commitment: 'C', evaluation: 'y', point: 'zeta', proof: 'pi' });
  const { value, proof } = await open(key, [7n], 3n);
  assert.ok(proof.is0());
  const honest: SlotValues = { C: await commit(key, [7n]), y: value, zeta: 3n, pi: proof };
  assert.ok(await holds(engine, [eq], honest));
  assert.ok(!(await holds(engine, [eq], { ...honest, y: 8n })));
});
