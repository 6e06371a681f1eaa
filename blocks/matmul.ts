/**
 * Matrix product `C = A·Bᵀ`: A has m rows of length k (domain H_K), B has n rows of length k (domain H_K; the rows of
 * B are the columns of the right operand, so for weights W (k×n) the model commits the rows of `Wᵀ`), C has m rows of
 * length n (domain H_N).
 *
 * Protocol (all rows of the layer in one instance):
 * 1. statement `[A_i]₁`, `[B_l]₁`, `[C_i]₁`; challenges α, β;
 * 2. derived (verifier MSMs) `a = Σ_i α^i·A_i`, `w = Σ_l β^l·B_l`, `c = Σ_i α^i·C_i`;
 * 3. running sums (`blocks/running-sum.ts`) proving `⟨a, w⟩ = ⟨c, b⟩` with the public vector `b_l = β^l` (l < N),
 *    whose value at ζ the verifier computes itself, **without sending the common value** `s = αᵀ·C·β` (with a
 *    public input and fixed weights, s would be one linear equation in the weights per proof): when K = N one
 *    running sum over H_K of `a·w − c·b` closing on 0; otherwise a hidden scalar `[G]₁` (G(1) = s, blinded) and
 *    two running sums, `⟨a, w⟩ = G(1)` over H_K and `⟨c, b⟩ = G(1)` over H_N.
 * 4. with fixed weights w is never opened itself: step 3 also sends `[w̃]₁ = [w + Z_K·r]₁` and `[r]₁`, the running
 *    sum over H_K reads w̃, and a challenge ξ and one KZG proof link w̃ to `[w]₁` (`blocks/weight-link.ts`), so
 *    proofs reveal no evaluation of the weights.
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
 * uniform and none equals or determines s (a and c are opened as their rows are, docs/protocol.md "Zero knowledge").
 * @module
 */
import type { G1Point } from '../src/curve';
import type { SlotDecl, SlotValues } from '../src/equations/equation';
import { frSlot } from '../src/equations/evaluate';
import type { KzgVerifierKey } from '../src/kzg/key';
import { BlockfoldError } from '../src/errors';
import { interpolate } from '../src/poly/interpolate';
import { nextPowerOfTwo } from '../src/poly/roots';
import type { Block, BlockContext, TensorSpec, Tensors } from './block';
import { rowEvaluations } from './commit-rows';
import {
  at,
  combinationStep,
  combineRowValues,
  polyIopProtocol,
  polyIopProver,
  type PolyIopProver,
  powers,
  pub,
  publicVector,
  rowSlot,
  rowStatement,
  rowStatementSlots,
  term,
  type Combination,
  type Identity,
  type PolyIopSpec,
  type PublicPoly,
} from './poly-iop';
import type { Protocol } from './protocol';
import type { MessageSource } from './schedule';
import { equalSumsGadget, equalSumsProver, summandValues, type EqualSums } from './running-sum';
import { weightLink, weightLinkProver, type WeightLink } from './weight-link';

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
}

const SUMS = 's';
const PAD = 'pad';
const BETAS = 'betas';
const COMB_W = 'comb/w';

/** `C = A·Bᵀ`; see the module comment for the protocol. */
export class MatmulBlock implements Block {
  readonly kind = 'matmul';
  readonly foldKey: string;
  readonly tensors: readonly TensorSpec[];
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly fixedB: boolean;
  /** K: domain of the rows of A and B. */
  readonly innerDomain: number;
  /** N: domain of the rows of C. */
  readonly outerDomain: number;
  /** `⟨a, w⟩ = ⟨c, b⟩`, proven with no sum sent. */
  private readonly sums: EqualSums;
  private readonly spec: PolyIopSpec;
  /** With fixed weights, the link of their combination w (blocks/weight-link.ts). */
  private readonly link: WeightLink | undefined;

