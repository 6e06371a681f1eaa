/**
 * `blockfold/accumulation`: the generic Mira-style folder, the parallel fold tree and the decider.
 * @module
 */
export {};
