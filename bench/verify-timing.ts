/**
 * Median times of the two steps of checking a proof file, measured the same way in Node and in a browser
 * page (bench/browser-verify.ts runs both): decoding the verifying-key file (which recompiles the model and
 * reopens the SRS), and verifying the proof file against the decoded key. Imports only `blockfold/verify`
 * and tinybench, so it bundles for the browser.
 */
import { Bench } from 'tinybench';
import { decodeVerifyingKey, initWasm, verifyProofFile } from '../src/verify';

/** Medians in milliseconds over `iterations` runs, after one untimed run of each step. */
export interface VerifyTimings {
  readonly decodeKeyMs: number;
  readonly verifyMs: number;
  readonly iterations: number;
}

/** Times decoding `vkFile` and verifying `proofFile` against it; throws if the proof is rejected. */
export async function timeVerify(vkFile: Uint8Array, proofFile: Uint8Array, iterations: number): Promise<VerifyTimings> {
  await initWasm();
  const { vk } = await decodeVerifyingKey(vkFile);
  const first = await verifyProofFile(vk, proofFile);
  if (!first.ok) throw new Error(`the proof was rejected: ${first.reason}`);
  const bench = new Bench({ iterations, time: 0, warmup: false });
  bench.add('decode key', () => decodeVerifyingKey(vkFile));
  bench.add('verify', () => verifyProofFile(vk, proofFile));
  await bench.run();
  const median = (name: string) => {
    const result = bench.getTask(name)?.result;
    if (!result || !('latency' in result)) throw new Error(`benchmark "${name}" failed`);
    return result.latency.p50;
  };
  return { decodeKeyMs: median('decode key'), verifyMs: median('verify'), iterations };
}
