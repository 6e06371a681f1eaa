/**
 * The input check of table lookups while the witness is computed, for a model read from a key file.
 *
 * A lookup block proves y = f(x) for every cell x of its input by a logUp argument over the table's entries, so an x
 * outside the table's input column (a value beyond what calibration saw) has no witness: the block's witness stops
 * with a `BLOCK` error naming the table and nothing else. A compiled model in memory runs its quantized model first
 * and names the node and the table; a model read from a proving key has no quantized model, so this check stands in
 * for it: every value a lookup reads is looked for in its table's input column as soon as it is computed, and a miss
 * is an `INPUT` error (bad input, as a calibrated range exceeded is) naming the tensor, the table and its column.
 * @module
 */
import { LookupBlock } from '../../blocks/lookup';
import type { LookupTable } from '../../blocks/tables';
import { BlockfoldError } from '../errors';
import type { BlockGraph } from './block-graph';
import type { ValueCheck } from './graph-proof';

/** A table's input column: membership, and its least and greatest entries for messages. */
interface InputColumn {
  readonly has: (x: bigint) => boolean;
  readonly lo: bigint;
  readonly hi: bigint;
}

/** The input column of each table, computed once per table. */
const columns = new WeakMap<LookupTable, InputColumn>();

/**
 * The input column of `table`: an interval test when its entries are lo, lo + 1, …, lo + n − 1 in order (the function
 * tables lowering builds on a calibrated interval), else a set of its entries.
 */
function inputColumn(table: LookupTable): InputColumn {
  let column = columns.get(table);
  if (!column) {
    const xs = table.inputs;
    let lo = xs[0];
    let hi = xs[0];
    let interval = true;
    for (const [i, x] of xs.entries()) {
      if (x < lo) lo = x;
      if (x > hi) hi = x;
      if (x !== xs[0] + BigInt(i)) interval = false;
    }
    const set = interval ? undefined : new Set(xs);
    column = { has: set ? (x) => set.has(x) : (x) => x >= lo && x <= hi, lo, hi };
    columns.set(table, column);
  }
  return column;
}

/**
 * A {@link ValueCheck} that throws an `INPUT` {@link BlockfoldError} when a tensor some lookup block of `graph` reads
 * (a source's `input`, by global id) holds, in one of the source's `length` cells of a row, a value x ∉ {t_i}, the
 * table's input column; every other tensor passes.
 */
export function tableInputCheck(graph: BlockGraph): ValueCheck {
  const lookups = new Map<string, { readonly table: LookupTable; readonly length: number }[]>();
  for (const node of graph.nodes) {
    if (!(node.block instanceof LookupBlock)) continue;
    for (const source of node.block.sources) {
      const id = node.bind[source.input];
      lookups.set(id, [...(lookups.get(id) ?? []), { table: node.block.table, length: source.length }]);
    }
  }
  return (id, rows) => {
    for (const { table, length } of lookups.get(id) ?? []) {
      const column = inputColumn(table);
      for (const row of rows)
        for (const x of row.slice(0, length))
          if (!column.has(x))
            throw new BlockfoldError(
              'INPUT',
              `tensor "${id}" holds ${x}, which the table ${table.name} it is looked up in does not hold (its inputs range over [${column.lo}, ${column.hi}], as calibrated with the model's margin): recompile with a larger --margin (or calibration inputs like this one)`,
            );
    }
  };
}
