/**
 * `verify` replays the argument with its derived G1 combinations deferred (src/engine/deferred.ts): each joins the
 * final multi-pairing's MSM term by term. This must decide exactly what computing them decides:
 *
 * - the algebra of `DeferredG1` (sums, nested sums, add, subtract, negate, multiply) equals the points' (fast-check);
 * - the deferring engine checks MSM arguments like an engine and refuses to hand a deferred value to a call that
 *   would read its coordinates; a noble operation on one throws instead of reading a wrong point;
 * - on the sample MLP, for the honest proof and for proofs with one message or wire commitment replaced by another
 *   valid encoding, the weighted multi-pairing of the deferred replay is the same element of GT as the computed
 *   replay's (so the verdicts agree), and `verify` runs no MSM per derived value.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Fp12, G1_ONE, G2_ONE, type G1Point } from '../../src/curve';
import { R } from '../../src/field';
import { getDefaultEngine } from '../../src/engine/index';
import { DeferredG1, deferringEngine } from '../../src/engine/deferred';
import { decodeFr, decodeG1, encodeFr, encodeG1 } from '../../src/encoding/points';
import { pairingTerms, splitEquations } from '../../src/equations/evaluate';
import { groupPairingTerms, type ScaledPairing } from '../../src/equations/pairing-check';
import type { Engine } from '../../src/engine/engine';
import { absorbInstances, leafLabel, messageSlots, replayLeaf, slotBytes, type LeafInstance } from '../../blocks/index';
import { readArgumentStatement, verify, type Statement } from '../../src/pipeline/prove-verify';
import type { VerifyingKey } from '../../src/pipeline/keys';
import { sampleArtifacts } from '../helpers/sample-artifacts';

const engine = getDefaultEngine();
const bases: G1Point[] = [3n, 5n, 7n, 11n].map((k) => G1_ONE.multiply(k));
const scalar = fc.bigInt({ min: 0n, max: R - 1n });

/** The point a deferred combination stands for. */
const value = (d: DeferredG1): Promise<G1Point> => engine.msmG1Points(d.points, d.scalars);

test('DeferredG1: sums, nested sums and the group operations equal the points they stand for', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(scalar, { minLength: 4, maxLength: 4 }), scalar, scalar, async (ks, a, b) => {
      const inner = DeferredG1.sum(bases, ks);
      const innerPoint = await engine.msmG1Points(bases, ks);
      assert.ok((await value(inner)).equals(innerPoint));
      // A sum over a deferred value and a repeated point: (a·inner + b·P₀ + P₀), P₀ one object merged.
      const outer = DeferredG1.sum([inner, bases[0], bases[0]], [a, b, 1n]);
      assert.ok(outer.points.length <= bases.length, 'each point object once');
      assert.ok((await value(outer)).equals(innerPoint.multiplyUnsafe(a).add(bases[0].multiplyUnsafe((b + 1n) % R))));
      assert.ok((await value(inner.add(bases[1]))).equals(innerPoint.add(bases[1])));
      assert.ok((await value(inner.subtract(outer))).equals(innerPoint.subtract(await value(outer))));
      assert.ok((await value(inner.negate())).equals(innerPoint.negate()));
      assert.ok((await value(inner.multiplyUnsafe(a))).equals(innerPoint.multiplyUnsafe(a)));
    }),
    { numRuns: 10 },
  );
});

test('the deferring engine checks its MSMs and never hands a deferred value to a call that reads points', async () => {
  const deferred = deferringEngine(engine);
  const d = (await deferred.msmG1Points(bases, [1n, 2n, 3n, 4n])) as unknown as DeferredG1;
  assert.ok(d instanceof DeferredG1);
  await assert.rejects(deferred.msmG1Points(bases, [1n]), /scalars over/);
  await assert.rejects(deferred.msmG1Points([G1_ONE], [R]), /canonical/);
  assert.throws(() => DeferredG1.sum([G1_ONE], [1n]).multiplyUnsafe(R), /canonical/);
  const asPoint = d as unknown as G1Point;
  assert.throws(() => deferred.multiPairing([{ g1: asPoint, g2: G2_ONE }]), /deferred/);
  await assert.rejects(deferred.fixedBaseG1(asPoint, [1n]), /deferred/);
  await assert.rejects(deferred.loadG1Bases([asPoint]), /deferred/);
  // A point operation that reads a deferred value's coordinates throws instead of computing with wrong ones.
  assert.throws(() => G1_ONE.add(asPoint));
  await assert.rejects(engine.msmG1Points([asPoint], [1n]));
});

