/**
 * `compile`: ONNX bytes + calibration samples → a compiled model (block graph, quantized weights, layouts).
 * @module
 */
import { parseOnnx } from '../onnx/index';
import { buildGraph, type BuildOptions } from '../model/build';
import { calibrate, type Calibration } from '../model/quant/calibrate';
import type { QuantOptions } from '../model/quant/context';
import { quantizeInputs } from '../model/quant/interpret';
import type { QuantModel, TensorId } from '../model/quant/qmodel';
import { quantize } from '../model/quant/quantize';
import { layerErrors, type LayerError } from '../model/quant/report';
import type { Tensor } from '../model/tensor';
import { BlockGraphError, srsG1PowersOf, validateBlockGraph } from './block-graph';
import { gridIndex, type CompiledModel, type PublicTensorLayout, type Visibility } from './compiled-model';
import { lowerQuantModel, type LoweredModel } from './lower';
import { checkFixedRowsRelinked, relinkFixedRows } from './relink';
import { checkHiddenInputsRanged, resolveVisibility, type VisibilityOptions } from './visibility';

/** Options of {@link compile}. */
export interface CompileOptions extends BuildOptions {
  /** A name for reports (default: the ONNX graph name or `model`). */
  readonly name?: string;
  readonly quantization?: QuantOptions;
  /** What a proof's statement shows of each input and output (default: every one `public`); see `visibility.ts`. */
  readonly visibility?: VisibilityOptions;
}

/** A compiled model together with its quantized form (which holds the integer semantics). */
export interface CompiledWithQuant extends CompiledModel {
  readonly quant: QuantModel;
  /** Choices made for the user that may not be what they want (a symbolic input dimension set to 1). */
  readonly warnings: readonly string[];
}

function layout(q: QuantModel, lowered: LoweredModel, tid: TensorId, name: string, visibility: Visibility): PublicTensorLayout {
  const t = q.tensors[tid];
  const { rows, length, padded } = lowered.layouts.get(tid)!;
  const grid = padded?.order?.grid;
  if (padded && !grid) throw new BlockGraphError(`"${name}" has a padded stride that no public layout describes`);
  const on = grid ? { grid: { cells: padded!.cells, stride: padded!.stride, ...grid } } : {};
  return { id: lowered.tensorIds.get(tid)!, name, shape: t.shape, scale: t.scale, bound: [t.bound.lo, t.bound.hi], rows, rowLength: length, visibility, ...on };
}

/**
 * Quantization defaults for proving: nonlinearity tables of 2^12 entries (instead of the quantizer's 2^16)
 * make each table's lookup argument 16× cheaper; on the Fashion attention model top-1 agreement with the
 * float model stays at 63/64 (64/64 with 2^16 tables). Override with `options.quantization`.
 */
export const PROVING_QUANTIZATION: QuantOptions = { tableBits: 12 };

/** Runs the float model on `samples` and records the value ranges the quantizer chooses scales from. */
export function calibrateOnnx(onnx: Uint8Array, samples: readonly Readonly<Record<string, Tensor>>[], options: BuildOptions = {}): Calibration {
  return calibrate(buildGraph(parseOnnx(onnx), options), samples);
}

/**
 * Compiles from a calibration (for example one stored in a compiled-model file): parse, quantize, lower,
 * check that every value of the block graph is constrained. Equal bytes, calibration and options give the
 * same block graph.
 */
