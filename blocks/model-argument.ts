/**
 * The model-level argument (proof protocol v2): every block of a model proven as **one** poly-IOP on one
 * transcript, instead of one proof per block.
 *
 * The blocks of a model become the members of one {@link PolyIopSpec}, each member's slots, oracles, public
 * polynomials and identities renamed under a prefix of its own (`b<i>|`) — except the public polynomials of a
 * domain alone (`PublicPoly.shared`, the Lagrange polynomials), which every member reads under their own name,
 * interpolated and evaluated once — and the poly-IOP compiler (`poly-iop.ts`) turns that spec into one protocol:
 *
 * 1. the statement: every member's statement slots (row commitments the verifier knows);
 * 2. the members' own rounds **in lockstep phases**: phase k holds every member's k-th run of messages and
 *    derived slots, then every member's k-th challenge step, so each challenge is drawn after every message of
 *    every member up to its phase (docs/soundness.md rule 1; a member's challenge depends only on its own earlier
 *    messages, which are all in the transcript by then). The challenges members **share**
 *    (`PolyIopSpec.sharedChallenges`: the flat blocks' row weights α) are one slot of the model under their own
 *    name, drawn once in phase A, the latest phase in which a sharing member draws them; a member that draws them
 *    in an earlier phase waits (its phases from that one on move to A and later), so every sharing member's
 *    messages before them are absorbed before them;
 * 3. the shared tail (`poly-iop.ts`): ONE running sum per domain size and multiplier for the sum claims of every
 *    member (the row weights' multiplier μ of a shared α is one polynomial of the model, `PublicPoly.reads`, so the
 *    flat blocks' row-weighted claims of one domain and row length share it), a challenge λ, ONE quotient for every
 *    identity of every member, ONE evaluation point ζ, the oracles that are not linearized evaluated at ζ (and at
 *    each `ω_n^s·ζ` at which some member reads them rotated), and ONE opening of every point.
 *
 * A block that declares a poly-IOP ({@link Block.iopSpec}, {@link Block.iopProver}) gets the shared tail with
 * no batching code of its own. Any other block (the logUp-based lookup and copy arguments, the linear checks
 * on commitments) joins as a member with its whole {@link Protocol}: its steps run in the lockstep phases on the
 * same transcript and its equations (renamed) join the model's equations, so they are decided by the same
 * batched multi-pairing with independent transcript-derived weights (rule 8).
 *
 * Soundness: the renaming makes the members' slot namespaces disjoint, so no member reads another's values;
 * each identity is an equality of values on H enforced by the shared quotient at a random ζ drawn after every
 * quotient commitment, combined with the powers of λ (a false identity survives the combination with probability
 * ≤ (identities)/r); every commitment that enters an identity is opened at ζ (as itself or inside the linearized
 * combination) with weights drawn after every evaluation. No degree bound is used (rule 3).
 *
 * A shared challenge α. Each sharing member's argument in α (the flat matmul's `F(α, δ) = 0`, a flat sum's
 * `Σ_i α^(M−1−i)·(left_i − right_i) = 0`) needs α uniform and drawn after everything its coefficients are fixed by:
 * the statement and the member's own messages before α. The lockstep above draws α after every sharing member's
 * messages before it, so that holds for every member at once; the members' error terms add up (a union bound, which
 * needs no independence between the events although they read one α). The member's messages after α (hidden
 * scalars, the flat max's running product) are absorbed before the tail's ρ, so the merged running sums that read
 * them are argued as for one block ("Running sums", `poly-iop.ts`). Nothing else about α changes: a block proven
 * alone draws it as its own challenge, in its own place. The randomness of a block must not be keyed by a shared
 * challenge (two members would draw the same blinding; the weight links key theirs by challenges of their own).
 * @module
 */
import type { Equation, SlotDecl, SlotValues } from '../src/equations/equation';
import { g1Slot } from '../src/equations/evaluate';
import { BlockfoldError } from '../src/errors';
import { Fr } from '../src/field';
import type { Block, BlockContext, Tensors } from './block';
import {
  distinctPublics,
  polyIopProtocol,
  polyIopProver,
  renamedPublic,
  type Factor,
  type Identity,
  type IdentityTerm,
  type Oracle,
  type OracleRelation,
  type PolyIopProver,
  type PolyIopSpec,
  type PublicPoly,
  type SumClaim,
  type VanishingClaim,
} from './poly-iop';
import { checkFixedRowsNotRead } from './poly-iop-block';
import type { Protocol, Step } from './protocol';
import type { MessageSource, StepLane } from './schedule';

/** The prefix of member i's slots. */
export function memberPrefix(i: number): string {
  return `b${i}|`;
}

