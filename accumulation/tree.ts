/**
 * The fold tree (docs/folding.md §5, "The tree"). Leaves are level 0, in order; node `i` of level `ℓ+1` folds
 * nodes `2i` and `2i+1` of level `ℓ`, and an odd last node moves up unchanged. `n` leaves take `n − 1`
 * folds, listed level by level, index ascending — the order their cross terms appear in a proof. The
 * folds of one level are independent, so a level is handed to the caller's folder as one batch (which
 * may spread it across worker threads); the result depends only on the leaves and the transcript.
 * @module
 */
import type { Engine } from '../src/engine/engine';
import type { Transcript } from '../src/transcript';
import { crossTermBytes } from './cross-terms';
import { ProofError } from './errors';
import { foldLabel, proveFold, replayFold } from './fold';
import type { FoldKeyDescriptor } from './fold-key';
import type { FoldPool } from './pool';
import type { Accumulator } from './relaxed';
import { accumulatorFromPlain, accumulatorToPlain } from './thread-codec';

/** One fold of a level: the node it creates and the two children it folds. */
export interface TreeJob<T> {
  readonly level: number;
  readonly index: number;
  readonly a: T;
  readonly b: T;
}

/** What folding one node produces: the encoded cross terms and the parent. */
export interface TreeFoldOutput<T> {
  readonly crossTerms: Uint8Array;
  readonly parent: T;
}

/** Folds one level's jobs, returning outputs in job order. */
export type LevelFolder<T> = (jobs: readonly TreeJob<T>[]) => Promise<readonly TreeFoldOutput<T>[]>;

/** Runs the tree over `leaves`; returns the root and every fold's cross terms in proof order. */
export async function runTree<T>(leaves: readonly T[], foldLevel: LevelFolder<T>): Promise<{ root: T; crossTerms: Uint8Array[] }> {
  if (leaves.length === 0) throw new ProofError('a fold tree needs at least one leaf');
  const crossTerms: Uint8Array[] = [];
  let nodes = leaves.slice();
  for (let level = 1; nodes.length > 1; level++) {
    const jobs: TreeJob<T>[] = [];
    for (let i = 0; 2 * i + 1 < nodes.length; i++) jobs.push({ level, index: i, a: nodes[2 * i], b: nodes[2 * i + 1] });
    const outputs = await foldLevel(jobs);
    const next = outputs.map((o) => o.parent);
    if (nodes.length % 2 === 1) next.push(nodes[nodes.length - 1]);
    for (const o of outputs) crossTerms.push(o.crossTerms);
    nodes = next;
  }
  return { root: nodes[0], crossTerms };
}

/** Names the transcript fork of node `(level, index)`. */
export type NodeLabel = (level: number, index: number) => string;

/** The fork labels of a fold key's tree: `fold/<key>/<level>/<index>`. */
export function treeLabels(desc: FoldKeyDescriptor): NodeLabel {
  return (level, index) => foldLabel(desc.foldKey, level, index);
}

/**
 * Prover: folds `leaves` into one root, node `(ℓ, i)` on the fork `labelOf(ℓ, i)` of `base`; on the
 * calling thread, or across `pool`'s workers (same bytes either way).
 */
export async function proveTree(
  engine: Engine,
  desc: FoldKeyDescriptor,
  base: Transcript,
  leaves: readonly Accumulator[],
  labelOf: NodeLabel,
  pool?: FoldPool,
): Promise<{ root: Accumulator; crossTerms: Uint8Array[] }> {
  if (pool) {
    const plain = leaves.map((a) => accumulatorToPlain(desc, a));
    const { root, crossTerms } = await runTree(plain, pool.levelFolder(desc, base, labelOf));
    return { root: accumulatorFromPlain(desc, root), crossTerms };
  }
  return runTree(leaves, async (jobs) => {
    const out = [];
    for (const j of jobs) out.push(await proveFold(engine, desc, j.a, j.b, base.fork(labelOf(j.level, j.index))));
    return out;
  });
}

/**
 * Verifier: replays every fold of the tree over `leaves` with the cross terms read from a proof (in tree
 * order, each exactly {@link crossTermBytes} long) and returns the recomputed root. Group operations only.
 */
export async function replayTree(
  engine: Engine,
  desc: FoldKeyDescriptor,
  base: Transcript,
  leaves: readonly Accumulator[],
  crossTerms: readonly Uint8Array[],
  labelOf: NodeLabel,
): Promise<Accumulator> {
  if (crossTerms.length !== leaves.length - 1) throw new ProofError(`${desc.foldKey}: ${leaves.length} nodes need ${leaves.length - 1} folds, the proof has ${crossTerms.length}`);
  const size = crossTermBytes(desc);
  if (crossTerms.some((c) => c.length !== size)) throw new ProofError(`${desc.foldKey}: cross terms must be ${size} bytes per fold`);
  let next = 0;
  const { root } = await runTree(leaves, async (jobs) => {
    const out = [];
    for (const j of jobs) {
      const ct = crossTerms[next++];
      out.push({ crossTerms: ct, parent: await replayFold(engine, desc, j.a, j.b, ct, base.fork(labelOf(j.level, j.index))) });
    }
    return out;
  });
  return root;
}
