/**
 * KZG on BN254: commitments, openings, and verification as equations as data.
 * @module
 */
export { createKzgKey, createVerifierKzgKey, KZG_POINT_KEYS, vanishingMultipleDigest, withRangeTable, type KzgKey, type KzgVerifierKey, type LagrangeSource, type StackSource } from './key';
export { rangeTableKey, rangeTableVerifierKey, rangeVanishingKey, type RangeTableKey, type RangeTableProverKey } from './range-table';
export { commit, commitLagrange, commitVanishingMultiple } from './commit';
export { commitStack, stackPolynomials, stackRemainderAt, type StackMember } from './stack';
export { batchOpen, open, type KzgOpening, type OpeningBatch } from './open';
export {
  multiPointFirstProof,
  multiPointOpeningEquation,
  multiPointSecondProof,
  multiPointWeights,
  type CommittedQuotientOpening,
  type DenseOpening,
  type MultiPointOpeningSlots,
  type OpeningDivisor,
  type PointOpening,
} from './multi-open';
export {
  batchOpeningEquation,
  openingEquation,
  type BatchOpeningSlots,
  type OpeningSlots,
} from './equations';
