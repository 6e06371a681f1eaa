/**
 * Weighted rows `C = W·B`: W is a fixed m×k matrix (weights, m rows of length k over H_K, committed at setup in the
 * model commitment), B has k rows of length n and C has m rows of length n (both over H_N). Row c of C is the
 * combination `Σ_j W_cj·B_j` of the rows of B. This is a channel-major convolution: B holds one row of P output
 * positions per kernel tap and input channel, W the kernel matrix, C one row per output channel; few long rows
 * instead of one short row per position (MatmulBlock, `C = A·Bᵀ`, needs the inner dimension along rows).
 *
 * Protocol (all rows in one instance):
 * 1. statement `[W_c]₁`, `[B_j]₁`, `[C_c]₁`; challenges α, β;
 * 2. derived (verifier MSMs) `a = Σ_c α^c·W_c` (H_K) and `c = Σ_c α^c·C_c` (H_N);
 * 3. messages `[p]₁` with `p_j = ⟨B_j, β⃗_n⟩` for j < k and 0 on H_K's padding, where `β⃗_n = (β^l)_{l<n}`, zero on
 *    l ≥ n; running sums proving `⟨a, p⟩ = ⟨c, β⃗_N⟩` (over H_K and H_N), with `β⃗_N = (β^l)_{l<N}`;
 * 4. challenge γ (after p); derived `b = Σ_j γ^j·B_j` (H_N);
 * 5. running sums proving `⟨b, β⃗_n⟩ = ⟨p, γ⃗⟩` (over H_N and H_K), `γ⃗ = (γ^j)_{j<K}`.
 * 6. a combines fixed weights, so it is never opened itself: step 3 also sends `E = [Z_K·r]₁`, the running sum over
 *    H_K reads the derived `[ã]₁ = [a]₁ + E`, and the identity `e = 0` on H_K (e committed by E, never evaluated)
 *    makes ã = a on H_K (`blocks/weight-link.ts`).
 * The public vectors β⃗_n, β⃗_N, γ⃗ are evaluated at ζ by the verifier itself (rule 4).
 * Steps 3 and 5 send no sum (`equalSumsGadget`, `blocks/running-sum.ts`): the common values `s = αᵀ·W·B·β⃗_n`
 * (linear in the weights) and `t` stay hidden, behind a blinded hidden scalar each when K ≠ N, and with K = N
 * each pair is one running sum of the difference closing on 0.
 *
 * Why it is sound (no degree bound anywhere, docs/soundness.md rule 3; every sum is a running sum closed on H):
 * - Step 5 says `Σ_{j<K} γ^j·p_j = Σ_{j<k} γ^j·⟨B_j, β⃗_n⟩`. p is committed before γ, so as a polynomial identity in
 *   γ of degree < K it holds whp only if `p_j = ⟨B_j, β⃗_n⟩` for j < k and `p_j = 0` for k ≤ j < K. So p is pinned:
 *   the prover chose it after seeing β but had no freedom left, and its padding is zero, so the padding of W (zero
 *   at setup anyway) never enters `⟨a, p⟩`.
 * - Substituting p, step 3 says `Σ_c α^c Σ_{l<N} β^l·C_cl = Σ_c α^c Σ_{l<n} β^l Σ_{j<k} W_cj·B_jl`. Everything in it
 *   was fixed in the statement before α, β: a polynomial identity in (α, β) of degree < m + N, so whp
 *   `C_cl = Σ_{j<k} W_cj·B_jl` for l < n and `C_cl = 0` on C's padding l ≥ n (pinned, as every block output).
 *   B's padding cells (l ≥ n) are masked out by β⃗_n: they never enter the relation, whatever the prover put there.
 * Soundness uses nothing about W beyond its commitments in the statement (its padding is cancelled by p's), so the
 * protocol would serve a committed W as well; `fixed` says where W comes from (the model commitment, rule 5).
 * Error ≤ (m + N + K + the quotient and opening terms)/|Fr| by Schwartz–Zippel. As with MatmulBlock the relation
 * holds in Fr; the compiler bounds every value far below r/2 (rule 9), so it holds over the integers.
 *
 * Messages of the block (K ≠ N): G1 `[p]`, 2 hidden scalars, 4 running sums; Fr: evaluations at ζ of a, p, c, b,
 * the 2 hidden scalars and the 4 accumulators, and the 4 accumulators at ω·ζ; plus the weight link's. With K = N:
 * `[p]`, 2 running sums, and their evaluations. Independent of m, k, n.
 *
 * **Flat layout** (`flat: true`). The im2col copy that writes B, and whatever reads C, keep tensors as one flat row;
 * the row layout commits k rows of B and m rows of C (one commitment each, and a copy of C into a flat row). Here B
 * is one row on H_{K·N} (cell (j, l) at `j·N + l`, the rows k ≤ j < K padding) and C one row on H_{M·N}, M = pow2(m)
 * (cell (c, l) at `c·N + l`, the rows c ≥ m padding); W keeps its m committed rows on H_K. With n = N a power of two
 * and k·n cells zero-padded to pow2(k·n) = K·N, this is the compiler's flat row-major tensor, read in place. No row
 * has a commitment of its own, so the rows of B and C are weighed in place by row-weighted running sums
 * (`blocks/running-sum.ts`, Horner form: rows of N weighted by `α^(rows−1−i)`), and the rows of W, which are
 * committed, by an MSM with the same weights. Protocol:
 * 1. statement `[W_c]₁`, `[B]₁`, `[C]₁`; challenge β;
 * 2. message `[p]₁`, `p_j = ⟨B_j, β⃗_n⟩` for every j < K (padding rows included);
 * 3. challenge α (after p; in a model argument the flat blocks' one shared α, `PolyIopSpec.sharedChallenges`);
 *    the combination `a = Σ_{c<m} μ_0·α^(M−1−c)·W_c` of the weight rows on H_K, `μ_0 = α^(1−M)`, read only through its
 *    weight link: E sent in step 4, the derived `[ã]₁ = [a]₁ + E`, the identity `e = 0` on H_K;
 * 4. hidden scalars `G_s`, `G_t` and four claims, none sending its value:
 *    - over H_{MN}, rows of N weighted by α: `C·β⃗_N` (β⃗_N = (β^l)_{l<N}, periodic of period N), closing on `G_s`;
 *    - over H_K: `ã·p·[j < k]` (the mask only when k < K), closing on `G_s`;
 *    - over H_{KN}, rows of N weighted by α: `B·β⃗_n` (β^l for l < n, 0 on the padding columns; period N), closing
 *      on `G_t`;
 *    - over H_K, rows of one cell weighted by α: p, closing on `G_t`.
 * The verifier evaluates β⃗_N and β⃗_n in O(N) (`periodicVector`), the mask in O(K), the three multipliers in O(log).
 *
 * Why it is sound. A row-weighted claim over R rows closes on `α^(1−R)·Σ_i α^(R−1−i)·(row sum i)`; the two claims
 * on G_t both have K rows, and the claim over H_K on G_s carries its factor `μ_0 = α^(1−M)` in ã. So, after dividing
 * by `α^(1−K)` and `α^(1−M)` (nonzero):
 *
 *   `Σ_{j<K} α^(K−1−j)·(⟨B_j, β⃗_n⟩ − p_j) = 0` and `Σ_{c<M} α^(M−1−c)·(⟨C_c, β⃗_N⟩ − Σ_{j<k} W_cj·p_j) = 0`,
 *
 * with W_c = 0 for c ≥ m (a has no term there) and ã = a on H_K by the weight link. B, C and W are in the statement
 * and p is committed before α, so both are polynomials in α of degree < K and < M with coefficients fixed before α
 * (in a model argument α is drawn after every sharing block's messages before it): whp every coefficient vanishes.
 * The first gives `p_j = ⟨B_j, β⃗_n⟩` for every j < K: p is pinned although the prover chose it after β. The second
 * then reads, row by row, `Σ_{l<N} β^l·C_cl = Σ_{l<n} β^l·Σ_{j<k} W_cj·B_jl`: a polynomial identity in β of degree
 * < N whose coefficients were fixed in the statement before β, so whp `C_cl = Σ_{j<k} W_cj·B_jl` for c < m, l < n,
 * and `C_cl = 0` on C's padding columns l ≥ n and on its padding rows c ≥ m (whatever a consumer reads there is
 * pinned). B's padding is **provably ignored**, never trusted: its columns l ≥ n are zero in β⃗_n, and its rows j ≥ k
 * enter only p_j, which the mask keeps out of the sum over H_K, so W's padding columns (which the model owner, the
 * prover, commits at setup and the verifier never sees) meet nothing either. Without the mask a prover with garbage
 * in both could shift C (`test/blocks/flat-weighted-rows.test.ts`); without the claims on G_t, a p chosen after β
 * fits a false C (the same test builds both specs and forges C). Error ≤ (K + M + N)/r plus the compiler's quotient
 * and opening terms; as in the row layout the relation holds in Fr and the compiler bounds every value far below r/2.
 *
 * Zero knowledge: B and C are statement rows the pipeline blinds; both enter only linearly, so they are linearized
 * and no evaluation of theirs is revealed. p, the accumulators and the hidden scalars are blinded message oracles (so
 * `p(ζ)` is uniform), and ã is the weight link's fresh re-randomization, its blinding keyed by β, the block's own challenge (α is
 * shared): no evaluation of the weights is revealed. `G_s = μ_0·Σ_c α^(M−1−c)·⟨C_c, β⃗_N⟩` (linear in the weights
 * once B is public) and G_t stay hidden, as the row layout's s and t.
 *
 * Proof: `[p]₁`, `[G_s]₁`, `[G_t]₁`, four accumulators (three when M = K: the claims over C and B share H_{MN} and
 * their multiplier), the evaluations at ζ of ã, p, the hidden scalars and the accumulators, and of the accumulators
 * at ω·ζ, and the link's E; none of it grows with m, k or n. In a model argument the claim over C
 * shares its accumulator with the flat matmuls' claims on H_{MN} in rows of N.
 *
 * **B in several rows** (`patchDomain` D, N ≤ D < K·N). An im2col patch matrix holds each input cell once per kernel
 * tap, so one flat row of K·N cells can be the graph's largest domain by far, and that domain sets the size of the
 * quotient, of the opening polynomials and of the SRS. Here B is R = ⌈k·N/D⌉ committed rows of D cells, t = D/N rows
 * of B each: row j = r·t + i of B at cell i·N + l of committed row r; rows j ≥ R·t are zero (not committed), and the
 * rows k ≤ j < R·t in the last committed row are padding like any j ≥ k. After α the verifier derives
 * `[b]₁ = Σ_r α^(−r·t)·[B_r]₁` (an MSM of R points, `combinationStep`) and the claim over B reads b on H_D instead,
 * rows of N weighted by α (`b·β⃗_n`, closing on `G_t`); everything else is as above. Unrolled, that claim closes on
 * `α^(1−t)·Σ_{i<t} α^(t−1−i)·⟨b_i, β⃗_n⟩ = Σ_r Σ_{i<t} α^(−r·t−i)·⟨B_{r·t+i}, β⃗_n⟩ = Σ_j α^(−j)·⟨B_j, β⃗_n⟩`, and the
 * claim over p on `α^(1−K)·Σ_j α^(K−1−j)·p_j = Σ_j α^(−j)·p_j`: the same two sides as with one row of B (whose
 * claim over H_{KN} closes on `Σ_j α^(−j)·⟨B_j, β⃗_n⟩` as well), so the soundness argument holds as written: times
 * `α^(K−1)` it is `Σ_{j<K} α^(K−1−j)·(⟨B_j, β⃗_n⟩ − p_j) = 0`, a polynomial in α of degree < K whose coefficients (B's
 * committed rows and p) are fixed before α, so whp `p_j = ⟨B_j, β⃗_n⟩` for every j < K (0 beyond the committed rows).
 * α is nonzero whp, so `α^(−1)` exists. B's padding stays provably ignored: its columns by β⃗_n, its rows j ≥ k by
 * W's mask. The combination is a blinded statement oracle like the rows it combines (their blindings combined), and
 * still enters only linearly. Proof: the same messages (the block's R rows are R statement commitments instead of
 * one); the fold key ends in `/D<D>`.
 * @module
 */
