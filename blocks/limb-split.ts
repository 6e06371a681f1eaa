/**
 * Limb decomposition for wide range checks: `v + c = lo + 2^b·hi` on the real cells of every row, for a
 * public offset c and limb width b. With `lo ∈ [0, 2^b)` and `hi ∈ [0, 2^h)` proven by range lookups (the
 * compiler attaches them), this proves `v + c ∈ [0, 2^(b+h))` exactly, for widths a small table cannot cover.
 *
 * The relation is linear in the commitments. With `Q` the commitment of the selector of the real cells
 * (1 on cells `0 … length − 1`, 0 on the padding), `[V_j] + c·Q = [LO_j] + 2^b·[HI_j]` holds iff the identity
 * holds at every point of H_n. The verifier draws ρ after the statement and derives
 * `R = Σ_j ρ^j·([V_j] − [LO_j] − 2^b·[HI_j]) + c·(Σ_j ρ^j)·Q`; the only equation is `e(R, [1]₂) = 0`
 * (degree 1). The prover sends nothing.
 * @module
 */
import type { G1Point } from '../src/curve';
import type { SlotValues } from '../src/equations/equation';
import { frSlot } from '../src/equations/evaluate';
import { BlockfoldError } from '../src/errors';
import { Fr, frFromSigned } from '../src/field';
import { EvaluationDomain } from '../src/poly/domain';
import { withinRangeFactLimit, type Block, type BlockContext, type TensorRange, type TensorSpec, type Tensors } from './block';
import { cellOf } from './commit-rows';
import { relationResidual, type LinearRelation, type LinearRelationPublic } from './linear-relation';
import { powers, rowSlot, rowStatement, rowStatementSlots } from './poly-iop';
import type { Protocol } from './protocol';
import type { MessageSource } from './schedule';
import { selectorCommitment } from './tables';

/** Shape and offset of a {@link LimbSplitBlock}. */
export interface LimbSplitOptions {
  readonly rows: number;
  /** Domain size n of every row. */
  readonly domain: number;
  /** Real cells per row (≤ n). */
  readonly length: number;
  /** The public offset c added to v before splitting (so that `v + c ≥ 0`). */
  readonly offset: bigint;
  /** Width b of the low limb, 1…16. */
  readonly limbBits: number;
}

/** `v + c = lo + 2^b·hi` cell by cell: the tensors `lo` and `hi` are outputs, `v` the input. */
export class LimbSplitBlock implements Block {
  readonly kind = 'limb-split';
  readonly linearOnly = true;
  readonly foldKey: string;
  readonly tensors: readonly TensorSpec[];
  private readonly limb: bigint;

  constructor(readonly options: LimbSplitOptions) {
    const { rows, domain, length, limbBits } = options;
    if (!Number.isInteger(rows) || rows < 1 || !(length >= 1 && length <= domain)) throw new BlockfoldError('BLOCK', 'limb-split: bad shape');
    if (!Number.isInteger(limbBits) || limbBits < 1 || limbBits > 16) throw new BlockfoldError('BLOCK', `limb-split: limb width ${limbBits} outside 1..16`);
    new EvaluationDomain(domain);
    this.limb = 1n << BigInt(limbBits);
    this.foldKey = `limb-split/b${limbBits}/c${options.offset}/m${rows}/l${length}/n${domain}`;
    this.tensors = [
      { name: 'v', rows, domain, role: 'input' },
      { name: 'lo', rows, domain, role: 'output' },
      { name: 'hi', rows, domain, role: 'output' },
    ];
  }

  /** `lo = (v + c) mod 2^b`, `hi = ⌊(v + c) / 2^b⌋`; a negative `v + c` is an error (out of range). */
  witness(inputs: Tensors): Tensors {
    const c = this.options.offset;
    const shifted = inputs.v.map((row) =>
      row.map((x) => {
        if (x + c < 0n) throw new BlockfoldError('BLOCK', `limb-split: value ${x} is below the range start ${-c}`);
        return x + c;
      }),
    );
    return { lo: shifted.map((row) => row.map((w) => w % this.limb)), hi: shifted.map((row) => row.map((w) => w / this.limb)) };
  }

