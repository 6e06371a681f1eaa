/**
 * The architecture inside key files (`src/pipeline/architecture.ts`, `blocks/codec*.ts`): every built-in block kind
 * and every bundled model round-trips to identical bytes and digest; every block of the bundled, ladder and
 * max-based op models decodes with the same obligations; max-based ops on rows that are not a power of two save
 * and load their `.vk` and `.pk`; a few bytes cannot expand into millions of cells; every public tensor has one layout; proofs made with the original key verify with
 * the decoded one; a changed public parameter (a table entry, an index-map entry, a scale) in a re-checksummed key
 * either fails to decode or verifies none of the original key's proofs; the Fashion MLP's `.vk` holds no weight (as
 * field element, as varint row, as the ONNX float); the `.pk` holds no ONNX and proves without the compiler; a
 * `.vk` alone verifies through the CLI; a custom block saves with its registered codec and is a named error without.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ArgmaxBlock,
  blockCodec,
  BroadcastBlock,
  CellBudget,
  HadamardBlock,
  LimbSplitBlock,
  LinearBlock,
  LookupBlock,
  MatmulBlock,
  MaxBlock,
  MaxConstantBlock,
  ParamReader,
  PermutationBlock,
  RangeBlock,
  RelinkBlock,
  SegmentMaxBlock,
  RescaleBlock,
  SumBlock,
  WeightedRowsBlock,
  concatMap,
  functionTable,
  makeTable,
  padMap,
  rangeTable,
  registerBlockCodec,
  writeName,
  reluTable,
  transposeMap,
  gatherMap,
  type Block,
} from '../../blocks/index';
import { ByteReader, ByteWriter } from '../../src/encoding/bytes';
import { encodeFr } from '../../src/encoding/points';
import { frFromSigned } from '../../src/field';
import { parseOnnx } from '../../src/onnx/index';
import { DEV_SEED, openSrs, type SrsSource } from '../../src/pipeline/api';
import { ArtifactError } from '../../src/pipeline/artifact-error';
import { ARCHITECTURE_CELLS_FLOOR, ARCHITECTURE_CELLS_PER_BYTE, architectureCellLimit, architectureDigest, decodeArchitecture, encodeArchitecture, type Architecture } from '../../src/pipeline/architecture';
import {
  compiledModelArtifact,
  decodeProvingKey,
  decodeVerifyingKey,
  encodeCompiledModel,
  encodeProof,
  encodeProvingKey,
  encodeVerifyingKey,
  verifyProofFile,
} from '../../src/pipeline/artifacts';
import { calibrateOnnx, compile, quantizeFeeds } from '../../src/pipeline/compile';
import { setup, verifyingKeyDigest } from '../../src/pipeline/keys';
import { graphBlindingCoefficients, keyG1Powers, largestDomain, srsG1PowersOf, type BlockGraph } from '../../src/pipeline/block-graph';
import { hidingSrsSlack } from '../../blocks/hiding';
import { prove, verify } from '../../src/pipeline/prove-verify';
import { squareBlock, squareBlockCodec } from '../../examples/square-block';
import { rewriteFile } from '../helpers/artifact-files';
import { randomFeeds, mlp, residualCnn, transformerEncoder } from '../model/deep-models';
import { FASHION_MODELS, fashionImages, modelFile, sampleMlpInput, SAMPLE_MLP } from '../model/fixtures';
import { attr, encodeModel, floatData, node, singleOpModel, valueInfo } from '../onnx/builder';
import { tensor } from '../../src/model/tensor';

const dev: SrsSource = { kind: 'dev', seed: DEV_SEED };
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const repo = fileURLToPath(new URL('../../', import.meta.url));

/** Encodes a block's parameters with its kind's codec and decodes them back, with generous limits. */
function roundTrip(block: Block): { bytes: Uint8Array; back: Block } {
  const codec = blockCodec(block.kind)!;
  const w = new ByteWriter();
  codec.encode(block, w);
  const bytes = w.bytes();
  const r = new ParamReader(new ByteReader(bytes), { rows: 1 << 12, domain: 1 << 12 }, new CellBudget(1 << 20));
  const back = codec.decode(r);
  r.finish('parameters');
  return { bytes, back };
}

