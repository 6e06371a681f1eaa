/**
 * The codecs of the built-in blocks (see `codec.ts`): each writes exactly what its block's constructor takes, and
 * its decoder calls that constructor, so a decoded block derives its fold key, tensors and protocol the same way as
 * the compiled one. Lookup tables are stored as integers, never recomputed from floats (a key decodes to the same
 * table on every JavaScript engine), and compactly: a first column that counts up by one is stored as its start,
 * any other column as zig-zag varint deltas. Index maps are stored as runs of cells whose sources advance by a
 * constant stride (a reshape or a slice is one run per row, a transpose one run per output row).
 *
 * A codec refuses a subclass of its block: the subclass may prove something else, and would decode as the base.
 * @module
 */
import type { ByteWriter } from '../src/encoding/bytes';
import { EncodingError } from '../src/errors';
import { nextPowerOfTwo } from '../src/poly/roots';
import { ArgmaxBlock } from './argmax';
import type { Block } from './block';
import { BroadcastBlock } from './broadcast';
import { ConvolutionBlock } from './convolution';
import { writeName, type BlockCodec, type ParamReader } from './codec';
import { LinearBlock, type LinearOp } from './elementwise';
import { HadamardBlock } from './hadamard';
import { LimbSplitBlock } from './limb-split';
import { LookupBlock, type LookupSource } from './lookup';
import { RangeBlock, type RangeSource } from './range';
import { MatmulBlock, type FlatOperandOrder } from './matmul';
import { MaxBlock } from './max';
import { SegmentMaxBlock } from './segment-max';
import { MaxConstantBlock } from './max-constant';
import { PermutationBlock, type CellSource, type IndexMap, type MatrixShape } from './permutation';
import { RelinkBlock } from './relink';
import { RescaleBlock } from './rescale';
import { SumBlock } from './sum';
import { makeTable, MAX_TABLE_ENTRIES, type LookupTable } from './tables';
import { WeightedRowsBlock } from './weighted-rows';

/** Refuses a subclass: its codec would rebuild the base class, which may prove another relation. */
function exactly<B extends Block>(block: Block, cls: abstract new (...args: never[]) => B): B {
  if (Object.getPrototypeOf(block) !== cls.prototype) throw new EncodingError(`block ${block.foldKey}: a subclass of ${cls.name} has no codec of its own; register one`);
  return block as B;
}

/** A length within `domain`: 1 … domain. */
const lengthIn = (r: ParamReader, domain: number, what: string) => r.uint(domain, what, 1);

/** rows, domain, length (the row shape most blocks write), read in that order and checked against the graph's limits. */
function rowShape(r: ParamReader, kind: string): { rows: number; domain: number; length: number } {
  const rows = r.rows(`${kind} rows`);
  const domain = r.domain(`${kind} domain`);
  return { rows, domain, length: lengthIn(r, domain, `${kind} length`) };
}

// ---------------------------------------------------------------------------------------------------------
// Tables

/** Writes a table: name, column count, entries (see the module comment). */
export function encodeTable(w: ByteWriter, t: LookupTable): void {
  writeName(w, t.name);
  w.u8(t.outputs ? 2 : 1).uvarint(t.inputs.length);
  const x0 = t.inputs[0];
  const counting = t.inputs.every((x, i) => x === x0 + BigInt(i));
  w.u8(counting ? 0 : 1).svarint(x0);
  if (!counting) for (let i = 1; i < t.inputs.length; i++) w.svarint(t.inputs[i] - t.inputs[i - 1]);
  if (t.outputs) {
    w.svarint(t.outputs[0]);
    for (let i = 1; i < t.outputs.length; i++) w.svarint(t.outputs[i] - t.outputs[i - 1]);
  }
}

/** Reads a column of `count` integers stored as a start and deltas, each kept within the field's signed range. */
function readDeltas(r: ParamReader, count: number, what: string): bigint[] {
  const out = new Array<bigint>(count);
  out[0] = r.int(`${what} 0`);
  for (let i = 1; i < count; i++) {
    out[i] = out[i - 1] + r.delta(`${what} delta ${i}`);
    r.checkInt(out[i], `${what} ${i}`);
  }
  return out;
}

