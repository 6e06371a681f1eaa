/**
 * A small polynomial-IOP compiler shared by the arithmetic blocks (Hadamard, running sums, matmul, sum, max).
 *
 * A block declares **identities** that must vanish on a domain H_n, written over
 * - committed polynomials (**oracles**, each with a G1 commitment slot), possibly rotated (`f(ω_n^s·X)`, s = 1 the
 *   shift `f(ω·X)`; module comment, "Rotations") or composed (`f(X^k)`, "Compositions"),
 * - **public polynomials** given by their values on H, which the verifier evaluates at ζ itself
 *   (docs/soundness.md rule 4: Lagrange values, public vectors), and
 * - Fr **scalars** (challenge, message or derived slots).
 *
 * The compiler appends the standard tail to the block's own rounds:
 *
 * 1. one challenge λ; identity g ≥ 1 (every identity of every domain, domains in order) is weighted by `λ^g` (derived);
 * 2. ONE quotient for every domain: `t = Σ_n t_n`, `t_n = Σ_{g on H_n} λ^g·P_g(X) / Z_{H_n}(X)`, message `[t]₁`, or
 *    its pieces `[t_j]₁`, `t = Σ_j X^(j·P)·t_j`, when it is at least twice the largest domain (`quotientPieces`);
 * 3. challenge ζ; derived `Z_{H_n}(ζ)`, one point `ω_n^s·ζ` per domain n and rotation s some factor reads, one point
 *    `ζ^k` per power k some composition reads, and every public evaluation;
 * 4. messages: every oracle at ζ but the linearized ones (below), every rotated oracle at each of its `ω_n^s·ζ`, every
 *    composed oracle at each of its `ζ^k`;
 * 5. challenges v and γ; the i-th evaluated commitment at a point is weighted by `v^(i+1)`, and at ζ the linearized
 *    combination L by `v^(m+1)` (m evaluations at ζ); derived: those powers, each linearized commitment's and the
 *    quotient's coefficient in L, and L's value at ζ;
 * 6. the opening of every point at once (`src/kzg/multi-open.ts`): W, a challenge x, W' (one point: W alone).
 *
 * **Rotations.** A factor `{ oracle, rotation: s }` reads `f(ω_n^s·X)` on the identity's domain H_n (the oracle must
 * live there): at the point `ω_n^i` of H_n it reads f's value at `ω_n^(i+s)`, the cell s further on (cyclically). s is
 * any integer, taken mod n (`ω_n^s` depends on s mod n alone, so s and s ± n are one read and one evaluation); s ≡ 0
 * is the plain read. The compiler derives where each oracle is opened from the factors that read it: at ζ, and at
 * `ω_n^s·ζ` for each distinct nonzero s, so an oracle declares no shift of its own, and a block that rotates a
 * polynomial by e − 1 distinct amounts has it opened at e points, blinded with e + 1 coefficients (`blocks/hiding.ts`).
 * The prover forms the rotated factor's coefficients `f_i·ω_n^(i·s mod n)` (`DerivedPolynomial` `rotated`) and a
 * running sum's summand reads f's values on H rotated by s. Sound as the shift is: KZG binds each commitment to one
 * polynomial, each rotated evaluation is one more point of the same multi-point opening, and the quotient check at ζ
 * holds with `f(ω_n^s·ζ)` in place of the factor exactly when the identity holds as polynomials, except with
 * probability deg/r. On H_1 (ω_1 = 1) every nonzero rotation is the shift, opened at `ω_1·ζ = ζ` as its own point
 * (the compiler's running sum on H_1 reads its accumulator there).
 *
 * **Compositions.** A factor `{ oracle, power: k }` reads `f(X^k)` of an oracle f on H_m in an identity on H_(k·m): at
 * `ω_(km)^i` it reads f at `ω_(km)^(i·k) = ω_m^i`, f's cell i mod m, so the identity sees f's m cells repeated k times
 * (a max pool's output y against its L candidate segments, `y(X^L) − x(X)`). The compiler opens f at `ζ^k`, one more
 * point (an {@link OpeningPoint} of kind `power` beside its rotations), so its blinding takes one more coefficient; the
 * blinding stays invisible on H_(km), since `Z_(H_m)(X^k) = X^(km) − 1 = Z_(H_km)(X)`. The prover forms the factor's
 * coefficients spread k apart (`DerivedPolynomial` `composed`): of degree k·deg f, so k·(c − 1) above the domain for a
 * blinding of c coefficients where a plain read is c − 1 above it; a block whose quotient may then need more powers of τ
 * than a graph's key holds declares them (`Block.quotientPowers`, which the key takes: `keyG1Powers`). Sound as a rotation is: KZG binds `[f]₁` to one polynomial, its
 * value at `ζ^k` is one more point of the same multi-point opening, and the quotient check at ζ holds with `f(ζ^k)` in
 * place of the factor exactly when the identity holds as polynomials, except with probability deg/r (ζ is drawn after
 * every commitment, and `ζ ↦ ζ^k` is fixed). Identities only (not sum claims), and no rotation of a composed read.
 *
 * **Vanishing claims.** A block may also claim that a polynomial it never forms vanishes at a challenge point z of its
 * rounds (`PolyIopSpec.vanishingClaims`): `F(z) = 0` for F committed as a combination of its G1 slots and public
 * points (a range table's `[M']₁ − S'·[Z_S]₁`, `blocks/range.ts`). The verifier derives `[F]₁` as a formal sum, so the
 * claim is one more point of the opening with the value 0, whose quotient `F/(X − z)` the block's prover commits itself
 * (`PolyIopProver.vanishingQuotient`: sparse over another basis than the powers of τ) and the opening adds to W and W'
 * (`multi-open.ts`, "A committed quotient"). Sound as every point of the opening: if `F(z) ≠ 0`, F/(X − z) is no
 * polynomial, and the opening's check fails but with probability (degree + points)/r over γ and x. z must be drawn
 * after every message F reads (the compiler refuses a claim whose point is not a challenge drawn after them): F is
 * then fixed before z, which is what a block's argument at z assumes. A scalar chosen after z (a later message) may
 * multiply only a public point: `A − s·[P]₁` vanishing at z then fixes s to `A(z)/P(z)`, the range table's S' with
 * `P = Z_S`; on a commitment B of the prover it would only prove `A(z) = s·B(z)`, so the compiler refuses it. A commitment F reads that no identity reads is
 * not an oracle: the block hides it itself (`PolyIopSpec.selfBlinded`).
 *
 * **Stacks.** A spec may commit statement oracles together (`PolyIopSpec.stacks`): oracles `t_0 … t_(m−1)` in one
 * statement slot `[C]₁`, `C = Σ_{j<k} X^j·t_j(X^k)` (k places, the last k − m empty: zero), their own slots listed as
 * `uncommitted` (nothing holds them). A stacked oracle is evaluated, never linearized, at its points as any oracle;
 * the stack's oracles share their points, and at each point z the stacks of k places are one opening of
 * `Σ_i v^(i+1)·C_i` modulo `X^k − z`, whose remainder the verifier computes at x from the values
 * (`src/kzg/stack.ts`, `src/kzg/multi-open.ts`). Sound because C has one decomposition (each `t_j` is bound by `[C]₁`,
 * absorbed with the statement, before any challenge) and `C ≡ Σ_j X^j·t_j(z) (mod X^k − z)`, so the opening proves
 * every value, as a batch at z proves its oracles'. The compiler refuses a stack it could not open so (an oracle that is
 * no statement oracle of its own, is linearized or derived, or is opened at other points than its stack's) and any use
 * of an uncommitted slot (a batch, L, an equation, a vanishing claim: `checkedStacks`, `checkedEquations`); a derived
 * step reading one fails on the missing slot. `PolyIopSpec.evaluated` asks other oracles evaluated rather than
 * linearized, so that a derived row's value can be derived from stacked terms instead of its commitment opened.
 *
 * **Running sums.** A block declares sums (`PolyIopSpec.sums`: `Σ_{H_n} s_i = T_i`, optionally row-weighted by a
 * public multiplier μ, `blocks/running-sum.ts`); after the block's rounds the compiler draws ρ and commits one
 * accumulator per domain and multiplier for all of them, with the transition
 * `Z(ω·X) − μ(X)·Z(X) − Σ_i ρ^i·s_i(X) + Σ_i ρ^i·T_i(X)·L_0(X) = 0` on H_n. It holds on H_n exactly when
 * `Σ_i ρ^i·(Σ s_i − T_i) = 0` (with μ: the row-weighted sums), a polynomial in ρ of degree below the number of claims
 * whose coefficients are fixed before ρ (every s_i and T_i reads only oracles and challenges of the block's rounds), so
 * a false claim survives with probability ≤ (claims)/r. One accumulator commitment and one value at `ω·ζ` per
 * domain instead of per claim.
 *
 * With row weights the multiplier is `μ(α; n, K)`, one polynomial per (α, domain, row length): claims of several
 * blocks share it when they share α (a model argument's shared challenge, `blocks/model-argument.ts`). The claim i
 * then says `μ_0·W_i(α) = T_i`, `W_i` the row-weighted sum, with T_i a hidden scalar the prover commits **after**
 * α: so `Σ_i ρ^i·(μ_0·W_i(α) − T_i)` is no polynomial in (α, ρ) fixed before α, and no joint Schwartz–Zippel bound
 * applies. The argument is in two stages. Every message a T_i or an s_i reads is absorbed before ρ, so at the drawn α
 * the coefficients `μ_0·W_i(α) − T_i` are fixed before ρ and, unless all vanish, survive ρ with probability
 * ≤ (claims)/r: whp every claim holds at that α, each on its own. That is all each block's own argument in α assumes
 * of its claims (for example two sides closing on one T, so `W_left(α) = W_right(α)`, a polynomial in α whose
 * coefficients were fixed before α), so each block's Schwartz–Zippel bound then applies as when it is proven alone.
 * Error ≤ (claims of the group)/r + Σ over its blocks of their own bounds in α.
 *
 * **One quotient.** The verifier's check is `Σ_n Z_{H_n}(ζ)^(−1)·Σ_{g on H_n} λ^g·P_g(ζ) = t(ζ)`. Times `Z_N(ζ)` (N the
 * largest domain; every H_n is a subgroup of H_N, so `Z_{H_n}` divides `Z_N`) both sides are polynomials in ζ, drawn
 * after `[t]₁`, so except with probability deg/r `t·Z_N = Σ_n (Z_N/Z_{H_n})·Σ_g λ^g·P_g`. At h ∈ H_N,
 * `(Z_N/Z_{H_n})(h)` is N/n if h ∈ H_n and 0 otherwise, so `Σ_{n: h ∈ H_n} (N/n)·Σ_g λ^g·P_g(h) = 0` for every h: if
 * some identity fails at some h of its domain this is a nonzero polynomial in λ (distinct powers, N/n invertible),
 * zero with probability ≤ (identities)/r. One quotient commitment instead of one per domain size. In pieces the check
 * reads `t*(ζ) = Σ_j ζ^(j·P)·t_j(ζ)`, and t* is one polynomial fixed before ζ whatever the pieces hold: the same
 * argument, with W and W′ no longer than the longest oracle instead of as long as t.
 *
 * **Linearization** (PLONK's, over every identity of the spec): the oracles of a set S chosen from the spec alone
 * (`linearizedOracles`: no identity term reads two unrotated factors of S, nor one twice) and the quotient are
 * never evaluated at ζ. With the other factors' values known, the quotient check is linear in them:
 * `L(X) = Σ_{s∈S} a_s·s(X) − t(X)` must satisfy `L(ζ) = −c`, `a_s` and `c` computed by the verifier from the
 * evaluations (each term of identity g on H_n weighted by `λ^g·Z_{H_n}(ζ)^(−1)`), and `[L]₁ = Σ_s a_s·[s]₁ − [t]₁`
 * joins the batched opening at ζ. KZG binds each commitment to one polynomial, so `L(ζ)` is that combination of the
 * true values at ζ, and with the evaluated oracles' values proven by the same opening, `L(ζ) + c` is exactly
 * `Σ_n Z_{H_n}(ζ)^(−1)·Σ_g λ^g·P_g(ζ) − t(ζ)`: the quotient check at ζ, with no field equation.
 *
 * **Derived evaluations.** A spec may declare oracle relations (`PolyIopSpec.oracleRelations`): `o(X) = Σ_t k_t·t(X) +
 * k_p·p(X)` as polynomials, p public, because the verifier computes o's commitment as that combination of the others'
 * (a derived wire row, `src/pipeline/derived-rows.ts`). When o and every t are evaluated at ζ, the proof carries no
 * value of o: the verifier computes `o(ζ) = Σ_t k_t·t(ζ) + k_p·p(ζ)` and o leaves the ζ batch. Sound because KZG is
 * binding and linear: the opening proves each `t(ζ)`, so the computed value is the value at ζ of the one polynomial
 * `[o]₁` commits to, and every identity reading o(ζ) reads that (the same holds for the prover's blinded
 * polynomials: the blindings satisfy the relation, `src/pipeline/row-blinding.ts`). It reveals nothing new: the value
 * is a function of values the proof already holds.
 *
 * Verifier equations (data): one multi-point opening equation (`src/kzg/multi-open.ts`), whose ζ part holds the
 * combination L; the points may coincide (a claim on H_1 shifts by ω_1 = 1), which the opening's argument allows. Soundness needs no degree bound (docs/soundness.md rule 3): each identity is an equality of
 * values on H, enforced by the quotient at a random ζ; every commitment that enters an equation is opened. The
 * check is linear in S and the quotient whatever the identities' degree, so identities of many blocks can share
 * one quotient (the model-level argument) with no degree limit.
 *
 * Identities are combined with the powers of one challenge λ, and the commitments opened at a point with the
 * powers of one challenge v: if some identity fails on H (or some evaluation is wrong) the combination is a
 * nonzero polynomial of degree below the number of terms in λ (in v), so it vanishes with probability at most
 * (terms)/r. One challenge per combination instead of one per term: a model argument has thousands of terms, and
 * every challenge is three Keccak calls of the verifier.
 * @module
 */
import type { G1Point } from '../src/curve';
import type { G1Factor, SlotDecl, SlotValues, Equation } from '../src/equations/equation';
import { frSlot, g1Slot } from '../src/equations/evaluate';
import { BlockfoldError } from '../src/errors';
import { Fr, powers, R } from '../src/field';
import { blindingSource } from '../src/blinding';
import { commit, commitLagrange, commitVanishingMultiple } from '../src/kzg/commit';
import type { KzgVerifierKey } from '../src/kzg/key';
import { multiPointFirstProof, multiPointOpeningEquation, multiPointSecondProof, multiPointWeights, type OpeningDivisor, type PointOpening } from '../src/kzg/multi-open';
import { stackPolynomials, stackRemainderAt } from '../src/kzg/stack';
import { EvaluationDomain } from '../src/poly/domain';
import { divideByVanishing } from '../src/poly/division';
import { add as addPolynomials, degree as polyDegree, linearCombination, splitPolynomial, trim } from '../src/poly/polynomial';
import { addVanishingMultiple } from '../src/poly/vanishing-multiple';
import { quotientByVanishing, type VanishingIdentity } from '../src/poly/quotient';
import { isPowerOfTwo, nextPowerOfTwo } from '../src/poly/roots';
import { formPolynomials, isDerived } from '../src/engine/derived';
import type { CombinationTerm, CosetPolynomial, DerivedPolynomial, Engine } from '../src/engine/engine';
import { FrProgramWriter, type FrProgram, type Register } from '../src/engine/fr-program';
import type { BlockContext, TensorSpec } from './block';
import { BASE_OPENING_POINTS, blindedCommitments, blindingCoefficients, checkDerivedOracles, statementOracleBlinding, type BlindedCommitment } from './hiding';
import { distinctOpeningPoints, type OpeningPoint } from './opening-point';
import type { DerivedStep, Protocol, Step } from './protocol';
import type { MessageSource } from './schedule';

/** The linear combination `Σ_i k_i·[slot_i]₁` of statement slots, as the slots and the scalars `k_i`. */
export interface RowCombination {
  readonly slots: readonly string[];
  readonly scalars: readonly bigint[];
}

/** A derived commitment as a combination of statement slots, from the slots drawn before it (its challenges). */
export type Combination = (values: SlotValues) => RowCombination;

/**
 * A committed polynomial the IOP opens at ζ, and also at `ω_n^s·ζ` for every rotation s ≢ 0 at which a factor reads it
 * (the compiler derives them from the identities and sum claims: {@link oracleRotations}).
 */
export interface Oracle {
  readonly name: string;
  /** Size n of the domain it lives on (its degree is below n; `ω_n` is the root its rotations are powers of). */
  readonly domain: number;
  /** The G1 slot (statement, derived or message) holding its commitment. */
  readonly commitment: string;
  /**
   * When the commitment is a derived slot combining statement slots (matmul's `Σ α^i·[A_i]₁`, a lookup's
   * `[x]₁ + γ·[y]₁`), and possibly messages the block blinds itself (a weight link's `[w]₁ + E`): that combination,
   * the same function the derived step computes the slot with ({@link combinationStep}), so the prover blinds the
   * oracle by the same combination of the rows' blindings (the block's polynomial carries its messages' part).
   */
  readonly combination?: Combination;
  /** When the commitment is a derived slot the verifier computes from public data only (a table column): no blinding. */
  readonly public?: boolean;
}

