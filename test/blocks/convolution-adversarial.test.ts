/**
 * Cheating provers against ConvolutionBlock (`blocks/convolution.ts`), the prover's checks bypassed: a nonzero padding
 * cell of x with C computed from it (accepted once the padding identity is dropped); every cell of C changed, padding
 * included; every image cell of x changed; p off in any cell, or shifted by one; a p fitted to a false C (accepted once
 * the claims that pin p are dropped, or with α known once α is drawn before p).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { PolyIopSpec, Tensors } from '../../blocks/index';
import { ConvolutionBlock, type ConvolutionOptions } from '../../blocks/convolution';
import type { SlotValues } from '../../src/equations/equation';
import { frSlot } from '../../src/equations/evaluate';
import { Fr, R } from '../../src/field';
import { cheatingVerdict, context } from '../soundness/helpers';
import { hidingShift, proverWithout, shiftedKeepingWeightedSum, specWithout, unitLowerTriangular, type DroppedParts } from '../helpers/forge';
import { drawnWith, readOrGuess } from '../helpers/early-challenge';
import { convolutionInputs } from './convolution-fixtures';

/** 2 channels of a 3×3 image, 3×3 kernel, pad 1: S = Rr = 4, N = 16, every padding cell read by some tap. */
const SAME: ConvolutionOptions = { inChannels: 2, outChannels: 3, height: 3, width: 3, kernelHeight: 3, kernelWidth: 3, pads: { top: 1, left: 1, bottom: 1, right: 1 } };

function honest(block: ConvolutionBlock, seed = 1): Tensors {
  const { w, x } = convolutionInputs(block, seed);
  return { w, x, ...block.witness({ w, x }) };
}

/**
 * `C = Σ_j W_cj·B_j` with B_j read from x at every tap's rotation, whatever x's padding holds (the block's witness
 * refuses a nonzero padding cell): the C a prover would fit to a nonzero padding cell.
 */
function rotatedProduct(block: ConvolutionBlock, w: readonly (readonly bigint[])[], x: readonly bigint[]): bigint[] {
  const g = block.layout;
  const n = g.inChannels * g.channelCells;
  const c = new Array<bigint>(g.outChannels * g.channelCells).fill(0n);
  for (let co = 0; co < g.outChannels; co++)
    for (let l = 0; l < g.channelCells; l++) {
      if (!g.isOutputPosition(l)) continue;
      for (let t = 0; t < g.taps; t++)
        for (let ci = 0; ci < g.inChannels; ci++) c[co * g.channelCells + l] += w[co][t * g.inChannels + ci] * x[(((ci * g.channelCells + l + g.tapOffset(t)) % n) + n) % n];
    }
  return c;
}

/** A convolution whose prover commits `cheat(p, slots)` in place of p. */
function cheatingBlock(opts: ConvolutionOptions, cheat: (p: bigint[], values: SlotValues) => bigint[]): ConvolutionBlock {
  return new (class extends ConvolutionBlock {
    protected override tapProducts(x: readonly bigint[], betas: readonly bigint[], values: SlotValues): bigint[] {
      return cheat(super.tapProducts(x, betas, values), values);
    }
  })(opts);
}

test("convolution: a nonzero padding cell of x, C computed from it, is rejected for every padding cell; without the padding identity it verifies", async () => {
  const ctx = await context(512);
  const block = new ConvolutionBlock(SAME);
  const t = honest(block);
  const g = block.layout;
  const spec = block.iopSpec();
  const unpadded: PolyIopSpec = {
    ...spec,
    foldKey: `${spec.foldKey}/unpadded`,
    identities: spec.identities.filter((id) => id.name !== 'conv/x-padding'),
    publics: spec.publics.filter((p) => p.name !== 'x/padding'),
  };
  assert.equal(unpadded.identities.length, spec.identities.length - 1, 'the padding identity is in the spec');
  let padding = 0;
  for (let i = 0; i < g.inChannels * g.channelCells; i++) {
    if (g.isImagePosition(i % g.channelCells)) continue;
    padding++;
    const x = t.x[0].map((v, j) => (j === i ? 3n + BigInt(i) : v));
    const c = [rotatedProduct(block, t.w, x)];
    assert.notDeepEqual(c, t.c, `padding cell ${i} is read by some tap, so C changes`);
    const forged = { ...t, x: [x], c };
    assert.equal((await cheatingVerdict(block, ctx, forged)).ok, false, `padding cell ${i}`);
    if (padding <= 3) assert.deepEqual(await cheatingVerdict(block, ctx, forged, unpadded), { ok: true }, `padding cell ${i}, without the identity`);
  }
  assert.equal(padding, 2 * (16 - 9));
});

