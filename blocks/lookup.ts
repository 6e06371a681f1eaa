/**
 * The lookup block: every cell (x) — or pair (x, y) — of its source rows is an entry of one public table, by
 * the logUp gadget (`logup.ts`). **One instance per table per proof**: the compiler gives it every tensor, from
 * every layer, that looks up into the table, so the O(N) table-side work (multiplicities, table helper, its
 * running sum and quotient) is paid once per table. Rows are grouped by domain size, each group with its own
 * running sum; all groups and the table close on one total (`Σ_groups S = 0` with the table's sum negated).
 *
 * Identity (β random, drawn after the rows and the multiplicities m are committed):
 * `Σ_cells 1/(β − f) = Σ_t m_t/(β − T_t)`, where for a two-column table `f = x + γ·y` and `T = T_x + γ·T_y`,
 * γ drawn after the rows (and m) are fixed. A two-column row is opened as its two rows, x and y each at ζ, and the
 * column's value is the linear form `x(ζ) + γ·y(ζ)` (until layout version 14 the verifier derived the commitment of
 * `x + γ·y` and the prover opened that: one value fewer where no other block opened x and y, but x and y are the rows
 * other blocks read and open anyway, and a row opened as itself can be stacked, `src/pipeline/stacked-rows.ts`). The
 * identity reads the same polynomial `x + γ·y` either way, so the argument below is unchanged. The table is a
 * **public polynomial** (`PublicPoly`) of the block: the
 * prover interpolates `T = T_x + γ·T_y` on H_N, the verifier evaluates `T(ζ) = T_x(ζ) + γ·T_y(ζ)` itself from the
 * table's entries (barycentric, O(N) per column), so the table is never committed, opened or sent (rule 4: no table
 * data from the proof). It is sound for the same reason as any public polynomial: the identity reads at ζ the value
 * of the one polynomial the table defines, and a prover has no message that could change it. Until layout version 8
 * the verifier committed to the table (`tables.ts`) and the prover sent `T(ζ)` and opened it: 32 B per table.
 *
 * Padding: rows are committed zero-padded to their domain (block.ts). A padding cell is not a lookup: its weight
 * is the selector q of the first `length` cells (public, `q(ζ)` computed by the verifier), and it is pinned to
 * zero by `(1 − q)·f = 0` on H, i.e. `x = y = 0` (γ is drawn after x and y are fixed). So padding is constrained
 * and never needs to be a table entry (sigmoid(0) ≠ 0), and the multiplicities count real cells only.
 *
 * There is no degree bound anywhere: the cq-style check `Σ_H f = |H|·f(0)` (rule 3) is not used; sums are running
 * sums closed on message totals S, so a wrong total fails the running-sum identity on H.
 *
 * Proof per instance (R source rows, D distinct domains among the rows' and the table's): G1 `R + 3D + 3` (a helper
 * per row and for the table; running sum and quotient per domain; m; one opening proof at ζ and per ω_n·ζ), Fr
 * `2R + 4D + 2` (f(ζ) and h(ζ) per row; h(ζ) of the table, m(ζ); Z(ζ), Z(ωζ), t(ζ), S per domain) in its own
 * protocol; in the model argument far less (`logup-iop.ts`).
 * @module
 */
import type { G1Point } from '../src/curve';
import type { FieldMonomial, SlotDecl, SlotValue, SlotValues } from '../src/equations/equation';
import { frSlot } from '../src/equations/evaluate';
import { BlockfoldError } from '../src/errors';
import { Fr, R } from '../src/field';
import { commitLagrange } from '../src/kzg/commit';
import { EvaluationDomain } from '../src/poly/domain';
import { interpolateNamed } from '../src/poly/interpolate';
import type { Block, BlockContext, TensorRange, TensorSpec, Tensors } from './block';
import { rowEvaluations } from './commit-rows';
import { logupProtocol, logupProver, type LogupColumn, type LogupColumnWitness, type LogupSpec, type LogupWitness, type OpeningClaim } from './logup';
import { bundleBound, logupIopProver, logupIopSpec } from './logup-iop';
import { combineRowCommitments, type PolyIopProver, type PolyIopSpec, type PublicPoly } from './poly-iop';
import type { Protocol } from './protocol';
import type { MessageSource } from './schedule';
import { selectorVector, tableColumn, tableDomain, tableInterpolant, tableOutput, tablePosition, type LookupTable } from './tables';

