/**
 * Stacked rows in the pipeline (`src/pipeline/stacked-rows.ts`): the wire rows of an encoder that the argument only
 * opens are sent in stacks. The tests: the proof sends fewer wire points than one per row and verifies; `inspect`'s
 * layout predicts its wire section; every stack commitment of the proof replaced is rejected, and none is the stack of
 * its rows unblinded (hiding, `src/kzg/stack.ts`); a changed cell of every
 * stacked tensor (padding cells included) is rejected; a derived row left uncomputed is one no block opens alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compile } from '../../src/pipeline/compile';
import { prove, quantizeFeeds, verify } from '../../src/index';
import { blockContext } from '../../src/pipeline/keys';
import { derivedRows } from '../../src/pipeline/derived-rows';
import { computeGraphWitness, sentWires, stackLabel } from '../../src/pipeline/graph-proof';
import { argumentLayout, stackedRowsOf } from '../../src/pipeline/prove-verify';
import { memberSlot } from '../../blocks/model-argument';
import { oracleOpenings, slotRow } from '../../blocks/poly-iop';
import { rowEvaluations } from '../../blocks/commit-rows';
import { G1_BYTES, decodeG1, encodeG1 } from '../../src/encoding/points';
import { commitStack } from '../../src/kzg/stack';
import { G1_ONE } from '../../src/curve';
import { randomFeeds, transformerEncoder } from '../model/deep-models';
import { assertTamperRejected, keysFor } from '../soundness/pipeline';

const model = compile(transformerEncoder({ blocks: 1, sequence: 4, width: 8, heads: 2 }), randomFeeds('x', [4, 8], 4, 3));
const feeds = randomFeeds('x', [4, 8], 1, 17)[0];
const keys = keysFor(model);

/** The model's stacks as its key plans them. */
async function stacksOf() {
  return stackedRowsOf((await keys).vk);
}

/** The byte offset of stack i's commitment in a proof: after the header, the wire section's length and its rows sent alone. */
function stackOffset(alone: number, i: number): number {
  return 4 + 3 + 4 + G1_BYTES * (alone + i);
}

test('an encoder block: its opened-only wire rows go in stacks, the proof verifies and inspect predicts its wire section', async () => {
  const pk = await keys;
  const stacked = await stacksOf();
  assert.ok(stacked.stacks.length > 0, 'some rows are stacked');
  stacked.stacks.forEach((s, i) => {
    assert.equal(s.commitment, stackLabel(i), 'stacks are named in wire-section order');
    assert.ok(s.rows.length >= 2 && s.rows.length <= s.size, `${s.commitment}: ${s.rows.length} rows in ${s.size} places`);
    for (const row of s.rows) assert.equal(pk.model.graph.tensors.find((t) => t.id === slotRow(row).tensor)?.kind, 'wire', row);
  });
  const { proof, statement } = await prove(pk, quantizeFeeds(pk.model, feeds), { seed: 'stacked' });
  assert.ok((await verify(pk.vk, statement, proof.bytes)).ok);
  const derived = derivedRows(pk.model.graph);
  const everyRow = sentWires(pk.model.graph, derived.ids).reduce((n, t) => n + t.rows, 0) * G1_BYTES;
  assert.equal(proof.size.wireCommitments, everyRow - (stacked.rows.size - stacked.stacks.length) * G1_BYTES, 'one point per stack instead of one per row');
  const layout = argumentLayout(pk.model, blockContext(pk.vk.kzg, pk.vk.model.graph), 'inspect');
  assert.equal(layout.wireSectionBytes, proof.size.wireCommitments);
});

test('every stack commitment of the proof replaced by another point is rejected', async () => {
  const pk = await keys;
  const stacked = await stacksOf();
  const { proof, statement } = await prove(pk, quantizeFeeds(pk.model, feeds), { seed: 'stacked' });
  const alone = proof.size.wireCommitments / G1_BYTES - stacked.stacks.length;
  for (let i = 0; i < stacked.stacks.length; i++) {
    const at = stackOffset(alone, i);
    const other = i + 1 < stacked.stacks.length ? proof.bytes.slice(stackOffset(alone, i + 1), stackOffset(alone, i + 2)) : encodeG1(G1_ONE);
    const bad = Uint8Array.from(proof.bytes);
    bad.set(other, at);
    assert.equal((await verify(pk.vk, statement, bad)).ok, false, `stack ${i}`);
  }
});

test('every stack is committed blinded: its point is not the stack of its rows\' plain members', async () => {
  const pk = await keys;
  const stacked = await stacksOf();
  const inputs = quantizeFeeds(pk.model, feeds);
  const values = computeGraphWitness(pk.model.graph, { ...inputs, ...pk.model.weights });
  const { proof } = await prove(pk, inputs, { seed: 'stacked' });
  const alone = proof.size.wireCommitments / G1_BYTES - stacked.stacks.length;
  for (const [i, s] of stacked.stacks.entries()) {
    const members = s.rows.map((row) => ({ values: rowEvaluations(values[slotRow(row).tensor][slotRow(row).row], s.domain), blinding: [] }));
    const sent = decodeG1(proof.bytes.subarray(stackOffset(alone, i), stackOffset(alone, i + 1)));
    assert.ok(!sent.equals(await commitStack(pk.vk.kzg, members, s.size)), `${s.commitment} is the stack of its plain rows`);
  }
});

test('a changed cell of every stacked tensor (fast-check row, cell and change, padding cells included) is rejected', async () => {
  const pk = await keys;
  const stacked = await stacksOf();
  const tensors = [...new Set([...stacked.rows].map((row) => slotRow(row).tensor))];
  const inputs = quantizeFeeds(pk.model, feeds);
  for (const id of tensors)
    await fc.assert(
      fc.asyncProperty(fc.nat(), fc.nat(), fc.bigInt({ min: 1n, max: 40n }), async (row, cell, delta) => assertTamperRejected(pk, inputs, id, row, cell, delta)),
      { numRuns: 1 },
    );
});

test('slot names: a member slot `b<i>|<slot>` and a global row `<tensor>/<row>` read back, a tensor id holding `/` included', () => {
  assert.deepEqual(memberSlot('b12|x/0'), { member: 12, slot: 'x/0' });
  assert.deepEqual(memberSlot('b0|open:a[0]@zeta'), { member: 0, slot: 'open:a[0]@zeta' });
  for (const slot of ['x/0', 'bx|y', '|y', 'b|y', 'stack/0']) assert.equal(memberSlot(slot), undefined, slot);
  assert.deepEqual(slotRow('t63/rem~27/limb~28/3'), { tensor: 't63/rem~27/limb~28', row: 3 });
  assert.deepEqual(slotRow('x/0'), { tensor: 'x', row: 0 });
});

test('a derived row the verifier does not compute (it reads a stacked row) is one no block opens alone', async () => {
  const stacked = await stacksOf();
  assert.ok(stacked.underived.size > 0, 'some derived rows read stacked ones');
  const uncommitted = new Set(stacked.spec.uncommitted);
  // No oracle of the argument opens an uncommitted slot but a stacked one, or one whose value is derived.
  const stackedOracles = new Set(stacked.spec.stacks!.flatMap((s) => s.oracles));
  const openings = oracleOpenings(stacked.spec);
  for (const o of stacked.spec.oracles) {
    if (!uncommitted.has(o.commitment) || stackedOracles.has(o.name)) continue;
    assert.deepEqual(openings.get(o.name), { points: [], linearized: false, derived: true }, o.name);
  }
});
