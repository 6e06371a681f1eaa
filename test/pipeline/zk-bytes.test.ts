/**
 * Zero knowledge, byte discipline: the verifying-key file, the proof file and the proof itself contain none of the
 * weights' encodings, the same input proven twice gives two different proofs that both verify, and the header's zk
 * flag says what the proof is.
 *
 * The search covers every encoding the code or a user's tooling gives a weight: the proving key's zig-zag varint
 * rows; each row as contiguous little- and big-endian int8/int16/int32/int64 and as decimal text (comma- or
 * space-separated); each row as consecutive 32-byte field elements, and every weight alone as one (big- and
 * little-endian, signed values as `v mod r`, as the transcript and the commitments use them) when that encoding is
 * not mostly zero bytes. A short integer occurs in random bytes by chance, so short encodings are searched as whole
 * rows (at least 4 values). The search is itself tested: a planted row is found.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { frFromSigned } from '../../src/field';
import { ByteWriter } from '../../src/encoding/bytes';
import { DEV_SEED, openSrs } from '../../src/pipeline/api';
import { encodeProof, encodeVerifyingKey } from '../../src/pipeline/artifacts';
import { compile, quantizeFeeds } from '../../src/pipeline/compile';
import { setup, type ProvingKey } from '../../src/pipeline/keys';
import { prove, verify } from '../../src/pipeline/prove-verify';
import { fashionImages, modelFile } from '../model/fixtures';
import { sampleArtifacts } from '../helpers/sample-artifacts';

/** Every searched encoding of a model's weights, each with a description for the failure message. */
function weightEncodings(weights: Readonly<Record<string, readonly (readonly bigint[])[]>>): { what: string; bytes: Uint8Array }[] {
  const out: { what: string; bytes: Uint8Array }[] = [];
  const text = (s: string) => new TextEncoder().encode(s);
  for (const [id, rows] of Object.entries(weights)) {
    rows.forEach((row, r) => {
      const where = `weight ${id} row ${r}`;
      if (row.length >= 4 && row.some((v) => v !== 0n)) {
        const varint = new ByteWriter();
        for (const v of row) varint.svarint(v);
        out.push({ what: `${where} as zig-zag varints`, bytes: varint.bytes() });
        for (const width of [1, 2, 4, 8]) {
          const limit = 1n << BigInt(8 * width - 1);
          if (row.some((v) => v < -limit || v >= limit)) continue;
          for (const little of [true, false]) {
            const b = new Uint8Array(width * row.length);
            const view = new DataView(b.buffer);
            row.forEach((v, i) => {
              if (width === 1) view.setInt8(i, Number(v));
              else if (width === 2) view.setInt16(2 * i, Number(v), little);
              else if (width === 4) view.setInt32(4 * i, Number(v), little);
              else view.setBigInt64(8 * i, v, little);
            });
            if (width > 1 || little) out.push({ what: `${where} as int${8 * width} ${little ? 'LE' : 'BE'}`, bytes: b });
          }
        }
        out.push({ what: `${where} as comma-separated text`, bytes: text(row.join(',')) });
        out.push({ what: `${where} as space-separated text`, bytes: text(row.join(' ')) });
      }
      // Field elements (as the transcript and the commitments see them): a row as consecutive 32-byte elements,
      // and every weight alone when its encoding is not mostly zero bytes (a small positive value's 32 bytes are 30
      // zeros and two bytes, which an honest file holds by chance wherever it encodes a small number).
      const fr = (v: bigint, little: boolean) => {
        const be = new Uint8Array(32);
        let x = frFromSigned(v);
        for (let k = 31; k >= 0; k--, x >>= 8n) be[k] = Number(x & 0xffn);
        return little ? be.reverse() : be;
      };
      for (const little of [false, true]) {
        if (row.length >= 2 && row.some((v) => v !== 0n)) {
          const head = row.slice(0, 4);
          const b = new Uint8Array(32 * head.length);
          head.forEach((v, i) => b.set(fr(v, little), 32 * i));
          out.push({ what: `${where} as 32-byte field elements ${little ? 'LE' : 'BE'}`, bytes: b });
        }
        row.forEach((v, i) => {
          const b = fr(v, little);
          if (b.filter((x) => x !== 0).length >= 8) out.push({ what: `${where} value ${i} (${v}) as a 32-byte field element ${little ? 'LE' : 'BE'}`, bytes: b });
        });
      }
    });
  }
  return out;
}

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  const first = needle[0];
  outer: for (let i = haystack.indexOf(first); i !== -1 && i + needle.length <= haystack.length; i = haystack.indexOf(first, i + 1)) {
    for (let k = 1; k < needle.length; k++) if (haystack[i + k] !== needle[k]) continue outer;
    return true;
  }
  return false;
}

