/**
 * Maximum over candidates with the differences `d = y − x` as a range-checked output, in two layouts of x.
 *
 * **Row layout.** Cellwise maximum `y = max(x_0, …, x_{k−1})` of k candidate rows for each of m output rows (for
 * example the 4 positions of every 2×2 max-pool window, laid out as 4 rows by a permutation block). Row `j·m + i` of x
 * is candidate j of output row i. All rows are in one instance.
 *
 * The block outputs, next to y, the differences `d_{j·m+i} = y_i − x_{j·m+i}` and proves:
 * 1. **linearity** `[D_r]₁ = [Y_{r mod m}]₁ − [X_r]₁` for every r: the verifier draws ρ and derives the residual
 *    `Σ_r ρ^r·([Y_{r mod m}]₁ − [X_r]₁ − [D_r]₁)`; the equation `e(residual, [1]₂) = 1` (degree 1). A model proof
 *    derives `[D_r]₁` from these relations (`src/pipeline/derived-rows.ts`), where the check would hold by
 *    construction, so it leaves the check out (`BlockContext.relationsDerived`, {@link MaxBlock.linearCheck});
 * 2. **one difference is zero** at every point of H: `Π_j d_{j,i}(X) = 0`, with helper products of degree 2,
 *    `h_1 = d_0·d_1`, `h_j = h_{j−1}·d_j` (j ≤ k − 2), `h_{k−2}·d_{k−1} = 0` (k = 2: `d_0·d_1 = 0`), the helpers
 *    committed and every identity proven by the quotient argument (`blocks/poly-iop`).
 * The third fact, `d ≥ 0`, is a range check `d ∈ [0, 2^bits)` done by the lookup block: the block lists it in
 * {@link MaxBlock.rangeObligations} and the compiler must attach a range lookup to the tensor `d`. With it, y is at least
 * every candidate and equal to one of them: y is the maximum. Without it the block proves only "y is a candidate".
 *
 * **Padding.** The range is needed on the real cells `0 … length − 1` of each row only. On a padding cell the product
 * identity still holds, so `y` equals one of the candidates' padding cells whatever `d` holds there: with zero-padded
 * candidates (the compiler writes x with a permutation block, which pins its padding to zero) y's padding is zero,
 * the state every consumer of a committed row expects. A range check on the padding would add nothing, and a range
 * proven through a flat copy of the real cells (the compiler's cheaper layout for many short rows) does not cover it.
 *
 * The compiler may derive `[D_r]₁` from the commitments of x and y with {@link maxDifferenceCommitments} (no MSM):
 * commitments are linear and honest rows are zero-padded, so the result equals committing d.
 *
 * **Flat layout** (`flat: true`; `rows` M, `domain` K, `candidates` L): the maximum over the last axis of a flat tensor,
 * `y_i = max_{j<L} x_{i·K+j}`, with no copy of the candidates into rows and one commitment per tensor. x is ONE row on
 * H_n, n = M·K (M outputs and K cells per row, both powers of two): row i of the flat tensor holds the L real
 * candidates of output i at cells `i·K + j`, j < L ≤ K, then K − L padding cells. d is one row on H_n, y one row on
 * H_M (one cell per output, so y has no padding). With
 * `s = d + x` and the public indicators of period K (`periodicVector`, evaluated by the verifier in O(K))
 * `first = [j = 0]`, `next = [j + 1 < L]`, `last = [j = L − 1]` and `pad = [j ≥ L]`, the identities on H_n are
 * 1. `next(X)·(s(ω·X) − s(X)) = 0`: s is constant along the real cells of each row;
 * 2. `pad(X)·d(X) = 0`: d's padding cells are zero (no identity when L = K);
 * 3. `first(X)·(p(X) − d(X)) = 0`, 4. `next(X)·(p(ω·X) − p(X)·d(ω·X)) = 0`, 5. `last(X)·p(X) = 0`: a committed
 *    message p, the running product of d along the real cells of each row restarted at every row start, ends at 0;
 * and, with a challenge α drawn after the statement, the link to y by row-weighted equal sums (`blocks/running-sum`):
 * 6. `Σ_i α^(M−1−i)·Σ_j first_ij·s_ij = Σ_i α^(M−1−i)·y_i`, the left side on H_n with rows of K cells, the right one
 *    on H_M with rows of one cell, two running sums closing on one hidden scalar (for M = 1 the same with μ = 1).
 *
 * *Soundness.* By 1, `s_ij = s_i0` for every j < L (each step j → j + 1 has j + 1 < L, so stays in row i). The two
 * sides of 6 are polynomials in α of degree < M fixed by the statement before α is drawn; they agree at α, so
 * except with probability (M − 1)/r they are equal: `s_i0 = y_i` for every i, so `d_ij = y_i − x_ij` on every real
 * cell. By 3 and 4 (induction along j), `p_ij = Π_{j'≤j} d_ij'` for j < L, and by 5 that product over the L real cells
 * is zero in Fr, a field: some real `d_ij` is zero, y_i is one of the real candidates. With the range obligation
 * (d ∈ [0, 2^bits), inside the window of docs/soundness.md rule 9) `y_i ≥ x_ij` over the integers for every j < L:
 * `y_i = max_{j<L} x_ij`. Every identity constrains values on H only, which the blindings `Z_H·b` of committed rows
 * leave unchanged.
 *
 * *Padding and the range obligation.* No identity reads x's padding cells (1 reads cells j and j + 1 < L, the link
 * cell j = 0, real since L ≥ 2): the compiler may fill them with anything, a permutation's zeros included. p's padding
 * is read by none either (the honest prover leaves it 0), and y has none (M is exact). d's padding is pinned to zero
 * by 2, so every cell of d is a function of x and y, and the range obligation covers d's **whole** row (`cells = n`):
 * a {@link TensorRange} counts cells from the start of a committed row, so "the first L of every K cells" of a
 * one-row tensor is not expressible (and a range lookup on d's row covers all of it anyway), and zero is in range, so
 * the honest witness meets the obligation whatever x's padding holds; `TensorRange` and the graph validation stay as
 * they are. (Were s constant along whole rows instead, d's padding would be `y_i − x_pad`, in range only for a
 * padding of x chosen from the data.)
 *
 * *Hiding.* x, d and y are statement rows, blinded by the pipeline (x and d are opened at ζ and ω·ζ, so their
 * blindings take 3 coefficients); p, the two running sums and the hidden scalar are message oracles, blinded by the
 * compiler (`blocks/hiding.ts`). The proof sends nothing else: no candidate row, no sum of the witness.
 * @module
 */