/** Reads a table written by {@link encodeTable}; its digest is recomputed from the entries. */
export function decodeTable(r: ParamReader): LookupTable {
  const name = r.name('table name');
  const columns = r.uint(2, 'table columns', 1);
  const count = r.uint(MAX_TABLE_ENTRIES, `entries of table ${name}`, 1);
  r.budget.spend(count * columns, `table ${name}`);
  let inputs: bigint[];
  if (r.flag(`first column layout of table ${name}`)) inputs = readDeltas(r, count, `table ${name} x`);
  else {
    const x0 = r.int(`table ${name} x0`);
    inputs = Array.from({ length: count }, (_, i) => x0 + BigInt(i));
    r.checkInt(inputs[count - 1], `table ${name} last x`);
  }
  return makeTable(name, inputs, columns === 2 ? readDeltas(r, count, `table ${name} y`) : undefined);
}

// ---------------------------------------------------------------------------------------------------------
// Index maps

function writeShape(w: ByteWriter, s: MatrixShape, domain: number): void {
  writeName(w, s.name);
  w.uvarint(s.rows).uvarint(s.length).uvarint(domain);
}

function readShape(r: ParamReader, what: string): MatrixShape {
  const name = r.name(`${what} name`);
  const rows = r.rows(`${what} rows`);
  const length = r.uint(r.limits.domain, `${what} length`, 1);
  const domain = r.domain(`${what} domain`);
  if (length > domain) throw new EncodingError(`${what}: length ${length} exceeds its domain ${domain}`);
  return { name, rows, length, domain };
}

/** The flat source of a copied cell (`row·length + col` of its input), or undefined for a constant. */
const flat = (map: IndexMap, c: CellSource) => ('constant' in c ? undefined : c.row * map.inputs[c.input].length + c.col);

/**
 * Writes the cells in row-major order as maximal runs: a constant run (tag 0, length, value) or a copy run
 * (tag 1 + input, length, first flat source, and for length > 1 the stride between consecutive sources).
 */
function encodeCells(w: ByteWriter, map: IndexMap): void {
  const cells = map.cells.flat();
  for (let i = 0; i < cells.length; ) {
    const first = cells[i];
    let j = i + 1;
    if ('constant' in first) {
      while (j < cells.length && 'constant' in cells[j] && (cells[j] as { constant: bigint }).constant === first.constant) j++;
      w.uvarint(0).uvarint(j - i).svarint(first.constant);
    } else {
      const start = flat(map, first)!;
      const next = cells[j];
      const stride = j < cells.length && !('constant' in next) && next.input === first.input ? flat(map, next)! - start : 0;
      while (j < cells.length && !('constant' in cells[j]) && (cells[j] as { input: number }).input === first.input && flat(map, cells[j]) === start + (j - i) * stride) j++;
      w.uvarint(1 + first.input).uvarint(j - i).uvarint(start);
      if (j - i > 1) w.svarint(BigInt(stride));
    }
    i = j;
  }
}

/** Reads the runs of {@link encodeCells}; every source is checked to lie inside its input before any cell is made. */
function decodeCells(r: ParamReader, inputs: readonly MatrixShape[], output: MatrixShape): CellSource[][] {
  const total = output.rows * output.length;
  r.budget.spend(total, `index map of ${output.name}`);
  const cells: CellSource[] = [];
  while (cells.length < total) {
    const tag = r.uint(inputs.length, 'run tag');
    const length = r.uint(total - cells.length, 'run length', 1);
    if (tag === 0) {
      const constant = r.int('run constant');
      for (let k = 0; k < length; k++) cells.push({ constant });
      continue;
    }
    const input = tag - 1;
    const size = inputs[input].rows * inputs[input].length;
    const start = r.uint(size - 1, 'run start');
    const stride = length > 1 ? Number(r.delta('run stride')) : 0;
    const last = start + (length - 1) * stride;
    if (!(last >= 0 && last < size)) throw new EncodingError(`index map of ${output.name}: a run leaves input ${inputs[input].name}`);
    const rowLength = inputs[input].length;
    for (let k = 0; k < length; k++) {
      const f = start + k * stride;
      cells.push({ input, row: Math.floor(f / rowLength), col: f % rowLength });
    }
  }
  return Array.from({ length: output.rows }, (_, row) => cells.slice(row * output.length, (row + 1) * output.length));
}

