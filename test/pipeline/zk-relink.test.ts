/**
 * The two zero-knowledge leaks of rows with a blinding fixed across proofs, attacked on the sample MLP
 * (docs/soundness.md, "Zero knowledge"; the fix: `blocks/relink.ts`, `src/pipeline/relink.ts`).
 *
 * Bias: block `t12 = t10 + t11` (t11 a bias weight, blinded once at setup by b₀), t10 limb-split into
 * `limb + 1024·rest − c`, t12 opened by a permutation and the limbs by the range lookup. Every per-proof blinding
 * cancels in `t12(ζ) − limb(ζ) − 1024·rest(ζ)` when the add reads the weight itself, which leaves
 * `(t11 + Z_H·b₀)(ζ) − c`: a fixed polynomial of degree < n + 2 = 6, so 6 proofs interpolate it and its values on H
 * are the bias. Read through its relinked copy (fresh blinding per proof), the same combination is a fresh random
 * value per proof: the interpolant neither gives the bias nor predicts a seventh proof.
 *
 * Hashed input: its rows are blinded by a function of the input, so every opening of them at ζ is a fixed
 * polynomial for one input; 6 proofs of one input interpolate it. Every evaluation the proof reveals is tried.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import { memberPrefix } from '../../blocks/model-argument';
import type { SlotValues } from '../../src/equations/equation';
import { frSlot } from '../../src/equations/evaluate';
import { Fr, frFromSigned } from '../../src/field';
import { EvaluationDomain } from '../../src/poly/domain';
import { compile, quantizeFeeds } from '../../src/pipeline/compile';
import { prove, replayArgument, verify } from '../../src/pipeline/prove-verify';
import type { LimbSplitBlock } from '../../blocks/limb-split';
import { sampleMlpInput } from '../model/fixtures';
import { compileSample, keysFor, sampleBytes } from '../soundness/pipeline';

/** `P(z)` for the polynomial of degree < points.length through `points` (Lagrange form). */
function interpolateAt(points: readonly (readonly [bigint, bigint])[], z: bigint): bigint {
  let acc = 0n;
  points.forEach(([xk, yk], k) => {
    let num = 1n;
    let den = 1n;
    points.forEach(([xj], j) => {
      if (j === k) return;
      num = Fr.mul(num, Fr.sub(z, xj));
      den = Fr.mul(den, Fr.sub(xk, xj));
    });
    acc = Fr.add(acc, Fr.mul(yk, Fr.mul(num, Fr.inv(den))));
  });
  return acc;
}

/** Proofs interpolated: the fixed polynomial has degree < n + 2 with n = 4. */
const PROOFS = 6;

test('bias leak: t12(ζ) − limb(ζ) − 1024·rest(ζ) over 6 hidden proofs interpolates the bias when the add reads it directly, and not through its relinked copy', async () => {
  const model = compileSample();
  const pk = await keysFor(model);
  const g = model.graph;
  const kind = (id: string) => g.tensors.find((t) => t.id === id)?.kind;
  const writer = (id: string) => g.nodes.find((n) => n.block.tensors.some((t) => t.role === 'output' && n.bind[t.name] === id));
  // The bias weight of the add whose other operand is limb-split with an offset (the second layer's t12 = t10 + t11).
  const weightOf = (id: string) => (kind(id) === 'weight' ? id : writer(id)?.block.kind === 'relink' ? writer(id)!.bind.x : undefined);
  const add = g.nodes.findIndex((n) => n.block.kind === 'linear' && n.block.foldKey.includes('/add/') && weightOf(n.bind.a) && kind(n.bind.b) === 'wire' && g.nodes.some((m) => m.block.kind === 'limb-split' && m.bind.v === n.bind.b && m.block.foldKey.includes('/c32768/')));
  assert.ok(add >= 0, 'the sample MLP adds a bias to a limb-split wire');
  const { a, b: t10, c: t12 } = g.nodes[add].bind;
  const bias = weightOf(a)!;
  const split = g.nodes.find((m) => m.block.kind === 'limb-split' && m.bind.v === t10)!;
  const offset = (split.block as LimbSplitBlock).options.offset;
  const permutation = g.nodes.findIndex((n) => n.block.kind === 'permutation' && n.bind.in0 === t12);
  const lookup = g.nodes.findIndex((n) => n.block.kind === 'lookup');
  const lookupName = (id: string) => Object.entries(g.nodes[lookup].bind).find(([, t]) => t === id)![0];
  const slots = {
    t12: `${memberPrefix(permutation)}open:in0[0]@zeta`,
    limb: `${memberPrefix(lookup)}open:${lookupName(split.bind.lo)}[0]@zeta`,
    rest: `${memberPrefix(lookup)}open:${lookupName(split.bind.hi)}[0]@zeta`,
  };
  const base = quantizeFeeds(model, { input: sampleMlpInput() });
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
    points.push([frSlot(v, 'zeta'), Fr.sub(Fr.sub(frSlot(v, slots.t12), frSlot(v, slots.limb)), Fr.mul(1024n, frSlot(v, slots.rest)))]);
  }
  const fitted = points.slice(0, PROOFS);
  const recovered = h.elements().map((w) => Fr.add(interpolateAt(fitted, w), frFromSigned(offset)));
  const expected = model.weights[bias][0].map(frFromSigned);
  assert.notDeepEqual(recovered, expected, 'the interpolant of 6 proofs is not the bias');
  const [z7, v7] = points[PROOFS];
  assert.notEqual(interpolateAt(fitted, z7), v7, 'the interpolant of 6 proofs does not predict a seventh: the combination is fresh per proof');
  assert.equal(kind(a), 'wire', 'the add reads the bias through its relinked copy');
});

test('hashed-input leak: no evaluation revealed by 6 proofs of one hashed input interpolates to the input', async () => {
  const model = compile(sampleBytes(), [{ input: sampleMlpInput() }], { visibility: { inputs: { input: 'hashed' } } });
  const pk = await keysFor(model);
  const g = model.graph;
  const inputId = model.inputs[0].id;
  const inputs = quantizeFeeds(model, { input: sampleMlpInput() });
  const h = new EvaluationDomain(g.tensors.find((t) => t.id === inputId)!.domain);
  const expected = [...inputs[inputId][0], ...new Array<bigint>(h.size - inputs[inputId][0].length).fill(0n)].map(frFromSigned);
  const perProof: SlotValues[] = [];
  for (let k = 0; k < PROOFS; k++) {
    const { statement, proof } = await prove(pk, inputs);
    if (k === 0) assert.equal((await verify(pk.vk, statement, proof.bytes)).ok, true);
    perProof.push((await replayArgument(pk.vk, statement, proof.bytes)).instance.values);
  }
  const evaluations = Object.keys(perProof[0]).filter((s) => s.endsWith('@zeta'));
  assert.ok(evaluations.length > 20, `${evaluations.length} evaluations tried`);
  const recoveredBy = evaluations.filter((s) => {
    const points = perProof.map((v): [bigint, bigint] => [frSlot(v, 'zeta'), frSlot(v, s)]);
    return h.elements().every((w, c) => interpolateAt(points, w) === expected[c]);
  });
  assert.deepEqual(recoveredBy, []);
  const readers = g.nodes.filter((n) => n.block.kind !== 'relink' && Object.values(n.bind).includes(inputId));
  assert.deepEqual(readers, [], 'only the relink block reads the hashed input');
});
