/**
 * ConvolutionBlock (`blocks/convolution.ts`): the witness against im2col and the flat WeightedRowsBlock's arithmetic
 * (same C for random x and W over several geometries), the conformance harness, a proof inside a model argument
 * beside another flat block, the codec, and bad shapes and witnesses as typed errors. The cheating provers are in
 * `convolution-adversarial.test.ts`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkConformance, commitRows, SumBlock, type Block, type BlockContext, type Tensors } from '../../blocks/index';
import { ConvolutionBlock, type ConvolutionOptions } from '../../blocks/convolution';
import { WeightedRowsBlock } from '../../blocks/weighted-rows';
import { proveLeaf } from '../../blocks/leaf';
import { modelArgumentProtocol, modelArgumentProver, modelArgumentSpec, modelArgumentStatement } from '../../blocks/model-argument';
import type { SlotValues } from '../../src/equations/equation';
import type { G1Point } from '../../src/curve';
import { BlockfoldError, EncodingError } from '../../src/errors';
import { Transcript } from '../../src/transcript';
import { decodeParams, encodeParams } from '../helpers/block-params';
import { replayAndVerify } from '../helpers/replay-verify';
import { context } from '../soundness/helpers';
import { convolutionInputs } from './convolution-fixtures';

/**
 * The convolution by im2col and the flat weighted rows: B_j (j = t·cin + c) holds, at the dense output position
 * y·Wout + x, the image cell (c, y + dy − pt, x + dx − pl) or 0 outside the image (bounds checked, no layout), and
 * `WeightedRowsBlock.witness` multiplies; the result is moved to the convolution's layout (c·N + y·S + x).
 */
function im2colConvolution(block: ConvolutionBlock, w: readonly (readonly bigint[])[], image: readonly (readonly (readonly bigint[])[])[]): bigint[] {
  const g = block.layout;
  const [hOut, wOut] = [g.outHeight, g.outWidth];
  const n = hOut * wOut;
  const wr = new WeightedRowsBlock({ m: g.outChannels, k: block.columns, n, flat: true });
  const Nw = wr.outerDomain;
  const b = new Array<bigint>(block.columns * Nw).fill(0n);
  for (let t = 0; t < g.taps; t++) {
    const [dy, dx] = [Math.floor(t / g.kernelWidth), t % g.kernelWidth];
    for (let c = 0; c < g.inChannels; c++)
      for (let y = 0; y < hOut; y++)
        for (let x = 0; x < wOut; x++) {
          const [Y, X] = [y + dy - g.pads.top, x + dx - g.pads.left];
          if (Y >= 0 && Y < g.height && X >= 0 && X < g.width) b[(t * g.inChannels + c) * Nw + y * wOut + x] = image[c][Y][X];
        }
  }
  const dense = wr.witness({ w, b: [b] }).c[0];
  // C holds pow2(m) channels (those beyond m zero), as its layout on H_{M·N} does.
  const out = new Array<bigint>(block.outRows * g.channelCells).fill(0n);
  for (let c = 0; c < g.outChannels; c++)
    for (let y = 0; y < hOut; y++) for (let x = 0; x < wOut; x++) out[c * g.channelCells + y * g.rowStride + x] = dense[c * Nw + y * wOut + x];
  return out;
}

const SHAPES: readonly (Omit<ConvolutionOptions, 'inChannels' | 'outChannels'> & { readonly name: string })[] = [
  { name: '3×3 "same"', height: 5, width: 6, kernelHeight: 3, kernelWidth: 3, pads: { top: 1, left: 1, bottom: 1, right: 1 } },
  { name: '3×3 "valid"', height: 5, width: 6, kernelHeight: 3, kernelWidth: 3 },
  { name: '1×1', height: 4, width: 3, kernelHeight: 1, kernelWidth: 1 },
  { name: '2×3 asymmetric pads', height: 4, width: 5, kernelHeight: 2, kernelWidth: 3, pads: { top: 1, left: 2, bottom: 0, right: 1 } },
];

