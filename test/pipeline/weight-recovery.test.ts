/**
 * The weight-recovery attack of the zero-knowledge issue, run on the sample MLP: every proof opens the first
 * matmul's weight combination `w = Σ_l β^l·B_l` (B the rows of the weight matrix Wᵀ, committed over H_4) at ζ,
 * so it reveals one linear equation `w(ζ) = Σ_l Σ_c β^l·L_c(ζ)·B_l[c]` in the 16 weights, with β and ζ read off
 * the transcript. Sixteen proofs of sixteen inputs give a system of full rank, and the weights follow. The model
 * commitment hides (each row `B_l + Z_K·b₀_l`, b₀_l of 2 coefficients fixed at setup), which adds
 * `Z_K(ζ)·Σ_l β^l·b₀_l(ζ)` to the opening: 8 more unknowns, the same in every proof, so 24 proofs give the weights
 * and b₀ together. That is why b₀ alone does not hide the weights from proofs.
 *
 * With blinding on (the default), the matmul never opens w: it reads a fresh `w̃ = w + Z_K·r` per proof, committed
 * as `[w]₁ + E` with `E = [Z_K·r]₁` and equal to w on H by the identity `e = 0` (`blocks/weight-link.ts`), and opens
 * w̃. Each proof then adds the two unknown coefficients of its own r to the system, so the equations never determine
 * the weights: the attack recovers them from proofs made with the bench/test-only `unblinded` switch only.
 *
 * The matmul's sum `s = αᵀ·A·Bᵀ·β` is a second linear equation in the weights per proof once A is public; the
 * attack tries both forms against **every** Fr value of the matmul's member (its messages included), so no
 * message may equal either. The sample MLP's matmuls have K = N (one running sum closing on 0, no sum at all);
 * a matmul with K ≠ N, whose two running sums close on a hidden scalar G, is attacked at block level below: its
 * `G(ζ)` is s exactly when blinding is off. The flat layout's matmul opens P (w on every row) besides w̃ and commits
 * no hidden sum: the same attack at block level finds the weights in none of its values, blinded or not (P(ζ) and w(ζ)
 * are linearized). Its control: unblinded, the commitment `[P]₁` confirms a right guess of the weights (and refuses a
 * wrong one), blinded it does not.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { memberPrefix } from '../../blocks/model-argument';
import { derivedRows } from '../../src/pipeline/derived-rows';
import { frSlot } from '../../src/equations/evaluate';
import { Fr, frFromSigned } from '../../src/field';
import { EvaluationDomain } from '../../src/poly/domain';
import { quantizeFeeds } from '../../src/pipeline/compile';
import { prove, replayArgument, verify } from '../../src/pipeline/prove-verify';
import { readFileSync } from 'node:fs';
import { UNBLINDED } from '../../src/blinding';
import { getDefaultEngine, type SlotValues } from '../../src/index';
import { commitLagrange } from '../../src/kzg/commit';
import type { G1Point } from '../../src/curve';
import { commitRows, MatmulBlock, polyIopProtocol, powers, proveBlock, verifyBlock, type Block, type BlockContext, type MessageSource } from '../../blocks/index';
import { testKzgKey } from '../helpers/kzg';
import { ByteWriter } from '../../src/encoding/bytes';
import { encodeFr } from '../../src/encoding/points';
import { compile } from '../../src/pipeline/compile';
import { fashionImages, modelFile, sampleMlpInput } from '../model/fixtures';
import { compileSample, keysFor } from '../soundness/pipeline';

/** Solves `M·x = y` over Fr by Gauss–Jordan elimination; undefined when M is singular. */
function solve(m: bigint[][], y: bigint[]): bigint[] | undefined {
  const n = m[0].length;
  const rows = m.map((r, i) => [...r, y[i]]);
  for (let col = 0; col < n; col++) {
    const p = rows.findIndex((r, i) => i >= col && r[col] !== 0n);
    if (p < 0) return undefined;
    [rows[col], rows[p]] = [rows[p], rows[col]];
    const inv = Fr.inv(rows[col][col]);
    rows[col] = rows[col].map((v) => Fr.mul(v, inv));
    for (let i = 0; i < rows.length; i++)
      if (i !== col && rows[i][col] !== 0n) {
        const f = rows[i][col];
        rows[i] = rows[i].map((v, j) => Fr.sub(v, Fr.mul(f, rows[col][j])));
      }
  }
  return rows.slice(0, n).map((r) => r[n]);
}

