/**
 * The multi-point opening (src/kzg/multi-open.ts): k batched polynomials, each at its own point, opened with W and W'
 * (one point: W alone). Honest openings verify with one multi-pairing of two Miller loops; a wrong value at any point,
 * a changed W or W', or another polynomial under a commitment is rejected.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { G1, G1_ONE, type G1Point } from '../../src/curve';
import { createReferenceEngine } from '../../src/engine/reference';
import { EquationError, validateEquations, type SlotDecl, type SlotValues } from '../../src/equations/equation';
import { Fr } from '../../src/field';
import { commit } from '../../src/kzg/commit';
import { multiPointFirstProof, multiPointOpeningEquation, multiPointSecondProof, multiPointWeights, type PointOpening } from '../../src/kzg/multi-open';
import { stackPolynomials, stackRemainderAt } from '../../src/kzg/stack';
import { divideByLinear } from '../../src/poly/division';
import { evaluate } from '../../src/poly/polynomial';
import { frArb, polyArb } from '../poly/naive';
import { holds, TAU, testKey } from './helpers';

const engine = createReferenceEngine();
const MAX_DEGREE = 12;
const keyPromise = testKey(engine, MAX_DEGREE);
const nonZeroArb = frArb.filter((x) => x !== 0n);

/** Slots and honest values of an opening of `polys[b]` at `points[b]`: C_b, W (and x, W' for several points). */
async function opening(polys: bigint[][], points: bigint[], gamma: bigint, x: bigint) {
  const key = await keyPromise;
  const openings: PointOpening[] = polys.map((poly, b) => ({ poly, point: points[b] }));
  const single = polys.length === 1;
  const { h, proof: W } = await multiPointFirstProof(key, openings, single ? 1n : gamma);
  const { weights, vanishing } = single ? { weights: [1n], vanishing: 0n } : multiPointWeights(points.map((point) => ({ point })), gamma, x);
  const values: Record<string, G1Point | bigint> = { W, value: polys.reduce((acc, f, b) => Fr.add(acc, Fr.mul(weights[b], evaluate(f, points[b]))), 0n) };
  const decls: SlotDecl[] = [{ name: 'W', sort: 'g1', origin: 'message' }, { name: 'value', sort: 'fr', origin: 'derived' }];
  for (const [b, f] of polys.entries()) {
    values[`C${b}`] = await commit(key, f);
    values[`c${b}`] = weights[b];
    decls.push({ name: `C${b}`, sort: 'g1', origin: 'statement' }, { name: `c${b}`, sort: 'fr', origin: 'derived' });
  }
  if (single) {
    values.z = points[0];
    decls.push({ name: 'z', sort: 'fr', origin: 'challenge' });
  } else {
    values.x = x;
    values.zt = vanishing;
    values["W'"] = await multiPointSecondProof(key, openings, h, gamma, x);
    decls.push({ name: 'x', sort: 'fr', origin: 'challenge' }, { name: 'zt', sort: 'fr', origin: 'derived' }, { name: "W'", sort: 'g1', origin: 'message' });
  }
  const eq = multiPointOpeningEquation(key, 'open', {
    terms: polys.map((_, b) => ({ commitment: `C${b}`, coefficient: `c${b}` })),
    value: 'value',
    first: 'W',
    opening: single ? { point: 'z' } : { x: 'x', vanishing: 'zt', second: "W'" },
  });
  validateEquations(decls, [eq], 2);
  return { eq, values: values as SlotValues, weights };
}

const openingsArb = fc.integer({ min: 1, max: 4 }).chain((k) =>
  fc.tuple(fc.array(polyArb(MAX_DEGREE + 1, 1), { minLength: k, maxLength: k }), fc.uniqueArray(frArb, { minLength: k, maxLength: k })),
);

test('a multi-point opening verifies with one multi-pairing of two Miller loops; a wrong value, W, W′ or commitment is rejected', async () => {
  await fc.assert(
    fc.asyncProperty(openingsArb, nonZeroArb, frArb, nonZeroArb, fc.nat(), async ([polys, points], gamma, x, delta, pick) => {
      fc.pre(!points.includes(x));
      const { eq, values, weights } = await opening(polys, points, gamma, x);
      engine.resetStats();
      assert.ok(await holds(engine, [eq], values), 'honest');
      assert.equal(engine.stats.multiPairings, 1);
      assert.ok(engine.stats.millerLoops <= 2, `${engine.stats.millerLoops} Miller loops`);
      // A value off at point b: the value slot moves by w_b·δ.
      const b = pick % polys.length;
      assert.ok(!(await holds(engine, [eq], { ...values, value: Fr.add(values.value as bigint, Fr.mul(weights[b], delta)) })), 'wrong value');
      assert.ok(!(await holds(engine, [eq], { ...values, W: (values.W as G1Point).add(G1_ONE) })), 'changed W');
      if (polys.length > 1) assert.ok(!(await holds(engine, [eq], { ...values, "W'": (values["W'"] as G1Point).add(G1_ONE) })), "changed W'");
      // Another polynomial under C_b (its constant term moved), opened honestly otherwise.
      assert.ok(!(await holds(engine, [eq], { ...values, [`C${b}`]: (values[`C${b}`] as G1Point).add(G1_ONE.multiply(delta)) })), 'changed commitment');
    }),
    { numRuns: 12, seed: 3 },
  );
});

