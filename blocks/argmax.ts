/**
 * Cellwise argmax: `idx = min { j : x_j = max_l x_l }` (the first index of the maximum) of k candidate rows for each
 * of m output rows, next to the maximum `y` itself. Row `j·m + i` of x is candidate j of output row i, as in
 * `MaxBlock` (`blocks/max`). All rows are in one instance.
 *
 * Outputs: `y` (m rows), `idx` (m rows, in 0..k−1), the differences `d_{j·m+i} = y_i − x_{j·m+i}` (k·m rows) and the
 * gaps `e_{j·m+i} = (1 − c_j)·(d_j − 1)` for j < k − 1 ((k−1)·m rows), where `c_j = Σ_{l≤j} s_l` is the prefix sum of
 * the one-hot selectors `s_j = [idx = j]`. The selectors are prover messages (k·m commitments), never outputs.
 * The block proves, at every point of H (writing d_j, e_j, s_j for the cells of output row i):
 * 1. **linearity** `[D_r]₁ = [Y_{r mod m}]₁ − [X_r]₁` for every r, with one residual `Σ_r ρ^r·(…)` as in MaxBlock, and
 *    left out, as there, where a model proof derives `[D_r]₁` from these relations;
 * 2. `s_j·(1 − s_j) = 0` for every j (selectors are bits);
 * 3. `Σ_j s_j − 1 = 0` (so `c_{k−1} = 1`: exactly one selector is set, as k < r);
 * 4. `s_j·d_j = 0` for every j (the selected candidate equals y);
 * 5. `e_j − (1 − Σ_{l≤j} s_l)·(d_j − 1) = 0` for j < k − 1 (c is linear in s, so it is never committed; the identity
 *    has degree 2). `e_{k−1}` would be `(1 − c_{k−1})·(…) = 0` by 3, so it is not an output;
 * 6. `idx − Σ_j j·s_j = 0`.
 * Every identity has degree ≤ 2 and is proven by the quotient argument (`blocks/poly-iop`).
 *
 * **Range obligations** ({@link ArgmaxBlock.rangeObligations}): `d ∈ [0, 2^bits)` and `e ∈ [0, 2^bits)` on every
 * cell of H (the padding holds zeros, inside the range), proven by lookups the compiler attaches.
 *
 * **Soundness.** Fix a real cell. By 2–3 exactly one selector `s_{j*}` is 1, so `c_j = 0` for j < j* and 1 for j ≥ j*.
 * By 4, `d_{j*} = 0`: y = x_{j*}. With `d_j ∈ [0, 2^bits)` and values bounded far below r/2 (docs/soundness.md rule 9),
 * `y − x_j ≡ d_j` means `y ≥ x_j` over the integers for every j: y is the maximum. For j < j*, 5 gives
 * `e_j = d_j − 1`, and `e_j ∈ [0, 2^bits)` rules out `d_j = 0` (it would make `e_j = r − 1`): `x_j < y`, so j* is the first
 * maximum. By 6, `idx = j*`. Without the obligation on e, the block would prove only "idx is *a* maximum"; without the one
 * on d, only "idx selects y among the candidates".
 *
 * **Padding.** Cells past a row's length are zero in every output, so the prover sets `s_0 = 1` there (a message may
 * hold anything): then `c_j = 1` for all j and every identity holds with `y = idx = d = e = 0`, with no selector
 * polynomial of real cells.
 *
 * The compiler may derive `[D_r]₁` from x and y with `maxDifferenceCommitments` (`blocks/max`, no MSM).
 * @module
 */
import type { G1Point } from '../src/curve';
import type { SlotDecl } from '../src/equations/equation';
import { BlockfoldError } from '../src/errors';
import { commit } from '../src/kzg/commit';
import { interpolate } from '../src/poly/interpolate';
import { PolyIopBlock } from './poly-iop-block';
import type { Block, BlockContext, TensorRange, TensorSpec, Tensors } from './block';
import { rowEvaluations } from './commit-rows';
import { linearRelationCheck, ZERO_PUBLIC_SIDE, type LinearCheckParts, type LinearRelation, type LinearRelationCheck, type LinearRelationPublic } from './linear-relation';
import { maxDifferenceRelations } from './max';
import {
  at,
  type PolyIopProver,
  rowSlot,
  rowStatementSlots,
  term,
  type Identity,
  type IdentityTerm,
  type Oracle,
  type PolyIopSpec,
} from './poly-iop';
import type { Step } from './protocol';

