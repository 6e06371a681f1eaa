/**
 * MatmulBlock's several products of one A (`products`, blocks/matmul.ts "Several products of one A"): T flat weight
 * products `C_t = A·B_tᵀ` proven with one P, one weight link and one set of running sums. Conformance (K = N,
 * K < N and K > N, m not a power of two) at the proof size of one product; every cell of every C_t changed; the outputs swapped,
 * duplicated, or computed from each other's weights (cross-wired), and a row of one output moved into another, all
 * rejected; every proof element changed; the codec; bad options; the tensor names (`productTensors`); and the attention model's Q, K, V
 * projections lowered to one block that writes the three tensors the next blocks read in place.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { checkConformance, PermutationBlock, type Tensors } from '../../blocks/index';
import { MatmulBlock, productTensors } from '../../blocks/matmul';
import { BlockfoldError, EncodingError } from '../../src/errors';
import { compile } from '../../src/index';
import { decodeArchitecture, encodeArchitecture } from '../../src/pipeline/architecture';
import { encodeModel, floatRaw, node, valueInfo } from '../onnx/builder';
import { randomFeeds, uniform } from '../model/deep-models';
import { feedsFor, MODELS } from '../../bench/models';
import { cheatingVerdict, context } from '../soundness/helpers';
import { honestProofElementChanges } from '../helpers/tampered-elements';
import { decodeParams, encodeParams } from '../helpers/block-params';

const fused = (m: number, k: number, n: number, products: number) => new MatmulBlock({ m, k, n, fixedB: true, flat: true, products });
const weights = (t: number) => productTensors(t).weights;
const output = (t: number) => productTensors(t).output;

/** A (one row of m·K cells, zero on the padding columns) and T weights B_t (n rows of k), pseudo-random from `seed`. */
function inputsOf(block: MatmulBlock, seed = 1): Tensors {
  const K = block.innerDomain;
  const cells = fc.sample(fc.bigInt({ min: -50n, max: 50n }), { numRuns: block.m * K + block.products * block.n * block.k, seed });
  let next = 0;
  const out: Record<string, bigint[][]> = { a: [Array.from({ length: block.m * K }, (_, x) => (x % K < block.k ? cells[next++] : 0n))] };
  for (let t = 0; t < block.products; t++) out[weights(t)] = Array.from({ length: block.n }, () => Array.from({ length: block.k }, () => cells[next++]));
  return out;
}

function honest(block: MatmulBlock, seed = 1): Tensors {
  const inputs = inputsOf(block, seed);
  return { ...inputs, ...block.witness(inputs) };
}

test('several products of one A pass the conformance harness at the proof size of one product: K = N, K < N, K > N, m not a power of two', async () => {
  const ctx = await context(128);
  for (const [m, k, n, T] of [
    [4, 4, 4, 3],
    [4, 3, 5, 2],
    [2, 5, 3, 2],
    [3, 4, 4, 3],
  ]) {
    const block = fused(m, k, n, T);
    const report = await checkConformance(block, ctx, inputsOf(block), { numRuns: 1 });
    assert.ok(report.witnessTamperings > 0 && report.blindedEvaluations > 0 && report.unblindedRowsRejected, block.foldKey);
    const one = await checkConformance(fused(m, k, n, 1), ctx, inputsOf(fused(m, k, n, 1)), { numRuns: 1 });
    assert.equal(report.proofBytes, one.proofBytes, `${block.foldKey}: one P, one link, one set of sums whatever T`);
  }
});

test('several products: every cell of every output changed is rejected (K = N, K < N, and K > N: the outputs read through their subgroup)', async () => {
  const ctx = await context(64);
  for (const block of [fused(2, 3, 3, 3), fused(2, 3, 5, 2), fused(2, 5, 3, 2)]) {
    const t = honest(block);
    assert.equal((await cheatingVerdict(block, ctx, t)).ok, true, `${block.foldKey}: honest`);
    for (let p = 0; p < block.products; p++) {
      const c = t[output(p)][0];
      const deltas = fc.sample(fc.bigInt({ min: -(1n << 20n), max: 1n << 20n }).filter((d) => d !== 0n), { numRuns: c.length, seed: p });
      for (let x = 0; x < c.length; x++) {
        const bad = c.map((v, i) => (i === x ? v + deltas[x] : v));
        assert.equal((await cheatingVerdict(block, ctx, { ...t, [output(p)]: [bad] })).ok, false, `${block.foldKey}: ${output(p)} cell ${x}`);
      }
    }
  }
});