/** A public polynomial on H_n, given by its values on H; the verifier evaluates it at ζ itself. */
export interface PublicPoly {
  readonly name: string;
  readonly domain: number;
  /** Its values on H_n (the prover interpolates them). May depend on challenges drawn before the quotient. */
  values(slots: SlotValues): bigint[];
  /** Its value at ζ, computed by the verifier from public data and challenges only. */
  evaluateAt(zeta: bigint, slots: SlotValues, domain: EvaluationDomain): bigint;
  /**
   * Its coefficients on H_n (`domain`), n of them, when they are known without an inverse transform of its n values
   * (a closed form, the interpolant of one period, coefficients a block keeps): the prover's quotient reads them
   * instead of `domain.ifft(values(slots))`. They must be that interpolant's, which the tests check against it: the
   * verifier reads `evaluateAt`, so other coefficients would only make the honest prover's quotient fail.
   */
  coefficients?(slots: SlotValues, domain: EvaluationDomain): readonly bigint[];
  /**
   * A polynomial of the domain alone (it reads no slot and no block parameter, e.g. a Lagrange polynomial): its
   * name means the same polynomial in every block, so the members of a model argument share it (the prover
   * interpolates it once, the verifier evaluates it once) instead of each evaluating its own renamed copy.
   */
  readonly shared?: boolean;
  /**
   * The challenge slots it reads, when it reads no other slot and no block parameter (a row weights' multiplier μ
   * reads α alone, `blocks/running-sum.ts`): its name then means one polynomial wherever those slots hold one value.
   * A model argument keeps it under its own name, as a `shared` polynomial, for the members that share every slot it
   * reads ({@link PolyIopSpec.sharedChallenges}), so their claims can share its running sum.
   */
  readonly reads?: readonly string[];
}

/**
 * `o(X) = Σ_t k_t·t(X) + Σ_p k_p·p(X)` as polynomials, scalars in Fr, p public: the commitment of oracle o is that
 * combination of the terms' commitments and of the p's (module comment, "Derived evaluations"). The spec asserts it; the
 * compiler trusts it, so it must hold by construction of the commitments (a verifier-derived row), never by the
 * prover's word.
 */
export interface OracleRelation {
  readonly oracle: string;
  readonly terms: readonly { readonly oracle: string; readonly scalar: bigint }[];
  /** The `k_p·p`, each p evaluated at ζ by the verifier (not interpolated by the prover: no identity reads it). */
  readonly publics?: readonly { readonly poly: PublicPoly; readonly scalar: bigint }[];
}

/**
 * A factor of an identity term: an oracle (possibly rotated, `f(ω_n^rotation·X)`, module comment "Rotations", or composed,
 * `f(X^power)`, "Compositions"), a public polynomial, a scalar slot, or a **linear
 * form** `Σ_i c_i·Π_j g_ij` whose terms each hold at most one polynomial factor (an oracle or a public polynomial;
 * the others scalars), such as `β − f(X)`. A product of k linear forms is k factors instead of the product's
 * expansion into up to 2^k terms: the verifier evaluates each form once at ζ, the prover builds each as one
 * polynomial (a linear combination) and evaluates it once per coset point. An oracle inside a form is evaluated at ζ,
 * never linearized, unless the forms read it only composed (`f(ζ^k)` is all they need). Identities only (not sum claims).
 */
export type Factor =
  | { readonly oracle: string; readonly rotation?: number; readonly power?: number }
  | { readonly public: string }
  | { readonly scalar: string }
  | { readonly sum: readonly IdentityTerm[] };

/** A polynomial factor: an oracle or a public polynomial. */
type PolyFactor = { readonly oracle: string; readonly rotation?: number; readonly power?: number } | { readonly public: string };

/** `coeff · Π factors`. */
export interface IdentityTerm {
  readonly coeff: bigint;
  readonly factors: readonly Factor[];
}

/** `Σ terms = 0` at every point of H_n. */
export interface Identity {
  readonly name: string;
  readonly domain: number;
  readonly terms: readonly IdentityTerm[];
}

/**
 * `Σ_{x ∈ H_n} s(x) = T(1)`, or with `multiplier` μ its row-weighted form (`blocks/running-sum.ts`), proven by the
 * compiler: every claim of one domain and one multiplier shares one running sum (module comment, "Running sums").
 */
export interface SumClaim {
  readonly name: string;
  readonly domain: number;
  /** The summand s: `Σ terms` at each point of H_n. */
  readonly summand: readonly IdentityTerm[];
  /** The total T: terms of Fr scalar slots and oracles on H_1 (read at 1, times L_0); omitted: T = 0. */
  readonly total?: readonly IdentityTerm[];
  /** The row weights' multiplier μ on H_n (`rowWeightMultiplier`); omitted: every cell weighs 1. */
  readonly multiplier?: PublicPoly;
}

/**
 * `F(z) = 0` for the polynomial F committed in `[F]₁ = Σ_t coeff_t·(Π scalars_t)·[commitment_t]₁` (module comment,
 * "Vanishing claims"): G1 slots of the block (statement, message or derived) or public points, times Fr slots.
 */
export interface VanishingClaim {
  readonly name: string;
  /** The Fr challenge slot z, drawn in the block's rounds after every G1 message the terms read. */
  readonly point: string;
  readonly terms: readonly { readonly coeff: bigint; readonly scalars: readonly string[]; readonly commitment: G1Factor }[];
}

/**
 * What a block declares; the compiler turns it into a {@link Protocol}. A spec is a value: never change one after
 * handing it over (the compiler keeps what it makes of a spec object with that object, `compiledSpecs`), return a new
 * one instead.
 */
export interface PolyIopSpec {
  readonly foldKey: string;
  /** Statement slots (absorbed first). */
  readonly statement: readonly SlotDecl[];
  /** The slots the block's own rounds produce. */
  readonly slots: readonly SlotDecl[];
  /** The block's rounds, after the statement and before the quotient (challenges, derived slots, messages). */
  readonly rounds: readonly Step[];
  readonly oracles: readonly Oracle[];
  readonly publics: readonly PublicPoly[];
  readonly identities: readonly Identity[];
  /** Sums the compiler proves with its running sums, after the block's rounds (omitted: none). */
  readonly sums?: readonly SumClaim[];
  /**
   * Challenge slots of the block's rounds that a model argument draws **once** for every member declaring the same
   * name, after every such member's messages up to that challenge (`blocks/model-argument.ts`); all of them in one
   * challenge step. The block's soundness must need only that: each is drawn after every message of its own rounds
   * before it, and may also be read by other blocks; no randomness of the block may be keyed by them (two members would
   * draw the same). A block proven alone draws them as its own (omitted: none). A function of the block alone, never of
   * its context: a model argument's prover reads them once per model spec and block list (`blocks/model-argument.ts`).
   */
  readonly sharedChallenges?: readonly string[];
  /**
   * G1 messages the block hides itself, so the compiler neither blinds them nor refuses them as unblinded: a
   * commitment the block re-randomizes with its own `Z_H·r`, the commitment `[r(τ)]₁` of fresh randomness, or a KZG
   * opening proof of a polynomial that vanishes at its point (a function of the others for a simulator holding τ).
   */
  readonly selfBlinded?: readonly string[];
  /** Block equations besides the quotient and opening equations (for example a linear check on commitments). */
  readonly equations?: (kzg: KzgVerifierKey) => readonly Equation[];
  /**
   * Oracles that are linear combinations of others by construction, in dependency order (a relation's terms are
   * never oracles of later relations): the compiler computes the value at ζ of each whose terms are all evaluated
   * there instead of reading it from the proof (omitted: none).
   */
  readonly oracleRelations?: readonly OracleRelation[];
  /** Polynomials the block claims vanish at a challenge point, opened with the tail's points (omitted: none). */
  readonly vanishingClaims?: readonly VanishingClaim[];
  /**
   * Statement oracles committed together, each stack as one commitment (module comment, "Stacks"; omitted: none).
   * Their own commitment slots must be in {@link PolyIopSpec.uncommitted}.
   */
  readonly stacks?: readonly OracleStack[];
  /**
   * Statement G1 slots that hold no commitment in this argument (a stacked row's, or a row the verifier could
   * only derive from stacked ones): the protocol's statement leaves them out, and nothing may read them (omitted: none).
   */
  readonly uncommitted?: readonly string[];
  /**
   * Oracles the tail must not linearize (omitted: none; a stack's oracles never are): evaluated where they are read,
   * unless their value at ζ is derived (`oracleRelations`), which is what a caller asks this for.
   */
  readonly evaluated?: readonly string[];
}

/**
 * Oracles `t_0 … t_(m−1)` committed as one `C(X) = Σ_{j<k} X^j·t_j(X^k)`, k = `size` ≥ m (places j ≥ m hold zero):
 * its commitment is a statement slot of its own, and it is opened wherever its oracles are (all at the same points),
 * modulo `X^k − z` at each point z (`src/kzg/stack.ts`).
 */
export interface OracleStack {
  /** The statement slot of `[C]₁`. */
  readonly commitment: string;
  /** The oracles in their places: statement oracles (no combination, not public), evaluated at ζ and at the same points. */
  readonly oracles: readonly string[];
  /** k, the number of places. */
  readonly size: number;
}

/** The block's prover side: its own message rounds and the coefficients of its oracles. */
export interface PolyIopProver {
  /** Messages of the block's own rounds. */
  round(decls: readonly SlotDecl[], values: SlotValues): Promise<SlotValues> | SlotValues;
  /** Coefficient form (degree < n) of every oracle, called once after the block's rounds. */
  polynomials(values: SlotValues): Readonly<Record<string, readonly bigint[]>>;
  /** `[F/(X − z)]₁` of the vanishing claim `claim` (`PolyIopSpec.vanishingClaims`), from the slots once they are all drawn. */
  vanishingQuotient?(claim: string, values: SlotValues): Promise<G1Point>;
}

/** Shorthand factors. */
export const at = (oracle: string): Factor => ({ oracle });
/** `f(ω_n^s·X)`: the oracle read s cells further on (cyclically) on the identity's domain H_n; s any integer. */
export const rotatedAt = (oracle: string, s: number): Factor => ({ oracle, rotation: s });
/** `f(ω_n·X)`, the rotation by 1. */
export const shiftedAt = (oracle: string): Factor => rotatedAt(oracle, 1);
/**
 * `f(X^k)`: an oracle f of H_m read on the identity's domain H_(k·m), where its cell i mod m is read at cell i (module
 * comment, "Compositions"); k a positive integer, 1 the plain read.
 */
export const composedAt = (oracle: string, k: number): Factor => ({ oracle, power: k });
export const pub = (name: string): Factor => ({ public: name });
export const scalar = (slot: string): Factor => ({ scalar: slot });
/** The linear form `Σ terms` as one factor ({@link Factor}). */
export const linearForm = (...terms: IdentityTerm[]): Factor => ({ sum: terms });

/** Whether a factor reads an oracle at X itself (no rotation, no composition): the reads linearization may take. */
function isPlainRead(f: Factor): f is { readonly oracle: string } {
  return 'oracle' in f && !f.rotation && !f.power;
}

/** The polynomial factors of a term, those inside its linear forms included. */
function polyFactors(t: IdentityTerm): PolyFactor[] {
  return t.factors.flatMap((f): PolyFactor[] => ('sum' in f ? f.sum.flatMap(polyFactors) : 'scalar' in f ? [] : [f]));
}

/** The oracles the identities read (inside linear forms too): once its sums are compiled, a spec's every oracle is one of them. */
export function oraclesRead(identities: readonly Identity[]): Set<string> {
  return new Set(identities.flatMap((id) => id.terms.flatMap((t) => polyFactors(t).flatMap((f) => ('oracle' in f ? [f.oracle] : [])))));
}
/** `coeff · Π factors` with a signed integer coefficient. */
export function term(coeff: bigint | number, ...factors: Factor[]): IdentityTerm {
  const c = BigInt(coeff) % R;
  return { coeff: c < 0n ? c + R : c, factors };
}

const lagrangePolys = new Map<string, PublicPoly>();

/**
 * The Lagrange polynomial L_i of H_n as a public polynomial named `L<i>/<n>` (verifier: O(log n)). One object
 * per (n, i), so gadgets that each declare it share it (the compiler refuses two different polynomials under
 * one name).
 */
export function lagrangePoly(n: number, i: number): PublicPoly {
  const name = `L${i}/${n}`;
  let p = lagrangePolys.get(name);
  if (!p) lagrangePolys.set(name, (p = lagrangeOf(n, i, name)));
  return p;
}

function lagrangeOf(n: number, i: number, name: string): PublicPoly {
  return {
    name,
    domain: n,
    shared: true,
    values: () => {
      const v = new Array<bigint>(n).fill(0n);
      v[i] = 1n;
      return v;
    },
    evaluateAt: (zeta, _slots, domain) => domain.lagrangeAtIndex(i, zeta),
    // L_i = Π_{j≠i}(X − ω^j)/(ω^i − ω^j) = (1/n)·Σ_j (ω^(−i)·X)^j: coefficient j is n^(−1)·ω^(−ij).
    coefficients: (_slots, domain) => {
      const w = domain.elements();
      return Array.from({ length: n }, (_, j) => (domain.sizeInv * w[(n - ((i * j) % n)) % n]) % R);
    },
  };
}

const indicatorPolys = new Map<string, PublicPoly>();
/**
 * The support m of each indicator this module built. The compiler lets a term read an oracle of H_m on H_n only
 * through one of these objects, never through a public a block describes itself: a look-alike, or a custom public
 * that claimed a support, could be nonzero off H_m and read the oracle where its values mean nothing.
 */
const indicatorSupports = new WeakMap<PublicPoly, number>();

/**
 * Registers `p` as zero on H_n off H_m (`support` = m) and freezes it: the compiler's acceptance is keyed by the
 * object, so no caller may swap its values or closed form afterwards for ones nonzero off H_m.
 */
function withSupport(p: PublicPoly, support: number): PublicPoly {
  indicatorSupports.set(Object.freeze(p), support);
  return p;
}

/**
 * The indicator of the subgroup H_m in H_n (m divides n): 1 at the points of H_m (the indices that are multiples of
 * n/m), 0 on the rest of H_n. Its interpolant is `Z_{H_n}(X)/((n/m)·(X^m − 1))` (`EvaluationDomain.subgroupIndicatorAt`),
 * so the verifier evaluates it in O(log n). A polynomial of the domain alone (`shared`), one object per (m, n), named
 * `I<m>/<n>`: a term of an identity on H_n that holds it reads the term's other factors on H_m only,
 * which lets a sum claim on H_n read the oracles of a sum over H_m (`equalSumsGadget`, `blocks/running-sum.ts`).
 * Frozen, as are the objects of {@link subgroupVector} and a {@link renamedPublic} copy of either (`withSupport`).
 */
export function subgroupIndicatorPoly(m: number, n: number): PublicPoly {
  if (!isPowerOfTwo(m) || !isPowerOfTwo(n) || m > n) throw new BlockfoldError('BLOCK', `a subgroup indicator needs powers of two m ≤ n, got H_${m} in H_${n}`);
  const name = `I${m}/${n}`;
  let p = indicatorPolys.get(name);
  if (!p) {
    const step = n / m;
    p = {
      name,
      domain: n,
      shared: true,
      values: () => Array.from({ length: n }, (_, k) => (k % step === 0 ? 1n : 0n)),
      evaluateAt: (zeta, _slots, domain) => domain.subgroupIndicatorAt(step, zeta),
      coefficients: () => subgroupIndicatorCoefficients(m, n),
    };
    indicatorPolys.set(name, withSupport(p, m));
  }
  return p;
}

/**
 * The coefficients of the indicator of H_m in H_n: coefficient j is `(1/n)·Σ_{k ∈ H_m} k^(−j)`, a sum of m roots of
 * unity of H_m, which is m when m divides j and 0 otherwise; so `[m | j]·m/n`.
 */
export function subgroupIndicatorCoefficients(m: number, n: number): bigint[] {
  const c = Fr.inv(BigInt(n / m));
  const out = new Array<bigint>(n).fill(0n);
  for (let j = 0; j < n; j += m) out[j] = c;
  return out;
}

/**
 * A public vector on H_n that holds m values `v_j` at the points of the subgroup H_m (index `j·n/m`) and 0 on the rest
 * of H_n (m < n, powers of two). Its interpolant over H_n is `I_m·V`, V the interpolant of v over H_m and I_m the
 * indicator of H_m ({@link subgroupIndicatorPoly}): both sides have degree below n (`deg I_m = n − m`) and agree on
 * H_n. So the verifier evaluates `I_m(ζ)·V(ζ)` in O(m) + O(log n) instead of O(n), and its coefficients are
 * `(m/n)·v̂_b` at `a·m + b` (`I_m = (m/n)·Σ_{a<n/m} X^(a·m)`, v̂ the m coefficients of V).
 *
 * It is zero on H_n off H_m **by construction**, whatever values the block gives, so it counts as a subgroup indicator
 * of H_m for the compiler: a term holding it may read an unrotated oracle of H_m (or of a subgroup of H_m) on H_n,
 * at the points of H_m only, as it would with I_m as a factor but one degree lower. A row-weighted claim on H_n reads a
 * sum over H_m this way with a weight per cell, e.g. the inverse of the row weight the claim gives that cell
 * (`blocks/matmul.ts`, flat layout).
 */
export function subgroupVector(name: string, m: number, n: number, values: (slots: SlotValues) => bigint[]): PublicPoly {
  if (!isPowerOfTwo(m) || !isPowerOfTwo(n) || m >= n) throw new BlockfoldError('BLOCK', `subgroup vector "${name}": needs powers of two m < n, got H_${m} in H_${n}`);
  const step = n / m;
  const small = (slots: SlotValues) => {
    const v = values(slots);
    if (v.length !== m) throw new BlockfoldError('BLOCK', `subgroup vector "${name}": expected ${m} values, got ${v.length}`);
    return v;
  };
  const p: PublicPoly = {
    name,
    domain: n,
    values: (slots) => {
      const v = small(slots);
      return Array.from({ length: n }, (_, k) => (k % step === 0 ? v[k / step] : 0n));
    },
    evaluateAt: (zeta, slots, domain) => Fr.mul(domain.subgroupIndicatorAt(step, zeta), periodDomain(m, domain.engine).evaluateInterpolant(small(slots), zeta)),
    coefficients: (slots, domain) => {
      const q = periodDomain(m, domain.engine).ifft(small(slots));
      const scale = Fr.inv(BigInt(step));
      const out = new Array<bigint>(n);
      for (let k = 0; k < n; k++) out[k] = Fr.mul(scale, q[k % m]);
      return out;
    },
  };
  return withSupport(p, m);
}

