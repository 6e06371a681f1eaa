// checkVerifyingKeySrs (src/pipeline/check-key.ts): a key set up over an SRS is that SRS's; a key whose range point is
// the vanishing polynomial of a larger table (which would accept a value outside the table), whose powers are another
// SRS's, or whose kind is the other one is refused with the reason; an SRS too small to check with is named. A key file
// whose [Z_S(τ)]₁ is the point at infinity (digest recomputed) is refused on reading.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { G1, G1_ONE, G2_ONE } from '../../src/curve';
import { decodeG2, G1_UNCOMPRESSED_BYTES, G2_BYTES } from '../../src/encoding/points';
import { rewriteFile, splitContainer } from '../helpers/artifact-files';
import { SrsError } from '../../src/errors';
import { ArtifactError } from '../../src/pipeline/artifact-error';
import { Fr } from '../../src/field';
import { vanishingMultipleDigest, withRangeTable } from '../../src/kzg/key';
import { rangeTableVerifierKey, rangeVanishingKey } from '../../src/kzg/range-table';
import { decodeVerifyingKey, encodeVerifyingKey } from '../../src/pipeline/artifacts';
import { checkVerifyingKeySrs } from '../../src/pipeline/check-key';
import { keyLagrangeDomains, setup, verifyingKeyDigest, type VerifyingKey } from '../../src/pipeline/keys';
import { createInsecureDevSrs, devSrsTau } from '../../src/srs/dev';
import { Srs } from '../../src/srs/srs';
import { compilePaddedHiddenModel, compileTwoDomainModel } from '../helpers/two-domain-model';
import { compileSample } from '../soundness/pipeline';

const model = compileSample();
const power = Math.ceil(Math.log2(model.srsG1Powers));
const srs = await createInsecureDevSrs(power, { g1Powers: model.srsG1Powers, g2Powers: 2 });
const { vk } = await setup(model, srs);
const table = vk.kzg.rangeTable!;

/** `vk` with `point` as its range table's [Z_S]₁ and its digest recomputed: a consistent key of a dishonest author. */
function withRangePoint(point: typeof G1.BASE): VerifyingKey {
  const kzg = withRangeTable(vk.kzg, { size: table.size, vanishing: { key: rangeVanishingKey(table.size), point } });
  return { ...vk, kzg, digest: verifyingKeyDigest({ ...vk, kzg }) };
}

test('a key set up over an SRS is that SRS\'s: its powers\' digest and its [Z_S(τ)]₁', async () => {
  assert.ok(table.size >= 2);
  assert.deepEqual(await checkVerifyingKeySrs(vk, srs), { ok: true });
});

test('[Z_S∪{N}(τ)]₁ in place of [Z_S(τ)]₁ (a table that also holds N) is refused', async () => {
  const tau = devSrsTau();
  let z = 1n;
  for (let v = 0; v <= table.size; v++) z = Fr.mul(z, Fr.sub(tau, BigInt(v)));
  const check = await checkVerifyingKeySrs(withRangePoint(G1_ONE.multiply(z)), srs);
  assert.equal(check.ok, false);
  assert.match(!check.ok ? check.reason : '', /\[Z_S\(τ\)\]₁ is not the one of the range table \{0, …, 65535\}/);
});

