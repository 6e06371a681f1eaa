/**
 * The canonical binary encoding of a model's **public architecture**: everything of a compiled model but its
 * weights. A key file stores the model this way, so `prove` and `verify` rebuild the block graph from the key and
 * never run the compiler, and the verifying key holds no weight.
 *
 * ```
 * name "blockfold/architecture/v2"   model name   uvarint srsG1Powers
 * tensors:  uvarint count, each: id, u8 kind (input 0, output 1, weight 2, wire 3), uvarint rows, uvarint domain
 * nodes:    uvarint count, each: block kind, uvarint length + the block's parameters (its kind's codec),
 *           uvarint count of bindings, each: block tensor name, uvarint index of the graph tensor
 * inputs, outputs: uvarint count, each layout: tensor index, name, shape, scale, bound, rows, row length,
 *           u8 visibility (public 0, private 1, hashed 2: inputs only), plus 4 when an input is laid out on a
 *           grid, which follows: uvarint cells, stride, width, row stride (`PublicGrid`)
 * ranges:   u8 present, uvarint count, each: tensor index, tensor name, node name, lo, hi, scale
 * layers:   uvarint count, each: name, op, uvarint count of block names, the names
 * ```
 *
 * Names are varint-length UTF-8; integers are LEB128 varints, signed ones zig-zag mapped (`encoding/bytes`).
 * **Canonical**: decoding re-encodes and refuses any file whose bytes differ, so one architecture has one encoding,
 * and {@link architectureDigest}, Keccak-256 of these bytes, identifies it. The verifying-key digest absorbs that
 * digest (`keys.ts`), so every public parameter of every block (tables, index maps, scales, shapes, bindings) is
 * bound into each proof's transcript: a key that changes one of them verifies none of the original key's proofs.
 *
 * **Bounded decoding**: every count is checked against the documented limits below and the bytes left before
 * anything is allocated from it; a block's sizes are bounded by the graph's tensors (`blocks/codec`); the cells
 * of index maps and tables are charged to one budget, {@link architectureCellLimit} of the encoding's length (so a
 * few crafted bytes never expand into millions of cells). Every input and output tensor has exactly one layout. The decoded graph is re-validated
 * (`validateBlockGraph`: every value constrained, every range obligation proven; `checkHiddenInputsRanged`: every
 * private or hashed input range-checked, since the verifier does not see its integers; `checkFixedRowsRelinked`:
 * weights and hashed inputs read only through their relinked copies or as declared `fixed`). Version 1 (before
 * per-tensor visibility) is refused with its version named. Every failure is an
 * {@link ArtifactError} naming the node or field.
 * @module
 */
import { keccak256 } from '../engine/wasm/keccak';
import type { Block } from '../../blocks/block';
import { CellBudget, ParamReader, writeName } from '../../blocks/codec';
import { BASE_OPENING_POINTS, blindingCoefficients, hidingSrsSlack } from '../../blocks/hiding';
import { blockCodec } from '../../blocks/codec-registry';
import { ByteReader, ByteWriter } from '../encoding/bytes';
import { BlockfoldError } from '../errors';
import { isPowerOfTwo, TWO_ADICITY } from '../poly/roots';
import { ArtifactError } from './artifact-error';
import { graphBlindingCoefficients, keyG1Powers, rangeTableSize, validateBlockGraph, type BlockNode, type GraphTensor, type TensorKind } from './block-graph';
import type { CalibratedRange, CompiledModel, PublicGrid, PublicTensorLayout, Visibility } from './compiled-model';
import { checkFixedRowsRelinked } from './relink';
import { checkHiddenInputsRanged } from './visibility';

/** A compiled model's public part: everything but the weights. */
export type Architecture = Omit<CompiledModel, 'weights'>;

const MAGIC = 'blockfold/architecture/v2';
const TENSOR_KINDS: readonly TensorKind[] = ['input', 'output', 'weight', 'wire'];
const VISIBILITIES: readonly Visibility[] = ['public', 'private', 'hashed'];
/** Added to an input's visibility byte when its layout is a grid (which follows the byte). */
const GRID_FLAG = 4;

