import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PolyIopSpec } from '../../blocks/index';
import { drawnWith, GUESSED_CHALLENGE, readOrGuess } from './early-challenge';

test('drawnWith moves a challenge into the round of another (its own round dropped when empty); readOrGuess reads it once drawn, else guesses', () => {
  const spec = {
    foldKey: 'k',
    rounds: [
      { kind: 'challenge', slots: ['beta'] },
      { kind: 'message', slots: ['P'] },
      { kind: 'challenge', slots: ['delta'] },
      { kind: 'challenge', slots: ['alpha', 'gamma'] },
    ],
  } as unknown as PolyIopSpec;
  const early = drawnWith(spec, 'delta', 'beta');
  assert.equal(early.foldKey, 'k/delta-first');
  assert.deepEqual(early.rounds, [
    { kind: 'challenge', slots: ['beta', 'delta'] },
    { kind: 'message', slots: ['P'] },
    { kind: 'challenge', slots: ['alpha', 'gamma'] },
  ]);
  assert.deepEqual(drawnWith(spec, 'gamma', 'beta').rounds.at(-1), { kind: 'challenge', slots: ['alpha'] }, 'a round that draws others stays');
  assert.equal(readOrGuess({ delta: 5n }, 'delta'), 5n);
  assert.equal(readOrGuess({ beta: 5n }, 'delta'), GUESSED_CHALLENGE);
});