  constructor(opts: MatmulOptions) {
    const { m, k, n } = opts;
    for (const [name, v] of Object.entries({ m, k, n })) {
      if (!Number.isInteger(v) || v < 1) throw new BlockfoldError('BLOCK', `matmul: ${name} must be a positive integer, got ${v}`);
    }
    this.m = m;
    this.k = k;
    this.n = n;
    this.fixedB = opts.fixedB ?? false;
    this.innerDomain = opts.innerDomain ?? nextPowerOfTwo(k);
    this.outerDomain = opts.outerDomain ?? nextPowerOfTwo(n);
    if (this.innerDomain < k || this.outerDomain < n)
      throw new BlockfoldError('BLOCK', `matmul: domains ${this.innerDomain}, ${this.outerDomain} too small for k = ${k}, n = ${n}`);
    const K = this.innerDomain;
    const N = this.outerDomain;
    this.foldKey = `matmul/m${m}/k${k}/n${n}/K${K}/N${N}/${this.fixedB ? 'fixed' : 'committed'}`;
    this.tensors = [
      { name: 'a', rows: m, domain: K, role: 'input' },
      { name: 'b', rows: n, domain: K, role: 'input', fixed: this.fixedB },
      { name: 'c', rows: m, domain: N, role: 'output' },
    ];
    // Fixed weights: w is opened only through a fresh re-randomization w̃ (blocks/weight-link.ts).
    const weights: Combination = (v) => ({ slots: Array.from({ length: n }, (_, l) => rowSlot('b', l)), scalars: powers(frSlot(v, 'beta'), n) });
    this.link = this.fixedB ? weightLink(COMB_W, K, weights) : undefined;
    this.sums = equalSumsGadget(SUMS, { domain: K, summand: [term(1, at('a'), at('w'))] }, { domain: N, summand: [term(1, at('c'), pub(BETAS))] });
    this.spec = this.buildSpec(weights);
  }

  /** Whether the block proves that A's padding columns are zero (whenever k < K, B fixed or not). */
  get checksPadding(): boolean {
    return this.k < this.innerDomain;
  }

  private buildSpec(weights: Combination): PolyIopSpec {
    const { m, k, link } = this;
    const K = this.innerDomain;
    const N = this.outerDomain;
    const g1 = (name: string, origin: SlotDecl['origin']): SlotDecl => ({ name, sort: 'g1', origin });
    const rowSlots = (t: string, rows: number) => Array.from({ length: rows }, (_, i) => rowSlot(t, i));
    const statement = rowStatementSlots(this.tensors);

    const sums = this.sums;
    const alphas = (t: string): Combination => (v) => ({ slots: rowSlots(t, m), scalars: powers(frSlot(v, 'alpha'), m) });
    const combinations: Record<string, Combination> = { 'comb/a': alphas('a'), [COMB_W]: weights, 'comb/c': alphas('c') };
    const publics: PublicPoly[] = [
      ...sums.publics,
      publicVector(BETAS, N, (v) => powers(frSlot(v, 'beta'), N)),
    ];
    const identities: Identity[] = [...sums.identities];
    if (this.checksPadding) {
      publics.push(publicVector(PAD, K, () => Array.from({ length: K }, (_, j) => (j >= k ? 1n : 0n))));
      identities.push({ name: 'a-padding', domain: K, terms: [term(1, at('a'), pub(PAD))] });
    }
    return {
      foldKey: this.foldKey,
      statement,
      slots: [
        { name: 'alpha', sort: 'fr', origin: 'challenge' },
        { name: 'beta', sort: 'fr', origin: 'challenge' },
        g1('comb/a', 'derived'),
        g1('comb/w', 'derived'),
        g1('comb/c', 'derived'),
        ...sums.slots,
        ...(link?.slots ?? []),
      ],
      rounds: [
        { kind: 'challenge', slots: ['alpha', 'beta'] },
        combinationStep(combinations),
        { kind: 'message', slots: [...sums.slots.map((d) => d.name), ...(link?.messages ?? [])] },
        ...(link?.rounds ?? []),
      ],
      oracles: [
        { name: 'a', domain: K, commitment: 'comb/a', combination: combinations['comb/a'] },
        link ? { name: 'w', domain: K, commitment: link.commitment } : { name: 'w', domain: K, commitment: COMB_W, combination: combinations[COMB_W] },
        { name: 'c', domain: N, commitment: 'comb/c', combination: combinations['comb/c'] },
        ...sums.oracles,
      ],
      publics,
      identities,
      ...(link ? { selfBlinded: link.selfBlinded, equations: (kzg: KzgVerifierKey) => [link.equation(kzg)] } : {}),
    };
  }

