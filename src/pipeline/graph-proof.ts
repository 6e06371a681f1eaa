/**
 * A block graph's witness and the row commitments of its tensors: the witnesses run in dataflow order, every
 * row committed as the interpolant of its zero-padded values (plus `Z_H·b` when blinded), and the wire commitments written to and read from
 * a proof's first section (absorbed into the transcript, in tensor order, before any challenge): every wire's rows
 * but the derived ones', which the verifier computes from the others (`derived-rows.ts`); a relinked copy's rows are
 * sent as their differences E from the rows they copy (`relinked-rows.ts`).
 * @module
 */
import type { Tensors } from '../../blocks/block';
import { commitRows } from '../../blocks/commit-rows';
import type { BlockContext } from '../../blocks/block';
import { rowSlot } from '../../blocks/poly-iop';
import { commitVanishingMultiple } from '../kzg/commit';
import type { G1Point } from '../curve';
import { ByteReader, ByteWriter } from '../encoding/bytes';
import { decodeG1s, encodeG1, G1_BYTES } from '../encoding/points';
import type { Transcript } from '../transcript';
import { BlockGraphError, type BlockGraph } from './block-graph';

/** Row commitments by global tensor id. */
export type CommitmentTable = Record<string, readonly G1Point[]>;

/**
 * A copy of the tables' entries (a later table's entry replacing an earlier one's), as an object without prototype,
 * for its owner to complete. A model's table holds hundreds of tensors, an object V8 keeps as a dictionary, which a
 * spread `{ ...table }` copies by defining each property anew: 220 µs for 626 tensors (the 8-layer encoder), about
 * 40 µs into an object without prototype, and a verifier copies it at every step from the key's commitments to the
 * derived rows. Only the tables' own entries are copied (`Object.keys`, not `for…in`): an entry a table inherits, from
 * its prototype or a polluted `Object.prototype`, would otherwise replace a weight's commitment from the verifying key.
 * No tensor id can meet an inherited name of the copy either.
 */
export function copyTables(...tables: CommitmentTable[]): Record<string, readonly G1Point[]> {
  const out: Record<string, readonly G1Point[]> = Object.create(null);
  for (const table of tables) for (const id of Object.keys(table)) out[id] = table[id];
  return out;
}

type Values = Record<string, (readonly bigint[])[]>;

/** Sees a tensor's rows (by global id) as soon as a block's witness computes them; throws to stop the proof. */
export type ValueCheck = (id: string, rows: readonly (readonly bigint[])[]) => void;

/**
 * Every tensor's value: runs the blocks' witnesses in dataflow order from the values of the input and weight
 * tensors. A block runs once all its inputs are known (a block with `witnessPartial` also yields what it can
 * earlier, for graphs whose blocks feed each other's later rows). `check` sees every value a block writes as
 * soon as it is computed, before any block reads it, and throws to stop.
 */
export function computeGraphWitness(g: BlockGraph, known: Tensors, check?: ValueCheck): Values {
  const values: Values = { ...known } as Values;
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
    }
  }
  if (pending.size > 0) throw new BlockGraphError(`the witnesses of ${pending.size} blocks wait on values no block computes (a cycle in the block graph)`);
  return values;
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

/**
 * Commits every row of `tensors`: row r of tensor `id` as `[f + Z_H·b]₁` with b = `blinding('<id>/<r>')`
 * (f the interpolant of the zero-padded row over its domain H), or as `[f]₁` where `blinding` gives nothing.
 */
export async function commitTensors(
  ctx: BlockContext,
  tensors: readonly BlockGraph['tensors'][number][],
  values: Record<string, readonly (readonly bigint[])[]>,
  blinding: (row: string) => readonly bigint[] | undefined = () => undefined,
): Promise<CommitmentTable> {
  // Every tensor's rows are started before any is awaited (so a pool runs the large rows' MSMs while the calling
  // thread computes the small ones), and set in tensor order.
  const committed = tensors.map(async (t) => {
    const plain = await commitRows(ctx.kzg, values[t.id], t.domain);
    return Promise.all(
      plain.map(async (c, r) => {
        const b = blinding(rowSlot(t.id, r));
        return b && b.length > 0 ? c.add(await commitVanishingMultiple(ctx.kzg, t.domain, b)) : c;
      }),
    );
  });
  const table: CommitmentTable = {};
  (await Promise.all(committed)).forEach((rows, k) => (table[tensors[k].id] = rows));
  return table;
}

