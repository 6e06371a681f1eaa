/**
 * Test helpers: points that are valid curve points but must still be rejected, and the snarkjs
 * `.ptau` point encoding (affine, little-endian Montgomery form), to write them into a file.
 */
import { Fp2, G2, type G1Point, type G2Point } from '../../src/curve';
import { Fp } from '../../src/field';

/**
 * A point on the BN254 twist E'(Fp2) outside the order-r subgroup: the first x = (k, 1) with
 * x³ + b' a square. The twist group has order r·h with h ≈ 2^254, so such a point is in the subgroup
 * only with probability ≈ 1/h; the test asserts it is not.
 */
export function twistPointOutsideSubgroup(): G2Point {
  const b = G2.CURVE().b;
  for (let k = 1n; ; k++) {
    const x = Fp2.create({ c0: k, c1: 1n });
    const rhs = Fp2.add(Fp2.mul(Fp2.sqr(x), x), b);
    let y;
    try {
      y = Fp2.sqrt(rhs);
    } catch {
      continue;
    }
    if (!Fp2.eql(Fp2.sqr(y), rhs)) continue;
    const point = G2.fromAffine({ x, y });
    if (!point.isTorsionFree()) return point;
  }
}

/** `x·2^256 mod q`, 32 bytes little-endian (a snarkjs Montgomery coordinate). */
export function montgomeryLE(x: bigint): Uint8Array {
  let m = Fp.mul(x, Fp.create(1n << 256n));
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) {
    out[i] = Number(m & 0xffn);
    m >>= 8n;
  }
  return out;
}

/** A G1 point as a `.ptau` file stores it (64 bytes). */
export function ptauG1(p: G1Point): Uint8Array {
  const { x, y } = p.toAffine();
  const out = new Uint8Array(64);
  out.set(montgomeryLE(x), 0);
  out.set(montgomeryLE(y), 32);
  return out;
}

/** A G2 point as a `.ptau` file stores it: x.c0, x.c1, y.c0, y.c1 (128 bytes). */
export function ptauG2(p: G2Point): Uint8Array {
  const { x, y } = p.toAffine();
  const out = new Uint8Array(128);
  [x.c0, x.c1, y.c0, y.c1].forEach((c, i) => out.set(montgomeryLE(c), 32 * i));
  return out;
}