/**
 * The attack over every candidate: for each slot of `perProof[0]` and each linear form, the system of one
 * equation per proof (`form(proof)·x = value of the slot`); the slots whose system solves to `expected`.
 */
function recoveredBy(perProof: readonly { values: Readonly<Record<string, unknown>>; forms: Readonly<Record<string, bigint[]>> }[], expected: readonly bigint[]): string[] {
  const out: string[] = [];
  for (const [slot, v] of Object.entries(perProof[0].values)) {
    if (typeof v !== 'bigint') continue;
    for (const form of Object.keys(perProof[0].forms)) {
      const x = solve(
        perProof.map((p) => p.forms[form]),
        perProof.map((p) => p.values[slot] as bigint),
      );
      if (x !== undefined && x.every((xi, i) => xi === expected[i])) out.push(`${slot} as ${form}`);
    }
  }
  return out;
}

test('weight recovery: unblinded proofs of the sample MLP reveal its first weight matrix (and its setup blinding b₀), hidden proofs do not, by any Fr value of the matmul', async () => {
  const model = compileSample();
  const pk = await keysFor(model);
  const g = model.graph;
  const member = g.nodes.findIndex((node) => node.block.kind === 'matmul' && g.tensors.find((t) => t.id === node.bind.b)?.kind === 'weight');
  assert.ok(member >= 0, 'the sample MLP has a matmul by a weight matrix');
  const weightId = g.nodes[member].bind.b;
  const weights = model.weights[weightId];
  const rows = weights.length;
  const domain = g.tensors.find((t) => t.id === weightId)!.domain;
  // The weights, then the 2 coefficients of each row's b₀.
  const unknowns = rows * domain + 2 * rows;
  const base = quantizeFeeds(model, { input: sampleMlpInput() });
  const inputId = model.inputs[0].id;
  assert.equal(g.nodes[member].bind.a, inputId, 'the matmul reads the public input');
  const h = new EvaluationDomain(domain, pk.vk.kzg.engine);
  // The member's index in the argument (the linear-only blocks that derive rows are not in it).
  const prefix = memberPrefix(derivedRows(g).argument.nodes.indexOf(g.nodes[member]));

  const attack = async (unblinded: boolean) => {
    const perProof: { values: Record<string, unknown>; forms: Record<string, bigint[]> }[] = [];
    for (let k = 0; k < unknowns; k++) {
      // Inputs that differ by a few quantized units in their first two cells: even unblinded proofs draw
      // fresh challenges.
      const inputs = { ...base, [inputId]: base[inputId].map((row, r) => row.map((v, c) => v + BigInt(r === 0 && c < 2 ? (Math.floor(k / 5 ** c) % 5) - 2 : 0))) };
      const { statement, proof } = await prove(pk, inputs, { unblinded });
      if (k === 0) assert.equal((await verify(pk.vk, statement, proof.bytes)).ok, true);
      const { instance } = await replayArgument(pk.vk, statement, proof.bytes);
      const beta = frSlot(instance.values, `${prefix}beta`);
      const alphas = powers(frSlot(instance.values, `${prefix}alpha`), inputs[inputId].length);
      const zeta = frSlot(instance.values, 'zeta');
      const lagrange = h.lagrangeAt(zeta);
      const vanishing = h.vanishingAt(zeta);
      // Unknowns: the weights, then the 2 coefficients of each row's b₀ (the model commitment hides).
      // w(ζ) = Σ_l β^l·(Σ_c L_c(ζ)·B_l[c] + Z_K(ζ)·(b₀_l0 + b₀_l1·ζ)); s = Σ_l Σ_c β^l·(Σ_i α^i·A_i[c])·B_l[c] (zero on the padding c ≥ k; b₀ vanishes on H).
      const a = Array.from({ length: domain }, (_, c) => inputs[inputId].reduce((acc, row, i) => Fr.add(acc, Fr.mul(alphas[i], frFromSigned(row[c] ?? 0n))), 0n));
      const forms: Record<string, bigint[]> = { 'w(ζ)': [], s: [] };
      let betaL = 1n;
      for (let l = 0; l < rows; l++, betaL = Fr.mul(betaL, beta))
        for (let c = 0; c < domain; c++) {
          forms['w(ζ)'].push(Fr.mul(betaL, lagrange[c]));
          forms.s.push(Fr.mul(betaL, a[c]));
        }
      betaL = 1n;
      for (let l = 0; l < rows; l++, betaL = Fr.mul(betaL, beta))
        for (let j = 0; j < 2; j++) {
          forms['w(ζ)'].push(Fr.mul(Fr.mul(betaL, vanishing), Fr.pow(zeta, BigInt(j))));
          forms.s.push(0n);
        }
      const values: Record<string, unknown> = {};
      for (const [slot, v] of Object.entries(instance.values)) if (slot.startsWith(prefix)) values[slot] = v;
      perProof.push({ values, forms });
    }
    return perProof;
  };
  const expected = [...weights.flatMap((row) => [...row, ...new Array<bigint>(domain - row.length).fill(0n)].map((v) => frFromSigned(v))), ...pk.weightBlinding[weightId].flat()];
  assert.deepEqual(recoveredBy(await attack(true), expected), [`${prefix}w@zeta as w(ζ)`], 'unblinded proofs: the weights (and their b₀) are recovered from w(ζ)');
  assert.deepEqual(recoveredBy(await attack(false), expected), [], 'proofs as prove() makes them: no Fr value of the matmul gives the weights');
});