/** Shape of an {@link ArgmaxBlock}. */
export interface ArgmaxOptions {
  /** Candidates per output cell (k ≥ 2). */
  readonly candidates: number;
  /** Output rows m. */
  readonly rows: number;
  /** Domain size n of every row (a power of two). */
  readonly domain: number;
  /** Differences and gaps are range-checked in `[0, 2^bits)`. */
  readonly bits: number;
}

const selectorOracle = (r: number) => `s/${r}`;
const selectorSlot = (r: number) => `[s]/${r}`;

/** `idx = first argmax_j x_j` and `y = max_j x_j` cellwise, with range-checked differences d and gaps e. */
export class ArgmaxBlock extends PolyIopBlock implements Block {
  readonly kind = 'argmax';
  readonly foldKey: string;
  readonly tensors: readonly TensorSpec[];
  readonly candidates: number;
  readonly rows: number;
  readonly domain: number;
  /** Range-check width: the differences and gaps lie in `[0, 2^bits)`. */
  readonly bits: number;
  protected readonly spec: PolyIopSpec;
  private readonly check: LinearRelationCheck;

  constructor(opts: ArgmaxOptions) {
    super();
    const { candidates: k, rows: m, domain: n, bits } = opts;
    if (!Number.isInteger(k) || k < 2) throw new BlockfoldError('BLOCK', `argmax: needs at least 2 candidates, got ${k}`);
    if (!Number.isInteger(m) || m < 1) throw new BlockfoldError('BLOCK', `argmax: rows must be a positive integer, got ${m}`);
    if (!Number.isInteger(bits) || bits < 1 || bits > 64) throw new BlockfoldError('BLOCK', `argmax: bits must be in 1..64, got ${bits}`);
    this.candidates = k;
    this.rows = m;
    this.domain = n;
    this.bits = bits;
    this.foldKey = `argmax/k${k}/m${m}/n${n}`;
    this.tensors = [
      { name: 'x', rows: k * m, domain: n, role: 'input' },
      { name: 'y', rows: m, domain: n, role: 'output' },
      { name: 'idx', rows: m, domain: n, role: 'output' },
      { name: 'd', rows: k * m, domain: n, role: 'output' },
      { name: 'e', rows: (k - 1) * m, domain: n, role: 'output' },
    ];
    this.check = linearRelationCheck(maxDifferenceRelations(k, m), 'differences');
    this.spec = argmaxSpec(this.foldKey, this.tensors, k, m, n, this.check);
  }

  /** The linear check of the differences (module comment, 1). */
  protected override linearCheck(): LinearCheckParts {
    return this.check.parts;
  }

  /** For every difference row r, `[Y_{r mod m}]₁ − [X_r]₁ − [D_r]₁ = 0` (as in MaxBlock). */
  linearRelations(): LinearRelation[] {
    return maxDifferenceRelations(this.candidates, this.rows);
  }

  /** The relations' public side: none, `[Y_{r mod m}]₁ − [X_r]₁ − [D_r]₁ = 0`. */
  linearRelationsPublic(): LinearRelationPublic {
    return ZERO_PUBLIC_SIDE;
  }

  /** Differences and gaps must be range-checked on every cell: `d ∈ [0, 2^bits)` and `e ∈ [0, 2^bits)`. */
  rangeObligations(): TensorRange[] {
    const hi = (1n << BigInt(this.bits)) - 1n;
    return [
      { tensor: 'd', lo: 0n, hi, cells: this.domain },
      { tensor: 'e', lo: 0n, hi, cells: this.domain },
    ];
  }

  /**
   * Over the integers: `y_i = max_j x_{j·m+i}`, `idx_i` the first j attaining it, `d_{j·m+i} = y_i − x_{j·m+i}`,
   * and `e_{j·m+i} = d_{j·m+i} − 1` for j < idx_i, 0 otherwise (j < k − 1).
   */
  witness(inputs: Tensors): Tensors {
    const { x } = inputs;
    const k = this.candidates;
    const m = this.rows;
    if (!x || x.length !== k * m || x.some((r) => r.length !== x[0].length))
      throw new BlockfoldError('BLOCK', `argmax: x must have ${k * m} rows of equal length`);
    const idx = Array.from({ length: m }, (_, i) =>
      x[i].map((_, c) => {
        let best = 0;
        for (let j = 1; j < k; j++) if (x[j * m + i][c] > x[best * m + i][c]) best = j;
        return BigInt(best);
      }),
    );
    const y = idx.map((row, i) => row.map((j, c) => x[Number(j) * m + i][c]));
    const d = x.map((row, r) => row.map((v, c) => y[r % m][c] - v));
    const e = d.slice(0, (k - 1) * m).map((row, r) => row.map((v, c) => (BigInt(Math.floor(r / m)) < idx[r % m][c] ? v - 1n : 0n)));
    return { y, idx, d, e };
  }

