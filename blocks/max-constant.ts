/**
 * Maximum with a public constant, `y = max(x, c)` cell by cell (a ReLU is c = 0, a clamp's lower side any c), with one
 * range-checked **slack** `d = (y − c) + (y − x)` as its output. x is read where it is: no candidate rows are laid
 * out, so the compiler needs no copy of x and no row of constants (the general {@link MaxBlock} reads its candidates
 * as rows written by a permutation, which costs a copy argument and the candidate rows' commitments).
 *
 * Tensors: x (input), y and d (outputs), each m rows on H_n with `length` real cells per row; q is the public
 * selector of the real cells and `pad = 1 − q`.
 *
 * Protocol: identities of the poly-IOP (`blocks/poly-iop.ts`) on H_n, for every row r, and nothing sent:
 * 1. **the slack** `d_r − 2·y_r + x_r + c·q = 0` (so `d = 2y − x − c` on the real cells and `2y − x` on the padding).
 *    It is also the block's linear relation `[D_r]₁ − 2·[Y_r]₁ + [X_r]₁ = −c·[q]₁`, from which a model proof derives
 *    `[D_r]₁` instead of reading it (`src/pipeline/derived-rows.ts`); the identity would then hold by construction, so
 *    the block leaves it out there ({@link MaxConstantBlock.linearCheck}, `BlockContext.relationsDerived`);
 * 2. **one side is tight**: `(y_r − x_r)·(y_r − c) = 0`;
 * 3. when `length < n`, **zero padding**: `pad·y_r = 0` and `pad·x_r = 0`.
 * The range fact `d ∈ [0, 2^bits)` on the real cells is {@link MaxConstantBlock.rangeObligations}: the compiler
 * attaches a range lookup to d.
 *
 * **Soundness.** On a real cell, 2 gives y = x or y = c (Fr has no zero divisors), and 1 (or, where d is derived, the
 * relation its commitment satisfies as a polynomial, which is stronger) with the range fact (inside
 * the window of docs/soundness.md rule 9, so it holds over the integers) gives: if y = x, `d = y − c ∈ [0, 2^bits)`,
 * so x = y ≥ c; if y = c, `d = c − x ∈ [0, 2^bits)`, so x ≤ c. Either way y is the larger of x and c: `y = max(x, c)`,
 * and `y ∈ [c, c + 2^bits)`, `x ∈ (c − 2^bits, c + 2^bits)`, which {@link MaxConstantBlock.provenRanges} reports. One
 * range check serves both sides because one of `y − c` and `y − x` is zero on every cell, so their sum is the other;
 * the former protocol checked `d = y − x` and `y − c` separately (two range checks).
 *
 * **Padding.** Identity 3 pins y's and x's padding to zero (an honest x is zero-padded, as every committed row is, and
 * every consumer of y gets the zero padding it expects); 1 (or d's derived commitment) then makes d's padding zero. The range obligation does not
 * do it: it covers the real cells, and the compiler may discharge it through a flat copy of the real cells that
 * reads no padding.
 *
 * **Hiding.** x, y and d are statement rows, blinded by the pipeline and opened at ζ only; the block sends nothing.
 * @module
 */
import { BlockfoldError } from '../src/errors';
import { frFromSigned } from '../src/field';
import { isPowerOfTwo } from '../src/poly/roots';
import { interpolate } from '../src/poly/interpolate';
import { PolyIopBlock } from './poly-iop-block';
import type { Block, BlockContext, TensorRange, TensorSpec, Tensors } from './block';
import { rowEvaluations } from './commit-rows';
import type { LinearCheckParts, LinearRelation, LinearRelationPublic } from './linear-relation';
import { at, pub, publicVector, rowSlot, rowStatementSlots, term, type Identity, type Oracle, type PolyIopProver, type PolyIopSpec, type PublicPoly } from './poly-iop';

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
  /** The slack `d = 2y − x − c` is range-checked in `[0, 2^bits)`. */
  readonly bits: number;
}

