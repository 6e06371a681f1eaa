/**
 * A block's verifier side as data: slots, equations and the schedule both prover and verifier follow
 * (docs/folding.md §1–§3).
 * @module
 */
import type { Engine } from '../src/engine/engine';
import { EquationError, validateEquations, type Equation, type SlotDecl, type SlotValues } from '../src/equations/equation';
import { messageRoles } from './message-roles';

/** The verifier absorbs these statement slots (known to it before the proof is read). */
export interface StatementStep {
  readonly kind: 'statement';
  readonly slots: readonly string[];
}
/** The prover sends these message slots; they are absorbed before the next challenge. */
export interface MessageStep {
  readonly kind: 'message';
  readonly slots: readonly string[];
}
/** Challenges drawn from the transcript, one per slot, in order. */
export interface ChallengeStep {
  readonly kind: 'challenge';
  readonly slots: readonly string[];
}
/**
 * Slots the verifier computes itself from the values so far and public parameters (Lagrange values,
 * `Z_H(ζ)`, row combinations `Σ α_i·C_i`). Never read from a proof.
 */
export interface DerivedStep {
  readonly kind: 'derived';
  readonly slots: readonly string[];
  compute(values: SlotValues, engine: Engine): Promise<SlotValues> | SlotValues;
}

export type Step = StatementStep | MessageStep | ChallengeStep | DerivedStep;

/** Everything a verifier needs to check one block instance, and a folder needs to fold it. */
export interface Protocol {
  /** Fold key: block kind and shape bucket. Leaves with equal keys have equal slots, equations and public points. */
  readonly foldKey: string;
  /** Highest monomial degree allowed (2 for most blocks, at most 3). */
  readonly maxDegree: number;
  readonly slots: readonly SlotDecl[];
  readonly equations: readonly Equation[];
  readonly schedule: readonly Step[];
  /**
   * The G1 messages the block hides itself (as `PolyIopSpec.selfBlinded`): in a model argument every other G1
   * message must be an oracle's commitment, which the compiler blinds.
   */
  readonly selfBlinded?: readonly string[];
}

/**
 * Checks a protocol's internal consistency: every slot produced exactly once by a step of its origin,
 * statements before the first challenge, equations well-formed and within the degree bound, and every G1 message
 * pinned by its role (docs/soundness.md rule 2, {@link messageRoles}: an opening proof, a commitment opened with a
 * weight drawn after it, or a message an opened derived commitment may read), else a `MessageRoleError` naming the
 * block and the message. The schedule runner and the folder check every protocol they run with it.
 */
export function validateProtocol(p: Protocol): void {
  if (p.maxDegree < 1 || p.maxDegree > 3) throw new EquationError(`${p.foldKey}: maximum degree ${p.maxDegree} outside 1..3`);
  validateEquations(p.slots, p.equations, p.maxDegree);
  const decl = new Map(p.slots.map((s) => [s.name, s]));
  const produced = new Set<string>();
  let challengeSeen = false;
  for (const step of p.schedule) {
    if (step.kind === 'challenge') challengeSeen = true;
    if (step.kind === 'statement' && challengeSeen)
      throw new EquationError(`${p.foldKey}: statement slots ${step.slots.join(', ')} come after a challenge`);
    for (const name of step.slots) {
      const d = decl.get(name);
      if (!d) throw new EquationError(`${p.foldKey}: schedule names undeclared slot "${name}"`);
      if (d.origin !== step.kind) throw new EquationError(`${p.foldKey}: slot "${name}" is ${d.origin} but produced by a ${step.kind} step`);
      if (d.sort !== 'fr' && step.kind === 'challenge') throw new EquationError(`${p.foldKey}: challenge slot "${name}" must be Fr`);
      if (produced.has(name)) throw new EquationError(`${p.foldKey}: slot "${name}" produced twice`);
      produced.add(name);
    }
  }
  for (const s of p.slots) if (!produced.has(s.name)) throw new EquationError(`${p.foldKey}: slot "${s.name}" is never produced`);
  messageRoles(p);
}

const messageSlotLists = new WeakMap<Protocol, readonly SlotDecl[]>();

/**
 * The message slots of a protocol, in schedule order (the order they appear in a proof); listed once per protocol,
 * since a verifier reads them for every proof.
 */
export function messageSlots(p: Protocol): readonly SlotDecl[] {
  let list = messageSlotLists.get(p);
  if (list === undefined) {
    const decl = new Map(p.slots.map((s) => [s.name, s]));
    messageSlotLists.set(p, (list = Object.freeze(p.schedule.filter((s) => s.kind === 'message').flatMap((s) => s.slots.map((n) => decl.get(n)!)))));
  }
  return list;
}

/** The statement slots of a protocol, in schedule order. */
export function statementSlots(p: Protocol): SlotDecl[] {
  const decl = new Map(p.slots.map((s) => [s.name, s]));
  return p.schedule.filter((s) => s.kind === 'statement').flatMap((s) => s.slots.map((n) => decl.get(n)!));
}
