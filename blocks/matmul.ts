/**
 * Matrix product `C = A·Bᵀ`: A has m rows of length k (domain H_K), B has n rows of length k (domain H_K; the rows of
 * B are the columns of the right operand, so for weights W (k×n) the model commits the rows of `Wᵀ`), C has m rows of
 * length n (domain H_N). That is the row layout, one commitment per row of A and C; the flat layout below commits each
 * of A and C as one row.
 *
 * Protocol (all rows of the layer in one instance):
 * 1. statement `[A_i]₁`, `[B_l]₁`, `[C_i]₁`; challenges α, β;
 * 2. derived (verifier MSMs) `a = Σ_i α^i·A_i`, `w = Σ_l β^l·B_l`, `c = Σ_i α^i·C_i`;
 * 3. running sums (`blocks/running-sum.ts`) proving `⟨a, w⟩ = ⟨c, b⟩` with the public vector `b_l = β^l` (l < N),
 *    whose value at ζ the verifier computes itself, **without sending the common value** `s = αᵀ·C·β` (with a
 *    public input and fixed weights, s would be one linear equation in the weights per proof): when K = N one
 *    running sum over H_K of `a·w − c·b` closing on 0; otherwise a hidden scalar `[G]₁` (G(1) = s, blinded) and
 *    two running sums, `⟨a, w⟩ = G(1)` over H_K and `⟨c, b⟩ = G(1)` over H_N.
 * 4. with fixed weights w is never opened itself: step 3 also sends `E = [Z_K·r]₁`, the running sum over H_K reads
 *    the derived `[w̃]₁ = [w]₁ + E`, and the identity `e = 0` on H_K (e committed by E, never evaluated) makes w̃ = w
 *    on H_K (`blocks/weight-link.ts`), so proofs reveal no evaluation of the weights.
 *
 * Why it is sound: both forms say `⟨a, w⟩ = ⟨c, b⟩` (a transition summed over H telescopes; G(1) is one committed
 * value, read on both domains at the point 1 of H_1 ⊂ H_K, H_N), that is
 * `Σ_i α^i Σ_{l<N} β^l·C_il = Σ_i α^i Σ_{l<n} β^l·Σ_{j<K} A_ij·B_lj`, a polynomial identity in (α, β) of degree < m + N, so whp `C_il = Σ_{j<K} A_ij·B_lj` for l < n and `C_il = 0` on C's padding
 * columns l ≥ n (the output's padding is pinned to zero). The sum over j must not see padding columns j ≥ k.
 * The prover could put matching garbage in the padding of both operands: of B when it is committed by the prover
 * (attention `Q·Kᵀ`, `P·V`), and of fixed weights too, since the model owner who commits them at setup is the
 * prover and the verifier never sees their padding. So whenever k < K the block proves `a(X)·P_pad(X) = 0` on H_K,
 * P_pad the public indicator of the columns j ≥ k. Since `a_j = Σ α^i·A_ij`, this forces every padding cell of A
 * to zero (whp), and the products vanish whatever B's padding holds. Honest tensors are committed zero-padded
 * (`commitRows`), so this costs completeness nothing, and it adds no message (one more identity in H_K's
 * quotient).
 *
 * Proof (K ≠ N): `[G]₁`, `[Z_K]₁`, `[Z_N]₁`; evaluations of a, w, c, G, Z_K, Z_N at ζ and of Z_K, Z_N at ω·ζ; with
 * K = N: `[Z]₁` and evaluations of a, w, c, Z at ζ and of Z at ω·ζ; the quotients and openings are the argument's.
 * Zero knowledge of s: G and the accumulators are blinded message oracles, so their commitments and evaluations are
 * uniform and none equals or determines s (a and c are opened as their rows are, docs/soundness.md "Zero knowledge").
 *
 * **Flat layout** (`flat: true`). The compiler keeps an activation as ONE row, so that no permutation copies it into
 * rows and back around every matmul. Here A is one row on H_{MK} (M = pow2(m) rows; cell (i, j) at `ω^(i·K + j)`)
 * and C one row on H_{MN} (cell (i, l) at `i·N + l`); B is as above, n rows on H_K. When m < M the rows i ≥ m are
 * padding: a flat row-major tensor of m·k cells (k = K) zero-padded to pow2(m·K) = M·K is exactly this layout, so the
 * compiler's flat tensors are read in place whatever m is. A row of A or C has
 * no commitment of its own, so α cannot combine rows homomorphically: the row-weighted running sums of
 * `blocks/running-sum.ts` (Horner form, `Σ_i α^(M−1−i)·Σ_j s(i, j)`) weigh them in place. Protocol:
 * 1. statement `[A]₁`, `[B_l]₁`, `[C]₁`; challenge β; derived `[w]₁ = Σ_l β^l·[B_l]₁` on H_K (with fixed weights the
 *    block opens the re-randomization w̃ of step 4 above instead);
 * 2. message `[P]₁`: P on H_{MK} holds w on every row, `P(ω^(i·K + j)) = w_j`;
 * 3. challenges α, δ (after P, and after `[w̃]₁`, which is sent with P);
 * 4. ONE running sum on H_n, the larger of H_{MK} and H_{MN} (rows of R = max(K, N) cells weighted by α), closing
 *    on 0, of the difference of three sums that each close on a value the proof does not send:
 *    - `P·(A + e)` over H_{MK} (rows of K), e the periodic public vector `e_j = δ^(j+1)` (period K);
 *    - `C·b` over H_{MN} (rows of N), b the periodic public vector `b_l = β^l` (all N columns);
 *    - `w·v` over H_K, `v_j = μ_0·(Σ_{i<M} α^i)·δ^(j+1)`, `μ_0 = α^(1−M)`.
 *    The side on the smaller of H_{MK}, H_{MN} is read on H_n at the points of its subgroup: its cell (i, j) is H_n's
 *    cell (i, j·R/K) (or j·R/N), in the same row, so the claim gives it its row weight; its oracles are read times
 *    the subgroup's indicator and its periodic vector is spread to period R, zero on the other columns. w is read on
 *    H_n at the points of H_K (w's cell j at index `j·n/K`, in row `i_j = ⌊j·M/K⌋`), times u, the public that holds
 *    `u_j = μ_0·(Σ_{i<M} α^i)·δ^(j+1)·α^(i_j)` there and is zero elsewhere (`subgroupVector`): the claim weighs that
 *    cell by `μ_0·α^(M−1−i_j)`, so it adds `μ_0·(Σ_{i<M} α^i)·δ^(j+1)·w_j`, the value of the sum over H_K. (Until
 *    then three running sums closed on hidden scalars, `G_c + G_w`, `G_c` and `G_w`: two G1 messages, and an
 *    accumulator for the claim over H_K, that stated nothing the one claim does not.)
 * 5. when k < K, `A·pad = 0` on H_{MK}, pad the periodic indicator of the columns j ≥ k;
 * 6. when m < M, `A·padRows = 0` on H_{MK}, padRows the public indicator of the cells `x ≥ m·K` (the padding rows).
 * The verifier evaluates e, b and pad in O(K), O(N) (`periodicVector`), u in O(K) (`I_K(ζ)·U(ζ)`), the indicators
 * and multipliers in O(log n) and padRows in O(MK) (`publicVector`: a contiguous run of H is not a coset of a subgroup, and its indicator has no
 * cheap closed form; measured 2.4 ms of CPU on H_1024 at a fresh point, less when the domain's weights at ζ are shared).
 *
 * Why it is sound. A row-weighted running sum over M rows closes on `μ_0·Σ_i α^(M−1−i)·(row sum i)`, and
 * `Σ_{i<M} α^i = Σ_i α^(M−1−i)`. The indicator and u are zero on H_n off the subgroups, so the claim reads the smaller
 * sides' oracles at the points of their own domains only, whatever their polynomials hold elsewhere (the compiler reads
 * an oracle of a subgroup only through such a public, `blocks/poly-iop.ts`), each cell with the weight above; so the
 * claim says, after dividing by `μ_0 ≠ 0`,
 *
 *   `F(α, δ) = Σ_i α^(M−1−i)·D_i + Σ_{j<K} δ^(j+1)·Σ_i α^(M−1−i)·E_ij = 0`, with
 *   `D_i = Σ_{j<K} A_ij·P_ij − Σ_{l<N} β^l·C_il` and `E_ij = P_ij − w_j`.
 *
 * A and C are in the statement, w is fixed by B and β (w̃ = w on H_K by the weight link), and P is committed before α
 * and δ: every D_i and E_ij is fixed before (α, δ) is drawn (in a model argument α is the flat blocks' one shared
 * challenge, `PolyIopSpec.sharedChallenges`, drawn after every message of theirs before it, P and the link's E
 * included). F is a polynomial in (α, δ) of degree < M + K; unless all its coefficients vanish it has the random
 * (α, δ) as a root with probability < (M + K)/r (Schwartz–Zippel). So whp
 * every `E_ij = 0`: P holds w on **every** row, although the prover chose it after β. Then every `D_i = 0` reads
 * `Σ_{l<N} β^l·C_il = Σ_{j<K} A_ij·w_j = Σ_{l<n} β^l·Σ_{j<K} A_ij·B_lj`, row by row: a polynomial identity in β of
 * degree < N whose coefficients were fixed in the statement before β, so whp `C_il = Σ_{j<K} A_ij·B_lj` for l < n and
 * `C_il = 0` on C's padding columns n ≤ l < N. The padding identity makes `A_ij = 0` for j ≥ k whatever B's padding
 * holds (as in the row layout), so the sum runs over the k real columns. Padding rows (m < M): everything above holds
 * for all M rows (P holds w on every one of them, the row weights and v's `Σ_{i<M} α^i` count them), so on a padding
 * row `Σ_{l<N} β^l·C_il = Σ_j A_ij·w_j`. The block does not trust its input's padding (whoever wrote A, a model input
 * or a custom block, may leave garbage there): step 6 makes `A_ij = 0` for i ≥ m, hence `C_il = 0` on those rows,
 * so C is the m rows of A·Bᵀ followed by zeros, as the next block reads it. Without step 6 a prover could put G in
 * A's padding rows and `G·Bᵀ` in C's (`test/blocks/flat-matmul.test.ts`). Error ≤ (M + K + N)/r plus the compiler's
 * quotient and opening terms. The δ part is what pins P: without it a prover picks P after β so that every D_i
 * vanishes for an arbitrary C (`test/blocks/flat-matmul.test.ts` builds that spec and forges C). Drawing α after P,
 * for the product and the periodicity check alike, lets both share one running sum; δ keeps them apart. The claim
 * states F = 0 exactly as the three sums chained by hidden scalars did (their totals were committed values the
 * verifier never learned, so together they said no more than their difference closing on 0).
 *
 * Zero knowledge: A and C are statement rows the pipeline blinds, each opened once (at ζ); P and the accumulator are
 * message oracles the compiler blinds, so `P(ζ)`, a value of the tiled w, is uniform; w̃ is re-randomized by the
 * weight link as in the row layout. No sum of witness values is committed (the sums `μ_0·Σ_i α^(M−1−i)·Σ_l β^l·C_il`
 * and `μ_0·(Σ_i α^i)·Σ_j δ^(j+1)·w_j`, linear in the weights once A is public, were the hidden scalars' values), and no
 * evaluation of the weights is revealed. The padding identities read A at ζ only, where it is opened anyway, against
 * public polynomials: they reveal nothing more.
 *
 * Proof: `[P]₁` and one accumulator `[Z]₁`, the evaluations at ζ of A, C, w, P and the accumulator and of the
 * accumulator at ω·ζ; with fixed weights the link's E; the quotients and openings are the argument's. None of it grows
 * with m, k or n: the padding identities are public and add no message (two more identities in H_{MK}'s quotient).
 *
 * **Flat B** (`flatB`, the flat layout with a committed B). The run-time operands of attention (`Q·Kᵀ`, `P·V`) are
 * flat tensors: a flat K holds B's rows laid flat, a flat V holds B's columns laid flat (B = Vᵀ). With `flatB` B is
 * ONE committed row on H_{NK}, cell (l, j) at `l·K + j` (`'row-major'`) or at `j·N + l` (`'column-major'`), rows
 * l ≥ n and columns j ≥ k padding, so the compiler needs no copy laying B out as rows. B has no row commitments, so
 * `[w]₁` cannot be derived; w is not committed either: the claim's weights' side reads B itself, which computes the
 * same value in place. This layout weighs by Horner powers, `b_l = β^(N−1−l)`, `e_j = δ^(K−j)`, so
 * `w_j = Σ_{l<N} β^(N−1−l)·B_lj`. Protocol:
 * 1. statement `[A]₁`, `[B]₁`, `[C]₁`; challenge β;
 * 2. message `[P]₁`, P on H_{MK} claimed to hold w on every row;
 * 3. challenges α, δ (after P);
 * 4. the one claim of step 4 above (with these e and b) on H_n, the largest of H_{MK}, H_{MN} and H_{NK}, its weights'
 *    side `B·u`: B read at the points of H_{NK} (B's cell s at index `s·n/(NK)`, in row `i_s = ⌊s·M/(NK)⌋`), u zero
 *    elsewhere (`subgroupVector`) and `u_s = μ_0·(Σ_{i<M} α^i)·b_l·e_j·α^(i_s)` for s holding `B_lj`, which undoes the
 *    cell's row weight `μ_0·α^(M−1−i_s)`;
 * 5. A's padding identities (steps 5 and 6 above); on H_{NK}, `B·padRowsB = 0` when n < N and `B·padColumnsB = 0`
 *    when k < K, the indicators of B's rows l ≥ n and columns j ≥ k (in each order one is periodic, evaluated in
 *    O(N) or O(K), the other a contiguous run of H_{NK}, evaluated in O(NK) as padRows is).
 * The verifier evaluates u in O(NK) (barycentric over H_{NK}, times the indicator of H_{NK} when n > NK).
 *
 * Why it is sound. The weights' side adds `Σ_s μ_0·α^(M−1−i_s)·u_s·B_s = μ_0·(Σ_i α^i)·Σ_j e_j·w_j` with w the TRUE
 * combination `w_j = Σ_{l<N} β^(N−1−l)·B_lj` of B's committed cells: what it adds with B in rows and the derived w, so
 * the claim says `F(α, δ) = 0` and the argument above holds as written with `e_j = δ^(K−j)` (the exponents 1..K:
 * distinct, none 0, so F vanishes identically only if every D_i and E_ij does) and `b_l = β^(N−1−l)` (distinct
 * powers below N). Its coefficients are fixed before (α, δ): D_i by A, C (statement), P (message) and β, E_ij by P, B
 * and β; in a model argument α is the shared challenge, drawn after every flat block's messages before it (P
 * included). So whp P holds w on every row and, by the identity in β, `C_il = Σ_{j<K} A_ij·B_lj` for every i < M and
 * l < N (B's padding rows included). The padding identities make every padding cell of A and of B zero, hence
 * `C_il = Σ_{j<k} A_ij·B_lj` for i < m, l < n and C zero on its padding columns and rows: the block proves that all of
 * A's, B's and C's padding is zero, trusting none of it. Without the weights' side a w chosen after β, repeated on
 * every row, fits any C (`test/blocks/flat-matmul.test.ts` forges one). Error ≤ (M + K + N)/r plus the compiler's
 * terms, as above. (Until session 18 the weights' side was a claim over H_{NK} of its own, B's rows weighted in Horner
 * form by β or δ, closing on a hidden scalar G_w on which the claim weighted by α closed too: they said no more than
 * this one claim, for a G_w, an accumulator and its evaluation per block.)
 *
 * Zero knowledge: B is a statement row like A and C, opened once (at ζ); no w is committed or opened; P and the
 * accumulator are blinded message oracles as above, and no sum of witness values is committed. Proof: as the
 * committed flat layout, B(ζ) in place of w(ζ).
 *
 * **Several products of one A** (`products: T`, the flat layout with fixed weights only). Attention's Q, K and V
 * projections read one A with three weights: `C_t = A·B_tᵀ` for t < T, each B_t of n rows on H_K (tensors `b`,
 * `b1`, …) and each C_t one row on H_{MN} (`c`, `c1`, …). The block proves them as ONE product with T·N output
 * columns, product t's column l being column `t·N + l`: w combines every B_t's rows,
 * `w_j = Σ_t Σ_{l<n} β^(t·N + l)·B_t,lj` (one weight link w̃, one P holding w on every row), and b_t, the periodic
 * `b_t,l = β^(t·N + l)`, weighs C_t in the claim of step 4: `P·(A + e) − Σ_t C_t·b_t − w·u`. Each C_t stays its own
 * statement commitment, read in place.
 *
 * Why it is sound: it is the argument of the flat layout for the k × T·N matrix whose column `t·N + l` is B_t's row
 * l (zero for n ≤ l < N) and the m × T·N output whose column `t·N + l` is `C_t,il`: every step holds as written with
 * N replaced by T·N in the identity in β. `D_i = Σ_j A_ij·P_ij − Σ_t Σ_{l<N} β^(t·N + l)·C_t,il` has degree < T·N in
 * β, its coefficients are fixed by the statement before β, so whp `C_t,il = Σ_{j<K} A_ij·B_t,lj` for every t and
 * l < n, and `C_t,il = 0` for n ≤ l < N. The distinct powers are what bind each output to its own weights: weighed
 * alike (every `b_t = b`) the sums would prove only `Σ_t C_t = A·Σ_t B_tᵀ`, and two outputs swapped would verify
 * (`test/blocks/matmul-products.test.ts` shows both). Error ≤ (M + K + T·N)/r plus the compiler's terms. Zero
 * knowledge as in the flat layout: no sum of witness values is committed, and w is read only as the link's w̃.
 *
 * Proof: that of one flat product with fixed weights (one P, one E, the same claim), T − 1 statement rows
 * more. Against T separate blocks it saves T − 1 P's and links.
 * @module
 */