/** The member and its own name of an argument's slot `b<i>|<slot>` ({@link memberPrefix}); undefined for any other name. */
export function memberSlot(slot: string): { readonly member: number; readonly slot: string } | undefined {
  const bar = slot.indexOf('|');
  const member = Number(slot.slice(1, bar));
  return bar > 1 && slot[0] === 'b' && Number.isInteger(member) ? { member, slot: slot.slice(bar + 1) } : undefined;
}

/**
 * How member i's names appear in the argument: its slots, oracles and public polynomials under its prefix, but the
 * challenges it shares (`PolyIopSpec.sharedChallenges`) under their own names, one slot of the model for every
 * member that shares it.
 */
interface Names {
  readonly prefix: string;
  readonly shared: ReadonlySet<string>;
  /**
   * The argument's name of each slot renamed so far: a member's steps read their slots by name on every proof. It
   * grows with every name read through a member's view ({@link memberView}), any name a step asks for, so it is
   * bounded by the names the member's protocol reads, not by the number of proofs.
   */
  readonly renamed: Map<string, string>;
}

/** The argument's name of a member's slot. */
function slotName(names: Names, slot: string): string {
  let name = names.renamed.get(slot);
  if (name === undefined) names.renamed.set(slot, (name = names.shared.has(slot) ? slot : names.prefix + slot));
  return name;
}

/** Member i's names: a poly-IOP member shares the challenges its spec declares, any other member none. */
function memberNames(i: number, shared: readonly string[] = []): Names {
  return { prefix: memberPrefix(i), shared: new Set(shared), renamed: new Map() };
}

/**
 * A read-only view of `values` in which a member's slots appear under their own names, to reads and to enumeration
 * alike (`Object.keys`, a spread): its own slots and the challenges it shares, never another member's.
 */
function memberView(values: SlotValues, names: Names): SlotValues {
  return new Proxy(values as Record<string, unknown>, {
    get: (target, name) => (typeof name === 'string' ? target[slotName(names, name)] : undefined),
    has: (target, name) => typeof name === 'string' && slotName(names, name) in target,
    ownKeys: (target) => Object.keys(target).flatMap((k) => (k.startsWith(names.prefix) ? [k.slice(names.prefix.length)] : names.shared.has(k) ? [k] : [])),
    getOwnPropertyDescriptor: (target, name) => {
      const key = typeof name === 'string' ? slotName(names, name) : undefined;
      return key !== undefined && Object.hasOwn(target, key) ? { value: target[key], writable: false, enumerable: true, configurable: true } : undefined;
    },
  }) as SlotValues;
}

/** A member's messages and derived values (never a shared challenge) under the argument's names. */
function prefixed<T>(values: Readonly<Record<string, T>>, prefix: string): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [k, v] of Object.entries(values)) out[prefix + k] = v;
  return out;
}

/** A member's derived values `values[own[i]]` under the argument's names `renamed[i]` (the step's slots, renamed once). */
function renamedValues(values: SlotValues, own: readonly string[], renamed: readonly string[]): SlotValues {
  const out: Record<string, SlotValues[string]> = {};
  own.forEach((slot, i) => (out[renamed[i]] = values[slot]));
  return out;
}

/** The member prefix of each message and derived step a member brings to an argument, by the renamed step. */
const memberSteps = new WeakMap<Step, string>();

/**
 * The lane of a model argument's step ({@link StepLane}): a member's message or derived step is in the member's lane,
 * since it reads the values through its member view (its own slots and the shared challenges, never another
 * member's); the argument's own steps (running sums, quotient, openings) are in none.
 */
export const memberLane: StepLane = (step) => memberSteps.get(step);

function renameStep(step: Step, names: Names): Step {
  const slots = step.slots.map((s) => slotName(names, s));
  if (step.kind === 'statement' || step.kind === 'challenge') return { kind: step.kind, slots };
  const renamed: Step =
    step.kind === 'derived'
      ? { kind: 'derived', slots, compute: async (values, engine) => renamedValues(await step.compute(memberView(values, names), engine), step.slots, slots) }
      : { kind: 'message', slots };
  memberSteps.set(renamed, names.prefix);
  return renamed;
}

function renameDecl(d: SlotDecl, names: Names): SlotDecl {
  return { name: slotName(names, d.name), sort: d.sort, origin: d.origin };
}

function renameEquation(eq: Equation, names: Names): Equation {
  const scalars = (ss: readonly string[]) => ss.map((s) => slotName(names, s));
  if (eq.kind === 'field') return { kind: 'field', name: names.prefix + eq.name, terms: eq.terms.map((m) => ({ coeff: m.coeff, scalars: scalars(m.scalars) })) };
  return {
    kind: 'pairing',
    name: names.prefix + eq.name,
    terms: eq.terms.map((m) => ({
      coeff: m.coeff,
      scalars: scalars(m.scalars),
      g1: typeof m.g1 === 'string' ? slotName(names, m.g1) : m.g1,
      g2: typeof m.g2 === 'string' ? slotName(names, m.g2) : m.g2,
    })),
  };
}

