/**
 * The range block: every real cell x of its source rows satisfies `x − lo ∈ S = {0, …, N − 1}`, N = 2^b, by logUp
 * against a table that is never committed, interpolated or opened. **One instance per proof**: the compiler gives it
 * every range-checked tensor of every layer, so the table side is paid once.
 *
 * A logUp table side over S is the rational function `Σ_{v∈S} m_v/(X − v) = M(X)/Z_S(X)` with the public vanishing
 * polynomial `Z_S = Π_{v∈S}(X − v)` and `M = Σ_v m_v·K_v`, `K_v = Z_S/(X − v)` (`src/srs/range-basis.ts`). So:
 *
 * 1. before β the prover sends `[M']₁ = Σ_{v: m_v≠0} m_v·[K_v(τ)]₁ + ρ₀·[Z_S(τ)]₁ + ρ₁·[τ·Z_S(τ)]₁` (a sparse MSM of
 *    short scalars, m_v counting the real cells of value v) and ρ₀, ρ₁ as **hidden scalars** (oracles on H_1, blinded
 *    like every hidden scalar, `blocks/running-sum.ts`);
 * 2. β; the verifier refuses β ∈ S (an integer below N, where `Z_S(β) = 0`), which it decides without computing
 *    `Z_S(β)`, an O(N) product;
 * 3. the witness side is the logUp argument of `logup-iop.ts` over the source cells, `f = x − lo` (weights the
 *    selectors of the real cells, padding pinned to `x = 0`), with bundled helpers and running sums, its chain closing
 *    on `S' − ρ₀ − β·ρ₁` instead of on a table helper's sum;
 * 4. after the helpers one scalar `S' = M'(β)/Z_S(β) = Σ_v m_v/(β − v) + ρ₀ + ρ₁·β` (a message);
 * 5. the claim that `F = [M']₁ − S'·[Z_S]₁`, a commitment the verifier derives, **vanishes at β**
 *    (`PolyIopSpec.vanishingClaims`), opened with the argument's other points; its quotient
 *    `Q_β = (M' − S'·Z_S)/(X − β) = −Σ_v (m_v/(β − v))·K_v + ρ₁·Z_S` is an MSM over the K basis with full-width scalars
 *    on the distinct values only (`(X − β)·K_v = Z_S − (β − v)·K_v`), so no polynomial of degree N is ever formed.
 *
 * A range narrower than b bits, `x − lo ∈ [0, 2^j)`, looks up `x − lo` and `2^(b−j)·(x − lo)`, a second column of the
 * same row (no committed copy): both below 2^b, and `2^(b−j)·(x − lo) < 2^(2b) ≪ r` cannot wrap, so `x − lo < 2^j`.
 *
 * A **difference source** (`RangeSource.difference`) checks the cells of `y(X^k) − x(X)` instead of x's, y a one-row
 * tensor on H_(n/k) and x one row on H_n, every cell real: its column reads the linear form `y(X^k) − x(X) − lo` of a
 * composed read and a plain one (`blocks/poly-iop.ts`, "Compositions"), so the differences of a segment-major max
 * (`blocks/segment-max.ts`) are range-checked without being committed. Sound as any column: the argument below holds
 * for whatever polynomial each column's cells are the values of on H, and that of this column is `y(X^k) − x(X)`, whose
 * value at cell i is `y_(i mod n/k) − x_i`; its opening points are y's `ζ^k` and x's ζ.
 *
 * **Soundness** (no degree bound, docs/soundness.md rule 3). The rational function
 * `Φ(X) = Σ_c w_c/(X − f_c) − M'(X)/Z_S(X) + ρ₀ + ρ₁·X` (c over every cell, ρ the committed hidden scalars) is fixed
 * before β: the cells and their weights by the statement, M' and ρ by the messages absorbed before β. The running sums
 * prove `Σ_c w_c/(β − f_c) = S' − ρ₀ − β·ρ₁` (their bundle identities fix each helper where no `β − f_c` vanishes), the
 * opening proves `M'(β) = S'·Z_S(β)`, and β ∉ S, so `Φ(β) = 0`. Cleared of denominators Φ is a polynomial of degree
 * at most `deg M' + N + (cells) + 1` fixed before β, so unless it is zero a random β is a root with probability below
 * that over r (and β is a cell's value, where a helper is free, with probability at most cells/r). If Φ = 0, the left
 * side's poles are the cell values of non-zero total weight (counts are below r), the right side's lie in S whatever
 * M' is (a polynomial over `Z_S`), so every real cell is in S. Nothing of M' is assumed: neither its degree nor that
 * its ρ are the hidden scalars' (a mismatch is a polynomial part of Φ, so Φ ≠ 0).
 * A control reading the table total from `M'(0)`, as cq does, would accept `M' + c·Z_S` with S' adjusted, since
 * `Z_S(0) = 0`; here c moves S' − ρ₀ − β·ρ₁ by c and the running sums fail. ρ₀, ρ₁ chosen after β (or M') would close
 * any chain: all three are absorbed before β.
 *
 * **Hiding.** `([M']₁, S')` is uniform under (ρ₀, ρ₁): the map `(ρ₀, ρ₁) ↦ (ρ₀·Z_S(τ) + ρ₁·τ·Z_S(τ), ρ₀ + ρ₁·β)` has
 * determinant `Z_S(τ)·(β − τ) ≠ 0`; ρ₀ alone would leave a guess test (`[M'] − S'·[Z_S]` a function of M). The
 * hidden scalars' commitments and values at ζ carry their own blinding. The quotient at β enters only W and W'.
 * @module
 */
