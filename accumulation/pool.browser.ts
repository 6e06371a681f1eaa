/**
 * The fold pool of browser builds: the `browser` condition of the package's `#fold-pool` import. A
 * browser has no worker threads for piscina to start, so folds run on the calling thread; the proof is
 * the same bytes whatever the number of workers.
 * @module
 */
import type { FoldPool } from './pool';

/** There are no fold worker threads in a browser build: always undefined (see {@link withFoldPool}). */
export function startFoldPool(_threads: number): FoldPool | undefined {
  return undefined;
}
