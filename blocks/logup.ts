/**
 * The logUp gadget: a protocol skeleton proving `Σ_columns Σ_{i ∈ H} w_i / (β − f_i) = 0` for columns of
 * cells f with weights w, with **running sums** and no degree bound (docs/soundness.md rule 3).
 *
 * A lookup is the instance "lookup cells with weight 1, table entries with weight −m": the identity
 * `Σ_cells 1/(β − f) = Σ_table m_t/(β − T_t)` holds for a random β (drawn after f, T and m are fixed) only if
 * every cell is a table entry. A copy argument is the instance "output cells `out_j + γ·src_j` with weight 1,
 * input cells `in_i + γ·i` with the public weight −mult_i".
 *
 * Per column c on H_n the prover commits a helper h_c and the verifier checks on H
 *
 *   `h_c·(β − f_c) − w_c = 0`                          (h_c = w_c/(β − f_c) cell by cell)
 *   `(1 − q_c)·(f_c − k_c) = 0`                        (optional: cells off the selector q hold the constant k)
 *
 * Columns are grouped by domain size n; each group has a running sum Z over `Σ_{c ∈ group} h_c` closing on a
 * claimed total S (a message):
 *
 *   `L_0·Z = 0`,   `Z(ωX) − Z(X) − Σ_c h_c(X) + S·L_{n−1}(X) = 0`   on H_n,
 *
 * and the totals of all groups sum to zero (`Σ_groups S = 0`, a field equation). All identities of a group are
 * combined with powers of a challenge α into one quotient `t` with `P = t·Z_H`, checked as a field equation at a
 * random ζ from evaluations that the prover opens by KZG at ζ and at ω_n·ζ. The openings at each point are
 * batched with powers of a challenge v into one commitment `Σ v^i·C_i` and one value `Σ v^i·y_i` (derived slots,
 * so the pairing equations stay at four monomials) and checked by the KZG equation as data.
 *
 * Transcript order (rule 1): statement → pre-β commitments (multiplicities) → γ, β → helpers, running sums,
 * totals → α → quotients → ζ → evaluations → v → opening proofs.
 * @module
 */
import type { G1Point } from '../src/curve';
import type { Engine } from '../src/engine/engine';
import { EquationError, type Equation, type FieldMonomial, type SlotDecl, type SlotValue, type SlotValues } from '../src/equations/equation';
import { frSlot, g1Slot } from '../src/equations/evaluate';
import { BlockfoldError } from '../src/errors';
import { Fr, powers, R } from '../src/field';
import { commit, commitLagrange } from '../src/kzg/commit';
import type { KzgKey } from '../src/kzg/key';
import { batchOpen } from '../src/kzg/open';
import { openingEquation } from '../src/kzg/equations';
import { EvaluationDomain } from '../src/poly/domain';
import { evaluate, trim } from '../src/poly/polynomial';
import { FR_GENERATOR } from '../src/poly/roots';
import type { Oracle, PublicPoly } from './poly-iop';
import type { DerivedStep, Protocol, Step } from './protocol';
import type { MessageSource } from './schedule';

const MINUS_ONE = R - 1n;

/** One column of the argument: cells f with weights w on H_n. */
export interface LogupColumn {
  /** Unique name; the gadget's slots of this column are `H:<name>` (helper commitment) and `h:<name>` (h(ζ)). */
  readonly name: string;
  /** Domain size n of the column's cells. */
  readonly domain: number;
  /** f(ζ) as a sum of degree-1 monomials over Fr slots (opened evaluations, or derived public values). */
  readonly value: readonly FieldMonomial[];
  /** w(ζ) as a sum of monomials of degree ≤ 1 (a constant, a public value, or an opened evaluation). */
  readonly weight: readonly FieldMonomial[];
  /** When set, `(1 − q)·(f − k) = 0` on H: cells off the selector q (an Fr slot of q(ζ)) hold k (default 0). */
  readonly pad?: { readonly selector: string; readonly constant?: string };
}

/**
 * A block's own opening at ζ: the polynomial committed in `commitment` (a G1 slot) takes the value `evaluation`. A
 * derived commitment declares how it follows from the statement (`Oracle.combination` or `Oracle.public`), so the
 * model-level argument blinds its oracle like the rows it combines.
 */
