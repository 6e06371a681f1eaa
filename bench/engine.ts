/**
 * Engine suite: the heavy operations of every engine side by side (reference = `@noble/curves`, wasm on the
 * calling thread, wasm with 2 worker threads), as medians in ms with the speed-up over the reference engine.
 * The reference G1 MSM 2^16 (~10 s a call) is not run: its cell is extrapolated from the 2^14 median by
 * Pippenger's n/log n scaling and marked "≈".
 */
import { Bench } from 'tinybench';
import { G1_ONE, G2_ONE, type G1Point, type G2Point } from '../src/curve';
import type { Engine } from '../src/engine/engine';
import { createReferenceEngine } from '../src/engine/reference';
import { createWasmEngine, type WasmEngine } from '../src/engine/wasm/engine';
import { writeWordsArray } from '../src/engine/wasm/codec';
import { Fr } from '../src/field';
import { frStream } from './seeded';

/** Suite name shown by bench/run.ts. */
export const name = 'engine';

/** Deterministic pseudo-random Fr elements, so runs are comparable. */
const randomFr = frStream(0x5eedn);

/** CPU time (ms, all threads of the process) of each run of the last {@link median} call. */
let cpuSamples: number[] = [];

/** Median latency (ms) of `fn` over `iterations` runs after one warm-up run; records each run's CPU time. */
async function median(fn: () => unknown, iterations: number): Promise<number> {
  const bench = new Bench({ iterations, time: 0, warmupIterations: 1, warmupTime: 0 });
  cpuSamples = [];
  bench.add('op', async () => {
    const start = process.cpuUsage();
    await fn();
    const used = process.cpuUsage(start);
    cpuSamples.push((used.user + used.system) / 1000);
  });
  await bench.run();
  const result = bench.tasks[0].result;
  if (!('latency' in result)) throw new Error(`benchmark failed: ${result.state}`);
  return result.latency.p50;
}

/** Median CPU time of the runs of the last {@link median} call (its warm-up run excluded). */
function medianCpu(): number {
  const runs = cpuSamples.slice(1).sort((a, b) => a - b);
  return runs[Math.floor(runs.length / 2)];
}

interface Row {
  op: string;
  reference?: number | { extrapolated: number };
  wasm?: number;
  wasmCpu?: number;
  wasm2?: number;
}

function cell(ms: number | { extrapolated: number } | undefined): string {
  if (ms === undefined) return '—';
  if (typeof ms === 'number') return ms < 0.01 ? `${(ms * 1e6).toFixed(0)} ns` : ms.toFixed(1);
  return `≈${ms.extrapolated.toFixed(0)}`;
}

function ratio(ref: Row['reference'], ms: number | undefined): string {
  if (ref === undefined || ms === undefined) return '—';
  const r = typeof ref === 'number' ? ref : ref.extrapolated;
  return `${(r / ms).toFixed(1)}×`;
}