import type { G1Point } from '../src/curve';
import type { FieldMonomial, SlotDecl, SlotValue, SlotValues } from '../src/equations/equation';
import { frSlot } from '../src/equations/evaluate';
import { BlockfoldError } from '../src/errors';
import { Fr, frFromSigned, R } from '../src/field';
import { blindingSource } from '../src/blinding';
import { commit } from '../src/kzg/commit';
import type { RangeTableKey, RangeTableProverKey } from '../src/kzg/range-table';
import { EvaluationDomain } from '../src/poly/domain';
import { log2Exact } from '../src/poly/roots';
import { isRangeTableSize } from '../src/srs/range-basis';
import { interpolateNamed } from '../src/poly/interpolate';
import { withinRangeFactLimit, type Block, type BlockContext, type DifferenceRange, type OpeningRotations, type TensorRange, type TensorSpec, type Tensors } from './block';
import type { OpeningPoint } from './opening-point';
import { rowEvaluations } from './commit-rows';
import type { LogupColumn, LogupColumnWitness, LogupSpec, LogupWitness } from './logup';
import { bundleBound, logupIopProver, logupIopSpec } from './logup-iop';
import { at, polyIopProtocol, polyIopProver, rowSlot, rowStatement, scalar, term, type PolyIopProver, type PolyIopSpec, type PublicPoly } from './poly-iop';
import type { Protocol, Step } from './protocol';
import { hiddenScalar } from './running-sum';
import type { MessageSource } from './schedule';
import { selectorVector } from './tables';

/** A tensor whose real cells are range-checked: `x − lo ∈ [0, 2^bits)`. */
export interface RangeSource {
  readonly input: string;
  readonly rows: number;
  /** Domain size n (a power of two) the rows are committed over. */
  readonly domain: number;
  /** Cells per row (≤ n); the other n − length cells are zero padding. */
  readonly length: number;
  /** The range's low end (default 0): the cell looked up is `x − lo`. */
  readonly lo?: bigint;
  /** The range's width in bits, at most the table's (default: the table's). */
  readonly bits?: number;
  /**
   * When set, the cells checked are `y(X^power) − x(X)` for x = `input` (one row, `length = domain`) and y = `minuend`
   * (one row on H_(domain/power)), not x's own (module comment, "difference source").
   */
  readonly difference?: { readonly minuend: string; readonly power: number };
}

