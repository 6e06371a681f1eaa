/**
 * Accumulators as plain structured-clone data between the main thread and its own fold workers: points
 * as affine coordinates, scalars and GT elements as bigints, with no compression and no validation.
 *
 * Only for values this process computed itself. Decoding the canonical encoding instead costs a square
 * root per point and, for G2 points and GT cells, a subgroup check — most of a worker task's overhead.
 * Bytes read from a proof always go through the validating codec of `relaxed.ts` and `cells.ts`.
 * @module
 */
import { G1, G2, type G1Point, type G2Point, type GtElement } from '../src/curve';
import type { SlotValue } from '../src/equations/equation';
import type { CellValue } from './cells';
import type { FoldKeyDescriptor } from './fold-key';
import type { Accumulator } from './relaxed';

/** Affine coordinates (the identity as `(0, 0)`, which `fromAffine` reads back as the identity). */
export type AffineCoordinates = ReturnType<G1Point['toAffine']> | ReturnType<G2Point['toAffine']>;

/** One slot or cell value as plain data. */
export type PlainValue = bigint | AffineCoordinates | GtElement;

/** An accumulator as plain data, slots and cells in descriptor order. */
export interface PlainAccumulator {
  readonly values: readonly PlainValue[];
  readonly mu: bigint;
  readonly errors: readonly (readonly PlainValue[])[];
}

type Kind = 'g1' | 'g2' | 'gt' | 'fr';

function toPlain(kind: Kind, v: SlotValue | CellValue): PlainValue {
  return kind === 'g1' || kind === 'g2' ? (v as G1Point | G2Point).toAffine() : (v as bigint | GtElement);
}

function fromPlain(kind: Kind, v: PlainValue): SlotValue | CellValue {
  if (kind === 'g1') return G1.fromAffine(v as ReturnType<G1Point['toAffine']>);
  if (kind === 'g2') return G2.fromAffine(v as ReturnType<G2Point['toAffine']>);
  return v as bigint | GtElement;
}

/** `acc` as plain data. */
export function accumulatorToPlain(desc: FoldKeyDescriptor, acc: Accumulator): PlainAccumulator {
  return {
    values: desc.slots.map((s) => toPlain(s.sort, acc.values[s.name])),
    mu: acc.mu,
    errors: desc.equations.map((eq, k) => eq.cells.map((c, i) => toPlain(c.kind, acc.errors[k][i]))),
  };
}

/** The accumulator of {@link accumulatorToPlain}'s output (unvalidated: see the module note). */
export function accumulatorFromPlain(desc: FoldKeyDescriptor, plain: PlainAccumulator): Accumulator {
  const values: Record<string, SlotValue> = {};
  desc.slots.forEach((s, i) => (values[s.name] = fromPlain(s.sort, plain.values[i]) as SlotValue));
  const errors = desc.equations.map((eq, k) => eq.cells.map((c, i) => fromPlain(c.kind, plain.errors[k][i]) as CellValue));
  return { foldKey: desc.foldKey, values, mu: plain.mu, errors };
}