import type { SlotDecl, SlotValues } from '../src/equations/equation';
import { frSlot } from '../src/equations/evaluate';
import type { G1Point } from '../src/curve';
import { BlockfoldError } from '../src/errors';
import { Fr, R } from '../src/field';
import { commit, commitLagrange } from '../src/kzg/commit';
import { interpolate } from '../src/poly/interpolate';
import { isPowerOfTwo, nextPowerOfTwo } from '../src/poly/roots';
import { PolyIopBlock } from './poly-iop-block';
import type { Block, BlockContext, TensorSpec, Tensors } from './block';
import { rowEvaluations } from './commit-rows';
import {
  at,
  combinationStep,
  combineRowValues,
  periodicVector,
  type PolyIopProver,
  powers,
  pub,
  publicVector,
  rowSlot,
  rowStatementSlots,
  runningSumValues,
  term,
  type Combination,
  type PolyIopSpec,
  type PublicPoly,
  type SumClaim,
} from './poly-iop';
import {
  equalSumsGadget,
  equalSumsProver,
  firstRowWeight,
  hiddenScalar,
  hiddenScalarRound,
  sumClaim,
  summandValues,
  type EqualSums,
  type HiddenScalar,
} from './running-sum';
import { weightLink, weightLinkProver, type WeightLink, type WeightLinkProver } from './weight-link';

