/**
 * Index maps of the data-movement ops. An index map of an output tensor lists, for each output cell in
 * row-major order, the flat index of the input cell it copies, or −1 for a cell that holds a constant fill
 * (padding). With several inputs (Concat) indices run over the inputs' cells laid end to end.
 *
 * The float and the integer interpreters both move data through these maps, and the quantized model hands
 * them to the lowering as the public permutation of a `permute` op, so all three agree by construction.
 * @module
 */
import { ShapeError } from './errors';
import type { SliceAxis, Window2D, WindowND } from './op';
import type { PatchGeometry } from './quant/qmodel';
import { sizeOf, stridesOf, type Shape } from './shape';

/** A cell that is not copied from an input but set to the fill constant. */
export const FILL = -1;

/** Identity map (Reshape, Flatten, Squeeze, Unsqueeze, Identity: the flat order does not change). */
export function identityMap(size: number): Int32Array {
  const m = new Int32Array(size);
  for (let i = 0; i < size; i++) m[i] = i;
  return m;
}

/** Calls `f(outFlat, coords)` for every cell of `shape` in row-major order (coords is reused). */
function forEachCell(shape: Shape, f: (flat: number, coords: number[]) => void): void {
  const n = sizeOf(shape);
  const c = new Array<number>(shape.length).fill(0);
  for (let flat = 0; flat < n; flat++) {
    f(flat, c);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++c[d] < shape[d]) break;
      c[d] = 0;
    }
  }
}

/** Transpose: output axis i is input axis perm[i]. */
export function transposeMap(input: Shape, perm: readonly number[]): Int32Array {
  const out = perm.map((p) => input[p]);
  const st = stridesOf(input);
  const m = new Int32Array(sizeOf(out));
  forEachCell(out, (flat, c) => {
    let src = 0;
    for (let i = 0; i < c.length; i++) src += c[i] * st[perm[i]];
    m[flat] = src;
  });
  return m;
}

/** Numpy broadcast of `input` to `output` (trailing-aligned; size-1 axes repeat). */
export function broadcastMap(input: Shape, output: Shape): Int32Array {
  const st = stridesOf(input);
  const off = output.length - input.length;
  const m = new Int32Array(sizeOf(output));
  forEachCell(output, (flat, c) => {
    let src = 0;
    for (let i = 0; i < input.length; i++) if (input[i] !== 1) src += c[i + off] * st[i];
    m[flat] = src;
  });
  return m;
}

/** Slice with resolved per-axis start/step/count (axes not listed are taken whole). */
export function sliceMap(input: Shape, axes: readonly SliceAxis[]): Int32Array {
  const out = [...input];
  const start = input.map(() => 0);
  const step = input.map(() => 1);
  for (const a of axes) {
    out[a.axis] = a.count;
    start[a.axis] = a.start;
    step[a.axis] = a.step;
  }
  const st = stridesOf(input);
  const m = new Int32Array(sizeOf(out));
  forEachCell(out, (flat, c) => {
    let src = 0;
    for (let i = 0; i < c.length; i++) src += (start[i] + c[i] * step[i]) * st[i];
    m[flat] = src;
  });
  return m;
}

/** Gather along `axis` with constant `indices` (negative indices count from the end). */
export function gatherMap(input: Shape, axis: number, indices: ArrayLike<number>, indicesShape: Shape, node: string): Int32Array {
  const dim = input[axis];
  const idx = Array.from(indices, (v) => {
    const i = v < 0 ? v + dim : v;
    if (!Number.isInteger(i) || i < 0 || i >= dim) throw new ShapeError(`node "${node}": Gather index ${v} is out of range for axis ${axis} of size ${dim}`);
    return i;
  });
  const outer = sizeOf(input.slice(0, axis));
  const inner = sizeOf(input.slice(axis + 1));
  const m = new Int32Array(outer * idx.length * inner);
  let k = 0;
  for (let o = 0; o < outer; o++) for (const i of idx) for (let j = 0; j < inner; j++) m[k++] = (o * dim + i) * inner + j;
  if (idx.length !== sizeOf(indicesShape)) throw new ShapeError(`node "${node}": Gather indices do not match their shape`);
  return m;
}

