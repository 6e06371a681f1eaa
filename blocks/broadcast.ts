/**
 * The row broadcast: `out[i·K + j] = in[i]` for every i < M and j < K, in one row on H_M (M cells, no padding) and
 * out one row on H_{M·K} (every cell real), M and K powers of two. It is the compiler's copy of a per-row statistic
 * (a LayerNorm mean or inverse deviation, a softmax max or sum) along the last axis of a flat tensor, proven without
 * the permutation argument's logUp over every cell of both tensors.
 *
 * Protocol (statement: `[in]₁` on H_M and `[out]₁` on H_{M·K}):
 *
 * 1. challenges α and β, drawn after the statement;
 * 2. the public **column weights** `c = (1 − Σ_{0<j<K} β^j, β, β², …, β^(K−1))`, a vector of period K on H_{M·K}
 *    (`periodicVector`: the verifier evaluates it in O(K)); they sum to 1, so a row holding one value x everywhere
 *    weighs x;
 * 3. equal row-weighted sums (`equalSumsGadget` with `rowWeights`, the Horner form of `blocks/running-sum`): the left
 *    side `out·c` on H_{M·K} in rows of K cells, the right side in on H_M in rows of one cell, so the transitions hold
 *    on H exactly when `Σ_i α^(M−1−i)·Σ_j c_j·out_ij = Σ_i α^(M−1−i)·in_i`. No sum is sent: both running sums close
 *    on one blinded hidden scalar (or, when K = 1, one running sum of the difference closes on 0).
 *
 * Why it is sound: the difference of the two sides is
 *
 *   `F(α, β) = Σ_i α^(M−1−i)·((out_i0 − in_i) + Σ_{0<j<K} β^j·(out_ij − out_i0))`,
 *
 * whose coefficient of `α^(M−1−i)` is `out_i0 − in_i` and of `α^(M−1−i)·β^j` (j > 0) is `out_ij − out_i0`: F is the
 * zero polynomial exactly when `out_ij = in_i` for every cell. in and out are fixed by the statement before α and β are
 * drawn, so if some cell is wrong, F is a nonzero polynomial of total degree ≤ M + K − 2 and vanishes at the random
 * (α, β) with probability ≤ (M + K − 2)/r (Schwartz–Zippel). The transitions themselves are enforced on H by the
 * shared quotient at ζ, as for every running sum. Every cell of both rows is real, so the relation covers the whole
 * of out: nothing is left free.
 *
 * Why this and not "out constant along each row (`(1 − E(X))·(out(ω·X) − out(X)) = 0`, E the row ends) and its first
 * column equal to in (row-weighted sums masked to j = 0)": the column weights prove both at once. out is then opened
 * at ζ only, not also at ω·ζ: one evaluation fewer in the proof, a row blinding of 2 coefficients instead of 3, one
 * identity and one periodic public fewer, for one more challenge.
 *
 * Why it hides: in and out are statement rows the pipeline commits blinded (`[f + Z_H·b]₁`,
 * `BlockContext.statementBlinding`), each opened at ζ only, so their evaluations are uniform; the hidden scalar (it
 * holds `α^(1−M)·Σ_i α^(M−1−i)·in_i`) and the running sums are message oracles the compiler blinds (`blocks/hiding.ts`).
 * The block checks no linear relation on commitments, so it constrains no row's blinding.
 * @module
 */
import { frSlot } from '../src/equations/evaluate';
import { BlockfoldError } from '../src/errors';
import { R } from '../src/field';
import { interpolate } from '../src/poly/interpolate';
import { isPowerOfTwo } from '../src/poly/roots';
import { PolyIopBlock } from './poly-iop-block';
import type { Block, BlockContext, TensorRange, TensorSpec, Tensors } from './block';
import { rowEvaluations } from './commit-rows';
import {
  at,
  periodicVector,
  powers,
  pub,
  rowSlot,
  rowStatementSlots,
  term,
  type PolyIopProver,
  type PolyIopSpec,
  type PublicPoly,
} from './poly-iop';
import { equalSumsGadget, equalSumsProver, hiddenScalarRound, summandValues, type EqualSums } from './running-sum';

/** Shape of a {@link BroadcastBlock}. */
export interface BroadcastOptions {
  /** M: the cells of in (= rows of out), a power of two; in lives on H_M with no padding. */
  readonly rows: number;
  /** K: the cells of each row of out, a power of two; out lives on H_{M·K} with no padding. */
  readonly rowLength: number;
}

const SUMS = 'rows';
const WEIGHTS = 'columns';

/**
 * The column weights `c_0 = 1 − Σ_{0<j<K} β^j`, `c_j = β^j` (module comment): `Σ_j c_j = 1`, and as polynomials in β
 * `Σ_j c_j·x_j = x_0 + Σ_{0<j<K} β^j·(x_j − x_0)`, which is `x_0` for every β only if every `x_j = x_0`.
 */