export interface OpeningClaim extends Pick<Oracle, 'combination' | 'public'> {
  readonly commitment: string;
  readonly evaluation: string;
  /**
   * k when the columns read the committed polynomial f composed, `f(X^k)` (`blocks/poly-iop.ts`, "Compositions"): f
   * lives on H_(n/k) for columns on H_n, and `evaluation` is `f(ζ^k)`. Model-level argument only (`logup-iop.ts`).
   */
  readonly power?: number;
}

/** A derived step supplied by the block, with its slot declarations. */
export interface BlockDerivedStep {
  readonly slots: readonly SlotDecl[];
  compute(values: SlotValues, engine: Engine): Promise<SlotValues> | SlotValues;
}

/** Everything the gadget needs from a block to build its protocol. */
export interface LogupSpec {
  readonly foldKey: string;
  /** G1 statement slots (row commitments), absorbed first. */
  readonly statement: readonly string[];
  /** G1 message slots committed before any challenge (multiplicities). */
  readonly committedBeforeBeta: readonly string[];
  /** Challenges drawn after those commitments and before β (γ of two-column tables). */
  readonly preChallenges: readonly string[];
  /** G1 slots the verifier derives once the challenges before the helpers are drawn (`C_x + γ·C_y` of the looked-up columns). */
  readonly commitments?: BlockDerivedStep;
  /**
   * Public polynomials the columns read (selectors, public vectors), each an Fr slot of its name holding its value
   * at ζ, which the verifier computes itself (docs/soundness.md rule 4); their values on H serve the model-level argument.
   */
  readonly publics?: readonly PublicPoly[];
  readonly columns: readonly LogupColumn[];
  /** The block's openings at ζ; their evaluations are message slots sent with the gadget's own. */
  readonly claims: readonly OpeningClaim[];
}

/** The prover's view of one column on H (vectors of length n, field elements). */
export interface LogupColumnWitness {
  readonly value: readonly bigint[];
  readonly weight: readonly bigint[];
  readonly selector?: readonly bigint[];
  readonly constant?: readonly bigint[];
}

/** What the block's prover supplies to the gadget's prover. */
export interface LogupWitness {
  /** The pre-β commitments, from the transcript values so far. */
  committedBeforeBeta(values: SlotValues): Promise<SlotValues> | SlotValues;
  /**
   * Once β is drawn: the coefficients of every block polynomial that is opened (by G1 slot name of its
   * commitment; a promise, so that their interpolations run on an engine's workers while the helpers are formed) and
   * the columns on H, in the order of {@link LogupSpec.columns}.
   */
  afterBeta(values: SlotValues): { polys: Promise<ReadonlyMap<string, readonly bigint[]>>; columns: readonly LogupColumnWitness[] };
  /**
   * What the columns' fractions add up to once β is drawn, when no column carries the table side (`blocks/range.ts`:
   * the table side's value); omitted: 0. The helper round refuses a witness whose fractions add up to anything else.
   */
  tableTotal?(values: SlotValues): bigint;
}

/** The columns of one domain size: they share a running sum. */
export interface LogupGroup {
  readonly n: number;
  readonly columns: readonly LogupColumn[];
}

/** The columns grouped by domain size, smallest first. */
export function logupGroups(columns: readonly LogupColumn[]): LogupGroup[] {
  const sizes = [...new Set(columns.map((c) => c.domain))].sort((a, b) => a - b);
  return sizes.map((n) => ({ n, columns: columns.filter((c) => c.domain === n) }));
}

/** Names of the gadget's slots. */
export const logupSlot = {
  helper: (c: string) => `H:${c}`,
  helperAt: (c: string) => `h:${c}`,
  sum: (n: number) => `Z:${n}`,
  sumAt: (n: number) => `z:${n}`,
  sumShifted: (n: number) => `zw:${n}`,
  total: (n: number) => `S:${n}`,
  quotient: (n: number) => `Q:${n}`,
  quotientAt: (n: number) => `t:${n}`,
  vanishing: (n: number) => `zh:${n}`,
  first: (n: number) => `l0:${n}`,
  last: (n: number) => `ln:${n}`,
  shiftedPoint: (n: number) => `wz:${n}`,
  alpha: (k: number) => `alpha^${k}`,
  batched: (p: string) => `C@${p}`,
  batchedAt: (p: string) => `y@${p}`,
  proof: (p: string) => `pi@${p}`,
};