// ---------------------------------------------------------------------------------------------------------
// The codecs

/**
 * Row layout: m (≥ 1), k, n, fixedB, K, N, as before the flat layout existed, so older keys decode unchanged. Flat
 * layout: 0 (a row count no row-laid matmul has), then the same fields, the fixedB byte widened to B's form (0: n
 * committed rows, 1: fixed rows, 2: one flat row, row-major, 3: one flat row, column-major; flat keys without a flat B
 * keep their bytes). The marker comes first so that m is read against its own limit: the graph's largest domain in
 * the flat layout (A, one row, gives no row count to bound it by; M·K and M·N cells, M = pow2(m) the rows with
 * padding, must fit that domain too); a flat B bounds n by that domain too (N·K cells), rows of B by the row count.
 * Several products of one A (fixed rows only): B form 4, then T after the domains (2 ≤ T ≤ the graph's largest
 * domain: each output C_t has the M·N cells bounded above, and the binding lists 2T + 1 tensors, so T needs no
 * tighter bound; T·N may exceed every domain, as three projections of two tokens do); keys of one product keep their bytes.
 */
const FLAT_B_FORMS = ['committed rows', 'fixed rows', 'row-major', 'column-major', 'fixed rows, several products'] as const;
const matmul: BlockCodec<MatmulBlock> = {
  kind: 'matmul',
  encode(block, w) {
    const b = exactly(block, MatmulBlock);
    if (b.flat) w.uvarint(0);
    w.uvarint(b.m).uvarint(b.k).uvarint(b.n);
    // The flat layout's B form is a varint (read by `uint`), the row layout's a flag byte (read by `flag`): the same
    // byte for the values they take.
    if (b.flat) w.uvarint(b.flatB ? FLAT_B_FORMS.indexOf(b.flatB) : b.products > 1 ? 4 : b.fixedB ? 1 : 0);
    else w.u8(b.fixedB ? 1 : 0);
    w.uvarint(b.innerDomain).uvarint(b.outerDomain);
    if (b.products > 1) w.uvarint(b.products);
  },
  decode(r) {
    const rows = r.uint(r.limits.rows, 'matmul m (0: flat layout)');
    const flat = rows === 0;
    const m = flat ? r.uint(r.limits.domain, 'flat matmul m', 1) : rows;
    const k = r.uint(r.limits.domain, 'matmul k', 1);
    const n = flat ? r.uint(r.limits.domain, 'flat matmul n', 1) : r.rows('matmul n');
    const form = flat ? r.uint(FLAT_B_FORMS.length - 1, 'flat matmul B (0: committed rows, 1: fixed rows, 2: flat row-major, 3: flat column-major, 4: fixed rows of several products)') : r.flag('matmul fixedB') ? 1 : 0;
    const fixedB = form === 1 || form === 4;
    const flatB = form === 2 || form === 3 ? (FLAT_B_FORMS[form] as FlatOperandOrder) : undefined;
    if (flat && !flatB && n > r.limits.rows) throw new EncodingError(`flat matmul n = ${n} rows of B exceeds the limit ${r.limits.rows}`);
    const innerDomain = r.domain('matmul inner domain');
    const outerDomain = r.domain('matmul outer domain');
    const M = nextPowerOfTwo(m);
    if (flat && M * Math.max(innerDomain, outerDomain) > r.limits.domain)
      throw new EncodingError(`flat matmul: M·K = ${M * innerDomain} and M·N = ${M * outerDomain} cells (M = ${M} rows for m = ${m}) must fit the graph's largest domain ${r.limits.domain}`);
    if (flatB && outerDomain * innerDomain > r.limits.domain)
      throw new EncodingError(`flat matmul: a flat B of N·K = ${outerDomain * innerDomain} cells must fit the graph's largest domain ${r.limits.domain}`);
    const products = form === 4 ? r.uint(r.limits.domain, 'flat matmul products T', 2) : 1;
    return new MatmulBlock({ m, k, n, fixedB, flat, innerDomain, outerDomain, ...(flatB ? { flatB } : {}), ...(products > 1 ? { products } : {}) });
  },
};