test('several products: outputs swapped, duplicated, cross-wired to the other weights, or with a row moved between them are rejected', async () => {
  const ctx = await context(64);
  for (const block of [fused(4, 4, 4, 3), fused(4, 3, 5, 3), fused(4, 5, 3, 3)]) {
    const t = honest(block, 7);
    assert.notDeepEqual(t.c, t.c1, 'distinct outputs: a swap changes the statement');
    const N = block.outerDomain;
    // C_0 computed from B_1 and C_1 from B_0: what binding the weights to the wrong outputs would prove.
    const crossed = block.witness({ ...t, b: t.b1, b1: t.b });
    const movedRow = (from: readonly bigint[], to: readonly bigint[]) => to.map((v, x) => (Math.floor(x / N) === 1 ? from[x] : v));
    const cheats: Record<string, Tensors> = {
      'c and c1 swapped': { ...t, c: t.c1, c1: t.c },
      'c, c1, c2 rotated': { ...t, c: t.c1, c1: t.c2, c2: t.c },
      'c1 a copy of c': { ...t, c1: t.c },
      'outputs cross-wired to the weights b1, b': { ...t, c: crossed.c, c1: crossed.c1 },
      'row 1 of c1 and c2 exchanged': { ...t, c1: [movedRow(t.c2[0], t.c1[0])], c2: [movedRow(t.c1[0], t.c2[0])] },
    };
    for (const [what, cheat] of Object.entries(cheats)) assert.equal((await cheatingVerdict(block, ctx, cheat)).ok, false, `${block.foldKey}: ${what}`);
  }
});

test('several products: with every output weighed by the same powers of β, swapped outputs verify; with the block\'s powers they are rejected', async () => {
  const ctx = await context(64);
  const opts = { m: 4, k: 4, n: 4, fixedB: true, flat: true, products: 2 };
  const alike = new (class extends MatmulBlock {
    protected override productColumn(): number {
      return 0;
    }
  })(opts);
  const block = new MatmulBlock(opts);
  const t = honest(block, 7);
  const swapped = { ...t, c: t.c1, c1: t.c };
  assert.equal((await cheatingVerdict(alike, ctx, t)).ok, true, 'honest, weighed alike');
  assert.equal((await cheatingVerdict(alike, ctx, swapped)).ok, true, 'swapped outputs verify when weighed alike');
  assert.equal((await cheatingVerdict(block, ctx, swapped)).ok, false, "and are rejected with the block's powers");
});

test('several products: a value moved from C_1 into the padding columns of C_0 verifies when the columns are packed by n, and is rejected with the padded stride N', async () => {
  const ctx = await context(64);
  const opts = { m: 2, k: 3, n: 5, fixedB: true, flat: true, products: 2 };
  const packed = new (class extends MatmulBlock {
    protected override productColumn(t: number): number {
      return t * this.n;
    }
  })(opts);
  const block = new MatmulBlock(opts);
  const t = honest(block, 7);
  const [n, N] = [block.n, block.outerDomain];
  // Column 0 of C_1 moved to column n of C_0 (a padding column): weighed alike when C_1's columns start at n.
  const bled = { ...t, c: [t.c[0].map((v, x) => (x % N === n ? t.c1[0][x - n] : v))], c1: [t.c1[0].map((v, x) => (x % N === 0 ? 0n : v))] };
  assert.notDeepEqual(bled.c1, t.c1, 'C_1 changed');
  assert.equal((await cheatingVerdict(packed, ctx, t)).ok, true, 'honest, packed by n');
  assert.equal((await cheatingVerdict(packed, ctx, bled)).ok, true, 'the bleed verifies when packed by n');
  assert.equal((await cheatingVerdict(block, ctx, bled)).ok, false, "and is rejected with the block's stride N");
});

test('several products: every element of the proof changed is rejected (K = N, K < N, K > N)', async () => {
  const ctx = await context(64);
  for (const block of [fused(2, 3, 3, 3), fused(2, 3, 5, 2), fused(2, 5, 3, 2)]) {
    const { verified, accepted } = await honestProofElementChanges(block, ctx, honest(block));
    assert.equal(verified, true);
    assert.deepEqual(accepted, [], `${block.foldKey}: changed elements accepted`);
  }
});