/** Powers of α used by one group: two per column (relation, padding), then L_0 and the transition. */
function alphaPowersOf(g: LogupGroup): number {
  return 2 * g.columns.length + 2;
}

interface Point {
  /** The Fr slot holding the point. */
  readonly slot: string;
  readonly claims: readonly OpeningClaim[];
}

function openingPoints(spec: LogupSpec, groups: readonly LogupGroup[]): Point[] {
  const composed = spec.claims.find((c) => (c.power ?? 1) !== 1);
  if (composed) throw new BlockfoldError('BLOCK', `${spec.foldKey}: the claim of "${composed.commitment}" reads it composed, which only the model-level argument opens (logup-iop.ts)`);
  const atZeta: OpeningClaim[] = [...spec.claims];
  for (const c of spec.columns) atZeta.push({ commitment: logupSlot.helper(c.name), evaluation: logupSlot.helperAt(c.name) });
  for (const { n } of groups) {
    atZeta.push({ commitment: logupSlot.sum(n), evaluation: logupSlot.sumAt(n) });
    atZeta.push({ commitment: logupSlot.quotient(n), evaluation: logupSlot.quotientAt(n) });
  }
  return [
    { slot: 'zeta', claims: atZeta },
    ...groups.map(({ n }) => ({ slot: logupSlot.shiftedPoint(n), claims: [{ commitment: logupSlot.sum(n), evaluation: logupSlot.sumShifted(n) }] })),
  ];
}

/**
 * The field equation of one group at ζ:
 * `Σ_c α^(2c+1)·(h_c·β − h_c·f_c − w_c) + α^(2c+2)·(1 − q_c)·(f_c − k_c) + α^a·L_0·Z
 *  + α^b·(Z(ωζ) − Z − Σ_c h_c + S·L_{n−1}) − t·Z_H = 0` (degree 3).
 */
function groupEquation(g: LogupGroup): Equation {
  const terms: FieldMonomial[] = [];
  let k = 1;
  const transition = logupSlot.alpha(2 * g.columns.length + 2);
  for (const c of g.columns) {
    const a = logupSlot.alpha(k++);
    const padPower = logupSlot.alpha(k++);
    const h = logupSlot.helperAt(c.name);
    terms.push({ coeff: 1n, scalars: [a, h, 'beta'] });
    for (const m of c.value) terms.push({ coeff: Fr.neg(m.coeff), scalars: [a, h, ...m.scalars] });
    for (const m of c.weight) terms.push({ coeff: Fr.neg(m.coeff), scalars: [a, ...m.scalars] });
    if (c.pad) {
      const q = c.pad.selector;
      for (const m of c.value) {
        terms.push({ coeff: m.coeff, scalars: [padPower, ...m.scalars] });
        terms.push({ coeff: Fr.neg(m.coeff), scalars: [padPower, q, ...m.scalars] });
      }
      if (c.pad.constant) {
        terms.push({ coeff: MINUS_ONE, scalars: [padPower, c.pad.constant] });
        terms.push({ coeff: 1n, scalars: [padPower, q, c.pad.constant] });
      }
    }
    terms.push({ coeff: MINUS_ONE, scalars: [transition, h] });
  }
  const n = g.n;
  terms.push({ coeff: 1n, scalars: [logupSlot.alpha(k), logupSlot.first(n), logupSlot.sumAt(n)] });
  terms.push({ coeff: 1n, scalars: [transition, logupSlot.sumShifted(n)] });
  terms.push({ coeff: MINUS_ONE, scalars: [transition, logupSlot.sumAt(n)] });
  terms.push({ coeff: 1n, scalars: [transition, logupSlot.total(n), logupSlot.last(n)] });
  terms.push({ coeff: MINUS_ONE, scalars: [logupSlot.quotientAt(n), logupSlot.vanishing(n)] });
  return { kind: 'field', name: `logup/${n}`, terms };
}

