/**
 * The permutation (copy) block: every output cell is a copy of an input cell, or a public constant, under a
 * **public index map** (transpose, reshape across rows, gather, slice, concat, padding, im2col windows).
 *
 * Protocol: **logUp with public multiplicities**, through the logUp gadget (`logup.ts`):
 *
 *   `Σ_{copied out cells j} 1/(β − (out_j + γ·src_j)) = Σ_{input cells i} mult_i/(β − (in_i + γ·id_i))`
 *
 * where id_i is the global index of input cell i, src_j the index of the input cell output j copies, and mult_i
 * the number of outputs that copy cell i. γ is drawn after every row is committed, so `v + γ·index` binds value
 * and position; β after γ. The identity holds as rational functions in β exactly when the multiset of pairs
 * `(out_j, src_j)` equals `{(in_i, id_i) with multiplicity mult_i}`, i.e. when out_j = in_{src_j} for every j.
 * Cells that hold a constant c (padding value 0, etc.) have weight 0 and are pinned by `(1 − q)·(out − c) = 0`
 * on H with q the public copy selector: the verifier handles them as a known term, not a prover message. An output
 * row whose every cell is a copy (q = 1 on H) has no such identity, which would hold by construction.
 *
 * Why logUp rather than a PLONK grand product: it reuses the lookup block's gadget (one audited argument), handles
 * fan-out (a cell copied many times: im2col, broadcast gathers) through public multiplicities instead of
 * rebuilding a cycle structure σ, and sums over several input tensors with different domains through one running
 * sum per domain; a grand product needs all cells on one domain with a σ whose cycles encode every copy.
 * Index polynomials, multiplicities, selectors and constants are public: the verifier evaluates them at ζ itself
 * in O(cells) (derived slots), never from the proof.
 *
 * Proof per instance (R rows in all, D distinct domains): G1 `R + 3D + 1` (helpers; running sum and quotient per
 * domain; opening proofs at ζ and ω_n·ζ), Fr `2R + 4D` (value and helper at ζ per row; Z(ζ), Z(ωζ), t(ζ), S per domain).
 * @module
 */
import { keccak256 } from '../src/engine/wasm/keccak';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { G1Point } from '../src/curve';
import type { SlotValue, SlotValues } from '../src/equations/equation';
import { frSlot } from '../src/equations/evaluate';
import { BlockfoldError } from '../src/errors';
import { Fr, R, frFromSigned } from '../src/field';
import { EvaluationDomain } from '../src/poly/domain';
import { interpolateNamed } from '../src/poly/interpolate';
import { nextPowerOfTwo } from '../src/poly/roots';
import type { Block, BlockContext, TensorRange, TensorSpec, Tensors } from './block';
import { rowEvaluations } from './commit-rows';
import { logupProtocol, logupProver, type LogupColumn, type LogupColumnWitness, type LogupSpec, type LogupWitness } from './logup';
import { bundleBound, logupIopProver, logupIopSpec } from './logup-iop';
import type { PolyIopProver, PolyIopSpec, PublicPoly } from './poly-iop';
import type { Protocol } from './protocol';
import type { MessageSource } from './schedule';

/** A 2-D tensor as committed: `rows` rows of `length` cells, each zero-padded to the domain size n. */
export interface MatrixShape {
  readonly name: string;
  readonly rows: number;
  readonly length: number;
  /** Domain size n ≥ length (defaults to the next power of two). */
  readonly domain?: number;
}

/** Where an output cell comes from: cell (row, col) of input `input`, or a public constant. */
export type CellSource = { readonly input: number; readonly row: number; readonly col: number } | { readonly constant: bigint };

/** A public index map: `cells[row][col]` for every output cell. */
export interface IndexMap {
  /** Short description for the fold key (`transpose`, `im2col 3x3/s1/p1`). */
  readonly label: string;
  readonly inputs: readonly MatrixShape[];
  readonly output: MatrixShape;
  readonly cells: readonly (readonly CellSource[])[];
}

const domainOf = (s: MatrixShape) => s.domain ?? nextPowerOfTwo(s.length);

