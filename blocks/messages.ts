/**
 * Canonical encoding of a leaf's messages: the message slots in schedule order, each in its canonical
 * encoding (G1 32 B, G2 64 B, Fr 32 B). The sizes follow from the protocol, so there are no length
 * prefixes to forge; decoding validates every element.
 * @module
 */
import type { G1Point, G2Point } from '../src/curve';
import { ByteReader, ByteWriter } from '../src/encoding/bytes';
import { decodeFr, decodeG1s, decodeG2, encodeFr, encodeG1, encodeG2, FR_BYTES, G1_BYTES, G2_BYTES } from '../src/encoding/points';
import { EquationError, type SlotDecl, type SlotSort, type SlotValue, type SlotValues } from '../src/equations/equation';
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
  return decodeSlots([d], r)[d.name];
}

/** What a truncated slot is called in the error, built once per declaration (a verifier decodes thousands per proof). */
const slotNames = new WeakMap<SlotDecl, string>();
function slotName(d: SlotDecl): string {
  let name = slotNames.get(d);
  if (name === undefined) slotNames.set(d, (name = `${d.sort} slot "${d.name}"`));
  return name;
}

/**
 * Decodes consecutive slots, each in its canonical encoding, in order, with the G1 points' square roots taken in one
 * batch (`decodeG1s`). Malformed bytes throw the error that decoding the slots one by one would throw first: the
 * slots are read and their other checks run in order up to the first failure, and a G1 point before it that is
 * not on the curve comes first.
 */
export function decodeSlots(decls: readonly SlotDecl[], r: ByteReader): SlotValues {
  const values = decodeSlotValues(decls, r);
  const out: Record<string, SlotValue> = {};
  decls.forEach((d, i) => (out[d.name] = values[i]));
  return out;
}

/** {@link decodeSlots} as the values alone, in the order of `decls`. */
function decodeSlotValues(decls: readonly SlotDecl[], r: ByteReader): SlotValue[] {
  const values: SlotValue[] = [];
  const points: number[] = [];
  const encodings: Uint8Array[] = [];
  let failure: unknown;
  for (const d of decls) {
    try {
      const b = r.take(slotBytes(d.sort), slotName(d));
      if (d.sort === 'g1') {
        points.push(values.length);
        encodings.push(b);
        values.push(undefined as unknown as SlotValue);
      } else values.push(d.sort === 'fr' ? decodeFr(b) : decodeG2(b));
    } catch (e) {
      failure = e;
      break;
    }
  }
  decodeG1s(encodings).forEach((p, i) => (values[points[i]] = p));
  if (failure !== undefined) throw failure;
  return values;
}

/**
 * A verifier's source of a leaf's messages: every message slot of `p` is read from `r` and decoded at once, in
 * schedule order, so the G1 points of all its message steps share one batch of square roots (three roots in
 * lockstep on the kernels cost about half as much per root as one alone, and most steps send one or two points);
 * each step then takes its slots, which must be the next ones in that order. Malformed bytes throw as
 * {@link decodeSlots} of all the leaf's messages does: the first error that decoding the slots one by one would
 * meet, now thrown before the schedule starts instead of when it reaches that step. Either way the proof is refused
 * and nothing it holds is used.
 */
export function leafMessageReader(p: Protocol, r: ByteReader): (slots: readonly SlotDecl[]) => SlotValues {
  const decls = messageSlots(p);
  const values = decodeSlotValues(decls, r);
  let next = 0;
  return (slots) => {
    const out: Record<string, SlotValue> = {};
    for (const d of slots) {
      if (decls[next] !== d) throw new EquationError(`${p.foldKey}: message slot "${d.name}" read out of schedule order`);
      out[d.name] = values[next++];
    }
    return out;
  };
}

/** Writes the message slots of `values` in schedule order. */
export function writeMessages(p: Protocol, values: SlotValues, w: ByteWriter): void {
  for (const d of messageSlots(p)) w.write(encodeSlot(d, values[d.name]));
}

/** Reads the message slots of one leaf. */
export function readMessages(p: Protocol, r: ByteReader): SlotValues {
  return decodeSlots(messageSlots(p), r);
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
