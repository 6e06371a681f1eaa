/**
 * Row sums `s_i = Σ_{j<k} x_ij` of m rows of length k (domain H_n); the sums are committed as one row of length m
 * (domain H_M).
 *
 * Protocol (all rows in one instance): challenge α after the statement; derived `[x]₁ = Σ_i α^i·[X_i]₁` (MSM);
 * then `⟨x, 1_{<k}⟩ = ⟨s, (α^i)_{i<M}⟩` (sums over H_n and H_M), with the public mask `1_{j<k}` (the relation never
 * sees X's padding) and the public vector of powers of α, proven by `equalSumsGadget` (`blocks/running-sum`)
 * without sending the common value `σ = Σ_i α^i·s_i`: one running sum of the difference when n = M, else two
 * running sums closing on one blinded hidden scalar.
 * Together `Σ_{i<M} α^i·s_i = Σ_{i<m} α^i·Σ_{j<k} x_ij`, a polynomial identity in α of degree < M, so whp every sum is
 * right and the padding cells s_i (m ≤ i < M) of the output are zero.
 * @module
 */
import type { G1Point } from '../src/curve';
import type { SlotValues } from '../src/equations/equation';
import { frSlot } from '../src/equations/evaluate';
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
  type PolyIopSpec,
} from './poly-iop';
import type { Protocol } from './protocol';
import { equalSumsGadget, equalSumsProver, summandValues, type EqualSums } from './running-sum';
import type { MessageSource } from './schedule';

/** Shape of a {@link SumBlock}. */
export interface SumOptions {
  /** Rows of x (= number of sums). */
  readonly rows: number;
  /** Length k of each row of x. */
  readonly length: number;
  /** Domain of the rows of x (default: the next power of two ≥ length). */
  readonly domain?: number;
  /** Domain of the row of sums (default: the next power of two ≥ rows). */
  readonly sumsDomain?: number;
}

const SIGMA = 'sigma';
const MASK = 'mask';
const ALPHAS = 'alphas';

/** `s = [Σ_j x_0j, …, Σ_j x_(m−1)j]`; see the module comment. */
export class SumBlock implements Block {
  readonly kind = 'sum';
  readonly foldKey: string;
  readonly tensors: readonly TensorSpec[];
  readonly rows: number;
  readonly length: number;
  readonly domain: number;
  readonly sumsDomain: number;
  /** `⟨x, 1_{<k}⟩ = ⟨s, α⃗⟩`, proven with no sum sent. */
  private readonly sums: EqualSums;
  private readonly spec: PolyIopSpec;

  constructor(opts: SumOptions) {
    const { rows, length } = opts;
    if (!Number.isInteger(rows) || rows < 1 || !Number.isInteger(length) || length < 1)
      throw new BlockfoldError('BLOCK', `sum: rows and length must be positive integers, got ${rows}, ${length}`);
    this.rows = rows;
    this.length = length;
    this.domain = opts.domain ?? nextPowerOfTwo(length);
    this.sumsDomain = opts.sumsDomain ?? nextPowerOfTwo(rows);
    if (this.domain < length || this.sumsDomain < rows) throw new BlockfoldError('BLOCK', 'sum: domain too small');
    const n = this.domain;
    const M = this.sumsDomain;
    this.foldKey = `sum/m${rows}/k${length}/n${n}/M${M}`;
    this.tensors = [
      { name: 'x', rows, domain: n, role: 'input' },
      { name: 's', rows: 1, domain: M, role: 'output' },
    ];
    const sums = (this.sums = equalSumsGadget(SIGMA, { domain: n, summand: [term(1, at('x'), pub(MASK))] }, { domain: M, summand: [term(1, at('s'), pub(ALPHAS))] }));
    const combX: Combination = (v) => ({ slots: Array.from({ length: rows }, (_, i) => rowSlot('x', i)), scalars: powers(frSlot(v, 'alpha'), rows) });
    this.spec = {
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
        { kind: 'message', slots: sums.slots.map((d) => d.name) },
      ],
      oracles: [{ name: 'x', domain: n, commitment: 'comb/x', combination: combX }, { name: 's', domain: M, commitment: rowSlot('s', 0) }, ...sums.oracles],
      publics: [
        ...sums.publics,
        publicVector(MASK, n, () => this.mask()),
        publicVector(ALPHAS, M, (v) => powers(frSlot(v, 'alpha'), M)),
      ],
      identities: [...sums.identities],
    };
  }

  private mask(): bigint[] {
    return Array.from({ length: this.domain }, (_, j) => (j < this.length ? 1n : 0n));
  }

  /** `s_i = Σ_j x_ij` over the integers. */
  witness(inputs: Tensors): Tensors {
    const { x } = inputs;
    if (!x || x.length !== this.rows || x.some((r) => r.length !== this.length))
      throw new BlockfoldError('BLOCK', `sum: x must have ${this.rows} rows of length ${this.length}`);
    return { s: [x.map((row) => row.reduce((acc, v) => acc + v, 0n))] };
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
    const x = tensors.x.map((r) => rowEvaluations(r, this.domain));
    const s = rowEvaluations(tensors.s[0], this.sumsDomain);
    const polys: Record<string, bigint[]> = {};
    return {
      round: async (_decls, v) => {
        const alphas = powers(frSlot(v, 'alpha'), this.sumsDomain);
        const combined = combineRowValues(x, alphas.slice(0, this.rows));
        const sums = await equalSumsProver(ctx.kzg, this.sums, summandValues([{ u: combined, v: this.mask() }]), summandValues([{ u: s, v: alphas }]));
        polys.x = interpolate(combined, ctx.engine);
        polys.s = interpolate(s, ctx.engine);
        Object.assign(polys, sums.polys);
        return sums.messages;
      },
      polynomials: () => polys,
    };
  }
}
