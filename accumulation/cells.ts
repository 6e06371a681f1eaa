/**
 * Values of error cells and their arithmetic. G1, G2 and Fr cells are written additively, GT cells
 * multiplicatively (FOLDING.md §4); {@link addCell} and {@link scaleCell} hide the difference so the fold
 * is written once.
 * @module
 */
import { Fp12, G1, G2, GT_ONE, type G1Point, type G2Point, type GtElement } from '../src/curve';
import { ByteReader } from '../src/encoding/bytes';
import { decodeFr, decodeG1, decodeG2, decodeGt, encodeFr, encodeG1, encodeG2, encodeGt, FR_BYTES, G1_BYTES, G2_BYTES, GT_BYTES } from '../src/encoding/points';
import { EncodingError } from '../src/errors';
import { Fp, R } from '../src/field';
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

/** `x + y` (`x·y` in GT). */
export function addCell(c: CellDecl, x: CellValue, y: CellValue): CellValue {
  switch (c.kind) {
    case 'g1':
      return (x as G1Point).add(y as G1Point);
    case 'g2':
      return (x as G2Point).add(y as G2Point);
    case 'gt':
      return Fp12.mul(x as GtElement, y as GtElement);
    case 'fr':
      return ((x as bigint) + (y as bigint)) % R;
  }
}

/** `k·x` (`x^k` in GT) for a canonical scalar k. */
export function scaleCell(c: CellDecl, x: CellValue, k: bigint): CellValue {
  switch (c.kind) {
    case 'g1':
      return (x as G1Point).multiplyUnsafe(k);
    case 'g2':
      return (x as G2Point).multiplyUnsafe(k);
    case 'gt':
      return Fp12.pow(x as GtElement, k);
    case 'fr':
      return ((x as bigint) * k) % R;
  }
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
 * to satisfy `x^r = 1` unless `trusted` — only for bytes this process produced itself (fold workers
 * hand results back to the main thread), never for bytes read from a proof.
 */
export function decodeCell(c: CellDecl, r: ByteReader, trusted = false): CellValue {
  const b = r.take(cellBytes(c), `${c.kind} cell`);
  switch (c.kind) {
    case 'g1':
      return decodeG1(b);
    case 'g2':
      return decodeG2(b);
    case 'gt':
      return trusted ? decodeGtTrusted(b) : decodeGt(b);
    case 'fr':
      return decodeFr(b);
  }
}

function decodeGtTrusted(b: Uint8Array): GtElement {
  for (let i = 0; i < 12; i++) {
    let x = 0n;
    for (let j = 0; j < 32; j++) x = (x << 8n) | BigInt(b[32 * i + j]);
    if (x >= Fp.ORDER) throw new EncodingError('GT coefficient is not below p');
  }
  return Fp12.fromBytes(b);
}
