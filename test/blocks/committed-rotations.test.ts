/**
 * Hiding counts points per committed polynomial, not per oracle (`committedRotations`, `blocks/poly-iop.ts`): a row x
 * read directly at rotations {2, 5, 7} and through a combination oracle `C = 1·[x]₁` at {1, 3, 4} is one polynomial
 * `x + Z_H·b` opened at ζ and 6 rotated points. Blinded for one oracle's 4 points (5 coefficients), a combination of
 * the 6 revealed rotated values would cancel b and depend on x alone (the review's attack, replayed below): the prover
 * refuses such a blinding, naming the row and its 7 points; with the 8 coefficients it asks for, the proof verifies
 * and the same combination no longer predicts the witness.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  at,
  combinationStep,
  committedRotations,
  leafLabel,
  polyIopProtocol,
  polyIopProver,
  proveLeaf,
  replayLeaf,
  rotatedAt,
  rowEvaluations,
  rowSlot,
  rowStatement,
  rowStatementSlots,
  term,
  commitRows,
  verifyInstances,
  type BlockContext,
  type Combination,
  type PolyIopSpec,
  type TensorSpec,
} from '../../blocks/index';
import { blindingSource } from '../../src/blinding';
import { ByteReader } from '../../src/encoding/bytes';
import { frSlot } from '../../src/equations/evaluate';
import { BlockfoldError } from '../../src/errors';
import { Fr } from '../../src/field';
import { commitVanishingMultiple } from '../../src/kzg/commit';
import { EvaluationDomain } from '../../src/poly/domain';
import { interpolate } from '../../src/poly/interpolate';
import { rootOfUnity } from '../../src/poly/roots';
import { Transcript } from '../../src/transcript';
import { context } from '../soundness/helpers';
import { solveFr } from '../helpers/forge';
import { rotations } from '../helpers/opening-points';

const N = 8;
const x = rowSlot('x', 0);
const y = rowSlot('y', 0);
const tensors: TensorSpec[] = [
  { name: 'x', rows: 1, domain: N, role: 'input' },
  { name: 'y', rows: 1, domain: N, role: 'output' },
];
const comb: Combination = () => ({ slots: [x], scalars: [1n] });
const DIRECT = [2, 5, 7];
const VIA_C = [1, 3, 4];
/** `y_i = Σ_{s ∈ DIRECT} x_(i+s) + Σ_{s ∈ VIA_C} C_(i+s)`, C = x. */
const spec: PolyIopSpec = {
  foldKey: 'committed-rotations',
  statement: rowStatementSlots(tensors),
  slots: [{ name: 'comb/x', sort: 'g1', origin: 'derived' }],
  rounds: [combinationStep({ 'comb/x': comb })],
  oracles: [
    { name: x, domain: N, commitment: x },
    { name: 'C', domain: N, commitment: 'comb/x', combination: comb },
    { name: y, domain: N, commitment: y },
  ],
  publics: [],
  identities: [{ name: 'y', domain: N, terms: [term(1, at(y)), ...DIRECT.map((s) => term(-1, rotatedAt(x, s))), ...VIA_C.map((s) => term(-1, rotatedAt('C', s)))] }],
};
const witness = (xs: bigint[]) => xs.map((_, i) => Fr.create([...DIRECT, ...VIA_C].reduce((a, s) => a + xs[(i + s) % N], 0n)));
const tag = (s: number) => (s === 1 ? 'wzeta' : `w^${s}zeta`);

/** One proof with x blinded by `coefficients` fresh coefficients (y unblinded): the verifier's verdict and the values it reads. */
async function proveWith(ctx: BlockContext, xs: bigint[], coefficients: number, seed: string) {
  const bx = blindingSource(seed).draw('x', coefficients);
  const px = (await commitRows(ctx.kzg, [xs], N))[0].add(await commitVanishingMultiple(ctx.kzg, N, bx));
  const py = (await commitRows(ctx.kzg, [witness(xs)], N))[0];
  const statement = rowStatement(tensors, { x: [px], y: [py] });
  const proving: BlockContext = { ...ctx, statementBlinding: (s) => (s === x ? bx : undefined) };
  const polys = { [x]: interpolate(rowEvaluations(xs, N), ctx.engine), C: interpolate(rowEvaluations(xs, N), ctx.engine), [y]: interpolate(witness(xs), ctx.engine) };
  const protocol = polyIopProtocol(spec, ctx.kzg, ctx.engine);
  const base = Transcript.create('committed-rotations');
  const { messages } = await proveLeaf(protocol, base.fork(leafLabel(protocol.foldKey, 0)), ctx.engine, statement, polyIopProver(spec, proving, { round: () => ({}), polynomials: () => polys }));
  const leaf = await replayLeaf(protocol, base.fork(leafLabel(protocol.foldKey, 0)), ctx.engine, statement, new ByteReader(messages));
  return { verdict: await verifyInstances(ctx.engine, [leaf], base), values: leaf.values };
}