test('the weights: w_b = γ^b·Π_{c ≠ b}(x − z_c) and Z_T(x) = Π_b (x − z_b)', () => {
  const { weights, vanishing } = multiPointWeights([{ point: 2n }, { point: 3n }, { point: 5n }], 7n, 11n);
  assert.deepEqual(weights, [(11n - 3n) * (11n - 5n), 7n * (11n - 2n) * (11n - 5n), 49n * (11n - 2n) * (11n - 3n)]);
  assert.equal(vanishing, (11n - 2n) * (11n - 3n) * (11n - 5n));
});

/**
 * Openings of which some points give their quotient `[(F_b − y_b)/(X − z_b)]₁` committed instead of F_b's
 * coefficients (`CommittedQuotientOpening`, "A committed quotient" in multi-open.ts): F_b of degree up to twice the
 * key's, committed from the known τ, as a polynomial over another basis would be. The verifier's equation is the same.
 */
async function mixedOpening(polys: bigint[][], points: bigint[], committed: readonly boolean[], gamma: bigint, x: bigint, quotientOf = (f: bigint[], z: bigint) => divideByLinear(f, z).quotient) {
  const key = await keyPromise;
  const commitAnywhere = (f: readonly bigint[]) => (Fr.create(evaluate(f, TAU)) === 0n ? G1.ZERO : G1_ONE.multiply(Fr.create(evaluate(f, TAU))));
  const openings: PointOpening[] = polys.map((poly, b) => (committed[b] ? { quotient: commitAnywhere(quotientOf(poly, points[b])), point: points[b] } : { poly, point: points[b] }));
  const { h, proof: W } = await multiPointFirstProof(key, openings, gamma);
  const { weights, vanishing } = multiPointWeights(points.map((point) => ({ point })), gamma, x);
  const values: Record<string, G1Point | bigint> = { W, x, zt: vanishing, "W'": await multiPointSecondProof(key, openings, h, gamma, x) };
  values.value = polys.reduce((acc, f, b) => Fr.add(acc, Fr.mul(weights[b], evaluate(f, points[b]))), 0n);
  for (const [b, f] of polys.entries()) {
    values[`C${b}`] = commitAnywhere(f);
    values[`c${b}`] = weights[b];
  }
  const eq = multiPointOpeningEquation(key, 'open', {
    terms: polys.map((_, b) => ({ commitment: `C${b}`, coefficient: `c${b}` })),
    value: 'value',
    first: 'W',
    opening: { x: 'x', vanishing: 'zt', second: "W'" },
  });
  return { eq, values: values as SlotValues };
}

test('a committed quotient: points opened by their quotient commitments verify beside dense ones; a wrong quotient or a nonzero value is rejected', async () => {
  const wide = fc.integer({ min: 2, max: 4 }).chain((k) =>
    fc.tuple(
      fc.array(polyArb(2 * MAX_DEGREE + 1, 1), { minLength: k, maxLength: k }),
      fc.uniqueArray(frArb, { minLength: k, maxLength: k }),
      fc.array(fc.boolean(), { minLength: k, maxLength: k }).filter((c) => c.some((x) => x)),
    ),
  );
  await fc.assert(
    fc.asyncProperty(wide, nonZeroArb, frArb, nonZeroArb, async ([polys, points, committed], gamma, x, delta) => {
      fc.pre(!points.includes(x));
      // Dense points must fit the key: their coefficients are committed with its powers.
      const fitted = polys.map((f, b) => (committed[b] ? f : f.slice(0, MAX_DEGREE + 1)));
      const honest = await mixedOpening(fitted, points, committed, gamma, x);
      assert.ok(await holds(engine, [honest.eq], honest.values), 'honest');
      const b = committed.indexOf(true);
      const moved = await mixedOpening(fitted, points, committed, gamma, x, (f, z) => divideByLinear(f, z).quotient.map((c, i) => (i === 0 ? Fr.add(c, delta) : c)));
      assert.ok(!(await holds(engine, [moved.eq], moved.values)), 'a wrong quotient');
      // F_b with a nonzero value at z_b: its quotient is the division dropping the remainder, the claimed value kept.
      const shifted = fitted.map((f, c) => (c === b ? [Fr.add(f[0] ?? 0n, delta), ...f.slice(1)] : f));
      const lying = await mixedOpening(shifted, points, committed, gamma, x);
      const claimed = { ...lying.values, value: honest.values.value };
      assert.ok(!(await holds(engine, [lying.eq], claimed)), 'a value off at a committed-quotient point');
    }),
    { numRuns: 10, seed: 5 },
  );
});