test('convolution: every cell of C changed, padding columns, rows and channels included, is rejected', async () => {
  const ctx = await context(512);
  const block = new ConvolutionBlock(SAME);
  const t = honest(block);
  // C is committed over all M = 4 channels: the witness holds m·N cells and zeros up to M·N.
  const c = t.c[0];
  assert.equal(c.length, block.outRows * block.layout.channelCells);
  assert.deepEqual(c.slice(block.layout.outChannels * block.layout.channelCells), new Array<bigint>(16).fill(0n), 'the padding channel is zero');
  const deltas = fc.sample(fc.bigInt({ min: -(1n << 20n), max: 1n << 20n }).filter((d) => d !== 0n), { numRuns: c.length, seed: 7 });
  for (let i = 0; i < c.length; i++) {
    const bad = c.map((v, j) => (j === i ? v + deltas[i] : v));
    assert.equal((await cheatingVerdict(block, ctx, { ...t, c: [bad] })).ok, false, `C cell ${i} + ${deltas[i]}`);
  }
});

test('convolution: any image cell of x changed, C kept, is rejected', async () => {
  const ctx = await context(512);
  const block = new ConvolutionBlock({ ...SAME, pads: {} }); // "valid": a 1×1 output per channel reads every image cell
  const t = honest(block);
  const g = block.layout;
  const image = Array.from({ length: g.inChannels * g.channelCells }, (_, i) => i).filter((i) => g.isImagePosition(i % g.channelCells));
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...image), fc.bigInt({ min: 1n, max: R - 1n }), async (i, delta) => {
      const x = t.x[0].map((v, j) => (j === i ? v + delta : v));
      assert.equal((await cheatingVerdict(block, ctx, { ...t, x: [x] })).ok, false, `x cell ${i} + ${delta}`);
    }),
    { numRuns: 8, seed: 9 },
  );
});

test('convolution: a p off in any cell (its padding j ≥ k included) by any amount, or shifted by one cell, is rejected', async () => {
  const ctx = await context(512);
  const t = honest(new ConvolutionBlock(SAME));
  assert.equal((await cheatingVerdict(cheatingBlock(SAME, (p) => p), ctx, t)).ok, true, 'control: the same prover without the cheat');
  const K = new ConvolutionBlock(SAME).innerDomain;
  assert.equal(K, 32);
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: K - 1 }), fc.bigInt({ min: 1n, max: R - 1n }), async (j, delta) => {
      const block = cheatingBlock(SAME, (p) => p.map((v, i) => (i === j ? Fr.add(v, delta) : v)));
      assert.equal((await cheatingVerdict(block, ctx, t)).ok, false, `p_${j} + ${delta}`);
    }),
    { numRuns: 8, seed: 5 },
  );
  for (const shift of [1, K - 1]) {
    const block = cheatingBlock(SAME, (p) => p.map((_, i) => p[(i + shift) % K]));
    assert.equal((await cheatingVerdict(block, ctx, t)).ok, false, `p rotated by ${shift}`);
  }
});

// The claims that pin p (over x's reads and over p itself), their hidden scalar and their public vector: without
// them a p chosen after β is free.
const PIN: DroppedParts = {
  slots: new Set(['[G]/conv/p']),
  oracles: new Set(['G/conv/p']),
  publics: new Set(['betas/out']),
  claims: new Set(['conv/x', 'conv/p']),
};


