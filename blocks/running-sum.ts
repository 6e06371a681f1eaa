/**
 * The running-sum gadget: proves `Σ_{x ∈ H_n} s(x) = T` for a summand s (a sum of products of oracles, public
 * polynomials and scalars) with no degree bound (docs/soundness.md rule 3), **without revealing T**.
 *
 * The prover commits an accumulator Z on H_n (indices ω^i ↦ i) and one identity must vanish on H_n:
 *
 *   transition: `Z(ω·X) − Z(X) − s(X) + T(X)·L_0(X) = 0`
 *
 * Summed over H_n, `Σ_x Z(ω·x) = Σ_x Z(x)` (x ↦ ω·x permutes H_n) and `Σ_x L_0(x) = 1`, so the identity on H_n
 * says exactly `Σ_x s(x) = T(1)`: no start condition is needed, and the honest accumulator is the cyclic partial
 * sum `Z_i = Σ_{j<i} s_j` for i ≥ 1, `Z_0 = T`.
 *
 * The total T is what keeps a sum of witness values out of the proof. It is a linear combination of
 * - nothing (T = 0: two sums of one domain proven equal by one running sum over their difference),
 * - Fr scalar slots (a public or claimed value, sent or known in the clear), and
 * - **hidden scalars** ({@link hiddenScalar}): oracles on H_1 = {1}, read only at 1 through the factor L_0.
 *
 * A hidden scalar G holding c is committed by the compiler as a message oracle on H_1, blinded like every message
 * oracle (`blocks/hiding.ts`): `G(X) = c + (X − 1)·(b_0 + b_1·X)`, b fresh. Its commitment and its one revealed
 * evaluation `G(ζ)` are two independent uniform combinations of (b_0, b_1) (the matrix
 * `[[τ − 1, τ(τ − 1)], [ζ − 1, ζ(ζ − 1)]]` is invertible unless ζ ∈ {1, τ}), so they say nothing about c; and
 * H_1 ⊂ H_n for every n, so running sums on **different** domains that close on one G prove their sums equal,
 * each reading the same committed value G(1) (KZG binding). G has degree 2, so reading it on H_n grows no
 * quotient (a constant `c + Z_{H_N}·b` of the largest domain would grow every smaller domain's quotient to N).
 * The compiler lets an identity read an H_1 oracle only unshifted and multiplied by L_0 of the identity's domain
 * (`poly-iop.ts`), so an identity reads it only at its one cell.
 *
 * The gadget is a set of fragments (a message slot for `[Z]₁`, an oracle, public polynomials, an identity) that a
 * block adds to its `PolyIopSpec`; the compiler combines them with the block's other identities into one
 * quotient per domain. {@link equalSumsGadget} is its common use, two sums proven equal without their value
 * (matmul, weighted rows, sum); the logUp argument chains its domains' running sums through hidden scalars.
 * @module
 */
import type { G1Point } from '../src/curve';
import type { SlotDecl, SlotValue } from '../src/equations/equation';
import { R } from '../src/field';
import { commit } from '../src/kzg/commit';
import type { KzgKey } from '../src/kzg/key';
import { interpolate } from '../src/poly/interpolate';
import { at, lagrangePoly, pub, shiftedAt, term, type IdentityTerm, type Identity, type Oracle, type PublicPoly } from './poly-iop';

/** Options of {@link runningSumGadget}. */
export interface RunningSumOptions {
  /** Distinguishes gadgets of one block; names the accumulator oracle `Z/<name>` and its slot `[Z]/<name>`. */
  readonly name: string;
  /** Size n of the domain H_n. */
  readonly domain: number;
  /** The summand s: `Σ terms` at each point of H_n (for an inner product `⟨u, v⟩`, one term `u·v`). */
  readonly summand: readonly IdentityTerm[];
  /**
   * The total T: terms whose factors are Fr scalar slots and {@link hiddenScalar} oracles (each term is
   * multiplied by L_0 in the identity). Omitted or empty: T = 0.
   */
  readonly total?: readonly IdentityTerm[];
}

/** The fragments of one running sum. */
export interface RunningSumGadget {
  /** The G1 message slot `[Z]₁`, to be sent in a block round after the summand's oracles and before the quotient. */
  readonly commitmentSlot: SlotDecl;
  /** The accumulator oracle, opened at ζ and at ω·ζ. */
  readonly oracle: Oracle;
  /** L_0 of H_n. */
  readonly publics: readonly PublicPoly[];
  /** The transition. */
  readonly identities: readonly Identity[];
}

/** The fragments proving `Σ_{H_n} s = T` (see the module comment for the identity). */
export function runningSumGadget(opts: RunningSumOptions): RunningSumGadget {
  const n = opts.domain;
  const z = `Z/${opts.name}`;
  const first = lagrangePoly(n, 0);
  return {
    commitmentSlot: { name: `[Z]/${opts.name}`, sort: 'g1', origin: 'message' },
    oracle: { name: z, domain: n, commitment: `[Z]/${opts.name}`, shifted: true },
    publics: [first],
    identities: [
      {
        name: `${opts.name}/transition`,
        domain: n,
        terms: [
          term(1, shiftedAt(z)),
          term(-1, at(z)),
          ...opts.summand.map((t) => term(-t.coeff, ...t.factors)),
          ...(opts.total ?? []).map((t) => term(t.coeff, ...t.factors, pub(first.name))),
        ],
      },
    ],
  };
}

/** A hidden scalar of a block: its G1 message slot `[G]/<name>` and its oracle `G/<name>` on H_1. */
export interface HiddenScalar {
  readonly commitmentSlot: SlotDecl;
  readonly oracle: Oracle;
}