/** Builds a map from a function of the output position. */
export function indexMap(label: string, inputs: readonly MatrixShape[], output: MatrixShape, source: (row: number, col: number) => CellSource): IndexMap {
  const cells = Array.from({ length: output.rows }, (_, r) => Array.from({ length: output.length }, (_, c) => source(r, c)));
  return { label, inputs, output, cells };
}

/** `out[c][r] = in[r][c]`. */
export function transposeMap(input: MatrixShape, outputName: string): IndexMap {
  return indexMap('transpose', [input], { name: outputName, rows: input.length, length: input.rows }, (r, c) => ({ input: 0, row: c, col: r }));
}

/** Row-major reshape to `rows × length` (same number of cells). */
export function reshapeMap(input: MatrixShape, output: MatrixShape): IndexMap {
  if (input.rows * input.length !== output.rows * output.length) throw new BlockfoldError('BLOCK', 'reshape: cell counts differ');
  return indexMap('reshape', [input], output, (r, c) => {
    const k = r * output.length + c;
    return { input: 0, row: Math.floor(k / input.length), col: k % input.length };
  });
}

/** Gather along the last axis: `out[r][j] = in[r][indices[j]]`. */
export function gatherMap(input: MatrixShape, outputName: string, indices: readonly number[]): IndexMap {
  return indexMap(`gather ${indices.join(',')}`, [input], { name: outputName, rows: input.rows, length: indices.length }, (r, c) => ({ input: 0, row: r, col: indices[c] }));
}

/** Slice of the last axis `[start, end)` with a step (ONNX Slice on one axis). */
export function sliceMap(input: MatrixShape, outputName: string, start: number, end: number, step = 1): IndexMap {
  const indices: number[] = [];
  for (let i = start; step > 0 ? i < end : i > end; i += step) indices.push(i);
  return { ...gatherMap(input, outputName, indices), label: `slice ${start}:${end}:${step}` };
}

/** Concatenation along the last axis (all inputs have the same rows). */
export function concatMap(inputs: readonly MatrixShape[], outputName: string): IndexMap {
  const length = inputs.reduce((a, s) => a + s.length, 0);
  return indexMap('concat', inputs, { name: outputName, rows: inputs[0].rows, length }, (r, c) => {
    let t = 0;
    while (c >= inputs[t].length) c -= inputs[t++].length;
    return { input: t, row: r, col: c };
  });
}

/** Constant padding of the last axis: `before` and `after` cells of `value` around each row. */
export function padMap(input: MatrixShape, outputName: string, before: number, after: number, value = 0n): IndexMap {
  return indexMap(`pad ${before},${after},${value}`, [input], { name: outputName, rows: input.rows, length: before + input.length + after }, (r, c) =>
    c < before || c >= before + input.length ? { constant: value } : { input: 0, row: r, col: c - before },
  );
}

/** Parameters of an im2col window. */
export interface Im2colParams {
  /** Input: `channels` rows, each an image of `height × width` cells in row-major order. */
  readonly channels: number;
  readonly height: number;
  readonly width: number;
  readonly kernel: number;
  readonly stride: number;
  /** Zero padding on every side. */
  readonly padding: number;
}

/**
 * im2col: one output row per output position (y, x), of `channels·kernel²` cells
 * `out[y·W' + x][(c·k + dy)·k + dx] = in[c][(y·s + dy − p)·W + (x·s + dx − p)]`, 0 outside the image; a convolution is
 * then a matmul of this matrix by the kernel matrix.
 */
export function im2colMap(input: MatrixShape, outputName: string, p: Im2colParams): IndexMap {
  if (input.rows !== p.channels || input.length !== p.height * p.width) throw new BlockfoldError('BLOCK', 'im2col: input shape mismatch');
  const outH = Math.floor((p.height + 2 * p.padding - p.kernel) / p.stride) + 1;
  const outW = Math.floor((p.width + 2 * p.padding - p.kernel) / p.stride) + 1;
  const k2 = p.kernel * p.kernel;
  return indexMap(`im2col ${p.kernel}/s${p.stride}/p${p.padding}`, [input], { name: outputName, rows: outH * outW, length: p.channels * k2 }, (r, c) => {
    const y = Math.floor(r / outW);
    const x = r % outW;
    const ch = Math.floor(c / k2);
    const dy = Math.floor((c % k2) / p.kernel);
    const dx = c % p.kernel;
    const iy = y * p.stride + dy - p.padding;
    const ix = x * p.stride + dx - p.padding;
    return iy < 0 || iy >= p.height || ix < 0 || ix >= p.width ? { constant: 0n } : { input: 0, row: ch, col: iy * p.width + ix };
  });
}

