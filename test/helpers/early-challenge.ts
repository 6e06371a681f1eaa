/**
 * The early-challenge cheat of the adversarial tests: a challenge drawn before a message it must not be known to.
 *
 * Fiat–Shamir soundness needs each challenge drawn after every message the prover could fit to it (docs/soundness.md,
 * rule 1). A test of that order builds a forger that fits a message to the challenge when it can read it and guesses
 * it otherwise ({@link readOrGuess}), then runs it twice: under {@link drawnWith}, the block's spec with the challenge
 * moved forward, the forgery verifies (the control: the cheat is real), and under the block's own order it is rejected
 * (the guess is wrong but with probability 1/r).
 */
import type { PolyIopSpec } from '../../blocks/index';
import type { SlotValues } from '../../src/equations/equation';
import { frSlot } from '../../src/equations/evaluate';

/** The forger's guess of a challenge it cannot read yet: any fixed value, right with probability 1/r. */
export const GUESSED_CHALLENGE = 987654321n;

/** The challenge `slot` if the transcript has drawn it by now (`values` holds it), else {@link GUESSED_CHALLENGE}. */
export function readOrGuess(values: SlotValues, slot: string): bigint {
  return slot in values ? frSlot(values, slot) : GUESSED_CHALLENGE;
}

/**
 * `spec` with the challenge `late` drawn in the round that draws `early` (so before the messages between the two), its
 * own round dropped if it drew nothing else, under the fold key `<foldKey>/<late>-first`.
 */
export function drawnWith(spec: PolyIopSpec, late: string, early: string): PolyIopSpec {
  return {
    ...spec,
    foldKey: `${spec.foldKey}/${late}-first`,
    rounds: spec.rounds
      .map((r) => (r.kind !== 'challenge' ? r : r.slots.includes(early) ? { ...r, slots: [...r.slots, late] } : { ...r, slots: r.slots.filter((s) => s !== late) }))
      .filter((r) => r.kind !== 'challenge' || r.slots.length > 0),
  };
}
