/**
 * The relink invariant and its guard (`src/pipeline/relink.ts`): after the pass no block but a relink reads a row
 * whose blinding is fixed across proofs (a weight under a spec not declared `fixed`, a hashed input), and no block's
 * linear relations name a tensor it declares `fixed`; `checkFixedRowsRelinked` refuses each violation with a typed
 * error naming the block and the tensor. The pass is idempotent and refuses a copy id that is already taken.
 */
import assert from 'node:assert/strict';
import test from 'node:test';
import type { Block } from '../../blocks/block';
import { RelinkBlock } from '../../blocks/relink';
import { BlockGraphError, validateBlockGraph, type BlockGraph, type BlockNode } from '../../src/pipeline/block-graph';
import { compile } from '../../src/pipeline/compile';
import { checkFixedRowsRelinked, relinkFixedRows } from '../../src/pipeline/relink';
import { sampleMlpInput } from '../model/fixtures';
import { sampleBytes } from '../soundness/pipeline';
import { withoutRelink } from './fixed-polynomial-attack';

/** The sample MLP with its input hashed: relinked copies of the input and of both biases. */
function hashedSample() {
  const model = compile(sampleBytes(), [{ input: sampleMlpInput() }], { visibility: { inputs: { input: 'hashed' } } });
  return { model, hashed: new Set([model.inputs[0].id]) };
}

/** `g` with node `index` replaced. */
function withNode(g: BlockGraph, index: number, node: BlockNode): BlockGraph {
  return { tensors: g.tensors, nodes: g.nodes.map((n, i) => (i === index ? node : n)) };
}

function refuses(g: BlockGraph, hashed: ReadonlySet<string>, pattern: RegExp): void {
  assert.throws(() => checkFixedRowsRelinked(g, hashed), (e: unknown) => e instanceof BlockGraphError && e.code === 'COMPILE' && pattern.test(e.message), String(pattern));
}

test('a compiled graph keeps the invariant; the same graph without the pass is refused', () => {
  const { model, hashed } = hashedSample();
  checkFixedRowsRelinked(model.graph, hashed);
  refuses(withoutRelink(model).graph, hashed, /reads (hashed input|weight) ".*" directly/);
});

test('every read of a relinked copy, pointed back at the fixed row, is refused naming the block, the name and the tensor', () => {
  const { model, hashed } = hashedSample();
  const g = model.graph;
  const original = new Map(g.nodes.filter((n) => n.block instanceof RelinkBlock).map((n) => [n.bind.y, n.bind.x]));
  const kind = new Map(g.tensors.map((t) => [t.id, t.kind]));
  let reads = 0;
  g.nodes.forEach((node, i) => {
    if (node.block instanceof RelinkBlock) return;
    for (const [name, id] of Object.entries(node.bind)) {
      const x = original.get(id);
      if (x === undefined) continue;
      reads++;
      const what = hashed.has(x) ? 'hashed input' : 'weight';
      assert.equal(kind.get(x), hashed.has(x) ? 'input' : 'weight');
      const tampered = withNode(g, i, { block: node.block, bind: { ...node.bind, [name]: x } });
      validateBlockGraph(tampered);
      const where = `block ${i} (${node.block.foldKey})`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      refuses(tampered, hashed, new RegExp(`^${where}: "${name}" reads ${what} "${x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" directly`));
    }
  });
  assert.ok(reads >= 3, `${reads} reads of copies: the input's and both biases'`);
});

test('a block whose linear relations name a tensor it declares fixed is refused', () => {
  const { model, hashed } = hashedSample();
  const g = model.graph;
  const index = g.nodes.findIndex((n) => n.block.kind === 'linear' && n.block.foldKey.includes('/add/') && n.bind.a.endsWith('~link'));
  const node = g.nodes[index];
  const weight = g.nodes.find((n) => n.block instanceof RelinkBlock && n.bind.y === node.bind.a)!.bind.x;
  // The same add, declaring its bias operand fixed (as a block relying on the model commitment would) and reading the weight.
  const fixedBias: Block = Object.create(node.block, { tensors: { value: node.block.tensors.map((t) => (t.name === 'a' ? { ...t, fixed: true } : t)) } });
  const tampered = withNode(g, index, { block: fixedBias, bind: { ...node.bind, a: weight } });
  validateBlockGraph(tampered);
  refuses(tampered, hashed, new RegExp(`^block ${index} .*: a linear relation names the fixed tensor "a" \\(weight "${weight}"\\)`));
});

test('the pass is idempotent and refuses a copy id that is already a tensor', () => {
  const { model, hashed } = hashedSample();
  assert.equal(relinkFixedRows(model.graph, hashed), model.graph, 'a second application relinks nothing');
  const bare = withoutRelink(model).graph;
  const once = relinkFixedRows(bare, hashed);
  assert.deepEqual(relinkFixedRows(once, hashed), once);
  assert.equal(once.nodes.filter((n) => n.block instanceof RelinkBlock).length, 3);
  const taken: BlockGraph = { tensors: [...bare.tensors, { ...bare.tensors.find((t) => t.id === model.inputs[0].id)!, id: `${model.inputs[0].id}~link`, kind: 'wire' }], nodes: bare.nodes };
  assert.throws(() => relinkFixedRows(taken, hashed), (e: unknown) => e instanceof BlockGraphError && /the copy ".*~link" of ".*" is already a tensor/.test(e.message));
});