/**
 * Row layout: m (≥ 1), k, n, K, N, as before the flat layout existed, so older keys decode unchanged. Flat layout: 0
 * (a row count no row-laid block has), then the same fields, m and k read against the graph's largest domain (B and
 * C, one row each, give no row count to bound them by; K·N and M·N cells, M = pow2(m), must fit that domain too),
 * then, only when B is cut into several committed rows, their domain D (N ≤ D < K·N, within the graph's largest
 * domain; K·N itself need not fit it then), so keys of a one-row B keep their bytes.
 */
const weightedRows: BlockCodec<WeightedRowsBlock> = {
  kind: 'weighted-rows',
  encode(block, w) {
    const b = exactly(block, WeightedRowsBlock);
    if (b.flat) w.uvarint(0);
    w.uvarint(b.m).uvarint(b.k).uvarint(b.n).uvarint(b.innerDomain).uvarint(b.outerDomain);
    if (b.patchRows > 1 && b.flat) w.uvarint(b.patchDomain);
  },
  decode(r) {
    const rows = r.uint(r.limits.rows, 'weighted-rows m (0: flat layout)');
    const flat = rows === 0;
    const m = flat ? r.uint(r.limits.domain, 'flat weighted-rows m', 1) : rows;
    const k = flat ? r.uint(r.limits.domain, 'flat weighted-rows k', 1) : r.rows('weighted-rows k');
    const n = r.uint(r.limits.domain, 'weighted-rows n', 1);
    const innerDomain = r.domain('weighted-rows inner domain');
    const outerDomain = r.domain('weighted-rows outer domain');
    const patchDomain = flat && r.remaining > 0 ? r.domain('flat weighted-rows B row domain') : undefined;
    const M = nextPowerOfTwo(m);
    if (patchDomain !== undefined && !(patchDomain >= outerDomain && patchDomain < innerDomain * outerDomain))
      throw new EncodingError(`flat weighted rows: B's row domain D = ${patchDomain} must lie from N = ${outerDomain} below K·N = ${innerDomain * outerDomain}`);
    if (patchDomain !== undefined && !(patchDomain < k * outerDomain && Math.ceil((k * outerDomain) / patchDomain) <= r.limits.rows))
      throw new EncodingError(`flat weighted rows: B's ${k}·${outerDomain} cells in rows of D = ${patchDomain} must be more than one row and at most the graph's ${r.limits.rows} rows`);
    const bCells = patchDomain ?? innerDomain * outerDomain;
    if (flat && Math.max(M * outerDomain, bCells) > r.limits.domain)
      throw new EncodingError(`flat weighted rows: B's rows of ${bCells} cells and M·N = ${M * outerDomain} cells (M = ${M} rows for m = ${m}) must fit the graph's largest domain ${r.limits.domain}`);
    return new WeightedRowsBlock({ m, k, n, innerDomain, outerDomain, ...(flat ? { flat } : {}), ...(patchDomain !== undefined ? { patchDomain } : {}) });
  },
};

/**
 * cin, m, H, W, kh, kw, the pads (top, left, bottom, right), S, Rr: everything the layout is built from, so the decoded
 * block checks the same geometry (`blocks/convolution-layout.ts`). m is W's row count; x's cin·N cells, C's M·N cells
 * (M = pow2(m)) and W's row domain K = pow2(max(kh·kw·cin, 2)) must fit the graph's largest domain.
 */