/** Shape of a {@link WeightedRowsBlock}. */
export interface WeightedRowsOptions {
  /** Rows of W and C. */
  readonly m: number;
  /** Length of the rows of W = number of rows of B. */
  readonly k: number;
  /** Length of the rows of B and C. */
  readonly n: number;
  /** Domain of the rows of W (default: the next power of two ≥ max(k, 2)). */
  readonly innerDomain?: number;
  /** Domain of the rows of B and C (default: the next power of two ≥ max(n, 2)). */
  readonly outerDomain?: number;
  /**
   * The flat layout (module comment, "Flat layout"): B is one row on H_{K·N} (cell (j, l) at j·N + l, rows j ≥ k
   * padding) and C one row on H_{M·N} (cell (c, l) at c·N + l, M the next power of two ≥ m, rows c ≥ m padding).
   * Default false: one committed row per row of B and C.
   */
  readonly flat?: boolean;
  /**
   * Flat layout only: the domain D of each committed row of B, a power of two from N to K·N (default K·N, one row).
   * Below K·N, B is cut into ⌈k·N/D⌉ committed rows of D/N rows of B each (module comment, "B in several rows"), so
   * B's domain need not be the graph's largest.
   */
  readonly patchDomain?: number;
}

// Equal sums: ⟨a, p⟩ = ⟨c, β⃗_N⟩ (s, over H_K and H_N), ⟨b, β⃗_n⟩ = ⟨p, γ⃗⟩ (t, over H_N and H_K).
const S = 's';
const T = 't';
const BETAS = 'betas';
const BETAS_REAL = 'betas<n';
const GAMMAS = 'gammas';
// The flat layout: the mask of W's real columns on H_K, and its four claims (module comment, "Flat layout", step 4).
const REAL_K = 'j<k';
const FLAT_C = 'flat/c';
const FLAT_A = 'flat/a';
const FLAT_B = 'flat/b';
const FLAT_P = 'flat/p';

