/**
 * A convolution read in place, `C = W ⊛ x`: W the fixed m×k kernel matrix (k = T·cin for T = kh·kw taps, **tap-major
 * columns**: column j = t·cin + c for tap t and input channel c), x the input and C the output, each one flat row in
 * the channel-major padded layout (`blocks/convolution-layout.ts`: cell (c, y, x) at `c·N + y·S + x`, N = S·Rr). It is
 * the flat WeightedRowsBlock (`blocks/weighted-rows.ts`, "Flat layout") with the im2col matrix B never written: row j
 * of B would be
 *
 *   `B_j[l] = x[c·N + l + off_t]` (index mod cin·N) at the output positions l = y·S + x (y < Hout, x < Wout),
 *
 * `off_t = (dy − pt)·S + (dx − pl)` the tap's offset, which is x read at `ω^(off_t)·X` on channel c's cells: one
 * rotation per tap (`rotatedAt`, opened at `ω^(off_t)·ζ`), whatever the channels. `C_c = Σ_j W_cj·B_j` is then the
 * zero-padded convolution provided x's padding is zero and every read outside the image lands on a padding cell: the
 * layout refuses a geometry without the latter, the block proves the former.
 *
 * Notation: x has Cx = cin channels on H_{Cx·N} (cin a power of two, so x is exactly its channels); C has M = pow2(m)
 * channels on H_{M·N}, channels c ≥ m padding; W has m rows on H_K, K = pow2(max(k, 2)), committed at setup in the
 * model commitment. `β⃗_N = (β^l)_{l<N}`, and `β⃗_v` is β^l at the output positions l of a channel, 0 elsewhere, both of
 * period N (the verifier evaluates them in O(N), `periodicVector`).
 *
 * Protocol:
 * 1. statement `[W_c]₁`, `[x]₁`, `[C]₁`; challenge β;
 * 2. message `[p]₁` on H_K: `p_j = ⟨B_j, β⃗_v⟩` for j < k, 0 for k ≤ j < K;
 * 3. challenge α (in a model argument the flat blocks' one shared α, `PolyIopSpec.sharedChallenges`, drawn after p);
 *    derived scalars `α^(−t·cin)` (0 < t < T); the combination `a = Σ_{c<m} α^(−c)·W_c` of W's rows (α^(−c) is
 *    `μ_0·α^(M−1−c)`, the weight C's row c gets in the claim over C), read only through its weight link
 *    (`blocks/weight-link.ts`): E sent in step 4, the derived `[ã]₁ = [a]₁ + E`, the identity `e = 0` on H_K;
 * 4. hidden scalars G_s, G_t (blinded oracles on H_1) and four claims, none sending its value:
 *    - over H_{MN}, rows of N weighted by α: `C·β⃗_N`, closing on G_s;
 *    - over H_K: `ã·p`, closing on G_s;
 *    - over H_{Cx·N}, rows of N weighted by α: `Σ_t α^(−t·cin)·β⃗_v(X)·x(ω^(off_t)·X)`, closing on G_t;
 *    - over H_K, rows of one cell weighted by α: p, closing on G_t;
 *    and the identity `pad(X)·x(X) = 0` on H_{Cx·N}, pad the indicator of x's padding cells (period N; none when the
 *    image fills its rows and channels, S = W and Rr = H).
 *
 * Why it is sound (no degree bound; every sum a running sum closed on H). A row-weighted claim over R rows closes on
 * `α^(1−R)·Σ_i α^(R−1−i)·(row sum i) = Σ_i α^(−i)·(row sum i)`. Row c of the claim over x sums
 * `Σ_t α^(−t·cin)·⟨B_{t·cin+c}, β⃗_v⟩`, so it closes on `Σ_{j<k} α^(−j)·⟨B_j, β⃗_v⟩` (j = t·cin + c takes every value
 * below k once, because x has exactly cin channels), and the claim over p on `Σ_{j<K} α^(−j)·p_j`. Both close on G_t,
 * so, times `α^(K−1)`:
 *
 *   `Σ_{j<K} α^(K−1−j)·(⟨B_j, β⃗_v⟩ − p_j) = 0`, with B_j = 0 for j ≥ k,
 *
 * a polynomial in α of degree < K whose coefficients (x in the statement, β, then p) are fixed before α: whp
 * `p_j = ⟨B_j, β⃗_v⟩` for j < k and `p_j = 0` for k ≤ j < K, so W's padding columns meet zeros (the flat weighted
 * rows' mask is not needed: p's padding is pinned here). The claims on G_s then say
 * `Σ_{c<M} α^(−c)·(⟨C_c, β⃗_N⟩ − Σ_{j<k} W_cj·⟨B_j, β⃗_v⟩) = 0` (a has no row c ≥ m; ã = a on H_K by the link), degree
 * < M in α with coefficients fixed before α, so whp row by row
 * `Σ_{l<N} β^l·C_cl = Σ_{l output} β^l·Σ_{j<k} W_cj·B_jl`: a polynomial identity in β of degree < N whose
 * coefficients the statement fixed before β, so whp `C_cl = Σ_j W_cj·B_jl` at every output position and `C_cl = 0`
 * on every other cell of C (its padding columns, rows and channels: whatever reads C there reads zeros). The identity
 * makes every padding cell of x zero, and by the layout's conditions every read outside the image is such a cell, so
 * B_j is the zero-padded im2col row and C the convolution. Error ≤ (K + M + N)/r plus the compiler's quotient and
 * opening terms; in a model argument α is drawn after every flat block's messages before it (p included), which is
 * all the argument in α needs. The relation holds in Fr; the compiler bounds every value far below r/2 (rule 9).
 * Without the identity a prover with v in a padding cell that some tap reads, and C computed from it, verifies;
 * without the claims on G_t a p chosen after β fits a false C (`test/blocks/convolution-adversarial.test.ts` drops
 * each and forges).
 *
 * Zero knowledge. x is a statement row the pipeline blinds; it is opened at its T rotations `ω^(off_t)·ζ` (the
 * compiler sizes its blinding by its opening points, `blocks/hiding.ts`) and read linearly by the identity. C enters
 * only linearly and is linearized: no evaluation of it is revealed. p, the accumulators and the hidden scalars are
 * blinded message oracles, so `p(ζ)` is uniform, and G_s (linear in the weights once x is public) and G_t stay hidden.
 * ã is the weight link's fresh re-randomization, its blinding keyed by β, the block's own challenge (α is shared): no
 * evaluation of the weights is revealed.
 *
 * Proof: `[p]₁`, `[G_s]₁`, `[G_t]₁`, the link's E, four accumulators (three when M = Cx: the claims over C and x
 * share H_{MN} and their multiplier), the evaluations at ζ of ã, p, the hidden scalars and the accumulators, the
 * accumulators at ω·ζ, and x at its rotations: none of it grows with m or the image, and B is neither committed nor
 * written by a copy. The fold key names the whole geometry.
 * @module
 */