test('weight recovery from the sum of a matmul with K ≠ N: s is never committed (one claim over H_N reads the side over H_K) and no Fr message gives the weights, blinded or not', async () => {
  // C = A·Bᵀ with B fixed (5 rows of length 3, K = 4, N = 8) and A public: s = Σ_l Σ_c β^l·A[c]·B_l[c].
  const engine = getDefaultEngine();
  const ctx: BlockContext = { engine, kzg: await testKzgKey(64, engine) };
  const block = new MatmulBlock({ m: 1, k: 3, n: 5, fixedB: true });
  assert.notEqual(block.innerDomain, block.outerDomain);
  const B = [[2n, -1n, 3n], [0n, 4n, 1n], [-2n, 2n, 5n], [1n, 1n, -3n], [6n, 0n, 2n]];
  const expected = B.flatMap((row) => row.map((v) => frFromSigned(v)));
  const protocol = polyIopProtocol(block.iopSpec(), ctx.kzg, engine);
  const attack = async (blinding?: BlockContext['blinding']) => {
    const perProof: { values: Record<string, unknown>; forms: Record<string, bigint[]> }[] = [];
    for (let k = 0; k < expected.length; k++) {
      const A = [[BigInt(k + 1), BigInt((k * 7) % 5) - 2n, BigInt((k * k) % 11)]];
      const tensors = { a: A, b: B, c: block.witness({ a: A, b: B }).c };
      const commitments = { a: await commitRows(ctx.kzg, A, 4), b: await commitRows(ctx.kzg, B, 4), c: await commitRows(ctx.kzg, tensors.c, 8) };
      const statement = block.statement(commitments);
      const sent: Record<string, unknown> = {};
      let seen: SlotValues = {};
      const honest = block.prover({ ...ctx, blinding }, tensors);
      const recording: MessageSource = async (decls, values) => {
        seen = values;
        return Object.assign(sent, await honest(decls, values));
      };
      const bytes = await proveBlock({ prover: () => recording } as unknown as Block, ctx, protocol, statement, tensors);
      if (k === 0) assert.equal((await verifyBlock(ctx, protocol, statement, bytes)).ok, true);
      const beta = frSlot(seen, 'beta');
      const forms: Record<string, bigint[]> = { s: [] };
      let betaL = 1n;
      for (let l = 0; l < B.length; l++, betaL = Fr.mul(betaL, beta)) for (let c = 0; c < 3; c++) forms.s.push(Fr.mul(betaL, frFromSigned(A[0][c])));
      perProof.push({ values: sent, forms });
    }
    return perProof;
  };
  // Before the linearized tail (proof version 3) unblinded proofs sent G(ζ) = s, which gave the weights; until
  // version 7 the two sides closed on a hidden scalar G holding s ([G]₁ = [s]₁ unblinded, which confirmed a guess of
  // the weights). Now the side over H_K is read on H_N through its subgroup's indicator: no slot holds s at all.
  assert.ok(!protocol.slots.some((d) => d.name.startsWith('[G]/') || d.name.startsWith('G/')), 'no hidden scalar');
  const [unblinded, blinded] = [await attack(UNBLINDED), await attack()];
  assert.deepEqual(recoveredBy(unblinded, expected), [], 'unblinded: no Fr message gives the weights');
  assert.deepEqual(recoveredBy(blinded, expected), [], 'blinded: no Fr message gives the weights');
});