/**
 * The false output of the two tests below and the shift of p that hides it: W unit lower triangular (square, so
 * invertible), x pseudo-random, output cell (1, row 1, column 2) raised by δ. p is committed after β and before α, so
 * the forger moves it by Δ with W·Δ = δ·β^l·e_1, l = 1·S + 2: every row of Σ_j W_cj·p_j then follows C, and the
 * claims that read C hold for any α.
 */
function raisedCell(block: ConvolutionBlock, opts: ConvolutionOptions): { t: Tensors; forged: Tensors; shift: (v: SlotValues) => bigint[] } {
  const w = unitLowerTriangular(opts.outChannels, opts.outChannels);
  const { x } = convolutionInputs(block, 2);
  const t: Tensors = { w, x, ...block.witness({ w, x }) };
  const l = block.layout.rowStride + 2;
  const delta = 6n;
  const forged = { ...t, c: [t.c[0].map((v, i) => (i === block.layout.channelCells + l ? v + delta : v))] };
  return { t, forged, shift: (v) => hidingShift(w, 1, Fr.mul(delta, Fr.pow(frSlot(v, 'beta'), BigInt(l)))) };
}

test('convolution: a p fitted to a false C verifies without the claims that pin it, and is rejected with them', async () => {
  const ctx = await context(512);
  for (const opts of [
    // k = T·cin = m: W square. A 1×1 convolution of 2 channels, and a 3×3 "same" one of 1 channel into 9.
    { inChannels: 2, outChannels: 2, height: 3, width: 3, kernelHeight: 1, kernelWidth: 1 },
    { inChannels: 1, outChannels: 9, height: 3, width: 3, kernelHeight: 3, kernelWidth: 3, pads: { top: 1, left: 1, bottom: 1, right: 1 } },
  ] satisfies ConvolutionOptions[]) {
    const block = new ConvolutionBlock(opts);
    const m = opts.outChannels;
    const { t, forged, shift } = raisedCell(block, opts);
    const forger = cheatingBlock(opts, (p, v) => {
      const d = shift(v);
      return p.map((y, j) => (j < m ? Fr.add(y, d[j]) : y));
    });
    const broken = specWithout(forger.iopSpec(), PIN, 'without-pin');
    assert.equal(broken.sums?.length, 2);
    assert.deepEqual(await cheatingVerdict(forger, ctx, forged, broken, proverWithout(forger, forged, PIN.slots)), { ok: true }, `${block.foldKey}: the forgery without the pin`);
    assert.equal((await cheatingVerdict(forger, ctx, forged)).ok, false, `${block.foldKey}: the forgery with the pin`);
    const recorder = cheatingBlock(opts, (p) => p);
    assert.deepEqual(await cheatingVerdict(recorder, ctx, t, broken, proverWithout(recorder, t, PIN.slots)), { ok: true }, 'control: honest');
  }
});

test('convolution: α is drawn after p; a p fitted to a false C with α known verifies where α is drawn first (control) and is rejected here', async () => {
  // As above (3×3 "same", 1 channel into 9, W square), p moved by Δ with W·Δ = δ·β^l·e_1, and its padding row K − 1
  // (W has no column there) by −Σ_{j<k} α^(K−1−j)·Δ_j, so the claims pinning p to x, rows weighted by α, hold too: α
  // read if drawn before p, else guessed.
  const ctx = await context(512);
  const opts: ConvolutionOptions = { inChannels: 1, outChannels: 9, height: 3, width: 3, kernelHeight: 3, kernelWidth: 3, pads: { top: 1, left: 1, bottom: 1, right: 1 } };
  const block = new ConvolutionBlock(opts);
  const { forged, shift } = raisedCell(block, opts);
  const forger = cheatingBlock(opts, (p, v) => {
    assert.equal(p.length, 16, 'p on H_16: rows 9 … 15 padding');
    return shiftedKeepingWeightedSum(p, shift(v), readOrGuess(v, 'alpha'));
  });
  assert.deepEqual(await cheatingVerdict(forger, ctx, forged, drawnWith(forger.iopSpec(), 'alpha', 'beta')), { ok: true }, 'the forgery with α drawn before p');
  assert.equal((await cheatingVerdict(forger, ctx, forged)).ok, false, 'the forgery with α drawn after p');
});