const M_PRIME = "[M']";
const TOTAL = "S'";
const BETA = 'beta';
const CLAIM = 'range/table';
const RHO0 = hiddenScalar('range/rho0');
const RHO1 = hiddenScalar('range/rho1');

/** The evaluation slot of row r of a source. */
const cellSlot = (s: RangeSource, r: number) => `f:${s.input}[${r}]`;
/** The evaluation slot of a difference source's minuend y at `ζ^power`. */
const minuendSlot = (d: NonNullable<RangeSource['difference']>) => `f:${d.minuend}^${d.power}`;
const selectorSlot = (n: number, length: number) => `q:${n}:${length}`;
/** The public constant `−lo` of H_n, which a padding cell's `f = x − lo` holds when x = 0. */
const padSlot = (n: number, lo: bigint) => `pad:${n}:${lo}`;

/**
 * What a cheating prover chooses (soundness tests; the honest prover takes none): each hook sees the transcript values
 * when the message is computed, so a prover whose message is absorbed after β sees β.
 */
export interface RangeProverChoices {
  /** The counts committed in M' (honest: the real cells' values); S' and the quotient at β follow them. */
  multiplicities?(values: SlotValues, honest: readonly bigint[]): readonly bigint[];
  /** c of `M' + c·Z_S`, S' moved by c with it (honest: 0). */
  tableShift?(values: SlotValues): bigint;
  /** The scalars the hidden scalars commit (honest: the ρ₀, ρ₁ that blind M'). */
  hiddenScalars?(values: SlotValues, rho: readonly [bigint, bigint]): readonly [bigint, bigint];
}

/** Every range check of a model into one table of N entries with a public denominator (module comment). */
export class RangeBlock implements Block {
  readonly kind = 'range';
  readonly foldKey: string;
  readonly tensors: readonly TensorSpec[];
  /** log₂ N. */
  readonly tableBits: number;

  /**
   * @param size N, a power of two from 2 to 2^20 (the key's range table must have this size)
   * @param sources the tensors whose cells are range-checked
   */
  constructor(
    readonly size: number,
    readonly sources: readonly RangeSource[],
  ) {
    if (!isRangeTableSize(size)) throw new BlockfoldError('BLOCK', `a range table has a power-of-two size from 2 to 2^20, got ${size}`);
    if (sources.length === 0) throw new BlockfoldError('BLOCK', 'range block: no sources');
    this.tableBits = log2Exact(size);
    const names = new Set<string>();
    for (const s of sources) {
      for (const name of [s.input, ...(s.difference ? [s.difference.minuend] : [])]) {
        if (names.has(name)) throw new BlockfoldError('BLOCK', `range block: ${name} is a source twice`);
        names.add(name);
      }
      if (!(s.length >= 1 && s.length <= s.domain) || s.rows < 1) throw new BlockfoldError('BLOCK', `range source ${s.input}: bad shape`);
      if (s.difference) {
        const k = s.difference.power;
        if (s.rows !== 1 || s.length !== s.domain || !Number.isSafeInteger(k) || k < 2 || s.domain % k !== 0)
          throw new BlockfoldError('BLOCK', `range source ${s.input} − ${s.difference.minuend}: a difference source is one row with every cell real, read against a minuend composed with X^k, k ≥ 2 dividing its domain ${s.domain}`);
      }
      const bits = s.bits ?? this.tableBits;
      if (!Number.isInteger(bits) || bits < 0 || bits > this.tableBits) throw new BlockfoldError('BLOCK', `range source ${s.input}: ${bits} bits do not fit a table of 2^${this.tableBits} entries`);
      // A fact is a statement about integers only well inside (−r/2, r/2) (docs/soundness.md rule 9): `x − lo` is
      // computed in Fr, so an offset near r/2 would state `x ≥ lo` of a cell that is a large negative integer.
      const lo = s.lo ?? 0n;
      if (typeof lo !== 'bigint' || !withinRangeFactLimit(lo, lo + (1n << BigInt(bits))))
        throw new BlockfoldError('BLOCK', `range source ${s.input}: the offset ${String(s.lo)} puts [lo, lo + 2^${bits}) outside (−2^250, 2^250)`);
      new EvaluationDomain(s.domain);
    }
    this.tensors = sources.flatMap((s): TensorSpec[] => [
      { name: s.input, rows: s.rows, domain: s.domain, role: 'input' },
      ...(s.difference ? [{ name: s.difference.minuend, rows: 1, domain: s.domain / s.difference.power, role: 'input' as const }] : []),
    ]);
    const shapes = sources
      .map((s) => `${s.difference ? `X^${s.difference.power}−` : ''}${s.rows}x${s.length}@${s.domain}${s.lo ? `-${s.lo}` : ''}${(s.bits ?? this.tableBits) < this.tableBits ? `:${s.bits}b` : ''}`)
      .join(',');
    this.foldKey = `range/${size}/${shapes}`;
  }

