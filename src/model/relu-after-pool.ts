/**
 * Moves a ReLU that feeds a max pool to after the pool: `MaxPool(Relu(x)) = Relu(MaxPool(x))`.
 *
 * Why it is exact: for a nonempty set S of cells, `max_{s∈S} max(x_s, 0) = max(max_{s∈S} x_s, 0)` (both are the
 * maximum of {x_s : s ∈ S} ∪ {0}). A pool's window is such a set once it holds one real cell:
 * - in floats a padding cell (or a cell past the input's end in ceil mode) holds −∞ and never wins, so a window of
 *   padding alone gives −∞ where the moved ReLU would give 0; the pass checks that every window meets the input
 *   ({@link everyWindowMeetsInput}) and leaves the pair alone otherwise;
 * - in the quantized model a ReLU is `max(q, 0)` at its input's scale and a max pool fills its padding with its input's
 *   lower bound, which is at most every real cell of the window, so it never wins either: both orders compute
 *   the same integers, and the pool's output after the ReLU has the bounds the ReLU's output before it had.
 * A global max pool and a ReduceMax take the maximum over whole axes, which hold a cell when the input does.
 *
 * Why it pays: the ReLU then acts on the pool's output, a window's size times fewer cells (a quarter after a 2×2
 * pool), so the proof commits and range-checks fewer cells. The moved ReLU writes the pool's old output value, so
 * consumers, graph outputs and calibration by value name keep working; the pool writes a fresh value
 * (`<pool output>#before-relu`), and the ReLU's old output value disappears from the graph.
 * @module
 */
import { freshValueName, type Graph, type GraphNode } from './graph';
import type { Op, WindowND } from './op';
import type { Shape } from './shape';
import { lift4 } from './window';

/** The ops whose output commutes with a ReLU in front of them: maxima over windows or axes. */
type MaxOp = Extract<Op, { type: 'MaxPool' | 'GlobalMaxPool' | 'Pool3D' }> | (Extract<Op, { axes: readonly number[] }> & { type: 'ReduceMax' });

/**
 * Returns `graph` with every ReLU whose output is read by exactly one node, a max (MaxPool over 1-D, 2-D or 3-D
 * windows, GlobalMaxPool or ReduceMax) reading it as its data, and is not a graph output, moved after that max:
 * the max reads the ReLU's input x and writes a fresh value p', the ReLU reads p' and writes the max's old output
 * p, so `p = Relu(Max(x)) = Max(Relu(x))`. A pair is left alone when some window of the max holds no cell of x
 * (padding only: −∞ in floats, see the module comment) or x is empty. A moved ReLU that again feeds a max alone
 * moves again, so a ReLU before two stacked pools ends after both.
 */
export function moveReluAfterPools(graph: Graph): Graph {
  for (let g = graph; ; ) {
    const next = moveOnce(g);
    if (next === g) return g;
    g = next;
  }
}

/** `graph` with the first movable ReLU moved after its max (see {@link moveReluAfterPools}), or `graph` itself. */
function moveOnce(graph: Graph): Graph {
  const uses = new Map<string, number>();
  for (const n of graph.nodes) for (const i of n.inputs) uses.set(i, (uses.get(i) ?? 0) + 1);
  const producer = new Map(graph.nodes.map((n) => [n.output, n]));
  for (const pool of graph.nodes) {
    const r = pool.inputs[0];
    const relu = producer.get(r);
    if (relu?.op.type !== 'Relu' || !isMax(pool.op) || uses.get(r) !== 1 || graph.outputs.includes(r)) continue;
    const x = relu.inputs[0];
    const xShape = graph.shapes.get(x) as Shape;
    const pShape = graph.shapes.get(pool.output) as Shape;
    if (!everyWindowMeetsInput(pool.op, xShape, pShape)) continue;
    const pooled = freshValueName(graph.shapes, `${pool.output}#before-relu`);
    const moved: GraphNode[] = [
      { ...pool, inputs: [x, ...pool.inputs.slice(1)], output: pooled },
      { ...relu, inputs: [pooled], output: pool.output },
    ];
    const shapes = new Map(graph.shapes);
    shapes.delete(r);
    shapes.set(pooled, pShape);
    const nodes = graph.nodes.flatMap((n) => (n === relu ? [] : n === pool ? moved : [n]));
    return { ...graph, shapes, nodes };
  }
  return graph;
}

/** Whether `op` is a maximum over windows or axes of its first input (a max pool, not an average one). */
function isMax(op: Op): op is MaxOp {
  return op.type === 'MaxPool' || op.type === 'GlobalMaxPool' || op.type === 'ReduceMax' || (op.type === 'Pool3D' && op.kind === 'max');
}

/**
 * Whether every output cell of the max takes its maximum over at least one cell of x (shape `x`, output shape
 * `out`). A window is a product of one range per spatial axis, so it meets x exactly when on every axis one of
 * its taps `o·stride − padBegin + k·dilation` (k < kernel) lies in [0, n) for the axis' length n and every output
 * index o. Global maxima and ReduceMax meet x when x holds a cell.
 */
function everyWindowMeetsInput(op: MaxOp, x: Shape, out: Shape): boolean {
  if (x.some((d) => d === 0)) return false;
  if (op.type === 'GlobalMaxPool' || op.type === 'ReduceMax') return true;
  // A 2-D window's pads [top, left, bottom, right] are begins then ends, as a WindowND's.
  const w: WindowND = op.type === 'Pool3D' ? op.window : op;
  const [xs, os] = op.type === 'Pool3D' ? [x, out] : [lift4(x, op), lift4(out, op)];
  return w.kernel.every((k, a) => {
    const n = xs[2 + a];
    for (let o = 0; o < os[2 + a]; o++) {
      const start = o * w.strides[a] - w.pads[a];
      let meets = false;
      for (let t = 0; t < k && !meets; t++) meets = start + t * w.dilations[a] >= 0 && start + t * w.dilations[a] < n;
      if (!meets) return false;
    }
    return true;
  });
}
