/**
 * The role of every G1 message of a protocol (docs/soundness.md rule 2: no prover-chosen group element enters an
 * equation unless its role is pinned).
 *
 * The break this refuses is ZKTorch's: a "correction" point the prover sends after the last challenge and that an
 * opening equation adds, `… + e(corr, [1]₂)`. The prover sets it to minus whatever the openings miss, so the equation
 * holds for any claimed values. A G1 message is pinned when it has one of these roles:
 *
 * - **an opening proof** π: the one G1 factor paired with `[τ]₂` in its equation, which is a KZG opening
 *   (`e(…, [1]₂) + z·e(π, [1]₂) − e(π, [τ]₂) = 0`, `src/kzg/equations.ts` and `src/kzg/multi-open.ts`). In such an
 *   equation π must appear exactly in `z·e(π, [1]₂)` and `−e(π, [τ]₂)`: the opening's soundness (q-SDH) is about
 *   that shape only;
 * - **an opened commitment**: in an opening equation, in one of its monomials weighted by one challenge drawn after
 *   the message is absorbed, or by a derived slot of the step right after such a challenge (a power of v, a
 *   multi-point weight `γ^b·Z_{T∖b}(x)`): that step computes the weights of the challenge it follows, which is how
 *   every built-in protocol lays them out (`blocks/poly-iop.ts`). The commitment is then fixed before the weight
 *   that tests it is drawn; a correction that is not weighted so can cancel the rest of the equation;
 * - **read by a derived commitment**: a message in no equation, which a derived G1 slot of a later step combines
 *   (a logUp protocol's batched `C@p = Σ_i v^i·C_i`, `blocks/logup.ts`). The derived slot must be opened.
 *
 * What is decided from the protocol alone ({@link messageRoles}, run by `validateProtocol`): the two first roles
 * exactly, and for the third only that some derived G1 slot produced after the message is opened. Which derived
 * slots a message reaches is a property of the derived steps' code, not of the protocol's data, so it is checked on
 * one instance's values by {@link checkDerivedRoles} (the conformance harness runs it on the honest proof): the
 * message moved by `[1]₁`, the derived steps after it recomputed, one of the opened derived slots must move.
 *
 * Not judged: a G1 message that enters only pairing equations that are not KZG openings. Such an equation may define
 * it (a quotient `W` with `x·W = C`) or leave it free (a correction added to a linear check), which depends on what
 * the equation is meant to check, not on its shape: {@link messageRoles} reports it as `unjudged` (no built-in protocol
 * has one, which `rule-02` asserts). An opening is recognized by its `[τ]₂`, the public point under the key's name
 * `KZG_POINT_KEYS.g2Tau`, which every equation built from a `KzgVerifierKey` uses.
 * @module
 */
import { G1, G1_ONE, type G1Point } from '../src/curve';
import type { Engine } from '../src/engine/engine';
import { EquationError, type PairingMonomial, type SlotValue, type SlotValues } from '../src/equations/equation';
import { R } from '../src/field';
import { KZG_POINT_KEYS } from '../src/kzg/key';
import type { Protocol } from './protocol';

/** A G1 message with no role that pins it: the error names the block (its fold key) and the message slot. */
export class MessageRoleError extends EquationError {
  constructor(
    readonly block: string,
    readonly slot: string,
    reason: string,
  ) {
    super(`${block}: G1 message "${slot}" ${reason} (docs/soundness.md rule 2)`);
  }
}

/** How a G1 message is pinned (module comment). */
export type MessageRole =
  | { readonly kind: 'proof'; readonly equation: string }
  | { readonly kind: 'opened'; readonly equation: string; readonly weight: string }
  | { readonly kind: 'derived'; readonly opened: readonly string[] }
  | { readonly kind: 'unjudged'; readonly equations: readonly string[] };

/** A KZG opening equation: its name, its proof slot, and each other G1 slot with the weights it is paired with. */
interface OpeningEquation {
  readonly equation: string;
  readonly proof: string;
  readonly opened: ReadonlyMap<string, readonly (readonly string[])[]>;
}

const isTau = (m: PairingMonomial): boolean => typeof m.g2 !== 'string' && m.g2.key === KZG_POINT_KEYS.g2Tau;
const isOne2 = (m: PairingMonomial): boolean => typeof m.g2 !== 'string' && m.g2.key === KZG_POINT_KEYS.g2One;

/**
 * The KZG opening equations of `p`: the pairing equations with exactly one monomial `c·e(π, [τ]₂)` whose G1 factor
 * is a slot and which has no scalar. π must appear in the equation exactly as `z·e(π, [1]₂) − e(π, [τ]₂)`, z one Fr
 * slot (the point): else a {@link MessageRoleError} naming π.
 */
function openingEquations(p: Protocol): OpeningEquation[] {
  const out: OpeningEquation[] = [];
  for (const equation of p.equations) {
    if (equation.kind !== 'pairing') continue;
    const tau = equation.terms.filter(isTau);
    if (tau.length !== 1 || typeof tau[0].g1 !== 'string' || tau[0].scalars.length !== 0) continue;
    const proof = tau[0].g1;
    const withPoint = equation.terms.filter((m) => m.g1 === proof && !isTau(m));
    const shaped = withPoint.length === 1 && isOne2(withPoint[0]) && withPoint[0].scalars.length === 1 && withPoint[0].coeff === 1n && tau[0].coeff === R - 1n;
    if (!shaped) throw new MessageRoleError(p.foldKey, proof, `is paired with [τ]₂ in "${equation.name}" but not as a KZG opening proof, z·e(π, [1]₂) − e(π, [τ]₂)`);
    const opened = new Map<string, (readonly string[])[]>();
    for (const m of equation.terms) if (typeof m.g1 === 'string' && m.g1 !== proof) opened.set(m.g1, [...(opened.get(m.g1) ?? []), m.scalars]);
    out.push({ equation: equation.name, proof, opened });
  }
  return out;
}

