/**
 * The MSM pool of browser builds: the `browser` condition of the package's `#msm-pool` import. A browser
 * has no worker threads for piscina to start, so a WASM engine there computes on the calling thread
 * (`workers: 0`, the default); asking for workers is an error rather than a silent fallback.
 * @module
 */
import { EngineError } from '../../errors';
import type { MsmPool } from './pool';

/** Refuses: there are no MSM worker threads in a browser build. */
export function startMsmPool(threads: number): MsmPool {
  throw new EngineError(`a WASM engine in a browser computes on the calling thread: ${threads} workers were asked for, use workers: 0`);
}