import type { G1Point } from '../src/curve';
import type { SlotDecl } from '../src/equations/equation';
import { BlockfoldError } from '../src/errors';
import { R } from '../src/field';
import { commit } from '../src/kzg/commit';
import { interpolate } from '../src/poly/interpolate';
import { isPowerOfTwo } from '../src/poly/roots';
import { PolyIopBlock } from './poly-iop-block';
import type { Block, BlockContext, TensorRange, TensorSpec, Tensors } from './block';
import { rowEvaluations } from './commit-rows';
import { linearRelationCheck, ZERO_PUBLIC_SIDE, type LinearCheckParts, type LinearRelation, type LinearRelationCheck, type LinearRelationPublic } from './linear-relation';
import {
  at,
  periodicVector,
  type PolyIopProver,
  pub,
  rowSlot,
  rowStatementSlots,
  shiftedAt,
  term,
  type Identity,
  type Oracle,
  type PolyIopSpec,
  type PublicPoly,
} from './poly-iop';
import type { Step } from './protocol';
import { equalSumsGadget, equalSumsProver, summandValues, type EqualSums } from './running-sum';

/** Shape of a {@link MaxBlock}. */
export interface MaxOptions {
  /** Candidates per output cell (k ≥ 2); flat: the real cells L at the start of each row of the flat tensor. */
  readonly candidates: number;
  /** Output rows m; flat: the outputs M, one per row of the flat tensor (a power of two). */
  readonly rows: number;
  /** Domain size n of every row (a power of two); flat: the row length K of x's layout (a power of two ≥ L). */
  readonly domain: number;
  /** Real cells per row (≤ n; the rest is padding); n when omitted. Row layout only: a flat row's real cells are its candidates. */
  readonly length?: number;
  /** Differences are range-checked in `[0, 2^bits)`. */
  readonly bits: number;
  /** x as one flat row on H_{M·K}, cell (i, j) at index i·K + j (module comment); default: k·m candidate rows. */
  readonly flat?: boolean;
}