/** Whether every cell of an output row is a copy (no constant, no padding): q is 1 everywhere. */
function everyCellCopied(row: { readonly copy: readonly bigint[] }): boolean {
  return row.copy.every((q) => q === 1n);
}

/** Public vectors of the map on each committed row (field elements, zero on padding). */
interface RowVectors {
  /** Output rows: global source index (0 for constants), copy selector, constant. */
  readonly outputs: readonly { src: bigint[]; copy: bigint[]; constant: bigint[] }[];
  /** Input rows (tensor t, row r, in order): multiplicity of each cell. */
  readonly inputs: readonly { tensor: number; row: number; base: bigint; mult: bigint[] }[];
}

/** Output cells copy input cells under a public index map, by logUp with public multiplicities. */
export class PermutationBlock implements Block {
  readonly kind = 'permutation';
  readonly foldKey: string;
  readonly tensors: readonly TensorSpec[];
  private readonly vectors: RowVectors;
  /**
   * The interpolants of the public vectors by name, computed at the first proof and read by every later one: the
   * vectors are the map's alone (never the witness's), and the set of names is fixed, so this holds one polynomial
   * per vector whatever the number of proofs.
   */
  private readonly interpolants = new Map<string, readonly bigint[]>();

  constructor(readonly map: IndexMap) {
    const { inputs, output, cells } = map;
    const names = new Set([...inputs.map((s) => s.name), output.name]);
    if (names.size !== inputs.length + 1) throw new BlockfoldError('BLOCK', 'permutation: tensor names must be distinct');
    for (const s of [...inputs, output]) {
      if (!(s.rows >= 1 && s.length >= 1 && s.length <= domainOf(s))) throw new BlockfoldError('BLOCK', `permutation: bad shape of ${s.name}`);
      new EvaluationDomain(domainOf(s));
    }
    if (cells.length !== output.rows || cells.some((row) => row.length !== output.length)) throw new BlockfoldError('BLOCK', 'permutation: map shape ≠ output shape');
    this.tensors = [
      ...inputs.map((s) => ({ name: s.name, rows: s.rows, domain: domainOf(s), role: 'input' as const })),
      { name: output.name, rows: output.rows, domain: domainOf(output), role: 'output' as const },
    ];
    const offsets: bigint[] = [];
    let offset = 0n;
    for (const s of inputs) {
      offsets.push(offset);
      offset += BigInt(s.rows * domainOf(s));
    }
    const inRows = inputs.flatMap((s, t) =>
      Array.from({ length: s.rows }, (_, r) => ({ tensor: t, row: r, base: offsets[t] + BigInt(r * domainOf(s)), mult: new Array<bigint>(domainOf(s)).fill(0n) })),
    );
    const firstRow = inputs.map((_, t) => inRows.findIndex((x) => x.tensor === t));
    const n = domainOf(output);
    // The map's text, hashed once on the kernels (an incremental update per cell cost more than the hash).
    const text = [`blockfold/permutation/v1/${inputs.map((s) => `${s.rows}x${s.length}@${domainOf(s)}`).join(',')}/${output.rows}x${output.length}@${n}`];
    const outRows = cells.map((row) => {
      const src = new Array<bigint>(n).fill(0n);
      const copy = new Array<bigint>(n).fill(0n);
      const constant = new Array<bigint>(n).fill(0n);
      row.forEach((cell, c) => {
        if ('constant' in cell) {
          constant[c] = frFromSigned(cell.constant);
          text.push(`c${cell.constant};`);
          return;
        }
        const s = inputs[cell.input];
        if (!s || !(cell.row >= 0 && cell.row < s.rows && cell.col >= 0 && cell.col < s.length))
          throw new BlockfoldError('BLOCK', `permutation: source ${JSON.stringify(cell)} outside the inputs`);
        const rowEntry = inRows[firstRow[cell.input] + cell.row];
        src[c] = rowEntry.base + BigInt(cell.col);
        copy[c] = 1n;
        rowEntry.mult[cell.col] += 1n;
        text.push(`${src[c]};`);
      });
      return { src, copy, constant };
    });
    this.vectors = { outputs: outRows, inputs: inRows };
    this.foldKey = `permutation/${map.label}#${bytesToHex(keccak256(new TextEncoder().encode(text.join(''))))}`;
  }

