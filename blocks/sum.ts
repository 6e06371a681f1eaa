/**
 * Row sums `s_i = Σ_{j<k} x_ij` of m rows of length k; the sums are committed as one row of length m (domain H_M).
 * x has one of two layouts.
 *
 * **Row layout** (one commitment per row of x, each on H_n). Protocol (all rows in one instance): challenge α after
 * the statement; derived `[x]₁ = Σ_i α^i·[X_i]₁` (MSM); then `⟨x, 1_{<k}⟩ = ⟨s, (α^i)_{i<M}⟩` (sums over H_n and
 * H_M), with the public mask `1_{j<k}` (the relation never sees X's padding) and the public vector of powers of α,
 * proven by `equalSumsGadget` (`blocks/running-sum`) without sending the common value `σ = Σ_i α^i·s_i`: one
 * running sum of the difference when n = M, else two running sums closing on one blinded hidden scalar.
 * Together `Σ_{i<M} α^i·s_i = Σ_{i<m} α^i·Σ_{j<k} x_ij`, a polynomial identity in α of degree < M, so whp every sum is
 * right and the padding cells s_i (m ≤ i < M) of the output are zero.
 *
 * **Flat layout** (`flat: true`: x is ONE row on H_N, N = M·K, cell (i, j) at index i·K + j, K the row domain, M =
 * pow2(m); the compiler's flat tensors, so no copy into rows is needed: a row-major tensor of m·K cells zero-padded to
 * pow2(m·K) = M·K is this layout, its rows i ≥ m padding). Protocol: challenge α after the statement; then equal
 * row-weighted sums (`equalSumsGadget` with `rowWeights`, the Horner form of `blocks/running-sum`), the left side
 * `x·mask` on H_N in rows of K cells, the right side s on H_M in rows of one cell, where the mask is the public
 * indicator of the real cells, `1_{j<k}·1_{i<m}`: periodic of period K when m = M (`periodicVector`: the verifier
 * evaluates it in O(K)), else a public vector evaluated in O(N) (`publicVector`; the padding rows are a contiguous
 * run of H, not a coset, and have no closed-form indicator). No sum is sent: both running sums close on one hidden
 * scalar (or, when N = M, one running sum of the difference closes on 0). Soundness: the transitions hold on H
 * exactly when `Σ_{i<M} α^(M−1−i)·(Σ_j mask_ij·x_ij − s_i) = 0`. x and s are fixed by the statement before α is
 * drawn, so if some `s_i ≠ Σ_j mask_ij·x_ij` this is a nonzero polynomial in α of degree < M, which vanishes at
 * the random α with probability < M/r (Schwartz–Zippel); hence whp, row by row and not only in total,
 * `s_i = Σ_{j<k} x_ij` for every i < m and `s_i = 0` on the padding rows m ≤ i < M (s's padding is pinned to zero,
 * as the next block reads it). The mask keeps x's padding (columns j ≥ k, rows i ≥ m) out of every sum, so those
 * cells are free: the block never trusts its input's padding, it does not read it.
 *
 * **Sums of a product** (`product: true`, flat layout only): `s_i = Σ_{j<k} x_ij·w_ij` for a second flat tensor w laid
 * out as x (w may be x itself: LayerNorm's `Σ_j c_ij²`), so the product `x ∘ w` is never committed. The left summand
 * is the degree-3 term `x·w·mask`; the argument above is unchanged with `x_ij·w_ij` for `x_ij`: x, w and s are fixed by
 * the statement before α, so a wrong sum leaves the nonzero polynomial `Σ_i α^(M−1−i)·(Σ_j mask_ij·x_ij·w_ij − s_i)`
 * of degree < M in α (probability < M/r), and the mask keeps the padding cells of both x and w out of every sum. The
 * row layout refuses a product: it proves its sum through the derived commitment `Σ_i α^i·[X_i]₁`, and the rows of a
 * product `x_i ∘ y_i` have no commitment to combine (the product is not linear in the committed rows).
 *
 * **Broadcast sums** (`broadcast: true`, flat layout with rows of k = K cells, no product): s is laid out as x, one
 * row on H_{M·K}, each sum on every cell of its row, `s_ij = Σ_l x_il` (LayerNorm's mean `perRow(Σx)`), so the M
 * sums themselves are never committed. Challenges α and β after the statement; the public column weights
 * `c = (1 − Σ_{0<j<K} β^j, β, …, β^(K−1))` of `blocks/broadcast.ts` (period K); both sides on H_{M·K} in rows of K
 * cells, so one running sum of `x·mask − s·c` closes on 0. Soundness: the claim holds exactly when
 * `F(α, β) = Σ_i α^(M−1−i)·((s_i0 − Σ_l mask_il·x_il) + Σ_{0<j<K} β^j·(s_ij − s_i0)) = 0` (the weights sum to 1),
 * whose coefficients are `s_i0 − Σ_l mask_il·x_il` and `s_ij − s_i0`: F is the zero polynomial exactly when every
 * cell of row i of s is the masked sum of row i of x. x and s are fixed by the statement before α and β, so a wrong
 * cell leaves a nonzero F of total degree ≤ M + K − 2, zero at the random (α, β) with probability ≤ (M + K − 2)/r.
 * The padding rows i ≥ m of s are pinned to 0 (their mask row is zero) and x's padding is not read, as above.
 *
 * Hiding (both layouts): x, w and s are statement rows the pipeline commits blinded (`[f + Z_H·b]₁`,
 * `BlockContext.statementBlinding`), and the compiler opens them as committed, so their one evaluation at ζ is
 * uniform; the running sums and the hidden scalar are message oracles the compiler blinds (`blocks/hiding.ts`).
 * @module
 */
