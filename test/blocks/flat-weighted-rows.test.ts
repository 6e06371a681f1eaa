/**
 * WeightedRowsBlock's flat layout (`flat: true`, blocks/weighted-rows.ts "Flat layout"): B one row on H_{K·N}, C one
 * row on H_{M·N}. Conformance (k a power of two and not, n a power of two and not, m not a power of two); every cell
 * of C and of B (padding included) changed; the cheats on p (fitted to a false C, accepted once the claims that pin
 * it are dropped, or with α known once α is drawn before p; garbage in its padding, accepted once W's mask is dropped); B's padding rows provably ignored; the
 * codec (old keys decode unchanged); bad shapes; the attention model's patch embedding lowered flat.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  checkConformance,
  type IdentityTerm,
  type PolyIopSpec,
  type Tensors,
} from '../../blocks/index';
import { WeightedRowsBlock, type WeightedRowsOptions } from '../../blocks/weighted-rows';
import type { SlotValues } from '../../src/equations/equation';
import { frSlot } from '../../src/equations/evaluate';
import { BlockfoldError, EncodingError } from '../../src/errors';
import { Fr, R } from '../../src/field';
import { readFileSync } from 'node:fs';
import { compile } from '../../src/pipeline/compile';
import { fashionImages, modelFile } from '../model/fixtures';
import { decodeParams, encodeParams } from '../helpers/block-params';
import { cheatingVerdict, context } from '../soundness/helpers';
import { hidingShift, proverWithout, shiftedKeepingWeightedSum, specWithout, unitLowerTriangular, type DroppedParts } from '../helpers/forge';
import { drawnWith, readOrGuess } from '../helpers/early-challenge';

const flat = (m: number, k: number, n: number) => new WeightedRowsBlock({ m, k, n, flat: true });

/** W (m rows of k) and the flat B (k rows of N cells, zero on the padding columns l ≥ n) with small pseudo-random integers. */
function inputsOf(block: WeightedRowsBlock, seed = 1): { w: bigint[][]; b: bigint[][] } {
  const N = block.outerDomain;
  const cell = (x: number) => BigInt(((x + seed) * 40503 + 17) % 23) - 11n;
  const w = Array.from({ length: block.m }, (_, c) => Array.from({ length: block.k }, (_, j) => cell(c * block.k + j)));
  const b = [Array.from({ length: block.k * N }, (_, x) => (x % N < block.n ? cell(1000 + x) : 0n))];
  return { w, b };
}

function honest(block: WeightedRowsBlock, seed = 1): Tensors {
  const inputs = inputsOf(block, seed);
  return { ...inputs, ...block.witness(inputs) };
}

/** A flat weighted-rows block whose prover commits `cheat(p, slots)` in place of p. */
function cheatingBlock(opts: WeightedRowsOptions, cheat: (p: bigint[], values: SlotValues) => bigint[]): WeightedRowsBlock {
  return new (class extends WeightedRowsBlock {
    protected override rowProducts(b: readonly (readonly bigint[])[], betas: readonly bigint[], values: SlotValues): bigint[] {
      return cheat(super.rowProducts(b, betas, values), values);
    }
  })({ ...opts, flat: true });
}

