/**
 * The typed points besides ζ at which a committed polynomial is opened (`blocks/opening-point.ts`): each point's name
 * tells its kind, and a list of points counts each point once, a rotation and a power of one number as two.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { distinctOpeningPoints, openingPointName } from '../../blocks/opening-point';
import { power, rotations } from '../helpers/opening-points';

test('openingPointName: ω^s·ζ for a rotation, ζ^k for a power; the rotation 2 and the power 2 are named apart', () => {
  assert.equal(openingPointName({ kind: 'rotation', rotation: 2 }), 'ω^2·ζ');
  assert.equal(openingPointName({ kind: 'power', power: 2 }), 'ζ^2');
  assert.notEqual(openingPointName(rotations(3)[0]), openingPointName(power(3)));
});

test('distinctOpeningPoints: each point once, rotations ascending then powers ascending, a rotation and a power of one number both kept', () => {
  assert.deepEqual(distinctOpeningPoints([power(4), ...rotations(5, 2), power(2), ...rotations(2), power(4)]), [...rotations(2, 5), power(2), power(4)]);
  assert.equal(distinctOpeningPoints([...rotations(2), power(2)]).length, 2);
  assert.deepEqual(distinctOpeningPoints([]), []);
});