/**
 * A scalar the proof binds but does not reveal (see the module comment): an oracle on H_1 whose commitment is a
 * message, blinded by the compiler. Its polynomial, before blinding, is the constant `[c]` (commitment `c·[1]₁`).
 */
export function hiddenScalar(name: string): HiddenScalar {
  const commitment = `[G]/${name}`;
  return { commitmentSlot: { name: commitment, sort: 'g1', origin: 'message' }, oracle: { name: `G/${name}`, domain: 1, commitment } };
}

/** `Σ_k coeff_k·u_k[i]·v_k[i]` at each point i: the summand of a running sum over products of vectors on H. */
export function summandValues(products: readonly { readonly coeff?: bigint; readonly u: readonly bigint[]; readonly v: readonly bigint[] }[]): bigint[] {
  const n = products[0]?.u.length ?? 0;
  const out = new Array<bigint>(n).fill(0n);
  for (const { coeff = 1n, u, v } of products) for (let i = 0; i < n; i++) out[i] += coeff * ((u[i] * v[i]) % R);
  return out.map((x) => ((x % R) + R) % R);
}

/**
 * The accumulator values on H_n, `Z_i = Σ_{j<i} s_j` for i ≥ 1 and `Z_0 = Σ_j s_j`, and that sum. They satisfy the
 * transition exactly when the total the identity reads is the sum; otherwise it fails at ω^0 and the verifier
 * rejects (what soundness tests run, with the prover's checks bypassed).
 */
export function runningSumValues(summand: readonly bigint[]): { values: bigint[]; sum: bigint } {
  const values = new Array<bigint>(summand.length);
  let acc = 0n;
  for (let i = 0; i < summand.length; i++) {
    values[i] = acc;
    acc = (acc + summand[i]) % R;
  }
  if (values.length > 0) values[0] = acc;
  return { values, sum: acc };
}

/** The prover's accumulator of {@link runningSumValues}: its coefficients, its commitment `[Z(τ)]₁` and the sum. */
export async function runningSumAccumulator(kzg: KzgKey, summand: readonly bigint[]): Promise<{ coeffs: bigint[]; commitment: G1Point; sum: bigint }> {
  const { values, sum } = runningSumValues(summand);
  const coeffs = interpolate(values, kzg.engine);
  return { coeffs, commitment: await commit(kzg, coeffs), sum };
}

/** One side of {@link equalSumsGadget}: a summand on H_n. */
export interface SumSide {
  readonly domain: number;
  readonly summand: readonly IdentityTerm[];
}

/** The fragments of {@link equalSumsGadget}, to add to a block's spec. */
export interface EqualSums {
  readonly name: string;
  /** Whether the two sides share a domain (one running sum, no hidden scalar). */
  readonly shared: boolean;
  /** The G1 message slots, in the order to send them in one block round (a hidden scalar first, if any). */
  readonly slots: readonly SlotDecl[];
  readonly oracles: readonly Oracle[];
  readonly publics: readonly PublicPoly[];
  readonly identities: readonly Identity[];
}

/**
 * `Σ_{H_n} left = Σ_{H_m} right`, proven without sending the common value: on one domain (n = m), one running sum
 * of `left − right` closing on 0 (`Z/<name>`); otherwise a hidden scalar G (`G/<name>`) and two running sums
 * closing on it (`Z/<name>/left`, `Z/<name>/right`), both reading the one committed value G(1).
 */
export function equalSumsGadget(name: string, left: SumSide, right: SumSide): EqualSums {
  if (left.domain === right.domain) {
    const g = runningSumGadget({ name, domain: left.domain, summand: [...left.summand, ...right.summand.map((t) => term(-t.coeff, ...t.factors))] });
    return { name, shared: true, slots: [g.commitmentSlot], oracles: [g.oracle], publics: g.publics, identities: g.identities };
  }
  const hidden = hiddenScalar(name);
  const total = [term(1, at(hidden.oracle.name))];
  const sides = [runningSumGadget({ name: `${name}/left`, ...left, total }), runningSumGadget({ name: `${name}/right`, ...right, total })];
  return {
    name,
    shared: false,
    slots: [hidden.commitmentSlot, ...sides.map((g) => g.commitmentSlot)],
    oracles: [hidden.oracle, ...sides.map((g) => g.oracle)],
    publics: sides.flatMap((g) => g.publics),
    identities: sides.flatMap((g) => g.identities),
  };
}

/**
 * The prover of {@link equalSumsGadget} from the two summands' values on their domains: the messages of its
 * round and the polynomials of its oracles (before the compiler's blinding). G holds the left sum; if the right
 * sum differs (an invalid witness), the right transition fails on H and the verifier rejects.
 */
export async function equalSumsProver(
  kzg: KzgKey,
  g: EqualSums,
  left: readonly bigint[],
  right: readonly bigint[],
): Promise<{ messages: Record<string, SlotValue>; polys: Record<string, bigint[]> }> {
  if (g.shared) {
    const z = await runningSumAccumulator(kzg, left.map((x, i) => (x - right[i] + R) % R));
    return { messages: { [`[Z]/${g.name}`]: z.commitment }, polys: { [`Z/${g.name}`]: z.coeffs } };
  }
  const l = await runningSumAccumulator(kzg, left);
  const r = await runningSumAccumulator(kzg, right);
  return {
    messages: { [`[G]/${g.name}`]: await commit(kzg, [l.sum]), [`[Z]/${g.name}/left`]: l.commitment, [`[Z]/${g.name}/right`]: r.commitment },
    polys: { [`G/${g.name}`]: [l.sum], [`Z/${g.name}/left`]: l.coeffs, [`Z/${g.name}/right`]: r.coeffs },
  };
}