  /**
   * Every output cell equals its source (an input cell or a public constant), so ranges flow both ways:
   * the output's real cells lie in the union of its sources' ranges and constants (when those cover every real
   * cell of the sources), and an input whose every real cell is copied somewhere lies in the output's range
   * (when that covers every real cell of the output).
   */
  provenRanges(known: ReadonlyMap<string, TensorRange>): TensorRange[] {
    const { inputs, output, cells } = this.map;
    const facts: TensorRange[] = [];
    const out = known.get(output.name);
    if (out && out.cells >= output.length) {
      inputs.forEach((spec, t) => {
        const covered = this.vectors.inputs.filter((r) => r.tensor === t).every((r) => r.mult.slice(0, spec.length).every((m) => m > 0n));
        if (covered) facts.push({ tensor: spec.name, lo: out.lo, hi: out.hi, cells: spec.length });
      });
    }
    const used = [...new Set(cells.flatMap((row) => row.flatMap((cell) => ('constant' in cell ? [] : [cell.input]))))];
    const sources = used.map((t) => known.get(inputs[t].name));
    if (sources.every((r, i) => r !== undefined && r.cells >= inputs[used[i]].length)) {
      let lo: bigint | undefined;
      let hi: bigint | undefined;
      const widen = (a: bigint, b: bigint) => {
        lo = lo === undefined || a < lo ? a : lo;
        hi = hi === undefined || b > hi ? b : hi;
      };
      for (const r of sources) widen(r!.lo, r!.hi);
      for (const row of cells) for (const cell of row) if ('constant' in cell) widen(cell.constant, cell.constant);
      if (lo !== undefined && hi !== undefined) facts.push({ tensor: output.name, lo, hi, cells: output.length });
    }
    return facts;
  }

  /** Copies the cells (no checks). */
  witness(inputs: Tensors): Tensors {
    const out = this.map.cells.map((row) => row.map((cell) => ('constant' in cell ? cell.constant : inputs[this.map.inputs[cell.input].name][cell.row][cell.col])));
    return { [this.map.output.name]: out };
  }

  statement(commitments: Readonly<Record<string, readonly G1Point[]>>): SlotValues {
    const out: Record<string, SlotValue> = {};
    for (const t of this.tensors) for (let r = 0; r < t.rows; r++) out[`${t.name}[${r}]`] = commitments[t.name][r];
    return out;
  }

