/**
 * The weight-link gadget: a block that reads a combination of fixed weight rows reads a fresh re-randomization of
 * it instead, so that no proof reveals an evaluation of the weights (docs/soundness.md, "Zero knowledge"), and the
 * link that ties the two is one identity of the block's poly-IOP, proven by the argument's own quotient and opening.
 *
 * A block combines the committed weight rows into `w = Σ_l ρ_l·W_l` on H_n (ρ from its challenges), whose
 * commitment `[w]₁` is a combination of statement slots. Opening w at ζ would give one linear equation in the
 * weights per proof (the weight-recovery attack). Instead the prover draws b of `LINK_BLINDING` (2) coefficients
 * and sends one message, `E = [Z_H·b]₁`; the block reads the oracle w̃ whose commitment the verifier derives,
 * `[w̃]₁ = [w]₁ + E` (a combination of the statement slots and of E), and the gadget adds the oracle e committed by E
 * and the identity
 *
 *   `e = 0` on H_n.
 *
 * e reads only itself, so the compiler linearizes it (`poly-iop.ts`, `linearizedOracles`): it is never evaluated,
 * it enters only the linearized combination L of the opening at ζ, and its quotient `e/Z_H = b` joins the
 * argument's one quotient. The proof grows by E alone: no challenge, no opening and no equation of the link's own.
 *
 * Why it is sound: E is sent before λ and ζ, so in the algebraic group model the prover knows the polynomial e it
 * commits, and the argument's quotient check (a false identity survives the λ-combination and the random ζ with
 * negligible probability) makes e vanish on H: `e = Z_H·q` for some q. The block's identities read w̃, whose
 * committed polynomial is `w + e` (w the committed combination, `[w]₁` derived from the model commitment); it equals
 * w at every point of H, and an identity constrains its oracles' values on H only (shifted reads too: `ω·H = H`).
 * So every identity the block proves about w̃ holds of the committed weights. Without the identity a prover sends
 * `E = [Δ + Z_H·b]₁` for any Δ and proves the block's relation for the weights `w + Δ`
 * (`test/blocks/weight-link.test.ts` removes it and forges).
 *
 * Why it hides: the proof reveals two functions of b: `b(τ)` (in E) and `w̃(ζ) = w(ζ) + Z_H(ζ)·(b_w(ζ) + b(ζ))` (b_w
 * the weight rows' setup blinding combined, below), with `Z_H(ζ) ≠ 0` and ζ ≠ τ. b has 2 uniform coefficients, so
 * `(b(τ), b(ζ))` is uniform and `w̃(ζ)` is uniform whatever the weights; each proof adds its own two unknowns to any
 * system an attacker collects. e must stay unevaluated: `w̃(ζ) − e(ζ) = (w + Z_H·b_w)(ζ)` is an evaluation of the
 * fixed committed polynomial, which n + 2 proofs would interpolate. e is linearized by construction (the compiler
 * takes every oracle that shares no term with another and is read once per term) and the tests assert that no
 * proof carries its evaluation. The quotient's share `λ^g·b` and L are functions of the rest for a simulator holding τ, as for
 * every blinded oracle (`hiding.ts`).
 *
 * When the model commitment hides (each weight row committed at setup as `[W_l + Z_H·b_l]₁`,
 * `BlockContext.statementBlinding` giving b_l), `[w̃]₁` is the commitment of `w + Z_H·(Σ_l ρ_l·b_l + b)`: the
 * compiler adds the rows' part to the oracle as for any combination of statement slots (`hiding.ts`,
 * `statementOracleBlinding`), the gadget adds its own `Z_H·b`.
 *
 * Cost: one G1 element per combination (E); the verifier adds E into the derived `[w̃]₁` and gives e one
 * coefficient in the opening's linearized combination.
 * @module
 */
import type { G1Point } from '../src/curve';
import { blindingSource } from '../src/blinding';
import type { SlotDecl, SlotValues } from '../src/equations/equation';
import { BlockfoldError } from '../src/errors';
import { commitVanishingMultiple } from '../src/kzg/commit';
import { addVanishingMultiple } from '../src/poly/vanishing-multiple';
import type { BlockContext } from './block';
import { blindingCoefficients } from './hiding';
import { at, combinationStep, term, type Combination, type Identity, type Oracle } from './poly-iop';
import type { Step } from './protocol';

