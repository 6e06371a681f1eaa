/**
 * The builder of a {@link QuantModel}: creates tensors, appends ops with their proven bounds, and offers the
 * composite steps every op quantizer uses (rescaling, scale alignment, broadcasting, clamping, lookups).
 * @module
 */
import { QuantizationError } from '../errors';
import { broadcastMap, FILL, identityMap } from '../index-map';
import { sameShape, sizeOf, type Shape } from '../shape';
import { checkBound, opBound, valuesInterval } from './bounds';
import type { Interval, LookupTable, PatchGeometry, QOp, QTensor, TensorId, TensorRole } from './qmodel';
import type { TableDomains } from './table-domains';
import { buildTable, type TableSpec } from './tables';

/** A QOp before its output tensor exists. */
export type PendingOp = QOp extends infer T ? (T extends QOp ? Omit<T, 'out' | 'node'> : never) : never;

/** Builds the tensors, ops and tables of a quantized model. */
export class Emitter {
  readonly tensors: QTensor[] = [];
  readonly ops: QOp[] = [];
  readonly tables = new Map<string, LookupTable>();
  /** Every table a lookup asked for, with the domain it asked for (before widening). */
  readonly wanted: TableSpec[] = [];
  private readonly names = new Set<string>();

  /** `domains`, when given, widens each table to its function's merged domain (see `table-domains.ts`). */
  constructor(
    private readonly maxBits: number,
    private readonly domains?: TableDomains,
  ) {}

  private uniqueName(name: string): string {
    let n = name;
    for (let i = 2; this.names.has(n); i++) n = `${name}~${i}`;
    this.names.add(n);
    return n;
  }

  /** Adds an input or constant tensor. Constants are bounded by their values. */
  leaf(name: string, shape: Shape, scale: number, role: TensorRole, bound: Interval, data?: readonly bigint[]): TensorId {
    const id = this.tensors.length;
    const b = data ? valuesInterval(data) : bound;
    checkBound(name, b, this.maxBits);
    this.tensors.push({ id, name: this.uniqueName(name), shape: [...shape], scale, role, data, bound: b });
    return id;
  }

  /** A constant tensor: `weight` (committed, private) or `public`. */
  constant(name: string, shape: Shape, scale: number, role: 'weight' | 'public', data: readonly bigint[]): TensorId {
    return this.leaf(name, shape, scale, role, { lo: 0n, hi: 0n }, data);
  }

  /** Appends an op producing a new activation tensor; its bound is computed and checked against 2^maxBits. */
  emit(node: string, name: string, shape: Shape, scale: number, pending: PendingOp): TensorId {
    const id = this.tensors.length;
    const op = { ...pending, node, out: id } as QOp;
    const bound = opBound(op, shape, this.tensors, this.tables);
    const unique = this.uniqueName(name);
    checkBound(unique, bound, this.maxBits);
    this.tensors.push({ id, name: unique, shape: [...shape], scale, role: 'activation', bound });
    this.ops.push(op);
    return id;
  }

  t(id: TensorId): QTensor {
    return this.tensors[id];
  }

  /**
   * Divides by 2^(scale − target) with rounding when the tensor's scale exceeds `target`; otherwise returns it
   * unchanged. With `range`, the result is also proven to lie in it (see the `rescale` op).
   */
  rescaleTo(node: string, id: TensorId, target: number, range?: Interval): TensorId {
    const t = this.t(id);
    if (t.scale <= target) return id;
    return this.emit(node, `${t.name}>>${t.scale - target}`, t.shape, target, { kind: 'rescale', input: id, shift: t.scale - target, ...(range ? { range } : {}) });
  }

  /** Brings a tensor to exactly scale `target`: multiplies by 2^d (exact) when below, rescales when above. */
  alignTo(node: string, id: TensorId, target: number): TensorId {
    const t = this.t(id);
    if (t.scale === target) return id;
    if (t.scale > target) return this.rescaleTo(node, id, target);
    return this.emit(node, `${t.name}<<${target - t.scale}`, t.shape, target, { kind: 'scale', a: id, factor: 1n << BigInt(target - t.scale) });
  }

  /** Multiplies by a public integer. */
  scale(node: string, id: TensorId, factor: bigint, scale: number): TensorId {
    const t = this.t(id);
    return this.emit(node, `${t.name}*${factor}`, t.shape, scale, { kind: 'scale', a: id, factor });
  }

  /** Copies a tensor under an index map (see the `permute` op), with the im2col geometry the map claims if it is one. */
  permute(node: string, name: string, inputs: readonly TensorId[], map: Int32Array, shape: Shape, fill = 0n, patches?: PatchGeometry): TensorId {
    const scale = this.t(inputs[0]).scale;
    if (inputs.some((i) => this.t(i).scale !== scale)) throw new QuantizationError(`node "${node}": permute inputs must share one scale`);
    return this.emit(node, name, shape, scale, { kind: 'permute', inputs: [...inputs], map, fill, ...(patches ? { patches } : {}) });
  }

  /** Numpy-broadcasts a tensor to `shape` (a no-op when the shapes already match). */
  broadcast(node: string, id: TensorId, shape: Shape): TensorId {
    const t = this.t(id);
    if (sameShape(t.shape, shape)) return id;
    return this.permute(node, `${t.name}@[${shape.join(',')}]`, [id], broadcastMap(t.shape, shape), shape);
  }

