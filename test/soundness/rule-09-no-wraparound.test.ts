/**
 * docs/soundness.md rule 9: integers never wrap. Every intermediate is bounded far below r/2 at compile time, and range
 * checks are exact in the field.
 *
 * - The quantizer's bound check refuses an interval beyond 2^maxBoundBits (default 2^200), naming the tensor.
 * - A limb-split range check (`v + c = lo + 2^b·hi`, lo and hi looked up in range tables) rejects values at or above
 *   2^bits, values ≥ r/2 and negative values, although the linear limb split alone accepts each of them with
 *   field-element limbs (control): the exactness comes from the lookups on both limbs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Fr, R } from '../../src/index';
import { LimbSplitBlock, LookupBlock, rangeTable } from '../../blocks/index';
import { checkBound } from '../../src/model/quant/bounds';
import { QuantizationError } from '../../src/model/errors';
import { parseOnnx } from '../../src/onnx/index';
import { buildGraph } from '../../src/model/build';
import { calibrate } from '../../src/model/quant/calibrate';
import { quantize } from '../../src/model/quant/quantize';
import { tensor } from '../../src/model/tensor';
import { encodeModel, floatData, node, valueInfo } from '../onnx/builder';
import { blockVerdict, context } from './helpers';

function matmulGraph() {
  const bytes = encodeModel({
    inputs: [valueInfo('x', [1, 64])],
    outputs: [valueInfo('y', [1, 64])],
    initializers: [floatData('w', [64, 64], new Array(64 * 64).fill(0.9))],
    nodes: [node('MatMul', ['x', 'w'], ['y'], [], 'mm')],
  });
  const graph = buildGraph(parseOnnx(bytes));
  const cal = calibrate(graph, [{ x: tensor([1, 64], Array.from({ length: 64 }, (_, i) => Math.sin(i))) }]);
  return { graph, cal };
}

test('rule 9: the bound check refuses anything beyond 2^maxBoundBits (default 200), naming the tensor', () => {
  const limit = 1n << 200n;
  checkBound('ok', { lo: -limit, hi: limit }, 200);
  assert.throws(() => checkBound('big', { lo: 0n, hi: limit + 1n }, 200), (e: unknown) => e instanceof QuantizationError && /big/.test(e.message) && /2\^200/.test(e.message));
  assert.throws(() => checkBound('neg', { lo: -limit - 1n, hi: 0n }, 200), QuantizationError);
  const { graph, cal } = matmulGraph();
  assert.throws(() => quantize(graph, cal, { maxBoundBits: 20 }), QuantizationError);
  assert.ok(quantize(graph, cal).maxBoundBits <= 200);
});

test('rule 9: a maxBoundBits option that lets values reach r/2 is refused', () => {
  const { graph, cal } = matmulGraph();
  assert.throws(() => quantize(graph, cal, { maxBoundBits: 260 }), QuantizationError);
});

/** Limbs of a field element v with `lo + 256·hi ≡ v`: lo its low byte as an integer when v < r/2, hi the field quotient. */
function limbs(v: bigint): { lo: bigint; hi: bigint } {
  const f = Fr.create(v);
  const lo = f % 256n;
  return { lo, hi: Fr.mul(Fr.sub(f, lo), Fr.inv(256n)) };
}

test('rule 9: limb-split range checks are exact: ≥ 2^16, ≥ r/2 and negative values fail the limb lookups', async () => {
  const ctx = await context(256, true);
  const [rows, domain, length] = [1, 4, 4];
  const split = new LimbSplitBlock({ rows, domain, length, offset: 0n, limbBits: 8 });
  const byteTable = rangeTable(0n, 256n);
  const honest = [0n, 255n, 256n, 65535n];
  for (const v of [[...honest], [1n << 16n, 1n, 2n, 3n], [(R + 1n) / 2n, 1n, 2n, 3n], [R - 1n, 1n, 2n, 3n], [-1n, 1n, 2n, 3n]]) {
    const ls = v.map(limbs);
    const lo = [ls.map((l) => l.lo)];
    const hi = [ls.map((l) => l.hi)];
    // The linear split holds in the field for any v (control: the split alone is not a range check).
    assert.deepEqual(await blockVerdict(split, ctx, { v: [v], lo, hi }), { ok: true }, `split of ${v[0]}`);
    const verdict = await blockVerdict(new LookupBlock(byteTable, [{ input: 'lo', rows, domain, length }, { input: 'hi', rows, domain, length }]), ctx, { lo, hi });
    const inRange = v.every((x) => x >= 0n && x < 1n << 16n);
    assert.equal(verdict.ok, inRange, `range check of ${v[0]}: ${inRange ? 'accepted' : 'rejected'}`);
  }
});
