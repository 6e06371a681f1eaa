import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReferenceEngine } from '../../src/engine/reference';
import { Fr } from '../../src/field';
import { fallingFactorial } from '../../src/poly/falling';
import { evaluate } from '../../src/poly/polynomial';

const engine = createReferenceEngine();

test('fallingFactorial(n) is Π_(u<n)(X − u): monic of degree n, zero exactly on {0, …, n − 1}, the Stirling numbers of the first kind', () => {
  assert.deepEqual(fallingFactorial(0, engine), [1n]);
  assert.deepEqual(fallingFactorial(1, engine), [0n, 1n]);
  // X(X − 1)(X − 2)(X − 3) = X⁴ − 6X³ + 11X² − 6X.
  assert.deepEqual(fallingFactorial(4, engine), [0n, Fr.neg(6n), 11n, Fr.neg(6n), 1n]);
  for (const n of [5, 64, 100]) {
    const f = fallingFactorial(n, engine);
    assert.equal(f.length, n + 1);
    assert.equal(f[n], 1n);
    for (let u = 0; u < n; u++) assert.equal(evaluate(f, BigInt(u)), 0n, `root ${u} of n = ${n}`);
    // f(n) = n!, f(−1) = (−1)^n·n!.
    let factorial = 1n;
    for (let i = 2; i <= n; i++) factorial = Fr.mul(factorial, BigInt(i));
    assert.equal(evaluate(f, BigInt(n)), factorial);
    assert.equal(evaluate(f, Fr.neg(1n)), n % 2 === 0 ? factorial : Fr.neg(factorial));
  }
});