/** Builds the protocol: the block's statement and commitments around the gadget's rounds (see the module comment). */
export function logupProtocol(spec: LogupSpec, kzg: Pick<KzgKey, 'g1One' | 'g2One' | 'g2Tau'>): Protocol {
  if (spec.columns.length === 0) throw new EquationError(`${spec.foldKey}: a logUp argument needs at least one column`);
  const names = new Set(spec.columns.map((c) => c.name));
  if (names.size !== spec.columns.length) throw new EquationError(`${spec.foldKey}: duplicate logUp column names`);
  const groups = logupGroups(spec.columns);
  const domains = new Map(groups.map((g) => [g.n, new EvaluationDomain(g.n)]));
  const points = openingPoints(spec, groups);
  const maxPowers = Math.max(...groups.map(alphaPowersOf));

  const slots: SlotDecl[] = [];
  const decl = (name: string, sort: SlotDecl['sort'], origin: SlotDecl['origin']) => {
    slots.push({ name, sort, origin });
    return name;
  };
  const schedule: Step[] = [];

  schedule.push({ kind: 'statement', slots: spec.statement.map((s) => decl(s, 'g1', 'statement')) });
  if (spec.committedBeforeBeta.length > 0)
    schedule.push({ kind: 'message', slots: spec.committedBeforeBeta.map((s) => decl(s, 'g1', 'message')) });
  schedule.push({ kind: 'challenge', slots: [...spec.preChallenges, 'beta'].map((s) => decl(s, 'fr', 'challenge')) });
  if (spec.commitments) schedule.push(blockDerived(spec.commitments, decl));

  const helpers = [
    ...spec.columns.map((c) => decl(logupSlot.helper(c.name), 'g1', 'message')),
    ...groups.map((g) => decl(logupSlot.sum(g.n), 'g1', 'message')),
    ...groups.map((g) => decl(logupSlot.total(g.n), 'fr', 'message')),
  ];
  schedule.push({ kind: 'message', slots: helpers });
  schedule.push({ kind: 'challenge', slots: [decl('alpha', 'fr', 'challenge')] });
  const powers = Array.from({ length: maxPowers }, (_, i) => decl(logupSlot.alpha(i + 1), 'fr', 'derived'));
  schedule.push({
    kind: 'derived',
    slots: powers,
    compute: (v) => {
      const alpha = frSlot(v, 'alpha');
      const out: Record<string, bigint> = {};
      let p = 1n;
      for (let i = 1; i <= maxPowers; i++) out[logupSlot.alpha(i)] = p = Fr.mul(p, alpha);
      return out;
    },
  });
  schedule.push({ kind: 'message', slots: groups.map((g) => decl(logupSlot.quotient(g.n), 'g1', 'message')) });
  schedule.push({ kind: 'challenge', slots: [decl('zeta', 'fr', 'challenge')] });

  const atZeta = groups.flatMap((g) => [logupSlot.vanishing(g.n), logupSlot.first(g.n), logupSlot.last(g.n), logupSlot.shiftedPoint(g.n)].map((s) => decl(s, 'fr', 'derived')));
  schedule.push({
    kind: 'derived',
    slots: atZeta,
    compute: (v) => {
      const zeta = frSlot(v, 'zeta');
      const out: Record<string, bigint> = {};
      for (const [n, d] of domains) {
        out[logupSlot.vanishing(n)] = d.vanishingAt(zeta);
        out[logupSlot.first(n)] = d.lagrangeAtIndex(0, zeta);
        out[logupSlot.last(n)] = d.lagrangeAtIndex(n - 1, zeta);
        out[logupSlot.shiftedPoint(n)] = Fr.mul(d.omega, zeta);
      }
      return out;
    },
  });
  const publics = spec.publics ?? [];
  if (publics.length > 0) {
    const publicDomains = new Map<number, EvaluationDomain>();
    schedule.push({
      kind: 'derived',
      slots: publics.map((p) => decl(p.name, 'fr', 'derived')),
      compute: (v) => {
        const zeta = frSlot(v, 'zeta');
        const out: Record<string, bigint> = {};
        for (const p of publics) {
          let d = publicDomains.get(p.domain);
          if (!d) publicDomains.set(p.domain, (d = new EvaluationDomain(p.domain)));
          out[p.name] = p.evaluateAt(zeta, v, d);
        }
        return out;
      },
    });
  }

  const evaluations = [
    ...spec.claims.map((c) => decl(c.evaluation, 'fr', 'message')),
    ...spec.columns.map((c) => decl(logupSlot.helperAt(c.name), 'fr', 'message')),
    ...groups.flatMap((g) => [logupSlot.sumAt(g.n), logupSlot.sumShifted(g.n), logupSlot.quotientAt(g.n)].map((s) => decl(s, 'fr', 'message'))),
  ];
  schedule.push({ kind: 'message', slots: evaluations });
  schedule.push({ kind: 'challenge', slots: [decl('v', 'fr', 'challenge')] });
  const batched = points.flatMap((p) => [decl(logupSlot.batched(p.slot), 'g1', 'derived'), decl(logupSlot.batchedAt(p.slot), 'fr', 'derived')]);
  schedule.push({ kind: 'derived', slots: batched, compute: (v, engine) => batchClaims(points, v, engine) });
  schedule.push({ kind: 'message', slots: points.map((p) => decl(logupSlot.proof(p.slot), 'g1', 'message')) });

  const equations: Equation[] = [
    ...groups.map(groupEquation),
    { kind: 'field', name: 'logup/sum', terms: groups.map((g) => ({ coeff: 1n, scalars: [logupSlot.total(g.n)] })) },
    ...points.map((p) =>
      openingEquation(kzg, `open@${p.slot}`, { commitment: logupSlot.batched(p.slot), evaluation: logupSlot.batchedAt(p.slot), point: p.slot, proof: logupSlot.proof(p.slot) }),
    ),
  ];
  return { foldKey: spec.foldKey, maxDegree: 3, slots, equations, schedule };
}

