/**
 * Linear elementwise blocks: `c = a + b`, `c = a − b`, `c = k·a` (k a public integer), row by row.
 *
 * KZG commitments are linear and the commitment of a row is that of its interpolant over H_n, so
 * `[C_i]₁ = k_a·[A_i]₁ + k_b·[B_i]₁` holds iff `c_i = k_a·a_i + k_b·b_i` at every point of H_n (padding included).
 * The prover sends nothing. The verifier draws ρ after the statement and derives the residual
 * `R = Σ_i ρ^i·(k_a·[A_i]₁ + k_b·[B_i]₁ − [C_i]₁)` (one MSM, from {@link LinearBlock.linearRelations}); the only equation is `e(R, [1]₂) = 0` (degree 1, so
 * it folds with no cross term). A wrong row survives only if ρ is a root of a non-zero polynomial of degree < rows.
 * @module
 */
import type { G1Point } from '../src/curve';
import type { SlotValues } from '../src/equations/equation';
import { BlockfoldError } from '../src/errors';
import { withinRangeFactLimit, type Block, type BlockContext, type TensorRange, type TensorSpec, type Tensors } from './block';
import { linearRelationCheck, ZERO_PUBLIC_SIDE, type LinearRelation, type LinearRelationPublic } from './linear-relation';
import { rowStatement, rowStatementSlots } from './poly-iop';
import type { Protocol } from './protocol';
import type { MessageSource } from './schedule';

/** The linear operation of a {@link LinearBlock}. */
export type LinearOp = { readonly op: 'add' } | { readonly op: 'sub' } | { readonly op: 'scale'; readonly factor: bigint };

/** Shape and operation of a {@link LinearBlock}. */
export interface LinearOptions {
  readonly operation: LinearOp;
  /** Rows of every operand. */
  readonly rows: number;
  /** Domain size n of the rows (a power of two). */
  readonly domain: number;
}

/** `c = a ± b` or `c = k·a`, checked on commitments (no prover messages). */
export class LinearBlock implements Block {
  readonly kind = 'linear';
  readonly linearOnly = true;
  readonly foldKey: string;
  readonly tensors: readonly TensorSpec[];
  readonly operation: LinearOp;
  /** Integer coefficients `(k_a, k_b)` of `c = k_a·a + k_b·b` (k_b unused by `scale`). */
  private readonly coefficients: readonly bigint[];

  constructor(opts: LinearOptions) {
    const { operation, rows, domain } = opts;
    if (!Number.isInteger(rows) || rows < 1) throw new BlockfoldError('BLOCK', `linear: rows must be a positive integer, got ${rows}`);
    this.operation = operation;
    this.coefficients = operation.op === 'add' ? [1n, 1n] : operation.op === 'sub' ? [1n, -1n] : [operation.factor];
    const inputs = this.coefficients.length === 2 ? ['a', 'b'] : ['a'];
    this.tensors = [
      ...inputs.map((name): TensorSpec => ({ name, rows, domain, role: 'input' })),
      { name: 'c', rows, domain, role: 'output' },
    ];
    const op = operation.op === 'scale' ? `scale${operation.factor}` : operation.op;
    this.foldKey = `linear/${op}/m${rows}/n${domain}`;
  }

  /** `c = k_a·a + k_b·b` over the integers, cell by cell. */
  witness(inputs: Tensors): Tensors {
    const operands = this.tensors.filter((t) => t.role === 'input').map((t) => inputs[t.name]);
    const [first] = operands;
    if (operands.some((rows) => !rows || rows.length !== first.length || rows.some((r, i) => r.length !== first[i].length)))
      throw new BlockfoldError('BLOCK', 'linear: operands must have equal shapes');
    return { c: first.map((row, i) => row.map((_, j) => operands.reduce((acc, rows, o) => acc + this.coefficients[o] * rows[i][j], 0n))) };
  }

  /**
   * For `c = k·a` with `k > 0`: ranges of both `a` and `c` proven (small enough that `k·a` does not wrap)
   * narrow `a` to `[⌈c.lo / k⌉, ⌊c.hi / k⌋]` on the cells both cover (the relation holds on every cell); a range check of `t ∈ [0, 2^j)` is `t` and `2^(8−j)·t` in a byte table.
   */
  provenRanges(known: ReadonlyMap<string, TensorRange>): TensorRange[] {
    if (this.operation.op !== 'scale' || this.operation.factor <= 0n) return [];
    const a = known.get('a');
    const c = known.get('c');
    const k = this.operation.factor;
    if (!a || !c || !withinRangeFactLimit(a.lo * k, a.hi * k)) return [];
    const lo = ceilDiv(c.lo, k);
    const hi = floorDiv(c.hi, k);
    return [{ tensor: 'a', lo: lo > a.lo ? lo : a.lo, hi: hi < a.hi ? hi : a.hi, cells: Math.min(a.cells, c.cells) }];
  }

  /** Row by row, `k_a·[A_i]₁ + k_b·[B_i]₁ − [C_i]₁ = 0` (k_b absent for `scale`). */
  linearRelations(): LinearRelation[] {
    const inputs = this.tensors.filter((t) => t.role === 'input');
    return Array.from({ length: this.tensors[0].rows }, (_, row) => ({
      terms: [...inputs.map((t, o) => ({ tensor: t.name, row, coeff: this.coefficients[o] })), { tensor: 'c', row, coeff: -1n }],
    }));
  }

  /** The relations' public side: none, `Σ_t k_t·[row_t]₁ = 0`. */
  linearRelationsPublic(): LinearRelationPublic {
    return ZERO_PUBLIC_SIDE;
  }

  protocol(ctx: BlockContext): Protocol {
    const check = linearRelationCheck(this.linearRelations(), 'linear');
    const statement = rowStatementSlots(this.tensors);
    return {
      foldKey: this.foldKey,
      maxDegree: 1,
      slots: [...statement, ...check.slots],
      schedule: [{ kind: 'statement', slots: statement.map((s) => s.name) }, ...check.steps],
      equations: [check.equation(ctx.kzg)],
    };
  }

  statement(commitments: Readonly<Record<string, readonly G1Point[]>>): SlotValues {
    return rowStatement(this.tensors, commitments);
  }

  prover(_ctx: BlockContext, _tensors: Tensors): MessageSource {
    return () => {
      throw new BlockfoldError('BLOCK', 'linear: the block sends no messages');
    };
  }
}

const floorDiv = (x: bigint, k: bigint) => (x >= 0n ? x / k : -((-x + k - 1n) / k));
const ceilDiv = (x: bigint, k: bigint) => -floorDiv(-x, k);