  /** `C_il = Σ_j A_ij·B_lj` over the integers. */
  witness(inputs: Tensors): Tensors {
    const a = inputs.a;
    const b = inputs.b;
    if (!a || !b || a.length !== this.m || b.length !== this.n) throw new BlockfoldError('BLOCK', `matmul: expected a (${this.m} rows) and b (${this.n} rows)`);
    for (const row of [...a, ...b]) if (row.length !== this.k) throw new BlockfoldError('BLOCK', `matmul: rows of a and b must have length ${this.k}`);
    return {
      c: a.map((ar) =>
        b.map((br) => {
          let acc = 0n;
          for (let j = 0; j < this.k; j++) acc += ar[j] * br[j];
          return acc;
        }),
      ),
    };
  }

  protocol(ctx: BlockContext): Protocol {
    return polyIopProtocol(this.spec, ctx.kzg, ctx.engine);
  }

  statement(commitments: Readonly<Record<string, readonly G1Point[]>>): SlotValues {
    return rowStatement(this.tensors, commitments);
  }

  /** The spec the poly-IOP compiler compiles (the model-level argument merges it with other blocks'). */
  iopSpec(): PolyIopSpec {
    return this.spec;
  }

  prover(ctx: BlockContext, tensors: Tensors): MessageSource {
    return polyIopProver(this.spec, ctx, this.iopProver(ctx, tensors));
  }

  /** The block's side of the poly-IOP prover: its own rounds and its oracles' polynomials. */
  iopProver(ctx: BlockContext, tensors: Tensors): PolyIopProver {
    const K = this.innerDomain;
    const N = this.outerDomain;
    const rowsOf = (t: string, n: number) => tensors[t].map((r) => rowEvaluations(r, n));
    const a = rowsOf('a', K);
    const b = rowsOf('b', K);
    const c = rowsOf('c', N);
    let combined: { a: bigint[]; w: bigint[]; c: bigint[] } | undefined;
    let sumPolys: Record<string, bigint[]> = {};
    // Fixed weights: r keyed by β, which differs between members whp.
    const link = this.link;
    const linkProver = link && weightLinkProver(ctx, link, COMB_W, K, (v) => `matmul/${this.foldKey}/${frSlot(v, 'beta')}`);
    return {
      round: async (decls, v) => {
        if (link && decls[0]?.name === link.proof) return linkProver!.linkOpening(v);
        const alphas = powers(frSlot(v, 'alpha'), this.m);
        const betas = powers(frSlot(v, 'beta'), N);
        combined = { a: combineRowValues(a, alphas), w: combineRowValues(b, betas.slice(0, this.n)), c: combineRowValues(c, alphas) };
        const sums = await equalSumsProver(ctx.kzg, this.sums, summandValues([{ u: combined.a, v: combined.w }]), summandValues([{ u: combined.c, v: betas }]));
        sumPolys = sums.polys;
        return linkProver ? { ...sums.messages, ...(await linkProver.messages(v)) } : sums.messages;
      },
      polynomials: (v) => ({
        a: interpolate(combined!.a, ctx.engine),
        w: linkProver ? linkProver.rerandomize(interpolate(combined!.w, ctx.engine), v) : interpolate(combined!.w, ctx.engine),
        c: interpolate(combined!.c, ctx.engine),
        ...sumPolys,
      }),
    };
  }
}
