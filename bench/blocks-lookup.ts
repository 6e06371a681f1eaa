/**
 * Lookup block benchmark: prove and verify time, proof size, and the ratio of prove time to the commitment
 * floor (committing the looked-up row once), for 2^8, 2^12 and 2^16 lookups in one row, into range tables of
 * 2^8, 2^12 and 2^16 entries. The verifier's table commitment is computed once per (table, SRS) and cached;
 * `verify (cold)` includes it, `verify` does not.
 *
 * Run: `node --import tsx bench/blocks-lookup.ts [logSizes…]` (default 8 12 16).
 */
import { Bench } from 'tinybench';
import { G1_ONE, G2_ONE } from '../src/curve';
import { getDefaultEngine } from '../src/engine/index';
import { Fr } from '../src/field';
import { createKzgKey } from '../src/kzg/key';
import { devSrsTau } from '../src/srs/dev';
import { commitRows } from '../blocks/commit-rows';
import { proveBlock, verifyBlock } from '../blocks/conformance';
import { LookupBlock } from '../blocks/lookup';
import { rangeTable } from '../blocks/tables';

/** One measured size. */
export interface LookupBenchRow {
  readonly lookups: number;
  readonly tableEntries: number;
  readonly proveMs: number;
  readonly verifyColdMs: number;
  readonly verifyMs: number;
  readonly proofBytes: number;
  readonly floorMs: number;
  readonly proveOverFloor: number;
}

/** Runs the suite for `2^k` lookups per k in `logSizes`; each prove/verify is timed by tinybench (median). */
export async function lookupBenchSuite(logSizes: readonly number[] = [8, 12, 16]): Promise<LookupBenchRow[]> {
  const engine = getDefaultEngine();
  const maxN = 1 << Math.max(...logSizes);
  const tau = devSrsTau('bench/lookup');
  const powers = [1n];
  for (let i = 1; i < maxN; i++) powers.push(Fr.mul(powers[i - 1], tau));
  const kzg = await createKzgKey(engine, await engine.fixedBaseG1(G1_ONE, powers), G2_ONE, G2_ONE.multiply(tau));
  const ctx = { engine, kzg };
  const rows: LookupBenchRow[] = [];
  for (const k of logSizes) {
    const n = 1 << k;
    const table = rangeTable(0n, BigInt(n));
    const block = new LookupBlock(table, [{ input: 'x', rows: 1, domain: n, length: n }]);
    const x = [Array.from({ length: n }, (_, i) => BigInt((i * 7919) % n))];
    const protocol = block.protocol(ctx);
    const iterations = k >= 14 ? 1 : 3;
    let proof: Uint8Array = new Uint8Array();
    let statement = {};
    const floor = new Bench({ iterations, time: 0, warmup: false });
    floor.add('floor', async () => void (statement = block.statement({ x: await commitRows(kzg, x, n) })));
    await floor.run();
    const cold = performance.now();
    proof = await proveBlock(block, ctx, protocol, statement, { x });
    const proveOnce = performance.now() - cold;
    const verifyCold = performance.now();
    if (!(await verifyBlock(ctx, protocol, statement, proof)).ok) throw new Error(`lookup 2^${k}: honest proof rejected`);
    const verifyColdMs = performance.now() - verifyCold;
    const bench = new Bench({ iterations, time: 0, warmup: false });
    bench.add('prove', async () => void (proof = await proveBlock(block, ctx, protocol, statement, { x })));
    bench.add('verify', async () => void (await verifyBlock(ctx, protocol, statement, proof)));
    if (iterations > 1) await bench.run();
    const median = (b: Bench, name: string, fallback: number) => {
      const result = b.getTask(name)?.result;
      return result && 'latency' in result ? result.latency.p50 : fallback;
    };
    const proveMs = iterations > 1 ? median(bench, 'prove', proveOnce) : proveOnce;
    const verifyMs = iterations > 1 ? median(bench, 'verify', verifyColdMs) : verifyColdMs;
    const floorMs = median(floor, 'floor', NaN);
    rows.push({ lookups: n, tableEntries: table.inputs.length, proveMs, verifyColdMs, verifyMs, proofBytes: proof.length, floorMs, proveOverFloor: proveMs / floorMs });
  }
  return rows;
}

export const name = 'blocks: lookup';

/** Prints the lookup table (medians in ms). */
export async function run(logSizes?: readonly number[]): Promise<void> {
  const rows = await lookupBenchSuite(logSizes);
  console.log(`engine: ${getDefaultEngine().name}`);
  console.table(rows.map((r) => ({ ...r, proveMs: r.proveMs.toFixed(0), verifyColdMs: r.verifyColdMs.toFixed(0), verifyMs: r.verifyMs.toFixed(0), floorMs: r.floorMs.toFixed(0), proveOverFloor: r.proveOverFloor.toFixed(1) })));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = process.argv.slice(2).map(Number);
  await run(sizes.length > 0 ? sizes : undefined);
  await getDefaultEngine().close();
}
