/**
 * Which committed polynomials of a poly-IOP the compiler blinds, and by how much.
 *
 * A polynomial f on H_n that the proof opens at e points is committed as `f + Z_H·b` with b of e + 1 random
 * coefficients (PLONK): on H it is f, so every identity that holds on H still holds; at the e opening points
 * (none of which lies in H, except with probability n/r) the values `f(z) + Z_H(z)·b(z)` together with the
 * commitment are e + 1 independent uniform combinations of b's e + 1 coefficients, so they are jointly uniform
 * and independent of f. An oracle opened at ζ takes 2 coefficients, a shifted one (opened at ζ and ω·ζ) 3, one read at
 * e − 1 distinct rotations (opened at ζ and each `ω^s·ζ`, `poly-iop.ts` "Rotations") e + 1: the compiler counts the
 * points per committed polynomial, not per oracle (`committedRotations`: the union over the oracles sharing a
 * commitment and over the combinations holding a row, each of which opens that polynomial at its own points), and
 * {@link blindingCoefficients} is that count + 1.
 *
 * The compiler blinds an oracle according to where its commitment comes from:
 * - a **message** of the block's own rounds (helpers, multiplicities, running sums, selectors): it draws b and
 *   adds `[(Z_H·b)(τ)]₁` to the commitment and `Z_H·b` to the polynomial ({@link blindedCommitments});
 * - a **statement** slot (a row of a wire, committed by the pipeline as `[f + Z_H·b]₁`): the prover is told b
 *   (`BlockContext.statementBlinding`) and adds `Z_H·b` to the polynomial, so it opens what was committed;
 * - a **derived** slot, which the oracle must declare ({@link checkDerivedOracles}): a `combination`
 *   `Σ k_i·[row_i]₁` of statement slots is blinded by `Z_H·Σ k_i·b_i`, the same combination of the rows'
 *   blindings ({@link statementOracleBlinding}); a `public` one (table columns, selectors: computed by the
 *   verifier from public data) hides nothing and has no blinding.
 * A row opened at e points is hidden only if its b has e + 1 coefficients: a custom block that shifts a wire row
 * needs 3, one that reads it at 9 rotations 11, and a row blinded with fewer (but some) is refused when proving (the
 * pipeline gives each row what every block reading it needs, `src/pipeline/prove-verify.ts`). Weight rows are hidden differently: the
 * block reads a fresh re-randomization of their combination (`weight-link.ts`), a derived oracle combining the rows
 * and a message `E = [Z_H·b]₁` the block blinds itself (`PolyIopSpec.selfBlinded`): the compiler adds the rows'
 * blindings, the block its b, and b alone hides the oracle's evaluations.
 *
 * The quotient needs no blinding of its own: it is a function of the blinded oracles and the challenges, and its value
 * at ζ follows from the other evaluations, so a simulator holding the trapdoor computes its commitment and evaluation
 * from its own simulated oracles (docs/soundness.md, "Zero knowledge"). Committed in pieces (`poly-iop.ts`,
 * `quotientPieces`), each piece but the last carries a blinding its successor takes back (`splitPolynomial`), so the
 * pieces are uniform but for their sum, whose commitment the simulator computes as before.
 *
 * Degrees: an oracle blinded with c coefficients has degree < n + c, so an identity of degree d ≤ 3 (the compiler's
 * maximum) over oracles of at most c coefficients has a quotient of `d·(n + c − 1) − n + 1` coefficients
 * ({@link blindedQuotientPowers}), at most `2n + 3c − 2`: the SRS needs {@link hidingSrsSlack}(c) = 3c − 2 powers of τ
 * beyond the 2n an unblinded argument needs, c the largest count of the graph (`src/pipeline/block-graph.ts`). Every
 * graph holds at least the count of {@link BASE_OPENING_POINTS} (7 powers: a running sum's accumulator is opened at ζ
 * and ω·ζ), so a graph that rotates by 1 only has the SRS it had before other rotations existed.
 * @module
 */
import type { SlotDecl, SlotValues } from '../src/equations/equation';
import { BlockfoldError } from '../src/errors';
import { R } from '../src/field';
import type { Oracle, RowCombination } from './poly-iop';

/**
 * The opening points every graph's SRS is sized for, whatever its blocks read: ζ and ω·ζ, where the compiler opens
 * each running sum's accumulator (a graph with more points sizes its SRS for those, `Block.openingRotations`).
 */
export const BASE_OPENING_POINTS = 2;

/** The largest identity degree whose quotient the SRS is sized for (as without blinding: 2n powers for degree 3). */
export const MAX_IDENTITY_DEGREE = 3;

