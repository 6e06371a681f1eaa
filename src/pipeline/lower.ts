/**
 * Lowering: a quantized model (ops over integer tensors) → a block graph.
 *
 * Layout: a tensor of shape `[..., L]` is committed as `size/L` rows of length L, each over the domain
 * `max(2, 2^⌈log₂ L⌉)`. An op whose block needs another layout gets a fresh wire tensor and a permutation
 * block that copies it (so every edge stays constrained). Lookups are collected per table and emitted at the
 * end as **one** lookup block per table; rescales add their range checks to those tables.
 * @module
 */
import type { Block } from '../../blocks/block';
import { LinearBlock } from '../../blocks/elementwise';
import { LimbSplitBlock } from '../../blocks/limb-split';
import { HadamardBlock } from '../../blocks/hadamard';
import { LookupBlock, type LookupSource } from '../../blocks/lookup';
import { MatmulBlock } from '../../blocks/matmul';
import { MaxBlock } from '../../blocks/max';
import { PermutationBlock, type CellSource, type IndexMap, type MatrixShape } from '../../blocks/permutation';
import { RescaleBlock } from '../../blocks/rescale';
import { SumBlock } from '../../blocks/sum';
import { makeTable, rangeTable, type LookupTable } from '../../blocks/tables';
import { nextPowerOfTwo } from '../poly/roots';
import { mulInterval } from '../model/quant/bounds';
import type { Interval, QOp, QTensor, QuantModel, TensorId } from '../model/quant/qmodel';
import { BlockGraphError, type BlockGraph, type BlockNode, type GraphTensor, type TensorKind } from './block-graph';

/**
 * Width of a range table's limb: a range check of b bits becomes ⌈b / RANGE_LIMB_BITS⌉ lookups into one
 * shared table of 2^RANGE_LIMB_BITS entries (plus linear limb splits), which is far cheaper than a 2^16 table.
 */
export const RANGE_LIMB_BITS = 8;

/** Row layout of a tensor. */
interface Layout {
  readonly rows: number;
  readonly length: number;
}

/** Domain of rows of `length` cells. */
export function rowDomain(length: number): number {
  return Math.max(2, nextPowerOfTwo(length));
}

function canonicalLayout(t: QTensor): Layout {
  const size = t.shape.reduce((a, b) => a * b, 1);
  const length = t.shape.length === 0 ? 1 : t.shape[t.shape.length - 1];
  if (length === 0 || size === 0) throw new BlockGraphError(`tensor "${t.name}" is empty`);
  return { rows: size / length, length };
}

/** Signed bit width B with `[lo, hi] ⊆ [−2^(B−1), 2^(B−1))`. */
function signedBits(lo: bigint, hi: bigint): number {
  let b = 1;
  while (-(1n << BigInt(b - 1)) > lo || (1n << BigInt(b - 1)) <= hi) b++;
  return b;
}

/** Result of {@link lowerQuantModel}. */
export interface LoweredModel {
  readonly graph: BlockGraph;
  /** Global tensor id of each quantized tensor (its canonical layout). */
  readonly tensorIds: ReadonlyMap<TensorId, string>;
  /** Integer rows of every weight / public-constant tensor, by global id. */
  readonly weights: Record<string, bigint[][]>;
  /** Largest domain of any committed row or table. */
  readonly maxDomain: number;
  /** Which blocks each ONNX node became (for reports). */
  readonly layers: { name: string; op: string; blocks: string[] }[];
}

/**
 * Lowers every op of `q` to blocks. Refuses what it cannot constrain. Range checks (rescale remainders and
 * outputs, max differences) cover the quantizer's worst-case bounds, so a proof never depends on calibration.
 */
