/**
 * Accumulation suite: fold throughput on the calling thread and on worker threads, verify time of a folded
 * proof for 1…1024 leaves (with the multi-pairing count) against verifying each leaf, proof bytes, and the
 * aggregation of 1, 8 and 32 model proofs (the sample MLP) against verifying each. Proofs carry no final
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
import type { LeafStatement } from '../accumulation/leaves';
import { FoldPool } from '../accumulation/pool';
import { encodeFoldedProof } from '../accumulation/proof';
import { foldLeaves, type FoldedProofPart } from '../accumulation/prove';
import { foldedProofSize } from '../accumulation/size';
import { verifyFolded } from '../accumulation/verify';
import { verifyInstances } from '../blocks/batch-verify';
import { readFileSync } from 'node:fs';
import { compile, createInsecureDevSrs, quantizeFeeds, setup, tensor } from '../src/index';
import { aggregate, verifyAggregate, type ProofToAggregate } from '../src/pipeline/aggregate';
import { prove, verify } from '../src/pipeline/prove-verify';
import { feedsFor, MODELS } from './models';

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
  accepted(await check());
  return engine.stats.multiPairings;
}

/** Stops the bench on a rejected check: its figures would time a rejection. */
function accepted(v: { ok: boolean }): void {
  if (!v.ok) throw new Error(`benchmark proof rejected: ${JSON.stringify(v)}`);
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

/** Verify time of a folded proof against checking every leaf in one weighted multi-pairing, and bytes, for growing leaf counts. */
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
      const size = foldedProofSize(part!.proof, part!.roots.map((r) => r.descriptor));
      rows.push({
        leaves: n,
        'fold ms (2 workers)': ms(foldMs),
        'verify folded ms': ms(await median(() => verifyFolded(engine, base, statements, folded), iterations)),
        'batch-check leaves ms': ms(await median(() => verifyInstances(engine, instances, base), iterations)),
        'pairings folded/batch': `${await pairingsOf(engine, () => verifyFolded(engine, base, statements, folded))}/${await pairingsOf(engine, () => verifyInstances(engine, instances, base))}`,
        'folded B': size.totalBytes,
        'final acc B (not sent)': size.notSent!.finalAccumulatorBytes,
        'cross terms B': size.keys[0].crossTermBytes,
        'leaf messages B': size.keys[0].leafMessageBytes,
      });
    }
  } finally {
    await pool.close();
  }
  console.table(rows);
}

/** Aggregation of m model proofs (sample MLP inferences): aggregate, verify the aggregate once vs verify each proof. */
async function aggregation(): Promise<void> {
  const model = 'zktorch-sample-mlp';
  const feeds = feedsFor(model);
  const compiled = compile(readFileSync(new URL(`${model}.onnx`, MODELS)), feeds.slice(0, 8));
  const pk = await setup(compiled, await createInsecureDevSrs(Math.ceil(Math.log2(compiled.srsG1Powers)), { g1Powers: compiled.srsG1Powers, g2Powers: 2 }));
  const engine = pk.vk.kzg.engine;
  const rows = [];
  const proofs: ProofToAggregate[] = [];
  for (const m of [1, 8, 32]) {
    while (proofs.length < m) {
      const input = tensor([4], Array.from({ length: 4 }, (_, i) => (((proofs.length * 7 + i * 3) % 16) - 8) / 32));
      const { statement, proof } = await prove(pk, quantizeFeeds(compiled, { input }));
      proofs.push({ statement, proof: proof.bytes });
    }
    const parts = proofs.slice(0, m);
    const statements = parts.map((p) => p.statement);
    let bytes: Uint8Array = new Uint8Array();
    const aggregateMs = await median(async () => void (bytes = (await aggregate(pk.vk, parts)).bytes), 1, false);
    const verifyAll = () => verifyAggregate(pk.vk, statements, bytes);
    // Every proof verified in turn; the first rejection is the result (a rejected proof must not be timed as a check).
    const verifyEachOf = async (): Promise<{ ok: boolean }> => {
      for (const p of parts) {
        const v = await verify(pk.vk, p.statement, p.proof);
        if (!v.ok) return v;
      }
      return { ok: true };
    };
    const verifyOnce = await median(async () => void accepted(await verifyAll()), 1, false);
    const verifyEach = await median(async () => void accepted(await verifyEachOf()), 1, false);
    rows.push({
      proofs: m,
      'aggregate ms': ms(aggregateMs),
      'verify aggregated ms': ms(verifyOnce),
      'verify each ms': ms(verifyEach),
      'pairings aggregated/each': `${await pairingsOf(engine, verifyAll)}/${await pairingsOf(engine, verifyEachOf)}`,
      'aggregated B': bytes.length,
      'sum of proofs B': parts.reduce((n, p) => n + p.proof.length, 0),
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
    console.log('verify: folded proof (replay leaves + folds + decider) vs the leaves checked in one weighted multi-pairing');
    await verifyPaths(engine, maxLeaves);
    console.log('aggregation of m model proofs (sample MLP inferences; default engine)');
    await aggregation();
  } finally {
    await engine.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