export function columnWeights(beta: bigint, rowLength: number): bigint[] {
  const c = powers(beta, rowLength);
  c[0] = c.slice(1).reduce((acc, p) => (acc - p + R) % R, 1n);
  return c;
}

/** `out[i·K + j] = in[i]`: one row on H_M broadcast along rows of K cells (see the module comment). */
export class BroadcastBlock extends PolyIopBlock implements Block {
  readonly kind = 'broadcast';
  readonly foldKey: string;
  readonly tensors: readonly TensorSpec[];
  /** M. */
  readonly rows: number;
  /** K. */
  readonly rowLength: number;
  /** `Σ_i α^(M−1−i)·Σ_j c_j·out_ij = Σ_i α^(M−1−i)·in_i`, no sum sent. */
  private readonly sums: EqualSums;
  private readonly weights: PublicPoly;
  protected readonly spec: PolyIopSpec;

  constructor(opts: BroadcastOptions) {
    super();
    const { rows: M, rowLength: K } = opts;
    if (!isPowerOfTwo(M) || !isPowerOfTwo(K))
      throw new BlockfoldError('BLOCK', `broadcast: the rows M and the row length K must be powers of two (in and out have no padding cells), got M = ${M}, K = ${K}`);
    this.rows = M;
    this.rowLength = K;
    const n = M * K;
    this.foldKey = `broadcast/M${M}/K${K}`;
    this.tensors = [
      { name: 'in', rows: 1, domain: M, role: 'input' },
      { name: 'out', rows: 1, domain: n, role: 'output' },
    ];
    this.weights = periodicVector(WEIGHTS, n, K, (v) => columnWeights(frSlot(v, 'beta'), K));
    this.sums = equalSumsGadget(
      SUMS,
      { domain: n, summand: [term(1, at('out'), pub(WEIGHTS))], rowWeights: { challenge: 'alpha', rowLength: K } },
      { domain: M, summand: [term(1, at('in'))], rowWeights: { challenge: 'alpha', rowLength: 1 } },
    );
    this.spec = {
      foldKey: this.foldKey,
      statement: rowStatementSlots(this.tensors),
      slots: [
        { name: 'alpha', sort: 'fr', origin: 'challenge' },
        { name: 'beta', sort: 'fr', origin: 'challenge' },
        ...this.sums.slots,
      ],
      rounds: [{ kind: 'challenge', slots: ['alpha', 'beta'] }, ...hiddenScalarRound(this.sums)],
      oracles: [{ name: 'in', domain: M, commitment: rowSlot('in', 0) }, { name: 'out', domain: n, commitment: rowSlot('out', 0) }, ...this.sums.oracles],
      publics: [this.weights, ...this.sums.publics],
      identities: [],
      sums: this.sums.sums,
      sharedChallenges: ['alpha'],
    };
  }

  /** `out[i·K + j] = in[i]`, as one row of M·K cells. */
  witness(inputs: Tensors): Tensors {
    const x = inputs.in;
    if (!x || x.length !== 1 || x[0].length !== this.rows) throw new BlockfoldError('BLOCK', `broadcast: in must be one row of ${this.rows} cells`);
    const row = x[0];
    return { out: [Array.from({ length: this.rows * this.rowLength }, (_, f) => row[Math.floor(f / this.rowLength)])] };
  }

  /**
   * Every cell of out is a cell of in (`out_ij = in_i`) and every cell of in is one of out (`in_i = out_i0`), so a
   * range of every cell of either is a range of every cell of the other. A fact on part of a row says nothing here.
   */
  provenRanges(known: ReadonlyMap<string, TensorRange>): TensorRange[] {
    const facts: TensorRange[] = [];
    const x = known.get('in');
    if (x && x.cells >= this.rows) facts.push({ tensor: 'out', lo: x.lo, hi: x.hi, cells: this.rows * this.rowLength });
    const y = known.get('out');
    if (y && y.cells >= this.rows * this.rowLength) facts.push({ tensor: 'in', lo: y.lo, hi: y.hi, cells: this.rows });
    return facts;
  }

  /** The block's side of the poly-IOP prover: its one round (the equal sums) and its oracles' polynomials. */
  iopProver(ctx: BlockContext, tensors: Tensors): PolyIopProver {
    const x = rowEvaluations(tensors.in[0], this.rows);
    const y = rowEvaluations(tensors.out[0], this.rows * this.rowLength);
    const hidden: Record<string, bigint[]> = {};
    return {
      round: async (_decls, v) => {
        const sums = await equalSumsProver(ctx.kzg, this.sums, summandValues([{ u: y, v: this.weights.values(v) }]), v);
        Object.assign(hidden, sums.polys);
        return sums.messages;
      },
      polynomials: () => ({ in: interpolate(x, ctx.engine), out: interpolate(y, ctx.engine), ...hidden }),
    };
  }
}