/**
 * λ ≠ 0 with `Σ_j λ_j·Z_H(z_j)·z_j^k = 0` for every k < `unknowns` (6 points, 5 unknowns: one dimension of them): λ's
 * last entry 1, the others the solution of the square system the first `unknowns` points give.
 */
function leftKernel(points: bigint[], zh: bigint, unknowns: number): bigint[] {
  assert.equal(points.length, unknowns + 1);
  const powersAt = (c: number) => points.map((z) => Fr.mul(zh, Fr.pow(z, BigInt(c))));
  const rows = Array.from({ length: unknowns }, (_, c) => powersAt(c));
  return [...solveFr(rows.map((r) => r.slice(0, unknowns)), rows.map((r) => Fr.neg(r[unknowns]))), 1n];
}

test('committedRotations: a row read directly and through a combination is opened at the union of their rotations; without the combination\'s slots, at every statement slot', () => {
  assert.deepEqual(committedRotations(spec, (o) => (o.name === 'C' ? [x] : [])).get(x), rotations(1, 2, 3, 4, 5, 7));
  assert.deepEqual(committedRotations(spec, () => [x]).get(y), [], 'y is read at ζ only');
  assert.deepEqual(committedRotations(spec).get(y), rotations(1, 3, 4), 'the static count: C may combine any statement slot');
  assert.deepEqual(committedRotations(spec).get('comb/x'), rotations(1, 3, 4));
});

test('committedRotations: one commitment read rotated by oracles of two domains is refused (ω_4·ζ and ω_8·ζ would be counted as one point)', () => {
  const half: PolyIopSpec = {
    ...spec,
    slots: [],
    rounds: [],
    oracles: [
      { name: x, domain: N, commitment: x },
      { name: 'x4', domain: N / 2, commitment: x },
      { name: y, domain: N, commitment: y },
    ],
    identities: [
      { name: 'y', domain: N, terms: [term(1, at(y)), term(-1, rotatedAt(x, 1))] },
      { name: 'x4', domain: N / 2, terms: [term(1, rotatedAt('x4', 1)), term(-1, rotatedAt('x4', 1))] },
    ],
  };
  assert.throws(() => committedRotations(half), (e: unknown) => e instanceof BlockfoldError && /"x\/0" is read rotated by oracles on H_8 and H_4/.test(e.message));
  // Read rotated on one domain only, it is counted as before.
  const one: PolyIopSpec = { ...half, identities: [half.identities[0], { name: 'x4', domain: N / 2, terms: [term(1, at('x4')), term(-1, at('x4'))] }] };
  assert.deepEqual(committedRotations(one).get(x), rotations(1));
});

test('a row read at {2, 5, 7} and through C = 1·[x] at {1, 3, 4}: blinded for 4 points it is refused; blinded for its 7 the proof verifies and the cancelling combination fails', async () => {
  const ctx = await context(64);
  const xs = [3n, 1n, 4n, 1n, 5n, 9n, 2n, 6n];
  const other = [3n, 1n, 4n, 1n, 5n, 9n, 2n, 7n];
  await assert.rejects(
    proveWith(ctx, xs, 5, 'short'),
    (e: Error) => e instanceof BlockfoldError && /reads "x\/0", whose polynomial is opened at 7 points, but its blinding has 5 coefficients; hiding 7 evaluations and the commitment needs 8/.test(e.message),
  );
  const domain = new EvaluationDomain(N, ctx.engine);
  const w = rootOfUnity(N);
  for (const seed of ['a', 'b']) {
    const { verdict, values } = await proveWith(ctx, xs, 8, seed);
    assert.deepEqual(verdict, { ok: true });
    const zeta = frSlot(values, 'zeta');
    const opened = [...DIRECT.map((s) => [s, `${x}@${tag(s)}`] as const), ...VIA_C.map((s) => [s, `C@${tag(s)}`] as const)];
    for (const [, slot] of opened) assert.ok(slot in values, `${slot} revealed`);
    const points = opened.map(([s]) => Fr.mul(Fr.pow(w, BigInt(s)), zeta));
    // Z_H(ω^s·ζ) = Z_H(ζ): the combination that would cancel a blinding of 5 coefficients.
    const lambda = leftKernel(points, domain.vanishingAt(zeta), 5);
    const revealed = opened.reduce((acc, [, slot], j) => Fr.add(acc, Fr.mul(lambda[j], frSlot(values, slot))), 0n);
    const predict = (cand: bigint[]) => points.reduce((acc, z, j) => Fr.add(acc, Fr.mul(lambda[j], domain.evaluateInterpolant(rowEvaluations(cand, N), z))), 0n);
    assert.notEqual(revealed, predict(xs), `seed ${seed}: the 8 coefficients do not cancel`);
    assert.notEqual(revealed, predict(other));
  }
});
