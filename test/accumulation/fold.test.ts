import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Fp12, G1, G1_ONE, G2, G2_ONE, GT_ONE } from '../../src/curve';
import { createWasmEngine } from '../../src/engine/wasm/engine';
import { R } from '../../src/field';
import { combineCell } from '../../accumulation/cells';
import { decide, decideWithWeights } from '../../accumulation/decider';
import { descriptorOf } from '../../accumulation/fold-key';
import { proveFold } from '../../accumulation/fold';
import { freshAccumulator } from '../../accumulation/relaxed';
import { E11 } from './helpers';
import { baseTranscript, cubicProtocol, cubicWitness, g2Protocol, g2Witness, kzgProtocol, kzgWitness, newEngine, proveLeaves } from './fixtures';

test('folding two honest leaves keeps the relaxed relation, for every cell kind', async () => {
  const engine = newEngine();
  const base = baseTranscript();
  for (const [protocol, w1, w2] of [
    [kzgProtocol, kzgWitness([1n, 2n, 3n]), kzgWitness([4n, 5n])],
    [cubicProtocol, cubicWitness(3n, 11n), cubicWitness(7n, 13n)],
    [g2Protocol, g2Witness(5n, 9n), g2Witness(6n, 10n)],
  ] as const) {
    const desc = descriptorOf(protocol);
    const leaves = await proveLeaves(engine, base, [{ protocol, witness: w1 }, { protocol, witness: w2 }]);
    const [a, b] = leaves.map((l) => freshAccumulator(desc, l.instance.values));
    assert.deepEqual(await decide(engine, base, [{ descriptor: desc, accumulator: a }]), { ok: true });
    const { parent } = await proveFold(engine, desc, a, b, base.fork('f'));
    assert.notEqual(parent.mu, 1n);
    assert.deepEqual(await decide(engine, base, [{ descriptor: desc, accumulator: parent }]), { ok: true }, protocol.foldKey);
    const weights = desc.equations.map(() => 7n);
    assert.deepEqual(await decideWithWeights(engine, [{ descriptor: desc, accumulator: parent }], [weights]), { ok: true });
  }
});

test('combineCell is Σ k_i·x_i (Π x_i^k_i in GT) on both engines, with identities, zero and unit scalars', async () => {
  // Zero, unit and R − 1 scalars among full-size ones; every fourth point (from the second) the identity.
  const scalar = (i: number) => [0n, 1n, R - 1n][i % 5] ?? (BigInt(i + 1) * 0x9e3779b97f4a7c15f39cc0605cedc834c0ffeen) % R;
  for (const engine of [newEngine(), createWasmEngine()]) {
    for (const n of [1, 3, 33]) {
      const ks = Array.from({ length: n }, (_, i) => scalar(i + 3));
      const ps = ks.map((_, i) => (i % 4 === 1 ? G1.ZERO : G1_ONE.multiply(BigInt(i + 7))));
      const want = ps.reduce((s, p, i) => s.add(p.multiplyUnsafe(ks[i])), G1.ZERO);
      assert.ok(((await combineCell(engine, 'g1', ps, ks)) as typeof want).equals(want), `${engine.name}, ${n} G1 terms`);
      const qs = ks.slice(0, 3).map((_, i) => (i === 1 ? G2.ZERO : G2_ONE.multiply(BigInt(i + 5))));
      const want2 = qs.reduce((s, q, i) => s.add(q.multiplyUnsafe(ks[i])), G2.ZERO);
      assert.ok(((await combineCell(engine, 'g2', qs, ks.slice(0, 3))) as typeof want2).equals(want2), `${engine.name}, G2`);
    }
    await engine.close();
  }
  const gts = [E11, GT_ONE, Fp12.mul(E11, E11)];
  const ks = [5n, 7n, R - 3n];
  const want = gts.reduce((acc, x, i) => Fp12.mul(acc, Fp12.pow(x, ks[i])), GT_ONE);
  assert.ok(Fp12.eql((await combineCell(newEngine(), 'gt', gts, ks)) as typeof want, want));
  assert.equal(await combineCell(newEngine(), 'fr', [3n, 4n], [2n, R - 1n]), 2n);
});