  private spec(): LogupSpec {
    const { inputs, output } = this.map;
    const outName = (r: number) => `${output.name}[${r}]`;
    const inName = (t: number, r: number) => `${inputs[t].name}[${r}]`;
    const columns: LogupColumn[] = [
      ...this.vectors.outputs.map((o, r) => ({
        name: outName(r),
        domain: domainOf(output),
        value: [
          { coeff: 1n, scalars: [`v:${outName(r)}`] },
          { coeff: 1n, scalars: [`gsrc:${outName(r)}`] },
        ],
        weight: [{ coeff: 1n, scalars: [`q:${outName(r)}`] }],
        // A row of copies only has no cell to pin: its padding identity `(1 − q)·(f − k)` would be 0 by construction.
        ...(everyCellCopied(o) ? {} : { pad: { selector: `q:${outName(r)}`, constant: `k:${outName(r)}` } }),
      })),
      ...this.vectors.inputs.map(({ tensor, row }) => ({
        name: inName(tensor, row),
        domain: domainOf(inputs[tensor]),
        value: [
          { coeff: 1n, scalars: [`v:${inName(tensor, row)}`] },
          { coeff: 1n, scalars: [`gid:${inName(tensor, row)}`] },
        ],
        weight: [{ coeff: R - 1n, scalars: [`mult:${inName(tensor, row)}`] }],
      })),
    ];
    const vector = (name: string, values: readonly bigint[], scaledByGamma = false): PublicPoly => ({
      name,
      domain: values.length,
      values: (v) => (scaledByGamma ? values.map((x) => Fr.mul(frSlot(v, 'gamma'), Fr.create(x))) : [...values]),
      evaluateAt: (zeta, v, domain) => {
        const at = domain.evaluateInterpolant(values, zeta);
        return scaledByGamma ? Fr.mul(frSlot(v, 'gamma'), at) : at;
      },
      // The interpolant is linear in the values: γ times the kept interpolant of the map's vector.
      coefficients: (v, domain) => {
        let c = this.interpolants.get(name);
        if (!c) this.interpolants.set(name, (c = domain.ifft(values)));
        if (!scaledByGamma) return c;
        const gamma = frSlot(v, 'gamma');
        return c.map((x) => (gamma * x) % R);
      },
    });
    // Every public vector at ζ is Σ_i v_i·L_i(ζ); the domain keeps the Lagrange basis at ζ, so O(cells) in all.
    const publics: PublicPoly[] = [
      ...this.vectors.outputs.flatMap((o, r) => [
        vector(`gsrc:${outName(r)}`, o.src, true),
        vector(`q:${outName(r)}`, o.copy),
        ...(everyCellCopied(o) ? [] : [vector(`k:${outName(r)}`, o.constant)]),
      ]),
      ...this.vectors.inputs.map((x) => vector(`mult:${inName(x.tensor, x.row)}`, x.mult)),
      ...this.vectors.inputs.map((x) => vector(`gid:${inName(x.tensor, x.row)}`, Array.from({ length: x.mult.length }, (_, i) => Fr.create(x.base + BigInt(i))), true)),
    ];
    const rows = [...this.vectors.outputs.map((_, r) => outName(r)), ...this.vectors.inputs.map(({ tensor, row }) => inName(tensor, row))];
    return {
      foldKey: this.foldKey,
      statement: this.tensors.flatMap((t) => Array.from({ length: t.rows }, (_, r) => `${t.name}[${r}]`)),
      committedBeforeBeta: [],
      preChallenges: ['gamma'],
      publics,
      columns,
      claims: rows.map((name) => ({ commitment: name, evaluation: `v:${name}` })),
    };
  }

  protocol(ctx: BlockContext): Protocol {
    return logupProtocol(this.spec(), ctx.kzg);
  }

  prover(ctx: BlockContext, tensors: Tensors): MessageSource {
    return logupProver(this.spec(), ctx, this.logupWitness(ctx, tensors));
  }

  /** The copy argument as a poly-IOP spec, for the model-level argument. */
  iopSpec(ctx: BlockContext): PolyIopSpec {
    return logupIopSpec(this.spec(), bundleBound(ctx));
  }

  iopProver(ctx: BlockContext, tensors: Tensors): PolyIopProver {
    return logupIopProver(this.spec(), ctx, this.logupWitness(ctx, tensors));
  }

  private logupWitness(ctx: BlockContext, tensors: Tensors): LogupWitness {
    const { inputs, output } = this.map;
    return {
      committedBeforeBeta: () => ({}),
      afterBeta: (values) => {
        const gamma = frSlot(values, 'gamma');
        const interpolated: [string, bigint[]][] = [];
        const columns: LogupColumnWitness[] = [];
        const n = domainOf(output);
        this.vectors.outputs.forEach((o, r) => {
          const out = rowEvaluations(tensors[output.name][r], n);
          interpolated.push([`${output.name}[${r}]`, out]);
          columns.push({ value: out.map((x, i) => (x + gamma * o.src[i]) % R), weight: o.copy, selector: o.copy, constant: o.constant });
        });
        for (const x of this.vectors.inputs) {
          const s = inputs[x.tensor];
          const m = domainOf(s);
          const vals = rowEvaluations(tensors[s.name][x.row], m);
          interpolated.push([`${s.name}[${x.row}]`, vals]);
          columns.push({ value: vals.map((v, i) => (v + gamma * (x.base + BigInt(i))) % R), weight: x.mult.map((c) => Fr.neg(c)) });
        }
        return { polys: interpolateNamed(interpolated, ctx.engine), columns };
      },
    };
  }
}