import type { G1Point } from '../src/curve';
import type { SlotDecl, SlotValues } from '../src/equations/equation';
import { frSlot } from '../src/equations/evaluate';
import { BlockfoldError } from '../src/errors';
import { Fr, R } from '../src/field';
import { commit, commitLagrange } from '../src/kzg/commit';
import { interpolate } from '../src/poly/interpolate';
import { nextPowerOfTwo } from '../src/poly/roots';
import type { Block, BlockContext, TensorSpec, Tensors } from './block';
import { rowEvaluations } from './commit-rows';
import { ConvolutionLayout, type ConvolutionLayoutOptions } from './convolution-layout';
import {
  at,
  combineRowValues,
  periodicVector,
  powers,
  pub,
  rotatedAt,
  rowSlot,
  rowStatementSlots,
  runningSumValues,
  scalar,
  term,
  type Identity,
  type PolyIopProver,
  type PolyIopSpec,
  type PublicPoly,
  type SumClaim,
} from './poly-iop';
import { PolyIopBlock } from './poly-iop-block';
import { hiddenScalar, sumClaim, summandValues, type HiddenScalar } from './running-sum';
import { weightLink, weightLinkProver, type WeightLink } from './weight-link';

/** Shape and layout of a {@link ConvolutionBlock} (`blocks/convolution-layout.ts`). */
export type ConvolutionOptions = ConvolutionLayoutOptions;

