/**
 * docs/soundness.md rule 6, the range facts blocks derive (`Block.provenRanges`) and the graph check that meets
 * obligations with them (`validateBlockGraph`): a fact that says more than the proof binds lets a graph through whose
 * obligation is not proven, and the block that needs it then accepts a false witness (a rescale's remainder outside
 * `[0, 2^shift)` proves a wrong quotient). Each test builds a graph whose obligation only an overclaimed fact would
 * meet, asserts that it is refused, and validates a control graph that differs in that one fact, so the test fails
 * if the fact or the check is weakened (each was found by removing it and seeing no test fail).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BlockGraphError, validateBlockGraph, type BlockGraph, type GraphTensor } from '../../src/pipeline/block-graph';
import { LinearBlock, LookupBlock, PermutationBlock, RangeBlock, RescaleBlock, padMap, rangeTable, sliceMap, type Block, type TensorRange } from '../../blocks/index';

const t = (id: string, kind: GraphTensor['kind'], rows = 1, domain = 4): GraphTensor => ({ id, kind, rows, domain });

function refused(g: BlockGraph, pattern: RegExp): void {
  assert.throws(() => validateBlockGraph(g), (e: unknown) => e instanceof BlockGraphError && pattern.test(e.message), pattern.source);
}

/** A range lookup of `input`'s first `length` cells: `[lo, hi)` there (its padding is zero). */
const lookup = (input: string, lo: bigint, hi: bigint, length = 4, domain = 4) => new LookupBlock(rangeTable(lo, hi), [{ input, rows: 1, domain, length }]);

/** `block` with its range facts replaced by `facts` (a custom block's declaration, say). */
const withFacts = (block: Block, facts: TensorRange[]): Block => Object.create(block, { provenRanges: { value: () => facts } });

/** `block` with its range obligations replaced by `obligations` (a custom block that needs them). */
const withObligations = (block: Block, obligations: TensorRange[]): Block => Object.create(block, { rangeObligations: { value: () => obligations } });

/** A rescale of x into y with remainder r: it needs r ∈ [0, 255] and y ∈ [−128, 127] on its 4 cells. */
const rescale = () => new RescaleBlock({ input: 'x', output: 'y', remainder: 'r', rows: 1, domain: 4, length: 4, shift: 8, outputBits: 8 });

test('rule 6: a range whose low end lies below an obligation does not meet it', () => {
  const graph = (rangeOfR: Block): BlockGraph => ({
    tensors: [t('x', 'input'), t('y', 'output'), t('r', 'wire')],
    nodes: [
      { block: rescale(), bind: { x: 'x', y: 'y', r: 'r' } },
      { block: rangeOfR, bind: { r: 'r' } },
      { block: lookup('y', -128n, 128n), bind: { y: 'y' } },
    ],
  });
  validateBlockGraph(graph(lookup('r', 0n, 256n)));
  // r ∈ [−1, 254]: every cell below 2^8, but a remainder of −1 proves y one too large.
  refused(graph(lookup('r', -1n, 255n)), /needs "r" in \[0, 255\] on 4 cells of each row; the graph proves \[-1, 254\]/);
});

test("rule 6: a permutation proves its input's range from its output only when it copies every real cell of the input", () => {
  // r → p copies r's first k cells; p is range-checked. The rescale's r is in range only where it is copied.
  const graph = (copied: number): BlockGraph => {
    const copy = new PermutationBlock(sliceMap({ name: 'r', rows: 1, length: 4, domain: 4 }, 'p', 0, copied));
    return {
      tensors: [t('x', 'input'), t('y', 'output'), t('r', 'wire'), t('p', 'output', 1, copied)],
      nodes: [
        { block: rescale(), bind: { x: 'x', y: 'y', r: 'r' } },
        { block: copy, bind: { r: 'r', p: 'p' } },
        { block: lookup('p', 0n, 256n, copied, copied), bind: { p: 'p' } },
        { block: lookup('y', -128n, 128n), bind: { y: 'y' } },
      ],
    };
  };
  validateBlockGraph(graph(4));
  refused(graph(2), /needs "r" in \[0, 255\] on 4 cells of each row; the graph proves no range/);
});

test("rule 6: a permutation's output range holds the constants it writes, not only its sources' range", () => {
  // o = x padded with one cell of `value` on each side; x ∈ [0, 255]; a block reading o needs o ∈ [0, 255].
  const graph = (value: bigint): BlockGraph => {
    const pad = new PermutationBlock(padMap({ name: 'x', rows: 1, length: 4, domain: 4 }, 'o', 1, 1, value));
    const reader = withObligations(new LinearBlock({ operation: { op: 'scale', factor: 2n }, rows: 1, domain: 8 }), [{ tensor: 'a', lo: 0n, hi: 255n, cells: 6 }]);
    return {
      tensors: [t('x', 'input'), t('o', 'wire', 1, 8), t('z', 'output', 1, 8)],
      nodes: [
        { block: lookup('x', 0n, 256n), bind: { x: 'x' } },
        { block: pad, bind: { x: 'x', o: 'o' } },
        { block: reader, bind: { a: 'o', c: 'z' } },
      ],
    };
  };
  validateBlockGraph(graph(7n));
  refused(graph(300n), /needs "o" in \[0, 255\] on 6 cells of each row; the graph proves \[0, 300\]/);
});

test('rule 6: c = k·a narrows a from c only while k·a cannot wrap modulo r', () => {
  // a has a (custom) fact [0, 2^hiBits]; c = 1024·a is range-checked to [0, 255]. With 2^hiBits·1024 beyond the
  // window a field element a far from [0, 255] has 1024·a mod r in [0, 255]: c says nothing of a.
  const graph = (hiBits: bigint): BlockGraph => {
    const scale = new LinearBlock({ operation: { op: 'scale', factor: 1024n }, rows: 1, domain: 4 });
    return {
      tensors: [t('x', 'input'), t('y', 'output'), t('r', 'wire'), t('c', 'output')],
      nodes: [
        { block: rescale(), bind: { x: 'x', y: 'y', r: 'r' } },
        { block: withFacts(lookup('r', 0n, 2n), [{ tensor: 'r', lo: 0n, hi: 1n << hiBits, cells: 4 }]), bind: { r: 'r' } },
        { block: scale, bind: { a: 'r', c: 'c' } },
        { block: lookup('c', 0n, 256n), bind: { c: 'c' } },
        { block: lookup('y', -128n, 128n), bind: { y: 'y' } },
      ],
    };
  };
  validateBlockGraph(graph(200n));
  refused(graph(249n), /needs "r" in \[0, 255\] on 4 cells of each row; the graph proves \[0, \d+\]/);
});

test("rule 6: the range block's fact on a whole row holds the zero padding, not only the range of the real cells", () => {
  // v − 5 ∈ [0, 16) on 3 real cells of 4; the padding cell is pinned to 0, outside [5, 20].
  const range = new RangeBlock(16, [{ input: 'v', rows: 1, domain: 4, length: 3, lo: 5n }]);
  const graph = (cells: number): BlockGraph => ({
    tensors: [t('v', 'input'), t('z', 'output')],
    nodes: [
      { block: range, bind: { v: 'v' } },
      { block: withObligations(new LinearBlock({ operation: { op: 'scale', factor: 2n }, rows: 1, domain: 4 }), [{ tensor: 'a', lo: 5n, hi: 20n, cells }]), bind: { a: 'v', c: 'z' } },
    ],
  });
  validateBlockGraph(graph(3));
  refused(graph(4), /needs "v" in \[5, 20\] on 4 cells of each row; the graph proves \[0, 20\]/);
});
