/**
 * The quotient of a polynomial identity by the vanishing polynomial, `t = P / Z_H`, computed on a coset:
 * what a block proves with `P(X) = t(X)·Z_H(X)` (for example `P = a·b − c`).
 * @module
 */
import { coefficientReader, formPolynomials, isDerived, polynomialLengths } from '../engine/derived';
import type { CosetPolynomial, Engine, ProductTerm } from '../engine/engine';
import { PolyError } from '../errors';
import { Fr, R, randomFr } from '../field';
import { EvaluationDomain } from './domain';
import { trim, type Polynomial } from './polynomial';
import { FR_GENERATOR, nextPowerOfTwo } from './roots';

/** An identity `P(X) = combine(f_0(X), …, f_(k−1)(X))` that must vanish on H. */
export interface VanishingIdentity {
  /**
   * The polynomials f_j, in coefficient form (any degree) or derived from earlier ones ({@link CosetPolynomial}: a
   * linear form or a shifted factor, which the engine forms where it computes the quotient).
   */
  readonly polys: readonly CosetPolynomial[];
  /**
   * The total degree of `combine` in its arguments (2 for `a·b − c`). It bounds deg P by
   * `degree · max_j deg f_j`, which sizes the coset; a wrong value is detected, not trusted.
   */
  readonly degree: number;
  /**
   * P at one point from the values `f_j(x)`: a polynomial expression in them whose coefficients do not
   * depend on x (challenges captured by the closure are fine).
   */
  readonly combine: (values: readonly bigint[]) => bigint;
  /**
   * A tighter bound on deg P when the caller knows P's terms (the largest sum of its factors' degrees over the
   * terms), so that one high-degree factor does not size the coset for every product. Like `degree`, a wrong
   * value is detected, not trusted.
   */
  readonly degreeBound?: number;
  /**
   * `combine` as data, when it is a sum of products `Σ_t coeff_t·Π_{j ∈ factors_t} f_j`: the transforms, the values
   * of P on the coset and their division by Z_H are then one engine call ({@link Engine.cosetIdentities}, in the
   * WebAssembly kernels without a conversion between steps) instead of a transform per factor and `combine` at
   * every point. It must be the same polynomial as `combine`, which stays the one the remainder check
   * and the failing-row report use (a mismatch is caught by the check, as a wrong `degree` is).
   */
  readonly terms?: readonly ProductTerm[];
  /**
   * With `terms`: the numbers of consecutive terms that each form a sum vanishing on H by itself (the identities a
   * random combination `Σ_j λ^j·P_j` is made of; they add up to `terms.length`). Each part's quotient then needs only
   * a coset sized by its own degree, so parts of like size are computed together on the smallest coset that holds
   * them and their coefficients added ({@link quotientByVanishing}). Like `degree`, a wrong partition (a part that
   * does not vanish on H) is detected, not trusted.
   */
  readonly partSizes?: readonly number[];
}

/**
 * `t = P / Z_H` for `Z_H = X^n − 1`, n = |H|. P is evaluated on a coset g·H_m (g = 5, m the smallest power of
 * two ≥ max(n, deg P − n + 1)), divided pointwise by `Z_H(g·ω_m^i) = g^n·ω_m^(i·n) − 1` (m/n distinct values,
 * never zero on the coset), and interpolated back: exact when Z_H divides P, since then those m values are those
 * of t, whose degree deg P − n is below m. (Sizing by deg t rather than deg P halves the coset of every identity.)
 * With `terms` and `partSizes`, `P = Σ_p P_p` with each P_p vanishing on H, so `t = Σ_p P_p / Z_H`: each part is
 * computed this way on the smallest coset its own degree needs (parts grouped by coset size), and the parts'
 * coefficients are added. t is unique, so the result is the same polynomial as with one coset of size m.
 * A group may also sit on a coset of m points although its quotient t_g has a few more coefficients, e < m (a
 * blinded oracle's degree n + 2 puts a product of three at degree 3n + 6, so t_g at 2n + 7 coefficients): writing
 * `t_g = low + X^m·hi` (deg low < m, deg hi < e), the coset values give `t_g mod (X^m − g^m) = low + g^m·hi`, and hi
 * is read off P_g's top coefficients directly, `t_(m+j) = Σ_(q≥1) P_(m+j+q·n) = P_(m+n+j)` (`t = P·(X^(−n) + X^(−2n)
 * + …)` at the top, and deg P_g < m + 2n when e ≤ n), each a short convolution of the factors' top e coefficients.
 *
 * The remainder is checked: `t(x)·Z_H(x) = P(x)` at a fresh random x, which fails with probability
 * ≥ 1 − (m + n)/r whenever P mod Z_H ≠ 0 or `degree` (or `degreeBound`) understates deg P. On failure the rows of H where P does
 * not vanish are reported in the {@link PolyError}, so a wrong witness is located rather than proven.
 */
