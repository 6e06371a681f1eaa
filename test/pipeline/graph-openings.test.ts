/**
 * `graphOpenings`, the one count of where a graph's rows are opened (the key's SRS sizing and the prover's row
 * blinding both read it): the union of the points of every block reading a row's tensor, joined over the rows a
 * linear relation ties (`b_y = c·b_x`: y opened at z reveals a value of x's blinding there too); a declared point
 * that is none (a raw number, a rotation outside [1, n), a power below 2, a non-integer) is refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Block, OpeningRotations } from '../../blocks/block';
import type { OpeningPoint } from '../../blocks/opening-point';
import { BlockGraphError, graphBlindingCoefficients, graphOpenings, keyG1Powers, largestDomain, type BlockGraph } from '../../src/pipeline/block-graph';
import { power, rotations } from '../helpers/opening-points';
import { graphRelations } from '../../src/pipeline/row-relations';
import { hidingSrsSlack } from '../../blocks/hiding';

const N = 8;
/** A block reading its one tensor `t` (2 rows, on H_domain) at `points`. */
const reader = (points: readonly OpeningPoint[], ownPoints = 1, domain = N): Block =>
  ({ foldKey: 'reader', tensors: [{ name: 't', rows: 2, domain, role: 'input' }], openingRotations: (): OpeningRotations => ({ rows: { t: points }, ownPoints }) }) as unknown as Block;
/** A block checking `[a_0]₁ − 3·[b_0]₁ = 0` (rows of two tensors tied, as a scaling's relation ties them). */
const scaling = { foldKey: 'scale', tensors: [{ name: 'a', rows: 2, domain: N, role: 'input' }, { name: 'b', rows: 2, domain: N, role: 'output' }], linearRelations: () => [{ terms: [{ tensor: 'a', row: 0, coeff: 1n }, { tensor: 'b', row: 0, coeff: -3n }] }] } as unknown as Block;
const graph = (nodes: { block: Block; bind: Record<string, string> }[]): BlockGraph =>
  ({ tensors: ['x', 'y', 'z'].map((id) => ({ id, kind: 'wire', rows: 2, domain: N })), nodes }) as unknown as BlockGraph;
const declared = (g: BlockGraph) => (i: number) => g.nodes[i].block.openingRotations?.();

test('graphOpenings: a row read at {2, 5} and a row tied to it read at {3} are both opened at {2, 3, 5}; untied rows keep their own; the own polynomials\' largest count', () => {
  const g = graph([
    { block: reader(rotations(2, 5), 2), bind: { t: 'x' } },
    { block: reader(rotations(3)), bind: { t: 'y' } },
    { block: reader(rotations(1), 3), bind: { t: 'z' } },
    { block: scaling, bind: { a: 'x', b: 'y' } },
  ]);
  const { rows, ownPoints } = graphOpenings(g.nodes, declared(g), graphRelations(g));
  assert.deepEqual(Object.fromEntries(rows), { 'x/0': rotations(2, 3, 5), 'y/0': rotations(2, 3, 5), 'x/1': rotations(2, 5), 'y/1': rotations(3), 'z/0': rotations(1), 'z/1': rotations(1) });
  assert.equal(ownPoints, 3);
  const apart = graphOpenings(g.nodes, declared(g), []);
  assert.deepEqual(apart.rows.get('x/0'), rotations(2, 5), 'without the relation x/0 keeps its own');
  assert.deepEqual(apart.rows.get('y/0'), rotations(3));
});

test('graphOpenings: a row read at ζ only but tied to a rotated one shares its points; a block declaring nothing adds none', () => {
  const g = graph([
    { block: reader(rotations(4)), bind: { t: 'x' } },
    { block: { foldKey: 'silent', tensors: [{ name: 't', rows: 2, domain: N, role: 'input' }] } as unknown as Block, bind: { t: 'z' } },
    { block: scaling, bind: { a: 'x', b: 'y' } },
  ]);
  const { rows, ownPoints } = graphOpenings(g.nodes, declared(g), graphRelations(g));
  assert.deepEqual(rows.get('y/0'), rotations(4));
  assert.equal(rows.get('y/1'), undefined, 'y/1 is tied to nothing rotated');
  assert.equal(rows.get('z/0'), undefined);
  assert.equal(ownPoints, 1);
});

