/**
 * The worker pool of a WASM engine (piscina). The worker entry is located next to the running module:
 * `worker.ts` when running from sources (under tsx, whose loader the workers inherit through execArgv),
 * `engine-worker.js` / `engine-worker.cjs` next to the bundle in dist/.
 *
 * The engine imports it as `#msm-pool` (package.json `imports`): under the `browser` condition that name
 * is `pool.browser.ts`, so a browser bundle never contains piscina or Node's `worker_threads`.
 * @module
 */
import { Piscina } from 'piscina';
import type { MsmTask } from './task';

function workerFile(): string {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return new URL('./worker.ts', here).href;
  return new URL(here.endsWith('.cjs') ? './engine-worker.cjs' : './engine-worker.js', here).href;
}

/** A fixed-size pool of MSM workers. */
export class MsmPool {
  private readonly piscina: Piscina<MsmTask, Uint8Array>;

  constructor(readonly threads: number) {
    this.piscina = new Piscina({ filename: workerFile(), minThreads: threads, maxThreads: threads, idleTimeout: Infinity });
  }

  /** Runs one window-range task on a free worker. */
  run(task: MsmTask): Promise<Uint8Array> {
    return this.piscina.run(task);
  }

  /** Stops the workers. */
  async destroy(): Promise<void> {
    await this.piscina.destroy();
  }
}

/** Starts `threads` MSM worker threads. */
export function startMsmPool(threads: number): MsmPool {
  return new MsmPool(threads);
}
