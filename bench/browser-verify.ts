/**
 * Verifying the sample MLP's proof in headless Chromium against Node: the same code (bench/verify-timing.ts,
 * through `blockfold/verify`), the browser build in the page and the sources in Node, on the same `.vk` and
 * `.proof` files. Single-threaded on both sides (the browser build has no worker threads; Node uses the
 * default engine, `BLOCKFOLD_WORKERS` unset). `node --import tsx bench/browser-verify.ts [iterations]`.
 */
import { fileURLToPath } from 'node:url';
import { bundleForBrowser } from '../test/browser/bundle';
import { NO_CHROMIUM, runInChromium, sampleFiles, servePage } from '../test/browser/chromium';
import { timeVerify, type VerifyTimings } from './verify-timing';

export const name = 'browser-verify';

export async function run(iterations = 10): Promise<void> {
  if (NO_CHROMIUM) return void console.log(`skipped: ${NO_CHROMIUM}`);
  const files = await sampleFiles();
  const page = await bundleForBrowser(fileURLToPath(new URL('./browser-verify-page.ts', import.meta.url)));
  const server = await servePage(
    new Map([
      ['/', { type: 'text/html', body: '<!doctype html><script type="module" src="/bench.js"></script>' }],
      ['/bench.js', { type: 'text/javascript', body: page.code }],
      ['/sample.vk', { type: 'application/octet-stream', body: files.vk }],
      ['/sample.proof', { type: 'application/octet-stream', body: files.proof }],
    ]),
  );
  try {
    const chromium = await runInChromium<VerifyTimings | { error: string }>(server, `${server.origin}/?iterations=${iterations}`, 600_000);
    if ('error' in chromium) throw new Error(`in Chromium: ${chromium.error}`);
    const node = await timeVerify(files.vk, files.proof, iterations);
    const ms = (x: number) => +x.toFixed(1);
    console.table([
      { where: 'chromium', 'decode key ms': ms(chromium.decodeKeyMs), 'verify ms': ms(chromium.verifyMs), iterations },
      { where: 'node', 'decode key ms': ms(node.decodeKeyMs), 'verify ms': ms(node.verifyMs), iterations },
    ]);
  } finally {
    server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run(process.argv[2] ? Number(process.argv[2]) : undefined);