function assertNoWeights(name: string, files: Record<string, Uint8Array>, weights: Readonly<Record<string, readonly (readonly bigint[])[]>>): number {
  const encodings = weightEncodings(weights);
  assert.ok(encodings.length > 0, `${name}: no weight encodings to search`);
  for (const [file, bytes] of Object.entries(files))
    for (const e of encodings) assert.ok(!contains(bytes, e.bytes), `${name}: the ${file} contains ${e.what}`);
  // The search can fail: a file with one row's encoding planted in it is caught.
  const planted = encodings.find((e) => e.what.includes('varints'))!;
  const [file, bytes] = Object.entries(files)[0];
  const withPlant = new Uint8Array(bytes.length + planted.bytes.length);
  withPlant.set(bytes.subarray(0, 100));
  withPlant.set(planted.bytes, 100);
  withPlant.set(bytes.subarray(100), 100 + planted.bytes.length);
  assert.ok(encodings.some((e) => contains(withPlant, e.bytes)), `${name}: a ${file} with a planted weight row is not caught`);
  return encodings.length;
}

test('sample MLP: the .vk, the .proof file and the proof hold no encoding of any weight', async () => {
  const { pk, files, proof } = await sampleArtifacts();
  const n = assertNoWeights('sample MLP', { '.vk file': files.vk, '.proof file': files.proof, 'proof': proof.bytes }, pk.model.weights);
  console.log(`sample MLP: ${n} weight encodings searched, none found`);
});

test('Fashion MLP: the .vk and the .proof file hold no encoding of any weight; one input proven twice gives two different proofs that both verify', async () => {
  const { images } = fashionImages();
  const feeds = images.slice(0, 4).map((input) => ({ input }));
  const model = compile(readFileSync(modelFile('fashion-mlp.onnx')), feeds);
  const pk: ProvingKey = await setup(model, await openSrs({ kind: 'dev', seed: DEV_SEED }, model.srsG1Powers));
  const inputs = quantizeFeeds(model, feeds[0]);
  const [first, second] = [await prove(pk, inputs), await prove(pk, inputs)];
  assert.notDeepEqual(first.proof.bytes, second.proof.bytes, 'two proofs of one input without a seed must differ (fresh blinding)');
  for (const p of [first, second]) assert.equal((await verify(pk.vk, p.statement, p.proof.bytes)).ok, true);
  const vkFile = encodeVerifyingKey({ srs: { kind: 'dev', seed: DEV_SEED }, vk: pk.vk });
  const proofFile = encodeProof({ verifyingKeyDigest: pk.vk.digest, statement: first.statement, proof: first.proof });
  const n = assertNoWeights('Fashion MLP', { '.vk file': vkFile, '.proof file': proofFile }, model.weights);
  console.log(`Fashion MLP: ${n} weight encodings searched in ${vkFile.length + proofFile.length} bytes, none found`);
});

test('the zk flag: prove writes 1 (0 only with the test-only unblinded switch); an unknown flag is a typed rejection', async () => {
  const { pk, statement, proof } = await sampleArtifacts();
  assert.equal(proof.bytes[6], 1, 'a proof as prove() makes it says zk: 1');
  const unblinded = await prove(pk, { ...statement.inputs }, { unblinded: true });
  assert.equal(unblinded.proof.bytes[6], 0, 'an unblinded proof says zk: 0');
  assert.equal((await verify(pk.vk, unblinded.statement, unblinded.proof.bytes)).ok, true);
  const forged = proof.bytes.slice();
  forged[6] = 2;
  const result = await verify(pk.vk, statement, forged);
  assert.equal(result.ok, false);
  assert.match(result.ok ? '' : result.reason, /zk flag 2/);
});
