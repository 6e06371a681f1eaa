/**
 * The logUp argument (`logup.ts`) as a poly-IOP spec, so lookups and copy arguments join the model-level
 * argument: their identities share its quotients, its ζ and its batched openings instead of carrying their own.
 *
 * The block's rounds stay those of the gadget (pre-β commitments, γ and β, derived commitments, then the
 * helpers and running sums), except that the columns of one domain are taken in **bundles** that share one helper
 * `h_b = Σ_{c∈b} w_c/(β − f_c)` (up to {@link MAX_BUNDLE} columns each, any number where the bundle's quotient coset
 * is at most {@link CHEAP_COSET} points), and that **no total is sent**. A bundle of k columns has an identity of
 * degree k + 1, whose quotient needs `(k+1)·(n+c−1) − n + 1` powers of τ for oracles on H_n blinded with at most c
 * coefficients, c the graph's ({@link logupBundles}: c = 3 unless some block rotates rows by more than 1; with c = 3
 * and the SRS of `2N + 7` powers, pairs on H_N and H_{N/2}, threes on H_{N/4}, larger bundles on smaller domains; a
 * larger c takes smaller bundles). A bundle of any size is bounded so, whatever the prover-cost rules allow: its
 * quotient's degree, each factor counted with the graph's blinding (`blindedQuotientPowers`), stays below the key's
 * powers, so the quotient is committed whole. With the domain sizes
 * `n_1 < … < n_d` of the columns, on each H_n = H_{n_k}:
 *
 *   `h_b·Π_{c∈b}(β − f_c) − Σ_{c∈b} w_c·Π_{c'∈b, c'≠c}(β − f_c') = 0`   (a bundle b of k ≥ 1 columns, its terms written
 *   by halves for the prover, the same polynomial; each `β − f_c` one linear-form factor when f_c is linear in the
 *   polynomials, else expanded),
 *   `(1 − q_c)·(f_c − k_c) = 0` (padded columns),
 *   `Z_n(ωX) − Z_n − Σ_b h_b + (G_k − G_{k−1})·L_0 = 0`   (`blocks/running-sum.ts`; G_0 = G_d = 0),
 *
 * where G_1 … G_{d−1} are hidden scalars (oracles on H_1, blinded, read at 1): the running sums are chained, the
 * sum over H_{n_k} being `G_k(1) − G_{k−1}(1)`, and the chain telescopes to `Σ_n Σ_{H_n} Σ_b h_b = G_d − G_0 = 0`.
 * This is the gadget's field equation `Σ_n S_n = 0` with the totals S_n never sent (a block with no table column
 * closes the chain on the table side's value T instead, `G_d = T`: `blocks/range.ts`): an honest `G_k(1)` is the
 * partial sum `S_1 + … + S_k`, and the proof reveals only G's blinded commitments and evaluations at ζ, uniform
 * whatever the witness (one domain: the running sum closes on 0 and there is no G). A domain below the largest
 * (H_N) whose columns share one helper h is not a link of the chain: the largest domain's transition adds `I_n·h`,
 * I_n the indicator of the subgroup H_n in H_N (1 on H_n, 0 on the rest of H_N, evaluated by the verifier in
 * O(log N)), and since `Σ_{H_N} I_n·h = Σ_{H_n} h` (h's values at the points of H_n are its values on H_n) the chain
 * still telescopes to the sum of every fraction, with one hidden scalar (32 B) fewer per such domain. Where no `β − f_c` vanishes
 * on H (all but a negligible set of β, drawn after every f is fixed), the first identity says
 * `h_b = Σ_{c∈b} w_c/(β − f_c)` cell by cell, so the running sums add up exactly the gadget's
 * `Σ_c Σ_i w_ci/(β − f_ci)` (logUp with batched helpers). A column's value and weight are sums of monomials over the block's opened
 * evaluations, its public polynomials and its challenges; each opened evaluation becomes an oracle factor (the
 * polynomial committed in the claim's commitment slot, on the column's domain), each public an evaluation the
 * verifier computes itself. Soundness is the gadget's (a cell outside its table, or a wrong copy, makes the
 * sum of all fractions nonzero, so a transition fails on H, or another identity fails, for all but a negligible
 * set of β), with the poly-IOP's quotient check
 * at a random ζ in place of the gadget's own; no degree bound is used (docs/soundness.md rule 3).
 * @module
 */
