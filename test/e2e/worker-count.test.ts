/**
 * The number of engine workers changes where a proof is computed, never its bytes: the Fashion CNN (MSMs of 2^9
 * points and more, quotient domains whose cosets have 2^11 points and more, a dozen members, so every parallel path
 * of the prover runs: window ranges of MSMs and whole grouped MSMs on workers, a round's commitments in flight together, members' steps
 * side by side in their lanes, the domains' coset identities on workers) proven under one seed with 0, 1, 2 and 3
 * workers gives byte-identical proofs, and each verifies; so does the attention model (logUp domains chained and
 * read on the largest, several dozen members in lanes) with 0 and 2. The workers of every engine are shut down, so
 * the test process exits.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compile, quantizeFeeds } from '../../src/pipeline/compile';
import { setup } from '../../src/pipeline/keys';
import { prove, verify } from '../../src/pipeline/prove-verify';
import { createWasmEngine } from '../../src/engine/wasm/engine';
import { devSrs } from '../helpers/dev-srs';
import { fashionImages, modelFile } from '../model/fixtures';

const feeds = fashionImages().images.map((input) => ({ input }));

for (const [name, counts] of [['fashion-cnn', [0, 1, 2, 3]], ['fashion-attn', [0, 2]]] as const) {
  test(`${name}: proofs under one seed are byte-identical with ${counts.join(', ')} engine workers, and verify`, async () => {
    const model = compile(readFileSync(modelFile(`${name}.onnx`)), feeds);
    const inputs = quantizeFeeds(model, feeds[2]);
    const proofs: Uint8Array[] = [];
    for (const workers of counts) {
      const engine = createWasmEngine({ workers });
      try {
        const srs = await devSrs(model.srsG1Powers, engine);
        // The key names the engine a proof computes with; without it setup would take the process default.
        const pk = await setup(model, srs, { seed: 'worker-count', engine });
        assert.equal(pk.vk.kzg.engine.workers, workers, 'the proof computes with this engine');
        const { statement, proof } = await prove(pk, inputs, { seed: 'worker-count proof' });
        assert.equal((await verify(pk.vk, statement, proof.bytes)).ok, true, `${workers} workers: the proof verifies`);
        proofs.push(proof.bytes);
        // A different seed gives other bytes (blinding): the comparison below can tell proofs apart.
        if (workers === counts[counts.length - 1]) assert.notDeepEqual((await prove(pk, inputs, { seed: 'another seed' })).proof.bytes, proofs[0]);
      } finally {
        await engine.close();
      }
    }
    for (const [k, bytes] of proofs.entries()) assert.deepEqual(bytes, proofs[0], `${k} workers: the same bytes as on the calling thread`);
  });
}
