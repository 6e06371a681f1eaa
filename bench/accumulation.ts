/**
 * Accumulation suite: fold throughput on the calling thread and on worker threads, verify time of the
 * folded and the direct batch path for 1…1024 leaves (with the multi-pairing count), prover time and proof
 * bytes with and without folding, and aggregation of 1, 8 and 64 proofs. Proofs carry no final
 * accumulator; its size is shown apart, as not sent.
 *
 * Leaves are KZG openings `e(C,[1]₂) − y·e([1]₁,[1]₂) + ζ·e(π,[1]₂) − e(π,[τ]₂) = 0` (G1 cells only, the
 * common case), and for the GT-cell cost a protocol with a G2 message. Run alone with
 * `node --import tsx bench/accumulation.ts` (`BLOCKFOLD_ENGINE=reference` for the noble engine; set
 * `ACCUMULATION_BENCH_MAX_LEAVES` to stop earlier than 1024).
 */
import { Bench } from 'tinybench';
import { createEngine } from '../src/engine/index';
import type { Engine } from '../src/engine/engine';
import type { SlotValues } from '../src/equations/equation';
import { Transcript } from '../src/transcript';
import { leafLabel, proveLeaf, type LeafInstance } from '../blocks/leaf';
import type { Protocol } from '../blocks/protocol';
import { g2Protocol, g2Witness as g2Product, kzgProtocol, kzgWitness as kzgOpening } from '../test/accumulation/fixtures';
import type { MessageSource } from '../blocks/schedule';
import { aggregateFolded, verifyAggregated } from '../accumulation/aggregate';
import type { LeafStatement } from '../accumulation/leaves';
import { FoldPool } from '../accumulation/pool';
import { encodeAggregatedProof, encodeDirectProof, encodeFoldedProof } from '../accumulation/proof';
import { directProof, foldLeaves, type FoldedProofPart } from '../accumulation/prove';
import { aggregatedProofSize, foldedProofSize } from '../accumulation/size';
import { verifyDirect, verifyFolded } from '../accumulation/verify';

/** Suite name shown by bench/run.ts. */
export const name = 'accumulation';

/** The KZG-opening and G2-slot protocols of the accumulation tests, with witnesses indexed by leaf. */
const kzg = kzgProtocol;
const withG2 = g2Protocol;
const kzgWitness = (i: number) => kzgOpening([BigInt(i + 3), 5n, BigInt(7 * i + 1)]);
const g2Witness = (i: number) => g2Product(BigInt(i + 2), BigInt(3 * i + 5));

interface Proven {
  readonly instances: LeafInstance[];
  readonly statements: LeafStatement[];
}

async function proveLeaves(engine: Engine, base: Transcript, protocol: Protocol, witness: (i: number) => { statement: SlotValues; prover: MessageSource }, n: number, offset = 0): Promise<Proven> {
  const instances: LeafInstance[] = [];
  const statements: LeafStatement[] = [];
  for (let i = 0; i < n; i++) {
    const w = witness(i + offset);
    instances.push((await proveLeaf(protocol, base.fork(leafLabel(protocol.foldKey, i)), engine, w.statement, w.prover)).instance);
    statements.push({ protocol, statement: w.statement });
  }
  return { instances, statements };
}

/** Median latency (ms) of `fn` over `iterations` runs (tinybench; no warm-up for the long ones). */
async function median(fn: () => Promise<unknown>, iterations: number, warmup = iterations > 1): Promise<number> {
  const bench = new Bench({ iterations, time: 0, warmupIterations: warmup ? 1 : 0, warmupTime: 0, warmup });
  bench.add('op', async () => void (await fn()));
  await bench.run();
  const result = bench.tasks[0].result;
  if (!('latency' in result)) throw new Error(`benchmark failed: ${result.state}`);
  return result.latency.p50;
}

/** Runs `check` once and returns its multi-pairing count, failing loudly on a rejection. */
async function pairingsOf(engine: Engine, check: () => Promise<{ ok: boolean }>): Promise<number> {
  engine.resetStats();
  const v = await check();
  if (!v.ok) throw new Error(`benchmark proof rejected: ${JSON.stringify(v)}`);
  return engine.stats.multiPairings;
}

const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(0));

/** Fold throughput: folds per second on the calling thread and on 1 and 2 worker threads. */
async function foldThroughput(engine: Engine): Promise<void> {
  const rows = [];
  for (const [protocol, witness, n] of [[kzg, kzgWitness, 64], [withG2, g2Witness, 16]] as const) {
    const base = Transcript.create(`bench/fold/${protocol.foldKey}`);
    const { instances } = await proveLeaves(engine, base, protocol, witness, n);
    const row: Record<string, string | number> = { protocol: protocol.foldKey, folds: n - 1 };
    for (const threads of [0, 1, 2]) {
      const pool = threads > 0 ? new FoldPool(threads) : undefined;
      try {
        if (pool) await foldLeaves(engine, base, instances.slice(0, 2 * threads), { pool }); // start the workers
        const t = await median(() => foldLeaves(engine, base, instances, { pool }), 3);
        row[threads === 0 ? 'folds/s (calling thread)' : `folds/s (${threads} worker${threads > 1 ? 's' : ''})`] = ((n - 1) / (t / 1000)).toFixed(1);
      } finally {
        await pool?.close();
      }
    }
    rows.push(row);
  }
  console.table(rows);
}