import type { FieldMonomial, SlotDecl, SlotValue } from '../src/equations/equation';
import { frSlot } from '../src/equations/evaluate';
import { BlockfoldError } from '../src/errors';
import { R } from '../src/field';
import { commit } from '../src/kzg/commit';
import { logupGroups, logupHelperRound, logupSlot, type LogupColumn, type LogupGroup, type LogupSpec, type LogupWitness } from './logup';
import { at, composedAt, linearForm, pub, scalar, subgroupIndicatorPoly, term, type Factor, type Identity, type IdentityTerm, type Oracle, type PolyIopProver, type PolyIopSpec, type PublicPoly, type SumClaim } from './poly-iop';
import { hiddenScalar, sumClaim, type HiddenScalar } from './running-sum';
import type { BlockContext } from './block';
import { BASE_OPENING_POINTS, blindedQuotientPowers, blindingCoefficients } from './hiding';
import type { Step } from './protocol';
import { quotientCosetSize } from '../src/poly/quotient';

/** Oracle name of the polynomial committed in claim commitment slot `c`. */
const claimOracle = (commitment: string) => `open:${commitment}`;

/**
 * Columns per helper at most where a bundle's quotient coset is not small ({@link CHEAP_COSET}). Each `β − f_c` of a
 * linear column is one factor (a linear form, `poly-iop.ts`), so a bundle of k columns is k + 1 terms of k + 1 factors
 * (expanded, `Π(β − f_c)` had `2^k` monomials and the weighted side `k·2^(k−1)`: six columns doubled the attention
 * prover). Eight, measured in one process against four (on the bundled models): proof −704 B (attention), −192 B
 * (CNN), prove CPU equal or lower; sixteen saved 256 B more on the attention model for +20 % prove CPU. A bundle of k
 * columns on H_n has its quotient on a coset of about k·n points, on which each of its k + 1 factors is transformed
 * and its identity evaluated, so its prover cost grows as k²·n: past eight columns the cost of a larger bundle is
 * no longer small against the helper it saves, wherever its coset is large.
 */
export const MAX_BUNDLE = 8;

/**
 * Coset size (points) up to which a bundle may take any number of columns the SRS allows: its quotient's transforms
 * and identity evaluations on so few points cost the prover nothing measurable, so merging bundles there only saves
 * helpers (on tiny domains, where bundles of eight are many: the generated ladder's encoder layers). A bundle's cost
 * per column grows with its coset (each factor transformed on it), so a larger bound costs what it saves in bytes.
 * Measured in one process against bundles of at most eight (`bench/prove-verify-profile.ts <model> 16
 * --layouts-differ`): 256 points, −37 B per encoder layer and −64 B on the attention model with prove CPU within
 * the run-to-run spread (transformer-8 +0.1 % and +2.3 %, attention +0.5 % and +5.6 %, in two runs each); 512 points,
 * −85 B per layer for +9 % (twice); any bundle whose coset is within the largest domain's, −224 B on the attention
 * model for +31 %.
 */
export const CHEAP_COSET = 256;


/**
 * What bounds the bundles: the SRS's powers of τ, and the most blinding coefficients of a polynomial a bundle identity
 * reads. A column may read a row that another block rotates, blinded with more than the logUp oracles' own 3, up to
 * the graph's count, which its SRS is sized for (`blocks/hiding.ts`); each factor is counted at that degree.
 */
export interface BundleBound {
  readonly powers: number;
  readonly coefficients: number;
}

/**
 * The bound of a block context: its key's powers of τ and its graph's blinding count (`BlockContext.blindingCoefficients`,
 * `blindingCoefficients(BASE_OPENING_POINTS)` = 3 when absent).
 */