/**
 * p under another name, reading its slots through `view` (a model argument renames a member's publics, and shows
 * each its member's slots): the same polynomial wherever the view gives p the values it would read itself. A support
 * p has as a subgroup indicator ({@link subgroupIndicatorPoly}, {@link subgroupVector}) carries over, since the copy's
 * values are p's: it is zero off that subgroup whatever the slots hold.
 */
export function renamedPublic(p: PublicPoly, name: string, view: (slots: SlotValues) => SlotValues): PublicPoly {
  const copy: PublicPoly = {
    name,
    domain: p.domain,
    values: (slots) => p.values(view(slots)),
    evaluateAt: (zeta, slots, domain) => p.evaluateAt(zeta, view(slots), domain),
    ...(p.coefficients && { coefficients: (slots: SlotValues, domain: EvaluationDomain) => p.coefficients!(view(slots), domain) }),
  };
  const support = indicatorSupports.get(p);
  return support === undefined ? copy : withSupport(copy, support);
}

/**
 * A public vector on H_n as a polynomial; the verifier evaluates `Σ_i v_i·L_i(ζ)` in O(n) (barycentric form).
 * `values` may read challenges (for example `v_i = β^i`).
 */
export function publicVector(name: string, n: number, values: (slots: SlotValues) => bigint[]): PublicPoly {
  return { name, domain: n, values, evaluateAt: (zeta, slots, domain) => domain.evaluateInterpolant(values(slots), zeta) };
}

/**
 * One H_K per engine and size for the periodic vectors: the vectors of a block (a flat max's four masks) are
 * evaluated at one point `ζ^(n/K)`, and a domain keeps the barycentric weights of its last few points, so the
 * vectors of every block of a size n share one batch inversion instead of one each.
 */
const periodDomains = new WeakMap<Engine, Map<number, EvaluationDomain>>();
function periodDomain(period: number, engine: Engine): EvaluationDomain {
  let byPeriod = periodDomains.get(engine);
  if (!byPeriod) periodDomains.set(engine, (byPeriod = new Map()));
  let d = byPeriod.get(period);
  if (!d) byPeriod.set(period, (d = new EvaluationDomain(period, engine)));
  return d;
}

/**
 * A public vector of period K on H_n (K divides n): `v(ω_n^k) = p_(k mod K)` for K values p. Its interpolant over H_n
 * is `q(X^(n/K))`, q the interpolant of p over H_K (`(ω_n^k)^(n/K) = ω_K^k` and `deg q(X^(n/K)) < n`), so the verifier
 * evaluates `q(ζ^(n/K))` in O(K) instead of O(n). `values` may read challenges (for example `p_j = β^j`).
 */
export function periodicVector(name: string, n: number, period: number, values: (slots: SlotValues) => bigint[]): PublicPoly {
  if (!isPowerOfTwo(period) || n % period !== 0)
    throw new BlockfoldError('BLOCK', `periodic vector "${name}": the period must be a power of two dividing ${n}, got ${period}`);
  const periodValues = (slots: SlotValues) => {
    const p = values(slots);
    if (p.length !== period) throw new BlockfoldError('BLOCK', `periodic vector "${name}": expected ${period} values, got ${p.length}`);
    return p;
  };
  return {
    name,
    domain: n,
    values: (slots) => {
      const p = periodValues(slots);
      // A plain loop: Array.from with a callback took a few times as long, on vectors the size of the largest domain.
      const out = new Array<bigint>(n);
      for (let k = 0; k < n; k++) out[k] = p[k % period];
      return out;
    },
    evaluateAt: (zeta, slots, domain) => {
      return periodDomain(period, domain.engine).evaluateInterpolant(periodValues(slots), domain.powerAt(zeta, n / period));
    },
    // q(X^(n/K)): q's K coefficients at the multiples of n/K, an inverse transform of K values instead of n.
    coefficients: (slots, domain) => {
      const q = periodDomain(period, domain.engine).ifft(periodValues(slots));
      const out = new Array<bigint>(n).fill(0n);
      for (let j = 0; j < period; j++) out[j * (n / period)] = q[j];
      return out;
    },
  };
}

/**
 * Each public polynomial once: gadgets of one block that share a domain each declare the same Lagrange
 * polynomials (one object per name, {@link lagrangePoly}). A name identifies one polynomial, so two different
 * objects under one name are a {@link BlockfoldError}: keeping either would silently change the other's identities.
 */
export function distinctPublics(publics: readonly PublicPoly[], where = 'poly-IOP'): PublicPoly[] {
  const byName = new Map<string, PublicPoly>();
  for (const p of publics) {
    const q = byName.get(p.name);
    if (q && q !== p) throw new BlockfoldError('BLOCK', `${where}: public polynomial "${p.name}" is declared twice with different definitions`);
    byName.set(p.name, p);
  }
  return [...byName.values()];
}

/** `[1, x, x², …, x^(count−1)]` in Fr (re-exported for the blocks, which build on this module). */
export { powers } from '../src/field';

/** The message slot of an oracle's evaluation at ζ (in the compiled protocol's tail). */
export function oracleEvaluationSlot(oracle: string): string {
  return `${oracle}@zeta`;
}

// Slot names of the tail.
const evalSlot = oracleEvaluationSlot;
/**
 * The name of the point `ω^s·ζ` (s normalized, nonzero) in the slots of the tail: `wzeta` for the shift, the names every
 * proof has used since the shift exists, `w^<s>zeta` for the other rotations.
 */
const rotationTag = (s: number) => (s === 1 ? 'wzeta' : `w^${s}zeta`);
const rotatedEvalSlot = (oracle: string, s: number) => `${oracle}@${rotationTag(s)}`;
/** The name of the point `ζ^k` of a composition read (k ≥ 2) in the slots of the tail. */
const compositionTag = (k: number) => `zeta^${k}`;
const composedEvalSlot = (oracle: string, k: number) => `${oracle}@${compositionTag(k)}`;

const publicSlot = (name: string) => `${name}@zeta`;
/** Piece j of the quotient (`quotient`, `quotient/1`, …) and its commitment slot (`[quotient]`, `[quotient/1]`, …). */
const quotientOracle = (j: number) => (j === 0 ? 'quotient' : `quotient/${j}`);
const quotientCommitment = (j: number) => `[${quotientOracle(j)}]`;
const QUOTIENT_COMMITMENT = quotientCommitment(0);
/**
 * The smallest piece of a split quotient (`quotientPieces`): below it the opening's W and W′ would shrink by fewer
 * than about 2,000 full-width points, a few milliseconds, for 32 more bytes.
 */
const QUOTIENT_PIECE_MIN = 1024;
/** The weight `λ^g` of identity g (over every identity of every domain, in plan order; g = 0 has weight 1). */
const lambdaSlot = (g: number) => `lambda/${g}`;
const LAMBDA = 'lambda';
const vanishingSlot = (n: number) => `zh/${n}`;
const rotationPointSlot = (n: number, s: number) => `${rotationTag(s)}/${n}`;
const linearCoefficientSlot = (oracle: string) => `lin/${oracle}`;
const LINEAR_VALUE = 'lin@zeta';
const ZETA = 'zeta';
// The opening (src/kzg/multi-open.ts): v batches the polynomials of a point, γ the points; W, x, W'.
const V = 'v';
const GAMMA = 'open/gamma';
const OPEN_FIRST = 'open/W';
const OPEN_POINT = 'open/x';
const OPEN_SECOND = "open/W'";
const OPEN_VALUE = 'open/value';
const OPEN_VANISHING = 'open/zt';
const openCoefficientSlot = (k: number) => `open/c/${k}`;

/** The polynomials opened at one point: `F_b = Σ_i v^(i+1)·f_i` (at ζ, plus the linearized combination). */
interface OpeningBatchPlan {
  readonly point: string;
  readonly oracles: readonly string[];
  readonly commitments: readonly string[];
  readonly evaluations: readonly string[];
  /** `v^(i+1)` (derived). */
  readonly challenges: readonly string[];
}

/** The batch of `oracles` opened at `point`: their commitments, their value slots (`evaluation` of each oracle's name), `v^(i+1)`. */
function batchAt(point: string, oracles: readonly Oracle[], evaluation: (oracle: string) => string): OpeningBatchPlan {
  return {
    point,
    oracles: oracles.map((o) => o.name),
    commitments: oracles.map((o) => o.commitment),
    evaluations: oracles.map((o) => evaluation(o.name)),
    challenges: oracles.map((_, i) => `v/${point}/${i}`),
  };
}

/**
 * The stacks opened at one point modulo `X^k − z`, k their size: `F = Σ_i v^(i+1)·C_i`, whose remainder is
 * `Σ_i v^(i+1)·Σ_j X^j·y_(i,j)`, `y_(i,j)` the value at z of stack i's oracle in place j.
 */
interface StackBatchPlan {
  readonly point: string;
  readonly size: number;
  /** Each stack's commitment slot and its oracles' value slots at the point, by place. */
  readonly stacks: readonly { readonly commitment: string; readonly oracles: readonly string[]; readonly evaluations: readonly string[] }[];
  /** `v^(i+1)` (derived). */
  readonly challenges: readonly string[];
}

/**
 * The linearized part of the ζ batch: `L = v^(m+1)·(Σ_n Z_{H_n}(ζ)^(−1)·Σ_{g on H_n} λ^g·P_g(X)|_{evaluations} − t(X))`,
 * m the number of evaluations in the ζ batch; `L(ζ)` must equal the constant `LINEAR_VALUE`.
 */
interface LinearPlan {
  /** Linearized oracles read unrotated by some identity, then the quotient's pieces: the polynomials of L. */
  readonly oracles: readonly string[];
  readonly commitments: readonly string[];
  /** Their coefficient slots `lin/<oracle>` (derived after v). */
  readonly coefficients: readonly string[];
  /** The linearized oracles: never evaluated at ζ. */
  readonly linearized: ReadonlySet<string>;
}

/** The layout the compiler derives from a spec; prover and verifier share it. */
interface Plan {
  readonly domains: readonly number[];
  readonly identitiesByDomain: ReadonlyMap<number, readonly Identity[]>;
  /** Each identity's index g in plan order (domains in order, then the identities of each): its weight is `λ^g`. */
  readonly weightIndex: ReadonlyMap<Identity, number>;
  readonly oracles: readonly Oracle[];
  readonly publics: readonly PublicPoly[];
  /** The ζ batch first (with the linearized combination, even when it opens no oracle), then the other points'. */
  readonly batches: readonly OpeningBatchPlan[];
  /** The stacks' openings ({@link PolyIopSpec.stacks}), after the batches: points in the batches' order, sizes ascending. */
  readonly stackBatches: readonly StackBatchPlan[];
  /** The points `ω_n^s·ζ` of the batches after ζ's, in batch order: their slots, domains and rotations. */
  readonly rotationPoints: readonly { readonly slot: string; readonly domain: number; readonly rotation: number }[];
  /** The points `ζ^k` of the batches after the rotations', in batch order: their slots and powers. */
  readonly compositionPoints: readonly { readonly slot: string; readonly power: number }[];
  /** Each oracle's rotations and composition points ({@link oracleRotations}). */
  readonly rotations: ReadonlyMap<string, readonly OpeningPoint[]>;
  /** The points each committed polynomial is opened at, by commitment slot (ζ and {@link committedRotations}). */
  readonly points: ReadonlyMap<string, number>;
  readonly linear: LinearPlan;
  /** How the quotient is committed ({@link quotientPieces}); its pieces are the last oracles of L. */
  readonly quotient: QuotientPieces;
  readonly lambdas: readonly string[];
  /** The oracles whose value at ζ the verifier computes (in dependency order): not in the ζ batch. */
  readonly derivedEvaluations: readonly OracleRelation[];
  /** Every oracle's domain size, by name (the quotient's pieces included). */
  readonly oracleDomains: ReadonlyMap<string, number>;
}

/**
 * The oracles the tail leaves unevaluated at ζ (PLONK's linearization), a function of the spec alone: a set S in
 * which no identity term reads two unrotated factors of S (nor one twice), so every identity is linear in S once
 * the other factors' values are known. Greedy, deterministic: the block's own messages (helpers, running sums)
 * before statement rows, then ascending number of oracles they share a term with, then declaration order; an
 * oracle joins unless it shares a term with one already in S. Rows come last because a row is often read by
 * several blocks and evaluated once for all of them (the bundled models' proofs are as small either way), and
 * an evaluated row's blinding is what hides it, which the zero-knowledge tests exercise. An oracle read
 * only rotated or composed is in S with no term (its ζ value is read by nothing). Quotients are always linearized (they are
 * not oracles of the spec).
 */
function linearizedOracles(spec: PolyIopSpec, evaluated: ReadonlySet<string> = stackedOracles(spec)): Set<string> {
  const partners = new Map<string, Set<string>>(spec.oracles.map((o) => [o.name, new Set<string>()]));
  const squared = new Set<string>();
  for (const id of spec.identities)
    for (const t of id.terms) {
      // An oracle read inside a form is evaluated at ζ, but one read there only composed: `f(ζ^k)` is all a form reads.
      for (const f of t.factors) if ('sum' in f) for (const g of f.sum.flatMap(polyFactors)) if ('oracle' in g && !g.power) squared.add(g.oracle);
      const unrotated = t.factors.flatMap((f) => (isPlainRead(f) ? [f.oracle] : []));
      unrotated.forEach((a, i) => {
        for (const b of unrotated.slice(i + 1)) {
          if (a === b) squared.add(a);
          else {
            partners.get(a)?.add(b);
            partners.get(b)?.add(a);
          }
        }
      });
    }
  const statement = new Set(spec.statement.map((d) => d.name));
  const order = spec.oracles.map((o, i) => ({ name: o.name, i, conflicts: partners.get(o.name)!.size, row: statement.has(o.commitment) ? 1 : 0 }));
  order.sort((x, y) => x.row - y.row || x.conflicts - y.conflicts || x.i - y.i);
  const chosen = new Set<string>();
  for (const { name } of order) {
    if (squared.has(name) || evaluated.has(name)) continue;
    if ([...partners.get(name)!].some((p) => chosen.has(p))) continue;
    chosen.add(name);
  }
  return chosen;
}

/** The oracles a spec's tail never linearizes: its stacks' (their commitments are stacked) and those it asks evaluated. */
function stackedOracles(spec: PolyIopSpec): Set<string> {
  return new Set([...(spec.stacks ?? []).flatMap((s) => s.oracles), ...(spec.evaluated ?? [])]);
}

/** One running sum of the compiler: the claims of one domain and one multiplier, in declaration order. */
interface SumGroup {
  readonly domain: number;
  readonly oracle: string;
  readonly commitment: string;
  readonly claims: readonly SumClaim[];
  readonly multiplier?: PublicPoly;
}

const RHO = 'rho';
const rhoSlot = (i: number) => `rho/${i}`;

/**
 * The spec with the compiler's running sums (module comment, "Running sums"): per group of claims (one domain, one
 * multiplier), an accumulator oracle Z committed in one message round after the block's rounds and a challenge ρ
 * (when a group holds several claims), and the transition
 * `Z(ω·X) − μ(X)·Z(X) − Σ_i ρ^i·s_i(X) + Σ_i ρ^i·T_i(X)·L_0(X) = 0` (μ = 1 without row weights).
 */
function withRunningSums(declared: PolyIopSpec): CompiledSpec {
  let compiled = compiledSpecs.get(declared);
  if (!compiled) compiledSpecs.set(declared, (compiled = runningSumsOf(declared)));
  return compiled;
}

/** A spec as the compiler proves it ({@link withRunningSums}) and its running sums' groups. */
interface CompiledSpec {
  readonly spec: PolyIopSpec;
  readonly groups: readonly SumGroup[];
}

/**
 * What the compiler makes of a spec object, kept with it: {@link withRunningSums} and {@link planOf} are functions of
 * the spec alone, and a spec is immutable (every field readonly), so they are computed once per spec object. A
 * model's argument is one spec built once per key (`src/pipeline/prove-verify.ts`) and proven many times; recompiling
 * it took about 100 ms of every proof of the 8-layer encoder.
 */
const compiledSpecs = new WeakMap<PolyIopSpec, CompiledSpec>();
const plans = new WeakMap<PolyIopSpec, Plan>();

/**
 * Each factor's structural key (JSON of tuples): two different factors never share one, whatever their names hold. A
 * function of the factor object alone (every field readonly), kept with it: the plan's factors live as long as their
 * spec, and every proof's quotient looks each of them up (stringifying them took about 1% of the 8-layer encoder's
 * proof).
 */
const factorKeys = new WeakMap<Exclude<Factor, { scalar: string }>, string>();

/** {@link factorKeys}: the factor's key, computed once per factor object. */
function factorKey(f: Exclude<Factor, { scalar: string }>): string {
  let key = factorKeys.get(f);
  if (key === undefined) factorKeys.set(f, (key = JSON.stringify(factorKeyParts(f))));
  return key;
}

/** The tuples {@link factorKey} writes as JSON: a factor's kind and fields, a linear form's terms recursively. */
function factorKeyParts(f: Exclude<Factor, { scalar: string }>): unknown {
  if ('sum' in f) return ['f', f.sum.map((u) => [String(u.coeff), u.factors.map((g) => ('scalar' in g ? ['c', g.scalar] : factorKeyParts(g)))])];
  if ('public' in f) return ['p', f.public];
  return f.power ? ['k', f.power, f.oracle] : f.rotation ? ['r', f.rotation, f.oracle] : ['o', f.oracle];
}

