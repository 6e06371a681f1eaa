/**
 * The graph IR: a topologically ordered list of typed nodes over named values, every value with a static
 * shape, constants (initializers and folded sub-graphs) held as float64 tensors; and the naming of values a
 * graph pass introduces.
 * @module
 */
import type { ElemType } from '../onnx/types';
import type { Op } from './op';
import type { Shape } from './shape';
import type { Tensor } from './tensor';

/** A node of the graph IR. `opType` is the ONNX op it came from (Flatten and Squeeze become Reshape ops). */
export interface GraphNode {
  readonly name: string;
  readonly opType: string;
  readonly op: Op;
  /** Values read at run time (constants included, parameter inputs folded into `op` excluded). */
  readonly inputs: readonly string[];
  readonly output: string;
}

/** A graph input. */
export interface GraphInput {
  readonly name: string;
  readonly shape: Shape;
  readonly elemType: ElemType;
}

/** The graph IR of a model. */
export interface Graph {
  readonly name: string;
  /** Opset version of the default ONNX domain. */
  readonly opset: number;
  readonly inputs: readonly GraphInput[];
  readonly outputs: readonly string[];
  /** Initializers and values computed from constants only. */
  readonly constants: ReadonlyMap<string, Tensor>;
  /** Nodes in execution order; only nodes that contribute to an output. */
  readonly nodes: readonly GraphNode[];
  /** Static shape of every value (inputs, constants, node outputs). */
  readonly shapes: ReadonlyMap<string, Shape>;
  /** Choices made for the user that may not be what they want (a symbolic dimension set to 1), for reports. */
  readonly warnings: readonly string[];
}

/**
 * `base` if no value of the graph (a key of `shapes`) has that name, else `base#k` for the least k ≥ 1 that none
 * has: the name a graph pass gives a value it introduces.
 */
export function freshValueName(shapes: ReadonlyMap<string, Shape>, base: string): string {
  let name = base;
  for (let k = 1; shapes.has(name); k++) name = `${base}#${k}`;
  return name;
}
