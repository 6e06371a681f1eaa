/**
 * The weight-link gadget: a block that opens a combination of fixed weight rows opens a fresh re-randomization
 * of it instead, so that no proof reveals an evaluation of the weights (docs/protocol.md, "Zero knowledge").
 *
 * A block combines the committed weight rows into `w = Σ_l ρ_l·W_l` on H_n (ρ from its challenges), whose
 * commitment `[w]₁` the verifier derives from the model commitment. Instead of opening w at ζ, which gives one
 * linear equation in the weights per proof (the weight-recovery attack), the prover draws r of degree < 2 and sends
 *
 * 1. `[w̃]₁ = [w + Z_H·r]₁` (the oracle the block opens at ζ in place of w) and `D = [r(τ)]₁`;
 * 2. after a challenge ξ: π, the KZG proof that `L = w̃ − w − Z_H(ξ)·r` vanishes at ξ, checked by
 *    `e([w̃]₁ − [w]₁ − Z_H(ξ)·D + ξ·π, [1]₂) = e(π, [τ]₂)`.
 *
 * Why it is sound: the commitments of w̃ and D are fixed before ξ, so in the algebraic group model the prover knows
 * polynomials w̃, r of degree below the SRS size with those commitments, and the opening says the polynomial
 * `w̃ − w − Z_H·r` has ξ as a root; it has bounded degree and ξ is uniform, so whp it is zero: `w̃ = w + Z_H·r`,
 * hence `w̃ = w` on H, and every identity the block proves about w̃ on H is about the committed weights. D enters only
 * multiplied by the verifier's `Z_H(ξ)` (rule 2: no free correction term), ξ is a transcript challenge (rule 8).
 * Dropping the link equation lets a prover open any w̃ (`test/blocks/matmul.test.ts`).
 *
 * Why it hides: r has 2 uniform coefficients and the proof reveals two functions of it, `r(τ)` (in `[w̃]₁` and D)
 * and `w̃(ζ) = w(ζ) + Z_H(ζ)·r(ζ)` with `Z_H(ζ) ≠ 0`; they are independent uniform, so `w̃(ζ)` is uniform whatever
 * the weights. π is determined by the rest (a simulator holding τ computes it). Each proof adds its own two unknowns
 * to any system an attacker collects, so proofs never pin the weights.
 *
 * When the model commitment hides (each weight row committed at setup as `[W_l + Z_H·b_l]₁`, `BlockContext.statementBlinding`
 * giving b_l), `[w]₁` is the commitment of `w + Z_H·Σ_l ρ_l·b_l`, so the prover opens `w̃ = w + Z_H·(Σ_l ρ_l·b_l + r)`:
 * `w̃ − [w]₁` is still `Z_H·r` and the link equation is unchanged; b_l hides the model commitment, r the proof.
 *
 * Cost: three G1 elements per combination (`[w̃]₁`, D, π), one challenge, five pairing terms on the two G2 points
 * every KZG check already uses (so the proof's multi-pairing keeps its two Miller loops and aggregation folds the
 * link like any pairing equation).
 * @module
 */
import type { G1Point } from '../src/curve';
import { blindingSource } from '../src/blinding';
import type { Equation, PairingMonomial, SlotDecl, SlotValues } from '../src/equations/equation';
import { frSlot } from '../src/equations/evaluate';
import { BlockfoldError } from '../src/errors';
import { Fr, R } from '../src/field';
import { commit, commitVanishingMultiple } from '../src/kzg/commit';
import type { KzgKey, KzgVerifierKey } from '../src/kzg/key';
import { open } from '../src/kzg/open';
import { addVanishingMultiple } from '../src/poly/vanishing-multiple';
import type { BlockContext } from './block';
import { combinationBlinding } from './hiding';
import type { Combination } from './poly-iop';
import type { Step } from './protocol';

/** Coefficients of r: the commitment `[w̃]₁` and the one evaluation `w̃(ζ)` must be independent of w. */
const LINK_BLINDING = 2;

/** The spec fragments of one weight link, named after the derived slot of the combination it re-randomizes. */
export interface WeightLink {
  /** The combination of weight rows `w = Σ_l ρ_l·W_l` (the same function the block derives `[w]₁` with). */
  readonly combination: Combination;
  /** The G1 message slot of `[w̃]₁`: the commitment of the oracle the block opens in place of the combination. */
  readonly commitment: string;
  /** `[w̃]₁` and D, to be sent in a message round after the combination is derived. */
  readonly messages: readonly string[];
  readonly slots: readonly SlotDecl[];
  /** ξ, `Z_H(ξ)`, then π: rounds after the one that sends {@link WeightLink.messages}. */
  readonly rounds: readonly Step[];
  /** The G1 messages the gadget hides itself (`PolyIopSpec.selfBlinded`). */
  readonly selfBlinded: readonly string[];
  /** The slot of ξ. */
  readonly challenge: string;
  /** The derived slot of `Z_H(ξ)`. */
  readonly vanishing: string;
  /** The slot of π: the prover answers the message round that asks for it with `linkOpening`. */
  readonly proof: string;
  /** The link equation. */
  equation(kzg: KzgVerifierKey): Equation;
}

