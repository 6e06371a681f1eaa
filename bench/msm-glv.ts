/**
 * Per-MSM A/B of the GLV endomorphism in the G1 kernels: for each size n, the plain Pippenger MSM of n full-width
 * scalars (window `windowBits(n)`) and the MSM of their 2n GLV halves over the pairs (P_i, φ(P_i)) (window
 * `glvWindowBits`, split included), alternated in one process over the same resident random bases and seeded
 * scalars; median CPU ms of each (one thread, so CPU time is steady on a shared machine). `--widths` also times
 * the neighbouring windows of each, the measurement the window choice rests on.
 *
 * `node --import tsx bench/msm-glv.ts [n …] [--runs=7] [--widths]` (default n: 1024 4096 16384).
 * @module
 */
import { G1_ONE } from '../src/curve';
import { frStream } from './seeded';
import { GLV_BITS } from '../src/engine/wasm/glv';
import { Kernels } from '../src/engine/wasm/kernels';
import { glvWindowBits, windowBits, windowCount, scalarWindows } from '../src/engine/wasm/msm-plan';

const args = process.argv.slice(2);
const sizes = args.filter((a) => !a.startsWith('--')).map(Number);
const runs = Number(args.find((a) => a.startsWith('--runs='))?.slice('--runs='.length) ?? 7);
const widths = args.includes('--widths');
if (sizes.length === 0) sizes.push(1024, 4096, 16384);

/** Deterministic pseudo-random Fr elements, so runs are comparable. */
const randomFr = frStream(0x5eedn);
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];

const kernels = new Kernels();
const N = Math.max(...sizes);
const bases = kernels.loadPoints('g1', randomFr(N).map((s) => G1_ONE.multiply(s)));
const pairs = kernels.loadGlvBases(bases, N);

for (const n of sizes) {
  const scalars = randomFr(n);
  const plain = (c: number) => () => kernels.scratch((alloc) => kernels.msm('g1', bases, kernels.writeScalars(alloc, scalars), n, c));
  const glv = (c: number) => () =>
    kernels.scratch((alloc) => {
      const halves = kernels.glvSplit(alloc, kernels.writeScalars(alloc, scalars), n);
      return kernels.msmPart('g1', pairs, halves, 2 * n, c, 0, scalarWindows(GLV_BITS, c));
    });
  const c = windowBits(n);
  const g = glvWindowBits(n, n);
  const cases: Array<[string, () => unknown]> = [
    [`plain c=${c} (${windowCount(c)} windows)`, plain(c)],
    [`glv c=${g} (${scalarWindows(GLV_BITS, g)} windows)`, glv(g)],
  ];
  if (widths) cases.push([`plain c=${c - 1}`, plain(c - 1)], [`plain c=${c + 1}`, plain(c + 1)], [`glv c=${g - 1}`, glv(g - 1)], [`glv c=${g + 1}`, glv(g + 1)]);
  const times: number[][] = cases.map(() => []);
  for (let run = 0; run <= runs; run++)
    cases.forEach(([, fn], k) => {
      const start = cpuMs();
      fn();
      if (run > 0) times[k].push(cpuMs() - start);
    });
  const base = median(times[0]);
  console.log(`n = ${n}: ${cases.map(([label], k) => `${label} ${median(times[k]).toFixed(1)} ms (${(median(times[k]) / base).toFixed(3)})`).join(' | ')}`);
}
