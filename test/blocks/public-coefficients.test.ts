/**
 * `PublicPoly.coefficients`: the quotient reads a public polynomial's coefficients from its closed form, from the
 * interpolant of one period, or from coefficients a block keeps, instead of interpolating its n values. Each must be
 * the interpolant of `values` (the polynomial the verifier evaluates with `evaluateAt`), whatever the challenges.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { getDefaultEngine } from '../../src/index';
import { Fr } from '../../src/field';
import { EvaluationDomain } from '../../src/poly/domain';
import { lagrangePoly, periodicVector, subgroupIndicatorCoefficients, subgroupIndicatorPoly, type PublicPoly } from '../../blocks/poly-iop';
import { rowWeightMultiplier } from '../../blocks/running-sum';
import { PermutationBlock, concatMap, transposeMap } from '../../blocks/permutation';
import type { BlockContext } from '../../blocks/index';
import type { SlotValues } from '../../src/equations/equation';
import { testKzgKey } from '../helpers/kzg';

const engine = getDefaultEngine();
const fr = fc.bigInt({ min: 0n, max: Fr.ORDER - 1n });

/** `p.coefficients` against the inverse transform of `p.values`, on p's domain. */
function assertInterpolant(p: PublicPoly, slots: SlotValues): void {
  assert.ok(p.coefficients, `${p.name} declares its coefficients`);
  const domain = new EvaluationDomain(p.domain, engine);
  assert.deepEqual([...p.coefficients(slots, domain)], domain.ifft(p.values(slots)), p.name);
}

test('Lagrange polynomials: coefficients n^(−1)·ω^(−ij) are the interpolant of e_i', () => {
  for (const n of [1, 2, 8, 64]) for (const i of new Set([0, n - 1, n >> 1, Math.min(3, n - 1)])) assertInterpolant(lagrangePoly(n, i), {});
});

test('subgroup indicators: coefficients [m | j]·m/n are the interpolant of the indicator of H_m in H_n', () => {
  for (const [m, n] of [[1, 1], [1, 8], [2, 8], [8, 8], [4, 64], [16, 64]]) assertInterpolant(subgroupIndicatorPoly(m, n), {});
  // The formula is not the all-ones vector's or a Lagrange polynomial's: a wrong support fails.
  const domain = new EvaluationDomain(16, engine);
  assert.notDeepEqual(subgroupIndicatorCoefficients(4, 16), domain.ifft(subgroupIndicatorPoly(2, 16).values({})));
});

test('periodic vectors: one period interpolated and spread is the interpolant over H_n (fast-check over values)', () => {
  fc.assert(
    fc.property(fc.constantFrom([4, 1], [4, 2], [16, 4], [64, 8], [8, 8]), fc.array(fr, { minLength: 8, maxLength: 8 }), ([n, period], raw) => {
      assertInterpolant(periodicVector('p', n, period, () => raw.slice(0, period)), {});
    }),
    { numRuns: 20 },
  );
});

test('row-weight multipliers: the closed form is the interpolant of μ for every α (fast-check)', () => {
  fc.assert(
    fc.property(fc.constantFrom([8, 1], [8, 2], [8, 8], [64, 4], [64, 16]), fr, ([n, rowLength], alpha) => {
      const alphaSlot = alpha === 0n ? 1n : alpha; // α is drawn nonzero (μ reads α^(−1))
      assertInterpolant(rowWeightMultiplier('s', n, { challenge: 'alpha', rowLength }), { alpha: alphaSlot });
    }),
    { numRuns: 20 },
  );
});

test('permutation vectors: kept interpolants, scaled by γ, stay the interpolants when the key proves again with other challenges', async () => {
  const ctx: BlockContext = { engine, kzg: await testKzgKey(64, engine) };
  const x = { name: 'x', rows: 2, length: 3 };
  const z = { name: 'z', rows: 2, length: 5 };
  for (const block of [new PermutationBlock(transposeMap(x, 'y')), new PermutationBlock(concatMap([x, z], 'y'))]) {
    // The block's own map vectors (the logUp gadget may add a subgroup indicator of its own, kept nowhere).
    const publics = () => block.iopSpec(ctx).publics.filter((p) => p.coefficients && /^(gsrc|q|k|mult|gid):/.test(p.name));
    const names = publics().map((p) => p.name);
    assert.ok(names.some((n) => n.startsWith('gsrc:')) && names.some((n) => n.startsWith('mult:')), 'the block declares γ-scaled and plain vectors');
    // Each spec() builds new objects; the block keeps one interpolant per name across them (two proofs, two γ).
    for (const gamma of [3n, Fr.ORDER - 5n, 12345678901234567890n]) for (const p of publics()) assertInterpolant(p, { gamma });
    const kept = (block as unknown as { interpolants: Map<string, unknown> }).interpolants;
    assert.equal(kept.size, names.length, 'one kept interpolant per vector, however many proofs');
  }
});