import type { SlotValues } from '../src/equations/equation';
import { frSlot } from '../src/equations/evaluate';
import { BlockfoldError } from '../src/errors';
import { interpolate } from '../src/poly/interpolate';
import { isPowerOfTwo, nextPowerOfTwo } from '../src/poly/roots';
import { PolyIopBlock } from './poly-iop-block';
import type { Block, BlockContext, TensorSpec, Tensors } from './block';
import { columnWeights } from './broadcast';
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
  term,
  type Combination,
  type PolyIopSpec,
  type PublicPoly,
} from './poly-iop';
import { equalSumsGadget, equalSumsProver, hiddenScalarRound, summandValues, type EqualSums } from './running-sum';

/** Shape of a {@link SumBlock}. */
export interface SumOptions {
  /** Rows m of x (= number of sums); in the flat layout padded to M = pow2(m) rows. */
  readonly rows: number;
  /** Length k of each row of x. */
  readonly length: number;
  /** Domain of the rows of x, in the flat layout the row length K of x's layout (default: the next power of two ≥ length). */
  readonly domain?: number;
  /** Domain of the row of sums (default: the next power of two ≥ rows, M; in the flat layout it must be that). */
  readonly sumsDomain?: number;
  /** x as one flat row on H_{M·domain}, cell (i, j) at index i·domain + j (see the module comment); default: one row per sum. */
  readonly flat?: boolean;
  /** Sums of the product `x_ij·w_ij` of x and a second input w laid out as x (flat layout only; module comment). */
  readonly product?: boolean;
  /** s laid out as x, each sum broadcast along its row: `s_ij = Σ_l x_il` (flat layout only; module comment). */
  readonly broadcast?: boolean;
}

const SIGMA = 'sigma';
const MASK = 'mask';
const WEIGHTS = 'columns';
const ALPHAS = 'alphas';

/** The spec of one layout and the fragments its prover reads (the equal sums' gadget, the mask's values). */
interface LayoutSpec {
  readonly spec: PolyIopSpec;
  readonly sums: EqualSums;
  /** `1_{j<k}` on x's domain (flat layout: `1_{j<k}·1_{i<m}`, of period K when m = M). */
  readonly mask: PublicPoly;
}

/** `s = [Σ_j x_0j, …, Σ_j x_(m−1)j]`; see the module comment. */
export class SumBlock extends PolyIopBlock implements Block {
  readonly kind = 'sum';
  readonly foldKey: string;
  readonly tensors: readonly TensorSpec[];
  readonly rows: number;
  readonly length: number;
  readonly domain: number;
  readonly sumsDomain: number;
  /** Whether x is one flat row (module comment). */
  readonly flat: boolean;
  /** Whether the block sums `x_ij·w_ij` (a second input w) instead of `x_ij` (module comment, "Sums of a product"). */
  readonly product: boolean;
  /** Whether s is laid out as x, each row's sum on every cell of the row (module comment, "Broadcast sums"). */
  readonly broadcast: boolean;
  /** Row layout: `⟨x, 1_{<k}⟩ = ⟨s, α⃗⟩`; flat layout: the row-weighted sums of `x·mask` and s equal. No sum sent. */
  private readonly sums: EqualSums;
  private readonly mask: PublicPoly;
  protected readonly spec: PolyIopSpec;