test('every built-in block kind round-trips through its codec: same fold key, tensors, obligations and bytes', () => {
  const m = { name: 'x', rows: 3, length: 5 };
  const blocks: Block[] = [
    new MatmulBlock({ m: 2, k: 3, n: 5, fixedB: true }),
    new MatmulBlock({ m: 4, k: 8, n: 2 }),
    new WeightedRowsBlock({ m: 3, k: 4, n: 7 }),
    new LinearBlock({ operation: { op: 'add' }, rows: 2, domain: 8 }),
    new LinearBlock({ operation: { op: 'sub' }, rows: 1, domain: 4 }),
    new LinearBlock({ operation: { op: 'scale', factor: -7n }, rows: 3, domain: 2 }),
    new HadamardBlock({ rows: 2, domain: 4 }),
    new SumBlock({ rows: 3, length: 5 }),
    new MaxBlock({ candidates: 4, rows: 2, domain: 8, bits: 12 }),
    new ArgmaxBlock({ candidates: 3, rows: 1, domain: 4, bits: 9 }),
    new RescaleBlock({ input: 'x', output: 'y', remainder: 'r', rows: 2, domain: 8, length: 6, shift: 5, outputBits: 10 }),
    new LimbSplitBlock({ rows: 2, domain: 8, length: 7, offset: 1234n, limbBits: 8 }),
    new LookupBlock(rangeTable(-5n, 300n), [{ input: 'a', rows: 2, domain: 4, length: 3 }]),
    new LookupBlock(reluTable(-40n, 40n), [{ input: 'a', output: 'b', rows: 1, domain: 8, length: 8 }, { input: 'c', output: 'd', rows: 3, domain: 2, length: 1 }]),
    new LookupBlock(makeTable('scattered', [5n, -3n, 1000n, 7n], [1n, 1n, -(1n << 200n), 0n]), [{ input: 'a', output: 'b', rows: 1, domain: 4, length: 2 }]),
    new LookupBlock(functionTable('square', -8n, 8n, (x) => x * x), [{ input: 'a', output: 'b', rows: 1, domain: 4, length: 4 }]),
    new RangeBlock(1 << 16, [{ input: 'a', rows: 2, domain: 4, length: 3 }, { input: 'b', rows: 1, domain: 8, length: 8, lo: -300n, bits: 9 }]),
    new PermutationBlock(transposeMap(m, 'y')),
    new PermutationBlock(padMap(m, 'y', 2, 1, -9n)),
    new PermutationBlock(concatMap([m, { name: 'z', rows: 3, length: 2 }], 'y')),
    new PermutationBlock(gatherMap(m, 'y', [4, 0, 0, 2, 3, 1])),
    new RelinkBlock({ rows: 3, domain: 8 }),
    new BroadcastBlock({ rows: 4, rowLength: 8 }),
  ];
  const kinds = new Set(blocks.map((b) => b.kind));
  assert.deepEqual([...kinds].sort(), ['argmax', 'broadcast', 'hadamard', 'limb-split', 'linear', 'lookup', 'matmul', 'max', 'permutation', 'range', 'relink', 'rescale', 'sum', 'weighted-rows']);
  for (const block of blocks) {
    const { bytes, back } = roundTrip(block);
    assert.equal(Object.getPrototypeOf(back), Object.getPrototypeOf(block), block.foldKey);
    assert.equal(back.foldKey, block.foldKey);
    assert.deepEqual(back.tensors, block.tensors, block.foldKey);
    assert.deepEqual(back.rangeObligations?.(), block.rangeObligations?.(), block.foldKey);
    assert.deepEqual(back.provenRanges?.(new Map()), block.provenRanges?.(new Map()), block.foldKey);
    assert.deepEqual(roundTrip(back).bytes, bytes, `${block.foldKey}: encode(decode(bytes)) = bytes`);
  }
  // Tables are stored as integers: a counting first column is its start, so a 2^12-entry table takes a few KiB.
  const { bytes } = roundTrip(new LookupBlock(reluTable(-2048n, 2048n), [{ input: 'a', output: 'b', rows: 1, domain: 4, length: 4 }]));
  assert.ok(bytes.length < 4096 + 64, `a ReLU table of 4096 entries takes ${bytes.length} bytes`);
});

test('a subclass of a built-in block has no codec (it would decode as its base), and a block kind with none is a named error on save', async () => {
  const sub = new (class extends HadamardBlock {})({ rows: 1, domain: 4 });
  assert.throws(() => roundTrip(sub), /a subclass of HadamardBlock has no codec/);
  const model = compile(new Uint8Array(readFileSync(modelFile(SAMPLE_MLP))), [{ input: sampleMlpInput() }]);
  const orphan: Block = { ...squareBlock(4), kind: 'no-codec', foldKey: 'no-codec/4' };
  const unknown: Architecture = { ...model, graph: { ...model.graph, nodes: [...model.graph.nodes, { block: orphan, bind: {} }] } };
  assert.throws(() => encodeArchitecture(unknown), (e: unknown) => e instanceof ArtifactError && /block \d+ \(no-codec\/4\) is of kind "no-codec", which has no codec/.test((e as Error).message));
});

test('a custom block (examples/square-block) registers its codec through the public API and round-trips in an architecture', () => {
  const model = compile(new Uint8Array(readFileSync(modelFile(SAMPLE_MLP))), [{ input: sampleMlpInput() }]);
  const square = squareBlock(4);
  const graph = {
    tensors: [...model.graph.tensors, { id: 'sq.x', kind: 'wire' as const, rows: 1, domain: 4 }, { id: 'sq.y', kind: 'wire' as const, rows: 1, domain: 4 }],
    nodes: [...model.graph.nodes, { block: square, bind: { x: 'sq.x', y: 'sq.y' } }],
  };
  // sq.x is written by nobody: the graph must be refused when decoded, whatever the codec.
  const codec = squareBlockCodec;
  registerBlockCodec(codec);
  registerBlockCodec(codec);
  assert.throws(() => registerBlockCodec({ ...codec }), /already has a codec/);
  assert.throws(() => registerBlockCodec({ ...codec, kind: 'matmul' }), /already has a codec/);
  const bytes = encodeArchitecture({ ...model, graph });
  assert.throws(() => decodeArchitecture(bytes), (e: unknown) => e instanceof ArtifactError && /not written by a block|never written/.test((e as Error).message));
  // Written by a permutation of the model's input, it is a valid graph and decodes to the same bytes.
  const input = model.graph.tensors.find((t) => t.kind === 'input')!;
  const copy = new PermutationBlock({ label: 'copy', inputs: [{ name: 'i', rows: input.rows, length: 1, domain: input.domain }], output: { name: 'o', rows: 1, length: 1, domain: 4 }, cells: [[{ input: 0, row: 0, col: 0 }]] });
  const valid = { ...model, graph: { ...graph, nodes: [...graph.nodes, { block: copy, bind: { i: input.id, o: 'sq.x' } }] } };
  const again = encodeArchitecture(decodeArchitecture(encodeArchitecture(valid)));
  assert.equal(hex(again), hex(encodeArchitecture(valid)));
});