export function bundleBound(ctx: BlockContext): BundleBound {
  return { powers: ctx.kzg.maxDegree + 1, coefficients: ctx.blindingCoefficients ?? blindingCoefficients(BASE_OPENING_POINTS) };
}

/** Polynomial degree (in X, counted in factors: polynomials of degree below n + the bound's coefficients) of a column's value and weight. */
export interface ColumnDegree {
  readonly value: number;
  readonly weight: number;
}

/**
 * The columns of one domain in bundles sharing a helper, in column order: a column joins the open bundle while the
 * bundle identity (degree `d = max(1 + Σ deg f, max_c deg w_c + Σ_{c'≠c} deg f_c')`) keeps its quotient, over factors
 * blinded with the bound's `coefficients` (`blindedQuotientPowers`), within its `powers` powers of τ, and the bundle
 * either holds at most two columns, or at most {@link MAX_BUNDLE} with its quotient within half of the powers, or has
 * its quotient on a coset (`quotientCosetSize` of the degree `d·(n + coefficients − 1)`) of at most
 * {@link CHEAP_COSET} points; otherwise it opens a new bundle. The SRS bound is the only one soundness needs (the
 * degree counted with the graph's blinding); the others are prover-cost rules. The half keeps bundles beyond pairs to
 * domains whose quotient coset is no larger than the largest domain's pairs need, so the prover's transforms stay the
 * size they were: without it, fours on the Fashion CNN's domains of 1,024 and 2,048 cells cost 29 % more prove CPU for
 * 0.7 KB (measured interleaved in one process when bundles were at most four and expanded into monomials). The cheap
 * coset lets tiny domains take bundles of any size the SRS allows.
 */
export function logupBundles(group: LogupGroup, bound: BundleBound, degreeOf: (c: LogupColumn) => ColumnDegree): string[][] {
  const { powers, coefficients } = bound;
  const fits = (cs: readonly LogupColumn[]) => {
    const ds = cs.map(degreeOf);
    const f = ds.reduce((n, d) => n + d.value, 0);
    const degree = Math.max(1 + f, ...ds.map((d) => d.weight + f - d.value));
    const quotient = blindedQuotientPowers(degree, group.n, coefficients);
    if (quotient > powers) return false;
    const pair = cs.length <= 2;
    const withinHalfTheKey = cs.length <= MAX_BUNDLE && quotient <= powers / 2;
    // The prover's cost of a bundle grows with the coset its quotient is computed on (`quotientCosetSize`).
    const cheap = quotientCosetSize(group.n, degree * (group.n + coefficients - 1)) <= CHEAP_COSET;
    return pair || withinHalfTheKey || cheap;
  };
  const out: LogupColumn[][] = [];
  for (const c of group.columns) {
    const open = out[out.length - 1];
    if (open && fits([...open, c])) open.push(c);
    else out.push([c]);
  }
  return out.map((b) => b.map((c) => c.name));
}

/**
 * The running sums of the groups: the chained domains (smallest first) each with its sum claim, closing on
 * `G_k − G_{k−1}`, and the hidden scalars G_1 … G_{d−1}; the lifted domains' helpers are summed by the largest
 * domain's claim through the indicators of their subgroups (`publics`).
 */
interface Chain {
  readonly sums: readonly SumClaim[];
  readonly hidden: readonly HiddenScalar[];
  /** Domain sizes of the chained groups, smallest first (the largest last): G_k holds the partial sum of the first k. */
  readonly chained: readonly number[];
  readonly publics: readonly PublicPoly[];
}

/**
 * A group below the largest domain whose columns share **one** helper is read on the largest domain instead of
 * closing its own link of the chain: `Σ_{H_N} I_n·h = Σ_{H_n} h` for the indicator I_n of the subgroup H_n of H_N
 * (`subgroupIndicatorPoly`), so the largest domain's claim adds the same terms and the link's hidden scalar (a G1
 * commitment) is not sent. Only one helper: each lifted helper is transformed on the largest domain's coset, which
 * a whole chain of helpers would make the prover pay for many times over (all groups lifted measured +10 % prove CPU
 * on the attention model, whose shared range lookup had 20 helpers below its table's domain before layout 13).
 */