const helperOracle = (j: number, i: number) => `h/${j}/${i}`;
const helperSlot = (j: number, i: number) => `[h]/${j}/${i}`;

/** Slot and polynomial names of the flat layout. */
const FLAT = {
  alpha: 'alpha',
  product: 'p',
  productSlot: '[p]',
  link: 'link',
  first: 'first',
  next: 'next',
  last: 'last',
  pad: 'pad',
} as const;

/** What the flat layout's prover reads besides the spec: the link to y and the row-start indicator it sums over. */
interface FlatLink {
  readonly sums: EqualSums;
  readonly first: PublicPoly;
}

/** `y = max_j x_j` over candidate rows or along the rows of a flat tensor, with the differences `d = y − x` as a range-checked output. */
export class MaxBlock extends PolyIopBlock implements Block {
  readonly kind = 'max';
  readonly foldKey: string;
  readonly tensors: readonly TensorSpec[];
  /** Range-check width: the differences lie in `[0, 2^bits)`. */
  readonly bits: number;
  /** Candidates of each output: k candidate rows, or (flat) the L real cells at the start of each row of the flat tensor. */
  readonly candidates: number;
  /** Outputs: m output rows, or (flat) M output cells, one per row of the flat tensor. */
  readonly rows: number;
  /** Domain n of every row, or (flat) the row length K of x's layout (x and d live on H_{M·K}). */
  readonly domain: number;
  /** Real cells per row: of each committed row, or (flat) of each row of x's layout, its L candidates. */
  readonly length: number;
  /** Whether x is one flat row (module comment) rather than k·m candidate rows. */
  readonly flat: boolean;
  protected readonly spec: PolyIopSpec;
  /** Flat layout: the link to y (its prover reads it). */
  private readonly link: FlatLink | undefined;
  /** Row layout: the linear check of the differences. */
  private readonly check: LinearRelationCheck | undefined;

  constructor(opts: MaxOptions) {
    super();
    const { candidates: k, rows: m, bits } = opts;
    if (!Number.isInteger(k) || k < 2) throw new BlockfoldError('BLOCK', `max: needs at least 2 candidates, got ${k}`);
    if (!Number.isInteger(m) || m < 1) throw new BlockfoldError('BLOCK', `max: rows must be a positive integer, got ${m}`);
    if (!Number.isInteger(bits) || bits < 1 || bits > 64) throw new BlockfoldError('BLOCK', `max: bits must be in 1..64, got ${bits}`);
    this.candidates = k;
    this.rows = m;
    this.bits = bits;
    this.flat = opts.flat === true;
    if (this.flat) {
      const K = opts.domain;
      if (opts.length !== undefined) throw new BlockfoldError('BLOCK', `max (flat): the real cells of a row are its ${k} candidates; length is for the row layout`);
      if (!isPowerOfTwo(m)) throw new BlockfoldError('BLOCK', `max (flat): the outputs M must be a power of two, got ${m}`);
      if (!isPowerOfTwo(K) || K < k) throw new BlockfoldError('BLOCK', `max (flat): the row length K must be a power of two ≥ ${k} candidates, got ${K}`);
      this.domain = K;
      this.length = k;
      this.foldKey = `max/flat/k${k}/m${m}/K${K}`;
      this.tensors = [
        { name: 'x', rows: 1, domain: m * K, role: 'input' },
        { name: 'y', rows: 1, domain: m, role: 'output' },
        { name: 'd', rows: 1, domain: m * K, role: 'output' },
      ];
      const flat = flatSpec(this.foldKey, this.tensors, m, K, k);
      this.spec = flat.spec;
      this.link = flat.link;
      this.check = undefined;
      return;
    }
    const n = opts.domain;
    const length = opts.length ?? n;
    if (!Number.isInteger(length) || length < 1 || length > n) throw new BlockfoldError('BLOCK', `max: row length must be in 1..${n}, got ${length}`);
    this.domain = n;
    this.length = length;
    this.link = undefined;
    this.foldKey = `max/k${k}/m${m}/n${n}`;
    this.tensors = [
      { name: 'x', rows: k * m, domain: n, role: 'input' },
      { name: 'y', rows: m, domain: n, role: 'output' },
      { name: 'd', rows: k * m, domain: n, role: 'output' },
    ];
    this.check = linearRelationCheck(maxDifferenceRelations(k, m), 'differences');
    this.spec = rowLayoutSpec(this.foldKey, this.tensors, k, m, n, this.check);
  }