function blockDerived(step: BlockDerivedStep, decl: (name: string, sort: SlotDecl['sort'], origin: SlotDecl['origin']) => string): DerivedStep {
  return { kind: 'derived', slots: step.slots.map((s) => decl(s.name, s.sort, 'derived')), compute: step.compute };
}

/** `C@p = Σ_i v^i·C_i` and `y@p = Σ_i v^i·y_i` over the claims at each point p. */
async function batchClaims(points: readonly Point[], v: SlotValues, engine: Engine): Promise<SlotValues> {
  const out: Record<string, SlotValue> = {};
  const challenge = frSlot(v, 'v');
  for (const p of points) {
    const scalars = powers(challenge, p.claims.length + 1).slice(1);
    out[logupSlot.batched(p.slot)] = await engine.msmG1Points(
      p.claims.map((c) => g1Slot(v, c.commitment)),
      scalars,
    );
    let y = 0n;
    p.claims.forEach((c, i) => (y += scalars[i] * frSlot(v, c.evaluation)));
    out[logupSlot.batchedAt(p.slot)] = y % R;
  }
  return out;
}


/** `Σ_c h_c` cell by cell over a group's columns (not reduced mod r): what its running sum adds up. */
function groupSummands(columns: LogupGroupWitness['columns'], n: number): bigint[] {
  const summands = new Array<bigint>(n).fill(0n);
  for (const c of columns) for (let i = 0; i < n; i++) summands[i] += c.h[i];
  return summands;
}

/** Each group's running sum, computed once: the standalone argument commits it and then reads it in its quotient. */
const runningSums = new WeakMap<LogupGroupWitness, bigint[]>();

/**
 * The running sum `Z_0 = 0, Z_{i+1} = Z_i + s_i` of a group's summands (the last step closes on its total): the
 * standalone argument commits it; in a model argument the compiler's running sums replace it.
 */
function groupRunningSum(g: LogupGroupWitness): bigint[] {
  const kept = runningSums.get(g);
  if (kept) return kept;
  const summands = groupSummands(g.columns, g.group.n);
  const values = new Array<bigint>(summands.length);
  let acc = 0n;
  for (let i = 0; i < summands.length; i++) {
    values[i] = acc;
    acc = (acc + summands[i]) % R;
  }
  runningSums.set(g, values);
  return values;
}


