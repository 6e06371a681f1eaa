/**
 * Engine selection. The default engine is chosen by the `BLOCKFOLD_ENGINE` environment variable
 * (`reference`, or a faster engine once registered) and can be replaced with {@link setDefaultEngine}.
 * @module
 */
import { EngineError } from '../errors';
import type { Engine } from './engine';
import { createReferenceEngine } from './reference';

export type { Engine, EngineStats, G1Bases, G2Bases, PairingTerm } from './engine';
export { createReferenceEngine } from './reference';

let defaultEngine: Engine | undefined;

/** Creates an engine by name. */
export function createEngine(name: string = process.env.BLOCKFOLD_ENGINE ?? 'reference'): Engine {
  switch (name) {
    case 'reference':
      return createReferenceEngine();
    default:
      throw new EngineError(`unknown engine "${name}" (expected: reference)`);
  }
}

/** The process-wide default engine, created on first use. */
export function getDefaultEngine(): Engine {
  defaultEngine ??= createEngine();
  return defaultEngine;
}

/** Replaces the process-wide default engine (for example with one that uses worker threads). */
export function setDefaultEngine(engine: Engine): void {
  defaultEngine = engine;
}
