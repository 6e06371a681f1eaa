/**
 * The weight link on its own (`blocks/weight-link.ts`): `[w̃]₁ = [w + Z_K·r]₁`, `D = [r]₁`, ξ, `Z_K(ξ)` and the
 * opening π of `w̃ − w − Z_K(ξ)·r` at ξ satisfy the link equation; every element tampered, a w̃ that differs
 * from w on H (with the cheater's best opening) and a D not matching r are rejected.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { weightLink } from '../../blocks/weight-link';
import { G1_ONE } from '../../src/curve';
import { getDefaultEngine } from '../../src/engine/index';
import type { PairingEquation } from '../../src/equations/equation';
import { Fr } from '../../src/field';
import { commit } from '../../src/kzg/commit';
import { open } from '../../src/kzg/open';
import { holds, testKey } from '../kzg/helpers';

const K = 8;
const engine = getDefaultEngine();
const kzg = await testKey(engine, 2 * K + 2);
const link = weightLink('w', K, () => ({ slots: ['w/0'], scalars: [1n] }));
const equation = link.equation(kzg);
assert.equal(equation.kind, 'pairing');
const eq = equation as PairingEquation;

/** `w + Z_K·r` in coefficients (Z_K = X^K − 1). */
function blinded(w: readonly bigint[], r: readonly bigint[]): bigint[] {
  const out = new Array<bigint>(K + r.length).fill(0n);
  w.forEach((c, i) => (out[i] = Fr.add(out[i], c)));
  r.forEach((c, i) => {
    out[i] = Fr.sub(out[i], c);
    out[i + K] = Fr.add(out[i + K], c);
  });
  return out;
}

/** The slot values a prover sends for weights w, mask r, claimed w̃ and challenge ξ. */
async function values(w: readonly bigint[], r: readonly bigint[], tilde: readonly bigint[], xi: bigint) {
  const z = Fr.sub(Fr.pow(xi, BigInt(K)), 1n);
  const diff = tilde.map((c, i) => Fr.sub(Fr.sub(c, w[i] ?? 0n), Fr.mul(z, r[i] ?? 0n)));
  const pi = await open(kzg, diff, xi);
  return {
    w: await commit(kzg, w),
    [link.commitment]: await commit(kzg, tilde),
    [link.messages[1]]: await commit(kzg, r),
    [link.challenge]: xi,
    [link.vanishing]: z,
    [link.proof]: pi.proof,
  };
}

const weights = Array.from({ length: K }, (_, i) => BigInt(3 * i + 1));
const mask = [11n, 29n];

test('an honest link verifies; each of w̃, D, π, ξ and Z(ξ) tampered is rejected', async () => {
  const v = await values(weights, mask, blinded(weights, mask), 12345n);
  assert.equal(await holds(engine, [eq], v), true);
  for (const g1 of [link.commitment, link.messages[1], link.proof, 'w'])
    assert.equal(await holds(engine, [eq], { ...v, [g1]: (v[g1] as typeof G1_ONE).add(G1_ONE) }), false, `${g1} shifted`);
  for (const fr of [link.challenge, link.vanishing]) assert.equal(await holds(engine, [eq], { ...v, [fr]: Fr.add(v[fr] as bigint, 1n) }), false, `${fr} + 1`);
});

test('a w̃ that differs from the committed weights on H is rejected, whatever the cheater opens', async () => {
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: K - 1 }), fc.bigInt({ min: 1n, max: 1000n }), async (cell, delta) => {
      const cheat = weights.map((x, i) => (i === cell ? Fr.add(x, delta) : x));
      // The cheater commits w̃ from its own weights and opens w̃ − w − Z(ξ)·r honestly: the difference is not 0 at ξ.
      const v = await values(weights, mask, blinded(cheat, mask), 777n);
      assert.equal(await holds(engine, [eq], v), false);
    }),
    { numRuns: 5 },
  );
});