/** The prover's state after the helper round: each group's columns with their helpers and the total of their fractions. */
export interface LogupGroupWitness {
  readonly group: LogupGroup;
  readonly domain: EvaluationDomain;
  readonly columns: readonly { readonly spec: LogupColumn; readonly w: LogupColumnWitness; readonly h: bigint[] }[];
  /** `Σ_{i ∈ H} Σ_c h_c(i)` mod r. */
  readonly total: bigint;
}

/**
 * The helpers of the helper round, once β is drawn: per column `h = w/(β − f)` cell by cell, per group the running
 * sum Z of `Σ_c h_c` and its total S (in the state; the caller commits its own form of the sums); the helper
 * commitments and the coefficients of every polynomial the argument opens so far (the block's own and the
 * helpers), by commitment slot name. `bundles`
 * groups the columns of a group whose helpers are committed as one sum, under the first column's helper slot
 * (default: one column per helper). Refuses a witness whose identities fail on H, or whose fractions do not add up to
 * `total` (0 when a column carries the table side), unless `ctx.allowInvalidWitness`.
 */
export async function logupHelperRound(
  spec: LogupSpec,
  ctx: { engine: Engine; kzg: KzgKey; allowInvalidWitness?: boolean },
  after: ReturnType<LogupWitness['afterBeta']>,
  beta: bigint,
  bundles: (group: LogupGroup) => readonly (readonly string[])[] = (group) => group.columns.map((c) => [c.name]),
  total = 0n,
): Promise<{ state: LogupGroupWitness[]; messages: Record<string, SlotValue>; polys: Map<string, readonly bigint[]> }> {
  const byName = new Map(spec.columns.map((c, i) => [c.name, after.columns[i]]));
  const state = logupGroups(spec.columns).map((group) => {
    const domain = new EvaluationDomain(group.n, ctx.engine);
    // Only the cells of nonzero weight have a nonzero helper: `β − f` of those alone, of every column of the group, is
    // inverted in one call (the others, unused table rows and padding, often half the cells, cost nothing).
    const witnesses = group.columns.map((c) => byName.get(c.name)!);
    const denominators: bigint[] = [];
    for (const w of witnesses) for (let i = 0; i < group.n; i++) if (w.weight[i] !== 0n) denominators.push(Fr.sub(beta, w.value[i]));
    const inv = ctx.engine.batchInvert(denominators);
    let next = 0;
    const columns = group.columns.map((c, j) => {
      const w = witnesses[j];
      const h = new Array<bigint>(group.n);
      // Weights are mostly selector cells, 0 or 1: their helper is 0 or the inverse itself (canonical), no product.
      for (let i = 0; i < group.n; i++) {
        const x = w.weight[i];
        h[i] = x === 0n ? 0n : x === 1n ? inv[next++] : Fr.mul(x, inv[next++]);
      }
      return { spec: c, w, h };
    });
    const total = groupSummands(columns, group.n).reduce((a, b) => a + b, 0n) % R;
    return { group, domain, columns, total };
  });
  if (!ctx.allowInvalidWitness) checkWitness(state, beta, total);
  const helpers = new Map<string, bigint[]>();
  for (const g of state) for (const c of g.columns) helpers.set(c.spec.name, c.h);
  // Each commitment and interpolation is started, not awaited: with a worker pool they run while the next helper is
  // formed. The interpolants are kept in bundle order once all are in.
  const commitments: [string, Promise<G1Point>][] = [];
  const interpolants: Promise<bigint[]>[] = [];
  for (const g of state) {
    for (const bundle of bundles(g.group)) {
      const h = new Array<bigint>(g.group.n).fill(0n);
      for (const name of bundle) helpers.get(name)!.forEach((x, i) => (h[i] += x));
      const values = h.map((x) => x % R);
      const coeffs = g.domain.iffts([values]).then(([f]) => f);
      interpolants.push(coeffs);
      // From its values: cells of weight 0 (unused table rows, padding) cost nothing in the MSM.
      commitments.push([logupSlot.helper(bundle[0]), commitLagrange(ctx.kzg, values, coeffs)]);
    }
  }
  const polys = new Map(await after.polys);
  (await Promise.all(interpolants)).forEach((coeffs, k) => polys.set(commitments[k][0], trim(coeffs)));
  const points = await Promise.all(commitments.map(([, c]) => c));
  const messages: Record<string, SlotValue> = Object.fromEntries(commitments.map(([slot], k) => [slot, points[k]]));
  return { state, messages, polys };
}

