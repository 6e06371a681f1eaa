import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getDefaultEngine } from '../../src/index';
import { checkConformance, type BlockContext, type Tensors } from '../../blocks/index';
import { PermutationBlock, type IndexMap, concatMap, gatherMap, im2colMap, padMap, reshapeMap, sliceMap, transposeMap } from '../../blocks/permutation';
import { BASE_OPENING_POINTS, blindingCoefficients, hidingSrsSlack } from '../../blocks/hiding';
import { testKzgKey } from '../helpers/kzg';

async function context(size: number): Promise<BlockContext> {
  const engine = getDefaultEngine();
  return { engine, kzg: await testKzgKey(size, engine) };
}

const x = { name: 'x', rows: 2, length: 3 };
const X = [[1n, 2n, 3n], [4n, 5n, 6n]];

test('index map constructors compute the expected copies', () => {
  const w = (m: IndexMap, inputs: Tensors = { x: X }) => new PermutationBlock(m).witness(inputs);
  assert.deepEqual(w(transposeMap(x, 'y')).y, [[1n, 4n], [2n, 5n], [3n, 6n]]);
  assert.deepEqual(w(reshapeMap(x, { name: 'y', rows: 3, length: 2 })).y, [[1n, 2n], [3n, 4n], [5n, 6n]]);
  assert.deepEqual(w(gatherMap(x, 'y', [2, 0, 2])).y, [[3n, 1n, 3n], [6n, 4n, 6n]]);
  assert.deepEqual(w(sliceMap(x, 'y', 1, 3)).y, [[2n, 3n], [5n, 6n]]);
  assert.deepEqual(w(padMap(x, 'y', 1, 2, -7n)).y, [[-7n, 1n, 2n, 3n, -7n, -7n], [-7n, 4n, 5n, 6n, -7n, -7n]]);
  assert.deepEqual(w(concatMap([x, { name: 'z', rows: 2, length: 1 }], 'y'), { x: X, z: [[9n], [8n]] }).y, [[1n, 2n, 3n, 9n], [4n, 5n, 6n, 8n]]);
  const img = { name: 'img', rows: 1, length: 9 };
  const cols = new PermutationBlock(im2colMap(img, 'y', { channels: 1, height: 3, width: 3, kernel: 2, stride: 1, padding: 0 })).witness({ img: [[1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n]] });
  assert.deepEqual(cols.y, [[1n, 2n, 4n, 5n], [2n, 3n, 5n, 6n], [4n, 5n, 7n, 8n], [5n, 6n, 8n, 9n]]);
});

test('transpose passes the conformance harness', async () => {
  const ctx = await context(16);
  const report = await checkConformance(new PermutationBlock(transposeMap(x, 'y')), ctx, { x: X }, { numRuns: 2 });
  assert.ok(report.witnessTamperings > 0);
  assert.ok(report.blindedEvaluations > 0, 'blinded rows: revealed evaluations checked');
  assert.ok(report.unblindedRowsRejected, 'blinded rows: a prover opening the unblinded rows is rejected');
});

test('padding with constants, fan-out and two inputs on different domains pass the conformance harness', async () => {
  // The output rows' domain is 16: blinded rows need the compiler's 2n + 7 powers.
  const ctx = await context(2 * 16 + hidingSrsSlack(blindingCoefficients(BASE_OPENING_POINTS)));
  const z = { name: 'z', rows: 2, length: 5 };
  const m = concatMap([x, z], 'y');
  const fanOut = { ...m, cells: m.cells.map((row) => [...row.slice(0, 7), row[0], { constant: 0n }, { constant: 5n }]), output: { ...m.output, length: 10 } };
  const report = await checkConformance(new PermutationBlock(fanOut), ctx, { x: X, z: [[7n, 8n, 9n, 10n, 11n], [0n, -1n, -2n, -3n, -4n]] }, { numRuns: 2 });
  assert.ok(report.witnessTamperings > 0);
  assert.ok(report.blindedEvaluations > 0, 'blinded rows: revealed evaluations checked');
  assert.ok(report.unblindedRowsRejected, 'blinded rows: a prover opening the unblinded rows is rejected');
});

test('a padding identity pins each output row holding a constant or padding cell, and no row of copies only (it could not fail there)', async () => {
  const ctx = await context(16);
  const pads = (map: IndexMap) => new PermutationBlock(map).iopSpec(ctx).identities.filter((i) => i.name.startsWith('logup-pad/')).map((i) => i.name);
  // 2×3 → 3×2: rows of 2 cells on H_2, every cell a copy.
  assert.deepEqual(pads(transposeMap(x, 'y')), []);
  // 3×2 → 2×3: rows of 3 cells on H_4, one padding cell each.
  assert.deepEqual(pads(transposeMap({ name: 'x', rows: 3, length: 2 }, 'y')), ['logup-pad/y[0]', 'logup-pad/y[1]']);
  // A constant inside a full row.
  const m = transposeMap(x, 'y');
  const constant = { ...m, cells: m.cells.map((row, r) => (r === 0 ? [row[0], { constant: 7n }] : row)) };
  assert.deepEqual(pads(constant), ['logup-pad/y[0]']);
});
