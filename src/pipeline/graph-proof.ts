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


type Values = Record<string, (readonly bigint[])[]>;

/** Sees a tensor's rows (by global id) as soon as a block's witness computes them; throws to stop the proof. */
export type ValueCheck = (id: string, rows: readonly (readonly bigint[])[]) => void;

/**
 * Runs the blocks' witnesses in dataflow order, from the values of the input and weight tensors: a block
 * runs once all its inputs are known (a block with `witnessPartial` also yields what it can earlier), then
 * the walk yields its index, with every tensor of that node in `values`. When the caller resumes the walk,
 * a tensor no later node refers to is dropped unless `keep` says otherwise, so the live values follow the
 * layers being worked on, not the whole model. `check` sees every value a block writes as soon as it is
 * computed, before any block reads it. Returns the values kept.
 */
export function* walkGraphWitness(g: BlockGraph, known: Tensors, keep: (id: string) => boolean, check?: ValueCheck): Generator<{ node: number; values: Values }, Values> {
  const values: Values = { ...known } as Values;
  const refs = new Map<string, number>();
  for (const node of g.nodes) for (const id of new Set(Object.values(node.bind))) refs.set(id, (refs.get(id) ?? 0) + 1);
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
          check?.(node.bind[spec.name], v);
          values[node.bind[spec.name]] = v as (readonly bigint[])[];
          progress = true;
        } else if (complete) {
          throw new BlockGraphError(`${node.block.foldKey}: witness did not produce "${spec.name}"`);
        }
      }
      if (!complete) continue;
      pending.delete(i);
      progress = true;
      yield { node: i, values };
      for (const id of new Set(Object.values(node.bind))) {
        const left = refs.get(id)! - 1;
        refs.set(id, left);
        if (left === 0 && !keep(id)) delete values[id];
      }
    }
  }
  if (pending.size > 0) throw new BlockGraphError(`the witnesses of ${pending.size} blocks wait on values no block computes (a cycle in the block graph)`);
  return values;
}

/** Every tensor's value (tests, reports): the whole {@link walkGraphWitness}, keeping everything. */
export function computeGraphWitness(g: BlockGraph, known: Tensors, check?: ValueCheck): Values {
  const walk = walkGraphWitness(g, known, () => true, check);
  for (let step = walk.next(); ; step = walk.next()) if (step.done) return step.value;
}

/** The tensors of node `i`, by the block's own names. */
export function nodeTensors(g: BlockGraph, i: number, values: Record<string, readonly (readonly bigint[])[]>): Tensors {
  const out: Record<string, readonly (readonly bigint[])[]> = {};
  for (const spec of g.nodes[i].block.tensors) out[spec.name] = values[g.nodes[i].bind[spec.name]];
  return out;
}

/** The commitments of node `i`'s tensors, by the block's own names. */
export function nodeCommitments(g: BlockGraph, i: number, table: CommitmentTable): Record<string, readonly G1Point[]> {
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

/**
 * First pass of a streaming proof: runs the witnesses and commits every wire as soon as it is computed,
 * keeping only commitments (and the `output` tensors, which the statement needs).
 */
export async function commitGraph(ctx: BlockContext, g: BlockGraph, known: Tensors, check?: ValueCheck): Promise<{ wires: CommitmentTable; outputs: Values }> {
  const kinds = new Map(g.tensors.map((t) => [t.id, t]));
  const wires: CommitmentTable = {};
  const walk = walkGraphWitness(g, known, (id) => kinds.get(id)?.kind === 'output', check);
  for (let step = walk.next(); ; step = walk.next()) {
    if (step.done) {
      const outputs: Values = {};
      for (const t of g.tensors) if (t.kind === 'output') outputs[t.id] = step.value[t.id];
      return { wires, outputs };
    }
    const { node, values } = step.value;
    for (const spec of g.nodes[node].block.tensors) {
      const t = kinds.get(g.nodes[node].bind[spec.name])!;
      if (spec.role === 'output' && t.kind === 'wire') wires[t.id] = await commitRows(ctx.kzg, values[t.id], t.domain);
    }
  }
}

/** Output of {@link proveGraph}. */
export interface GraphProof {
  /** The wire commitments, in tensor order (the first section of a model proof). */
  readonly wireCommitments: Uint8Array;
  /** Every leaf, in graph order, proven on its fork of the base transcript. */
  readonly leaves: LeafInstance[];
}

/**
 * Second pass of a streaming proof: absorbs every wire commitment (tensor order) into `base`, then runs the
 * witnesses again and proves each block as soon as its tensors are known, dropping values no later block
 * needs. `table` holds every commitment: inputs, outputs and weights (which the verifier knows) and the
 * wires of {@link commitGraph}.
 */
export async function proveGraph(
  ctx: BlockContext,
  g: BlockGraph,
  known: Tensors,
  table: CommitmentTable,
  base: Transcript,
  onLeaf?: (done: number, total: number) => void,
): Promise<GraphProof> {
  const wireCommitments = writeWireCommitments(g, table, base);
  const labels = leafLabels(g);
  const leaves = new Array<LeafInstance>(g.nodes.length);
  let done = 0;
  const walk = walkGraphWitness(g, known, () => false);
  for (let step = walk.next(); !step.done; step = walk.next()) {
    const { node: i, values } = step.value;
    const { block } = g.nodes[i];
    const protocol = block.protocol(ctx);
    const statement = block.statement(nodeCommitments(g, i, table));
    leaves[i] = (await proveLeaf(protocol, base.fork(labels[i]), ctx.engine, statement, block.prover(ctx, nodeTensors(g, i, values)))).instance;
    onLeaf?.(++done, g.nodes.length);
  }
  return { wireCommitments, leaves };
}

/** The wire commitments of `table` in tensor order, each absorbed into `base`: the first section of a model proof. */
export function writeWireCommitments(g: BlockGraph, table: CommitmentTable, base: Transcript): Uint8Array {
  const w = new ByteWriter();
  for (const t of wires(g)) {
    for (const c of table[t.id]) {
      base.absorbG1(`wire/${t.id}`, c);
      w.write(encodeG1(c));
    }
  }
  return w.bytes();
}

/**
 * The verifier's side of {@link proveGraph}'s first section: reads and absorbs the wire commitments, then
 * returns every leaf's protocol and statement (what the verifier knows before reading leaf messages).
 */
export function readGraphStatements(ctx: BlockContext, g: BlockGraph, publicTable: CommitmentTable, base: Transcript, reader: ByteReader): LeafStatement[] {
  const table = readWireCommitments(g, publicTable, base, reader);
  return g.nodes.map((node, i) => ({ protocol: node.block.protocol(ctx), statement: node.block.statement(nodeCommitments(g, i, table)) }));
}

/** Reads the wire commitments (tensor order) and absorbs each into `base`; returns them with `publicTable`'s. */
export function readWireCommitments(g: BlockGraph, publicTable: CommitmentTable, base: Transcript, reader: ByteReader): CommitmentTable {
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
  return table;
}