test('flat weighted rows passes the conformance harness: k = 3, 4, 49; n = 16, 5; m = 1, a power of two and not', async () => {
  const ctx = await context(2048);
  const bytes: Record<string, number> = {};
  for (const [m, k, n] of [
    [1, 3, 5],
    [2, 3, 5],
    [4, 4, 16],
    [3, 3, 16],
    [2, 49, 16],
    [16, 49, 16],
  ]) {
    const block = flat(m, k, n);
    const report = await checkConformance(block, ctx, inputsOf(block), { numRuns: 1 });
    assert.ok(report.witnessTamperings > 0, block.foldKey);
    // B and C enter only linearly (linearized, no evaluation revealed); a prover opening unblinded rows is rejected.
    assert.ok(report.unblindedRowsRejected, block.foldKey);
    bytes[block.foldKey] = report.proofBytes;
  }
  assert.deepEqual(bytes, {
    // [p]₁, two hidden scalars, four claims on H_{MN}, H_K (plain), H_{KN}, H_K (rows of one cell): four running
    // sums, and the weight link's E. None of it grows with m, k or n.
    'weighted-rows/m1/k3/n5/K4/N8/flat': 512,
    'weighted-rows/m2/k3/n5/K4/N8/flat': 512,
    'weighted-rows/m2/k49/n16/K64/N16/flat': 512,
    'weighted-rows/m16/k49/n16/K64/N16/flat': 512,
    // M = K: the claims over C and B share H_{MN} = H_{KN} and their multiplier, hence one running sum.
    'weighted-rows/m4/k4/n16/K4/N16/flat': 448,
    'weighted-rows/m3/k3/n16/K4/N16/flat': 448,
  });
});

/** C over all M rows (padding rows included), as the flat C is committed: m·N cells and zeros up to M·N. */
function paddedC(block: WeightedRowsBlock, c: readonly bigint[]): bigint[] {
  return [...c, ...new Array<bigint>((block.flatRows - block.m) * block.outerDomain).fill(0n)];
}

test('flat weighted rows: every cell of C changed, padding columns and padding rows included, is rejected', async () => {
  const ctx = await context(128);
  const block = flat(3, 3, 5);
  const t = honest(block);
  const c = paddedC(block, t.c[0]);
  assert.equal(c.length, 4 * 8);
  assert.equal((await cheatingVerdict(block, ctx, { ...t, c: [c] })).ok, true, 'honest, with explicit zero padding rows');
  const deltas = fc.sample(fc.bigInt({ min: -(1n << 20n), max: 1n << 20n }).filter((d) => d !== 0n), { numRuns: c.length, seed: 7 });
  for (let x = 0; x < c.length; x++) {
    const bad = c.map((v, i) => (i === x ? v + deltas[x] : v));
    assert.equal((await cheatingVerdict(block, ctx, { ...t, c: [bad] })).ok, false, `cell (${Math.floor(x / 8)}, ${x % 8}) + ${deltas[x]}`);
  }
});

test("flat weighted rows: every real cell of B changed is rejected; B's padding (columns l ≥ n, rows j ≥ k) is ignored", async () => {
  const ctx = await context(128);
  const block = flat(3, 3, 5);
  const N = block.outerDomain;
  const t = honest(block);
  const b = [...t.b[0], ...new Array<bigint>(N).fill(0n)]; // K·N = 4·8 cells: row 3 is padding
  const deltas = fc.sample(fc.bigInt({ min: -(1n << 20n), max: 1n << 20n }).filter((d) => d !== 0n), { numRuns: b.length, seed: 11 });
  for (let x = 0; x < b.length; x++) {
    const [j, l] = [Math.floor(x / N), x % N];
    const bad = b.map((v, i) => (i === x ? v + deltas[x] : v));
    const real = j < block.k && l < block.n;
    assert.equal((await cheatingVerdict(block, ctx, { ...t, b: [bad] })).ok, !real, `B cell (${j}, ${l}) + ${deltas[x]}: ${real ? 'real, must be rejected' : 'padding, ignored'}`);
  }
});

/** The product over all K rows of B, W's padding columns included: what an unmasked sum over H_K would accept. */
function productOverAllRows(block: WeightedRowsBlock, w: readonly (readonly bigint[])[], b: readonly bigint[]): bigint[] {
  const [K, N] = [block.innerDomain, block.outerDomain];
  const c = new Array<bigint>(block.m * N).fill(0n);
  for (let r = 0; r < block.m; r++) for (let j = 0; j < K; j++) for (let l = 0; l < block.n; l++) c[r * N + l] += (w[r][j] ?? 0n) * (b[j * N + l] ?? 0n);
  return c;
}

