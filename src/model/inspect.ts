/**
 * `inspectModel`: everything wrong with a model's ops at once, without throwing.
 * @module
 */
import type { OnnxModel } from '../onnx/types';
import { walkModel, type BuildOptions, type NodeProblem } from './build';

/** Result of {@link inspectModel}. */
export interface ModelInspection {
  /** Every node that could not be resolved: unsupported ops or variants, bad shapes. */
  readonly problems: readonly NodeProblem[];
  /** Number of nodes in the model file. */
  readonly nodeCount: number;
  /** Count of nodes per ONNX op type. */
  readonly opCounts: ReadonlyMap<string, number>;
  /** Choices made for the user (a symbolic input dimension set to 1). */
  readonly warnings: readonly string[];
}

/**
 * Lists all nodes that the model compiler cannot handle, with the node name, op type and a reason.
 * The walk goes on past a failing node with its outputs unknown, so a chain of unsupported nodes is listed
 * whole; a node that is unsupported only because of what it reads is not listed again. Errors that stop the
 * whole graph (an input without a declared shape, a missing value) still throw.
 */
export function inspectModel(model: OnnxModel, options: BuildOptions = {}): ModelInspection {
  const problems: NodeProblem[] = [];
  const { warnings } = walkModel(model, options, (p) => problems.push(p));
  const opCounts = new Map<string, number>();
  for (const n of model.nodes) opCounts.set(n.opType, (opCounts.get(n.opType) ?? 0) + 1);
  return { problems, nodeCount: model.nodes.length, opCounts, warnings };
}
