/**
 * Sum claims: `Σ_{x ∈ H_n} s(x) = T` for a summand s (a sum of products of oracles, public polynomials and scalars)
 * with no degree bound (docs/soundness.md rule 3), **without revealing T**. A block declares claims
 * (`PolyIopSpec.sums`, {@link sumClaim}); the poly-IOP compiler proves every claim of one domain and one multiplier with
 * one running sum of their combination by powers of a challenge ρ (`blocks/poly-iop.ts`, "Running sums"). What
 * follows is the running sum of one claim.
 *
 * The prover commits an accumulator Z on H_n (indices ω^i ↦ i) and one identity must vanish on H_n:
 *
 *   transition: `Z(ω·X) − Z(X) − s(X) + T(X)·L_0(X) = 0`
 *
 * Summed over H_n, `Σ_x Z(ω·x) = Σ_x Z(x)` (x ↦ ω·x permutes H_n) and `Σ_x L_0(x) = 1`, so the identity on H_n
 * says exactly `Σ_x s(x) = T(1)`: no start condition is needed, and the honest accumulator is the cyclic partial
 * sum `Z_i = Σ_{j<i} s_j` for i ≥ 1, `Z_0 = T`.
 *
 * The total T is what keeps a sum of witness values out of the proof. It is a linear combination of
 * - nothing (T = 0: two sums of one domain proven equal by one running sum over their difference),
 * - Fr scalar slots (a public or claimed value, sent or known in the clear), and
 * - **hidden scalars** ({@link hiddenScalar}): oracles on H_1 = {1}, read only at 1 through the factor L_0.
 *
 * A hidden scalar G holding c is committed by the compiler as a message oracle on H_1, blinded like every message
 * oracle (`blocks/hiding.ts`): `G(X) = c + (X − 1)·(b_0 + b_1·X)`, b fresh. Its commitment and its one revealed
 * evaluation `G(ζ)` are two independent uniform combinations of (b_0, b_1) (the matrix
 * `[[τ − 1, τ(τ − 1)], [ζ − 1, ζ(ζ − 1)]]` is invertible unless ζ ∈ {1, τ}), so they say nothing about c; and
 * H_1 ⊂ H_n for every n, so running sums on **different** domains that close on one G prove their sums equal,
 * each reading the same committed value G(1) (KZG binding). G has degree 2, so reading it on H_n grows no
 * quotient (a constant `c + Z_{H_N}·b` of the largest domain would grow every smaller domain's quotient to N).
 * The compiler lets an identity read an H_1 oracle only unrotated and multiplied by L_0 of the identity's domain
 * (`poly-iop.ts`), so an identity reads it only at its one cell.
 *
 * **Row weights (Horner form).** A flat tensor of M rows of K cells lives on H_n, n = M·K, cell (i, j) at ω^(i·K + j),
 * and blocks that combine its rows (`Σ_i α^i·row_i`) cannot derive that combination's commitment from one
 * commitment. With `rowWeights` the gadget proves instead the row-weighted sum
 *
 *   `Σ_{i<M} α^(M−1−i)·Σ_{j<K} s(ω^(i·K + j)) = T/μ_0`
 *
 * with a multiplier μ in the transition, `Z(ω·X) − μ(X)·Z(X) − s(X) + T(X)·L_0(X) = 0`, where μ is public:
 * `μ_k = α` at the start of every row but the first (k ≡ 0 mod K, k > 0), `μ_0 = α^(1−M)`, and 1 elsewhere, that is
 * `μ(X) = 1 + (α − 1)·S_K(X) + (α^(1−M) − α)·L_0(X)` with `S_K(X) = Z_{H_n}(X)/(K·(X^M − 1))` the indicator of the
 * row starts (the subgroup H_M of H_n), so the verifier evaluates μ(ζ) in O(log n). Unrolling the transition once
 * around H_n, Z_0 comes back multiplied by `Π_k μ_k = α^(1−M)·α^(M−1) = 1` (so no start condition is needed, as
 * in the plain form), and the summand of cell k by `Π_{k'>k} μ_{k'}`, which is `α^(M−1−i)` for every cell of row i
 * (the row starts after it; μ_0 is never after a cell). The T term enters at k = 0 and is multiplied by
 * `Π_{k'>0} μ_{k'} = 1/μ_0`. So the identity holds on H_n exactly when `T = μ_0·Σ_i α^(M−1−i)·Σ_j s_ij`. Two sums
 * with the same α and the same number of rows M (on domains of different row lengths) close on one hidden scalar
 * holding `μ_0·total`, which proves their row-weighted sums equal: a polynomial identity in α of degree < M when
 * α is drawn after the rows are fixed, so whp the sums are equal **row by row**. With M = 1, μ = 1 and the claim
 * is the plain sum.
 *
 * μ is a function of (α, n, K) alone ({@link rowWeightMultiplier}: one polynomial per name `mu/<α>/<n>/<K>`), so the
 * compiler proves every claim that reads one μ with one running sum: the claims of one block, and in a model argument
 * the claims of every flat block on H_n with rows of K, which share one α (`PolyIopSpec.sharedChallenges`, drawn after
 * every such block's messages before it; soundness in `blocks/model-argument.ts` and `poly-iop.ts`, "Running sums").
 *
 * {@link equalSumsGadget} is the claims' common use, two sums proven equal without their value (matmul, weighted
 * rows, sum, max, broadcast); the logUp argument chains its domains' claims through hidden scalars.
 * @module
 */
