import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Fr, frFromSigned } from '../../src/field';
import { hidingShift, shiftedKeepingWeightedSum, solveFr, unitLowerTriangular } from './forge';

test('unitLowerTriangular is invertible; hidingShift solves W·Δ = amount·e_row (solveFr); shiftedKeepingWeightedSum keeps Σ_j α^(K−1−j)·p_j', () => {
  const w = unitLowerTriangular(4, 4);
  assert.deepEqual(w[0], [1n, 0n, 0n, 0n]);
  assert.deepEqual(w.map((r, c) => r[c]), [1n, 1n, 1n, 1n], 'ones on the diagonal');
  const shift = hidingShift(w, 1, 7n);
  assert.deepEqual(
    w.map((r) => r.reduce((acc, x, j) => Fr.add(acc, Fr.mul(frFromSigned(x), shift[j])), 0n)),
    [0n, 7n, 0n, 0n],
  );
  assert.deepEqual(solveFr([[2n, 0n], [1n, 1n]], [4n, 3n]), [2n, 1n]);
  const p = [3n, 1n, 4n, 1n, 5n, 9n, 2n, 6n];
  const alpha = 11n;
  const weighted = (q: readonly bigint[]) => q.reduce((acc, x, j) => Fr.add(acc, Fr.mul(Fr.pow(alpha, BigInt(q.length - 1 - j)), x)), 0n);
  const moved = shiftedKeepingWeightedSum(p, shift, alpha);
  assert.deepEqual(moved.slice(0, 4), p.slice(0, 4).map((x, j) => Fr.add(x, shift[j])));
  assert.deepEqual(moved.slice(4, 7), p.slice(4, 7), 'the padding cells but the last unchanged');
  assert.equal(weighted(moved), weighted(p));
  assert.throws(() => shiftedKeepingWeightedSum([1n, 2n], [1n, 2n], alpha), /a padding cell/);
});