  /** Nothing: the block reads its tensors. */
  witness(): Tensors {
    return {};
  }

  /** `x ∈ [lo, lo + 2^bits)` on the real cells; on every cell the interval widened to hold 0 (padding is pinned to 0). */
  provenRanges(): TensorRange[] {
    return this.sources.flatMap((s) => {
      if (s.difference) return [];
      const lo = s.lo ?? 0n;
      const hi = lo + (1n << BigInt(s.bits ?? this.tableBits)) - 1n;
      return [
        { tensor: s.input, lo, hi, cells: s.length },
        { tensor: s.input, lo: lo < 0n ? lo : 0n, hi: hi > 0n ? hi : 0n, cells: s.domain },
      ];
    });
  }

  /** `y(X^k) − x(X) ∈ [lo, lo + 2^bits)` on every cell, for each difference source. */
  provenDifferenceRanges(): DifferenceRange[] {
    return this.sources.flatMap((s) => {
      if (!s.difference) return [];
      const lo = s.lo ?? 0n;
      return [{ minuend: s.difference.minuend, subtrahend: s.input, power: s.difference.power, lo, hi: lo + (1n << BigInt(s.bits ?? this.tableBits)) - 1n }];
    });
  }

  statement(commitments: Readonly<Record<string, readonly G1Point[]>>): SlotValues {
    return rowStatement(this.tensors, commitments);
  }

  /** `2^(b − bits)` of a source narrower than the table, undefined for a full-width one. */
  scaleOf(s: RangeSource): bigint | undefined {
    const bits = s.bits ?? this.tableBits;
    return bits < this.tableBits ? 1n << BigInt(this.tableBits - bits) : undefined;
  }