test('the weights of binomial divisors: w_b = γ^b·Π_{c ≠ b}(x^(k_c) − z_c) and Z_T(x) = Π_b (x^(k_b) − z_b)', () => {
  const { weights, vanishing } = multiPointWeights([{ point: 2n }, { point: 3n, power: 2 }, { point: 5n, power: 3 }], 7n, 11n);
  const factors = [11n - 2n, 121n - 3n, 1331n - 5n];
  assert.deepEqual(weights, [factors[1] * factors[2], 7n * factors[0] * factors[2], 49n * factors[0] * factors[1]]);
  assert.equal(vanishing, factors[0] * factors[1] * factors[2]);
  assert.deepEqual(multiPointWeights([{ point: 2n, power: 1 }], 7n, 11n), multiPointWeights([{ point: 2n }], 7n, 11n));
});

test('a stacked opening at point 0 or a power that is not a positive safe integer is an EquationError; a point opening at 0 is not', async () => {
  const key = await keyPromise;
  for (const power of [0, -1, 1.5, Number.NaN, 2 ** 53]) assert.throws(() => multiPointWeights([{ point: 3n, power }], 7n, 11n), EquationError);
  assert.throws(() => multiPointWeights([{ point: 0n, power: 2 }], 7n, 11n), EquationError);
  await assert.rejects(multiPointFirstProof(key, [{ poly: [1n, 2n, 3n], point: 0n, power: 2 }], 1n), EquationError);
  await assert.rejects(multiPointSecondProof(key, [{ poly: [1n, 2n, 3n], point: 0n, power: 2 }], [], 1n, 5n), EquationError);
  assert.equal(multiPointWeights([{ point: 0n }, { point: 3n, power: 2 }], 7n, 11n).vanishing, 11n * (121n - 3n));
  const { h } = await multiPointFirstProof(key, [{ poly: [1n, 2n, 3n], point: 0n }], 1n);
  assert.deepEqual(h, [2n, 3n]);
});

/** One batch of a mixed opening: a point opening, a stack of k members opened at a nonzero point, or a committed quotient. */
type Batch =
  | { readonly kind: 'point'; readonly poly: bigint[]; readonly point: bigint }
  | { readonly kind: 'stack'; readonly members: bigint[][]; readonly point: bigint }
  | { readonly kind: 'quotient'; readonly poly: bigint[]; readonly point: bigint };

/** `[f(τ)]₁` from the known τ, for polynomials of any degree (a committed quotient's F_b is wider than the key). */
const commitAnywhere = (f: readonly bigint[]) => (Fr.create(evaluate(f, TAU)) === 0n ? G1.ZERO : G1_ONE.multiply(Fr.create(evaluate(f, TAU))));

/**
 * The slots of an opening of `batches` with the honest proofs, the claims being each batch's values (a point's value,
 * a stack's members' values at its point) as `claim` changes them. The value slot is `Σ_b w_b·r_b(x)`.
 */
async function stackedOpening(batches: readonly Batch[], gamma: bigint, x: bigint, claim: (b: number, values: bigint[]) => bigint[] = (_, v) => v) {
  const key = await keyPromise;
  const polyOf = (batch: Batch) => (batch.kind === 'stack' ? stackPolynomials(batch.members) : batch.poly);
  const openings: PointOpening[] = batches.map((batch) => {
    if (batch.kind === 'quotient') return { quotient: commitAnywhere(divideByLinear(batch.poly, batch.point).quotient), point: batch.point };
    return batch.kind === 'stack' ? { poly: polyOf(batch), point: batch.point, power: batch.members.length } : { poly: batch.poly, point: batch.point };
  });
  const { h, proof: W } = await multiPointFirstProof(key, openings, gamma);
  const { weights, vanishing } = multiPointWeights(openings, gamma, x);
  const remainders = batches.map((batch, b) =>
    batch.kind === 'stack' ? stackRemainderAt(claim(b, batch.members.map((t) => evaluate(t, batch.point))), x) : claim(b, [evaluate(batch.poly, batch.point)])[0],
  );
  const values: Record<string, G1Point | bigint> = { W, x, zt: vanishing, "W'": await multiPointSecondProof(key, openings, h, gamma, x) };
  values.value = remainders.reduce((acc, r, b) => Fr.add(acc, Fr.mul(weights[b], r)), 0n);
  batches.forEach((batch, b) => {
    values[`C${b}`] = commitAnywhere(polyOf(batch));
    values[`c${b}`] = weights[b];
  });
  const eq = multiPointOpeningEquation(key, 'open', {
    terms: batches.map((_, b) => ({ commitment: `C${b}`, coefficient: `c${b}` })),
    value: 'value',
    first: 'W',
    opening: { x: 'x', vanishing: 'zt', second: "W'" },
  });
  return { eq, values: values as SlotValues, vanishing };
}

