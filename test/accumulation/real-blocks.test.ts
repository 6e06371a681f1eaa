/**
 * Built-in blocks fold with no folding code of their own: their declared equations are all the folder
 * needs. Several instances of two block kinds (two fold keys) are proven, folded, and verified with one
 * multi-pairing; a block proven on a wrong witness is rejected after folding.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getDefaultEngine } from '../../src/engine/index';
import type { SlotValues } from '../../src/equations/equation';
import { Transcript } from '../../src/transcript';
import { commitRows, type Block, type BlockContext, type Tensors } from '../../blocks/index';
import { HadamardBlock } from '../../blocks/hadamard';
import { SumBlock } from '../../blocks/sum';
import { leafLabel, proveLeaf, type LeafInstance } from '../../blocks/leaf';
import type { LeafStatement } from '../../accumulation/leaves';
import { encodeFoldedProof } from '../../accumulation/proof';
import { foldLeaves } from '../../accumulation/prove';
import { verifyFolded } from '../../accumulation/verify';
import { testKzgKey } from '../helpers/kzg';

async function proveInstance(ctx: BlockContext, base: Transcript, block: Block, index: number, inputs: Tensors, tensors: Tensors = { ...inputs, ...block.witness(inputs) }): Promise<{ instance: LeafInstance; statement: LeafStatement }> {
  const commitments: Record<string, Awaited<ReturnType<typeof commitRows>>> = {};
  for (const spec of block.tensors) commitments[spec.name] = await commitRows(ctx.kzg, tensors[spec.name], spec.domain);
  const statement: SlotValues = block.statement(commitments);
  const protocol = block.protocol(ctx);
  const { instance } = await proveLeaf(protocol, base.fork(leafLabel(protocol.foldKey, index)), ctx.engine, statement, block.prover(ctx, tensors));
  return { instance, statement: { protocol, statement } };
}

test('hadamard and sum blocks fold and verify through the generic folder, one multi-pairing', async () => {
  const engine = getDefaultEngine();
  const ctx: BlockContext = { engine, kzg: await testKzgKey(16, engine) };
  const base = Transcript.create('blockfold/test/real-blocks');
  const hadamard = new HadamardBlock({ rows: 1, domain: 4 });
  const sum = new SumBlock({ rows: 2, length: 4 });
  const leaves = [
    await proveInstance(ctx, base, hadamard, 0, { a: [[1n, 2n, 3n, 4n]], b: [[5n, -6n, 7n, 8n]] }),
    await proveInstance(ctx, base, sum, 0, { x: [[1n, 2n, 3n, 4n], [0n, -1n, 5n, 9n]] }),
    await proveInstance(ctx, base, hadamard, 1, { a: [[9n, 0n, -3n, 1n]], b: [[2n, 2n, 2n, 2n]] }),
    await proveInstance(ctx, base, hadamard, 2, { a: [[7n, 7n, 1n, 0n]], b: [[1n, 3n, -1n, 4n]] }),
    await proveInstance(ctx, base, sum, 1, { x: [[4n, 4n, 4n, 4n], [1n, 1n, 1n, -3n]] }),
  ];
  const { proof } = await foldLeaves(engine, base, leaves.map((l) => l.instance));
  assert.deepEqual(proof.keys.map((k) => [k.foldKey, k.leafMessages.length]), [[hadamard.foldKey, 3], [sum.foldKey, 2]]);
  engine.resetStats();
  assert.deepEqual(await verifyFolded(engine, base, leaves.map((l) => l.statement), encodeFoldedProof(proof)), { ok: true });
  assert.equal(engine.stats.multiPairings, 1);

  // A hadamard instance proven on a wrong product (the prover drops the non-zero remainder) folds honestly and is rejected.
  const cheatCtx: BlockContext = { ...ctx, allowInvalidWitness: true };
  const inputs = { a: [[1n, 1n, 1n, 1n]], b: [[2n, 2n, 2n, 2n]] };
  const wrong = await proveInstance(cheatCtx, base, hadamard, 1, inputs, { ...inputs, c: [[2n, 2n, 2n, 3n]] });
  const mixed = [leaves[0], wrong, leaves[3]];
  const forged = (await foldLeaves(engine, base, mixed.map((l) => l.instance))).proof;
  const v = await verifyFolded(engine, base, mixed.map((l) => l.statement), encodeFoldedProof(forged));
  assert.equal(v.ok, false);
  if (!v.ok) assert.match(v.reason, /decider|relaxed/);
});