function renameFactor(f: Factor, names: Names, oracleOf: ReadonlyMap<string, string>, shared: ReadonlySet<string>): Factor {
  if ('sum' in f) return { sum: f.sum.map((t) => ({ coeff: t.coeff, factors: t.factors.map((g) => renameFactor(g, names, oracleOf, shared)) })) };
  if ('scalar' in f) return { scalar: slotName(names, f.scalar) };
  if ('public' in f) return { public: shared.has(f.public) ? f.public : names.prefix + f.public };
  const name = names.prefix + f.oracle;
  const oracle = oracleOf.get(name) ?? name;
  return { oracle, ...(f.rotation === undefined ? {} : { rotation: f.rotation }), ...(f.power === undefined ? {} : { power: f.power }) };
}

function renameIdentity(id: Identity, names: Names, oracleOf: ReadonlyMap<string, string>, shared: ReadonlySet<string>): Identity {
  return { name: names.prefix + id.name, domain: id.domain, terms: id.terms.map((t) => ({ coeff: t.coeff, factors: t.factors.map((f) => renameFactor(f, names, oracleOf, shared)) })) };
}

/** A member's sum claims renamed as its identities are, each multiplier to the member's one object of it. */
function renameClaims(claims: readonly SumClaim[], names: Names, oracleOf: ReadonlyMap<string, string>, shared: ReadonlySet<string>, renamed: (p: PublicPoly) => PublicPoly): SumClaim[] {
  const terms = (ts: readonly IdentityTerm[]) => ts.map((t) => ({ coeff: t.coeff, factors: t.factors.map((f) => renameFactor(f, names, oracleOf, shared)) }));
  return claims.map((c) => ({
    name: names.prefix + c.name,
    domain: c.domain,
    summand: terms(c.summand),
    ...(c.total ? { total: terms(c.total) } : {}),
    ...(c.multiplier ? { multiplier: renamed(c.multiplier) } : {}),
  }));
}

/** A member's vanishing claim under its prefix: its name, its point and the slots its terms read (public points as they are). */
function renameVanishingClaim(c: VanishingClaim, names: Names): VanishingClaim {
  return {
    name: names.prefix + c.name,
    point: slotName(names, c.point),
    terms: c.terms.map((t) => ({ coeff: t.coeff, scalars: t.scalars.map((x) => slotName(names, x)), commitment: typeof t.commitment === 'string' ? slotName(names, t.commitment) : t.commitment })),
  };
}

function renameOracle(o: Oracle, names: Names): Oracle {
  const { combination } = o;
  return {
    name: names.prefix + o.name,
    domain: o.domain,
    commitment: slotName(names, o.commitment),
    ...(combination && {
      combination: (values: SlotValues) => {
        const c = combination(memberView(values, names));
        return { slots: c.slots.map((s) => slotName(names, s)), scalars: c.scalars };
      },
    }),
    ...(o.public && { public: true }),
  };
}

function renamePublic(p: PublicPoly, names: Names): PublicPoly {
  return renamedPublic(p, names.prefix + p.name, (slots) => memberView(slots, names));
}

/**
 * Whether a member's public polynomial is the model's under its own name: a polynomial of the domain alone
 * (`PublicPoly.shared`), or one that reads only challenges the member shares (a row weights' multiplier μ of the
 * shared α), which is then one polynomial for every member reading it.
 */
function modelLevel(p: PublicPoly, names: Names): boolean {
  return p.shared === true || (p.reads !== undefined && p.reads.every((s) => names.shared.has(s)));
}

/**
 * Splits a member's steps into phases: each phase is the steps up to and including a challenge step (the last
 * phase may have none). Statement steps are excluded (the model's statement comes first).
 */
function phasesOf(steps: readonly Step[]): Step[][] {
  const phases: Step[][] = [[]];
  for (const s of steps) {
    if (s.kind === 'statement') continue;
    phases[phases.length - 1].push(s);
    if (s.kind === 'challenge') phases.push([]);
  }
  if (phases[phases.length - 1].length === 0) phases.pop();
  return phases;
}

/**
 * The phase whose challenge step draws the member's shared challenges (undefined: it shares none). They must be
 * challenges of its rounds, all in one step: the argument draws them at one point of its schedule.
 */
