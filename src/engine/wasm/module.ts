/**
 * Compilation of the WebAssembly kernels. The binary is embedded (base64) in kernels.generated.ts, so no
 * file is looked up at run time. Node compiles it synchronously on first use; browsers, which refuse
 * synchronous compilation of large modules on the main thread, call {@link initWasm} first.
 * @module
 */
import { KERNELS_WASM_BASE64 } from './kernels.generated';
import { Wasm, type WasmModule } from './wasm-api';

let compiled: WasmModule | undefined;

function kernelBytes(): Uint8Array {
  const text = atob(KERNELS_WASM_BASE64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** The compiled kernels module (compiled synchronously on first call unless {@link initWasm} ran). */
export function kernelsModule(): WasmModule {
  compiled ??= new Wasm.Module(kernelBytes());
  return compiled;
}

/** Compiles the kernels asynchronously (for browsers); afterwards every engine instantiates synchronously. */
export async function initWasm(): Promise<void> {
  compiled ??= await Wasm.compile(kernelBytes());
}