  /**
   * The block's side of the poly-IOP prover: its own rounds and its oracles' polynomials, the selectors from `idx`
   * (`s_j = [idx = j]`, all zero for an index out of range, `s_0 = 1` on padding cells).
   */
  iopProver(ctx: BlockContext, tensors: Tensors): PolyIopProver {
    const n = this.domain;
    const k = this.candidates;
    const m = this.rows;
    const polys: Record<string, bigint[]> = {};
    for (const name of ['d', 'e', 'idx']) tensors[name].forEach((row, r) => (polys[rowSlot(name, r)] = interpolate(rowEvaluations(row, n), ctx.engine)));
    const selectors = Array.from({ length: k * m }, (_, r) => {
      const j = BigInt(Math.floor(r / m));
      const idx = tensors.idx[r % m];
      return Array.from({ length: n }, (_, c) => (c < idx.length ? (idx[c] === j ? 1n : 0n) : j === 0n ? 1n : 0n));
    });
    return {
      round: async () => {
        const out: Record<string, G1Point> = {};
        for (const [r, values] of selectors.entries()) {
          polys[selectorOracle(r)] = interpolate(values, ctx.engine);
          out[selectorSlot(r)] = await commit(ctx.kzg, polys[selectorOracle(r)]);
        }
        return out;
      },
      polynomials: () => polys,
    };
  }
}

/** The block's spec: the linear check of the differences `check` (module comment, 1), then 2–6 as identities on H_n. */
function argmaxSpec(foldKey: string, tensors: readonly TensorSpec[], k: number, m: number, n: number, check: LinearRelationCheck): PolyIopSpec {
  const cells = Array.from({ length: k * m }, (_, r) => r);
  const candidates = Array.from({ length: k }, (_, j) => j);
  const d = (j: number, i: number) => at(rowSlot('d', j * m + i));
  const s = (j: number, i: number) => at(selectorOracle(j * m + i));
  const identities: Identity[] = Array.from({ length: m }, (_, i) => i).flatMap((i): Identity[] => [
    ...candidates.map((j): Identity => ({ name: `bit/${j}/${i}`, domain: n, terms: [term(1, s(j, i)), term(-1, s(j, i), s(j, i))] })),
    { name: `one-hot/${i}`, domain: n, terms: [...candidates.map((j) => term(1, s(j, i))), term(-1)] },
    ...candidates.map((j): Identity => ({ name: `selected/${j}/${i}`, domain: n, terms: [term(1, s(j, i), d(j, i))] })),
    // e_j − (1 − c_j)·(d_j − 1) = e_j − d_j + 1 + Σ_{l≤j} (s_l·d_j − s_l)
    ...candidates.slice(0, k - 1).map(
      (j): Identity => ({
        name: `gap/${j}/${i}`,
        domain: n,
        terms: [
          term(1, at(rowSlot('e', j * m + i))),
          term(-1, d(j, i)),
          term(1),
          ...candidates.slice(0, j + 1).flatMap((l): IdentityTerm[] => [term(1, s(l, i), d(j, i)), term(-1, s(l, i))]),
        ],
      }),
    ),
    { name: `index/${i}`, domain: n, terms: [term(1, at(rowSlot('idx', i))), ...candidates.slice(1).map((j) => term(-j, s(j, i)))] },
  ]);
  const selectorSlots = cells.map((r): SlotDecl => ({ name: selectorSlot(r), sort: 'g1', origin: 'message' }));
  const rounds: Step[] = [...check.steps, { kind: 'message', slots: selectorSlots.map((sl) => sl.name) }];
  const oracle = (name: string, commitment: string = name): Oracle => ({ name, domain: n, commitment });
  return {
    foldKey,
    statement: rowStatementSlots(tensors),
    slots: [...check.slots, ...selectorSlots],
    rounds,
    oracles: [
      ...cells.map((r) => oracle(rowSlot('d', r))),
      ...cells.slice(0, (k - 1) * m).map((r) => oracle(rowSlot('e', r))),
      ...Array.from({ length: m }, (_, i) => oracle(rowSlot('idx', i))),
      ...cells.map((r) => oracle(selectorOracle(r), selectorSlot(r))),
    ],
    publics: [],
    identities,
    equations: (kzg) => [check.equation(kzg)],
  };
}
