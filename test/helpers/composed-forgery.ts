/**
 * A forger of one composed evaluation `f(ζ^k)` of a compiled poly-IOP block (`blocks/poly-iop.ts`, "Compositions"),
 * to show that the opening at ζ^k is what rejects it. Changing f(ζ^k) alone already breaks the quotient check at ζ,
 * so a test that only flips it cannot tell whether ζ^k is opened at all. This forger keeps the check at ζ:
 *
 * - it commits `[t]₁ + c·[1]₁` for the quotient (the polynomial t + c, c fixed before ζ);
 * - after ζ it claims the f(ζ^k) that moves L's value at ζ by c times the quotient's coefficient in L (−w): the
 *   verifier's L is the honest one minus w·c, its value is lowered by w·c, so `L − L(ζ)` and the ζ batch's quotient
 *   are unchanged.
 *
 * Every point of the opening but ζ^k then holds. With `openedAnyway` it also uses the test τ to open the ζ^k batch at
 * the false value, which a secret τ forbids: h gains `γ^b·v_b·(f(ζ^k) − y')/(X − ζ^k)`, no polynomial, so W and W'
 * move by that term at τ (times `Z_{T∖b}(x)` in W', `src/kzg/multi-open.ts`). A proof accepted then and rejected
 * without it is rejected by the ζ^k opening alone.
 */
import type { BlockContext, Protocol } from '../../blocks/index';
import type { MessageSource } from '../../blocks/schedule';
import type { SlotValues } from '../../src/equations/equation';
import { G1_ONE, g1Mul, type G1Point } from '../../src/curve';
import { Fr } from '../../src/field';
import { multiPointWeights } from '../../src/kzg/multi-open';
import { TEST_TAU } from './kzg';

/** What {@link composedForger} changes: the quotient (the compensation) and the ζ^k batch's opening (the τ forgery). */
export interface ComposedForgery {
  /** Commit `t + shift` and pick f(ζ^k) so the check at ζ holds; without it f(ζ^k) is raised by 1. */
  readonly keepCheckAtZeta: boolean;
  /** The constant added to the quotient (1 unless a quadratic read leaves no root for it: {@link ComposedForger.solved}). */
  readonly shift?: bigint;
  /** Open the ζ^k batch at the false value with the test τ. */
  readonly openedAnyway: boolean;
}

/** A forging prover and whether its forged value kept the check at ζ. */
export interface ComposedForger {
  readonly source: MessageSource;
  /**
   * False when no f(ζ^k) keeps the check at ζ for the shift: f(ζ^k) is read in a product (A quadratic) whose equation
   * has no root in Fr, and f(ζ^k) + 1 was sent instead. A forger then commits another shift (a new ζ) and tries again.
   */
  readonly solved: () => boolean;
}

const get = (values: SlotValues, name: string): bigint => {
  const v = values[name];
  if (typeof v !== 'bigint') throw new Error(`slot "${name}" is no Fr value`);
  return v;
};

/**
 * The y' with `A(y') = A(y) − shift` for A of degree at most 2 (checked at a fourth point), if any: its coefficients
 * from A(y), A(y + 1), A(y + 2) (differences), then the linear or quadratic formula.
 */
async function rootOf(a: (value: bigint) => Promise<bigint>, y: bigint, shift: bigint): Promise<bigint | undefined> {
  const [a0, a1, a2, a3] = await Promise.all([0n, 1n, 2n, 3n].map((d) => a(Fr.add(y, d))));
  // A(y + d) = a0 + b·d + c·d², so b + c = a1 − a0 and 2c = a2 − 2·a1 + a0.
  const c = Fr.div(Fr.add(Fr.sub(a2, Fr.mul(2n, a1)), a0), 2n);
  const b = Fr.sub(Fr.sub(a1, a0), c);
  if (Fr.add(Fr.add(a0, Fr.mul(3n, b)), Fr.mul(9n, c)) !== a3) throw new Error('L\'s value at ζ is of degree above 2 in the forged evaluation');
  // Solve b·d + c·d² = −shift for d; y' = y + d.
  if (c === 0n) return Fr.add(y, Fr.div(Fr.neg(shift), b));
  const discriminant = Fr.sub(Fr.mul(b, b), Fr.mul(Fr.mul(4n, c), shift));
  let root: bigint;
  try {
    root = Fr.sqrt(discriminant);
  } catch {
    return undefined; // a non-square: no root
  }
  return Fr.add(y, Fr.div(Fr.sub(root, b), Fr.mul(2n, c)));
}

