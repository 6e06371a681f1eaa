/**
 * The engine: every heavy operation of blockfold (MSM in G1 and G2, NTT, batch inversion,
 * multi-pairing) goes through this interface, so a faster implementation replaces the reference one
 * without touching callers.
 *
 * Design rules the implementations follow:
 * - **Resident bases.** Fixed point sets (SRS powers, Lagrange bases) are loaded once with
 *   {@link Engine.loadG1Bases} and referred to by handle; per call only scalars travel (to workers too).
 * - **Batched calls.** No per-element calls across the interface.
 * - **Determinism.** Results are exact group / field values, so they are identical whatever the
 *   implementation and the number of worker threads.
 * @module
 */
import type { G1Point, G2Point, GtElement } from '../curve';
import type { FrProgram } from './fr-program';

/** A handle to G1 points resident in an engine (and in each of its workers). */
export interface G1Bases {
  readonly kind: 'g1';
  readonly id: number;
  readonly length: number;
}

/** A handle to G2 points resident in an engine (and in each of its workers). */
export interface G2Bases {
  readonly kind: 'g2';
  readonly id: number;
  readonly length: number;
}

/** One pair of a multi-pairing. */
export interface PairingTerm {
  readonly g1: G1Point;
  readonly g2: G2Point;
}

/** Counters an engine keeps so tests can assert how much work a verifier did (for example "one multi-pairing"). */
export interface EngineStats {
  /** Calls of {@link Engine.multiPairing} (each has exactly one final exponentiation). */
  multiPairings: number;
  /** Miller loops run, summed over all multi-pairings (identity pairs are dropped, not counted). */
  millerLoops: number;
  /** G1 MSM calls. */
  msmG1: number;
  /** G2 MSM calls. */
  msmG2: number;
}

/** A term `coeff · Π_{f ∈ factors} v_f` of {@link Engine.cosetIdentities} (indices into its polynomials; repeats allowed). */
export interface ProductTerm {
  readonly coeff: bigint;
  readonly factors: readonly number[];
}

/** A term `scalar·points[index]` of {@link Engine.combineG1}: an index into its points and a canonical Fr scalar. */
export interface CombinationTerm {
  readonly index: number;
  readonly scalar: bigint;
}

/** One identity of {@link Engine.cosetIdentities}: its coset size, its terms and the vector its values are scaled by. */
export interface CosetPart {
  /** m, a power of two: the identity is evaluated on `shift·H_m`. */
  readonly size: number;
  /** The identity `Σ_t coeff_t · Π_{f ∈ factors_t} f`, over the call's polynomials. */
  readonly terms: readonly ProductTerm[];
  /** The pointwise scale, repeating (its length divides m). */
  readonly scale: readonly bigint[];
}

/**
 * A polynomial of {@link Engine.cosetIdentities} given by earlier polynomials of the same call rather than by its
 * coefficients, so that a caller holding the oracles' coefficients need not form it (and an engine with workers forms
 * it there, in its own representation, from the oracles' words):
 * - `linear`: `constant + Σ_t scalar_t·f_(index_t)` (a quotient's linear form such as `β − f`), of the length of its
 *   longest term (1 with none);
 * - `rotated`: `f_index(ω_size^rotation·X)`, ω_size the canonical root of order `size` (a power of two) and `rotation`
 *   any integer (taken mod size), coefficient i of `f_index` times `ω_size^(i·rotation mod size)`: the factor
 *   `f(ω^s·X)` of an identity on H_size (s = 1: the shift `f(ω·X)`), of f's length;
 * - `composed`: `f_index(X^power)`, `power` a positive integer: coefficient `i·power` is `f_index[i]`, the others 0 (the
 *   factor `f(X^k)` of an identity on H_(k·m) reading an f of H_m), of length `(length(f) − 1)·power + 1`.
 *
 * Every index names an earlier polynomial of the call (given or derived), so the definitions are acyclic.
 */
export type DerivedPolynomial =
  | { readonly kind: 'linear'; readonly terms: readonly CombinationTerm[]; readonly constant: bigint }
  | { readonly kind: 'rotated'; readonly index: number; readonly size: number; readonly rotation: number }
  | { readonly kind: 'composed'; readonly index: number; readonly power: number };

/** A polynomial of {@link Engine.cosetIdentities}: its coefficients (lowest first), or a {@link DerivedPolynomial}. */
export type CosetPolynomial = readonly bigint[] | DerivedPolynomial;

