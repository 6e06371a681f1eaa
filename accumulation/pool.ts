/**
 * A pool of fold workers (piscina). Each level of a fold tree is sent as one batch of independent tasks;
 * results come back in job order, so the proof is the same bytes for any number of workers.
 *
 * The worker entry is `fold-worker.js` next to this module when built (tsup entry `fold-worker`), else
 * `fold-worker.ts` (source, run under tsx: worker threads inherit the loader).
 * @module
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { Transcript } from '../src/transcript';
import type { FoldTask, FoldTaskResult } from './fold-worker';
import type { FoldKeyDescriptor } from './fold-key';
import type { LevelFolder, NodeLabel } from './tree';

function workerFile(): string {
  for (const name of ['./fold-worker.js', './fold-worker.ts']) {
    const path = fileURLToPath(new URL(name, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error('fold worker entry not found next to the accumulation module');
}

/** Worker threads that fold tree nodes. Close it with {@link FoldPool.close}. */
export class FoldPool {
  private readonly pool: Piscina<FoldTask, FoldTaskResult>;

  /** Starts `threads ≥ 1` worker threads. */
  constructor(readonly threads: number) {
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`a fold pool needs at least one thread, got ${threads}`);
    this.pool = new Piscina({ filename: workerFile(), minThreads: threads, maxThreads: threads, idleTimeout: 60_000 });
  }

  /** A level folder over encoded accumulators of `desc`: node `(ℓ, i)` is folded on the fork `labelOf(ℓ, i)` of `base`. */
  levelFolder(desc: FoldKeyDescriptor, base: Transcript, labelOf: NodeLabel): LevelFolder<Uint8Array> {
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
