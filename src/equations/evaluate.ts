/**
 * Evaluation of equations on slot values.
 * @module
 */
import { G2, type G1Point, type G2Point } from '../curve';
import { isG1Value, type G1Value } from '../engine/deferred';
import { R } from '../field';
import { EquationError, type Equation, type FieldEquation, type G1Factor, type G2Factor, type PairingEquation, type SlotValues } from './equation';
import type { ScaledPairing } from './pairing-check';

/** Reads an Fr slot. */
export function frSlot(values: SlotValues, name: string): bigint {
  const v = values[name];
  if (typeof v !== 'bigint') throw new EquationError(`slot "${name}" has no Fr value`);
  return v;
}

/**
 * Reads a G1 slot. In a verifier's deferred replay (`deferringEngine`, src/engine/deferred.ts) a derived slot holds
 * the `DeferredG1` standing for its point; it is returned as that point, which only the replay's engine, the
 * group operations and the pairing batch read.
 */
export function g1Slot(values: SlotValues, name: string): G1Point {
  const v: unknown = values[name];
  if (!isG1Value(v)) throw new EquationError(`slot "${name}" has no G1 value`);
  return v as G1Point;
}

/** Reads a G2 slot. */
export function g2Slot(values: SlotValues, name: string): G2Point {
  const v = values[name];
  if (!(v instanceof G2)) throw new EquationError(`slot "${name}" has no G2 value`);
  return v as G2Point;
}

function resolveG1(values: SlotValues, f: G1Factor): { point: G1Value; key?: string } {
  return typeof f === 'string' ? { point: g1Slot(values, f) } : { point: f.point, key: f.key };
}

function resolveG2(values: SlotValues, f: G2Factor): { point: G2Point; key?: string } {
  return typeof f === 'string' ? { point: g2Slot(values, f) } : { point: f.point, key: f.key };
}

/**
 * `coeff · Π scalars` of a monomial, times `weight`, in Fr. The coefficients of the built-in equations are 1 and
 * −1 (`r − 1`), whose products with the weight need no multiplication (one per pairing term of a batched opening).
 */
export function monomialScalar(values: SlotValues, coeff: bigint, scalars: readonly string[], weight = 1n): bigint {
  let k = coeff === 1n ? weight % R : coeff === R - 1n ? (R - (weight % R)) % R : (coeff * weight) % R;
  for (const s of scalars) k = (k * frSlot(values, s)) % R;
  return k;
}

/** The weighted terms of a pairing equation: `Σ_m weight·c_m·Π s · e(P_m, Q_m)`. */
export function pairingTerms(eq: PairingEquation, values: SlotValues, weight = 1n): ScaledPairing[] {
  return eq.terms.map((m) => {
    const p = resolveG1(values, m.g1);
    const q = resolveG2(values, m.g2);
    return { scalar: monomialScalar(values, m.coeff, m.scalars, weight), g1: p.point, g1Key: p.key, g2: q.point, g2Key: q.key };
  });
}

/** The value `Σ c_m·Π s` of a field equation (zero when it holds). */
export function fieldEquationValue(eq: FieldEquation, values: SlotValues): bigint {
  let acc = 0n;
  for (const m of eq.terms) acc += monomialScalar(values, m.coeff, m.scalars);
  return acc % R;
}

/** Splits equations by kind. */
export function splitEquations(eqs: readonly Equation[]): { pairing: PairingEquation[]; field: FieldEquation[] } {
  return {
    pairing: eqs.filter((e): e is PairingEquation => e.kind === 'pairing'),
    field: eqs.filter((e): e is FieldEquation => e.kind === 'field'),
  };
}
