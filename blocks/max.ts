/**
 * Cellwise maximum `y = max(x_0, …, x_{k−1})` of k candidate rows for each of m output rows (for example the 4
 * positions of every 2×2 max-pool window, laid out as 4 rows by a permutation block). Row `j·m + i` of x is
 * candidate j of output row i. All rows are in one instance.
 *
 * The block outputs, next to y, the differences `d_{j·m+i} = y_i − x_{j·m+i}` and proves:
 * 1. **linearity** `[D_r]₁ = [Y_{r mod m}]₁ − [X_r]₁` for every r: the verifier draws ρ and derives the residual
 *    `Σ_r ρ^r·([Y_{r mod m}]₁ − [X_r]₁ − [D_r]₁)`; the equation `e(residual, [1]₂) = 0` (degree 1);
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
 * @module
 */
import type { G1Point } from '../src/curve';
import type { SlotDecl, SlotValues } from '../src/equations/equation';
import { frSlot } from '../src/equations/evaluate';
import { BlockfoldError } from '../src/errors';
import { R } from '../src/field';
import { commit } from '../src/kzg/commit';
import { interpolate } from '../src/poly/interpolate';
import type { Block, BlockContext, TensorRange, TensorSpec, Tensors } from './block';
import { rowEvaluations } from './commit-rows';
import { relationResidual, type LinearRelation } from './linear-relation';
import {
  at,
  polyIopProtocol,
  polyIopProver,
  type PolyIopProver,
  powers,
  rowSlot,
  rowStatement,
  rowStatementSlots,
  term,
  type Identity,
  type Oracle,
  type PolyIopSpec,
} from './poly-iop';
import type { Protocol, Step } from './protocol';
import type { MessageSource } from './schedule';

/** Shape of a {@link MaxBlock}. */
export interface MaxOptions {
  /** Candidates per output cell (k ≥ 2). */
  readonly candidates: number;
  /** Output rows m. */
  readonly rows: number;
  /** Domain size n of every row (a power of two). */
  readonly domain: number;
  /** Real cells per row (≤ n; the rest is padding); n when omitted. */
  readonly length?: number;
  /** Differences are range-checked in `[0, 2^bits)`. */
  readonly bits: number;
}

const helperOracle = (j: number, i: number) => `h/${j}/${i}`;
const helperSlot = (j: number, i: number) => `[h]/${j}/${i}`;

/** `y = max_j x_j` cellwise, with the differences `d = y − x_j` as a range-checked output. */
export class MaxBlock implements Block {
  readonly kind = 'max';
  readonly foldKey: string;
  readonly tensors: readonly TensorSpec[];
  /** Range-check width: the differences lie in `[0, 2^bits)`. */
  readonly bits: number;
  readonly candidates: number;
  readonly rows: number;
  readonly domain: number;
  /** Real cells per row. */
  readonly length: number;
  private readonly spec: PolyIopSpec;

  constructor(opts: MaxOptions) {
    const { candidates: k, rows: m, domain: n, bits } = opts;
    const length = opts.length ?? n;
    if (!Number.isInteger(k) || k < 2) throw new BlockfoldError('BLOCK', `max: needs at least 2 candidates, got ${k}`);
    if (!Number.isInteger(m) || m < 1) throw new BlockfoldError('BLOCK', `max: rows must be a positive integer, got ${m}`);
    if (!Number.isInteger(bits) || bits < 1 || bits > 64) throw new BlockfoldError('BLOCK', `max: bits must be in 1..64, got ${bits}`);
    if (!Number.isInteger(length) || length < 1 || length > n) throw new BlockfoldError('BLOCK', `max: row length must be in 1..${n}, got ${length}`);
    this.candidates = k;
    this.rows = m;
    this.domain = n;
    this.length = length;
    this.foldKey = `max/k${k}/m${m}/n${n}`;
    this.tensors = [
      { name: 'x', rows: k * m, domain: n, role: 'input' },
      { name: 'y', rows: m, domain: n, role: 'output' },
      { name: 'd', rows: k * m, domain: n, role: 'output' },
    ];
    this.bits = bits;

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
    const relations = maxDifferenceRelations(k, m);
    const rounds: Step[] = [
      { kind: 'challenge', slots: ['rho'] },
      {
        kind: 'derived',
        slots: ['residual'],
        compute: async (v: SlotValues, engine) => ({ residual: await relationResidual(engine, v, relations, powers(frSlot(v, 'rho'), relations.length), rowSlot) }),
      },
    ];
    if (helperSlots.length > 0) rounds.push({ kind: 'message', slots: helperSlots.map((s) => s.name) });
    this.spec = {
      foldKey: this.foldKey,
      statement: rowStatementSlots(this.tensors),
      slots: [{ name: 'rho', sort: 'fr', origin: 'challenge' }, { name: 'residual', sort: 'g1', origin: 'derived' }, ...helperSlots],
      rounds,
      oracles: [
        ...diffs.map((r): Oracle => ({ name: rowSlot('d', r), domain: n, commitment: rowSlot('d', r) })),
        ...outputRows.flatMap((i) => helpers.map((j): Oracle => ({ name: helperOracle(j, i), domain: n, commitment: helperSlot(j, i) }))),
      ],
      publics: [],
      identities,
      equations: (kzg) => [{ kind: 'pairing', name: 'differences', terms: [{ coeff: 1n, scalars: [], g1: 'residual', g2: kzg.g2One }] }],
    };
  }

  /** For every difference row r, `[Y_{r mod m}]₁ − [X_r]₁ − [D_r]₁ = 0`. */
  linearRelations(): LinearRelation[] {
    return maxDifferenceRelations(this.candidates, this.rows);
  }

  /** The differences must be range-checked, `d ∈ [0, 2^bits)`, on the real cells (the padding needs none: module comment). */
  rangeObligations(): TensorRange[] {
    return [{ tensor: 'd', lo: 0n, hi: (1n << BigInt(this.bits)) - 1n, cells: this.length }];
  }

  /** `y_i = max_j x_{j·m+i}` and `d_{j·m+i} = y_i − x_{j·m+i}` over the integers. */
  witness(inputs: Tensors): Tensors {
    const { x } = inputs;
    const m = this.rows;
    if (!x || x.length !== this.candidates * m || x.some((r) => r.length !== x[0].length))
      throw new BlockfoldError('BLOCK', `max: x must have ${this.candidates * m} rows of equal length`);
    const y = Array.from({ length: m }, (_, i) => x[i].map((_, c) => x.filter((__, r) => r % m === i).reduce((acc, row) => (row[c] > acc ? row[c] : acc), x[i][c])));
    return { y, d: x.map((row, r) => row.map((v, c) => y[r % m][c] - v)) };
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
