/**
 * The page side of bench/browser-verify.ts: fetches the sample key and proof from the bench's server, times
 * them with {@link timeVerify} and posts the timings back.
 */
import { timeVerify } from './verify-timing';

// The project compiles without the DOM library: the page's URL is read through globalThis.
const { location } = globalThis as unknown as { location: { search: string } };
const bytes = async (url: string) => new Uint8Array(await (await fetch(url)).arrayBuffer());
const iterations = Number(new URLSearchParams(location.search).get('iterations'));
let report: unknown;
try {
  report = await timeVerify(await bytes('/sample.vk'), await bytes('/sample.proof'), iterations);
} catch (e) {
  report = { error: String(e) };
}
await fetch('/result', { method: 'POST', body: JSON.stringify(report) });