const convolution: BlockCodec<ConvolutionBlock> = {
  kind: 'convolution',
  encode(block, w) {
    const g = exactly(block, ConvolutionBlock).layout;
    for (const v of [g.inChannels, g.outChannels, g.height, g.width, g.kernelHeight, g.kernelWidth, g.pads.top, g.pads.left, g.pads.bottom, g.pads.right, g.rowStride, g.channelRows]) w.uvarint(v);
  },
  decode(r) {
    const d = r.limits.domain;
    const inChannels = r.domain('convolution input channels');
    const outChannels = r.rows('convolution output channels');
    const [height, width, kernelHeight, kernelWidth] = ['height', 'width', 'kernel height', 'kernel width'].map((what) => r.uint(d, `convolution ${what}`, 1));
    const [top, left, bottom, right] = ['top', 'left', 'bottom', 'right'].map((side) => r.uint(d, `convolution ${side} pad`));
    const rowStride = r.domain('convolution row stride');
    const channelRows = r.domain('convolution rows per channel');
    const N = rowStride * channelRows;
    const K = nextPowerOfTwo(Math.max(kernelHeight * kernelWidth * inChannels, 2));
    if (Math.max(inChannels * N, nextPowerOfTwo(outChannels) * N, K) > d)
      throw new EncodingError(`convolution: x's ${inChannels}·${N} cells, C's ${nextPowerOfTwo(outChannels)}·${N} cells and W's rows of ${K} cells must fit the graph's largest domain ${d}`);
    return new ConvolutionBlock({ inChannels, outChannels, height, width, kernelHeight, kernelWidth, pads: { top, left, bottom, right }, rowStride, channelRows });
  },
};

const relink: BlockCodec<RelinkBlock> = {
  kind: 'relink',
  encode(block, w) {
    const b = exactly(block, RelinkBlock);
    w.uvarint(b.options.rows).uvarint(b.options.domain);
  },
  decode(r) {
    return new RelinkBlock({ rows: r.rows('relink rows'), domain: r.domain('relink domain') });
  },
};

const LINEAR_OPS = ['add', 'sub', 'scale'] as const;

const linear: BlockCodec<LinearBlock> = {
  kind: 'linear',
  encode(block, w) {
    const b = exactly(block, LinearBlock);
    w.u8(LINEAR_OPS.indexOf(b.operation.op));
    if (b.operation.op === 'scale') w.svarint(b.operation.factor);
    w.uvarint(b.tensors[0].rows).uvarint(b.tensors[0].domain);
  },
  decode(r) {
    const op = LINEAR_OPS[r.uint(LINEAR_OPS.length - 1, 'linear operation')];
    const operation: LinearOp = op === 'scale' ? { op, factor: r.int('linear factor') } : { op };
    return new LinearBlock({ operation, rows: r.rows('linear rows'), domain: r.domain('linear domain') });
  },
};

const hadamard: BlockCodec<HadamardBlock> = {
  kind: 'hadamard',
  encode(block, w) {
    const b = exactly(block, HadamardBlock);
    w.uvarint(b.rows).uvarint(b.domain).u8(b.fixedB ? 1 : 0);
  },
  decode: (r) => new HadamardBlock({ rows: r.rows('hadamard rows'), domain: r.domain('hadamard domain'), fixedB: r.flag('hadamard fixedB') }),
};

/**
 * Row layout: rows (≥ 1), length, row domain, sums domain, as before the flat layout existed, so older keys decode
 * unchanged. Flat layout: 0 (a row count no row-laid sum has), length, row domain K, and the rows m (the sums domain
 * is M = pow2(m); keys written when the flat layout needed m = M store M there and decode unchanged). The marker comes
 * first so that every size is read against its own limit before the block is built: m against the graph's largest
 * domain (s lives on H_M, and x, one row, gives no row count to bound it by), and x's domain M·K too. A flat sum of
 * a product (`product`) appends 1, one of broadcast sums (`broadcast`) 2, so keys of plain flat sums keep their bytes.
 */