/** The most rows a tensor may have. */
export const MAX_TENSOR_ROWS = 1 << 24;
/** The largest domain a tensor may be committed over: the largest power-of-two subgroup of Fr. */
export const MAX_TENSOR_DOMAIN = 2 ** TWO_ADICITY;
/** The most G1 powers an architecture may ask of the SRS (twice the largest domain). */
export const MAX_SRS_G1_POWERS = 2 * MAX_TENSOR_DOMAIN;
/** The most dimensions of a public tensor's shape. */
export const MAX_SHAPE_RANK = 64;
/** The most cells the index maps and tables of one architecture may spell out in total. */
export const MAX_ARCHITECTURE_CELLS = 1 << 24;
/** Cells any architecture may spell out whatever its length (a lookup table of 2^16 entries fits twice and more). */
export const ARCHITECTURE_CELLS_FLOOR = 1 << 18;
/** Further cells an architecture may spell out per byte of its encoding. */
export const ARCHITECTURE_CELLS_PER_BYTE = 256;

/**
 * The cells the index maps and tables of an architecture of `byteLength` bytes may spell out:
 * `min(MAX_ARCHITECTURE_CELLS, ARCHITECTURE_CELLS_FLOOR + ARCHITECTURE_CELLS_PER_BYTE · byteLength)`. A run or a
 * counting table expands a few bytes into many cells; tying the expansion to the length keeps the work of refusing
 * a crafted file proportional to its size (the compiled models spell out fewer than 4 cells per byte).
 */
export function architectureCellLimit(byteLength: number): number {
  return Math.min(MAX_ARCHITECTURE_CELLS, ARCHITECTURE_CELLS_FLOOR + ARCHITECTURE_CELLS_PER_BYTE * byteLength);
}

// ---------------------------------------------------------------------------------------------------------
// Encoding

function writeLayout(w: ByteWriter, l: PublicTensorLayout, index: (id: string) => number): void {
  w.uvarint(index(l.id));
  writeName(w, l.name);
  w.uvarint(l.shape.length);
  for (const d of l.shape) w.uvarint(d);
  w.svarint(BigInt(l.scale)).svarint(l.bound[0]).svarint(l.bound[1]).uvarint(l.rows).uvarint(l.rowLength);
  const visibility = VISIBILITIES.indexOf(l.visibility);
  if (visibility < 0) throw new ArtifactError(`${l.name} has visibility ${JSON.stringify(l.visibility)}, not one of ${VISIBILITIES.join(', ')}`);
  w.u8(visibility + (l.grid ? GRID_FLAG : 0));
  if (l.grid) w.uvarint(l.grid.cells).uvarint(l.grid.stride).uvarint(l.grid.width).uvarint(l.grid.rowStride);
}

/** The public parameters of one node's block, by its kind's codec; a block with no codec is an error naming it. */
function blockParams(block: Block, i: number): Uint8Array {
  const codec = blockCodec(block.kind);
  if (!codec) throw new ArtifactError(`block ${i} (${block.foldKey}) is of kind "${block.kind}", which has no codec: register one with registerBlockCodec to save this model`);
  const w = new ByteWriter();
  try {
    codec.encode(block, w);
  } catch (e) {
    if (e instanceof BlockfoldError) throw new ArtifactError(`block ${i} (${block.foldKey}): ${e.message}`, { cause: e });
    throw e;
  }
  return w.bytes();
}

/**
 * The canonical bytes of an architecture (see the module comment). An {@link ArtifactError} if a block has no
 * registered codec, naming the block.
 */
export function encodeArchitecture(a: Architecture): Uint8Array {
  const w = new ByteWriter();
  const indices = new Map(a.graph.tensors.map((t, i) => [t.id, i]));
  const index = (id: string) => {
    const i = indices.get(id);
    if (i === undefined) throw new ArtifactError(`the architecture refers to an unknown tensor "${id}"`);
    return i;
  };
  writeName(w, MAGIC);
  writeName(w, a.name);
  w.uvarint(a.srsG1Powers);
  w.uvarint(a.graph.tensors.length);
  for (const t of a.graph.tensors) {
    writeName(w, t.id);
    w.u8(TENSOR_KINDS.indexOf(t.kind)).uvarint(t.rows).uvarint(t.domain);
  }
  w.uvarint(a.graph.nodes.length);
  a.graph.nodes.forEach((node, i) => {
    writeName(w, node.block.kind);
    const params = blockParams(node.block, i);
    w.uvarint(params.length).write(params);
    const bind = Object.entries(node.bind);
    w.uvarint(bind.length);
    for (const [name, id] of bind) {
      writeName(w, name);
      w.uvarint(index(id));
    }
  });
  for (const layouts of [a.inputs, a.outputs]) {
    w.uvarint(layouts.length);
    for (const l of layouts) writeLayout(w, l, index);
  }
  w.u8(a.ranges ? 1 : 0);
  if (a.ranges) {
    w.uvarint(a.ranges.length);
    for (const r of a.ranges) {
      w.uvarint(index(r.id));
      writeName(w, r.tensor);
      writeName(w, r.node);
      w.svarint(r.lo).svarint(r.hi).svarint(BigInt(r.scale));
    }
  }
  w.uvarint(a.layers.length);
  for (const l of a.layers) {
    writeName(w, l.name);
    writeName(w, l.op);
    w.uvarint(l.blocks.length);
    for (const b of l.blocks) writeName(w, b);
  }
  return w.bytes();
}

