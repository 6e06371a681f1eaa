/**
 * `blockfold/verify`: the verifier alone, for browsers and any host without Node's APIs.
 *
 * Its import graph holds no Node built-in module and no worker pool: hashing is `@noble/hashes`
 * (Keccak-256, randomness from Web Crypto's `getRandomValues`), bytes are `Uint8Array`, and the
 * WebAssembly kernels are embedded and compiled with the standard `WebAssembly` API. Under the package's
 * `browser` import condition the MSM and fold pools start no thread (every MSM runs on the calling
 * thread) and file access is a typed error: keys and proofs come in as bytes, from `fetch` or a file
 * input. A test bundles this entry for the browser and fails on any Node built-in; another runs it in
 * headless Chromium on a real proof.
 *
 * Browsers refuse to compile a large WebAssembly module synchronously on the main thread: call
 * {@link initWasm} once before decoding a key. Then {@link decodeVerifyingKey} reads a `.vk` file and
 * {@link verifyProofFile} checks a `.proof` file against it, reporting only what the proof binds; {@link inputDigest}
 * recomputes the digest of a hashed input from its known values.
 * @module blockfold/verify
 */
export { initWasm } from './engine/wasm/module';
export {
  decodeVerifyingKey,
  decodeProof,
  verifyProofFile,
  verifyProofJson,
  proofFromJson,
  statementFromJson,
  type VerifyingKeyArtifact,
  type ProofArtifact,
  type ProofJson,
  type StatementJson,
  type CompiledModelArtifact,
  type KeyFileOptions,
  type SrsLabel,
} from './pipeline/artifacts';
export { ArtifactError } from './pipeline/artifact-error';
export type { SrsSource } from './pipeline/api';
export { verify, floatOutputs, hiddenTensors, type Statement, type VerifyResult, type FloatOutput, type HiddenTensor } from './pipeline/prove-verify';
export { inputDigest } from './pipeline/hashed-input';
export type { VerifyingKey } from './pipeline/keys';
export type { Tensors } from '../blocks/block';
export { BlockfoldError, EncodingError, type ErrorCode } from './errors';
