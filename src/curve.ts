/**
 * BN254 groups G1, G2, GT from `@noble/curves`, with the fixed generators and the pairing.
 * @module
 */
import { bn254 } from '@noble/curves/bn254.js';

/** A point of G1 (projective, from noble). */
export type G1Point = InstanceType<typeof bn254.G1.Point>;
/** A point of G2 (projective, from noble). */
export type G2Point = InstanceType<typeof bn254.G2.Point>;
/** An element of GT ⊂ Fp12* (after final exponentiation). */
export type GtElement = ReturnType<typeof bn254.pairing>;

export const G1 = bn254.G1.Point;
export const G2 = bn254.G2.Point;
export const Fp2 = bn254.fields.Fp2;
export const Fp12 = bn254.fields.Fp12;

/** The fixed generator [1]₁. */
export const G1_ONE: G1Point = bn254.G1.Point.BASE;
/** The fixed generator [1]₂. */
export const G2_ONE: G2Point = bn254.G2.Point.BASE;

/** The GT identity. */
export const GT_ONE: GtElement = bn254.fields.Fp12.ONE;

/** Scalar multiplication that accepts 0 and any canonical scalar (noble's `multiply` rejects 0). */
export function g1Mul(p: G1Point, k: bigint): G1Point {
  return p.multiplyUnsafe(k);
}

/** Scalar multiplication in G2 that accepts 0. */
export function g2Mul(p: G2Point, k: bigint): G2Point {
  return p.multiplyUnsafe(k);
}

/** `x^e` in GT. */
export function gtPow(x: GtElement, e: bigint): GtElement {
  return Fp12.pow(x, e);
}

/** `x·y` in GT. */
export function gtMul(x: GtElement, y: GtElement): GtElement {
  return Fp12.mul(x, y);
}