import type { SlotDecl, SlotValue } from '../src/equations/equation';
import { frSlot } from '../src/equations/evaluate';
import { BlockfoldError } from '../src/errors';
import { Fr, R } from '../src/field';
import { commit } from '../src/kzg/commit';
import type { KzgKey } from '../src/kzg/key';
import { isPowerOfTwo } from '../src/poly/roots';
import type { SlotValues } from '../src/equations/equation';
import { at, pub, runningSumValues, subgroupIndicatorCoefficients, subgroupIndicatorPoly, term, type IdentityTerm, type Oracle, type PublicPoly, type SumClaim } from './poly-iop';
import type { Step } from './protocol';

/** Row weights of a running sum over a flat tensor (see the module comment). */
export interface RowWeights {
  /** The Fr challenge slot α (drawn after every oracle the summand reads is committed). */
  readonly challenge: string;
  /** Cells per row K (a power of two dividing the domain size); the domain holds M = n/K rows. */
  readonly rowLength: number;
}

/** Options of {@link sumClaim}: the claim's fields, with row weights in place of the multiplier they define. */
export interface RunningSumOptions extends Omit<SumClaim, 'multiplier'> {
  /** Weight row i by `α^(M−1−i)` (Horner form, module comment); omitted: every cell weighs 1. */
  readonly rowWeights?: RowWeights;
}

/**
 * α^(−1) of the last challenges read: the two sides of a row-weighted claim are two multipliers (on two domains)
 * reading one α, the flat blocks of a model argument share one α, and each asks for μ_0 = α^(1−M)
 * ({@link firstRowWeight}), where an inversion costs more than the rest. A cache of a function of α alone, emptied
 * when full.
 */
const challengeInverses = new Map<bigint, bigint>();
const CHALLENGE_INVERSES_LIMIT = 1 << 10;
function challengeInverse(alpha: bigint): bigint {
  let inverse = challengeInverses.get(alpha);
  if (inverse === undefined) {
    if (challengeInverses.size >= CHALLENGE_INVERSES_LIMIT) challengeInverses.clear();
    challengeInverses.set(alpha, (inverse = Fr.inv(alpha)));
  }
  return inverse;
}

/** The multipliers by name: the compiler groups claims by μ's name and refuses two different polynomials under one. */
const multipliers = new Map<string, PublicPoly>();

/**
 * The multiplier μ of a row-weighted running sum on H_n (module comment): `α^(1−M)` at index 0, α at the other row
 * starts, 1 elsewhere; the verifier evaluates `1 + (α − 1)·S_K(ζ) + (α^(1−M) − α)·L_0(ζ)` in O(log n). It is a
 * function of (α, n, K) alone, named `mu/<α>/<n>/<K>` and one object per name: the claims that read one μ share one
 * running sum (in a block, and across the members of a model argument that share α, `PolyIopSpec.sharedChallenges`).
 * `name` (the claim's) only names the culprit of an error.
 */