function sharedPhase(phases: readonly (readonly Step[])[], shared: ReadonlySet<string>, where: string): number | undefined {
  if (shared.size === 0) return undefined;
  const holding = phases.flatMap((ph, k) => (ph.some((s) => s.kind === 'challenge' && s.slots.some((x) => shared.has(x))) ? [k] : []));
  const step = holding.length === 1 ? phases[holding[0]].find((s) => s.kind === 'challenge')! : undefined;
  const missing = [...shared].find((x) => !step?.slots.includes(x));
  if (missing !== undefined)
    throw new BlockfoldError('BLOCK', `model argument: ${where} shares "${missing}", which is not drawn in the one challenge step of its rounds that holds every shared challenge`);
  return holding[0];
}

/**
 * Interleaves the members' phases: phase k is every member's non-challenge steps, then every member's challenges.
 * The shared challenges are drawn once, in one phase A (the latest phase in which a member draws them): a member that
 * draws them in an earlier phase waits, its phases from that one on moved to A and later, so its steps before them
 * stay before them. In phase A they are one step ahead of the members' own challenges.
 */
function lockstep(members: readonly { readonly phases: readonly Step[][]; readonly sharedAt?: number }[], shared: ReadonlySet<string>): Step[] {
  const at = Math.max(-1, ...members.map((m) => m.sharedAt ?? -1));
  const aligned = members.map(({ phases, sharedAt }) =>
    sharedAt === undefined ? phases : [...phases.slice(0, sharedAt), ...Array.from({ length: at - sharedAt }, () => []), ...phases.slice(sharedAt)],
  );
  const out: Step[] = [];
  const depth = Math.max(0, ...aligned.map((m) => m.length));
  for (let k = 0; k < depth; k++) {
    for (const m of aligned) for (const s of m[k] ?? []) if (s.kind !== 'challenge') out.push(s);
    const challenges = aligned.flatMap((m) => (m[k] ?? []).filter((s) => s.kind === 'challenge'));
    const drawnOnce = [...new Set(challenges.flatMap((s) => s.slots.filter((x) => shared.has(x))))];
    if (drawnOnce.length > 0) out.push({ kind: 'challenge', slots: drawnOnce });
    for (const s of challenges) {
      const own = s.slots.filter((x) => !shared.has(x));
      if (own.length > 0) out.push(own.length === s.slots.length ? s : { kind: 'challenge', slots: own });
    }
  }
  return out;
}

/** A member of the argument: a poly-IOP block (merged tail) or any other block (its own protocol). */
type Member =
  | { readonly kind: 'poly-iop'; readonly names: Names; readonly spec: PolyIopSpec }
  | { readonly kind: 'protocol'; readonly names: Names; readonly protocol: Protocol };

/** Member i's context: `ctx` with `relationsDerived` true exactly when i is in `relationsDerived`, whatever `ctx` says. */
function memberContext(ctx: BlockContext, relationsDerived: ReadonlySet<number>, i: number): BlockContext {
  return { ...ctx, relationsDerived: relationsDerived.has(i) };
}

function membersOf(blocks: readonly Block[], ctx: BlockContext, relationsDerived: ReadonlySet<number>): Member[] {
  return blocks.map((b, i): Member => {
    if (b.iopSpec && b.iopProver) {
      const spec = b.iopSpec(memberContext(ctx, relationsDerived, i));
      checkFixedRowsNotRead(spec, b.tensors);
      return { kind: 'poly-iop', names: memberNames(i, spec.sharedChallenges), spec };
    }
    return { kind: 'protocol', names: memberNames(i), protocol: b.protocol(ctx) };
  });
}

/**
 * What the verifier knows, before any proof, of the commitment in block `block`'s statement slot `slot`: a name
 * that two slots share exactly when they hold one commitment (for example `<wire id>/<row>` for a row that two
 * blocks read), or undefined. It must not depend on the statement's values, so every proof of a model has one
 * layout and proofs of one model fold.
 */
export type CommitmentName = (block: number, slot: string) => string | undefined;

/** `slot → representative` (the first slot in statement order of each name) over the renamed statement slots. */
function sameCommitments(statements: readonly (readonly string[])[], nameOf: CommitmentName): Map<string, string> {
  const first = new Map<string, string>();
  const same = new Map<string, string>();
  statements.forEach((slots, i) => {
    for (const slot of slots) {
      const name = nameOf(i, slot);
      if (name === undefined) continue;
      const rep = first.get(name);
      if (rep === undefined) first.set(name, memberPrefix(i) + slot);
      else same.set(memberPrefix(i) + slot, rep);
    }
  });
  return same;
}

