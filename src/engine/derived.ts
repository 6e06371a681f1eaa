/**
 * The derived polynomials of `Engine.cosetIdentities` ({@link DerivedPolynomial}): their checks, lengths and
 * coefficients in bigints, shared by every engine so that they refuse the same inputs and form the same polynomials
 * (the reference engine forms them here; the WebAssembly engine forms them in its kernels and is tested against it),
 * and by the quotient, which reads a few top coefficients of them without forming the rest.
 * @module
 */
import { EngineError } from '../errors';
import { Fr, R } from '../field';
import { rootOfUnity, TWO_ADICITY } from '../poly/roots';
import type { CosetPolynomial, DerivedPolynomial } from './engine';

/** Whether `f` is a {@link DerivedPolynomial} rather than coefficients. */
export function isDerived(f: CosetPolynomial): f is DerivedPolynomial {
  return !Array.isArray(f);
}

/**
 * A derived polynomial's length from the lengths of the polynomials before it: a linear form's longest term's (1 with
 * no term, its constant), a rotated one's source's, a composed one's `(ℓ − 1)·power + 1` for a source of length ℓ ≥ 1
 * (`f(X^k)` has degree k·deg f; 0 for an empty source). Its records unchecked: {@link polynomialLengths} checks them.
 */
export function derivedLength(f: DerivedPolynomial, lengths: readonly number[]): number {
  if (f.kind === 'rotated') return lengths[f.index];
  if (f.kind === 'composed') return lengths[f.index] === 0 ? 0 : (lengths[f.index] - 1) * f.power + 1;
  return f.terms.reduce((l, t) => Math.max(l, lengths[t.index]), 1);
}

/** The polynomials a derived one reads, by index. */
export function derivedSources(f: DerivedPolynomial): number[] {
  return f.kind === 'linear' ? f.terms.map((t) => t.index) : [f.index];
}

/**
 * `ω_size^(rotation mod size)`, the root a rotated polynomial's coefficient i is multiplied by the i-th power of:
 * `f(ω^s·X) = Σ_i f_i·(ω^s)^i·X^i`, and `(ω^s)^i = ω^(i·s mod size)` since ω has order size. A negative rotation is
 * the same point as its residue (`ω^(−1) = ω^(size−1)`).
 */
export function rotationRoot(f: Extract<DerivedPolynomial, { kind: 'rotated' }>): bigint {
  const s = ((f.rotation % f.size) + f.size) % f.size;
  return Fr.pow(rootOfUnity(f.size), BigInt(s));
}

/**
 * The length of every polynomial: a given one's, a derived one's {@link derivedLength}. An {@link EngineError} unless every derived polynomial names earlier polynomials only, its scalars and
 * constant are canonical Fr elements, a rotation's size is a power of two with a root of unity in Fr (at most 2^28)
 * and its rotation a safe integer, and a composition's power a positive safe integer whose length is a safe integer.
 */
export function polynomialLengths(polys: readonly CosetPolynomial[]): number[] {
  const lengths: number[] = [];
  const named = (j: number, index: number): void => {
    if (!Number.isInteger(index) || index < 0 || index >= j) throw new EngineError(`cosetIdentities: derived polynomial ${j} reads ${index}, which is not an earlier polynomial`);
  };
  const canonical = (x: bigint): void => {
    if (x < 0n || x >= R) throw new EngineError(`cosetIdentities: a derived polynomial's scalar ${x} is not a canonical Fr element`);
  };
  polys.forEach((f, j) => {
    if (!isDerived(f)) return lengths.push(f.length);
    if (f.kind === 'rotated') {
      if (!Number.isSafeInteger(f.size) || f.size < 1 || f.size > 2 ** TWO_ADICITY || 2 ** Math.round(Math.log2(f.size)) !== f.size)
        throw new EngineError(`cosetIdentities: a rotation's size must be a power of two up to 2^${TWO_ADICITY} (Fr's largest subgroup), got ${f.size}`);
      if (!Number.isSafeInteger(f.rotation)) throw new EngineError(`cosetIdentities: a rotation must be a safe integer, got ${f.rotation}`);
      named(j, f.index);
    } else if (f.kind === 'composed') {
      if (!Number.isSafeInteger(f.power) || f.power < 1) throw new EngineError(`cosetIdentities: a composition's power must be a positive safe integer, got ${f.power}`);
      named(j, f.index);
      if (!Number.isSafeInteger(derivedLength(f, lengths))) throw new EngineError(`cosetIdentities: the composition f(X^${f.power}) of a polynomial of ${lengths[f.index]} coefficients is too long`);
    } else {
      canonical(f.constant);
      for (const t of f.terms) {
        canonical(t.scalar);
        named(j, t.index);
      }
    }
    return lengths.push(derivedLength(f, lengths));
  });
  return lengths;
}

/**
 * Coefficient i of polynomial j, derived ones formed on demand and only at the coefficients asked: a linear form's is
 * `[i = 0]·constant + Σ_t scalar_t·f_(index_t)[i]`, a rotated one's `f_index[i]·ω_size^(i·rotation mod size)`, a composed
 * one's `f_index[i/power]` when power divides i, else 0. The polynomials
 * must have passed {@link polynomialLengths}; coefficients past a polynomial's length are 0.
 */
export function coefficientReader(polys: readonly CosetPolynomial[]): (j: number, i: number) => bigint {
  const lengths = polynomialLengths(polys);
  const roots = new Map<number, bigint>();
  const at = (j: number, i: number): bigint => {
    const f = polys[j];
    if (i >= lengths[j]) return 0n;
    if (!isDerived(f)) return Fr.create(f[i]);
    if (f.kind === 'rotated') {
      let w = roots.get(j);
      if (w === undefined) roots.set(j, (w = rotationRoot(f)));
      return Fr.mul(at(f.index, i), Fr.pow(w, BigInt(i % f.size)));
    }
    if (f.kind === 'composed') return i % f.power === 0 ? at(f.index, i / f.power) : 0n;
    let acc = i === 0 ? f.constant : 0n;
    for (const t of f.terms) acc += t.scalar * at(t.index, i);
    return Fr.create(acc);
  };
  return at;
}

/**
 * Every polynomial's coefficients, the derived ones formed in full (canonical, of their {@link polynomialLengths}):
 * what the reference engine transforms, and what a caller's slow paths (a failing identity's report) read.
 */
export function formPolynomials(polys: readonly CosetPolynomial[]): bigint[][] {
  const lengths = polynomialLengths(polys);
  const out: bigint[][] = [];
  polys.forEach((f, j) => {
    if (!isDerived(f)) return out.push(f.map((x) => Fr.create(x)));
    const coeffs = new Array<bigint>(lengths[j]).fill(0n);
    if (f.kind === 'rotated') {
      const w = rotationRoot(f);
      let power = 1n;
      out[f.index].forEach((c, i) => {
        coeffs[i] = Fr.mul(c, power);
        power = Fr.mul(power, w);
      });
    } else if (f.kind === 'composed') {
      out[f.index].forEach((c, i) => (coeffs[i * f.power] = c));
    } else {
      coeffs[0] = f.constant;
      for (const t of f.terms) out[t.index].forEach((c, i) => (coeffs[i] = (coeffs[i] + t.scalar * c) % R));
    }
    return out.push(coeffs);
  });
  return out;
}
