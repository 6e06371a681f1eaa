/**
 * The bundle identity of `blocks/logup-iop.ts` beyond eight columns, linear and expanded mixed: the terms
 * `logupIopSpec` writes by halves, evaluated as the poly-IOP reads them (a linear form as the sum of its terms, a
 * composed read as the claim's evaluation at ζ^k), equal the direct form
 * `h·Π_c(β − f_c) − Σ_c w_c·Π_{c'≠c}(β − f_c')` at random field values of every opened evaluation, public, scalar and
 * of the helper. Both sides are polynomials in those values of degree at most `d = 1 + Σ_c deg f_c` (41 here), so
 * agreement at a uniform point of Fr is agreement as polynomials but for a chance of d/|Fr| (Schwartz–Zippel); a wrong
 * weight, a wrong value or a dropped column makes them differ. The compiler accepts such a bundle (`polyIopProtocol`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { FieldMonomial } from '../../src/equations/equation';
import { R } from '../../src/field';
import { logupIopSpec, type BundleBound } from '../../blocks/logup-iop';
import type { LogupColumn, LogupSpec, OpeningClaim } from '../../blocks/logup';
import { polyIopProtocol, publicVector, type Factor, type Identity, type IdentityTerm, type PolyIopSpec } from '../../blocks/poly-iop';
import { context } from '../soundness/helpers';

/** Domain of the columns: composed reads (X^2) read oracles of H_2. */
const N = 4;
/** A key far larger than any bundle here needs, and the base blinding: the bundle is bounded by its quotient coset alone. */
const BOUND: BundleBound = { powers: 1 << 24, coefficients: 3 };

/** How a column's value reads the block's polynomials: linear kinds become one linear form `β − f`, the others expanded. */
const LINEAR = ['read', 'pair', 'composed', 'constant'] as const;
const EXPANDED = ['product', 'masked', 'composedProduct'] as const;
type ValueKind = (typeof LINEAR)[number] | (typeof EXPANDED)[number];
const WEIGHTS = ['one', 'constant', 'multiplicity', 'public', 'maskedMultiplicity', 'scalar'] as const;
type WeightKind = (typeof WEIGHTS)[number];

interface ColumnRecipe {
  readonly value: ValueKind;
  readonly weight: WeightKind;
  /** Nonzero coefficients of its monomials. */
  readonly coeffs: readonly [bigint, bigint, bigint, bigint];
}

/** Degree in X of a value kind, counted as `logupBundles` counts it (a composed read X^2 counts 2). */
const valueDegree: Record<ValueKind, number> = { read: 1, pair: 1, composed: 2, constant: 1, product: 2, masked: 2, composedProduct: 3 };

/** A logUp spec of one column per recipe on H_N, every opened evaluation its own commitment, γ a scalar. */
function specOf(recipes: readonly ColumnRecipe[]): LogupSpec {
  const claims: OpeningClaim[] = [];
  const publicNames: string[] = [];
  const opened = (name: string, power?: number) => {
    claims.push({ commitment: `C:${name}`, evaluation: name, ...(power && { power }) });
    return name;
  };
  const publicOf = (name: string) => {
    publicNames.push(name);
    return name;
  };
  const m = (coeff: bigint, ...scalars: string[]): FieldMonomial => ({ coeff, scalars });
  const columns = recipes.map((r, i): LogupColumn => {
    const [a, b, c, d] = r.coeffs;
    const value: Record<ValueKind, () => FieldMonomial[]> = {
      read: () => [m(1n, opened(`x${i}`))],
      pair: () => [m(a, opened(`x${i}`)), m(b, 'gamma', opened(`y${i}`))],
      composed: () => [m(a, opened(`z${i}`, 2)), m(b, publicOf(`p${i}`))],
      constant: () => [m(a, opened(`x${i}`)), m(b)],
      product: () => [m(a, opened(`x${i}`), opened(`y${i}`))],
      masked: () => [m(a, opened(`x${i}`), publicOf(`p${i}`)), m(b, 'gamma', opened(`y${i}`))],
      composedProduct: () => [m(a, opened(`z${i}`, 2), opened(`x${i}`))],
    };
    const weight: Record<WeightKind, () => FieldMonomial[]> = {
      one: () => [m(1n)],
      constant: () => [m(c)],
      multiplicity: () => [m(R - 1n, opened(`m${i}`))],
      public: () => [m(c, publicOf(`q${i}`))],
      maskedMultiplicity: () => [m(c, opened(`m${i}`), publicOf(`q${i}`)), m(d)],
      scalar: () => [m(c, 'gamma')],
    };
    return { name: `c${i}`, domain: N, value: value[r.value](), weight: weight[r.weight]() };
  });
  return {
    foldKey: 'bundle-identity',
    statement: claims.map((c) => c.commitment),
    committedBeforeBeta: [],
    preChallenges: ['gamma'],
    publics: publicNames.map((name) => publicVector(name, N, () => Array<bigint>(N).fill(0n))),
    columns,
    claims,
  };
}

