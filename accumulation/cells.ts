/**
 * Values of error cells and their arithmetic. G1, G2 and Fr cells are written additively, GT cells
 * multiplicatively (docs/folding.md §4); {@link combineCell} hides the difference so the fold is written once.
 * @module
 */
import { Fp12, G1, G2, GT_ONE, type G1Point, type G2Point, type GtElement } from '../src/curve';
import type { Engine } from '../src/engine/engine';
import { ByteReader } from '../src/encoding/bytes';
import { decodeFr, decodeG1, decodeG2, decodeGt, encodeFr, encodeG1, encodeG2, encodeGt, FR_BYTES, G1_BYTES, G2_BYTES, GT_BYTES } from '../src/encoding/points';
import { R } from '../src/field';
import type { CellDecl } from './fold-key';

/** The value of one cell: a G1 or G2 point, a GT element, or an Fr scalar, by the cell's kind. */
export type CellValue = G1Point | G2Point | GtElement | bigint;

/** The identity of a cell (the error of a fresh instance). */
export function identityCell(c: CellDecl): CellValue {
  switch (c.kind) {
    case 'g1':
      return G1.ZERO;
    case 'g2':
      return G2.ZERO;
    case 'gt':
      return GT_ONE;
    case 'fr':
      return 0n;
  }
}

/**
 * `Σ_i k_i·x_i` for canonical scalars `k_i` (`Π_i x_i^(k_i)` in GT): one engine MSM in G1 or G2 (noble's
 * scalar multiplication costs several times as much, in G2 about ten), a shared-squaring
 * multi-exponentiation in GT, plain arithmetic in Fr. Identity terms are dropped: fresh cells are the
 * identity, so the first level of a tree does less work.
 */
export async function combineCell(engine: Engine, kind: CellDecl['kind'], xs: readonly CellValue[], ks: readonly bigint[]): Promise<CellValue> {
  switch (kind) {
    case 'g1':
      return combinePoints(xs as G1Point[], ks, G1.ZERO, (ps, ss) => engine.msmG1Points(ps, ss));
    case 'g2':
      return combinePoints(xs as G2Point[], ks, G2.ZERO, (ps, ss) => engine.msmG2Points(ps, ss));
    case 'gt':
      return gtMultiExp(xs as GtElement[], ks);
    case 'fr':
      return (xs as bigint[]).reduce((sum, x, i) => (sum + x * ks[i]) % R, 0n);
  }
}

/** `Σ k_i·P_i` as one engine MSM over the terms that are not the identity and have a non-zero scalar. */
async function combinePoints<P extends { is0(): boolean }>(xs: readonly P[], ks: readonly bigint[], zero: P, msm: (ps: P[], ss: bigint[]) => Promise<P>): Promise<P> {
  const live = xs.flatMap((p, i) => (ks[i] !== 0n && !p.is0() ? [i] : []));
  return live.length === 0 ? zero : msm(live.map((i) => xs[i]), live.map((i) => ks[i]));
}

/**
 * `Π_i x_i^(k_i)` by one left-to-right pass over the exponents' bits (Straus), so the squarings are shared;
 * they are cyclotomic squarings, valid because GT lies in the cyclotomic subgroup (every GT value here is
 * a pairing product or was checked to satisfy `x^r = 1`).
 */
function gtMultiExp(xs: readonly GtElement[], ks: readonly bigint[]): GtElement {
  const bits = ks.reduce((n, k) => Math.max(n, k.toString(2).length), 0);
  let acc = GT_ONE;
  for (let i = BigInt(bits - 1); i >= 0n; i--) {
    acc = Fp12._cyclotomicSquare(acc);
    ks.forEach((k, j) => {
      if ((k >> i) & 1n) acc = Fp12.mul(acc, xs[j]);
    });
  }
  return acc;
}

/** Encoded size of a cell. */
export function cellBytes(c: CellDecl): number {
  return c.kind === 'g1' ? G1_BYTES : c.kind === 'g2' ? G2_BYTES : c.kind === 'gt' ? GT_BYTES : FR_BYTES;
}

/** Canonical encoding of a cell value. */
export function encodeCell(c: CellDecl, x: CellValue): Uint8Array {
  switch (c.kind) {
    case 'g1':
      return encodeG1(x as G1Point);
    case 'g2':
      return encodeG2(x as G2Point);
    case 'gt':
      return encodeGt(x as GtElement);
    case 'fr':
      return encodeFr(x as bigint);
  }
}

/**
 * Decodes a cell. Every point is checked on the curve and (G2) in the subgroup; a GT element is checked
 * to satisfy `x^r = 1`.
 */
export function decodeCell(c: CellDecl, r: ByteReader): CellValue {
  const b = r.take(cellBytes(c), `${c.kind} cell`);
  switch (c.kind) {
    case 'g1':
      return decodeG1(b);
    case 'g2':
      return decodeG2(b);
    case 'gt':
      return decodeGt(b);
    case 'fr':
      return decodeFr(b);
  }
}
