/**
 * Which committed polynomials of a poly-IOP the compiler blinds, and by how much.
 *
 * A polynomial f on H_n that the proof opens at e points is committed as `f + Z_H·b` with b of e + 1 random
 * coefficients (PLONK): on H it is f, so every identity that holds on H still holds; at the e opening points
 * (none of which lies in H, except with probability n/r) the values `f(z) + Z_H(z)·b(z)` together with the
 * commitment are e + 1 independent uniform combinations of b's e + 1 coefficients, so they are jointly uniform
 * and independent of f. An oracle opened at ζ takes 2 coefficients, a shifted one (opened at ζ and ω·ζ) 3.
 *
 * The compiler blinds every oracle whose commitment is a **message** of the block's own rounds (helpers,
 * multiplicities, running sums, selectors). Oracles whose commitment is a statement slot (rows of wires,
 * weights, public inputs and outputs) or a derived slot (a combination of other commitments) get their blinding
 * where those commitments are made, not here. The quotient is not blinded: it is a function of the blinded
 * oracles and the challenges, and its value at ζ follows from the other evaluations, so a simulator holding the
 * trapdoor computes its commitment and evaluation from its own simulated oracles (docs/protocol.md, "Zero
 * knowledge").
 *
 * Degrees: a blinded oracle has degree < n + 3, so an identity of degree d ≤ 3 (the compiler's maximum) has a
 * quotient of degree below (d − 1)·n + 3·d − 2 ≤ 2n + 7: the SRS needs {@link HIDING_SRS_SLACK} powers of τ
 * beyond the 2n an unblinded argument needs.
 * @module
 */
import type { SlotDecl } from '../src/equations/equation';
import { BlockfoldError } from '../src/errors';
import type { Oracle } from './poly-iop';

/** The most blinding coefficients an oracle takes (a shifted oracle: opened at ζ and ω·ζ). */
export const MAX_BLINDING_COEFFICIENTS = 3;

/** The largest identity degree whose quotient the SRS is sized for (as without blinding: 2n powers for degree 3). */
export const MAX_IDENTITY_DEGREE = 3;

/**
 * Powers of τ the SRS needs beyond `2·(largest domain)` so that quotients of blinded oracles fit:
 * `d·(n + 2) − n + 1 − 2n` for d = 3.
 */
export const HIDING_SRS_SLACK = MAX_IDENTITY_DEGREE * (MAX_BLINDING_COEFFICIENTS - 1) + 1;

/** Evaluations of an oracle the proof reveals: at ζ, and at ω·ζ when shifted. */
export function revealedEvaluations(o: Pick<Oracle, 'shifted'>): number {
  return o.shifted ? 2 : 1;
}

/** A commitment the compiler blinds: `count` coefficients of b over H_`domain`. */
export interface BlindedCommitment {
  readonly commitment: string;
  readonly domain: number;
  readonly count: number;
  /** The oracles committed by it (several oracles of one block may share a commitment slot). */
  readonly oracles: readonly string[];
}

/**
 * The message commitments of a spec that the compiler blinds: every G1 message slot that an oracle commits to,
 * with `revealed + 1` coefficients (the most over the oracles sharing it), except the block's `selfBlinded` messages
 * (`PolyIopSpec.selfBlinded`: the block hides them itself). The lint of hiding: a G1 message
 * that is no oracle's commitment (so it would be sent unblinded), or oracles on two domains sharing one
 * commitment (`Z_H·b` vanishes on one domain only), are a {@link BlockfoldError} naming the slot.
 */
export function blindedCommitments(where: string, oracles: readonly Oracle[], slots: readonly SlotDecl[], selfBlinded: readonly string[] = []): BlindedCommitment[] {
  const own = new Set(selfBlinded);
  const messages = new Set(slots.filter((d) => d.origin === 'message' && d.sort === 'g1' && !own.has(d.name)).map((d) => d.name));
  const committed = new Set(oracles.map((o) => o.commitment));
  for (const m of messages)
    if (!committed.has(m))
      throw new BlockfoldError(
        'BLOCK',
        `${where}: G1 message "${m}" is the commitment of no oracle, so the compiler cannot blind it (a commitment to a witness polynomial without blinding reveals it to anyone who can guess it); declare the polynomial as an oracle`,
      );
  const out = new Map<string, { commitment: string; domain: number; count: number; oracles: string[] }>();
  for (const o of oracles) {
    if (!messages.has(o.commitment)) continue;
    const count = revealedEvaluations(o) + 1;
    const b = out.get(o.commitment);
    if (!b) {
      out.set(o.commitment, { commitment: o.commitment, domain: o.domain, count, oracles: [o.name] });
      continue;
    }
    if (b.domain !== o.domain)
      throw new BlockfoldError('BLOCK', `${where}: commitment "${o.commitment}" holds oracles on H_${b.domain} and H_${o.domain}; a blinding vanishes on one domain only`);
    b.count = Math.max(b.count, count);
    b.oracles.push(o.name);
  }
  return [...out.values()];
}