test('each bundled model\'s architecture round-trips to identical bytes and digest', () => {
  const images = fashionImages().images.slice(0, 2).map((input) => ({ input }));
  for (const [file, samples] of [[SAMPLE_MLP, [{ input: sampleMlpInput() }]], ...FASHION_MODELS.map((f) => [f, images] as const)] as const) {
    const model = compile(new Uint8Array(readFileSync(modelFile(file))), samples);
    const bytes = encodeArchitecture(model);
    const back = decodeArchitecture(bytes);
    assert.equal(hex(encodeArchitecture(back)), hex(bytes), file);
    assert.equal(hex(architectureDigest(back)), hex(architectureDigest(model)), file);
    assert.deepEqual(back.inputs, model.inputs, file);
    assert.deepEqual(back.outputs, model.outputs, file);
    assert.deepEqual(back.ranges, model.ranges, file);
    assert.deepEqual(back.layers, model.layers, file);
    assert.deepEqual(back.graph.nodes.map((n) => [n.block.foldKey, n.bind]), model.graph.nodes.map((n) => [n.block.foldKey, n.bind]), file);
    // Trailing bytes and any truncation are typed errors.
    assert.throws(() => decodeArchitecture(Uint8Array.from([...bytes, 0])), ArtifactError, `${file}: trailing byte`);
    for (const cut of [0, 1, bytes.length >> 2, bytes.length >> 1, bytes.length - 1]) assert.throws(() => decodeArchitecture(bytes.slice(0, cut)), ArtifactError, `${file}: cut at ${cut}`);
  }
});

/** Models whose rows are not a power of two for the max-based ops (real cells < domain), each with its samples. */
const opModels = () => {
  const wave = (shape: number[], phase: number) => tensor(shape, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(phase + i * 1.7) * 2));
  return [
    { name: 'GlobalMaxPool [1,3,5,5]', onnx: singleOpModel('GlobalMaxPool', [1, 3, 5, 5], [1, 3, 1, 1]), x: [1, 3, 5, 5] },
    { name: 'ReduceMax [3,5] axis 1', onnx: singleOpModel('ReduceMax', [3, 5], [3, 1], [], [attr.ints('axes', [1])], 13), x: [3, 5] },
    { name: 'Softmax [3,5]', onnx: singleOpModel('Softmax', [3, 5], [3, 5], [], [attr.int('axis', -1)], 13), x: [3, 5] },
    { name: 'MaxPool 2x2/2 [1,1,6,6]', onnx: singleOpModel('MaxPool', [1, 1, 6, 6], [1, 1, 3, 3], [], [attr.ints('kernel_shape', [2, 2]), attr.ints('strides', [2, 2])]), x: [1, 1, 6, 6] },
    { name: 'ArgMax [3,5] axis 1', onnx: singleOpModel('ArgMax', [3, 5], [3, 1], [], [attr.int('axis', 1)], 13), x: [3, 5] },
  ].map((m) => ({ ...m, feeds: [0, 1].map((k) => ({ x: wave(m.x, 13 + k) })) }));
};

test('decode(encode(block)) keeps the range obligations, proven ranges, fold key and tensors of every block of the bundled, ladder and max-based op models', () => {
  const images = fashionImages().images.slice(0, 2).map((input) => ({ input }));
  const models: [string, Uint8Array, Record<string, ReturnType<typeof tensor>>[]][] = [
    [SAMPLE_MLP, new Uint8Array(readFileSync(modelFile(SAMPLE_MLP))), [{ input: sampleMlpInput() }]],
    ...FASHION_MODELS.map((f) => [f, new Uint8Array(readFileSync(modelFile(f))), images] as [string, Uint8Array, typeof images]),
    ['mlp-2', mlp({ layers: 2, inputs: 8, width: 8, classes: 4 }), randomFeeds('x', [1, 8], 2, 1)],
    ['cnn-3', residualCnn({ layers: 3, channels: 2, inputChannels: 3, size: 4, classes: 4 }), randomFeeds('x', [1, 3, 4, 4], 2, 2)],
    ['encoder-1', transformerEncoder({ blocks: 1, sequence: 4, width: 8, heads: 2 }), randomFeeds('x', [4, 8], 2, 3)],
    ...opModels().map((m) => [m.name, m.onnx, m.feeds] as [string, Uint8Array, typeof m.feeds]),
  ];
  const kinds = new Set<string>();
  for (const [name, onnx, feeds] of models) {
    const { graph } = compile(onnx, feeds);
    const limits = graph.tensors.reduce((l, t) => ({ rows: Math.max(l.rows, t.rows), domain: Math.max(l.domain, t.domain) }), { rows: 1, domain: 1 });
    for (const { block } of graph.nodes) {
      kinds.add(block.kind);
      const codec = blockCodec(block.kind)!;
      const w = new ByteWriter();
      codec.encode(block, w);
      const r = new ParamReader(new ByteReader(w.bytes()), limits, new CellBudget(1 << 24));
      const back = codec.decode(r);
      r.finish(block.foldKey);
      const what = `${name}: ${block.foldKey}`;
      assert.equal(back.foldKey, block.foldKey, what);
      assert.deepEqual(back.tensors, block.tensors, what);
      assert.deepEqual(back.rangeObligations?.(), block.rangeObligations?.(), what);
      assert.deepEqual(back.provenRanges?.(new Map()), block.provenRanges?.(new Map()), what);
    }
  }
  for (const kind of ['max', 'lookup', 'permutation', 'broadcast', 'matmul', 'rescale', 'sum']) assert.ok(kinds.has(kind), `the models exercise ${kind}`);
});

