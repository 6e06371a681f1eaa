/**
 * The relink block: a per-proof copy y of a tensor x whose rows carry a blinding fixed across proofs, so that no
 * proof opens those rows or a relation of them (docs/soundness.md, "Zero knowledge").
 *
 * A weight row (blinded once at setup by b₀) and a hashed input's rows (blinded by a function of the input) keep
 * their blinding b_fixed in every proof. A block that opens them at a fresh ζ (a permutation, a lookup), or whose
 * linear relations tie them to rows opened there (a bias added by a linear check), reveals `(x + Z_H·b_fixed)(ζ)`,
 * directly or as the combination of openings that cancels the per-proof blinding: a fixed polynomial that n + 2
 * proofs interpolate. The compiler therefore makes every such reader (every reader but one that declares the weight
 * `fixed` and reads only a per-proof re-randomization of it, `weight-link.ts`) read y, committed with a fresh
 * blinding b_y per proof, and this block proves y = x on H. In a model proof y's commitment is not computed from
 * its cells: the prover sends `E = [y]₁ − [x]₁`, honestly `[Z_H·(b_y − b_x)]₁`, and both sides set `[y]₁ = [x]₁ + E`
 * (`src/pipeline/relinked-rows.ts`); this block's statement and identity are the same either way.
 *
 * Protocol, a poly-IOP (`poly-iop.ts`; statement: the rows `[x_i]₁` and `[y_i]₁`, committed `[x_i + Z_H·b_x,i]₁` and
 * `[y_i + Z_H·b_y,i]₁`):
 *
 * 1. challenge ρ; the verifier derives `Δ = Σ_i ρ^i·([y_i]₁ − [x_i]₁)`, the commitment of the oracle δ;
 * 2. the identity `δ = 0` on H_n.
 *
 * δ reads only itself, so the compiler linearizes it: it is never evaluated, and its quotient `δ/Z_H` joins the
 * argument's one quotient. In a model argument the block adds no message at all (one term of the linearized
 * combination, one identity of the quotient); proven alone, its proof is the compiler's tail, `[t]₁` and the opening.
 *
 * Why it is sound: ρ is drawn after the statement, and the quotient check makes the committed polynomial
 * `δ = Σ_i ρ^i·((y_i + Z_H·b_y,i) − (x_i + Z_H·b_x,i))` vanish on H except with negligible probability, that is
 * `Σ_i ρ^i·(y_i − x_i)(h) = 0` at every h ∈ H: a polynomial in ρ of degree < rows whose coefficients were fixed
 * before ρ, so whp each `y_i − x_i` vanishes on H: y = x on every cell, padding included. Removing the identity lets
 * a prover copy any y (`test/blocks/relink.test.ts`).
 *
 * Why it hides: δ is never evaluated, and Δ is derived from the public commitments. Honestly y_i = x_i as
 * polynomials (both of degree < n, equal on H), so δ = Z_H·r with `r = Σ_i ρ^i·(b_y,i − b_x,i)` and
 * `Z_H(τ)·[r]₁ = Δ`: the quotient's share `λ^g·r` and the opening's part for δ are functions of the statement for a
 * simulator holding τ (proven alone, `[t]₁ = [r]₁`). What hides y is its commitment's fresh blinding b_y, free for
 * the row solver since the block states no linear relation.
 * @module
 */
import { BlockfoldError } from '../src/errors';
import { frSlot } from '../src/equations/evaluate';
import { R } from '../src/field';
import { interpolate } from '../src/poly/interpolate';
import { isPowerOfTwo } from '../src/poly/roots';
import type { Block, BlockContext, TensorRange, TensorSpec, Tensors } from './block';
import { rowEvaluations } from './commit-rows';
import type { LinearRelation } from './linear-relation';
import { at, combinationStep, combineRowValues, powers, rowSlot, rowStatementSlots, term, type Combination, type PolyIopProver, type PolyIopSpec } from './poly-iop';
import { PolyIopBlock } from './poly-iop-block';

