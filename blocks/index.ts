/**
 * `blockfold/blocks`: the block interface, the schedule runner, the generic leaf verifier and batcher,
 * the conformance harness, the built-in blocks, and the model-level argument of proof protocol v2.
 * @module blockfold/blocks
 */
export * from './block';
export * from './linear-relation';
export * from './protocol';
export * from './message-roles';
export * from './schedule';
export * from './leaf';
export * from './messages';
export * from './batch-verify';
export * from './commit-rows';
export * from './conformance';
export * from './opening-point';
export * from './poly-iop';
export * from './poly-iop-block';
export * from './running-sum';
export * from './weight-link';
export * from './logup';
export * from './logup-iop';
export * from './model-argument';
export * from './tables';
export * from './elementwise';
export * from './relink';
export * from './hadamard';
export * from './matmul';
export * from './sum';
export * from './max';
export * from './segment-max';
export * from './max-constant';
export * from './argmax';
export * from './lookup';
export * from './range';
export * from './rescale';
export * from './permutation';
export * from './broadcast';
export * from './limb-split';
export * from './weighted-rows';
export * from './convolution-layout';
export * from './convolution';
export * from './codec';
export * from './codec-registry';
export * from './builtin-codecs';