const stackArb = fc.integer({ min: 2, max: 4 }).chain((k) =>
  fc.record({
    kind: fc.constant('stack' as const),
    members: fc.array(polyArb(Math.floor((MAX_DEGREE + 1) / k), 1), { minLength: k, maxLength: k }),
    point: nonZeroArb,
  }),
);
const batchArb: fc.Arbitrary<Batch> = fc.oneof(
  fc.record({ kind: fc.constant('point' as const), poly: polyArb(MAX_DEGREE + 1, 1), point: frArb }),
  stackArb,
  fc.record({ kind: fc.constant('quotient' as const), poly: polyArb(2 * MAX_DEGREE + 1, 1), point: frArb }),
);
const batchesArb = fc.tuple(stackArb, fc.array(batchArb, { maxLength: 3 }), fc.nat()).map(([stack, rest, at]) => {
  const batches: Batch[] = [...rest];
  batches.splice(at % (rest.length + 1), 0, stack);
  return batches;
});

test('stacked openings (k = 2, 3, 4) beside point openings and a committed quotient verify; a member value off, members swapped, a changed W or W′: rejected', async () => {
  const fixed: Batch[] = [
    { kind: 'point', poly: [1n, 2n, 3n, 4n], point: 5n },
    { kind: 'stack', members: [[6n, 7n, 8n], [9n, 10n]], point: 11n },
    { kind: 'stack', members: [[12n, 13n], [14n], [15n, 16n, 17n, 18n]], point: 19n },
    { kind: 'stack', members: [[20n, 21n], [22n, 23n], [24n], [25n, 26n, 27n]], point: 28n },
    { kind: 'quotient', poly: Array.from({ length: 2 * MAX_DEGREE + 1 }, (_, i) => BigInt(i * i + 29)), point: 5n },
  ];
  const mix = await stackedOpening(fixed, 30n, 31n);
  assert.ok(await holds(engine, [mix.eq], mix.values), 'the fixed mix');
  await fc.assert(
    // x = 0 reads a stack's remainder at 0, its first member's value only: one of the deg + Σ_b k_b values of x at which
    // a false claim passes (module comment), and a divisor's root another; the test draws x off both.
    fc.asyncProperty(batchesArb, nonZeroArb, nonZeroArb, nonZeroArb, fc.nat(), fc.nat(), async (batches, gamma, x, delta, pickBatch, pickMember) => {
      const honest = await stackedOpening(batches, gamma, x);
      fc.pre(honest.vanishing !== 0n);
      assert.ok(await holds(engine, [honest.eq], honest.values), 'honest');
      const stacks = batches.flatMap((batch, b) => (batch.kind === 'stack' ? [b] : []));
      const b = stacks[pickBatch % stacks.length];
      const k = (batches[b] as Extract<Batch, { kind: 'stack' }>).members.length;
      const j = pickMember % k;
      const off = await stackedOpening(batches, gamma, x, (c, v) => (c === b ? v.map((y, i) => (i === j ? Fr.add(y, delta) : y)) : v));
      assert.ok(!(await holds(engine, [off.eq], off.values)), `member ${j} of batch ${b} off`);
      const swapped = await stackedOpening(batches, gamma, x, (c, v) => (c === b ? v.map((_, i) => v[i === j ? (j + 1) % k : i === (j + 1) % k ? j : i]) : v));
      const same = swapped.values.value === honest.values.value;
      assert.ok(same || !(await holds(engine, [swapped.eq], swapped.values)), `members ${j} and ${(j + 1) % k} of batch ${b} swapped`);
      assert.ok(!(await holds(engine, [honest.eq], { ...honest.values, W: (honest.values.W as G1Point).add(G1_ONE) })), 'changed W');
      assert.ok(!(await holds(engine, [honest.eq], { ...honest.values, "W'": (honest.values["W'"] as G1Point).add(G1_ONE) })), "changed W'");
    }),
    { numRuns: 16, seed: 11 },
  );
});
