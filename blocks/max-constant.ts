/**
 * Maximum with a public constant, `y = max(x, c)` cell by cell (a ReLU is c = 0, a clamp's lower side any c), with
 * the differences `d = y − x` as a range-checked output. x is read where it is: no candidate rows are laid out, so
 * the compiler needs no copy of x and no row of constants (the general {@link MaxBlock} reads its candidates as
 * rows written by a permutation, which costs a copy argument and the candidate rows' commitments).
 *
 * Tensors: x (input), y and d (outputs), each m rows on H_n with `length` real cells per row.
 *
 * Protocol:
 * 1. **linearity** `[D_r]₁ = [Y_r]₁ − [X_r]₁` for every row r: the verifier draws ρ and derives the residual
 *    `Σ_r ρ^r·([Y_r]₁ − [X_r]₁ − [D_r]₁)`; the equation `e(residual, [1]₂) = 0` (degree 1). In a model proof the
 *    pipeline derives `[D_r]₁` from this relation instead of reading it (`src/pipeline/derived-rows.ts`);
 * 2. **one side is tight**: `d_r(X)·(y_r(X) − c) = 0` on H_n, an identity of the poly-IOP (`blocks/poly-iop.ts`);
 * 3. when `length < n`, **zero padding**: `pad(X)·y_r(X) = 0` and `pad(X)·d_r(X) = 0` on H_n, pad the public indicator
 *    of the cells ≥ length (one polynomial of the domain for every block of that shape; the verifier evaluates it
 *    in O(n)).
 * The range facts `d ∈ [0, 2^bits)` and `y − c ∈ [0, 2^bits)` on the real cells are {@link MaxConstantBlock.rangeObligations}:
 * the compiler attaches range lookups to d and y.
 *
 * **Soundness.** On a real cell, 1 gives `d = y − x` (commitments bind the rows, so the relation holds on every
 * cell), 2 gives `(y − x)·(y − c) = 0` in Fr, so y = x or y = c, and the range facts (inside the window of
 * docs/soundness.md rule 9, so they hold over the integers) give `y ≥ x` and `y ≥ c`: y is the larger of the two,
 * `y = max(x, c)`. Without the range on y a prover could set y = x < c; without the range on d, y = c < x.
 *
 * **Padding.** Identity 3 pins y's and d's padding to zero, so x's too (`x = y − d` on every cell): an honest x is
 * zero-padded, as every committed row is, and every consumer of y gets the zero padding it expects. The range
 * obligations do not do it: they cover the real cells, and the compiler may discharge them through a flat copy of
 * the real cells that reads no padding (without 3, `y = d = c` on a padding cell satisfies 1 and 2).
 *
 * **Hiding.** x, y and d are statement rows, blinded by the pipeline and opened at ζ only; the block sends nothing.
 * @module
 */
import type { SlotValues } from '../src/equations/equation';
import { frSlot } from '../src/equations/evaluate';
import { BlockfoldError } from '../src/errors';
import { frFromSigned } from '../src/field';
import { isPowerOfTwo } from '../src/poly/roots';
import { interpolate } from '../src/poly/interpolate';
import { PolyIopBlock } from './poly-iop-block';
import type { Block, BlockContext, TensorRange, TensorSpec, Tensors } from './block';
import { rowEvaluations } from './commit-rows';
import { relationResidual, ZERO_PUBLIC_SIDE, type LinearRelation, type LinearRelationPublic } from './linear-relation';
import { at, powers, pub, publicVector, rowSlot, rowStatementSlots, term, type Identity, type Oracle, type PolyIopProver, type PolyIopSpec, type PublicPoly } from './poly-iop';

/** Shape of a {@link MaxConstantBlock}. */
export interface MaxConstantOptions {
  /** Rows m of x, y and d. */
  readonly rows: number;
  /** Domain size n of every row (a power of two). */
  readonly domain: number;
  /** Real cells per row (≤ n; the rest is padding); n when omitted. */
  readonly length?: number;
  /** The constant c. */
  readonly constant: bigint;
  /** `d` and `y − c` are range-checked in `[0, 2^bits)`. */
  readonly bits: number;
}

/** `y = max(x, c)` for a public constant c, with the differences `d = y − x` as a range-checked output. */
export class MaxConstantBlock extends PolyIopBlock implements Block {
  readonly kind = 'max-constant';
  readonly foldKey: string;
  readonly tensors: readonly TensorSpec[];
  readonly rows: number;
  readonly domain: number;
  readonly length: number;
  readonly constant: bigint;
  readonly bits: number;
  protected readonly spec: PolyIopSpec;

  constructor(opts: MaxConstantOptions) {
    super();
    const { rows: m, domain: n, constant: c, bits } = opts;
    const length = opts.length ?? n;
    if (!Number.isInteger(m) || m < 1) throw new BlockfoldError('BLOCK', `max-constant: rows must be a positive integer, got ${m}`);
    if (!isPowerOfTwo(n)) throw new BlockfoldError('BLOCK', `max-constant: the domain must be a power of two, got ${n}`);
    if (!Number.isInteger(length) || length < 1 || length > n) throw new BlockfoldError('BLOCK', `max-constant: row length must be in 1..${n}, got ${length}`);
    if (!Number.isInteger(bits) || bits < 1 || bits > 64) throw new BlockfoldError('BLOCK', `max-constant: bits must be in 1..64, got ${bits}`);
    if (c <= -(1n << 64n) || c >= 1n << 64n) throw new BlockfoldError('BLOCK', `max-constant: the constant ${c} is outside the 64-bit range`);
    this.rows = m;
    this.domain = n;
    this.length = length;
    this.constant = c;
    this.bits = bits;
    this.foldKey = `max-constant/c${c}/b${bits}/m${m}/l${length}/n${n}`;
    this.tensors = [
      { name: 'x', rows: m, domain: n, role: 'input' },
      { name: 'y', rows: m, domain: n, role: 'output' },
      { name: 'd', rows: m, domain: n, role: 'output' },
    ];
    this.spec = maxConstantSpec(this.foldKey, this.tensors, m, n, length, frFromSigned(c));
  }

