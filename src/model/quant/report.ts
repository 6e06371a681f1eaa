/**
 * Per-layer comparison of the quantized model with the float reference: how far each graph value's
 * dequantized integers are from its float values.
 * @module
 */
import { runFloat } from '../float/run';
import type { Graph } from '../graph';
import type { Tensor } from '../tensor';
import { dequantizeTensor, runQuantized } from './interpret';
import type { QuantModel } from './qmodel';

/** Error of one graph value over a set of inputs. */
export interface LayerError {
  readonly value: string;
  readonly node: string;
  readonly opType: string;
  readonly scale: number;
  /** Largest |dequantized − float| over all elements and inputs. */
  readonly maxAbsError: number;
  /** Largest |float| over all elements and inputs, to read the error against. */
  readonly maxAbsFloat: number;
}

/** Compares every node output of `graph` with its quantized counterpart on each feed. */
export function layerErrors(graph: Graph, model: QuantModel, feeds: readonly Readonly<Record<string, Tensor>>[]): LayerError[] {
  const rows = graph.nodes.map((n) => ({ value: n.output, node: n.name, opType: n.opType, scale: model.tensors[model.values.get(n.output) ?? 0].scale, maxAbsError: 0, maxAbsFloat: 0 }));
  for (const f of feeds) {
    const floats = runFloat(graph, f);
    const witness = runQuantized(model, f);
    for (const row of rows) {
      const id = model.values.get(row.value);
      const fl = floats.get(row.value);
      if (id === undefined || !fl) continue;
      const q = dequantizeTensor(model, witness, id);
      for (let i = 0; i < fl.data.length; i++) {
        row.maxAbsError = Math.max(row.maxAbsError, Math.abs(q.data[i] - fl.data[i]));
        row.maxAbsFloat = Math.max(row.maxAbsFloat, Math.abs(fl.data[i]));
      }
    }
  }
  return rows;
}

/** Formats {@link layerErrors} as an aligned text table. */
export function formatLayerErrors(rows: readonly LayerError[]): string {
  const lines = rows.map((r) => `${r.opType.padEnd(20)} ${r.value.padEnd(36)} 2^-${String(r.scale).padEnd(3)} max|err| ${r.maxAbsError.toExponential(2)}  max|x| ${r.maxAbsFloat.toExponential(2)}`);
  return lines.join('\n');
}