/** Coefficients of b: E and the one evaluation `w̃(ζ)` must be independent of w (an oracle opened at ζ alone). */
const LINK_BLINDING = blindingCoefficients(1);

/** The spec fragments of one weight link, named after the oracle w̃ the block reads. */
export interface WeightLink {
  /** The combination of weight rows `w = Σ_l ρ_l·W_l` (from the block's challenges). */
  readonly combination: Combination;
  /** The oracle w̃ the block reads in place of w: derived commitment `[w]₁ + E`, declared as that combination. */
  readonly oracle: Oracle;
  /** The oracle e committed by E, read by {@link WeightLink.identity} only. */
  readonly vanishing: Oracle;
  /** `e = 0` on H. */
  readonly identity: Identity;
  /** The G1 message slot of E, to be sent in a message round of the block (before the compiler's tail). */
  readonly message: string;
  /** E (message) and `[w̃]₁` (derived). */
  readonly slots: readonly SlotDecl[];
  /** The derived step of `[w̃]₁`: after the round that sends {@link WeightLink.message}. */
  readonly rounds: readonly Step[];
  /** The G1 messages the gadget hides itself (`PolyIopSpec.selfBlinded`): E. */
  readonly selfBlinded: readonly string[];
}

/** The weight link over H_`domain` of the combination `combination` of weight rows, read by the block as the oracle `name`. */
export function weightLink(name: string, domain: number, combination: Combination): WeightLink {
  const message = `link/${name}/E`;
  const tilde = `link/${name}/w~`;
  const e = `link/${name}/e`;
  const rerandomized: Combination = (values) => {
    const c = combination(values);
    return { slots: [...c.slots, message], scalars: [...c.scalars, 1n] };
  };
  const vanishing: Oracle = { name: e, domain, commitment: message };
  return {
    combination,
    oracle: { name, domain, commitment: tilde, combination: rerandomized },
    vanishing,
    identity: { name: `link/${name}`, domain, terms: [term(1, at(e))] },
    message,
    slots: [
      { name: message, sort: 'g1', origin: 'message' },
      { name: tilde, sort: 'g1', origin: 'derived' },
    ],
    rounds: [combinationStep({ [tilde]: rerandomized })],
    selfBlinded: [message],
  };
}

/** The prover's side of one link: its b, and what it sends. */
export interface WeightLinkProver {
  /** `E = [Z_H·b]₁`. */
  messages(values: SlotValues): Promise<Record<string, G1Point>>;
  /**
   * The coefficients of w̃ and e from those of the interpolant w of the combined weight values: `w + Z_H·b` and
   * `Z_H·b` (the compiler adds the weight rows' blinding to w̃, as for any combination of statement slots).
   */
  polynomials(w: readonly bigint[]): Record<string, bigint[]>;
}

/**
 * The prover of `link` over H_`domain`. `label` (of the values when E is sent) must differ between the links of one
 * proof (a block passes its fold key and a challenge of its own): two links sharing b would reveal the difference
 * of their combinations.
 */
export function weightLinkProver(ctx: BlockContext, link: WeightLink, domain: number, label: (values: SlotValues) => string): WeightLinkProver {
  let b: bigint[] | undefined;
  return {
    messages: async (values) => {
      b ??= (ctx.blinding ?? blindingSource()).draw(`weight-link/${label(values)}`, LINK_BLINDING);
      return { [link.message]: await commitVanishingMultiple(ctx.kzg, domain, b) };
    },
    polynomials: (w) => {
      if (!b) throw new BlockfoldError('BLOCK', `weight link of "${link.oracle.name}": b is drawn when E is sent, before the polynomials are read`);
      return { [link.oracle.name]: addVanishingMultiple(w, domain, b), [link.vanishing.name]: addVanishingMultiple([], domain, b) };
    },
  };
}
