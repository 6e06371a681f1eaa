/**
 * `runFloat`: the float64 reference interpreter over a {@link Graph}.
 * @module
 */
import type { Graph } from '../graph';
import { InputError } from '../errors';
import { fmtShape, sameShape } from '../shape';
import type { Tensor } from '../tensor';
import { evalOp } from './eval';

/** Checks that `feeds` holds a finite tensor of the declared shape for every graph input. */
export function checkFeeds(graph: Graph, feeds: Readonly<Record<string, Tensor>>): void {
  for (const input of graph.inputs) {
    const t = feeds[input.name];
    if (t === undefined) throw new InputError(input.name, 'no value given');
    if (!sameShape(t.shape, input.shape)) throw new InputError(input.name, `shape ${fmtShape(t.shape)} does not match the model's ${fmtShape(input.shape)}`);
    if (t.data.length !== t.shape.reduce((a, b) => a * b, 1)) throw new InputError(input.name, `holds ${t.data.length} values for shape ${fmtShape(t.shape)}`);
    for (const v of t.data) if (!Number.isFinite(v)) throw new InputError(input.name, `contains the non-finite value ${v}`);
  }
}

/**
 * Runs the graph in float64 and returns every value (inputs, constants and node outputs) by name.
 * @param observe called after each node with its output, e.g. to record calibration ranges.
 */
export function runFloat(graph: Graph, feeds: Readonly<Record<string, Tensor>>, observe?: (node: Graph['nodes'][number], out: Tensor, inputs: readonly Tensor[]) => void): Map<string, Tensor> {
  checkFeeds(graph, feeds);
  const values = new Map<string, Tensor>(graph.constants);
  for (const input of graph.inputs) values.set(input.name, feeds[input.name]);
  for (const node of graph.nodes) {
    const inputs = node.inputs.map((n) => values.get(n) as Tensor);
    const out = evalOp(node.op, inputs, graph.shapes.get(node.output) ?? [], node.name);
    values.set(node.output, out);
    observe?.(node, out, inputs);
  }
  return values;
}