/**
 * Merges the oracles that are one polynomial: on one domain, with commitment slots of one representative in
 * `same`. KZG is binding, so two equal commitments are one polynomial and have one value at ζ (and at each `ω_n^s·ζ`):
 * the argument opens it once and every identity reads that one evaluation. Returns the kept oracles (the compiler
 * opens a merged oracle at every rotation any of its copies' readers reads) and `oracle → kept oracle` for the merged ones.
 */
function mergeOracles(oracles: readonly Oracle[], same: ReadonlyMap<string, string>): { oracles: Oracle[]; oracleOf: Map<string, string> } {
  const kept: Oracle[] = [];
  const byCommitment = new Map<string, number>();
  const oracleOf = new Map<string, string>();
  for (const o of oracles) {
    const key = `${o.domain}:${same.get(o.commitment) ?? o.commitment}`;
    const k = byCommitment.get(key);
    if (k === undefined) {
      byCommitment.set(key, kept.length);
      kept.push(o);
      continue;
    }
    oracleOf.set(o.name, kept[k].name);
  }
  return { oracles: kept, oracleOf };
}

/**
 * A row commitment the verifier computes from others, `[row]₁ = Σ_t s_t·[t]₁ + Σ_p s_p·[p]₁` with p public (a derived
 * wire row), rows named as {@link CommitmentName} names them: so `row(X) = Σ_t s_t·t(X) + Σ_p s_p·p(X)` as polynomials.
 */
export interface DerivedRowRelation {
  readonly row: string;
  readonly terms: readonly { readonly row: string; readonly scalar: bigint }[];
  readonly publics?: readonly { readonly poly: PublicPoly; readonly scalar: bigint }[];
}

/** A relation's terms by row (scalars summed) and its publics, over rows some oracle opens ({@link oracleRelations}). */
interface ExpandedRelation {
  readonly terms: Map<string, bigint>;
  readonly publics: { readonly poly: PublicPoly; readonly scalar: bigint }[];
}

/**
 * The relations among the argument's oracles that `relations` (in dependency order) imply: an oracle opens a row when
 * its commitment is the statement slot of that row's name (no combination of slots, not public). A term that no oracle
 * opens but that is itself a derived row is replaced by its own relation's terms and publics, scaled (so a remainder's
 * low limb, `limb = rem − 2^16·hi` with `rem = x + c − 2^s·y` opened by no block, is `x + c − 2^s·y − 2^16·hi`); a
 * relation whose row or some term, so expanded, no oracle opens on the row's domain is left out.
 */
function oracleRelations(oracles: readonly Oracle[], relations: readonly DerivedRowRelation[], nameOf: CommitmentName): OracleRelation[] {
  if (relations.length === 0) return [];
  const byRow = new Map<string, Oracle>();
  for (const o of oracles) {
    if (o.combination || o.public) continue;
    const m = memberSlot(o.commitment);
    const name = m && nameOf(m.member, m.slot);
    if (name !== undefined && !byRow.has(name)) byRow.set(name, o);
  }
  const byName = new Map(relations.map((r) => [r.row, r]));
  const expanded = new Map<string, ExpandedRelation | undefined>();
  const expand = (r: DerivedRowRelation): ExpandedRelation | undefined => {
    if (expanded.has(r.row)) return expanded.get(r.row);
    const out: ExpandedRelation = { terms: new Map(), publics: [...(r.publics ?? [])] };
    const addTerm = (row: string, scalar: bigint) => out.terms.set(row, Fr.add(out.terms.get(row) ?? 0n, scalar));
    for (const t of r.terms) {
      if (byRow.has(t.row)) {
        addTerm(t.row, t.scalar);
        continue;
      }
      const inner = byName.get(t.row);
      const e = inner && expand(inner);
      if (!e) {
        expanded.set(r.row, undefined);
        return undefined;
      }
      for (const [row, s] of e.terms) addTerm(row, Fr.mul(t.scalar, s));
      for (const p of e.publics) out.publics.push({ poly: p.poly, scalar: Fr.mul(t.scalar, p.scalar) });
    }
    expanded.set(r.row, out);
    return out;
  };
  return relations.flatMap((r): OracleRelation[] => {
    const o = byRow.get(r.row);
    const e = o && expand(r);
    if (!o || !e) return [];
    const terms = [...e.terms].filter(([, s]) => s !== 0n).map(([row, scalar]) => ({ oracle: byRow.get(row)!, scalar }));
    if (terms.some((t) => t.oracle.domain !== o.domain)) return [];
    return [{ oracle: o.name, terms: terms.map((t) => ({ oracle: t.oracle.name, scalar: t.scalar })), ...(e.publics.length > 0 && { publics: e.publics }) }];
  });
}

/** The statement slots of a protocol (of any origin order), as declared. */
function protocolStatement(p: Protocol): SlotDecl[] {
  return p.slots.filter((d) => d.origin === 'statement');
}

