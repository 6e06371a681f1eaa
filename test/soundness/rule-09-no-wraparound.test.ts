/**
 * docs/soundness.md rule 9: integers never wrap. Every intermediate is bounded far below r/2 at compile time, and range
 * checks are exact in the field.
 *
 * - The quantizer's bound check refuses an interval beyond 2^maxBoundBits (default 2^200), naming the tensor.
 * - A limb-split range check (`v + c = lo + 2^b·hi`, lo and hi looked up in range tables) rejects values at or above
 *   2^bits, values ≥ r/2 and negative values, although the linear limb split alone accepts each of them with
 *   field-element limbs (control): the exactness comes from the lookups on both limbs. So does the split as the
 *   lowering makes it for a value wider than the range block's table: a full-width low limb and a narrower top limb,
 *   both sources of the range block (`blocks/range.ts`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Fr, R } from '../../src/index';
import { LimbSplitBlock, LookupBlock, RangeBlock, rangeTable } from '../../blocks/index';
import { checkBound } from '../../src/model/quant/bounds';
import { QuantizationError } from '../../src/model/errors';
import { parseOnnx } from '../../src/onnx/index';
import { buildGraph } from '../../src/model/build';
import { calibrate } from '../../src/model/quant/calibrate';
import { quantize } from '../../src/model/quant/quantize';
import { tensor } from '../../src/model/tensor';
import { encodeModel, floatData, node, valueInfo } from '../onnx/builder';
import { blockVerdict, context, RANGE_TABLE_SIZE } from './helpers';

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

/** Limbs of a field element v with `lo + base·hi ≡ v`: lo its low digit as an integer when v < r/2, hi the field quotient. */
function limbs(v: bigint, base = 256n): { lo: bigint; hi: bigint } {
  const f = Fr.create(v);
  const lo = f % base;
  return { lo, hi: Fr.mul(Fr.sub(f, lo), Fr.inv(base)) };
}

test('rule 9: limb-split range checks are exact: ≥ 2^16, ≥ r/2 and negative values fail the limb lookups', async () => {
  const ctx = await context(256, true);
  const [rows, domain, length] = [1, 4, 4];
  const split = new LimbSplitBlock({ rows, domain, length, offset: 0n, limbBits: 8 });
  const byteTable = rangeTable(0n, 256n);
  const honest = [0n, 255n, 256n, 65535n];
  for (const v of [[...honest], [1n << 16n, 1n, 2n, 3n], [(R + 1n) / 2n, 1n, 2n, 3n], [R - 1n, 1n, 2n, 3n], [-1n, 1n, 2n, 3n]]) {
    const ls = v.map((x) => limbs(x));
    const lo = [ls.map((l) => l.lo)];
    const hi = [ls.map((l) => l.hi)];
    // The linear split holds in the field for any v (control: the split alone is not a range check).
    assert.deepEqual(await blockVerdict(split, ctx, { v: [v], lo, hi }), { ok: true }, `split of ${v[0]}`);
    const verdict = await blockVerdict(new LookupBlock(byteTable, [{ input: 'lo', rows, domain, length }, { input: 'hi', rows, domain, length }]), ctx, { lo, hi });
    const inRange = v.every((x) => x >= 0n && x < 1n << 16n);
    assert.equal(verdict.ok, inRange, `range check of ${v[0]}: ${inRange ? 'accepted' : 'rejected'}`);
  }
});

test('rule 9: a value wider than the range table, split as lowered (a full-width low limb, a narrower top limb), is exact through the range block', async () => {
  const ctx = await context(256, true);
  const [rows, domain, length] = [1, 4, 4];
  // Six bits through the table of 2^4 entries: v = lo + 16·hi, lo of 4 bits, hi of 2 (looked up as hi and 4·hi).
  const split = new LimbSplitBlock({ rows, domain, length, offset: 0n, limbBits: 4 });
  const range = new RangeBlock(RANGE_TABLE_SIZE, [
    { input: 'lo', rows, domain, length },
    { input: 'hi', rows, domain, length, bits: 2 },
  ]);
  // 64 has hi = 4, in the table but not in two bits; 256 has hi = 16, outside the table.
  for (const v of [[0n, 15n, 16n, 63n], [64n, 1n, 2n, 3n], [1n << 8n, 1n, 2n, 3n], [(R + 1n) / 2n, 1n, 2n, 3n], [R - 1n, 1n, 2n, 3n], [-1n, 1n, 2n, 3n]]) {
    const ls = v.map((x) => limbs(x, 16n));
    const lo = [ls.map((l) => l.lo)];
    const hi = [ls.map((l) => l.hi)];
    assert.deepEqual(await blockVerdict(split, ctx, { v: [v], lo, hi }), { ok: true }, `split of ${v[0]}`);
    const inRange = v.every((x) => x >= 0n && x < 64n);
    assert.equal((await blockVerdict(range, ctx, { lo, hi })).ok, inRange, `range check of ${v[0]}: ${inRange ? 'accepted' : 'rejected'}`);
  }
});
