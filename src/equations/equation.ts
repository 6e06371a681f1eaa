/**
 * Verifier equations as data (docs/folding.md §1, §3).
 *
 * An instance is a set of named **slots** of three sorts (G1, G2, Fr), each with an origin
 * (`statement`, `message`, `challenge`, `derived`). An equation is a sum of monomials equal to zero:
 * - a pairing equation lives in GT: monomials `c · s_1⋯s_j · e(P, Q)`, P a G1 slot or a public G1
 *   point, Q a G2 slot or a public G2 point;
 * - a field equation lives in Fr: monomials `c · s_1⋯s_j`.
 * The degree of a monomial counts its slots (Fr, G1 and G2, with multiplicity); public points and
 * constants count zero. Because equations are data, one generic engine verifies, batches and folds them.
 * @module
 */
import type { G1Point, G2Point } from '../curve';
import { BlockfoldError } from '../errors';
import { R } from '../field';

/** Sort of a slot. */
export type SlotSort = 'g1' | 'g2' | 'fr';
/** Who produces a slot (docs/folding.md §1). */
export type SlotOrigin = 'statement' | 'message' | 'challenge' | 'derived';

/** Declaration of one slot. */
export interface SlotDecl {
  readonly name: string;
  readonly sort: SlotSort;
  readonly origin: SlotOrigin;
}

/**
 * A public point: identical for every leaf of a fold key (an SRS point such as `[1]₁`, `[τ]₂`). The `key`
 * names it; two public points with the same key must be the same point.
 */
export interface PublicG1 {
  readonly key: string;
  readonly point: G1Point;
}
/** A public G2 point; see {@link PublicG1}. */
export interface PublicG2 {
  readonly key: string;
  readonly point: G2Point;
}

/** The G1 factor of a pairing monomial: a slot name, or a public point. */
export type G1Factor = string | PublicG1;
/** The G2 factor of a pairing monomial: a slot name, or a public point. */
export type G2Factor = string | PublicG2;

/** `coeff · Π scalars · e(g1, g2)`. */
export interface PairingMonomial {
  readonly coeff: bigint;
  readonly scalars: readonly string[];
  readonly g1: G1Factor;
  readonly g2: G2Factor;
}

/** `coeff · Π scalars`. */
export interface FieldMonomial {
  readonly coeff: bigint;
  readonly scalars: readonly string[];
}

/** A pairing equation `Σ monomials = 0` in GT (written additively). */
export interface PairingEquation {
  readonly kind: 'pairing';
  readonly name: string;
  readonly terms: readonly PairingMonomial[];
}

/** A field equation `Σ monomials = 0` in Fr. */
export interface FieldEquation {
  readonly kind: 'field';
  readonly name: string;
  readonly terms: readonly FieldMonomial[];
}

export type Equation = PairingEquation | FieldEquation;

/** A value held by a slot. */
export type SlotValue = G1Point | G2Point | bigint;
/** Values of an instance's slots, by name. */
export type SlotValues = Readonly<Record<string, SlotValue>>;

/** An equation system that is malformed (unknown slot, wrong sort, degree above the maximum). */
export class EquationError extends BlockfoldError {
  constructor(message: string) {
    super('BLOCK', message);
  }
}

/** Degree of a pairing monomial: its Fr slots plus its G1 and G2 slots. */
export function pairingMonomialDegree(m: PairingMonomial): number {
  return m.scalars.length + (typeof m.g1 === 'string' ? 1 : 0) + (typeof m.g2 === 'string' ? 1 : 0);
}

/** Degree of a monomial of either kind. */
export function monomialDegree(m: PairingMonomial | FieldMonomial): number {
  return 'g1' in m ? pairingMonomialDegree(m) : m.scalars.length;
}

/** Degree `d_k` of an equation: the degree of its highest monomial. */
export function equationDegree(eq: Equation): number {
  let d = 0;
  for (const m of eq.terms) d = Math.max(d, monomialDegree(m));
  return d;
}

/**
 * Checks that every slot an equation mentions is declared with the right sort, every coefficient is
 * canonical, and no monomial exceeds `maxDegree`.
 */
export function validateEquations(slots: readonly SlotDecl[], equations: readonly Equation[], maxDegree: number): void {
  const sortOf = new Map(slots.map((s) => [s.name, s.sort]));
  if (sortOf.size !== slots.length) throw new EquationError('duplicate slot names');
  const expect = (name: string, sort: SlotSort, where: string) => {
    const got = sortOf.get(name);
    if (got === undefined) throw new EquationError(`${where}: unknown slot "${name}"`);
    if (got !== sort) throw new EquationError(`${where}: slot "${name}" is ${got}, used as ${sort}`);
  };
  const names = new Set<string>();
  for (const eq of equations) {
    if (names.has(eq.name)) throw new EquationError(`duplicate equation name "${eq.name}"`);
    names.add(eq.name);
    for (const m of eq.terms) {
      const where = `equation "${eq.name}"`;
      if (m.coeff < 0n || m.coeff >= R) throw new EquationError(`${where}: coefficient is not a canonical Fr element`);
      for (const s of m.scalars) expect(s, 'fr', where);
      if ('g1' in m) {
        if (typeof m.g1 === 'string') expect(m.g1, 'g1', where);
        if (typeof m.g2 === 'string') expect(m.g2, 'g2', where);
      }
      const d = monomialDegree(m);
      if (d > maxDegree) throw new EquationError(`${where}: monomial of degree ${d} exceeds the maximum ${maxDegree}`);
    }
  }
}