export async function quotientByVanishing(domain: EvaluationDomain, identity: VanishingIdentity): Promise<Polynomial> {
  const { polys, combine } = identity;
  if (!Number.isInteger(identity.degree) || identity.degree < 1) throw new PolyError(`identity degree must be a positive integer, got ${identity.degree}`);
  const n = domain.size;
  // Only a polynomial with zero top coefficients is copied without them: the others are read, never written.
  const trimmed = polys.map((f) => (isDerived(f) || f.length === 0 || f[f.length - 1] !== 0n ? f : trim(f)));
  const lengths = polynomialLengths(trimmed);
  let maxDeg = 0;
  for (const length of lengths) maxDeg = Math.max(maxDeg, length - 1);
  const degP = Math.min(identity.degree * maxDeg, identity.degreeBound ?? Infinity);
  const m = cosetSize(n, degP);
  const big = m === n ? domain : new EvaluationDomain(m, domain.engine);
  // The remainder check's point, drawn before the quotient so that the factors are evaluated there on the way.
  const x = randomFr();

  let t: bigint[];
  let atX: readonly bigint[];
  if (identity.terms !== undefined) {
    const groups = cosetGroups(n, m, lengths, identity.terms, identity.partSizes ?? [identity.terms.length]);
    const parts = groups.map(({ size, terms }) => ({ size, terms, scale: vanishingInversesOnCoset(size === m ? big : new EvaluationDomain(size, domain.engine), n) }));
    const result = await domain.engine.cosetIdentities(FR_GENERATOR, trimmed, parts, x);
    const coefficient = coefficientReader(trimmed);
    t = result.coefficients;
    atX = result.values;
    // Each group's top coefficients hi: low = (coset interpolant) − g^m·hi, then hi above the coset's m coefficients.
    for (const g of groups) {
      const hi = topCoefficients(coefficient, lengths, g.terms, g.size + n, g.top);
      const gm = Fr.pow(FR_GENERATOR, BigInt(g.size));
      while (t.length < g.size + g.top) t.push(0n);
      hi.forEach((h, j) => {
        t[j] = Fr.sub(t[j], Fr.mul(gm, h));
        t[g.size + j] = Fr.add(t[g.size + j], h);
      });
    }
    // deg t < m when the declared degree holds: coefficients from m on are dropped (if any is not zero, the degree
    // was understated and the remainder check below refuses the result, as it does on the other path).
    while (t.length < m) t.push(0n);
    t.length = m;
  } else {
    const zhInverses = vanishingInversesOnCoset(big, n);
    const ratio = m / n;
    const formed = formPolynomials(trimmed);
    const cosetValues = formed.map((f) => big.cosetFft(f));
    const tEvals = new Array<bigint>(m);
    const row = new Array<bigint>(polys.length);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < polys.length; j++) row[j] = cosetValues[j][i];
      tEvals[i] = Fr.mul(Fr.create(combine(row)), zhInverses[i % ratio]);
    }
    t = big.cosetIfft(tEvals);
    atX = domain.engine.evaluateAt(formed, x);
  }
  checkRemainder(domain, identity, t, x, atX);
  return t;
}

/**
 * The coset size for a quotient of P by Z_H, deg P ≤ `degP`: t = P / Z_H has degree deg P − n, and m > deg t values
 * on a coset determine it (P's own degree does not matter), so m is the smallest power of two ≥ max(n, deg P − n + 1).
 */
function cosetSize(n: number, degP: number): number {
  return Math.max(n, nextPowerOfTwo(Math.max(0, degP - n) + 1));
}

/**
 * The most top coefficients of a group's quotient computed from its terms rather than from coset values: each costs
 * a convolution of the factors' top coefficients in bigints, so only the few a blinding adds are worth it.
 */
const TOP_MAX = 16;