  constructor(opts: SumOptions) {
    super();
    const { rows, length } = opts;
    if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(length) || length < 1)
      throw new BlockfoldError('BLOCK', `sum: rows and length must be positive integers, got ${rows}, ${length}`);
    this.rows = rows;
    this.length = length;
    this.domain = opts.domain ?? nextPowerOfTwo(length);
    this.sumsDomain = opts.sumsDomain ?? nextPowerOfTwo(rows);
    this.flat = opts.flat === true;
    this.product = opts.product === true;
    this.broadcast = opts.broadcast === true;
    if (this.broadcast && !(this.flat && this.domain === length && this.product === false))
      throw new BlockfoldError('BLOCK', 'sum: broadcast sums need the flat layout with rows of K = length cells, and no product');
    if (this.product && !this.flat)
      throw new BlockfoldError('BLOCK', 'sum: a product summand needs the flat layout (the row layout combines committed rows, and a product of rows has none)');
    if (this.flat) checkFlatShape(rows, this.domain, this.sumsDomain);
    if (this.domain < length || this.sumsDomain < rows) throw new BlockfoldError('BLOCK', 'sum: domain too small');
    const n = this.domain;
    const M = this.sumsDomain;
    this.foldKey = this.flat ? `sum/flat/m${rows}/k${length}/K${n}${this.product ? '/xy' : ''}${this.broadcast ? '/rows' : ''}` : `sum/m${rows}/k${length}/n${n}/M${M}`;
    const x: TensorSpec = { name: 'x', rows: this.flat ? 1 : rows, domain: this.flat ? M * n : n, role: 'input' };
    this.tensors = [x, ...(this.product ? [{ ...x, name: 'w' }] : []), { name: 's', rows: 1, domain: this.broadcast ? M * n : M, role: 'output' }];
    const layout = this.flat ? this.flatSpec() : this.rowSpec();
    this.sums = layout.sums;
    this.mask = layout.mask;
    this.spec = layout.spec;
  }

  /** `1_{j<k}` on H_K: the mask of one row of x. */
  private rowMask(): bigint[] {
    return Array.from({ length: this.domain }, (_, j) => (j < this.length ? 1n : 0n));
  }

  /** Row layout: `[x]₁ = Σ_i α^i·[X_i]₁` derived, then `⟨x, 1_{<k}⟩ = ⟨s, α⃗⟩`. */
  private rowSpec(): LayoutSpec {
    const { rows, domain: n, sumsDomain: M } = this;
    const mask = publicVector(MASK, n, () => this.rowMask());
    const sums = equalSumsGadget(SIGMA, { domain: n, summand: [term(1, at('x'), pub(MASK))] }, { domain: M, summand: [term(1, at('s'), pub(ALPHAS))] });
    const combX: Combination = (v) => ({ slots: Array.from({ length: rows }, (_, i) => rowSlot('x', i)), scalars: powers(frSlot(v, 'alpha'), rows) });
    const spec: PolyIopSpec = {
      foldKey: this.foldKey,
      statement: rowStatementSlots(this.tensors),
      slots: [
        { name: 'alpha', sort: 'fr', origin: 'challenge' },
        { name: 'comb/x', sort: 'g1', origin: 'derived' },
        ...sums.slots,
      ],
      rounds: [
        { kind: 'challenge', slots: ['alpha'] },
        combinationStep({ 'comb/x': combX }),
        ...hiddenScalarRound(sums),
      ],
      oracles: [{ name: 'x', domain: n, commitment: 'comb/x', combination: combX }, { name: 's', domain: M, commitment: rowSlot('s', 0) }, ...sums.oracles],
      publics: [mask, publicVector(ALPHAS, M, (v) => powers(frSlot(v, 'alpha'), M)), ...sums.publics],
      identities: [],
      sums: sums.sums,
    };
    return { spec, sums, mask };
  }

  /**
   * Flat layout: `Σ_i α^(M−1−i)·Σ_j (x·mask)(i·K + j) = Σ_i α^(M−1−i)·s_i` (with a product, `x·w·mask`), row-weighted
   * running sums on H_{M·K} and H_M.
   */
  private flatSpec(): LayoutSpec {
    const { domain: K, sumsDomain: M, rows: m } = this;
    const n = M * K;
    // The mask of the real cells: the row mask on each of the m real rows, zero on the padding rows i ≥ m.
    const realCells = () => {
      const row = this.rowMask();
      return Array.from({ length: n }, (_, x) => (x < m * K ? row[x % K] : 0n));
    };
    const mask = m === M ? periodicVector(MASK, n, K, () => this.rowMask()) : publicVector(MASK, n, realCells);
    const weights = this.broadcast ? [periodicVector(WEIGHTS, n, K, (v) => columnWeights(frSlot(v, 'beta'), K))] : [];
    const sums = equalSumsGadget(
      SIGMA,
      { domain: n, summand: [term(1, at('x'), ...(this.product ? [at('w')] : []), pub(MASK))], rowWeights: { challenge: 'alpha', rowLength: K } },
      this.broadcast
        ? { domain: n, summand: [term(1, at('s'), pub(WEIGHTS))], rowWeights: { challenge: 'alpha', rowLength: K } }
        : { domain: M, summand: [term(1, at('s'))], rowWeights: { challenge: 'alpha', rowLength: 1 } },
    );
    const challenges = ['alpha', ...(this.broadcast ? ['beta'] : [])];
    const spec: PolyIopSpec = {
      foldKey: this.foldKey,
      statement: rowStatementSlots(this.tensors),
      slots: [...challenges.map((name) => ({ name, sort: 'fr' as const, origin: 'challenge' as const })), ...sums.slots],
      rounds: [{ kind: 'challenge', slots: challenges }, ...hiddenScalarRound(sums)],
      oracles: [
        { name: 'x', domain: n, commitment: rowSlot('x', 0) },
        ...(this.product ? [{ name: 'w', domain: n, commitment: rowSlot('w', 0) }] : []),
        { name: 's', domain: this.tensors.at(-1)!.domain, commitment: rowSlot('s', 0) },
        ...sums.oracles,
      ],
      publics: [mask, ...weights, ...sums.publics],
      identities: [],
      sums: sums.sums,
      sharedChallenges: ['alpha'],
    };
    return { spec, sums, mask };
  }

  /**
   * `s_i = Σ_{j<k} x_ij` over the integers, with a product `s_i = Σ_{j<k} x_ij·w_ij` (flat layout: x_ij is cell
   * i·K + j of x's one row of m·K cells; its padding columns are ignored, its padding rows i ≥ m are the zeros the row
   * is committed with up to M·K cells).
   */
  witness(inputs: Tensors): Tensors {
    const { x, w } = inputs;
    if (this.flat) {
      const n = this.rows * this.domain;
      const flatRow = (t: Tensors[string] | undefined, name: string): readonly bigint[] => {
        if (!t || t.length !== 1 || t[0].length !== n)
          throw new BlockfoldError('BLOCK', `sum (flat): ${name} must be one row of ${n} cells (${this.rows} rows of ${this.domain}, row-major)`);
        return t[0];
      };
      const xs = flatRow(x, 'x');
      const ws = this.product ? flatRow(w, 'w') : undefined;
      const cell = (c: number) => (ws ? xs[c] * ws[c] : xs[c]);
      const sums = Array.from({ length: this.rows }, (_, i) => {
        let acc = 0n;
        for (let j = 0; j < this.length; j++) acc += cell(i * this.domain + j);
        return acc;
      });
      return { s: [this.broadcast ? sums.flatMap((v) => new Array<bigint>(this.domain).fill(v)) : sums] };
    }
    if (!x || x.length !== this.rows || x.some((r) => r.length !== this.length))
      throw new BlockfoldError('BLOCK', `sum: x must have ${this.rows} rows of length ${this.length}`);
    return { s: [x.map((row) => row.reduce((acc, v) => acc + v, 0n))] };
  }

  /** The block's side of the poly-IOP prover: its own rounds and its oracles' polynomials. */
  iopProver(ctx: BlockContext, tensors: Tensors): PolyIopProver {
    const x = tensors.x.map((r) => rowEvaluations(r, this.tensors[0].domain));
    const s = rowEvaluations(tensors.s[0], this.tensors.at(-1)!.domain);
    // Row layout: the oracle x is the combination Σ_i α^i·x_i; flat layout: x itself (the claims' multipliers μ weigh
    // the rows of both sides).
    const w = this.product ? rowEvaluations(tensors.w[0], this.tensors[1].domain) : undefined;
    const combinedOf = (v: SlotValues) => (this.flat ? x[0] : combineRowValues(x, powers(frSlot(v, 'alpha'), this.rows)));
    // The mask's partner in the summand: 1 per cell, or w's cell for a sum of products.
    const maskedBy = (v: SlotValues) => {
      const mask = this.mask.values(v);
      return w ? mask.map((b, c) => b * w[c]) : mask;
    };
    const hidden: Record<string, bigint[]> = {};
    return {
      round: async (_decls, v) => {
        const sums = await equalSumsProver(ctx.kzg, this.sums, summandValues([{ u: combinedOf(v), v: maskedBy(v) }]), v);
        Object.assign(hidden, sums.polys);
        return sums.messages;
      },
      polynomials: (v) => ({ x: interpolate(combinedOf(v), ctx.engine), ...(w ? { w: interpolate(w, ctx.engine) } : {}), s: interpolate(s, ctx.engine), ...hidden }),
    };
  }
}

/** The flat layout has rows of a power-of-two length K and M = pow2(rows) rows (sumsDomain = M: its fold key names m only). */
function checkFlatShape(rows: number, rowDomain: number, sumsDomain: number): void {
  if (sumsDomain !== nextPowerOfTwo(rows))
    throw new BlockfoldError('BLOCK', `sum (flat): the sums domain must be the next power of two ≥ rows, got ${rows} rows, sums domain ${sumsDomain}`);
  if (!isPowerOfTwo(rowDomain)) throw new BlockfoldError('BLOCK', `sum (flat): the row domain K must be a power of two, got ${rowDomain}`);
}