/**
 * The one spec of the whole model; `foldKey` names the model (equal keys ⇒ equal blocks in equal order and equal
 * `nameOf`). Oracles on one domain whose commitments are statement slots of one name under `nameOf` are opened
 * once. `relations` (derived rows, under `nameOf`'s names) let the argument compute an opened row's value at ζ
 * from the others' instead of reading it (`PolyIopSpec.oracleRelations`). The blocks at the indices in
 * `relationsDerived` have a row of each of their linear relations derived by the caller, so they are asked for their
 * spec without the check of those relations (`BlockContext.relationsDerived`).
 */
export function modelArgumentSpec(
  foldKey: string,
  blocks: readonly Block[],
  ctx: BlockContext,
  nameOf: CommitmentName = NO_NAMES,
  relations: readonly DerivedRowRelation[] = [],
  relationsDerived: ReadonlySet<number> = NO_MEMBERS,
): PolyIopSpec {
  if (blocks.length === 0) throw new BlockfoldError('BLOCK', 'a model argument needs at least one block');
  const members = membersOf(blocks, ctx, relationsDerived);
  const iop = members.filter((m) => m.kind === 'poly-iop');
  const others = members.filter((m) => m.kind === 'protocol');
  const own = members.map((m) => (m.kind === 'poly-iop' ? m.spec.statement : protocolStatement(m.protocol)));
  const statement = members.flatMap((m, i) => own[i].map((d) => renameDecl(d, m.names)));
  // A shared challenge is one slot of the model, declared once however many members draw it.
  const shared = new Set(iop.flatMap((m) => [...m.names.shared]));
  const slots = [
    ...iop.flatMap((m) => m.spec.slots.map((d) => renameDecl(d, m.names))),
    ...others.flatMap((m) => m.protocol.slots.filter((d) => d.origin !== 'statement').map((d) => renameDecl(d, m.names))),
  ].filter((d, i, all) => !shared.has(d.name) || all.findIndex((e) => e.name === d.name) === i);
  const same = sameCommitments(own.map((ds) => ds.map((d) => d.name)), nameOf);
  const { oracles, oracleOf } = mergeOracles(
    iop.flatMap((m) => m.spec.oracles.map((o) => renameOracle(o, m.names))),
    same,
  );
  // Model-level publics (a domain's Lagrange polynomials, the multipliers of a shared α) keep their own name: one
  // interpolation and one evaluation for the whole model, and one running sum for the claims of one multiplier;
  // every other public is the member's own and is renamed.
  const publics = iop.map((m) => distinctPublics(m.spec.publics, m.names.prefix));
  const multipliers = iop.map((m) => (m.spec.sums ?? []).flatMap((c) => (c.multiplier ? [c.multiplier] : [])));
  const sharedNames = iop.map((m, k) => new Set([...publics[k], ...multipliers[k]].filter((p) => modelLevel(p, m.names)).map((p) => p.name)));
  // One object per member's public polynomial, whether its publics or its claims (a multiplier) name it: itself when
  // model-level, else one renamed copy.
  const memberPublic = iop.map((m) => {
    const objects = new Map<PublicPoly, PublicPoly>();
    return (p: PublicPoly): PublicPoly => {
      if (modelLevel(p, m.names)) return p;
      if (!objects.has(p)) objects.set(p, renamePublic(p, m.names));
      return objects.get(p)!;
    };
  });
  const rounds = lockstep(
    members.map((m) => {
      const phases = phasesOf(m.kind === 'poly-iop' ? m.spec.rounds : m.protocol.schedule);
      const sharedAt = sharedPhase(phases, m.names.shared, `block ${m.names.prefix}`);
      return { phases: phases.map((ph) => ph.map((s) => renameStep(s, m.names))), ...(sharedAt === undefined ? {} : { sharedAt }) };
    }),
    shared,
  );
  return {
    foldKey,
    statement,
    slots,
    rounds,
    oracles,
    publics: [
      ...distinctPublics(iop.flatMap((m, k) => publics[k].filter((p) => modelLevel(p, m.names))), foldKey),
      ...iop.flatMap((m, k) => publics[k].filter((p) => !modelLevel(p, m.names)).map(memberPublic[k])),
    ],
    selfBlinded: [
      ...iop.flatMap((m) => (m.spec.selfBlinded ?? []).map((slot) => slotName(m.names, slot))),
      ...others.flatMap((m) => (m.protocol.selfBlinded ?? []).map((slot) => slotName(m.names, slot))),
    ],
    identities: iop.flatMap((m, k) => m.spec.identities.map((id) => renameIdentity(id, m.names, oracleOf, sharedNames[k]))),
    sums: iop.flatMap((m, k) => renameClaims(m.spec.sums ?? [], m.names, oracleOf, sharedNames[k], memberPublic[k])),
    oracleRelations: oracleRelations(oracles, relations, nameOf),
    vanishingClaims: iop.flatMap((m) => (m.spec.vanishingClaims ?? []).map((c) => renameVanishingClaim(c, m.names))),
    equations: (kzg) => [
      ...iop.flatMap((m) => (m.spec.equations?.(kzg) ?? []).map((eq) => renameEquation(eq, m.names))),
      ...others.flatMap((m) => m.protocol.equations.map((eq) => renameEquation(eq, m.names))),
    ],
  };
}

