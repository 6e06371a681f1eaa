/**
 * One table per function: lookups of one function at one pair of scales (the same `fn|in=s|out=t`) whose integer
 * domains differ (a LayerNorm's rsqrt up to its own calibrated variance, a softmax's exp down to its own clamp) are
 * given one table over the smallest interval holding their domains. Equal tables have equal digests, so the
 * lowering merges their lookups into one lookup block: one multiplicity column and one table-side helper instead
 * of one per layer.
 *
 * Why it is sound and changes no value: a lookup proves only that (x, y) is a pair of its table, and a widened
 * table holds every pair of the original domain unchanged (T(x) is computed from f and the scales alone, which
 * widening keeps), plus pairs the original did not hold. Every bound derived from the table's outputs (`opBound`,
 * the lowering's ranges) is computed from the widened table, so it covers every entry a prover could pick.
 * A widened table widens its lookup's output bound, and a later choice made from a bound (a partial lookup's domain
 * and output scale) may then differ; `quantize` keeps the widened tables only when its second pass asked for the same
 * tables and chose the same scales as the first, so a model's integers never change.
 *
 * Domains are merged only when they overlap or touch and their union fits every member's limit: every entry of a
 * merged table is then an entry of one of the tables it replaces (no point where f is undefined, as between a pole's
 * two sides, and output bounds that are the union of theirs), and it has at most as many entries as they had together.
 * Domains with a gap between them stay apart.
 * @module
 */
import { tableFunction, type TableSpec } from './tables';

/** A merged domain [lo, hi] of one function, with the fewest entries any member allows (the most it may hold). */
interface Cluster {
  readonly lo: bigint;
  readonly hi: bigint;
  readonly members: number;
  readonly maxEntries: number;
}

/** The domain every table of the model is built over, from the domains its lookups ask for. */
export class TableDomains {
  /** Whether some table is widened: some merged domain holds two or more distinct wanted domains. */
  readonly widens: boolean;

  private constructor(private readonly clusters: ReadonlyMap<string, readonly Cluster[]>) {
    this.widens = [...clusters.values()].some((cs) => cs.some((c) => c.members > 1));
  }

  /**
   * Groups the wanted domains by function (`tableFunction`), sorts each group's distinct domains by (lo, hi), and
   * grows a cluster [lo, hi] from left to right by each next domain [a, b] with a ≤ hi + 1 (no gap) while
   * [lo, max(hi, b)] has at most every member's `maxEntries` entries.
   */
  static merge(wanted: readonly TableSpec[]): TableDomains {
    const groups = new Map<string, Map<string, TableSpec>>();
    for (const s of wanted) {
      const key = tableFunction(s);
      let g = groups.get(key);
      if (!g) groups.set(key, (g = new Map()));
      g.set(`${s.lo},${s.hi}`, s);
    }
    const clusters = new Map<string, Cluster[]>();
    for (const [key, g] of groups) {
      const specs = [...g.values()].sort((a, b) => (a.lo !== b.lo ? (a.lo < b.lo ? -1 : 1) : a.hi < b.hi ? -1 : a.hi > b.hi ? 1 : 0));
      const out: Cluster[] = [];
      for (const s of specs) {
        const last = out.at(-1);
        if (last && s.lo <= last.hi + 1n) {
          const hi = s.hi > last.hi ? s.hi : last.hi;
          const maxEntries = Math.min(last.maxEntries, s.maxEntries);
          if (hi - last.lo + 1n <= BigInt(maxEntries)) {
            out[out.length - 1] = { lo: last.lo, hi, members: last.members + 1, maxEntries };
            continue;
          }
        }
        out.push({ lo: s.lo, hi: s.hi, members: 1, maxEntries: s.maxEntries });
      }
      clusters.set(key, out);
    }
    return new TableDomains(clusters);
  }

  /**
   * The domain to tabulate `spec` over: its function's merged domain that contains [spec.lo, spec.hi], or the
   * spec's own domain when none does (a lookup this merge was not computed from).
   */
  domainOf(spec: TableSpec): { readonly lo: bigint; readonly hi: bigint } {
    const c = this.clusters.get(tableFunction(spec))?.find((k) => k.lo <= spec.lo && spec.hi <= k.hi && k.hi - k.lo + 1n <= BigInt(spec.maxEntries));
    return c ? { lo: c.lo, hi: c.hi } : { lo: spec.lo, hi: spec.hi };
  }
}