/** Concat along `axis`; indices run over the inputs laid end to end. */
export function concatMap(inputs: readonly Shape[], axis: number): Int32Array {
  const outer = sizeOf(inputs[0].slice(0, axis));
  const blocks = inputs.map((s) => sizeOf(s.slice(axis)));
  const offsets: number[] = [];
  let acc = 0;
  for (const s of inputs) {
    offsets.push(acc);
    acc += sizeOf(s);
  }
  const m = new Int32Array(acc);
  let k = 0;
  for (let o = 0; o < outer; o++) {
    for (let t = 0; t < inputs.length; t++) for (let j = 0; j < blocks[t]; j++) m[k++] = offsets[t] + o * blocks[t] + j;
  }
  return m;
}

/**
 * Window map of a 2-D Conv or pool over an NCHW input, for channels [c0, c0 + channels): output shape
 * [N·OH·OW, channels·KH·KW] for `layout = 'rows'` (im2col, ready for a matmul with the flattened kernel), or
 * [N·channels·OH·OW, KH·KW] for `layout = 'windows'` (one row per pooled output cell). Cells that fall in the
 * padding (or past the input in ceil mode) are {@link FILL}.
 */
export function windowMap(input: Shape, w: Window2D, outHW: readonly [number, number], c0: number, channels: number, layout: 'rows' | 'windows'): Int32Array {
  const [n, c, h, wd] = input;
  const [oh, ow] = outHW;
  const [kh, kw] = w.kernel;
  const kk = kh * kw;
  const m = new Int32Array(n * oh * ow * channels * kk);
  let k = 0;
  const cell = (b: number, ch: number, y: number, x: number, ky: number, kx: number): number => {
    const iy = y * w.strides[0] - w.pads[0] + ky * w.dilations[0];
    const ix = x * w.strides[1] - w.pads[1] + kx * w.dilations[1];
    return iy < 0 || iy >= h || ix < 0 || ix >= wd ? FILL : ((b * c + ch) * h + iy) * wd + ix;
  };
  if (layout === 'rows') {
    for (let b = 0; b < n; b++)
      for (let y = 0; y < oh; y++)
        for (let x = 0; x < ow; x++)
          for (let ch = c0; ch < c0 + channels; ch++) for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) m[k++] = cell(b, ch, y, x, ky, kx);
  } else {
    for (let b = 0; b < n; b++)
      for (let ch = c0; ch < c0 + channels; ch++)
        for (let y = 0; y < oh; y++) for (let x = 0; x < ow; x++) for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) m[k++] = cell(b, ch, y, x, ky, kx);
  }
  return m;
}

/**
 * The im2col patch matrix of one channel group of a 2-D convolution as the rows a weight-left product reads,
 * [K, P] (K = groupChannels·kh·kw taps, P = batch·outHeight·outWidth positions): the transpose of
 * {@link windowMap}'s `'rows'` map, cell (j, p) at j·P + p (the layout `PatchGeometry` documents).
 */
export function patchMap(g: PatchGeometry): Int32Array {
  const w: Window2D = { kernel: g.kernel, strides: g.strides, pads: g.pads, dilations: g.dilations, lifted: false };
  const windows = windowMap([g.batch, g.channels, g.height, g.width], w, [g.outHeight, g.outWidth], g.firstChannel, g.groupChannels, 'rows');
  return transposeRows(windows, g.batch * g.outHeight * g.outWidth);
}

/** The transpose of a map of `rows` rows laid out row-major: cell (r, j) goes to j·rows + r. */
export function transposeRows(map: Int32Array, rows: number): Int32Array {
  const length = map.length / rows;
  const out = new Int32Array(map.length);
  for (let r = 0; r < rows; r++) for (let j = 0; j < length; j++) out[j * rows + r] = map[r * length + j];
  return out;
}

/**
 * Moves `axes` of `shape` to the end (keeping their order) so that a reduction over them becomes a
 * reduction over the last axis: returns the map and the [outer, inner] sizes of the result.
 */
export function reduceLayoutMap(shape: Shape, axes: readonly number[]): { map: Int32Array; outer: number; inner: number } {
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const perm = [...kept, ...axes];
  return { map: transposeMap(shape, perm), outer: sizeOf(kept.map((i) => shape[i])), inner: sizeOf(axes.map((i) => shape[i])) };
}

