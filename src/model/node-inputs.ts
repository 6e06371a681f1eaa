/**
 * Reading a node's inputs while resolving it: parameter inputs that must be constants, data inputs that must be
 * present, and the typed errors that name the node.
 * @module
 */
import type { ElemType, OnnxNode } from '../onnx/types';
import { ShapeError, UnsupportedOpError } from './errors';
import type { Shape } from './shape';
import type { Tensor } from './tensor';

/** What resolving a node needs to know about the graph built so far. */
export interface ResolveContext {
  /** Opset version of the default domain. */
  readonly opset: number;
  /** Shape of a value defined earlier (throws if unknown). */
  shape(name: string): Shape;
  /** The value of a constant (initializer or folded), or undefined for a runtime value. */
  constant(name: string): Tensor | undefined;
  /** Element type of a value defined earlier, when known (CastLike casts to its second input's type). */
  elemType?(name: string): ElemType | undefined;
}

/** Throws {@link UnsupportedOpError} naming the node, its op and the reason. */
export function unsupported(node: OnnxNode, reason: string): never {
  throw new UnsupportedOpError(node.name, node.opType, reason);
}

/**
 * The most cells an op whose output size comes from a constant parameter (Resize's scales or sizes, OneHot's depth)
 * may produce: a few bytes of ONNX must not make the compiler allocate gigabytes.
 */
export const MAX_GENERATED_CELLS = 1 << 20;

/** Refuses, naming the node, an output of `cells` cells beyond {@link MAX_GENERATED_CELLS}; call before allocating. */
export function checkGeneratedCells(node: OnnxNode, cells: number, what: string): void {
  if (!(cells <= MAX_GENERATED_CELLS)) unsupported(node, `${what} gives ${cells} output cells, more than the ${MAX_GENERATED_CELLS} an op may generate`);
}

/** Reads the constant integer list held by optional input `index`, or undefined when the input is omitted. */
export function constInts(node: OnnxNode, ctx: ResolveContext, index: number, what: string): number[] | undefined {
  const name = node.inputs[index];
  if (name === undefined || name === '') return undefined;
  const t = ctx.constant(name);
  if (t === undefined) unsupported(node, `${what} (input "${name}") must be a constant; computed ${what} are not supported`);
  return [...t.data];
}

/** Reads the constant scalar held by optional input `index`. */
export function constScalar(node: OnnxNode, ctx: ResolveContext, index: number, what: string): number | undefined {
  const v = constInts(node, ctx, index, what);
  if (v === undefined) return undefined;
  if (v.length !== 1) unsupported(node, `${what} must be a scalar`);
  return v[0];
}

/** The one data input name of a node, checked to be present. */
export function dataInput(node: OnnxNode, index = 0): string {
  const name = node.inputs[index];
  if (name === undefined || name === '') throw new ShapeError(`node "${node.name}" (${node.opType}) is missing input #${index}`);
  return name;
}