/** {@link withRunningSums}, computed. */
function runningSumsOf(declared: PolyIopSpec): CompiledSpec {
  const spec = withNormalizedRotations(declared);
  const claims = spec.sums ?? [];
  if (claims.length === 0) return { spec, groups: [] };
  const withForm = claims.find((c) => [...c.summand, ...(c.total ?? [])].some((t) => t.factors.some((f) => 'sum' in f)));
  if (withForm) throw new BlockfoldError('BLOCK', `${spec.foldKey}: sum claim "${withForm.name}" reads a linear form (forms are for identities only)`);
  const composed = claims.find((c) => [...c.summand, ...(c.total ?? [])].some((t) => t.factors.some((f) => 'oracle' in f && f.power)));
  if (composed) throw new BlockfoldError('BLOCK', `${spec.foldKey}: sum claim "${composed.name}" reads a composed oracle (compositions are for identities only)`);
  const byKey = new Map<string, SumClaim[]>();
  for (const c of claims) {
    const key = `${c.domain}${c.multiplier ? `/${c.multiplier.name}` : ''}`;
    byKey.set(key, [...(byKey.get(key) ?? []), c]);
  }
  const groups: SumGroup[] = [...byKey.values()].map((cs, k) => ({
    domain: cs[0].domain,
    oracle: `Z/sum/${k}`,
    commitment: `[Z]/sum/${k}`,
    claims: cs,
    ...(cs[0].multiplier ? { multiplier: cs[0].multiplier } : {}),
  }));
  const rhos = Array.from({ length: Math.max(...groups.map((g) => g.claims.length)) - 1 }, (_, i) => rhoSlot(i + 1));
  const weight = (i: number): Factor[] => (i === 0 ? [] : [scalar(rhoSlot(i))]);
  const identities: Identity[] = groups.map((g) => {
    const first = lagrangePoly(g.domain, 0);
    return {
      name: `${g.oracle}/transition`,
      domain: g.domain,
      terms: [
        term(1, shiftedAt(g.oracle)),
        g.multiplier ? term(-1, at(g.oracle), pub(g.multiplier.name)) : term(-1, at(g.oracle)),
        ...g.claims.flatMap((c, i) => [
          ...c.summand.map((t) => ({ coeff: (R - t.coeff) % R, factors: [...t.factors, ...weight(i)] })),
          ...(c.total ?? []).map((t) => ({ coeff: t.coeff, factors: [...t.factors, pub(first.name), ...weight(i)] })),
        ]),
      ],
    };
  });
  const rounds: Step[] = [
    ...(rhos.length > 0
      ? [
          { kind: 'challenge' as const, slots: [RHO] },
          {
            kind: 'derived' as const,
            slots: rhos,
            compute: (values: SlotValues) => {
              const ps = powers(frSlot(values, RHO), rhos.length + 1);
              return Object.fromEntries(rhos.map((slot, i) => [slot, ps[i + 1]]));
            },
          },
        ]
      : []),
    { kind: 'message', slots: groups.map((g) => g.commitment) },
  ];
  return {
    groups,
    spec: {
      ...spec,
      slots: [
        ...spec.slots,
        ...(rhos.length > 0 ? [{ name: RHO, sort: 'fr' as const, origin: 'challenge' as const }, ...rhos.map((name) => ({ name, sort: 'fr' as const, origin: 'derived' as const }))] : []),
        ...groups.map((g) => ({ name: g.commitment, sort: 'g1' as const, origin: 'message' as const })),
      ],
      rounds: [...spec.rounds, ...rounds],
      oracles: [...spec.oracles, ...groups.map((g) => ({ name: g.oracle, domain: g.domain, commitment: g.commitment }))],
      // Every claim's multiplier, not only each group's first: a group is keyed by the multiplier's name, and
      // planOf refuses two different polynomials under one name (a claim would otherwise be proven with another's μ).
      publics: [...spec.publics, ...groups.map((g) => lagrangePoly(g.domain, 0)), ...claims.flatMap((c) => (c.multiplier ? [c.multiplier] : []))],
      identities: [...spec.identities, ...identities],
      sums: [],
    },
  };
}

/** The spec as the compiler proves it: with its running sums' accumulators, rounds and transitions. */
export function specWithRunningSums(spec: PolyIopSpec): PolyIopSpec {
  return withRunningSums(spec).spec;
}

/**
 * The rotation s of a read on H_n as the compiler names it (module comment, "Rotations"): s mod n in [0, n), 0 the plain
 * read; on H_1 a nonzero s is 1, the shift (`ω_1 = 1`, opened at ζ as its own point). A rotation that is no safe integer
 * is a {@link BlockfoldError}.
 */
function normalizedRotation(s: number, n: number): number {
  if (!Number.isSafeInteger(s)) throw new BlockfoldError('BLOCK', `a rotation must be a safe integer, got ${s}`);
  const r = ((s % n) + n) % n;
  return n === 1 && s !== 0 ? 1 : r;
}

/**
 * A composed read `f(X^k)` as the compiler names it: k a positive safe integer (else a {@link BlockfoldError}), 1 the
 * plain read; a rotation beside it (other than ≡ 0 on the identity's H_n) is refused, as the compiler has no point
 * `ω^s·ζ^k` (module comment, "Compositions").
 */
function normalizedComposition(f: { readonly oracle: string; readonly rotation?: number; readonly power?: number }, n: number): Factor {
  const k = f.power!;
  if (!Number.isSafeInteger(k) || k < 1) throw new BlockfoldError('BLOCK', `a composition's power must be a positive safe integer, got ${k}`);
  if (f.rotation !== undefined && normalizedRotation(f.rotation, n) !== 0) throw new BlockfoldError('BLOCK', `oracle "${f.oracle}" is read both composed (power ${k}) and rotated (${f.rotation}) in one factor, which the compiler does not open`);
  if (k === 1) return { oracle: f.oracle };
  return f.rotation === undefined ? f : { oracle: f.oracle, power: k };
}

/**
 * The spec with every factor's rotation normalized on its identity's (or sum claim's) domain ({@link normalizedRotation}),
 * a rotation ≡ 0 dropped (a plain read), and every composition checked ({@link normalizedComposition}, power 1 dropped),
 * so that equal reads have equal factors. Terms with no rotation to change are
 * kept as they are (a model argument has thousands).
 */
function withNormalizedRotations(spec: PolyIopSpec): PolyIopSpec {
  const factor = (f: Factor, n: number): Factor => {
    if ('sum' in f) {
      const sum = terms(f.sum, n);
      return sum === f.sum ? f : { sum };
    }
    if (!('oracle' in f)) return f;
    if (f.power !== undefined) return normalizedComposition(f, n);
    if (f.rotation === undefined) return f;
    const s = normalizedRotation(f.rotation, n);
    return s === f.rotation ? f : s === 0 ? { oracle: f.oracle } : { oracle: f.oracle, rotation: s };
  };
  const terms = (ts: readonly IdentityTerm[], n: number): readonly IdentityTerm[] => {
    let changed = false;
    const out = ts.map((t) => {
      const factors = t.factors.map((f) => factor(f, n));
      if (factors.every((f, i) => f === t.factors[i])) return t;
      changed = true;
      return { coeff: t.coeff, factors };
    });
    return changed ? out : ts;
  };
  const identities = spec.identities.map((id) => {
    const ts = terms(id.terms, id.domain);
    return ts === id.terms ? id : { ...id, terms: ts };
  });
  const sums = spec.sums?.map((c) => {
    const summand = terms(c.summand, c.domain);
    const total = c.total && terms(c.total, c.domain);
    return summand === c.summand && total === c.total ? c : { ...c, summand, ...(total ? { total } : {}) };
  });
  if (identities.every((id, i) => id === spec.identities[i]) && (sums ?? []).every((c, i) => c === spec.sums![i])) return spec;
  return { ...spec, identities, ...(sums ? { sums } : {}) };
}

/**
 * Each oracle's points besides ζ ({@link OpeningPoint}): the rotation `ω_n^s·ζ` of each distinct normalized s ≢ 0 at
 * which some identity of the compiled spec (`specWithRunningSums`: sum claims and their accumulators included) reads
 * it, and the point `ζ^k` of each power k at which one reads it composed (`distinctOpeningPoints`' order). Oracles read
 * at ζ only map to `[]`.
 */
export function oracleRotations(spec: PolyIopSpec): Map<string, OpeningPoint[]> {
  return rotationsOf(withRunningSums(spec).spec);
}

/** {@link oracleRotations} of a spec that is already compiled's (rotations normalized, running sums added). */
function rotationsOf(spec: PolyIopSpec): Map<string, OpeningPoint[]> {
  const read = new Map<string, OpeningPoint[]>(spec.oracles.map((o) => [o.name, []]));
  for (const id of spec.identities)
    for (const t of id.terms)
      for (const f of polyFactors(t)) {
        if (!('oracle' in f)) continue;
        if (f.power) read.get(f.oracle)?.push({ kind: 'power', power: f.power });
        else if (f.rotation) read.get(f.oracle)?.push({ kind: 'rotation', rotation: f.rotation });
      }
  return new Map([...read].map(([o, ps]) => [o, distinctOpeningPoints(ps)]));
}

/**
 * Where each committed polynomial of a spec is opened besides ζ, by commitment slot: the union of the rotations
 * ({@link oracleRotations}) of every oracle committed in that slot (oracles sharing a message commitment open one
 * polynomial `f + Z_H·b`) and, for a statement slot, of every oracle whose `combination` holds it: `C = Σ_i k_i·[x_i]₁`
 * opened at z reveals `Σ_i k_i·(x_i + Z_H·b_i)(z)`, a value of each x_i's polynomial at z, so b_i must hide z too. Each
 * slot maps to its distinct points ({@link distinctOpeningPoints}; `[]`: opened at ζ alone);
 * its blinding takes `blindingCoefficients(1 + count)`.
 *
 * `combined(o)` is the statement slots of o's combination, asked only of an oracle read rotated. A combination is a
 * function of its challenges, unknown before proving, so without `combined` (the key's count, `Block.openingRotations`)
 * a combination read rotated counts for every statement slot of the spec: never fewer points than the prover's count,
 * which passes the slots it combines. Rows tied by linear relations are the pipeline's to join
 * (`src/pipeline/block-graph.ts`): the spec does not know which blindings the solver links.
 */
export function committedRotations(spec: PolyIopSpec, combined?: (o: Oracle) => readonly string[]): Map<string, OpeningPoint[]> {
  const compiled = withRunningSums(spec).spec;
  return committedRotationsOf(compiled, rotationsOf(compiled), combined);
}

/** {@link committedRotations} of a compiled spec, from its oracles' rotations. */
function committedRotationsOf(spec: PolyIopSpec, rotations: ReadonlyMap<string, readonly OpeningPoint[]>, combined?: (o: Oracle) => readonly string[]): Map<string, OpeningPoint[]> {
  const statement = spec.statement.filter((d) => d.sort === 'g1').map((d) => d.name);
  const read = new Map<string, OpeningPoint[]>();
  const add = (slot: string, ss: readonly OpeningPoint[]) => {
    const points = read.get(slot) ?? read.set(slot, []).get(slot)!;
    points.push(...ss);
  };
  // A rotation is a point of its oracle's domain (`ω_n^s·ζ`): one polynomial read rotated on two domains would be opened
  // at points its count merges (s = 1 on H_4 and on H_8 are two points), and blinded a coefficient short.
  const rotatedOn = new Map<string, number>();
  for (const o of spec.oracles) {
    const ss = rotations.get(o.name) ?? [];
    add(o.commitment, ss);
    if (ss.some((p) => p.kind === 'rotation')) {
      const other = rotatedOn.get(o.commitment);
      if (other !== undefined && other !== o.domain)
        throw new BlockfoldError('BLOCK', `${spec.foldKey}: "${o.commitment}" is read rotated by oracles on H_${other} and H_${o.domain}; a polynomial's rotations are points of one domain`);
      rotatedOn.set(o.commitment, o.domain);
    }
    if (o.combination && ss.length > 0) for (const slot of combined ? combined(o) : statement) add(slot, ss);
  }
  return new Map([...read].map(([slot, ps]) => [slot, distinctOpeningPoints(ps)]));
}

/** The plan of a compiled spec (kept with the spec object, {@link compiledSpecs}). */
function planOf(spec: PolyIopSpec): Plan {
  let plan = plans.get(spec);
  if (!plan) plans.set(spec, (plan = planned(spec)));
  return plan;
}

/** {@link planOf}, computed. */
function planned(spec: PolyIopSpec): Plan {
  const domains: number[] = [];
  const identitiesByDomain = new Map<number, Identity[]>();
  for (const id of spec.identities) {
    if (!identitiesByDomain.has(id.domain)) {
      domains.push(id.domain);
      identitiesByDomain.set(id.domain, []);
    }
    identitiesByDomain.get(id.domain)!.push(id);
  }
  const publics = new Map(distinctPublics(spec.publics, spec.foldKey).map((p) => [p.name, p]));
  const oracleDomains = new Map<string, number>();
  const declare = (o: Oracle) => {
    if (oracleDomains.has(o.name)) throw new BlockfoldError('BLOCK', `${spec.foldKey}: oracle "${o.name}" declared twice`);
    oracleDomains.set(o.name, o.domain);
  };
  spec.oracles.forEach(declare);
  for (const id of spec.identities) checkIdentityDomain(spec.foldKey, id, oracleDomains, publics);
  // An oracle no identity reads would be committed and never opened (linearized with no term).
  const read = oraclesRead(spec.identities);
  const unread = spec.oracles.find((o) => !read.has(o.name));
  if (unread) throw new BlockfoldError('BLOCK', `${spec.foldKey}: oracle "${unread.name}" is read by no identity`);
  // An empty message step would be sent to no member of a model argument.
  if (spec.rounds.some((r) => r.kind === 'message' && r.slots.length === 0)) throw new BlockfoldError('BLOCK', `${spec.foldKey}: a message round with no slot`);
  const rotations = rotationsOf(spec);
  const points = new Map([...committedRotationsOf(spec, rotations)].map(([slot, ss]) => [slot, 1 + ss.length]));
  const quotient = quotientPieces(spec, oracleDomains, publics, blindingCoefficients(Math.max(BASE_OPENING_POINTS, ...points.values())));
  const largest = Math.max(...domains);
  const pieces: Oracle[] = Array.from({ length: quotient.count }, (_, j) => ({ name: quotientOracle(j), domain: largest, commitment: quotientCommitment(j) }));
  pieces.forEach(declare);
  const oracles: Oracle[] = [...spec.oracles, ...pieces];
  // The hiding lint, when the protocol is built: every G1 message and every derived commitment can be blinded.
  blindedCommitments(spec.foldKey, spec.oracles, points, spec.slots, spec.selfBlinded);
  checkDerivedOracles(spec.foldKey, spec.oracles, spec.slots);
  const linearized = linearizedOracles(spec);
  const readUnrotated = new Set(spec.identities.flatMap((id) => id.terms.flatMap((t) => polyFactors(t).flatMap((f) => (isPlainRead(f) ? [f.oracle] : [])))));
  const inLinear = [...spec.oracles.filter((o) => linearized.has(o.name) && readUnrotated.has(o.name)), ...oracles.slice(spec.oracles.length)];
  const linear: LinearPlan = {
    oracles: inLinear.map((o) => o.name),
    commitments: inLinear.map((o) => o.commitment),
    coefficients: inLinear.map((o) => linearCoefficientSlot(o.name)),
    linearized,
  };
  const derivedEvaluations = evaluationsFromRelations(spec, linearized, oracleDomains);
  const derived = new Set(derivedEvaluations.map((r) => r.oracle));
  const evaluated = spec.oracles.filter((o) => !linearized.has(o.name) && !derived.has(o.name));
  const stacked = checkedStacks(spec, new Set(evaluated.map((o) => o.name)), derived, rotations);
  const alone = (o: Oracle) => !stacked.has(o.name);
  // Where each stacked oracle is opened, in batch order: the point's slot and the oracle's value slot there.
  const stackedAt = new Map<string, { point: string; evaluation: string }[]>();
  const openedAt = (point: string, oracles: readonly Oracle[], evaluation: (oracle: string) => string) => {
    for (const o of oracles) if (stacked.has(o.name)) (stackedAt.get(o.name) ?? stackedAt.set(o.name, []).get(o.name)!).push({ point, evaluation: evaluation(o.name) });
    return batchAt(point, oracles.filter(alone), evaluation);
  };
  const batches: OpeningBatchPlan[] = [openedAt(ZETA, evaluated, evalSlot)];
  // A point whose oracles are all stacked has no batch of its own (ζ's always has one: it holds L).
  const pushBatch = (b: OpeningBatchPlan) => b.oracles.length > 0 && batches.push(b);
  // One batch per point `ω_n^s·ζ`: domains in the order of their first rotated oracle, rotations ascending, oracles in
  // declaration order. The shift (s = 1) comes first in its domain, so a spec that rotates by 1 only has the batches
  // (and the proof bytes) it had before other rotations existed.
  const rotationsOnly = (o: Oracle) => rotations.get(o.name)!.flatMap((p) => (p.kind === 'rotation' ? [p.rotation] : []));
  const rotated = spec.oracles.filter((o) => rotationsOnly(o).length > 0);
  const rotationPoints: { slot: string; domain: number; rotation: number }[] = [];
  for (const n of new Set(rotated.map((o) => o.domain))) {
    const onN = rotated.filter((o) => o.domain === n);
    for (const s of [...new Set(onN.flatMap(rotationsOnly))].sort((a, b) => a - b)) {
      const read = onN.filter((o) => rotationsOnly(o).includes(s));
      const slot = rotationPointSlot(n, s);
      rotationPoints.push({ slot, domain: n, rotation: s });
      pushBatch(openedAt(slot, read, (o) => rotatedEvalSlot(o, s)));
    }
  }
  // Then one batch per point `ζ^k`, powers ascending, after every rotation's: a spec without compositions keeps the
  // batches it had before they existed.
  const powersOf = (o: Oracle) => rotations.get(o.name)!.flatMap((p) => (p.kind === 'power' ? [p.power] : []));
  const compositionPoints: { slot: string; power: number }[] = [];
  for (const k of [...new Set(spec.oracles.flatMap(powersOf))].sort((a, b) => a - b)) {
    const read = spec.oracles.filter((o) => powersOf(o).includes(k));
    const slot = compositionTag(k);
    compositionPoints.push({ slot, power: k });
    pushBatch(openedAt(slot, read, (o) => composedEvalSlot(o, k)));
  }
  const stackBatches = stackBatchesOf(spec.stacks ?? [], stackedAt, [ZETA, ...rotationPoints.map((p) => p.slot), ...compositionPoints.map((p) => p.slot)]);
  const weightIndex = new Map(domains.flatMap((n) => identitiesByDomain.get(n)!).map((id, g) => [id, g]));
  const lambdas = spec.identities.slice(1).map((_, g) => lambdaSlot(g + 1));
  return { domains, identitiesByDomain, weightIndex, oracles, publics: [...publics.values()], batches, stackBatches, rotationPoints, compositionPoints, rotations, points, linear, quotient, lambdas, derivedEvaluations, oracleDomains };
}