  /** `[Y_r]₁ − [X_r]₁ − [D_r]₁ = 0` for every row r. */
  linearRelations(): LinearRelation[] {
    return differenceRelations(this.rows);
  }

  /** The relations' public side: none. */
  linearRelationsPublic(): LinearRelationPublic {
    return ZERO_PUBLIC_SIDE;
  }

  /** `d ∈ [0, 2^bits)` and `y ∈ [c, c + 2^bits)` on the real cells of every row (module comment). */
  rangeObligations(): TensorRange[] {
    const top = (1n << BigInt(this.bits)) - 1n;
    return [
      { tensor: 'd', lo: 0n, hi: top, cells: this.length },
      { tensor: 'y', lo: this.constant, hi: this.constant + top, cells: this.length },
    ];
  }

  /** `y = max(x, c)` and `d = y − x` over the integers, cell by cell (padding cells of x give padding cells of y and d). */
  witness(inputs: Tensors): Tensors {
    const { x } = inputs;
    if (!x || x.length !== this.rows) throw new BlockfoldError('BLOCK', `max-constant: x must have ${this.rows} rows`);
    const c = this.constant;
    const y = x.map((row) => row.map((v, i) => (i < this.length && v < c ? c : v)));
    return { y, d: y.map((row, r) => row.map((v, i) => v - x[r][i])) };
  }

  /** The block sends nothing: its prover side only hands the compiler the rows of d and y. */
  iopProver(ctx: BlockContext, tensors: Tensors): PolyIopProver {
    const polys: Record<string, bigint[]> = {};
    for (const t of ['d', 'y'] as const) tensors[t].forEach((row, r) => (polys[rowSlot(t, r)] = interpolate(rowEvaluations(row, this.domain), ctx.engine)));
    return { round: () => ({}), polynomials: () => polys };
  }
}

/** The linear check of the differences and the tightness identity of every row (module comment). */
function maxConstantSpec(foldKey: string, tensors: readonly TensorSpec[], m: number, n: number, length: number, c: bigint): PolyIopSpec {
  const rows = Array.from({ length: m }, (_, r) => r);
  const relations = differenceRelations(m);
  const pad = length < n ? paddingIndicator(n, length) : undefined;
  const identities: Identity[] = rows.flatMap((r): Identity[] => [
    { name: `tight/${r}`, domain: n, terms: [term(1, at(rowSlot('d', r)), at(rowSlot('y', r))), ...(c === 0n ? [] : [term(-c, at(rowSlot('d', r)))])] },
    ...(pad ? (['y', 'd'] as const).map((t) => ({ name: `padding/${t}/${r}`, domain: n, terms: [term(1, pub(pad.name), at(rowSlot(t, r)))] })) : []),
  ]);
  return {
    foldKey,
    statement: rowStatementSlots(tensors),
    slots: [
      { name: 'rho', sort: 'fr', origin: 'challenge' },
      { name: 'residual', sort: 'g1', origin: 'derived' },
    ],
    rounds: [
      { kind: 'challenge', slots: ['rho'] },
      {
        kind: 'derived',
        slots: ['residual'],
        compute: async (v: SlotValues, engine) => ({ residual: await relationResidual(engine, v, relations, powers(frSlot(v, 'rho'), relations.length), rowSlot) }),
      },
    ],
    oracles: rows.flatMap((r): Oracle[] => [
      { name: rowSlot('d', r), domain: n, commitment: rowSlot('d', r) },
      { name: rowSlot('y', r), domain: n, commitment: rowSlot('y', r) },
    ]),
    publics: pad ? [pad] : [],
    identities,
    equations: (kzg) => [{ kind: 'pairing', name: 'differences', terms: [{ coeff: 1n, scalars: [], g1: 'residual', g2: kzg.g2One }] }],
  };
}

const paddingIndicators = new Map<string, PublicPoly>();

/**
 * The indicator of the cells `length … n − 1` of H_n, named `pad/<n>/<length>`: a polynomial of the domain alone, one
 * object per shape, so the blocks of a model argument share it (evaluated once) and its values array is one array
 * (the verifier's kernels keep a vector's form per array).
 */
function paddingIndicator(n: number, length: number): PublicPoly {
  const name = `pad/${n}/${length}`;
  let p = paddingIndicators.get(name);
  if (!p) {
    const values = Array.from({ length: n }, (_, i) => (i < length ? 0n : 1n));
    paddingIndicators.set(name, (p = { ...publicVector(name, n, () => values), shared: true }));
  }
  return p;
}

/** `[Y_r]₁ − [X_r]₁ − [D_r]₁ = 0` for each of the m rows. */
function differenceRelations(m: number): LinearRelation[] {
  return Array.from({ length: m }, (_, r) => ({
    terms: [
      { tensor: 'y', row: r, coeff: 1n },
      { tensor: 'x', row: r, coeff: -1n },
      { tensor: 'd', row: r, coeff: -1n },
    ],
  }));
}
