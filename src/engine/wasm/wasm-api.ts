/**
 * The few WebAssembly JS API members the engine uses, typed locally: the project compiles against
 * the ES2022 library, which (unlike the DOM library) does not declare the `WebAssembly` global.
 * @module
 */

/** A compiled module (`WebAssembly.Module`): opaque here, and cloneable to worker threads. */
export interface WasmModule {
  readonly __wasmModule: unique symbol;
}

/** A linear memory (`WebAssembly.Memory`). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { readonly exports: unknown };
  compile(bytes: Uint8Array): Promise<WasmModule>;
}

/** The host's `WebAssembly` object. */
export const Wasm: WasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
