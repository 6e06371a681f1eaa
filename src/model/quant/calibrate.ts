/**
 * Calibration: run the float reference interpreter on sample inputs and record, for every graph value, the
 * range it takes, plus the internal quantities of compound ops that the quantizer sizes tables by.
 * @module
 */
import { QuantizationError } from '../errors';
import { axisLayout, rowMoments } from '../float/normalize';
import { reduceLayoutMap } from '../index-map';
import { runFloat } from '../float/run';
import type { Graph, GraphNode } from '../graph';
import type { Tensor } from '../tensor';

/** Observed [min, max] of a value over all samples and elements. */
export interface Range {
  readonly min: number;
  readonly max: number;
}

/** What calibration observed. */
export interface Calibration {
  /** Range of every graph value (inputs and node outputs). */
  readonly ranges: ReadonlyMap<string, Range>;
  /**
   * Per node, ranges of internal quantities: Softmax `shifted` (x − row max); LayerNormalization and
   * MeanVarianceNormalization `variance` (the biased variance of each normalized row).
   */
  readonly internal: ReadonlyMap<string, ReadonlyMap<string, Range>>;
  readonly samples: number;
}

function widen(map: Map<string, Range>, key: string, lo: number, hi: number): void {
  const r = map.get(key);
  map.set(key, r ? { min: Math.min(r.min, lo), max: Math.max(r.max, hi) } : { min: lo, max: hi });
}

function extent(data: Float64Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of data) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** Internal quantities of a node that the quantizer needs beyond its inputs' and output's ranges. */
function observeInternal(node: GraphNode, inputs: readonly Tensor[], record: (key: string, lo: number, hi: number) => void): void {
  const x = inputs[0];
  if (node.op.type === 'Softmax') {
    const [outer, len, inner] = axisLayout(x.shape, node.op.axis, node.op.coerce2d);
    for (let o = 0; o < outer; o++)
      for (let j = 0; j < inner; j++) {
        let mx = -Infinity;
        let mn = Infinity;
        for (let i = 0; i < len; i++) {
          const v = x.data[(o * len + i) * inner + j];
          mx = Math.max(mx, v);
          mn = Math.min(mn, v);
        }
        record('shifted', mn - mx, 0);
      }
  } else if (node.op.type === 'MeanVarianceNormalization') {
    const { map, outer, inner } = reduceLayoutMap(x.shape, node.op.axes);
    for (let r = 0; r < outer; r++) {
      const { variance } = rowMoments(x.data, map, r, inner);
      record('variance', variance, variance);
    }
  } else if (node.op.type === 'LayerNormalization') {
    const len = x.shape.slice(node.op.axis).reduce((a, b) => a * b, 1) / (node.op.groups ?? 1);
    for (let r = 0; r < x.data.length / len; r++) {
      let mean = 0;
      for (let i = 0; i < len; i++) mean += x.data[r * len + i];
      mean /= len;
      let v = 0;
      for (let i = 0; i < len; i++) v += (x.data[r * len + i] - mean) ** 2;
      record('variance', v / len, v / len);
    }
  }
}

/**
 * Runs the graph on every sample and records ranges. Throws {@link QuantizationError} without samples.
 */
export function calibrate(graph: Graph, samples: readonly Readonly<Record<string, Tensor>>[]): Calibration {
  if (samples.length === 0) throw new QuantizationError('calibration needs at least one sample input');
  const ranges = new Map<string, Range>();
  const internal = new Map<string, Map<string, Range>>();
  for (const feeds of samples) {
    const values = runFloat(graph, feeds, (node, _out, inputs) => {
      let m = internal.get(node.name);
      observeInternal(node, inputs, (key, lo, hi) => {
        if (!m) internal.set(node.name, (m = new Map()));
        widen(m, key, lo, hi);
      });
    });
    for (const name of [...graph.inputs.map((i) => i.name), ...graph.nodes.map((n) => n.output)]) {
      const data = (values.get(name) as Tensor).data;
      if (data.length === 0) continue;
      const [lo, hi] = extent(data);
      widen(ranges, name, lo, hi);
    }
  }
  return { ranges, internal, samples: samples.length };
}
