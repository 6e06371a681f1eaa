/**
 * MatmulBlock's flat layout (`flat: true`, blocks/matmul.ts "Flat layout"): A one row on H_{mK}, C one row on H_{mN}.
 * Conformance (fixed and committed B; K = N and K ≠ N; k < K and n < N; m = 1 and m = 16); every cell of C changed;
 * a unit moved between rows of C (the sums are row by row); the cheats on P, the message that must hold w on every
 * row (one cell off, right on row 0 only, fitted to a false C); the forgery that verifies once the periodicity check
 * (the δ terms) is dropped, and the one fitted with δ known that verifies once δ is drawn before P; every proof element changed; garbage in both paddings; m not a power of two (padding
 * rows i ≥ m up to M = pow2(m): conformance, every cell of C changed including the padding rows, garbage in A's
 * padding rows rejected by the rows identity and accepted without it); bad shapes and witnesses; the codec;
 * a model argument mixing both layouts; and the proof size against the row layout with the two permutation copies
 * the flat layout removes. The weight link of both layouts is tested in weight-link.test.ts.
 *
 * The flat B (`flatB`, "Flat B"): conformance in both orders, powers of two and not; every cell of A, B and C changed,
 * padding included, also where H_{NK} is a subgroup of the claim's domain (B read through `subgroupVector`, its cells
 * spread over several rows), as in the ablation and proof-element tests; P fitted row by row to a false C; a wrong w repeated on every row (fitted to a false C) that
 * verifies once the weights' side B·u is dropped and is rejected with it; B's padding identities dropped; the codec; bad
 * options and witnesses; a model argument with both orders; the attention model's two committed matmuls lowered to it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  checkConformance,
  commitRows,
  PermutationBlock,
  powers,
  proveBlock,
  reshapeMap,
  verifyBlock,
  type Block,
  type BlockContext,
  type IdentityTerm,
  type PolyIopSpec,
  type Tensors,
  type Verdict,
} from '../../blocks/index';
import { MatmulBlock, type FlatOperandOrder, type MatmulOptions } from '../../blocks/matmul';
import { readFileSync } from 'node:fs';
import { compile } from '../../src/index';
import { feedsFor, MODELS } from '../../bench/models';
import { modelArgumentProtocol, modelArgumentProver, modelArgumentSpec, modelArgumentStatement } from '../../blocks/model-argument';
import { proveLeaf, replayLeaf } from '../../blocks/leaf';
import { verifyInstances } from '../../blocks/batch-verify';
import { ByteReader } from '../../src/encoding/bytes';
import type { SlotValues } from '../../src/equations/equation';
import { frSlot } from '../../src/equations/evaluate';
import { BlockfoldError, EncodingError } from '../../src/errors';
import { Fr, R, frFromSigned } from '../../src/field';
import { Transcript } from '../../src/transcript';
import type { G1Point } from '../../src/curve';
import { cheatingVerdict, context, statementOf } from '../soundness/helpers';
import { honestProofElementChanges } from '../helpers/tampered-elements';
import { drawnWith, readOrGuess } from '../helpers/early-challenge';
import { decodeParams, encodeParams } from '../helpers/block-params';

const flat = (m: number, k: number, n: number, fixedB: boolean, more: Partial<MatmulOptions> = {}) => new MatmulBlock({ m, k, n, fixedB, flat: true, ...more });

/**
 * A (one row of m·K cells, zero on the padding columns j ≥ k) and B (n rows of k; a flat B: those rows laid out as its
 * one row, {@link layFlat}) with small pseudo-random integers.
 */
function inputsOf(block: MatmulBlock, seed = 1): { a: bigint[][]; b: bigint[][] } {
  const K = block.innerDomain;
  const cell = (x: number) => BigInt(((x + seed) * 40503 + 17) % 23) - 11n;
  const a = [Array.from({ length: block.m * K }, (_, x) => (x % K < block.k ? cell(x) : 0n))];
  const b = Array.from({ length: block.n }, (_, l) => Array.from({ length: block.k }, (_, j) => cell(1000 + l * block.k + j)));
  return { a, b: block.flatB ? [layFlat(block, b)] : b };
}

/** B's n rows of k cells as a flat B's one row: n·K cells, (l, j) at l·K + j (row-major), or k·N, at j·N + l (column-major). */
function layFlat(block: MatmulBlock, rows: readonly (readonly bigint[])[]): bigint[] {
  const [K, N] = [block.innerDomain, block.outerDomain];
  const rowMajor = block.flatB === 'row-major';
  const out = new Array<bigint>(rowMajor ? block.n * K : block.k * N).fill(0n);
  rows.forEach((row, l) => row.forEach((v, j) => (out[rowMajor ? l * K + j : j * N + l] = v)));
  return out;
}

/** `tensors` with the honest C. */
function honest(block: MatmulBlock, seed = 1): Tensors {
  const inputs = inputsOf(block, seed);
  return { ...inputs, ...block.witness(inputs) };
}

/** A flat matmul whose prover commits `cheat(P, slots)` in place of P (w repeated on every row). */
function cheatingBlock(opts: MatmulOptions, cheat: (p: bigint[], values: SlotValues) => bigint[]): MatmulBlock {
  return new (class extends MatmulBlock {
    protected override repeatedWeights(w: readonly bigint[], values: SlotValues): bigint[] {
      return cheat(super.repeatedWeights(w, values), values);
    }
  })(opts);
}

test('flat matmul passes the conformance harness: fixed and committed B, K = N and K ≠ N, k < K and n < N, one row', async () => {
  const ctx = await context(128);
  const bytes: Record<string, number> = {};
  for (const [m, k, n] of [
    [4, 4, 4],
    [4, 3, 5],
    [2, 8, 4],
    [1, 4, 3],
  ])
    for (const fixedB of [true, false]) {
      const block = flat(m, k, n, fixedB);
      const report = await checkConformance(block, ctx, inputsOf(block), { numRuns: 2 });
      assert.ok(report.witnessTamperings > 0, block.foldKey);
      // Blinded rows: a prover opening the unblinded rows instead of what was committed is rejected.
      assert.ok(report.blindedEvaluations > 0 && report.unblindedRowsRejected, block.foldKey);
      bytes[block.foldKey] = report.proofBytes;
    }
  assert.deepEqual(bytes, {
    // [P]₁ and one running sum on the larger of H_{MK} and H_{MN}, closing on 0 (no hidden scalar), whether K = N or
    // not: the smaller domain's side and w on H_K are read there through their subgroups. Fixed B adds the weight
    // link's E. Linearized oracles and the quotients have no value at ζ in the proof (docs/protocol.md,
    // "Linearization"). (Until the claims were merged: 352 and 320 B with K = N, 448 and 416 B otherwise.)
    'matmul/m4/k4/n4/K4/N4/fixed/flat': 256,
    'matmul/m4/k4/n4/K4/N4/committed/flat': 224,
    'matmul/m4/k3/n5/K4/N8/fixed/flat': 256,
    'matmul/m4/k3/n5/K4/N8/committed/flat': 224,
    'matmul/m2/k8/n4/K8/N4/fixed/flat': 256,
    'matmul/m2/k8/n4/K8/N4/committed/flat': 224,
    'matmul/m1/k4/n3/K4/N4/fixed/flat': 256,
    'matmul/m1/k4/n3/K4/N4/committed/flat': 224,
  });
});

