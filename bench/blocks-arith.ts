/**
 * Arithmetic blocks benchmark (linear add, Hadamard, matmul with weights, matmul of two committed operands, sum,
 * max): prove and verify time, proof size, and the ratio of prove time to the commitment floor (committing every
 * witness row of the instance once; weights are committed at setup and not counted) at 2^8, 2^12 and 2^16 elements.
 *
 * Shapes at 2^e elements: linear, Hadamard, sum: 16 rows of 2^(e−4); matmul: m = k = n = 2^(e/2) (each matrix has
 * 2^e cells); max: 4 candidate rows of 2^(e−2) (2×2 pooling of 2^e input cells).
 *
 * Run: `node --import tsx bench/blocks-arith.ts [logSizes…]` (default 8 12 16).
 */
import { Bench } from 'tinybench';
import { G1_ONE, G2_ONE } from '../src/curve';
import { getDefaultEngine } from '../src/engine/index';
import { Fr } from '../src/field';
import { createKzgKey } from '../src/kzg/key';
import { devSrsTau } from '../src/srs/dev';
import type { Block, BlockContext, Tensors } from '../blocks/block';
import { commitRows } from '../blocks/commit-rows';
import { proveBlock, verifyBlock } from '../blocks/conformance';
import { LinearBlock } from '../blocks/elementwise';
import { HadamardBlock } from '../blocks/hadamard';
import { MatmulBlock } from '../blocks/matmul';
import { MaxBlock } from '../blocks/max';
import { SumBlock } from '../blocks/sum';
import type { G1Point } from '../src/curve';
import { smallMatrix } from './seeded';

/** One measured (block, size). */
export interface ArithBenchRow {
  readonly block: string;
  readonly elements: number;
  readonly proveMs: number;
  readonly verifyMs: number;
  readonly proofBytes: number;
  readonly floorMs: number;
  readonly proveOverFloor: number;
}

interface Case {
  readonly name: string;
  readonly block: Block;
  readonly inputs: Tensors;
}

function cases(e: number): Case[] {
  const n = 1 << (e - 4);
  const side = 1 << (e >> 1);
  const half = 1 << (e - (e >> 1));
  return [
    { name: 'linear add', block: new LinearBlock({ operation: { op: 'add' }, rows: 16, domain: n }), inputs: { a: smallMatrix(16, n, 1), b: smallMatrix(16, n, 2) } },
    { name: 'hadamard', block: new HadamardBlock({ rows: 16, domain: n }), inputs: { a: smallMatrix(16, n, 3), b: smallMatrix(16, n, 4) } },
    { name: 'matmul W', block: new MatmulBlock({ m: side, k: half, n: side, fixedB: true }), inputs: { a: smallMatrix(side, half, 5), b: smallMatrix(side, half, 6) } },
    { name: 'matmul AB', block: new MatmulBlock({ m: side, k: half, n: side }), inputs: { a: smallMatrix(side, half, 7), b: smallMatrix(side, half, 8) } },
    { name: 'sum', block: new SumBlock({ rows: 16, length: n }), inputs: { x: smallMatrix(16, n, 9) } },
    { name: 'max 2×2', block: new MaxBlock({ candidates: 4, rows: 1, domain: 1 << (e - 2), bits: 8 }), inputs: { x: smallMatrix(4, 1 << (e - 2), 10) } },
  ];
}

/** Runs the suite for 2^e elements per e in `logSizes`; times are tinybench medians (one run at 2^14 and above). */
export async function arithBenchSuite(logSizes: readonly number[] = [8, 12, 16]): Promise<ArithBenchRow[]> {
  const engine = getDefaultEngine();
  const maxN = 1 << Math.max(...logSizes);
  const tau = devSrsTau('bench/arith');
  const powers = [1n];
  for (let i = 1; i < maxN; i++) powers.push(Fr.mul(powers[i - 1], tau));
  const kzg = await createKzgKey(engine, await engine.fixedBaseG1(G1_ONE, powers), G2_ONE, G2_ONE.multiply(tau));
  const ctx: BlockContext = { engine, kzg };
  const rows: ArithBenchRow[] = [];
  for (const e of logSizes) {
    for (const c of cases(e)) {
      const tensors: Tensors = { ...c.inputs, ...c.block.witness(c.inputs) };
      const protocol = c.block.protocol(ctx);
      const iterations = e >= 14 ? 1 : 3;
      let commitments: Record<string, G1Point[]> = {};
      const floor = new Bench({ iterations, time: 0, warmup: false });
      floor.add('floor', async () => {
        commitments = {};
        for (const t of c.block.tensors) commitments[t.name] = t.fixed ? [] : await commitRows(kzg, tensors[t.name], t.domain);
      });
      await floor.run();
      for (const t of c.block.tensors) if (t.fixed) commitments[t.name] = await commitRows(kzg, tensors[t.name], t.domain);
      const statement = c.block.statement(commitments);
      let proof: Uint8Array = new Uint8Array();
      const bench = new Bench({ iterations, time: 0, warmup: false });
      bench.add('prove', async () => void (proof = await proveBlock(c.block, ctx, protocol, statement, tensors)));
      bench.add('verify', async () => {
        const verdict = await verifyBlock(ctx, protocol, statement, proof);
        if (!verdict.ok) throw new Error(`${c.name} 2^${e}: honest proof rejected: ${verdict.reason}`);
      });
      await bench.run();
      const median = (b: Bench, name: string) => {
        const task = b.getTask(name);
        if (task?.result && 'error' in task.result && task.result.error) throw task.result.error;
        const result = task?.result;
        return result && 'latency' in result ? result.latency.p50 : NaN;
      };
      const proveMs = median(bench, 'prove');
      const floorMs = median(floor, 'floor');
      rows.push({ block: c.name, elements: 1 << e, proveMs, verifyMs: median(bench, 'verify'), proofBytes: proof.length, floorMs, proveOverFloor: proveMs / floorMs });
    }
  }
  return rows;
}

export const name = 'blocks: linear, hadamard, matmul, sum, max';

/** Prints the per-block table (medians in ms). */
export async function run(logSizes?: readonly number[]): Promise<void> {
  const rows = await arithBenchSuite(logSizes);
  console.log(`engine: ${getDefaultEngine().name}, workers: ${getDefaultEngine().workers}`);
  console.table(rows.map((r) => ({ ...r, proveMs: r.proveMs.toFixed(0), verifyMs: r.verifyMs.toFixed(0), floorMs: r.floorMs.toFixed(0), proveOverFloor: r.proveOverFloor.toFixed(1) })));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = process.argv.slice(2).map(Number);
  await run(sizes.length > 0 ? sizes : undefined);
  await getDefaultEngine().close();
}