/**
 * The wire tensors a proof sends a commitment of each row of (all but the `omitted` ids: the derived ones and the
 * stacked ones, `stacked-rows.ts`), in declaration order (the order of their commitments in a proof).
 */
export function sentWires(g: BlockGraph, omitted: ReadonlySet<string>) {
  return g.tensors.filter((t) => t.kind === 'wire' && !omitted.has(t.id));
}

/** The transcript label of a sent wire's points: `relink/<id>` for a relinked copy's differences E (`relinked`: copy id → source id, `relinked-rows.ts`), `wire/<id>` for a commitment. */
function wireLabel(id: string, relinked: ReadonlyMap<string, string>): string {
  return `${relinked.has(id) ? 'relink' : 'wire'}/${id}`;
}

/**
 * The sent wires' points of `sent` in tensor order, then the stacks' commitments in order (`stack/<i>`), each absorbed
 * into `base`: the first section of a model proof. `sent` holds each wire's row commitments, or a relinked copy's
 * (`relinked`, by copy id) differences E.
 */
export function writeWireCommitments(g: BlockGraph, omitted: ReadonlySet<string>, relinked: ReadonlyMap<string, string>, sent: CommitmentTable, stacks: readonly G1Point[], base: Transcript): Uint8Array {
  const w = new ByteWriter();
  for (const t of sentWires(g, omitted)) {
    for (const c of sent[t.id]) {
      base.absorbG1(wireLabel(t.id, relinked), c);
      w.write(encodeG1(c));
    }
  }
  stacks.forEach((c, i) => {
    base.absorbG1(stackLabel(i), c);
    w.write(encodeG1(c));
  });
  return w.bytes();
}

/** The transcript label of stack i's commitment, and its slot in the model argument. */
export function stackLabel(i: number): string {
  return `stack/${i}`;
}

/**
 * Reads the sent wires' points (tensor order), then `stackCount` stacks' commitments, and absorbs each into `base`;
 * returns the wires' with `publicTable`'s, a relinked copy's (`relinked`, by copy id) differences E under the copy's id,
 * as {@link writeWireCommitments} took them, and the stacks'. The section is decoded in one batch of square roots
 * (`decodeG1s`), then absorbed in order.
 */
export function readWireCommitments(
  g: BlockGraph,
  omitted: ReadonlySet<string>,
  relinked: ReadonlyMap<string, string>,
  publicTable: CommitmentTable,
  stackCount: number,
  base: Transcript,
  reader: ByteReader,
): { table: CommitmentTable; stacks: G1Point[] } {
  const table = copyTables(publicTable);
  const wires = sentWires(g, omitted);
  const encodings: Uint8Array[] = [];
  // A truncated section is reported after the points before it are decoded, so the first error is the one
  // decoding point by point meets first (an invalid point before the end, else the truncation).
  let truncated: unknown;
  try {
    // The row is named only when the section ends before it (a verifier reads thousands of rows per proof).
    for (const t of wires) for (let r = 0; r < t.rows; r++) encodings.push(reader.take(G1_BYTES, reader.remaining < G1_BYTES ? `commitment of ${t.id}[${r}]` : 'commitment'));
    for (let i = 0; i < stackCount; i++) encodings.push(reader.take(G1_BYTES, reader.remaining < G1_BYTES ? `commitment of stack ${i}` : 'commitment'));
  } catch (e) {
    truncated = e;
  }
  const points = decodeG1s(encodings);
  if (truncated !== undefined) throw truncated;
  let next = 0;
  for (const t of wires) {
    const rows = points.slice(next, (next += t.rows));
    const label = wireLabel(t.id, relinked);
    for (const c of rows) base.absorbG1(label, c);
    table[t.id] = rows;
  }
  const stacks = points.slice(next);
  stacks.forEach((c, i) => base.absorbG1(stackLabel(i), c));
  return { table, stacks };
}