test('flat matmul 16×16×16 passes the conformance harness, fixed and committed B', async () => {
  const ctx = await context(2 * 256 + 8);
  for (const fixedB of [true, false]) {
    const block = flat(16, 16, 16, fixedB);
    const report = await checkConformance(block, ctx, inputsOf(block), { numRuns: 1 });
    assert.ok(report.witnessTamperings > 0);
    assert.equal(report.proofBytes, fixedB ? 256 : 224, 'independent of m, k, n: the 4×4×4 sizes');
  }
});

test('flat matmul: every cell of C changed, padding columns included, is rejected (fixed and committed B, K = N, K < N and K > N: C read through its subgroup)', async () => {
  const ctx = await context(64);
  for (const [m, k, n, fixedB] of [
    [2, 3, 3, true],
    [2, 3, 3, false],
    [2, 3, 5, true],
    [2, 5, 3, true],
    [2, 5, 3, false],
  ] as const) {
    const block = flat(m, k, n, fixedB);
    const t = honest(block);
    assert.equal((await cheatingVerdict(block, ctx, t)).ok, true, `${block.foldKey}: honest`);
    const c = t.c[0];
    const deltas = fc.sample(
      fc.bigInt({ min: -(1n << 20n), max: 1n << 20n }).filter((d) => d !== 0n),
      { numRuns: c.length, seed: m * 100 + n },
    );
    for (let x = 0; x < c.length; x++) {
      const bad = c.map((v, i) => (i === x ? v + deltas[x] : v));
      assert.equal((await cheatingVerdict(block, ctx, { ...t, c: [bad] })).ok, false, `${block.foldKey}: cell (${Math.floor(x / block.outerDomain)}, ${x % block.outerDomain}) + ${deltas[x]}`);
    }
  }
});

test('flat matmul: C with a unit moved between two rows (every column sum kept) is rejected: the sums are row by row', async () => {
  const ctx = await context(64);
  for (const [k, n] of [
    [4, 4],
    [3, 5],
  ]) {
    const block = flat(4, k, n, true);
    const t = honest(block);
    const N = block.outerDomain;
    const moved = t.c[0].map((v, x) => (x === 0 ? v + 1n : x === 2 * N ? v - 1n : v));
    assert.equal((await cheatingVerdict(block, ctx, { ...t, c: [moved] })).ok, false, `k = ${k}, n = ${n}`);
  }
});

test('flat matmul: a P that is not w repeated is rejected, whichever cell is off and by how much', async () => {
  const ctx = await context(64);
  const opts: MatmulOptions = { m: 4, k: 3, n: 5, fixedB: true, flat: true };
  const t = honest(new MatmulBlock(opts));
  assert.equal((await cheatingVerdict(cheatingBlock(opts, (p) => p), ctx, t)).ok, true, 'control: the same prover without the cheat');
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: 4 * 4 - 1 }), fc.bigInt({ min: 1n, max: R - 1n }), async (x, delta) => {
      const block = cheatingBlock(opts, (p) => p.map((v, i) => (i === x ? Fr.add(v, delta) : v)));
      assert.equal((await cheatingVerdict(block, ctx, t)).ok, false, `P cell ${x} + ${delta}`);
    }),
    { numRuns: 6, seed: 7 },
  );
});

/**
 * The cheat P chosen after β to fit a false C: on every row i in `rows`, one cell of P moved so that
 * `Σ_j A_ij·P_ij = Σ_l β^l·C'_il` (the product's running sum then holds for C'); P is w repeated on the other rows.
 */
function fittedP(block: MatmulBlock, a: readonly bigint[], c: readonly bigint[], forged: readonly bigint[], rows: readonly number[]) {
  const [K, N] = [block.innerDomain, block.outerDomain];
  return (p: bigint[], v: SlotValues): bigint[] => {
    const out = p.slice();
    const betas = powers(frSlot(v, 'beta'), N);
    for (const i of rows) {
      let delta = 0n;
      for (let l = 0; l < N; l++) delta = Fr.add(delta, Fr.mul(betas[l], frFromSigned(forged[i * N + l] - c[i * N + l])));
      const j = Array.from({ length: block.k }, (_, j) => j).find((j) => a[i * K + j] !== 0n)!;
      out[i * K + j] = Fr.add(out[i * K + j], Fr.div(delta, frFromSigned(a[i * K + j])));
    }
    return out;
  };
}

/** C with cell (i, 0) raised by i + 1 on each row i ≥ `from`. */
const forgedC = (block: MatmulBlock, c: readonly bigint[], from: number) => c.map((v, x) => (Math.floor(x / block.outerDomain) >= from && x % block.outerDomain === 0 ? v + BigInt(x / block.outerDomain + 1) : v));

/** The shapes of the forgery tests, one of each: K = N, K < N and K > N (m = 4, B fixed). */
const FORGERY_SHAPES: readonly MatmulOptions[] = [
  [4, 4],
  [3, 5],
  [5, 3],
].map(([k, n]) => ({ m: 4, k, n, fixedB: true, flat: true }));

/** An honest witness of `opts`, and the same with C false from row `from` on ({@link forgedC}). */
function forgery(opts: MatmulOptions, from: number): { t: Tensors; forged: Tensors } {
  const t = honest(new MatmulBlock(opts));
  return { t, forged: { ...t, c: [forgedC(new MatmulBlock(opts), t.c[0], from)] } };
}

test('flat matmul: a P right on row 0 only, fitted on the other rows to a false C, is rejected (K = N, K < N and K > N)', async () => {
  const ctx = await context(64);
  for (const opts of FORGERY_SHAPES) {
    const { t, forged } = forgery(opts, 1);
    const block = cheatingBlock(opts, fittedP(new MatmulBlock(opts), t.a[0], t.c[0], forged.c[0], [1, 2, 3]));
    const verdict = await cheatingVerdict(block, ctx, forged);
    assert.equal(verdict.ok, false, `k = ${opts.k}, n = ${opts.n}`);
  }
});

/**
 * The cheat P fitted to a false C on every row with δ, which it reads if δ is drawn before P is sent and guesses
 * otherwise: one cell of P moved by `Δ_i/(A_ij + e_j)` (e_j = δ^(j+1), `Δ_i = Σ_l β^l·(C'_il − C_il)`), so each row's
 * `Σ_j P_ij·(A_ij + e_j) − Σ_l β^l·C'_il` is the honest row's and the claim holds for every α.
 */