test('another SRS, the other kind, or an SRS too small to check with are refused with the reason', async () => {
  const other = await createInsecureDevSrs(power, { seed: 'other', g1Powers: model.srsG1Powers, g2Powers: 2 });
  const byDigest = await checkVerifyingKeySrs(vk, other);
  assert.match(!byDigest.ok ? byDigest.reason : '', /the key's SRS digest is [0-9a-f]{64}; the first \d+ G1 and 2 G2 powers of .* have [0-9a-f]{64}/);
  const kind = await checkVerifyingKeySrs({ ...vk, insecureSrs: false }, srs);
  assert.match(!kind.ok ? kind.reason : '', /set up with a ceremony, .* is a development SRS/);
  const small = await checkVerifyingKeySrs(vk, srs.truncate(table.size, 2));
  assert.match(!small.ok ? small.reason : '', new RegExp(`needs ${table.size + 1} G1 and 2 G2 powers`));
});

test('[Z_S(τ)]₁ at infinity is refused when a key is made with it and when a key file holding it is read', async () => {
  assert.throws(() => rangeTableVerifierKey(table.size, G1.ZERO), (e: unknown) => e instanceof SrsError && /point at infinity/.test(e.message));
  const file = encodeVerifyingKey({ srs: { kind: 'dev', seed: 'blockfold' }, vk: withRangePoint(G1.ZERO) });
  await assert.rejects(decodeVerifyingKey(file), (e: unknown) => (e instanceof ArtifactError || e instanceof SrsError) && /point at infinity/.test((e as Error).message));
  // The honest key's file is read back, so the refusal above is the point's.
  assert.deepEqual((await decodeVerifyingKey(encodeVerifyingKey({ srs: { kind: 'dev', seed: 'blockfold' }, vk }))).vk.digest, vk.digest);
});

test('a key whose Lagrange basis of an input domain has one point moved or two swapped (digest recomputed) is refused, naming the domain', async () => {
  const n = [...vk.lagrangeBases.keys()][0];
  const basis = vk.lagrangeBases.get(n)!;
  const withBasis = (b: readonly (typeof G1.BASE)[]): VerifyingKey => {
    const lagrangeBases = new Map(vk.lagrangeBases).set(n, b);
    return { ...vk, lagrangeBases, digest: verifyingKeyDigest({ ...vk, lagrangeBases }) };
  };
  for (const tampered of [basis.map((p, i) => (i === basis.length - 1 ? p.add(G1_ONE) : p)), [basis[1], basis[0], ...basis.slice(2)]]) {
    const key = withBasis(tampered);
    assert.notDeepEqual(key.digest, vk.digest, 'the digest binds the bases');
    const check = await checkVerifyingKeySrs(key, srs);
    assert.match(!check.ok ? check.reason : '', new RegExp(`Lagrange basis of H_${n} is not \\[L_i\\(τ\\)\\]₁`));
  }
  // A key file holds the bases: read back, the honest key's pass, a file's moved point with the old digest does not.
  const file = encodeVerifyingKey({ srs: { kind: 'dev', seed: 'blockfold' }, vk: withBasis(basis.map((p, i) => (i === 0 ? p.double() : p))) });
  const honest = encodeVerifyingKey({ srs: { kind: 'dev', seed: 'blockfold' }, vk });
  assert.equal(file.length, honest.length);
  assert.deepEqual(await checkVerifyingKeySrs((await decodeVerifyingKey(honest)).vk, srs), { ok: true });
  const changed = await checkVerifyingKeySrs((await decodeVerifyingKey(file)).vk, srs);
  assert.equal(changed.ok, false);
});

test('every Lagrange basis a key holds is checked: a model whose input and output domains differ, each basis moved in turn, and a key missing one', async () => {
  const two = await setup(compileTwoDomainModel(), srs);
  const domains = keyLagrangeDomains(two.vk.model);
  assert.equal(domains.length, 2, 'the input and the output lie on two domains');
  assert.deepEqual(await checkVerifyingKeySrs(two.vk, srs), { ok: true });
  const keyWith = (lagrangeBases: ReadonlyMap<number, readonly (typeof G1.BASE)[]>): VerifyingKey => ({
    ...two.vk,
    lagrangeBases,
    digest: verifyingKeyDigest({ ...two.vk, lagrangeBases }),
  });
  for (const n of domains) {
    const moved = new Map(two.vk.lagrangeBases).set(n, two.vk.lagrangeBases.get(n)!.map((p, i) => (i === n - 1 ? p.add(G1_ONE) : p)));
    const check = await checkVerifyingKeySrs(keyWith(moved), srs);
    assert.match(!check.ok ? check.reason : '', new RegExp(`Lagrange basis of H_${n} is not \\[L_i\\(τ\\)\\]₁`), `H_${n}`);
  }
  // A key made in memory without a basis gets the verdict, not a TypeError.
  const missing = new Map(two.vk.lagrangeBases);
  missing.delete(domains[1]);
  const check = await checkVerifyingKeySrs(keyWith(missing), srs);
  assert.match(!check.ok ? check.reason : '', new RegExp(`Lagrange basis of H_${domains[1]} is not`));
});

test('setup over a ceremony without Lagrange sections computes the bases from the powers, carries them, and commits over them itself', async () => {
  const ceremony = new Srs({ g1Powers: srs.g1Powers, g2Powers: srs.g2Powers, power: Math.ceil(Math.log2(srs.g1Count)) - 1, insecure: true, name: 'no Lagrange sections', rangeBases: new Map([[table.size, (await srs.rangeBasis(table.size))!]]) });
  assert.equal(await ceremony.lagrangeBasis(4), undefined, 'the control: this SRS holds no basis');
  const pk = await setup(model, ceremony);
  for (const [n, basis] of pk.vk.lagrangeBases) assert.ok(basis.every((p, i) => p.equals(pk.lagrangeBases.get(n)![i])), `the verifying key's H_${n} is the proving key's`);
  for (const n of pk.lagrangeBases.keys()) assert.ok((await pk.vk.kzg.lagrangeBasis(n)) !== undefined, `setup's key commits over H_${n}'s computed basis`);
  assert.deepEqual(await checkVerifyingKeySrs(pk.vk, srs), { ok: true });
});

test('a key\'s [τ]₂ and its verifier commitments are checked against the ceremony: a key file holds them without the powers that would pin them', async () => {
  const padded = compilePaddedHiddenModel();
  const pk = await setup(padded, await createInsecureDevSrs(Math.ceil(Math.log2(padded.srsG1Powers)), { g1Powers: padded.srsG1Powers, g2Powers: 2 }));
  const ceremony = await createInsecureDevSrs(Math.ceil(Math.log2(padded.srsG1Powers)), { g1Powers: padded.srsG1Powers, g2Powers: 2 });
  const { vk: read } = await decodeVerifyingKey(encodeVerifyingKey({ srs: { kind: 'dev', seed: 'blockfold' }, vk: pk.vk }));
  assert.deepEqual(await checkVerifyingKeySrs(read, ceremony), { ok: true }, 'the control: the file\'s key is the ceremony\'s');
  const [name] = [...read.verifierCommitments.keys()];
  const moved = new Map(read.verifierCommitments).set(name, read.verifierCommitments.get(name)!.add(G1_ONE));
  const withSelector = await checkVerifyingKeySrs({ ...read, verifierCommitments: moved, digest: verifyingKeyDigest({ ...read, verifierCommitments: moved }) }, ceremony);
  assert.match(!withSelector.ok ? withSelector.reason : '', /commitment of selector\/16\/10 is not the one over/);
  const kzg = { ...read.kzg, g2Tau: { ...read.kzg.g2Tau, point: read.kzg.g2Tau.point.double() } };
  const withTau = await checkVerifyingKeySrs({ ...read, kzg, digest: verifyingKeyDigest({ ...read, kzg }) }, ceremony);
  assert.match(!withTau.ok ? withTau.reason : '', /\[1\]₂ or \[τ\]₂ is not/);
});

test('a key whose [1]₂ is not the ceremony\'s is refused: a file\'s is refused on reading unless the generator, a key made in memory is checked here (the digest does not hash [1]₂)', async () => {
  const kzg = { ...vk.kzg, g2One: { ...vk.kzg.g2One, point: vk.kzg.g2One.point.double() } };
  assert.deepEqual(verifyingKeyDigest({ ...vk, kzg }), vk.digest);
  const check = await checkVerifyingKeySrs({ ...vk, kzg }, srs);
  assert.match(!check.ok ? check.reason : '', /\[1\]₂ or \[τ\]₂ is not/);
  // In a file [1]₂ is the first G2 point after the bases, before [τ]₂ and [Z_S]₁: [τ]₂ in its place is refused by name.
  const file = encodeVerifyingKey({ srs: { kind: 'dev', seed: 'blockfold' }, vk });
  const g2One = (blob: Uint8Array) => blob.length - G1_UNCOMPRESSED_BYTES - 2 * G2_BYTES;
  const swapped = rewriteFile(file, (_h, blobs) => blobs[1].set(blobs[1].slice(g2One(blobs[1]) + G2_BYTES, g2One(blobs[1]) + 2 * G2_BYTES), g2One(blobs[1])));
  assert.ok(decodeG2(splitContainer(file).blobs[1].subarray(g2One(splitContainer(file).blobs[1]), g2One(splitContainer(file).blobs[1]) + G2_BYTES)).equals(G2_ONE), 'the control: [1]₂ is there');
  await assert.rejects(decodeVerifyingKey(swapped), (e: unknown) => e instanceof ArtifactError && /\[1\]₁ or \[1\]₂ in the file is not the generator/.test((e as Error).message));
});

test('a hashed input\'s [τ^j·Z_H(τ)]₁ in a key are checked against the ceremony (verifierPoints): another point, though its digest is recomputed, is refused naming what it would break', async () => {
  const hashed = compilePaddedHiddenModel({ visibility: { inputs: { x: 'hashed' } } });
  const ceremony = await createInsecureDevSrs(Math.ceil(Math.log2(hashed.srsG1Powers)), { g1Powers: hashed.srsG1Powers, g2Powers: 2 });
  const pk = await setup(hashed, ceremony);
  const { vk: read } = await decodeVerifyingKey(encodeVerifyingKey({ srs: { kind: 'dev', seed: 'blockfold' }, vk: pk.vk }));
  assert.deepEqual(await checkVerifyingKeySrs(read, ceremony), { ok: true }, 'the control: the file\'s key is the ceremony\'s');
  for (const j of [0, 1]) {
    const name = vanishingMultipleDigest(8, j);
    const [high, low] = [ceremony.g1Powers[8 + j], ceremony.g1Powers[j]];
    assert.ok(read.verifierCommitments.get(name)!.equals(high.subtract(low)), `${name} is [τ^(8+j)]₁ − [τ^j]₁`);
    const moved = new Map(read.verifierCommitments).set(name, high);
    const check = await checkVerifyingKeySrs({ ...read, verifierCommitments: moved, digest: verifyingKeyDigest({ ...read, verifierCommitments: moved }) }, ceremony);
    assert.match(!check.ok ? check.reason : '', new RegExp(`commitment of ${name} is not the one over .*: a hashed input's digest`), name);
  }
});
