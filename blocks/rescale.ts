/**
 * The rescale block: fixed-point division by 2^k, rounding to nearest with ties toward +∞,
 *
 *   `y = floor((x + 2^(k−1)) / 2^k)`, i.e. `x + 2^(k−1) = 2^k·y + r` with `0 ≤ r < 2^k`.
 *
 * The equation is linear, so it is checked on the row commitments with no prover message. Rows are committed
 * zero-padded (block.ts), so on a padding cell x = y = r = 0 and the constant must vanish there: the constant
 * vector is `2^(k−1)·q` with q the selector of the `length` real cells, whose commitment `[q(τ)]₁` the verifier
 * computes itself and caches (`tables.ts`). When a row has no padding, q is the constant polynomial 1 and
 * `[q(τ)]₁ = [1]₁`. (Using `[1]₁` with padding would force r = 2^(k−1) on padding cells, which a zero-padded
 * commitment of r does not hold.) With a challenge ρ drawn after the statement, all rows are checked at once:
 *
 *   `Σ_j ρ^j·(e(C_x_j, [1]₂) − 2^k·e(C_y_j, [1]₂) − e(C_r_j, [1]₂)) + 2^(k−1)·(Σ_j ρ^j)·e([q(τ)]₁, [1]₂) = 0`  (degree 2).
 *
 * **Range checks are required for soundness** and are proven by the lookup block (one argument per table per
 * proof): `r ∈ [0, 2^k)` and `y ∈ [−2^(B−1), 2^(B−1))`. Both are needed: with r alone a prover could pick any r
 * and the field element `y = (x + 2^(k−1) − r)/2^k`, which is not a small integer. With both bounds and
 * `|x| + 2^(k+B) < r/2` (the compiler's bound, rule 9) the relation holds over the integers, so y is the rounded
 * quotient. An x whose quotient lies outside the y range has no witness: a calibrated range on y is enforced.
 * {@link RescaleBlock.rangeObligations} lists them for the compiler, which adds each source to the lookup block of its
 * table; the y check may instead be discharged by a table lookup of y whose input column lies within that range.
 * @module
 */
import type { G1Point } from '../src/curve';
import type { Equation, PairingMonomial, SlotDecl, SlotValue, SlotValues } from '../src/equations/equation';
import { frSlot } from '../src/equations/evaluate';
import { BlockfoldError } from '../src/errors';
import { Fr, frFromSigned, R } from '../src/field';
import { EvaluationDomain } from '../src/poly/domain';
import type { Block, BlockContext, TensorRange, TensorSpec, Tensors } from './block';
import { cellOf } from './commit-rows';
import type { LinearRelation, LinearRelationPublic } from './linear-relation';
import type { Protocol } from './protocol';
import type { MessageSource } from './schedule';
import { selectorCommitment } from './tables';

/** Shape and parameters of a rescale. */
export interface RescaleParams {
  /** Tensor names: input x, output y, remainder r. */
  readonly input: string;
  readonly output: string;
  readonly remainder: string;
  readonly rows: number;
  /** Domain size n of every row. */
  readonly domain: number;
  /** Cells per row (≤ n). */
  readonly length: number;
  /** k ≥ 1: the division is by 2^k. */
  readonly shift: number;
  /** B: y is range-checked to `[−2^(B−1), 2^(B−1))`. */
  readonly outputBits: number;
}

/** `x + 2^(k−1) = 2^k·y + r` over the rows of one layer, checked on commitments. */
export class RescaleBlock implements Block {
  readonly kind = 'rescale';
  readonly linearOnly = true;
  readonly foldKey: string;
  readonly tensors: readonly TensorSpec[];

  constructor(readonly params: RescaleParams) {
    const { shift, outputBits, rows, domain, length } = params;
    if (!Number.isInteger(shift) || shift < 1 || shift > 64) throw new BlockfoldError('BLOCK', `rescale: shift ${shift} outside 1..64`);
    if (!Number.isInteger(outputBits) || outputBits < 1 || outputBits > 64) throw new BlockfoldError('BLOCK', `rescale: output bits ${outputBits} outside 1..64`);
    if (!(rows >= 1 && length >= 1 && length <= domain)) throw new BlockfoldError('BLOCK', 'rescale: bad shape');
    new EvaluationDomain(domain);
    this.foldKey = `rescale/k=${shift}/${rows}x${length}@${domain}`;
    this.tensors = [
      { name: params.input, rows, domain, role: 'input' },
      { name: params.output, rows, domain, role: 'output' },
      { name: params.remainder, rows, domain, role: 'output' },
    ];
  }

  /** `y = floor((x + 2^(k−1)) / 2^k)` (arithmetic shift = floor for negatives) and `r = x + 2^(k−1) − 2^k·y`. */
  witness(inputs: Tensors): Tensors {
    const k = BigInt(this.params.shift);
    const half = 1n << (k - 1n);
    const xs = inputs[this.params.input];
    const ys = xs.map((row) => row.map((x) => (x + half) >> k));
    const rs = xs.map((row, j) => row.map((x, i) => x + half - (ys[j][i] << k)));
    return { [this.params.output]: ys, [this.params.remainder]: rs };
  }