function deltaFittedP(block: MatmulBlock, a: readonly bigint[], c: readonly bigint[], forged: readonly bigint[]) {
  const [K, N] = [block.innerDomain, block.outerDomain];
  return (p: bigint[], v: SlotValues): bigint[] => {
    const out = p.slice();
    const betas = powers(frSlot(v, 'beta'), N);
    const delta = readOrGuess(v, 'delta');
    for (let i = 0; i < out.length / K; i++) {
      let shift = 0n;
      for (let l = 0; l < N; l++) shift = Fr.add(shift, Fr.mul(betas[l], frFromSigned(forged[i * N + l] - c[i * N + l])));
      out[i * K] = Fr.add(out[i * K], Fr.div(shift, Fr.add(frFromSigned(a[i * K]), delta)));
    }
    return out;
  };
}

test('flat matmul: δ is drawn after P; a P fitted to a false C with δ known verifies where δ is drawn first (control) and is rejected here (K = N, K < N and K > N)', async () => {
  const ctx = await context(64);
  for (const opts of FORGERY_SHAPES) {
    const { t, forged } = forgery(opts, 0);
    const forger = cheatingBlock(opts, deltaFittedP(new MatmulBlock(opts), t.a[0], t.c[0], forged.c[0]));
    assert.deepEqual(await cheatingVerdict(forger, ctx, forged, drawnWith(forger.iopSpec(), 'delta', 'beta')), { ok: true }, `k = ${opts.k}, n = ${opts.n}: the forgery with δ drawn first`);
    assert.equal((await cheatingVerdict(forger, ctx, forged)).ok, false, `k = ${opts.k}, n = ${opts.n}: the forgery with δ drawn after P`);
  }
});

// The check that pins w: the δ terms of the one claim and its weights' side, `w·u` (B in rows: w the linked weights)
// or `B·u` (flat B: B itself).

/**
 * The flat spec without the check that pins w, its weights' side reading `oracle`: a P chosen after β is then free.
 * The oracle goes too unless an identity still reads it (a flat B's padding identities).
 */
function withoutWCheck(spec: PolyIopSpec, oracle: string, label: string): PolyIopSpec {
  const readsOracle = (t: IdentityTerm) => t.factors.some((f) => 'oracle' in f && f.oracle === oracle);
  const reads = (t: IdentityTerm) => readsOracle(t) || t.factors.some((f) => 'public' in f && f.public === 'deltas');
  const stillRead = spec.identities.some((i) => i.terms.some(readsOracle));
  return {
    ...spec,
    foldKey: `${spec.foldKey}/${label}`,
    oracles: stillRead ? spec.oracles : spec.oracles.filter((o) => o.name !== oracle),
    sums: (spec.sums ?? []).map((c) => ({ ...c, summand: c.summand.filter((t) => !reads(t)) })),
  };
}

/** The flat spec without its periodicity check. */
const withoutRepetitionCheck = (spec: PolyIopSpec) => withoutWCheck(spec, 'w', 'without-repetition');

/** The number of terms of a spec's claims. */
const claimTerms = (spec: PolyIopSpec) => (spec.sums ?? []).reduce((count, c) => count + c.summand.length, 0);

test('flat matmul: without the periodicity check a P fitted to a false C verifies; with it, the same forgery is rejected (K = N, K < N and K > N)', async () => {
  const ctx = await context(64);
  for (const opts of FORGERY_SHAPES) {
    const { t, forged } = forgery(opts, 0);
    const fit = fittedP(new MatmulBlock(opts), t.a[0], t.c[0], forged.c[0], [0, 1, 2, 3]);
    const forger = cheatingBlock(opts, (honestP, v) => fit(honestP, v));
    const broken = withoutRepetitionCheck(forger.iopSpec());
    assert.deepEqual([forger.iopSpec().sums?.length, claimTerms(broken)], [1, claimTerms(forger.iopSpec()) - 2], 'one claim; without the check, its δ term and its weights\' side');
    assert.deepEqual(await cheatingVerdict(forger, ctx, forged, broken), { ok: true }, `k = ${opts.k}, n = ${opts.n}: the forgery without the check`);
    assert.equal((await cheatingVerdict(forger, ctx, forged)).ok, false, `k = ${opts.k}, n = ${opts.n}: the forgery with the check`);
    // Control: the test's prover for the spec without the check is complete (honest P, honest C).
    const recorder = cheatingBlock(opts, (honestP) => honestP);
    assert.deepEqual(await cheatingVerdict(recorder, ctx, t, broken), { ok: true }, 'control: honest');
  }
});

test('flat matmul: every element of the proof changed is rejected (K = N fixed, K < N committed, K > N fixed)', async () => {
  const ctx = await context(64);
  for (const block of [flat(2, 3, 3, true), flat(2, 3, 5, false), flat(2, 5, 3, true)]) {
    const { verified, accepted } = await honestProofElementChanges(block, ctx, honest(block));
    assert.equal(verified, true);
    assert.deepEqual(accepted, [], `${block.foldKey}: changed elements accepted`);
  }
});

test("flat matmul: garbage in both paddings is rejected (A's padding pinned to zero), and passes without the padding identity", async () => {
  // k = 2 < K = 4: x in A's padding column, y in B's, and C = A·Bᵀ + x·y on the row that holds x.
  const ctx = await context(64);
  for (const fixedB of [true, false]) {
    const block = flat(2, 2, 1, fixedB, { innerDomain: 4 });
    assert.ok(block.checksPadding);
    const a = [[1n, 2n, 5n, 0n, 3n, -1n, 0n, 0n]];
    const b = [[3n, 4n, 7n, 0n]];
    const c = [[3n + 8n + 35n, 9n - 4n]];
    assert.equal((await cheatingVerdict(block, ctx, { a, b, c })).ok, false, `fixed B: ${fixedB}`);
    const spec = block.iopSpec();
    const unpadded: PolyIopSpec = { ...spec, identities: spec.identities.filter((i) => i.name !== 'a-padding') };
    assert.equal(unpadded.identities.length, spec.identities.length - 1);
    assert.equal((await cheatingVerdict(block, ctx, { a, b, c }, unpadded)).ok, true, `fixed B: ${fixedB}, control without the padding identity`);
  }
});

/** C = A·Bᵀ over all M rows of a full-length A (M·K cells, padding rows included): what a prover with garbage in A's padding rows must claim. */
function productOverAllRows(block: MatmulBlock, a: readonly bigint[], b: readonly (readonly bigint[])[]): bigint[] {
  const [K, N] = [block.innerDomain, block.outerDomain];
  return Array.from({ length: block.flatRows * N }, (_, x) => {
    const [i, l] = [Math.floor(x / N), x % N];
    return l < block.n ? b[l].reduce((acc, bj, j) => acc + a[i * K + j] * bj, 0n) : 0n;
  });
}