/** Keccak-256 of {@link encodeArchitecture}: identifies the architecture, every public parameter of every block included. */
export function architectureDigest(a: Architecture): Uint8Array {
  return keccak256(encodeArchitecture(a));
}

// ---------------------------------------------------------------------------------------------------------
// Decoding

/** A reader of the top-level fields: limits that hold before any tensor is known. */
function topLevel(bytes: Uint8Array): ParamReader {
  return new ParamReader(new ByteReader(bytes), { rows: MAX_TENSOR_ROWS, domain: MAX_TENSOR_DOMAIN }, new CellBudget(architectureCellLimit(bytes.length)));
}

function readTensors(r: ParamReader): GraphTensor[] {
  return Array.from({ length: r.count(Number.MAX_SAFE_INTEGER, 'tensor count') }, (_, i) => {
    const id = r.name(`tensor ${i} id`);
    const kind = TENSOR_KINDS[r.uint(TENSOR_KINDS.length - 1, `kind of tensor "${id}"`)];
    return { id, kind, rows: r.rows(`rows of tensor "${id}"`), domain: r.domain(`domain of tensor "${id}"`) };
  });
}

function readNode(r: ParamReader, tensors: readonly GraphTensor[], i: number): BlockNode {
  const kind = r.name(`block ${i} kind`);
  const codec = blockCodec(kind);
  if (!codec) throw new ArtifactError(`block ${i} is of kind "${kind}", which has no registered codec (a custom block: register its codec with registerBlockCodec before reading the key)`);
  const params = r.sub(r.bytes(r.count(Number.MAX_SAFE_INTEGER, `block ${i} parameter length`), `block ${i} parameters`));
  let block: Block;
  try {
    block = codec.decode(params);
    params.finish(`the parameters of block ${i} (${kind})`);
  } catch (e) {
    if (e instanceof BlockfoldError && !(e instanceof ArtifactError)) throw new ArtifactError(`block ${i} (${kind}): ${e.message}`, { cause: e });
    throw e;
  }
  if (block.kind !== kind) throw new ArtifactError(`block ${i}: the codec of "${kind}" built a block of kind "${block.kind}"`);
  const bind: Record<string, string> = {};
  const count = r.count(block.tensors.length, `bindings of block ${i} (${block.foldKey})`);
  for (let k = 0; k < count; k++) {
    const name = r.name(`block ${i} binding ${k} name`);
    const t = tensors[r.uint(tensors.length - 1, `block ${i} binding "${name}" tensor index`)];
    if (Object.hasOwn(bind, name)) throw new ArtifactError(`block ${i} (${block.foldKey}) binds "${name}" twice`);
    bind[name] = t.id;
  }
  const missing = block.tensors.filter((s) => !Object.hasOwn(bind, s.name));
  if (count !== block.tensors.length || missing.length > 0)
    throw new ArtifactError(`block ${i} (${block.foldKey}) must bind exactly its tensors ${block.tensors.map((s) => s.name).join(', ')}`);
  return { block, bind };
}