const rowSlots = (t: string, rows: number) => Array.from({ length: rows }, (_, i) => rowSlot(t, i));
/** `Σ_c α^c·[t_c]₁` over the first `rows` rows of tensor t. */
const alphas = (t: string, rows: number): Combination => (v) => ({ slots: rowSlots(t, rows), scalars: powers(frSlot(v, 'alpha'), rows) });

/**
 * The flat layout's row weights of W: `μ_0·α^(M−1−c)` for row c < m, `μ_0 = α^(1−M)`, so that `a = Σ_c μ_0·α^(M−1−c)·W_c`
 * weighs the rows of W as the row-weighted running sum over C's M rows weighs C's (module comment, "Flat layout").
 */
function reversedAlphas(alpha: bigint, m: number, M: number): bigint[] {
  const first = firstRowWeight(alpha, M);
  return powers(alpha, M)
    .reverse()
    .slice(0, m)
    .map((x) => Fr.mul(first, x));
}

/**
 * The weights of the committed rows of a flat B cut into R rows of `t` rows of B each: `α^(−r·t)` for row r, so
 * that the claim over their combination weighs row j = r·t + i of B by `α^(−j)`, as the claim over p weighs p_j
 * (module comment, "B in several rows").
 */
function patchRowWeights(alpha: bigint, rows: number, t: number): bigint[] {
  return powers(Fr.pow(Fr.inv(alpha), BigInt(t)), rows);
}

/** The flat layout's claims, hidden scalars and public vectors (module comment, "Flat layout", step 4). */
interface FlatSums {
  /** Over H_{MN}, rows of N weighted by α: `C·β⃗_N`, closing on `G_s`. */
  readonly outputs: SumClaim;
  /** Over H_K: `ã·p` (times the mask of j < k when k < K), closing on `G_s`. */
  readonly weights: SumClaim;
  /** Over H_D (H_{KN} when B is one row), rows of N weighted by α: `B·β⃗_n` (B's rows combined), closing on `G_t`. */
  readonly patches: SumClaim;
  /** Over H_K, cells weighted by α (rows of one cell): p, closing on `G_t`. */
  readonly products: SumClaim;
  readonly outputsTotal: HiddenScalar;
  readonly productsTotal: HiddenScalar;
  /** β⃗_N on H_{MN} and β⃗_n on H_D (period N): the prover's summands read their values. */
  readonly outputsBetas: PublicPoly;
  readonly patchesBetas: PublicPoly;
  /** The mask of W's real columns j < k on H_K (when k < K). */
  readonly mask?: PublicPoly;
}

/** The sums a layout proves with: the row layout's two pairs of equal sums, or the flat layout's four claims. */
type LayoutSums = { readonly flat: false; readonly s: EqualSums; readonly t: EqualSums } | { readonly flat: true; readonly sums: FlatSums };

/** `C = W·B` for fixed W; see the module comment for the protocol. */
export class WeightedRowsBlock extends PolyIopBlock implements Block {
  readonly kind = 'weighted-rows';
  readonly foldKey: string;
  readonly tensors: readonly TensorSpec[];
  readonly m: number;
  readonly k: number;
  readonly n: number;
  /** K: domain of the rows of W (and of p); in the flat layout also B's number of rows with padding. */
  readonly innerDomain: number;
  /** N: domain of the rows of B and C. */
  readonly outerDomain: number;
  /** Whether B and C are one flat row each (module comment, "Flat layout"). */
  readonly flat: boolean;
  /** M: C's rows in the flat layout, the next power of two ≥ m (rows c ≥ m are padding); m in the row layout. */
  readonly flatRows: number;
  /** D: the domain of each committed row of the flat B (K·N when B is one row); N in the row layout. */
  readonly patchDomain: number;
  /** The committed rows of B: ⌈k·N/D⌉ in the flat layout, k in the row layout. */
  readonly patchRows: number;
  /** Row layout: `⟨a, p⟩ = ⟨c, β⃗_N⟩` (s) and `⟨b, β⃗_n⟩ = ⟨p, γ⃗⟩` (t); flat layout: its four claims. */
  private readonly layout: LayoutSums;
  protected readonly spec: PolyIopSpec;
  /** The link of a, the combination of the fixed weight rows (blocks/weight-link.ts). */
  private readonly link: WeightLink;

