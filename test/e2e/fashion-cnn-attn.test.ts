/**
 * End to end on the Fashion-MNIST CNN and the tiny attention model: the block graph computes exactly the
 * quantized semantics, a proof verifies, a changed output or input is rejected, and so is one changed cell of
 * block outputs (witness tampering with the prover's checks bypassed; two block outputs sampled per run, since
 * each proof takes seconds: the sample and Fashion MLPs tamper with every one in test/pipeline/prove-verify).
 * (Top-1 agreement with onnxruntime on the 64 images is in test/model.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { compile, quantizeFeeds } from '../../src/pipeline/compile';
import { computeGraphWitness } from '../../src/pipeline/graph-proof';
import { blockContext, setup } from '../../src/pipeline/keys';
import { modelSpecOf, prove, verify } from '../../src/pipeline/prove-verify';
import { derivedRows } from '../../src/pipeline/derived-rows';
import { runQuantized } from '../../src/model/quant/interpret';
import { devSrs } from '../helpers/dev-srs';
import { fashionImages, modelFile } from '../model/fixtures';
import { assertTamperRejected, writtenTensors } from '../soundness/pipeline';

const feeds = fashionImages().images.map((input) => ({ input }));

for (const name of ['fashion-cnn', 'fashion-attn']) {
  test(`${name}: proven integers equal the quantized semantics; a proof verifies; changed output and input are rejected`, async () => {
    const model = compile(readFileSync(modelFile(`${name}.onnx`)), feeds);
    const out = model.outputs[0];
    for (const f of feeds.slice(0, 4)) {
      const values = computeGraphWitness(model.graph, { ...quantizeFeeds(model, f), ...model.weights });
      assert.deepEqual(values[out.id].flat(), [...runQuantized(model.quant, f)[model.quant.outputs[0].tensor]]);
    }
    const srs = await devSrs(model.srsG1Powers);
    const pk = await setup(model, srs);
    // The longest commitment over the powers of τ (quotient pieces, W, W′) stays about the largest domain: a quotient
    // committed whole, or a last piece its spec's bound misjudged, would make it about twice that (docs/protocol.md,
    // "Quotient in pieces").
    const engine = pk.vk.kzg.engine;
    const msm = engine.msmG1;
    let longest = 0;
    engine.msmG1 = (bases, scalars, offset) => {
      if (bases === pk.vk.kzg.powers) longest = Math.max(longest, (offset ?? 0) + scalars.length);
      return msm.call(engine, bases, scalars, offset);
    };
    const t0 = performance.now();
    const { statement, proof } = await prove(pk, quantizeFeeds(model, feeds[1])).finally(() => (engine.msmG1 = msm));
    const t1 = performance.now();
    // The largest domain an identity of the model's argument lives on (a flat matmul's claim, a logUp helper read on
    // the largest, may exceed every tensor's).
    const spec = modelSpecOf('guard', derivedRows(model.graph), blockContext(pk.vk.kzg, pk.vk.model.graph));
    const largest = Math.max(...spec.identities.map((id) => id.domain), ...(spec.sums ?? []).map((c) => c.domain));
    assert.ok(longest > 0 && longest <= largest + 64, `the longest MSM over the powers of τ has ${longest} points, the largest domain ${largest}`);
    assert.equal((await verify(pk.vk, statement, proof.bytes)).ok, true);
    console.log(`${name}: proof of ${proof.bytes.length} bytes, prove ${(t1 - t0).toFixed(0)} ms, verify ${(performance.now() - t1).toFixed(0)} ms`);
    const bump = (rows: readonly (readonly bigint[])[]) => rows.map((row, r) => row.map((v, j) => (r === 0 && j === 0 ? v + 1n : v)));
    assert.equal((await verify(pk.vk, { ...statement, outputs: { [out.id]: bump(statement.outputs[out.id]) } }, proof.bytes)).ok, false);
    const inp = model.inputs[0].id;
    assert.equal((await verify(pk.vk, { ...statement, inputs: { [inp]: bump(statement.inputs[inp]) } }, proof.bytes)).ok, false);
    const written = writtenTensors(pk);
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: written.length - 1 }), fc.nat(), fc.nat(), fc.integer({ min: 1, max: 3 }), async (k, rowSeed, cellSeed, delta) => {
        await assertTamperRejected(pk, quantizeFeeds(model, feeds[1]), written[k], rowSeed, cellSeed, BigInt(delta));
      }),
      { numRuns: 2 },
    );
  });
}
