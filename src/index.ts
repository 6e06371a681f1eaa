/**
 * blockfold: zero-knowledge proofs of ML inference on BN254.
 * @module
 */
export * from './errors';
export * from './field';
export * from './curve';
export * from './engine/index';
export { rootOfUnity, log2Exact, nextPowerOfTwo, FR_GENERATOR, TWO_ADICITY } from './poly/roots';
