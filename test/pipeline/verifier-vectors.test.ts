// Block.verifierVectors (blocks/block.ts): a custom block declares the public vectors its verifier commits through
// publicCommitment, and a verifying key file, which holds no power of τ, holds their commitments: served by name to the
// file's key (equal to setup's), bound by the digest, compared with the ceremony by check-key. Undeclared, the file's key
// cannot make the commitment, and says it is a verifier's key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { publicCommitment, registerBlockCodec, type VerifierVector } from '../../blocks/index';
import { G1_ONE } from '../../src/curve';
import { SrsError } from '../../src/errors';
import { decodeVerifyingKey, encodeVerifyingKey } from '../../src/pipeline/artifacts';
import { checkVerifyingKeySrs } from '../../src/pipeline/check-key';
import { quantizeFeeds } from '../../src/pipeline/compile';
import { keyLagrangeDomains, setup, verifierPoints, verifyingKeyDigest } from '../../src/pipeline/keys';
import { prove, verify } from '../../src/pipeline/prove-verify';
import { DEV_SRS, devSrs } from '../helpers/dev-srs';
import { sampleFeeds } from '../helpers/sample-artifacts';
import { TapsBlock, tapsCodecs, withTapsBlock } from '../helpers/taps-block';

const DIGEST = 'test/verifier-vector/16';
const VALUES = Array.from({ length: 16 }, (_, i) => BigInt(3 * i + 1));

/** The taps block declaring one public vector of H_16 its verifier would read. */
class VectorTapsBlock extends TapsBlock {
  override readonly kind: string = 'test-taps-vector';
  verifierVectors(): readonly VerifierVector[] {
    return [{ digest: DIGEST, values: () => VALUES }];
  }
}

registerBlockCodec({ kind: 'test-taps-vector', encode: (b, w) => void w.uvarint((b as TapsBlock).weighted ? 1 : 0), decode: (r) => new VectorTapsBlock(r.count(1, 'weighted') === 1) });
for (const codec of tapsCodecs) registerBlockCodec(codec);

test('a declared verifier vector\'s commitment is made at setup, held by the .vk file, served to its key by name, bound by the digest and checked by check-key; undeclared, the file\'s key refuses to make it', async () => {
  const { model } = withTapsBlock(new VectorTapsBlock(false));
  assert.ok(!keyLagrangeDomains(model).includes(16), 'H_16 is no input or output domain: the file holds no basis to commit over');
  assert.ok(verifierPoints(model).some((p) => p.digest === DIGEST));
  const srs = await devSrs(model.srsG1Powers);
  const pk = await setup(model, srs, { seed: 'verifier vectors' });
  const expected = await publicCommitment(pk.vk.kzg, DIGEST, () => VALUES);
  assert.ok(pk.vk.verifierCommitments.get(DIGEST)!.equals(expected));
  const file = encodeVerifyingKey({ srs: DEV_SRS, vk: pk.vk });
  const { vk } = await decodeVerifyingKey(file);
  assert.ok((await publicCommitment(vk.kzg, DIGEST, () => assert.fail('held, not recomputed'))).equals(expected));
  const { statement, proof } = await prove(pk, quantizeFeeds(model, sampleFeeds()), { seed: 'verifier vectors' });
  assert.equal((await verify(vk, statement, proof.bytes)).ok, true);
  assert.deepEqual(await checkVerifyingKeySrs(vk, srs), { ok: true });
  // Moved, its digest recomputed: a consistent key of a dishonest author, which check-key refuses naming the block.
  const moved = new Map(vk.verifierCommitments).set(DIGEST, expected.add(G1_ONE));
  const forged = { ...vk, verifierCommitments: moved, digest: verifyingKeyDigest({ ...vk, verifierCommitments: moved }) };
  const check = await checkVerifyingKeySrs(forged, srs);
  assert.match(!check.ok ? check.reason : '', /commitment of test\/verifier-vector\/16 is not the one over .*test-taps-vector/);
  // With the honest digest, the file is refused on reading: the digest binds it.
  await assert.rejects(decodeVerifyingKey(encodeVerifyingKey({ srs: DEV_SRS, vk: { ...pk.vk, verifierCommitments: moved } })), /digest does not match/);
  // The same block without the declaration: its file's key holds no such point and cannot make it from powers.
  const plain = withTapsBlock(new TapsBlock(false)).model;
  const { vk: plainVk } = await decodeVerifyingKey(encodeVerifyingKey({ srs: DEV_SRS, vk: (await setup(plain, srs, { seed: 'verifier vectors' })).vk }));
  await assert.rejects(publicCommitment(plainVk.kzg, DIGEST, () => VALUES), (e: unknown) => e instanceof SrsError && /a verifier's key/.test((e as Error).message));
});