import type { SlotDecl, SlotValues } from '../src/equations/equation';
import { frSlot } from '../src/equations/evaluate';
import { BlockfoldError } from '../src/errors';
import { Fr, R } from '../src/field';
import { commitLagrange } from '../src/kzg/commit';
import { interpolate } from '../src/poly/interpolate';
import { isPowerOfTwo, nextPowerOfTwo } from '../src/poly/roots';
import { PolyIopBlock } from './poly-iop-block';
import type { Block, BlockContext, TensorSpec, Tensors } from './block';
import { rowEvaluations } from './commit-rows';
import {
  at,
  combinationStep,
  combineRowValues,
  distinctPublics,
  periodicVector,
  type PolyIopProver,
  powers,
  pub,
  publicVector,
  rowSlot,
  rowStatementSlots,
  subgroupIndicatorPoly,
  subgroupVector,
  term,
  type Combination,
  type Identity,
  type Oracle,
  type PolyIopSpec,
  type PublicPoly,
  type SumClaim,
} from './poly-iop';
import {
  equalSumsGadget,
  equalSumsProver,
  firstRowWeight,
  sumClaim,
  summandValues,
  type EqualSums,
} from './running-sum';
import { weightLink, weightLinkProver, type WeightLink, type WeightLinkProver } from './weight-link';

