/**
 * `blockfold/accumulation`: the generic Mira-style folder, the parallel fold tree and the decider
 * (docs/folding.md §4–§7).
 *
 * Prover: {@link foldLeaves} (folded proof), {@link directProof} (direct batch path),
 * {@link aggregateFolded} (several proofs into one accumulator per fold key), {@link StreamProver}.
 * Verifier: {@link verifyFolded}, {@link verifyDirect}, {@link verifyAggregated}, {@link StreamVerifier}.
 * Sizes: {@link foldedProofSize}, {@link aggregatedProofSize} (proofs carry no final accumulator; its size is
 * reported apart, as not sent).
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
export {
  decodeAggregatedProof,
  decodeDirectProof,
  decodeFoldedProof,
  encodeAggregatedProof,
  encodeDirectProof,
  encodeFoldedProof,
  PROOF_VERSION,
  ProofKind,
  type AggregatedKey,
  type AggregatedProof,
  type DirectProof,
  type ExpectedLeaves,
  type FoldedProof,
  type FoldKeyProof,
} from './proof';
export { directProof, foldLeaves, type FoldOptions, type FoldedProofPart } from './prove';
export { replayFoldedProof, verifyDirect, verifyFolded } from './verify';
export { aggregateFolded, aggregateLabels, verifyAggregated, type AggregatedProofPart, type PartStatement } from './aggregate';
export { StreamProver, StreamVerifier, streamLabel } from './stream';
export { aggregatedProofSize, foldedProofSize, type FoldKeySize, type NotSent, type ProofSize } from './size';
