/**
 * KZG verification as equations as data (docs/folding.md §3). An opening of C at ζ with value y and proof π holds when
 * `C − y·[1]₁ = (τ − ζ)·π`, that is, written additively in GT:
 *
 * `e(C, [1]₂) − y·e([1]₁, [1]₂) + ζ·e(π, [1]₂) − e(π, [τ]₂) = 0`.
 *
 * A batch at one point weights each commitment and value by its own challenge v_i:
 *
 * `Σ_i v_i·e(C_i, [1]₂) − Σ_i v_i·y_i·e([1]₁, [1]₂) + ζ·e(π, [1]₂) − e(π, [τ]₂) = 0` (degrees 2, 2, 2, 1).
 *
 * The caller (a block) declares the slots and passes their names here; these builders only produce terms.
 * Batching several equations into one multi-pairing with random weights is left to `src/equations`.
 * @module
 */
import { EquationError, type G1Factor, type PairingEquation, type PairingMonomial } from '../equations/equation';
import { R } from '../field';
import type { KzgVerifierKey } from './key';

const MINUS_ONE = R - 1n;

/** Slot names of one opening `f(ζ) = y` of the commitment C with proof π. */
export interface OpeningSlots {
  /** C: a G1 slot (statement or message), or a public G1 point for a preprocessed commitment. */
  readonly commitment: G1Factor;
  /** y: an Fr slot (usually a message). */
  readonly evaluation: string;
  /** ζ: an Fr slot (challenge or derived). */
  readonly point: string;
  /** π: a G1 message slot. */
  readonly proof: string;
}

/** Slot names of a batched opening at one point: `f_i(ζ) = y_i` for every i, one proof π. */
export interface BatchOpeningSlots {
  /** C_i: G1 slots, or public G1 points. */
  readonly commitments: readonly G1Factor[];
  /** y_i: Fr slots, one per commitment. */
  readonly evaluations: readonly string[];
  /** v_i: Fr challenge slots, one per commitment, drawn after every y_i is in the transcript. */
  readonly challenges: readonly string[];
  /** ζ: an Fr slot. */
  readonly point: string;
  /** π: a G1 message slot. */
  readonly proof: string;
}

/** `ζ·e(π, [1]₂) − e(π, [τ]₂)`: the terms every opening equation ends with. */
function proofTerms(key: KzgVerifierKey, point: string, proof: string): PairingMonomial[] {
  return [
    { coeff: 1n, scalars: [point], g1: proof, g2: key.g2One },
    { coeff: MINUS_ONE, scalars: [], g1: proof, g2: key.g2Tau },
  ];
}

/** The equation of one opening: `e(C, [1]₂) − y·e([1]₁, [1]₂) + ζ·e(π, [1]₂) − e(π, [τ]₂) = 0` (degree ≤ 2). */
export function openingEquation(key: KzgVerifierKey, name: string, slots: OpeningSlots): PairingEquation {
  return {
    kind: 'pairing',
    name,
    terms: [
      { coeff: 1n, scalars: [], g1: slots.commitment, g2: key.g2One },
      { coeff: MINUS_ONE, scalars: [slots.evaluation], g1: key.g1One, g2: key.g2One },
      ...proofTerms(key, slots.point, slots.proof),
    ],
  };
}

/**
 * The equation of a batched opening at one point:
 * `Σ_i v_i·e(C_i, [1]₂) − Σ_i v_i·y_i·e([1]₁, [1]₂) + ζ·e(π, [1]₂) − e(π, [τ]₂) = 0` (degree ≤ 2).
 */
export function batchOpeningEquation(key: KzgVerifierKey, name: string, slots: BatchOpeningSlots): PairingEquation {
  const k = slots.commitments.length;
  if (k === 0) throw new EquationError(`equation "${name}": a batched opening needs at least one commitment`);
  if (slots.evaluations.length !== k || slots.challenges.length !== k)
    throw new EquationError(
      `equation "${name}": ${k} commitments, ${slots.evaluations.length} evaluations and ${slots.challenges.length} challenges`,
    );
  const terms: PairingMonomial[] = [];
  for (let i = 0; i < k; i++) terms.push({ coeff: 1n, scalars: [slots.challenges[i]], g1: slots.commitments[i], g2: key.g2One });
  for (let i = 0; i < k; i++)
    terms.push({ coeff: MINUS_ONE, scalars: [slots.challenges[i], slots.evaluations[i]], g1: key.g1One, g2: key.g2One });
  terms.push(...proofTerms(key, slots.point, slots.proof));
  return { kind: 'pairing', name, terms };
}