/** The verifier side: the model's one protocol (slots, schedule, equations as data). */
export function modelArgumentProtocol(spec: PolyIopSpec, ctx: BlockContext): Protocol {
  return polyIopProtocol(spec, ctx.kzg, ctx.engine);
}

/**
 * The statement slots of the argument from each block's own statement values (in block order), but the `uncommitted`
 * ones (`PolyIopSpec.uncommitted`: no commitment to hold). Slots of one name under `nameOf` must hold equal points,
 * else a merged oracle would read a commitment that is never opened: a {@link BlockfoldError} otherwise.
 */
export function modelArgumentStatement(statements: readonly SlotValues[], nameOf: CommitmentName = NO_NAMES, uncommitted: ReadonlySet<string> = NO_SLOTS): SlotValues {
  const plan = statementPlan(statements, nameOf);
  const out: Record<string, SlotValues[string]> = {};
  statements.forEach((s, i) =>
    plan.keys[i].forEach((k, j) => {
      const slot = plan.renamed[i][j];
      if (!uncommitted.has(slot)) out[slot] = s[k];
    }),
  );
  for (const [slot, rep] of plan.same) {
    if (uncommitted.has(slot)) continue;
    const [a, b] = [g1Slot(out, slot), g1Slot(out, rep)];
    // One point object is one point (points are immutable): only distinct objects are compared.
    if (a !== b && !a.equals(b)) throw new BlockfoldError('BLOCK', `model argument: statement slots "${slot}" and "${rep}" are declared one commitment but differ`);
  }
  return out;
}

/** No two slots named one commitment. */
const NO_NAMES: CommitmentName = () => undefined;
const NO_MEMBERS: ReadonlySet<number> = new Set();
const NO_SLOTS: ReadonlySet<string> = new Set();

/** How members' statements become the argument's: each member's slot names, their renamings, and the slots of one commitment. */
interface StatementPlan {
  readonly keys: readonly (readonly string[])[];
  readonly renamed: readonly (readonly string[])[];
  readonly same: readonly (readonly [string, string])[];
}

/**
 * Namings whose answers never change: {@link NO_NAMES} and those of {@link tableCommitmentNames}. Only their plans
 * are kept, since a plan holds the naming's answers: a caller's own naming (a closure over mutable state) is asked
 * again on every statement, else slots it names one commitment later would never be compared.
 */
const fixedNamings = new WeakSet<CommitmentName>([NO_NAMES]);

/**
 * The naming by fixed tables: slot `slot` of block `block` is named `byBlock[block].get(slot)` (undefined past the
 * tables). The tables are copied, so its answers never change and what is planned for it (a statement's renaming
 * and its slots of one commitment) is planned once, for every proof of a key.
 */
export function tableCommitmentNames(byBlock: readonly ReadonlyMap<string, string>[]): CommitmentName {
  const tables = byBlock.map((names) => new Map(names));
  const nameOf: CommitmentName = (block, slot) => tables[block]?.get(slot);
  fixedNamings.add(nameOf);
  return nameOf;
}

/** The last plan per fixed naming: a verifier renames the statements of every proof of a key the same way. */
const statementPlans = new WeakMap<CommitmentName, StatementPlan>();

/**
 * The plan of `statements` under `nameOf`: for a fixed naming, the last one made for it if every member's slots
 * are the same, in the same order; for any other naming, a new one.
 */
function statementPlan(statements: readonly SlotValues[], nameOf: CommitmentName): StatementPlan {
  const fixed = fixedNamings.has(nameOf);
  const last = fixed ? statementPlans.get(nameOf) : undefined;
  if (last !== undefined && last.keys.length === statements.length && statements.every((s, i) => sameKeys(s, last.keys[i]))) return last;
  const keys = statements.map((s) => Object.keys(s));
  const plan: StatementPlan = { keys, renamed: keys.map((ks, i) => ks.map((k) => memberPrefix(i) + k)), same: [...sameCommitments(keys, nameOf)] };
  if (fixed) statementPlans.set(nameOf, plan);
  return plan;
}