const FLAT_SUM_FORMS = ['plain', 'product', 'broadcast'] as const;
const sum: BlockCodec<SumBlock> = {
  kind: 'sum',
  encode(block, w) {
    const b = exactly(block, SumBlock);
    w.uvarint(b.flat ? 0 : b.rows).uvarint(b.length).uvarint(b.domain).uvarint(b.flat ? b.rows : b.sumsDomain);
    if (b.product || b.broadcast) w.uvarint(FLAT_SUM_FORMS.indexOf(b.product ? 'product' : 'broadcast'));
  },
  decode(r) {
    const rows = r.uint(r.limits.rows, 'sum rows (0: flat layout)');
    const length = r.uint(r.limits.domain, 'sum length', 1);
    const domain = r.domain('sum domain');
    if (rows > 0) return new SumBlock({ rows, length, domain, sumsDomain: r.domain('sum sums domain') });
    const flatRows = r.uint(r.limits.domain, 'flat sum rows', 1);
    const sums = nextPowerOfTwo(flatRows);
    if (sums * domain > r.limits.domain) throw new EncodingError(`flat sum: x's domain ${sums}·${domain} exceeds the graph's largest domain ${r.limits.domain}`);
    const form = FLAT_SUM_FORMS[r.remaining > 0 ? r.uint(FLAT_SUM_FORMS.length - 1, 'flat sum form (1: a product, 2: broadcast sums)', 1) : 0];
    return new SumBlock({ rows: flatRows, length, domain, sumsDomain: sums, flat: true, ...(form === 'plain' ? {} : { [form]: true }) });
  },
};

/** Max and argmax: k candidate rows for each of m output rows, so k·m is a tensor's row count. */
function candidatesAndRows(r: ParamReader, kind: string, candidates = r.uint(r.limits.rows, `${kind} candidates`, 2)): { candidates: number; rows: number } {
  const rows = r.uint(Math.floor(r.limits.rows / candidates), `${kind} rows`, 1);
  return { candidates, rows };
}

/**
 * Row layout: candidates k (≥ 2), rows, domain, length, bits, as before the flat layout existed, so older keys decode
 * unchanged. Flat layout: 0 (a candidate count no row-laid max has), outputs M, row length K, candidates L, bits; M
 * and K are read against the graph's largest domain (y lives on H_M, x on H_{M·K}) and L against K. A reader that
 * predates the flat layout refuses a flat key (candidates 0 is below 2).
 */
const max: BlockCodec<MaxBlock> = {
  kind: 'max',
  encode(block, w) {
    const b = exactly(block, MaxBlock);
    if (b.flat) w.uvarint(0).uvarint(b.rows).uvarint(b.domain).uvarint(b.candidates).uvarint(b.bits);
    else w.uvarint(b.candidates).uvarint(b.rows).uvarint(b.domain).uvarint(b.length).uvarint(b.bits);
  },
  decode(r) {
    const candidates = r.uint(r.limits.rows, 'max candidates (0: the flat layout)');
    if (candidates === 0) {
      const rows = r.domain('max (flat) outputs');
      const domain = r.domain('max (flat) row length');
      if (rows * domain > r.limits.domain) throw new EncodingError(`max (flat): ${rows} rows of ${domain} cells exceed the largest domain of the graph (${r.limits.domain})`);
      return new MaxBlock({ flat: true, rows, domain, candidates: r.uint(domain, 'max (flat) candidates', 2), bits: r.uint(64, 'max bits', 1) });
    }
    const shape = candidatesAndRows(r, 'max', candidates);
    const domain = r.domain('max domain');
    return new MaxBlock({ ...shape, domain, length: lengthIn(r, domain, 'max length'), bits: r.uint(64, 'max bits', 1) });
  },
};

/**
 * Candidates L and outputs M, each a power of two (x lives on H_{L·M}, read against the graph's largest domain before
 * the block is built), and bits.
 */
const segmentMax: BlockCodec<SegmentMaxBlock> = {
  kind: 'segment-max',
  encode(block, w) {
    const b = exactly(block, SegmentMaxBlock);
    w.uvarint(b.candidates).uvarint(b.outputs).uvarint(b.bits);
  },
  decode(r) {
    const candidates = r.domain('segment-max candidates');
    const outputs = r.domain('segment-max outputs');
    if (candidates * outputs > r.limits.domain) throw new EncodingError(`segment-max: x's domain ${candidates}·${outputs} exceeds the graph's largest domain ${r.limits.domain}`);
    return new SegmentMaxBlock({ candidates, outputs, bits: r.uint(64, 'segment-max bits', 1) });
  },
};

