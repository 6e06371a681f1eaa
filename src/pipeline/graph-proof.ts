/**
 * Proving and replaying a whole block graph.
 *
 * Order of the base transcript (the caller has absorbed the protocol id, SRS digest, verifying-key digest
 * and the statement): every wire commitment, then one fork per leaf, labelled by fold key and the leaf's
 * index within that key. So every challenge of every block comes after every commitment it may depend on.
 * @module
 */
import type { Tensors } from '../../blocks/block';
import { commitRows } from '../../blocks/commit-rows';
import { leafLabel, proveLeaf, type LeafInstance } from '../../blocks/leaf';
import type { LeafStatement } from '../../accumulation/leaves';
import type { BlockContext } from '../../blocks/block';
import type { G1Point } from '../curve';
import { ByteReader, ByteWriter } from '../encoding/bytes';
import { decodeG1, encodeG1, G1_BYTES } from '../encoding/points';
import type { Transcript } from '../transcript';
import { BlockGraphError, type BlockGraph } from './block-graph';

/** Row commitments by global tensor id. */
export type CommitmentTable = Record<string, readonly G1Point[]>;

/**
 * Runs the blocks' witnesses in dataflow order, from the values of the input and weight tensors: a block
 * runs once all its inputs are known; a block with `witnessPartial` also yields what it can earlier.
 */
export function computeGraphWitness(g: BlockGraph, known: Tensors): Record<string, (readonly bigint[])[]> {
  const values: Record<string, (readonly bigint[])[]> = { ...known } as Record<string, (readonly bigint[])[]>;
  const pending = new Set(g.nodes.keys());
  for (let progress = true; pending.size > 0 && progress; ) {
    progress = false;
    for (const i of pending) {
      const node = g.nodes[i];
      const inputs: Record<string, readonly (readonly bigint[])[]> = {};
      let complete = true;
      for (const spec of node.block.tensors) {
        if (spec.role !== 'input') continue;
        const v = values[node.bind[spec.name]];
        if (v) inputs[spec.name] = v;
        else complete = false;
      }
      const outputs = node.block.tensors.filter((s) => s.role === 'output' && !values[node.bind[s.name]]);
      if (!complete && !node.block.witnessPartial) continue;
      const out = complete ? node.block.witness(inputs) : node.block.witnessPartial!(inputs);
      for (const spec of outputs) {
        const v = out[spec.name];
        if (v) {
          values[node.bind[spec.name]] = v as (readonly bigint[])[];
          progress = true;
        } else if (complete) {
          throw new BlockGraphError(`${node.block.foldKey}: witness did not produce "${spec.name}"`);
        }
      }
      if (complete) {
        pending.delete(i);
        progress = true;
      }
    }
  }
  if (pending.size > 0) throw new BlockGraphError(`the witnesses of ${pending.size} blocks wait on values no block computes (a cycle in the block graph)`);
  return values;
}

/** The tensors of node `i`, by the block's own names. */
function nodeTensors(g: BlockGraph, i: number, values: Record<string, readonly (readonly bigint[])[]>): Tensors {
  const out: Record<string, readonly (readonly bigint[])[]> = {};
  for (const spec of g.nodes[i].block.tensors) out[spec.name] = values[g.nodes[i].bind[spec.name]];
  return out;
}

function nodeCommitments(g: BlockGraph, i: number, table: CommitmentTable): Record<string, readonly G1Point[]> {
  const out: Record<string, readonly G1Point[]> = {};
  for (const spec of g.nodes[i].block.tensors) out[spec.name] = table[g.nodes[i].bind[spec.name]];
  return out;
}

/** Leaf transcript labels: `leaf/<fold key>/<index among leaves of that key>`, in node order. */
export function leafLabels(g: BlockGraph): string[] {
  const counts = new Map<string, number>();
  return g.nodes.map((n) => {
    const k = counts.get(n.block.foldKey) ?? 0;
    counts.set(n.block.foldKey, k + 1);
    return leafLabel(n.block.foldKey, k);
  });
}

/** Commits every row of the tensors of `kinds`. */
export async function commitTensors(ctx: BlockContext, g: BlockGraph, values: Record<string, readonly (readonly bigint[])[]>, kinds: readonly string[]): Promise<CommitmentTable> {
  const table: CommitmentTable = {};
  for (const t of g.tensors) {
    if (!kinds.includes(t.kind)) continue;
    table[t.id] = await commitRows(ctx.kzg, values[t.id], t.domain);
  }
  return table;
}

/** The wire tensors, in declaration order (the order their commitments appear in a proof). */
function wires(g: BlockGraph) {
  return g.tensors.filter((t) => t.kind === 'wire');
}

/** Output of {@link proveGraph}. */
export interface GraphProof {
  /** The wire commitments, in tensor order (the first section of a model proof). */
  readonly wireCommitments: Uint8Array;
  /** Every leaf, in graph order, proven on its fork of the base transcript. */
  readonly leaves: LeafInstance[];
}

/**
 * Proves every block of `g`. `publicTable` holds the commitments of input, output and weight tensors
 * (the ones the verifier knows); wire commitments are computed here and absorbed before any leaf.
 */
export async function proveGraph(
  ctx: BlockContext,
  g: BlockGraph,
  values: Record<string, readonly (readonly bigint[])[]>,
  publicTable: CommitmentTable,
  base: Transcript,
  onLeaf?: (done: number, total: number) => void,
): Promise<GraphProof> {
  const w = new ByteWriter();
  const table: CommitmentTable = { ...publicTable, ...(await commitTensors(ctx, g, values, ['wire'])) };
  for (const t of wires(g)) {
    for (const c of table[t.id]) {
      base.absorbG1(`wire/${t.id}`, c);
      w.write(encodeG1(c));
    }
  }
  const labels = leafLabels(g);
  const leaves: LeafInstance[] = [];
  for (let i = 0; i < g.nodes.length; i++) {
    const { block } = g.nodes[i];
    const protocol = block.protocol(ctx);
    const statement = block.statement(nodeCommitments(g, i, table));
    const { instance } = await proveLeaf(protocol, base.fork(labels[i]), ctx.engine, statement, block.prover(ctx, nodeTensors(g, i, values)));
    leaves.push(instance);
    onLeaf?.(i + 1, g.nodes.length);
  }
  return { wireCommitments: w.bytes(), leaves };
}

/**
 * The verifier's side of {@link proveGraph}'s first section: reads and absorbs the wire commitments, then
 * returns every leaf's protocol and statement (what the verifier knows before reading leaf messages).
 */
export function readGraphStatements(ctx: BlockContext, g: BlockGraph, publicTable: CommitmentTable, base: Transcript, reader: ByteReader): LeafStatement[] {
  const table: CommitmentTable = { ...publicTable };
  for (const t of wires(g)) {
    const rows: G1Point[] = [];
    for (let r = 0; r < t.rows; r++) {
      const c = decodeG1(reader.take(G1_BYTES, `commitment of ${t.id}[${r}]`));
      base.absorbG1(`wire/${t.id}`, c);
      rows.push(c);
    }
    table[t.id] = rows;
  }
  return g.nodes.map((node, i) => ({ protocol: node.block.protocol(ctx), statement: node.block.statement(nodeCommitments(g, i, table)) }));
}