export function lowerQuantModel(q: QuantModel): LoweredModel {
  const tensors: GraphTensor[] = [];
  const nodes: BlockNode[] = [];
  const weights: Record<string, bigint[][]> = {};
  const ids = new Map<TensorId, string>();
  const outputs = new Set(q.outputs.map((o) => o.tensor));
  const lookups = new Map<string, { table: LookupTable; sources: LookupSource[] }>();
  const layers: { name: string; op: string; blocks: string[] }[] = [];
  let fresh = 0;
  let current: { name: string; op: string; blocks: string[] } | undefined;

  const declare = (id: string, kind: TensorKind, layout: Layout): GraphTensor => {
    const t: GraphTensor = { id, kind, rows: layout.rows, domain: rowDomain(layout.length) };
    tensors.push(t);
    return t;
  };
  const layoutOfGlobal = new Map<string, Layout>();
  const toRows = (data: readonly bigint[], l: Layout) => Array.from({ length: l.rows }, (_, r) => data.slice(r * l.length, (r + 1) * l.length));

  for (const t of q.tensors) {
    const l = canonicalLayout(t);
    const id = `t${t.id}`;
    const kind: TensorKind = t.role === 'input' ? 'input' : t.role === 'activation' ? (outputs.has(t.id) ? 'output' : 'wire') : 'weight';
    declare(id, kind, l);
    layoutOfGlobal.set(id, l);
    ids.set(t.id, id);
    if (t.role === 'weight' || t.role === 'public') {
      if (!t.data) throw new BlockGraphError(`constant tensor "${t.name}" has no data`);
      weights[id] = toRows(t.data, l);
    }
  }

  const add = (block: Block, bind: Record<string, string>) => {
    nodes.push({ block, bind });
    current?.blocks.push(block.foldKey);
  };
  const shapeOf = (id: string, name = id): MatrixShape => {
    const l = layoutOfGlobal.get(id)!;
    return { name, rows: l.rows, length: l.length, domain: rowDomain(l.length) };
  };
  const newWire = (base: string, l: Layout): string => {
    const id = `${base}~${fresh++}`;
    declare(id, 'wire', l);
    layoutOfGlobal.set(id, l);
    return id;
  };
  /** A permutation block writing `out` from the flat cells of `inputs` under `source(flatOutIndex)`. */
  const permute = (inputs: readonly string[], out: string, source: (flat: number) => CellSource) => {
    const names = inputs.map((_, i) => `in${i}`);
    const outShape = shapeOf(out, 'out');
    const map: IndexMap = {
      label: `copy ${inputs.map((i) => { const l = layoutOfGlobal.get(i)!; return `${l.rows}x${l.length}`; }).join('+')}→${outShape.rows}x${outShape.length}`,
      inputs: inputs.map((id, i) => shapeOf(id, names[i])),
      output: outShape,
      cells: Array.from({ length: outShape.rows }, (_, r) => Array.from({ length: outShape.length }, (_, c) => source(r * outShape.length + c))),
    };
    add(new PermutationBlock(map), Object.fromEntries([...inputs.map((id, i) => [names[i], id]), ['out', out]]));
  };
  const flatSource = (id: string, inputIndex: number, flat: number): CellSource => {
    const l = layoutOfGlobal.get(id)!;
    return { input: inputIndex, row: Math.floor(flat / l.length), col: flat % l.length };
  };
  /** `id` in layout `l`: itself, or a wire copied from it. */
  const readAs = (id: string, l: Layout): string => {
    const have = layoutOfGlobal.get(id)!;
    if (have.rows === l.rows && have.length === l.length) return id;
    const w = newWire(id, l);
    permute([id], w, (f) => flatSource(id, 0, f));
    return w;
  };
  /** A target for a block that writes `id` in layout `l`: `id` itself, or a wire copied into `id` afterwards. */
  const writeAs = (id: string, l: Layout): { target: string; finish: () => void } => {
    const have = layoutOfGlobal.get(id)!;
    if (have.rows === l.rows && have.length === l.length) return { target: id, finish: () => {} };
    const w = newWire(id, l);
    return { target: w, finish: () => permute([w], id, (f) => flatSource(w, 0, f)) };
  };
  const lookupInto = (table: LookupTable, source: LookupSource) => {
    let entry = lookups.get(table.digest);
    if (!entry) lookups.set(table.digest, (entry = { table, sources: [] }));
    entry.sources.push(source);
  };
  /** Proves that every real cell of `id` (layout `l`) lies in `[lo, lo + 2^bits)`, splitting into limbs as needed. */
  const rangeCheck = (id: string, l: Layout, lo: bigint, bits: number): void => {
    const source = { rows: l.rows, domain: rowDomain(l.length), length: l.length };
    if (bits <= RANGE_LIMB_BITS) {
      lookupInto(rangeTable(lo, lo + (1n << BigInt(bits))), { ...source, input: id });
      return;
    }
    const low = newWire(`${id}/limb`, l);
    const high = newWire(`${id}/rest`, l);
    add(new LimbSplitBlock({ ...source, offset: -lo, limbBits: RANGE_LIMB_BITS }), { v: id, lo: low, hi: high });
    lookupInto(rangeTable(0n, 1n << BigInt(RANGE_LIMB_BITS)), { ...source, input: low });
    rangeCheck(high, l, 0n, bits - RANGE_LIMB_BITS);
  };
  const g = (tid: TensorId) => ids.get(tid)!;
  const lay = (tid: TensorId) => layoutOfGlobal.get(g(tid))!;

  /**
   * Bounds the proof enforces, per global tensor: a range-checked rescale output is bounded by its range
   * table (the calibrated activation width), tighter than the worst-case interval of the quantizer.
   */
  const bounds = new Map<string, Interval>();
  const boundOf = (id: string): Interval => bounds.get(id)!;
  for (const t of q.tensors) {
    const data = t.data;
    bounds.set(g(t.id), data && data.length > 0 ? { lo: data.reduce((a, b) => (b < a ? b : a)), hi: data.reduce((a, b) => (b > a ? b : a)) } : t.bound);
  }
  const union = (xs: readonly Interval[]): Interval => ({ lo: xs.reduce((a, b) => (b.lo < a ? b.lo : a), xs[0].lo), hi: xs.reduce((a, b) => (b.hi > a ? b.hi : a), xs[0].hi) });

  const tables = new Map<string, LookupTable>();
  for (const [name, t] of q.tables) {
    const inputs = t.outputs.map((_, i) => t.inputLo + BigInt(i));
    tables.set(name, makeTable(`${name}:${t.fn}:${t.inputScale}->${t.outputScale}`, inputs, t.outputs));
  }

  for (const op of q.ops) {
    if (!current || current.name !== op.node) layers.push((current = { name: op.node, op: op.kind, blocks: [] }));
    lowerOp(op);
  }

  function lowerOp(op: QOp): void {
    const out = g(op.out);
    switch (op.kind) {
      case 'add':
      case 'sub':
      case 'hadamard': {
        const l = lay(op.out);
        const bind = { a: readAs(g(op.a), l), b: readAs(g(op.b), l), c: out };
        const [ba, bb] = [boundOf(g(op.a)), boundOf(g(op.b))];
        if (op.kind === 'add') bounds.set(out, { lo: ba.lo + bb.lo, hi: ba.hi + bb.hi });
        else if (op.kind === 'sub') bounds.set(out, { lo: ba.lo - bb.hi, hi: ba.hi - bb.lo });
        else bounds.set(out, mulInterval(ba, bb));
        const block = op.kind === 'hadamard' ? new HadamardBlock({ rows: l.rows, domain: rowDomain(l.length) }) : new LinearBlock({ operation: { op: op.kind }, rows: l.rows, domain: rowDomain(l.length) });
        add(block, bind);
        return;
      }
      case 'scale': {
        const l = lay(op.out);
        bounds.set(out, mulInterval(boundOf(g(op.a)), { lo: op.factor, hi: op.factor }));
        add(new LinearBlock({ operation: { op: 'scale', factor: op.factor }, rows: l.rows, domain: rowDomain(l.length) }), { a: readAs(g(op.a), l), c: out });
        return;
      }
      case 'matmul': {
        if (op.batch !== 1) throw new BlockGraphError(`node "${op.node}": batched matmul with ${op.batch} independent products is not lowered yet`);
        const { m, k, n } = op;
        const a = readAs(g(op.a), { rows: m, length: k });
        const bT = transposedOperand(op.b, k, n);
        const w = writeAs(out, { rows: m, length: n });
        add(new MatmulBlock({ m, k, n, fixedB: q.tensors[op.b].role !== 'activation', innerDomain: rowDomain(k), outerDomain: rowDomain(n) }), { a, b: bT, c: w.target });
        w.finish();
        return;
      }
      case 'lookup': {
        const table = tables.get(op.table);
        if (!table) throw new BlockGraphError(`node "${op.node}": unknown table "${op.table}"`);
        const l = lay(op.out);
        const x = readAs(g(op.input), l);
        lookupInto(table, { input: x, output: out, rows: l.rows, domain: rowDomain(l.length), length: l.length });
        const ys = table.outputs!;
        bounds.set(out, { lo: ys.reduce((a, b) => (b < a ? b : a)), hi: ys.reduce((a, b) => (b > a ? b : a)) });
        return;
      }
      case 'rescale': {
        const l = lay(op.out);
        const bound = q.tensors[op.out].bound;
        const outputBits = signedBits(bound.lo, bound.hi);
        bounds.set(out, bound);
        const remainder = newWire(`${out}/rem`, l);
        const x = readAs(g(op.input), l);
        add(new RescaleBlock({ input: 'x', output: 'y', remainder: 'r', rows: l.rows, domain: rowDomain(l.length), length: l.length, shift: op.shift, outputBits }), { x, y: out, r: remainder });
        // The two range checks RescaleBlock.rangeChecks() names, at any width: r ∈ [0, 2^k), y ∈ [−2^(B−1), 2^(B−1)).
        rangeCheck(remainder, l, 0n, op.shift);
        rangeCheck(out, l, -(1n << BigInt(outputBits - 1)), outputBits);
        return;
      }
      case 'permute': {
        const inputs = [...new Set(op.inputs.map(g))];
        const offsets: number[] = [];
        let acc = 0;
        for (const tid of op.inputs) {
          offsets.push(acc);
          acc += q.tensors[tid].shape.reduce((a, b) => a * b, 1);
        }
        const fill = op.fill;
        bounds.set(out, union([...inputs.map(boundOf), ...(op.map.includes(-1) ? [{ lo: fill, hi: fill }] : [])]));
        permute(inputs, out, (f) => {
          const src = op.map[f];
          if (src < 0) return { constant: fill };
          let i = offsets.length - 1;
          while (offsets[i] > src) i--;
          return flatSource(g(op.inputs[i]), inputs.indexOf(g(op.inputs[i])), src - offsets[i]);
        });
        return;
      }
      case 'sum': {
        const lin = lay(op.input);
        const x = readAs(g(op.input), lin);
        const w = writeAs(out, { rows: 1, length: lin.rows });
        add(new SumBlock({ rows: lin.rows, length: lin.length, domain: rowDomain(lin.length), sumsDomain: rowDomain(lin.rows) }), { x, s: w.target });
        w.finish();
        return;
      }
      case 'max': {
        // out[r] = max_j in[r·L + j]: candidate j of output cell (i, c) goes to row j·m + i, column c.
        const lin = lay(op.input);
        const L = lin.length;
        const lo = lay(op.out);
        const m = lo.rows;
        const x = newWire(`${out}/candidates`, { rows: L * m, length: lo.length });
        const src = g(op.input);
        permute([src], x, (f) => {
          const row = Math.floor(f / lo.length);
          const [j, i, c] = [Math.floor(row / m), row % m, f % lo.length];
          return flatSource(src, 0, (i * lo.length + c) * L + j);
        });
        const b = boundOf(src);
        bounds.set(out, b);
        const bits = Math.max(1, (b.hi - b.lo).toString(2).length);
        const d = newWire(`${out}/differences`, { rows: L * m, length: lo.length });
        add(new MaxBlock({ candidates: L, rows: m, domain: rowDomain(lo.length), bits }), { x, y: out, d });
        rangeCheck(d, { rows: L * m, length: lo.length }, 0n, bits);
        return;
      }
    }
  }

  /** The rows of Bᵀ for B [k, n]: a transposed weight, or a transposing permutation of an activation. */
  function transposedOperand(b: TensorId, k: number, n: number): string {
    const t = q.tensors[b];
    const src = g(b);
    const id = `${src}^T`;
    if (t.role !== 'activation') {
      declare(id, 'weight', { rows: n, length: k });
      layoutOfGlobal.set(id, { rows: n, length: k });
      const data = t.data!;
      weights[id] = Array.from({ length: n }, (_, j) => Array.from({ length: k }, (_, i) => data[i * n + j]));
      return id;
    }
    const bk = readAs(src, { rows: k, length: n });
    const w = newWire(id, { rows: n, length: k });
    permute([bk], w, (f) => ({ input: 0, row: f % k, col: Math.floor(f / k) }));
    return w;
  }

  for (const { table, sources } of lookups.values()) {
    const bind: Record<string, string> = {};
    const renamed = sources.map((s, i) => {
      bind[`x${i}`] = s.input;
      if (s.output) bind[`y${i}`] = s.output;
      return { ...s, input: `x${i}`, output: s.output ? `y${i}` : undefined };
    });
    nodes.push({ block: new LookupBlock(table, renamed), bind });
  }

  // Weight tensors a weight-only transposition replaced are not read by any block: drop them.
  const touched = new Set(nodes.flatMap((nd) => Object.values(nd.bind)));
  const kept = tensors.filter((t) => t.kind !== 'weight' || touched.has(t.id));
  for (const t of tensors) if (!kept.includes(t)) delete weights[t.id];
  const maxTable = Math.max(0, ...[...lookups.values()].map((e) => nextPowerOfTwo(e.table.inputs.length)));
  const maxDomain = Math.max(maxTable, ...kept.map((t) => t.domain));
  // Lookup blocks come last: they read tensors written anywhere in the graph.
  return { graph: { tensors: kept, nodes }, tensorIds: ids, weights, maxDomain, layers };
}
