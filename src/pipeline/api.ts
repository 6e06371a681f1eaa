/**
 * A small facade over the pipeline for files and the command line: calibration kept apart from compilation
 * (so a compiled-model file can store the calibration and recompile exactly), and SRS sources that can be
 * written down and reopened (a development seed, or a `.ptau` file).
 * @module
 */
import { parseOnnx } from '../onnx/index';
import { buildGraph, type BuildOptions } from '../model/build';
import { calibrate, type Calibration } from '../model/quant/calibrate';
import type { QuantModel, TensorId } from '../model/quant/qmodel';
import { quantize } from '../model/quant/quantize';
import type { Tensor } from '../model/tensor';
import type { Engine } from '../engine/engine';
import { SrsError } from '../errors';
import { createInsecureDevSrs } from '../srs/dev';
import { readPtauFile } from '../srs/ptau';
import type { Srs } from '../srs/srs';
import { validateBlockGraph } from './block-graph';
import type { CompileOptions, CompiledWithQuant } from './compile';
import type { PublicTensorLayout } from './compiled-model';
import { lowerQuantModel, type LoweredModel } from './lower';

/** Runs the float model on `samples` and records the value ranges the quantizer chooses scales from. */
export function calibrateOnnx(onnx: Uint8Array, samples: readonly Readonly<Record<string, Tensor>>[], options: BuildOptions = {}): Calibration {
  return calibrate(buildGraph(parseOnnx(onnx), options), samples);
}

function layout(q: QuantModel, lowered: LoweredModel, tid: TensorId, name: string): PublicTensorLayout {
  const t = q.tensors[tid];
  const { rows, length } = lowered.layouts.get(tid)!;
  return { id: lowered.tensorIds.get(tid)!, name, shape: t.shape, scale: t.scale, bound: [t.bound.lo, t.bound.hi], rows, rowLength: length };
}

/**
 * `compile` from a stored calibration instead of samples: the same steps as `compile` (parse, quantize,
 * lower, check the block graph) so that equal ONNX bytes, calibration and options give the same block graph.
 * `compile(onnx, samples, o)` equals `compileCalibrated(onnx, calibrateOnnx(onnx, samples, o), o)` (tested:
 * test/pipeline/artifacts.test.ts). This mirrors `compile` step by step until compile.ts exposes the
 * calibrated entry point itself.
 */
export function compileCalibrated(onnx: Uint8Array, calibration: Calibration, options: CompileOptions = {}): CompiledWithQuant {
  const model = parseOnnx(onnx);
  const graph = buildGraph(model, options);
  const quant = quantize(graph, calibration, options.quantization);
  const lowered = lowerQuantModel(quant);
  validateBlockGraph(lowered.graph);
  return {
    name: options.name ?? (model.graphName || 'model'),
    graph: lowered.graph,
    inputs: quant.inputs.map((i) => layout(quant, lowered, i.tensor, i.name)),
    outputs: quant.outputs.map((o) => layout(quant, lowered, o.tensor, o.name)),
    weights: lowered.weights,
    srsG1Powers: 2 * lowered.maxDomain,
    layers: lowered.layers,
    quant,
  };
}

/** Where an SRS comes from, in a form a key file can record and reopen. */
export type SrsSource =
  /** The INSECURE development SRS of this seed, with exactly the powers a model needs. */
  | { readonly kind: 'dev'; readonly seed: string }
  /** A snarkjs `.ptau` ceremony file (read and validated up to the powers a model needs). */
  | { readonly kind: 'ptau'; readonly path: string };

/** The default development seed. */
export const DEV_SEED = 'blockfold';

/**
 * Opens the SRS of `source` with the powers a model needs: `g1Powers` in G1 and `[1]₂, [τ]₂`. A dev SRS of
 * any size has the same points (τ depends on the seed only), so the size never changes a key's digest.
 */
export async function openSrs(source: SrsSource, g1Powers: number, engine?: Engine): Promise<Srs> {
  if (source.kind === 'dev') {
    const power = Math.max(1, Math.ceil(Math.log2(g1Powers)));
    return createInsecureDevSrs(power, { seed: source.seed, g1Powers, g2Powers: 2, engine });
  }
  const srs = await readPtauFile(source.path, { maxG1: g1Powers, maxG2: 2, engine });
  if (srs.g1Count < g1Powers) throw new SrsError(`${source.path} holds ${srs.g1Count} G1 powers, the model needs ${g1Powers}`);
  return srs;
}
