/**
 * Compile-time folding of the shape-computing sub-graphs that exporters emit around reshapes and broadcasts
 * (`Shape → Gather → Unsqueeze → Concat → Reshape`, `ConstantOfShape`, `Range`, `Cast` of constants): once every
 * input shape is concrete, their values are known before any input is seen, so they become constants and the
 * ops that read them see constant parameters (the graph builder folds any other op whose inputs are all
 * constants, such as Gather, Concat, Unsqueeze or Expand on shapes). Nothing here computes on run-time values: a
 * node is folded only when its result depends on shapes and constants alone.
 * @module
 */
import { elemTypeOf } from '../onnx/tensor';
import type { ElemType, OnnxNode } from '../onnx/types';
import { attrInt } from './attributes';
import { ShapeError, UnsupportedOpError } from './errors';
import { sizeOf, type Shape } from './shape';
import { tensor, type Tensor } from './tensor';

/** What folding a node needs to know about the graph built so far. */
export interface FoldContext {
  /** Shape of a value defined earlier, or undefined. */
  shape(name: string): Shape | undefined;
  /** The value of a constant (initializer or folded), or undefined for a run-time value. */
  constant(name: string): Tensor | undefined;
  /** Element type of a value defined earlier. */
  type(name: string): ElemType;
}

/** A folded node's value and element type. */
export interface FoldedValue {
  readonly value: Tensor;
  readonly elemType: ElemType;
}

const INTEGER_TYPES = new Set<ElemType>(['int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64']);

/** The op types {@link foldShapeNode} can fold (given concrete shapes and constant operands). */
export const SHAPE_OPS: ReadonlySet<string> = new Set(['Shape', 'Size', 'ConstantOfShape', 'Cast', 'Range']);

function input(node: OnnxNode, i: number): string | undefined {
  const n = node.inputs[i];
  return n === undefined || n === '' ? undefined : n;
}

/** Converts a value to an element type the way ONNX Cast does: integers truncate toward zero, bool is `≠ 0`. */
function castValue(v: number, to: ElemType): number {
  if (to === 'bool') return v !== 0 ? 1 : 0;
  if (INTEGER_TYPES.has(to)) return Math.trunc(v);
  return v;
}

/**
 * The value of `node` when it can be computed at compile time, else undefined (the node is then resolved as a
 * run-time op). Shape and Size need only their input's shape; the others need constant inputs.
 * Throws {@link UnsupportedOpError} or {@link ShapeError} for a malformed node.
 */
export function foldShapeNode(node: OnnxNode, ctx: FoldContext, opset: number): FoldedValue | undefined {
  if (node.domain !== '' || !SHAPE_OPS.has(node.opType)) return undefined;
  const name0 = input(node, 0);
  if (name0 === undefined) throw new ShapeError(`node "${node.name}" (${node.opType}) is missing input #0`);
  switch (node.opType) {
    case 'Shape': {
      const s = ctx.shape(name0);
      if (s === undefined) return undefined;
      // start/end (opset 15) slice the shape, negative values counting from the end, clamped to the rank.
      const clamp = (v: number) => Math.min(s.length, Math.max(0, v < 0 ? v + s.length : v));
      const start = clamp(opset >= 15 ? attrInt(node, 'start', 0) : 0);
      const end = clamp(opset >= 15 ? attrInt(node, 'end', s.length) : s.length);
      const dims = s.slice(start, Math.max(start, end));
      return { value: tensor([dims.length], dims), elemType: 'int64' };
    }
    case 'Size': {
      const s = ctx.shape(name0);
      return s === undefined ? undefined : { value: tensor([], [sizeOf(s)]), elemType: 'int64' };
    }
    case 'ConstantOfShape': {
      const shape = ctx.constant(name0);
      if (!shape) return undefined;
      const a = node.attributes.get('value');
      if (a !== undefined && a.kind !== 'tensor') throw new UnsupportedOpError(node.name, node.opType, 'the value attribute must be a tensor');
      const fill = a?.kind === 'tensor' ? a.value : undefined;
      if (fill && fill.values.length !== 1) throw new UnsupportedOpError(node.name, node.opType, `the value attribute must hold one element, not ${fill.values.length}`);
      const dims = [...shape.data];
      if (dims.some((d) => !Number.isInteger(d) || d < 0)) throw new ShapeError(`node "${node.name}" (ConstantOfShape): shape [${dims.join(', ')}] is not a list of sizes`);
      return { value: tensor(dims, new Float64Array(sizeOf(dims)).fill(fill ? fill.values[0] : 0)), elemType: fill?.elemType ?? 'float32' };
    }
    case 'Cast': {
      const x = ctx.constant(name0);
      if (!x) return undefined;
      const to = elemTypeOf(attrInt(node, 'to', 0), `node "${node.name}" (Cast) target type`);
      return { value: tensor(x.shape, x.data.map((v) => castValue(v, to))), elemType: to };
    }
    case 'Range': {
      const parts = [0, 1, 2].map((i) => {
        const n = input(node, i);
        return n === undefined ? undefined : ctx.constant(n);
      });
      if (parts.some((p) => p === undefined)) return undefined;
      const [start, limit, delta] = parts.map((p) => {
        if (sizeOf(p!.shape) !== 1) throw new UnsupportedOpError(node.name, node.opType, 'start, limit and delta must be scalars');
        return p!.data[0];
      });
      if (delta === 0) throw new UnsupportedOpError(node.name, node.opType, 'delta is 0');
      const n = Math.max(0, Math.ceil((limit - start) / delta));
      return { value: tensor([n], Array.from({ length: n }, (_, i) => start + i * delta)), elemType: ctx.type(name0) };
    }
  }
  return undefined;
}
