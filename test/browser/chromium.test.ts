/**
 * The browser verifier in headless Chromium (Debian's `chromium`, which `.ci/run` installs): the example
 * page `examples/browser/index.html` loads the browser bundle of `blockfold/verify`, fetches a `.vk` and a
 * `.proof` of the sample MLP from a local HTTP server, and shows the verdict. A real proof is accepted with
 * the outputs the prover computed; the same proof with one bit flipped (the file re-sealed, so the flip
 * reaches the verifier instead of the checksum) is rejected; a proof given as the key is a typed error. Skipped,
 * saying why, only without Chromium.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeProof, decodeVerifyingKey, encodeProof, verifyProofFile } from '../../src/pipeline/artifacts';
import type { FloatOutput } from '../../src/pipeline/prove-verify';
import { bundleForBrowser } from './bundle';
import { NO_CHROMIUM, runInChromium, sampleFiles, servePage } from './chromium';

const PAGE = new URL('../../examples/browser/index.html', import.meta.url);

/** What the example page writes into `#result`. */
interface PageResult {
  readonly ok: boolean;
  readonly reason?: string;
  readonly error?: string;
  readonly outputs?: readonly FloatOutput[];
  readonly insecureSrs?: boolean;
  readonly keyMs?: number;
  readonly verifyMs?: number;
}

/** Added to the served example page: when the page writes its result into `#result`, post it to the test's server. */
const REPORT_BACK = `<script>
  const result = document.getElementById('result');
  const observer = new MutationObserver(() => {
    observer.disconnect();
    fetch('/result', { method: 'POST', body: result.textContent });
  });
  observer.observe(result, { childList: true, characterData: true, subtree: true });
</script>`;

/** The proof file with bit 0 of the proof's last byte flipped, re-encoded with a valid checksum. */
function flipOneBit(file: Uint8Array): Uint8Array {
  const a = decodeProof(file);
  const bytes = a.proof.bytes.slice();
  bytes[bytes.length - 1] ^= 1;
  return encodeProof({ ...a, proof: { bytes } });
}

/** CI (`.ci/run` sets BLOCKFOLD_REQUIRE_CHROMIUM=1) requires the browser test: a missing Chromium fails it instead of skipping it. */
const REQUIRED = process.env.BLOCKFOLD_REQUIRE_CHROMIUM === '1';

test('headless Chromium accepts a real proof of the sample MLP and rejects it with one bit flipped', { skip: (!REQUIRED && NO_CHROMIUM) || false }, async (t) => {
  const [files, bundle] = await Promise.all([sampleFiles(), bundleForBrowser()]);
  const server = await servePage(
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
    const accepted = await runInChromium<PageResult>(server, page);
    assert.equal(accepted.error, undefined);
    assert.equal(accepted.ok, true, accepted.reason);
    assert.deepEqual(accepted.outputs, files.outputs, 'the page shows the outputs the prover computed');
    assert.equal(accepted.insecureSrs, true, 'and flags the development SRS the key was made with');

    const rejected = await runInChromium<PageResult>(server, `${page}?proof=flipped.proof`);
    assert.equal(rejected.error, undefined);
    assert.equal(rejected.ok, false);
    assert.doesNotMatch(rejected.reason ?? '', /checksum/, 'rejected by the verifier, not by the file checksum');

    const wrongKey = await runInChromium<PageResult>(server, `${page}?vk=sample.proof`);
    assert.match(wrongKey.error ?? '', /^ArtifactError: this is a proof file, expected a verifying-key file/, 'a typed error, by its name');

    // The same two steps in Node, for the record (one cold run each; bench/browser-verify.ts measures medians).
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