/**
 * The role of every G1 message of `p` (module comment), decided from the protocol alone; a {@link MessageRoleError}
 * for the first message that has none: in an opening equation but neither its proof nor weighted there by a challenge
 * drawn after it, or in no equation and produced after every opened derived G1 slot. Expects a protocol whose
 * schedule produces every slot once (`validateProtocol` checks that first).
 */
export function messageRoles(p: Protocol): Map<string, MessageRole> {
  const origin = new Map(p.slots.map((s) => [s.name, s.origin]));
  const stepOf = new Map<string, number>();
  p.schedule.forEach((step, k) => step.slots.forEach((name) => stepOf.set(name, k)));
  const opens = openingEquations(p);
  const proofOf = new Map(opens.map((o) => [o.proof, o.equation]));
  // Every weight each G1 slot is opened with, in every opening (a shifted oracle is opened at ζ and at ω·ζ).
  const openedWith = new Map<string, { equation: string; weights: readonly string[] }[]>();
  for (const o of opens) for (const [g, ws] of o.opened) for (const weights of ws) openedWith.set(g, [...(openedWith.get(g) ?? []), { equation: o.equation, weights }]);
  const inEquations = new Map<string, Set<string>>();
  for (const eq of p.equations)
    if (eq.kind === 'pairing') for (const m of eq.terms) if (typeof m.g1 === 'string') inEquations.set(m.g1, (inEquations.get(m.g1) ?? new Set()).add(eq.name));
  // The challenge step a weight is drawn in: its own, or for a derived weight the challenge step right before it.
  const drawnAt = (weight: string): number | undefined => {
    const k = stepOf.get(weight)!;
    if (origin.get(weight) === 'challenge') return k;
    return origin.get(weight) === 'derived' && p.schedule[k - 1]?.kind === 'challenge' ? k - 1 : undefined;
  };
  const openedDerived = p.slots.filter((s) => s.sort === 'g1' && s.origin === 'derived' && openedWith.has(s.name)).map((s) => s.name);

  const roles = new Map<string, MessageRole>();
  for (const s of p.slots) {
    if (s.sort !== 'g1' || s.origin !== 'message') continue;
    const at = stepOf.get(s.name)!;
    const proof = proofOf.get(s.name);
    if (proof !== undefined) {
      roles.set(s.name, { kind: 'proof', equation: proof });
      continue;
    }
    const openings = openedWith.get(s.name);
    if (openings !== undefined) {
      const pinned = openings.find(({ weights }) => weights.length === 1 && (drawnAt(weights[0]) ?? -1) > at);
      if (!pinned) throw new MessageRoleError(p.foldKey, s.name, `is in the opening "${openings[0].equation}" but weighted by no challenge drawn after it: a prover may choose it to cancel the rest of the equation`);
      roles.set(s.name, { kind: 'opened', equation: pinned.equation, weight: pinned.weights[0] });
      continue;
    }
    const equations = inEquations.get(s.name);
    if (equations !== undefined) {
      roles.set(s.name, { kind: 'unjudged', equations: [...equations] });
      continue;
    }
    const opened = openedDerived.filter((d) => stepOf.get(d)! > at);
    if (opened.length === 0) throw new MessageRoleError(p.foldKey, s.name, 'is in no equation and no opened commitment is derived after it');
    roles.set(s.name, { kind: 'derived', opened });
  }
  return roles;
}

/**
 * Checks, on one instance's values (every slot of a run of `p`'s schedule), that each message {@link messageRoles}
 * finds in no equation reaches an opened derived commitment: with the message moved by `[1]₁` and the challenges
 * kept, the derived steps after it are recomputed, and some derived G1 slot that an opening equation opens must move.
 * A {@link MessageRoleError} names the first message that moves none.
 */
export async function checkDerivedRoles(p: Protocol, values: SlotValues, engine: Engine): Promise<void> {
  for (const [slot, role] of messageRoles(p)) {
    if (role.kind !== 'derived') continue;
    const moved = await derivedMovedBy(p, values, slot, engine);
    if (!moved.some((d) => role.opened.includes(d))) throw new MessageRoleError(p.foldKey, slot, 'reaches no opened commitment: moving it moves no derived slot that an opening equation opens');
  }
}

/** The derived G1 slots that change when the derived steps after `slot`'s step are recomputed with `slot` moved by `[1]₁`. */
async function derivedMovedBy(p: Protocol, values: SlotValues, slot: string, engine: Engine): Promise<string[]> {
  const start = p.schedule.findIndex((s) => s.slots.includes(slot));
  const v: Record<string, SlotValue> = { ...values, [slot]: (values[slot] as G1Point).add(G1_ONE) };
  const moved: string[] = [];
  for (const step of p.schedule.slice(start + 1)) {
    if (step.kind !== 'derived') continue;
    const out = await step.compute(v, engine);
    for (const name of step.slots) {
      v[name] = out[name];
      const before = values[name];
      if (before instanceof G1 && !(before as G1Point).equals(out[name] as G1Point)) moved.push(name);
    }
  }
  return moved;
}
