/**
 * `blockfold/blocks`: the block interface and the built-in blocks.
 * @module
 */
export {};