  /** The witness side as a logUp spec: one column per row (two for a narrow range), no table column. */
  logupSpec(): LogupSpec {
    const publics = new Map<string, PublicPoly>();
    const columns: LogupColumn[] = [];
    for (const s of this.sources) {
      const lo = s.lo ?? 0n;
      const padded = s.length < s.domain;
      const q = selectorSlot(s.domain, s.length);
      if (padded && !publics.has(q)) publics.set(q, selectorPoly(q, s.domain, s.length));
      const k = padSlot(s.domain, lo);
      if (padded && lo !== 0n && !publics.has(k)) publics.set(k, constantPoly(k, s.domain, Fr.neg(frFromSigned(lo))));
      const weight: FieldMonomial[] = [{ coeff: 1n, scalars: padded ? [q] : [] }];
      const scale = this.scaleOf(s);
      for (let r = 0; r < s.rows; r++) {
        const f = cellSlot(s, r);
        // A difference source's cells are `y(X^k) − x(X)`: the minuend read composed, minus x.
        const minuend = (c: bigint): FieldMonomial[] => (s.difference ? [{ coeff: c, scalars: [minuendSlot(s.difference)] }] : []);
        const read = (c: bigint): FieldMonomial => ({ coeff: s.difference ? Fr.neg(c) : c, scalars: [f] });
        const value = (c: bigint): FieldMonomial[] => [...minuend(c), read(c), ...(lo !== 0n ? [{ coeff: Fr.neg(Fr.mul(c, frFromSigned(lo))), scalars: [] }] : [])];
        const pad = padded ? { pad: { selector: q, ...(lo !== 0n ? { constant: k } : {}) } } : {};
        columns.push({ name: `${s.input}[${r}]`, domain: s.domain, value: value(1n), weight, ...pad });
        if (scale !== undefined) columns.push({ name: `${s.input}[${r}]*${scale}`, domain: s.domain, value: value(scale), weight });
      }
    }
    return {
      foldKey: this.foldKey,
      statement: this.tensors.flatMap((t) => Array.from({ length: t.rows }, (_, r) => rowSlot(t.name, r))),
      committedBeforeBeta: [M_PRIME, RHO0.commitmentSlot.name, RHO1.commitmentSlot.name],
      preChallenges: [],
      publics: [...publics.values()],
      columns,
      claims: this.sources.flatMap((s) => [
        ...Array.from({ length: s.rows }, (_, r) => ({ commitment: rowSlot(s.input, r), evaluation: cellSlot(s, r) })),
        ...(s.difference ? [{ commitment: rowSlot(s.difference.minuend, 0), evaluation: minuendSlot(s.difference), power: s.difference.power }] : []),
      ]),
    };
  }

  /** The block's table in the key, refused unless the key has one of this size (a typed error naming both). */
  table(ctx: BlockContext): RangeTableKey {
    const t = ctx.kzg.rangeTable;
    if (t?.size !== this.size)
      throw new BlockfoldError('BLOCK', `range checks through a table of ${this.size} entries need its range basis in the key (${this.size + 2} G1 powers of τ and [Z_S(τ)]₁); the key has ${t ? `a table of ${t.size}` : 'none'}`);
    return t;
  }

  /** The poly-IOP spec (module comment), for the model-level argument and the block's own protocol. */
  iopSpec(ctx: BlockContext): PolyIopSpec {
    const table = this.table(ctx);
    const total = [term(1, scalar(TOTAL)), term(-1, at(RHO0.oracle.name)), term(-1, at(RHO1.oracle.name), scalar(BETA))];
    const base = logupIopSpec(this.logupSpec(), bundleBound(ctx), total);
    const size = BigInt(this.size);
    // β ∈ S (an integer below N) would make `Z_S(β) = 0`: the claim at β would say nothing of S'.
    const outsideS: Step = {
      kind: 'derived',
      slots: [],
      compute: (values) => {
        if (frSlot(values, BETA) < size) throw new BlockfoldError('BLOCK', `β lies in the range table {0, …, ${this.size - 1}}: Z_S(β) = 0`);
        return {};
      },
    };
    const afterBeta = base.rounds.findIndex((s) => s.kind === 'challenge' && s.slots.includes(BETA)) + 1;
    return {
      ...base,
      slots: [...base.slots, { name: TOTAL, sort: 'fr', origin: 'message' }],
      rounds: [...base.rounds.slice(0, afterBeta), outsideS, ...base.rounds.slice(afterBeta), { kind: 'message', slots: [TOTAL] }],
      oracles: [...base.oracles, RHO0.oracle, RHO1.oracle],
      selfBlinded: [M_PRIME],
      vanishingClaims: [
        {
          name: CLAIM,
          point: BETA,
          terms: [
            { coeff: 1n, scalars: [], commitment: M_PRIME },
            { coeff: R - 1n, scalars: [TOTAL], commitment: table.vanishing },
          ],
        },
      ],
    };
  }

