/**
 * Typed access to a node's ONNX attributes, with errors that name the node.
 * @module
 */
import type { OnnxAttribute, OnnxNode } from '../onnx/types';
import { UnsupportedOpError } from './errors';

function get(node: OnnxNode, name: string, kind: OnnxAttribute['kind']): OnnxAttribute | undefined {
  const a = node.attributes.get(name);
  if (a === undefined) return undefined;
  if (a.kind !== kind) throw new UnsupportedOpError(node.name, node.opType, `attribute "${name}" should be ${kind}, found ${a.kind}`);
  return a;
}

/** Integer attribute `name`, or `fallback` when absent. */
export function attrInt(node: OnnxNode, name: string, fallback: number): number {
  const a = get(node, name, 'int');
  return a?.kind === 'int' ? a.value : fallback;
}

/** Float attribute `name`, or `fallback` when absent. */
export function attrFloat(node: OnnxNode, name: string, fallback: number): number {
  const a = get(node, name, 'float');
  return a?.kind === 'float' ? a.value : fallback;
}

/** String attribute `name`, or `fallback` when absent. */
export function attrString(node: OnnxNode, name: string, fallback: string): string {
  const a = get(node, name, 'string');
  return a?.kind === 'string' ? a.value : fallback;
}

/** Integer-list attribute `name`, or undefined when absent. */
export function attrInts(node: OnnxNode, name: string): readonly number[] | undefined {
  const a = get(node, name, 'ints');
  return a?.kind === 'ints' ? a.value : undefined;
}

/** Float-list attribute `name`, or undefined when absent. */
export function attrFloats(node: OnnxNode, name: string): readonly number[] | undefined {
  const a = get(node, name, 'floats');
  return a?.kind === 'floats' ? a.value : undefined;
}