/**
 * How the quotient t is committed: `count` pieces of about `size` coefficients, `t = Σ_j X^(j·size)·t_j` (PLONK's
 * split), each piece but the last one coefficient longer for its blinding ({@link splitPolynomial}). Identities of
 * degree 3 on the largest domain H_N give t about 2N coefficients; committed whole it would make the opening's W and
 * W′ as long, though every other polynomial of the opening has about N. In pieces of at least N, L (which holds
 * `Σ_j ζ^(j·size)·t_j`) and so W and W′ are no longer than the longest oracle: about 2N fewer full-width points per proof.
 *
 * The count is a function of the spec alone, so prover and verifier agree on the layout: `bound`, an upper bound on
 * t's coefficients over every identity term (an oracle of H_n blinded with `blinding` coefficients has degree at most
 * n + blinding − 1, times k when read as `f(X^k)`; a public of H_n below n), divided by the largest domain (at least
 * {@link QUOTIENT_PIECE_MIN}), rounded down. A bound that misjudges t costs size, never soundness: the verifier's check
 * reads `t*(ζ) = Σ_j ζ^(j·size)·t_j(ζ)`, and t* is a polynomial fixed before ζ whatever the pieces hold (the last
 * takes whatever lies beyond the others).
 */
function quotientPieces(spec: PolyIopSpec, domainOf: ReadonlyMap<string, number>, publics: ReadonlyMap<string, PublicPoly>, blinding: number): QuotientPieces {
  const degreeOf = (f: Factor): number => {
    if ('scalar' in f) return 0;
    if ('public' in f) return publics.get(f.public)!.domain - 1;
    if ('sum' in f) return Math.max(0, ...f.sum.map(termDegree));
    return (f.power ?? 1) * (domainOf.get(f.oracle)! + blinding - 1);
  };
  const termDegree = (t: IdentityTerm): number => t.factors.reduce((d, f) => d + degreeOf(f), 0);
  const bound = Math.max(1, ...spec.identities.flatMap((id) => id.terms.map((t) => termDegree(t) - id.domain + 1)));
  const count = Math.max(1, Math.floor(bound / Math.max(QUOTIENT_PIECE_MIN, ...spec.identities.map((id) => id.domain))));
  return { count, size: Math.ceil(bound / count) };
}

/** The quotient's commitment layout ({@link quotientPieces}). */
interface QuotientPieces {
  readonly count: number;
  readonly size: number;
}

/** Where the tail opens an oracle's commitment ({@link oracleOpenings}). */
export interface OracleOpening {
  /** The points (slot names, ζ's is `zeta`) at which its commitment is opened with its value sent, ζ first. */
  readonly points: readonly string[];
  /** Its commitment enters the linearized combination at ζ (its value there is not sent). */
  readonly linearized: boolean;
  /** Its value at ζ is computed from other oracles' (`PolyIopSpec.oracleRelations`), not sent. */
  readonly derived: boolean;
}

/**
 * How the tail of `spec` (with its running sums) would open each oracle, by name, were the oracles of `evaluated`
 * (and those of its stacks) never linearized: what decides which oracles stacks can hold (`PolyIopSpec.stacks`: those
 * opened at their points only, never linearized nor derived), since a stacked oracle is evaluated, and an evaluated
 * one may let others' values be derived.
 */
export function oracleOpenings(spec: PolyIopSpec, evaluated: ReadonlySet<string> = new Set()): Map<string, OracleOpening> {
  const asked = evaluated.size === 0 ? spec : { ...spec, evaluated: [...(spec.evaluated ?? []), ...evaluated] };
  const plan = planOf(withRunningSums(asked).spec);
  const inLinear = new Set(plan.linear.oracles);
  const derived = new Set(plan.derivedEvaluations.map((r) => r.oracle));
  const points = new Map<string, string[]>();
  const opened = (oracle: string, point: string) => (points.get(oracle) ?? points.set(oracle, []).get(oracle)!).push(point);
  for (const b of plan.batches) for (const o of b.oracles) opened(o, b.point);
  for (const b of plan.stackBatches) for (const st of b.stacks) for (const o of st.oracles) opened(o, b.point);
  return new Map(plan.oracles.map((o) => [o.name, { points: points.get(o.name) ?? [], linearized: inLinear.has(o.name), derived: derived.has(o.name) }]));
}

/**
 * The spec's stacks ({@link PolyIopSpec.stacks}), checked, by oracle. Refused with a {@link BlockfoldError}: an
 * uncommitted slot that is no G1 statement slot; a stack whose commitment is another slot's name or another stack's, whose
 * size is below its oracles' count, or which holds an undeclared oracle, one oracle twice or an oracle of another
 * stack, an oracle that is not a statement oracle (a combination, a public, a message) or whose commitment is not
 * uncommitted, or one the tail does not evaluate at ζ (linearized, or its value derived); an oracle opening an
 * uncommitted slot that is not in a stack, unless its value at ζ is derived and it is opened nowhere else; a vanishing
 * claim reading an uncommitted slot. The stacks' oracles must share their points: checked by {@link stackBatchesOf}.
 */
function checkedStacks(spec: PolyIopSpec, evaluated: ReadonlySet<string>, derived: ReadonlySet<string>, rotations: ReadonlyMap<string, readonly OpeningPoint[]>): Map<string, OracleStack> {
  const refuse = (why: string): never => {
    throw new BlockfoldError('BLOCK', `${spec.foldKey}: ${why}`);
  };
  const statementG1 = new Set(spec.statement.filter((d) => d.sort === 'g1').map((d) => d.name));
  const uncommitted = new Set(spec.uncommitted ?? []);
  for (const slot of uncommitted) if (!statementG1.has(slot)) refuse(`uncommitted slot "${slot}" is no G1 statement slot`);
  const declared = new Set([...spec.statement, ...spec.slots].map((d) => d.name));
  const byName = new Map(spec.oracles.map((o) => [o.name, o]));
  const out = new Map<string, OracleStack>();
  const commitments = new Set<string>();
  for (const stack of spec.stacks ?? []) {
    const what = `stack "${stack.commitment}"`;
    if (declared.has(stack.commitment) || commitments.has(stack.commitment)) refuse(`${what} is named as another slot or stack is`);
    commitments.add(stack.commitment);
    if (stack.oracles.length === 0 || !Number.isSafeInteger(stack.size) || stack.size < stack.oracles.length) refuse(`${what} has ${stack.oracles.length} oracles in ${stack.size} places`);
    for (const name of stack.oracles) {
      const o = byName.get(name) ?? refuse(`${what} holds "${name}", which is no oracle`);
      if (out.has(name)) refuse(`oracle "${name}" is in two stacks`);
      if (o.combination || o.public || !statementG1.has(o.commitment)) refuse(`${what} holds "${name}", whose commitment is not a statement slot of its own`);
      if (!uncommitted.has(o.commitment)) refuse(`${what} holds "${name}", whose commitment "${o.commitment}" is not uncommitted`);
      if (!evaluated.has(name)) refuse(`${what} holds "${name}", which is not evaluated at ζ (linearized, or its value derived)`);
      out.set(name, stack);
    }
  }
  for (const o of spec.oracles)
    if (uncommitted.has(o.commitment) && !out.has(o.name) && !(derived.has(o.name) && rotations.get(o.name)!.length === 0))
      refuse(`oracle "${o.name}" opens "${o.commitment}", which holds no commitment, and is not in a stack`);
  for (const c of spec.vanishingClaims ?? []) for (const t of c.terms) if (typeof t.commitment === 'string' && uncommitted.has(t.commitment)) refuse(`vanishing claim "${c.name}" reads "${t.commitment}", which holds no commitment`);
  return out;
}

/**
 * The stacks' openings: for each point in `points` order, the stacks opened there, by size ascending (one opening
 * modulo `X^k − z` per size). Every oracle of a stack must be opened at its first oracle's points: else a
 * {@link BlockfoldError} (the stack would need values the proof does not hold).
 */
function stackBatchesOf(stacks: readonly OracleStack[], openedAt: ReadonlyMap<string, readonly { point: string; evaluation: string }[]>, points: readonly string[]): StackBatchPlan[] {
  const where = (o: string) => (openedAt.get(o) ?? []).map((p) => p.point).join(', ');
  for (const s of stacks) {
    const first = where(s.oracles[0]);
    const other = s.oracles.find((o) => where(o) !== first);
    if (other !== undefined) throw new BlockfoldError('BLOCK', `stack "${s.commitment}": "${other}" is opened at ${where(other)}, "${s.oracles[0]}" at ${first}; a stack's oracles share their points`);
  }
  const out: StackBatchPlan[] = [];
  for (const point of points) {
    const here = stacks.filter((s) => (openedAt.get(s.oracles[0]) ?? []).some((p) => p.point === point));
    for (const size of [...new Set(here.map((s) => s.size))].sort((a, b) => a - b)) {
      const sized = here.filter((s) => s.size === size);
      out.push({
        point,
        size,
        stacks: sized.map((s) => ({ commitment: s.commitment, oracles: s.oracles, evaluations: s.oracles.map((o) => openedAt.get(o)!.find((p) => p.point === point)!.evaluation) })),
        challenges: sized.map((_, i) => `v/${point}/stack${size}/${i}`),
      });
    }
  }
  return out;
}

/**
 * The relations whose oracle's value at ζ the verifier computes: the oracle is evaluated at ζ (not linearized) and
 * so is every term, or the term's value is computed by an earlier relation. A relation naming an undeclared oracle,
 * or a term that is the oracle of a later relation (the values are computed in order), is a {@link BlockfoldError}.
 */
function evaluationsFromRelations(spec: PolyIopSpec, linearized: ReadonlySet<string>, oracleDomains: ReadonlyMap<string, number>): OracleRelation[] {
  const relations = spec.oracleRelations ?? [];
  const later = new Set(relations.map((r) => r.oracle));
  const out: OracleRelation[] = [];
  const derived = new Set<string>();
  for (const r of relations) {
    later.delete(r.oracle);
    for (const name of [r.oracle, ...r.terms.map((t) => t.oracle)])
      if (!oracleDomains.has(name)) throw new BlockfoldError('BLOCK', `${spec.foldKey}: oracle relation of "${r.oracle}" names an undeclared oracle "${name}"`);
    if (r.terms.some((t) => t.oracle === r.oracle || later.has(t.oracle)))
      throw new BlockfoldError('BLOCK', `${spec.foldKey}: oracle relation of "${r.oracle}" reads itself or an oracle of a later relation`);
    if (linearized.has(r.oracle) || derived.has(r.oracle)) continue;
    if (r.terms.every((t) => derived.has(t.oracle) || !linearized.has(t.oracle))) {
      out.push(r);
      derived.add(r.oracle);
    }
  }
  return out;
}

/** The values at ζ of the oracles of `relations` (in order), from the evaluations and each public polynomial's value. */
function derivedEvaluationValues(relations: readonly OracleRelation[], values: SlotValues, domains: ReadonlyMap<number, EvaluationDomain>): Record<string, bigint> {
  const zeta = frSlot(values, ZETA);
  const out: Record<string, bigint> = {};
  const publicAt = new Map<PublicPoly, bigint>();
  const names = relationSlots(relations);
  relations.forEach((r, k) => {
    const { slot, terms } = names[k];
    let y = 0n;
    r.terms.forEach((t, j) => (y += t.scalar * (out[terms[j]] ?? frSlot(values, terms[j]))));
    for (const { poly: p, scalar } of r.publics ?? []) {
      let v = publicAt.get(p);
      if (v === undefined) publicAt.set(p, (v = p.evaluateAt(zeta, values, domains.get(p.domain)!)));
      y += scalar * v;
    }
    out[slot] = y % R;
  });
  return out;
}

/** The evaluation slots each relation writes and reads, named once per list of relations (a verifier reads them per proof). */
const relationSlotNames = new WeakMap<readonly OracleRelation[], readonly { readonly slot: string; readonly terms: readonly string[] }[]>();
function relationSlots(relations: readonly OracleRelation[]): readonly { readonly slot: string; readonly terms: readonly string[] }[] {
  let names = relationSlotNames.get(relations);
  if (names === undefined) relationSlotNames.set(relations, (names = relations.map((r) => ({ slot: evalSlot(r.oracle), terms: r.terms.map((t) => evalSlot(t.oracle)) }))));
  return names;
}

/**
 * Every oracle and public polynomial of an identity on H_n must be declared on H_n: the identity is enforced on
 * H_n only, the prover rotates by powers of ω_n and interpolates public values over H_n, while the verifier opens a rotated
 * oracle at powers of its own ω and evaluates a public polynomial over its own domain. A factor of another domain would
 * make prover and verifier disagree or leave the cells of the larger domain unconstrained.
 *
 * Two exceptions, both an unrotated oracle on a subgroup H_m of H_n in a term with a public factor that is zero on
 * H_n off H_m, so the identity reads the oracle at the points of H_m only, which are points of its own domain (prover
 * and verifier both use its coefficients, whatever their blinding adds off H_m): an oracle on H_1 = {1} (a hidden
 * scalar, `blocks/running-sum.ts`) times L_0 of H_n, and an oracle on H_m times the indicator of H_m or of a subgroup
 * of it ({@link subgroupIndicatorPoly}: one sum over H_m read as a sum over H_n, `equalSumsGadget`), a
 * {@link subgroupVector} of such a subgroup, or a {@link renamedPublic} copy of either. And the converse: a term holding an indicator reads no oracle of H_n itself,
 * so a side of a sum declared on H_m whose oracle lives on H_n is refused, not summed at the points of H_m.
 */
function checkIdentityDomain(foldKey: string, id: Identity, oracleDomains: ReadonlyMap<string, number>, publics: ReadonlyMap<string, PublicPoly>): void {
  for (const t of id.terms) {
    for (const f of t.factors) {
      if ('sum' in f) {
        // A linear form: each term at most one polynomial factor, on the identity's own domain; no nested form.
        for (const u of f.sum) {
          if (u.factors.some((g) => 'sum' in g) || polyFactors(u).length > 1)
            throw new BlockfoldError('BLOCK', `${foldKey}: identity "${id.name}" has a linear form with a term of two polynomial factors or a nested form`);
          checkIdentityDomain(foldKey, { ...id, terms: [{ coeff: 1n, factors: polyFactors(u) }] }, oracleDomains, publics);
        }
        continue;
      }
      if ('scalar' in f) continue;
      const [what, name, domain] = 'public' in f ? ['public polynomial', f.public, publics.get(f.public)?.domain] : ['oracle', f.oracle, oracleDomains.get(f.oracle)];
      if (domain === undefined) throw new BlockfoldError('BLOCK', `${foldKey}: identity "${id.name}" uses an unknown ${what} "${name}"`);
      if ('oracle' in f && f.power) {
        if (domain * f.power === id.domain) continue;
        throw new BlockfoldError('BLOCK', `${foldKey}: identity "${id.name}" is on H_${id.domain} but reads oracle "${name}" of H_${domain} composed with X^${f.power}, which reads an oracle of H_${id.domain / f.power} only`);
      }
      if ('oracle' in f && domain === id.domain && readsOnSubgroup(t, id.domain, publics))
        throw new BlockfoldError('BLOCK', `${foldKey}: identity "${id.name}" reads its own oracle "${name}" of H_${domain} through a subgroup indicator, which reads only oracles of that subgroup (a side declared on the subgroup whose oracle is not)`);
      if (domain === id.domain || ('oracle' in f && domain === 1 && !f.rotation && readsAtOne(t, id.domain, publics))) continue;
      if ('oracle' in f && !f.rotation && domain < id.domain && id.domain % domain === 0 && readsOnSubgroup(t, domain, publics)) continue;
      throw new BlockfoldError('BLOCK', `${foldKey}: identity "${id.name}" is on H_${id.domain} but its ${what} "${name}" lives on H_${domain}${domain === 1 && 'oracle' in f ? ' (an oracle on H_1 is read unrotated, times L_0 of the identity\'s domain)' : ''}`);
    }
  }
}

/**
 * Whether a term has a factor that is zero on H_n off a subgroup of H_m by construction (the very object
 * {@link subgroupIndicatorPoly} or {@link subgroupVector} returned, or a {@link renamedPublic} copy of one; all frozen),
 * so it reads its other factors at the points of H_m only.
 */
function readsOnSubgroup(t: IdentityTerm, m: number, publics: ReadonlyMap<string, PublicPoly>): boolean {
  return t.factors.some((f) => {
    const support = 'public' in f ? indicatorSupports.get(publics.get(f.public)!) : undefined;
    return support !== undefined && m % support === 0;
  });
}

/** Whether a term of an identity on H_n has the factor L_0 of H_n ({@link lagrangePoly}), so it vanishes on H_n but at 1. */
function readsAtOne(t: IdentityTerm, n: number, publics: ReadonlyMap<string, PublicPoly>): boolean {
  const first = lagrangePoly(n, 0);
  return t.factors.some((f) => 'public' in f && publics.get(f.public) === first);
}

/** A factor polynomial's degree bound from its sources' (`degrees`): deg f, or for f(ω^s·X) deg f, for f(X^k) k·deg f. */
function derivedDegree(poly: CosetPolynomial, degrees: readonly number[]): number {
  if (!isDerived(poly)) return Math.max(0, polyDegree(poly));
  if (poly.kind === 'rotated') return degrees[poly.index];
  if (poly.kind === 'composed') return degrees[poly.index] * poly.power;
  return Math.max(0, ...poly.terms.map((t) => degrees[t.index]));
}

function factorSlot(f: Exclude<Factor, { sum: unknown }>): string {
  if ('scalar' in f) return f.scalar;
  if ('public' in f) return publicSlot(f.public);
  if (f.power) return composedEvalSlot(f.oracle, f.power);
  return f.rotation ? rotatedEvalSlot(f.oracle, f.rotation) : evalSlot(f.oracle);
}

