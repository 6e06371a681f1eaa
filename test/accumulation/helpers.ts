/** Proof surgery for the adversarial tests. */
import { Fp12, G1_ONE, G2_ONE, type G1Point, type G2Point, type GtElement } from '../../src/curve';
import { ByteReader, ByteWriter } from '../../src/encoding/bytes';
import { bn254 } from '@noble/curves/bn254.js';
import { R } from '../../src/field';
import type { SlotValue } from '../../src/equations/equation';
import type { CellDecl, FoldKeyDescriptor } from '../../accumulation/fold-key';
import { decodeCell, encodeCell, type CellValue } from '../../accumulation/cells';
import type { Accumulator } from '../../accumulation/relaxed';

export const E11: GtElement = bn254.pairing(G1_ONE, G2_ONE);

/** A different valid value of a cell: `+[1]`, `·e([1]₁,[1]₂)`, `+1`. */
export function bump(c: CellDecl | { kind: 'g1' | 'g2' | 'fr' }, x: CellValue): CellValue {
  switch (c.kind) {
    case 'g1':
      return (x as G1Point).add(G1_ONE);
    case 'g2':
      return (x as G2Point).add(G2_ONE);
    case 'gt':
      return Fp12.mul(x as GtElement, E11);
    case 'fr':
      return ((x as bigint) + 1n) % R;
  }
}

/** Re-encodes `bytes` (a concatenation of cells) with cell `target` replaced by `f(value)`. */
export function editCells(bytes: Uint8Array, cells: readonly CellDecl[], target: number, f: (c: CellDecl, x: CellValue) => CellValue): Uint8Array {
  const r = new ByteReader(bytes);
  const w = new ByteWriter();
  cells.forEach((c, i) => {
    const v = decodeCell(c, r);
    w.write(encodeCell(c, i === target ? f(c, v) : v));
  });
  r.finish();
  return w.bytes();
}

/**
 * `acc` with one element changed by {@link bump}: element `n` modulo the count, counting the slots (in
 * declaration order), then `μ`, then the cells equation by equation.
 */
export function bumpAccumulator(desc: FoldKeyDescriptor, acc: Accumulator, n: number): Accumulator {
  const cells = desc.equations.flatMap((eq, k) => eq.cells.map((c, i) => ({ c, k, i })));
  const target = n % (desc.slots.length + 1 + cells.length);
  if (target < desc.slots.length) {
    const s = desc.slots[target];
    return { ...acc, values: { ...acc.values, [s.name]: bump({ kind: s.sort }, acc.values[s.name]) as SlotValue } };
  }
  if (target === desc.slots.length) return { ...acc, mu: bump({ kind: 'fr' }, acc.mu) as bigint };
  const { c, k, i } = cells[target - desc.slots.length - 1];
  return { ...acc, errors: acc.errors.map((row, kk) => (kk === k ? row.map((v, ii) => (ii === i ? bump(c, v) : v)) : row)) };
}