/** The weight link of the combination `combination` of weight rows held by the derived G1 slot `combined`, over H_`domain`. */
export function weightLink(combined: string, domain: number, combination: Combination): WeightLink {
  const tilde = `link/${combined}/w~`;
  const d = `link/${combined}/r`;
  const xi = `link/${combined}/xi`;
  const vanishing = `link/${combined}/Z(xi)`;
  const proof = `link/${combined}/pi`;
  const g1 = (name: string): SlotDecl => ({ name, sort: 'g1', origin: 'message' });
  return {
    combination,
    commitment: tilde,
    messages: [tilde, d],
    slots: [g1(tilde), g1(d), { name: xi, sort: 'fr', origin: 'challenge' }, { name: vanishing, sort: 'fr', origin: 'derived' }, g1(proof)],
    rounds: [
      { kind: 'challenge', slots: [xi] },
      { kind: 'derived', slots: [vanishing], compute: (v: SlotValues) => ({ [vanishing]: Fr.sub(Fr.pow(frSlot(v, xi), BigInt(domain)), 1n) }) },
      { kind: 'message', slots: [proof] },
    ],
    selfBlinded: [tilde, d, proof],
    challenge: xi,
    vanishing,
    proof,
    equation: (kzg) => ({
      kind: 'pairing',
      name: `link ${combined}`,
      terms: [
        { coeff: 1n, scalars: [], g1: tilde, g2: kzg.g2One },
        { coeff: R - 1n, scalars: [], g1: combined, g2: kzg.g2One },
        ...vanishingLinkTerms(kzg, { d, xi, vanishing, proof }),
      ],
    }),
  };
}

/** The slots of a vanishing link: `D = [r]₁`, ξ, `Z_H(ξ)` and π. */
export interface VanishingLinkSlots {
  readonly d: string;
  readonly xi: string;
  readonly vanishing: string;
  readonly proof: string;
}

/**
 * The terms `− Z_H(ξ)·D + ξ·π` on `[1]₂` and `− π` on `[τ]₂` that, added to the terms of a commitment `[Δ]₁`,
 * check `e([Δ]₁ − Z_H(ξ)·D + ξ·π, [1]₂) = e(π, [τ]₂)`: π opens `Δ − Z_H(ξ)·r` at ξ to 0, so (D fixed before ξ)
 * `Δ = Z_H·r` whp. Shared by the weight link (`Δ = w̃ − w`) and the relink (`blocks/relink.ts`).
 */
export function vanishingLinkTerms(kzg: KzgVerifierKey, s: VanishingLinkSlots): PairingMonomial[] {
  return [
    { coeff: R - 1n, scalars: [s.vanishing], g1: s.d, g2: kzg.g2One },
    { coeff: 1n, scalars: [s.xi], g1: s.proof, g2: kzg.g2One },
    { coeff: R - 1n, scalars: [], g1: s.proof, g2: kzg.g2Tau },
  ];
}

/**
 * π for the honest `Δ = Z_H·r` over H_`domain`: the KZG proof at ξ of `Δ − Z_H(ξ)·r = (Z_H − Z_H(ξ))·r`, which
 * vanishes there (`zXi = Z_H(ξ)`).
 */
export async function vanishingLinkOpening(kzg: KzgKey, domain: number, r: readonly bigint[], xi: bigint, zXi: bigint): Promise<G1Point> {
  const l = addVanishingMultiple([], domain, r).map((c, i) => Fr.sub(c, Fr.mul(zXi, r[i] ?? 0n)));
  return (await open(kzg, l, xi)).proof;
}

/** The prover's side of one link: its r, and what it sends. */
export interface WeightLinkProver {
  /** `[w̃]₁ = [w]₁ + [Z_H·r]₁` and `D = [r]₁`, from the derived `[w]₁` in `values`. */
  messages(values: SlotValues): Promise<Record<string, G1Point>>;
  /**
   * The coefficients of w̃ from those of the interpolant w of the combined weight values: `w + Z_H·(b + r)`, b the
   * combination's blinding of the weight rows (`BlockContext.statementBlinding`) at the challenges in `values`.
   */
  rerandomize(w: readonly bigint[], values: SlotValues): bigint[];
  /** π: the KZG proof at ξ of `w̃ − w − Z_H(ξ)·r = (Z_H − Z_H(ξ))·r`, which vanishes there. */
  linkOpening(values: SlotValues): Promise<Record<string, G1Point>>;
}

/**
 * The prover of {@link weightLink}`(combined, domain)`. `label` (of the values when `[w̃]₁` is sent) must differ between the links of one proof (a
 * block passes its fold key and a challenge of its own): two links sharing r would reveal the difference of their
 * combinations.
 */
export function weightLinkProver(ctx: BlockContext, link: WeightLink, combined: string, domain: number, label: (values: SlotValues) => string): WeightLinkProver {
  let r: bigint[] | undefined;
  const blinding = (values?: SlotValues): bigint[] => {
    if (!r && !values) throw new BlockfoldError('BLOCK', `weight link of "${combined}": r is drawn when [w̃]₁ is sent, before it is used`);
    return (r ??= (ctx.blinding ?? blindingSource()).draw(`weight-link/${label(values!)}`, LINK_BLINDING));
  };
  return {
    messages: async (values) => {
      const b = blinding(values);
      const [tilde, d] = link.messages;
      return { [tilde]: (values[combined] as G1Point).add(await commitVanishingMultiple(ctx.kzg, domain, b)), [d]: await commit(ctx.kzg, b) };
    },
    rerandomize: (w, values) => {
      const b = combinationBlinding(`weight link of "${combined}"`, link.combination(values), ctx.statementBlinding);
      return addVanishingMultiple(addVanishingMultiple(w, domain, b), domain, blinding());
    },
    linkOpening: async (values) => ({
      [link.proof]: await vanishingLinkOpening(ctx.kzg, domain, blinding(), frSlot(values, link.challenge), frSlot(values, link.vanishing)),
    }),
  };
}