  constructor(opts: WeightedRowsOptions) {
    super();
    const { m, k, n } = opts;
    for (const [name, v] of Object.entries({ m, k, n })) {
      if (!Number.isInteger(v) || v < 1) throw new BlockfoldError('BLOCK', `weighted rows: ${name} must be a positive integer, got ${v}`);
    }
    this.m = m;
    this.k = k;
    this.n = n;
    this.flat = opts.flat ?? false;
    this.innerDomain = opts.innerDomain ?? nextPowerOfTwo(Math.max(k, 2));
    this.outerDomain = opts.outerDomain ?? nextPowerOfTwo(Math.max(n, 2));
    if (this.innerDomain < k || this.outerDomain < n)
      throw new BlockfoldError('BLOCK', `weighted rows: domains ${this.innerDomain}, ${this.outerDomain} too small for k = ${k}, n = ${n}`);
    const [K, N] = [this.innerDomain, this.outerDomain];
    this.flatRows = this.flat ? nextPowerOfTwo(m) : m;
    const M = this.flatRows;
    this.patchDomain = this.flat ? (opts.patchDomain ?? K * N) : N;
    const D = this.patchDomain;
    if (opts.patchDomain !== undefined && (!this.flat || !isPowerOfTwo(D) || D < N || D > K * N))
      throw new BlockfoldError('BLOCK', `weighted rows: B's row domain must be a power of two from N = ${N} to K·N = ${K * N} in the flat layout, got ${opts.patchDomain}`);
    this.patchRows = this.flat ? Math.ceil((k * N) / D) : k;
    // A cut is more than one row, so the key's bytes (D written only then) name exactly one block.
    if (this.flat && D < K * N && this.patchRows === 1)
      throw new BlockfoldError('BLOCK', `weighted rows: B's k·N = ${k * N} cells fit one row of D = ${D}: a cut B needs D < k·N, or leave patchDomain out`);
    const cut = D < K * N ? `/D${D}` : '';
    this.foldKey = `weighted-rows/m${m}/k${k}/n${n}/K${K}/N${N}${this.flat ? `/flat${cut}` : ''}`;
    this.tensors = [
      { name: 'w', rows: m, domain: K, role: 'input', fixed: true },
      { name: 'b', rows: this.patchRows, domain: this.flat ? D : N, role: 'input' },
      { name: 'c', rows: this.flat ? 1 : m, domain: this.flat ? M * N : N, role: 'output' },
    ];
    if (this.flat) {
      // a combines fixed weight rows with the row weights of C's running sum: read only through its link.
      this.link = weightLink('a', K, (v) => ({ slots: rowSlots('w', m), scalars: reversedAlphas(frSlot(v, 'alpha'), m, M) }));
      const sums = this.flatSums();
      this.layout = { flat: true, sums };
      this.spec = this.buildFlatSpec(sums);
      return;
    }
    // a combines fixed weight rows: it is opened only through a fresh re-randomization (blocks/weight-link.ts).
    this.link = weightLink('a', K, alphas('w', m));
    this.layout = {
      flat: false,
      s: equalSumsGadget(S, { domain: K, summand: [term(1, at('a'), at('p'))] }, { domain: N, summand: [term(1, at('c'), pub(BETAS))] }),
      t: equalSumsGadget(T, { domain: N, summand: [term(1, at('b'), pub(BETAS_REAL))] }, { domain: K, summand: [term(1, at('p'), pub(GAMMAS))] }),
    };
    this.spec = this.buildSpec(this.layout.s, this.layout.t);
  }

