/**
 * The relink block: a per-proof copy y of a tensor x whose rows carry a blinding fixed across proofs, so that no
 * proof opens those rows or a relation of them (docs/soundness.md, "Zero knowledge").
 *
 * A weight row (blinded once at setup by b₀) and a hashed input's rows (blinded by a function of the input) keep
 * their blinding b_fixed in every proof. A block that opens them at a fresh ζ (a permutation, a lookup), or whose
 * linear relations tie them to rows opened there (a bias added by a linear check), reveals `(x + Z_H·b_fixed)(ζ)`,
 * directly or as the combination of openings that cancels the per-proof blinding: a fixed polynomial that n + 2
 * proofs interpolate. The compiler therefore makes every such reader (every reader but one that declares the weight
 * `fixed` and opens only a per-proof re-randomization of it, `weight-link.ts`) read y, committed with a fresh
 * blinding b_y per proof, and this block proves y = x on H.
 *
 * Protocol (statement: the rows `[x_i]₁` and `[y_i]₁`, committed `[x_i + Z_H·b_x,i]₁` and `[y_i + Z_H·b_y,i]₁`):
 *
 * 1. challenge ρ; the verifier derives `Δ = Σ_i ρ^i·([y_i]₁ − [x_i]₁)`;
 * 2. message `D = [r]₁` with `r = Σ_i ρ^i·(b_y,i − b_x,i)`;
 * 3. challenge ξ; message π, the KZG proof that `Δ − Z_H(ξ)·r` (honestly `(Z_H − Z_H(ξ))·r`) vanishes at ξ:
 *    `e(Δ − Z_H(ξ)·D + ξ·π, [1]₂) = e(π, [τ]₂)` (`vanishingLinkTerms` of `weight-link.ts`, the same argument).
 *
 * Why it is sound: D is fixed before ξ, so in the algebraic group model the prover knows r with `[r]₁ = D`, and the
 * opening says `Σ_i ρ^i·(y_i − x_i) − Z_H·r` (as committed polynomials) has the uniform root ξ, so whp it is zero:
 * `Σ_i ρ^i·(y_i − x_i)` vanishes on H. ρ was drawn after the statement, so whp each `y_i − x_i` vanishes on H:
 * y = x on every cell, padding included. D enters only times the verifier's `Z_H(ξ)` (rule 2), ξ and ρ are
 * transcript challenges (rule 8). Dropping the equation lets a prover copy any y (`test/blocks/relink.test.ts`).
 *
 * Why it hides: D and π are functions of the public commitments `C_x,i = [x_i + Z_H·b_x,i]₁` and
 * `C_y,i = [y_i + Z_H·b_y,i]₁`. Honestly y_i = x_i as polynomials (both of degree < n, equal on H), so
 * `C_y,i − C_x,i = [Z_H·(b_y,i − b_x,i)]₁` and `Z_H(τ)·D = Σ_i ρ^i·(C_y,i − C_x,i)` (Z_H(τ) ≠ 0 whp); π, the
 * commitment to the quotient of `(Z_H − Z_H(ξ))·r` by `X − ξ`, is `((Z_H(τ) − Z_H(ξ))/(τ − ξ))·D`. A simulator
 * holding τ computes both from the statement, so they reveal nothing the commitments do not; what hides y is its
 * commitment's fresh blinding b_y, free for the row solver since the block states no linear relation.
 *
 * Cost: two G1 messages per relinked tensor and one wire commitment per row; one pairing equation on the two G2
 * points every KZG check uses.
 * @module
 */
import type { G1Point } from '../src/curve';
import type { SlotValues } from '../src/equations/equation';
import { frSlot } from '../src/equations/evaluate';
import { BlockfoldError } from '../src/errors';
import { Fr, R } from '../src/field';
import { commit } from '../src/kzg/commit';
import { isPowerOfTwo } from '../src/poly/roots';
import type { Block, BlockContext, TensorRange, TensorSpec, Tensors } from './block';
import { combinationBlinding } from './hiding';
import { relationResidual, type LinearRelation } from './linear-relation';
import { powers, rowSlot, rowStatement, rowStatementSlots } from './poly-iop';
import type { Protocol } from './protocol';
import type { MessageSource } from './schedule';
import { vanishingLinkOpening, vanishingLinkTerms, type VanishingLinkSlots } from './weight-link';

/** Shape of a {@link RelinkBlock}. */
export interface RelinkOptions {
  /** Rows of x and y. */
  readonly rows: number;
  /** Domain size n of the rows (a power of two). */
  readonly domain: number;
}

const LINK: VanishingLinkSlots = { d: 'D', xi: 'xi', vanishing: 'Z(xi)', proof: 'pi' };