test('weight recovery from a flat matmul: P(ζ) and w(ζ), which give the weights when unblinded, are linearized (never sent), no hidden sum is committed, and no Fr message gives the weights, blinded or not; unblinded, [P]₁ confirms a guess of the weights (control), blinded it does not', async () => {
  // C = A·Bᵀ in the flat layout (blocks/matmul.ts): A public, 2 rows of K = 4 cells in one row on H_8, B fixed (5 rows
  // of 3, N = 8). Two Fr values are linear in the weights: w(ζ) = Σ_l β^l·Σ_j L_j(ζ)·B_lj over H_4 and P(ζ), the same
  // with Σ_i L_(4i+j)(ζ) over H_8 (P holds w on both rows). Until its claims were merged into one closing on 0 the
  // block also committed two hidden sums linear in the weights, G_c = μ_0·Σ_i α^(1−i)·Σ_l β^l·Σ_j A_ij·B_lj and
  // G_w = μ_0·(1 + α)·Σ_j δ^(j+1)·Σ_l β^l·B_lj (μ_0 = 1/α), which unblinded confirmed a guess of the weights.
  // The control: unblinded, P's commitment is that of w tiled on both rows, `[P]₁ = Σ_l β^l·Σ_j B_lj·([L_j]₁ + [L_(4+j)]₁)`,
  // so it confirms a right guess of the weights and refuses a wrong one; blinded (P + Z_8·ρ) it confirms neither.
  const engine = getDefaultEngine();
  const ctx: BlockContext = { engine, kzg: await testKzgKey(64, engine) };
  const block = new MatmulBlock({ m: 2, k: 3, n: 5, fixedB: true, flat: true });
  const B = [[2n, -1n, 3n], [0n, 4n, 1n], [-2n, 2n, 5n], [1n, 1n, -3n], [6n, 0n, 2n]];
  const expected = B.flatMap((row) => row.map((v) => frFromSigned(v)));
  const protocol = polyIopProtocol(block.iopSpec(), ctx.kzg, engine);
  const [h4, h8] = [new EvaluationDomain(4, engine), new EvaluationDomain(8, engine)];
  const attack = async (blinding?: BlockContext['blinding']) => {
    const perProof: { values: Record<string, unknown>; forms: Record<string, bigint[]>; beta: bigint }[] = [];
    for (let p = 0; p < expected.length; p++) {
      const A = [[BigInt(p + 1), BigInt((p * 7) % 5) - 2n, BigInt((p * p) % 11), 0n, BigInt((p * 3) % 7) - 3n, BigInt(p % 4), 1n, 0n]];
      const tensors = { a: A, b: B, c: block.witness({ a: A, b: B }).c };
      const statement = block.statement({ a: await commitRows(ctx.kzg, A, 8), b: await commitRows(ctx.kzg, B, 4), c: await commitRows(ctx.kzg, tensors.c, 16) });
      const sent: Record<string, unknown> = {};
      let seen: SlotValues = {};
      const honest = block.prover({ ...ctx, blinding }, tensors);
      const recording: MessageSource = async (decls, values) => {
        seen = values;
        return Object.assign(sent, await honest(decls, values));
      };
      const bytes = await proveBlock({ prover: () => recording } as unknown as Block, ctx, protocol, statement, tensors);
      if (p === 0) assert.equal((await verifyBlock(ctx, protocol, statement, bytes)).ok, true);
      const [beta, zeta] = ['beta', 'zeta'].map((s) => frSlot(seen, s));
      const forms: Record<string, bigint[]> = { w: [], p: [] };
      for (const betaL of powers(beta, B.length)) {
        for (let j = 0; j < 3; j++) {
          forms.w.push(Fr.mul(betaL, h4.lagrangeAtIndex(j, zeta)));
          forms.p.push(Fr.mul(betaL, Fr.add(h8.lagrangeAtIndex(j, zeta), h8.lagrangeAtIndex(4 + j, zeta))));
        }
      }
      perProof.push({ values: sent, forms, beta });
    }
    return perProof;
  };
  /** Whether every proof's `[P]₁` is the commitment of `guess` (B's 15 cells) combined by its β and tiled on both rows. */
  const confirmsGuess = async (perProof: Awaited<ReturnType<typeof attack>>, guess: readonly bigint[]) => {
    for (const { values, beta } of perProof) {
      const betas = powers(beta, B.length);
      const w = [0, 1, 2, 3].map((j) => (j < 3 ? betas.reduce((acc, betaL, l) => Fr.add(acc, Fr.mul(betaL, guess[3 * l + j])), 0n) : 0n));
      if (!(values['[p]'] as G1Point).equals(await commitLagrange(ctx.kzg, [...w, ...w]))) return false;
    }
    return true;
  };
  const wrongGuess = expected.map((v, i) => (i === 7 ? Fr.add(v, 1n) : v));
  // Before the linearized tail (proof version 3) unblinded proofs sent these values, each of which gave the weights;
  // the linearized tail sends neither, and no hidden sum is committed.
  assert.deepEqual(['p@zeta', 'w@zeta'].filter((slot) => protocol.slots.some((d) => d.name === slot)), [], 'neither is sent');
  assert.ok(!protocol.slots.some((d) => d.name.startsWith('[G]/') || d.name.startsWith('G/')), 'no hidden scalar');
  const unblinded = await attack(UNBLINDED);
  assert.deepEqual(recoveredBy(unblinded, expected), [], 'unblinded: no Fr message gives the weights');
  assert.deepEqual([await confirmsGuess(unblinded, expected), await confirmsGuess(unblinded, wrongGuess)], [true, false], 'control, unblinded: [P]₁ confirms the weights, not a wrong guess');
  const blinded = await attack();
  assert.deepEqual(recoveredBy(blinded, expected), [], 'blinded: no message gives the weights');
  assert.equal(await confirmsGuess(blinded, expected), false, 'blinded: [P]₁ does not confirm the weights');
});