/** rows, domain, length, the constant (signed), bits. */
const maxConstant: BlockCodec<MaxConstantBlock> = {
  kind: 'max-constant',
  encode(block, w) {
    const b = exactly(block, MaxConstantBlock);
    w.uvarint(b.rows).uvarint(b.domain).uvarint(b.length).svarint(b.constant).uvarint(b.bits);
  },
  decode(r) {
    return new MaxConstantBlock({ ...rowShape(r, 'max-constant'), constant: r.int('max-constant constant'), bits: r.uint(64, 'max-constant bits', 1) });
  },
};

const argmax: BlockCodec<ArgmaxBlock> = {
  kind: 'argmax',
  encode(block, w) {
    const b = exactly(block, ArgmaxBlock);
    w.uvarint(b.candidates).uvarint(b.rows).uvarint(b.domain).uvarint(b.bits);
  },
  decode: (r) => new ArgmaxBlock({ ...candidatesAndRows(r, 'argmax'), domain: r.domain('argmax domain'), bits: r.uint(64, 'argmax bits', 1) }),
};

const rescale: BlockCodec<RescaleBlock> = {
  kind: 'rescale',
  encode(block, w) {
    const p = exactly(block, RescaleBlock).params;
    for (const name of [p.input, p.output, p.remainder]) writeName(w, name);
    w.uvarint(p.rows).uvarint(p.domain).uvarint(p.length).uvarint(p.shift).uvarint(p.outputBits);
  },
  decode(r) {
    const [input, output, remainder] = ['input', 'output', 'remainder'].map((t) => r.name(`rescale ${t} name`));
    return new RescaleBlock({ input, output, remainder, ...rowShape(r, 'rescale'), shift: r.uint(64, 'rescale shift', 1), outputBits: r.uint(64, 'rescale output bits', 1) });
  },
};

const limbSplit: BlockCodec<LimbSplitBlock> = {
  kind: 'limb-split',
  encode(block, w) {
    const o = exactly(block, LimbSplitBlock).options;
    w.uvarint(o.rows).uvarint(o.domain).uvarint(o.length).svarint(o.offset).uvarint(o.limbBits);
  },
  decode(r) {
    return new LimbSplitBlock({ ...rowShape(r, 'limb-split'), offset: r.int('limb-split offset'), limbBits: r.uint(16, 'limb-split limb bits', 1) });
  },
};

const lookup: BlockCodec<LookupBlock> = {
  kind: 'lookup',
  encode(block, w) {
    const b = exactly(block, LookupBlock);
    encodeTable(w, b.table);
    w.uvarint(b.sources.length);
    for (const s of b.sources) {
      writeName(w, s.input);
      w.u8(s.output === undefined ? 0 : 1);
      if (s.output !== undefined) writeName(w, s.output);
      w.uvarint(s.rows).uvarint(s.domain).uvarint(s.length);
    }
  },
  decode(r) {
    const table = decodeTable(r);
    const sources: LookupSource[] = Array.from({ length: r.count(Number.MAX_SAFE_INTEGER, `sources of the lookup into ${table.name}`) }, (_, i) => {
      const input = r.name(`lookup source ${i} input`);
      const output = r.flag(`lookup source ${i} has an output`) ? r.name(`lookup source ${i} output`) : undefined;
      const rows = r.rows(`lookup source ${i} rows`);
      const domain = r.domain(`lookup source ${i} domain`);
      return { input, ...(output === undefined ? {} : { output }), rows, domain, length: lengthIn(r, domain, `lookup source ${i} length`) };
    });
    return new LookupBlock(table, sources);
  },
};

/**
 * The table's bits and the sources: input, rows, domain, length, lo, bits. A difference source (`RangeSource.difference`)
 * writes 0 rows (a count no other source has, so the bytes of every other source read as before), then its minuend and
 * power; its rows are 1 and its length its domain.
 */