/** Whether the own keys of `values` are `keys`, in order. */
function sameKeys(values: SlotValues, keys: readonly string[]): boolean {
  let j = 0;
  for (const k in values) if (!Object.hasOwn(values, k) || keys[j++] !== k) return false;
  return j === keys.length;
}

/**
 * The challenges each block shares as a member (`PolyIopSpec.sharedChallenges`, none for a block that is no poly-IOP
 * block), kept per block object: they are a function of the block alone (the flat blocks' α), and building every
 * member's spec again on each proof only to read them took about 6 ms of the attention model's and of the 8-layer
 * encoder's proofs.
 */
const sharedByBlock = new WeakMap<Block, readonly string[]>();

/** {@link sharedByBlock} for `block`, computed from its spec under `ctx` the first time. */
function sharedChallengesOf(block: Block, ctx: BlockContext): readonly string[] {
  let shared = sharedByBlock.get(block);
  if (shared === undefined) sharedByBlock.set(block, (shared = block.iopSpec && block.iopProver ? (block.iopSpec(ctx).sharedChallenges ?? []) : []));
  return shared;
}

/**
 * The prover side: each member's own messages come from its block (its poly-IOP rounds, or its whole
 * protocol's message source); the shared tail (quotients, evaluations, openings) from the poly-IOP prover.
 * `tensors[i]` holds block i's tensors by the block's own names. `rowBlinding(i, slot)` is the blinding b of the
 * commitment in block i's statement slot `slot` (committed as `[f + Z_H·b]₁`; undefined: unblinded): block i
 * reads it as its `statementBlinding`, and the tail adds `Z_H·b` to the oracles that open it. Slots that are one
 * commitment (`CommitmentName`) are one oracle, opened once with the blinding of the first of them, so they must
 * have one blinding, as they have one commitment. A member's linear check (`modelArgumentSpec`'s
 * `relationsDerived`) is a challenge, derived steps, equations and identities of its spec, and the oracles only those
 * identities read: the block's rounds are the same with or without it, and a polynomial it gives for an oracle the
 * spec no longer has is never read, so the prover is the same either way.
 */
export function modelArgumentProver(
  spec: PolyIopSpec,
  blocks: readonly Block[],
  ctx: BlockContext,
  tensors: readonly Tensors[],
  rowBlinding?: (block: number, slot: string) => readonly bigint[] | undefined,
): MessageSource {
  const memberCtx = (i: number): BlockContext => (rowBlinding ? { ...ctx, statementBlinding: (slot) => rowBlinding(i, slot) } : ctx);
  const names = blocks.map((b, i) => memberNames(i, sharedChallengesOf(b, ctx)));
  const sources = blocks.map((b, i) => {
    if (b.iopSpec && b.iopProver) return { kind: 'poly-iop' as const, prover: b.iopProver(memberCtx(i), tensors[i]) };
    return { kind: 'protocol' as const, source: b.prover(memberCtx(i), tensors[i]) };
  });
  const memberOf = (slot: string): number => {
    const i = memberSlot(slot)?.member;
    if (i === undefined || !sources[i]) throw new BlockfoldError('BLOCK', `model argument: slot "${slot}" belongs to no block`);
    return i;
  };
  const tailCtx: BlockContext = rowBlinding
    ? {
        ...ctx,
        statementBlinding: (slot) => {
          const i = memberOf(slot);
          return rowBlinding(i, slot.slice(memberPrefix(i).length));
        },
      }
    : ctx;
  const merged: PolyIopProver = {
    round: async (decls, values) => {
      const i = memberOf(decls[0].name);
      const prefix = memberPrefix(i);
      const own = decls.map((d) => ({ name: d.name.slice(prefix.length), sort: d.sort, origin: d.origin }));
      const view = memberView(values, names[i]);
      const m = sources[i];
      return prefixed(await (m.kind === 'poly-iop' ? m.prover.round(own, view) : m.source(own, view)), prefix);
    },
    polynomials: (values) => {
      const out: Record<string, readonly bigint[]> = {};
      sources.forEach((m, i) => {
        if (m.kind === 'poly-iop') Object.assign(out, prefixed(m.prover.polynomials(memberView(values, names[i])), memberPrefix(i)));
      });
      return out;
    },
    vanishingQuotient: async (claim, values) => {
      const i = memberOf(claim);
      const m = sources[i];
      if (m.kind !== 'poly-iop' || !m.prover.vanishingQuotient) throw new BlockfoldError('BLOCK', `model argument: block ${i} commits no quotient of its vanishing claim "${claim}"`);
      return m.prover.vanishingQuotient(claim.slice(memberPrefix(i).length), memberView(values, names[i]));
    },
  };
  return polyIopProver(spec, tailCtx, merged);
}