export function rowWeightMultiplier(name: string, n: number, weights: RowWeights): PublicPoly {
  const k = weights.rowLength;
  if (!isPowerOfTwo(k) || n % k !== 0)
    throw new BlockfoldError('BLOCK', `running sum "${name}": a row length must be a power of two dividing the domain ${n}, got ${k}`);
  const key = `mu/${weights.challenge}/${n}/${k}`;
  let mu = multipliers.get(key);
  if (!mu) multipliers.set(key, (mu = multiplierOf(key, n, k, weights.challenge)));
  return mu;
}

function multiplierOf(name: string, n: number, k: number, challenge: string): PublicPoly {
  const m = n / k;
  const firstWeight = (alpha: bigint) => firstRowWeight(alpha, m);
  return {
    name,
    domain: n,
    reads: [challenge],
    values: (slots: SlotValues) => {
      const alpha = frSlot(slots, challenge);
      const out = new Array<bigint>(n).fill(1n);
      for (let i = k; i < n; i += k) out[i] = alpha;
      out[0] = firstWeight(alpha);
      return out;
    },
    // S_K(ζ) and L_0(ζ) depend on ζ only: the domain keeps them for every multiplier of its size. For ζ in H_n
    // both read the indicator's values at ζ's index, so the formula gives μ's value there as well.
    evaluateAt: (zeta, slots, domain) => {
      const alpha = frSlot(slots, challenge);
      const rowStart = domain.subgroupIndicatorAt(k, zeta);
      const first = domain.lagrangeAtIndex(0, zeta);
      return Fr.add(Fr.add(1n, Fr.mul(Fr.sub(alpha, 1n), rowStart)), Fr.mul(Fr.sub(firstWeight(alpha), alpha), first));
    },
    // The same sum in coefficients: 1, plus (α − 1) times S_K's (`subgroupIndicatorCoefficients`: S_K is the indicator
    // of H_m), plus (μ_0 − α) times L_0's, each n^(−1).
    coefficients: (slots, domain) => {
      const alpha = frSlot(slots, challenge);
      const out = subgroupIndicatorCoefficients(m, n);
      const rowStep = Fr.sub(alpha, 1n);
      const first = Fr.mul(Fr.sub(firstWeight(alpha), alpha), domain.sizeInv);
      for (let j = 0; j < n; j++) out[j] = (out[j] * rowStep + first) % R;
      out[0] = Fr.add(out[0], 1n);
      return out;
    },
  };
}

/**
 * The claim `Σ_{H_n} s = T`, or its row-weighted form (module comment), for the block's spec (`PolyIopSpec.sums`): the
 * compiler proves it with the running sum of its domain and multiplier.
 */
export function sumClaim(opts: RunningSumOptions): SumClaim {
  return {
    name: opts.name,
    domain: opts.domain,
    summand: opts.summand,
    ...(opts.total ? { total: opts.total } : {}),
    ...(opts.rowWeights ? { multiplier: rowWeightMultiplier(opts.name, opts.domain, opts.rowWeights) } : {}),
  };
}

/** A hidden scalar of a block: its G1 message slot `[G]/<name>` and its oracle `G/<name>` on H_1. */
export interface HiddenScalar {
  readonly commitmentSlot: SlotDecl;
  readonly oracle: Oracle;
}

/**
 * A scalar the proof binds but does not reveal (see the module comment): an oracle on H_1 whose commitment is a
 * message, blinded by the compiler. Its polynomial, before blinding, is the constant `[c]` (commitment `c·[1]₁`).
 */
export function hiddenScalar(name: string): HiddenScalar {
  const commitment = `[G]/${name}`;
  return { commitmentSlot: { name: commitment, sort: 'g1', origin: 'message' }, oracle: { name: `G/${name}`, domain: 1, commitment } };
}

/** `Σ_k coeff_k·u_k[i]·v_k[i]` at each point i: the summand of a running sum over products of vectors on H. */
export function summandValues(products: readonly { readonly coeff?: bigint; readonly u: readonly bigint[]; readonly v: readonly bigint[] }[]): bigint[] {
  const n = products[0]?.u.length ?? 0;
  const out = new Array<bigint>(n).fill(0n);
  for (const { coeff = 1n, u, v } of products) for (let i = 0; i < n; i++) out[i] += coeff * ((u[i] * v[i]) % R);
  return out.map((x) => ((x % R) + R) % R);
}