function lifts(group: LogupGroup, largest: number, bundles: ReadonlyMap<number, readonly string[][]>): boolean {
  return group.n < largest && bundles.get(group.n)!.length === 1;
}

function chainOf(groups: readonly LogupGroup[], bundles: ReadonlyMap<number, readonly string[][]>, total: readonly IdentityTerm[]): Chain {
  const N = groups[groups.length - 1].n;
  const lifted = groups.filter((g) => lifts(g, N, bundles));
  const chained = groups.filter((g) => !lifts(g, N, bundles));
  const publics = lifted.map((g) => subgroupIndicatorPoly(g.n, N));
  const liftedSummand = lifted.flatMap((g, i) => bundles.get(g.n)!.map((b) => term(1, at(logupSlot.helper(b[0])), pub(publics[i].name))));
  const hidden = chained.slice(0, -1).map((g) => hiddenScalar(`logup/${g.n}`));
  const sums = chained.map((g, k) =>
    sumClaim({
      name: `logup/${g.n}`,
      domain: g.n,
      summand: [...bundles.get(g.n)!.map((b) => term(1, at(logupSlot.helper(b[0])))), ...(g.n === N ? liftedSummand : [])],
      total: [...(k < hidden.length ? [term(1, at(hidden[k].oracle.name))] : total), ...(k > 0 ? [term(-1, at(hidden[k - 1].oracle.name))] : [])],
    }),
  );
  return { sums, hidden, chained: chained.map((g) => g.n), publics };
}

interface Layout {
  readonly groups: readonly LogupGroup[];
  /** Each group's bundles of column names ({@link logupBundles}), by domain size. */
  readonly bundles: ReadonlyMap<number, readonly string[][]>;
  readonly chain: Chain;
  readonly oracles: readonly Oracle[];
  /** Evaluation slot of a claim → its oracle and the power it is read composed with (1: plain). */
  readonly claimOf: ReadonlyMap<string, { readonly oracle: string; readonly power: number }>;
  readonly publicNames: ReadonlySet<string>;
  /** A column value's or weight's degree in X: the most polynomial factors (opened oracles, publics) of a monomial. */
  readonly degree: (ms: readonly FieldMonomial[]) => number;
}

/** The layout of `spec` within `bound` (which bounds the bundles), its chain closing on `total`. */
function layoutOf(spec: LogupSpec, bound: BundleBound, total: readonly IdentityTerm[] = []): Layout {
  const domainOfEvaluation = new Map<string, number>();
  for (const c of spec.columns)
    for (const m of [...c.value, ...c.weight]) for (const s of m.scalars) if (!domainOfEvaluation.has(s)) domainOfEvaluation.set(s, c.domain);
  const claimOf = new Map<string, { oracle: string; power: number }>();
  const oracles: Oracle[] = [];
  for (const claim of spec.claims) {
    const n = domainOfEvaluation.get(claim.evaluation);
    if (n === undefined) throw new BlockfoldError('BLOCK', `${spec.foldKey}: opened evaluation "${claim.evaluation}" is read by no column`);
    const power = claim.power ?? 1;
    if (!Number.isSafeInteger(power) || power < 1 || n % power !== 0)
      throw new BlockfoldError('BLOCK', `${spec.foldKey}: the claim of "${claim.commitment}" reads it composed with X^${power} on H_${n}, which is no power dividing ${n}`);
    const name = claimOracle(claim.commitment);
    claimOf.set(claim.evaluation, { oracle: name, power });
    // One oracle per commitment, whichever reads its claims make (a row read plainly by one column and composed by another).
    const declared = oracles.find((o) => o.name === name);
    if (declared) {
      if (declared.domain !== n / power) throw new BlockfoldError('BLOCK', `${spec.foldKey}: the claims of "${claim.commitment}" put it on H_${declared.domain} and H_${n / power}`);
      continue;
    }
    const { combination } = claim;
    oracles.push({ name, domain: n / power, commitment: claim.commitment, ...(combination && { combination }), ...(claim.public && { public: true }) });
  }
  const publicNames = new Set((spec.publics ?? []).map((p) => p.name));
  // A column's degree in X, counted in factors of degree n + c − 1 (n the column's domain, c the blinding's
  // coefficients): per monomial, its polynomial factors (opened oracles, public polynomials), a composed read f(X^k)
  // counted k times, as its degree k·(n/k + c − 1) is at most k·(n + c − 1).
  const weightOf = (x: string) => claimOf.get(x)?.power ?? (publicNames.has(x) ? 1 : 0);
  const degree = (ms: readonly FieldMonomial[]) => Math.max(0, ...ms.map((m) => m.scalars.reduce((d, x) => d + weightOf(x), 0)));
  const groups = logupGroups(spec.columns);
  const bundles = new Map(groups.map((g) => [g.n, logupBundles(g, bound, (c) => ({ value: degree(c.value), weight: degree(c.weight) }))]));
  for (const g of groups) for (const b of bundles.get(g.n)!) oracles.push({ name: logupSlot.helper(b[0]), domain: g.n, commitment: logupSlot.helper(b[0]) });
  const chain = chainOf(groups, bundles, total);
  oracles.push(...chain.hidden.map((h) => h.oracle));
  return { groups, bundles, chain, oracles, claimOf, publicNames, degree };
}

