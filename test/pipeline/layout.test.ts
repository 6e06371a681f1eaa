/**
 * Row layouts (`src/pipeline/layout.ts`): storageIndex and tensorIndex are inverse on every cell of flat, padded,
 * window-ordered and 2-D grid layouts (gridOrder: image rows at a power-of-two row stride, positions up to the stride),
 * every other storage cell is padding, and the names tell the placements apart.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BlockGraphError } from '../../src/pipeline/block-graph';
import { gridOrder, inOrder, layoutName, rowDomain, sameLayout, segmentsOf, storageIndex, tensorCells, tensorIndex, type Layout } from '../../src/pipeline/layout';

/** Asserts that storageIndex and tensorIndex are inverse on the tensor's cells and that every other storage cell is padding. */
function assertBijective(l: Layout): void {
  const storage = l.rows * l.length;
  const held = new Map<number, number>();
  for (let f = 0; f < tensorCells(l); f++) {
    const s = storageIndex(l, f);
    assert.ok(s >= 0 && s < storage, `cell ${f} stored at ${s} inside ${storage}`);
    assert.ok(!held.has(s), `two cells stored at ${s}`);
    held.set(s, f);
    assert.equal(tensorIndex(l, s), f, `tensorIndex(storageIndex(${f}))`);
  }
  for (let s = 0; s < storage; s++) if (!held.has(s)) assert.equal(tensorIndex(l, s), undefined, `storage cell ${s} is padding`);
}

test('rowDomain: the power of two ≥ the length, at least 2', () => {
  assert.deepEqual([1, 2, 3, 784, 1024, 1025].map(rowDomain), [2, 2, 4, 1024, 1024, 2048]);
});

test('storageIndex and tensorIndex: a flat layout is the identity, a padded stride leaves each segment tail and whole segments as padding', () => {
  const flat: Layout = { rows: 2, length: 8 };
  assertBijective(flat);
  assert.equal(tensorCells(flat), 16);
  const padded: Layout = { rows: 1, length: 64, padded: { cells: 12, stride: 16 } };
  assertBijective(padded);
  assert.deepEqual([segmentsOf(padded), tensorCells(padded), storageIndex(padded, 13), tensorIndex(padded, 12), tensorIndex(padded, 17)], [4, 48, 17, undefined, 13]);
  const fewer: Layout = { rows: 2, length: 32, padded: { cells: 12, stride: 16, segments: 3 } };
  assertBijective(fewer);
  assert.deepEqual([segmentsOf(fewer), tensorCells(fewer), tensorIndex(fewer, 48)], [3, 36, undefined]);
});

test('gridOrder: image rows at a row stride, every position below the segment stride, the rest padding', () => {
  const order = gridOrder(3, 5, 8, 32);
  assert.deepEqual(order.position, [0, 1, 2, 3, 4, 8, 9, 10, 11, 12, 16, 17, 18, 19, 20]);
  assert.equal(order.cellAt.length, 32);
  assert.deepEqual(order.cellAt.slice(0, 10), [0, 1, 2, 3, 4, -1, -1, -1, 5, 6]);
  // Three channels of 28×28 at row stride 32 in segments of 1024 (the Fashion CNN's first convolution reads one).
  const image = inOrder({ rows: 1, length: 4 * 1024, padded: { cells: 784, stride: 1024, segments: 3 } }, gridOrder(28, 28, 32, 1024));
  assertBijective(image);
  assert.equal(storageIndex(image, 784 + 28 + 1), 1024 + 32 + 1, 'channel 1, row 1, column 1');
  assert.equal(tensorIndex(image, 28), undefined, 'column 28 of row 0 is padding');
  assert.equal(tensorIndex(image, 28 * 32), undefined, 'row 28 is padding');
  assert.throws(() => gridOrder(3, 9, 8, 32), BlockGraphError, 'a row wider than the row stride');
  assert.throws(() => gridOrder(5, 5, 8, 32), BlockGraphError, 'rows past the segment stride');
});

test('layoutName, sameLayout, inOrder: the name tells strides, segment counts and placements apart', () => {
  const base: Layout = { rows: 1, length: 4096, padded: { cells: 784, stride: 1024 } };
  const grid = inOrder(base, gridOrder(28, 28, 32, 1024));
  assert.equal(layoutName(base), '1x4096/784in1024');
  assert.equal(layoutName(grid), '1x4096/784in1024@grid28x28s32');
  assert.equal(layoutName({ ...base, padded: { ...base.padded!, segments: 3 } }), '1x4096/784in1024x3');
  assert.ok(!sameLayout(base, grid));
  assert.ok(sameLayout(grid, inOrder(base, gridOrder(28, 28, 32, 1024))));
  assert.ok(!sameLayout(grid, inOrder(base, gridOrder(28, 28, 29, 1024))), 'another row stride is another placement');
  assert.equal(inOrder({ rows: 1, length: 16 }, gridOrder(2, 2, 4, 16)).padded, undefined, 'no padded stride: no order');
});
