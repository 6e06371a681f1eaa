/**
 * Regression of the relink review's High-1 (docs/soundness.md, "Zero knowledge"): a weight read by a block without
 * linear relations was not relinked. `x[1,4] → Concat(cls[1,4], x) → MatMul W[8,2]` (a ViT class token) lowers the
 * Concat to a permutation whose input `cls` is a weight: read directly, the permutation opens `cls` at ζ with its
 * setup blinding b₀, the same in every proof, so n + 2 proofs interpolate `cls + Z_H·b₀` and its values on H are
 * the weight. The pass now relinks every weight reader but the specs that declare the weight `fixed`; the
 * permutation reads the copy and the interpolation fails. The control undoes the pass (`withoutRelink`) and
 * recovers the weight from the same attack.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { memberPrefix } from '../../blocks/model-argument';
import { BASE_OPENING_POINTS, blindingCoefficients } from '../../blocks/hiding';
import { RelinkBlock } from '../../blocks/relink';
import { frSlot } from '../../src/equations/evaluate';
import { frFromSigned } from '../../src/field';
import { tensor } from '../../src/model/tensor';
import { EvaluationDomain } from '../../src/poly/domain';
import { compile, quantizeFeeds, type CompiledWithQuant } from '../../src/pipeline/compile';
import { prove, replayArgument, verify } from '../../src/pipeline/prove-verify';
import { attr, encodeModel, floatData, node, valueInfo } from '../onnx/builder';
import { keysFor } from '../soundness/pipeline';
import { blindedRowAt, collectRevealed, hiddenDimensions, interpolateAt, publicPolynomials, reachedByCombination, reachedPolynomials, withoutRelink } from './fixed-polynomial-attack';

const CLS = [0.5, -0.25, 0.75, 0.125];

const onnx = encodeModel({
  inputs: [valueInfo('x', [1, 4])],
  outputs: [valueInfo('y', [1, 2])],
  initializers: [floatData('cls', [1, 4], CLS), floatData('w', [8, 2], Array.from({ length: 16 }, (_, i) => Math.sin(i + 1) / 2))],
  nodes: [node('Concat', ['cls', 'x'], ['cat'], [attr.int('axis', 1)], 'cat'), node('MatMul', ['cat', 'w'], ['y'], [], 'mm')],
});

const feeds = (k: number) => ({ x: tensor([1, 4], [0.1 + k / 64, 0.2, -0.3, 0.4]) });

function compiled(): CompiledWithQuant {
  return compile(onnx, [feeds(0), feeds(3)]);
}

/** The permutation that reads the class token, the input name it reads it by, and the weight tensor's id. */
function classTokenReader(model: CompiledWithQuant): { index: number; name: string; read: string; weight: string } {
  const g = model.graph;
  const weights = new Set(g.tensors.filter((t) => t.kind === 'weight').map((t) => t.id));
  const copyOf = new Map(g.nodes.filter((n) => n.block instanceof RelinkBlock).map((n) => [n.bind.y, n.bind.x]));
  const weightOf = (id: string) => (weights.has(id) ? id : copyOf.get(id));
  const index = g.nodes.findIndex((n) => n.block.kind === 'permutation' && Object.values(n.bind).some((id) => weightOf(id) !== undefined));
  assert.ok(index >= 0, 'a permutation reads a weight or its copy');
  const [name, read] = Object.entries(g.nodes[index].bind).find(([, id]) => weightOf(id) !== undefined)!;
  return { index, name, read, weight: weightOf(read)! };
}

/** The class token's values on H from the interpolant of n + 2 proofs of the permutation's opening at ζ. */
async function interpolationAttack(model: CompiledWithQuant): Promise<{ recovered: bigint[]; expected: bigint[] }> {
  const { index, name, weight } = classTokenReader(model);
  const slot = `${memberPrefix(index)}open:${name}[0]@zeta`;
  const pk = await keysFor(model);
  const h = new EvaluationDomain(model.graph.tensors.find((t) => t.id === weight)!.domain);
  const points: [bigint, bigint][] = [];
  for (let k = 0; k < h.size + 2; k++) {
    const { statement, proof } = await prove(pk, quantizeFeeds(model, feeds(k)));
    if (k === 0) assert.equal((await verify(pk.vk, statement, proof.bytes)).ok, true);
    const v = (await replayArgument(pk.vk, statement, proof.bytes)).instance.values;
    points.push([frSlot(v, 'zeta'), frSlot(v, slot)]);
  }
  const row = model.weights[weight][0];
  return { recovered: h.elements().map((w) => interpolateAt(points, w)), expected: h.elements().map((_, c) => frFromSigned(row[c] ?? 0n)) };
}

test('a weight concatenated to the input is read by the permutation through its relinked copy; no block but a relink reads a weight under a non-fixed spec', () => {
  const model = compiled();
  const { read, weight } = classTokenReader(model);
  assert.equal(read, `${weight}~link`);
  const kind = new Map(model.graph.tensors.map((t) => [t.id, t.kind]));
  for (const n of model.graph.nodes) {
    if (n.block instanceof RelinkBlock) continue;
    for (const spec of n.block.tensors) assert.ok(kind.get(n.bind[spec.name]) !== 'weight' || spec.fixed, `${n.block.foldKey} reads weight ${n.bind[spec.name]} as "${spec.name}"`);
  }
});

test('the class token is not interpolated from n + 2 proofs of its permutation opening; without the pass it is', async () => {
  const model = compiled();
  const relinked = await interpolationAttack(model);
  assert.notDeepEqual(relinked.recovered, relinked.expected, 'read through its copy, the weight is not recovered');
  const direct = await interpolationAttack(withoutRelink(model));
  assert.deepEqual(direct.recovered, direct.expected, 'control: read directly, n + 2 proofs give the weight');
});

test('no fixed combination of the field elements sent by proofs of one input shows the class token on H; without the pass it is reached', async () => {
  const model = compiled();
  for (const m of [model, withoutRelink(model)]) {
    const pk = await keysFor(m);
    const { weight } = classTokenReader(m);
    const n = m.graph.tensors.find((t) => t.id === weight)!.domain;
    const d = Math.max(...m.graph.tensors.map((t) => t.domain)) + blindingCoefficients(BASE_OPENING_POINTS);
    const inputs = quantizeFeeds(m, feeds(0));
    const proofs = await collectRevealed(pk, () => inputs, d);
    const hidden = hiddenDimensions(reachedPolynomials(proofs, d), m.graph, publicPolynomials(m.graph, proofs[0].statement));
    const token = proofs.map(({ zeta }) => blindedRowAt(m.weights[weight][0], pk.weightBlinding[weight][0], n, zeta));
    if (m === model) {
      assert.equal(hidden, 0, `${proofs.length} proofs: the polynomials reached show nothing on any domain beyond constants and the public rows`);
      assert.equal(reachedByCombination(proofs, token), false);
    } else {
      assert.ok(hidden >= 1, 'control: without the pass, a reached polynomial shows a hidden row');
      assert.equal(reachedByCombination(proofs, token), true, 'control: without the pass, the class token is a combination of sent values');
    }
  }
});