test('key files of max-based ops on rows that are not a power of two: .vk and .pk decode, the decoded pk proves and the decoded vk verifies', async () => {
  for (const m of opModels().slice(0, 3)) {
    const compiled = compiledModelArtifact(m.onnx, calibrateOnnx(m.onnx, m.feeds));
    const max = compiled.model.graph.nodes.map((n) => n.block).find((b): b is MaxBlock => b instanceof MaxBlock);
    assert.ok(max && max.length < max.domain, `${m.name}: a max block with ${max?.length} real cells of ${max?.domain}`);
    const pk = await setup(compiled.model, await openSrs(dev, compiled.model.srsG1Powers));
    const vkFile = encodeVerifyingKey({ srs: dev, vk: pk.vk });
    const pkFile = encodeProvingKey({ compiled, srs: dev, pk });
    const { vk } = await decodeVerifyingKey(vkFile);
    const loaded = await decodeProvingKey(pkFile);
    assert.equal(hex(vk.digest), hex(pk.vk.digest), m.name);
    const decodedMax = vk.model.graph.nodes.map((n) => n.block).find((b): b is MaxBlock => b instanceof MaxBlock)!;
    assert.equal(decodedMax.length, max.length, m.name);
    const { statement, proof } = await prove(loaded.pk, quantizeFeeds(loaded.compiled.model, m.feeds[0]));
    assert.ok((await verify(vk, statement, proof.bytes)).ok, `${m.name}: a proof from the decoded .pk verifies with the decoded .vk`);
    const out = Object.keys(statement.outputs)[0];
    const forged = { ...statement, outputs: { ...statement.outputs, [out]: statement.outputs[out].map((row, r) => row.map((v, c) => (r === 0 && c === 0 ? v + 1n : v))) } };
    assert.equal((await verify(vk, forged, proof.bytes)).ok, false, `${m.name}: a changed output is rejected`);
  }
});

/** A compiled model, its keys (development SRS) and one proof: the artifacts the key tests below take apart. */
async function keysAndProof(onnx: Uint8Array, feeds: Record<string, ReturnType<typeof tensor>>) {
  const compiled = compiledModelArtifact(onnx, calibrateOnnx(onnx, [feeds]));
  const pk = await setup(compiled.model, await openSrs(dev, compiled.model.srsG1Powers));
  const inputs = quantizeFeeds(compiled.model, feeds);
  const direct = await prove(pk, inputs);
  const vkFile = encodeVerifyingKey({ srs: dev, vk: pk.vk });
  return { compiled, pk, inputs, direct, vkFile, pkFile: encodeProvingKey({ compiled, srs: dev, pk }) };
}

const sample = keysAndProof(new Uint8Array(readFileSync(modelFile(SAMPLE_MLP))), { input: sampleMlpInput() });

/** `y = xᵀ + c`: the transposed operand is a copy, so its key holds an index map (the sample MLP's has none). */
const transposed = keysAndProof(
  encodeModel({
    inputs: [valueInfo('x', [2, 3])],
    outputs: [valueInfo('y', [3, 2])],
    nodes: [node('Transpose', ['x'], ['t'], [attr.ints('perm', [1, 0])]), node('Add', ['t', 'c'], ['y'])],
    initializers: [floatData('c', [3, 2], [0.5, -0.25, 1, 0, 0.75, -1])],
  }),
  { x: tensor([2, 3], [0.1, -0.7, 0.3, 0.9, -0.2, 0.4]) },
);

test('a proof made with the original key verifies with the decoded key, and the decoded proving key proves', async () => {
  const { pk, direct, vkFile, pkFile } = await sample;
  const { vk } = await decodeVerifyingKey(vkFile);
  assert.equal(hex(vk.digest), hex(pk.vk.digest));
  assert.ok((await verify(vk, direct.statement, direct.proof.bytes)).ok);
  const loaded = await decodeProvingKey(pkFile);
  const again = await prove(loaded.pk, quantizeFeeds(loaded.compiled.model, { input: sampleMlpInput() }));
  assert.deepEqual(again.statement, direct.statement);
  assert.ok((await verify(pk.vk, again.statement, again.proof.bytes)).ok, 'a proof from the decoded proving key verifies with the original key');
});