test('several products: the codec writes T after the domains (one product keeps its bytes), bounds T by the largest domain (not T·N: three products of two rows); bad options are refused', () => {
  const encode = encodeParams;
  const decode = (bytes: number[], limits = { rows: 16, domain: 256 }) => decodeParams<MatmulBlock>('matmul', bytes, limits);
  const three = fused(4, 3, 5, 3);
  assert.deepEqual(encode(three), [0, 4, 3, 5, 4, 4, 8, 3]);
  assert.deepEqual(encode(fused(4, 3, 5, 1)), [0, 4, 3, 5, 1, 4, 8]);
  const back = decode(encode(three));
  assert.deepEqual([back.foldKey, back.products, back.fixedB, back.flat], [three.foldKey, 3, true, true]);
  assert.equal(three.foldKey, 'matmul/m4/k3/n5/K4/N8/fixed/flat/x3');
  // Q, K, V of two tokens: T·N = 12 columns, more than the graph's largest domain of 8; its key must read back.
  const twoTokens = fused(2, 4, 4, 3);
  assert.equal(decode(encode(twoTokens), { rows: 4, domain: 8 }).foldKey, twoTokens.foldKey);
  assert.throws(() => decode([0, 4, 3, 5, 4, 4, 8, 33], { rows: 16, domain: 32 }), (e: unknown) => e instanceof EncodingError && /products T = 33 exceeds the limit 32/.test(e.message));
  assert.throws(() => decode([0, 4, 3, 5, 4, 4, 8, 1]), (e: unknown) => e instanceof EncodingError && /products T = 1 is below 2/.test(e.message));
  const typed = (fn: () => unknown, pattern: RegExp) => assert.throws(fn, (e: unknown) => e instanceof BlockfoldError && pattern.test(e.message), pattern.source);
  typed(() => new MatmulBlock({ m: 4, k: 4, n: 4, fixedB: true, products: 2 }), /need the flat layout and fixed weights/);
  typed(() => new MatmulBlock({ m: 4, k: 4, n: 4, flat: true, products: 2 }), /need the flat layout and fixed weights/);
  typed(() => fused(4, 4, 4, 0), /products must be a positive integer/);
  assert.deepEqual(fused(2, 2, 2, 3).tensors.map((t) => t.name), ['a', 'b', 'b1', 'b2', 'c', 'c1', 'c2']);
  assert.deepEqual([0, 1, 2].map(productTensors), [{ weights: 'b', output: 'c' }, { weights: 'b1', output: 'c1' }, { weights: 'b2', output: 'c2' }]);
  typed(() => fused(2, 2, 2, 2).witness({ a: [[1n, 2n, 3n, 4n]], b: [[1n, 2n], [3n, 4n]] }), /expected a \(1 rows\) and b1 \(2 rows\)/);
});

test("the attention model's Q, K, V projections are one block of three products writing the tensors the next blocks read, with no copy", () => {
  const compiled = compile(readFileSync(new URL('fashion-attn.onnx', MODELS)), feedsFor('fashion-attn').slice(0, 2));
  const nodes = compiled.graph.nodes.filter((node) => node.block instanceof MatmulBlock && node.block.products > 1);
  assert.equal(nodes.length, 1);
  const { block, bind } = nodes[0];
  assert.equal(block.foldKey, 'matmul/m16/k16/n16/K16/N16/fixed/flat/x3');
  const outputs = [bind.c, bind.c1, bind.c2];
  assert.equal(new Set(outputs).size, 3);
  const readers = compiled.graph.nodes.filter((node) => node !== nodes[0] && Object.values(node.bind).some((t) => outputs.includes(t)));
  assert.ok(readers.length >= 3, 'the three outputs are read by later blocks');
  assert.deepEqual(readers.filter((node) => node.block instanceof PermutationBlock).map((node) => node.block.foldKey), [], 'no copy reads a projection');
  assert.equal(compiled.graph.nodes.filter((node) => node.block instanceof MatmulBlock && node.block.fixedB && node.bind.a === bind.a).length, 1, 'no other product reads A');
});

test('three projections of two tokens compile to one block of three products whose key reads back (T·N beyond every domain)', () => {
  const w = 8;
  const rand = uniform(5);
  const weights = [0, 1, 2].map((i) => floatRaw(`W${i}`, [w, w], Array.from({ length: w * w }, () => rand() / 3)));
  const nodes = [0, 1, 2].map((i) => node('MatMul', ['x', `W${i}`], [`y${i}`], [], `mm${i}`));
  const onnx = encodeModel({ inputs: [valueInfo('x', [2, w])], outputs: [0, 1, 2].map((i) => valueInfo(`y${i}`, [2, w])), nodes, initializers: weights });
  const compiled = compile(onnx, randomFeeds('x', [2, w], 4, 9));
  const fusedBlocks = compiled.graph.nodes.filter((n) => n.block instanceof MatmulBlock);
  assert.deepEqual(fusedBlocks.map((n) => (n.block as MatmulBlock).products), [3]);
  assert.ok(3 * (fusedBlocks[0].block as MatmulBlock).outerDomain > Math.max(...compiled.graph.tensors.map((t) => t.domain)), 'T·N exceeds every domain');
  const back = decodeArchitecture(encodeArchitecture(compiled));
  assert.deepEqual(back.graph.nodes.map((n) => n.block.foldKey), compiled.graph.nodes.map((n) => n.block.foldKey));
});