/** Shape of a {@link MatmulBlock}. */
export interface MatmulOptions {
  /** Rows of A and C. */
  readonly m: number;
  /** Inner dimension: length of the rows of A and B. */
  readonly k: number;
  /** Rows of B = length of the rows of C. */
  readonly n: number;
  /** B is committed once at setup (weights) and bound by the model commitment; default false. */
  readonly fixedB?: boolean;
  /** Domain of the rows of A and B (default: the next power of two ≥ k). */
  readonly innerDomain?: number;
  /** Domain of the rows of C (default: the next power of two ≥ n). */
  readonly outerDomain?: number;
  /**
   * The flat layout (module comment): A is one row on H_{M·K} (cell (i, j) at i·K + j) and C one row on H_{M·N}
   * (cell (i, l) at i·N + l), M the next power of two ≥ m (rows i ≥ m are padding). Default false: one committed row
   * per row of A and C.
   */
  readonly flat?: boolean;
  /**
   * Flat layout with a committed B only (module comment, "Flat B"): B is ONE committed row on H_{N·K} holding cell
   * (l, j) at `l·K + j` (`'row-major'`: B's rows laid flat, as a flat K is for `Q·Kᵀ`) or at `j·N + l`
   * (`'column-major'`: the right operand Bᵀ laid flat, as a flat V is for `P·V`). Default: n committed rows on H_K.
   */
  readonly flatB?: FlatOperandOrder;
  /**
   * Flat layout with fixed weights only (module comment, "Several products of one A"): the number T of products
   * `C_t = A·B_tᵀ` proven as one, each with its own weights B_t (tensor `b` for t = 0, `b<t>` after) and output C_t
   * (`c`, `c<t>`). Default 1.
   */
  readonly products?: number;
}