test('graphBlindingCoefficients: rows tied by a relation size the key for the union of their points (4 points, 5 coefficients), not the larger of their own (3 points, 4)', () => {
  const tied = graph([
    { block: reader(rotations(2, 5)), bind: { t: 'x' } },
    { block: reader(rotations(3)), bind: { t: 'y' } },
    { block: scaling, bind: { a: 'x', b: 'y' } },
  ]);
  assert.equal(graphBlindingCoefficients(tied), 5);
  assert.equal(graphBlindingCoefficients({ nodes: tied.nodes.slice(0, 2) }), 4, 'untied: x alone at ζ, ω²·ζ, ω⁵·ζ');
  assert.equal(keyG1Powers(tied), 2 * N + hidingSrsSlack(5));
  // Rotations by 1 only stay within the base every graph holds: ζ and ω·ζ, 3 coefficients.
  const shifted = graph([{ block: reader(rotations(1)), bind: { t: 'x' } }, { block: reader(rotations(1)), bind: { t: 'y' } }, { block: scaling, bind: { a: 'x', b: 'y' } }]);
  assert.equal(graphBlindingCoefficients(shifted), 3);
});

test('graphOpenings refuses rotations a block declares under a tensor name it does not bind (they would size no row)', () => {
  const stray = { ...reader(rotations(2)), openingRotations: (): OpeningRotations => ({ rows: { u: rotations(2) }, ownPoints: 1 }) } as unknown as Block;
  const g = graph([{ block: stray, bind: { t: 'x' } }]);
  assert.throws(() => graphOpenings(g.nodes, declared(g), []), /block 0 \(reader\) declares rotations of "u", which is not one of its bound tensors \(t\)/);
});

test('graphOpenings: a rotation and a power of one number are two points; one point declared by two blocks of a row is one', () => {
  const g = graph([
    { block: reader([...rotations(2), power(2), power(4)]), bind: { t: 'x' } },
    { block: reader([power(2), ...rotations(2)]), bind: { t: 'x' } },
  ]);
  const { rows } = graphOpenings(g.nodes, declared(g), []);
  assert.deepEqual(rows.get('x/0'), [...rotations(2), power(2), power(4)]);
  assert.equal(graphBlindingCoefficients(g), 5, 'ζ and three points');
});

test('graphOpenings refuses a declared point that is none, naming the block and the tensor: a raw −2, a rotation n or 0, a power 1, a non-integer, another kind', () => {
  const refused = (points: unknown, message: RegExp, domain = N) => {
    const g = graph([{ block: reader(points as OpeningPoint[], 1, domain), bind: { t: 'x' } }]);
    assert.throws(
      () => graphOpenings(g.nodes, declared(g), []),
      (e: unknown) => e instanceof BlockGraphError && /^block 0 \(reader\), tensor "t": /.test(e.message) && message.test(e.message),
    );
    assert.throws(() => graphBlindingCoefficients(g), BlockGraphError, 'the key is sized through the same check');
  };
  refused([-2], /-2 is no opening point: a point is \{ kind: 'rotation', rotation: s \} or \{ kind: 'power', power: k \}/);
  refused([...rotations(2), -2], /-2 is no opening point/);
  refused(rotations(N), /\{"kind":"rotation","rotation":8\} is no opening point: a rotation on H_8 is an integer in \[1, 8\)/);
  refused(rotations(0), /"rotation":0\} is no opening point/);
  refused(rotations(-2), /"rotation":-2\} is no opening point/);
  refused(rotations(2.5), /"rotation":2.5\} is no opening point/);
  refused(rotations(2), /"rotation":2\} is no opening point: the one rotation on H_1 is 1/, 1);
  refused([power(1)], /\{"kind":"power","power":1\} is no opening point: a power is an integer k ≥ 2/);
  refused([power(0)], /"power":0\} is no opening point/);
  refused([power(2.5)], /"power":2.5\} is no opening point/);
  refused([{ kind: 'power', power: '2' }], /"power":"2"\} is no opening point/);
  refused([{ rotation: 2 }], /\{"rotation":2\} is no opening point: its kind is 'rotation' or 'power'/);
  refused([null], /null is no opening point/);
  refused([{ kind: 'power', power: 3n }], /\{"kind":"power","power":"3n"\} is no opening point/);
  refused(-2, /its opening points must be a list, got -2/);
});