/** Applies an index map to the concatenation of `sources`; {@link FILL} cells get `fill`. */
export function applyMap(map: Int32Array, sources: readonly Float64Array[], fill: number): Float64Array {
  const src = sources.length === 1 ? sources[0] : concatArrays(sources);
  const out = new Float64Array(map.length);
  for (let i = 0; i < map.length; i++) out[i] = map[i] === FILL ? fill : src[map[i]];
  return out;
}

function concatArrays(parts: readonly Float64Array[]): Float64Array {
  const out = new Float64Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** How Pad fills cells outside the input. */
export type PadMode = 'constant' | 'edge' | 'reflect' | 'wrap';

/**
 * Pad with `pads` = [begin_0 … begin_{r−1}, end_0 … end_{r−1}] (negative values crop): `constant` cells are
 * {@link FILL}; `edge` repeats the border cell, `reflect` mirrors without repeating it, `wrap` is periodic.
 */
export function padMap(input: Shape, pads: readonly number[], mode: PadMode): Int32Array {
  const r = input.length;
  const out = input.map((d, i) => d + pads[i] + pads[i + r]);
  const st = stridesOf(input);
  const m = new Int32Array(sizeOf(out));
  forEachCell(out, (flat, c) => {
    let src = 0;
    for (let i = 0; i < r; i++) {
      const n = input[i];
      let k = c[i] - pads[i];
      if (k < 0 || k >= n) {
        if (mode === 'constant') {
          m[flat] = FILL;
          return;
        }
        if (mode === 'edge') k = k < 0 ? 0 : n - 1;
        else if (mode === 'wrap') k = ((k % n) + n) % n;
        else {
          const period = 2 * (n - 1);
          k = n === 1 ? 0 : ((k % period) + period) % period;
          if (k >= n) k = period - k;
        }
      }
      src += k * st[i];
    }
    m[flat] = src;
  });
  return m;
}

/** Tile: output axis i repeats the input `repeats[i]` times. */
export function tileMap(input: Shape, repeats: readonly number[]): Int32Array {
  const out = input.map((d, i) => d * repeats[i]);
  const st = stridesOf(input);
  const m = new Int32Array(sizeOf(out));
  forEachCell(out, (flat, c) => {
    let src = 0;
    for (let i = 0; i < c.length; i++) src += (c[i] % input[i]) * st[i];
    m[flat] = src;
  });
  return m;
}

/**
 * DepthToSpace (`DCR` or `CRD` order) and SpaceToDepth with block size b over NCHW: a reshape to six axes, a
 * transpose, a reshape back, so the map is a transpose map of the six-axis view.
 */
export function depthSpaceMap(input: Shape, b: number, kind: 'DCR' | 'CRD' | 'SpaceToDepth'): Int32Array {
  const [n, c, h, w] = input;
  if (kind === 'SpaceToDepth') return transposeMap([n, c, h / b, b, w / b, b], [0, 3, 5, 1, 2, 4]);
  if (kind === 'DCR') return transposeMap([n, b, b, c / (b * b), h, w], [0, 3, 4, 1, 5, 2]);
  return transposeMap([n, c / (b * b), b, b, h, w], [0, 1, 4, 2, 5, 3]);
}

/** GatherElements along `axis`: output cell c copies the input cell c with c[axis] replaced by indices[c]. */
export function gatherElementsMap(input: Shape, axis: number, indices: ArrayLike<number>, indicesShape: Shape, node: string): Int32Array {
  const st = stridesOf(input);
  const m = new Int32Array(sizeOf(indicesShape));
  forEachCell(indicesShape, (flat, c) => {
    const raw = indices[flat];
    const i = raw < 0 ? raw + input[axis] : raw;
    if (!Number.isInteger(i) || i < 0 || i >= input[axis]) throw new ShapeError(`node "${node}": GatherElements index ${raw} is out of range for axis ${axis} of size ${input[axis]}`);
    let src = 0;
    for (let d = 0; d < c.length; d++) src += (d === axis ? i : c[d]) * st[d];
    m[flat] = src;
  });
  return m;
}

/** A constant index: negative values count from the end of an axis of size `dim`; out of range is a ShapeError. */
function checkedIndex(raw: number, dim: number, what: string): number {
  const i = raw < 0 ? raw + dim : raw;
  if (!Number.isInteger(i) || i < 0 || i >= dim) throw new ShapeError(`${what}: index ${raw} is out of range for an axis of size ${dim}`);
  return i;
}

/**
 * GatherND with `batch` leading batch axes: indices [b…, q…, k] pick, per batch, the slices `input[b…, i_1 … i_k, :]`;
 * the output is [b…, q…, input[batch + k:]…].
 */
export function gatherNDMap(input: Shape, indices: ArrayLike<number>, indicesShape: Shape, batch: number, node: string): { shape: Shape; map: Int32Array } {
  const k = indicesShape[indicesShape.length - 1];
  if (indicesShape.length < 1 || k < 1 || batch + k > input.length || input.slice(0, batch).some((d, i) => d !== indicesShape[i]))
    throw new ShapeError(`node "${node}": GatherND indices [${indicesShape}] do not fit the input [${input}] with ${batch} batch axes`);
  const st = stridesOf(input);
  const tail = input.slice(batch + k);
  const slice = sizeOf(tail);
  const tuples = sizeOf(indicesShape.slice(0, -1));
  const perBatch = tuples / sizeOf(indicesShape.slice(0, batch));
  const map = new Int32Array(tuples * slice);
  for (let t = 0; t < tuples; t++) {
    // Batch coordinates of tuple t: its leading `batch` coordinates in the indices' shape.
    let b = Math.floor(t / perBatch);
    let base = 0;
    for (let d = batch - 1; d >= 0; d--) {
      base += (b % input[d]) * st[d];
      b = Math.floor(b / input[d]);
    }
    for (let j = 0; j < k; j++) base += checkedIndex(indices[t * k + j], input[batch + j], `node "${node}": GatherND`) * st[batch + j];
    for (let c = 0; c < slice; c++) map[t * slice + c] = base + c;
  }
  return { shape: [...indicesShape.slice(0, -1), ...tail], map };
}

/** ScatterElements along `axis`: for every cell c of the updates, the data cell it lands on (c with c[axis] = indices[c]). */
export function scatterElementsTargets(data: Shape, axis: number, indices: ArrayLike<number>, updates: Shape, node: string): Int32Array {
  const st = stridesOf(data);
  const targets = new Int32Array(sizeOf(updates));
  forEachCell(updates, (flat, c) => {
    let dst = 0;
    for (let d = 0; d < c.length; d++) dst += (d === axis ? checkedIndex(indices[flat], data[axis], `node "${node}": ScatterElements`) : c[d]) * st[d];
    targets[flat] = dst;
  });
  return targets;
}

/**
 * ScatterND: indices [q…, k] name slices `data[i_1 … i_k, :]`; the updates [q…, data[k:]…] land on them. Returns,
 * for every cell of the updates, the data cell it lands on.
 */
export function scatterNDTargets(data: Shape, indices: ArrayLike<number>, indicesShape: Shape, node: string): Int32Array {
  const k = indicesShape[indicesShape.length - 1];
  if (k < 1 || k > data.length) throw new ShapeError(`node "${node}": ScatterND indices [${indicesShape}] do not fit the data [${data}]`);
  const st = stridesOf(data);
  const slice = sizeOf(data.slice(k));
  const tuples = sizeOf(indicesShape.slice(0, -1));
  const targets = new Int32Array(tuples * slice);
  for (let t = 0; t < tuples; t++) {
    let base = 0;
    for (let j = 0; j < k; j++) base += checkedIndex(indices[t * k + j], data[j], `node "${node}": ScatterND`) * st[j];
    for (let c = 0; c < slice; c++) targets[t * slice + c] = base + c;
  }
  return targets;
}

/** Scatter without reduction: the data, each target cell overwritten by its update (the last one when several land there). */
export function scatterOverwriteMap(dataSize: number, targets: Int32Array): Int32Array {
  const map = identityMap(dataSize);
  targets.forEach((dst, u) => (map[dst] = dataSize + u));
  return map;
}

/**
 * Scatter with an "add" reduction: per data cell a row of `k` sources, the cell itself then every update landing
 * on it ({@link FILL} after them), `k` one more than the most updates any cell receives; the row sums are the result.
 */
export function scatterAddRows(dataSize: number, targets: Int32Array): { map: Int32Array; k: number } {
  const count = new Int32Array(dataSize);
  for (const dst of targets) count[dst]++;
  const k = 1 + count.reduce((a, b) => Math.max(a, b), 0);
  const map = new Int32Array(dataSize * k).fill(FILL);
  const next = new Int32Array(dataSize).fill(1);
  for (let c = 0; c < dataSize; c++) map[c * k] = c;
  targets.forEach((dst, u) => (map[dst * k + next[dst]++] = dataSize + u));
  return { map, k };
}

/** Trilu: keeps cell (i, j) of the last two axes where j − i ≥ k (upper) or j − i ≤ k (lower); others are {@link FILL}. */
export function triluMap(shape: Shape, upper: boolean, k: number): Int32Array {
  const r = shape.length;
  const m = new Int32Array(sizeOf(shape));
  forEachCell(shape, (flat, c) => {
    const d = c[r - 1] - c[r - 2];
    m[flat] = (upper ? d >= k : d <= k) ? flat : FILL;
  });
  return m;
}

/** Per output axis, the input coordinate each output coordinate copies (nearest-neighbour resampling). */
export function resampleMap(input: Shape, sources: readonly (readonly number[])[]): Int32Array {
  const out = sources.map((s) => s.length);
  const st = stridesOf(input);
  const m = new Int32Array(sizeOf(out));
  forEachCell(out, (flat, c) => {
    let src = 0;
    for (let i = 0; i < c.length; i++) src += sources[i][c[i]] * st[i];
    m[flat] = src;
  });
  return m;
}

/** ReverseSequence: along `timeAxis`, the first `lengths[b]` steps of batch b (on `batchAxis`) are reversed. */
export function reverseSequenceMap(input: Shape, lengths: ArrayLike<number>, batchAxis: number, timeAxis: number): Int32Array {
  const st = stridesOf(input);
  const m = new Int32Array(sizeOf(input));
  forEachCell(input, (flat, c) => {
    const len = lengths[c[batchAxis]];
    const t = c[timeAxis];
    m[flat] = flat + (t < len ? len - 1 - 2 * t : 0) * st[timeAxis];
  });
  return m;
}

/**
 * Pooling windows over the spatial axes of [N, C, ...spatial] with output spatial sizes `out`: one row per output
 * cell (row-major over N, C, out), the kernel's cells in row-major order, {@link FILL} outside the input; and per
 * row the number of window cells inside the padded input (the count_include_pad divisor).
 */
/**
 * The im2col patches of group channels `c0 … c0 + cg − 1` for a convolution window over [N, C, spatial…], laid out as
 * rows: row p = b·P + position (P output cells per image), column c·KK + t = tap t of channel c0 + c ({@link FILL}
 * in the padding).
 */
export function convPatchesND(input: Shape, w: WindowND, out: readonly number[], c0: number, cg: number): Int32Array {
  const { map } = poolWindowsND(input, w, out);
  const kk = sizeOf(w.kernel);
  const positions = sizeOf(out);
  const [n, channels] = input;
  const k = cg * kk;
  const patches = new Int32Array(n * positions * k);
  for (let b = 0; b < n; b++)
    for (let c = 0; c < cg; c++)
      for (let p = 0; p < positions; p++) {
        const row = ((b * channels + c0 + c) * positions + p) * kk;
        patches.set(map.subarray(row, row + kk), (b * positions + p) * k + c * kk);
      }
  return patches;
}

export function poolWindowsND(input: Shape, w: WindowND, out: readonly number[]): { map: Int32Array; padded: Int32Array } {
  const spatial = input.slice(2);
  const st = stridesOf(input);
  const kk = sizeOf(w.kernel);
  const rows = input[0] * input[1] * sizeOf(out);
  const map = new Int32Array(rows * kk);
  const padded = new Int32Array(rows);
  const d = spatial.length;
  forEachCell([input[0], input[1], ...out], (row, c) => {
    let inPadded = 0;
    forEachCell(w.kernel, (t, k) => {
      let src = c[0] * st[0] + c[1] * st[1];
      let inside = true;
      let withinPad = true;
      for (let i = 0; i < d; i++) {
        const p = c[2 + i] * w.strides[i] - w.pads[i] + k[i] * w.dilations[i];
        if (p < 0 || p >= spatial[i]) inside = false;
        if (p >= spatial[i] + w.pads[i + d]) withinPad = false;
        src += p * st[2 + i];
      }
      map[row * kk + t] = inside ? src : FILL;
      if (withinPad) inPadded++;
    });
    padded[row] = inPadded;
  });
  return { map, padded };
}
