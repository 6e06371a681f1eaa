/**
 * The engine pool of browser builds: the `browser` condition of the package's `#engine-pool` import. A browser
 * has no worker threads for piscina to start, so a WASM engine there computes on the calling thread
 * (`workers: 0`, the default); asking for workers is an error rather than a silent fallback.
 * @module
 */
import { EngineError } from '../../errors';
import type { EnginePool } from './pool';

/** Refuses: there are no engine worker threads in a browser build. */
export function startEnginePool(threads: number): EnginePool {
  throw new EngineError(`a WASM engine in a browser computes on the calling thread: ${threads} workers were asked for, use workers: 0`);
}