  /** Relabels a tensor with a new shape of the same size (identity index map); a no-op for the same shape. */
  reshape(node: string, id: TensorId, shape: Shape, name: string): TensorId {
    if (sameShape(this.t(id).shape, shape)) return id;
    return this.permute(node, name, [id], identityMap(sizeOf(shape)), shape);
  }

  /** A public integer constant `c` at `scale`, broadcast to `shape` (folded into the model commitment by the lowering). */
  fill(node: string, c: bigint, scale: number, shape: Shape, name: string): TensorId {
    return this.broadcast(node, this.constant(name, [1], scale, 'public', [c]), shape);
  }

  /** Elementwise maximum of tensors of one shape and scale: interleaved by a permute, then a row max. */
  maxOf(node: string, ids: readonly TensorId[], name: string): TensorId {
    if (ids.length === 1) return ids[0];
    const t = this.t(ids[0]);
    const n = sizeOf(t.shape);
    const k = ids.length;
    const map = new Int32Array(k * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) map[k * i + j] = j * n + i;
    const rows = this.permute(node, `${name}/candidates`, ids, map, [...t.shape, k]);
    return this.emit(node, name, t.shape, t.scale, { kind: 'max', input: rows });
  }

  /** −x at the same scale (linear). */
  negate(node: string, id: TensorId, name: string): TensorId {
    const t = this.t(id);
    return this.emit(node, name, t.shape, t.scale, { kind: 'scale', a: id, factor: -1n });
  }

  /** |x| = max(x, −x), exact. */
  abs(node: string, id: TensorId, name: string): TensorId {
    return this.maxOf(node, [id, this.negate(node, id, `${name}/neg`)], name);
  }

  /** The same integers read at another scale (multiplication by 1: linear, free in the proof). */
  relabel(node: string, id: TensorId, scale: number, name: string): TensorId {
    const t = this.t(id);
    if (t.scale === scale) return id;
    return this.emit(node, name, t.shape, scale, { kind: 'scale', a: id, factor: 1n });
  }

  /** max(x, c) elementwise for an integer constant c: pairs (x, c) then a row max. */
  maxWith(node: string, id: TensorId, c: bigint, name: string): TensorId {
    const t = this.t(id);
    const n = sizeOf(t.shape);
    const map = new Int32Array(2 * n);
    for (let i = 0; i < n; i++) {
      map[2 * i] = i;
      map[2 * i + 1] = FILL;
    }
    const pairs = this.permute(node, `${name}/pairs`, [id], map, [...t.shape, 2], c);
    return this.emit(node, name, t.shape, t.scale, { kind: 'max', input: pairs });
  }

  /** min(x, c) = −max(−x, −c). */
  minWith(node: string, id: TensorId, c: bigint, name: string): TensorId {
    const t = this.t(id);
    const neg = this.scale(node, id, -1n, t.scale);
    const m = this.maxWith(node, neg, -c, `${name}/neg`);
    return this.emit(node, name, t.shape, t.scale, { kind: 'scale', a: m, factor: -1n });
  }

  /** clamp(x, lo, hi) with integer bounds; each side is skipped when the tensor's bound already satisfies it. */
  clamp(node: string, id: TensorId, lo: bigint | undefined, hi: bigint | undefined, name: string): TensorId {
    let x = id;
    if (lo !== undefined && this.t(x).bound.lo < lo) x = this.maxWith(node, x, lo, `${name}/lo`);
    if (hi !== undefined && this.t(x).bound.hi > hi) x = this.minWith(node, x, hi, `${name}/hi`);
    return x;
  }

  /**
   * Looks `id` up in the table of `spec`, tabulated over the merged domain of its function (its own domain when
   * there are no merged domains) and registered once by name (equal names are equal tables).
   */
  lookup(node: string, id: TensorId, spec: TableSpec, name: string): TensorId {
    this.wanted.push(spec);
    const { lo, hi } = this.domains?.domainOf(spec) ?? spec;
    const table = tabulated(node, spec, lo, hi, name);
    const known = this.tables.get(table.name);
    // A name is a table's identity (its digest, the lookups the lowering merges): one name, one list of entries.
    if (known && (known.outputs.length !== table.outputs.length || known.outputs.some((y, i) => y !== table.outputs[i])))
      throw new Error(`internal: two tables named "${table.name}" hold different entries (a function name that does not say all its parameters)`);
    if (!known) this.tables.set(table.name, table);
    const t = this.t(id);
    if (t.scale !== table.inputScale) throw new QuantizationError(`node "${node}": table "${table.name}" expects input scale ${table.inputScale}, got ${t.scale}`);
    return this.emit(node, name, t.shape, table.outputScale, { kind: 'lookup', input: id, table: table.name });
  }
}

/** {@link buildTable}, its errors naming the node that asked for the table and the tensor it would write. */
function tabulated(node: string, spec: TableSpec, lo: bigint, hi: bigint, tensor: string): LookupTable {
  try {
    return buildTable(spec, lo, hi);
  } catch (e) {
    if (e instanceof QuantizationError) throw new QuantizationError(`node "${node}": ${e.message}`, tensor);
    throw e;
  }
}
