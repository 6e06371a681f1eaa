/**
 * The zero-knowledge leaks of rows with a blinding fixed across proofs, attacked on the sample MLP over proofs as
 * `prove` makes them, each with the relink pass undone as the control (docs/soundness.md, "Zero knowledge"; the
 * fix: `blocks/relink.ts`, `src/pipeline/relink.ts`; the attack: `fixed-polynomial-attack.ts`).
 *
 * Bias, on `y = max_j (x·W + b)_j` (the sample MLP's ReLUs read their input in place and open only y, their
 * difference d being linearized, so the attack is staged where a max's candidate copy opens the biased row): block
 * `t12 = t10 + t11` (t11 a bias weight, blinded once at setup by b₀), t12 opened by a permutation and t10 by the range
 * block (a source of its own, offset in-column). Every per-proof blinding cancels in `t12(ζ) − t10(ζ)` when the add
 * reads the weight itself, which leaves `(t11 + Z_H·b₀)(ζ)`: a fixed polynomial of degree < n + 2 = 6, so 6 proofs
 * interpolate it and its values on H are the bias. Read through its relinked copy (fresh blinding per proof), the same combination is a fresh random
 * value per proof: the interpolant neither gives the bias nor predicts a seventh proof.
 *
 * Every combination: over proofs of one hashed input (so every hidden row is the same in each proof), no fixed
 * combination of all the field elements the proofs send is a polynomial in ζ that shows anything on H beyond the
 * public vectors (constants, the output row). Without the pass, the hashed input's own polynomial and each bias's
 * are such combinations.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { memberPrefix } from '../../blocks/model-argument';
import { BASE_OPENING_POINTS, blindingCoefficients } from '../../blocks/hiding';
import { frSlot } from '../../src/equations/evaluate';
import { Fr, frFromSigned } from '../../src/field';
import { EvaluationDomain } from '../../src/poly/domain';
import { compile, quantizeFeeds, type CompiledWithQuant } from '../../src/pipeline/compile';
import { hashedInputBlinding } from '../../src/pipeline/hashed-input';
import { prove, replayArgument, verify } from '../../src/pipeline/prove-verify';
import { derivedRows } from '../../src/pipeline/derived-rows';
import { tensor, type Tensor } from '../../src/model/tensor';
import { sampleMlpInput } from '../model/fixtures';
import { attr, encodeModel, floatData, node, valueInfo } from '../onnx/builder';
import { keysFor, sampleBytes } from '../soundness/pipeline';
import { blindedRowAt, collectRevealed, hiddenDimensions, interpolateAt, publicPolynomials, reachedByCombination, reachedPolynomials, withoutRelink } from './fixed-polynomial-attack';

/** Proofs interpolated: the fixed polynomial has degree < n + 2 with n = 4. */
const PROOFS = 6;

/**
 * The bias attack on `model` (module comment): the bias's values on H from the interpolant of 6 proofs, and whether that
 * interpolant predicts a seventh proof.
 */
async function biasAttack(model: CompiledWithQuant, feeds: Record<string, Tensor>): Promise<{ bias: bigint[]; recovered: bigint[]; predictsSeventh: boolean; readsCopy: boolean }> {
  const pk = await keysFor(model);
  const g = model.graph;
  const kind = (id: string) => g.tensors.find((t) => t.id === id)?.kind;
  const writer = (id: string) => g.nodes.find((n) => n.block.tensors.some((t) => t.role === 'output' && n.bind[t.name] === id));
  // The bias weight of the add whose other operand the range block checks (the second layer's t12 = t10 + t11).
  const weightOf = (id: string) => (kind(id) === 'weight' ? id : writer(id)?.block.kind === 'relink' ? writer(id)!.bind.x : undefined);
  const range = g.nodes.findIndex((n) => n.block.kind === 'range');
  const rangeName = (id: string) => Object.entries(g.nodes[range].bind).find(([, t]) => t === id)?.[0];
  const add = g.nodes.findIndex((n) => n.block.kind === 'linear' && n.block.foldKey.includes('/add/') && weightOf(n.bind.a) && kind(n.bind.b) === 'wire' && rangeName(n.bind.b) !== undefined);
  assert.ok(add >= 0, 'the model adds a bias to a range-checked wire');
  const { a, b: t10, c: t12 } = g.nodes[add].bind;
  const bias = weightOf(a)!;
  const permutation = g.nodes.findIndex((n) => n.block.kind === 'permutation' && n.bind.in0 === t12);
  // Member prefixes count the argument's blocks (the linear-only blocks that derive rows are not in it).
  const member = (i: number) => memberPrefix(derivedRows(g).argument.nodes.indexOf(g.nodes[i]));
  const slots = {
    t12: `${member(permutation)}open:in0[0]@zeta`,
    t10: `${member(range)}open:${rangeName(t10)}/0@zeta`,
  };
  const base = quantizeFeeds(model, feeds);
  const inputId = model.inputs[0].id;
  const h = new EvaluationDomain(g.tensors.find((t) => t.id === bias)!.domain);

  const points: [bigint, bigint][] = [];
  for (let k = 0; k <= PROOFS; k++) {
    const inputs = { ...base, [inputId]: base[inputId].map((row, r) => row.map((v, c) => v + BigInt(r === 0 && c === 0 ? k : 0))) };
    const { statement, proof } = await prove(pk, inputs);
    if (k === 0) assert.equal((await verify(pk.vk, statement, proof.bytes)).ok, true);
    const { instance } = await replayArgument(pk.vk, statement, proof.bytes);
    const v = instance.values;
    for (const s of Object.values(slots)) assert.equal(typeof v[s], 'bigint', `slot ${s} is revealed`);
    points.push([frSlot(v, 'zeta'), Fr.sub(frSlot(v, slots.t12), frSlot(v, slots.t10))]);
  }
  const fitted = points.slice(0, PROOFS);
  const [z7, v7] = points[PROOFS];
  return {
    bias: model.weights[bias][0].map(frFromSigned),
    recovered: h.elements().map((w) => interpolateAt(fitted, w)),
    predictsSeventh: interpolateAt(fitted, z7) === v7,
    readsCopy: kind(a) === 'wire',
  };
}

