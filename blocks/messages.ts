/**
 * Canonical encoding of a leaf's messages: the message slots in schedule order, each in its canonical
 * encoding (G1 32 B, G2 64 B, Fr 32 B). The sizes follow from the protocol, so there are no length
 * prefixes to forge; decoding validates every element.
 * @module
 */
import type { G1Point, G2Point } from '../src/curve';
import { ByteReader, ByteWriter } from '../src/encoding/bytes';
import { decodeFr, decodeG1, decodeG2, encodeFr, encodeG1, encodeG2, FR_BYTES, G1_BYTES, G2_BYTES } from '../src/encoding/points';
import type { SlotDecl, SlotSort, SlotValue, SlotValues } from '../src/equations/equation';
import { messageSlots, type Protocol } from './protocol';

/** Encoded size of one slot of the given sort. */
export function slotBytes(sort: SlotSort): number {
  return sort === 'fr' ? FR_BYTES : sort === 'g1' ? G1_BYTES : G2_BYTES;
}

/** Encodes one slot value. */
export function encodeSlot(d: SlotDecl, v: SlotValue): Uint8Array {
  return d.sort === 'fr' ? encodeFr(v as bigint) : d.sort === 'g1' ? encodeG1(v as G1Point) : encodeG2(v as G2Point);
}

/** Decodes one slot value. */
export function decodeSlot(d: SlotDecl, r: ByteReader): SlotValue {
  const b = r.take(slotBytes(d.sort), `${d.sort} slot "${d.name}"`);
  return d.sort === 'fr' ? decodeFr(b) : d.sort === 'g1' ? decodeG1(b) : decodeG2(b);
}

/** Writes the message slots of `values` in schedule order. */
export function writeMessages(p: Protocol, values: SlotValues, w: ByteWriter): void {
  for (const d of messageSlots(p)) w.write(encodeSlot(d, values[d.name]));
}

/** Reads the message slots of one leaf. */
export function readMessages(p: Protocol, r: ByteReader): SlotValues {
  const out: Record<string, SlotValue> = {};
  for (const d of messageSlots(p)) out[d.name] = decodeSlot(d, r);
  return out;
}

/** Bytes of one leaf's messages, split by sort (proof-size accounting). */
export function messageSize(p: Protocol): { g1: number; g2: number; fr: number; total: number } {
  const size = { g1: 0, g2: 0, fr: 0, total: 0 };
  for (const d of messageSlots(p)) {
    size[d.sort] += slotBytes(d.sort);
    size.total += slotBytes(d.sort);
  }
  return size;
}
