/**
 * docs/soundness.md rule 7: the folding verifier checks every component of every fold, and the first leaf against its proof.
 *
 * On real blocks (Hadamard leaves of one fold key, folded into one accumulator): statements swapped between leaves
 * (a cross-leaf swap), a leaf's messages replaced by another valid leaf's messages, and an invalid first leaf folded
 * with an honest second one are all rejected by the folded verifier.
 *
 * The element-by-element tampering of leaf messages, cross terms and final accumulators, reordered or dropped folds,
 * another tree shape, a reused γ and sign-flipped GT cross terms are in `test/accumulation/adversarial.test.ts`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Transcript } from '../../src/transcript';
import { HadamardBlock, leafLabel, proveLeaf, type Tensors } from '../../blocks/index';
import { encodeFoldedProof, foldLeaves, verifyFolded, type LeafStatement } from '../../accumulation/index';
import { context, statementOf } from './helpers';

const block = new HadamardBlock({ rows: 2, domain: 4 });
const inputs: Tensors[] = [
  { a: [[1n, 2n, 3n, 4n], [5n, 6n, 7n, 8n]], b: [[2n, 2n, 2n, 2n], [1n, 0n, -1n, 3n]] },
  { a: [[9n, 8n, 7n, 6n], [5n, 4n, 3n, 2n]], b: [[1n, 1n, 1n, 1n], [4n, 4n, 4n, 4n]] },
  { a: [[3n, 3n, 3n, 3n], [2n, 2n, 2n, 2n]], b: [[7n, 0n, 7n, 0n], [1n, 2n, 3n, 4n]] },
];

async function proveAll(tensors: Tensors[], cheat = false) {
  const ctx = await context(64, cheat);
  const base = Transcript.create('soundness/rule-7');
  const protocol = block.protocol(ctx);
  const leaves = [];
  const statements: LeafStatement[] = [];
  for (const [i, t] of tensors.entries()) {
    const statement = await statementOf(block, ctx, t);
    const { instance } = await proveLeaf(protocol, base.fork(leafLabel(protocol.foldKey, i)), ctx.engine, statement, block.prover(ctx, t));
    leaves.push(instance);
    statements.push({ protocol, statement });
  }
  const { proof } = await foldLeaves(ctx.engine, base, leaves);
  return { ctx, base, statements, proof, bytes: encodeFoldedProof(proof) };
}

const honestTensors = inputs.map((i) => ({ ...i, ...block.witness(i) }));

test('rule 7: cross-leaf statement swaps and swapped leaf messages are rejected by the folded verifier', async () => {
  const { ctx, base, statements, proof, bytes } = await proveAll(honestTensors);
  assert.deepEqual(await verifyFolded(ctx.engine, base, statements, bytes), { ok: true });
  const swapped = [statements[1], statements[0], statements[2]];
  assert.equal((await verifyFolded(ctx.engine, base, swapped, bytes)).ok, false, 'statements of leaves 0 and 1 swapped');
  const [k] = proof.keys;
  const messagesSwapped = { keys: [{ ...k, leafMessages: [k.leafMessages[1], k.leafMessages[0], k.leafMessages[2]] }] };
  assert.equal((await verifyFolded(ctx.engine, base, statements, encodeFoldedProof(messagesSwapped))).ok, false, 'messages of leaves 0 and 1 swapped');
});

test('rule 7: an invalid first leaf folded with honest leaves is rejected (the prover folds honestly)', async () => {
  const bad = honestTensors.map((t, i) => (i === 0 ? { ...t, c: t.c.map((row, r) => row.map((v, j) => (r === 0 && j === 1 ? v + 1n : v))) } : t));
  const { ctx, base, statements, bytes } = await proveAll(bad, true);
  assert.equal((await verifyFolded(ctx.engine, base, statements, bytes)).ok, false);
});
