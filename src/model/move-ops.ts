/**
 * Data-movement ops whose parameters are constants (Pad, Tile, Expand, DepthToSpace, SpaceToDepth,
 * GatherElements, GatherND, ScatterElements and ScatterND with constant indices (an "add" reduction becomes a copy
 * into rows and their sums), Trilu, Resize and Upsample with
 * nearest sampling, Compress, ReverseSequence): each resolves to one public index map (a `Move` op), which both
 * interpreters apply and the quantizer hands to a permute.
 * @module
 */
import type { OnnxNode } from '../onnx/types';
import { attrFloat, attrFloats, attrInt, attrInts, attrString } from './attributes';
import { ShapeError } from './errors';
import { depthSpaceMap, gatherElementsMap, gatherMap, gatherNDMap, padMap, resampleMap, reverseSequenceMap, scatterAddRows, scatterElementsTargets, scatterNDTargets, scatterOverwriteMap, tileMap, triluMap, broadcastMap, type PadMode } from './index-map';
import { checkGeneratedCells, constInts, constScalar, dataInput, unsupported, type ResolveContext } from './node-inputs';
import type { Op } from './op';
import { isIdentityAxis, resampleAxis, RESAMPLE_TRANSFORMS, type CoordinateTransform } from './resample';
import { broadcastShapes, normalizeAxis, sizeOf, type Shape } from './shape';

/** The ONNX op types resolved here. */
export const MOVE_OPS: ReadonlySet<string> = new Set([
  'Pad', 'Tile', 'Expand', 'DepthToSpace', 'SpaceToDepth', 'GatherElements', 'GatherND', 'ScatterElements', 'Scatter', 'ScatterND', 'Trilu', 'Resize', 'Upsample',
  'Compress', 'ReverseSequence',
]);

type Move = Extract<Op, { type: 'Move' }>;

function move(shape: Shape, map: Int32Array, fill = 0, inputs?: readonly number[]): Move {
  return { type: 'Move', shape: [...shape], map, fill, ...(inputs ? { inputs } : {}) };
}

/** The constant tensor held by input `index`, which must be present. */
function constTensor(node: OnnxNode, ctx: ResolveContext, index: number, what: string): { shape: Shape; data: Float64Array } {
  const name = dataInput(node, index);
  const t = ctx.constant(name);
  if (t === undefined) unsupported(node, `${what} (input "${name}") must be a constant; computed ${what} are not supported`);
  return t;
}

/** Pad: `pads` (and the fill value) from attributes before opset 11, from constant inputs after; `axes` selects the padded axes. */
function resolvePad(node: OnnxNode, ctx: ResolveContext, x: Shape): Move {
  const mode = attrString(node, 'mode', 'constant');
  if (!['constant', 'edge', 'reflect', 'wrap'].includes(mode)) unsupported(node, `mode "${mode}" is not supported`);
  const r = x.length;
  const spec = ctx.opset < 11 ? attrInts(node, 'pads') : constInts(node, ctx, 1, 'pads');
  if (spec === undefined) throw new ShapeError(`node "${node.name}": Pad needs pads`);
  const axes = (ctx.opset < 11 ? undefined : constInts(node, ctx, 3, 'axes'))?.map((a) => normalizeAxis(a, r, `node "${node.name}"`)) ?? [...Array(r).keys()];
  if (spec.length !== 2 * axes.length) throw new ShapeError(`node "${node.name}": Pad needs ${2 * axes.length} pads, got ${spec.length}`);
  const pads = new Array<number>(2 * r).fill(0);
  axes.forEach((a, i) => {
    pads[a] = spec[i];
    pads[a + r] = spec[i + axes.length];
  });
  const out = x.map((d, i) => d + pads[i] + pads[i + r]);
  if (out.some((d) => d < 0)) throw new ShapeError(`node "${node.name}": pads [${spec}] crop more than the input [${x}]`);
  if (mode !== 'constant' && x.some((d, i) => d === 0 && (pads[i] > 0 || pads[i + r] > 0))) throw new ShapeError(`node "${node.name}": cannot ${mode}-pad an empty axis`);
  const value = ctx.opset < 11 ? attrFloat(node, 'value', 0) : (constScalar(node, ctx, 2, 'constant_value') ?? 0);
  return move(out, padMap(x, pads, mode as PadMode), value);
}

/** Source coordinates of nearest-neighbour resampling along one axis (ONNX Resize semantics). */
function nearestSources(input: number, output: number, scale: number, transform: string, rounding: string): number[] {
  return Array.from({ length: output }, (_, y) => {
    let x: number;
    if (transform === 'half_pixel') x = (y + 0.5) / scale - 0.5;
    else if (transform === 'pytorch_half_pixel') x = output > 1 ? (y + 0.5) / scale - 0.5 : 0;
    else if (transform === 'align_corners') x = output > 1 ? (y * (input - 1)) / (output - 1) : 0;
    else if (transform === 'tf_half_pixel_for_nn') x = (y + 0.5) / scale;
    else x = y / scale;
    let i: number;
    if (rounding === 'floor') i = Math.floor(x);
    else if (rounding === 'ceil') i = Math.ceil(x);
    else if (rounding === 'round_prefer_ceil') i = Math.floor(x + 0.5);
    else i = Math.ceil(x - 0.5);
    return Math.min(Math.max(i, 0), input - 1);
  });
}