// Public vectors: β⃗_N on H_{MN}, β⃗_v and the padding indicator on H_{Cx·N} (all of period N).
const BETAS = 'betas';
const OUTPUT_BETAS = 'betas/out';
const PADDING = 'x/padding';
// The four claims (module comment, step 4), and the derived tap weights α^(−t·cin).
const OUTPUTS = 'conv/c';
const WEIGHTS = 'conv/a';
const READS = 'conv/x';
const PRODUCTS = 'conv/p';
const tapWeightSlot = (t: number) => `alpha^-${t}cin`;

/** The block's claims, hidden scalars and public vectors (module comment, step 4). */
interface ConvolutionSums {
  readonly outputs: SumClaim;
  readonly weights: SumClaim;
  readonly reads: SumClaim;
  readonly products: SumClaim;
  readonly outputsTotal: HiddenScalar;
  readonly productsTotal: HiddenScalar;
  readonly outputsBetas: PublicPoly;
  readonly readBetas: PublicPoly;
  readonly padding: PublicPoly;
}

/** `C = W ⊛ x` for fixed W, reading x in place at one rotation per tap; see the module comment for the protocol. */
export class ConvolutionBlock extends PolyIopBlock implements Block {
  readonly kind = 'convolution';
  readonly foldKey: string;
  readonly tensors: readonly TensorSpec[];
  /** The geometry: shape, pads, S, Rr, tap offsets (`blocks/convolution-layout.ts`). */
  readonly layout: ConvolutionLayout;
  /** k = T·cin: the columns of W, tap-major (column j = t·cin + c). */
  readonly columns: number;
  /** K: the domain of W's rows and of p. */
  readonly innerDomain: number;
  /** M = pow2(m): the channels of C's row (channels c ≥ m padding). */
  readonly outRows: number;
  protected readonly spec: PolyIopSpec;
  private readonly sums: ConvolutionSums;
  /** The link of a, the combination of the fixed weight rows (blocks/weight-link.ts). */
  private readonly link: WeightLink;

  constructor(opts: ConvolutionOptions) {
    super();
    const layout = new ConvolutionLayout(opts);
    const { inChannels: cin, outChannels: m, channelCells: N } = layout;
    this.layout = layout;
    this.columns = layout.taps * cin;
    this.innerDomain = nextPowerOfTwo(Math.max(this.columns, 2));
    this.outRows = nextPowerOfTwo(m);
    const [K, M] = [this.innerDomain, this.outRows];
    const { top, left, bottom, right } = layout.pads;
    this.foldKey = `convolution/c${cin}/m${m}/${layout.height}x${layout.width}/k${layout.kernelHeight}x${layout.kernelWidth}/p${top},${left},${bottom},${right}/S${layout.rowStride}/R${layout.channelRows}`;
    this.tensors = [
      { name: 'w', rows: m, domain: K, role: 'input', fixed: true },
      { name: 'x', rows: 1, domain: cin * N, role: 'input' },
      { name: 'c', rows: 1, domain: M * N, role: 'output' },
    ];
    this.link = weightLink('a', K, (v) => ({ slots: Array.from({ length: m }, (_, c) => rowSlot('w', c)), scalars: outputRowWeights(frSlot(v, 'alpha'), m) }));
    this.sums = this.claims();
    this.spec = this.buildSpec();
  }