  /** Row layout: the linear check of the differences (module comment, 1). Flat: none, d = y − x is an identity on H. */
  protected override linearCheck(): LinearCheckParts | undefined {
    return this.check?.parts;
  }

  /** Row layout: for every difference row r, `[Y_{r mod m}]₁ − [X_r]₁ − [D_r]₁ = 0`. Flat: none (d = y − x is an identity on H). */
  linearRelations(): LinearRelation[] {
    return this.flat ? [] : maxDifferenceRelations(this.candidates, this.rows);
  }

  /** The relations' public side: none, `[Y_{r mod m}]₁ − [X_r]₁ − [D_r]₁ = 0`. */
  linearRelationsPublic(): LinearRelationPublic {
    return ZERO_PUBLIC_SIDE;
  }

  /**
   * The differences must be range-checked, `d ∈ [0, 2^bits)`: on the real cells of each row (the padding needs none),
   * or (flat) on the whole row, whose padding the block pins to zero (module comment).
   */
  rangeObligations(): TensorRange[] {
    return [{ tensor: 'd', lo: 0n, hi: (1n << BigInt(this.bits)) - 1n, cells: this.flat ? this.rows * this.domain : this.length }];
  }

  /**
   * Row layout: `y_i = max_j x_{j·m+i}` and `d_{j·m+i} = y_i − x_{j·m+i}` over the integers. Flat: x one row of M·K
   * cells, `y_i = max_{j<L} x_{i·K+j}`, `d_{i·K+j} = y_i − x_{i·K+j}` for j < L and 0 on the padding j ≥ L.
   */
  witness(inputs: Tensors): Tensors {
    const { x } = inputs;
    const m = this.rows;
    if (this.flat) {
      const K = this.domain;
      if (!x || x.length !== 1 || x[0].length !== m * K) throw new BlockfoldError('BLOCK', `max (flat): x must be one row of ${m * K} cells (${m} rows of ${K})`);
      const row = x[0];
      const y = Array.from({ length: m }, (_, i) => row.slice(i * K, i * K + this.candidates).reduce((acc, v) => (v > acc ? v : acc)));
      return { y: [y], d: [row.map((v, c) => (c % K < this.candidates ? y[Math.floor(c / K)] - v : 0n))] };
    }
    if (!x || x.length !== this.candidates * m || x.some((r) => r.length !== x[0].length))
      throw new BlockfoldError('BLOCK', `max: x must have ${this.candidates * m} rows of equal length`);
    const y = Array.from({ length: m }, (_, i) => x[i].map((_, c) => x.filter((__, r) => r % m === i).reduce((acc, row) => (row[c] > acc ? row[c] : acc), x[i][c])));
    return { y, d: x.map((row, r) => row.map((v, c) => y[r % m][c] - v)) };
  }

  /** The block's side of the poly-IOP prover: its own rounds and its oracles' polynomials. */
  iopProver(ctx: BlockContext, tensors: Tensors): PolyIopProver {
    return this.link ? this.flatProver(ctx, tensors, this.link) : this.rowLayoutProver(ctx, tensors);
  }

  /** Row layout: the helper products `h_j = Π_{j' ≤ j} d_{j'}` of each output row, cell by cell. */
  private rowLayoutProver(ctx: BlockContext, tensors: Tensors): PolyIopProver {
    const n = this.domain;
    const k = this.candidates;
    const m = this.rows;
    const d = tensors.d.map((r) => rowEvaluations(r, n));
    const polys: Record<string, bigint[]> = {};
    d.forEach((row, r) => (polys[rowSlot('d', r)] = interpolate(row, ctx.engine)));
    return {
      round: async () => {
        const out: Record<string, G1Point> = {};
        for (let i = 0; i < m; i++) {
          let acc = d[i];
          for (let j = 1; j <= k - 2; j++) {
            const dj = d[j * m + i];
            acc = acc.map((x, c) => (x * dj[c]) % R);
            polys[helperOracle(j, i)] = interpolate(acc, ctx.engine);
            out[helperSlot(j, i)] = await commit(ctx.kzg, polys[helperOracle(j, i)]);
          }
        }
        return out;
      },
      polynomials: () => polys,
    };
  }

