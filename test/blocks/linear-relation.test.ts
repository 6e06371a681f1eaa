/**
 * `relationResidual`, the one MSM every linear block's check and the pipeline's row blinding read: it is
 * `Σ_j ρ^j·Σ_t k_t·[row_t]₁`, it vanishes on commitments that satisfy the relations (signed coefficients taken
 * mod r), and any changed commitment of a row a relation names makes it nonzero (fast-check); `linearRelationCheck`,
 * the steps and equation the blocks with such relations share, derives that residual from its ρ and pairs it with
 * `[1]₂`; errors that cancel across two relations are rejected.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { linearRelationCheck, relationResidual, type LinearRelation } from '../../blocks/linear-relation';
import type { DerivedStep } from '../../blocks/protocol';
import type { KzgVerifierKey } from '../../src/kzg/key';
import { G1_ONE, G2_ONE } from '../../src/curve';
import { getDefaultEngine } from '../../src/engine/index';
import { Fr, frFromSigned } from '../../src/field';
import { LinearBlock } from '../../blocks/elementwise';
import { proveBlock, verifyBlock } from '../../blocks/conformance';
import { context, statementOf } from '../soundness/helpers';

const slot = (tensor: string, row: number) => `${tensor}/${row}`;
// c_j = a_j − 3·b_j for rows j = 0, 1: as an elementwise block would state it.
const relations: LinearRelation[] = [0, 1].map((j) => ({ terms: [{ tensor: 'a', row: j, coeff: 1n }, { tensor: 'b', row: j, coeff: -3n }, { tensor: 'c', row: j, coeff: -1n }] }));
test('relationResidual is Σ_j ρ^j·Σ_t k_t·[row_t]₁: zero on rows that satisfy the relations, nonzero when any row changes', async () => {
  const engine = getDefaultEngine();
  const rho = 7n;
  const point = (x: bigint) => G1_ONE.multiplyUnsafe(Fr.create(x)); // 0 allowed: a zero row commits to the identity
  const values = (a: bigint[], b: bigint[], c: bigint[]) => {
    const out: Record<string, ReturnType<typeof point>> = {};
    (['a', 'b', 'c'] as const).forEach((t, i) => [a, b, c][i].forEach((x, j) => (out[slot(t, j)] = point(x))));
    return out;
  };
  // Explicit value: with a = (5, 9), b = (2, 1), c = (1, 1), Σ_j ρ^j·(a_j − 3·b_j − c_j) = (5 − 6 − 1) + 7·(9 − 3 − 1) = 33.
  const r = await relationResidual(engine, values([5n, 9n], [2n, 1n], [1n, 1n]), relations, [1n, rho], slot);
  assert.ok(r.equals(point(33n)));
  await fc.assert(
    fc.asyncProperty(fc.array(fc.bigInt({ min: -(1n << 40n), max: 1n << 40n }), { minLength: 4, maxLength: 4 }), fc.constantFrom(...['a', 'b', 'c'].flatMap((t) => [slot(t, 0), slot(t, 1)])), fc.bigInt({ min: 1n, max: 1000n }), async ([a0, a1, b0, b1], key, delta) => {
      const a = [a0, a1];
      const b = [b0, b1];
      const c = [a0 - 3n * b0, a1 - 3n * b1];
      const honest = values(a, b, c);
      assert.ok((await relationResidual(engine, honest, relations, [1n, rho], slot)).is0(), 'satisfied relations: zero');
      const tampered = { ...honest };
      tampered[key] = tampered[key].add(point(frFromSigned(delta)));
      assert.ok(!(await relationResidual(engine, tampered, relations, [1n, rho], slot)).is0(), `a changed ${key}: nonzero`);
    }),
    { numRuns: 25 },
  );
});

test('linearRelationCheck: ρ drawn, then residual = relationResidual at the powers of ρ, paired with [1]₂ under the given name', async () => {
  const engine = getDefaultEngine();
  const check = linearRelationCheck(relations, 'linear');
  assert.deepEqual(check.slots, [
    { name: 'rho', sort: 'fr', origin: 'challenge' },
    { name: 'residual', sort: 'g1', origin: 'derived' },
  ]);
  assert.deepEqual(check.steps.map((s) => [s.kind, s.slots]), [['challenge', ['rho']], ['derived', ['residual']]]);
  const point = (x: bigint) => G1_ONE.multiplyUnsafe(Fr.create(frFromSigned(x)));
  const values = (c1: bigint) => ({ rho: 7n, 'a/0': point(5n), 'a/1': point(9n), 'b/0': point(2n), 'b/1': point(1n), 'c/0': point(-1n), 'c/1': point(c1) });
  const derive = (check.steps[1] as DerivedStep).compute;
  assert.ok(((await derive(values(6n), engine)).residual as typeof G1_ONE).is0(), 'relations hold: the identity');
  // c_1 one off: the residual is ρ·(−1)·[1]₁.
  assert.ok(((await derive(values(7n), engine)).residual as typeof G1_ONE).equals(point(-7n)));
  const g2One = { key: 'g2:1', point: G2_ONE };
  const kzg = { g2One } as unknown as KzgVerifierKey;
  assert.deepEqual(check.equation(kzg), { kind: 'pairing', name: 'linear', terms: [{ coeff: 1n, scalars: [], g1: 'residual', g2: g2One }] });
});

test('linearRelationCheck weights each relation by its own power of ρ: errors that cancel across the rows of an add block are rejected', async () => {
  // c_0 = a_0 + b_0 + 1 and c_1 = a_1 + b_1 − 1 on cell 0: the two residuals are ∓[L_0]₁, whose unweighted sum is 0.
  const ctx = await context(16);
  const block = new LinearBlock({ operation: { op: 'add' }, rows: 2, domain: 4 });
  const a = [[1n, 2n, 3n, 4n], [5n, 6n, 7n, 8n]];
  const b = [[1n, 1n, 1n, 1n], [2n, 2n, 2n, 2n]];
  const { c } = block.witness({ a, b });
  const verdict = async (rows: readonly (readonly bigint[])[]) => {
    const tensors = { a, b, c: rows };
    const protocol = block.protocol(ctx);
    const statement = await statementOf(block, ctx, tensors);
    return (await verifyBlock(ctx, protocol, statement, await proveBlock(block, { ...ctx, allowInvalidWitness: true }, protocol, statement, tensors))).ok;
  };
  assert.equal(await verdict(c), true, 'honest');
  assert.equal(await verdict([[c[0][0] + 1n, ...c[0].slice(1)], [c[1][0] - 1n, ...c[1].slice(1)]]), false, 'cancelling errors');
});