/** y = x on H, y blinded afresh by the prover: the copy a fixed-blinding row is read through. */
export class RelinkBlock implements Block {
  readonly kind = 'relink';
  readonly foldKey: string;
  readonly tensors: readonly TensorSpec[];
  readonly options: RelinkOptions;
  /** `y_i − x_i` per row: what Δ combines (with ρ^i), as relations so the residual reuses `relationResidual`. */
  private readonly differences: readonly LinearRelation[];

  constructor(opts: RelinkOptions) {
    const { rows, domain } = opts;
    if (!Number.isInteger(rows) || rows < 1) throw new BlockfoldError('BLOCK', `relink: rows must be a positive integer, got ${rows}`);
    if (!isPowerOfTwo(domain)) throw new BlockfoldError('BLOCK', `relink: domain must be a power of two, got ${domain}`);
    this.options = { rows, domain };
    this.tensors = [
      { name: 'x', rows, domain, role: 'input' },
      { name: 'y', rows, domain, role: 'output' },
    ];
    this.foldKey = `relink/m${rows}/n${domain}`;
    this.differences = Array.from({ length: rows }, (_, row) => ({
      terms: [
        { tensor: 'y', row, coeff: 1n },
        { tensor: 'x', row, coeff: -1n },
      ],
    }));
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

  protocol(ctx: BlockContext): Protocol {
    const statement = rowStatementSlots(this.tensors);
    const n = this.options.domain;
    return {
      foldKey: this.foldKey,
      maxDegree: 2,
      slots: [
        ...statement,
        { name: 'rho', sort: 'fr', origin: 'challenge' },
        { name: 'delta', sort: 'g1', origin: 'derived' },
        { name: LINK.d, sort: 'g1', origin: 'message' },
        { name: LINK.xi, sort: 'fr', origin: 'challenge' },
        { name: LINK.vanishing, sort: 'fr', origin: 'derived' },
        { name: LINK.proof, sort: 'g1', origin: 'message' },
      ],
      schedule: [
        { kind: 'statement', slots: statement.map((s) => s.name) },
        { kind: 'challenge', slots: ['rho'] },
        { kind: 'derived', slots: ['delta'], compute: async (v: SlotValues, engine) => ({ delta: await relationResidual(engine, v, this.differences, this.rhos(v), rowSlot) }) },
        { kind: 'message', slots: [LINK.d] },
        { kind: 'challenge', slots: [LINK.xi] },
        { kind: 'derived', slots: [LINK.vanishing], compute: (v: SlotValues) => ({ [LINK.vanishing]: Fr.sub(Fr.pow(frSlot(v, LINK.xi), BigInt(n)), 1n) }) },
        { kind: 'message', slots: [LINK.proof] },
      ],
      // D and π are functions of the statement's commitments (module comment): nothing for the compiler to blind.
      selfBlinded: [LINK.d, LINK.proof],
      equations: [{ kind: 'pairing', name: 'relink', terms: [{ coeff: 1n, scalars: [], g1: 'delta', g2: ctx.kzg.g2One }, ...vanishingLinkTerms(ctx.kzg, LINK)] }],
    };
  }

  statement(commitments: Readonly<Record<string, readonly G1Point[]>>): SlotValues {
    return rowStatement(this.tensors, commitments);
  }

  /** D = [r]₁ and π from the rows' blindings (`ctx.statementBlinding`); y = x is the caller's (the witness). */
  prover(ctx: BlockContext, _tensors: Tensors): MessageSource {
    let r: bigint[] | undefined;
    return async (slots, values) => {
      const name = slots[0]?.name;
      if (name === LINK.d) {
        const rhos = this.rhos(values);
        const rows = Array.from({ length: this.options.rows }, (_, i) => i);
        r = combinationBlinding(
          `relink ${this.foldKey}`,
          { slots: [...rows.map((i) => rowSlot('y', i)), ...rows.map((i) => rowSlot('x', i))], scalars: [...rhos, ...rhos.map((p) => (R - p) % R)] },
          ctx.statementBlinding,
        );
        return { [LINK.d]: await commit(ctx.kzg, r) };
      }
      if (name === LINK.proof && r) return { [LINK.proof]: await vanishingLinkOpening(ctx.kzg, this.options.domain, r, frSlot(values, LINK.xi), frSlot(values, LINK.vanishing)) };
      throw new BlockfoldError('BLOCK', `relink: no message "${name}" at this point`);
    };
  }

  private rhos(v: SlotValues): bigint[] {
    return powers(frSlot(v, 'rho'), this.options.rows);
  }
}