test('graphOpenings accepts the bounds: a rotation n − 1, the rotation 1 on H_1, a power 2', () => {
  const g = graph([{ block: reader([...rotations(N - 1), power(2)]), bind: { t: 'x' } }, { block: reader(rotations(1), 1, 1), bind: { t: 'y' } }]);
  const { rows } = graphOpenings(g.nodes, declared(g), []);
  assert.deepEqual(rows.get('x/1'), [...rotations(N - 1), power(2)]);
  assert.deepEqual(rows.get('y/0'), rotations(1));
});

test('graphOpenings refuses openings that are no { rows, ownPoints }: rows null, ownPoints 0 or 1.5, naming the block', () => {
  const declaring = (openings: unknown) => ({ ...reader([]), openingRotations: () => openings }) as unknown as Block;
  for (const [openings, shown] of [
    [{ rows: null, ownPoints: 1 }, '{"rows":null,"ownPoints":1}'],
    [{ rows: {}, ownPoints: 0 }, '{"rows":{},"ownPoints":0}'],
    [{ rows: {}, ownPoints: 1.5 }, '{"rows":{},"ownPoints":1.5}'],
    [{ rows: {} }, '{"rows":{}}'],
  ] as const) {
    const g = graph([{ block: declaring(openings), bind: { t: 'x' } }]);
    assert.throws(
      () => graphOpenings(g.nodes, declared(g), []),
      (e: unknown) => e instanceof BlockGraphError && e.message === `block 0 (reader): its openings are { rows: points by tensor, ownPoints: an integer ≥ 1 }, got ${shown}`,
    );
  }
});

test('graphOpenings bounds ownPoints by max(N, 2) + log2(N), N the graph\'s largest domain: 11 on H_8 accepted (12 coefficients), 12 or 10^9 refused naming the block; 2 and 3 on H_1', () => {
  const own = (ownPoints: number, domain = N) => graph([{ block: reader([], ownPoints, domain), bind: { t: 'x' } }]);
  const refused = (g: BlockGraph, points: number, largest: number, most: number) => {
    const named = (e: unknown) =>
      e instanceof BlockGraphError &&
      e.message === `block 0 (reader): its openings count ${points} points for a polynomial of its own, but the argument opens one at ${most} at most on this graph (largest domain H_${largest})`;
    assert.throws(() => graphOpenings(g.nodes, declared(g), []), named);
    assert.throws(() => keyG1Powers(g), named, 'the key is sized through the same check');
  };
  // On H_8: ζ, the 7 rotations and the compositions ζ^2, ζ^4, ζ^8.
  assert.equal(largestDomain(own(11)), N);
  assert.equal(graphOpenings(own(11).nodes, declared(own(11)), []).ownPoints, 11);
  assert.equal(graphBlindingCoefficients(own(11)), 12);
  refused(own(12), 12, N, 11);
  refused(own(1e9), 1e9, N, 11);
  // On H_1: ζ and the shift (s = 1, its own point), no composition.
  assert.equal(graphBlindingCoefficients(own(2, 1)), 3);
  refused(own(3, 1), 3, 1, 2);
});
