import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide, decideWithWeights } from '../../accumulation/decider';
import { descriptorOf } from '../../accumulation/fold-key';
import { proveFold } from '../../accumulation/fold';
import { freshAccumulator } from '../../accumulation/relaxed';
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
