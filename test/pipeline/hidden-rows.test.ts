/**
 * docs/soundness.md "Zero knowledge", pipeline side: the model commitment hides the weights (each row
 * `[w + Z_K·b₀]₁`, b₀ in the proving key) and every wire row of a proof is committed blinded, consistently with the
 * blocks' linear relations (src/pipeline/row-blinding.ts), each row with a blinding of its own; every weight link's E
 * is fresh. Every check here fails without the blinding it is about: plain commitments equal the vk's or the proof's,
 * equal seeds' wire sections, rows or links sharing a blinding, or a b₀ that nothing reads.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { G1, type G1Point } from '../../src/curve';
import { decodeG1, G1_BYTES } from '../../src/encoding/points';
import { Fr } from '../../src/field';
import { ArtifactError } from '../../src/pipeline/artifact-error';
import { decodeProvingKey } from '../../src/pipeline/artifacts';
import { compile, quantizeFeeds } from '../../src/pipeline/compile';
import { commitTensors, computeGraphWitness, sentWires } from '../../src/pipeline/graph-proof';
import { derivedRows } from '../../src/pipeline/derived-rows';
import { blockContext, commitmentsMatch, setup, type ProvingKey } from '../../src/pipeline/keys';
import { prove, publicCommitments, replayArgument, verify, type Statement } from '../../src/pipeline/prove-verify';
import { relinkedRows } from '../../src/pipeline/relinked-rows';
import { devSrs } from '../helpers/dev-srs';
import { fashionImages, modelFile, sampleMlpInput } from '../model/fixtures';
import { rewriteFile } from '../helpers/artifact-files';
import { sampleArtifacts } from '../helpers/sample-artifacts';
import { compileSample } from '../soundness/pipeline';

type Model = ReturnType<typeof compile>;

const srsFor = (model: Model) => devSrs(model.srsG1Powers);

/**
 * The wire rows' commitments a proof carries, in tensor order: the proof's first section (after the 11-byte header)
 * holds a wire's `[y]₁`, or a relinked copy's difference E from its row x, whose commitment is `[x]₁ + E`.
 */
async function wireCommitments(pk: ProvingKey, statement: Statement, bytes: Uint8Array): Promise<G1Point[]> {
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(7, true);
  const points = Array.from({ length: length / G1_BYTES }, (_, k) => decodeG1(bytes.subarray(11 + k * G1_BYTES, 11 + (k + 1) * G1_BYTES)));
  const g = pk.model.graph;
  const relinked = relinkedRows(g);
  const sources = await publicCommitments(pk.vk, statement);
  let k = 0;
  return sentWires(g, derivedRows(g).ids).flatMap((t) =>
    Array.from({ length: t.rows }, (_, r) => {
      const source = relinked.get(t.id);
      const point = points[k++];
      return source === undefined ? point : sources[source][r].add(point);
    }),
  );
}

/**
 * The plain commitments `[f]₁` of the wire rows of `inputs`' witness that a proof sends (derived rows are not), in the
 * proof's order, each with its domain.
 */
async function plainWires(pk: ProvingKey, inputs: ReturnType<typeof quantizeFeeds>): Promise<{ plain: G1Point; domain: number }[]> {
  const g = pk.model.graph;
  const values = computeGraphWitness(g, { ...inputs, ...pk.model.weights });
  const sent = sentWires(g, derivedRows(g).ids);
  const table = await commitTensors(blockContext(pk.vk.kzg), sent, values);
  return sent.flatMap((t) => table[t.id].map((plain) => ({ plain, domain: t.domain })));
}

/**
 * Two proofs of one input under two seeds: both verify, every wire commitment of each differs from the plain
 * commitment of its row and from the other proof's, and the difference of two wire commitments on one domain is not
 * the plain commitment of their rows' difference (rows drawing one b would cancel it).
 */
async function checkBlindedWires(pk: ProvingKey, inputs: ReturnType<typeof quantizeFeeds>, what: string): Promise<void> {
  const [a, b] = [await prove(pk, inputs, { seed: 'a' }), await prove(pk, inputs, { seed: 'b' })];
  for (const p of [a, b]) assert.equal((await verify(pk.vk, p.statement, p.proof.bytes)).ok, true, `${what}: a blinded proof verifies`);
  const plain = await plainWires(pk, inputs);
  const [wa, wb] = [await wireCommitments(pk, a.statement, a.proof.bytes), await wireCommitments(pk, b.statement, b.proof.bytes)];
  assert.equal(wa.length, plain.length);
  plain.forEach(({ plain: c, domain }, k) => {
    assert.ok(!wa[k].equals(c), `${what}: wire commitment ${k} is blinded`);
    assert.ok(!wa[k].equals(wb[k]), `${what}: wire commitment ${k} differs between seeds`);
    for (let j = 0; j < k; j++)
      if (plain[j].domain === domain) assert.ok(!wa[k].subtract(wa[j]).equals(c.subtract(plain[j].plain)), `${what}: wire commitments ${j} and ${k} share their blinding`);
  });
}