/**
 * The smallest coset {@link quotientByVanishing} computes a part on whose terms have degree ≤ `bound` over H_n, up
 * to `top(n)` top coefficients of its quotient computed directly: the smallest power of two m ≥ n with
 * `deg t + 1 − m ≤ top(n)`, deg t = bound − n (the grouping may take 2m instead when those coefficients cost more).
 * What one such part costs the prover grows with m: each of its polynomials is transformed on m points and its terms
 * evaluated at each.
 */
export function quotientCosetSize(n: number, bound: number): number {
  return Math.max(n, nextPowerOfTwo(Math.max(1, bound - n + 1 - topLimit(n))));
}

/** How many top coefficients may be computed directly over H_n: at most {@link TOP_MAX} and at most n (so deg P_g < m + 2n). */
function topLimit(n: number): number {
  return Math.min(TOP_MAX, n);
}

/** Parts computed on one coset: its size, their terms, and how many of their quotient's top coefficients lie above it. */
interface CosetGroup {
  readonly size: number;
  readonly terms: readonly ProductTerm[];
  readonly top: number;
}

/**
 * The parts of `terms` grouped by coset. Part p needs a coset of size `m_p = quotientCosetSize(n, max_t Σ_{f ∈ t} deg f)`
 * over its terms (at most m, the whole's); a part may also be computed on any larger coset, and its quotient is the
 * same polynomial wherever it is computed (when it vanishes on H: t_p is unique, and a coset of size s gives its
 * coefficients below s, those above from the top coefficients). So the result `Σ_p t_p` does not depend on the
 * grouping, which only sets the work: among the sets of sizes that contain m, each part going to the smallest chosen
 * size ≥ m_p, the one of least estimated cost: one transform per polynomial, on the largest group that reads it (a
 * smaller group reads a subset of its values, {@link Engine.cosetIdentities}), one back per group of size s,
 * s·log2(s)/2 butterflies each, s products per factor of each term, and per term above the coset the convolution of
 * its factors' top coefficients (counted as 8 butterflies per bigint product).
 */
function cosetGroups(n: number, m: number, lengths: readonly number[], terms: readonly ProductTerm[], partSizes: readonly number[]): CosetGroup[] {
  if (partSizes.some((k) => !Number.isInteger(k) || k < 0) || partSizes.reduce((a, k) => a + k, 0) !== terms.length)
    throw new PolyError(`identity parts of ${partSizes.join(', ')} terms do not add up to its ${terms.length} terms`);
  for (const t of terms)
    for (const f of t.factors)
      if (!Number.isInteger(f) || f < 0 || f >= lengths.length) throw new PolyError(`identity term factor ${f} names none of the ${lengths.length} polynomials`);
  const degrees = lengths.map((length) => Math.max(0, length - 1));
  const termDegree = (t: ProductTerm) => t.factors.reduce((s, f) => s + degrees[f], 0);
  const parts: { size: number; terms: readonly ProductTerm[] }[] = [];
  let start = 0;
  for (const k of partSizes) {
    const partTerms = terms.slice(start, (start += k));
    const bound = partTerms.reduce((d, t) => Math.max(d, termDegree(t)), 0);
    parts.push({ size: Math.min(m, quotientCosetSize(n, bound)), terms: partTerms });
  }
  const smaller = [...new Set(parts.map((p) => p.size))].filter((s) => s < m).sort((a, b) => a - b);
  let best: CosetGroup[] = [];
  let bestCost = Infinity;
  for (let mask = 0; mask < 1 << smaller.length; mask++) {
    const sizes = [...smaller.filter((_, i) => (mask >> i) & 1), m];
    const bySize = new Map<number, ProductTerm[]>(sizes.map((s) => [s, []]));
    for (const p of parts) bySize.get(sizes.find((s) => s >= p.size)!)!.push(...p.terms);
    const groups = [...bySize]
      .filter(([, ts]) => ts.length > 0)
      .map(([size, ts]) => {
        // Quotient coefficients at and above `size` (a declared bound that capped m may leave more than the limit:
        // then none are computed, and the remainder check reports the understated degree).
        const top = Math.max(0, ts.reduce((d, t) => Math.max(d, termDegree(t)), 0) - n + 1 - size);
        return { size, terms: ts, top: top <= topLimit(n) ? top : 0 };
      });
    const transformed = new Map<number, number>();
    for (const g of groups) for (const t of g.terms) for (const f of t.factors) transformed.set(f, Math.max(transformed.get(f) ?? 0, g.size));
    const butterflies = (s: number) => (s / 2) * Math.log2(s);
    let cost = 0;
    for (const s of transformed.values()) cost += butterflies(s);
    for (const g of groups) {
      cost += butterflies(g.size) + g.size * g.terms.reduce((k, t) => k + t.factors.length, 0);
      for (const t of g.terms) cost += 8 * t.factors.length * (Math.max(-1, termDegree(t) - g.size - n) + 1) ** 2;
    }
    if (cost < bestCost) [best, bestCost] = [groups, cost];
  }
  return best;
}

