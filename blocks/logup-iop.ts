/**
 * The logUp argument (`logup.ts`) as a poly-IOP spec, so lookups and copy arguments join the model-level
 * argument: their identities share its quotients, its ζ and its batched openings instead of carrying their own.
 *
 * The block's rounds stay those of the gadget (pre-β commitments, γ and β, derived commitments, then the
 * helpers h_c, running sums Z_n and totals S_n); the identities are the gadget's, term by term, on H_n:
 *
 *   `h_c·β − h_c·f_c − w_c = 0`,   `(1 − q_c)·(f_c − k_c) = 0` (padded columns),
 *   `L_0·Z_n = 0`,   `Z_n(ωX) − Z_n − Σ_c h_c + S_n·L_{n−1} = 0`,
 *
 * and the field equation `Σ_n S_n = 0`. A column's value and weight are sums of monomials over the block's opened
 * evaluations, its public polynomials and its challenges; each opened evaluation becomes an oracle factor (the
 * polynomial committed in the claim's commitment slot, on the column's domain), each public an evaluation the
 * verifier computes itself. Soundness is the gadget's (a cell outside its table, or a wrong copy, makes
 * `Σ_n S_n ≠ 0` or an identity fail on H for all but a negligible set of β), with the poly-IOP's quotient check
 * at a random ζ in place of the gadget's own; no degree bound is used (docs/soundness.md rule 3).
 * @module
 */
import type { FieldMonomial, SlotDecl } from '../src/equations/equation';
import { frSlot } from '../src/equations/evaluate';
import { BlockfoldError } from '../src/errors';
import { logupGroups, logupHelperRound, logupSlot, type LogupSpec, type LogupWitness } from './logup';
import { at, lagrangePoly, pub, scalar, shiftedAt, term, type Factor, type Identity, type IdentityTerm, type Oracle, type PolyIopProver, type PolyIopSpec } from './poly-iop';
import type { BlockContext } from './block';
import type { Step } from './protocol';

/** Oracle name of the polynomial committed in claim commitment slot `c`. */
const claimOracle = (commitment: string) => `open:${commitment}`;

interface Layout {
  readonly oracles: readonly Oracle[];
  /** Evaluation slot of a claim → its oracle. */
  readonly claimOf: ReadonlyMap<string, string>;
  readonly publicNames: ReadonlySet<string>;
}

function layoutOf(spec: LogupSpec): Layout {
  const domainOfEvaluation = new Map<string, number>();
  for (const c of spec.columns)
    for (const m of [...c.value, ...c.weight]) for (const s of m.scalars) if (!domainOfEvaluation.has(s)) domainOfEvaluation.set(s, c.domain);
  const claimOf = new Map<string, string>();
  const oracles: Oracle[] = [];
  for (const claim of spec.claims) {
    const n = domainOfEvaluation.get(claim.evaluation);
    if (n === undefined) throw new BlockfoldError('BLOCK', `${spec.foldKey}: opened evaluation "${claim.evaluation}" is read by no column`);
    claimOf.set(claim.evaluation, claimOracle(claim.commitment));
    oracles.push({ name: claimOracle(claim.commitment), domain: n, commitment: claim.commitment });
  }
  for (const c of spec.columns) oracles.push({ name: logupSlot.helper(c.name), domain: c.domain, commitment: logupSlot.helper(c.name) });
  for (const g of logupGroups(spec.columns)) oracles.push({ name: logupSlot.sum(g.n), domain: g.n, commitment: logupSlot.sum(g.n), shifted: true });
  return { oracles, claimOf, publicNames: new Set((spec.publics ?? []).map((p) => p.name)) };
}

