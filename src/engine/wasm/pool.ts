/**
 * The worker pool of a WASM engine (piscina). The worker entry is located next to the running module:
 * `worker.ts` when running from sources (under tsx, whose loader the workers inherit through execArgv),
 * `engine-worker.js` / `engine-worker.cjs` next to the bundle in dist/.
 *
 * The engine imports it as `#engine-pool` (package.json `imports`): under the `browser` condition that name
 * is `pool.browser.ts`, so a browser bundle never contains piscina or Node's `worker_threads`.
 * @module
 */
import { Piscina } from 'piscina';
import type { CosetTask, CosetWords, EngineTask, G1StepsTask, GroupedMsmTask, MsmTask, TransformTask } from './task';

function workerFile(): string {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return new URL('./worker.ts', here).href;
  return new URL(here.endsWith('.cjs') ? './engine-worker.cjs' : './engine-worker.js', here).href;
}

/** A fixed-size pool of engine workers; tasks queue in the order they are given. */
export class EnginePool {
  private readonly piscina: Piscina<EngineTask, Uint8Array | Uint8Array[] | CosetWords>;
  private running = 0;

  constructor(readonly threads: number) {
    this.piscina = new Piscina({ filename: workerFile(), minThreads: threads, maxThreads: threads, idleTimeout: Infinity });
  }

  /** Tasks given and not yet finished (running or queued). */
  get inFlight(): number {
    return this.running;
  }

  private run<T>(task: EngineTask): Promise<T> {
    this.running++;
    return (this.piscina.run(task) as Promise<T>).finally(() => this.running--);
  }

  /**
   * Calls `callback` at the next turn of the event loop, once the calling thread's pending work is done (Node's
   * `setImmediate`, here since a browser build has no pool and no such global).
   */
  nextTurn(callback: () => void): void {
    setImmediate(callback);
  }

  /** Runs one window range of an MSM, or a grouped MSM whole, on a free worker: its raw Jacobian (partial) sum. */
  msm(task: MsmTask | GroupedMsmTask): Promise<Uint8Array> {
    return this.run(task);
  }

  /** Runs several such tasks one after the other on one free worker: their raw Jacobian sums, in order. */
  msmBatch(tasks: readonly (MsmTask | GroupedMsmTask)[]): Promise<Uint8Array[]> {
    return this.run({ kind: 'batch', tasks });
  }

  /** Runs one coset-identities call on a free worker. */
  cosetIdentities(task: CosetTask): Promise<CosetWords> {
    return this.run(task);
  }

  /** Runs one transform on a free worker: its result as canonical words. */
  transform(task: TransformTask): Promise<Uint8Array> {
    return this.run(task);
  }

  /** Runs a program of linear maps on G1 points on a free worker: the points it ends as. */
  g1Steps(task: G1StepsTask): Promise<Uint8Array> {
    return this.run(task);
  }

  /** Stops the workers. */
  async destroy(): Promise<void> {
    await this.piscina.destroy();
  }
}

/** Starts `threads` engine worker threads. */
export function startEnginePool(threads: number): EnginePool {
  return new EnginePool(threads);
}