/** Verify time on both paths, prover time and bytes with and without folding, for growing leaf counts. */
async function verifyPaths(engine: Engine, maxLeaves: number): Promise<void> {
  const rows = [];
  const pool = new FoldPool(2);
  try {
    for (const n of [1, 16, 256, 1024].filter((k) => k <= maxLeaves)) {
      const base = Transcript.create(`bench/verify/${n}`);
      const { instances, statements } = await proveLeaves(engine, base, kzg, kzgWitness, n);
      const iterations = n <= 16 ? 5 : 1;
      let part: FoldedProofPart | undefined;
      const foldMs = await median(async () => (part = await foldLeaves(engine, base, instances, { pool })), iterations);
      const folded = encodeFoldedProof(part!.proof);
      const direct = encodeDirectProof(directProof(instances));
      const size = foldedProofSize(part!.proof, part!.roots.map((r) => r.descriptor));
      rows.push({
        leaves: n,
        'fold ms (2 workers)': ms(foldMs),
        'verify folded ms': ms(await median(() => verifyFolded(engine, base, statements, folded), iterations)),
        'verify direct ms': ms(await median(() => verifyDirect(engine, base, statements, direct), iterations)),
        'pairings folded/direct': `${await pairingsOf(engine, () => verifyFolded(engine, base, statements, folded))}/${await pairingsOf(engine, () => verifyDirect(engine, base, statements, direct))}`,
        'folded B': size.totalBytes,
        'final acc B (not sent)': size.notSent!.finalAccumulatorBytes,
        'cross terms B': size.keys[0].crossTermBytes,
        'direct B': direct.length,
      });
    }
  } finally {
    await pool.close();
  }
  console.table(rows);
}

/** Aggregation of m proofs (4 KZG + 2 G2-slot leaves each): aggregate, verify once vs verify each. */
async function aggregation(engine: Engine): Promise<void> {
  const rows = [];
  for (const m of [1, 8, 64]) {
    const parts: FoldedProofPart[] = [];
    const statements: { base: Transcript; leaves: LeafStatement[] }[] = [];
    const bytesEach: Uint8Array[] = [];
    for (let p = 0; p < m; p++) {
      const base = Transcript.create(`bench/aggregate/${p}`);
      const a = await proveLeaves(engine, base, kzg, kzgWitness, 4, 4 * p);
      const b = await proveLeaves(engine, base, withG2, g2Witness, 2, 2 * p);
      const leaves = [...a.instances, ...b.instances];
      const part = await foldLeaves(engine, base, leaves);
      parts.push(part);
      statements.push({ base, leaves: [...a.statements, ...b.statements] });
      bytesEach.push(encodeFoldedProof(part.proof));
    }
    const agg = Transcript.create('bench/aggregate');
    let bytes: Uint8Array = new Uint8Array();
    const aggregateMs = await median(async () => (bytes = encodeAggregatedProof((await aggregateFolded(engine, agg, parts)).proof)), 1, false);
    const verifyOnce = await median(() => verifyAggregated(engine, agg, statements, bytes), 1, false);
    const verifyEach = await median(async () => {
      for (let p = 0; p < m; p++) await verifyFolded(engine, statements[p].base, statements[p].leaves, bytesEach[p]);
    }, 1, false);
    const { proof, roots } = await aggregateFolded(engine, agg, parts);
    const size = aggregatedProofSize(proof, roots.map((r) => r.descriptor));
    rows.push({
      proofs: m,
      'aggregate ms': ms(aggregateMs),
      'verify aggregated ms': ms(verifyOnce),
      'verify each ms': ms(verifyEach),
      'pairings aggregated/each': `${await pairingsOf(engine, () => verifyAggregated(engine, agg, statements, bytes))}/${m}`,
      'aggregated B': size.totalBytes,
      'final acc B (not sent)': size.notSent!.finalAccumulatorBytes,
    });
  }
  console.table(rows);
}

/** Runs the accumulation suite and prints its tables. */
export async function run(): Promise<void> {
  const engine = createEngine();
  const maxLeaves = Number(process.env.ACCUMULATION_BENCH_MAX_LEAVES ?? 1024);
  try {
    console.log(`accumulation suite: engine ${engine.name}, fold workers use the same engine kind`);
    console.log('fold throughput (KZG leaves: 2 G1 cells per fold; G2 leaves: a GT cell, 2 pairings per fold)');
    await foldThroughput(engine);
    console.log('verify: folded path (replay leaves + folds + decider) vs direct batch path (replay leaves + one weighted multi-pairing)');
    await verifyPaths(engine, maxLeaves);
    console.log('aggregation of m proofs (each 4 KZG + 2 G2-slot leaves)');
    await aggregation(engine);
  } finally {
    await engine.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
