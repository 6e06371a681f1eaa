/**
 * The weight-recovery attack of the zero-knowledge issue, run on the sample MLP: every proof opens the first
 * matmul's weight combination `w = Σ_l β^l·B_l` (B the rows of the weight matrix Wᵀ, committed over H_4) at ζ,
 * so it reveals one linear equation `w(ζ) = Σ_l Σ_c β^l·L_c(ζ)·B_l[c]` in the 16 weights, with β and ζ read off
 * the transcript. Sixteen proofs of sixteen inputs give a system of full rank, and the weights follow.
 *
 * With blinding on (the default), the matmul never opens w: it commits a fresh `w̃ = w + Z_K·r` per proof, linked
 * to the committed rows by a KZG opening at a challenge ξ (`blocks/matmul.ts`), and opens w̃. Each proof then
 * adds the two unknown coefficients of its own r to the system, so the equations never determine the weights:
 * the attack recovers them from proofs made with the bench/test-only `unblinded` switch only.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { memberPrefix } from '../../blocks/model-argument';
import { frSlot } from '../../src/equations/evaluate';
import { Fr, frFromSigned } from '../../src/field';
import { EvaluationDomain } from '../../src/poly/domain';
import { quantizeFeeds } from '../../src/pipeline/compile';
import { prove, replayArgument, verify } from '../../src/pipeline/prove-verify';
import { readFileSync } from 'node:fs';
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

test('weight recovery: sixteen unblinded proofs of the sample MLP reveal its first weight matrix, hidden proofs do not', async () => {
  const model = compileSample();
  const pk = await keysFor(model);
  const g = model.graph;
  const member = g.nodes.findIndex((node) => node.block.kind === 'matmul' && g.tensors.find((t) => t.id === node.bind.b)?.kind === 'weight');
  assert.ok(member >= 0, 'the sample MLP has a matmul by a weight matrix');
  const weightId = g.nodes[member].bind.b;
  const weights = model.weights[weightId];
  const rows = weights.length;
  const domain = g.tensors.find((t) => t.id === weightId)!.domain;
  const unknowns = rows * domain;
  const base = quantizeFeeds(model, { input: sampleMlpInput() });
  const inputId = model.inputs[0].id;
  const h = new EvaluationDomain(domain, pk.vk.kzg.engine);
  const prefix = memberPrefix(member);

  const attack = async (unblinded: boolean): Promise<bigint[] | undefined> => {
    const equations: bigint[][] = [];
    const values: bigint[] = [];
    for (let k = 0; k < unknowns; k++) {
      // Sixteen inputs that differ by a few quantized units in their first two cells: even unblinded proofs draw
      // fresh challenges.
      const inputs = { ...base, [inputId]: base[inputId].map((row, r) => row.map((v, c) => v + BigInt(r === 0 && c < 2 ? (Math.floor(k / 5 ** c) % 5) - 2 : 0))) };
      const { statement, proof } = await prove(pk, inputs, { unblinded });
      if (k === 0) assert.equal((await verify(pk.vk, statement, proof.bytes)).ok, true);
      const { instance } = await replayArgument(pk.vk, statement, proof.bytes);
      const beta = frSlot(instance.values, `${prefix}beta`);
      const lagrange = h.lagrangeAt(frSlot(instance.values, 'zeta'));
      let betaL = 1n;
      const row: bigint[] = [];
      for (let l = 0; l < rows; l++, betaL = Fr.mul(betaL, beta)) for (let c = 0; c < domain; c++) row.push(Fr.mul(betaL, lagrange[c]));
      equations.push(row);
      values.push(frSlot(instance.values, `${prefix}w@zeta`));
    }
    return solve(equations, values);
  };
  const expected = weights.flatMap((row) => [...row, ...new Array<bigint>(domain - row.length).fill(0n)].map((v) => frFromSigned(v)));
  assert.deepEqual(await attack(true), expected, 'unblinded proofs: the weights are recovered');
  assert.notDeepEqual(await attack(false), expected, 'proofs as prove() makes them: the weights are not recovered');
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
        // Every two consecutive weights as field elements (64 bytes). A single small weight is no evidence: small
        // integers are legitimately in a proof (the sums it still sends in the clear, docs/protocol.md).
        for (let j = 0; j + 1 < row.length; j++) assert.ok(!contains(bytes, Uint8Array.from([...fr[j], ...fr[j + 1]])), `weights ${j}, ${j + 1} of a row of ${id} as field elements`);
      }
      checked += row.length;
    }
  assert.ok(checked > 10_000, `${checked} weights searched`);
});