  /** The block proven alone: its spec compiled (its own ζ, quotient and opening, β among the opening's points). */
  protocol(ctx: BlockContext): Protocol {
    return polyIopProtocol(this.iopSpec(ctx), ctx.kzg, ctx.engine);
  }

  prover(ctx: BlockContext, tensors: Tensors): MessageSource {
    return rangeProver(this, ctx, tensors);
  }

  iopProver(ctx: BlockContext, tensors: Tensors): PolyIopProver {
    return rangeIopProver(this, ctx, tensors);
  }

  /** Where it opens rows besides ζ: a difference source's minuend at `ζ^k`, read composed. */
  openingRotations(): OpeningRotations {
    const rows: Record<string, OpeningPoint[]> = {};
    for (const s of this.sources) if (s.difference) (rows[s.difference.minuend] ??= []).push({ kind: 'power', power: s.difference.power });
    return { rows, ownPoints: 1 };
  }

  /** The honest counts: how many looked-up values (real cells, and their scaled copies) are v, for v < N. */
  multiplicities(tensors: Tensors): bigint[] {
    const m = new Array<bigint>(this.size).fill(0n);
    const n = BigInt(this.size);
    const count = (f: bigint) => {
      if (f >= 0n && f < n) m[Number(f)] += 1n;
    };
    for (const s of this.sources) {
      const lo = s.lo ?? 0n;
      const scale = this.scaleOf(s);
      for (const row of checkedCells(s, tensors))
        for (const x of row) {
          count(x - lo);
          if (scale !== undefined) count(scale * (x - lo));
        }
    }
    return m;
  }
}

/**
 * The integer cells a source checks, by row: each row's real cells, or for a difference source the one row
 * `y_(i mod m) − x_i` over x's n cells (m = n/k). Rows missing from `tensors` give none; their shape is the prover's to check.
 */
function checkedCells(s: RangeSource, tensors: Tensors): bigint[][] {
  const rows = tensors[s.input] ?? [];
  if (!s.difference) return rows.map((row) => row.slice(0, s.length));
  const y = tensors[s.difference.minuend]?.[0] ?? [];
  const m = s.domain / s.difference.power;
  return rows.map((row) => row.map((x, i) => (y[i % m] ?? 0n) - x));
}

/** The indices of the non-zero entries, ascending (a loop: a vector of 2^16 counts is scanned once per proof). */
function nonzeroIndices(xs: readonly bigint[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < xs.length; i++) if (xs[i] !== 0n) out.push(i);
  return out;
}

/** The selector of the first `length` cells of H_n, evaluated by the verifier in O(n). */
function selectorPoly(name: string, n: number, length: number): PublicPoly {
  return { name, domain: n, values: () => selectorVector(n, length), evaluateAt: (zeta, _slots, domain) => domain.evaluateInterpolant(selectorVector(n, length), zeta) };
}

/** The constant c on H_n. */
function constantPoly(name: string, n: number, c: bigint): PublicPoly {
  return {
    name,
    domain: n,
    values: () => new Array<bigint>(n).fill(c),
    evaluateAt: () => c,
    coefficients: () => [c, ...new Array<bigint>(n - 1).fill(0n)],
  };
}

/** The block's message source proven alone, with a cheating prover's choices (soundness tests). */
export function rangeProver(block: RangeBlock, ctx: BlockContext, tensors: Tensors, choices: RangeProverChoices = {}): MessageSource {
  return polyIopProver(block.iopSpec(ctx), ctx, rangeIopProver(block, ctx, tensors, choices));
}

/**
 * The block's side of the poly-IOP prover: M' and the hidden ρ before β, the witness side's helpers (`logup-iop.ts`),
 * S', and the committed quotient of the claim at β. Refuses a cell outside its range unless `ctx.allowInvalidWitness`,
 * which also lets a row carry values in its padding cells (up to its domain), proven as committed: the soundness
 * tests' non-zero padding, which the padding identity rejects.
 */