/**
 * The spec of a logUp argument, for the model-level argument within `bound` ({@link bundleBound}). The columns'
 * fractions add up to `total` (terms of scalars and of oracles on H_1, read at 1): 0 when a table column carries the
 * table side (a lookup, a copy), the table side's value when the block proves it otherwise (`blocks/range.ts`).
 */
export function logupIopSpec(spec: LogupSpec, bound: BundleBound, total: readonly IdentityTerm[] = []): PolyIopSpec {
  if (spec.columns.length === 0) throw new BlockfoldError('BLOCK', `${spec.foldKey}: a logUp argument needs at least one column`);
  const layout = layoutOf(spec, bound, total);
  const { groups } = layout;
  const factor = (s: string): Factor => {
    const claim = layout.claimOf.get(s);
    if (claim !== undefined) return claim.power === 1 ? at(claim.oracle) : composedAt(claim.oracle, claim.power);
    return layout.publicNames.has(s) ? pub(s) : scalar(s);
  };
  // Sums of products of factors, for expanding the bundle identities.
  type Expr = IdentityTerm[];
  const monomials = (ms: readonly FieldMonomial[]): Expr => ms.map((m) => term(m.coeff, ...m.scalars.map(factor)));
  const times = (a: Expr, b: Expr): Expr => a.flatMap((x) => b.map((y) => term((x.coeff * y.coeff) % R, ...x.factors, ...y.factors)));
  const negated = (a: Expr): Expr => a.map((x) => term(-x.coeff, ...x.factors));
  const one: Expr = [term(1)];
  // `β − f_c` as one factor (a linear form) when f_c is linear in the polynomials (a composed read is one polynomial),
  // so a bundle's product stays k factors in one term instead of expanding into 2^k terms; expanded otherwise.
  const betaMinus = (c: LogupColumn): Expr => {
    const sum = [term(1, scalar('beta')), ...negated(monomials(c.value))];
    return c.value.every((m) => m.scalars.filter((x) => layout.claimOf.has(x) || layout.publicNames.has(x)).length <= 1) ? [term(1, linearForm(...sum))] : sum;
  };
  const product = (cs: readonly LogupColumn[]): Expr => cs.reduce((acc, c) => times(acc, betaMinus(c)), one);
  // The bundle identity `h·P_S − W(S)` (P_S = Π_{c∈S}(β − f_c), W(S) = Σ_{c∈S} w_c·P_{S∖c}) written by halves S = A ∪ B:
  // `h·P_S − W(S) = P_A·(h·P_B − W(B)) − P_B·W(A)` and `W(S) = P_A·W(B) + P_B·W(A)`. Expanded, these are the same
  // k + 1 terms as `h·P_S − Σ_c w_c·P_{S∖c}`, their factors in the order of the halving, so that the prover's product
  // trie (`src/engine/wasm/product-trie.ts`) shares each half's product as a prefix: O(k·log k) products per coset
  // point instead of the O(k²) of the terms taken one by one.
  const halves = (cs: readonly LogupColumn[]) => [cs.slice(0, cs.length >> 1), cs.slice(cs.length >> 1)] as const;
  const weighted = (cs: readonly LogupColumn[]): Expr => {
    if (cs.length === 1) return monomials(cs[0].weight);
    const [a, b] = halves(cs);
    return [...times(product(a), weighted(b)), ...times(product(b), weighted(a))];
  };
  const bundleTerms = (h: Expr, cs: readonly LogupColumn[]): Expr => {
    if (cs.length === 1) return [...times(h, betaMinus(cs[0])), ...negated(monomials(cs[0].weight))];
    const [a, b] = halves(cs);
    return [...times(product(a), bundleTerms(h, b)), ...negated(times(product(b), weighted(a)))];
  };

  const byName = new Map(spec.columns.map((c) => [c.name, c]));
  const identities: Identity[] = [];
  for (const g of groups) {
    for (const names of layout.bundles.get(g.n)!) {
      const b = names.map((n) => byName.get(n)!);
      identities.push({ name: `logup/${names.join('+')}`, domain: g.n, terms: bundleTerms([term(1, at(logupSlot.helper(names[0])))], b) });
    }
    for (const c of g.columns) {
      if (!c.pad) continue;
      const q = pub(c.pad.selector);
      const f = monomials(c.value);
      const terms = [...f, ...negated(times([term(1, q)], f))];
      if (c.pad.constant) terms.push(term(-1, pub(c.pad.constant)), term(1, q, pub(c.pad.constant)));
      identities.push({ name: `logup-pad/${c.name}`, domain: c.domain, terms });
    }
  }
  const { chain } = layout;

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
    ...groups.flatMap((g) => layout.bundles.get(g.n)!.map((b): SlotDecl => ({ name: logupSlot.helper(b[0]), sort: 'g1', origin: 'message' }))),
    ...chain.hidden.map((h) => h.commitmentSlot),
  ];
  slots.push(...helpers);
  rounds.push({ kind: 'message', slots: helpers.map((d) => d.name) });

  return {
    foldKey: spec.foldKey,
    statement,
    slots,
    rounds,
    oracles: layout.oracles,
    publics: [...(spec.publics ?? []), ...chain.publics],
    identities,
    sums: chain.sums,
  };
}

