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
 * @module
 */
import type { SlotDecl, SlotValues } from '../src/equations/equation';
import { frSlot } from '../src/equations/evaluate';
import { BlockfoldError } from '../src/errors';
import { R } from '../src/field';
import { commitLagrange } from '../src/kzg/commit';
import { interpolate } from '../src/poly/interpolate';
import { nextPowerOfTwo } from '../src/poly/roots';
import { PolyIopBlock } from './poly-iop-block';
import type { Block, BlockContext, TensorSpec, Tensors } from './block';
import { rowEvaluations } from './commit-rows';
import {
  at,
  combinationStep,
  combineRowValues,
  type PolyIopProver,
  powers,
  pub,
  publicVector,
  rowSlot,
  rowStatementSlots,
  term,
  type Combination,
  type PolyIopSpec,
} from './poly-iop';
import { equalSumsGadget, equalSumsProver, hiddenScalarRound, summandValues, type EqualSums } from './running-sum';
import { weightLink, weightLinkProver, type WeightLink } from './weight-link';

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
}

// Equal sums: ⟨a, p⟩ = ⟨c, β⃗_N⟩ (s, over H_K and H_N), ⟨b, β⃗_n⟩ = ⟨p, γ⃗⟩ (t, over H_N and H_K).
const S = 's';
const T = 't';
const BETAS = 'betas';
const BETAS_REAL = 'betas<n';
const GAMMAS = 'gammas';

const rowSlots = (t: string, rows: number) => Array.from({ length: rows }, (_, i) => rowSlot(t, i));
/** `Σ_c α^c·[t_c]₁` over the first `rows` rows of tensor t. */
const alphas = (t: string, rows: number): Combination => (v) => ({ slots: rowSlots(t, rows), scalars: powers(frSlot(v, 'alpha'), rows) });

/** `C = W·B` for fixed W; see the module comment for the protocol. */
export class WeightedRowsBlock extends PolyIopBlock implements Block {
  readonly kind = 'weighted-rows';
  readonly foldKey: string;
  readonly tensors: readonly TensorSpec[];
  readonly m: number;
  readonly k: number;
  readonly n: number;
  /** K: domain of the rows of W (and of p). */
  readonly innerDomain: number;
  /** N: domain of the rows of B and C. */
  readonly outerDomain: number;
  /** `⟨a, p⟩ = ⟨c, β⃗_N⟩` (s) and `⟨b, β⃗_n⟩ = ⟨p, γ⃗⟩` (t), proven with no sum sent. */
  private readonly sums: { readonly s: EqualSums; readonly t: EqualSums };
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
    this.innerDomain = opts.innerDomain ?? nextPowerOfTwo(Math.max(k, 2));
    this.outerDomain = opts.outerDomain ?? nextPowerOfTwo(Math.max(n, 2));
    if (this.innerDomain < k || this.outerDomain < n)
      throw new BlockfoldError('BLOCK', `weighted rows: domains ${this.innerDomain}, ${this.outerDomain} too small for k = ${k}, n = ${n}`);
    this.foldKey = `weighted-rows/m${m}/k${k}/n${n}/K${this.innerDomain}/N${this.outerDomain}`;
    this.tensors = [
      { name: 'w', rows: m, domain: this.innerDomain, role: 'input', fixed: true },
      { name: 'b', rows: k, domain: this.outerDomain, role: 'input' },
      { name: 'c', rows: m, domain: this.outerDomain, role: 'output' },
    ];
    // a combines fixed weight rows: it is opened only through a fresh re-randomization (blocks/weight-link.ts).
    this.link = weightLink('a', this.innerDomain, alphas('w', m));
    const [K, N] = [this.innerDomain, this.outerDomain];
    this.sums = {
      s: equalSumsGadget(S, { domain: K, summand: [term(1, at('a'), at('p'))] }, { domain: N, summand: [term(1, at('c'), pub(BETAS))] }),
      t: equalSumsGadget(T, { domain: N, summand: [term(1, at('b'), pub(BETAS_REAL))] }, { domain: K, summand: [term(1, at('p'), pub(GAMMAS))] }),
    };
    this.spec = this.buildSpec();
  }

  private buildSpec(): PolyIopSpec {
    const { m, k, link } = this;
    const K = this.innerDomain;
    const N = this.outerDomain;
    const g1 = (name: string, origin: SlotDecl['origin']): SlotDecl => ({ name, sort: 'g1', origin });
    const fr = (name: string, origin: SlotDecl['origin']): SlotDecl => ({ name, sort: 'fr', origin });
    const { s, t } = this.sums;
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
      ],
      identities: [link.identity],
      sums: gadgets.flatMap((g) => g.sums),
      selfBlinded: link.selfBlinded,
    };
  }

  /** `β⃗_n`: β^l on the n real cells of a row, 0 on its padding. */
  private realBetas(beta: bigint): bigint[] {
    const out = powers(beta, this.outerDomain);
    return out.fill(0n, this.n);
  }

  /** `C_cl = Σ_j W_cj·B_jl` over the integers. */
  witness(inputs: Tensors): Tensors {
    const { w, b } = inputs;
    if (!w || !b || w.length !== this.m || b.length !== this.k) throw new BlockfoldError('BLOCK', `weighted rows: expected w (${this.m} rows) and b (${this.k} rows)`);
    if (w.some((r) => r.length !== this.k) || b.some((r) => r.length !== this.n))
      throw new BlockfoldError('BLOCK', `weighted rows: rows of w must have length ${this.k} and rows of b length ${this.n}`);
    return {
      c: w.map((wr) => {
        const out = new Array<bigint>(this.n).fill(0n);
        wr.forEach((x, j) => {
          if (x !== 0n) for (let l = 0; l < this.n; l++) out[l] += x * b[j][l];
        });
        return out;
      }),
    };
  }

  /**
   * The prover's p on H_K: `p_j = ⟨B_j, β⃗_n⟩` for j < k, zero on the padding. `b` holds B's rows on H_N; `values` the
   * slots so far (α, β). Protected so that soundness tests can substitute a cheating p.
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
          const s = await equalSumsProver(ctx.kzg, this.sums.s, summandValues([{ u: values.a, v: values.p }]));
          Object.assign(polys, s.polys);
          return { '[p]': await commitLagrange(ctx.kzg, values.p), ...s.messages, ...(await link.messages(v)) };
        }
        const t = await equalSumsProver(ctx.kzg, this.sums.t, summandValues([{ u: combinedB(v), v: this.realBetas(frSlot(v, 'beta')) }]));
        Object.assign(polys, t.polys);
        return t.messages;
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
}