  private buildSpec(s: EqualSums, t: EqualSums): PolyIopSpec {
    const { m, k, link } = this;
    const K = this.innerDomain;
    const N = this.outerDomain;
    const g1 = (name: string, origin: SlotDecl['origin']): SlotDecl => ({ name, sort: 'g1', origin });
    const fr = (name: string, origin: SlotDecl['origin']): SlotDecl => ({ name, sort: 'fr', origin });
    const gadgets = [s, t];
    const combC = alphas('c', m);
    const combB: Combination = (v) => ({ slots: rowSlots('b', k), scalars: powers(frSlot(v, 'gamma'), k) });
    return {
      foldKey: this.foldKey,
      statement: rowStatementSlots(this.tensors),
      slots: [
        fr('alpha', 'challenge'),
        fr('beta', 'challenge'),
        g1('comb/c', 'derived'),
        g1('[p]', 'message'),
        ...s.slots,
        fr('gamma', 'challenge'),
        g1('comb/b', 'derived'),
        ...t.slots,
        ...link.slots,
      ],
      rounds: [
        { kind: 'challenge', slots: ['alpha', 'beta'] },
        combinationStep({ 'comb/c': combC }),
        { kind: 'message', slots: ['[p]', ...s.slots.map((d) => d.name), link.message] },
        ...link.rounds,
        { kind: 'challenge', slots: ['gamma'] },
        combinationStep({ 'comb/b': combB }),
        ...hiddenScalarRound(t),
      ],
      oracles: [
        link.oracle,
        { name: 'p', domain: K, commitment: '[p]' },
        { name: 'c', domain: N, commitment: 'comb/c', combination: combC },
        { name: 'b', domain: N, commitment: 'comb/b', combination: combB },
        ...gadgets.flatMap((g) => g.oracles),
        link.vanishing,
      ],
      publics: [
        publicVector(BETAS, N, (v) => powers(frSlot(v, 'beta'), N)),
        publicVector(BETAS_REAL, N, (v) => this.realBetas(frSlot(v, 'beta'))),
        publicVector(GAMMAS, K, (v) => powers(frSlot(v, 'gamma'), K)),
        ...gadgets.flatMap((g) => g.publics),
      ],
      identities: [link.identity],
      sums: gadgets.flatMap((g) => g.sums),
      selfBlinded: link.selfBlinded,
    };
  }

  /** The flat layout's four claims, their two hidden scalars and its public vectors (module comment, "Flat layout"). */
  private flatSums(): FlatSums {
    const M = this.flatRows;
    const K = this.innerDomain;
    const N = this.outerDomain;
    const D = this.patchDomain;
    const outputsTotal = hiddenScalar(FLAT_C);
    const productsTotal = hiddenScalar(FLAT_P);
    const total = (g: HiddenScalar) => [term(1, at(g.oracle.name))];
    const mask = this.k < K ? publicVector(REAL_K, K, () => Array.from({ length: K }, (_, j) => (j < this.k ? 1n : 0n))) : undefined;
    return {
      outputs: sumClaim({ name: FLAT_C, domain: M * N, summand: [term(1, at('c'), pub(BETAS))], total: total(outputsTotal), rowWeights: { challenge: 'alpha', rowLength: N } }),
      weights: sumClaim({ name: FLAT_A, domain: K, summand: [mask ? term(1, at('a'), at('p'), pub(REAL_K)) : term(1, at('a'), at('p'))], total: total(outputsTotal) }),
      patches: sumClaim({ name: FLAT_B, domain: D, summand: [term(1, at('b'), pub(BETAS_REAL))], total: total(productsTotal), rowWeights: { challenge: 'alpha', rowLength: N } }),
      products: sumClaim({ name: FLAT_P, domain: K, summand: [term(1, at('p'))], total: total(productsTotal), rowWeights: { challenge: 'alpha', rowLength: 1 } }),
      outputsTotal,
      productsTotal,
      outputsBetas: periodicVector(BETAS, M * N, N, (v) => powers(frSlot(v, 'beta'), N)),
      patchesBetas: periodicVector(BETAS_REAL, D, N, (v) => this.realBetas(frSlot(v, 'beta'))),
      ...(mask && { mask }),
    };
  }

  /** The combination of B's committed rows the claim over H_D reads, when B has several (module comment, "B in several rows"). */
  private readonly combinedPatches: Combination = (v) => ({
    slots: rowSlots('b', this.patchRows),
    scalars: patchRowWeights(frSlot(v, 'alpha'), this.patchRows, this.patchDomain / this.outerDomain),
  });

