/**
 * `blockfold/accumulation`: the generic Mira-style folder, the parallel fold tree and the decider
 * (docs/folding.md §4–§7).
 *
 * Prover: {@link foldLeaves} (a folded proof of leaves of any protocols), {@link proveTree} (a fold tree),
 * {@link StreamProver}. Verifier: {@link verifyFolded}, {@link replayTree}, {@link decide}, {@link StreamVerifier}.
 * Sizes: {@link foldedProofSize} (proofs carry no final accumulator; its size is reported apart, as not sent).
 * Model proofs are one leaf each: `aggregate` and `verifyAggregate` of the main entry fold many of them.
 * @module blockfold/accumulation
 */
export { ProofError } from './errors';
export { descriptorOf, descriptorsByFoldKey, type CellDecl, type EquationShape, type Factor, type FoldKeyDescriptor, type HomogeneousMonomial, type PublicG1Ref, type PublicG2Ref } from './fold-key';
export { accumulatorBytes, decodeAccumulator, encodeAccumulator, freshAccumulator, writeAccumulator, type Accumulator } from './relaxed';
export { combineCell, type CellValue } from './cells';
export { computeCrossTerms, crossTermBytes, type CrossTerms } from './cross-terms';
export { combineFold, foldLabel, proveFold, replayFold, type FoldResult } from './fold';
export { proveTree, replayTree, runTree, treeLabels, type LevelFolder, type NodeLabel, type TreeFoldOutput, type TreeJob } from './tree';
export type { AffineCoordinates, PlainAccumulator, PlainValue } from './thread-codec';
export { FoldPool, foldWorkerFile } from './pool';
export { decide, decideWithWeights, deciderWeights, type DeciderInput } from './decider';
export { expectedLeaves, groupByFoldKey, groupByKeyName, type FoldKeyGroup, type LeafStatement } from './leaves';
export { decodeFoldedProof, encodeFoldedProof, PROOF_VERSION, ProofKind, type ExpectedLeaves, type FoldedProof, type FoldKeyProof } from './proof';
export { foldLeaves, withFoldPool, type FoldOptions, type FoldedProofPart } from './prove';
export { replayFoldedProof, verifyFolded } from './verify';
export { StreamProver, StreamVerifier, streamLabel } from './stream';
export { foldedProofSize, type FoldKeySize, type NotSent, type ProofSize } from './size';