test('convolution witness: the same C as im2col and the flat weighted rows, for random x and W, every shape, cin ∈ {1, 2, 4}, m ∈ {1, 3, 8}', () => {
  let compared = 0;
  for (const shape of SHAPES)
    for (const inChannels of [1, 2, 4])
      for (const outChannels of [1, 3, 8]) {
        const block = new ConvolutionBlock({ ...shape, inChannels, outChannels });
        fc.assert(
          fc.property(fc.integer({ min: 1, max: 1 << 30 }), (seed) => {
            const { w, x, image } = convolutionInputs(block, seed);
            assert.deepEqual(block.witness({ w, x }).c, [im2colConvolution(block, w, image)], `${shape.name}, cin ${inChannels}, m ${outChannels}, seed ${seed}`);
          }),
          { numRuns: 4, seed: compared + 1 },
        );
        compared++;
      }
  assert.equal(compared, 36);
});

test('convolution witness: an x shorter than cin·N is zero-padded; a nonzero padding cell, bad shapes and lengths are typed errors naming them', () => {
  const block = new ConvolutionBlock({ inChannels: 2, outChannels: 3, height: 5, width: 6, kernelHeight: 3, kernelWidth: 3, pads: { top: 1, left: 1, bottom: 1, right: 1 } });
  const { w, x } = convolutionInputs(block, 3);
  const lastImageCell = 64 + 4 * 8 + 5;
  assert.deepEqual(block.witness({ w, x: [x[0].slice(0, lastImageCell + 1)] }), block.witness({ w, x }));
  const bad = (inputs: Tensors, pattern: RegExp) => assert.throws(() => block.witness(inputs), (e: unknown) => e instanceof BlockfoldError && pattern.test(e.message), pattern.source);
  bad({ w, x: [x[0].map((v, i) => (i === 64 + 2 * 8 + 6 ? 5n : v))] }, /x's padding cell \(channel 1, row 2, column 6\) holds 5, not 0/);
  bad({ w, x: [x[0].map((v, i) => (i === 5 * 8 ? -1n : v))] }, /x's padding cell \(channel 0, row 5, column 0\) holds -1, not 0/);
  bad({ w, x: [[...x[0], 0n]] }, /x must be one row of at most cin·N = 128 cells, got 129/);
  bad({ w: w.slice(1), x }, /expected w \(3 rows\) and x \(1 row\)/);
  bad({ w, x: [x[0], x[0]] }, /expected w \(3 rows\) and x \(1 row\)/);
  bad({ w: w.map((r) => r.slice(1)), x }, /rows of w must have length k = T·cin = 18/);
});

test('convolution passes the conformance harness: "same", "valid", 1×1 and asymmetric pads; cin 1, 2, 4; m 1, 3, 8', async () => {
  const ctx = await context(1024);
  const bytes: Record<string, number> = {};
  for (const [shape, inChannels, outChannels] of [
    [SHAPES[0], 2, 3],
    [SHAPES[1], 1, 8],
    [SHAPES[2], 4, 1],
    [SHAPES[3], 2, 2],
  ] as const) {
    const block = new ConvolutionBlock({ ...shape, inChannels, outChannels });
    const { w, x } = convolutionInputs(block, 5);
    const report = await checkConformance(block, ctx, { w, x }, { numRuns: 1 });
    assert.ok(report.witnessTamperings > 0, block.foldKey);
    assert.ok(report.unblindedRowsRejected, block.foldKey);
    bytes[block.foldKey] = report.proofBytes;
  }
  assert.deepEqual(bytes, {
    // [p]₁, two hidden scalars, the link's E and four running sums (three when M = cin, the 2×3 one: the claims over C
    // and x share H_{MN} and their multiplier), and x at each nonzero tap offset: 8 in the 3×3 ones, 5 in the 2×3 one.
    'convolution/c2/m3/5x6/k3x3/p1,1,1,1/S8/R8': 768,
    'convolution/c1/m8/5x6/k3x3/p0,0,0,0/S8/R8': 768,
    'convolution/c4/m1/4x3/k1x1/p0,0,0,0/S4/R4': 512,
    'convolution/c2/m2/4x5/k2x3/p1,2,0,1/S8/R8': 608,
  });
});

test('convolution: an image that fills its rows and channels has no padding identity, and is proven as any other', async () => {
  const ctx = await context(256);
  for (const shape of [
    { inChannels: 2, outChannels: 3, height: 4, width: 4, kernelHeight: 1, kernelWidth: 1 },
    { inChannels: 1, outChannels: 2, height: 4, width: 4, kernelHeight: 2, kernelWidth: 2 },
  ]) {
    const block = new ConvolutionBlock(shape);
    assert.deepEqual([block.layout.rowStride, block.layout.channelRows], [4, 4]);
    assert.ok(!block.iopSpec().identities.some((id) => id.name === 'conv/x-padding'), block.foldKey);
    const { w, x } = convolutionInputs(block, 9);
    await checkConformance(block, ctx, { w, x }, { numRuns: 1 });
  }
  const padded = new ConvolutionBlock({ inChannels: 1, outChannels: 2, height: 3, width: 4, kernelHeight: 1, kernelWidth: 1 });
  assert.ok(padded.iopSpec().identities.some((id) => id.name === 'conv/x-padding'), 'a padding row: the identity');
});

/** Proves `instances` as one model argument and verifies the messages. */
async function proveArgument(ctx: BlockContext, instances: readonly { block: Block; tensors: Tensors }[]) {
  const blocks = instances.map((i) => i.block);
  const spec = modelArgumentSpec('conv-model', blocks, ctx);
  const protocol = modelArgumentProtocol(spec, ctx);
  const statements: SlotValues[] = [];
  for (const { block, tensors } of instances) {
    const c: Record<string, G1Point[]> = {};
    for (const t of block.tensors) c[t.name] = await commitRows(ctx.kzg, tensors[t.name], t.domain);
    statements.push(block.statement(c));
  }
  const statement = modelArgumentStatement(statements);
  const { messages } = await proveLeaf(protocol, Transcript.create('conv-model'), ctx.engine, statement, modelArgumentProver(spec, blocks, ctx, instances.map((i) => i.tensors)));
  return { verify: (bytes = messages) => replayAndVerify(protocol, 'conv-model', ctx.engine, statement, bytes), messages, protocol };
}

test('convolution inside a model argument beside a flat sum over its output: one shared α; any changed message element or output cell is rejected', async () => {
  const ctx = await context(1024);
  const conv = new ConvolutionBlock({ inChannels: 2, outChannels: 4, height: 3, width: 3, kernelHeight: 3, kernelWidth: 3, pads: { top: 1, left: 1, bottom: 1, right: 1 } });
  const { w, x } = convolutionInputs(conv, 7);
  const { c } = conv.witness({ w, x });
  // The flat sum adds each output channel's N cells (4 rows of N = 16): C read in place as rows of N.
  const N = conv.layout.channelCells;
  const sum = new SumBlock({ rows: 4, length: N, flat: true });
  const sumTensors = { x: c, ...sum.witness({ x: c }) };
  const instances = [
    { block: conv as Block, tensors: { w, x, c } as Tensors },
    { block: sum as Block, tensors: sumTensors as Tensors },
  ];
  const honest = await proveArgument(ctx, instances);
  assert.deepEqual(await honest.verify(), { ok: true });
  const alphas = honest.protocol.slots.filter((s) => s.origin === 'challenge' && s.name.endsWith('alpha'));
  assert.deepEqual(alphas.map((s) => s.name), ['alpha'], 'the flat blocks draw one α');
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: honest.messages.length / 32 - 1 }), fc.integer({ min: 1, max: 255 }), async (e, mask) => {
      const bad = Uint8Array.from(honest.messages);
      bad[32 * e + 31] ^= mask;
      assert.equal((await honest.verify(bad)).ok, false, `element ${e}`);
    }),
    { numRuns: 12, seed: 3 },
  );
  const cheat: BlockContext = { ...ctx, allowInvalidWitness: true };
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: 4 * N - 1 }), fc.bigInt({ min: 1n, max: 1n << 40n }), async (cell, delta) => {
      const bad = [c[0].map((v, i) => (i === cell ? v + delta : v))];
      // The sum reads the changed C honestly: only the convolution's claims can catch it.
      const p = await proveArgument(cheat, [
        { block: conv, tensors: { w, x, c: bad } },
        { block: sum, tensors: { x: bad, ...sum.witness({ x: bad }) } },
      ]);
      assert.equal((await p.verify()).ok, false, `C cell ${cell} + ${delta}`);
    }),
    { numRuns: 6, seed: 4 },
  );
});

