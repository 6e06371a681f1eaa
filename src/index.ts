/**
 * blockfold: zero-knowledge proofs of ML inference on BN254.
 *
 * The core layers, bottom up: field and curve → polynomials → engine → KZG → transcript and encodings →
 * verifier equations as data.
 * @module
 */
export * from './errors';
export * from './field';
export * from './curve';
export * from './engine/index';
export * as poly from './poly/index';
export { EvaluationDomain } from './poly/domain';
export * from './kzg/index';
export * from './encoding/bytes';
export * from './encoding/points';
export { Transcript } from './transcript';
export * from './equations/equation';
export * from './equations/evaluate';
export * from './equations/pairing-check';