test("flat weighted rows: garbage in W's and B's padding matched in C is rejected by W's column mask, and verifies without it", async () => {
  const ctx = await context(128);
  const block = flat(2, 3, 5);
  const N = block.outerDomain;
  const t = honest(block);
  // The model owner (the prover) commits W with a padding column j = 3 (K = 4), and B holds a padding row j = 3.
  const w = t.w.map((row, r) => [...row, BigInt(5 + r)]);
  const b = [...t.b[0], ...Array.from({ length: N }, (_, l) => BigInt(l + 2))];
  const c = productOverAllRows(block, w, b);
  assert.notDeepEqual(c, t.c[0], 'the padding changes C');
  assert.equal((await cheatingVerdict(block, ctx, { w, b: [b], c: [c] })).ok, false, 'with the mask');
  assert.equal((await cheatingVerdict(block, ctx, { w, b: [b], c: t.c })).ok, true, 'with the mask, the honest C ignores both paddings');
  const spec = block.iopSpec();
  const unmask = (term: IdentityTerm): IdentityTerm => ({ ...term, factors: term.factors.filter((f) => !('public' in f && f.public === 'j<k')) });
  const unmasked: PolyIopSpec = {
    ...spec,
    publics: spec.publics.filter((p) => p.name !== 'j<k'),
    sums: (spec.sums ?? []).map((claim) => ({ ...claim, summand: claim.summand.map(unmask) })),
  };
  assert.equal(unmasked.publics.length, spec.publics.length - 1, 'the mask is in the spec');
  assert.equal((await cheatingVerdict(block, ctx, { w, b: [b], c: [c] }, unmasked)).ok, true, 'without the mask');
});

// The claims that pin p (over B and over p itself), their hidden scalar and their public vector (B is read only by
// the claim over it): without them a p chosen after β is free.
const PIN: DroppedParts = {
  slots: new Set(['[G]/flat/p']),
  oracles: new Set(['G/flat/p', 'b']),
  publics: new Set(['betas<n']),
  claims: new Set(['flat/b', 'flat/p']),
};


test('flat weighted rows: a p fitted to a false C verifies without the claims that pin it, and is rejected with them', async () => {
  const ctx = await context(128);
  for (const [m, k, n] of [
    [3, 3, 5],
    [4, 4, 16],
  ]) {
    const opts: WeightedRowsOptions = { m, k, n, flat: true };
    const block = new WeightedRowsBlock(opts);
    // W unit lower triangular (invertible), B pseudo-random.
    const inputs = { ...inputsOf(block), w: unitLowerTriangular(m, k) };
    const t: Tensors = { ...inputs, ...block.witness(inputs) };
    const N = block.outerDomain;
    // Output cell (1, 2) raised by δ. p is committed after β (before α), so the forger moves it by Δ with
    // W·Δ = δ·β²·e_1 (W square and invertible): every row of Σ_j W_cj·p_j then follows C, and the claims that read C
    // hold for any α.
    const delta = 6n;
    const forged = { ...t, c: [t.c[0].map((v, x) => (x === N + 2 ? v + delta : v))] };
    const forger = cheatingBlock(opts, (p, v) => {
      const shift = hidingShift(t.w, 1, Fr.mul(delta, Fr.pow(frSlot(v, 'beta'), 2n)));
      return p.map((x, j) => (j < k ? Fr.add(x, shift[j]) : x));
    });
    const broken = specWithout(forger.iopSpec(), PIN, 'without-pin');
    assert.equal(broken.sums?.length, 2);
    assert.deepEqual(await cheatingVerdict(forger, ctx, forged, broken, proverWithout(forger, forged, PIN.slots)), { ok: true }, `${block.foldKey}: the forgery without the pin`);
    assert.equal((await cheatingVerdict(forger, ctx, forged)).ok, false, `${block.foldKey}: the forgery with the pin`);
    // Control: the test's prover for the spec without the pin is complete.
    const recorder = cheatingBlock(opts, (p) => p);
    assert.deepEqual(await cheatingVerdict(recorder, ctx, t, broken, proverWithout(recorder, t, PIN.slots)), { ok: true }, 'control: honest');
  }
});