/** Shape of a {@link RelinkBlock}. */
export interface RelinkOptions {
  /** Rows of x and y. */
  readonly rows: number;
  /** Domain size n of the rows (a power of two). */
  readonly domain: number;
}

const DELTA = 'comb/delta';

/** y = x on H, y blinded afresh by the prover: the copy a fixed-blinding row is read through. */
export class RelinkBlock extends PolyIopBlock implements Block {
  readonly kind = 'relink';
  readonly foldKey: string;
  readonly tensors: readonly TensorSpec[];
  readonly options: RelinkOptions;
  protected readonly spec: PolyIopSpec;
  /** `Δ = Σ_i ρ^i·([y_i]₁ − [x_i]₁)`: the y rows, then the x rows. */
  private readonly delta: Combination;

  constructor(opts: RelinkOptions) {
    super();
    const { rows, domain } = opts;
    if (!Number.isInteger(rows) || rows < 1) throw new BlockfoldError('BLOCK', `relink: rows must be a positive integer, got ${rows}`);
    if (!isPowerOfTwo(domain)) throw new BlockfoldError('BLOCK', `relink: domain must be a power of two, got ${domain}`);
    this.options = { rows, domain };
    this.tensors = [
      { name: 'x', rows, domain, role: 'input' },
      { name: 'y', rows, domain, role: 'output' },
    ];
    this.foldKey = `relink/m${rows}/n${domain}`;
    const indices = Array.from({ length: rows }, (_, i) => i);
    const delta: Combination = (v) => {
      const rhos = powers(frSlot(v, 'rho'), rows);
      return { slots: [...indices.map((i) => rowSlot('y', i)), ...indices.map((i) => rowSlot('x', i))], scalars: [...rhos, ...rhos.map((p) => (R - p) % R)] };
    };
    this.delta = delta;
    this.spec = {
      foldKey: this.foldKey,
      statement: rowStatementSlots(this.tensors),
      slots: [
        { name: 'rho', sort: 'fr', origin: 'challenge' },
        { name: DELTA, sort: 'g1', origin: 'derived' },
      ],
      rounds: [{ kind: 'challenge', slots: ['rho'] }, combinationStep({ [DELTA]: delta })],
      oracles: [{ name: 'delta', domain, commitment: DELTA, combination: delta }],
      publics: [],
      identities: [{ name: 'relink', domain, terms: [term(1, at('delta'))] }],
    };
  }

  /** y = x. */
  witness(inputs: Tensors): Tensors {
    const x = inputs.x;
    if (!x || x.length !== this.options.rows) throw new BlockfoldError('BLOCK', `relink: expected ${this.options.rows} rows of x`);
    return { y: x.map((row) => row.slice()) };
  }

  /** y and x hold the same cells (padding included), so a range of either is one of the other. */
  provenRanges(known: ReadonlyMap<string, TensorRange>): TensorRange[] {
    const out: TensorRange[] = [];
    for (const [from, to] of [
      ['x', 'y'],
      ['y', 'x'],
    ]) {
      const r = known.get(from);
      if (r) out.push({ ...r, tensor: to });
    }
    return out;
  }

  /** None: y's blinding is free, so the row solver never ties it to x's fixed one. */
  linearRelations(): LinearRelation[] {
    return [];
  }

  /** δ's values `Σ_i ρ^i·(y_i − x_i)` on H (zero for y = x); the compiler adds the rows' blindings combined. */
  iopProver(ctx: BlockContext, tensors: Tensors): PolyIopProver {
    const n = this.options.domain;
    const rows = (t: string) => tensors[t].map((r) => rowEvaluations(r, n));
    const yThenX = [...rows('y'), ...rows('x')];
    return {
      round: () => {
        throw new BlockfoldError('BLOCK', 'relink: the block sends no message of its own');
      },
      polynomials: (v) => ({ delta: interpolate(combineRowValues(yThenX, this.delta(v).scalars), ctx.engine) }),
    };
  }
}