  private buildFlatSpec(sums: FlatSums): PolyIopSpec {
    const { flatRows: M, link, patchRows } = this;
    const K = this.innerDomain;
    const N = this.outerDomain;
    const hidden = [sums.outputsTotal, sums.productsTotal];
    const combined = patchRows > 1;
    return {
      foldKey: this.foldKey,
      statement: rowStatementSlots(this.tensors),
      slots: [
        { name: 'beta', sort: 'fr', origin: 'challenge' },
        { name: '[p]', sort: 'g1', origin: 'message' },
        { name: 'alpha', sort: 'fr', origin: 'challenge' },
        ...(combined ? [{ name: 'comb/b', sort: 'g1', origin: 'derived' } as const] : []),
        ...hidden.map((g) => g.commitmentSlot),
        ...link.slots,
      ],
      rounds: [
        { kind: 'challenge', slots: ['beta'] },
        { kind: 'message', slots: ['[p]'] },
        { kind: 'challenge', slots: ['alpha'] },
        ...(combined ? [combinationStep({ 'comb/b': this.combinedPatches })] : []),
        { kind: 'message', slots: [...hidden.map((g) => g.commitmentSlot.name), link.message] },
        ...link.rounds,
      ],
      oracles: [
        link.oracle,
        { name: 'p', domain: K, commitment: '[p]' },
        combined ? { name: 'b', domain: this.patchDomain, commitment: 'comb/b', combination: this.combinedPatches } : { name: 'b', domain: K * N, commitment: rowSlot('b', 0) },
        { name: 'c', domain: M * N, commitment: rowSlot('c', 0) },
        ...hidden.map((g) => g.oracle),
        link.vanishing,
      ],
      publics: [sums.outputsBetas, sums.patchesBetas, ...(sums.mask ? [sums.mask] : [])],
      identities: [link.identity],
      sums: [sums.outputs, sums.weights, sums.patches, sums.products],
      sharedChallenges: ['alpha'],
      selfBlinded: link.selfBlinded,
    };
  }

  /** `β⃗_n`: β^l on the n real cells of a row, 0 on its padding. */
  private realBetas(beta: bigint): bigint[] {
    const out = powers(beta, this.outerDomain);
    return out.fill(0n, this.n);
  }

  /**
   * `C_cl = Σ_j W_cj·B_jl` over the integers. Flat layout: b is one row of k·N cells (cell (j, l) at j·N + l; the
   * cells l ≥ n never enter), or ⌈k·N/D⌉ rows of D cells (cell (j, l) in row ⌊j·N/D⌋ at (j·N mod D) + l), and c one
   * row of m·N cells (zero for l ≥ n); the padding rows (j ≥ k of B, c ≥ m of C) are the zeros a row is committed
   * with up to K·N (or D) and M·N cells.
   */
  witness(inputs: Tensors): Tensors {
    const { w, b } = inputs;
    const rowsOfB = this.patchRows;
    if (!w || !b || w.length !== this.m || b.length !== rowsOfB) throw new BlockfoldError('BLOCK', `weighted rows: expected w (${this.m} rows) and b (${rowsOfB} rows)`);
    if (w.some((r) => r.length !== this.k)) throw new BlockfoldError('BLOCK', `weighted rows: rows of w must have length ${this.k}`);
    const N = this.outerDomain;
    const D = this.patchDomain;
    if (this.flat && rowsOfB === 1 && b[0].length !== this.k * N)
      throw new BlockfoldError('BLOCK', `weighted rows (flat): b must be one row of k·N = ${this.k * N} cells, got ${b[0].length}`);
    if (this.flat && rowsOfB > 1 && b.some((r) => r.length !== D))
      throw new BlockfoldError('BLOCK', `weighted rows (flat): b must be ${rowsOfB} rows of D = ${D} cells`);
    if (!this.flat && b.some((r) => r.length !== this.n)) throw new BlockfoldError('BLOCK', `weighted rows: rows of b must have length ${this.n}`);
    const rowOfB = (j: number) => (this.flat ? b[Math.floor((j * N) / D)].slice((j * N) % D, ((j * N) % D) + this.n) : b[j]);
    const c = w.map((wr) => {
      const out = new Array<bigint>(this.n).fill(0n);
      wr.forEach((x, j) => {
        if (x === 0n) return;
        const row = rowOfB(j);
        for (let l = 0; l < this.n; l++) out[l] += x * row[l];
      });
      return out;
    });
    if (!this.flat) return { c };
    return { c: [c.flatMap((row) => [...row, ...new Array<bigint>(N - this.n).fill(0n)])] };
  }

  /**
   * The prover's p on H_K: `p_j = ⟨B_j, β⃗_n⟩` for every row given (k rows in the row layout, zero on H_K's padding;
   * all K rows of the flat B, padding rows included). `b` holds B's rows on H_N; `values` the slots so far (β).
   * Protected so that soundness tests can substitute a cheating p.
   */
  protected rowProducts(b: readonly (readonly bigint[])[], betas: readonly bigint[], _values: SlotValues): bigint[] {
    const p = new Array<bigint>(this.innerDomain).fill(0n);
    b.forEach((row, j) => {
      let acc = 0n;
      for (let l = 0; l < row.length; l++) acc += row[l] * betas[l];
      p[j] = acc % R;
    });
    return p;
  }

  /** The block's side of the poly-IOP prover: its own rounds and its oracles' polynomials. */
  iopProver(ctx: BlockContext, tensors: Tensors): PolyIopProver {
    const layout = this.layout;
    if (layout.flat) {
      // The link's blinding keyed by β, the block's own challenge (α is shared between the members of a model argument).
      const link = weightLinkProver(ctx, this.link, this.innerDomain, (v) => `weighted-rows/${this.foldKey}/${frSlot(v, 'beta')}`);
      return this.flatProver(ctx, tensors, layout.sums, link);
    }
    return this.rowProver(ctx, tensors, layout.s, layout.t);
  }

