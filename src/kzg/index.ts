/**
 * KZG on BN254: commitments, openings, and verification as equations as data.
 * @module
 */
export { createKzgKey, KZG_POINT_KEYS, withRangeTable, type KzgKey, type KzgVerifierKey, type LagrangeSource } from './key';
export { rangeTableKey, rangeTableVerifierKey, rangeVanishingKey, type RangeTableKey, type RangeTableProverKey } from './range-table';
export { commit, commitLagrange, commitVanishingMultiple } from './commit';
export { batchOpen, open, type KzgOpening, type OpeningBatch } from './open';
export {
  multiPointFirstProof,
  multiPointOpeningEquation,
  multiPointSecondProof,
  multiPointWeights,
  type CommittedQuotientOpening,
  type DenseOpening,
  type MultiPointOpeningSlots,
  type PointOpening,
} from './multi-open';
export {
  batchOpeningEquation,
  openingEquation,
  type BatchOpeningSlots,
  type OpeningSlots,
} from './equations';
