/**
 * The range basis of a ceremony from its powers alone (`rangeBasisFromPowers`: MSMs for `[Z_S(τ)]₁`, `[τ·Z_S(τ)]₁`
 * and `Engine.rangeKBasisG1` for the K basis), timed on the WebAssembly engine for each worker count given, on the
 * powers of a development SRS treated as a ceremony's (its τ is used only afterwards, to check that every point equals
 * `rangeBasisFromTau`'s), then `checkRangeBasis` on the result. Wall and CPU seconds of the process (workers included).
 *
 * `node --import tsx bench/range-basis.ts [log2 n = 16] [--workers=0,2]`
 * @module
 */
import { createWasmEngine } from '../src/engine/wasm/engine';
import { checkRangeBasis, createInsecureDevSrs, devSrsTau, rangeBasisFromPowers, rangeBasisFromTau } from '../src/srs/index';

const args = process.argv.slice(2);
const log = Number(args.find((a) => !a.startsWith('--')) ?? 16);
const workerCounts = (args.find((a) => a.startsWith('--workers='))?.slice('--workers='.length) ?? '0').split(',').map(Number);
const n = 2 ** log;
const seed = 'range-basis-bench';

const cpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

const setupEngine = createWasmEngine();
const srs = await createInsecureDevSrs(log + 1, { seed, g1Powers: n + 2, g2Powers: 2, engine: setupEngine });
const want = await rangeBasisFromTau(devSrsTau(seed), n, setupEngine);
console.log(`n = ${n}: ${n + 2} G1 powers of a development SRS, τ unknown to the computation`);

for (const workers of workerCounts) {
  const engine = createWasmEngine({ workers });
  let reported = 0;
  const wall = performance.now();
  const cpu = cpuSeconds();
  const basis = await rangeBasisFromPowers(srs.g1Powers, n, engine, {
    onProgress: (done, total) => {
      if (done / total >= reported + 0.1) {
        reported = Math.floor((10 * done) / total) / 10;
        console.log(`  ${(100 * reported).toFixed(0)} % after ${((performance.now() - wall) / 1000).toFixed(0)} s`);
      }
    },
  });
  const seconds = (performance.now() - wall) / 1000;
  const cpuUsed = cpuSeconds() - cpu;
  const same =
    basis.vanishing.equals(want.vanishing) && basis.shiftedVanishing.equals(want.shiftedVanishing) && basis.kBasis.every((k, v) => k.equals(want.kBasis[v]));
  const checkStart = performance.now();
  await checkRangeBasis(basis, srs, engine);
  const check = (performance.now() - checkStart) / 1000;
  console.log(
    `workers ${workers}: ${seconds.toFixed(1)} s wall, ${cpuUsed.toFixed(1)} s CPU; equal to rangeBasisFromTau: ${same}; checkRangeBasis ${check.toFixed(2)} s`,
  );
  await engine.close();
  if (!same) process.exitCode = 1;
}
await setupEngine.close();