  /** The four claims, their two hidden scalars and the public vectors (module comment, step 4). */
  private claims(): ConvolutionSums {
    const { inChannels: cin, channelCells: N, taps } = this.layout;
    const [K, M] = [this.innerDomain, this.outRows];
    const outputsTotal = hiddenScalar(OUTPUTS);
    const productsTotal = hiddenScalar(PRODUCTS);
    const total = (g: HiddenScalar) => [term(1, at(g.oracle.name))];
    const rowsOfN = { challenge: 'alpha', rowLength: N };
    const reads = Array.from({ length: taps }, (_, t) => term(1, ...(t > 0 ? [scalar(tapWeightSlot(t))] : []), pub(OUTPUT_BETAS), rotatedAt('x', this.layout.tapOffset(t))));
    return {
      outputs: sumClaim({ name: OUTPUTS, domain: M * N, summand: [term(1, at('c'), pub(BETAS))], total: total(outputsTotal), rowWeights: rowsOfN }),
      weights: sumClaim({ name: WEIGHTS, domain: K, summand: [term(1, at('a'), at('p'))], total: total(outputsTotal) }),
      reads: sumClaim({ name: READS, domain: cin * N, summand: reads, total: total(productsTotal), rowWeights: rowsOfN }),
      products: sumClaim({ name: PRODUCTS, domain: K, summand: [term(1, at('p'))], total: total(productsTotal), rowWeights: { challenge: 'alpha', rowLength: 1 } }),
      outputsTotal,
      productsTotal,
      outputsBetas: periodicVector(BETAS, M * N, N, (v) => powers(frSlot(v, 'beta'), N)),
      readBetas: periodicVector(OUTPUT_BETAS, cin * N, N, (v) => this.outputBetas(frSlot(v, 'beta'))),
      padding: periodicVector(PADDING, cin * N, N, () => Array.from({ length: N }, (_, l) => (this.layout.isImagePosition(l) ? 0n : 1n))),
    };
  }

  private buildSpec(): PolyIopSpec {
    const { sums, link } = this;
    const { inChannels: cin, channelCells: N, taps } = this.layout;
    const [K, M] = [this.innerDomain, this.outRows];
    const hidden = [sums.outputsTotal, sums.productsTotal];
    const tapSlots = Array.from({ length: taps - 1 }, (_, i) => tapWeightSlot(i + 1));
    // An image that fills its rows and channels (S = W, Rr = H) leaves x no padding: no identity to prove.
    const padded = this.layout.rowStride > this.layout.width || this.layout.channelRows > this.layout.height;
    const padding: Identity[] = padded ? [{ name: 'conv/x-padding', domain: cin * N, terms: [term(1, pub(PADDING), at('x'))] }] : [];
    return {
      foldKey: this.foldKey,
      statement: rowStatementSlots(this.tensors),
      slots: [
        { name: 'beta', sort: 'fr', origin: 'challenge' },
        { name: '[p]', sort: 'g1', origin: 'message' },
        { name: 'alpha', sort: 'fr', origin: 'challenge' },
        ...tapSlots.map((name): SlotDecl => ({ name, sort: 'fr', origin: 'derived' })),
        ...hidden.map((g) => g.commitmentSlot),
        ...link.slots,
      ],
      rounds: [
        { kind: 'challenge', slots: ['beta'] },
        { kind: 'message', slots: ['[p]'] },
        { kind: 'challenge', slots: ['alpha'] },
        ...(tapSlots.length > 0
          ? [{ kind: 'derived' as const, slots: tapSlots, compute: (v: SlotValues) => Object.fromEntries(this.tapWeights(frSlot(v, 'alpha')).slice(1).map((x, i) => [tapSlots[i], x])) }]
          : []),
        { kind: 'message', slots: [...hidden.map((g) => g.commitmentSlot.name), link.message] },
        ...link.rounds,
      ],
      oracles: [
        link.oracle,
        { name: 'p', domain: K, commitment: '[p]' },
        { name: 'x', domain: cin * N, commitment: rowSlot('x', 0) },
        { name: 'c', domain: M * N, commitment: rowSlot('c', 0) },
        ...hidden.map((g) => g.oracle),
        link.vanishing,
      ],
      publics: [sums.outputsBetas, sums.readBetas, ...(padded ? [sums.padding] : [])],
      identities: [link.identity, ...padding],
      sums: [sums.outputs, sums.weights, sums.reads, sums.products],
      sharedChallenges: ['alpha'],
      selfBlinded: link.selfBlinded,
    };
  }