/**
 * Resize and Upsample: per-axis scales or output sizes, then a coordinate transform and, for nearest sampling, a
 * rounding (a copy); linear and cubic sampling weigh the nearest 2 or 4 input cells (`resample.ts`).
 */
function resolveResize(node: OnnxNode, ctx: ResolveContext, x: Shape): Move | Extract<Op, { type: 'Resample' }> {
  const mode = attrString(node, 'mode', 'nearest');
  if (mode !== 'nearest' && mode !== 'linear' && mode !== 'cubic') unsupported(node, `mode "${mode}" is not supported`);
  if (attrInts(node, 'axes') !== undefined || attrString(node, 'keep_aspect_ratio_policy', 'stretch') !== 'stretch') unsupported(node, 'axes and keep_aspect_ratio_policy are not supported');
  if (attrInt(node, 'antialias', 0) !== 0) unsupported(node, 'antialias is not supported');
  const legacy = node.opType === 'Upsample' || ctx.opset < 11;
  const transform = legacy ? (mode === 'nearest' ? 'asymmetric' : attrString(node, 'coordinate_transformation_mode', 'asymmetric')) : attrString(node, 'coordinate_transformation_mode', 'half_pixel');
  if (mode === 'nearest' && transform === 'tf_crop_and_resize') unsupported(node, 'coordinate_transformation_mode "tf_crop_and_resize" is not supported with nearest sampling');
  if (mode !== 'nearest' && !RESAMPLE_TRANSFORMS.has(transform)) unsupported(node, `coordinate_transformation_mode "${transform}" is not supported with ${mode} sampling`);
  const rounding = legacy ? 'floor' : attrString(node, 'nearest_mode', 'round_prefer_floor');
  const scalesInput = node.opType === 'Upsample' ? (ctx.opset < 9 ? undefined : 1) : ctx.opset < 11 ? 1 : 2;
  const given = (i: number | undefined) => (i !== undefined && node.inputs[i] !== undefined && node.inputs[i] !== '' ? [...constTensor(node, ctx, i, i === 3 ? 'sizes' : i === 1 && scalesInput !== 1 ? 'roi' : 'scales').data] : undefined);
  const sizes = legacy ? undefined : given(3);
  const scales = sizes ? sizes.map((s, i) => s / x[i]) : (scalesInput === undefined ? attrFloats(node, 'scales') : given(scalesInput));
  if (scales === undefined || scales.length !== x.length) throw new ShapeError(`node "${node.name}": needs ${x.length} scales or sizes`);
  if (sizes?.some((s) => !Number.isInteger(s) || s < 1)) throw new ShapeError(`node "${node.name}": Resize sizes must be positive integers, got [${sizes.join(', ')}]`);
  if (scales.some((s) => !Number.isFinite(s) || s <= 0)) throw new ShapeError(`node "${node.name}": Resize scales must be finite and positive, got [${scales.join(', ')}]`);
  const out = sizes ?? x.map((d, i) => Math.floor(d * scales[i]));
  if (out.some((d) => d < 1)) throw new ShapeError(`node "${node.name}": Resize scales [${scales.join(', ')}] give an empty output [${out.join(', ')}]`);
  checkGeneratedCells(node, sizeOf(out), `Resize to [${out.join(', ')}]`);
  if (mode === 'nearest') return move(out, resampleMap(x, x.map((d, i) => nearestSources(d, out[i], scales[i], transform, rounding))));
  const roi = transform === 'tf_crop_and_resize' ? given(1) : undefined;
  if (transform === 'tf_crop_and_resize' && roi?.length !== 2 * x.length) throw new ShapeError(`node "${node.name}": tf_crop_and_resize needs a constant roi of ${2 * x.length} values`);
  const options = { mode, transform: transform as CoordinateTransform, cubicA: attrFloat(node, 'cubic_coeff_a', -0.75), excludeOutside: attrInt(node, 'exclude_outside', 0) !== 0 } as const;
  const axes = x
    .map((d, i) => resampleAxis(i, d, out[i], scales[i], roi ? { ...options, roi: [roi[i], roi[i + x.length]] } : options))
    .filter((a, i) => !isIdentityAxis(a, x[i]))
    .reverse();
  return { type: 'Resample', shape: out, axes, fill: attrFloat(node, 'extrapolation_value', 0) };
}