  /**
   * With `lo ∈ [l₀, l₁] ⊆ [0, 2^b)` and `hi ∈ [h₀, h₁]` proven, `v = lo + 2^b·hi − c ∈ [2^b·h₀ + l₀ − c, 2^b·h₁ + l₁ − c]`
   * on the real cells both facts cover (a low limb narrower than b bits with `hi` = 0 is a range check narrower than
   * one limb). On the padding the selector is 0, so `v = lo + 2^b·hi` there: when the facts cover every cell, v lies
   * in the hull of both intervals on every cell. The relation holds modulo r, so an interval is a fact about the
   * integer v only when it cannot wrap: no fact when it leaves the window of `RANGE_FACT_LIMIT` (`block.ts`).
   */
  provenRanges(known: ReadonlyMap<string, TensorRange>): TensorRange[] {
    const lo = known.get('lo');
    const hi = known.get('hi');
    if (!lo || !hi || lo.lo < 0n || lo.hi >= this.limb) return [];
    const { offset: c, length, domain } = this.options;
    let range = { lo: hi.lo * this.limb + lo.lo - c, hi: hi.hi * this.limb + lo.hi - c };
    let cells = Math.min(length, lo.cells, hi.cells);
    if (lo.cells >= domain && hi.cells >= domain && length < domain) {
      const padding = { lo: hi.lo * this.limb + lo.lo, hi: hi.hi * this.limb + lo.hi };
      range = { lo: padding.lo < range.lo ? padding.lo : range.lo, hi: padding.hi > range.hi ? padding.hi : range.hi };
      cells = domain;
    }
    return withinRangeFactLimit(range.lo, range.hi) ? [{ tensor: 'v', ...range, cells }] : [];
  }

  /** Row by row, `[V_j]₁ − [LO_j]₁ − 2^b·[HI_j]₁ = −c·Q` (the selector part is public). */
  linearRelations(): LinearRelation[] {
    return Array.from({ length: this.options.rows }, (_, row) => ({
      terms: [
        { tensor: 'v', row, coeff: 1n },
        { tensor: 'lo', row, coeff: -1n },
        { tensor: 'hi', row, coeff: -this.limb },
      ],
    }));
  }

  /** The relations' public side `−c·[q]₁` (q the selector of the real cells). */
  linearRelationsPublic(): LinearRelationPublic {
    return { constant: -this.options.offset, domain: this.options.domain, length: this.options.length };
  }

  /** `[q(τ)]₁`, q the selector of the `length` real cells of a row. */
  private selector(ctx: BlockContext): Promise<G1Point> {
    return selectorCommitment(ctx.kzg, this.options.domain, this.options.length);
  }

  protocol(ctx: BlockContext): Protocol {
    const { rows, offset } = this.options;
    const statement = rowStatementSlots(this.tensors);
    const relations = this.linearRelations();
    return {
      foldKey: this.foldKey,
      maxDegree: 1,
      slots: [...statement, { name: 'rho', sort: 'fr', origin: 'challenge' }, { name: 'residual', sort: 'g1', origin: 'derived' }],
      schedule: [
        { kind: 'statement', slots: statement.map((s) => s.name) },
        { kind: 'challenge', slots: ['rho'] },
        {
          kind: 'derived',
          slots: ['residual'],
          compute: async (v: SlotValues, engine) => {
            const rhos = powers(frSlot(v, 'rho'), rows);
            const sigma = rhos.reduce((a, b) => Fr.add(a, b), 0n);
            const linear = await relationResidual(engine, v, relations, rhos, rowSlot);
            // With c = 0 the public side is 0 and reads no selector: a verifier's key holds none for it (`verifierSelectors`).
            if (offset === 0n) return { residual: linear };
            const selector = await this.selector(ctx);
            return { residual: linear.add(selector.multiplyUnsafe(Fr.mul(sigma, frFromSigned(offset)))) };
          },
        },
      ],
      equations: [{ kind: 'pairing', name: 'limb-split', terms: [{ coeff: 1n, scalars: [], g1: 'residual', g2: ctx.kzg.g2One }] }],
    };
  }

  statement(commitments: Readonly<Record<string, readonly G1Point[]>>): SlotValues {
    return rowStatement(this.tensors, commitments);
  }

  /** The block sends no message; it refuses a witness that breaks the relation unless told to proceed. */
  prover(ctx: BlockContext, tensors: Tensors): MessageSource {
    const c = this.options.offset;
    const ok = tensors.v.every((row, j) => row.every((x, i) => x + c === cellOf(tensors.lo, j, i) + this.limb * cellOf(tensors.hi, j, i)));
    if (!ok && !ctx.allowInvalidWitness) throw new BlockfoldError('BLOCK', 'limb-split: v + c ≠ lo + 2^b·hi');
    return (decls) => {
      throw new BlockfoldError('BLOCK', `limb-split sends no messages (asked for ${decls.map((d) => d.name).join(', ')})`);
    };
  }
}