/**
 * `honest` with the evaluation slot `slot` (`<oracle>@zeta^k`) forged as the module comment says. The changed value
 * y' solves `A(y') − A(y) = −shift` for A the verifier's derived L value at ζ with v = 1 (`rootOf`: of degree at most
 * 2 in y', as long as f(ζ^k) weights no linearized commitment), so that L's value drops by w·shift exactly when the
 * quotient's commitment gains shift·[1]₁.
 */
export function composedForger(ctx: BlockContext, protocol: Protocol, honest: MessageSource, slot: string, forgery: ComposedForgery): ComposedForger {
  const point = slot.slice(slot.indexOf('@') + 1);
  const linearStep = protocol.schedule.find((s) => s.kind === 'derived' && s.slots.includes('lin@zeta'));
  const zetaStep = protocol.schedule.find((s) => s.kind === 'derived' && s.slots.includes(point));
  if (linearStep?.kind !== 'derived' || zetaStep === undefined) throw new Error(`no composed point "${point}" in ${protocol.foldKey}`);
  // The opening's points in batch order: ζ, then the rotations' and compositions' (derived right after ζ, each the
  // point of some evaluation: `<oracle>@w^szeta` at the slot `w^szeta/<domain>`, `<oracle>@zeta^k` at `zeta^k`).
  const evaluations = protocol.slots.filter((d) => d.origin === 'message' && d.name.includes('@')).map((d) => d.name);
  const points = ['zeta', ...zetaStep.slots.filter((s) => evaluations.some((e) => e.endsWith(`@${s.split('/')[0]}`)))];
  const batch = points.indexOf(point);
  const challenge = `v/${point}/${evaluations.filter((e) => e.endsWith(`@${point}`)).indexOf(slot)}`;
  // f(ζ^k) − y', then times its batching challenge v_b: the batch's value error `y_b − y'_b`.
  let error = 0n;
  let weighted = 0n;
  let solved = true;
  // `scale·(y_b − y'_b)/(τ − ζ^k)·[1]₁`: the non-polynomial term the false value adds to h (or q), at τ.
  const openingTerm = (values: SlotValues, scale: bigint): G1Point => g1Mul(G1_ONE, Fr.mul(Fr.mul(scale, weighted), Fr.inv(Fr.sub(TEST_TAU, get(values, point)))));
  const source: MessageSource = async (decls, values) => {
    const out: Record<string, SlotValues[string]> = { ...(await honest(decls, values)) };
    const names = decls.map((d) => d.name);
    if (names.includes('[quotient]') && forgery.keepCheckAtZeta) out['[quotient]'] = (out['[quotient]'] as G1Point).add(g1Mul(G1_ONE, forgery.shift ?? 1n));
    if (names.includes(slot)) {
      const y = get(out, slot);
      let forged = Fr.add(y, 1n);
      if (forgery.keepCheckAtZeta) {
        const linear = async (value: bigint) => get(await linearStep.compute({ ...values, ...out, v: 1n, [slot]: value }, ctx.engine), 'lin@zeta');
        const root = await rootOf(linear, y, forgery.shift ?? 1n);
        solved = root !== undefined;
        forged = root ?? forged;
      }
      out[slot] = forged;
      error = Fr.sub(y, forged);
    }
    if (forgery.openedAnyway && names.includes('open/W')) {
      weighted = Fr.mul(error, get(values, challenge));
      out['open/W'] = (out['open/W'] as G1Point).add(openingTerm(values, Fr.pow(get(values, 'open/gamma'), BigInt(batch))));
    }
    if (forgery.openedAnyway && names.includes("open/W'")) {
      const { weights } = multiPointWeights(points.map((p) => ({ point: get(values, p) })), get(values, 'open/gamma'), get(values, 'open/x'));
      out["open/W'"] = (out["open/W'"] as G1Point).add(openingTerm(values, weights[batch]));
    }
    return out;
  };
  return { source, solved: () => solved };
}
