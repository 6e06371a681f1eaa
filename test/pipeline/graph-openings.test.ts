/**
 * `graphOpenings`, the one count of where a graph's rows are opened (the key's SRS sizing and the prover's row
 * blinding both read it): the union of the rotations of every block reading a row's tensor, joined over the rows a
 * linear relation ties (`b_y = c·b_x`: y opened at z reveals a value of x's blinding there too).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Block, OpeningRotations } from '../../blocks/block';
import { graphBlindingCoefficients, graphOpenings, keyG1Powers, type BlockGraph } from '../../src/pipeline/block-graph';
import { graphRelations } from '../../src/pipeline/row-relations';
import { hidingSrsSlack } from '../../blocks/hiding';

const N = 8;
/** A block reading its one tensor `t` (2 rows) at `rotations`. */
const reader = (rotations: number[], ownPoints = 1): Block =>
  ({ foldKey: 'reader', tensors: [{ name: 't', rows: 2, domain: N, role: 'input' }], openingRotations: (): OpeningRotations => ({ rows: { t: rotations }, ownPoints }) }) as unknown as Block;
/** A block checking `[a_0]₁ − 3·[b_0]₁ = 0` (rows of two tensors tied, as a scaling's relation ties them). */
const scaling = { foldKey: 'scale', tensors: [{ name: 'a', rows: 2, domain: N, role: 'input' }, { name: 'b', rows: 2, domain: N, role: 'output' }], linearRelations: () => [{ terms: [{ tensor: 'a', row: 0, coeff: 1n }, { tensor: 'b', row: 0, coeff: -3n }] }] } as unknown as Block;
const graph = (nodes: { block: Block; bind: Record<string, string> }[]): BlockGraph =>
  ({ tensors: ['x', 'y', 'z'].map((id) => ({ id, kind: 'wire', rows: 2, domain: N })), nodes }) as unknown as BlockGraph;
const declared = (g: BlockGraph) => (i: number) => g.nodes[i].block.openingRotations?.();

test('graphOpenings: a row read at {2, 5} and a row tied to it read at {3} are both opened at {2, 3, 5}; untied rows keep their own; the own polynomials\' largest count', () => {
  const g = graph([
    { block: reader([2, 5], 2), bind: { t: 'x' } },
    { block: reader([3]), bind: { t: 'y' } },
    { block: reader([1], 3), bind: { t: 'z' } },
    { block: scaling, bind: { a: 'x', b: 'y' } },
  ]);
  const { rows, ownPoints } = graphOpenings(g.nodes, declared(g), graphRelations(g));
  assert.deepEqual(Object.fromEntries(rows), { 'x/0': [2, 3, 5], 'y/0': [2, 3, 5], 'x/1': [2, 5], 'y/1': [3], 'z/0': [1], 'z/1': [1] });
  assert.equal(ownPoints, 3);
  const apart = graphOpenings(g.nodes, declared(g), []);
  assert.deepEqual(apart.rows.get('x/0'), [2, 5], 'without the relation x/0 keeps its own');
  assert.deepEqual(apart.rows.get('y/0'), [3]);
});

test('graphOpenings: a row read at ζ only but tied to a rotated one shares its points; a block declaring nothing adds none', () => {
  const g = graph([
    { block: reader([4]), bind: { t: 'x' } },
    { block: { foldKey: 'silent', tensors: [{ name: 't', rows: 2, domain: N, role: 'input' }] } as unknown as Block, bind: { t: 'z' } },
    { block: scaling, bind: { a: 'x', b: 'y' } },
  ]);
  const { rows, ownPoints } = graphOpenings(g.nodes, declared(g), graphRelations(g));
  assert.deepEqual(rows.get('y/0'), [4]);
  assert.equal(rows.get('y/1'), undefined, 'y/1 is tied to nothing rotated');
  assert.equal(rows.get('z/0'), undefined);
  assert.equal(ownPoints, 1);
});

test('graphBlindingCoefficients: rows tied by a relation size the key for the union of their points (4 points, 5 coefficients), not the larger of their own (3 points, 4)', () => {
  const tied = graph([
    { block: reader([2, 5]), bind: { t: 'x' } },
    { block: reader([3]), bind: { t: 'y' } },
    { block: scaling, bind: { a: 'x', b: 'y' } },
  ]);
  assert.equal(graphBlindingCoefficients(tied), 5);
  assert.equal(graphBlindingCoefficients({ nodes: tied.nodes.slice(0, 2) }), 4, 'untied: x alone at ζ, ω²·ζ, ω⁵·ζ');
  assert.equal(keyG1Powers(tied), 2 * N + hidingSrsSlack(5));
  // Rotations by 1 only stay within the base every graph holds: ζ and ω·ζ, 3 coefficients.
  const shifted = graph([{ block: reader([1]), bind: { t: 'x' } }, { block: reader([1]), bind: { t: 'y' } }, { block: scaling, bind: { a: 'x', b: 'y' } }]);
  assert.equal(graphBlindingCoefficients(shifted), 3);
});

test('graphOpenings refuses rotations a block declares under a tensor name it does not bind (they would size no row)', () => {
  const stray = { ...reader([2]), openingRotations: (): OpeningRotations => ({ rows: { u: [2] }, ownPoints: 1 }) } as unknown as Block;
  const g = graph([{ block: stray, bind: { t: 'x' } }]);
  assert.throws(() => graphOpenings(g.nodes, declared(g), []), /block 0 \(reader\) declares rotations of "u", which is not one of its bound tensors \(t\)/);
});