/** Where a flat B holds its cell (l, j): `l·K + j` (row-major) or `j·N + l` (column-major). */
export type FlatOperandOrder = 'row-major' | 'column-major';

const SUMS = 's';
const PAD = 'pad';
const PAD_ROWS = 'pad-rows';
const B_PAD_ROWS = 'b-pad-rows';
const B_PAD_COLUMNS = 'b-pad-columns';
const BETAS = 'betas';
const COMB_W = 'comb/w';
// The flat layout: its message P, its public vectors e (`δ^(j+1)`) and the weights' vector (u, or v with a flat B),
// its one claim on the largest of H_{MK}, H_{MN} (and a flat B's H_{NK}), closing on 0.
const P_SLOT = '[p]';
const DELTAS = 'deltas';
const V = 'v';
const FLAT_A = 'flat/a';

/** The gadgets of the flat layout (module comment, "Flat layout", step 4). */
interface FlatSums {
  /**
   * The one row-weighted claim, closing on 0, on the largest of H_{MK}, H_{MN} (and with a flat B H_{NK}), in M rows
   * weighted by α: `P·(A + e) − Σ_t C_t·b_t − w·u` (flat B: `− B·u`), every side on a smaller domain read at the points
   * of its subgroup.
   */
  readonly rows: SumClaim;
  /** The weights of product 0's N columns (`β^l`, Horner order with a flat B), which a flat B's prover combines by. */
  readonly columnWeights: (v: SlotValues) => bigint[];
  /**
   * e (period K, spread to the claim's rows), b_t (period N, `β^(t·N)·b`, one per product, spread likewise), and u, the
   * weight of each cell of w (B in rows) or of B (flat B), zero off their subgroup. The prover's summands read them.
   */
  readonly e: PublicPoly;
  readonly b: readonly PublicPoly[];
  readonly v: PublicPoly;
  /** The indicators the claim reads the smaller of H_{MK}, H_{MN} through (none when K = N). */
  readonly indicators: readonly PublicPoly[];
}

/** The sums a layout proves with: the row layout's `⟨a, w⟩ = ⟨c, b⟩`, or the flat layout's one claim (a flat B's too). */
type LayoutSums = { readonly flat: false; readonly sums: EqualSums } | { readonly flat: true; readonly sums: FlatSums };

/** `C = A·Bᵀ`; see the module comment for the protocol. */
export class MatmulBlock extends PolyIopBlock implements Block {
  readonly kind = 'matmul';
  readonly foldKey: string;
  readonly tensors: readonly TensorSpec[];
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly fixedB: boolean;
  /** Whether A and C are one flat row each (module comment, "Flat layout"). */
  readonly flat: boolean;
  /** Flat layout: whether B is one committed row too, and in which order it holds B's cells (module comment, "Flat B"). */
  readonly flatB: FlatOperandOrder | undefined;
  /** T: the products of A proven as one (module comment, "Several products of one A"); 1 for one product. */
  readonly products: number;
  /** M: the rows of the flat layout, the next power of two ≥ m (rows i ≥ m are padding); m in the row layout. */
  readonly flatRows: number;
  /** K: domain of the rows of A and B. */
  readonly innerDomain: number;
  /** N: domain of the rows of C. */
  readonly outerDomain: number;
  /** Row layout: `⟨a, w⟩ = ⟨c, b⟩`, proven with no sum sent; flat layout: its one claim (a flat B's too). */
  private readonly layout: LayoutSums;
  protected readonly spec: PolyIopSpec;
  /** With fixed weights, the link of their combination w (blocks/weight-link.ts). */
  private readonly link: WeightLink | undefined;
  /** The combination w of B's rows by β (every product's, {@link MatmulOptions.products}). */
  private readonly weights: Combination;

  constructor(opts: MatmulOptions) {
    super();
    const { m, k, n } = opts;
    for (const [name, v] of Object.entries({ m, k, n })) {
      if (!Number.isInteger(v) || v < 1) throw new BlockfoldError('BLOCK', `matmul: ${name} must be a positive integer, got ${v}`);
    }
    this.m = m;
    this.k = k;
    this.n = n;
    this.fixedB = opts.fixedB ?? false;
    this.flat = opts.flat ?? false;
    this.flatB = opts.flatB;
    if (this.flatB !== undefined && (this.flatB !== 'row-major' && this.flatB !== 'column-major'))
      throw new BlockfoldError('BLOCK', `matmul: flatB must be 'row-major' or 'column-major', got ${String(this.flatB)}`);
    if (this.flatB && (!this.flat || this.fixedB))
      throw new BlockfoldError('BLOCK', 'matmul: a flat B (flatB) needs the flat layout and a committed B (fixed weights are committed as rows at setup)');
    this.products = opts.products ?? 1;
    if (!Number.isInteger(this.products) || this.products < 1) throw new BlockfoldError('BLOCK', `matmul: products must be a positive integer, got ${this.products}`);
    if (this.products > 1 && !(this.flat && this.fixedB)) throw new BlockfoldError('BLOCK', 'matmul: several products of one A (products > 1) need the flat layout and fixed weights');
    this.innerDomain = opts.innerDomain ?? nextPowerOfTwo(k);
    this.outerDomain = opts.outerDomain ?? nextPowerOfTwo(n);
    if (this.innerDomain < k || this.outerDomain < n)
      throw new BlockfoldError('BLOCK', `matmul: domains ${this.innerDomain}, ${this.outerDomain} too small for k = ${k}, n = ${n}`);
    // Flat: row i starts at cell i·K of H_{MK}, a power of two with M = pow2(m); the rows i ≥ m are padding.
    this.flatRows = this.flat ? nextPowerOfTwo(m) : m;
    const K = this.innerDomain;
    const N = this.outerDomain;
    const M = this.flatRows;
    this.foldKey = `matmul/m${m}/k${k}/n${n}/K${K}/N${N}/${this.fixedB ? 'fixed' : 'committed'}${this.flat ? '/flat' : ''}${this.flatB ? `/b-${this.flatB}` : ''}${this.products > 1 ? `/x${this.products}` : ''}`;
    const products = Array.from({ length: this.products }, (_, t) => t);
    this.tensors = [
      { name: 'a', rows: this.flat ? 1 : m, domain: this.flat ? M * K : K, role: 'input' },
      ...products.map((t): TensorSpec => (this.flatB ? { name: 'b', rows: 1, domain: N * K, role: 'input' } : { name: weightsName(t), rows: n, domain: K, role: 'input', fixed: this.fixedB })),
      ...products.map((t): TensorSpec => ({ name: outputName(t), rows: this.flat ? 1 : m, domain: this.flat ? M * N : N, role: 'output' })),
    ];
    // Fixed weights: w is opened only through a fresh re-randomization w̃ (blocks/weight-link.ts). Row l of B_t is
    // weighed by β^(t·N + l): the T products are one product with T·N output columns.
    // The rows it combines are named once; only their scalars change with the proof.
    const weightRows = products.flatMap((t) => Array.from({ length: n }, (_, l) => rowSlot(weightsName(t), l)));
    const weights: Combination = (this.weights = (v) => {
      const beta = frSlot(v, 'beta');
      const betas = powers(beta, n);
      return {
        slots: weightRows,
        scalars: products.flatMap((t) => {
          const shift = this.columnShift(beta, t);
          return betas.map((x) => Fr.mul(shift, x));
        }),
      };
    });
    this.link = this.fixedB ? weightLink('w', K, weights) : undefined;
    if (this.flat) {
      const sums = this.flatSums();
      this.layout = { flat: true, sums };
      this.spec = this.buildFlatSpec(weights, sums);
    } else {
      const sums = equalSumsGadget(SUMS, { domain: K, summand: [term(1, at('a'), at('w'))] }, { domain: N, summand: [term(1, at('c'), pub(BETAS))] });
      this.layout = { flat: false, sums };
      this.spec = this.buildSpec(weights, sums);
    }
  }