/** What {@link Engine.cosetIdentities} gives: the interpolated sum, and each polynomial's value at the point it was asked. */
export interface CosetIdentities {
  /** `Σ_p intt_(m_p)(P_p, shift)`, zero-padded to the largest m_p. */
  readonly coefficients: bigint[];
  /** `f_j(point)` for every polynomial j, canonical (empty when no point was given). */
  readonly values: bigint[];
}

/** Options of {@link Engine.rangeKBasisG1}. */
export interface RangeKBasisG1Options {
  /** Called as the work goes on, with the work done and the total (in the engine's own units). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** The computation engine. */
export interface Engine {
  /** Human-readable name (`reference`, `wasm`). */
  readonly name: string;
  /** Number of worker threads used for MSMs (0 = the calling thread only). */
  readonly workers: number;
  /** Work counters, reset with {@link Engine.resetStats}. */
  readonly stats: EngineStats;
  resetStats(): void;

  /** Makes `points` resident; the handle stays valid until {@link Engine.close}. */
  loadG1Bases(points: readonly G1Point[]): Promise<G1Bases>;
  /** Makes `points` resident in G2. */
  loadG2Bases(points: readonly G2Point[]): Promise<G2Bases>;

  /**
   * `Σ_i scalars[i] · bases[offset + i]` in G1. Scalars are canonical Fr elements (`0 ≤ s < r`);
   * `offset + scalars.length ≤ bases.length`.
   */
  msmG1(bases: G1Bases, scalars: readonly bigint[], offset?: number): Promise<G1Point>;
  /** `Σ_i scalars[i] · bases[offset + i]` in G2. */
  msmG2(bases: G2Bases, scalars: readonly bigint[], offset?: number): Promise<G2Point>;
  /** `Σ_i scalars[i] · points[i]` for points that are not resident (verifier-side combinations). */
  msmG1Points(points: readonly G1Point[], scalars: readonly bigint[]): Promise<G1Point>;
  /**
   * Many short combinations of non-resident points at once: `out_j = Σ_{t ∈ combinations[j]} scalar_t·points[index_t]`
   * (an empty combination is the identity). Each scalar is applied as the signed integer of least magnitude
   * congruent to it (s, or s − r when s > r/2) by doubling and adding along its bits, the doublings of one
   * combination shared by its terms: a ±1 or 2^k multiple (a linear relation's coefficients) costs a few group
   * operations, a random scalar a full multiplication. Exact group values, like every call.
   */
  combineG1(points: readonly G1Point[], combinations: readonly (readonly CombinationTerm[])[]): Promise<G1Point[]>;
  /** `Σ_i scalars[i] · points[i]` in G2 for non-resident points. */
  msmG2Points(points: readonly G2Point[], scalars: readonly bigint[]): Promise<G2Point>;
  /** `[s_i]·base` for every scalar (fixed-base batch multiplication, used to build SRS and tables). */
  fixedBaseG1(base: G1Point, scalars: readonly bigint[]): Promise<G1Point[]>;
  /** `[s_i]·base` in G2. */
  fixedBaseG2(base: G2Point, scalars: readonly bigint[]): Promise<G2Point[]>;
  /**
   * The K basis of the range table `S = {0, …, n − 1}` from powers of a secret: for `powers[i] = [τ^i]₁` (i < n, n a
   * power of two), `[K_v(τ)]₁ = Σ_i k_(v,i)·powers[i]` for v < n, where `K_v(X) = Z_S(X)/(X − v) = Π_(u∈S, u≠v)(X − u)
   * = Σ_i k_(v,i)·X^i`. The map is linear, so any points are accepted. The reference engine applies the n×n matrix; the
   * WebAssembly engine needs O(n·log² n) group operations (minutes for n = 2^16 on one thread).
   */
  rangeKBasisG1(powers: readonly G1Point[], options?: RangeKBasisG1Options): Promise<G1Point[]>;