/** Field values of the variables, each drawn once from `pool` in order of first use (the helper h is `h`). */
function valuation(pool: readonly bigint[]): (name: string) => bigint {
  const values = new Map<string, bigint>();
  return (name) => {
    if (!values.has(name)) {
      if (values.size >= pool.length) throw new Error(`more variables than the pool's ${pool.length} values`);
      values.set(name, pool[values.size]);
    }
    return values.get(name)!;
  };
}

const monomialsAt = (ms: readonly FieldMonomial[], v: (name: string) => bigint) =>
  ms.reduce((s, m) => (s + m.scalars.reduce((p, x) => (p * v(x)) % R, m.coeff)) % R, 0n);

/** The direct form `h·Π_c(β − f_c) − Σ_c w_c·Π_{c'≠c}(β − f_c')` of `columns` at `v`. */
function directForm(columns: readonly LogupColumn[], v: (name: string) => bigint): bigint {
  const factors = columns.map((c) => (v('beta') - monomialsAt(c.value, v) + R) % R);
  const productBut = (skip: number) => factors.reduce((p, f, i) => (i === skip ? p : (p * f) % R), 1n);
  const weighted = columns.reduce((s, c, i) => (s + monomialsAt(c.weight, v) * productBut(i)) % R, 0n);
  return (v('h') * productBut(-1) - weighted + R) % R;
}

/**
 * The single bundle identity of `spec` evaluated at `v` as the poly-IOP reads its terms: an oracle of an opened
 * commitment read plainly or composed with X^k is the evaluation its claim of that power names, the helper oracle
 * (committed in no claim) is `h`, a public or a scalar its slot's value, a linear form the sum of its terms.
 */
function builtForm(logup: LogupSpec, spec: PolyIopSpec, v: (name: string) => bigint): bigint {
  const bundles = spec.identities.filter((id) => id.name.startsWith('logup/'));
  assert.equal(bundles.length, 1, 'one bundle');
  const commitmentOf = new Map(spec.oracles.map((o) => [o.name, o.commitment]));
  const factorAt = (f: Factor): bigint => {
    if ('sum' in f) {
      // What the compiler accepts as a linear form (and evaluates once at ζ): terms of at most one polynomial factor.
      assert.ok(f.sum.every((u) => u.factors.filter((g) => !('scalar' in g)).length <= 1), 'a linear form holds terms of one polynomial factor');
      return termsAt(f.sum);
    }
    if ('scalar' in f) return v(f.scalar);
    if ('public' in f) return v(f.public);
    assert.equal(f.rotation, undefined, 'a bundle reads no rotation');
    const commitment = commitmentOf.get(f.oracle);
    assert.ok(commitment !== undefined, `oracle ${f.oracle} is declared`);
    const claim = logup.claims.find((c) => c.commitment === commitment && (c.power ?? 1) === (f.power ?? 1));
    if (claim) return v(claim.evaluation);
    assert.equal(f.power, undefined, 'the helper is read plainly');
    assert.ok(!logup.claims.some((c) => c.commitment === commitment), `oracle ${f.oracle} is read at a power none of its claims has`);
    return v('h');
  };
  const termsAt = (ts: readonly IdentityTerm[]): bigint => ts.reduce((s, t) => (s + t.factors.reduce((p, f) => (p * factorAt(f)) % R, t.coeff)) % R, 0n);
  return termsAt((bundles[0] as Identity).terms);
}

const coefficient = fc.bigInt({ min: 1n, max: R - 1n });
const recipe = (kinds: readonly ValueKind[]) =>
  fc.record({ value: fc.constantFrom(...kinds), weight: fc.constantFrom(...WEIGHTS), coeffs: fc.tuple(coefficient, coefficient, coefficient, coefficient) });