  /**
   * The column product t's output starts at among the T·N columns the block proves as one product: t·N, so that β
   * weighs every output column by its own power (module comment, "Several products of one A"). Protected so that
   * soundness tests can weigh every product alike and see the outputs' swap that the distinct powers prevent.
   */
  protected productColumn(t: number): number {
    return t * this.outerDomain;
  }

  /** `β^(productColumn(t))`: the factor by which product t's column weights follow the first product's. */
  private columnShift(beta: bigint, t: number): bigint {
    return Fr.pow(beta, BigInt(this.productColumn(t)));
  }

  /** Whether the block proves that A's padding columns are zero (whenever k < K, B fixed or not). */
  get checksPadding(): boolean {
    return this.k < this.innerDomain;
  }

  /** Whether the block proves that A's padding rows are zero (the flat layout with m < M, module comment step 6). */
  get checksPaddingRows(): boolean {
    return this.flatRows > this.m;
  }

  /** Whether the block proves that a flat B's padding rows l ≥ n are zero (module comment, "Flat B", step 5). */
  get checksOperandPaddingRows(): boolean {
    return this.flatB !== undefined && this.n < this.outerDomain;
  }

  /** Whether the block proves that a flat B's padding columns j ≥ k are zero (module comment, "Flat B", step 5). */
  get checksOperandPaddingColumns(): boolean {
    return this.flatB !== undefined && this.k < this.innerDomain;
  }

  /**
   * The identities that pin A's padding to zero (module comment). Whenever k < K: `a·pad = 0` on A's domain, pad the
   * public indicator of the columns j ≥ k (on H_K, or periodic of period K on H_{MK} in the flat layout). Flat layout
   * with m < M: `a·padRows = 0` on H_{MK}, padRows the public indicator of the cells `x ≥ m·K` (the rows i ≥ m). A
   * flat B, on H_{NK}: with n < N, `b·padRowsB = 0`, padRowsB the indicator of B's rows l ≥ n, the cells `x ≥ n·K`
   * (row-major, a contiguous run) or `x mod N ≥ n` (column-major, periodic of period N); with k < K, `b·padColumnsB
   * = 0`, the indicator of its columns j ≥ k, `x mod K ≥ k` (row-major, periodic) or `x ≥ k·N` (column-major).
   */
  private paddingCheck(): { publics: PublicPoly[]; identities: Identity[] } {
    const K = this.innerDomain;
    const domain = this.flat ? this.flatRows * K : K;
    const publics: PublicPoly[] = [];
    const identities: Identity[] = [];
    if (this.checksPadding) {
      const indicator = () => Array.from({ length: K }, (_, j) => (j >= this.k ? 1n : 0n));
      publics.push(this.flat ? periodicVector(PAD, domain, K, indicator) : publicVector(PAD, K, indicator));
      identities.push({ name: 'a-padding', domain, terms: [term(1, at('a'), pub(PAD))] });
    }
    if (this.checksPaddingRows) {
      const firstPadding = this.m * K;
      publics.push(publicVector(PAD_ROWS, domain, () => Array.from({ length: domain }, (_, x) => (x >= firstPadding ? 1n : 0n))));
      identities.push({ name: 'a-padding-rows', domain, terms: [term(1, at('a'), pub(PAD_ROWS))] });
    }
    // A flat B's rows (l ≥ n) and columns (j ≥ k) of padding: in each order, one of them is a contiguous run of
    // H_{NK} and the other periodic.
    const N = this.outerDomain;
    const flatPadding = (name: string, identity: string, contiguous: boolean, run: number, period: number, real: number) => {
      publics.push(
        contiguous
          ? publicVector(name, N * K, () => Array.from({ length: N * K }, (_, x) => (x >= run ? 1n : 0n)))
          : periodicVector(name, N * K, period, () => Array.from({ length: period }, (_, x) => (x >= real ? 1n : 0n))),
      );
      identities.push({ name: identity, domain: N * K, terms: [term(1, at('b'), pub(name))] });
    };
    const rowMajor = this.flatB === 'row-major';
    if (this.checksOperandPaddingRows) flatPadding(B_PAD_ROWS, 'b-padding-rows', rowMajor, this.n * K, N, this.n);
    if (this.checksOperandPaddingColumns) flatPadding(B_PAD_COLUMNS, 'b-padding-columns', !rowMajor, this.k * N, K, this.k);
    return { publics, identities };
  }

  private buildSpec(weights: Combination, sums: EqualSums): PolyIopSpec {
    const { m, link } = this;
    const K = this.innerDomain;
    const N = this.outerDomain;
    const g1 = (name: string, origin: SlotDecl['origin']): SlotDecl => ({ name, sort: 'g1', origin });
    const rowSlots = (t: string, rows: number) => Array.from({ length: rows }, (_, i) => rowSlot(t, i));
    const statement = rowStatementSlots(this.tensors);

    const alphas = (t: string): Combination => (v) => ({ slots: rowSlots(t, m), scalars: powers(frSlot(v, 'alpha'), m) });
    // With fixed weights the link derives the commitment w̃ is read by, and [w]₁ alone is never needed.
    const combinations: Record<string, Combination> = { 'comb/a': alphas('a'), ...(link ? {} : { [COMB_W]: weights }), 'comb/c': alphas('c') };
    const padding = this.paddingCheck();
    const publics: PublicPoly[] = [publicVector(BETAS, N, (v) => powers(frSlot(v, 'beta'), N)), ...padding.publics, ...sums.publics];
    return {
      foldKey: this.foldKey,
      statement,
      slots: [
        { name: 'alpha', sort: 'fr', origin: 'challenge' },
        { name: 'beta', sort: 'fr', origin: 'challenge' },
        g1('comb/a', 'derived'),
        ...(link ? [] : [g1(COMB_W, 'derived')]),
        g1('comb/c', 'derived'),
        ...sums.slots,
        ...(link?.slots ?? []),
      ],
      rounds: [
        { kind: 'challenge', slots: ['alpha', 'beta'] },
        combinationStep(combinations),
        ...(sums.slots.length > 0 || link ? [{ kind: 'message' as const, slots: [...sums.slots.map((d) => d.name), ...(link ? [link.message] : [])] }] : []),
        ...(link?.rounds ?? []),
      ],
      oracles: [
        { name: 'a', domain: K, commitment: 'comb/a', combination: combinations['comb/a'] },
        this.weightOracle(weights),
        { name: 'c', domain: N, commitment: 'comb/c', combination: combinations['comb/c'] },
        ...sums.oracles,
        ...(link ? [link.vanishing] : []),
      ],
      publics,
      identities: [...padding.identities, ...(link ? [link.identity] : [])],
      sums: sums.sums,
      ...(link ? { selfBlinded: link.selfBlinded } : {}),
    };
  }

