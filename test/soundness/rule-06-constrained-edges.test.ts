/**
 * docs/soundness.md rule 6: no unconstrained edges. `validateBlockGraph` refuses a graph in which a value is produced without
 * a check that binds it: a wire or output no block writes, a tensor written twice, an input or weight written, a
 * tensor no block touches, shapes that disagree, unbound block tensors. On the compiled sample MLP, removing any block
 * that writes a wire is refused. Blocks whose soundness needs range checks (rescale: `r` and `y`; max: the differences
 * `d`) declare them as obligations, and a graph that does not prove them (by range lookups, through limb splits) is
 * refused too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BlockGraphError, validateBlockGraph, type BlockGraph, type GraphTensor } from '../../src/pipeline/block-graph';
import { LimbSplitBlock, LinearBlock, LookupBlock, MatmulBlock, RescaleBlock, rangeTable, type Block } from '../../blocks/index';
import { compileSample } from './pipeline';

const t = (id: string, kind: GraphTensor['kind'], rows = 1, domain = 4): GraphTensor => ({ id, kind, rows, domain });
const add = () => new LinearBlock({ operation: { op: 'add' }, rows: 1, domain: 4 });

function refused(g: BlockGraph, pattern: RegExp): void {
  assert.throws(() => validateBlockGraph(g), (e: unknown) => e instanceof BlockGraphError && e.code === 'COMPILE' && pattern.test(e.message));
}

test('rule 6: validateBlockGraph refuses every unconstrained or doubly constrained value', () => {
  const ok: BlockGraph = { tensors: [t('x', 'input'), t('w', 'weight'), t('h', 'wire'), t('y', 'output')], nodes: [{ block: add(), bind: { a: 'x', b: 'w', c: 'h' } }, { block: add(), bind: { a: 'h', b: 'x', c: 'y' } }] };
  validateBlockGraph(ok);
  // a wire nobody writes (its value would be free)
  refused({ tensors: [t('x', 'input'), t('h', 'wire'), t('y', 'output')], nodes: [{ block: add(), bind: { a: 'x', b: 'h', c: 'y' } }] }, /"h" is never written/);
  // an output nobody writes
  refused({ tensors: [t('x', 'input'), t('y', 'output')], nodes: [{ block: new LinearBlock({ operation: { op: 'scale', factor: 2n }, rows: 1, domain: 4 }), bind: { a: 'y', c: 'x' } }] }, /writes input/);
  refused({ tensors: [t('x', 'input'), t('z', 'wire'), t('y', 'output')], nodes: [{ block: add(), bind: { a: 'x', b: 'x', c: 'z' } }] }, /"y" is not constrained|never written/);
  // written twice (two different values claimed for one wire)
  refused({ ...ok, nodes: [...ok.nodes, { block: add(), bind: { a: 'x', b: 'x', c: 'h' } }] }, /already written/);
  // inputs and weights are never written by a block
  refused({ ...ok, nodes: [ok.nodes[0], { block: add(), bind: { a: 'h', b: 'x', c: 'w' } }, ok.nodes[1]] }, /writes weight/);
  // untouched tensors, unknown and unbound tensors, shape mismatches
  refused({ ...ok, tensors: [...ok.tensors, t('lonely', 'weight')] }, /not constrained/);
  refused({ ...ok, nodes: [{ block: add(), bind: { a: 'x', b: 'w' } }, ok.nodes[1]] }, /not bound/);
  refused({ ...ok, nodes: [{ block: add(), bind: { a: 'x', b: 'nope', c: 'h' } }, ok.nodes[1]] }, /unknown tensor/);
  refused({ ...ok, tensors: [t('x', 'input', 2), ...ok.tensors.slice(1)] }, /expects 1×4/);
  refused({ ...ok, tensors: [...ok.tensors, t('x', 'wire')] }, /duplicate/);
  // a tensor a block declares fixed (bound by the model commitment) must be a weight, not a prover's wire or input
  const matmul = new MatmulBlock({ m: 1, k: 4, n: 1, fixedB: true });
  const weights: BlockGraph = { tensors: [t('x', 'input'), t('w', 'weight'), t('y', 'output', 1, 1)], nodes: [{ block: matmul, bind: { a: 'x', b: 'w', c: 'y' } }] };
  validateBlockGraph(weights);
  refused({ ...weights, tensors: [t('x', 'input'), t('w', 'input'), t('y', 'output', 1, 1)] }, /fixed tensor "b".*input tensor "w"/);
  refused({ tensors: [...weights.tensors, t('h', 'wire')], nodes: [{ block: add(), bind: { a: 'x', b: 'x', c: 'h' } }, { block: matmul, bind: { a: 'x', b: 'h', c: 'y' } }] }, /fixed tensor "b".*wire tensor "h"/);
});

test('rule 6: removing any block that writes a wire of the compiled sample MLP is refused', () => {
  const { graph } = compileSample();
  validateBlockGraph(graph);
  let writers = 0;
  graph.nodes.forEach((node, i) => {
    if (!node.block.tensors.some((s) => s.role === 'output')) return;
    writers++;
    const g = { ...graph, nodes: graph.nodes.filter((_, j) => j !== i) };
    assert.throws(() => validateBlockGraph(g), BlockGraphError, `block ${i} (${node.block.foldKey}) removed`);
  });
  assert.ok(writers > 10);
});

test('rule 6: a graph missing the range checks its rescale needs is refused', () => {
  const rescale = new RescaleBlock({ input: 'x', output: 'y', remainder: 'r', rows: 1, domain: 4, length: 4, shift: 8, outputBits: 8 });
  const g: BlockGraph = { tensors: [t('x', 'input'), t('y', 'output'), t('r', 'wire')], nodes: [{ block: rescale, bind: { x: 'x', y: 'y', r: 'r' } }] };
  assert.throws(() => validateBlockGraph(g), BlockGraphError);
});

test('rule 6: a range proven on some cells of a tensor does not meet an obligation over more of its cells', () => {
  // The rescale needs r ∈ [0, 2^8) and y ∈ [−128, 127] on its 4 real cells. A block that proves r's range on the
  // first 2 cells only (a custom block, say) leaves r free on cells 2 and 3, where a wrong y would verify.
  const rescale = new RescaleBlock({ input: 'x', output: 'y', remainder: 'r', rows: 1, domain: 4, length: 4, shift: 8, outputBits: 8 });
  const lookup = (input: string, lo: bigint, hi: bigint, length: number) => new LookupBlock(rangeTable(lo, hi), [{ input, rows: 1, domain: 4, length }]);
  const graph = (rangeOfR: Block): BlockGraph => ({
    tensors: [t('x', 'input'), t('y', 'output'), t('r', 'wire')],
    nodes: [
      { block: rescale, bind: { x: 'x', y: 'y', r: 'r' } },
      { block: rangeOfR, bind: { r: 'r' } },
      { block: lookup('y', -128n, 128n, 4), bind: { y: 'y' } },
    ],
  });
  const partial = (cells: number): Block => Object.create(lookup('r', 0n, 256n, 4), { provenRanges: { value: () => [{ tensor: 'r', lo: 0n, hi: 255n, cells }] } });
  validateBlockGraph(graph(partial(4)));
  refused(graph(partial(2)), /needs "r" in \[0, 255\] on 4 cells/);
  // A lookup of the first 2 cells pins the other 2 to zero (its padding), which is inside [0, 255]: accepted.
  validateBlockGraph(graph(lookup('r', 0n, 256n, 2)));
  // Facts carry their cells through derivations: a limb split of v proves v's range on the cells its limbs cover.
  const split = new LimbSplitBlock({ rows: 1, domain: 4, length: 3, offset: 1n, limbBits: 4 });
  const facts = (cells: number) => split.provenRanges(new Map([['lo', { tensor: 'lo', lo: 0n, hi: 15n, cells: 4 }], ['hi', { tensor: 'hi', lo: 0n, hi: 15n, cells }]]));
  assert.deepEqual(facts(2), [{ tensor: 'v', lo: -1n, hi: 254n, cells: 2 }]);
  assert.deepEqual(facts(3), [{ tensor: 'v', lo: -1n, hi: 254n, cells: 3 }]);
  assert.deepEqual(facts(4), [{ tensor: 'v', lo: -1n, hi: 255n, cells: 4 }], 'the padding holds lo + 2^b·hi, without the offset');
});

test('rule 6: removing the range lookups of the compiled sample MLP is refused', () => {
  const { graph } = compileSample();
  graph.nodes.forEach((node, i) => {
    if (node.block.kind !== 'lookup' || node.block.tensors.some((s) => s.role === 'output')) return;
    const g = { ...graph, nodes: graph.nodes.filter((_, j) => j !== i) };
    assert.throws(() => validateBlockGraph(g), BlockGraphError, `range lookup ${node.block.foldKey} removed`);
  });
});