/** `λ^g` of an identity (1 for g = 0), from the derived slots. */
function identityWeight(plan: Plan, values: SlotValues, id: Identity): bigint {
  const g = plan.weightIndex.get(id)!;
  return g === 0 ? 1n : frSlot(values, lambdaSlot(g));
}

/**
 * The term structure of the linearized combination, resolved once per plan: for each domain its vanishing slot, and
 * for each identity its weight slot (none for g = 0) and its terms as a coefficient, the slots of the evaluated
 * factors (evaluations, publics, scalars), its linear forms and the index of its linearized oracle in
 * `LinearPlan.oracles` (−1 when none; the term then adds to the constant). A verifier replays it once per proof, so
 * names are built once.
 *
 * Linear forms are listed once per plan (`forms`) and read by index, so each is evaluated once per proof: a bundle of
 * k lookup columns writes its k factors `β − f_c` into k + 1 terms (`h·Π_c (β − f_c)` and each `Π_(c'≠c) (β − f_c')`),
 * k² occurrences of k forms. An identity whose every term reads its forms `shared` (in any order), all of them or all
 * but one (`omitted`), multiplies them by prefix and suffix products when that takes fewer products (about 4k instead of
 * k², so from k = 5 on).
 */
interface LinearTerms {
  /** The Fr slots the terms, forms and weights read, each once: they refer to a slot by its index here. */
  readonly slots: readonly string[];
  readonly forms: readonly (readonly { readonly coeff: bigint; readonly slots: readonly number[] }[])[];
  readonly domains: readonly {
    readonly vanishing: string;
    readonly identities: readonly LinearIdentity[];
  }[];
}

/** An identity of {@link LinearTerms}: its weight slot, its terms, and the forms its terms share (see there). */
interface LinearIdentity {
  /** Index into `LinearTerms.slots` of its weight λ^g (none for g = 0). */
  readonly weight?: number;
  readonly terms: readonly LinearTerm[];
  /** Indices into `LinearTerms.forms` that every term reads (in any order), all or all but one; undefined when not so. */
  readonly shared?: readonly number[];
}

/** A term of {@link LinearTerms}: its evaluated factors' slots, its linear forms, its linearized oracle. */
interface LinearTerm {
  readonly coeff: bigint;
  /** Indices into `LinearTerms.slots`. */
  readonly slots: readonly number[];
  /** Its linear forms, as indices into `LinearTerms.forms`. */
  readonly forms: readonly number[];
  /** With `LinearIdentity.shared`: the position in it of the form this term does not read (−1: it reads them all). */
  readonly omitted: number;
  readonly linear: number;
}

/**
 * The position in `shared` of the one form `forms` lacks (−1 when it lacks none), when `forms` holds distinct forms
 * of `shared` (in any order: the products commute) and lacks at most one; undefined otherwise.
 */
function omittedForm(shared: readonly number[], forms: readonly number[]): number | undefined {
  if (forms.length !== shared.length && forms.length !== shared.length - 1) return undefined;
  const held = new Set(forms);
  if (held.size !== forms.length || forms.some((f) => !shared.includes(f))) return undefined;
  return forms.length === shared.length ? -1 : shared.findIndex((f) => !held.has(f));
}

/**
 * Whether an identity whose terms read the linear forms `termForms` (indices, per term) multiplies them by prefix and
 * suffix products: when every term reads distinct forms of the identity's longest list `shared` (distinct forms), in
 * any order (a bundle's terms list them in the order its prover's product trie shares, `blocks/logup-iop.ts`), all of
 * them (`omitted` −1) or all but the one at `omitted`, and that takes fewer products than reading each form of each
 * term, i.e. `2k − 1` (prefixes and suffixes of k forms) plus one product per full term and two per term leaving one
 * out, against one per form read. Undefined otherwise (the terms then multiply their forms directly).
 */
export function productsByOmission(termForms: readonly (readonly number[])[]): { readonly shared: readonly number[]; readonly omitted: readonly number[] } | undefined {
  const shared = termForms.reduce((a, t) => (t.length > a.length ? t : a), [] as readonly number[]);
  const omitted = termForms.map((t) => omittedForm(shared, t));
  if (new Set(shared).size !== shared.length || omitted.some((o) => o === undefined)) return undefined;
  const direct = termForms.reduce((n, t) => n + t.length, 0);
  const byOmission = 2 * shared.length - 1 + omitted.reduce((n: number, o) => n + (o === -1 ? 1 : 2), 0);
  return byOmission < direct ? { shared, omitted: omitted as number[] } : undefined;
}

const linearTermsOfPlan = new WeakMap<Plan, LinearTerms>();
function linearTerms(plan: Plan): LinearTerms {
  let compiled = linearTermsOfPlan.get(plan);
  if (compiled) return compiled;
  const index = new Map(plan.linear.oracles.map((o, i) => [o, i]));
  const isLinear = (f: Factor) => isPlainRead(f) && plan.linear.linearized.has(f.oracle);
  const slots: string[] = [];
  const slotIndex = new Map<string, number>();
  const slotOf = (name: string): number => {
    let i = slotIndex.get(name);
    if (i === undefined) slotIndex.set(name, (i = slots.push(name) - 1));
    return i;
  };
  const forms: { coeff: bigint; slots: number[] }[][] = [];
  const formIndex = new Map<string, number>();
  const formOf = (sum: readonly IdentityTerm[]): number => {
    const form = sum.map((u) => ({ coeff: ((u.coeff % R) + R) % R, slots: u.factors.map((g) => slotOf(factorSlot(g as Exclude<Factor, { sum: unknown }>))) }));
    const key = form.map((u) => `${u.coeff}:${u.slots.join('*')}`).join('+');
    let i = formIndex.get(key);
    if (i === undefined) formIndex.set(key, (i = forms.push(form) - 1));
    return i;
  };
  compiled = {
    slots,
    forms,
    domains: plan.domains.map((n) => ({
      vanishing: vanishingSlot(n),
      identities: plan.identitiesByDomain.get(n)!.map((id): LinearIdentity => {
        const g = plan.weightIndex.get(id)!;
        const terms = id.terms.map((t) => {
          const linear = t.factors.filter(isLinear).map((f) => ('oracle' in f ? f.oracle : ''));
          if (linear.length > 1) throw new BlockfoldError('BLOCK', `identity "${id.name}": a term reads two linearized oracles ("${linear[0]}", "${linear[1]}")`);
          const termSlots: number[] = [];
          const termForms: number[] = [];
          for (const f of t.factors) {
            if (isLinear(f)) continue;
            if ('sum' in f) termForms.push(formOf(f.sum));
            else termSlots.push(slotOf(factorSlot(f)));
          }
          return { coeff: t.coeff, slots: termSlots, forms: termForms, linear: linear.length === 0 ? -1 : index.get(linear[0])! };
        });
        const byOmission = productsByOmission(terms.map((t) => t.forms));
        return {
          ...(g === 0 ? {} : { weight: slotOf(lambdaSlot(g)) }),
          terms: terms.map((t, i) => ({ ...t, omitted: byOmission ? byOmission.omitted[i] : -1 })),
          ...(byOmission ? { shared: byOmission.shared } : {}),
        };
      }),
    })),
  };
  linearTermsOfPlan.set(plan, compiled);
  return compiled;
}

/**
 * A product of a term's factors as the program computes it: its register (undefined for the empty product 1) and
 * whether it is to be subtracted (a coefficient −1 costs no product).
 */
interface SignedProduct {
  readonly register?: Register;
  readonly negative: boolean;
}

const linearProgramOfPlan = new WeakMap<Plan, FrProgram>();

/**
 * The program of {@link linearizedCoefficients} for `plan` (written once per plan; a verifier runs it per proof):
 * inputs the values of `LinearTerms.slots`, then `w·Z_{H_n}(ζ)^(−1)` per domain; outputs `−Σ_g λ^g·c_g` (the
 * value), then the coefficient of each linearized oracle (the quotient's is the caller's). Each term's product is its
 * factors' product times its coefficient, times its forms (by prefix and suffix products where the identity shares
 * them, `LinearIdentity.shared`), summed per identity and per oracle before the identity's weight multiplies them.
 */
function linearProgram(plan: Plan): FrProgram {
  let program = linearProgramOfPlan.get(plan);
  if (program) return program;
  const compiled = linearTerms(plan);
  const p = new FrProgramWriter();
  const read = compiled.slots.map(() => p.input());
  const scales = compiled.domains.map(() => p.input());
  const minusValue = p.output();
  const coefficient = plan.linear.oracles.map(() => p.output());
  // Never written: 0, what the value is subtracted from.
  const zero = p.temporary();
  const value = p.temporary();
  const times = (a: Register | undefined, b: Register | undefined): Register | undefined => (a === undefined ? b : b === undefined ? a : p.product(a, b));
  const slotProduct = (coeff: bigint, slots: readonly number[]): SignedProduct => {
    let register: Register | undefined;
    for (const s of slots) register = times(register, read[s]);
    const c = ((coeff % R) + R) % R;
    if (c === 1n || c === R - 1n) return { register, negative: c !== 1n };
    return { register: times(register, p.constant(c)), negative: false };
  };
  /** `Σ parts` in a register: a lone positive part is its own register. */
  const sum = (parts: readonly SignedProduct[]): Register => {
    if (parts.length === 1 && !parts[0].negative && parts[0].register !== undefined) return parts[0].register;
    const acc = p.temporary();
    for (const x of parts) (x.negative ? p.sub : p.add).call(p, acc, acc, x.register ?? p.constant(1n));
    return acc;
  };
  const forms = compiled.forms.map((form) => sum(form.map((u) => slotProduct(u.coeff, u.slots))));
  compiled.domains.forEach((domain, d) => {
    for (const id of domain.identities) {
      const lambda = id.weight === undefined ? scales[d] : p.product(scales[d], read[id.weight]);
      // prefix[i] = Π_(j<i) shared_j, suffix[i] = Π_(j≥i) shared_j: a term leaving out form c reads prefix[c]·suffix[c+1].
      let prefix: (Register | undefined)[] | undefined;
      let suffix: (Register | undefined)[] | undefined;
      if (id.shared) {
        const k = id.shared.length;
        prefix = [undefined];
        suffix = new Array<Register | undefined>(k + 1).fill(undefined);
        for (let i = 0; i < k; i++) prefix.push(times(prefix[i], forms[id.shared[i]]));
        for (let i = k - 1; i > 0; i--) suffix[i] = times(suffix[i + 1], forms[id.shared[i]]);
      }
      const constant: SignedProduct[] = [];
      const own = new Map<number, SignedProduct[]>();
      for (const t of id.terms) {
        const k = slotProduct(t.coeff, t.slots);
        let register = k.register;
        if (prefix && suffix) register = times(register, t.omitted < 0 ? prefix[prefix.length - 1] : times(prefix[t.omitted], suffix[t.omitted + 1]));
        else for (const f of t.forms) register = times(register, forms[f]);
        const term = { register, negative: k.negative };
        if (t.linear < 0) constant.push(term);
        else if (own.has(t.linear)) own.get(t.linear)!.push(term);
        else own.set(t.linear, [term]);
      }
      if (constant.length > 0) p.add(value, value, p.product(lambda, sum(constant)));
      for (const [j, parts] of own) {
        p.add(coefficient[j], coefficient[j], p.product(lambda, sum(parts)));
      }
    }
  });
  p.sub(minusValue, zero, value);
  program = p.finish();
  linearProgramOfPlan.set(plan, program);
  return program;
}

/**
 * The coefficients of the linearized combination L (`LinearPlan`) and its value at ζ, from the slots: each term of
 * identity g on H_n is its coefficient times `w·λ^g·Z_{H_n}(ζ)^(−1)` (w = `v^(m+1)`) times the values of its evaluated
 * factors (evaluations, publics, scalars, linear forms), times at most one linearized oracle, which receives that
 * product as coefficient (a term without one adds it to the constant c); the quotient's piece j receives `−w·ζ^(j·size)`. So
 * `L(ζ) = −c` exactly when `Σ_n Z_{H_n}(ζ)^(−1)·Σ_{g on H_n} λ^g·P_g(ζ) = t(ζ)`. The sums are taken per identity
 * before its weight multiplies them, and each linear form is evaluated once (the same values, fewer products); the
 * products run as one straight-line program on the engine ({@link linearProgram}).
 */
function linearizedCoefficients(plan: Plan, values: SlotValues, engine: Engine): Record<string, bigint> {
  const compiled = linearTerms(plan);
  const w = Fr.pow(frSlot(values, V), BigInt(plan.batches[0].challenges.length + 1));
  const inverses = engine.batchInvert(compiled.domains.map((d) => frSlot(values, d.vanishing)));
  // ζ in some H_n (probability n/r) would drop that domain's identities from the check: refuse it instead.
  const inside = plan.domains.find((_, d) => inverses[d] === 0n);
  if (inside !== undefined) throw new BlockfoldError('BLOCK', `ζ lies in H_${inside}: the quotient check at ζ is undefined`);
  const inputs = compiled.slots.map((name) => frSlot(values, name));
  for (const inverse of inverses) inputs.push((w * inverse) % R);
  const [value, ...coefficient] = engine.frProgram(linearProgram(plan), inputs);
  // t(ζ) = Σ_j ζ^(j·size)·t_j(ζ): piece j enters L with −w·ζ^(j·size).
  const step = Fr.pow(frSlot(values, ZETA), BigInt(plan.quotient.size));
  for (let j = 0, scale = Fr.neg(w); j < plan.quotient.count; j++, scale = Fr.mul(scale, step)) coefficient[plan.linear.oracles.indexOf(quotientOracle(j))] = scale;
  const out: Record<string, bigint> = { [LINEAR_VALUE]: value };
  plan.linear.coefficients.forEach((slot, i) => (out[slot] = coefficient[i]));
  return out;
}

/** Evaluation domains by size, shared by one protocol's prover and verifier. */
function domainsOf(sizes: Iterable<number>, engine: Engine): Map<number, EvaluationDomain> {
  const out = new Map<number, EvaluationDomain>();
  for (const n of sizes) if (!out.has(n)) out.set(n, new EvaluationDomain(n, engine));
  return out;
}

function allSizes(spec: PolyIopSpec): number[] {
  return [
    ...spec.identities.map((i) => i.domain),
    ...spec.oracles.map((o) => o.domain),
    ...spec.publics.map((p) => p.domain),
    ...(spec.oracleRelations ?? []).flatMap((r) => (r.publics ?? []).map((p) => p.poly.domain)),
  ];
}

/**
 * A spec with no identity and no oracle (a model made of linear blocks only: additions, negations) has nothing to
 * divide or open: its protocol is its own rounds and equations, with no quotient, no ζ and no opening. An oracle
 * that no identity reads would be opened for nothing, so it is refused.
 */
function withoutTail(spec: PolyIopSpec): boolean {
  if (spec.identities.length > 0) return false;
  if (spec.oracles.length > 0) throw new BlockfoldError('BLOCK', `${spec.foldKey}: oracle "${spec.oracles[0].name}" is read by no identity`);
  if ((spec.vanishingClaims ?? []).length > 0) throw new BlockfoldError('BLOCK', `${spec.foldKey}: a vanishing claim is opened by the tail, which a spec with no identity does not have`);
  return true;
}

/**
 * The lint of vanishing claims (module comment): each claim's point is a challenge of the block's rounds, and each
 * G1 slot its terms read is declared and produced before that challenge (the statement, or a message or derived step
 * of an earlier round), so F is fixed before z. A term read after z would let a prover choose F knowing z: a
 * {@link BlockfoldError} naming the claim and the slot.
 */
function checkVanishingClaims(spec: PolyIopSpec): void {
  const claims = spec.vanishingClaims ?? [];
  if (claims.length === 0) return;
  const g1 = new Set([...spec.statement, ...spec.slots].filter((d) => d.sort === 'g1').map((d) => d.name));
  const producedAt = new Map<string, number>();
  spec.rounds.forEach((step, k) => {
    for (const slot of step.slots) producedAt.set(slot, k);
  });
  const names = new Set<string>();
  for (const c of claims) {
    if (names.has(c.name)) throw new BlockfoldError('BLOCK', `${spec.foldKey}: vanishing claim "${c.name}" is declared twice`);
    names.add(c.name);
    const at = producedAt.get(c.point);
    if (at === undefined || spec.rounds[at].kind !== 'challenge') throw new BlockfoldError('BLOCK', `${spec.foldKey}: vanishing claim "${c.name}" is at "${c.point}", which is no challenge of the block's rounds`);
    if (c.terms.length === 0) throw new BlockfoldError('BLOCK', `${spec.foldKey}: vanishing claim "${c.name}" has no term`);
    for (const t of c.terms) {
      if (typeof t.commitment !== 'string') continue;
      if (!g1.has(t.commitment)) throw new BlockfoldError('BLOCK', `${spec.foldKey}: vanishing claim "${c.name}" reads "${t.commitment}", which is no G1 slot of the block`);
      const made = producedAt.get(t.commitment);
      if (made !== undefined && made > at)
        throw new BlockfoldError('BLOCK', `${spec.foldKey}: vanishing claim "${c.name}" reads "${t.commitment}", produced after its point "${c.point}" is drawn: the prover could choose it knowing the point`);
      const late = t.scalars.find((x) => (producedAt.get(x) ?? -1) > at);
      if (late !== undefined)
        throw new BlockfoldError('BLOCK', `${spec.foldKey}: vanishing claim "${c.name}" weights "${t.commitment}" by "${late}", produced after its point "${c.point}": a scalar chosen after the point may weight only a public point`);
    }
  }
}

/**
 * The statement a spec's protocol absorbs: its statement slots but the uncommitted ones ({@link PolyIopSpec.uncommitted}),
 * then each stack's commitment. A spec with no tail has nothing to open a stack with: its stacks are refused.
 */
function committedStatement(spec: PolyIopSpec): SlotDecl[] {
  const uncommitted = new Set(spec.uncommitted ?? []);
  const stacks = spec.stacks ?? [];
  if (stacks.length > 0 && spec.identities.length === 0) throw new BlockfoldError('BLOCK', `${spec.foldKey}: stack "${stacks[0].commitment}" in a spec with no identity, which opens nothing`);
  return [...spec.statement.filter((d) => !uncommitted.has(d.name)), ...stacks.map((s): SlotDecl => ({ name: s.commitment, sort: 'g1', origin: 'statement' }))];
}