/** The vk file with its architecture replaced by `edit`'s, re-checksummed; with `fixDigest`, the header digest recomputed too. */
async function tamperedKey(vkFile: Uint8Array, edit: (a: Architecture) => Architecture, fixDigest: boolean): Promise<Uint8Array> {
  const { vk } = await decodeVerifyingKey(vkFile);
  const changed = edit(vk.model);
  return rewriteFile(vkFile, (h, blobs) => {
    blobs[0] = encodeArchitecture(changed);
    if (fixDigest) h.digest = hex(verifyingKeyDigest({ ...vk, model: changed }));
  });
}

function replaceBlock(a: Architecture, pick: (b: Block) => boolean, make: (b: Block) => Block): Architecture {
  const i = a.graph.nodes.findIndex((n) => pick(n.block));
  assert.ok(i >= 0, 'the model has such a block');
  return { ...a, graph: { ...a.graph, nodes: a.graph.nodes.map((n, k) => (k === i ? { ...n, block: make(n.block) } : n)) } };
}

test('a key with one public parameter changed (range offset, max constant, index-map entry, scale), re-checksummed, fails to decode or verifies no original proof', async () => {
  const edits: [Promise<Awaited<typeof sample>>, string, (a: Architecture) => Architecture][] = [
    [
      sample,
      "a range source's offset",
      (a) =>
        replaceBlock(
          a,
          (b) => b instanceof RangeBlock,
          (b) => {
            const { size, sources } = b as RangeBlock;
            return new RangeBlock(size, sources.map((s, i) => (i === 0 ? { ...s, lo: (s.lo ?? 0n) + 1n } : s)));
          },
        ),
    ],
    [
      sample,
      'the constant of a max with a constant',
      (a) =>
        replaceBlock(
          a,
          (b) => b instanceof MaxConstantBlock,
          (b) => {
            const m = b as MaxConstantBlock;
            return new MaxConstantBlock({ rows: m.rows, domain: m.domain, length: m.length, constant: m.constant - 1n, bits: m.bits });
          },
        ),
    ],
    [
      transposed,
      'an index-map entry',
      (a) =>
        replaceBlock(
          a,
          (b) => b instanceof PermutationBlock && b.map.cells.flat().filter((c) => !('constant' in c)).length > 1,
          (b) => {
            const { map } = b as PermutationBlock;
            const flat = map.cells.flat();
            const [i, j] = flat.flatMap((c, k) => ('constant' in c ? [] : [k])).slice(0, 2);
            const cells = map.cells.map((row, r) => row.map((c, k) => (r * map.output.length + k === i ? flat[j] : c)));
            return new PermutationBlock({ ...map, cells });
          },
        ),
    ],
    [sample, 'an output scale', (a) => ({ ...a, outputs: a.outputs.map((l, i) => (i === 0 ? { ...l, scale: l.scale + 1 } : l)) })],
  ];
  const decoded: string[] = [];
  for (const [fixture, what, edit] of edits) {
    const { direct, vkFile } = await fixture;
    const proofFile = encodeProof({ verifyingKeyDigest: (await decodeVerifyingKey(vkFile)).vk.digest, statement: direct.statement, proof: direct.proof });
    await assert.rejects(decodeVerifyingKey(await tamperedKey(vkFile, edit, false)), ArtifactError, `${what}: header digest kept`);
    let vk;
    try {
      ({ vk } = await decodeVerifyingKey(await tamperedKey(vkFile, edit, true)));
    } catch (e) {
      assert.ok(e instanceof ArtifactError, `${what}: a typed error`);
      decoded.push(`${what}: refused`);
      continue;
    }
    decoded.push(`${what}: decoded`);
    assert.equal((await verifyProofFile(vk, proofFile)).ok, false, `${what}: the proof file is refused`);
    assert.equal((await verify(vk, direct.statement, direct.proof.bytes)).ok, false, `${what}: the proof itself is refused`);
  }
  assert.ok(decoded.some((d) => d.endsWith('decoded')), `some change decodes, so the digest is what rejects the proofs: ${decoded.join('; ')}`);
});

/** Whether `needle` occurs anywhere in `haystack`. */
const contains = (haystack: Uint8Array, needle: Uint8Array) => Buffer.from(haystack.buffer, haystack.byteOffset, haystack.length).indexOf(Buffer.from(needle)) >= 0;

