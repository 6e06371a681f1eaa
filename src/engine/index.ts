/**
 * Engine selection. The default engine is the WebAssembly engine; the `BLOCKFOLD_ENGINE` environment
 * variable selects another (`reference` for the `@noble/curves` oracle), `BLOCKFOLD_WORKERS` gives the
 * default engine worker threads, and {@link setDefaultEngine} replaces it.
 * @module
 */
import { EngineError } from '../errors';
import type { Engine } from './engine';
import { createReferenceEngine } from './reference';
import { createWasmEngine } from './wasm/engine';

export type { CombinationTerm, CosetIdentities, CosetPart, CosetPolynomial, DerivedPolynomial, Engine, EngineStats, G1Bases, G2Bases, PairingTerm, ProductTerm, RangeKBasisG1Options } from './engine';
export { createReferenceEngine } from './reference';
export { createWasmEngine, type WasmEngine, type WasmEngineOptions } from './wasm/engine';
export { initWasm } from './wasm/module';
export { DeferredG1, deferringEngine, isG1Value, type G1Value } from './deferred';
export type { FrProgram } from './fr-program';

/** Names accepted by {@link createEngine}. */
export type EngineName = 'wasm' | 'reference';

/** Options of {@link createEngine}. */
export interface EngineOptions {
  /** Worker threads for MSMs (WASM engine only; 0 computes on the calling thread). */
  workers?: number;
}

let defaultEngine: Engine | undefined;

/** An environment variable of the Node process; undefined where there is no process (browsers). */
function envVar(name: string): string | undefined {
  return typeof process === 'undefined' ? undefined : process.env[name];
}

/** Creates an engine by name (default: `BLOCKFOLD_ENGINE`, else `wasm`). */
export function createEngine(name: string = envVar('BLOCKFOLD_ENGINE') || 'wasm', options: EngineOptions = {}): Engine {
  switch (name) {
    case 'wasm':
      return createWasmEngine(options);
    case 'reference':
      return createReferenceEngine();
    default:
      throw new EngineError(`unknown engine "${name}" (expected: wasm, reference)`);
  }
}

/** The process-wide default engine, created on first use. */
export function getDefaultEngine(): Engine {
  defaultEngine ??= createEngine(undefined, { workers: Number(envVar('BLOCKFOLD_WORKERS') ?? 0) });
  return defaultEngine;
}

/** Replaces the process-wide default engine (for example with one that uses worker threads). */
export function setDefaultEngine(engine: Engine): void {
  defaultEngine = engine;
}
