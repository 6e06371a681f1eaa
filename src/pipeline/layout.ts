/**
 * Row layouts: where the lowering (`lower.ts`) stores each cell of a tensor in the rows it commits.
 *
 * A tensor of shape `[..., L]` is committed as `rows` rows of `length` cells, each over the domain
 * `rowDomain(length)`; cell f (flat, row-major, ONNX order) is at storage index f unless the layout has a **padded
 * stride**: the cells come in segments (the rows of a matrix a flat block reads, or the channels of an image), each
 * stored from a multiple of the stride on, possibly reordered within it ({@link SegmentOrder}). The storage cells that
 * hold no tensor cell are **padding**: a copy writes them as the constant 0 and never reads them, and a block either
 * computes them from its inputs' padding or proves them zero. Every map between tensor and storage indices is here,
 * so the copies, the constants committed at setup and the statement's rows agree on one placement.
 * @module
 */
import { nextPowerOfTwo } from '../poly/roots';
import { BlockGraphError } from './block-graph';

/**
 * Row layout of a tensor: `rows` committed rows of `length` cells. Cell f of the tensor (row-major, ONNX order) is at
 * storage index f (row ⌊f/length⌋, column f mod length), unless the layout is `padded`.
 */
export interface Layout {
  readonly rows: number;
  readonly length: number;
  /**
   * A padded row stride: the tensor's cells come in segments of `cells`, segment s stored from index s·`stride` on
   * (`stride` ≥ `cells`, a power of two), so that a flat block finds segment cell (s, l) at s·stride + l, or at
   * s·stride + `order.position[l]` when the segment's cells are placed otherwise (a window order, or the rows of an
   * image at a power-of-two row stride). The stride's other cells are padding. With `segments`, the tensor has that
   * many segments and the storage's whole segments after them are padding too (a flat B cut into rows of equal
   * length, or the channels of a convolution's output up to a power of two).
   */
  readonly padded?: { readonly cells: number; readonly stride: number; readonly order?: SegmentOrder; readonly segments?: number };
}

/**
 * One placement of the cells of every segment of a padded stride: segment cell l is stored at offset `position[l]`
 * (< the stride) of its segment, and `cellAt[o]` is the cell stored at offset o, or −1 where o is padding. `name`
 * tells placements apart (copy labels, shared copies' keys): two layouts with one name hold their cells in one
 * placement.
 */
export interface SegmentOrder {
  readonly name: string;
  readonly position: readonly number[];
  readonly cellAt: readonly number[];
  /** Set by {@link gridOrder}: the placement is image rows of `width` cells at `rowStride` (a statement can say so). */
  readonly grid?: { readonly width: number; readonly rowStride: number };
}

/** Storage index (row·length + column) of cell f of a tensor laid out as `l`: `⌊f/cells⌋·stride + position[f mod cells]`. */
export function storageIndex(l: Layout, f: number): number {
  if (!l.padded) return f;
  const { cells, stride, order } = l.padded;
  const col = f % cells;
  return Math.floor(f / cells) * stride + (order ? order.position[col] : col);
}

/** The tensor cell stored at index s of layout `l` (the inverse of {@link storageIndex}), or undefined for a padding cell of a padded stride. */
export function tensorIndex(l: Layout, s: number): number | undefined {
  if (!l.padded) return s;
  const { cells, stride, order } = l.padded;
  const segment = Math.floor(s / stride);
  if (segment >= segmentsOf(l)) return undefined;
  const offset = s % stride;
  const cell = order ? (order.cellAt[offset] ?? -1) : offset < cells ? offset : -1;
  return cell < 0 ? undefined : segment * cells + cell;
}

/** The segments of a padded stride that hold tensor cells (the storage's whole segments, unless fewer are given). */
export function segmentsOf(l: Layout): number {
  return l.padded!.segments ?? (l.rows * l.length) / l.padded!.stride;
}

/** The number of tensor cells a layout holds: its storage `rows·length`, or `segments·cells` with a padded stride. */
export function tensorCells(l: Layout): number {
  return l.padded ? segmentsOf(l) * l.padded.cells : l.rows * l.length;
}

/** `rows`x`length`, the padded stride if any and its order's name (copy labels, keys of shared copies). */
export function layoutName(l: Layout): string {
  const p = l.padded;
  return `${l.rows}x${l.length}${p ? `/${p.cells}in${p.stride}${p.segments !== undefined ? `x${p.segments}` : ''}${p.order ? `@${p.order.name}` : ''}` : ''}`;
}

/** Whether two layouts store every cell at the same index (equal names). */
export function sameLayout(a: Layout, b: Layout): boolean {
  return layoutName(a) === layoutName(b);
}

/** `l` with its padded stride's segments in `order` (l itself when there is no order or no padded stride). */
export function inOrder(l: Layout, order: SegmentOrder | undefined): Layout {
  return order && l.padded ? { ...l, padded: { ...l.padded, order } } : l;
}

/** Longest row the layout pass makes (a domain of 2^16 keeps NTTs and quotients small). */
export const MAX_FLAT_ROW = 1 << 16;

/** Domain of rows of `length` cells: `max(2, 2^⌈log₂ length⌉)`. */
export function rowDomain(length: number): number {
  return Math.max(2, nextPowerOfTwo(length));
}

/**
 * The placement of an image of `height` rows of `width` cells at row stride `rowStride` (≥ width) in segments of
 * `stride` ≥ height·rowStride cells: cell (y, x), segment cell y·width + x, at offset `y·rowStride + x`; the offsets
 * x ≥ width of each image row and y ≥ height are padding. A convolution that reads its input by rotations
 * (`x(ω^(dy·S + dx)·X)`) needs exactly this: a tap's neighbour is a fixed offset away, and the padding holds zeros.
 */
export function gridOrder(height: number, width: number, rowStride: number, stride: number): SegmentOrder {
  if (width > rowStride || height * rowStride > stride) throw new BlockGraphError(`an image of ${height}×${width} cells does not fit rows of ${rowStride} in a stride of ${stride}`);
  const position = Array.from({ length: height * width }, (_, l) => Math.floor(l / width) * rowStride + (l % width));
  const cellAt = new Array<number>(stride).fill(-1);
  position.forEach((at, l) => (cellAt[at] = l));
  return { name: `grid${height}x${width}s${rowStride}`, position, cellAt, grid: { width, rowStride } };
}