/** Runs the engine suite and prints its table. */
export async function run(): Promise<void> {
  const reference = createReferenceEngine();
  const wasm = createWasmEngine();
  const wasm2 = createWasmEngine({ workers: 2 });
  const engines: Array<[keyof Row, Engine]> = [['reference', reference], ['wasm', wasm], ['wasm2', wasm2]];
  const rows: Row[] = [];
  try {
    console.log('engine suite: generating bases…');
    const g1Points: G1Point[] = await wasm.fixedBaseG1(G1_ONE, randomFr(1 << 16));
    const g2Points: G2Point[] = await wasm.fixedBaseG2(G2_ONE, randomFr(1 << 12));
    const scalars = randomFr(1 << 16);

    const [a, b] = randomFr(2);
    const k = wasm.kernels;
    // Operands a, b (Montgomery form) resident in the kernels' memory, three copies for the 3-way product.
    const pa = k.allocResident(6 * 36);
    k.scratch((alloc) => k.exports.fr_fromWordsN(pa, k.writeScalars(alloc, [a, b, a, b, a, b]), 6));
    const referenceMul = (await median(() => { let x = a; for (let i = 0; i < 1000; i++) x = Fr.mul(x, b); return x; }, 200)) / 1000;
    rows.push({
      op: 'Fr mul (per mul, in a loop of 1000)',
      reference: referenceMul,
      wasm: (await median(() => { for (let i = 0; i < 1000; i++) k.exports.fr_mul(pa, pa, pa + 36); }, 200)) / 1000,
    });
    rows.push({
      op: 'Fr mul, 3-way SIMD + scalar kernel (per product)',
      reference: referenceMul,
      wasm: (await median(() => { for (let i = 0; i < 1000; i++) k.exports.fr_mul3(pa, pa, pa + 36, pa + 72, pa + 72, pa + 108, pa + 144, pa + 144, pa + 180); }, 200)) / 3000,
    });

    const values = randomFr(1 << 16);
    const words = new Uint8Array(values.length * 32);
    writeWordsArray(new DataView(words.buffer), 0, values);
    const referenceNtt = await median(() => reference.ntt(values), 3);
    rows.push({ op: 'NTT 2^16 (bigint in/out)', reference: referenceNtt, wasm: await median(() => wasm.ntt(values), 10), wasmCpu: medianCpu() });
    rows.push({ op: 'NTT 2^16 (bytes in/out, nttWords)', wasm: await median(() => (wasm as WasmEngine).nttWords(words), 10), wasmCpu: medianCpu() });

    const g1 = new Map<Engine, Awaited<ReturnType<Engine['loadG1Bases']>>>();
    const g2 = new Map<Engine, Awaited<ReturnType<Engine['loadG2Bases']>>>();
    for (const [, e] of engines) {
      g1.set(e, await e.loadG1Bases(g1Points));
      g2.set(e, await e.loadG2Bases(g2Points));
    }
    for (const log of [10, 14, 16]) {
      const s = scalars.slice(0, 1 << log);
      const row: Row = { op: `G1 MSM 2^${log}` };
      for (const [col, e] of engines) {
        if (e === reference && log === 16) continue;
        const iterations = e === reference ? (log === 10 ? 5 : 2) : log === 10 ? 20 : 5;
        (row as unknown as Record<string, number>)[col] = await median(() => e.msmG1(g1.get(e)!, s), iterations);
        if (e === wasm) row.wasmCpu = medianCpu();
      }
      if (log === 16 && typeof rows.at(-1)?.reference === 'number') row.reference = { extrapolated: ((rows.at(-1)!.reference as number) * 4 * 14) / 16 };
      rows.push(row);
    }
    // Mostly zero scalars over resident bases (a logUp helper's Lagrange values, the range table's counts): their
    // cost follows the nonzero terms (msm-plan.ts gathersNonzero), not the length.
    for (const [log, nonzero, short] of [[12, 16, false], [12, 378, false], [12, 378, true], [16, 300, false]] as const) {
      const s = new Array<bigint>(1 << log).fill(0n);
      for (let j = 0; j < nonzero; j++) s[(j * 0x9e3779b1) % (1 << log)] = short ? BigInt(j + 1) : scalars[j];
      const row: Row = { op: `G1 MSM 2^${log}, ${nonzero} nonzero ${short ? 'short' : 'full-width'} scalars` };
      for (const [col, e] of engines) {
        if (e === reference) continue;
        (row as unknown as Record<string, number>)[col] = await median(() => e.msmG1(g1.get(e)!, s), 20);
        if (e === wasm) row.wasmCpu = medianCpu();
      }
      rows.push(row);
    }
    for (const log of [10, 12]) {
      const s = scalars.slice(0, 1 << log);
      const row: Row = { op: `G2 MSM 2^${log}` };
      for (const [col, e] of engines) {
        (row as unknown as Record<string, number>)[col] = await median(() => e.msmG2(g2.get(e)!, s), e === reference ? 2 : 5);
        if (e === wasm) row.wasmCpu = medianCpu();
      }
      rows.push(row);
    }
    const pairs = [0, 1, 2, 3].map((i) => ({ g1: g1Points[i], g2: g2Points[i] }));
    for (const [label, terms] of [['pairing (1 pair)', pairs.slice(0, 1)], ['pairing check (4 pairs)', pairs]] as const) {
      rows.push({ op: label, reference: await median(() => reference.multiPairing(terms), 10), wasm: await median(() => wasm.multiPairing(terms), 10) });
    }
  } finally {
    await wasm2.close();
  }
  console.log('\nengine: medians in ms (wasm×2 = 2 worker threads; ratio = reference ÷ engine; wasm cpu = CPU time of the');
  console.log('single-threaded wasm runs, which a loaded machine inflates less than wall time)');
  console.table(
    rows.map((r) => ({
      operation: r.op,
      reference: cell(r.reference),
      wasm: cell(r.wasm),
      'wasm cpu': cell(r.wasmCpu),
      'wasm ×2 workers': cell(r.wasm2),
      'ratio wasm': ratio(r.reference, r.wasm),
      'ratio wasm×2': ratio(r.reference, r.wasm2),
    })),
  );
}
