/**
 * blockfold: zero-knowledge proofs of ML inference on BN254.
 *
 * The core layers, bottom up: field and curve → polynomials → engine → KZG → transcript and encodings →
 * verifier equations as data.
 * @module blockfold
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
export * from './srs/index';
export * as onnx from './onnx/index';
export { parseOnnx, OnnxError } from './onnx/index';
export { tensor, type Tensor } from './model/tensor';
// A block's context names it (custom blocks draw their blinding from it), so the API pages show it.
export type { BlindingSource } from './blinding';
export * as model from './model/index';
export type { CommitmentTable } from './pipeline/graph-proof';
export { inspectModel, type ModelInspection, InputError, InputLengthError, QuantizationError, RangeExceededError, ShapeError, UnsupportedOpError } from './model/index';
export { compile, compileCalibrated, layerAccuracy, calibrateOnnx, quantizeFeeds, dequantizeRows, PROVING_QUANTIZATION, type CompileOptions, type CompiledWithQuant } from './pipeline/compile';
export type { Calibration, Range } from './model/quant/calibrate';
export type { LayerError } from './model/quant/report';
export type { CalibratedRange, CompiledModel, PublicGrid, PublicTensorLayout, Visibility } from './pipeline/compiled-model';
export type { OutputVisibility, VisibilityOptions } from './pipeline/visibility';
export { keyLagrangeDomains, proverLagrangeDomains, setup, verifierPoints, verifierSelectors, verifyingKeyDigest, PROTOCOL_ID, type ProvingKey, type SetupOptions, type VerifierPoint, type VerifyingKeyContent, type WeightBlinding } from './pipeline/keys';
export { checkVerifyingKeySrs, type KeySrsCheck } from './pipeline/check-key';
export { prove, type ModelProof, type ProveOptions, type ProgressListener } from './pipeline/prove-verify';
export { architectureCellLimit, architectureDigest, decodeArchitecture, encodeArchitecture, MAX_ARCHITECTURE_CELLS, ARCHITECTURE_CELLS_FLOOR, ARCHITECTURE_CELLS_PER_BYTE, MAX_TENSOR_ROWS, MAX_TENSOR_DOMAIN, type Architecture } from './pipeline/architecture';
export {
  compiledModelArtifact,
  decodeCompiledModel,
  decodeProvingKey,
  encodeCompiledModel,
  encodeProof,
  encodeProvingKey,
  encodeVerifyingKey,
  proofToJson,
  statementToJson,
  verifyingKeyArtifact,
  type ProvingKeyArtifact,
} from './pipeline/artifacts';
export { namedStatementJson, type NamedStatementJson, type NamedTensorJson } from './pipeline/named-statement';
export { DEV_SEED, openSrs } from './pipeline/api';
export { readArgumentStatement, replayArgument, rowCommitmentNames, modelProtocol, PROOF_VERSION, type ArgumentStatement } from './pipeline/prove-verify';
export {
  aggregate,
  verifyAggregate,
  ProofStreamProver,
  ProofStreamVerifier,
  KIND_AGGREGATED_PROOF,
  type AggregatedModelProof,
  type AggregateVerifyResult,
  type ProofToAggregate,
} from './pipeline/aggregate';
export { validateBlockGraph, BlockGraphError, type BlockGraph, type BlockNode, type GraphTensor, type TensorKind } from './pipeline/block-graph';
// The verifier's API is `blockfold/verify`'s, whole: one list, so the two entry points cannot drift apart.
export * from './verify';
