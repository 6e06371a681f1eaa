/**
 * Cheating provers against the folded verifier (docs/soundness.md rules 1, 7, 8, 10). A proof carries
 * no final accumulator: the verifier recomputes every root, so the decider on the recomputed roots is
 * what must catch a forged leaf, cross term or tree.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Fp12, G1_ONE } from '../../src/curve';
import { ByteReader, ByteWriter } from '../../src/encoding/bytes';
import { EncodingError } from '../../src/errors';
import type { SlotValue } from '../../src/equations/equation';
import { verifyInstances } from '../../blocks/batch-verify';
import { readMessages, writeMessages } from '../../blocks/messages';
import { messageSlots } from '../../blocks/protocol';
import { decide, decideWithWeights } from '../../accumulation/decider';
import { ProofError } from '../../accumulation/errors';
import { combineFold, foldChallenge, foldLabel, proveFold } from '../../accumulation/fold';
import { computeCrossTerms, encodeCrossTerms } from '../../accumulation/cross-terms';
import { descriptorOf } from '../../accumulation/fold-key';
import { groupByFoldKey } from '../../accumulation/leaves';
import { decodeFoldedProof, encodeFoldedProof, type FoldedProof, type FoldKeyProof } from '../../accumulation/proof';
import type { DeciderInput } from '../../accumulation/decider';
import { foldLeaves } from '../../accumulation/prove';
import { encodeAccumulator, freshAccumulator, type Accumulator } from '../../accumulation/relaxed';
import { verifyFolded } from '../../accumulation/verify';
import { baseTranscript, g2Protocol, kzgProtocol, kzgWitness, mixedSpecs, newEngine, pairCheat, pairProtocol, proveLeaves, cubicProtocol, cubicWitness, type TestLeaf } from './fixtures';
import { bump, bumpAccumulator, editCells } from './helpers';

const engine = newEngine();
const base = baseTranscript();
let leaves: TestLeaf[];
let honest: FoldedProof;
let roots: readonly DeciderInput[];
const statements = () => leaves.map((l) => l.statement);

async function setup(): Promise<void> {
  if (leaves) return;
  leaves = await proveLeaves(engine, base, mixedSpecs(3));
  ({ proof: honest, roots } = await foldLeaves(engine, base, leaves.map((l) => l.instance)));
}

function withKey(proof: FoldedProof, g: number, edit: (k: FoldKeyProof) => FoldKeyProof): FoldedProof {
  return { keys: proof.keys.map((k, i) => (i === g ? edit(k) : k)) };
}

async function rejects(proof: FoldedProof | Uint8Array, why?: RegExp): Promise<string> {
  const bytes = proof instanceof Uint8Array ? proof : encodeFoldedProof(proof);
  const v = await verifyFolded(engine, base, statements(), bytes);
  assert.equal(v.ok, false, 'a forged proof was accepted');
  if (!v.ok && why) assert.match(v.reason, why);
  return v.ok ? '' : v.reason;
}

test('the honest proof verifies', async () => {
  await setup();
  assert.deepEqual(await verifyFolded(engine, base, statements(), encodeFoldedProof(honest)), { ok: true });
});

test('a tampered leaf message is rejected by the decider, in every message slot of every fold key', async () => {
  await setup();
  const groups = groupByFoldKey(statements());
  for (const [g, group] of groups.entries()) {
    const protocol = group.items[0].protocol;
    for (const slot of messageSlots(protocol)) {
      const forged = withKey(honest, g, (k) => {
        const messages = readMessages(protocol, new ByteReader(k.leafMessages[1]));
        const w = new ByteWriter();
        writeMessages(protocol, { ...messages, [slot.name]: bump({ kind: slot.sort }, messages[slot.name]) as SlotValue }, w);
        return { ...k, leafMessages: k.leafMessages.map((m, i) => (i === 1 ? w.bytes() : m)) };
      });
      await rejects(forged, /decider|relaxed/);
    }
  }
});

test('a tampered cross term is rejected by the decider in every cell of every fold key', async () => {
  await setup();
  for (const [g, group] of groupByFoldKey(statements()).entries()) {
    const d = group.descriptor;
    // The cross terms of one fold as a flat list of cells, in encoding order.
    const cells = d.equations.flatMap((eq) => Array.from({ length: eq.degree - 1 }, () => eq.cells).flat());
    for (let target = 0; target < cells.length; target++) {
      const forged = withKey(honest, g, (k) => ({ ...k, crossTerms: k.crossTerms.map((c, i) => (i === 0 ? editCells(c, cells, target, bump) : c)) }));
      await rejects(forged, /decider|relaxed/);
    }
  }
});

test('a tampered root given to the decider is rejected, whatever element is changed', async () => {
  await setup();
  assert.deepEqual(await decide(engine, base, roots), { ok: true });
  await fc.assert(
    fc.asyncProperty(fc.nat(), fc.nat(), async (gi, element) => {
      const g = gi % roots.length;
      const tampered = roots.map((r, i) => (i === g ? { ...r, accumulator: bumpAccumulator(r.descriptor, r.accumulator, element) } : r));
      assert.equal((await decide(engine, base, tampered)).ok, false);
    }),
    { numRuns: 12 },
  );
});

test('a proof cannot carry a root: appending one is trailing bytes', async () => {
  await setup();
  const bytes = encodeFoldedProof(honest);
  const root = encodeAccumulator(roots[roots.length - 1].descriptor, roots[roots.length - 1].accumulator);
  const withRoot = new Uint8Array(bytes.length + root.length);
  withRoot.set(bytes);
  withRoot.set(root, bytes.length);
  await rejects(withRoot, /trailing/);
});

test('swapped, dropped and reordered leaves or folds are rejected', async () => {
  await setup();
  const kzg = 0; // the KZG key has 3 leaves and 2 folds
  const swapLeaves = withKey(honest, kzg, (k) => ({ ...k, leafMessages: [k.leafMessages[1], k.leafMessages[0], k.leafMessages[2]] }));
  await rejects(swapLeaves, /decider/);
  await rejects(withKey(honest, kzg, (k) => ({ ...k, leafMessages: k.leafMessages.slice(0, 2), crossTerms: k.crossTerms.slice(0, 1) })), /leaves/);
  const reorder = withKey(honest, kzg, (k) => ({ ...k, crossTerms: [k.crossTerms[1], k.crossTerms[0]] }));
  await rejects(reorder, /decider/);
  // The verifier's own leaves in another order: the statements no longer match the proven leaves.
  const swapped = statements();
  [swapped[0], swapped[1]] = [swapped[1], swapped[0]];
  assert.equal((await verifyFolded(engine, base, swapped, encodeFoldedProof(honest))).ok, false);
  // Fold keys in another order.
  await rejects({ keys: [honest.keys[1], honest.keys[0], ...honest.keys.slice(2)] }, /fold key/);
});

test('a tree of another shape (a chain) is rejected', async () => {
  await setup();
  const d = descriptorOf(kzgProtocol);
  // For 4 leaves the tree is ((l0,l1),(l2,l3)); the forger folds the chain (((l0,l1),l2),l3).
  const extra = await proveLeaves(engine, base, mixedSpecs(4));
  const kzgLeaves = extra.filter((l) => l.instance.protocol === kzgProtocol);
  const accs = kzgLeaves.map((l) => freshAccumulator(d, l.instance.values));
  let acc: Accumulator = accs[0];
  const crossTerms: Uint8Array[] = [];
  for (let i = 1; i < accs.length; i++) {
    const { parent, crossTerms: ct } = await proveFold(engine, d, acc, accs[i], base.fork(foldLabel(d.foldKey, i, 0)));
    crossTerms.push(ct);
    acc = parent;
  }
  const proof = (await foldLeaves(engine, base, extra.map((l) => l.instance))).proof;
  // The chain's root satisfies the relaxed relation: only the tree the verifier replays tells them apart.
  assert.deepEqual(await decide(engine, base, [{ descriptor: d, accumulator: acc }]), { ok: true });
  const chain = withKey(proof, 0, (k) => ({ ...k, crossTerms }));
  const st = extra.map((l) => l.statement);
  assert.deepEqual(await verifyFolded(engine, base, st, encodeFoldedProof(proof)), { ok: true });
  assert.equal((await verifyFolded(engine, base, st, encodeFoldedProof(chain))).ok, false);
});

test('a leaf whose block proof is invalid is rejected although every fold is honest', async () => {
  const bad = await proveLeaves(engine, base, [
    { protocol: kzgProtocol, witness: kzgWitness([1n, 2n]) },
    { protocol: kzgProtocol, witness: { ...kzgWitness([3n, 4n]), prover: (s, v) => ({ ...(kzgWitness([3n, 4n]).prover(s, v) as object), y: 99n }) } },
    { protocol: cubicProtocol, witness: cubicWitness(2n, 3n) },
    { protocol: cubicProtocol, witness: { ...cubicWitness(5n, 3n), prover: () => ({ y: 124n, W: G1_ONE.multiply(3n) }) } },
  ]);
  const { proof } = await foldLeaves(engine, base, bad.map((l) => l.instance));
  const v = await verifyFolded(engine, base, bad.map((l) => l.statement), encodeFoldedProof(proof));
  assert.equal(v.ok, false);
  if (!v.ok) assert.match(v.reason, /relaxed field equation "cube"|decider/);
  // Only the KZG key is broken: still rejected by the pairing check.
  const kzgOnly = await proveLeaves(engine, base, [
    { protocol: kzgProtocol, witness: kzgWitness([1n, 2n]) },
    { protocol: kzgProtocol, witness: { ...kzgWitness([3n, 4n]), prover: (s, v) => ({ ...(kzgWitness([3n, 4n]).prover(s, v) as object), pi: G1_ONE }) } },
  ]);
  const p2 = (await foldLeaves(engine, base, kzgOnly.map((l) => l.instance))).proof;
  const v2 = await verifyFolded(engine, base, kzgOnly.map((l) => l.statement), encodeFoldedProof(p2));
  assert.deepEqual(v2, { ok: false, reason: 'the decider pairing check failed' });
});

test('a prover that reuses one γ for two nodes is rejected', async () => {
  const four = await proveLeaves(engine, base, [1n, 2n, 3n, 4n].map((c) => ({ protocol: kzgProtocol, witness: kzgWitness([c, c + 1n]) })));
  const d = descriptorOf(kzgProtocol);
  const accs = four.map((l) => freshAccumulator(d, l.instance.values));
  // Level 1: node 0 honestly; node 1 with node 0's γ.
  const ct0 = await computeCrossTerms(engine, d, accs[0], accs[1]);
  const ct0b = encodeCrossTerms(d, ct0);
  const gamma = foldChallenge(base.fork(foldLabel(d.foldKey, 1, 0)), d, accs[0], accs[1], ct0b);
  const n0 = await combineFold(engine, d, accs[0], accs[1], ct0, gamma);
  const ct1 = await computeCrossTerms(engine, d, accs[2], accs[3]);
  const n1 = await combineFold(engine, d, accs[2], accs[3], ct1, gamma);
  const top = await proveFold(engine, d, n0, n1, base.fork(foldLabel(d.foldKey, 2, 0)));
  const msgs = (await foldLeaves(engine, base, four.map((l) => l.instance))).proof.keys[0].leafMessages;
  const forged: FoldedProof = { keys: [{ foldKey: d.foldKey, leafMessages: msgs, crossTerms: [ct0b, encodeCrossTerms(d, ct1), top.crossTerms] }] };
  // Its root still satisfies the relaxed relation (γ does not matter to honest leaves) ...
  assert.deepEqual(await decide(engine, base, [{ descriptor: d, accumulator: top.parent }]), { ok: true });
  // ... but it is not what the verifier's own γ produce.
  const v = await verifyFolded(engine, base, four.map((l) => l.statement), encodeFoldedProof(forged));
  assert.equal(v.ok, false);
});

test('a sign-flipped GT cross term fails the subgroup check', async () => {
  await setup();
  const g = groupByFoldKey(statements()).findIndex((gr) => gr.items[0].protocol === g2Protocol);
  const d = descriptorOf(g2Protocol);
  const cells = d.equations.flatMap((eq) => Array.from({ length: eq.degree - 1 }, () => eq.cells).flat());
  const gtCell = cells.findIndex((c) => c.kind === 'gt');
  assert.ok(gtCell >= 0);
  const forged = withKey(honest, g, (k) => ({ ...k, crossTerms: [editCells(k.crossTerms[0], cells, gtCell, (_c, x) => Fp12.neg(x as ReturnType<typeof Fp12.neg>))] }));
  await rejects(forged, /subgroup/);
});

test('truncated or extended proofs are typed errors and rejections', async () => {
  await setup();
  const bytes = encodeFoldedProof(honest);
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 0, max: bytes.length - 1 }), async (n) => {
      assert.throws(() => decodeFoldedProof(bytes.subarray(0, n)), (e) => e instanceof EncodingError || e instanceof ProofError);
      await rejects(bytes.subarray(0, n));
    }),
    { numRuns: 25 },
  );
  const longer = new Uint8Array(bytes.length + 1);
  longer.set(bytes);
  assert.throws(() => decodeFoldedProof(longer), EncodingError);
  await rejects(longer, /trailing/);
  const wrongVersion = bytes.slice();
  wrongVersion[4] = 9;
  assert.throws(() => decodeFoldedProof(wrongVersion), (e) => e instanceof ProofError && e.code === 'PROOF');
});

test('unit weights accept two equations that cancel; transcript weights reject them', async () => {
  const cheat = await proveLeaves(engine, base, [{ protocol: pairProtocol, witness: pairCheat(3n, 5n, 7n) }]);
  const d = descriptorOf(pairProtocol);
  const acc = freshAccumulator(d, cheat[0].instance.values);
  assert.deepEqual(await decideWithWeights(engine, [{ descriptor: d, accumulator: acc }], [[1n, 1n]]), { ok: true });
  assert.equal((await decide(engine, base, [{ descriptor: d, accumulator: acc }])).ok, false);
  assert.equal((await verifyInstances(engine, [cheat[0].instance], base)).ok, false);
  const { proof } = await foldLeaves(engine, base, cheat.map((l) => l.instance));
  assert.equal((await verifyFolded(engine, base, cheat.map((l) => l.statement), encodeFoldedProof(proof))).ok, false);
});

test('verifying N leaves runs exactly one multi-pairing', async () => {
  for (const n of [1, 2, 5]) {
    const ls = await proveLeaves(engine, base, mixedSpecs(n));
    const { proof } = await foldLeaves(engine, base, ls.map((l) => l.instance));
    engine.resetStats();
    assert.deepEqual(await verifyFolded(engine, base, ls.map((l) => l.statement), encodeFoldedProof(proof)), { ok: true });
    assert.equal(engine.stats.multiPairings, 1, `${n} leaves`);
  }
});

test('a G2 point outside the subgroup or off the curve in a leaf message is a rejection, not a crash', async () => {
  await setup();
  const g = groupByFoldKey(statements()).findIndex((gr) => gr.items[0].protocol === g2Protocol);
  const forged = withKey(honest, g, (k) => {
    const m = k.leafMessages[0].slice();
    m[5] ^= 1; // corrupt the x coordinate of B
    return { ...k, leafMessages: [m, ...k.leafMessages.slice(1)] };
  });
  await rejects(forged, /ENCODING/);
});
