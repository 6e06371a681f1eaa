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
import { setUpBundled } from './models';
import { getDefaultEngine, prove, quantizeFeeds, verify } from '../src/index';

const args = process.argv.slice(2);
for (const model of args.length > 0 ? args : ['zktorch-sample-mlp', 'fashion-mlp', 'fashion-cnn', 'fashion-attn']) {
  const { feeds, compiled, pk } = await setUpBundled(model, 'proof-digests');
  const { statement, proof } = await prove(pk, quantizeFeeds(compiled, feeds[0]), { seed: 'proof-digests' });
  const ok = (await verify(pk.vk, statement, proof.bytes)).ok;
  console.log(`${model} ${proof.bytes.length} B ${createHash('sha256').update(proof.bytes).digest('hex')} ${ok ? 'verifies' : 'REJECTED'}`);
}
await getDefaultEngine().close();