/** Whether `needle` occurs anywhere in `haystack`. */
const contains = (haystack: Uint8Array, needle: Uint8Array) => Buffer.from(haystack.buffer, haystack.byteOffset, haystack.length).indexOf(Buffer.from(needle)) >= 0;

test('the proofs of the Fashion MLP hold none of its weights: not as field elements (any two consecutive weights of a row) nor as varint rows', async () => {
  const { images } = fashionImages();
  const model = compile(readFileSync(modelFile('fashion-mlp.onnx')), images.slice(0, 8).map((input) => ({ input })));
  const pk = await keysFor(model);
  const proofs = await Promise.all([0, 1].map(async (i) => (await prove(pk, quantizeFeeds(model, { input: images[i] }))).proof.bytes));
  const weightIds = model.graph.tensors.filter((t) => t.kind === 'weight').map((t) => t.id);
  assert.ok(weightIds.length >= 2);
  let checked = 0;
  for (const id of weightIds)
    for (const row of model.weights[id]) {
      const w = new ByteWriter();
      for (const v of row) w.svarint(v);
      const fr = row.map((v) => encodeFr(frFromSigned(v)));
      for (const bytes of proofs) {
        assert.ok(!contains(bytes, w.bytes()), `a row of ${id} as varints`);
        // Every two consecutive weights as field elements (64 bytes): 32 bytes of a single small weight (0, ±1) are
        // too short a pattern to be evidence.
        for (let j = 0; j + 1 < row.length; j++) assert.ok(!contains(bytes, Uint8Array.from([...fr[j], ...fr[j + 1]])), `weights ${j}, ${j + 1} of a row of ${id} as field elements`);
      }
      checked += row.length;
    }
  assert.ok(checked > 10_000, `${checked} weights searched`);
});
