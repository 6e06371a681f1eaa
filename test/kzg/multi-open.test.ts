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
import { validateEquations, type SlotDecl, type SlotValues } from '../../src/equations/equation';
import { Fr } from '../../src/field';
import { commit } from '../../src/kzg/commit';
import { multiPointFirstProof, multiPointOpeningEquation, multiPointSecondProof, multiPointWeights, type PointOpening } from '../../src/kzg/multi-open';
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
  const { weights, vanishing } = single ? { weights: [1n], vanishing: 0n } : multiPointWeights(points, gamma, x);
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
  const { weights, vanishing } = multiPointWeights([2n, 3n, 5n], 7n, 11n);
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
  const { weights, vanishing } = multiPointWeights(points, gamma, x);
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