test('flat weighted rows: α is drawn after p; a p fitted to a false C with α known verifies where α is drawn first (control) and is rejected here', async () => {
  // As above, p moved by Δ with W·Δ = δ·β²·e_1, and its padding row K − 1 (k < K: no weight reads it) by
  // −Σ_{j<k} α^(K−1−j)·Δ_j, so the claims pinning p to B, rows weighted by α, hold too: α read if drawn before p, else guessed.
  const ctx = await context(128);
  const [m, k, n] = [3, 3, 5];
  const opts: WeightedRowsOptions = { m, k, n, flat: true };
  const block = new WeightedRowsBlock(opts);
  const inputs = { ...inputsOf(block), w: unitLowerTriangular(m, k) };
  const t: Tensors = { ...inputs, ...block.witness(inputs) };
  const [N, K] = [block.outerDomain, block.innerDomain];
  assert.ok(k < K, 'a padding row of p to absorb the α-weighted sum');
  const delta = 6n;
  const forged = { ...t, c: [t.c[0].map((v, x) => (x === N + 2 ? v + delta : v))] };
  const forger = cheatingBlock(opts, (p, v) => shiftedKeepingWeightedSum(p, hidingShift(t.w, 1, Fr.mul(delta, Fr.pow(frSlot(v, 'beta'), 2n))), readOrGuess(v, 'alpha')));
  assert.deepEqual(await cheatingVerdict(forger, ctx, forged, drawnWith(forger.iopSpec(), 'alpha', 'beta')), { ok: true }, 'the forgery with α drawn before p');
  assert.equal((await cheatingVerdict(forger, ctx, forged)).ok, false, 'the forgery with α drawn after p');
});

test('flat weighted rows: a p off in any cell (padding rows j ≥ k included) by any amount is rejected', async () => {
  const ctx = await context(128);
  const opts: WeightedRowsOptions = { m: 3, k: 3, n: 5, flat: true };
  const t = honest(new WeightedRowsBlock(opts));
  assert.equal((await cheatingVerdict(cheatingBlock(opts, (p) => p), ctx, t)).ok, true, 'control: the same prover without the cheat');
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: 3 }), fc.bigInt({ min: 1n, max: R - 1n }), async (j, delta) => {
      const block = cheatingBlock(opts, (p) => p.map((v, i) => (i === j ? Fr.add(v, delta) : v)));
      assert.equal((await cheatingVerdict(block, ctx, t)).ok, false, `p_${j} + ${delta}`);
    }),
    { numRuns: 8, seed: 5 },
  );
});

test('flat weighted rows: fold keys differ from the row layout; the codec keeps the layout, reads old keys as the row layout, and refuses bad sizes', () => {
  const encode = encodeParams;
  const decode = (bytes: ArrayLike<number>, limits = { rows: 16, domain: 256 }) => decodeParams<WeightedRowsBlock>('weighted-rows', bytes, limits);
  const rows = new WeightedRowsBlock({ m: 3, k: 5, n: 6 });
  const flatBlock = flat(3, 5, 6);
  assert.notEqual(rows.foldKey, flatBlock.foldKey);
  // The row layout's bytes are those written before the flat layout existed: m, k, n, K, N.
  assert.deepEqual([...encode(rows)], [3, 5, 6, 8, 8]);
  assert.deepEqual([...encode(flatBlock)], [0, 3, 5, 6, 8, 8]);
  for (const block of [rows, flatBlock]) {
    const back = decode(encode(block));
    assert.equal(back.foldKey, block.foldKey);
    assert.equal(back.flat, block.flat);
  }
  // A flat B of 49 rows and a flat C of 20 rows: more rows than the graph's row limit, within its largest domain.
  assert.equal(decode(encode(flat(20, 49, 4))).foldKey, flat(20, 49, 4).foldKey);
  const refused = (bytes: number[], pattern: RegExp) =>
    assert.throws(() => decode(Uint8Array.from(bytes)), (e: unknown) => e instanceof EncodingError && pattern.test(e.message), pattern.source);
  refused([17, 5, 6, 8, 8], /weighted-rows m \(0: flat layout\) = 17 exceeds the limit 16/);
  refused([0, 0, 5, 6, 8, 8], /flat weighted-rows m = 0 is below 1/);
  refused([0, 3, 49, 16, 64, 16], /B's rows of 1024 cells and M·N = 64 cells .* must fit the graph's largest domain 256/);
  refused([0, 33, 5, 16, 8, 16], /M·N = 1024 cells \(M = 64 rows for m = 33\)/);
});