/** The block's own equations; one reading an uncommitted slot (no commitment to read) is a {@link BlockfoldError}. */
function checkedEquations(spec: PolyIopSpec, kzg: KzgVerifierKey): Equation[] {
  const equations = [...(spec.equations?.(kzg) ?? [])];
  const uncommitted = new Set(spec.uncommitted ?? []);
  if (uncommitted.size === 0) return equations;
  for (const eq of equations)
    if (eq.kind === 'pairing')
      for (const t of eq.terms)
        if (typeof t.g1 === 'string' && uncommitted.has(t.g1)) throw new BlockfoldError('BLOCK', `${spec.foldKey}: equation "${eq.name}" reads "${t.g1}", which holds no commitment`);
  return equations;
}

/** Compiles a spec into a {@link Protocol} (slots, schedule, equations). */
export function polyIopProtocol(declared: PolyIopSpec, kzg: KzgVerifierKey, engine: Engine): Protocol {
  const { spec } = withRunningSums(declared);
  const statement = committedStatement(spec);
  const ownEquations = checkedEquations(spec, kzg);
  if (withoutTail(spec)) return { foldKey: spec.foldKey, maxDegree: 3, slots: [...statement, ...spec.slots], equations: ownEquations, schedule: [{ kind: 'statement', slots: statement.map((s) => s.name) }, ...spec.rounds] };
  const plan = planOf(spec);
  checkVanishingClaims(spec);
  const claims = spec.vanishingClaims ?? [];
  const domains = domainsOf(allSizes(spec), engine);
  const fr = (name: string, origin: SlotDecl['origin']): SlotDecl => ({ name, sort: 'fr', origin });
  const g1 = (name: string, origin: SlotDecl['origin']): SlotDecl => ({ name, sort: 'g1', origin });
  // `ω_n^s` of each rotation point, once per protocol (the point is `ω_n^s·ζ`).
  const rotationRoots = plan.rotationPoints.map((p) => Fr.pow(domains.get(p.domain)!.omega, BigInt(p.rotation)));

  const derivedAfterZeta = [
    ...plan.domains.map(vanishingSlot),
    ...plan.rotationPoints.map((p) => p.slot),
    ...plan.compositionPoints.map((p) => p.slot),
    ...plan.publics.map((p) => publicSlot(p.name)),
  ];
  const evaluations = [...plan.batches.flatMap((b) => b.evaluations), ...plan.stackBatches.flatMap((b) => b.stacks.flatMap((st) => st.evaluations))];
  const longestBatch = Math.max(...[...plan.batches, ...plan.stackBatches].map((b) => b.challenges.length));
  const challenges = [...plan.batches, ...plan.stackBatches].flatMap((b) => b.challenges);
  const stackBatchIndex = plan.batches.length;
  const claimIndex = stackBatchIndex + plan.stackBatches.length;
  // The multi-point opening's terms: every batch's commitments weighted by v^(i+1), then L's by its coefficients, then
  // each vanishing claim's terms (a point after the batches' whose value is 0).
  const openTerms: { commitment: G1Factor; batch: number; coeff: bigint; scalars: readonly string[]; coefficient: string }[] = [
    ...plan.batches.flatMap((b, batch) => b.commitments.map((commitment, i) => ({ commitment, batch, coeff: 1n, scalars: [b.challenges[i]] }))),
    ...plan.linear.commitments.map((commitment, k) => ({ commitment, batch: 0, coeff: 1n, scalars: [plan.linear.coefficients[k]] })),
    ...plan.stackBatches.flatMap((b, i) => b.stacks.map((st, j) => ({ commitment: st.commitment, batch: stackBatchIndex + i, coeff: 1n, scalars: [b.challenges[j]] }))),
    ...claims.flatMap((c, j) => c.terms.map((t) => ({ commitment: t.commitment, batch: claimIndex + j, coeff: t.coeff, scalars: t.scalars }))),
  ].map((t, k) => ({ ...t, coefficient: openCoefficientSlot(k) }));
  // With one point W is its KZG proof: no γ, x or W', and the terms are weighted by their batching scalars directly.
  const single = claimIndex + claims.length === 1;
  const afterOpenPoint = single ? [] : [...openTerms.map((t) => t.coefficient), OPEN_VALUE, OPEN_VANISHING];
  /**
   * `Σ_b w_b·r_b(x)`: a point's remainder is its value `y_b = Σ_i v^(i+1)·y_{b,i}` (plus L's value at ζ), a stack
   * batch's `Σ_i v^(i+1)·Σ_j x^j·y_(i,j)` (x is drawn when there is a stack batch: never a single point).
   */
  const openValue = (values: SlotValues, weights: readonly bigint[]): bigint => {
    let value = (weights[0] * frSlot(values, LINEAR_VALUE)) % R;
    plan.batches.forEach((b, batch) => {
      let y = 0n;
      b.evaluations.forEach((e, i) => (y += frSlot(values, b.challenges[i]) * frSlot(values, e)));
      value += weights[batch] * (y % R);
    });
    plan.stackBatches.forEach((b, i) => {
      const x = frSlot(values, OPEN_POINT);
      let y = 0n;
      b.stacks.forEach((st, j) => (y += frSlot(values, b.challenges[j]) * stackRemainderAt(st.evaluations.map((e) => frSlot(values, e)), x)));
      value += weights[stackBatchIndex + i] * (y % R);
    });
    return value % R;
  };
  const tailSlots: SlotDecl[] = [
    ...(plan.lambdas.length > 0 ? [fr(LAMBDA, 'challenge')] : []),
    ...plan.lambdas.map((s) => fr(s, 'derived')),
    ...plan.oracles.slice(spec.oracles.length).map((o) => g1(o.commitment, 'message')),
    fr(ZETA, 'challenge'),
    ...derivedAfterZeta.map((s) => fr(s, 'derived')),
    ...evaluations.map((s) => fr(s, 'message')),
    ...plan.derivedEvaluations.map((r) => fr(evalSlot(r.oracle), 'derived')),
    fr(V, 'challenge'),
    ...(single ? [] : [fr(GAMMA, 'challenge')]),
    ...challenges.map((s) => fr(s, 'derived')),
    ...[...plan.linear.coefficients, LINEAR_VALUE, ...(single ? [OPEN_VALUE] : [])].map((s) => fr(s, 'derived')),
    g1(OPEN_FIRST, 'message'),
    ...(single ? [] : [fr(OPEN_POINT, 'challenge'), ...afterOpenPoint.map((s) => fr(s, 'derived')), g1(OPEN_SECOND, 'message')]),
  ];

  // A block slot (or a slot named after a block's oracle or public, such as `<oracle>@zeta`) under a tail name would be
  // read as the tail's: the prover tells rounds apart by slot name.
  const seen = new Set([...declared.statement, ...declared.slots].map((d) => d.name));
  for (const d of [...spec.slots.slice(declared.slots.length), ...tailSlots]) {
    if (seen.has(d.name)) throw new BlockfoldError('BLOCK', `${spec.foldKey}: slot "${d.name}" is a name of the compiler's tail; rename the block's slot, oracle or public polynomial`);
    seen.add(d.name);
  }

  const schedule: Step[] = [{ kind: 'statement', slots: statement.map((s) => s.name) }, ...spec.rounds];
  const publicSlots = plan.publics.map((p) => publicSlot(p.name));
  if (plan.lambdas.length > 0) {
    schedule.push({ kind: 'challenge', slots: [LAMBDA] });
    schedule.push({
      kind: 'derived',
      slots: plan.lambdas,
      compute: (values: SlotValues) => {
        const ps = powers(frSlot(values, LAMBDA), plan.lambdas.length + 1);
        return Object.fromEntries(plan.lambdas.map((slot, g) => [slot, ps[g + 1]]));
      },
    });
  }
  schedule.push({ kind: 'message', slots: plan.oracles.slice(spec.oracles.length).map((o) => o.commitment) });
  schedule.push({ kind: 'challenge', slots: [ZETA] });
  schedule.push({
    kind: 'derived',
    slots: derivedAfterZeta,
    compute: (values: SlotValues) => {
      const zeta = frSlot(values, ZETA);
      const out: Record<string, bigint> = {};
      for (const n of plan.domains) out[vanishingSlot(n)] = domains.get(n)!.vanishingAt(zeta);
      plan.rotationPoints.forEach((p, k) => (out[p.slot] = Fr.mul(rotationRoots[k], zeta)));
      for (const p of plan.compositionPoints) out[p.slot] = Fr.pow(zeta, BigInt(p.power));
      plan.publics.forEach((p, i) => (out[publicSlots[i]] = p.evaluateAt(zeta, values, domains.get(p.domain)!)));
      return out;
    },
  });
  if (evaluations.length > 0) schedule.push({ kind: 'message', slots: evaluations });
  if (plan.derivedEvaluations.length > 0)
    schedule.push({
      kind: 'derived',
      slots: plan.derivedEvaluations.map((r) => evalSlot(r.oracle)),
      compute: (values: SlotValues) => derivedEvaluationValues(plan.derivedEvaluations, values, domains),
    });
  schedule.push({ kind: 'challenge', slots: single ? [V] : [V, GAMMA] });
  schedule.push({
    kind: 'derived',
    slots: [...challenges, ...plan.linear.coefficients, LINEAR_VALUE, ...(single ? [OPEN_VALUE] : [])],
    compute: (values: SlotValues, engine: Engine) => {
      const out: Record<string, bigint> = {};
      // Every batch weighs its polynomials by v, v², …: one list of powers serves them all.
      const ps = powers(frSlot(values, V), longestBatch + 1);
      for (const b of [...plan.batches, ...plan.stackBatches]) b.challenges.forEach((c, i) => (out[c] = ps[i + 1]));
      Object.assign(out, linearizedCoefficients(plan, values, engine));
      if (single) out[OPEN_VALUE] = openValue({ ...values, ...out }, [1n]);
      return out;
    },
  });
  schedule.push({ kind: 'message', slots: [OPEN_FIRST] });
  if (!single) {
    schedule.push({ kind: 'challenge', slots: [OPEN_POINT] });
    // Every weight of the opening equation is a function of x, in the step right after x, so each commitment it
    // weights is pinned by a challenge drawn after it (rule 2).
    schedule.push({
      kind: 'derived',
      slots: afterOpenPoint,
      compute: (values: SlotValues) => {
        const divisors: OpeningDivisor[] = [
          ...plan.batches.map((b) => ({ point: frSlot(values, b.point) })),
          ...plan.stackBatches.map((b) => ({ point: frSlot(values, b.point), power: b.size })),
          ...claims.map((c) => ({ point: frSlot(values, c.point) })),
        ];
        const { weights, vanishing } = multiPointWeights(divisors, frSlot(values, GAMMA), frSlot(values, OPEN_POINT));
        const out: Record<string, bigint> = { [OPEN_VANISHING]: vanishing, [OPEN_VALUE]: openValue(values, weights) };
        for (const t of openTerms) {
          let k = (weights[t.batch] * t.coeff) % R;
          for (const slot of t.scalars) k = (k * frSlot(values, slot)) % R;
          out[t.coefficient] = k;
        }
        return out;
      },
    });
    schedule.push({ kind: 'message', slots: [OPEN_SECOND] });
  }

  // With one point each commitment is weighted by its batching scalar; with several, by w_b times it.
  const equations: Equation[] = [
    multiPointOpeningEquation(kzg, 'open', {
      terms: openTerms.map((t) => ({ commitment: t.commitment, coefficient: single ? t.scalars[0] : t.coefficient })),
      value: OPEN_VALUE,
      first: OPEN_FIRST,
      opening: single ? { point: plan.batches[0].point } : { x: OPEN_POINT, vanishing: OPEN_VANISHING, second: OPEN_SECOND },
    }),
    ...ownEquations,
  ];
  return { foldKey: spec.foldKey, maxDegree: 3, slots: [...statement, ...spec.slots, ...tailSlots], equations, schedule };
}

/**
 * The accumulator values on H_n of a running sum of `summand`, `Z_i = Σ_{j<i} s_j` for i ≥ 1 and `Z_0 = Σ_j s_j`, and
 * that sum. They satisfy the transition exactly when the total the identity reads is the sum; otherwise it fails at
 * ω^0 and the verifier rejects (what soundness tests run, with the prover's checks bypassed).
 *
 * With a multiplier μ (row weights, its values on H_n), the total is `μ_0·Σ_k s_k·Π_{k'>k} μ_{k'}` and the accumulator
 * starts at `Z_0 = 0`, `Z_(k+1) = μ_k·Z_k + s_k − [k = 0]·total`; it closes at k = n − 1 because `Π_k μ_k = 1`.
 */
export function runningSumValues(summand: readonly bigint[], multiplier?: readonly bigint[]): { values: bigint[]; sum: bigint } {
  const values = new Array<bigint>(summand.length);
  if (multiplier) {
    let weighted = 0n;
    for (let i = 0; i < summand.length; i++) weighted = (weighted * multiplier[i] + summand[i]) % R;
    const sum = (weighted * multiplier[0]) % R;
    let z = 0n;
    for (let i = 0; i < summand.length; i++) {
      values[i] = z;
      z = (z * multiplier[i] + summand[i] - (i === 0 ? sum : 0n)) % R;
      if (z < 0n) z += R;
    }
    return { values, sum };
  }
  let acc = 0n;
  for (let i = 0; i < summand.length; i++) {
    values[i] = acc;
    acc = (acc + summand[i]) % R;
  }
  if (values.length > 0) values[0] = acc;
  return { values, sum: acc };
}

/**
 * `P / Z_H` dropping the remainder: what a cheating prover sends when P does not vanish on H (only reached with
 * `allowInvalidWitness`, so soundness tests see the verifier reject rather than the prover refuse).
 */
function quotientDroppingRemainder(domain: EvaluationDomain, identity: VanishingIdentity): bigint[] {
  const polys = formPolynomials(identity.polys).map(trim);
  let maxDeg = 0;
  for (const f of polys) maxDeg = Math.max(maxDeg, f.length - 1);
  const big = new EvaluationDomain(Math.max(domain.size, nextPowerOfTwo(identity.degree * maxDeg + 1)), domain.engine);
  const values = polys.map((f) => big.cosetFft(f));
  const row = new Array<bigint>(values.length);
  const p = new Array<bigint>(big.size);
  for (let i = 0; i < big.size; i++) {
    for (let j = 0; j < values.length; j++) row[j] = values[j][i];
    p[i] = Fr.create(identity.combine(row));
  }
  return divideByVanishing(big.cosetIfft(p), domain.size).quotient;
}

/**
 * The prover side of a compiled spec: delegates the block's rounds to `block`, then computes the quotients,
 * evaluations and opening proofs.
 */
