/**
 * The WebAssembly multi-pairing (`wasm/pairing.ts` through `src/engine/wasm/pairing.ts`) against noble's own
 * `pairingBatch`: the same element of GT for random pairs (fresh G2 points and the cached ones of a key, 1 to 4
 * pairs, identity pairs among them), bilinearity checks that must hold and ones that must fail, and the invalid
 * points noble refuses refused here too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { bn254 } from '@noble/curves/bn254.js';
import { Fp12, G1, G1_ONE, G2, G2_ONE, type G1Point, type G2Point } from '../../src/curve';
import { R } from '../../src/field';
import { createWasmEngine } from '../../src/engine/index';

const wasm = createWasmEngine();
const tau = G2_ONE.multiply(0x1234567n);

/** noble's product; it refuses identity points, which contribute 1. */
function noble(pairs: readonly { g1: G1Point; g2: G2Point }[]) {
  const live = pairs.filter((p) => !p.g1.is0() && !p.g2.is0());
  return live.length === 0 ? Fp12.ONE : bn254.pairingBatch(live);
}

const scalar = fc.bigInt({ min: 0n, max: R - 1n });
const pair = fc.record({ a: scalar, b: scalar, fresh: fc.boolean() });

test('the kernels give noble’s product for random pairs', () => {
  fc.assert(
    fc.property(fc.array(pair, { minLength: 1, maxLength: 4 }), (ps) => {
      const pairs = ps.map(({ a, b, fresh }) => ({ g1: G1_ONE.multiplyUnsafe(a), g2: fresh ? G2_ONE.multiplyUnsafe(b) : b % 2n === 0n ? tau : G2_ONE }));
      assert.ok(Fp12.eql(wasm.multiPairing(pairs), noble(pairs)));
    }),
    { numRuns: 12 },
  );
});

test('bilinearity: e(a·P, b·Q)·e(−ab·P, Q) = 1, and ≠ 1 when off by one', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: 1n, max: R - 1n }), fc.bigInt({ min: 1n, max: R - 1n }), (a, b) => {
      const q = G2_ONE.multiply(b);
      const ab = (a * b) % R;
      assert.ok(Fp12.eql(wasm.multiPairing([{ g1: G1_ONE.multiply(a), g2: q }, { g1: G1_ONE.multiply(ab).negate(), g2: G2_ONE }]), Fp12.ONE));
      const off = wasm.multiPairing([{ g1: G1_ONE.multiply(a), g2: q }, { g1: G1_ONE.multiply((ab + 1n) % R || 1n).negate(), g2: G2_ONE }]);
      assert.equal(Fp12.eql(off, Fp12.ONE), false);
    }),
    { numRuns: 6 },
  );
});

test('no pair, or only identity pairs, is the identity of GT', () => {
  assert.ok(Fp12.eql(wasm.multiPairing([]), Fp12.ONE));
  assert.ok(Fp12.eql(wasm.multiPairing([{ g1: G1.ZERO, g2: tau }, { g1: G1_ONE, g2: G2.ZERO }]), Fp12.ONE));
});

test('a G1 point off the curve is refused, as noble refuses it', () => {
  const off = new G1(1n, 3n, 1n); // 3² ≠ 1³ + 3
  assert.throws(() => wasm.multiPairing([{ g1: off, g2: G2_ONE }]), /bad point/);
  assert.throws(() => bn254.pairingBatch([{ g1: off, g2: G2_ONE }]), /bad point/);
});
