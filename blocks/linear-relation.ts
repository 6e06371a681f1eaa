/**
 * Linear relations on row commitments: what a block checks linearly, `Σ_t k_t·[tensor_t row_t]₁ = (public
 * commitment)`, stated once so that the block's residual and the pipeline's row blinding read the same terms.
 *
 * A block that checks such a relation (elementwise sums and scalings, rescale, limb split, the differences of max
 * and argmax) derives its residual `Σ_j ρ^j·Σ_t k_t·[row_t]₁` from its {@link LinearRelation}s with
 * {@link relationResidual}, and the pipeline reads the same relations to blind rows consistently: a row committed
 * as `[f + Z_H·b]₁` keeps a relation true only if `Σ_t k_t·b_t = 0` (`src/pipeline/row-blinding.ts`). The public
 * part of a relation (a selector commitment times a public constant) carries no blinding, so it is not a term.
 * @module
 */
import { G1, type G1Point } from '../src/curve';
import type { Engine } from '../src/engine/engine';
import type { Equation, SlotDecl, SlotValues } from '../src/equations/equation';
import { frSlot, g1Slot } from '../src/equations/evaluate';
import { Fr, frFromSigned, powers } from '../src/field';
import type { KzgKey, KzgVerifierKey } from '../src/kzg/key';
import { publicVector, rowSlot, type PublicPoly } from './poly-iop';
import type { Step } from './protocol';
import { selectorCommitment, selectorDigest, selectorVector } from './tables';

/** `coeff·[row `row` of tensor `tensor`]₁`, the tensor named as the block names it. */
export interface LinearTerm {
  readonly tensor: string;
  readonly row: number;
  /** A signed integer (mapped to Fr as `coeff mod r`). */
  readonly coeff: bigint;
}

/** `Σ terms = (a public commitment)`: the row commitments' part of one relation a block checks linearly. */
export interface LinearRelation {
  readonly terms: readonly LinearTerm[];
}

/**
 * The public side of every relation of a block, `P = constant·[q(τ)]₁` with q the selector of the first `length`
 * cells of H_domain (1 there, 0 on the padding); `constant = 0` is `P = 0`. Given as data, not as a point, so the
 * pipeline can both commit it (a derived row's commitment) and evaluate it at ζ (a derived row's evaluation):
 * one description, two uses that cannot drift apart.
 */
export interface LinearRelationPublic {
  readonly constant: bigint;
  readonly domain: number;
  readonly length: number;
}

/** `P = 0`: relations `Σ_t k_t·[row_t]₁ = 0` (elementwise sums, the differences of max). */
export const ZERO_PUBLIC_SIDE: LinearRelationPublic = { constant: 0n, domain: 1, length: 0 };

/** `P = constant·[q(τ)]₁` of {@link LinearRelationPublic} (q's commitment cached per key). */
export async function linearPublicCommitment(kzg: KzgKey, side: LinearRelationPublic): Promise<G1Point> {
  if (side.constant === 0n) return G1.ZERO;
  const q = await selectorCommitment(kzg, side.domain, side.length);
  return side.constant > 0n ? q.multiplyUnsafe(side.constant) : q.multiplyUnsafe(-side.constant).negate();
}

/**
 * The selector q of {@link LinearRelationPublic} as a public polynomial on H_domain (the verifier evaluates it at ζ
 * from its values); P's polynomial is `constant·q`. Undefined when P = 0. One object per (domain, length).
 */
export function linearPublicSelector(side: LinearRelationPublic): PublicPoly | undefined {
  if (side.constant === 0n) return undefined;
  const name = selectorDigest(side.domain, side.length);
  let q = selectors.get(name);
  if (!q) {
    const values = selectorVector(side.domain, side.length);
    selectors.set(name, (q = publicVector(name, side.domain, () => values)));
  }
  return q;
}

const selectors = new Map<string, PublicPoly>();

/**
 * `Σ_j ρ^j·Σ_t k_t·[row_t]₁` over relations j, with `rhos[j] = ρ^j` and the commitment of a term in the statement slot
 * `slot(tensor, row)` of `values`: one MSM. The public part of each relation is the caller's.
 */
export async function relationResidual(
  engine: Engine,
  values: SlotValues,
  relations: readonly LinearRelation[],
  rhos: readonly bigint[],
  slot: (tensor: string, row: number) => string,
): Promise<G1Point> {
  const points: G1Point[] = [];
  const scalars: bigint[] = [];
  relations.forEach((rel, j) => {
    for (const t of rel.terms) {
      points.push(g1Slot(values, slot(t.tensor, t.row)));
      scalars.push(Fr.mul(rhos[j], frFromSigned(t.coeff)));
    }
  });
  return engine.msmG1Points(points, scalars);
}

/**
 * The parts of a block's spec that check its {@link LinearRelation}s and nothing else: a residual's challenge, step
 * and equation ({@link linearRelationCheck}), or identities that restate the relations on H (a max with a constant's
 * slack). A caller that derives a row of every relation from the others (the pipeline's derived rows,
 * `src/pipeline/derived-rows.ts`) makes them hold by construction, so it asks for the spec without them
 * (`BlockContext.relationsDerived`, `withoutLinearCheck` in `blocks/poly-iop-block.ts`): kept, they would be checks
 * that cannot fail.
 */
export interface LinearCheckParts {
  /** The challenge and derived slots only these parts use. */
  readonly slots: readonly string[];
  /** Their steps: the spec's own step objects. */
  readonly steps: readonly Step[];
  /** The names of their equations. */
  readonly equations: readonly string[];
  /** The names of identities that restate the relations on H (linear in the block's statement rows). */
  readonly identities: readonly string[];
}

/** The steps, slots and equation of {@link linearRelationCheck}: what a block adds to its spec to check its relations. */
export interface LinearRelationCheck {
  readonly slots: readonly SlotDecl[];
  /** A challenge ρ, then the derived residual; a block puts them before its own messages. */
  readonly steps: readonly Step[];
  readonly equation: (kzg: KzgVerifierKey) => Equation;
  /** The same, as the parts a caller that derives the relations' rows leaves out. */
  readonly parts: LinearCheckParts;
}

/**
 * The check of relations with the public side P = 0 on row commitments (statement slots `t/i`): the verifier draws
 * ρ after the statement, derives `residual = Σ_j ρ^j·Σ_t k_t·[row_t]₁` ({@link relationResidual}) and checks
 * `e(residual, [1]₂) = 1`. Sound: if some relation fails, the residual is a nonzero polynomial in ρ of degree < J
 * (J relations) over points fixed before ρ, so it vanishes with probability < J/r. Where the relations' rows are
 * derived, the residual is the identity by construction and the check is left out ({@link LinearCheckParts}).
 */
export function linearRelationCheck(relations: readonly LinearRelation[], name: string): LinearRelationCheck {
  const steps: Step[] = [
    { kind: 'challenge', slots: ['rho'] },
    {
      kind: 'derived',
      slots: ['residual'],
      compute: async (v: SlotValues, engine) => ({ residual: await relationResidual(engine, v, relations, powers(frSlot(v, 'rho'), relations.length), rowSlot) }),
    },
  ];
  return {
    slots: [
      { name: 'rho', sort: 'fr', origin: 'challenge' },
      { name: 'residual', sort: 'g1', origin: 'derived' },
    ],
    steps,
    equation: (kzg) => ({ kind: 'pairing', name, terms: [{ coeff: 1n, scalars: [], g1: 'residual', g2: kzg.g2One }] }),
    parts: { slots: ['rho', 'residual'], steps, equations: [name], identities: [] },
  };
}