  /** `α^(−t·cin)` for every tap t: the weight of B's rows t·cin … t·cin + cin − 1 relative to channel c's own `α^(−c)`. */
  private tapWeights(alpha: bigint): bigint[] {
    return powers(Fr.pow(Fr.inv(alpha), BigInt(this.layout.inChannels)), this.layout.taps);
  }

  /** `β⃗_v`: β^l at the output positions l of a channel, 0 at its other cells. */
  private outputBetas(beta: bigint): bigint[] {
    return powers(beta, this.layout.channelCells).map((b, l) => (this.layout.isOutputPosition(l) ? b : 0n));
  }

  /**
   * `C_cl = Σ_t Σ_{c'<cin} W_{c,t·cin+c'}·x[c'·N + l + off_t]` (index mod cin·N) over the integers at the output
   * positions l of the m real channels, 0 elsewhere: C as M·N cells, M = pow2(m), its padding channels zero (C's row on
   * H_{M·N}, as every reader of C expects it). x is one row of at most cin·N cells (missing cells are zeros) whose padding must be
   * zero: with a nonzero padding cell the proof would fail, so the prover refuses it here, naming the cell.
   */
  witness(inputs: Tensors): Tensors {
    const { w, x } = inputs;
    const { inChannels: cin, outChannels: m, channelCells: N, rowStride: S } = this.layout;
    const n = cin * N;
    if (!w || !x || w.length !== m || x.length !== 1) throw new BlockfoldError('BLOCK', `convolution: expected w (${m} rows) and x (1 row)`);
    if (w.some((r) => r.length !== this.columns)) throw new BlockfoldError('BLOCK', `convolution: rows of w must have length k = T·cin = ${this.columns}`);
    if (x[0].length > n) throw new BlockfoldError('BLOCK', `convolution: x must be one row of at most cin·N = ${n} cells, got ${x[0].length}`);
    const cells = Array.from({ length: n }, (_, i) => x[0][i] ?? 0n);
    cells.forEach((v, i) => {
      const l = i % N;
      if (v !== 0n && !this.layout.isImagePosition(l))
        throw new BlockfoldError('BLOCK', `convolution: x's padding cell (channel ${Math.floor(i / N)}, row ${Math.floor(l / S)}, column ${l % S}) holds ${v}, not 0`);
    });
    const c = new Array<bigint>(this.outRows * N).fill(0n);
    for (let t = 0; t < this.layout.taps; t++) {
      const off = this.layout.tapOffset(t);
      for (let ci = 0; ci < cin; ci++) {
        const j = t * cin + ci;
        for (let l = 0; l < N; l++) {
          if (!this.layout.isOutputPosition(l)) continue;
          const v = cells[(((ci * N + l + off) % n) + n) % n];
          if (v !== 0n) for (let co = 0; co < m; co++) c[co * N + l] += w[co][j] * v;
        }
      }
    }
    return { c: [c] };
  }

  /**
   * The prover's p on H_K: `p_j = ⟨B_j, β⃗_v⟩` for j = t·cin + c < k (B_j read from x's values on H_{cin·N} at the
   * tap's offset), 0 beyond. `betas` is β⃗_v; `values` the slots so far (β). Protected so that soundness tests can
   * substitute a cheating p.
   */
  protected tapProducts(x: readonly bigint[], betas: readonly bigint[], _values: SlotValues): bigint[] {
    const { inChannels: cin, channelCells: N } = this.layout;
    const n = cin * N;
    const p = new Array<bigint>(this.innerDomain).fill(0n);
    for (let t = 0; t < this.layout.taps; t++) {
      const off = this.layout.tapOffset(t);
      for (let c = 0; c < cin; c++) {
        let acc = 0n;
        for (let l = 0; l < N; l++) if (betas[l] !== 0n) acc += betas[l] * x[(((c * N + l + off) % n) + n) % n];
        p[t * cin + c] = acc % R;
      }
    }
    return p;
  }