test('setup hides the weights: no weight row is committed plainly; a seed reproduces the key, no seed gives a fresh one', async () => {
  const model = compileSample();
  const srs = await srsFor(model);
  const pk = await setup(model, srs);
  const plain = await commitTensors(blockContext(pk.vk.kzg), model.graph.tensors.filter((t) => t.kind === 'weight'), model.weights);
  const weights = model.graph.tensors.filter((t) => t.kind === 'weight');
  assert.ok(weights.length > 0);
  for (const t of weights) plain[t.id].forEach((c, r) => assert.ok(!c.equals(pk.vk.modelCommitment[t.id][r]), `${t.id}/${r} is blinded`));
  assert.equal(await commitmentsMatch(pk.vk.kzg, model.graph, model.weights, pk.weightBlinding, pk.vk.modelCommitment), true);
  const [s1, s2, fresh] = [await setup(model, srs, { seed: 'key' }), await setup(model, srs, { seed: 'key' }), await setup(model, srs)];
  assert.deepEqual(s1.vk.digest, s2.vk.digest, 'one seed, one key');
  assert.notDeepEqual(fresh.vk.digest, pk.vk.digest, 'no seed: fresh b₀');
});

test('sample MLP: every wire row is committed blinded, differently under two seeds, and both proofs verify', async () => {
  const model = compileSample();
  const pk = await setup(model, await srsFor(model));
  await checkBlindedWires(pk, quantizeFeeds(model, { input: sampleMlpInput() }), 'sample MLP');
});

test('Fashion MLP: every wire row is committed blinded, differently under two seeds, and both proofs verify', async () => {
  const images = fashionImages().images.slice(0, 4);
  const model = compile(readFileSync(modelFile('fashion-mlp.onnx')), images.map((input) => ({ input })));
  const pk = await setup(model, await srsFor(model));
  await checkBlindedWires(pk, quantizeFeeds(model, { input: images[0] }), 'Fashion MLP');
});

test('a proving key whose b₀ of any weight tensor was altered gives proofs that do not verify', async () => {
  const model = compileSample();
  const pk = await setup(model, await srsFor(model));
  const inputs = quantizeFeeds(model, { input: sampleMlpInput() });
  for (const t of model.graph.tensors.filter((x) => x.kind === 'weight')) {
    const altered = pk.weightBlinding[t.id].map((b, r) => (r === 0 ? [Fr.add(b[0], 1n), b[1]] : b));
    const { statement, proof } = await prove({ ...pk, weightBlinding: { ...pk.weightBlinding, [t.id]: altered } }, inputs, { seed: 's' });
    assert.equal((await verify(pk.vk, statement, proof.bytes)).ok, false, `b₀ of ${t.id} altered`);
  }
});

test('proving key files: b₀ round-trips; a key without it, an old key with table commitments, a key from before the weights were hidden, a short or non-canonical or altered b₀ is a typed refusal', async () => {
  const { pk, files } = await sampleArtifacts();
  const file = files.pk;
  const loaded = await decodeProvingKey(file);
  assert.deepEqual(loaded.pk.weightBlinding, pk.weightBlinding);
  const refusals: [string, Uint8Array, RegExp][] = [
    ['a key without b₀ (four blobs)', rewriteFile(file, (_h, blobs) => void blobs.pop()), /holds 5 blobs/],
    ['an old key (six blobs: the tables\' commitments)', rewriteFile(file, (_h, blobs) => void blobs.splice(3, 0, new Uint8Array(64))), /run setup again/],
    [
      'a key from before the weights were hidden (five blobs: the tables\' commitments, then the weights)',
      rewriteFile(file, (_h, blobs) => {
        blobs.splice(3, 0, new Uint8Array(64));
        blobs.pop();
      }),
      /before the weights were hidden.*run setup again/,
    ],
    ['a truncated b₀', rewriteFile(file, (_h, blobs) => void (blobs[4] = blobs[4].subarray(1))), /weight blinding/],
    ['a b₀ coefficient ≥ r', rewriteFile(file, (_h, blobs) => void (blobs[4] = Uint8Array.from(blobs[4]).fill(0xff, 0, 32))), /blinding of weight/],
    [
      'an altered b₀',
      rewriteFile(file, (_h, blobs) => {
        const b = Uint8Array.from(blobs[4]);
        b[31] ^= 1;
        blobs[4] = b;
      }),
      /not the commitment of its weights/,
    ],
  ];
  for (const [what, bytes, message] of refusals) await assert.rejects(decodeProvingKey(bytes), (e: unknown) => e instanceof ArtifactError && message.test(e.message), what);
});

test('sample MLP: every weight link sends a fresh E = [Z_K·r]₁, neither the point at infinity nor shared with another link of its proof or with a proof of the same input; r comes from the proof\'s blinding source (unblinded: E = 0)', async () => {
  const model = compileSample();
  const pk = await setup(model, await srsFor(model));
  const inputs = quantizeFeeds(model, { input: sampleMlpInput() });
  const linkMessages = async (unblinded = false) => {
    const { statement, proof } = await prove(pk, inputs, { unblinded });
    const { instance } = await replayArgument(pk.vk, statement, proof.bytes);
    return Object.entries(instance.values).filter(([slot]) => /link\/.*\/E$/.test(slot)).map(([slot, e]) => [slot, e as G1Point] as const);
  };
  const [a, b] = [await linkMessages(), await linkMessages()];
  assert.ok(a.length >= 2, `${a.length} links: the sample MLP's matmuls read their weights through a link each`);
  const all = [...a, ...b];
  for (const [slot, e] of all) assert.ok(!e.equals(G1.ZERO), `${slot}: E is the point at infinity (r = 0)`);
  all.forEach(([slot, e], i) => all.slice(i + 1).forEach(([other, f]) => assert.ok(!e.equals(f), `${slot} and ${other} share E (one r)`)));
  for (const [slot, e] of await linkMessages(true)) assert.ok(e.equals(G1.ZERO), `${slot}: an unblinded proof's link draws r elsewhere than from the proof's source`);
});