  /**
   * Flat layout: the running product `p_{i·K+j} = Π_{j'≤j} d_{i·K+j'}` over the real cells of each row (0 on the
   * padding), and the equal sums of `first·(d + x)` on H_n and y on H_M with row weights α.
   */
  private flatProver(ctx: BlockContext, tensors: Tensors, link: FlatLink): PolyIopProver {
    const K = this.domain;
    const n = this.rows * K;
    const L = this.candidates;
    const [x, d, y] = [rowEvaluations(tensors.x[0], n), rowEvaluations(tensors.d[0], n), rowEvaluations(tensors.y[0], this.rows)];
    const p = new Array<bigint>(n).fill(0n);
    for (let start = 0; start < n; start += K) {
      let acc = 1n;
      for (let j = 0; j < L; j++) p[start + j] = acc = (acc * d[start + j]) % R;
    }
    const polys: Record<string, bigint[]> = {
      [rowSlot('x', 0)]: interpolate(x, ctx.engine),
      [rowSlot('d', 0)]: interpolate(d, ctx.engine),
      [rowSlot('y', 0)]: interpolate(y, ctx.engine),
      [FLAT.product]: interpolate(p, ctx.engine),
    };
    return {
      round: async (_decls, values) => {
        const first = link.first.values(values);
        const sums = await equalSumsProver(ctx.kzg, link.sums, summandValues([{ u: d, v: first }, { u: x, v: first }]), values);
        Object.assign(polys, sums.polys);
        return { ...sums.messages, [FLAT.productSlot]: await commit(ctx.kzg, polys[FLAT.product]) };
      },
      polynomials: () => polys,
    };
  }
}

/** The row layout's spec: the linear check of the differences `check` and the helper products (module comment). */
function rowLayoutSpec(foldKey: string, tensors: readonly TensorSpec[], k: number, m: number, n: number, check: LinearRelationCheck): PolyIopSpec {
  const outputRows = Array.from({ length: m }, (_, i) => i);
  const helpers = Array.from({ length: k - 2 }, (_, j) => j + 1);
  const diff = (j: number, i: number) => rowSlot('d', j * m + i);
  const identities: Identity[] = outputRows.flatMap((i): Identity[] => {
    if (k === 2) return [{ name: `product/${i}`, domain: n, terms: [term(1, at(diff(0, i)), at(diff(1, i)))] }];
    const prev = (j: number) => (j === 1 ? at(diff(0, i)) : at(helperOracle(j - 1, i)));
    return [
      ...helpers.map((j): Identity => ({ name: `helper/${j}/${i}`, domain: n, terms: [term(1, at(helperOracle(j, i))), term(-1, prev(j), at(diff(j, i)))] })),
      { name: `product/${i}`, domain: n, terms: [term(1, at(helperOracle(k - 2, i)), at(diff(k - 1, i)))] },
    ];
  });
  const helperSlots: SlotDecl[] = outputRows.flatMap((i) => helpers.map((j): SlotDecl => ({ name: helperSlot(j, i), sort: 'g1', origin: 'message' })));
  const diffs = Array.from({ length: k * m }, (_, r) => r);
  const rounds: Step[] = [...check.steps];
  if (helperSlots.length > 0) rounds.push({ kind: 'message', slots: helperSlots.map((s) => s.name) });
  return {
    foldKey,
    statement: rowStatementSlots(tensors),
    slots: [...check.slots, ...helperSlots],
    rounds,
    oracles: [
      ...diffs.map((r): Oracle => ({ name: rowSlot('d', r), domain: n, commitment: rowSlot('d', r) })),
      ...outputRows.flatMap((i) => helpers.map((j): Oracle => ({ name: helperOracle(j, i), domain: n, commitment: helperSlot(j, i) }))),
    ],
    publics: [],
    identities,
    equations: (kzg) => [check.equation(kzg)],
  };
}