export function polyIopProver(declared: PolyIopSpec, ctx: BlockContext, block: PolyIopProver): MessageSource {
  const { spec, groups } = withRunningSums(declared);
  if (withoutTail(spec)) return (decls, values) => block.round(decls, values);
  const plan = planOf(spec);
  const claims = spec.vanishingClaims ?? [];
  const domains = domainsOf(allSizes(spec), ctx.engine);
  const firstEvaluation = [...plan.batches.flatMap((b) => b.evaluations), ...plan.stackBatches.flatMap((b) => b.stacks.flatMap((st) => st.evaluations))][0];
  let polys: Map<string, readonly bigint[]> | undefined;
  // The multi-point opening's batched polynomials F_b and its h, kept from W for W'.
  let openings: PointOpening[] | undefined;
  let opened: readonly bigint[] | undefined;
  // Hiding (blocks/hiding.ts): each message commitment an oracle reads is sent as [f + Z_H·b]₁, b drawn by the
  // commitment's name, so polynomials() below adds the same Z_H·b to the oracle's coefficients.
  const source = ctx.blinding ?? blindingSource();
  const blinded = new Map(blindedCommitments(spec.foldKey, spec.oracles, plan.points, spec.slots, spec.selfBlinded).map((b) => [b.commitment, b]));
  const blindingOf = (b: BlindedCommitment): bigint[] => source.draw(`poly-iop/${spec.foldKey}/${b.commitment}`, b.count);
  const blindedByOracle = new Map<string, BlindedCommitment>();
  for (const o of spec.oracles) {
    const b = blinded.get(o.commitment);
    if (b) blindedByOracle.set(o.name, b);
  }
  const blockRound = async (decls: readonly SlotDecl[], values: SlotValues): Promise<SlotValues> => {
    const out = { ...(await block.round(decls, values)) } as Record<string, SlotValues[string]>;
    for (const [slot, value] of Object.entries(out)) {
      const b = blinded.get(slot);
      if (b) out[slot] = (value as G1Point).add(await commitVanishingMultiple(ctx.kzg, b.domain, blindingOf(b)));
    }
    return out;
  };
  // A statement oracle was committed by the pipeline as [f + Z_H·b]₁ and a combination oracle's commitment is the
  // same combination of such rows: the block gives f, and the prover opens f + Z_H·b (b: ctx.statementBlinding).
  const statement = new Set(spec.statement.filter((d) => d.sort === 'g1').map((d) => d.name));
  const selfBlinded = new Set(spec.selfBlinded);
  const blockPolynomials = (values: SlotValues): Map<string, readonly bigint[]> => {
    const out = new Map(Object.entries(block.polynomials(values)));
    for (const [oracle, b] of blindedByOracle) {
      const f = out.get(oracle);
      if (f) out.set(oracle, addVanishingMultiple(f, b.domain, blindingOf(b)));
    }
    // Each row's points with the slots its rotated combinations actually hold (known now that their challenges are).
    const opened = committedRotationsOf(spec, plan.rotations, (o) => o.combination!(values).slots);
    const pointsOf = (slot: string) => 1 + (opened.get(slot)?.length ?? 0);
    for (const o of plan.oracles) {
      const f = out.get(o.name);
      const b = statementOracleBlinding(spec.foldKey, o, pointsOf, values, statement, ctx.statementBlinding, selfBlinded);
      if (f && b.length > 0) out.set(o.name, addVanishingMultiple(f, o.domain, b));
    }
    return out;
  };

  const quotient = async (n: number, values: SlotValues): Promise<bigint[]> => {
    const domain = domains.get(n)!;
    // The identities' polynomials: oracles' and publics' coefficients, and the linear forms and rotated factors as
    // records the engine forms from them (on a worker, for a large domain), not in bigints here.
    const factorPolys: CosetPolynomial[] = [];
    const factorDegrees: number[] = [];
    const index = new Map<string, number>();
    const publicPoly = (name: string): readonly bigint[] => {
      const p = plan.publics.find((q) => q.name === name)!;
      return p.coefficients?.(values, domain) ?? domain.ifft(p.values(values));
    };
    const oraclePoly = (oracle: string): readonly bigint[] => {
      const base = polys!.get(oracle);
      if (!base) throw new BlockfoldError('BLOCK', `${spec.foldKey}: no polynomial for oracle "${oracle}"`);
      return base;
    };
    // A linear form `Σ_u c_u·(scalars)·g_u (+ constant)`: its terms' polynomials by index and their scalars.
    const formOf = (form: readonly IdentityTerm[]): DerivedPolynomial => {
      const terms: CombinationTerm[] = [];
      let constant = 0n;
      for (const u of form) {
        let k = u.coeff;
        let poly: number | undefined;
        for (const g of u.factors) {
          if ('scalar' in g) k = (k * frSlot(values, g.scalar)) % R;
          else poly = polyIndex(g as PolyFactor);
        }
        if (poly === undefined) constant += k;
        else terms.push({ index: poly, scalar: Fr.create(k) });
      }
      return { kind: 'linear', terms, constant: Fr.create(constant) };
    };
    const polyIndex = (f: Exclude<Factor, { scalar: string }>): number => {
      const key = factorKey(f);
      let i = index.get(key);
      if (i === undefined) {
        const poly: CosetPolynomial =
          'sum' in f
            ? formOf(f.sum)
            : 'public' in f
              ? publicPoly(f.public)
              : f.power
                ? { kind: 'composed', index: polyIndex({ oracle: f.oracle }), power: f.power }
                : f.rotation
                  ? { kind: 'rotated', index: polyIndex({ oracle: f.oracle }), size: n, rotation: f.rotation }
                  : oraclePoly(f.oracle);
        i = factorPolys.length;
        factorPolys.push(poly);
        factorDegrees.push(derivedDegree(poly, factorDegrees));
        index.set(key, i);
      }
      return i;
    };
    // Each term becomes a constant (coefficient × λ × scalar slots) and the indices of its polynomial factors.
    const compiled: { k: bigint; idx: number[] }[] = [];
    let degree = 1;
    // deg P ≤ the largest sum of factor degrees over the terms: a blinded running sum (degree n + 2) in a
    // degree-2 term must not size the coset of a degree-3 term over rows of degree n − 1.
    let degreeBound = 0;
    const partSizes: number[] = [];
    plan.identitiesByDomain.get(n)!.forEach((id) => {
      partSizes.push(id.terms.length);
      const lambda = identityWeight(plan, values, id);
      for (const t of id.terms) {
        let k = (t.coeff * lambda) % R;
        const idx: number[] = [];
        for (const f of t.factors) {
          if ('scalar' in f) k = (k * frSlot(values, f.scalar)) % R;
          else idx.push(polyIndex(f));
        }
        degree = Math.max(degree, idx.length);
        degreeBound = Math.max(degreeBound, idx.reduce((d, i) => d + factorDegrees[i], 0));
        compiled.push({ k, idx });
      }
    });
    const identity: VanishingIdentity = {
      polys: factorPolys,
      degree,
      degreeBound,
      terms: compiled.map(({ k, idx }) => ({ coeff: k, factors: idx })),
      // Each identity vanishes on H by itself: its quotient is computed on the smallest coset that holds it.
      partSizes,
      combine: (row) => {
        let acc = 0n;
        for (const { k, idx } of compiled) {
          let x = k;
          for (const i of idx) x = (x * row[i]) % R;
          acc += x;
        }
        return acc % R;
      },
    };
    try {
      return await quotientByVanishing(domain, identity);
    } catch (e) {
      if (ctx.allowInvalidWitness && e instanceof BlockfoldError) return quotientDroppingRemainder(domain, identity);
      throw e;
    }
  };

  // The compiler's running sums (`withRunningSums`): each group's summand `Σ_i ρ^i·s_i` on H_n from the oracles'
  // polynomials (their values on H: those an interpolant was made from, else one transform each), the public values
  // and the scalars; the accumulator of `runningSumValues`, blinded as every message oracle.
  const runningSums = async (values: SlotValues): Promise<Record<string, G1Point>> => {
    const blockPolys = blockPolynomials(values);
    polys = blockPolys;
    // By domain too: an oracle on H_m is read on its own domain and, by a claim embedding it, on a larger one.
    const oracleKey = (oracle: string, n: number) => `o:${oracle}/${n}`;
    // A claim on H_n reads an oracle of a subgroup H_m (m > 1) only unrotated and in a term with a factor zero off H_m
    // (a subgroup indicator or vector: `checkIdentityDomain`), so only its values at the points of H_m count: they are
    // its values on H_m (those its interpolation started from, `src/poly/values-on-h.ts`), not a transform of size n.
    const readOn = (f: { oracle: string; rotation?: number; power?: number }, n: number) => {
      const m = plan.oracleDomains.get(f.oracle)!;
      return m > 1 && m < n && !f.rotation && !f.power ? m : n;
    };
    // The oracles' values on H, every transform asked at once (side by side on an engine with workers).
    const read = new Map<number, Set<string>>();
    for (const g of groups)
      for (const c of g.claims)
        for (const t of c.summand)
          for (const f of t.factors) {
            if (!('oracle' in f)) continue;
            const m = readOn(f, g.domain);
            (read.get(m) ?? read.set(m, new Set()).get(m)!).add(f.oracle);
          }
    const onH = new Map<string, bigint[]>();
    await Promise.all(
      [...read].map(async ([n, oracles]) => {
        const names = [...oracles];
        const coeffs = names.map((oracle) => {
          const f = blockPolys.get(oracle);
          if (!f) throw new BlockfoldError('BLOCK', `${spec.foldKey}: no polynomial for oracle "${oracle}"`);
          return f;
        });
        (await domains.get(n)!.ffts(coeffs)).forEach((v, k) => onH.set(oracleKey(names[k], n), v));
      }),
    );
    const valuesOnH = (f: PolyFactor, n: number): bigint[] => {
      if ('public' in f) {
        let v = onH.get(`p:${f.public}`);
        if (!v) onH.set(`p:${f.public}`, (v = plan.publics.find((p) => p.name === f.public)!.values(values)));
        return v;
      }
      const m = readOn(f, n);
      if (m < n) {
        // f's value at ω_n^(j·n/m) = ω_m^j at the points of H_m, 0 on the rest of H_n, where the term vanishes anyway.
        let spread = onH.get(`s:${f.oracle}/${n}`);
        if (!spread) {
          const v = onH.get(oracleKey(f.oracle, m))!;
          spread = new Array<bigint>(n).fill(0n);
          for (let j = 0, step = n / m; j < m; j++) spread[j * step] = v[j];
          onH.set(`s:${f.oracle}/${n}`, spread);
        }
        return spread;
      }
      const v = onH.get(oracleKey(f.oracle, n))!;
      // f(ω^s·X) at ω^x is f's value at ω^(x+s): the values on H rotated by s.
      return f.rotation ? [...v.slice(f.rotation), ...v.slice(0, f.rotation)] : v;
    };
    // Each group's commitment is started, not awaited, and all are awaited together (exact points, so the order they
    // finish in changes nothing). Its interpolant's transform is asked at once, its MSM only once every summand is
    // formed: `commitLagrange` awaits the key's basis before it calls the engine, and this loop does not yield.
    // Posting each MSM as its group is formed (largest first) measured no gain (docs/measurements.md "Prover round 15").
    const commitments: Promise<G1Point>[] = [];
    const interpolants: Promise<bigint[]>[] = [];
    for (const g of groups) {
      const n = g.domain;
      const summand = new Array<bigint>(n).fill(0n);
      // Each cell sums its terms' exact products and is reduced once, below: a term costs its products and no
      // division (a reduction costs about as much as a product; the attention model's summands are about 100,000
      // products per proof). The sums are the same residues as when every product was reduced.
      g.claims.forEach((c, i) => {
        const rho = i === 0 ? 1n : frSlot(values, rhoSlot(i));
        for (const t of c.summand) {
          let k = (t.coeff * rho) % R;
          const vectors: bigint[][] = [];
          for (const f of t.factors) {
            if ('scalar' in f) k = (k * frSlot(values, f.scalar)) % R;
            else vectors.push(valuesOnH(f as PolyFactor, n));
          }
          for (let x = 0; x < n; x++) {
            let y = k;
            for (const v of vectors) y *= v[x];
            summand[x] += y;
          }
        }
      });
      // Committed from its values when the key has H_n's Lagrange basis (the same point, zero cells cost nothing),
      // plus the commitment of its blinding `Z_H·b`.
      const z = runningSumValues(summand.map((x) => x % R), g.multiplier?.values(values)).values;
      const coeffs = domains.get(n)!.iffts([z]).then(([f]) => f);
      interpolants.push(coeffs);
      commitments.push(Promise.all([commitLagrange(ctx.kzg, z, coeffs), commitVanishingMultiple(ctx.kzg, n, blindingOf(blinded.get(g.commitment)!))]).then(([c, blinding]) => c.add(blinding)));
    }
    // Set in group order once all are in, whichever transform finished first.
    (await Promise.all(interpolants)).forEach((coeffs, k) => {
      const g = groups[k];
      blockPolys.set(g.oracle, addVanishingMultiple(coeffs, g.domain, blindingOf(blinded.get(g.commitment)!)));
    });
    const points = await Promise.all(commitments);
    return Object.fromEntries(groups.map((g, k) => [g.commitment, points[k]]));
  };

  return async (decls, values) => {
    const first = decls[0]?.name;
    if (first !== undefined && first === groups[0]?.commitment) return runningSums(values);
    if (first === QUOTIENT_COMMITMENT) {
      polys ??= blockPolynomials(values);
      // t = Σ_n t_n, t_n the quotient of domain n's identities (each weighted by its λ^g) by Z_{H_n}. Each comes back on
      // its extended domain; its degree (below (d − 1)·n for identities of degree d) is what the SRS must hold, so
      // the zero top coefficients are dropped before committing.
      // The domains' quotients are asked together: with a worker pool each domain's coset identities run on a worker
      // while the next domain's polynomials are formed here; they are added in domain order.
      const t = trim((await Promise.all(plan.domains.map((n) => quotient(n, values)))).reduce((sum, tn) => addPolynomials(sum, tn), [] as bigint[]));
      // In pieces (`quotientPieces`), each but the last hidden by a blinding its successor takes back.
      const { count, size } = plan.quotient;
      const pieces = splitPolynomial(t, count, size, count === 1 ? [] : source.draw(`poly-iop/${spec.foldKey}/${QUOTIENT_COMMITMENT}`, count - 1));
      pieces.forEach((piece, j) => polys!.set(quotientOracle(j), piece));
      const points = await Promise.all(pieces.map((piece) => commit(ctx.kzg, piece)));
      return Object.fromEntries(points.map((point, j) => [quotientCommitment(j), point]));
    }
    if (first !== undefined && first === firstEvaluation) {
      const zeta = frSlot(values, ZETA);
      const out: Record<string, bigint> = {};
      const batches = [...plan.batches, ...plan.stackBatches.map((b) => ({ point: b.point, oracles: b.stacks.flatMap((st) => st.oracles), evaluations: b.stacks.flatMap((st) => st.evaluations) }))];
      for (const b of batches) {
        const point = b.point === ZETA ? zeta : frSlot(values, b.point);
        const ys = ctx.engine.evaluateAt(b.oracles.map((o) => polys!.get(o)!), point);
        b.evaluations.forEach((e, i) => (out[e] = ys[i]));
      }
      return out;
    }
    if (first === OPEN_FIRST) {
      const quotients = await Promise.all(
        claims.map(async (c): Promise<PointOpening> => {
          if (!block.vanishingQuotient) throw new BlockfoldError('BLOCK', `${spec.foldKey}: the block's prover commits no quotient of its vanishing claim "${c.name}"`);
          return { quotient: await block.vanishingQuotient(c.name, values), point: frSlot(values, c.point) };
        }),
      );
      openings = [
        ...plan.batches.map((b, i) => {
          const linear = i === 0 ? plan.linear : { oracles: [], coefficients: [] };
          return {
            poly: ctx.engine.linearCombination([...b.oracles, ...linear.oracles].map((o) => polys!.get(o)!), [...b.challenges, ...linear.coefficients].map((c) => frSlot(values, c))),
            point: frSlot(values, b.point),
          };
        }),
        // A stack batch: `Σ_i v^(i+1)·C_i`, each C_i the stack of its oracles' polynomials (zero in its empty places).
        ...plan.stackBatches.map((b) => ({
          poly: ctx.engine.linearCombination(
            b.stacks.map((st) => stackPolynomials(Array.from({ length: b.size }, (_, j) => (j < st.oracles.length ? polys!.get(st.oracles[j])! : [])))),
            b.challenges.map((c) => frSlot(values, c)),
          ),
          point: frSlot(values, b.point),
          power: b.size,
        })),
        ...quotients,
      ];
      const { h, proof } = await multiPointFirstProof(ctx.kzg, openings, openings.length === 1 ? 1n : frSlot(values, GAMMA));
      opened = h;
      return { [OPEN_FIRST]: proof };
    }
    if (first === OPEN_SECOND) return { [OPEN_SECOND]: await multiPointSecondProof(ctx.kzg, openings!, opened!, frSlot(values, GAMMA), frSlot(values, OPEN_POINT)) };
    return blockRound(decls, values);
  };
}

/**
 * The derived step computing each G1 slot as its combination of statement slots (one verifier MSM each). An oracle
 * opening such a slot declares the same {@link Combination} (`Oracle.combination`), so the commitment the verifier
 * derives and the blinding the prover adds to the oracle are one function's and cannot drift apart.
 */
export function combinationStep(combinations: Readonly<Record<string, Combination>>): DerivedStep {
  const slots = Object.keys(combinations);
  return {
    kind: 'derived',
    slots,
    compute: async (values, engine) => {
      const out: Record<string, G1Point> = {};
      for (const slot of slots) {
        const c = combinations[slot](values);
        out[slot] = await combineRowCommitments(engine, values, c.slots, c.scalars);
      }
      return out;
    },
  };
}

/** `Σ_i k_i·P_i` over the G1 slots `slots` of `values` (a verifier MSM, e.g. `Σ α^i·[C_i]₁`). */
export async function combineRowCommitments(engine: Engine, values: SlotValues, slots: readonly string[], scalars: readonly bigint[]): Promise<G1Point> {
  return engine.msmG1Points(slots.map((s) => g1Slot(values, s)), scalars);
}

/** `Σ_i k_i·r_i` of equal-length value vectors (the prover's side of {@link combineRowCommitments}). */
export function combineRowValues(rows: readonly (readonly bigint[])[], scalars: readonly bigint[]): bigint[] {
  if (rows.length !== scalars.length) throw new BlockfoldError('BLOCK', `${rows.length} rows but ${scalars.length} scalars`);
  return linearCombination(rows, scalars);
}

/** The tensor and row of a slot named by {@link rowSlot} (`t/i`: a tensor id may itself hold `/`, a row never does). */
export function slotRow(slot: string): { readonly tensor: string; readonly row: number } {
  const slash = slot.lastIndexOf('/');
  return { tensor: slot.slice(0, slash), row: Number(slot.slice(slash + 1)) };
}

/** Statement slot name of row i of tensor t: `t/i`. */
export function rowSlot(tensor: string, row: number): string {
  const rows = rowSlots.get(tensor);
  const kept = rows?.[row];
  if (kept !== undefined) return kept;
  const name = `${tensor}/${row}`;
  if (keptRowSlots < ROW_SLOTS_KEPT && Number.isInteger(row) && row >= 0 && row < ROW_SLOTS_KEPT) {
    let list = rows;
    if (list === undefined) rowSlots.set(tensor, (list = []));
    list[row] = name;
    keptRowSlots++;
  }
  return name;
}

/**
 * Row slot names by tensor and row, the first {@link ROW_SLOTS_KEPT} made (later ones are built on every call): blocks
 * name their statement rows on every proof by their own short tensor names, so a model's names are few and kept
 * after its first proof, and one string object per name is hashed once by every record a verifier looks it up in.
 * The bound keeps a long-running verifier of many models from holding every name it ever built.
 */
const rowSlots = new Map<string, string[]>();
let keptRowSlots = 0;

/** How many row slot names {@link rowSlot} keeps at most, over all tensors. */
export const ROW_SLOTS_KEPT = 1 << 16;

/** How many row slot names {@link rowSlot} keeps now (at most {@link ROW_SLOTS_KEPT}). */
export function keptRowSlotNames(): number {
  return keptRowSlots;
}

/** The G1 statement slots `t/0 … t/(rows−1)` of each tensor, in tensor order. */
export function rowStatementSlots(tensors: readonly TensorSpec[]): SlotDecl[] {
  return tensors.flatMap((t) => Array.from({ length: t.rows }, (_, i): SlotDecl => ({ name: rowSlot(t.name, i), sort: 'g1', origin: 'statement' })));
}

/** Statement values: the row commitments of each tensor under the names of {@link rowStatementSlots}. */
export function rowStatement(tensors: readonly TensorSpec[], commitments: Readonly<Record<string, readonly G1Point[]>>): SlotValues {
  const out: Record<string, G1Point> = {};
  for (const t of tensors) {
    const rows = commitments[t.name];
    if (!rows || rows.length !== t.rows) throw new BlockfoldError('BLOCK', `expected ${t.rows} row commitments of "${t.name}"`);
    rows.forEach((p, i) => (out[rowSlot(t.name, i)] = p));
  }
  return out;
}
