/**
 * A blinding seed keys the blinding together with the statement. Keyed by the seed alone, two proofs of different
 * inputs under one seed would share every blinding polynomial, so the difference of their commitments would be the
 * difference of the unblinded ones: the blinding cancels. These tests compare the argument's first commitments.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeG1 } from '../../src/encoding/points';
import { tensor } from '../../src/index';
import { quantizeFeeds } from '../../src/pipeline/compile';
import { prove, verify, type ProveOptions } from '../../src/pipeline/prove-verify';
import { BlockfoldError } from '../../src/errors';
import type { G1Point } from '../../src/curve';
import { sampleMlpInput } from '../model/fixtures';
import { compileSample, keysFor } from '../soundness/pipeline';

/** The first `n` 32-byte slots of a proof's argument (after the header and the wire section) that decode as G1 points. */
function argumentPoints(bytes: Uint8Array, n: number): (G1Point | undefined)[] {
  const start = 11 + new DataView(bytes.buffer, bytes.byteOffset).getUint32(7, true);
  return Array.from({ length: n }, (_, k) => {
    try {
      return decodeG1(bytes.subarray(start + 32 * k, start + 32 * (k + 1)));
    } catch {
      return undefined;
    }
  });
}

test('one seed, two statements: the blinding does not cancel in the difference of the commitments', async () => {
  const model = compileSample();
  const pk = await keysFor(model);
  const inA = quantizeFeeds(model, { input: sampleMlpInput() });
  const inB = quantizeFeeds(model, { input: tensor([4], [0.25, -0.125, 0.375, 0.05]) });
  const bytes = async (inputs: typeof inA, o: ProveOptions) => (await prove(pk, inputs, o)).proof.bytes;
  const seed = 'secret-but-reused';
  const [a1, b1, a0, b0] = [await bytes(inA, { seed }), await bytes(inB, { seed }), await bytes(inA, { unblinded: true }), await bytes(inB, { unblinded: true })];
  const [A1, B1, A0, B0] = [a1, b1, a0, b0].map((p) => argumentPoints(p, 6));
  let compared = 0;
  for (let k = 0; k < 6; k++) {
    const [x1, y1, x0, y0] = [A1[k], B1[k], A0[k], B0[k]];
    if (!x1 || !y1 || !x0 || !y0 || x1.equals(x0)) continue;
    compared++;
    assert.ok(!x1.subtract(y1).equals(x0.subtract(y0)), `argument commitment ${k}: C₁ − C₂ under one seed is the unblinded difference`);
  }
  assert.ok(compared >= 3, `only ${compared} blinded commitments compared`);
  assert.deepEqual(await bytes(inA, { seed }), a1, 'same statement and seed, same bytes');
  assert.deepEqual(await bytes(inA, { seed: new TextEncoder().encode(seed) }), a1, 'a string seed is its UTF-8 bytes');
  assert.notDeepEqual(await bytes(inA, { seed: 'another' }), a1, 'another seed, another proof');
  assert.equal((await verify(pk.vk, (await prove(pk, inB, { seed })).statement, b1)).ok, true);
  await assert.rejects(prove(pk, inA, { seed: 7 as unknown as string }), (e) => e instanceof BlockfoldError && /blinding seed/.test(e.message));
});