/**
 * The gadget's prover: answers each message step of {@link logupProtocol}. It refuses (a {@link BlockfoldError})
 * a witness whose identities fail on H, unless `ctx.allowInvalidWitness` (soundness tests), in which case it
 * sends what an honest prover would compute and lets the verifier reject.
 */
export function logupProver(spec: LogupSpec, ctx: { engine: Engine; kzg: KzgKey; allowInvalidWitness?: boolean }, witness: LogupWitness): MessageSource {
  const groups = logupGroups(spec.columns);
  let polys = new Map<string, readonly bigint[]>();
  let state: LogupGroupWitness[] = [];
  const quotients = new Map<number, bigint[]>();
  let openedPoints: Point[] = [];

  const commitPoly = async (name: string, coeffs: bigint[]) => {
    const trimmed = trim(coeffs);
    polys.set(name, trimmed);
    return commit(ctx.kzg, trimmed);
  };

  return async (decls, v) => {
    const first = decls[0].name;
    if (spec.committedBeforeBeta.includes(first)) return witness.committedBeforeBeta(v);

    if (first === logupSlot.helper(spec.columns[0].name)) {
      const round = await logupHelperRound(spec, ctx, witness.afterBeta(v), frSlot(v, 'beta'));
      polys = round.polys;
      state = round.state;
      const out: Record<string, SlotValue> = { ...round.messages };
      for (const g of state) {
        out[logupSlot.sum(g.group.n)] = await commitPoly(logupSlot.sum(g.group.n), g.domain.ifft(groupRunningSum(g)));
        out[logupSlot.total(g.group.n)] = g.total;
      }
      return out;
    }

    if (first === logupSlot.quotient(groups[0].n)) {
      const out: Record<string, SlotValue> = {};
      for (const g of state) {
        const t = groupQuotient(g, v, ctx.engine);
        quotients.set(g.group.n, t);
        out[logupSlot.quotient(g.group.n)] = await commitPoly(logupSlot.quotient(g.group.n), t);
      }
      return out;
    }

    if (first === (spec.claims[0]?.evaluation ?? logupSlot.helperAt(spec.columns[0].name))) {
      openedPoints = openingPoints(spec, groups);
      const out: Record<string, SlotValue> = {};
      for (const p of openedPoints) {
        const z = frSlot(v, p.slot);
        for (const c of p.claims) out[c.evaluation] = evaluate(polyOf(polys, c.commitment), z);
      }
      return out;
    }

    if (first === logupSlot.proof('zeta')) {
      const out: Record<string, SlotValue> = {};
      const challenge = frSlot(v, 'v');
      for (const p of openedPoints) {
        const proof: G1Point = await batchOpen(ctx.kzg, {
          polys: p.claims.map((c) => polyOf(polys, c.commitment)),
          point: frSlot(v, p.slot),
          challenges: powers(challenge, p.claims.length + 1).slice(1),
        });
        out[logupSlot.proof(p.slot)] = proof;
      }
      return out;
    }
    throw new BlockfoldError('BLOCK', `${spec.foldKey}: the logUp prover has no message step starting with "${first}"`);
  };
}

function polyOf(polys: ReadonlyMap<string, readonly bigint[]>, name: string): readonly bigint[] {
  const p = polys.get(name);
  if (!p) throw new BlockfoldError('BLOCK', `the logUp prover has no polynomial for commitment "${name}"`);
  return p;
}