  /** The ranges this block's soundness relies on (see the module comment): `r ∈ [0, 2^k)`, `y ∈ [−2^(B−1), 2^(B−1))`. */
  rangeObligations(): TensorRange[] {
    const { output, remainder, shift, outputBits, length } = this.params;
    const bound = 1n << BigInt(outputBits - 1);
    return [
      { tensor: remainder, lo: 0n, hi: (1n << BigInt(shift)) - 1n, cells: length },
      { tensor: output, lo: -bound, hi: bound - 1n, cells: length },
    ];
  }

  statement(commitments: Readonly<Record<string, readonly G1Point[]>>): SlotValues {
    const out: Record<string, SlotValue> = {};
    for (const t of this.tensors) for (let j = 0; j < t.rows; j++) out[`${t.name}[${j}]`] = commitments[t.name][j];
    return out;
  }

  /** Row by row, `[X_j]₁ − 2^k·[Y_j]₁ − [R_j]₁ = −2^(k−1)·[q]₁` (the selector part is public). */
  linearRelations(): LinearRelation[] {
    const { input, output, remainder, rows, shift } = this.params;
    return Array.from({ length: rows }, (_, row) => ({
      terms: [
        { tensor: input, row, coeff: 1n },
        { tensor: output, row, coeff: -(1n << BigInt(shift)) },
        { tensor: remainder, row, coeff: -1n },
      ],
    }));
  }

  /** The relations' public side `−2^(k−1)·[q]₁` (q the selector of the real cells). */
  linearRelationsPublic(): LinearRelationPublic {
    return { constant: -(1n << BigInt(this.params.shift - 1)), domain: this.params.domain, length: this.params.length };
  }

  /** `[q(τ)]₁`, q the selector of the `length` real cells of a row. */
  private selector(ctx: BlockContext): Promise<G1Point> {
    return selectorCommitment(ctx.kzg, this.params.domain, this.params.length);
  }

  protocol(ctx: BlockContext): Protocol {
    const { rows, shift } = this.params;
    const [x, y, r] = this.tensors.map((t) => t.name);
    const row = (t: string, j: number) => `${t}[${j}]`;
    const rho = (j: number) => `rho^${j}`;
    const statement = [x, y, r].flatMap((t) => Array.from({ length: rows }, (_, j) => row(t, j)));
    const powers = Array.from({ length: rows }, (_, j) => rho(j + 1));
    const slots: SlotDecl[] = [
      ...statement.map((name) => ({ name, sort: 'g1' as const, origin: 'statement' as const })),
      { name: 'rho', sort: 'fr', origin: 'challenge' },
      ...powers.map((name) => ({ name, sort: 'fr' as const, origin: 'derived' as const })),
      { name: 'sigma', sort: 'fr', origin: 'derived' },
      { name: 'Q', sort: 'g1', origin: 'derived' },
    ];
    const half = Fr.create(1n << BigInt(shift - 1));
    const terms: PairingMonomial[] = this.linearRelations().flatMap((rel, j) =>
      rel.terms.map((t): PairingMonomial => ({ coeff: frFromSigned(t.coeff), scalars: [rho(j + 1)], g1: row(t.tensor, t.row), g2: ctx.kzg.g2One })),
    );
    terms.push({ coeff: half, scalars: ['sigma'], g1: 'Q', g2: ctx.kzg.g2One });
    const equations: Equation[] = [{ kind: 'pairing', name: 'rescale', terms }];
    return {
      foldKey: this.foldKey,
      maxDegree: 2,
      slots,
      equations,
      schedule: [
        { kind: 'statement', slots: statement },
        { kind: 'challenge', slots: ['rho'] },
        {
          kind: 'derived',
          slots: [...powers, 'sigma', 'Q'],
          compute: async (v) => {
            const out: Record<string, SlotValue> = {};
            let p = 1n;
            let sum = 0n;
            for (let j = 1; j <= rows; j++) {
              out[rho(j)] = p = Fr.mul(p, frSlot(v, 'rho'));
              sum += p;
            }
            out.sigma = sum % R;
            out.Q = await this.selector(ctx);
            return out;
          },
        },
      ],
    };
  }

  /** The block sends no message (its check is linear in the statement); it refuses a witness that breaks the relation. */
  prover(ctx: BlockContext, tensors: Tensors): MessageSource {
    const { input, output, remainder, shift } = this.params;
    const half = 1n << BigInt(shift - 1);
    const ok = tensors[input].every((row, j) => row.every((x, i) => x + half === (cellOf(tensors[output], j, i) << BigInt(shift)) + cellOf(tensors[remainder], j, i)));
    if (!ok && !ctx.allowInvalidWitness) throw new BlockfoldError('BLOCK', 'rescale: x + 2^(k−1) ≠ 2^k·y + r');
    return (decls) => {
      throw new BlockfoldError('BLOCK', `rescale sends no messages (asked for ${decls.map((d) => d.name).join(', ')})`);
    };
  }
}