  /**
   * The summand of the claim over x on H_{cin·N}: `Σ_t α^(−t·cin)·β⃗_v(i mod N)·x[i + off_t]` at cell i, from x's values
   * and the tap weights (zero off the output positions, where β⃗_v is).
   */
  private readSummand(x: readonly bigint[], betas: readonly bigint[], weights: readonly bigint[]): bigint[] {
    const { inChannels: cin, channelCells: N } = this.layout;
    const n = cin * N;
    const offsets = weights.map((_, t) => this.layout.tapOffset(t));
    const out = new Array<bigint>(n).fill(0n);
    for (let i = 0; i < n; i++) {
      const b = betas[i % N];
      if (b === 0n) continue;
      let acc = 0n;
      for (let t = 0; t < weights.length; t++) acc += weights[t] * x[(((i + offsets[t]) % n) + n) % n];
      out[i] = ((acc % R) * b) % R;
    }
    return out;
  }

  /** The block's side of the poly-IOP prover: its own rounds and its oracles' polynomials. */
  iopProver(ctx: BlockContext, tensors: Tensors): PolyIopProver {
    const { inChannels: cin, outChannels: m, channelCells: N } = this.layout;
    const [K, M] = [this.innerDomain, this.outRows];
    const sums = this.sums;
    const w = tensors.w.map((r) => rowEvaluations(r, K));
    const x = rowEvaluations(tensors.x[0], cin * N);
    const c = rowEvaluations(tensors.c[0], M * N);
    // The link's blinding keyed by β, the block's own challenge (α is shared between the members of a model argument).
    const link = weightLinkProver(ctx, this.link, K, (v) => `convolution/${this.foldKey}/${frSlot(v, 'beta')}`);
    let a: bigint[] = [];
    let p: bigint[] = [];
    const polys: Record<string, bigint[]> = {};
    return {
      round: async (decls, v): Promise<SlotValues> => {
        if (decls[0]?.name === '[p]') {
          p = this.tapProducts(x, this.outputBetas(frSlot(v, 'beta')), v);
          return { '[p]': await commitLagrange(ctx.kzg, p) };
        }
        // The hidden scalars hold the sums over C and over x, so with a false witness (or p) the claims over H_K,
        // which read them, fail and the verifier rejects.
        const alpha = frSlot(v, 'alpha');
        a = combineRowValues(w, outputRowWeights(alpha, m));
        const out: Record<string, G1Point> = {};
        const hide = async (g: HiddenScalar, claim: SumClaim, summand: bigint[]) => {
          const value = runningSumValues(summand, claim.multiplier!.values(v)).sum;
          polys[g.oracle.name] = [value];
          out[g.commitmentSlot.name] = await commit(ctx.kzg, [value]);
        };
        await hide(sums.outputsTotal, sums.outputs, summandValues([{ u: c, v: sums.outputsBetas.values(v) }]));
        await hide(sums.productsTotal, sums.reads, this.readSummand(x, this.outputBetas(frSlot(v, 'beta')), this.tapWeights(alpha)));
        return { ...out, ...(await link.messages(v)) };
      },
      polynomials: () => ({
        ...link.polynomials(interpolate(a, ctx.engine)),
        p: interpolate(p, ctx.engine),
        x: interpolate(x, ctx.engine),
        c: interpolate(c, ctx.engine),
        ...polys,
      }),
    };
  }
}

/**
 * `α^(−c)` for the output channels c < m: the weight `μ_0·α^(M−1−c)` (μ_0 = α^(1−M)) that the claim over C, rows of N
 * weighted by α, gives C's row c, so that `a = Σ_c α^(−c)·W_c` weighs W's rows alike.
 */
function outputRowWeights(alpha: bigint, m: number): bigint[] {
  return powers(Fr.inv(alpha), m);
}
