/**
 * Verifying from a `.vk` file against verifying with the key `setup` returned: for each model, the file's size and the
 * CPU medians (this process's user + system time, interleaved runs) of decoding the file, of verifying one proof with
 * setup's key and of verifying it with the decoded key, and their sum for the file: what `blockfold verify` pays
 * after its warm-up. Setup's key reaches the development SRS's Lagrange bases; a file's key holds those of the model's
 * input and output domains (`docs/protocol.md`, "Verifier"), so the two verify columns should agree.
 *
 * `node --import tsx bench/key-file-verify.ts [model …] [--runs=9]` (default the four bundled models; names in
 * `../shared/models`).
 * @module
 */
import { readFileSync } from 'node:fs';
import { feedsFor, MODELS } from './models';
import { compile, createInsecureDevSrs, decodeVerifyingKey, encodeVerifyingKey, getDefaultEngine, prove, quantizeFeeds, setup, verify } from '../src/index';

const args = process.argv.slice(2);
const runs = Number(args.find((a) => a.startsWith('--runs='))?.slice('--runs='.length) ?? 9);
const models = args.filter((a) => !a.startsWith('--'));

const cpuMs = async (f: () => Promise<unknown>): Promise<number> => {
  const start = process.cpuUsage();
  await f();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

console.log('| model | .vk bytes | decode | verify, setup key | verify, file key | decode + verify |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const model of models.length > 0 ? models : ['zktorch-sample-mlp', 'fashion-mlp', 'fashion-cnn', 'fashion-attn']) {
  const feeds = feedsFor(model);
  const compiled = compile(readFileSync(new URL(`${model}.onnx`, MODELS)), feeds.slice(0, 8));
  const srs = await createInsecureDevSrs(Math.ceil(Math.log2(compiled.srsG1Powers)), { g1Powers: compiled.srsG1Powers, g2Powers: 2 });
  const pk = await setup(compiled, srs, { seed: 'key-file-verify' });
  const { statement, proof } = await prove(pk, quantizeFeeds(compiled, feeds[0]), { seed: 'key-file-verify' });
  const file = encodeVerifyingKey({ srs: { kind: 'dev', seed: 'blockfold' }, vk: pk.vk });
  const { vk } = await decodeVerifyingKey(file);
  for (const key of [pk.vk, vk]) if (!(await verify(key, statement, proof.bytes)).ok) throw new Error(`${model}: the proof was rejected`);
  const [decode, bySetup, byFile]: number[][] = [[], [], []];
  for (let i = 0; i < runs; i++) {
    decode.push(await cpuMs(() => decodeVerifyingKey(file)));
    bySetup.push(await cpuMs(() => verify(pk.vk, statement, proof.bytes)));
    byFile.push(await cpuMs(() => verify(vk, statement, proof.bytes)));
  }
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  console.log(`| ${model} | ${file.length.toLocaleString('en-US')} | ${ms(median(decode))} | ${ms(median(bySetup))} | ${ms(median(byFile))} | ${ms(median(decode) + median(byFile))} |`);
}
await getDefaultEngine().close();