/**
 * The coefficients `P_(from+j)` (j < count) of `P = Σ_t coeff_t·Π_{f ∈ factors_t} f`, from the factors' top
 * coefficients only (`coefficient(f, i)`, f of `lengths[f]` coefficients; a derived factor's are formed only there):
 * a term of degree S = Σ deg f reaches degree from + j ≥ from only through coefficients of each factor f at
 * degree ≥ deg f − (S − from), so each term is a convolution of its factors' top S − from + 1 coefficients (listed
 * from the top down), truncated there.
 */
function topCoefficients(coefficient: (f: number, i: number) => bigint, lengths: readonly number[], terms: readonly ProductTerm[], from: number, count: number): bigint[] {
  const out = new Array<bigint>(count).fill(0n);
  if (count === 0) return out;
  for (const t of terms) {
    if (t.factors.some((f) => lengths[f] === 0)) continue;
    const degree = t.factors.reduce((s, f) => s + lengths[f] - 1, 0);
    const depth = degree - from;
    if (depth < 0) continue;
    // rev[s] = coefficient of the partial product at degree (its degree − s), for s ≤ depth.
    let rev: bigint[] = [Fr.create(t.coeff)];
    for (const f of t.factors) {
      const top = Array.from({ length: Math.min(depth + 1, lengths[f]) }, (_, b) => coefficient(f, lengths[f] - 1 - b));
      const next = new Array<bigint>(depth + 1).fill(0n);
      for (let a = 0; a < rev.length; a++) {
        if (rev[a] === 0n) continue;
        for (let b = 0; a + b <= depth && b < top.length; b++) next[a + b] += rev[a] * top[b];
      }
      rev = next.map((x) => x % R);
    }
    for (let j = 0; j < count && j <= depth; j++) out[j] = (out[j] + rev[depth - j]) % R;
  }
  return out;
}

/** `1 / Z_H(g·ω_m^i)` for i < m/n: the values repeat with period m/n because ω_m^n has order m/n. */
function vanishingInversesOnCoset(big: EvaluationDomain, n: number): bigint[] {
  const gn = Fr.pow(FR_GENERATOR, BigInt(n));
  const step = big.element(n);
  const values: bigint[] = [];
  let x = gn;
  for (let i = 0; i < big.size / n; i++) {
    values.push(Fr.sub(x, 1n));
    x = (x * step) % R;
  }
  return big.engine.batchInvert(values);
}

/**
 * Refuses t unless `t(x)·Z_H(x) = P(x)`, with `P(x) = combine(f_j(x))` from the factors' values `atX` at the random x
 * (they were evaluated as the quotient was computed; trimming drops zero coefficients only, so the values are the
 * identity's polynomials'). On failure, a pass over H locates the rows where P does not vanish.
 */
function checkRemainder(domain: EvaluationDomain, identity: VanishingIdentity, t: readonly bigint[], x: bigint, atX: readonly bigint[]): void {
  const px = identity.combine(atX);
  if (Fr.mul(domain.engine.evaluateAt([t], x)[0], domain.vanishingAt(x)) === Fr.create(px)) return;
  const onH = formPolynomials(identity.polys).map((f) => domain.fft(f));
  const failing: number[] = [];
  for (let i = 0; i < domain.size && failing.length < 8; i++) {
    if (Fr.create(identity.combine(onH.map((v) => v[i]))) !== 0n) failing.push(i);
  }
  throw new PolyError(
    failing.length > 0
      ? `the identity does not vanish on H (size ${domain.size}); first failing rows: ${failing.join(', ')}`
      : `the identity vanishes on H but its degree exceeds the declared bound ${identity.degree}·max deg f_j`,
  );
}