/** Tensors whose cells are looked up into the table. */
export interface LookupSource {
  /** The tensor of inputs x (role input). */
  readonly input: string;
  /** The tensor of outputs y = f(x) (role output): required for a two-column table, absent for one column. */
  readonly output?: string;
  readonly rows: number;
  /** Domain size n (power of two) the rows are committed over. */
  readonly domain: number;
  /** Cells per row (≤ n); the other n − length cells are zero padding. */
  readonly length: number;
}

const MINUS_ONE = R - 1n;
const TABLE_COLUMN = 'table';
/** The public polynomial of the table's entries on H_N, `T = T_x + γ·T_y` (`T = T_x` for one column). */
const TABLE = 'T';

/** `T_x + γ·T_y` on H_N, entry by entry (`T_x` for a one-column table). */
function tableValues(table: LookupTable, gamma: bigint): bigint[] {
  const tx = tableColumn(table, 'inputs');
  return table.outputs ? tableColumn(table, 'outputs').map((ty, i) => (tx[i] + gamma * ty) % R) : tx;
}

function columnName(s: LookupSource, r: number): string {
  return `${s.input}[${r}]`;
}

function rowSlot(tensor: string, r: number): string {
  return `${tensor}[${r}]`;
}

/** The slots of a source row's input and output values at ζ (a row read by two sources is opened once). */
const inputAt = (s: LookupSource, r: number) => `f:${rowSlot(s.input, r)}`;
const outputAt = (s: LookupSource, r: number) => `f:${rowSlot(s.output!, r)}`;
/** The derived commitment of a two-column row `x + γ·y` opened combined, and its value's slot. */
const combinedRow = (s: LookupSource, r: number) => `F:${columnName(s, r)}`;
const combinedAt = (s: LookupSource, r: number) => `f:${columnName(s, r)}`;

/** How a lookup opens a two-column row ({@link LookupBlock.spec}). */
export type LookupOpening = 'rows' | 'combined';

function selectorSlot(n: number, length: number): string {
  return `q:${n}:${length}`;
}

/** Counts of each table position among the real cells, as a vector on H_N. */
export type MultiplicityChooser = (values: SlotValues) => bigint[];

/** Every lookup into one public table, from any number of layers, in one logUp argument. */
export class LookupBlock implements Block {
  readonly kind = 'lookup';
  readonly foldKey: string;
  readonly tensors: readonly TensorSpec[];
  private readonly twoColumns: boolean;

  /**
   * @param table the public table (one column: range checks; two columns: `(x, f(x))`)
   * @param sources the tensors looking up into it (rows of every layer that uses the table)
   */
  constructor(
    readonly table: LookupTable,
    readonly sources: readonly LookupSource[],
  ) {
    this.twoColumns = table.outputs !== undefined;
    if (sources.length === 0) throw new BlockfoldError('BLOCK', `lookup into ${table.name}: no sources`);
    for (const s of sources) {
      if ((s.output !== undefined) !== this.twoColumns)
        throw new BlockfoldError('BLOCK', `lookup source ${s.input}: table ${table.name} has ${this.twoColumns ? 'two columns' : 'one column'}`);
      if (!(s.length >= 1 && s.length <= s.domain) || s.rows < 1) throw new BlockfoldError('BLOCK', `lookup source ${s.input}: bad shape`);
      new EvaluationDomain(s.domain);
    }
    this.tensors = sources.flatMap((s) => [
      { name: s.input, rows: s.rows, domain: s.domain, role: 'input' as const },
      ...(s.output ? [{ name: s.output, rows: s.rows, domain: s.domain, role: 'output' as const }] : []),
    ]);
    const shapes = sources.map((s) => `${s.rows}x${s.length}@${s.domain}`).join(',');
    this.foldKey = `lookup/${table.name}#${table.digest}/${shapes}`;
  }