/** One side of {@link equalSumsGadget}: a summand on H_n. */
export interface SumSide {
  readonly domain: number;
  readonly summand: readonly IdentityTerm[];
  /**
   * Row weights `α^(M−1−i)` (module comment). With them on both sides (one challenge, one number of rows M) the gadget
   * proves the row-weighted sums equal, that is (α drawn after the rows) equal row by row. A plain right side facing a
   * row-weighted left one must carry the factor μ_0 in its summand ({@link firstRowWeight}).
   */
  readonly rowWeights?: RowWeights;
}

/** The fragments of {@link equalSumsGadget}, to add to a block's spec. */
export interface EqualSums {
  readonly name: string;
  /**
   * Whether the two sides are proven by one claim of their difference, with no hidden scalar: they share a domain, or
   * the smaller side is read on the larger one through the indicator of its subgroup ({@link equalSumsGadget}).
   */
  readonly shared: boolean;
  /** The public polynomials the claims read beyond the block's own (the subgroup indicator), to add to its spec. */
  readonly publics: readonly PublicPoly[];
  /** The hidden scalar's G1 message slot, to send in a block round (none when the sides share a domain). */
  readonly slots: readonly SlotDecl[];
  /** The hidden scalar's oracle (none when the sides share a domain). */
  readonly oracles: readonly Oracle[];
  /** The claims (`PolyIopSpec.sums`). */
  readonly sums: readonly SumClaim[];
  /** With row weights: the multipliers μ of the two sides (one, shared, when one claim proves both). */
  readonly multipliers?: { readonly left: PublicPoly; readonly right?: PublicPoly };
}

/**
 * `μ_0 = α^(1−M)`: a row-weighted running sum closes on `μ_0·(row-weighted sum)` (module comment). α^(−1) is the kept
 * inverse of the challenge: a verifier asks for μ_0 of one α in several blocks and multipliers.
 */
export function firstRowWeight(alpha: bigint, rows: number): bigint {
  return Fr.pow(challengeInverse(alpha), BigInt(rows - 1));
}

/**
 * Whether two sides can close on one hidden scalar: neither weighs its rows, or both do with one challenge and one
 * number of rows, or only the left does and the right is a plain sum (which the block must then scale by μ_0 itself,
 * {@link firstRowWeight}: the left closes on `μ_0·(row-weighted sum)`).
 */
function sameRowWeights(name: string, left: SumSide, right: SumSide): void {
  const [l, r] = [left.rowWeights, right.rowWeights];
  if (!r) return;
  if (!l || l.challenge !== r.challenge || left.domain / l.rowLength !== right.domain / r.rowLength)
    throw new BlockfoldError('BLOCK', `equal sums "${name}": row-weighted sums compare only with one challenge and one number of rows on both sides`);
  if (left.domain === right.domain && l.rowLength !== r.rowLength)
    throw new BlockfoldError('BLOCK', `equal sums "${name}": two sides on one domain need one row length`);
}

/**
 * Whether the smaller side of two on different domains can be read on the larger one ({@link equalSumsGadget}): its
 * summand reads only unrotated oracles and scalars (a public polynomial of its domain would have to be lifted), and
 * its cells keep their weights there: neither side weighs its rows, or both do (one α, one M, `sameRowWeights`).
 */
function embeddable(small: SumSide, large: SumSide): boolean {
  const plain = small.summand.every((t) => t.factors.every((f) => 'scalar' in f || ('oracle' in f && !f.rotation)));
  return plain && !small.rowWeights === !large.rowWeights;
}