  /**
   * Forward NTT over the subgroup of size n = values.length (a power of two ≤ 2^28) generated by
   * the canonical root ω_n: `out[i] = Σ_j values[j] · (shift·ω^i)^j`. With `shift` ≠ 1 this is
   * the coset NTT, evaluating on `shift·H`.
   */
  ntt(values: readonly bigint[], shift?: bigint): bigint[];
  /** Inverse of {@link Engine.ntt} with the same `shift`: evaluations on `shift·H` → coefficients. */
  intt(values: readonly bigint[], shift?: bigint): bigint[];
  /**
   * {@link Engine.ntt} of every vector (or with `inverse`, {@link Engine.intt}), each on the subgroup of its own
   * length, all with one `shift`: independent transforms, which an engine with workers computes side by side while
   * the caller goes on. The same values as one call each.
   */
  transforms(vectors: readonly (readonly bigint[])[], options?: { inverse?: boolean; shift?: bigint }): Promise<bigint[][]>;
  /**
   * `Σ_i scalars[i]·polys[i]` (coefficients lowest first, as long as the longest; scalars any integers, taken mod r):
   * a batched opening's combination of its oracles. The result is frozen and canonical; an engine that works on
   * words keeps its words beside it (../poly/kept-words.ts), so combining or transforming it again converts nothing.
   */
  linearCombination(polys: readonly (readonly bigint[])[], scalars: readonly bigint[]): readonly bigint[];
  /** `f(z) = Σ_i f_i·z^i` for every polynomial f (coefficients lowest first): a batch's opening values in one call. */
  evaluateAt(polys: readonly (readonly bigint[])[], z: bigint): bigint[];
  /** `1/x` for every element; zeros map to zero. */
  batchInvert(values: readonly bigint[]): bigint[];
  /**
   * Runs a straight-line program over Fr (`./fr-program.ts`) on canonical `inputs` (exactly `program.inputs` of
   * them): its output registers, canonical. Every product, sum and difference is exact in Fr, so every engine returns
   * the same values; the kernels run the whole program in one call.
   */
  frProgram(program: FrProgram, inputs: readonly bigint[]): bigint[];
  /**
   * `Σ_i values[i]·ω^i/(z − ω^i) mod r` over the subgroup H of size n = values.length (a power of two; ω the canonical
   * root ω_n) for z outside H, an {@link EngineError} for z ∈ H: the barycentric sum of an interpolant, whose value at
   * z is `(z^n − 1)/n` times it. Values are any integers (taken mod r). The weights `ω^i/(z − ω^i)` of the last few
   * points of each size are kept, so the public vectors of one size at one ζ share one batch inversion.
   */
  barycentricSum(values: readonly bigint[], z: bigint): bigint;
  /**
   * Polynomial identities on nested cosets `shift·H_m`, interpolated back and added (a quotient's chains of
   * transforms): part p on m_p points (a power of two) reads `F_j^(p)[i] = f_j(shift·ω_(m_p)^i)` and takes
   * `P_p[i] = scale_p[i mod |scale_p|] · Σ_t coeff_t · Π_{f ∈ factors_t} F_f^(p)[i]`; the result is
   * `Σ_p intt_(m_p)(P_p, shift)`, each zero-padded to the largest m_p. Polynomial j is transformed once, on the
   * largest coset M_j of the parts that read it: `shift·H_m` is the set of
   * even points of `shift·H_(2m)` (`ω_(2m)^(2i) = ω_m^i`), so a smaller part reads every (M_j/m_p)-th value.
   * Coefficients are canonical and |scale_p| divides m_p. The vectors stay in the engine's own representation
   * from the first transform to the last, so nothing is converted per factor, per step or per part.
   * A polynomial longer than M_j is reduced modulo `X^(M_j) − shift^(M_j)` first: `shift·H_(M_j)` are the roots of
   * that polynomial, so the remainder agrees with f_j on every coset read from it.
   * A {@link DerivedPolynomial} is formed by the engine from the polynomials it names, before any reduction, and
   * then read like a given one.
   * With `point`, each polynomial (derived ones too) is also evaluated there (as {@link Engine.evaluateAt} would, on
   * its unreduced coefficients) while it is in that representation: what a quotient's remainder check
   * `t(x)·Z_H(x) = P(x)` reads, without a second conversion.
   */
  cosetIdentities(shift: bigint, polys: readonly CosetPolynomial[], parts: readonly CosetPart[], point?: bigint): Promise<CosetIdentities>;

  /**
   * `Π e(g1_i, g2_i)` with a single final exponentiation. Pairs with an identity point are dropped
   * (they contribute 1), so callers may pass sums that happen to vanish.
   */
  multiPairing(terms: readonly PairingTerm[]): GtElement;

  /** Releases workers and resident bases. */
  close(): Promise<void>;
}
