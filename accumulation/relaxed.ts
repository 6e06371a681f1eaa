/**
 * The relaxed instance, or accumulator, of a fold key (docs/folding.md §4): slots `x`, slack `μ`, and the
 * error cells `E_k` of every equation. It satisfies the relaxed relation when, for every equation,
 * `F_k(x, μ) = E_k` — in GT for a pairing equation, read as
 * `Π_Q e(E^Q, Q) · Π_P e(P, E^P) · E^GT`, in Fr for a field equation.
 * @module
 */
import { ByteReader, ByteWriter } from '../src/encoding/bytes';
import { EncodingError } from '../src/errors';
import { decodeFr, encodeFr, FR_BYTES } from '../src/encoding/points';
import type { SlotValue, SlotValues } from '../src/equations/equation';
import { decodeSlot, encodeSlot, slotBytes } from '../blocks/messages';
import { cellBytes, decodeCell, encodeCell, identityCell, type CellValue } from './cells';
import type { FoldKeyDescriptor } from './fold-key';

/** A relaxed instance of one fold key. */
export interface Accumulator {
  readonly foldKey: string;
  /** Every slot of the fold key (statement, message, challenge and derived alike). */
  readonly values: SlotValues;
  /** The slack `μ` (1 for a fresh instance). */
  readonly mu: bigint;
  /** `errors[k][c]`: cell `c` of equation `k`, in descriptor order. */
  readonly errors: readonly (readonly CellValue[])[];
}

/** The fresh accumulator of a replayed leaf: `μ = 1`, every cell the identity. */
export function freshAccumulator(desc: FoldKeyDescriptor, values: SlotValues): Accumulator {
  const kept: Record<string, SlotValue> = {};
  for (const s of desc.slots) {
    const v = values[s.name];
    if (v === undefined) throw new EncodingError(`${desc.foldKey}: leaf has no value for slot "${s.name}"`);
    kept[s.name] = v;
  }
  return { foldKey: desc.foldKey, values: kept, mu: 1n, errors: desc.equations.map((eq) => eq.cells.map(identityCell)) };
}

/** Bytes of one accumulator: every slot, `μ`, every cell. */
export function accumulatorBytes(desc: FoldKeyDescriptor): number {
  let n = FR_BYTES;
  for (const s of desc.slots) n += slotBytes(s.sort);
  for (const eq of desc.equations) for (const c of eq.cells) n += cellBytes(c);
  return n;
}

/** Canonical encoding: slots in declaration order, `μ`, then cells equation by equation. */
export function writeAccumulator(desc: FoldKeyDescriptor, acc: Accumulator, w: ByteWriter): void {
  for (const s of desc.slots) w.write(encodeSlot(s, acc.values[s.name]));
  w.write(encodeFr(acc.mu));
  desc.equations.forEach((eq, k) => eq.cells.forEach((c, i) => w.write(encodeCell(c, acc.errors[k][i]))));
}

/** {@link writeAccumulator} into a fresh buffer. */
export function encodeAccumulator(desc: FoldKeyDescriptor, acc: Accumulator): Uint8Array {
  const w = new ByteWriter();
  writeAccumulator(desc, acc, w);
  return w.bytes();
}

/** Reads one accumulator, validating every element (see {@link decodeCell}). */
export function readAccumulator(desc: FoldKeyDescriptor, r: ByteReader): Accumulator {
  const values: Record<string, SlotValue> = {};
  for (const s of desc.slots) values[s.name] = decodeSlot(s, r);
  const mu = decodeFr(r.take(FR_BYTES, 'μ'));
  const errors = desc.equations.map((eq) => eq.cells.map((c) => decodeCell(c, r)));
  return { foldKey: desc.foldKey, values, mu, errors };
}

/** Decodes exactly one accumulator. */
export function decodeAccumulator(desc: FoldKeyDescriptor, bytes: Uint8Array): Accumulator {
  const r = new ByteReader(bytes);
  const acc = readAccumulator(desc, r);
  r.finish('accumulator');
  return acc;
}
