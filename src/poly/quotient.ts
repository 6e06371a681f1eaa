/**
 * The quotient of a polynomial identity by the vanishing polynomial, `t = P / Z_H`, computed on a coset:
 * what a block proves with `P(X) = t(X)·Z_H(X)` (for example `P = a·b − c`).
 * @module
 */
import type { Engine, ProductTerm } from '../engine/engine';
import { PolyError } from '../errors';
import { Fr, R, randomFr } from '../field';
import { EvaluationDomain } from './domain';
import { trim, type Polynomial } from './polynomial';
import { FR_GENERATOR, nextPowerOfTwo } from './roots';

/** An identity `P(X) = combine(f_0(X), …, f_(k−1)(X))` that must vanish on H. */
export interface VanishingIdentity {
  /** The polynomials f_j, in coefficient form (any degree). */
  readonly polys: readonly (readonly bigint[])[];
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
   * of P on the coset and their division by Z_H are then one engine call ({@link Engine.cosetIdentity}, in the
   * WebAssembly kernels without a conversion between steps) instead of a transform per factor and `combine` at
   * every point. It must be the same polynomial as `combine`, which stays the one the remainder check
   * and the failing-row report use (a mismatch is caught by the check, as a wrong `degree` is).
   */
  readonly terms?: readonly ProductTerm[];
}

/**
 * `t = P / Z_H` for `Z_H = X^n − 1`, n = |H|. P is evaluated on a coset g·H_m (g = 5, m the smallest power of
 * two ≥ max(n, deg P − n + 1)), divided pointwise by `Z_H(g·ω_m^i) = g^n·ω_m^(i·n) − 1` (m/n distinct values,
 * never zero on the coset), and interpolated back: exact when Z_H divides P, since then those m values are those
 * of t, whose degree deg P − n is below m. (Sizing by deg t rather than deg P halves the coset of every identity.)
 *
 * The remainder is checked: `t(x)·Z_H(x) = P(x)` at a fresh random x, which fails with probability
 * ≥ 1 − (m + n)/r whenever P mod Z_H ≠ 0 or `degree` (or `degreeBound`) understates deg P. On failure the rows of H where P does
 * not vanish are reported in the {@link PolyError}, so a wrong witness is located rather than proven.
 */
export function quotientByVanishing(domain: EvaluationDomain, identity: VanishingIdentity): Polynomial {
  const { polys, combine } = identity;
  if (!Number.isInteger(identity.degree) || identity.degree < 1) throw new PolyError(`identity degree must be a positive integer, got ${identity.degree}`);
  const n = domain.size;
  let maxDeg = 0;
  for (const f of polys) maxDeg = Math.max(maxDeg, trim(f).length - 1);
  const degP = Math.min(identity.degree * maxDeg, identity.degreeBound ?? Infinity);
  // t = P / Z_H has degree deg P − n: m > deg t values on a coset determine it (P's own degree does not matter).
  const m = Math.max(n, nextPowerOfTwo(Math.max(0, degP - n) + 1));
  const big = m === n ? domain : new EvaluationDomain(m, domain.engine);

  const zhInverses = vanishingInversesOnCoset(big, n);
  const ratio = m / n;
  let t: bigint[];
  if (identity.terms !== undefined) t = big.cosetIdentity(polys.map(trim), identity.terms, zhInverses);
  else {
    const cosetValues = polys.map((f) => big.cosetFft(trim(f)));
    const tEvals = new Array<bigint>(m);
    const row = new Array<bigint>(polys.length);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < polys.length; j++) row[j] = cosetValues[j][i];
      tEvals[i] = Fr.mul(Fr.create(combine(row)), zhInverses[i % ratio]);
    }
    t = big.cosetIfft(tEvals);
  }
  checkRemainder(domain, identity, t);
  return t;
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

function checkRemainder(domain: EvaluationDomain, identity: VanishingIdentity, t: readonly bigint[]): void {
  const x = randomFr();
  const atX = domain.engine.evaluateAt([...identity.polys, t], x);
  const px = identity.combine(atX.slice(0, identity.polys.length));
  if (Fr.mul(atX[identity.polys.length], domain.vanishingAt(x)) === Fr.create(px)) return;
  const onH = identity.polys.map((f) => domain.fft(f));
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