/** Resolves the data-movement op of `node` to its index map and output shape. */
export function resolveMove(node: OnnxNode, ctx: ResolveContext): Op {
  const x = ctx.shape(dataInput(node));
  const where = `node "${node.name}"`;
  switch (node.opType) {
    case 'Pad':
      return resolvePad(node, ctx, x);
    case 'Tile': {
      const repeats = constInts(node, ctx, 1, 'repeats');
      if (repeats === undefined || repeats.length !== x.length || repeats.some((r) => !Number.isInteger(r) || r < 0)) throw new ShapeError(`${where}: Tile needs ${x.length} non-negative repeats`);
      return move(x.map((d, i) => d * repeats[i]), tileMap(x, repeats));
    }
    case 'Expand': {
      const shape = constInts(node, ctx, 1, 'shape');
      if (shape === undefined) throw new ShapeError(`${where}: Expand needs a shape`);
      const out = broadcastShapes(x, shape, where);
      return move(out, broadcastMap(x, out));
    }
    case 'DepthToSpace':
    case 'SpaceToDepth': {
      const b = attrInt(node, 'blocksize', 0);
      const toSpace = node.opType === 'DepthToSpace';
      if (x.length !== 4 || b < 1 || (toSpace ? x[1] % (b * b) !== 0 : x[2] % b !== 0 || x[3] % b !== 0)) throw new ShapeError(`${where}: ${node.opType} with block size ${b} does not fit the input [${x}]`);
      const kind = toSpace ? (attrString(node, 'mode', 'DCR') === 'CRD' ? 'CRD' : 'DCR') : 'SpaceToDepth';
      const out = toSpace ? [x[0], x[1] / (b * b), x[2] * b, x[3] * b] : [x[0], x[1] * b * b, x[2] / b, x[3] / b];
      return move(out, depthSpaceMap(x, b, kind));
    }
    case 'GatherElements': {
      const axis = normalizeAxis(attrInt(node, 'axis', 0), x.length, where);
      const idx = constTensor(node, ctx, 1, 'indices');
      if (idx.shape.length !== x.length) throw new ShapeError(`${where}: GatherElements indices must have the input's rank`);
      return move(idx.shape, gatherElementsMap(x, axis, idx.data, idx.shape, node.name));
    }
    case 'GatherND': {
      const idx = constTensor(node, ctx, 1, 'indices');
      const { shape, map } = gatherNDMap(x, idx.data, idx.shape, attrInt(node, 'batch_dims', 0), node.name);
      return move(shape, map);
    }
    case 'Scatter':
    case 'ScatterElements':
    case 'ScatterND': {
      // Overwriting is a copy; "add" sums each cell with the updates landing on it; "mul" and others compute products.
      const reduction = attrString(node, 'reduction', 'none');
      if (reduction !== 'none' && reduction !== 'add') unsupported(node, `reduction "${reduction}" is not supported (only "none" and "add")`);
      const idx = constTensor(node, ctx, 1, 'indices');
      const updates = ctx.shape(dataInput(node, 2));
      let targets: Int32Array;
      if (node.opType === 'ScatterND') {
        const k = idx.shape[idx.shape.length - 1];
        const want = [...idx.shape.slice(0, -1), ...x.slice(k)];
        if (updates.length !== want.length || updates.some((d, i) => d !== want[i])) throw new ShapeError(`${where}: ScatterND updates [${updates}] must have shape [${want}]`);
        targets = scatterNDTargets(x, idx.data, idx.shape, node.name);
      } else {
        const axis = normalizeAxis(attrInt(node, 'axis', 0), x.length, where);
        if (idx.shape.length !== x.length || updates.length !== x.length || idx.shape.some((d, i) => d !== updates[i] || (i !== axis && d > x[i])))
          throw new ShapeError(`${where}: ${node.opType} indices [${idx.shape}] and updates [${updates}] must match and fit the data [${x}]`);
        targets = scatterElementsTargets(x, axis, idx.data, updates, node.name);
      }
      if (reduction === 'none') return move(x, scatterOverwriteMap(sizeOf(x), targets), 0, [0, 2]);
      const { map, k } = scatterAddRows(sizeOf(x), targets);
      return { type: 'ScatterAdd', shape: x, map, k };
    }
    case 'Trilu': {
      if (x.length < 2) throw new ShapeError(`${where}: Trilu needs rank ≥ 2`);
      return move(x, triluMap(x, attrInt(node, 'upper', 1) !== 0, constScalar(node, ctx, 1, 'k') ?? 0));
    }
    case 'Compress': {
      const cond = constTensor(node, ctx, 1, 'condition').data;
      const a = node.attributes.get('axis');
      const axis = a?.kind === 'int' ? normalizeAxis(a.value, x.length, where) : undefined;
      const view = axis === undefined ? [sizeOf(x)] : x;
      const ax = axis ?? 0;
      const kept = [...cond.slice(0, view[ax]).keys()].filter((i) => cond[i] !== 0);
      return move(view.map((d, i) => (i === ax ? kept.length : d)), gatherMap(view, ax, kept, [kept.length], node.name));
    }
    case 'ReverseSequence': {
      const lens = constTensor(node, ctx, 1, 'sequence_lens').data;
      const batch = normalizeAxis(attrInt(node, 'batch_axis', 1), x.length, where);
      const time = normalizeAxis(attrInt(node, 'time_axis', 0), x.length, where);
      if (lens.length !== x[batch] || lens.some((l) => l < 0 || l > x[time])) throw new ShapeError(`${where}: sequence_lens must give ${x[batch]} lengths within ${x[time]}`);
      return move(x, reverseSequenceMap(x, lens, batch, time));
    }
    default:
      return resolveResize(node, ctx, x);
  }
}