  /** The oracle w on H_K: the derived combination of B's rows, or with fixed weights its linked re-randomization w̃. */
  private weightOracle(weights: Combination): Oracle {
    return this.link ? this.link.oracle : { name: 'w', domain: this.innerDomain, commitment: COMB_W, combination: weights };
  }

  /** The flat layout's one claim and its public vectors (module comment, step 4; "Flat B", step 4). */
  private flatSums(): FlatSums {
    const M = this.flatRows;
    const K = this.innerDomain;
    const N = this.outerDomain;
    // Rows of A and C are read as rows of a row-weighted claim, and the shorter one's through a subgroup.
    if (!isPowerOfTwo(K) || !isPowerOfTwo(N)) throw new BlockfoldError('BLOCK', `matmul (flat): the row length must be a power of two, got K = ${K} and N = ${N}`);
    // The claim's domain: the largest of H_{MK}, H_{MN} and a flat B's H_{NK}; its M rows of rowLength cells (a
    // multiple of K and of N: all are powers of two, and NK > M·max(K, N) only when N > M and K > M).
    const domain = Math.max(M * K, M * N, this.flatB ? N * K : 0);
    const rowLength = domain / M;
    // A flat B's row-weighted sum weighs its rows by Horner powers, highest first: e_j = δ^(K−j) and b_l = β^(N−1−l)
    // there (module comment, "Flat B"), δ^(j+1) and β^l otherwise.
    const deltas = (v: SlotValues) => horner(powers(frSlot(v, 'delta'), K + 1).slice(1), this.flatB);
    const betas = (v: SlotValues) => horner(powers(frSlot(v, 'beta'), N), this.flatB);
    const productWeights = (v: SlotValues, t: number) => {
      const shift = this.columnShift(frSlot(v, 'beta'), t);
      return betas(v).map((x) => Fr.mul(shift, x));
    };
    // The side on the smaller domain, rows of `length` < rowLength cells, is read on the claim's domain at the points
    // of its subgroup: its cell (i, j) is cell (i, j·rowLength/length) there, in the same row, so it keeps its row
    // weight; its oracles are read through the subgroup's indicator and its periodic vector is spread to the period
    // rowLength (zero on the other columns, which the indicator leaves unread).
    const indicatorOf = (length: number) => (length < rowLength ? [subgroupIndicatorPoly(M * length, domain)] : []);
    const through = (length: number) => indicatorOf(length).map((i) => pub(i.name));
    const spread = (x: bigint[], length: number) => {
      const step = rowLength / length;
      return Array.from({ length: rowLength }, (_, c) => (c % step === 0 ? x[c / step] : 0n));
    };
    const products = Array.from({ length: this.products }, (_, t) => t);
    // `μ_0·Σ_{i<M} α^i`: the row-weighted sum over M rows of a row repeated on every row is this times its plain sum.
    const repeated = (values: SlotValues) => {
      const alpha = frSlot(values, 'alpha');
      return Fr.mul(firstRowWeight(alpha, M), powers(alpha, M).reduce((acc, x) => Fr.add(acc, x), 0n));
    };
    const rows = sumClaim({
      name: FLAT_A,
      domain,
      summand: [
        term(1, at('p'), at('a'), ...through(K)),
        term(1, at('p'), pub(DELTAS), ...through(K)),
        ...products.map((t) => term(-1, at(outputName(t)), pub(betasName(t)), ...through(N))),
        term(-1, at(this.flatB ? 'b' : 'w'), pub(V)),
      ],
      rowWeights: { challenge: 'alpha', rowLength },
    });
    return {
      rows,
      columnWeights: (values) => productWeights(values, 0),
      e: periodicVector(DELTAS, domain, rowLength, (values) => spread(deltas(values), K)),
      // Product t's columns weighed by β^(t·N + l) (a flat B has one product, weighed in Horner order).
      b: products.map((t) => periodicVector(betasName(t), domain, rowLength, (values) => spread(productWeights(values, t), N))),
      v: this.flatB ? this.operandVector(domain, deltas, betas, repeated) : this.weightVector(domain, deltas, repeated),
      indicators: [...indicatorOf(K), ...indicatorOf(N)],
    };
  }

  /**
   * The weights' side of the claim when B is in rows (module comment, step 4): w on H_K read on the claim's domain
   * H_n (n = M·max(K, N)) at the points of H_K, times u, zero off H_K ({@link subgroupVector}). The claim gives w's
   * cell j (index `j·n/K`, in row `i_j = ⌊j·M/K⌋`) the weight `μ_0·α^(M−1−i_j)`, so `u_j = μ_0·(Σ_{i<M} α^i)·e_j·α^(i_j)`
   * makes its contribution `μ_0·(Σ_{i<M} α^i)·e_j·w_j`: the row-weighted sum of w repeated on M rows.
   */
  private weightVector(n: number, deltas: (v: SlotValues) => bigint[], repeated: (v: SlotValues) => bigint): PublicPoly {
    const M = this.flatRows;
    const K = this.innerDomain;
    const values = (slots: SlotValues) => {
      const alphas = powers(frSlot(slots, 'alpha'), M);
      const scale = repeated(slots);
      return deltas(slots).map((d, j) => Fr.mul(Fr.mul(scale, d), alphas[Math.floor((j * M) / K)]));
    };
    // M = 1 and K ≥ N: w's domain is the claim's, every cell in row 0.
    return K < n ? subgroupVector(V, K, n, values) : publicVector(V, K, values);
  }