function readLayout(r: ParamReader, tensors: readonly GraphTensor[], kind: 'input' | 'output', i: number): PublicTensorLayout {
  const t = tensors[r.uint(tensors.length - 1, `${kind} ${i} tensor index`)];
  const name = r.name(`${kind} ${i} name`);
  const shape = Array.from({ length: r.count(MAX_SHAPE_RANK, `rank of ${kind} "${name}"`) }, (_, d) => r.uint(MAX_TENSOR_ROWS * MAX_TENSOR_DOMAIN, `dimension ${d} of ${kind} "${name}"`));
  const scale = r.smallInt(`scale of ${kind} "${name}"`);
  const bound = [r.int(`lower bound of ${kind} "${name}"`), r.int(`upper bound of ${kind} "${name}"`)] as const;
  const rows = r.rows(`rows of ${kind} "${name}"`);
  const rowLength = r.uint(t.domain, `row length of ${kind} "${name}"`, 1);
  const code = r.uint(kind === 'input' ? GRID_FLAG + 2 : 1, `visibility of ${kind} "${name}"`);
  if (code % GRID_FLAG > 2) throw new ArtifactError(`${kind} "${name}" has visibility ${code % GRID_FLAG}, not one of 0 … 2`);
  const visibility = VISIBILITIES[code % GRID_FLAG];
  if (t.kind !== kind || rows !== t.rows) throw new ArtifactError(`${kind} "${name}" is laid out on ${t.kind} tensor "${t.id}" of ${t.rows} rows, not on an ${kind} of ${rows}`);
  if (bound[0] > bound[1]) throw new ArtifactError(`${kind} "${name}" has an empty bound [${bound[0]}, ${bound[1]}]`);
  const grid = code >= GRID_FLAG ? readGrid(r, `${kind} "${name}"`, rows, rowLength, shape.reduce((a, b) => a * b, 1)) : undefined;
  return { id: t.id, name, shape, scale, bound, rows, rowLength, visibility, ...(grid ? { grid } : {}) };
}

/**
 * A grid layout (`PublicGrid`) of a tensor of `size` cells on `rows` rows of `rowLength`: one row, whole segments of a
 * power-of-two stride holding whole image rows (`cells` a multiple of `width`, `width ≤ rowStride`, every image row
 * inside its segment), as many segments as the row holds, so every flat cell has its own storage cell.
 */
function readGrid(r: ParamReader, what: string, rows: number, rowLength: number, size: number): PublicGrid {
  const cells = r.uint(rowLength, `grid cells of ${what}`, 1);
  const stride = r.uint(rowLength, `grid stride of ${what}`, 1);
  const width = r.uint(cells, `grid width of ${what}`, 1);
  const rowStride = r.uint(stride, `grid row stride of ${what}`, width);
  const fits = rows === 1 && isPowerOfTwo(stride) && rowLength % stride === 0 && cells % width === 0 && (cells / width) * rowStride <= stride && (rowLength / stride) * cells === size;
  if (!fits) throw new ArtifactError(`${what}: a grid of ${cells} cells in rows of ${width} at row stride ${rowStride}, segments of ${stride}, does not lay out ${size} cells on ${rows} row(s) of ${rowLength}`);
  return { cells, stride, width, rowStride };
}

/** Every tensor of `kind` has exactly one layout: the verifier reads each public tensor through its layout. */
function checkLayoutsCover(tensors: readonly GraphTensor[], layouts: readonly PublicTensorLayout[], kind: 'input' | 'output'): void {
  const seen = new Set<string>();
  for (const l of layouts) {
    if (seen.has(l.id)) throw new ArtifactError(`${kind} tensor "${l.id}" has two layouts`);
    seen.add(l.id);
  }
  const missing = tensors.find((t) => t.kind === kind && !seen.has(t.id));
  if (missing) throw new ArtifactError(`${kind} tensor "${missing.id}" has no layout`);
}

function readRanges(r: ParamReader, tensors: readonly GraphTensor[]): CalibratedRange[] | undefined {
  if (!r.flag('ranges present')) return undefined;
  return Array.from({ length: r.count(Number.MAX_SAFE_INTEGER, 'range count') }, (_, i) => {
    const { id } = tensors[r.uint(tensors.length - 1, `range ${i} tensor index`)];
    return { id, tensor: r.name(`range ${i} tensor name`), node: r.name(`range ${i} node`), lo: r.int(`range ${i} lo`), hi: r.int(`range ${i} hi`), scale: r.smallInt(`range ${i} scale`) };
  });
}

function readLayers(r: ParamReader): CompiledModel['layers'] {
  return Array.from({ length: r.count(Number.MAX_SAFE_INTEGER, 'layer count') }, (_, i) => ({
    name: r.name(`layer ${i} name`),
    op: r.name(`layer ${i} op`),
    blocks: Array.from({ length: r.count(Number.MAX_SAFE_INTEGER, `layer ${i} block count`) }, (_, k) => r.name(`layer ${i} block ${k}`)),
  }));
}