/** `y = max_j (x·W + b)_j` over 4 cells: the bias add's output is the max's candidate row, opened by its copy. */
function biasedMax(): { model: CompiledWithQuant; feeds: Record<string, Tensor> } {
  const onnx = encodeModel({
    inputs: [valueInfo('x', [1, 4])],
    outputs: [valueInfo('y', [1])],
    nodes: [node('MatMul', ['x', 'W'], ['h']), node('Add', ['bias', 'h'], ['t']), node('ReduceMax', ['t'], ['y'], [attr.ints('axes', [1]), attr.int('keepdims', 0)])],
    initializers: [floatData('W', [4, 4], [0.5, -0.25, 1, 0, 0.75, -1, 0.3, 0.2, -0.6, 0.1, 0.9, -0.4, 0.2, 0.7, -0.3, 0.5]), floatData('bias', [4], [0.3, -0.2, 0.15, 0.05])],
    opset: 13,
  });
  const feeds = { x: tensor([1, 4], [0.1, -0.7, 0.3, 0.9]) };
  return { model: compile(onnx, [feeds]), feeds };
}

test('bias leak: t12(ζ) − t10(ζ) over 6 hidden proofs interpolates the bias when the add reads it directly, and not through its relinked copy', async () => {
  const { model, feeds } = biasedMax();
  const relinked = await biasAttack(model, feeds);
  assert.equal(relinked.readsCopy, true, 'the add reads the bias through its relinked copy');
  assert.notDeepEqual(relinked.recovered, relinked.bias, 'the interpolant of 6 proofs is not the bias');
  assert.equal(relinked.predictsSeventh, false, 'the interpolant of 6 proofs does not predict a seventh: the combination is fresh per proof');

  const direct = await biasAttack(withoutRelink(model), feeds);
  assert.equal(direct.readsCopy, false);
  assert.deepEqual(direct.recovered, direct.bias, 'control: without the pass, 6 proofs give the bias');
  assert.equal(direct.predictsSeventh, true, 'control: without the pass, the combination is one polynomial in every proof');
});

test('every combination: no fixed combination of all the field elements sent by proofs of one hashed input shows a hidden row; without the pass one does', async () => {
  const compiled = compile(sampleBytes(), [{ input: sampleMlpInput() }], { visibility: { inputs: { input: 'hashed' } } });
  for (const model of [compiled, withoutRelink(compiled)]) {
    const relinked = model === compiled;
    const pk = await keysFor(model);
    const inputId = model.inputs[0].id;
    const inputs = quantizeFeeds(model, { input: sampleMlpInput() });
    const n = Math.max(...model.graph.tensors.map((t) => t.domain));
    const d = n + blindingCoefficients(BASE_OPENING_POINTS);
    const proofs = await collectRevealed(pk, () => inputs, d);

    const hidden = hiddenDimensions(reachedPolynomials(proofs, d), model.graph, publicPolynomials(model.graph, proofs[0].statement));

    // The fixed polynomials of the hashed input and of every weight row read by a linear block (the biases).
    const fixedRows = [
      { id: inputId, row: inputs[inputId][0], b: hashedInputBlinding(pk.vk.digest, inputId, inputs[inputId])[0] },
      ...model.graph.tensors.filter((t) => t.kind === 'weight' && t.rows === 1).map((t) => ({ id: t.id, row: model.weights[t.id][0], b: pk.weightBlinding[t.id][0] })),
    ];
    assert.ok(fixedRows.length >= 3, 'the hashed input and the two biases');
    const reached = fixedRows.filter(({ row, b }) => reachedByCombination(proofs, proofs.map(({ zeta }) => blindedRowAt(row, b, n, zeta)))).map((r) => r.id);

    if (relinked) {
      assert.equal(hidden, 0, `${proofs.length} proofs: the polynomials reached show nothing on any domain beyond constants and the output`);
      assert.deepEqual(reached, [], 'no fixed-blinding row is a combination of sent values');
    } else {
      // Without the pass the values sent still reach a polynomial that shows a hidden row. (Version 3 proofs, which
      // evaluated every oracle, also gave the hashed input and each bias themselves as combinations; the linearized
      // tail does not send the values that did.)
      assert.ok(hidden >= 1, `control: without the pass, reached polynomials show ${hidden} hidden dimensions`);
    }
  }
});