/** `row` zero-padded to `length` cells. */
const padTo = (row: readonly bigint[], length: number) => [...row, ...new Array<bigint>(length - row.length).fill(0n)];

test('flat matmul with m not a power of two passes the conformance harness: m = 3, 5, 49 with k = n = 16, both paddings at once', async () => {
  const ctx = await context(2 * 1024 + 8);
  const bytes: Record<string, number> = {};
  for (const [m, k, n, fixedB] of [
    [3, 16, 16, true],
    [5, 16, 16, false],
    [49, 16, 16, true],
    [3, 3, 5, true],
    [3, 3, 5, false],
  ] as const) {
    const block = flat(m, k, n, fixedB);
    assert.ok(block.checksPaddingRows, block.foldKey);
    const report = await checkConformance(block, ctx, inputsOf(block), { numRuns: 1 });
    assert.ok(report.witnessTamperings > 0, block.foldKey);
    assert.ok(report.blindedEvaluations > 0 && report.unblindedRowsRejected, block.foldKey);
    bytes[block.foldKey] = report.proofBytes;
  }
  // The padding identities are public and send nothing: the sizes of m = M (256 B with fixed weights, 224 B without).
  assert.deepEqual(bytes, {
    'matmul/m3/k16/n16/K16/N16/fixed/flat': 256,
    'matmul/m5/k16/n16/K16/N16/committed/flat': 224,
    'matmul/m49/k16/n16/K16/N16/fixed/flat': 256,
    'matmul/m3/k3/n5/K4/N8/fixed/flat': 256,
    'matmul/m3/k3/n5/K4/N8/committed/flat': 224,
  });
});

test('flat matmul, m not a power of two: every cell of C changed, its padding rows included, is rejected (K = N and K ≠ N)', async () => {
  const ctx = await context(64);
  for (const [m, k, n, fixedB] of [
    [3, 3, 3, true],
    [3, 3, 5, false],
    [5, 2, 2, true],
  ] as const) {
    const block = flat(m, k, n, fixedB);
    const t = honest(block);
    const N = block.outerDomain;
    const c = padTo(t.c[0], block.flatRows * N);
    assert.equal((await cheatingVerdict(block, ctx, { ...t, c: [c] })).ok, true, `${block.foldKey}: honest, C given with its padding rows`);
    const deltas = fc.sample(
      fc.bigInt({ min: -(1n << 20n), max: 1n << 20n }).filter((d) => d !== 0n),
      { numRuns: c.length, seed: m * 100 + n },
    );
    for (let x = 0; x < c.length; x++) {
      const bad = c.map((v, i) => (i === x ? v + deltas[x] : v));
      assert.equal((await cheatingVerdict(block, ctx, { ...t, c: [bad] })).ok, false, `${block.foldKey}: cell (${Math.floor(x / N)}, ${x % N}) + ${deltas[x]}`);
    }
  }
});

test("flat matmul, m not a power of two: garbage in A's padding rows (C's padding rows consistent) is rejected, and verifies without the rows identity", async () => {
  const ctx = await context(2 * 64 + 8);
  for (const [m, k, n, fixedB] of [
    [3, 4, 4, true],
    [3, 4, 4, false],
    [5, 4, 8, true],
    [3, 3, 5, false],
  ] as const) {
    const block = flat(m, k, n, fixedB);
    const K = block.innerDomain;
    const { a, b } = inputsOf(block);
    const spec = block.iopSpec();
    const withoutRows: PolyIopSpec = { ...spec, identities: spec.identities.filter((i) => i.name !== 'a-padding-rows') };
    assert.equal(withoutRows.identities.length, spec.identities.length - 1, 'the rows identity is in the spec');
    const honestA = padTo(a[0], block.flatRows * K);
    assert.equal((await cheatingVerdict(block, ctx, { a: [honestA], b, c: [productOverAllRows(block, honestA, b)] })).ok, true, `${block.foldKey}: honest`);
    assert.equal((await cheatingVerdict(block, ctx, { a: [honestA], b, c: [productOverAllRows(block, honestA, b)] }, withoutRows)).ok, true, `${block.foldKey}: honest, control spec`);
    // One nonzero cell in a real column of a padding row, C = A·Bᵀ on every row (so C's padding row is nonzero).
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: (block.flatRows - m) * k - 1 }), fc.bigInt({ min: 1n, max: 1n << 20n }), async (cell, g) => {
        const x = m * K + Math.floor(cell / k) * K + (cell % k);
        const dirty = honestA.map((v, i) => (i === x ? g : v));
        const c = productOverAllRows(block, dirty, b);
        assert.ok(c.slice(m * block.outerDomain).some((v) => v !== 0n), "C's padding rows are not zero");
        assert.equal((await cheatingVerdict(block, ctx, { a: [dirty], b, c: [c] })).ok, false, `${block.foldKey}: A cell ${x} = ${g}`);
        assert.equal((await cheatingVerdict(block, ctx, { a: [dirty], b, c: [c] }, withoutRows)).ok, true, `${block.foldKey}: A cell ${x} = ${g}, without the rows identity`);
      }),
      { numRuns: 2, seed: m + n },
    );
  }
});

test('flat matmul refuses bad shapes, and a witness that does not fit the layout, with typed errors', () => {
  for (const m of [0, -1, 2.5]) assert.throws(() => flat(m, 4, 4, true), (e: unknown) => e instanceof BlockfoldError && /m must be a positive integer/.test(e.message), `m = ${m}`);
  for (const m of [3, 5, 6, 12, 49]) {
    const block = flat(m, 4, 4, true);
    const M = 2 ** Math.ceil(Math.log2(m));
    assert.deepEqual([block.flatRows, block.checksPaddingRows], [M, true], `m = ${m}`);
    assert.deepEqual(block.tensors.map((t) => [t.rows, t.domain]), [[1, M * 4], [4, 4], [1, M * 4]], `m = ${m}: A and C on H_{M·K}, H_{M·N}`);
  }
  assert.equal(flat(4, 4, 4, true).checksPaddingRows, false, 'm = M: no padding rows, no rows identity');
  // Rows of A and C must be powers of two long (K, N): the row-weighted sums refuse other row lengths, as before.
  for (const more of [{ innerDomain: 3 }, { outerDomain: 6 }])
    assert.throws(() => flat(3, 3, 5, true, more), (e: unknown) => e instanceof BlockfoldError && /row length must be a power of two/.test(e.message), JSON.stringify(more));
  const padded = flat(3, 2, 2, true);
  const b2 = [[1n, 2n], [3n, 4n]];
  assert.throws(() => padded.witness({ a: [[1n, 2n, 3n, 4n, 5n, 6n, 0n, 0n]], b: b2 }), (e: unknown) => e instanceof BlockfoldError && /one row of m·K = 6 cells, got 8/.test(e.message), 'A with its padding row: the witness takes the m real rows');
  assert.deepEqual(padded.witness({ a: [[1n, 2n, 3n, 4n, 5n, 6n]], b: b2 }).c, [[5n, 11n, 11n, 25n, 17n, 39n]], 'C: the m real rows (the padding rows are the commitment\'s zeros)');
  const block = flat(2, 3, 3, true);
  const b = [[1n, 2n, 3n], [4n, 5n, 6n], [7n, 8n, 9n]];
  assert.throws(() => block.witness({ a: [[1n, 2n, 3n, 0n, 4n, 5n, 6n]], b }), (e: unknown) => e instanceof BlockfoldError && /one row of m·K = 8 cells/.test(e.message));
  assert.throws(() => block.witness({ a: [[1n, 2n, 3n, 0n], [4n, 5n, 6n, 0n]], b }), (e: unknown) => e instanceof BlockfoldError && /expected a \(1 rows\)/.test(e.message));
  assert.throws(() => block.witness({ a: [[1n, 2n, 3n, 0n, 4n, 5n, 6n, 9n]], b }), (e: unknown) => e instanceof BlockfoldError && /cell \(1, 3\) of a is padding/.test(e.message));
  assert.deepEqual(block.witness({ a: [[1n, 2n, 3n, 0n, 4n, 5n, 6n, 0n]], b }).c, [[14n, 32n, 50n, 0n, 32n, 77n, 122n, 0n]]);
});