/**
 * Decodes {@link encodeArchitecture}'s bytes: bounded, canonical (re-encoding gives the same bytes), and
 * re-validated as a block graph. Every failure is an {@link ArtifactError}; custom blocks need their codec
 * registered first.
 */
export function decodeArchitecture(bytes: Uint8Array): Architecture {
  try {
    const top = topLevel(bytes);
    const magic = top.name('architecture magic');
    if (magic === 'blockfold/architecture/v1') throw new ArtifactError(`a blockfold/architecture/v1 model (before per-tensor visibility): this library reads ${MAGIC}; compile and set up again`);
    if (magic !== MAGIC) throw new ArtifactError(`not a ${MAGIC} encoding`);
    const name = top.name('model name');
    const srsG1Powers = top.uint(MAX_SRS_G1_POWERS, 'srsG1Powers', 1);
    const tensors = readTensors(top);
    if (new Set(tensors.map((t) => t.id)).size !== tensors.length) throw new ArtifactError('two tensors have the same id');
    const limits = tensors.reduce((l, t) => ({ rows: Math.max(l.rows, t.rows), domain: Math.max(l.domain, t.domain) }), { rows: 1, domain: 1 });
    // What every graph's blinded quotients need, before any block is read; then what this graph's blocks need.
    const quotientPowers = (coefficients: number) => 2 * limits.domain + hidingSrsSlack(coefficients);
    const base = quotientPowers(blindingCoefficients(BASE_OPENING_POINTS));
    if (base > srsG1Powers) throw new ArtifactError(`a tensor has domain ${limits.domain}: blinded quotients need ${base} powers of τ, srsG1Powers = ${srsG1Powers}`);
    const r = top.withLimits(limits);
    const nodes = Array.from({ length: r.count(Number.MAX_SAFE_INTEGER, 'block count') }, (_, i) => readNode(r, tensors, i));
    const coefficients = graphBlindingCoefficients({ nodes });
    if (quotientPowers(coefficients) > srsG1Powers)
      throw new ArtifactError(`a tensor has domain ${limits.domain} and rows blinded with ${coefficients} coefficients: blinded quotients need ${quotientPowers(coefficients)} powers of τ, srsG1Powers = ${srsG1Powers}`);
    // A block may ask for more (a segment max's composed read, `Block.quotientPowers`): the key holds what it asks.
    const keyPowers = keyG1Powers({ tensors, nodes });
    if (keyPowers > srsG1Powers) throw new ArtifactError(`a block's quotient needs ${keyPowers} powers of τ (Block.quotientPowers), srsG1Powers = ${srsG1Powers}`);
    const table = rangeTableSize({ nodes });
    if (table !== undefined && table + 2 > srsG1Powers) throw new ArtifactError(`a range table of ${table} entries needs ${table + 2} powers of τ, srsG1Powers = ${srsG1Powers}`);
    const inputs = Array.from({ length: r.count(Number.MAX_SAFE_INTEGER, 'input count') }, (_, i) => readLayout(r, tensors, 'input', i));
    const outputs = Array.from({ length: r.count(Number.MAX_SAFE_INTEGER, 'output count') }, (_, i) => readLayout(r, tensors, 'output', i));
    checkLayoutsCover(tensors, inputs, 'input');
    checkLayoutsCover(tensors, outputs, 'output');
    const ranges = readRanges(r, tensors);
    const layers = readLayers(r);
    r.finish('the architecture');
    const graph = { tensors, nodes };
    validateBlockGraph(graph);
    checkHiddenInputsRanged(graph, inputs);
    // The row solver relies on no block reading a weight or hashed input's fixed blinding but through its relinked
    // copy; compile checks it, and so does every key read, so a crafted architecture cannot tie a fixed blinding to
    // per-proof rows (the same in every proof, it would leak across proofs).
    checkFixedRowsRelinked(graph, new Set(inputs.filter((l) => l.visibility === 'hashed').map((l) => l.id)));
    const a: Architecture = { name, graph, inputs, outputs, srsG1Powers, layers, ...(ranges ? { ranges } : {}) };
    const again = encodeArchitecture(a);
    if (again.length !== bytes.length || again.some((b, i) => b !== bytes[i])) throw new ArtifactError('the architecture is not canonically encoded');
    return a;
  } catch (e) {
    if (e instanceof ArtifactError) throw e;
    if (e instanceof BlockfoldError) throw new ArtifactError(`architecture: ${e.message}`, { cause: e });
    throw e;
  }
}