const range: BlockCodec<RangeBlock> = {
  kind: 'range',
  encode(block, w) {
    const b = exactly(block, RangeBlock);
    w.uvarint(b.tableBits).uvarint(b.sources.length);
    for (const s of b.sources) {
      writeName(w, s.input);
      if (s.difference) {
        w.uvarint(0);
        writeName(w, s.difference.minuend);
        w.uvarint(s.difference.power).uvarint(s.domain).svarint(s.lo ?? 0n).uvarint(s.bits ?? b.tableBits);
        continue;
      }
      w.uvarint(s.rows).uvarint(s.domain).uvarint(s.length).svarint(s.lo ?? 0n).uvarint(s.bits ?? b.tableBits);
    }
  },
  decode(r) {
    const bits = r.uint(20, 'range table bits', 1);
    const sources: RangeSource[] = Array.from({ length: r.count(Number.MAX_SAFE_INTEGER, 'range sources') }, (_, i) => {
      const input = r.name(`range source ${i} input`);
      const rows = r.uint(r.limits.rows, `range source ${i} rows (0: a difference)`);
      if (rows === 0) {
        const minuend = r.name(`range source ${i} minuend`);
        const power = r.domain(`range source ${i} power`);
        const domain = r.domain(`range source ${i} domain`);
        const lo = r.int(`range source ${i} lo`);
        const width = r.uint(bits, `range source ${i} bits`);
        return { input, rows: 1, domain, length: domain, difference: { minuend, power }, ...(lo !== 0n ? { lo } : {}), ...(width !== bits ? { bits: width } : {}) };
      }
      const domain = r.domain(`range source ${i} domain`);
      const length = lengthIn(r, domain, `range source ${i} length`);
      const lo = r.int(`range source ${i} lo`);
      const width = r.uint(bits, `range source ${i} bits`);
      return { input, rows, domain, length, ...(lo !== 0n ? { lo } : {}), ...(width !== bits ? { bits: width } : {}) };
    });
    return new RangeBlock(2 ** bits, sources);
  },
};

const permutation: BlockCodec<PermutationBlock> = {
  kind: 'permutation',
  encode(block, w) {
    const { map } = exactly(block, PermutationBlock);
    writeName(w, map.label);
    w.uvarint(map.inputs.length);
    const specs = block.tensors;
    map.inputs.forEach((s, i) => writeShape(w, s, specs[i].domain));
    writeShape(w, map.output, specs[specs.length - 1].domain);
    encodeCells(w, map);
  },
  decode(r) {
    const label = r.name('permutation label');
    const inputs = Array.from({ length: r.count(Number.MAX_SAFE_INTEGER, 'permutation inputs') }, (_, i) => readShape(r, `permutation input ${i}`));
    const output = readShape(r, 'permutation output');
    return new PermutationBlock({ label, inputs, output, cells: decodeCells(r, inputs, output) });
  },
};

/**
 * M and K, each a power of two; out's domain M·K is read against the graph's largest domain before the block is built
 * (in, one row, gives no row count to bound M by).
 */
const broadcast: BlockCodec<BroadcastBlock> = {
  kind: 'broadcast',
  encode(block, w) {
    const b = exactly(block, BroadcastBlock);
    w.uvarint(b.rows).uvarint(b.rowLength);
  },
  decode(r) {
    const rows = r.domain('broadcast rows');
    const rowLength = r.domain('broadcast row length');
    if (rows * rowLength > r.limits.domain) throw new EncodingError(`broadcast: out's domain ${rows}·${rowLength} exceeds the graph's largest domain ${r.limits.domain}`);
    return new BroadcastBlock({ rows, rowLength });
  },
};

/** The codecs of the built-in blocks, one per kind. */
export const BUILTIN_BLOCK_CODECS: readonly BlockCodec[] = [matmul, weightedRows, convolution, linear, relink, hadamard, sum, max, segmentMax, maxConstant, argmax, rescale, limbSplit, lookup, range, permutation, broadcast] as BlockCodec[];
