/**
 * The SHA-256 of one seeded proof of each bundled model: a prover change that must not change a byte (a faster
 * transform, a cache, a kernel) is checked by running this before and after it and comparing the lines.
 * With a `seed` for the setup (the hiding model commitment's blinding) and for the proof, a proof is a function of the
 * model and the statement only, so equal digests mean equal bytes.
 *
 * `node --import tsx bench/proof-digests.ts [model …]` (default: the four bundled models; names in `../shared/models`).
 * @module
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { feedsFor, MODELS } from './models';
import { compile, createInsecureDevSrs, getDefaultEngine, prove, quantizeFeeds, setup, verify } from '../src/index';

const args = process.argv.slice(2);
for (const model of args.length > 0 ? args : ['zktorch-sample-mlp', 'fashion-mlp', 'fashion-cnn', 'fashion-attn']) {
  const feeds = feedsFor(model);
  const compiled = compile(readFileSync(new URL(`${model}.onnx`, MODELS)), feeds.slice(0, 8));
  const srs = await createInsecureDevSrs(Math.ceil(Math.log2(compiled.srsG1Powers)), { g1Powers: compiled.srsG1Powers, g2Powers: 2 });
  const pk = await setup(compiled, srs, { seed: 'proof-digests' });
  const { statement, proof } = await prove(pk, quantizeFeeds(compiled, feeds[0]), { seed: 'proof-digests' });
  const ok = (await verify(pk.vk, statement, proof.bytes)).ok;
  console.log(`${model} ${proof.bytes.length} B ${createHash('sha256').update(proof.bytes).digest('hex')} ${ok ? 'verifies' : 'REJECTED'}`);
}
await getDefaultEngine().close();