/** The flat layout's spec, identities 1–6 of the module comment, for M outputs of K cells with L real candidates each. */
function flatSpec(foldKey: string, tensors: readonly TensorSpec[], M: number, K: number, L: number): { spec: PolyIopSpec; link: FlatLink } {
  const n = M * K;
  const indicator = (name: string, holds: (j: number) => boolean) => periodicVector(name, n, K, () => Array.from({ length: K }, (_, j) => (holds(j) ? 1n : 0n)));
  const first = indicator(FLAT.first, (j) => j === 0);
  const next = indicator(FLAT.next, (j) => j + 1 < L);
  const last = indicator(FLAT.last, (j) => j === L - 1);
  const pad = L < K ? indicator(FLAT.pad, (j) => j >= L) : undefined;
  const [x, d, y, p] = [rowSlot('x', 0), rowSlot('d', 0), rowSlot('y', 0), FLAT.product];
  const [isFirst, isNext, isLast] = [pub(first.name), pub(next.name), pub(last.name)];
  const sums = equalSumsGadget(
    FLAT.link,
    { domain: n, summand: [term(1, at(d), isFirst), term(1, at(x), isFirst)], rowWeights: { challenge: FLAT.alpha, rowLength: K } },
    { domain: M, summand: [term(1, at(y))], rowWeights: { challenge: FLAT.alpha, rowLength: 1 } },
  );
  const identities: Identity[] = [
    { name: 'constant', domain: n, terms: [term(1, isNext, shiftedAt(d)), term(1, isNext, shiftedAt(x)), term(-1, isNext, at(d)), term(-1, isNext, at(x))] },
    ...(pad ? [{ name: 'padding', domain: n, terms: [term(1, pub(pad.name), at(d))] }] : []),
    { name: 'product/first', domain: n, terms: [term(1, isFirst, at(p)), term(-1, isFirst, at(d))] },
    { name: 'product/next', domain: n, terms: [term(1, isNext, shiftedAt(p)), term(-1, isNext, at(p), shiftedAt(d))] },
    { name: 'product/last', domain: n, terms: [term(1, isLast, at(p))] },
  ];
  const spec: PolyIopSpec = {
    foldKey,
    statement: rowStatementSlots(tensors),
    slots: [{ name: FLAT.alpha, sort: 'fr', origin: 'challenge' }, ...sums.slots, { name: FLAT.productSlot, sort: 'g1', origin: 'message' }],
    rounds: [
      { kind: 'challenge', slots: [FLAT.alpha] },
      { kind: 'message', slots: [...sums.slots.map((s) => s.name), FLAT.productSlot] },
    ],
    oracles: [
      { name: x, domain: n, commitment: x },
      { name: d, domain: n, commitment: d },
      { name: y, domain: M, commitment: y },
      { name: p, domain: n, commitment: FLAT.productSlot },
      ...sums.oracles,
    ],
    publics: [first, next, last, ...(pad ? [pad] : []), ...sums.publics],
    identities,
    sums: sums.sums,
    sharedChallenges: [FLAT.alpha],
  };
  return { spec, link: { sums, first } };
}

/** `[Y_{r mod m}]₁ − [X_r]₁ − [D_r]₁ = 0` for each of the `k·m` difference rows r (max and argmax check these on commitments). */
export function maxDifferenceRelations(k: number, m: number): LinearRelation[] {
  return Array.from({ length: k * m }, (_, r) => ({
    terms: [
      { tensor: 'y', row: r % m, coeff: 1n },
      { tensor: 'x', row: r, coeff: -1n },
      { tensor: 'd', row: r, coeff: -1n },
    ],
  }));
}

/** `[D_r]₁ = [Y_{r mod m}]₁ − [X_r]₁` for every difference row (point subtractions, no MSM). */
export function maxDifferenceCommitments(x: readonly G1Point[], y: readonly G1Point[]): G1Point[] {
  if (y.length === 0 || x.length % y.length !== 0) throw new BlockfoldError('BLOCK', `max: ${x.length} candidate rows for ${y.length} output rows`);
  return x.map((p, r) => y[r % y.length].subtract(p));
}