/** Refuses a witness whose identities do not hold on H (or whose totals do not sum to `total`). */
function checkWitness(state: readonly LogupGroupWitness[], beta: bigint, total: bigint): void {
  let sum = 0n;
  for (const g of state) {
    sum += g.total;
    for (const c of g.columns) {
      for (let i = 0; i < g.group.n; i++) {
        const f = c.w.value[i];
        // h = w·(β − f)^(−1), 0 where β = f (batchInvert maps 0 to 0): h·(β − f) = w fails exactly where β = f and w ≠ 0,
        // or where w is not canonical; a product per cell is not needed to find them.
        const w = c.w.weight[i];
        if (Fr.create(w) !== w) throw new BlockfoldError('BLOCK', `logUp column ${c.spec.name}: cell ${i} has a weight that is not a canonical field element`);
        if (w !== 0n && Fr.sub(beta, f) === 0n) throw new BlockfoldError('BLOCK', `logUp column ${c.spec.name}: cell ${i} has β − f = 0`);
        const q = c.w.selector?.[i] ?? 1n;
        const k = c.w.constant?.[i] ?? 0n;
        // (1 − q)·(f − k) = 0 in a field: q = 1 or f = k.
        if (c.spec.pad && Fr.sub(1n, q) !== 0n && Fr.sub(f, k) !== 0n)
          throw new BlockfoldError('BLOCK', `logUp column ${c.spec.name}: padding cell ${i} does not hold its constant`);
      }
    }
  }
  if ((sum - total) % R !== 0n) throw new BlockfoldError('BLOCK', 'logUp: the weighted sums do not cancel (a cell is not in its table, or a copy is wrong)');
}

/**
 * The quotient `t = P / Z_H` of one group, computed on the coset g·H_{2n} (g = 5, the default coset shift) (deg P ≤ 2n − 2): every polynomial is
 * evaluated there, P pointwise, divided by `Z_H(x) = x^n − 1`, interpolated. `Z(ω_n·x)` on the coset is the
 * value two places further, since ω_n = ω_{2n}².
 */
function groupQuotient(g: LogupGroupWitness, v: SlotValues, engine: Engine): bigint[] {
  const n = g.group.n;
  const big = new EvaluationDomain(2 * n, engine);
  const onCoset = (values: readonly bigint[]) => big.cosetFft(g.domain.ifft(values));
  const unit = (i: number) => {
    const e = new Array<bigint>(n).fill(0n);
    e[i] = 1n;
    return onCoset(e);
  };
  const beta = frSlot(v, 'beta');
  const m = 2 * n;
  const acc = new Array<bigint>(m).fill(0n);
  const hSum = new Array<bigint>(m).fill(0n);
  let k = 1;
  const power = (i: number) => frSlot(v, logupSlot.alpha(i));
  for (const c of g.columns) {
    const a = power(k++);
    const padPower = power(k++);
    const h = onCoset(c.h);
    const f = onCoset(c.w.value);
    const w = onCoset(c.w.weight);
    for (let i = 0; i < m; i++) {
      acc[i] += a * ((h[i] * (beta - f[i] + R) - w[i]) % R);
      hSum[i] += h[i];
    }
    if (c.spec.pad) {
      const q = c.w.selector ? onCoset(c.w.selector) : new Array<bigint>(m).fill(1n);
      const kk = c.w.constant ? onCoset(c.w.constant) : new Array<bigint>(m).fill(0n);
      for (let i = 0; i < m; i++) acc[i] += padPower * (((1n - q[i] + R) * (f[i] - kk[i] + R)) % R);
    }
    for (let i = 0; i < m; i++) acc[i] %= R;
  }
  const aFirst = power(k);
  const aTransition = power(2 * g.columns.length + 2);
  const z = onCoset(groupRunningSum(g));
  const first = unit(0);
  const last = unit(n - 1);
  const S = g.total;
  // Z_H on the coset g·H_{2n} (g = FR_GENERATOR): (g·ω_{2n}^i)^n − 1 = g^n·(−1)^i − 1.
  const fiveN = Fr.pow(FR_GENERATOR, BigInt(n));
  const zhInv = engine.batchInvert([Fr.sub(fiveN, 1n), Fr.sub(Fr.neg(fiveN), 1n)]);
  const t = new Array<bigint>(m);
  for (let i = 0; i < m; i++) {
    const transition = (z[(i + 2) % m] - z[i] - (hSum[i] % R) + S * last[i]) % R;
    const p = (acc[i] + aFirst * ((first[i] * z[i]) % R) + aTransition * transition) % R;
    t[i] = Fr.mul(Fr.create(p), zhInv[i % 2]);
  }
  return big.cosetIfft(t);
}