/**
 * The coefficients of b that hide a polynomial opened at `points` points: `points + 1`, so that its values there and
 * its commitment are `points + 1` independent uniform combinations of them (module comment).
 */
export function blindingCoefficients(points: number): number {
  return points + 1;
}

/**
 * Powers of τ the quotient of a degree-d identity on H_n needs when its oracles are blinded with at most `coefficients`
 * coefficients (degree `n + coefficients − 1`): its numerator has degree `d·(n + coefficients − 1)`, the quotient that
 * minus n, so `d·(n + coefficients − 1) − n + 1` coefficients.
 */
export function blindedQuotientPowers(d: number, n: number, coefficients: number): number {
  return d * (n + coefficients - 1) - n + 1;
}

/**
 * Powers of τ the SRS needs beyond `2·(largest domain)` so that the quotients of oracles blinded with at most
 * `coefficients` coefficients fit: `blindedQuotientPowers(3, n, coefficients) − 2n = 3·coefficients − 2`, the same for
 * every n (7 for the 3 coefficients of {@link BASE_OPENING_POINTS}).
 */
export function hidingSrsSlack(coefficients: number): number {
  return blindedQuotientPowers(MAX_IDENTITY_DEGREE, 0, coefficients);
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
 * with {@link blindingCoefficients} of its opening points (`points`, by commitment slot: 1 when absent; the union of
 * its oracles' rotations, `committedRotations`, since they open one polynomial), except the block's `selfBlinded` messages
 * (`PolyIopSpec.selfBlinded`: the block hides them itself). The lint of hiding: a G1 message
 * that is no oracle's commitment (so it would be sent unblinded), or oracles on two domains sharing one
 * commitment (`Z_H·b` vanishes on one domain only), are a {@link BlockfoldError} naming the slot.
 */
export function blindedCommitments(where: string, oracles: readonly Oracle[], points: ReadonlyMap<string, number>, slots: readonly SlotDecl[], selfBlinded: readonly string[] = []): BlindedCommitment[] {
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
    const b = out.get(o.commitment);
    if (!b) {
      const count = blindingCoefficients(points.get(o.commitment) ?? 1);
      out.set(o.commitment, { commitment: o.commitment, domain: o.domain, count, oracles: [o.name] });
      continue;
    }
    if (b.domain !== o.domain)
      throw new BlockfoldError('BLOCK', `${where}: commitment "${o.commitment}" holds oracles on H_${b.domain} and H_${o.domain}; a blinding vanishes on one domain only`);
    b.oracles.push(o.name);
  }
  return [...out.values()];
}

/**
 * The lint of derived oracles, when the protocol is built: an oracle whose commitment is a derived G1 slot declares
 * how that slot follows from the statement, either as a `combination` of statement slots (the compiler blinds it by
 * the same combination of their blindings) or as `public` (computed from public data only: nothing to blind). An
 * undeclared one could not be opened once the rows it combines are blinded; a declaration on an oracle whose
 * commitment is not derived, or both at once, is a mistake. Each is a {@link BlockfoldError} naming the oracle.
 */
export function checkDerivedOracles(where: string, oracles: readonly Oracle[], slots: readonly SlotDecl[]): void {
  const derived = new Set(slots.filter((d) => d.origin === 'derived' && d.sort === 'g1').map((d) => d.name));
  for (const o of oracles) {
    const declared = o.combination !== undefined || o.public === true;
    if (o.combination !== undefined && o.public === true)
      throw new BlockfoldError('BLOCK', `${where}: oracle "${o.name}" declares its commitment "${o.commitment}" both a combination of statement slots and public`);
    if (derived.has(o.commitment) && !declared)
      throw new BlockfoldError(
        'BLOCK',
        `${where}: oracle "${o.name}" opens the derived commitment "${o.commitment}" but declares neither its combination of statement slots nor that it is public, so the compiler cannot blind it like the rows it combines`,
      );
    if (!derived.has(o.commitment) && declared)
      throw new BlockfoldError('BLOCK', `${where}: oracle "${o.name}" declares how its commitment "${o.commitment}" is derived, but that is no derived G1 slot`);
  }
}

/** The blinding of statement slots: the coefficients of b with commitment `[f + Z_H·b]₁`, undefined for none. */
export type StatementBlinding = (slot: string) => readonly bigint[] | undefined;

/** Where a statement slot's polynomial is opened, for the lint: the oracle reading it, and the slot's points. */
export interface OpenedRows {
  readonly oracle: string;
  /** The points at which the polynomial of a statement slot is opened, by every oracle reading it (`committedRotations`). */
  readonly points: (slot: string) => number;
}

/**
 * A statement slot's blinding as given, refused (when an oracle opens it) if too short to hide. Its length is the
 * pipeline's, which sizes the SRS for the longest (`src/pipeline/block-graph.ts`); a quotient too long for the key is
 * refused by the commitment.
 */
function rowBlinding(where: string, slot: string, blindingOf: StatementBlinding | undefined, opened?: OpenedRows): readonly bigint[] {
  const b = blindingOf?.(slot) ?? [];
  const points = opened?.points(slot) ?? 0;
  if (opened && b.length > 0 && b.length < blindingCoefficients(points))
    throw new BlockfoldError(
      'BLOCK',
      `${where}: oracle "${opened.oracle}" reads "${slot}", whose polynomial is opened at ${points} point${points > 1 ? 's' : ''}, but its blinding has ${b.length} coefficient${b.length > 1 ? 's' : ''}; hiding ${points} evaluation${points > 1 ? 's' : ''} and the commitment needs ${blindingCoefficients(points)}`,
    );
  return b;
}

/**
 * `Σ_i k_i·b_i` for the combination `Σ_i k_i·[slot_i]₁` of statement slots blinded by `b_i` (zero-padded to the
 * longest): the blinding of the combined commitment, since `Σ k_i·[f_i + Z_H·b_i]₁ = [Σ k_i·f_i + Z_H·Σ k_i·b_i]₁`.
 * `opened` names the oracle that opens the combination and where each slot's polynomial is opened, for the lint.
 */
export function combinationBlinding(where: string, c: RowCombination, blindingOf: StatementBlinding | undefined, opened?: OpenedRows): bigint[] {
  if (c.slots.length !== c.scalars.length) throw new BlockfoldError('BLOCK', `${where}: a combination of ${c.slots.length} slots with ${c.scalars.length} scalars`);
  const out: bigint[] = [];
  c.slots.forEach((slot, i) => {
    const b = rowBlinding(where, slot, blindingOf, opened);
    while (out.length < b.length) out.push(0n);
    b.forEach((bj, j) => (out[j] = (out[j] + c.scalars[i] * bj) % R));
  });
  return out;
}

/**
 * The blinding the prover adds (as `Z_H·b`) to the polynomial of an oracle whose commitment is a statement slot
 * (that slot's b) or a declared combination of statement slots (the same combination of their b); empty for any
 * other oracle. A combination may also hold messages the block blinds itself (`selfBlinded`, the weight link's E):
 * the block's polynomial carries their part, so they add nothing here, and their fresh blinding hides the oracle
 * whatever the rows' (no length is required of those, and the oracle must not be read rotated: that blinding hides
 * one evaluation). `points(slot)` is where the compiler opens the polynomial committed in a slot, by every oracle that
 * reads it (ζ and the union of their rotations, `committedRotations`): a row is checked against every reader within
 * this spec, not against this oracle's alone (in a model argument, two members' readers of one row may sit under two
 * slot names; the pipeline's `rowCoefficients` joins them over the whole graph, `graphOpenings`, which is what sizes
 * the blinding). Refused, naming the oracle: a row whose blinding has fewer coefficients than its points
 * plus one (but some) when nothing fresh hides it, or a combination of a slot that is neither in `statement` nor in
 * `selfBlinded`.
 */
export function statementOracleBlinding(
  where: string,
  o: Oracle,
  points: (slot: string) => number,
  values: SlotValues,
  statement: ReadonlySet<string>,
  blindingOf: StatementBlinding | undefined,
  selfBlinded: ReadonlySet<string> = new Set(),
): bigint[] {
  const opened: OpenedRows = { oracle: o.name, points };
  if (o.combination) {
    const c = o.combination(values);
    if (c.scalars.length !== c.slots.length) throw new BlockfoldError('BLOCK', `${where}: a combination of ${c.slots.length} slots with ${c.scalars.length} scalars`);
    const rows = c.slots.flatMap((slot, i) => (selfBlinded.has(slot) ? [] : [i]));
    for (const i of rows)
      if (!statement.has(c.slots[i]))
        throw new BlockfoldError('BLOCK', `${where}: oracle "${o.name}" combines "${c.slots[i]}", which is neither a statement slot nor a message the block blinds itself`);
    const fresh = rows.length < c.slots.length;
    // A self-blinded message's blinding is sized for one evaluation (the weight link's E: `weight-link.ts`).
    if (fresh && points(o.commitment) > 1) throw new BlockfoldError('BLOCK', `${where}: oracle "${o.name}" combines a message the block blinds itself and is read rotated: that blinding hides one evaluation only`);
    return combinationBlinding(where, { slots: rows.map((i) => c.slots[i]), scalars: rows.map((i) => c.scalars[i]) }, blindingOf, fresh ? undefined : opened);
  }
  return statement.has(o.commitment) ? [...rowBlinding(where, o.commitment, blindingOf, opened)] : [];
}
