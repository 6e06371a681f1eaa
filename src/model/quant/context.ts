/**
 * What every op quantizer receives: the emitter, the graph, calibration, options, and helpers that map graph
 * values and constants to quantized tensors.
 * @module
 */
import { QuantizationError, UnsupportedOpError } from '../errors';
import type { Graph, GraphNode } from '../graph';
import type { Shape } from '../shape';
import type { Tensor } from '../tensor';
import type { Calibration } from './calibrate';
import type { Emitter } from './emitter';
import type { Interval, TensorId } from './qmodel';
import { quantizeReal, scaleForRange } from './rounding';

/** Quantization parameters (all optional; defaults in {@link DEFAULT_QUANT_OPTIONS}). */
export interface QuantOptions {
  /** Activations are scaled so that calibrated magnitudes × margin fit in this many signed bits. */
  readonly activationBits?: number;
  /** Weights are scaled so that their largest magnitude fits in this many signed bits. */
  readonly weightBits?: number;
  /** Lookup tables have at most 2^tableBits entries. */
  readonly tableBits?: number;
  /** Calibrated ranges are widened by this factor to accept inputs a little beyond the samples. */
  readonly margin?: number;
  /** Compilation fails if any intermediate integer could exceed 2^maxBoundBits in magnitude. */
  readonly maxBoundBits?: number;
}

/** Defaults: 16-bit activations, weights and tables, margin 2, bound 2^200 (the field holds ±2^252). */
export const DEFAULT_QUANT_OPTIONS: Required<QuantOptions> = { activationBits: 16, weightBits: 16, tableBits: 16, margin: 2, maxBoundBits: 200 };

/** Largest scale exponent ever chosen from a range, so a constant-zero value does not get an absurd scale. */
export const MAX_SCALE = 24;

/** The state shared by the op quantizers. */
export class QuantContext {
  /** Graph value name → tensor holding it. */
  readonly values = new Map<string, TensorId>();

  constructor(
    readonly e: Emitter,
    readonly graph: Graph,
    readonly cal: Calibration,
    readonly opts: Required<QuantOptions>,
  ) {}

  /** The tensor of a run-time graph value. */
  value(name: string): TensorId {
    const id = this.values.get(name);
    if (id === undefined) throw new Error(`internal: value "${name}" has no quantized tensor`);
    return id;
  }

  isConst(name: string): boolean {
    return this.graph.constants.has(name);
  }

  constant(name: string): Tensor {
    const t = this.graph.constants.get(name);
    if (!t) throw new Error(`internal: "${name}" is not a constant`);
    return t;
  }

  shape(name: string): Shape {
    return this.graph.shapes.get(name) ?? [];
  }

  /**
   * The real range calibration observed for a graph value (or, with `key`, for an internal quantity of the
   * node). A table built on a range calibration never saw would hold one entry and refuse every input at prove
   * time, so a missing range is an error naming the value and the node.
   */
  calibrated(node: GraphNode, name: string, key?: string): { readonly min: number; readonly max: number } {
    const r = key === undefined ? this.cal.ranges.get(name) : this.cal.internal.get(node.name)?.get(key);
    if (!r) throw new QuantizationError(`node "${node.name}": calibration has no range for ${key === undefined ? `"${name}"` : `its ${key}`}; calibrate on inputs that reach this node`, name);
    return r;
  }

  /** Scale chosen for a graph value from its calibrated range: margin·max|x| fits in activationBits signed bits. */
  targetScale(name: string): number {
    const r = this.cal.ranges.get(name);
    const maxAbs = r ? Math.max(Math.abs(r.min), Math.abs(r.max)) : 0;
    return scaleForRange(this.opts.margin * maxAbs, this.opts.activationBits, MAX_SCALE);
  }

  /**
   * The range every requantized activation is proven to lie in: `activationBits` signed bits,
   * `[−2^(A−1), 2^(A−1) − 1]`. {@link targetScale} puts margin × the calibrated magnitude inside it, so
   * calibration chooses the real interval this stands for; the proof range-checks it at the rescale.
   */
  activationRange(): Interval {
    const half = 1n << BigInt(this.opts.activationBits - 1);
    return { lo: -half, hi: half - 1n };
  }

  /**
   * Requantizes a node's result to the output's target scale, proving it inside {@link activationRange}: the
   * bound analysis restarts from that range instead of compounding the worst case through the network. Every op
   * quantizer ends with this (or with a lookup, whose table bounds its output).
   */
  requantize(node: GraphNode, id: TensorId, target = this.targetScale(node.output)): TensorId {
    return this.e.rescaleTo(node.name, id, target, this.activationRange());
  }

  /** Scale for a constant's values: its largest magnitude fits in weightBits signed bits. */
  weightScale(values: ArrayLike<number>): number {
    let m = 0;
    for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]));
    return scaleForRange(m, this.opts.weightBits, MAX_SCALE + 6);
  }

  /**
   * Quantizes float constant values at `scale` into a tensor: `public` when it is a single number (a model
   * constant such as an attention scale), `weight` (committed) otherwise.
   */
  quantConst(name: string, shape: Shape, values: ArrayLike<number>, scale: number): TensorId {
    for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) throw new QuantizationError(`constant "${name}" holds the non-finite value ${values[i]}`, name);
    const data = Array.from(values, (v) => quantizeReal(v, scale));
    return this.e.constant(name, shape, scale, data.length <= 1 ? 'public' : 'weight', data);
  }

  /** Rejects a node variant the quantizer does not handle. */
  unsupported(node: GraphNode, reason: string): never {
    throw new UnsupportedOpError(node.name, node.opType, reason);
  }
}
