/** Proof surgery for the adversarial tests. */
import { Fp12, G1_ONE, G2_ONE, type G1Point, type G2Point, type GtElement } from '../../src/curve';
import type { Engine } from '../../src/engine/engine';
import { ByteReader, ByteWriter } from '../../src/encoding/bytes';
import type { Transcript } from '../../src/transcript';
import { bn254 } from '@noble/curves/bn254.js';
import { R } from '../../src/field';
import type { CellDecl } from '../../accumulation/fold-key';
import { decodeCell, encodeCell, type CellValue } from '../../accumulation/cells';
import { groupByFoldKey, replayLeaves, type LeafStatement } from '../../accumulation/leaves';
import type { FoldedProof } from '../../accumulation/proof';
import { encodeAccumulator, freshAccumulator } from '../../accumulation/relaxed';
import { replayTree, treeLabels } from '../../accumulation/tree';

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
 * Replaces each fold key's root by the one the verifier would recompute from the (tampered) leaves and
 * cross terms: the strongest forgery, one that passes every consistency check and leaves the decider
 * as the only line of defence.
 */
export async function reroot(engine: Engine, base: Transcript, leaves: readonly LeafStatement[], proof: FoldedProof): Promise<FoldedProof> {
  const groups = groupByFoldKey(leaves);
  const keys = [];
  for (const [g, group] of groups.entries()) {
    const part = proof.keys[g];
    const instances = await replayLeaves(engine, base, group, part.leafMessages);
    const fresh = instances.map((l) => freshAccumulator(group.descriptor, l.values));
    const root = await replayTree(group.descriptor, base, fresh, part.crossTerms, treeLabels(group.descriptor));
    keys.push({ ...part, root: encodeAccumulator(group.descriptor, root) });
  }
  return { keys };
}