export function rangeIopProver(block: RangeBlock, ctx: BlockContext, tensors: Tensors, choices: RangeProverChoices = {}): PolyIopProver {
  const table = block.table(ctx);
  const key: RangeTableProverKey | undefined = table.prover;
  if (!key) throw new BlockfoldError('BLOCK', `range checks need the prover's range basis (the K basis of ${block.size} points), which a verifying key does not hold`);
  for (const s of block.sources) {
    const rows = tensors[s.input];
    const width = (row: readonly bigint[]) => row.length === s.length || (ctx.allowInvalidWitness === true && row.length <= s.domain);
    if (!rows || rows.length !== s.rows || !rows.every(width)) throw new BlockfoldError('BLOCK', `range: tensor ${s.input} must have ${s.rows} rows of ${s.length} cells`);
    if (s.difference) {
      const y = tensors[s.difference.minuend];
      const m = s.domain / s.difference.power;
      if (!y || y.length !== 1 || y[0].length !== m) throw new BlockfoldError('BLOCK', `range: tensor ${s.difference.minuend} must have 1 row of ${m} cells`);
    }
    const lo = s.lo ?? 0n;
    const end = 1n << BigInt(s.bits ?? block.tableBits);
    const what = (r: number, i: number) => (s.difference ? `${s.difference.minuend}(X^${s.difference.power}) − ${s.input} at cell ${i}` : `${s.input}[${r}][${i}]`);
    if (!ctx.allowInvalidWitness)
      checkedCells(s, tensors).forEach((row, r) =>
        row.forEach((x, i) => {
          if (x - lo < 0n || x - lo >= end) throw new BlockfoldError('BLOCK', `range: ${what(r, i)} = ${x} is outside [${lo}, ${lo + end})`);
        }),
      );
  }
  const honest = block.multiplicities(tensors);
  const source = ctx.blinding ?? blindingSource();
  // M' and its ρ, fixed by the first message and read by every later one.
  let state: { m: readonly bigint[]; drawn: readonly [bigint, bigint]; rho: readonly [bigint, bigint] } | undefined;
  const chosen = (values: SlotValues) => {
    if (state) return state;
    // Keyed by the sources' names too: two range blocks of one shape in one proof must not share ρ (the difference of
    // their [M'] would be that of their M, a guess test on the counts).
    const [r0, r1] = source.draw(`range/${block.foldKey}/${block.sources.map((s) => s.input).join(',')}/rho`, 2);
    const m = (choices.multiplicities?.(values, honest) ?? honest).map((c) => Fr.create(c));
    return (state = { m, drawn: [r0, r1], rho: [Fr.add(r0, Fr.create(choices.tableShift?.(values) ?? 0n)), r1] });
  };
  // The hidden scalars' values, as last committed.
  let hidden: readonly [bigint, bigint] = [0n, 0n];
  /**
   * `1/(β − v)` for every v with a non-zero count, and those v: one batch inversion in the engine, kept for the β and
   * counts it was computed for, since S' and the quotient at β both read it (attention: 12,570 distinct values, inverted
   * twice per proof in bigints before).
   */
  let kept: { beta: bigint; m: readonly bigint[]; vs: number[]; inverses: bigint[] } | undefined;
  const fractions = (beta: bigint, m: readonly bigint[]) => {
    if (kept?.beta === beta && kept.m === m) return kept;
    const vs = nonzeroIndices(m);
    return (kept = { beta, m, vs, inverses: ctx.engine.batchInvert(vs.map((v) => Fr.sub(beta, BigInt(v)))) });
  };
  /** The table side at β, `Σ_v m_v/(β − v)`, of the committed counts. */
  const tableSide = (values: SlotValues) => {
    const { m } = chosen(values);
    const { vs, inverses } = fractions(frSlot(values, BETA), m);
    let sum = 0n;
    vs.forEach((v, i) => (sum += m[v] * inverses[i]));
    return sum % R;
  };
  const witness: LogupWitness = {
    async committedBeforeBeta(values) {
      const { m, drawn, rho } = chosen(values);
      hidden = choices.hiddenScalars?.(values, drawn) ?? drawn;
      const out: Record<string, SlotValue> = {};
      // `Σ_v m_v·[K_v]₁ + ρ₀·[Z_S]₁ + ρ₁·[τ·Z_S]₁`: the counts are short scalars, most of them zero (the WebAssembly engine reads the nonzero ones' bases alone).
      out[M_PRIME] = (await ctx.engine.msmG1(key.kBasis, m)).add(await ctx.engine.msmG1Points([table.vanishing.point, key.shiftedVanishing], [rho[0], rho[1]]));
      out[RHO0.commitmentSlot.name] = await commit(ctx.kzg, [hidden[0]]);
      out[RHO1.commitmentSlot.name] = await commit(ctx.kzg, [hidden[1]]);
      return out;
    },
    afterBeta() {
      const interpolated: [string, bigint[]][] = [];
      const columns: LogupColumnWitness[] = [];
      for (const s of block.sources) {
        const lo = frFromSigned(s.lo ?? 0n);
        const selector = selectorVector(s.domain, s.length);
        const scale = block.scaleOf(s);
        const constant = s.length < s.domain && lo !== 0n ? new Array<bigint>(s.domain).fill(Fr.neg(lo)) : undefined;
        const minuend = s.difference && rowEvaluations(tensors[s.difference.minuend][0], s.domain / s.difference.power);
        if (s.difference) interpolated.push([rowSlot(s.difference.minuend, 0), minuend!]);
        for (let r = 0; r < s.rows; r++) {
          const x = rowEvaluations(tensors[s.input][r], s.domain);
          interpolated.push([rowSlot(s.input, r), x]);
          // A difference source's cell i is `y_(i mod m) − x_i` (the composed read's value there).
          const f = x.map((v, i) => Fr.sub(minuend ? Fr.sub(minuend[i % minuend.length], v) : v, lo));
          columns.push({ value: f, weight: selector, ...(s.length < s.domain ? { selector } : {}), ...(constant ? { constant } : {}) });
          if (scale !== undefined) columns.push({ value: f.map((v) => Fr.mul(scale, v)), weight: selector });
        }
      }
      return { polys: interpolateNamed(interpolated, ctx.engine), columns };
    },
    tableTotal: tableSide,
  };
  const inner = logupIopProver(block.logupSpec(), ctx, witness);
  return {
    round: async (decls: readonly SlotDecl[], values: SlotValues) => {
      if (decls[0].name !== TOTAL) return inner.round(decls, values);
      // S' = Σ_v m_v/(β − v) + ρ₀ + ρ₁·β.
      const { rho } = chosen(values);
      return { [TOTAL]: Fr.add(tableSide(values), Fr.add(rho[0], Fr.mul(rho[1], frSlot(values, BETA)))) };
    },
    polynomials: (values) => {
      return { ...inner.polynomials(values), [RHO0.oracle.name]: [hidden[0]], [RHO1.oracle.name]: [hidden[1]] };
    },
    // Q_β = −Σ_v (m_v/(β − v))·K_v + ρ₁·Z_S, committed over the K basis: full-width scalars on the distinct values.
    vanishingQuotient: async (claim, values) => {
      if (claim !== CLAIM) throw new BlockfoldError('BLOCK', `range: no vanishing claim "${claim}"`);
      const { m, rho } = chosen(values);
      const { vs, inverses } = fractions(frSlot(values, BETA), m);
      const q = new Array<bigint>(block.size).fill(0n);
      vs.forEach((v, i) => (q[v] = Fr.neg(Fr.mul(m[v], inverses[i]))));
      return (await ctx.engine.msmG1(key.kBasis, q)).add(await ctx.engine.msmG1Points([table.vanishing.point], [rho[1]]));
    },
  };
}