test('the Fashion MLP verifying key holds no weight: not as field element, varint row, nor ONNX float; the proving key holds no ONNX', async () => {
  const onnx = new Uint8Array(readFileSync(modelFile('fashion-mlp.onnx')));
  const samples = fashionImages().images.slice(0, 2).map((input) => ({ input }));
  const compiled = compiledModelArtifact(onnx, calibrateOnnx(onnx, samples));
  const pk = await setup(compiled.model, await openSrs(dev, compiled.model.srsG1Powers));
  const vkFile = encodeVerifyingKey({ srs: dev, vk: pk.vk });
  const pkFile = encodeProvingKey({ compiled, srs: dev, pk });
  const weightIds = pk.vk.model.graph.tensors.filter((t) => t.kind === 'weight').map((t) => t.id);
  assert.ok(weightIds.length >= 2);
  let checked = 0;
  for (const id of weightIds)
    for (const row of compiled.model.weights[id]) {
      // Small weights encode as 32 bytes that are mostly zero, so each row is searched whole (its field elements in order).
      assert.ok(!contains(vkFile, Uint8Array.from(row.flatMap((v) => [...encodeFr(frFromSigned(v))]))), `a row of ${id} as field elements`);
      checked += row.length;
      const w = new ByteWriter();
      for (const v of row) w.svarint(v);
      assert.ok(!contains(vkFile, w.bytes()), `a row of ${id} as varints`);
      assert.ok(contains(pkFile, w.bytes()), `the proving key holds the row of ${id}`);
    }
  assert.ok(checked > 10_000, `${checked} weights searched`);
  // The ONNX initializers' raw float32 bytes, in windows of two floats (8 bytes: no chance match in a 64 KiB key),
  // against every 8-byte window of each key file.
  const windows = (b: Uint8Array) => {
    const view = new DataView(b.buffer, b.byteOffset, b.length);
    return new Set(Array.from({ length: b.length - 7 }, (_, i) => view.getBigUint64(i, true)));
  };
  const [inVk, inPk] = [windows(vkFile), windows(pkFile)];
  let floats = 0;
  for (const t of parseOnnx(onnx).initializers.values()) {
    const raw = Float32Array.from(t.values);
    const view = new DataView(raw.buffer);
    for (let i = 0; i + 8 <= raw.byteLength; i += 8) {
      const w = view.getBigUint64(i, true);
      assert.ok(!inVk.has(w), `ONNX initializer ${t.name} bytes ${i}… in the verifying key`);
      assert.ok(!inPk.has(w), `ONNX initializer ${t.name} bytes ${i}… in the proving key`);
      floats += 2;
    }
  }
  assert.ok(floats > 50_000, `${floats} ONNX floats searched`);
  // 2,055 G1 powers and the 1,040 points of the input and output domains' Lagrange bases, stored uncompressed (64 bytes
  // each, so that loading takes no square root per point), are most of it.
  assert.ok(vkFile.length < 205_000, `the .vk is ${vkFile.length} bytes`);
  assert.ok(!contains(encodeCompiledModel(compiled), onnx.subarray(onnx.length >> 1, (onnx.length >> 1) + 64)), 'the compiled model holds no ONNX either');
});

test('a .vk copied alone into an empty folder verifies a proof through the CLI', async () => {
  const { direct, pk } = await sample;
  const dir = mkdtempSync(join(tmpdir(), 'blockfold-vk-alone-'));
  const vkPath = join(dir, 'm.vk');
  writeFileSync(vkPath, (await sample).vkFile);
  const proofDir = mkdtempSync(join(tmpdir(), 'blockfold-proof-'));
  writeFileSync(join(proofDir, 'm.proof'), encodeProof({ verifyingKeyDigest: pk.vk.digest, statement: direct.statement, proof: direct.proof }));
  copyFileSync(join(proofDir, 'm.proof'), join(dir, 'm.proof'));
  assert.deepEqual(readdirSync(dir).sort(), ['m.proof', 'm.vk']);
  const run = await new Promise<{ code: number; stdout: string }>((resolve) =>
    execFile(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'verify', vkPath, join(dir, 'm.proof'), '--json'], { cwd: repo }, (e, stdout) =>
      resolve({ code: e ? (e.code as number) : 0, stdout }),
    ),
  );
  assert.equal(run.code, 0, run.stdout);
  assert.equal(JSON.parse(run.stdout).accepted, true);
});