  private rowProver(ctx: BlockContext, tensors: Tensors, s: EqualSums, t: EqualSums): PolyIopProver {
    const K = this.innerDomain;
    const N = this.outerDomain;
    const w = tensors.w.map((r) => rowEvaluations(r, K));
    const b = tensors.b.map((r) => rowEvaluations(r, N));
    const c = tensors.c.map((r) => rowEvaluations(r, N));
    const values: Record<string, bigint[]> = {};
    const polys: Record<string, bigint[]> = {};
    // r keyed by α, which differs between members whp.
    const link = weightLinkProver(ctx, this.link, K, (v) => `weighted-rows/${this.foldKey}/${frSlot(v, 'alpha')}`);
    const combinedB = (v: SlotValues) => combineRowValues(b, powers(frSlot(v, 'gamma'), this.k));
    return {
      round: async (decls, v): Promise<SlotValues> => {
        if (decls[0].name === '[p]') {
          const beta = frSlot(v, 'beta');
          const alphas = powers(frSlot(v, 'alpha'), this.m);
          values.a = combineRowValues(w, alphas);
          values.c = combineRowValues(c, alphas);
          values.p = this.rowProducts(b, this.realBetas(beta), v);
          const sums = await equalSumsProver(ctx.kzg, s, summandValues([{ u: values.a, v: values.p }]));
          Object.assign(polys, sums.polys);
          return { '[p]': await commitLagrange(ctx.kzg, values.p), ...sums.messages, ...(await link.messages(v)) };
        }
        const sums = await equalSumsProver(ctx.kzg, t, summandValues([{ u: combinedB(v), v: this.realBetas(frSlot(v, 'beta')) }]));
        Object.assign(polys, sums.polys);
        return sums.messages;
      },
      polynomials: (v) => ({
        ...link.polynomials(interpolate(values.a, ctx.engine)),
        p: interpolate(values.p, ctx.engine),
        c: interpolate(values.c, ctx.engine),
        b: interpolate(combinedB(v), ctx.engine),
        ...polys,
      }),
    };
  }

  private flatProver(ctx: BlockContext, tensors: Tensors, sums: FlatSums, link: WeightLinkProver): PolyIopProver {
    const M = this.flatRows;
    const K = this.innerDomain;
    const N = this.outerDomain;
    const D = this.patchDomain;
    const w = tensors.w.map((r) => rowEvaluations(r, K));
    const committed = tensors.b.map((r) => rowEvaluations(r, D));
    const c = rowEvaluations(tensors.c[0], M * N);
    let a: bigint[] = [];
    let p: bigint[] = [];
    // B's rows combined by their weights α^(−r·D/N) (itself when B is one row): the claim over H_D reads it.
    let b: bigint[] = committed[0];
    const polys: Record<string, bigint[]> = {};
    return {
      round: async (decls, v): Promise<SlotValues> => {
        const first = decls[0]?.name;
        if (first === '[p]') {
          const t = D / N;
          const rows = Array.from({ length: Math.min(K, this.patchRows * t) }, (_, j) => committed[Math.floor(j / t)].slice((j % t) * N, (j % t + 1) * N));
          p = this.rowProducts(rows, this.realBetas(frSlot(v, 'beta')), v);
          return { '[p]': await commitLagrange(ctx.kzg, p) };
        }
        // The hidden scalars hold the sums over H_{MN} (C) and H_D (B), so with a false witness the claims over
        // H_K (which read them) fail and the verifier rejects.
        if (this.patchRows > 1) b = combineRowValues(committed, this.combinedPatches(v).scalars);
        a = combineRowValues(w, reversedAlphas(frSlot(v, 'alpha'), this.m, M));
        const out: Record<string, G1Point> = {};
        const hide = async (g: HiddenScalar, claim: SumClaim, summand: bigint[]) => {
          const value = runningSumValues(summand, claim.multiplier!.values(v)).sum;
          polys[g.oracle.name] = [value];
          out[g.commitmentSlot.name] = await commit(ctx.kzg, [value]);
        };
        await hide(sums.outputsTotal, sums.outputs, summandValues([{ u: c, v: sums.outputsBetas.values(v) }]));
        await hide(sums.productsTotal, sums.patches, summandValues([{ u: b, v: sums.patchesBetas.values(v) }]));
        return { ...out, ...(await link.messages(v)) };
      },
      polynomials: () => ({
        ...link.polynomials(interpolate(a, ctx.engine)),
        p: interpolate(p, ctx.engine),
        b: interpolate(b, ctx.engine),
        c: interpolate(c, ctx.engine),
        ...polys,
      }),
    };
  }
}
