/**
 * The model-level argument over wire rows committed blinded, `[f + Z_H·b]₁`, as the pipeline commits them: several
 * blocks read one row (directly, in a combination `Σ α^i·[C_i]₁`, as fixed weights behind the weight link; a lookup
 * opens its x and y directly, its column the linear form `x(ζ) + γ·y(ζ)`), the prover is told each row's b through
 * `rowBlinding`, and the proof verifies; a row whose b the
 * prover is told differently from its commitment's is rejected (the opening, or the weight link, fails).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blindingSource } from '../../src/blinding';
import type { G1Point } from '../../src/curve';
import { ByteReader } from '../../src/encoding/bytes';
import { Fr } from '../../src/field';
import { commit } from '../../src/kzg/commit';
import { interpolate } from '../../src/poly/interpolate';
import { addVanishingMultiple } from '../../src/poly/vanishing-multiple';
import { Transcript } from '../../src/transcript';
import { HadamardBlock, LookupBlock, MatmulBlock, PermutationBlock, reluTable, rowEvaluations, SumBlock, transposeMap, type Block, type Tensors } from '../../blocks/index';
import { verifyInstances } from '../../blocks/batch-verify';
import { proveLeaf, replayLeaf } from '../../blocks/leaf';
import { modelArgumentProtocol, modelArgumentProver, modelArgumentSpec, modelArgumentStatement } from '../../blocks/model-argument';
import { context } from '../soundness/helpers';

const ctx = await context(64);

/** Each block with the global tensor each of its tensors is (a block graph in miniature). */
const nodes: { block: Block; bind: Record<string, string> }[] = [
  { block: new HadamardBlock({ rows: 1, domain: 4 }), bind: { a: 'A', b: 'B', c: 'C' } },
  { block: new SumBlock({ rows: 1, length: 4, domain: 4, sumsDomain: 2 }), bind: { x: 'C', s: 'S' } },
  { block: new LookupBlock(reluTable(-8n, 8n), [{ input: 'x', output: 'y', rows: 1, domain: 4, length: 4 }]), bind: { x: 'A', y: 'Y' } },
  { block: new MatmulBlock({ m: 1, k: 4, n: 2, fixedB: true, innerDomain: 4, outerDomain: 2 }), bind: { a: 'C', b: 'W', c: 'O' } },
  { block: new PermutationBlock(transposeMap({ name: 'in', rows: 1, length: 4 }, 'out')), bind: { in: 'A', out: 'T' } },
];
const blocks = nodes.map((n) => n.block);

// Global tensors, block by block: inputs A, B and the weights W; every other tensor a block's output.
const values: Record<string, Tensors[string]> = { A: [[1n, -2n, 3n, 4n]], B: [[2n, -1n, 0n, 3n]], W: [[1n, 0n, 2n, -1n], [3n, 1n, 1n, 0n]] };
const tensors: Tensors[] = nodes.map(({ block, bind }) => {
  const own = (names: readonly string[]) => Object.fromEntries(names.map((t) => [t, values[bind[t]]]));
  const inputs = own(block.tensors.filter((t) => t.role === 'input').map((t) => t.name));
  for (const [t, rows] of Object.entries(block.witness(inputs))) values[bind[t]] = rows;
  return own(block.tensors.map((t) => t.name));
});

/** Block i's slot as `<global tensor>/<row>` (the block names it `t/r` or `t[r]`). */
function globalRow(i: number, slot: string): string {
  const m = /^(.*?)(?:\/(\d+)|\[(\d+)\])$/.exec(slot);
  if (!m) throw new Error(`slot ${slot}`);
  return `${nodes[i].bind[m[1]]}/${m[2] ?? m[3]}`;
}

const source = blindingSource('blinded-rows-test');
/** Every row blinded with 2 coefficients, drawn by its global name: the weights W as a hiding model commitment would. */
const blindingOf = (row: string) => source.draw(row, 2);

/** The statement: each block's slots hold the blinded commitments of its global rows. */
async function blindedStatement() {
  const statements = [];
  for (const { block, bind } of nodes) {
    const c: Record<string, G1Point[]> = {};
    for (const t of block.tensors) {
      c[t.name] = [];
      for (const [r, row] of values[bind[t.name]].entries())
        c[t.name].push(await commit(ctx.kzg, addVanishingMultiple(interpolate(rowEvaluations(row, t.domain), ctx.engine), t.domain, blindingOf(`${bind[t.name]}/${r}`))));
    }
    statements.push(block.statement(c));
  }
  return modelArgumentStatement(statements, globalRow);
}

const spec = modelArgumentSpec('blinded-rows', blocks, ctx, globalRow);
const protocol = modelArgumentProtocol(spec, ctx);
const statement = await blindedStatement();

async function proveAndVerify(rowBlinding?: (block: number, slot: string) => readonly bigint[] | undefined) {
  const t = Transcript.create('blinded-rows-test');
  const { messages } = await proveLeaf(protocol, t.fork('leaf'), ctx.engine, statement, modelArgumentProver(spec, blocks, ctx, tensors, rowBlinding));
  const r = new ByteReader(messages);
  const leaf = await replayLeaf(protocol, t.fork('leaf'), ctx.engine, statement, r);
  r.finish('proof');
  return verifyInstances(ctx.engine, [leaf], t);
}

const consistent = (block: number, slot: string) => blindingOf(globalRow(block, slot));

test('model argument over blinded rows read by several blocks: verifies when every block is told its rows’ blinding', async () => {
  assert.ok(spec.oracles.length < modelArgumentSpec('apart', blocks, ctx).oracles.length, 'a row two blocks open directly is one oracle');
  assert.deepEqual(await proveAndVerify(consistent), { ok: true });
});

test('model argument over blinded rows: a row blinded differently from its commitment, for any way a block reads it, is rejected', async () => {
  const ways: [number, string, string][] = [
    [0, 'a/0', 'opened directly'],
    [1, 'x/0', 'in a combination Σ α^i·[X_i]₁'],
    [2, 'y[0]', 'opened directly by a lookup (its x is A, which block 0 opens first: see the next test)'],
    [3, 'a/0', "in matmul's Σ α^i·[A_i]₁"],
    [3, 'b/0', 'as weights behind the weight link'],
    [3, 'c/0', "in matmul's Σ α^i·[C_i]₁ on the outer domain"],
  ];
  for (const [block, slot, how] of ways) {
    const wrong = (i: number, s: string) => {
      const b = consistent(i, s);
      return i === block && s === slot ? [b[0], Fr.add(b[1], 1n)] : b;
    };
    assert.equal((await proveAndVerify(wrong)).ok, false, `block ${block} "${slot}" ${how}`);
  }
  assert.equal((await proveAndVerify()).ok, false, 'a prover told no blinding at all');
});

test('model argument over blinded rows: a row two blocks open directly is opened once, with the first block’s blinding', async () => {
  // The transpose's input is A, which the Hadamard block (block 0) opens first: its own slot is never read.
  const ignored = (i: number, s: string) => (i === 4 && s === 'in[0]' ? [1n, 2n] : consistent(i, s));
  assert.deepEqual(await proveAndVerify(ignored), { ok: true });
  const first = (i: number, s: string) => (i === 0 && s === 'a/0' ? [1n, 2n] : consistent(i, s));
  assert.equal((await proveAndVerify(first)).ok, false);
});