test('hand-made architectures: many tensors, too few SRS powers for blinded quotients, an overlong varint, an unregistered block kind, a map run leaving its input, a count beyond the bytes are typed errors', () => {
  const header = (w: ByteWriter) => {
    writeName(w, 'blockfold/architecture/v2');
    writeName(w, 'm');
  };
  // 300 000 tensors: limits are computed without spreading them into arguments (that overflowed the stack).
  const many = new ByteWriter();
  header(many);
  many.uvarint(16).uvarint(300_000);
  for (let i = 0; i < 300_000; i++) {
    writeName(many, `t${i}`);
    many.u8(3).uvarint(1).uvarint(1);
  }
  many.uvarint(0).uvarint(0).uvarint(0).u8(0).uvarint(0);
  assert.throws(() => decodeArchitecture(many.bytes()), (e: unknown) => e instanceof ArtifactError && /not constrained/.test((e as Error).message));
  // srsG1Powers = 8 with a tensor on H_1: blinded quotients need 2·1 + 7 = 9 powers, refused before any block is read.
  const short = new ByteWriter();
  header(short);
  short.uvarint(8).uvarint(1);
  writeName(short, 't0');
  short.u8(3).uvarint(1).uvarint(1);
  short.uvarint(0).uvarint(0).uvarint(0).u8(0).uvarint(0);
  assert.throws(() => decodeArchitecture(short.bytes()), (e: unknown) => e instanceof ArtifactError && /blinded quotients need 9 powers of τ, srsG1Powers = 8/.test((e as Error).message));
  // srsG1Powers = 8 written as two bytes (0x88 0x00): every integer has one encoding.
  const overlong = new ByteWriter();
  header(overlong);
  overlong.write(Uint8Array.of(0x88, 0x00)).uvarint(0).uvarint(0).uvarint(0).uvarint(0).u8(0).uvarint(0);
  assert.throws(() => decodeArchitecture(overlong.bytes()), (e: unknown) => e instanceof ArtifactError && /non-canonical varint/.test((e as Error).message));
  // A block of a kind with no registered codec: named, before its parameters are read.
  const unknownKind = new ByteWriter();
  header(unknownKind);
  unknownKind.uvarint(16).uvarint(0).uvarint(1);
  writeName(unknownKind, 'not-registered');
  assert.throws(() => decodeArchitecture(unknownKind.bytes()), (e: unknown) => e instanceof ArtifactError && /block 0 is of kind "not-registered", which has no registered codec/.test((e as Error).message));
  // A tensor count larger than the bytes left is refused before anything is allocated.
  const inflated = new ByteWriter();
  header(inflated);
  inflated.uvarint(16).uvarint(2 ** 40);
  assert.throws(() => decodeArchitecture(inflated.bytes()), (e: unknown) => e instanceof ArtifactError && /tensor count/.test((e as Error).message));
  // A copy run of two cells from cell 1 of a 2-cell input, stride 1: its last source is outside the input.
  const run = new ByteWriter();
  writeName(run, 'copy');
  run.uvarint(1);
  writeName(run, 'i');
  run.uvarint(1).uvarint(2).uvarint(2);
  writeName(run, 'o');
  run.uvarint(1).uvarint(2).uvarint(2);
  run.uvarint(1).uvarint(2).uvarint(1).svarint(1n);
  const r = new ParamReader(new ByteReader(run.bytes()), { rows: 4, domain: 4 }, new CellBudget(1 << 10));
  assert.throws(() => blockCodec('permutation')!.decode(r), /a run leaves input i/);
  // The same map within the cell budget of the graph only: 4 cells left, the map spells out 2 but the table 8.
  const table = new ByteWriter();
  writeName(table, 'range');
  table.u8(1).uvarint(8).u8(0).svarint(0n).uvarint(0);
  const small = new ParamReader(new ByteReader(table.bytes()), { rows: 4, domain: 4 }, new CellBudget(4));
  assert.throws(() => blockCodec('lookup')!.decode(small), /exceed what is left of the graph's limit/);
});

/** A hand-made architecture: header, the given tensors (id, kind index, rows, domain), nodes (kind, parameters, bindings to tensor indices), no layouts or layers. */
function handMade(tensors: [string, number, number, number][], nodes: [string, Uint8Array, [string, number][]][]): Uint8Array {
  const w = new ByteWriter();
  writeName(w, 'blockfold/architecture/v2');
  writeName(w, 'm');
  w.uvarint(1 << 14).uvarint(tensors.length);
  for (const [id, kind, rows, domain] of tensors) {
    writeName(w, id);
    w.u8(kind).uvarint(rows).uvarint(domain);
  }
  w.uvarint(nodes.length);
  for (const [kind, params, bind] of nodes) {
    writeName(w, kind);
    w.uvarint(params.length).write(params).uvarint(bind.length);
    for (const [name, t] of bind) {
      writeName(w, name);
      w.uvarint(t);
    }
  }
  w.uvarint(0).uvarint(0).u8(0).uvarint(0);
  return w.bytes();
}

test('a few bytes never expand into millions of cells: map runs and counting tables are charged to a budget tied to the encoding\'s length', () => {
  // One constant run of 4096·4096 cells in 93 bytes: it took 35 s and 1.5 GiB before it was refused.
  const run = new ByteWriter();
  writeName(run, 'L');
  run.uvarint(1);
  writeName(run, 'in0');
  run.uvarint(4096).uvarint(4096).uvarint(4096);
  writeName(run, 'out');
  run.uvarint(4096).uvarint(4096).uvarint(4096);
  run.uvarint(0).uvarint(4096 * 4096).svarint(0n);
  const big = handMade([['a', 0, 4096, 4096], ['b', 3, 4096, 4096]], [['permutation', run.bytes(), []]]);
  assert.ok(big.length < 100);
  const limit = architectureCellLimit(big.length);
  assert.equal(limit, ARCHITECTURE_CELLS_FLOOR + ARCHITECTURE_CELLS_PER_BYTE * big.length);
  const t0 = performance.now();
  const rss0 = process.memoryUsage().rss;
  assert.throws(() => decodeArchitecture(big), (e: unknown) => e instanceof ArtifactError && new RegExp(`index map of out: 16777216 cells exceed what is left of the graph's limit \\(${limit}\\)`).test((e as Error).message));
  assert.ok(performance.now() - t0 < 500, `refused in ${performance.now() - t0} ms`);
  assert.ok(process.memoryUsage().rss - rss0 < 64 * 2 ** 20);
  // Counting tables of 2^16 entries take a few bytes each: five of them in 197 bytes exceed what those bytes may spell out.
  const table = new ByteWriter();
  writeName(table, 'range');
  table.u8(1).uvarint(1 << 16).u8(0).svarint(0n).uvarint(1);
  writeName(table, 'a');
  table.u8(0).uvarint(1).uvarint(4).uvarint(4);
  const tables = handMade([['a', 3, 1, 4]], Array.from({ length: 5 }, () => ['lookup', table.bytes(), [['a', 0]]] as [string, Uint8Array, [string, number][]]));
  assert.throws(() => decodeArchitecture(tables), (e: unknown) => e instanceof ArtifactError && /block 4 \(lookup\): table range: 65536 cells exceed what is left of the graph's limit/.test((e as Error).message));
  // The bundled models spell out fewer than 4 cells per byte, far inside the limit.
  const model = compile(new Uint8Array(readFileSync(modelFile('fashion-cnn.onnx'))), fashionImages().images.slice(0, 2).map((input) => ({ input })));
  const bytes = encodeArchitecture(model);
  assert.equal(hex(encodeArchitecture(decodeArchitecture(bytes))), hex(bytes));
});

test('a key whose input or output tensor has no layout, or two, is refused when decoded (verify threw a TypeError on it)', async () => {
  const { vkFile } = await sample;
  const { vk } = await decodeVerifyingKey(vkFile);
  const edits: [string, (a: Architecture) => Architecture, RegExp][] = [
    ['no input layout', (a) => ({ ...a, inputs: [] }), /input tensor "[^"]+" has no layout/],
    ['input layout twice', (a) => ({ ...a, inputs: [...a.inputs, ...a.inputs] }), /input tensor "[^"]+" has two layouts/],
    ['no output layout', (a) => ({ ...a, outputs: [] }), /output tensor "[^"]+" has no layout/],
    ['output layout twice', (a) => ({ ...a, outputs: [a.outputs[0], { ...a.outputs[0], name: 'again' }] }), /output tensor "[^"]+" has two layouts/],
  ];
  for (const [label, edit, why] of edits) {
    assert.throws(() => decodeArchitecture(encodeArchitecture(edit(vk.model))), (e: unknown) => e instanceof ArtifactError && why.test((e as Error).message), label);
    const file = await tamperedKey(vkFile, edit, true);
    await assert.rejects(decodeVerifyingKey(file), (e: unknown) => e instanceof ArtifactError && why.test((e as Error).message), `${label}: the re-checksummed .vk`);
  }
});

test('decodeArchitecture refuses a graph whose block reads a weight directly instead of through its relinked copy (checkFixedRowsRelinked on every key read)', () => {
  const model = compile(new Uint8Array(readFileSync(modelFile(SAMPLE_MLP))), [{ input: sampleMlpInput() }]);
  const { weights: _, ...honest } = model;
  assert.ok(decodeArchitecture(encodeArchitecture(honest)), 'the honest architecture decodes');
  // A reader of a relinked copy `<w>~link` rebound to the weight <w> itself: a valid graph otherwise.
  const copy = model.graph.tensors.find((t) => t.id.endsWith('~link'))!;
  const weight = copy.id.slice(0, -'~link'.length);
  const at = model.graph.nodes.findIndex((n) => n.block.kind !== 'relink' && Object.values(n.bind).includes(copy.id));
  assert.ok(at >= 0, 'some block reads a relinked copy');
  const nodes = model.graph.nodes.map((n, i) => (i === at ? { ...n, bind: Object.fromEntries(Object.entries(n.bind).map(([k, v]) => [k, v === copy.id ? weight : v])) } : n));
  const crafted = encodeArchitecture({ ...honest, graph: { ...honest.graph, nodes } });
  assert.throws(() => decodeArchitecture(crafted), (e: unknown) => e instanceof ArtifactError && /reads weight .* directly/.test(e.message));
});

test('an architecture whose srsG1Powers holds 2N + hidingSrsSlack(c) but not a block\'s own quotient (a segment max of 64 candidates and 2 outputs, Block.quotientPowers) is refused; with the key the graph asks for it decodes', () => {
  const model = compile(new Uint8Array(readFileSync(modelFile(SAMPLE_MLP))), [{ input: sampleMlpInput() }]);
  const [L, M] = [64, 2];
  const input = model.graph.tensors.find((t) => t.kind === 'input')!;
  const copy = new PermutationBlock({
    label: 'candidates',
    inputs: [{ name: 'i', rows: input.rows, length: input.domain, domain: input.domain }],
    output: { name: 'o', rows: 1, length: L * M, domain: L * M },
    cells: [Array.from({ length: L * M }, (_, col) => ({ input: 0, row: 0, col: col % input.domain }))],
  });
  const max = new SegmentMaxBlock({ candidates: L, outputs: M, bits: 16 });
  const range = new RangeBlock(1 << 16, [{ input: 'x', rows: 1, domain: L * M, length: L * M, bits: 16, difference: { minuend: 'y', power: L } }]);
  const graph: BlockGraph = {
    tensors: [...model.graph.tensors, { id: 'seg.x', kind: 'wire', rows: 1, domain: L * M }, { id: 'seg.y', kind: 'wire', rows: 1, domain: M }],
    nodes: [...model.graph.nodes, { block: copy, bind: { i: input.id, o: 'seg.x' } }, { block: max, bind: { x: 'seg.x', y: 'seg.y' } }, { block: range, bind: { x: 'seg.x', y: 'seg.y' } }],
  };
  const c = graphBlindingCoefficients(graph);
  const base = 2 * largestDomain(graph) + hidingSrsSlack(c);
  assert.ok(max.quotientPowers(c) > base, 'the block asks for more than the base');
  assert.equal(keyG1Powers(graph), max.quotientPowers(c));
  assert.throws(
    () => decodeArchitecture(encodeArchitecture({ ...model, graph, srsG1Powers: base })),
    (e: unknown) => e instanceof ArtifactError && new RegExp(`a block's quotient needs ${max.quotientPowers(c)} powers of τ`).test((e as Error).message),
  );
  const enough = encodeArchitecture({ ...model, graph, srsG1Powers: srsG1PowersOf(graph) });
  assert.equal(hex(encodeArchitecture(decodeArchitecture(enough))), hex(enough));
});
