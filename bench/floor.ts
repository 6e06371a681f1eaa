/**
 * The yardsticks the end-to-end figures are divided by, measured in the same process with the same engine so
 * that the ratios travel between machines:
 *
 * - **A**, the activation values of a model: the element count of every ONNX node output, each counted once
 *   (constants folded away, before the compiler's rewrites: a yardstick of the model, which moving a ReLU after
 *   a max pool or folding a BatchNormalization must not shrink);
 * - the **ideal floor**: one G1 MSM over A resident bases with A scalars, the cost of committing every value
 *   the model computes exactly once;
 * - **one pairing** (a multi-pairing of one pair), the unit of verifier work;
 * - the **committed cells** of a compiled model, which committed cells ÷ A compares with A.
 * @module
 */
import { Bench } from 'tinybench';
import { walkModel } from '../src/model/build';
import { parseOnnx } from '../src/onnx/parse';
import { G1, G2, R, createInsecureDevSrs, type Engine } from '../src/index';
import { createKzgKey, type KzgKey } from '../src/kzg/key';
import type { BlockGraph } from '../src/pipeline/block-graph';
import { derivedRows } from '../src/pipeline/derived-rows';
import { relinkedRows } from '../src/pipeline/relinked-rows';

/** Median latency (ms) of `iterations` runs of `fn` (tinybench, no warm-up: callers run `fn` once first). */
export async function median(fn: () => Promise<unknown> | unknown, iterations: number): Promise<number> {
  const b = new Bench({ iterations, time: 0, warmup: false });
  b.add('x', async () => void (await fn()));
  await b.run();
  const r = b.getTask('x')?.result;
  if (r && 'error' in r && r.error) throw r.error;
  return r && 'latency' in r ? r.latency.p50 : NaN;
}

/** A: the number of values the model computes, every ONNX node output counted once (the graph before its rewrites, `walkModel`). */
export function activationCount(onnx: Uint8Array): number {
  const graph = walkModel(parseOnnx(onnx), {});
  let a = 0;
  for (const node of graph.nodes) a += graph.shapes.get(node.output)!.reduce((x, d) => x * d, 1);
  return a;
}

/**
 * The cells (padding included) of every wire and output tensor a proof commits from its values: a derived wire
 * (`src/pipeline/derived-rows.ts`) is computed from other commitments and a relinked copy
 * (`src/pipeline/relinked-rows.ts`) sent as its difference from the row it copies, so neither counts.
 */
export function committedCells(graph: BlockGraph): number {
  const derived = derivedRows(graph).ids;
  const relinked = relinkedRows(graph);
  return graph.tensors.filter((t) => (t.kind === 'wire' || t.kind === 'output') && !derived.has(t.id) && !relinked.has(t.id)).reduce((n, t) => n + t.rows * t.domain, 0);
}

/** Signed 16-bit values (mod r) from a fixed linear congruential sequence: the scalars activations are. */
export function activationLike(count: number): bigint[] {
  let s = 12345;
  return Array.from({ length: count }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    const v = BigInt((s % 65536) - 32768);
    return v < 0n ? v + R : v;
  });
}

/** A key with at least `count` resident G1 powers: `kzg` itself when it is large enough, else a development key. */
export async function floorKey(engine: Engine, count: number, kzg?: KzgKey): Promise<KzgKey> {
  if (kzg && kzg.powers.length >= count) return kzg;
  const srs = await createInsecureDevSrs(Math.max(1, Math.ceil(Math.log2(count))), { g1Powers: count, g2Powers: 2 });
  return createKzgKey(engine, srs.g1Powers, srs.g2Powers[0], srs.g2Powers[1]);
}

/** The ideal floor (median ms): one G1 MSM over `count` resident bases (those of `kzg` when it has enough). */
export async function idealFloorMs(engine: Engine, count: number, iterations: number, kzg?: KzgKey): Promise<number> {
  const key = await floorKey(engine, count, kzg);
  const scalars = activationLike(count);
  await engine.msmG1(key.powers, scalars); // the first call pays for lazily built tables, not for the MSM
  return median(() => engine.msmG1(key.powers, scalars), iterations);
}

/** One pairing (median ms): a multi-pairing of a single pair, final exponentiation included. */
export async function pairingMs(engine: Engine, iterations = 7): Promise<number> {
  const pair = [{ g1: G1.BASE.multiply(3n), g2: G2.BASE.multiply(5n) }];
  return median(() => engine.multiPairing(pair), iterations);
}
