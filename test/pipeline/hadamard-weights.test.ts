/**
 * Lowering a product by weights: the attention model's normalization scales reach hadamard as committed weights
 * bound to its fixed operand b, so they are read only through the weight link and never opened at ζ.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { HadamardBlock } from '../../blocks/hadamard';
import { compile } from '../../src/pipeline/compile';
import { fashionImages, modelFile } from '../model/fixtures';

test('fashion-attn: every hadamard operand that is a weight is its fixed b, linked row by row', () => {
  const model = compile(readFileSync(modelFile('fashion-attn.onnx')), fashionImages().images.slice(0, 4).map((input) => ({ input })));
  const kind = new Map(model.graph.tensors.map((t) => [t.id, t.kind]));
  const products = model.graph.nodes.filter((n) => n.block instanceof HadamardBlock);
  const byWeights = products.filter((n) => (n.block as HadamardBlock).fixedB);
  assert.ok(byWeights.length > 0, 'the normalization scales are products by weights');
  for (const n of products) {
    const block = n.block as HadamardBlock;
    assert.notEqual(kind.get(n.bind.a), 'weight', `${block.foldKey}: weight "${n.bind.a}" bound to a, which is opened at ζ`);
    assert.equal(block.fixedB, kind.get(n.bind.b) === 'weight', `${block.foldKey}: b bound to ${kind.get(n.bind.b)} tensor "${n.bind.b}"`);
    if (block.fixedB) for (let i = 0; i < block.rows; i++) assert.ok(!block.iopSpec().oracles.some((o) => o.commitment === `b/${i}`), `${block.foldKey}: row ${i} of b is opened at ζ`);
  }
});