  /**
   * The weights' side of the claim with a flat B (module comment, "Flat B", step 4): B on H_{NK} read on the claim's
   * domain H_n at the points of H_{NK} (B's cell s at index `s·n/(NK)`, in row `i_s = ⌊s·M/(NK)⌋`), times u, zero off
   * H_{NK}. Cell s holds `B_lj` (row-major `s = l·K + j`, column-major `s = j·N + l`); `u_s = μ_0·(Σ_{i<M} α^i)·b_l·e_j·α^(i_s)`
   * undoes its row weight `μ_0·α^(M−1−i_s)`, so the side adds `μ_0·(Σ_{i<M} α^i)·Σ_j e_j·w_j` with the true
   * `w_j = Σ_l b_l·B_lj`, as the weights' side with B in rows does with the derived w.
   */
  private operandVector(n: number, deltas: (v: SlotValues) => bigint[], betas: (v: SlotValues) => bigint[], repeated: (v: SlotValues) => bigint): PublicPoly {
    const M = this.flatRows;
    const K = this.innerDomain;
    const N = this.outerDomain;
    const rowMajor = this.flatB === 'row-major';
    const values = (slots: SlotValues) => {
      const [e, b, alphas] = [deltas(slots), betas(slots), powers(frSlot(slots, 'alpha'), M)];
      const scale = repeated(slots);
      return Array.from({ length: N * K }, (_, s) => {
        const [l, j] = rowMajor ? [Math.floor(s / K), s % K] : [s % N, Math.floor(s / N)];
        return Fr.mul(Fr.mul(scale, Fr.mul(b[l], e[j])), alphas[Math.floor((s * M) / (N * K))]);
      });
    };
    return N * K < n ? subgroupVector(V, N * K, n, values) : publicVector(V, N * K, values);
  }

  private buildFlatSpec(weights: Combination, sums: FlatSums): PolyIopSpec {
    const { flatRows: M, link } = this;
    const K = this.innerDomain;
    const N = this.outerDomain;
    const padding = this.paddingCheck();
    const publics: PublicPoly[] = [sums.e, ...sums.b, sums.v, ...sums.indicators, ...padding.publics];
    // A flat B is read in place: no combination of rows to derive.
    const derived = !link && !this.flatB;
    return {
      foldKey: this.foldKey,
      statement: rowStatementSlots(this.tensors),
      slots: [
        { name: 'beta', sort: 'fr', origin: 'challenge' },
        ...(derived ? [{ name: COMB_W, sort: 'g1' as const, origin: 'derived' as const }] : []),
        { name: P_SLOT, sort: 'g1', origin: 'message' },
        { name: 'alpha', sort: 'fr', origin: 'challenge' },
        { name: 'delta', sort: 'fr', origin: 'challenge' },
        ...(link?.slots ?? []),
      ],
      rounds: [
        { kind: 'challenge', slots: ['beta'] },
        ...(derived ? [combinationStep({ [COMB_W]: weights })] : []),
        { kind: 'message', slots: [P_SLOT, ...(link ? [link.message] : [])] },
        ...(link?.rounds ?? []),
        { kind: 'challenge', slots: ['alpha', 'delta'] },
      ],
      oracles: [
        { name: 'a', domain: M * K, commitment: rowSlot('a', 0) },
        this.flatB ? { name: 'b', domain: N * K, commitment: rowSlot('b', 0) } : this.weightOracle(weights),
        ...Array.from({ length: this.products }, (_, t) => ({ name: outputName(t), domain: M * N, commitment: rowSlot(outputName(t), 0) })),
        { name: 'p', domain: M * K, commitment: P_SLOT },
        ...(link ? [link.vanishing] : []),
      ],
      publics: distinctPublics(publics, this.foldKey),
      identities: [...padding.identities, ...(link ? [link.identity] : [])],
      sums: [sums.rows],
      sharedChallenges: ['alpha'],
      ...(link ? { selfBlinded: link.selfBlinded } : {}),
    };
  }

  /**
   * `C_il = Σ_j A_ij·B_lj` over the integers. Flat layout: a is one row of m·K cells (cell (i, j) at i·K + j, zero
   * for j ≥ k) and c one row of m·N cells (zero for l ≥ n); the padding rows i ≥ m are the zeros a row is committed
   * with up to M·K and M·N cells. A flat B is one row of n·K cells (row-major: row l at l·K, zero for j ≥ k) or of
   * k·N cells (column-major: column j at j·N, zero for l ≥ n); its padding up to N·K cells is the commitment's zeros.
   * Several products: `C_t = A·B_tᵀ` for each, from the weights `b`, `b1`, … into `c`, `c1`, …
   */
  witness(inputs: Tensors): Tensors {
    const a = inputs.a;
    const rowsOfA = this.flat ? 1 : this.m;
    const out: Record<string, bigint[][]> = {};
    for (let t = 0; t < this.products; t++) {
      const name = weightsName(t);
      const b = this.flatB && inputs.b ? this.operandRows(inputs.b) : inputs[name];
      if (!a || !b || a.length !== rowsOfA || b.length !== this.n) throw new BlockfoldError('BLOCK', `matmul: expected a (${rowsOfA} rows) and ${name} (${this.n} rows)`);
      for (const row of b) if (row.length !== this.k) throw new BlockfoldError('BLOCK', `matmul: rows of ${name} must have length ${this.k}`);
      out[outputName(t)] = this.product(a, b);
    }
    return out;
  }

  /** C = A·Bᵀ over the integers for one B of n rows of k cells, in A's layout (row or flat). */
  private product(a: readonly (readonly bigint[])[], b: readonly (readonly bigint[])[]): bigint[][] {
    const product = (ar: readonly bigint[]) =>
      b.map((br) => {
        let acc = 0n;
        for (let j = 0; j < this.k; j++) acc += ar[j] * br[j];
        return acc;
      });
    if (!this.flat) {
      for (const row of a) if (row.length !== this.k) throw new BlockfoldError('BLOCK', `matmul: rows of a must have length ${this.k}`);
      return a.map(product);
    }
    const K = this.innerDomain;
    const N = this.outerDomain;
    const flatA = a[0];
    if (flatA.length !== this.m * K) throw new BlockfoldError('BLOCK', `matmul (flat): a must be one row of m·K = ${this.m * K} cells, got ${flatA.length}`);
    const c = new Array<bigint>(this.m * N).fill(0n);
    for (let i = 0; i < this.m; i++) {
      const row = flatA.slice(i * K, (i + 1) * K);
      const padding = row.findIndex((x, j) => j >= this.k && x !== 0n);
      if (padding >= 0) throw new BlockfoldError('BLOCK', `matmul (flat): cell (${i}, ${padding}) of a is padding (column ≥ k = ${this.k}) and must be 0`);
      product(row).forEach((x, l) => (c[i * N + l] = x));
    }
    return [c];
  }

  /** A flat B's n rows of k cells, read from its one row in the block's order; its padding cells must be 0. */
  private operandRows(b: readonly (readonly bigint[])[]): bigint[][] {
    const { n, k } = this;
    const [K, N] = [this.innerDomain, this.outerDomain];
    const rowMajor = this.flatB === 'row-major';
    const length = rowMajor ? n * K : k * N;
    if (b.length !== 1 || b[0].length !== length)
      throw new BlockfoldError('BLOCK', `matmul (flat B, ${this.flatB}): b must be one row of ${rowMajor ? `n·K = ${length}` : `k·N = ${length}`} cells`);
    const flat = b[0];
    const padding = flat.findIndex((x, f) => x !== 0n && (rowMajor ? f % K >= k : f % N >= n));
    if (padding >= 0) throw new BlockfoldError('BLOCK', `matmul (flat B, ${this.flatB}): cell ${padding} of b is padding and must be 0`);
    return Array.from({ length: n }, (_, l) => Array.from({ length: k }, (_, j) => flat[rowMajor ? l * K + j : j * N + l]));
  }

