/**
 * `blockfold/verify`: the verifier alone, for browsers and any host without Node's APIs.
 *
 * Its import graph holds no Node built-in module and no worker pool: hashing is `@noble/hashes`
 * (Keccak-256, randomness from Web Crypto's `getRandomValues`), bytes are `Uint8Array`, and the
 * WebAssembly kernels are embedded and compiled with the standard `WebAssembly` API. Under the package's
 * `browser` import condition the MSM and fold pools are replaced by modules that start no thread, so
 * every MSM runs on the calling thread. A test bundles this entry for the browser and fails on any Node
 * built-in; another runs it in headless Chromium.
 *
 * Browsers refuse to compile a large WebAssembly module synchronously on the main thread: call
 * {@link initWasm} once (it compiles the kernels asynchronously) before the first verification.
 * @module
 */
export { verify, floatOutputs, type Statement, type ProofPath, type VerifyResult, type FloatOutput } from './pipeline/prove-verify';
export type { VerifyingKey } from './pipeline/keys';
export type { Tensors } from '../blocks/block';
export { initWasm } from './engine/wasm/module';
export { BlockfoldError, EncodingError, type ErrorCode } from './errors';
