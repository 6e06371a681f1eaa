/**
 * Prover entry point: fold proven leaves into a folded proof; and the fold pool every tree uses.
 * @module
 */
import type { Engine } from '../src/engine/engine';
import { ByteWriter } from '../src/encoding/bytes';
import type { Transcript } from '../src/transcript';
import type { LeafInstance } from '../blocks/leaf';
import { writeMessages } from '../blocks/messages';
import type { DeciderInput } from './decider';
import { groupByFoldKey } from './leaves';
import { startFoldPool } from '#fold-pool';
import type { FoldPool } from './pool';
import type { FoldedProof, FoldKeyProof } from './proof';
import { freshAccumulator } from './relaxed';
import { proveTree, treeLabels } from './tree';

/** Where folds run: on the calling thread (default), on a temporary pool of `workers` threads, or on a caller's `pool`. */
export interface FoldOptions {
  readonly workers?: number;
  readonly pool?: FoldPool;
}

/** A folded proof with the prover's roots (for aggregation, size reports, or to decide locally). */
export interface FoldedProofPart {
  readonly proof: FoldedProof;
  /** One root per fold key, in the proof's order. Not part of the proof: its verifier recomputes them. */
  readonly roots: readonly DeciderInput[];
}

function leafMessages(leaf: LeafInstance): Uint8Array {
  const w = new ByteWriter();
  writeMessages(leaf.protocol, leaf.values, w);
  return w.bytes();
}

let warnedNoWorkers = false;

/**
 * Runs `body` with the pool the options ask for, closing a temporary one. When `workers` are asked for
 * but there are no fold worker threads (a package built without the fold worker entry, or a browser),
 * folds run on the calling thread (the proof is the same bytes) after a one-time process warning.
 */
export async function withFoldPool<T>(options: FoldOptions, body: (pool: FoldPool | undefined) => Promise<T>): Promise<T> {
  if (options.pool || !options.workers) return body(options.pool);
  const pool = startFoldPool(options.workers);
  if (!pool) {
    if (!warnedNoWorkers && typeof process !== 'undefined')
      process.emitWarning('no fold worker entry next to the accumulation module: folding on the calling thread', 'BlockfoldWarning');
    warnedNoWorkers = true;
    return body(undefined);
  }
  try {
    return await body(pool);
  } finally {
    await pool.close();
  }
}

/**
 * Folds proven leaves (block-graph order; leaf `i` of a fold key proven on the fork `leaf/<key>/<i>` of
 * `base`) into one folded proof: per fold key every leaf's messages and the tree's cross terms. The roots
 * come back beside the proof, not in it.
 */
export async function foldLeaves(engine: Engine, base: Transcript, leaves: readonly LeafInstance[], options: FoldOptions = {}): Promise<FoldedProofPart> {
  const groups = groupByFoldKey(leaves);
  return withFoldPool(options, async (pool) => {
    const keys: FoldKeyProof[] = [];
    const roots: DeciderInput[] = [];
    for (const { descriptor, items } of groups) {
      const fresh = items.map((leaf) => freshAccumulator(descriptor, leaf.values));
      const { root, crossTerms } = await proveTree(engine, descriptor, base, fresh, treeLabels(descriptor), pool);
      keys.push({ foldKey: descriptor.foldKey, leafMessages: items.map(leafMessages), crossTerms });
      roots.push({ descriptor, accumulator: root });
    }
    return { proof: { keys }, roots };
  });
}
