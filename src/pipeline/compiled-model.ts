/**
 * A compiled model: the block graph (public architecture: shapes, tables, index maps, scales) plus the
 * private quantized weights, and the maps between float tensors and the integer rows the blocks see.
 * @module
 */
import { InputError, RangeExceededError } from '../model/errors';
import type { BlockGraph } from './block-graph';
import type { ValueCheck } from './graph-proof';

/**
 * What a proof's statement says about a model input or output (chosen at compile time, part of the architecture):
 * `public`, its integer rows; `private`, only its row commitments; `hashed` (inputs only), its row commitments
 * blinded by a function of the input itself, so that their Keccak-256 digest identifies it (`visibility.ts`).
 */
export type Visibility = 'public' | 'private' | 'hashed';

/** How a model input or output is laid out in rows, scaled and shown in the statement. */
export interface PublicTensorLayout {
  /** Global tensor id in the block graph. */
  readonly id: string;
  /** ONNX name. */
  readonly name: string;
  /** ONNX shape. */
  readonly shape: readonly number[];
  /** Fixed-point exponent s: the integer q stands for q / 2^s. */
  readonly scale: number;
  /** Smallest and largest integer accepted (inputs) or produced (outputs). */
  readonly bound: readonly [bigint, bigint];
  /**
   * Flat float index → (row, column) of the integer tensor: flat index f is row ⌊f/rowLength⌋, column f mod rowLength,
   * unless the tensor is laid out on a `grid`.
   */
  readonly rows: number;
  readonly rowLength: number;
  /** A model input a convolution reads in place is laid out as images at a row stride (one row, {@link PublicGrid}). */
  readonly grid?: PublicGrid;
  /** What the statement holds of it: its rows (`public`) or its row commitments (`private`, `hashed`). */
  readonly visibility: Visibility;
}

/**
 * The 2-D layout of a model input that a convolution reads in place (`src/pipeline/conv-in-place.ts`): the tensor's
 * cells come in segments (channels) of `cells` = height·`width`, segment s stored from s·`stride` on, its cell
 * (y, x) at offset `y·rowStride + x`; the row's other cells are zero. So flat index f is stored at
 * `⌊f/cells⌋·stride + ⌊(f mod cells)/width⌋·rowStride + (f mod width)` of the one row (`gridIndex`).
 */
export interface PublicGrid {
  readonly cells: number;
  readonly stride: number;
  readonly width: number;
  readonly rowStride: number;
}

/** Storage index of flat cell f on `grid`: `⌊f/cells⌋·stride + ⌊(f mod cells)/width⌋·rowStride + (f mod width)`. */
export function gridIndex(grid: PublicGrid, f: number): number {
  const l = f % grid.cells;
  return Math.floor(f / grid.cells) * grid.stride + Math.floor(l / grid.width) * grid.rowStride + (l % grid.width);
}

/**
 * The cells of an input's rows in ONNX order (flat index f at row ⌊f/rowLength⌋, column f mod rowLength, or at
 * {@link gridIndex} on a grid); an {@link InputError} when a grid's row holds a non-zero cell where no cell is placed
 * (a convolution reading the input in place would refuse it).
 */
export function inputCells(l: PublicTensorLayout, rows: readonly (readonly bigint[])[]): bigint[] {
  const grid = l.grid;
  if (!grid) return rows.flat();
  const row = rows[0];
  const cells = l.shape.reduce((a, b) => a * b, 1);
  const placed = new Set<number>();
  const out = Array.from({ length: cells }, (_, f) => {
    const at = gridIndex(grid, f);
    placed.add(at);
    return row[at];
  });
  const stray = row.findIndex((v, at) => v !== 0n && !placed.has(at));
  if (stray >= 0) throw new InputError(l.name, `cell ${stray} of its row lies outside its grid of ${grid.cells}-cell images at row stride ${grid.rowStride} and must be 0, got ${row[stray]}`);
  return out;
}

/** A requantized activation's calibrated range, as the proof enforces it on its global tensor. */
export interface CalibratedRange {
  /** Global tensor id. */
  readonly id: string;
  /** Quantized tensor name and the ONNX node that computes it. */
  readonly tensor: string;
  readonly node: string;
  readonly lo: bigint;
  readonly hi: bigint;
  /** Fixed-point exponent: the integer q stands for q / 2^scale. */
  readonly scale: number;
}

/** What `compile` produces. */
export interface CompiledModel {
  readonly name: string;
  readonly graph: BlockGraph;
  readonly inputs: readonly PublicTensorLayout[];
  readonly outputs: readonly PublicTensorLayout[];
  /** Quantized weights by global tensor id (private to the prover). */
  readonly weights: Readonly<Record<string, readonly (readonly bigint[])[]>>;
  /** G1 powers of τ the largest commitment or quotient needs. */
  readonly srsG1Powers: number;
  /** Per-layer description for reports (`inspect`). */
  readonly layers: readonly { readonly name: string; readonly op: string; readonly blocks: readonly string[] }[];
  /**
   * The calibrated ranges the proof enforces on requantized activations; `prove` checks the witness against
   * them first, so a value outside one is a {@link RangeExceededError} naming it, not a failed lookup.
   */
  readonly ranges?: readonly CalibratedRange[];
}

/**
 * Checks each of the model's calibrated ranges as its value is computed (a {@link ValueCheck} for the witness
 * walk): a value outside one has no range-check witness, and the error names the tensor, its node, the value and
 * the range instead of a failed lookup.
 */
export function calibratedRangeCheck(model: Pick<CompiledModel, 'ranges'>): ValueCheck {
  const byId = new Map((model.ranges ?? []).map((r) => [r.id, r]));
  return (id, rows) => {
    const r = byId.get(id);
    if (!r) return;
    for (const row of rows) for (const v of row) if (v < r.lo || v > r.hi) throw new RangeExceededError(r.tensor, r.node, v, r.lo, r.hi, r.scale);
  };
}