  /** The block's side of the poly-IOP prover: its own rounds and its oracles' polynomials. */
  iopProver(ctx: BlockContext, tensors: Tensors): PolyIopProver {
    // Fixed weights: r keyed by β, which differs between members whp.
    const link = this.link;
    const linkProver = link && weightLinkProver(ctx, link, this.innerDomain, (v) => `matmul/${this.foldKey}/${frSlot(v, 'beta')}`);
    const layout = this.layout;
    return layout.flat ? this.flatProver(ctx, tensors, layout.sums, linkProver) : this.rowProver(ctx, tensors, layout.sums, linkProver);
  }

  private rowProver(ctx: BlockContext, tensors: Tensors, equalSums: EqualSums, linkProver: WeightLinkProver | undefined): PolyIopProver {
    const K = this.innerDomain;
    const N = this.outerDomain;
    const rowsOf = (t: string, n: number) => tensors[t].map((r) => rowEvaluations(r, n));
    const a = rowsOf('a', K);
    const b = rowsOf('b', K);
    const c = rowsOf('c', N);
    // The row combinations by α and β (the one round, if any, and the polynomials read them).
    const combine = (v: SlotValues) => {
      const alphas = powers(frSlot(v, 'alpha'), this.m);
      const betas = powers(frSlot(v, 'beta'), this.n);
      return { a: combineRowValues(a, alphas), w: combineRowValues(b, betas), c: combineRowValues(c, alphas) };
    };
    let sumPolys: Record<string, bigint[]> = {};
    return {
      round: async (_decls, v) => {
        const combined = combine(v);
        const sums = await equalSumsProver(ctx.kzg, equalSums, summandValues([{ u: combined.a, v: combined.w }]));
        sumPolys = sums.polys;
        return linkProver ? { ...sums.messages, ...(await linkProver.messages(v)) } : sums.messages;
      },
      polynomials: (v) => {
        const combined = combine(v);
        return {
          a: interpolate(combined.a, ctx.engine),
          ...this.weightPolynomials(interpolate(combined.w, ctx.engine), linkProver),
          c: interpolate(combined.c, ctx.engine),
          ...sumPolys,
        };
      },
    };
  }

  /** The oracle w from the interpolant of the combined weights, or with fixed weights the link's w̃ and e. */
  private weightPolynomials(w: bigint[], linkProver: WeightLinkProver | undefined): Record<string, bigint[]> {
    return linkProver ? linkProver.polynomials(w) : { w };
  }

  /**
   * The flat layout's P on H_{MK} (module comment, step 2): w on every row, `P_(i·K + j) = w_j`. `values` holds the
   * slots so far (β). Protected so that soundness tests can substitute a P that is not w repeated.
   */
  protected repeatedWeights(w: readonly bigint[], _values: SlotValues): bigint[] {
    return Array.from({ length: this.flatRows * this.innerDomain }, (_, x) => w[x % this.innerDomain]);
  }

  private flatProver(ctx: BlockContext, tensors: Tensors, sums: FlatSums, linkProver: WeightLinkProver | undefined): PolyIopProver {
    const M = this.flatRows;
    const K = this.innerDomain;
    const N = this.outerDomain;
    const a = rowEvaluations(tensors.a[0], M * K);
    // B: n rows on H_K, or one flat row on H_{NK} (cell (l, j) at `order(l, j)`).
    const flatB = this.flatB;
    // Fixed weights of several products: every product's rows, in the order the combination weighs them.
    const weightRows = Array.from({ length: this.products }, (_, t) => tensors[weightsName(t)]).flat();
    const b = flatB ? [rowEvaluations(tensors.b[0], N * K)] : weightRows.map((r) => rowEvaluations(r, K));
    const order = flatB === 'row-major' ? (l: number, j: number) => l * K + j : (l: number, j: number) => j * N + l;
    const c = Array.from({ length: this.products }, (_, t) => rowEvaluations(tensors[outputName(t)][0], M * N));
    let w: bigint[] = [];
    let p: bigint[] = [];
    return {
      // The block's one round: P (and the link's E); the claim is the compiler's running sum.
      round: async (decls, v) => {
        if (decls[0]?.name !== P_SLOT) throw new BlockfoldError('BLOCK', `matmul (flat) sends [p] only (asked for ${decls.map((d) => d.name).join(', ')})`);
        w = flatB ? combineFlatRows(b[0], sums.columnWeights(v), K, order) : combineRowValues(b, [...this.weights(v).scalars]);
        p = this.repeatedWeights(w, v);
        return { [P_SLOT]: await commitLagrange(ctx.kzg, p), ...(linkProver ? await linkProver.messages(v) : {}) };
      },
      polynomials: () => ({
        a: interpolate(a, ctx.engine),
        ...(flatB ? { b: interpolate(b[0], ctx.engine) } : this.weightPolynomials(interpolate(w, ctx.engine), linkProver)),
        ...Object.fromEntries(c.map((ct, t) => [outputName(t), interpolate(ct, ctx.engine)])),
        p: interpolate(p, ctx.engine),
      }),
    };
  }
}

/** `x` in the order a flat B's running sum weighs it (module comment, "Flat B"): reversed, highest power first. */
function horner(x: bigint[], flatB: FlatOperandOrder | undefined): bigint[] {
  return flatB ? x.reverse() : x;
}

/** `w_j = Σ_{l<N} b_l·B(order(l, j))` for j < K: the rows of a flat B combined by the weights b, read in place. */
function combineFlatRows(flat: readonly bigint[], weights: readonly bigint[], K: number, order: (l: number, j: number) => number): bigint[] {
  return Array.from({ length: K }, (_, j) => weights.reduce((acc, bl, l) => (acc + bl * flat[order(l, j)]) % R, 0n));
}

/**
 * The block's names of product t's tensors (option `products`): its weights B_t (`b`, then `b1`, `b2`, …) and its
 * output `C_t = A·B_tᵀ` (`c`, then `c1`, `c2`, …).
 */
export function productTensors(t: number): { readonly weights: string; readonly output: string } {
  return t === 0 ? { weights: 'b', output: 'c' } : { weights: `b${t}`, output: `c${t}` };
}

const weightsName = (t: number) => productTensors(t).weights;
const outputName = (t: number) => productTensors(t).output;

/** The public vector b_t, product t's column weights: `betas`, then `betas1`, … */
function betasName(t: number): string {
  return t === 0 ? BETAS : `${BETAS}${t}`;
}
