/**
 * The running-sum gadget: proves `⟨u, v⟩ = Σ_{i<n} u_i·v_i = s` over H_n with no degree bound (docs/soundness.md rule 3).
 *
 * The prover commits the accumulator Z with `Z_0 = 0` and `Z_{i+1} = Z_i + u_i·v_i` (indices of H_n, ω^i ↦ i).
 * Two identities must vanish on H_n:
 *
 * - start:      `L_0(X)·Z(X) = 0`                                        (Z(1) = 0)
 * - transition: `Z(ω·X) − Z(X) − u(X)·v(X) + s·L_{n−1}(X) = 0`
 *
 * At ω^i with i < n − 1 the transition says `Z_{i+1} = Z_i + u_i·v_i`; at ω^(n−1) it wraps to `Z_0 = Z_{n−1} +
 * u_{n−1}·v_{n−1} − s`, i.e. `s = Σ_i u_i·v_i` since Z_0 = 0. u is a committed oracle; v is a committed oracle or a
 * public vector whose value at ζ the verifier computes itself (`Σ v_i·L_i(ζ)`, O(n)).
 *
 * The gadget is a set of fragments (a message slot for `[Z]₁`, an oracle, public polynomials, identities) that a
 * block adds to its {@link PolyIopSpec}; the compiler combines them with the block's other identities into one
 * quotient per domain. Matmul and sum use it.
 * @module
 */
import type { G1Point } from '../src/curve';
import type { SlotDecl } from '../src/equations/equation';
import { R } from '../src/field';
import { commit } from '../src/kzg/commit';
import type { KzgKey } from '../src/kzg/key';
import { interpolate } from '../src/poly/interpolate';
import { at, lagrangePoly, pub, scalar, shiftedAt, term, type Factor, type Identity, type Oracle, type PublicPoly } from './poly-iop';

/** Options of {@link runningSumGadget}. */
export interface RunningSumOptions {
  /** Distinguishes gadgets of one block; names the accumulator oracle `Z/<name>` and its slot `[Z]/<name>`. */
  readonly name: string;
  /** Size n of the domain H_n. */
  readonly domain: number;
  /** The committed oracle u. */
  readonly u: string;
  /** v: a committed oracle, or a public polynomial (declared by the block in its spec's `publics`). */
  readonly v: { readonly oracle: string } | { readonly public: string };
  /** The Fr slot holding the claimed total s. */
  readonly total: string;
}

/** The fragments of one running sum. */
export interface RunningSumGadget {
  /** The G1 message slot `[Z]₁`, to be sent in a block round after u and v are fixed and before the quotient. */
  readonly commitmentSlot: SlotDecl;
  /** The accumulator oracle, opened at ζ and at ω·ζ. */
  readonly oracle: Oracle;
  /** L_0 and L_{n−1} of H_n. */
  readonly publics: readonly PublicPoly[];
  /** Transition first, then start. */
  readonly identities: readonly Identity[];
}

/** The fragments proving `⟨u, v⟩ = s` over H_n (see the module comment for the identities). */
export function runningSumGadget(opts: RunningSumOptions): RunningSumGadget {
  const n = opts.domain;
  const z = `Z/${opts.name}`;
  const first = lagrangePoly(n, 0);
  const last = lagrangePoly(n, n - 1);
  const v: Factor = 'oracle' in opts.v ? at(opts.v.oracle) : pub(opts.v.public);
  return {
    commitmentSlot: { name: `[Z]/${opts.name}`, sort: 'g1', origin: 'message' },
    oracle: { name: z, domain: n, commitment: `[Z]/${opts.name}`, shifted: true },
    publics: [first, last],
    identities: [
      {
        name: `${opts.name}/transition`,
        domain: n,
        terms: [term(1, shiftedAt(z)), term(-1, at(z)), term(-1, at(opts.u), v), term(1, scalar(opts.total), pub(last.name))],
      },
      { name: `${opts.name}/start`, domain: n, terms: [term(1, pub(first.name), at(z))] },
    ],
  };
}

/** The accumulator values `Z_0 = 0, Z_{i+1} = Z_i + u_i·v_i` on H_n and the total `Σ u_i·v_i`. */
export function runningSumValues(u: readonly bigint[], v: readonly bigint[]): { values: bigint[]; total: bigint } {
  const values = new Array<bigint>(u.length);
  let acc = 0n;
  for (let i = 0; i < u.length; i++) {
    values[i] = acc;
    acc = (acc + u[i] * v[i]) % R;
  }
  return { values, total: acc };
}

/** The prover's accumulator: its coefficients, its commitment `[Z(τ)]₁` and the total s. */
export async function runningSumAccumulator(
  kzg: KzgKey,
  u: readonly bigint[],
  v: readonly bigint[],
): Promise<{ coeffs: bigint[]; commitment: G1Point; total: bigint }> {
  const { values, total } = runningSumValues(u, v);
  const coeffs = interpolate(values, kzg.engine);
  return { coeffs, commitment: await commit(kzg, coeffs), total };
}
