/**
 * Values of error cells and their arithmetic. G1, G2 and Fr cells are written additively, GT cells
 * multiplicatively (FOLDING.md §4); {@link combineCell} hides the difference so the fold is written once.
 * @module
 */
import { Fp12, G1, G2, GT_ONE, type G1Point, type G2Point, type GtElement } from '../src/curve';
import type { Engine } from '../src/engine/engine';
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

/**
 * `Σ_i k_i·x_i` for canonical scalars `k_i` (`Π_i x_i^(k_i)` in GT): one small MSM on the engine in G1
 * or G2 (noble's scalar multiplication costs several times as much, in G2 about ten), a shared-squaring
 * multi-exponentiation in GT, plain arithmetic in Fr. Identity terms are dropped first: fresh cells are
 * the identity, so the first level of a tree sends fewer points.
 */
export async function combineCell(engine: Engine, kind: CellDecl['kind'], xs: readonly CellValue[], ks: readonly bigint[]): Promise<CellValue> {
  switch (kind) {
    case 'g1': {
      const [ps, ss] = nonIdentity(xs as G1Point[], ks);
      return ps.length === 0 ? G1.ZERO : engine.msmG1Points(ps, ss);
    }
    case 'g2': {
      const [ps, ss] = nonIdentity(xs as G2Point[], ks);
      return ps.length === 0 ? G2.ZERO : engine.msmG2Points(ps, ss);
    }
    case 'gt':
      return gtMultiExp(xs as GtElement[], ks);
    case 'fr':
      return (xs as bigint[]).reduce((sum, x, i) => (sum + x * ks[i]) % R, 0n);
  }
}

function nonIdentity<P extends G1Point | G2Point>(ps: readonly P[], ks: readonly bigint[]): [P[], bigint[]] {
  const points: P[] = [];
  const scalars: bigint[] = [];
  ps.forEach((p, i) => {
    if (ks[i] !== 0n && !p.is0()) {
      points.push(p);
      scalars.push(ks[i]);
    }
  });
  return [points, scalars];
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
