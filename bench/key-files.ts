/**
 * Working from key files against working with the keys `setup` returned, for each model:
 * - a `.vk`: its size and the CPU medians (this process's user + system time, interleaved runs) of decoding it, of
 *   verifying one proof with setup's key and with the decoded key, and their sum for the file (what `blockfold verify`
 *   pays after its warm-up);
 * - with `--prove`, a `.pk`: its size and the wall medians of decoding it and of proving with setup's key and with the
 *   decoded key (the proofs must be byte-identical).
 * Setup's keys reach the development SRS's Lagrange bases; a file's key holds those of the model's input and output
 * domains (`.vk`) or of every domain (`.pk`), `docs/protocol.md` "Verifier", so each pair of columns should agree.
 *
 * `node --import tsx bench/key-files.ts [model …] [--runs=9] [--prove]` (default the four bundled models; names in
 * `../shared/models`; proving runs a third as many times).
 * @module
 */
import { setUpBundled } from './models';
import { decodeProvingKey, decodeVerifyingKey, encodeProvingKey, encodeVerifyingKey, getDefaultEngine, prove, quantizeFeeds, verify } from '../src/index';

const args = process.argv.slice(2);
const runs = Number(args.find((a) => a.startsWith('--runs='))?.slice('--runs='.length) ?? 9);
const models = args.filter((a) => !a.startsWith('--'));
const proving = args.includes('--prove');

const cpuMs = async (f: () => Promise<unknown>): Promise<number> => {
  const start = process.cpuUsage();
  await f();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const wallMs = async (f: () => Promise<unknown>): Promise<number> => {
  const start = performance.now();
  await f();
  return performance.now() - start;
};
const ms = (x: number) => `${x.toFixed(1)} ms`;
const rows: string[] = [];

console.log('| model | .vk bytes | decode | verify, setup key | verify, file key | decode + verify |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const model of models.length > 0 ? models : ['zktorch-sample-mlp', 'fashion-mlp', 'fashion-cnn', 'fashion-attn']) {
  const { feeds, compiled, pk } = await setUpBundled(model, 'key-files');
  const { statement, proof } = await prove(pk, quantizeFeeds(compiled, feeds[0]), { seed: 'key-files' });
  const file = encodeVerifyingKey({ srs: { kind: 'dev', seed: 'blockfold' }, vk: pk.vk });
  const { vk } = await decodeVerifyingKey(file);
  for (const key of [pk.vk, vk]) if (!(await verify(key, statement, proof.bytes)).ok) throw new Error(`${model}: the proof was rejected`);
  const [decode, bySetup, byFile]: number[][] = [[], [], []];
  // Decodes first, then the verifies interleaved: a decode's garbage, collected during the verify after it, would be
  // counted as the verify's.
  for (let i = 0; i < runs; i++) decode.push(await cpuMs(() => decodeVerifyingKey(file)));
  for (let i = 0; i < runs; i++) {
    bySetup.push(await cpuMs(() => verify(pk.vk, statement, proof.bytes)));
    byFile.push(await cpuMs(() => verify(vk, statement, proof.bytes)));
  }
  console.log(`| ${model} | ${file.length.toLocaleString('en-US')} | ${ms(median(decode))} | ${ms(median(bySetup))} | ${ms(median(byFile))} | ${ms(median(decode) + median(byFile))} |`);
  if (!proving) continue;
  const pkFile = encodeProvingKey({ compiled: { model: compiled }, srs: { kind: 'dev', seed: 'blockfold' }, pk });
  const input = quantizeFeeds(compiled, feeds[0]);
  const loaded = (await decodeProvingKey(pkFile)).pk;
  const again = await prove(loaded, input, { seed: 'key-files' });
  if (Buffer.compare(Buffer.from(again.proof.bytes), Buffer.from(proof.bytes)) !== 0) throw new Error(`${model}: the .pk's proof differs`);
  const [readPk, proveSetup, proveFile]: number[][] = [[], [], []];
  for (let i = 0; i < Math.max(1, Math.round(runs / 3)); i++) {
    readPk.push(await wallMs(() => decodeProvingKey(pkFile)));
    proveSetup.push(await wallMs(() => prove(pk, input, { seed: 'key-files' })));
    proveFile.push(await wallMs(() => prove(loaded, input, { seed: 'key-files' })));
  }
  rows.push(`| ${model} | ${pkFile.length.toLocaleString('en-US')} | ${ms(median(readPk))} | ${ms(median(proveSetup))} | ${ms(median(proveFile))} |`);
}
if (proving) {
  console.log('\n| model | .pk bytes | decode (wall) | prove, setup key (wall) | prove, file key (wall) |\n| --- | ---: | ---: | ---: | ---: |');
  for (const row of rows) console.log(row);
}
await getDefaultEngine().close();
