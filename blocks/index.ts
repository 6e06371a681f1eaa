/**
 * `blockfold/blocks`: the block interface, the schedule runner, the generic leaf verifier and batcher,
 * the conformance harness, and the built-in blocks.
 * @module
 */
export * from './block';
export * from './protocol';
export * from './schedule';
export * from './leaf';
export * from './messages';
export * from './batch-verify';
export * from './commit-rows';
export * from './conformance';
