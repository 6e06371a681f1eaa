/**
 * A pool of fold workers (piscina). Each level of a fold tree is sent as one batch of independent tasks;
 * results come back in job order, so the proof is the same bytes for any number of workers.
 *
 * The worker entry is found next to the running module: `fold-worker.ts` from sources (under tsx, whose
 * loader worker threads inherit), `fold-worker.js` / `fold-worker.cjs` next to an ESM / CJS bundle in
 * dist/ (tsup entry `fold-worker`; the CJS bundle needs tsup's `shims` for `import.meta.url`).
 *
 * The prover imports it as `#fold-pool` (package.json `imports`): under the `browser` condition that name
 * is `pool.browser.ts`, so a browser bundle never contains piscina or Node's file and URL modules.
 * @module
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { EngineError } from '../src/errors';
import type { Transcript } from '../src/transcript';
import type { FoldTask, FoldTaskResult } from './fold-worker';
import type { FoldKeyDescriptor } from './fold-key';
import type { PlainAccumulator } from './thread-codec';
import type { LevelFolder, NodeLabel } from './tree';

/**
 * Path of the fold worker entry, or undefined when there is none: a bundle built without the
 * `fold-worker` entry, or a CJS bundle without shims (its `import.meta.url` is empty).
 */
export function foldWorkerFile(): string | undefined {
  const here: string | undefined = import.meta.url;
  if (!here) return undefined;
  const name = here.endsWith('.ts') ? './fold-worker.ts' : here.endsWith('.cjs') ? './fold-worker.cjs' : './fold-worker.js';
  const path = fileURLToPath(new URL(name, here));
  return existsSync(path) ? path : undefined;
}

/** Worker threads that fold tree nodes. Close it with {@link FoldPool.close}. */
export class FoldPool {
  private readonly pool: Piscina<FoldTask, FoldTaskResult>;

  /** Starts `threads ≥ 1` worker threads; an {@link EngineError} when there is no worker entry ({@link foldWorkerFile}). */
  constructor(readonly threads: number) {
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`a fold pool needs at least one thread, got ${threads}`);
    const filename = foldWorkerFile();
    if (!filename) throw new EngineError('no fold worker entry (fold-worker.js/.cjs) next to the accumulation module');
    this.pool = new Piscina({ filename, minThreads: threads, maxThreads: threads, idleTimeout: 60_000 });
  }

  /** A level folder over plain accumulators of `desc`: node `(ℓ, i)` is folded on the fork `labelOf(ℓ, i)` of `base`. */
  levelFolder(desc: FoldKeyDescriptor, base: Transcript, labelOf: NodeLabel): LevelFolder<PlainAccumulator> {
    return (jobs) =>
      Promise.all(
        jobs.map(async (job) => {
          const out = await this.pool.run({
            fingerprint: desc.fingerprint,
            descriptor: desc.wire,
            fork: base.fork(labelOf(job.level, job.index)).digest(),
            a: job.a,
            b: job.b,
          });
          return { crossTerms: out.crossTerms, parent: out.parent };
        }),
      );
  }

  /** Stops the workers. */
  close(): Promise<void> {
    return this.pool.destroy();
  }
}

/** Starts `threads ≥ 1` fold worker threads, or returns undefined when there is no worker entry ({@link foldWorkerFile}). */
export function startFoldPool(threads: number): FoldPool | undefined {
  return foldWorkerFile() ? new FoldPool(threads) : undefined;
}