test('flat weighted rows: bad shapes and witnesses are typed errors', () => {
  const block = flat(2, 3, 5);
  const w = [[1n, 2n, 3n], [4n, 5n, 6n]];
  const bad = (inputs: Tensors, pattern: RegExp) => assert.throws(() => block.witness(inputs), (e: unknown) => e instanceof BlockfoldError && pattern.test(e.message), pattern.source);
  bad({ w, b: [new Array<bigint>(23).fill(0n)] }, /b must be one row of k·N = 24 cells, got 23/);
  bad({ w, b: [new Array<bigint>(8).fill(0n), new Array<bigint>(8).fill(0n), new Array<bigint>(8).fill(0n)] }, /expected w \(2 rows\) and b \(1 rows\)/);
  bad({ w: [[1n, 2n], [3n, 4n]], b: [new Array<bigint>(24).fill(0n)] }, /rows of w must have length 3/);
  assert.throws(() => new WeightedRowsBlock({ m: 2, k: 3, n: 5, flat: true, innerDomain: 2 }), (e: unknown) => e instanceof BlockfoldError && /too small/.test(e.message));
  // The witness: C is one row of m·N cells, zero on the padding columns.
  const c = block.witness({ w, b: [Array.from({ length: 24 }, (_, x) => (x % 8 < 5 ? BigInt(x) : 0n))] }).c;
  assert.equal(c.length, 1);
  assert.equal(c[0].length, 16);
  assert.deepEqual(c[0].slice(0, 8), [0, 1, 2, 3, 4].map((l) => BigInt(1 * l + 2 * (8 + l) + 3 * (16 + l))).concat([0n, 0n, 0n]));
});


test('fashion-attn: the patch embedding lowers to flat weighted rows, B one row written by one copy and C read in place', () => {
  const model = compile(readFileSync(modelFile('fashion-attn.onnx')), fashionImages().images.map((input) => ({ input })));
  const products = model.graph.nodes.filter((nd) => nd.block instanceof WeightedRowsBlock);
  assert.equal(products.length, 1);
  const [{ block, bind }] = products;
  assert.ok(block instanceof WeightedRowsBlock && block.flat, block.foldKey);
  assert.deepEqual([block.m, block.k, block.n, block.innerDomain, block.outerDomain], [16, 49, 16, 64, 16]);
  const tensors = new Map(model.graph.tensors.map((t) => [t.id, t]));
  assert.deepEqual([tensors.get(bind.b)!.rows, tensors.get(bind.b)!.domain, tensors.get(bind.c)!.rows, tensors.get(bind.c)!.domain], [1, 1024, 1, 256]);
  // B is written by one copy (the im2col permutation), and no copy reads C (the bias add reads it in place).
  const writers = model.graph.nodes.filter((nd) => nd.block.tensors.some((t) => t.role === 'output' && nd.bind[t.name] === bind.b));
  assert.deepEqual(writers.map((nd) => nd.block.kind), ['permutation']);
  const copiesOfC = model.graph.nodes.filter((nd) => nd.block.kind === 'permutation' && nd.block.tensors.some((t) => t.role === 'input' && nd.bind[t.name] === bind.c));
  assert.deepEqual(copiesOfC, []);
});
