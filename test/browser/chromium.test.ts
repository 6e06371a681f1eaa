/**
 * The browser verifier in headless Chromium (Debian's `chromium`, which `.ci/run` installs): the example
 * page `examples/browser/index.html` loads the browser bundle of `blockfold/verify`, fetches a `.vk` and a
 * `.proof` of the sample MLP from a local HTTP server, and shows the verdict. A real proof is accepted with
 * the outputs the prover computed; the same proof with one bit flipped (the file re-sealed, so the flip
 * reaches the verifier instead of the checksum) is rejected. Skipped, saying why, only without Chromium.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEV_SEED, openSrs, type SrsSource } from '../../src/pipeline/api';
import { compiledModelArtifact, decodeProof, decodeVerifyingKey, encodeProof, encodeVerifyingKey, verifyProofFile } from '../../src/pipeline/artifacts';
import { calibrateOnnx, quantizeFeeds } from '../../src/pipeline/compile';
import { setup } from '../../src/pipeline/keys';
import { floatOutputs, prove } from '../../src/pipeline/prove-verify';
import { modelFile, sampleMlpInput, SAMPLE_MLP } from '../model/fixtures';
import { bundleForBrowser } from './bundle';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const PAGE = new URL('../../examples/browser/index.html', import.meta.url);

/** A `.vk` and a `.proof` file of the sample MLP, made as `blockfold setup --dev-srs` and `blockfold prove` do. */
async function sampleFiles() {
  const onnx = new Uint8Array(readFileSync(modelFile(SAMPLE_MLP)));
  const feeds = { input: sampleMlpInput() };
  const compiled = compiledModelArtifact(onnx, calibrateOnnx(onnx, [feeds]));
  const srs: SrsSource = { kind: 'dev', seed: DEV_SEED };
  const pk = await setup(compiled.model, await openSrs(srs, compiled.model.srsG1Powers));
  const { statement, proof } = await prove(pk, quantizeFeeds(compiled.model, feeds));
  return {
    vk: encodeVerifyingKey({ compiled, srs, vk: pk.vk }),
    proof: encodeProof({ verifyingKeyDigest: pk.vk.digest, statement, proof }),
    outputs: floatOutputs(compiled.model, statement),
  };
}

/** The proof file with bit 0 of the proof's last byte flipped, re-encoded with a valid checksum. */
function flipOneBit(file: Uint8Array): Uint8Array {
  const a = decodeProof(file);
  const bytes = a.proof.bytes.slice();
  bytes[bytes.length - 1] ^= 1;
  return encodeProof({ ...a, proof: { bytes } });
}

interface PageResult {
  readonly ok: boolean;
  readonly reason?: string;
  readonly error?: string;
  readonly outputs?: readonly { name: string; shape: number[]; values: number[] }[];
  readonly insecureSrs?: boolean;
  readonly keyMs?: number;
  readonly verifyMs?: number;
}

/**
 * Added to the served example page: when the page writes its result into `#result`, post it back to the
 * test's server. (Chromium's `--dump-dom` would need `--virtual-time-budget`, under which
 * `performance.now()` is virtual and the page's timings read 0.)
 */
const REPORT_BACK = `<script>
  const result = document.getElementById('result');
  const observer = new MutationObserver(() => {
    observer.disconnect();
    fetch('/result', { method: 'POST', body: result.textContent });
  });
  observer.observe(result, { childList: true, characterData: true, subtree: true });
</script>`;

/**
 * Serves `files` (path → body) on 127.0.0.1 at a free port; a POST to `/result` resolves the pending
 * {@link PageServer.nextResult}.
 */
interface PageServer {
  readonly origin: string;
  nextResult(): Promise<PageResult>;
  close(): void;
}

async function serve(files: ReadonlyMap<string, { type: string; body: string | Uint8Array }>): Promise<PageServer> {
  let deliver: ((r: PageResult) => void) | undefined;
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method === 'POST' && path === '/result') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        res.writeHead(204).end();
        deliver?.(JSON.parse(Buffer.concat(chunks).toString('utf8')) as PageResult);
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
    nextResult: () => new Promise((resolve) => (deliver = resolve)),
    close: () => server.close(),
  };
}

/** Opens `url` in headless Chromium until the page posts its result (at most 60 s), then stops that Chromium. */
async function loadInChromium(server: PageServer, url: string): Promise<PageResult> {
  const profile = mkdtempSync(join(tmpdir(), 'blockfold-chromium-'));
  const result = server.nextResult();
  // Its own process group, so that stopping it stops the renderer and helper processes it started too.
  const chromium = spawn(CHROMIUM!, ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', `--user-data-dir=${profile}`, url], {
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
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no result from the page after 60 s:\n${stderr}`)), 60_000))),
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

test('headless Chromium accepts a real proof of the sample MLP and rejects it with one bit flipped', { skip: CHROMIUM ? false : 'chromium is not installed (Debian package "chromium"; .ci/run installs it)' }, async (t) => {
  const [files, bundle] = await Promise.all([sampleFiles(), bundleForBrowser()]);
  const server = await serve(
    new Map([
      ['/examples/browser/index.html', { type: 'text/html', body: readFileSync(PAGE, 'utf8').replace('</body>', `${REPORT_BACK}\n</body>`) }],
      // Where the page imports the browser build from (dist/browser/verify.js after `npm run build`).
      ['/dist/browser/verify.js', { type: 'text/javascript', body: bundle.code }],
      ['/examples/browser/sample.vk', { type: 'application/octet-stream', body: files.vk }],
      ['/examples/browser/sample.proof', { type: 'application/octet-stream', body: files.proof }],
      ['/examples/browser/flipped.proof', { type: 'application/octet-stream', body: flipOneBit(files.proof) }],
    ]),
  );
  try {
    const page = `${server.origin}/examples/browser/index.html`;
    const accepted = await loadInChromium(server, page);
    assert.equal(accepted.error, undefined);
    assert.equal(accepted.ok, true, accepted.reason);
    assert.deepEqual(accepted.outputs, files.outputs, 'the page shows the outputs the prover computed');
    assert.equal(accepted.insecureSrs, true, 'and flags the development SRS the key was made with');

    const rejected = await loadInChromium(server, `${page}?proof=flipped.proof`);
    assert.equal(rejected.error, undefined);
    assert.equal(rejected.ok, false);
    assert.doesNotMatch(rejected.reason ?? '', /checksum/, 'rejected by the verifier, not by the file checksum');

    // The same two steps in Node, for the record (not asserted: this machine is shared and noisy).
    let start = performance.now();
    const { vk } = await decodeVerifyingKey(files.vk);
    const keyMs = performance.now() - start;
    start = performance.now();
    assert.equal((await verifyProofFile(vk, files.proof)).ok, true);
    const verifyMs = performance.now() - start;
    t.diagnostic(`Chromium: key ${accepted.keyMs!.toFixed(0)} ms, verify ${accepted.verifyMs!.toFixed(0)} ms; Node: key ${keyMs.toFixed(0)} ms, verify ${verifyMs.toFixed(0)} ms`);
    t.diagnostic(`flipped proof: ${rejected.reason}`);
  } finally {
    server.close();
  }
});
