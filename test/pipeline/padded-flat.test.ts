/**
 * Padded flat layouts in the pipeline: a transformer encoder over 5 tokens (not a power of two) lowers its projections,
 * MLP and LayerNorm sums to flat blocks that read the compiler's flat tensors in place, their padding rows (up to
 * M = 8) being the tensors' zero padding; the graph validates and computes the quantized semantics; the model proves
 * and verifies; a changed padding cell of every padded flat block's output is rejected.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MatmulBlock } from '../../blocks/matmul';
import { PermutationBlock } from '../../blocks/permutation';
import { SumBlock } from '../../blocks/sum';
import { runQuantized } from '../../src/model/quant/interpret';
import { validateBlockGraph, type BlockNode } from '../../src/pipeline/block-graph';
import { compile, quantizeFeeds } from '../../src/pipeline/compile';
import { computeGraphWitness } from '../../src/pipeline/graph-proof';
import { setup } from '../../src/pipeline/keys';
import { prove, verify } from '../../src/pipeline/prove-verify';
import { devSrs } from '../helpers/dev-srs';
import { randomFeeds, transformerEncoder } from '../model/deep-models';
import { assertTamperRejected } from '../soundness/pipeline';

const SEQUENCE = 5;
const shape = [SEQUENCE, 8];
const model = compile(transformerEncoder({ blocks: 1, sequence: SEQUENCE, width: 8, heads: 2 }), randomFeeds('x', shape, 8, 5));
const feeds = randomFeeds('x', shape, 2, 99);

/** The tensors a block writes (a matmul of several products writes one per product). */
const outputsOf = (node: BlockNode) => node.block.tensors.filter((t) => t.role === 'output').map((t) => node.bind[t.name]);

/** The flat matmuls and sums of 5 rows, padded to 8: the blocks this layout adds. */
const padded = model.graph.nodes.filter((node) => (node.block instanceof MatmulBlock && node.block.flat && node.block.checksPaddingRows) || (node.block instanceof SumBlock && node.block.flat && node.block.rows < node.block.sumsDomain));

test('encoder over 5 tokens: every matmul of 5 rows with k and n powers of two, and every sum of rows of a power-of-two length, is flat and reads its operand in place', () => {
  validateBlockGraph(model.graph);
  const matmuls = model.graph.nodes.filter((node) => node.block instanceof MatmulBlock && node.block.m === SEQUENCE && [node.block.k, node.block.n].every((d) => (d & (d - 1)) === 0));
  const sums = model.graph.nodes.filter((node) => node.block instanceof SumBlock && (node.block.length & (node.block.length - 1)) === 0 && node.block.rows >= 2);
  // The Q, K, V projections are one block of three products (`MatmulBlock` option `products`).
  const products = matmuls.reduce((n, node) => n + (node.block as MatmulBlock).products, 0);
  assert.ok(products >= 5, `the Q, K, V, output and MLP projections (${products})`);
  assert.ok(sums.length >= 4, `the LayerNorm sums (${sums.length})`);
  for (const node of matmuls) {
    const block = node.block as MatmulBlock;
    assert.deepEqual([block.flat, block.flatRows, block.tensors[0].domain, block.tensors[0].rows], [true, 8, 8 * block.innerDomain, 1], block.foldKey);
  }
  for (const node of sums) {
    const block = node.block as SumBlock;
    assert.deepEqual([block.flat, block.rows, block.sumsDomain], [true, SEQUENCE, 8], block.foldKey);
  }
  assert.equal(padded.length, matmuls.length + sums.length);
  // No layout copy (a permutation keeping the cells in order: into rows, or back into one row) writes what a padded
  // flat block reads or reads what it writes: each operand is the flat tensor itself. (A transpose is a genuine copy.)
  const layoutCopies = model.graph.nodes.filter((n) => {
    if (!(n.block instanceof PermutationBlock)) return false;
    const { inputs, output, cells } = n.block.map;
    return inputs.length === 1 && cells.every((row, r) => row.every((c, j) => 'input' in c && c.row * inputs[0].length + c.col === r * output.length + j));
  });
  assert.ok(layoutCopies.length > 0, 'the check sees layout copies (the model still has some: the attention scores of 5 columns are row-laid)');
  const copiedTo = new Set(layoutCopies.map((n) => n.bind.out));
  const copiedFrom = new Set(layoutCopies.flatMap((n) => Object.entries(n.bind).filter(([k]) => k !== 'out').map(([, v]) => v)));
  for (const node of matmuls) {
    assert.ok(!copiedTo.has(node.bind.a), `${node.block.foldKey}: A is not a layout copy`);
    for (const c of outputsOf(node)) assert.ok(!copiedFrom.has(c), `${node.block.foldKey}: ${c} is not copied into another layout`);
  }
  for (const node of sums) assert.ok(!copiedTo.has(node.bind.x), `${node.block.foldKey}: x is not a layout copy`);
  for (const f of feeds) {
    const values = computeGraphWitness(model.graph, { ...quantizeFeeds(model, f), ...model.weights });
    const out = model.outputs[0];
    assert.deepEqual(values[out.id].flat(), [...runQuantized(model.quant, f)[model.quant.outputs[0].tensor]]);
  }
});

test('encoder over 5 tokens proves and verifies; a changed padding cell of each padded flat block output is rejected', async () => {
  const srs = await devSrs(model.srsG1Powers);
  const pk = await setup(model, srs);
  const inputs = quantizeFeeds(model, feeds[0]);
  const { statement, proof } = await prove(pk, inputs);
  assert.equal((await verify(pk.vk, statement, proof.bytes)).ok, true);
  const outputs = [...new Set(padded.flatMap((node) => (node.block instanceof MatmulBlock ? outputsOf(node) : [node.bind.s])))];
  for (const [i, id] of outputs.entries()) {
    const t = pk.model.graph.tensors.find((x) => x.id === id)!;
    const realCells = (t.domain * SEQUENCE) / 8;
    // A cell of the padding rows (the cells ≥ 5/8 of the domain), and a change, drawn by fast-check.
    const [[cell, delta]] = fc.sample(fc.tuple(fc.integer({ min: realCells, max: t.domain - 1 }), fc.bigInt({ min: 1n, max: 1n << 20n })), { numRuns: 1, seed: i + 1 });
    await assertTamperRejected(pk, inputs, id, 0, cell, delta);
  }
});