  /** y = f(x) cell by cell for two-column tables (an error for x outside the table); nothing for range checks. */
  witness(inputs: Tensors): Tensors {
    return this.witnessPartial(inputs);
  }

  /**
   * Every looked-up input lies in the table's first column; when that column is a contiguous integer
   * range (range tables, and function tables on an interval), that is an interval fact on the source's real
   * cells. The padding is pinned to zero, so the interval widened to hold 0 is a fact on every cell.
   */
  provenRanges(): TensorRange[] {
    const xs = this.table.inputs;
    let lo = xs[0];
    let hi = xs[0];
    for (const x of xs) {
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    if (hi - lo + 1n !== BigInt(new Set(xs).size)) return [];
    const all = { lo: lo < 0n ? lo : 0n, hi: hi > 0n ? hi : 0n };
    return this.sources.flatMap((s) => [
      { tensor: s.input, lo, hi, cells: s.length },
      { tensor: s.input, ...all, cells: s.domain },
    ]);
  }

  /** The outputs of the sources whose inputs are present (sources from different layers are independent). */
  witnessPartial(available: Tensors): Tensors {
    const out: Record<string, bigint[][]> = {};
    for (const s of this.sources) if (s.output && available[s.input]) out[s.output] = available[s.input].map((row) => row.map((x) => tableOutput(this.table, x)));
    return out;
  }

  statement(commitments: Readonly<Record<string, readonly G1Point[]>>): SlotValues {
    const out: Record<string, SlotValue> = {};
    for (const spec of this.tensors) for (let r = 0; r < spec.rows; r++) out[rowSlot(spec.name, r)] = commitments[spec.name][r];
    return out;
  }

  /**
   * The gadget configuration shared by prover and verifier. `opening` says how a two-column row is opened: as its two
   * rows (`rows`, the model argument's: the column `x(ζ) + γ·y(ζ)` a linear form of two values), or as the combined
   * commitment `[x]₁ + γ·[y]₁` the verifier derives (`combined`, the block proven alone: its field equations read a
   * column's value as one evaluation, within their degree 3).
   */
  spec(opening: LookupOpening = 'rows'): LogupSpec {
    const table = this.table;
    const two = this.twoColumns;
    const combined = two && opening === 'combined';
    const statement = this.tensors.flatMap((t) => Array.from({ length: t.rows }, (_, r) => rowSlot(t.name, r)));
    const selectors = new Map<string, { n: number; length: number }>();
    const columns: LogupColumn[] = [];
    for (const s of this.sources) {
      const padded = s.length < s.domain;
      if (padded) selectors.set(selectorSlot(s.domain, s.length), { n: s.domain, length: s.length });
      const q = selectorSlot(s.domain, s.length);
      for (let r = 0; r < s.rows; r++) {
        const weight: FieldMonomial[] = padded ? [{ coeff: 1n, scalars: [q] }] : [{ coeff: 1n, scalars: [] }];
        columns.push({
          name: columnName(s, r),
          domain: s.domain,
          // `x + γ·y` of the two rows' values at ζ (a linear form of two openings), or of the combined row, or x's.
          value: combined ? [{ coeff: 1n, scalars: [combinedAt(s, r)] }] : s.output ? [{ coeff: 1n, scalars: [inputAt(s, r)] }, { coeff: 1n, scalars: ['gamma', outputAt(s, r)] }] : [{ coeff: 1n, scalars: [inputAt(s, r)] }],
          weight,
          ...(padded ? { pad: { selector: q } } : {}),
        });
      }
    }
    columns.push({ name: TABLE_COLUMN, domain: tableDomain(table), value: [{ coeff: 1n, scalars: [TABLE] }], weight: [{ coeff: MINUS_ONE, scalars: ['m@z'] }] });

    // Every row read is opened at ζ itself (an output's too): its value is what other blocks reading the row open, and a
    // row opened only at its points can be stacked (`src/pipeline/stacked-rows.ts`). Combined: the row `x + γ·y`, the same
    // combination the verifier derives its commitment with.
    const opened = new Map<string, OpeningClaim>();
    for (const s of this.sources)
      for (let r = 0; r < s.rows; r++) {
        if (combined) {
          const combination = (v: SlotValues) => ({ slots: [rowSlot(s.input, r), rowSlot(s.output!, r)], scalars: [1n, frSlot(v, 'gamma')] });
          opened.set(combinedRow(s, r), { commitment: combinedRow(s, r), evaluation: combinedAt(s, r), combination });
          continue;
        }
        opened.set(rowSlot(s.input, r), { commitment: rowSlot(s.input, r), evaluation: inputAt(s, r) });
        if (s.output) opened.set(rowSlot(s.output, r), { commitment: rowSlot(s.output, r), evaluation: outputAt(s, r) });
      }
    const combinations = [...opened.values()].filter((c) => c.combination);
    const gammaOf = (v: SlotValues) => (two ? frSlot(v, 'gamma') : 0n);
    // The verifier's table columns on H_N, built once per spec: the engine keeps a vector's kernel form per array.
    let onH: { x: bigint[]; y?: bigint[] } | undefined;
    const tableOnH = () => (onH ??= { x: tableColumn(table, 'inputs'), ...(two && { y: tableColumn(table, 'outputs') }) });
    return {
      foldKey: this.foldKey,
      statement,
      committedBeforeBeta: ['M'],
      preChallenges: two ? ['gamma'] : [],
      ...(combinations.length > 0 && {
        commitments: {
          slots: combinations.map((c): SlotDecl => ({ name: c.commitment, sort: 'g1', origin: 'derived' })),
          // C_f = C_x + γ·C_y per row.
          compute: async (v, engine) => {
            const out: Record<string, SlotValue> = {};
            for (const c of combinations) {
              const k = c.combination!(v);
              out[c.commitment] = await combineRowCommitments(engine, v, k.slots, k.scalars);
            }
            return out;
          },
        },
      }),
      publics: [
        // q(ζ) = Σ_{i < length} L_i(ζ), O(n) per selector.
        ...[...selectors].map(([name, { n, length }]): PublicPoly => ({
          name,
          domain: n,
          values: () => selectorVector(n, length),
          evaluateAt: (zeta, _slots, domain) => domain.evaluateInterpolant(selectorVector(n, length), zeta),
        })),
        // T(ζ) = T_x(ζ) + γ·T_y(ζ), O(N) per column: the verifier evaluates the table itself (rule 4).
        {
          name: TABLE,
          domain: tableDomain(table),
          values: (v) => tableValues(table, gammaOf(v)),
          // Linear in the columns: T's interpolant from the columns' kept interpolants (no transform per proof),
          // combined by the engine from their kept words, so that the quotient copies the result's words too.
          coefficients: (v, domain) => {
            const ix = tableInterpolant(table, 'inputs', domain.engine);
            return table.outputs ? domain.engine.linearCombination([ix, tableInterpolant(table, 'outputs', domain.engine)], [1n, gammaOf(v)]) : ix;
          },
          evaluateAt: (zeta, v, domain) => {
            const { x, y } = tableOnH();
            const tx = domain.evaluateInterpolant(x, zeta);
            return y ? Fr.add(tx, Fr.mul(gammaOf(v), domain.evaluateInterpolant(y, zeta))) : tx;
          },
        },
      ],
      columns,
      claims: [...opened.values(), { commitment: 'M', evaluation: 'm@z' }],
    };
  }

  protocol(ctx: BlockContext): Protocol {
    return logupProtocol(this.spec('combined'), ctx.kzg);
  }

  /** The honest multiplicities: how many real cells hit each table position. */
  multiplicities(tensors: Tensors): bigint[] {
    const m = new Array<bigint>(tableDomain(this.table)).fill(0n);
    for (const s of this.sources) {
      for (let r = 0; r < s.rows; r++) {
        const xs = tensors[s.input][r];
        for (let i = 0; i < xs.length; i++) {
          const pos = tablePosition(this.table, xs[i], s.output ? tensors[s.output][r][i] : undefined);
          if (pos >= 0) m[pos] += 1n;
        }
      }
    }
    return m;
  }

  prover(ctx: BlockContext, tensors: Tensors): MessageSource {
    const m = this.multiplicities(tensors);
    return lookupProver(this, ctx, tensors, () => m);
  }

  /** The logUp argument as a poly-IOP spec, for the model-level argument. */
  iopSpec(ctx: BlockContext): PolyIopSpec {
    return logupIopSpec(this.spec(), bundleBound(ctx));
  }

  iopProver(ctx: BlockContext, tensors: Tensors): PolyIopProver {
    const m = this.multiplicities(tensors);
    return logupIopProver(this.spec(), ctx, lookupWitness(this, ctx, tensors, () => m));
  }
}

/**
 * The lookup prover with the multiplicities chosen by `multiplicities` from the transcript values at the time
 * they are committed (the honest prover ignores them; a soundness test passes a cheating chooser).
 */
export function lookupProver(block: LookupBlock, ctx: BlockContext, tensors: Tensors, multiplicities: MultiplicityChooser): MessageSource {
  return logupProver(block.spec('combined'), ctx, lookupWitness(block, ctx, tensors, multiplicities, 'combined'));
}

/** The lookup's side of the logUp prover: multiplicities before β, then the columns (refuses cells outside the table). */
export function lookupWitness(block: LookupBlock, ctx: BlockContext, tensors: Tensors, multiplicities: MultiplicityChooser, opening: LookupOpening = 'rows'): LogupWitness {
  const table = block.table;
  let m: bigint[] = [];
  for (const s of block.sources) {
    const rows = tensors[s.input];
    if (!rows || rows.length !== s.rows || rows.some((row) => row.length !== s.length))
      throw new BlockfoldError('BLOCK', `lookup: tensor ${s.input} must have ${s.rows} rows of ${s.length} cells`);
    if (!ctx.allowInvalidWitness)
      rows.forEach((row, r) =>
        row.forEach((x, i) => {
          if (tablePosition(table, x, s.output ? tensors[s.output][r][i] : undefined) < 0)
            throw new BlockfoldError('BLOCK', `lookup: ${s.input}[${r}][${i}] is not an entry of table ${table.name}`);
        }),
      );
  }
  return {
    async committedBeforeBeta(values) {
      m = multiplicities(values).map((c) => Fr.create(c));
      return { M: await commitLagrange(ctx.kzg, m) };
    },
    afterBeta(values) {
      const gamma = table.outputs ? frSlot(values, 'gamma') : 0n;
      const polys = new Map<string, bigint[]>();
      const columns: LogupColumnWitness[] = [];
      for (const s of block.sources) {
        const selector = selectorVector(s.domain, s.length);
        for (let r = 0; r < s.rows; r++) {
          const x = rowEvaluations(tensors[s.input][r], s.domain);
          const y = s.output ? rowEvaluations(tensors[s.output][r], s.domain) : undefined;
          const f = y ? x.map((xi, i) => (xi + gamma * y[i]) % R) : x;
          if (y && opening === 'combined') polys.set(combinedRow(s, r), f);
          else {
            polys.set(rowSlot(s.input, r), x);
            if (y) polys.set(rowSlot(s.output!, r), y);
          }
          columns.push(s.length < s.domain ? { value: f, weight: selector, selector } : { value: f, weight: selector });
        }
      }
      columns.push({ value: tableValues(table, gamma), weight: m.map((c) => Fr.neg(c)) });
      return { polys: interpolateNamed([...polys, ['M', m]], ctx.engine), columns };
    },
  };
}