test('flat matmul: fold keys differ from the row layout; the codec keeps the layout, reads old keys as the row layout, and refuses bad sizes', () => {
  const encode = encodeParams;
  const decode = (bytes: ArrayLike<number>, limits = { rows: 16, domain: 256 }) => decodeParams<MatmulBlock>('matmul', bytes, limits);
  for (const fixedB of [false, true]) {
    const rows = new MatmulBlock({ m: 4, k: 3, n: 5, fixedB });
    const flatBlock = flat(4, 3, 5, fixedB);
    assert.notEqual(rows.foldKey, flatBlock.foldKey);
    // The row layout's bytes are those written before the flat layout existed: m, k, n, fixedB, K, N.
    assert.deepEqual([...encode(rows)], [4, 3, 5, fixedB ? 1 : 0, 4, 8]);
    assert.deepEqual([...encode(flatBlock)], [0, 4, 3, 5, fixedB ? 1 : 0, 4, 8]);
    for (const block of [rows, flatBlock]) {
      const back = decode(encode(block));
      assert.equal(back.foldKey, block.foldKey);
      assert.equal(back.flat, block.flat);
      assert.equal(back.fixedB, block.fixedB);
    }
  }
  const refused = (bytes: number[], pattern: RegExp, limits?: { rows: number; domain: number }) =>
    assert.throws(() => decode(Uint8Array.from(bytes), limits), (e: unknown) => e instanceof EncodingError && pattern.test(e.message), pattern.source);
  refused([17, 3, 5, 1, 4, 8], /matmul m \(0: flat layout\) = 17 exceeds the limit 16/);
  refused([0, 0, 3, 5, 1, 4, 8], /flat matmul m = 0 is below 1/);
  refused([0, 64, 3, 5, 1, 4, 8], /M·K = 256 and M·N = 512 cells \(M = 64 rows for m = 64\) must fit the graph's largest domain 256/);
  refused([0, 33, 3, 5, 1, 4, 8], /M·K = 256 and M·N = 512 cells \(M = 64 rows for m = 33\) must fit the graph's largest domain 256/);
  // m not a power of two: the flat layout pads it to M = pow2(m) rows.
  const three = decode(Uint8Array.from([0, 3, 3, 5, 1, 4, 8]));
  assert.deepEqual([three.m, three.flatRows, three.foldKey], [3, 4, 'matmul/m3/k3/n5/K4/N8/fixed/flat']);
  assert.deepEqual([...encode(three)], [0, 3, 3, 5, 1, 4, 8]);
  refused([4, 3, 5, 2, 4, 8], /matmul fixedB must be 0 or 1/);
  refused([0, 4, 3, 5, 5, 4, 8], /flat matmul B \(0: committed rows, 1: fixed rows, 2: flat row-major, 3: flat column-major, 4: fixed rows of several products\) = 5 exceeds the limit 4/);
  // A flat matmul may have more rows m than any tensor of the graph: they live inside one row.
  assert.equal(decode(Uint8Array.from([0, 32, 3, 2, 1, 4, 2]), { rows: 2, domain: 128 }).m, 32);
});

/** A model argument over `blocks` on `tensors` (the prover's checks bypassed when `ctx` says so): its bytes and verdict. */
async function argument(ctx: BlockContext, blocks: readonly Block[], tensors: readonly Tensors[]): Promise<{ bytes: number; verdict: Verdict }> {
  const spec = modelArgumentSpec('flat-matmul-test', blocks, ctx);
  const protocol = modelArgumentProtocol(spec, ctx);
  const statements: SlotValues[] = [];
  for (const [i, b] of blocks.entries()) {
    const c: Record<string, G1Point[]> = {};
    for (const s of b.tensors) c[s.name] = await commitRows(ctx.kzg, tensors[i][s.name], s.domain);
    statements.push(b.statement(c));
  }
  const statement = modelArgumentStatement(statements);
  const { messages } = await proveLeaf(protocol, Transcript.create('flat-matmul-test'), ctx.engine, statement, modelArgumentProver(spec, blocks, ctx, tensors));
  const t = Transcript.create('flat-matmul-test');
  const leaf = await replayLeaf(protocol, t, ctx.engine, statement, new ByteReader(messages));
  return { bytes: messages.length, verdict: await verifyInstances(ctx.engine, [leaf], t) };
}

test('flat matmul in a model argument with a row-layout matmul and a padded one (m = 3): verifies, and a changed cell of any C is rejected', async () => {
  const ctx = await context(64);
  const blocks = [flat(4, 3, 5, true), flat(2, 4, 4, false), new MatmulBlock({ m: 2, k: 3, n: 2, fixedB: true }), flat(3, 4, 8, true)];
  const inputs = [inputsOf(blocks[0]), inputsOf(blocks[1], 2), { a: [[1n, 2n, 3n], [4n, 5n, 6n]], b: [[1n, 0n, 1n], [2n, 1n, 0n]] }, inputsOf(blocks[3], 3)];
  const tensors: Tensors[] = blocks.map((b, i) => ({ ...inputs[i], ...b.witness(inputs[i]) }));
  assert.deepEqual((await argument(ctx, blocks, tensors)).verdict, { ok: true });
  for (const i of [0, 1, 2, 3]) {
    const bad = tensors.map((t, k) => (k === i ? { ...t, c: t.c.map((row, r) => row.map((v, x) => (r === t.c.length - 1 && x === 1 ? v + 1n : v))) } : t));
    assert.equal((await argument({ ...ctx, allowInvalidWitness: true }, blocks, bad)).verdict.ok, false, blocks[i].foldKey);
  }
});

test('flat 16×16×16 matmul with fixed weights: proof bytes against the row layout and its two bridge copies', async () => {
  const ctx = await context(2 * 256 + 8);
  const flatBlock = flat(16, 16, 16, true);
  const rows = new MatmulBlock({ m: 16, k: 16, n: 16, fixedB: true });
  const { a, b } = inputsOf(flatBlock);
  const aRows = Array.from({ length: 16 }, (_, i) => a[0].slice(16 * i, 16 * i + 16));
  const cRows = rows.witness({ a: aRows, b }).c;
  const toRows = new PermutationBlock(reshapeMap({ name: 'in', rows: 1, length: 256 }, { name: 'out', rows: 16, length: 16 }));
  const toFlat = new PermutationBlock(reshapeMap({ name: 'in', rows: 16, length: 16 }, { name: 'out', rows: 1, length: 256 }));
  const flatInputs = { a, b };
  const rowInputs = { a: aRows, b };
  const standalone = {
    flat: (await honestProof(flatBlock, ctx, flatInputs)).length,
    rows: (await honestProof(rows, ctx, rowInputs)).length,
    toRows: (await honestProof(toRows, ctx, { in: a })).length,
    toFlat: (await honestProof(toFlat, ctx, { in: cRows })).length,
  };
  // In a model argument the quotients and openings are shared: the flat matmul alone against the row matmul between
  // its two copies (flat A → rows, rows of C → flat C), each argument with its own tail.
  const withTensors = (blocks: Block[], inputs: Tensors[]) => argument(ctx, blocks, blocks.map((bl, i) => ({ ...inputs[i], ...bl.witness(inputs[i]) })));
  const flatArgument = await withTensors([flatBlock], [flatInputs]);
  const bridgedArgument = await withTensors([toRows, rows, toFlat], [{ in: a }, rowInputs, { in: cRows }]);
  assert.deepEqual([flatArgument.verdict, bridgedArgument.verdict], [{ ok: true }, { ok: true }]);
  assert.deepEqual(standalone, { flat: 256, rows: 224, toRows: 2112, toFlat: 2112 });
  // Besides these 1,632 B (the copies' logUp helpers bundled) the row layout commits A and C as 16 rows each beside
  // their flat rows: 32 more wire commitments of 32 B.
  assert.deepEqual([flatArgument.bytes, bridgedArgument.bytes], [256, 1632]);
});

/** One honest standalone proof of `block` (its own quotients and openings, as a one-block argument carries them). */
async function honestProof(block: Block, ctx: BlockContext, inputs: Tensors): Promise<Uint8Array> {
  const tensors = { ...inputs, ...block.witness(inputs) };
  const protocol = block.protocol(ctx);
  const statement = await statementOf(block, ctx, tensors);
  const proof = await proveBlock(block, ctx, protocol, statement, tensors);
  assert.deepEqual(await verifyBlock(ctx, protocol, statement, proof), { ok: true }, block.foldKey);
  return proof;
}

// ---------------------------------------------------------------------------------------------------------
// The flat B (`flatB`): B one committed row on H_{NK}, row-major or column-major.

const ORDERS: readonly FlatOperandOrder[] = ['row-major', 'column-major'];
const flatB = (m: number, k: number, n: number, order: FlatOperandOrder, more: Partial<MatmulOptions> = {}) => new MatmulBlock({ m, k, n, flat: true, flatB: order, ...more });

test('flat B passes the conformance harness in both orders: K = N and K ≠ N, m, k, n powers of two and not (3×5 by 5×6 padded)', async () => {
  const ctx = await context(128);
  const bytes: Record<string, number> = {};
  for (const [m, k, n] of [
    [4, 4, 4],
    [3, 5, 6],
    [2, 8, 4],
    [3, 3, 5],
  ])
    for (const order of ORDERS) {
      const block = flatB(m, k, n, order);
      assert.deepEqual(block.tensors[1], { name: 'b', rows: 1, domain: block.outerDomain * block.innerDomain, role: 'input' }, block.foldKey);
      const report = await checkConformance(block, ctx, inputsOf(block), { numRuns: 2 });
      assert.ok(report.witnessTamperings > 0, block.foldKey);
      assert.ok(report.blindedEvaluations > 0 && report.unblindedRowsRejected, block.foldKey);
      bytes[block.foldKey] = report.proofBytes;
    }
  // 224 B, K = N or not, as the committed flat layout with B in rows: B is read by the one claim (on the largest of
  // H_{MK}, H_{MN}, H_{NK}) at the points of H_{NK}, B(ζ) in place of w(ζ). Until the claims were merged, 320 B with
  // K = N and 416 B otherwise (a hidden scalar G_w or two, and the claim over B's accumulator). The padding identities
  // are public and send nothing.
  assert.deepEqual(bytes, {
    'matmul/m4/k4/n4/K4/N4/committed/flat/b-row-major': 224,
    'matmul/m4/k4/n4/K4/N4/committed/flat/b-column-major': 224,
    'matmul/m3/k5/n6/K8/N8/committed/flat/b-row-major': 224,
    'matmul/m3/k5/n6/K8/N8/committed/flat/b-column-major': 224,
    'matmul/m2/k8/n4/K8/N4/committed/flat/b-row-major': 224,
    'matmul/m2/k8/n4/K8/N4/committed/flat/b-column-major': 224,
    'matmul/m3/k3/n5/K4/N8/committed/flat/b-row-major': 224,
    'matmul/m3/k3/n5/K4/N8/committed/flat/b-column-major': 224,
  });
});

/** `row` zero-padded to its domain: the cells a tampering may change, padding included. */
const fullRow = (row: readonly bigint[], domain: number) => padTo(row, domain);

/**
 * Flat-B shapes whose H_{NK} is smaller than the claim's domain H_n (min(N, K) < M): B read through `subgroupVector`,
 * its cells spread over several rows (cell s in row `⌊s·M/(NK)⌋`). (8, 4, 2): H_{NK} = H_8 in H_32, one cell per row;
 * (5, 3, 2): the same domains with padding rows of A and C and a padding column of A and B.
 */
const SPREAD_B: readonly (readonly [number, number, number])[] = [
  [8, 4, 2],
  [5, 3, 2],
];

test('flat B: every cell of A, B and C changed, padding included, is rejected (both orders; K = N, K ≠ N, and B on a subgroup of the claim\'s domain)', async () => {
  const ctx = await context(128);
  for (const [m, k, n] of [[3, 5, 6], [2, 3, 5], ...SPREAD_B])
    for (const order of ORDERS) {
      const block = flatB(m, k, n, order);
      const t = honest(block);
      const full: Tensors = Object.fromEntries(block.tensors.map((s) => [s.name, [fullRow(t[s.name][0], s.domain)]]));
      assert.equal((await cheatingVerdict(block, ctx, full)).ok, true, `${block.foldKey}: honest, every tensor with its padding`);
      for (const [which, spec] of block.tensors.entries()) {
        const cells = full[spec.name][0];
        const deltas = fc.sample(
          fc.bigInt({ min: -(1n << 20n), max: 1n << 20n }).filter((d) => d !== 0n),
          { numRuns: cells.length, seed: 1000 * which + m * 100 + n },
        );
        for (let x = 0; x < cells.length; x++) {
          const bad = cells.map((v, i) => (i === x ? v + deltas[x] : v));
          assert.equal((await cheatingVerdict(block, ctx, { ...full, [spec.name]: [bad] })).ok, false, `${block.foldKey}: ${spec.name} cell ${x} + ${deltas[x]}`);
        }
      }
    }
});

test("flat B: garbage in B's padding rows and columns (C consistent with it) is rejected, and verifies without B's padding identities", async () => {
  const ctx = await context(128);
  for (const order of ORDERS) {
    // k = 3 < K = 4 and n = 3 < N = 4: B's padding row l = 3 and column j = 3. A's padding column is zero (its own
    // identity), so garbage in B's padding columns changes no product; garbage in its padding row makes C's padding
    // column l = 3 the product A·B_3.
    const block = flatB(2, 3, 3, order);
    assert.ok(block.checksOperandPaddingRows && block.checksOperandPaddingColumns);
    const [K, N] = [block.innerDomain, block.outerDomain];
    const t = honest(block);
    const a = padTo(t.a[0], block.flatRows * K);
    const b = padTo(t.b[0], N * K);
    const at = (l: number, j: number) => (order === 'row-major' ? l * K + j : j * N + l);
    const spec = block.iopSpec();
    const unpadded: PolyIopSpec = { ...spec, identities: spec.identities.filter((i) => !i.name.startsWith('b-padding')) };
    assert.equal(unpadded.identities.length, spec.identities.length - 2, "B's two padding identities are in the spec");
    for (const cells of [[at(3, 0)], [at(1, 3)], [at(3, 3)], [at(0, 3), at(3, 1)]]) {
      const dirty = b.map((v, x) => (cells.includes(x) ? v + 7n : v));
      const c = Array.from({ length: block.flatRows * N }, (_, y) => {
        const [i, l] = [Math.floor(y / N), y % N];
        return Array.from({ length: K }, (_, j) => a[i * K + j] * dirty[at(l, j)]).reduce((s, v) => s + v, 0n);
      });
      const tensors = { a: [a], b: [dirty], c: [c] };
      assert.equal((await cheatingVerdict(block, ctx, tensors)).ok, false, `${order}: B cells ${cells}`);
      assert.equal((await cheatingVerdict(block, ctx, tensors, unpadded)).ok, true, `${order}: B cells ${cells}, without B's padding identities`);
    }
  }
});

/**
 * A P that fits a false C (cell (0, 0) raised by 1) on the two rows of A: per row (`perRow`: one cell of P moved on
 * row 0) or as `w + d` repeated on both rows, d on two columns j, j' solving `A_0j·d_j + A_0j'·d_j' = b_0` and
 * `A_1j·d_j + A_1j'·d_j' = 0` (b_0 = β^(N−1), the flat B's weight of column 0 of C).
 */
function fitFlatB(block: MatmulBlock, a: readonly bigint[], perRow: boolean) {
  const K = block.innerDomain;
  const A = (i: number, j: number) => frFromSigned(a[i * K + j]);
  const det = (j: number, jj: number) => Fr.sub(Fr.mul(A(0, j), A(1, jj)), Fr.mul(A(0, jj), A(1, j)));
  const pairs = Array.from({ length: block.k * block.k }, (_, x) => [Math.floor(x / block.k), x % block.k]);
  const [j, jj] = pairs.find(([x, y]) => det(x, y) !== 0n)!;
  const j0 = Array.from({ length: block.k }, (_, x) => x).find((x) => A(0, x) !== 0n)!;
  return (p: bigint[], v: SlotValues): bigint[] => {
    const b0 = Fr.pow(frSlot(v, 'beta'), BigInt(block.outerDomain - 1));
    const out = p.slice();
    if (perRow) {
      out[j0] = Fr.add(out[j0], Fr.div(b0, A(0, j0)));
      return out;
    }
    const d = new Map([
      [j, Fr.div(Fr.mul(b0, A(1, jj)), det(j, jj))],
      [jj, Fr.div(Fr.neg(Fr.mul(b0, A(1, j))), det(j, jj))],
    ]);
    return out.map((x, y) => Fr.add(x, d.get(y % K) ?? 0n));
  };
}

/** The flat-B spec without its weights' side `B·u` (and the δ terms): a P, hence w, is then tied to nothing. */
const withoutPin = (spec: PolyIopSpec) => withoutWCheck(spec, 'b', 'without-pin');

test('flat B: a w that is not the combination of B, repeated on every row and fitted to a false C, verifies without the weights\' side B·u and is rejected with it; a P fitted row by row is rejected', async () => {
  const ctx = await context(128);
  for (const order of ORDERS)
    for (const [m, k, n] of [[2, 4, 4], [2, 4, 8], ...SPREAD_B]) {
      const opts: MatmulOptions = { m, k, n, flat: true, flatB: order };
      // Two independent rows of A (inputsOf's are proportional), so that the fit needs a w off B's combination; the
      // rows below them zero, so that one d fits every row.
      const K = new MatmulBlock(opts).innerDomain;
      const inputs = { ...inputsOf(new MatmulBlock(opts)), a: [Array.from({ length: m * K }, (_, x) => (x < 2 * K && x % K < k ? BigInt(x * x + 1) : 0n))] };
      const t: Tensors = { ...inputs, ...new MatmulBlock(opts).witness(inputs) };
      const forged = { ...t, c: [t.c[0].map((v, x) => (x === 0 ? v + 1n : v))] };
      const where = `${order}, m = ${m}, k = ${k}, n = ${n}`;
      const periodic = cheatingBlock(opts, fitFlatB(new MatmulBlock(opts), t.a[0], false));
      const broken = withoutPin(periodic.iopSpec());
      assert.deepEqual([periodic.iopSpec().sums?.length, claimTerms(broken)], [1, claimTerms(periodic.iopSpec()) - 2], `${where}: one claim; without B·u and its δ term`);
      assert.deepEqual(await cheatingVerdict(periodic, ctx, forged, broken), { ok: true }, `${where}: the wrong w without B·u`);
      assert.equal((await cheatingVerdict(periodic, ctx, forged)).ok, false, `${where}: the wrong w with B·u`);
      assert.equal((await cheatingVerdict(cheatingBlock(opts, fitFlatB(new MatmulBlock(opts), t.a[0], true)), ctx, forged)).ok, false, `${where}: P fitted on row 0`);
      const control = cheatingBlock(opts, (p) => p);
      assert.deepEqual(await cheatingVerdict(control, ctx, t, withoutPin(control.iopSpec())), { ok: true }, `${where}: control, honest without B·u`);
    }
});

test('flat B: every element of the proof changed is rejected (both orders; B on a subgroup of the claim\'s domain)', async () => {
  const ctx = await context(128);
  const spread = SPREAD_B.flatMap(([m, k, n]) => ORDERS.map((order) => flatB(m, k, n, order)));
  for (const block of [flatB(2, 3, 3, 'row-major'), flatB(3, 3, 5, 'column-major'), ...spread]) {
    const { verified, accepted } = await honestProofElementChanges(block, ctx, honest(block));
    assert.equal(verified, true);
    assert.deepEqual(accepted, [], `${block.foldKey}: changed elements accepted`);
  }
});

test('flat B refuses options without the flat layout or with fixed weights, and a B that does not fit its order, with typed errors', () => {
  const typed = (fn: () => unknown, pattern: RegExp) => assert.throws(fn, (e: unknown) => e instanceof BlockfoldError && pattern.test(e.message), pattern.source);
  typed(() => new MatmulBlock({ m: 2, k: 2, n: 2, flatB: 'row-major' }), /a flat B \(flatB\) needs the flat layout and a committed B/);
  typed(() => new MatmulBlock({ m: 2, k: 2, n: 2, flat: true, fixedB: true, flatB: 'column-major' }), /a flat B \(flatB\) needs the flat layout and a committed B/);
  typed(() => new MatmulBlock({ m: 2, k: 2, n: 2, flat: true, flatB: 'diagonal' as FlatOperandOrder }), /flatB must be 'row-major' or 'column-major', got diagonal/);
  const a = [[1n, 2n, 3n, 4n]];
  // k = 2, n = 3: K = 2, N = 4. Row-major: n·K = 6 cells; column-major: k·N = 8 cells, zero for l ≥ 3.
  const rows = flatB(2, 2, 3, 'row-major');
  const cols = flatB(2, 2, 3, 'column-major');
  typed(() => rows.witness({ a, b: [[1n, 2n, 3n, 4n, 5n]] }), /b must be one row of n·K = 6 cells/);
  typed(() => cols.witness({ a, b: [[1n, 2n, 3n, 0n, 4n, 5n, 6n, 0n], [0n]] }), /b must be one row of k·N = 8 cells/);
  typed(() => cols.witness({ a, b: [[1n, 2n, 3n, 9n, 4n, 5n, 6n, 0n]] }), /cell 3 of b is padding and must be 0/);
  // B = [[1, 4], [2, 5], [3, 6]] in both orders: C = A·Bᵀ, rows of N = 4 cells.
  const expected = [[9n, 12n, 15n, 0n, 19n, 26n, 33n, 0n]];
  assert.deepEqual(rows.witness({ a, b: [[1n, 4n, 2n, 5n, 3n, 6n]] }).c, expected);
  assert.deepEqual(cols.witness({ a, b: [[1n, 2n, 3n, 0n, 4n, 5n, 6n, 0n]] }).c, expected);
});

test('flat B: the codec keeps the order in the B byte (flat keys without a flat B keep their bytes) and bounds B by the largest domain', () => {
  const encode = encodeParams;
  const decode = (bytes: number[], limits = { rows: 4, domain: 256 }) => decodeParams<MatmulBlock>('matmul', bytes, limits);
  for (const [order, form] of [
    ['row-major', 2],
    ['column-major', 3],
  ] as const) {
    const block = flatB(3, 5, 6, order);
    assert.deepEqual(encode(block), [0, 3, 5, 6, form, 8, 8]);
    const back = decode(encode(block));
    assert.deepEqual([back.foldKey, back.flatB, back.fixedB, back.flat], [block.foldKey, order, false, true]);
    // n = 6 rows of B beyond the graph's 4-row limit: a flat B is one row, bounded by N·K cells.
    assert.throws(() => decode([0, 3, 5, 6, form, 8, 8], { rows: 4, domain: 16 }), (e: unknown) => e instanceof EncodingError && /M·K = 32 and M·N = 32 cells/.test(e.message));
    assert.throws(() => decode([0, 1, 5, 6, form, 8, 8], { rows: 4, domain: 32 }), (e: unknown) => e instanceof EncodingError && /a flat B of N·K = 64 cells must fit the graph's largest domain 32/.test(e.message));
  }
  assert.deepEqual(encode(flat(3, 5, 6, false)), [0, 3, 5, 6, 0, 8, 8], 'committed rows: the byte it always had');
  assert.throws(() => decode([0, 3, 5, 6, 0, 8, 8]), (e: unknown) => e instanceof EncodingError && /flat matmul n = 6 rows of B exceeds the limit 4/.test(e.message), 'B in rows: n bounded by the row count');
});

test('flat B in a model argument beside a flat matmul with fixed weights and a row-layout one: verifies, and a changed cell of any C is rejected', async () => {
  const ctx = await context(128);
  const blocks = [flatB(4, 4, 4, 'row-major'), flatB(3, 5, 6, 'column-major'), flat(4, 4, 4, true), new MatmulBlock({ m: 2, k: 3, n: 2, fixedB: true })];
  const inputs = [inputsOf(blocks[0]), inputsOf(blocks[1], 2), inputsOf(blocks[2], 3), { a: [[1n, 2n, 3n], [4n, 5n, 6n]], b: [[1n, 0n, 1n], [2n, 1n, 0n]] }];
  const tensors: Tensors[] = blocks.map((b, i) => ({ ...inputs[i], ...b.witness(inputs[i]) }));
  assert.deepEqual((await argument(ctx, blocks, tensors)).verdict, { ok: true });
  for (const i of [0, 1, 2, 3]) {
    const bad = tensors.map((t, k) => (k === i ? { ...t, c: t.c.map((row, r) => row.map((v, x) => (r === t.c.length - 1 && x === 1 ? v + 1n : v))) } : t));
    assert.equal((await argument({ ...ctx, allowInvalidWitness: true }, blocks, bad)).verdict.ok, false, blocks[i].foldKey);
  }
});

test("the attention model's committed matmuls Q·Kᵀ and P·V read K and V in place (row-major, column-major): no transposing copy", () => {
  const model = readFileSync(new URL('fashion-attn.onnx', MODELS));
  const compiled = compile(model, feedsFor('fashion-attn').slice(0, 2));
  const committed = compiled.graph.nodes.filter((node) => node.block instanceof MatmulBlock && !node.block.fixedB).map((node) => node.block as MatmulBlock);
  assert.deepEqual(
    committed.map((b) => [b.m, b.k, b.n, b.flatB]),
    [
      [16, 16, 16, 'row-major'],
      [16, 16, 16, 'column-major'],
    ],
  );
  const copies = compiled.graph.nodes.filter((node) => node.block instanceof PermutationBlock && /→16x16/.test(node.block.foldKey));
  assert.deepEqual(copies.map((node) => node.block.foldKey), [], 'no copy lays K or V out as 16 rows');
});