test('convolution: the codec writes the whole geometry and rebuilds the block; sizes beyond the graph are refused', () => {
  const block = new ConvolutionBlock({ inChannels: 2, outChannels: 3, height: 5, width: 6, kernelHeight: 2, kernelWidth: 3, pads: { top: 1, left: 2, bottom: 0, right: 1 }, rowStride: 16 });
  const bytes = encodeParams(block);
  assert.deepEqual(bytes, [2, 3, 5, 6, 2, 3, 1, 2, 0, 1, 16, 8]);
  const limits = { rows: 16, domain: 512 };
  const back = decodeParams<ConvolutionBlock>('convolution', bytes, limits);
  assert.equal(back.foldKey, block.foldKey);
  assert.equal(block.foldKey, 'convolution/c2/m3/5x6/k2x3/p1,2,0,1/S16/R8');
  assert.deepEqual(back.tensors, block.tensors);
  const refused = (b: number[], pattern: RegExp, type: new (...args: never[]) => BlockfoldError = EncodingError) =>
    assert.throws(() => decodeParams('convolution', b, limits), (e: unknown) => e instanceof type && pattern.test(e.message), pattern.source);
  refused([3, 3, 5, 6, 2, 3, 1, 2, 0, 1, 16, 8], /convolution input channels = 3 is not a power of two/);
  refused([2, 17, 5, 6, 2, 3, 1, 2, 0, 1, 16, 8], /convolution output channels = 17 exceeds the limit 16/);
  refused([2, 3, 5, 6, 2, 3, 1, 2, 0, 1, 16, 16], /x's 2·256 cells, C's 4·256 cells and W's rows of 16 cells must fit the graph's largest domain 512/);
  refused([2, 3, 5, 6, 2, 3, 1, 2, 0, 1, 16], /convolution rows per channel/);
  // Within the limits, a geometry the layout refuses is the layout's typed error.
  refused([2, 3, 5, 6, 2, 3, 1, 2, 0, 1, 4, 8], /S = 4 < W \+ left pad = 6 \+ 2/, BlockfoldError);
});

test('convolution: its tensors are W (m rows on H_K, fixed), x (one row of cin channels) and C (one row of pow2(m) channels)', () => {
  const block = new ConvolutionBlock({ inChannels: 4, outChannels: 3, height: 14, width: 14, kernelHeight: 3, kernelWidth: 3, pads: { top: 1, left: 1, bottom: 1, right: 1 } });
  assert.deepEqual([block.columns, block.innerDomain, block.outRows, block.layout.channelCells], [36, 64, 4, 256]);
  assert.deepEqual(block.tensors, [
    { name: 'w', rows: 3, domain: 64, role: 'input', fixed: true },
    { name: 'x', rows: 1, domain: 1024, role: 'input' },
    { name: 'c', rows: 1, domain: 1024, role: 'output' },
  ]);
});
