/**
 * Per-layer comparison of the quantized model with the float reference: how far each graph value's
 * dequantized integers are from its float values, so a user sees where precision is lost before proving.
 * The statistics use mathjs, loaded on first use (it is never on the prover's path).
 * @module
 */
import { runFloat } from '../float/run';
import type { Graph } from '../graph';
import type { Tensor } from '../tensor';
import { dequantizeTensor, runQuantized } from './interpret';
import type { QuantModel } from './qmodel';

/** Error of one graph value over a set of inputs (every element of every input). */
export interface LayerError {
  readonly value: string;
  readonly node: string;
  readonly opType: string;
  /** Fixed-point exponent of the value's quantized tensor. */
  readonly scale: number;
  /** Largest |dequantized − float|. */
  readonly maxAbsError: number;
  /** Mean |dequantized − float|. */
  readonly meanAbsError: number;
  /**
   * Cosine similarity ⟨q, f⟩ / (‖q‖·‖f‖) of the dequantized and float values as one vector (1 is a perfect
   * match up to scale; 1 also when both are zero).
   */
  readonly cosine: number;
  /** Largest |float|, to read the error against. */
  readonly maxAbsFloat: number;
}

/**
 * Compares every node output of `graph` with its quantized counterpart over `feeds` (for example the calibration
 * inputs). Throws what `runQuantized` throws for an input the model cannot take.
 */
export async function layerErrors(graph: Graph, model: QuantModel, feeds: readonly Readonly<Record<string, Tensor>>[]): Promise<LayerError[]> {
  const m = await import('mathjs');
  const acc = graph.nodes
    .filter((n) => model.values.has(n.output))
    .map((n) => ({ value: n.output, node: n.name, opType: n.opType, scale: model.tensors[model.values.get(n.output)!].scale, maxAbs: 0, sumAbs: 0, count: 0, qf: 0, qq: 0, ff: 0, maxFloat: 0 }));
  for (const f of feeds) {
    const floats = runFloat(graph, f);
    const witness = runQuantized(model, f);
    for (const row of acc) {
      const fl = floats.get(row.value);
      if (!fl || fl.data.length === 0) continue;
      const fv = Array.from(fl.data);
      const qv = Array.from(dequantizeTensor(model, witness, model.values.get(row.value)!).data);
      const err = m.abs(m.subtract(qv, fv)) as number[];
      row.maxAbs = Math.max(row.maxAbs, m.max(err));
      row.sumAbs += m.sum(err);
      row.count += err.length;
      row.qf += m.dot(qv, fv);
      row.qq += m.dot(qv, qv);
      row.ff += m.dot(fv, fv);
      row.maxFloat = Math.max(row.maxFloat, m.max(m.abs(fv) as number[]));
    }
  }
  return acc.map((r) => ({
    value: r.value,
    node: r.node,
    opType: r.opType,
    scale: r.scale,
    maxAbsError: r.maxAbs,
    meanAbsError: r.count === 0 ? 0 : r.sumAbs / r.count,
    cosine: r.qq === 0 && r.ff === 0 ? 1 : r.qq === 0 || r.ff === 0 ? 0 : r.qf / Math.sqrt(r.qq * r.ff),
    maxAbsFloat: r.maxFloat,
  }));
}

/** Formats {@link layerErrors} as an aligned text table. */
export function formatLayerErrors(rows: readonly LayerError[]): string {
  const lines = rows.map(
    (r) =>
      `${r.opType.padEnd(20)} ${r.value.padEnd(36)} 2^-${String(r.scale).padEnd(3)} max|err| ${r.maxAbsError.toExponential(2)}  mean|err| ${r.meanAbsError.toExponential(2)}  cos ${r.cosine.toFixed(6)}  max|x| ${r.maxAbsFloat.toExponential(2)}`,
  );
  return lines.join('\n');
}