/** The spec of a logUp argument, for the model-level argument. */
export function logupIopSpec(spec: LogupSpec): PolyIopSpec {
  if (spec.columns.length === 0) throw new BlockfoldError('BLOCK', `${spec.foldKey}: a logUp argument needs at least one column`);
  const layout = layoutOf(spec);
  const groups = logupGroups(spec.columns);
  const factor = (s: string): Factor => {
    const oracle = layout.claimOf.get(s);
    if (oracle !== undefined) return at(oracle);
    return layout.publicNames.has(s) ? pub(s) : scalar(s);
  };
  /** `sign·m·extra` as an identity term: the monomial's slots become oracle, public or scalar factors. */
  const monomial = (sign: 1n | -1n, m: FieldMonomial, ...extra: Factor[]): IdentityTerm => term(sign * m.coeff, ...extra, ...m.scalars.map(factor));

  const identities: Identity[] = [];
  for (const c of spec.columns) {
    const h = at(logupSlot.helper(c.name));
    identities.push({
      name: `logup/${c.name}`,
      domain: c.domain,
      terms: [term(1, h, scalar('beta')), ...c.value.map((m) => monomial(-1n, m, h)), ...c.weight.map((m) => monomial(-1n, m))],
    });
    if (c.pad) {
      const q = pub(c.pad.selector);
      const terms = c.value.flatMap((m) => [monomial(1n, m), monomial(-1n, m, q)]);
      if (c.pad.constant) terms.push(term(-1, pub(c.pad.constant)), term(1, q, pub(c.pad.constant)));
      identities.push({ name: `logup-pad/${c.name}`, domain: c.domain, terms });
    }
  }
  for (const g of groups) {
    const z = logupSlot.sum(g.n);
    identities.push({ name: `logup-first/${g.n}`, domain: g.n, terms: [term(1, pub(`L0/${g.n}`), at(z))] });
    identities.push({
      name: `logup-sum/${g.n}`,
      domain: g.n,
      terms: [term(1, shiftedAt(z)), term(-1, at(z)), ...g.columns.map((c) => term(-1, at(logupSlot.helper(c.name)))), term(1, scalar(logupSlot.total(g.n)), pub(`L${g.n - 1}/${g.n}`))],
    });
  }

  const statement: SlotDecl[] = spec.statement.map((name) => ({ name, sort: 'g1', origin: 'statement' }));
  const slots: SlotDecl[] = [];
  const rounds: Step[] = [];
  if (spec.committedBeforeBeta.length > 0) {
    slots.push(...spec.committedBeforeBeta.map((name): SlotDecl => ({ name, sort: 'g1', origin: 'message' })));
    rounds.push({ kind: 'message', slots: spec.committedBeforeBeta });
  }
  const challenges = [...spec.preChallenges, 'beta'];
  slots.push(...challenges.map((name): SlotDecl => ({ name, sort: 'fr', origin: 'challenge' })));
  rounds.push({ kind: 'challenge', slots: challenges });
  if (spec.commitments) {
    slots.push(...spec.commitments.slots.map((d): SlotDecl => ({ name: d.name, sort: d.sort, origin: 'derived' })));
    rounds.push({ kind: 'derived', slots: spec.commitments.slots.map((d) => d.name), compute: spec.commitments.compute });
  }
  const helpers: SlotDecl[] = [
    ...spec.columns.map((c): SlotDecl => ({ name: logupSlot.helper(c.name), sort: 'g1', origin: 'message' })),
    ...groups.map((g): SlotDecl => ({ name: logupSlot.sum(g.n), sort: 'g1', origin: 'message' })),
    ...groups.map((g): SlotDecl => ({ name: logupSlot.total(g.n), sort: 'fr', origin: 'message' })),
  ];
  slots.push(...helpers);
  rounds.push({ kind: 'message', slots: helpers.map((d) => d.name) });

  const lagrange = groups.flatMap((g) => [lagrangePoly(g.n, 0), lagrangePoly(g.n, g.n - 1)]);
  return {
    foldKey: spec.foldKey,
    statement,
    slots,
    rounds,
    oracles: layout.oracles,
    publics: [...(spec.publics ?? []), ...lagrange.filter((p, i) => lagrange.findIndex((q) => q.name === p.name) === i)],
    identities,
    equations: () => [{ kind: 'field', name: 'logup/sum', terms: groups.map((g) => ({ coeff: 1n, scalars: [logupSlot.total(g.n)] })) }],
  };
}

/** The prover side of {@link logupIopSpec}: the gadget's pre-β and helper rounds, and every oracle's polynomial. */
export function logupIopProver(spec: LogupSpec, ctx: BlockContext, witness: LogupWitness): PolyIopProver {
  const layout = layoutOf(spec);
  let polys: ReadonlyMap<string, readonly bigint[]> | undefined;
  return {
    round: async (decls, values) => {
      const first = decls[0].name;
      if (spec.committedBeforeBeta.includes(first)) return witness.committedBeforeBeta(values);
      if (first !== logupSlot.helper(spec.columns[0].name)) throw new BlockfoldError('BLOCK', `${spec.foldKey}: no logUp message step starts with "${first}"`);
      const round = await logupHelperRound(spec, ctx, witness.afterBeta(values), frSlot(values, 'beta'));
      polys = round.polys;
      return round.messages;
    },
    polynomials: () => {
      if (!polys) throw new BlockfoldError('BLOCK', `${spec.foldKey}: polynomials requested before the helper round`);
      const out: Record<string, readonly bigint[]> = {};
      for (const o of layout.oracles) {
        const p = polys.get(o.commitment);
        if (!p) throw new BlockfoldError('BLOCK', `${spec.foldKey}: no polynomial for commitment "${o.commitment}"`);
        out[o.name] = p;
      }
      return out;
    },
  };
}
