/**
 * A model holding a block that reads a wire row at rotations (`test/helpers/taps-block.ts`: x at 2, −1 and 5 on H_8,
 * in an identity and a row-weighted sum claim), through the whole pipeline: the graph's blinding count and key grow
 * for that row (5 coefficients, 6 powers more than the base 7 of slack), the prover blinds the row with 5 and the
 * proof verifies; a block that reads rows at rotations without declaring them (`Block.openingRotations`) is refused
 * with an error naming it, the row and the counts, and one declaring a raw number (−2: `ω^(−2)·ζ` or `ζ^2`?) instead
 * of a typed point is refused when the key is sized, naming it and the tensor, as is one declaring its own polynomials
 * opened at more points than the argument can open one on the graph's domains.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { registerBlockCodec, type OpeningRotations } from '../../blocks/index';
import { BlockfoldError } from '../../src/errors';
import { quantizeFeeds } from '../../src/pipeline/compile';
import { BlockGraphError, graphBlindingCoefficients, keyG1Powers } from '../../src/pipeline/block-graph';
import { setup } from '../../src/pipeline/keys';
import { hidingSrsSlack } from '../../blocks/hiding';
import { prove, verify } from '../../src/pipeline/prove-verify';
import { sampleFeeds } from '../helpers/sample-artifacts';
import { devSrs } from '../helpers/dev-srs';
import { N, TapsBlock, tapsCodecs, UndeclaredTapsBlock, withTapsBlock } from '../helpers/taps-block';

for (const codec of tapsCodecs) registerBlockCodec(codec);

test('a wire row read at 3 rotations: the key holds blindings of 5 coefficients, the row is blinded with 5, and the proof verifies', async () => {
  const { base, model } = withTapsBlock(new TapsBlock(true));
  assert.equal(graphBlindingCoefficients(base.graph), 3);
  assert.equal(graphBlindingCoefficients(model.graph), 5);
  assert.equal(keyG1Powers(model.graph) - keyG1Powers({ ...model.graph, nodes: model.graph.nodes.slice(0, -1) }), 6);
  const pk = await setup(model, await devSrs(model.srsG1Powers));
  const { statement, proof } = await prove(pk, quantizeFeeds(model, sampleFeeds()), { seed: 'rotations' });
  assert.deepEqual((await verify(pk.vk, statement, proof.bytes)).ok, true);
});

test('a block reading a row at rotations it does not declare is refused, naming the row, its points, the counts and the block with what it reads and declares', async () => {
  const { model } = withTapsBlock(new UndeclaredTapsBlock(true));
  assert.equal(graphBlindingCoefficients(model.graph), 3, 'nothing declared: the base');
  const pk = await setup(model, await devSrs(model.srsG1Powers)).catch((e: unknown) => e);
  const refused = (e: unknown) =>
    e instanceof BlockfoldError &&
    /^row "taps\.x\/0" \(at ω\^2·ζ, ω\^5·ζ, ω\^7·ζ, [^)]*\) is opened at 4 points, which takes 5 blinding coefficients, but the key is sized for 3 from the rotations its blocks declare \(Block\.openingRotations\): block \d+ \(test-taps\/weighted\) reads tensor "x" at ω\^2·ζ, ω\^5·ζ, ω\^7·ζ but declares none$/.test((e as Error).message);
  if (refused(pk)) return;
  await assert.rejects(prove(pk as Awaited<ReturnType<typeof setup>>, quantizeFeeds(model, sampleFeeds())), refused);
});

test('a block declaring a raw −2 among its points is refused when the key is sized, naming the block and the tensor', () => {
  class RawTapsBlock extends TapsBlock {
    override openingRotations(): OpeningRotations {
      return { rows: { x: [{ kind: 'rotation', rotation: 2 }, -2] }, ownPoints: 2 } as unknown as OpeningRotations;
    }
  }
  assert.throws(
    () => withTapsBlock(new RawTapsBlock(true)),
    (e: unknown) => e instanceof BlockGraphError && /^block \d+ \(test-taps\/weighted\), tensor "x": -2 is no opening point/.test(e.message),
  );
});

test('a custom block declaring its own polynomials opened at 10^9 points is refused when the key is sized, naming it; at the bound (11 on the graph\'s H_8) it is accepted, the key sized for 12 blinding coefficients, and its proof verifies', async () => {
  class OwnPointsTapsBlock extends TapsBlock {
    constructor(readonly ownPoints: number) {
      super(true);
    }
    override openingRotations(): OpeningRotations {
      return { ...super.openingRotations(), ownPoints: this.ownPoints };
    }
  }
  assert.throws(
    () => withTapsBlock(new OwnPointsTapsBlock(1e9)),
    (e: unknown) => e instanceof BlockGraphError && /^block \d+ \(test-taps\/weighted\): its openings count 1000000000 points for a polynomial of its own, but the argument opens one at 11 at most on this graph \(largest domain H_8\)$/.test(e.message),
  );
  const { model } = withTapsBlock(new OwnPointsTapsBlock(11));
  assert.equal(graphBlindingCoefficients(model.graph), 12);
  assert.equal(keyG1Powers(model.graph), 2 * N + hidingSrsSlack(12));
  const pk = await setup(model, await devSrs(model.srsG1Powers));
  const { statement, proof } = await prove(pk, quantizeFeeds(model, sampleFeeds()), { seed: 'own-points' });
  assert.deepEqual((await verify(pk.vk, statement, proof.bytes)).ok, true);
});