/**
 * The prover side of {@link logupIopSpec}: the gadget's pre-β and helper rounds, the chained hidden scalars
 * (`G_k` holding the partial sum `S_1 + … + S_k`; the compiler proves the sums), and every oracle's polynomial.
 */
export function logupIopProver(spec: LogupSpec, ctx: BlockContext, witness: LogupWitness): PolyIopProver {
  const layout = layoutOf(spec, bundleBound(ctx));
  const firstHelper = logupSlot.helper(layout.bundles.get(layout.groups[0].n)![0][0]);
  let polys: ReadonlyMap<string, readonly bigint[]> | undefined;
  return {
    round: async (decls, values) => {
      const first = decls[0].name;
      if (spec.committedBeforeBeta.includes(first)) return witness.committedBeforeBeta(values);
      if (first !== firstHelper) throw new BlockfoldError('BLOCK', `${spec.foldKey}: no logUp message step starts with "${first}"`);
      const round = await logupHelperRound(spec, ctx, witness.afterBeta(values), frSlot(values, 'beta'), (g) => layout.bundles.get(g.n)!, witness.tableTotal?.(values));
      const out: Record<string, SlotValue> = { ...round.messages };
      const { hidden, chained } = layout.chain;
      let partial = 0n;
      for (const [k, h] of hidden.entries()) {
        const g = round.state.find((s) => s.group.n === chained[k])!;
        partial = (partial + g.total) % R;
        round.polys.set(h.commitmentSlot.name, [partial]);
        out[h.commitmentSlot.name] = await commit(ctx.kzg, [partial]);
      }
      polys = round.polys;
      return out;
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