/**
 * `Σ_{H_n} left = Σ_{H_m} right`, proven without sending the common value. On one domain (n = m), one running sum
 * of `left − right` closing on 0 (`Z/<name>`). On two domains, m < n say, when the smaller side can be read on
 * the larger (its summand reads only unrotated oracles and scalars, and both sides weigh their rows or neither): one claim on H_n of `left − I_m·right` closing on 0, I_m the indicator of the subgroup H_m in H_n
 * ({@link subgroupIndicatorPoly}). It reads right at the points of H_m only, so `Σ_{H_n} I_m·right = Σ_{H_m} right`;
 * with row weights, cell k of H_m is cell `k·n/m` of H_n, and since both sides have M rows (of K_m and `K_n =
 * K_m·n/m` cells) it lies in row `⌊k/K_m⌋` on both, so it keeps its weight `α^(M−1−i)` and the claim is
 * `W_left(α) = W_right(α)` as with a hidden scalar. Otherwise a hidden scalar G (`G/<name>`) and two running sums
 * closing on it (`Z/<name>/left`, `Z/<name>/right`), both reading the one committed value G(1). With row weights
 * on both sides, the same with the multipliers μ: G holds `μ_0·(row-weighted sum)`, μ_0 being one value on both
 * sides (one α, one M). A row-weighted left side may also face a plain right side whose summand carries μ_0 (a
 * sum over a vector that already holds the row-weighted values, such as a row combination).
 */
export function equalSumsGadget(name: string, left: SumSide, right: SumSide): EqualSums {
  sameRowWeights(name, left, right);
  const negated = (ts: readonly IdentityTerm[]) => ts.map((t) => term(-t.coeff, ...t.factors));
  /** One claim of `left − right` on the domain of `on` (both sides there), closing on 0: no hidden scalar. */
  const oneClaim = (on: SumSide, summand: IdentityTerm[], publics: PublicPoly[]): EqualSums => {
    const c = sumClaim({ name, domain: on.domain, summand, ...(on.rowWeights ? { rowWeights: on.rowWeights } : {}) });
    const multipliers = c.multiplier ? { multipliers: { left: c.multiplier, right: c.multiplier } } : {};
    return { name, shared: true, publics, slots: [], oracles: [], sums: [c], ...multipliers };
  };
  if (left.domain === right.domain) {
    if (!left.rowWeights !== !right.rowWeights) throw new BlockfoldError('BLOCK', `equal sums "${name}": two sides on one domain are both row-weighted or neither`);
    return oneClaim(left, [...left.summand, ...negated(right.summand)], []);
  }
  const [small, large] = left.domain < right.domain ? [left, right] : [right, left];
  if (embeddable(small, large)) {
    const indicator = subgroupIndicatorPoly(small.domain, large.domain);
    const lifted = small.summand.map((t) => term(t.coeff, ...t.factors, pub(indicator.name)));
    return oneClaim(large, small === right ? [...left.summand, ...negated(lifted)] : [...lifted, ...negated(right.summand)], [indicator]);
  }
  const hidden = hiddenScalar(name);
  const total = [term(1, at(hidden.oracle.name))];
  const [l, r] = [sumClaim({ name: `${name}/left`, ...left, total }), sumClaim({ name: `${name}/right`, ...right, total })];
  return {
    name,
    shared: false,
    publics: [],
    slots: [hidden.commitmentSlot],
    oracles: [hidden.oracle],
    sums: [l, r],
    ...(l.multiplier ? { multipliers: { left: l.multiplier, ...(r.multiplier ? { right: r.multiplier } : {}) } } : {}),
  };
}

/** The block round that sends the hidden scalar of {@link equalSumsGadget} (none when the sides share a domain). */
export function hiddenScalarRound(sums: EqualSums): Step[] {
  return sums.slots.length > 0 ? [{ kind: 'message', slots: sums.slots.map((d) => d.name) }] : [];
}

/**
 * The prover of {@link equalSumsGadget}: the hidden scalar G holding the left sum (its message and its polynomial
 * before the compiler's blinding), from the left summand's values on its domain; nothing when the sides share a
 * domain. If the right sum differs (an invalid witness), the right claim fails and the verifier rejects. A
 * row-weighted left side reads its challenge from `slots` (the values the prover's round sees).
 */
export async function equalSumsProver(kzg: KzgKey, g: EqualSums, left: readonly bigint[], slots: SlotValues = {}): Promise<{ messages: Record<string, SlotValue>; polys: Record<string, bigint[]> }> {
  if (g.shared) return { messages: {}, polys: {} };
  const sum = runningSumValues(left, g.multipliers?.left.values(slots)).sum;
  return { messages: { [`[G]/${g.name}`]: await commit(kzg, [sum]) }, polys: { [`G/${g.name}`]: [sum] } };
}