/** `y = max(x, c)` for a public constant c, with the slack `d = 2y − x − c` as a range-checked output. */
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

  /** The slack identities (1), which restate {@link MaxConstantBlock.linearRelations} on H. */
  protected override linearCheck(): LinearCheckParts {
    return { slots: [], steps: [], equations: [], identities: Array.from({ length: this.rows }, (_, r) => `slack/${r}`) };
  }

  /** `[D_r]₁ − 2·[Y_r]₁ + [X_r]₁ = −c·[q]₁` for every row r (identity 1). */
  linearRelations(): LinearRelation[] {
    return slackRelations(this.rows);
  }

  /** The relations' public side `−c·[q]₁`, q the selector of the real cells. */
  linearRelationsPublic(): LinearRelationPublic {
    return { constant: -this.constant, domain: this.domain, length: this.length };
  }

  /** `d ∈ [0, 2^bits)` on the real cells of every row (module comment). */
  rangeObligations(): TensorRange[] {
    return [{ tensor: 'd', lo: 0n, hi: (1n << BigInt(this.bits)) - 1n, cells: this.length }];
  }

  /**
   * From a fact `d ∈ [lo, hi]` with lo ≥ 0 on some cells: `y ∈ [c, c + hi]` and `x ∈ [c − hi, c + hi]` there (module
   * comment, "Soundness": y = x = c + d or y = c = x + d), on the real cells only: the padding of x and y is 0, which
   * lies outside those ranges when c > 0 (a fact on the whole row would be false there).
   */
  provenRanges(known: ReadonlyMap<string, TensorRange>): TensorRange[] {
    const d = known.get('d');
    if (!d || d.lo < 0n) return [];
    const c = this.constant;
    const cells = Math.min(d.cells, this.length);
    return [
      { tensor: 'y', lo: c, hi: c + d.hi, cells },
      { tensor: 'x', lo: c - d.hi, hi: c + d.hi, cells },
    ];
  }

  /** `y = max(x, c)` and `d = 2y − x − c` over the integers, cell by cell (on padding cells y = x and d = 2y − x). */
  witness(inputs: Tensors): Tensors {
    const { x } = inputs;
    if (!x || x.length !== this.rows) throw new BlockfoldError('BLOCK', `max-constant: x must have ${this.rows} rows`);
    const c = this.constant;
    const y = x.map((row) => row.map((v, i) => (i < this.length && v < c ? c : v)));
    return { y, d: y.map((row, r) => row.map((v, i) => 2n * v - x[r][i] - (i < this.length ? c : 0n))) };
  }

  /** The block sends nothing: its prover side only hands the compiler the rows of x, y and d. */
  iopProver(ctx: BlockContext, tensors: Tensors): PolyIopProver {
    const polys: Record<string, bigint[]> = {};
    for (const t of ['x', 'y', 'd'] as const) tensors[t].forEach((row, r) => (polys[rowSlot(t, r)] = interpolate(rowEvaluations(row, this.domain), ctx.engine)));
    return { round: () => ({}), polynomials: () => polys };
  }
}

/** The slack, tightness and padding identities of every row (module comment). */
function maxConstantSpec(foldKey: string, tensors: readonly TensorSpec[], m: number, n: number, length: number, c: bigint): PolyIopSpec {
  const rows = Array.from({ length: m }, (_, r) => r);
  const pad = length < n ? paddingIndicator(n, length) : undefined;
  const x = (r: number) => at(rowSlot('x', r));
  const y = (r: number) => at(rowSlot('y', r));
  const identities: Identity[] = rows.flatMap((r): Identity[] => [
    // d − 2y + x + c·(1 − pad) = 0
    { name: `slack/${r}`, domain: n, terms: [term(1, at(rowSlot('d', r))), term(-2, y(r)), term(1, x(r)), ...(c === 0n ? [] : [term(c), ...(pad ? [term(-c, pub(pad.name))] : [])])] },
    // (y − x)·(y − c) = y² − x·y − c·y + c·x
    { name: `tight/${r}`, domain: n, terms: [term(1, y(r), y(r)), term(-1, x(r), y(r)), ...(c === 0n ? [] : [term(-c, y(r)), term(c, x(r))])] },
    ...(pad ? (['y', 'x'] as const).map((t) => ({ name: `padding/${t}/${r}`, domain: n, terms: [term(1, pub(pad.name), at(rowSlot(t, r)))] })) : []),
  ]);
  return {
    foldKey,
    statement: rowStatementSlots(tensors),
    slots: [],
    rounds: [],
    oracles: rows.flatMap((r): Oracle[] => (['x', 'y', 'd'] as const).map((t) => ({ name: rowSlot(t, r), domain: n, commitment: rowSlot(t, r) }))),
    publics: pad ? [pad] : [],
    identities,
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

/** `[D_r]₁ − 2·[Y_r]₁ + [X_r]₁` (= −c·[q]₁) for each of the m rows. */
function slackRelations(m: number): LinearRelation[] {
  return Array.from({ length: m }, (_, r) => ({
    terms: [
      { tensor: 'd', row: r, coeff: 1n },
      { tensor: 'y', row: r, coeff: -2n },
      { tensor: 'x', row: r, coeff: 1n },
    ],
  }));
}
