/**
 * How a WASM engine with workers splits one `Engine.cosetIdentities` call (a quotient domain) into pieces that run
 * side by side. The call computes `Σ_p intt_(m_p)(scale_p · Σ_(t ∈ p) coeff_t·Π_(f ∈ t) F_f)`, which is linear in
 * the terms: any partition of each part's terms into pieces, each piece computing the same sum over its own terms
 * (on the same cosets, with the same scales), gives pieces whose results add up to the call's, exactly (field
 * elements; the order of the additions changes nothing). A polynomial read by two pieces is transformed by both,
 * so the split keeps each part's terms, and the terms of a part that must be cut, in runs: consecutive terms of one
 * identity read the same polynomials.
 *
 * Without the split a domain's identities run whole on one worker: on the Fashion CNN its largest domain took about
 * 270 ms on one worker while the other worker and the calling thread, done with every other domain, waited.
 * @module
 */
import type { CosetPart, ProductTerm } from '../engine';
import { readAlone } from '../products';

/** One piece of a split call: its parts (each a run of one part's terms) and the polynomials whose values at the point it gives. */
export interface CosetPiece {
  readonly parts: readonly CosetPart[];
  /** Indices of the polynomials this piece evaluates at the call's point: every polynomial in exactly one piece. */
  readonly evaluates: readonly number[];
}

/** Butterflies of a transform of s points: the unit of {@link cosetPieces}' cost estimate. */
function butterflies(s: number): number {
  return (s / 2) * Math.log2(Math.max(s, 2));
}

/**
 * A split of the call's parts into at most `pieces` pieces, in the parts' order, whose largest estimated work is
 * least: the smallest bound B for which cutting the terms greedily (a piece takes terms while its estimate stays
 * within B) needs at most `pieces` pieces, found by bisection. A piece's estimate counts a transform of each
 * polynomial it reads, on the largest of its own parts that reads it (a product per coefficient for one that a part
 * of the call reads alone, which the engine combines instead), a transform back per part it holds, and a product per
 * factor and point: the cost model of `src/poly/quotient.ts`'s grouping, with what two pieces both transform counted
 * in each. It only sets how the work is shared. Every polynomial is evaluated by the first piece that reads it; those
 * no part reads, by the first piece. Parts without terms are dropped (they add zero).
 */
export function cosetPieces(count: number, parts: readonly CosetPart[], pieces: number): CosetPiece[] {
  const alone = readAlone(count, parts);
  // A polynomial transformed on s points (0: not transformed); one read alone is added into a combination instead.
  const transformCost = (f: number, s: number) => (s === 0 ? 0 : alone[f] ? s : butterflies(s));
  const terms = parts.flatMap((part, p) => part.terms.map((t) => ({ p, t })));
  const cut = (bound: number): { cuts: number[]; worst: number } => {
    const cuts: number[] = [];
    let worst = 0;
    let cost = 0;
    let sizes = new Map<number, number>();
    let runs = new Set<number>();
    terms.forEach(({ p, t }, k) => {
      const m = parts[p].size;
      const step = (fresh: boolean) => {
        let c = m * t.factors.length + (fresh || !runs.has(p) ? butterflies(m) : 0);
        for (const f of new Set(t.factors)) {
          const before = fresh ? 0 : (sizes.get(f) ?? 0);
          if (m > before) c += transformCost(f, m) - transformCost(f, before);
        }
        return c;
      };
      let c = step(false);
      if (k > 0 && cost + c > bound) {
        cuts.push(k);
        worst = Math.max(worst, cost);
        [cost, sizes, runs, c] = [0, new Map(), new Set(), step(true)];
      }
      cost += c;
      runs.add(p);
      for (const f of t.factors) sizes.set(f, Math.max(sizes.get(f) ?? 0, m));
    });
    return { cuts, worst: Math.max(worst, cost) };
  };
  // The whole call in one piece bounds B from above; bisect down to within 1 % of the best split's work (a term
  // larger than B still makes a piece of its own, so a bound that fits may leave a larger piece: the best is kept).
  let best = cut(Infinity);
  let lo = 0;
  let hi = best.worst;
  while (hi - lo > best.worst / 100) {
    const mid = (lo + hi) / 2;
    const trial = cut(mid);
    if (trial.cuts.length < Math.max(1, pieces)) {
      if (trial.worst < best.worst) best = trial;
      hi = mid;
    } else lo = mid;
  }
  const out: { parts: CosetPart[]; read: Set<number> }[] = [];
  let run: { size: number; scale: readonly bigint[]; terms: ProductTerm[] } | undefined;
  terms.forEach(({ p, t }, k) => {
    if (k === 0 || best.cuts.includes(k)) {
      out.push({ parts: [], read: new Set() });
      run = undefined;
    }
    const piece = out[out.length - 1];
    if (!run || terms[k - 1].p !== p) piece.parts.push((run = { size: parts[p].size, scale: parts[p].scale, terms: [] }));
    run.terms.push(t);
    for (const f of t.factors) piece.read.add(f);
  });
  if (out.length === 0) out.push({ parts: [], read: new Set() });
  const evaluates: number[][] = out.map(() => []);
  for (let j = 0; j < count; j++) evaluates[Math.max(0, out.findIndex((piece) => piece.read.has(j)))].push(j);
  return out.map((piece, k) => ({ parts: piece.parts, evaluates: evaluates[k] }));
}
