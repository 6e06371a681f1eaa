/**
 * Running pages in headless Chromium (Debian's `chromium`) from tests and benchmarks: a local HTTP server
 * for the page, its module bundle and its data, to which the page posts one JSON result; and a sample
 * MLP key and proof to verify there.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { floatOutputs, type FloatOutput } from '../../src/pipeline/prove-verify';
import { sampleArtifacts } from '../helpers/sample-artifacts';

/** The Chromium executable, if installed. */
export const CHROMIUM: string | undefined = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

/** Why a Chromium test or benchmark does not run here, or undefined when it can. */
export const NO_CHROMIUM = CHROMIUM ? undefined : 'chromium is not installed (Debian package "chromium"; .ci/run installs it)';

/** A `.vk` and a `.proof` file of the sample MLP (development SRS), as `blockfold setup --dev-srs` and `blockfold prove` make them. */
export async function sampleFiles(): Promise<{ vk: Uint8Array; proof: Uint8Array; outputs: FloatOutput[] }> {
  const { compiled, statement, files } = await sampleArtifacts();
  return { vk: files.vk, proof: files.proof, outputs: floatOutputs(compiled.model, statement) };
}

/** A file the server returns. */
export interface ServedFile {
  readonly type: string;
  readonly body: string | Uint8Array;
}

/** A local HTTP server for one page; a POST of JSON to `/result` delivers the page's result. */
export interface PageServer {
  readonly origin: string;
  /** The JSON body of the next POST to `/result`. */
  nextResult<T>(): Promise<T>;
  close(): void;
}

/** Serves `files` (URL path → file) on 127.0.0.1 at a free port. */
export async function servePage(files: ReadonlyMap<string, ServedFile>): Promise<PageServer> {
  let deliver: ((r: unknown) => void) | undefined;
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method === 'POST' && path === '/result') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.writeHead(204).end();
        deliver?.(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      });
      return;
    }
    const file = files.get(path);
    if (!file) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': file.type }).end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return {
    origin: `http://127.0.0.1:${address.port}`,
    nextResult: <T>() => new Promise<T>((resolve) => (deliver = resolve as (r: unknown) => void)),
    close: () => server.close(),
  };
}

/**
 * Opens `url` in headless Chromium until the page posts its result to `server` (at most `timeoutMs`),
 * then stops that Chromium. (`--dump-dom` would need `--virtual-time-budget`, under which
 * `performance.now()` is virtual and a page's timings read 0.)
 */
export async function runInChromium<T>(server: PageServer, url: string, timeoutMs = 60_000): Promise<T> {
  if (!CHROMIUM) throw new Error(NO_CHROMIUM);
  const profile = mkdtempSync(join(tmpdir(), 'blockfold-chromium-'));
  const result = server.nextResult<T>();
  // Its own process group, so that stopping it stops the renderer and helper processes it started too.
  const chromium = spawn(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', `--user-data-dir=${profile}`, url], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  chromium.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
  const exited = once(chromium, 'exit');
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      result,
      exited.then(([code]) => Promise.reject(new Error(`chromium exited (${code}) before the page reported:\n${stderr}`))),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no result from the page after ${timeoutMs} ms:\n${stderr}`)), timeoutMs))),
    ]);
  } finally {
    clearTimeout(timer);
    if (chromium.exitCode === null && chromium.signalCode === null) {
      process.kill(-chromium.pid!, 'SIGTERM');
      await exited;
    }
    rmSync(profile, { recursive: true, force: true });
  }
}