/** The batch verifier's weighted multi-pairing of one replayed leaf (as `verifyInstances` forms it), as an element of GT. */
async function weightedProduct(e: Engine, leaf: LeafInstance, base: Parameters<typeof absorbInstances>[0]) {
  const t = base.fork('batch-weights');
  absorbInstances(t, [leaf]);
  const terms: ScaledPairing[] = [];
  for (const eq of splitEquations(leaf.protocol.equations).pairing) terms.push(...pairingTerms(eq, leaf.values, t.challengeFr(`weight/0/${eq.name}`)));
  return e.multiPairing(await groupPairingTerms(e, terms));
}

/** The weighted products of `proof` replayed with computed and with deferred derived values. */
async function bothReplays(vk: VerifyingKey, statement: Statement, proof: Uint8Array) {
  const out = [];
  for (const replayEngine of [engine, deferringEngine(engine)]) {
    const { base, leaf, messages } = await readArgumentStatement(vk, statement, proof);
    const instance = await replayLeaf(leaf.protocol, base.fork(leafLabel(leaf.protocol.foldKey, 0)), replayEngine, leaf.statement, messages);
    out.push(await weightedProduct(engine, instance, base));
  }
  return out;
}

/** `proof` with the 32-byte element at `at` replaced by another valid encoding of its sort. */
function replaced(proof: Uint8Array, at: number, sort: 'g1' | 'fr'): Uint8Array {
  const out = proof.slice();
  const old = proof.subarray(at, at + 32);
  out.set(sort === 'g1' ? encodeG1(decodeG1(old).add(G1_ONE)) : encodeFr((decodeFr(old) + 1n) % R), at);
  return out;
}

test('sample MLP: the deferred replay decides the same product as the computed one, honest or tampered', async () => {
  const { pk, statement, proof } = await sampleArtifacts();
  const vk = pk.vk;
  const honest = await bothReplays(vk, statement, proof.bytes);
  assert.ok(Fp12.eql(honest[0], Fp12.ONE) && Fp12.eql(honest[1], Fp12.ONE));
  engine.resetStats();
  assert.equal((await verify(vk, statement, proof.bytes)).ok, true);
  // The public input's and output's row commitments, and one MSM per public G2 point ([1]₂, [τ]₂): none per derived value.
  assert.ok(engine.stats.msmG1 <= 4, `${engine.stats.msmG1} G1 MSMs`);

  const wireLength = new DataView(proof.bytes.buffer, proof.bytes.byteOffset).getUint32(7, true);
  const { leaf } = await readArgumentStatement(vk, statement, proof.bytes);
  const slots: { at: number; sort: 'g1' | 'fr' }[] = [];
  for (let at = 11; at < 11 + wireLength; at += 32) slots.push({ at, sort: 'g1' });
  let at = 11 + wireLength;
  for (const d of messageSlots(leaf.protocol)) {
    if (d.sort !== 'g2') slots.push({ at, sort: d.sort });
    at += slotBytes(d.sort);
  }
  assert.equal(at, proof.bytes.length);
  await fc.assert(
    fc.asyncProperty(fc.nat({ max: slots.length - 1 }), async (i) => {
      const tampered = replaced(proof.bytes, slots[i].at, slots[i].sort);
      const [computed, deferred] = await bothReplays(vk, statement, tampered);
      assert.ok(Fp12.eql(computed, deferred), `slot at byte ${slots[i].at}`);
      assert.equal(Fp12.eql(deferred, Fp12.ONE), false, 'the tampered proof fails');
      assert.equal((await verify(vk, statement, tampered)).ok, false);
    }),
    { numRuns: 12 },
  );
});