/**
 * k columns in a random order, between one and four of them expanded (at most four: an expanded `β − f` of t
 * monomials multiplies the bundle's terms by t + 1), the others linear, their total degree within what keeps the
 * bundle's quotient coset at most `CHEAP_COSET` points on H_4 (so the k columns are one bundle).
 */
const recipes = (k: number) =>
  fc
    .tuple(fc.integer({ min: 1, max: 4 }), fc.array(recipe(EXPANDED), { minLength: 4, maxLength: 4 }), fc.array(recipe(LINEAR), { minLength: k, maxLength: k }))
    .chain(([e, expanded, linear]) => fc.shuffledSubarray([...expanded.slice(0, e), ...linear.slice(e)], { minLength: k, maxLength: k }))
    .filter((rs) => rs.reduce((d, r) => d + valueDegree[r.value], 0) <= 40);

/**
 * Uniform values of Fr, unbiased: fast-check's bias towards small values would repeat them, so that β equals some
 * f_c, where `Π_{c'≠c}(β − f_c')` and with it every difference the test checks for vanish (Schwartz–Zippel counts
 * uniform points).
 */
const pool = fc.array(fc.noBias(fc.bigInt({ min: 0n, max: R - 1n })), { minLength: 96, maxLength: 96 });

for (const k of [9, 12, 13, 16]) {
  test(`logupIopSpec: a bundle of ${k} columns, linear and expanded mixed, written by halves, equals h·Π(β − f_c) − Σ_c w_c·Π_{c'≠c}(β − f_c') at random values; a wrong weight, a wrong value or a dropped column makes it differ`, async () => {
    const ctx = await context(64);
    const [sample] = fc.sample(recipes(k), { seed: k, numRuns: 1 });
    assert.doesNotThrow(() => polyIopProtocol(logupIopSpec(specOf(sample), BOUND), ctx.kzg, ctx.engine), 'the compiler accepts the bundle');
    fc.assert(
      fc.property(recipes(k), pool, fc.nat(k - 1), coefficient, (rs, values, j, delta) => {
        const logup = specOf(rs);
        const spec = logupIopSpec(logup, BOUND);
        const bundle = spec.identities.find((id) => id.name.startsWith('logup/'))!;
        assert.equal(bundle.name.split('logup/')[1].split('+').length, k, `the ${k} columns are one bundle`);
        const linear = rs.filter((r) => (LINEAR as readonly string[]).includes(r.value)).length;
        assert.equal(Math.max(...bundle.terms.map((t) => t.factors.filter((f) => 'sum' in f).length)), linear, 'one linear form per linear column, the expanded columns expanded');
        const v = valuation(values);
        const direct = directForm(logup.columns, v);
        assert.equal(builtForm(logup, spec, v), direct);

        // The comparison fails for an identity other than the bundle's: column j's weight or value off by δ, or column j left out.
        const shifted = (ms: readonly FieldMonomial[]) => [...ms, { coeff: delta, scalars: [] }];
        const columns = (edit: (c: LogupColumn, i: number) => LogupColumn[]) => ({ ...logup, columns: logup.columns.flatMap(edit) });
        const wrongWeight = columns((c, i) => [i === j ? { ...c, weight: shifted(c.weight) } : c]);
        const wrongValue = columns((c, i) => [i === j ? { ...c, value: shifted(c.value) } : c]);
        // A claim read by no column is refused by the spec: the dropped column's claims go with it.
        const dropped = columns((c, i) => (i === j ? [] : [c]));
        const read = new Set(dropped.columns.flatMap((c) => [...c.value, ...c.weight].flatMap((m) => m.scalars)));
        const droppedSpec = { ...dropped, claims: dropped.claims.filter((c) => read.has(c.evaluation)) };
        for (const [what, wrong] of [['weight', wrongWeight], ['value', wrongValue], ['dropped', droppedSpec]] as const)
          assert.notEqual(builtForm(wrong, logupIopSpec(wrong, BOUND), v), direct, `column ${j}: ${what}`);
      }),
      // No shrinking: a failure's assertion names the column and the edit, and shrinking 96 field values through a chained
      // shuffle takes minutes.
      { numRuns: 25, endOnFailure: true },
    );
  });
}