export function compileCalibrated(onnx: Uint8Array, calibration: Calibration, options: CompileOptions = {}): CompiledWithQuant {
  const model = parseOnnx(onnx);
  const graph = buildGraph(model, options);
  const quant = quantize(graph, calibration, { ...PROVING_QUANTIZATION, ...options.quantization });
  const visibility = resolveVisibility(quant.inputs.map((i) => i.name), quant.outputs.map((o) => o.name), options.visibility);
  // A hidden input's integers are not checked by the verifier: the circuit range-checks them instead.
  const lowered = lowerQuantModel(quant, new Set(quant.inputs.filter((_, k) => visibility.inputs[k] !== 'public').map((i) => i.tensor)));
  // Rows with a blinding fixed across proofs are read through per-proof copies (zero knowledge, `relink.ts`).
  const hashed = new Set(quant.inputs.filter((_, k) => visibility.inputs[k] === 'hashed').map((i) => lowered.tensorIds.get(i.tensor)!));
  const blocks = relinkFixedRows(lowered.graph, hashed);
  validateBlockGraph(blocks);
  checkFixedRowsRelinked(blocks, hashed);
  const inputs = quant.inputs.map((i, k) => layout(quant, lowered, i.tensor, i.name, visibility.inputs[k]));
  checkHiddenInputsRanged(blocks, inputs);
  return {
    name: options.name ?? (model.graphName || 'model'),
    graph: blocks,
    inputs,
    outputs: quant.outputs.map((o, k) => layout(quant, lowered, o.tensor, o.name, visibility.outputs[k])),
    weights: lowered.weights,
    srsG1Powers: srsG1PowersOf(blocks),
    layers: lowered.layers,
    ranges: lowered.ranges,
    quant,
    warnings: graph.warnings,
  };
}

/**
 * How far each layer of a compiled model is from the float model on `samples` (typically its calibration
 * inputs): max and mean absolute error and cosine similarity per graph value, in graph order.
 */
export function layerAccuracy(onnx: Uint8Array, model: CompiledWithQuant, samples: readonly Readonly<Record<string, Tensor>>[], options: BuildOptions = {}): Promise<LayerError[]> {
  return layerErrors(buildGraph(parseOnnx(onnx), options), model.quant, samples);
}

/**
 * Calibrates on `samples` (float feeds by input name), then {@link compileCalibrated}.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { compile, tensor } from 'blockfold';
 *
 * const onnx = readFileSync('model.onnx');
 * // Representative inputs fix the fixed-point scales; here one sample of a model with one input of 4 floats.
 * const model = compile(onnx, [{ input: tensor([4], [0.09, 0.13, 0.24, 0.05]) }]);
 * console.log(`${model.graph.nodes.length} blocks; the SRS needs ${model.srsG1Powers} G1 powers`);
 * ```
 */
export function compile(onnx: Uint8Array, samples: readonly Readonly<Record<string, Tensor>>[], options: CompileOptions = {}): CompiledWithQuant {
  return compileCalibrated(onnx, calibrateOnnx(onnx, samples, options), options);
}

/**
 * Quantizes float feeds into the integer rows of the compiled model's input tensors, from the public input layouts
 * alone (names, shapes, scales, bounds), so a model read from a key file quantizes as the compiled one does. Typed
 * errors for bad input; `prove` then checks that no intermediate value leaves a calibrated range.
 */
export function quantizeFeeds(model: Pick<CompiledModel, 'inputs'>, feeds: Readonly<Record<string, Tensor>>): Record<string, bigint[][]> {
  const flat = quantizeInputs(
    { inputs: model.inputs.map((l, tensor) => ({ name: l.name, tensor })), tensors: model.inputs.map((l) => ({ shape: l.shape, scale: l.scale, bound: { lo: l.bound[0], hi: l.bound[1] } })) },
    feeds,
  );
  const out: Record<string, bigint[][]> = {};
  model.inputs.forEach((l, i) => {
    const grid = l.grid;
    if (grid) {
      // One row, zero but where the grid places a cell.
      const row = new Array<bigint>(l.rowLength).fill(0n);
      flat[i].forEach((v, f) => (row[gridIndex(grid, f)] = v));
      out[l.id] = [row];
      return;
    }
    out[l.id] = Array.from({ length: l.rows }, (_, r) => flat[i].slice(r * l.rowLength, (r + 1) * l.rowLength));
  });
  return out;
}

/** The float values of integer output rows: q·2^(−scale). */
export function dequantizeRows(l: PublicTensorLayout, rows: readonly (readonly bigint[])[]): number[] {
  return rows.flat().map((q) => Number(q) * 2 ** -l.scale);
}
