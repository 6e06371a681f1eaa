/**
 * The points besides ζ at which the poly-IOP compiler opens a committed polynomial (`blocks/poly-iop.ts`, "Rotations"
 * and "Compositions"): `ω_n^s·ζ` for a factor reading it rotated by s on its domain H_n, and `ζ^k` for a factor reading
 * it composed, `f(X^k)`.
 *
 * A point is typed by its kind, not encoded in one number: the blinding of a polynomial takes one coefficient per
 * distinct point (`blocks/hiding.ts`), so the key's SRS and the prover's blinding both count these lists
 * (`committedRotations`, `Block.openingRotations`, `src/pipeline/block-graph.ts`), and a number that meant a rotation
 * to one reader and a power to another would size a blinding for points the proof never opens, or too few for those
 * it does. The two kinds name one point only with probability ≤ k/r (`ζ^k = ω^s·ζ` is an equation of degree k in ζ,
 * drawn after every commitment), so a polynomial read both ways counts both.
 * @module
 */

/**
 * A point besides ζ at which a committed polynomial of domain H_n is opened: the rotation `ω_n^s·ζ`, s ∈ [1, n)
 * normalized (on H_1, where `ω_1 = 1`, a nonzero rotation is s = 1, opened at ζ as its own point), or the composition
 * point `ζ^k` of a read `f(X^k)`, k ≥ 2.
 */
export type OpeningPoint = { readonly kind: 'rotation'; readonly rotation: number } | { readonly kind: 'power'; readonly power: number };

/**
 * The name of a point: `ω^s·ζ` for the rotation s, `ζ^k` for the power k. Distinct points have distinct names, so a
 * name is also the key by which a set of points counts each once.
 */
export function openingPointName(p: OpeningPoint): string {
  switch (p.kind) {
    case 'rotation':
      return `ω^${p.rotation}·ζ`;
    case 'power':
      return `ζ^${p.power}`;
  }
}

/**
 * The distinct points among `points` (equal kind and number: one point, one blinding coefficient), rotations ascending
 * then powers ascending, the order in which the compiler's batches open them (`blocks/poly-iop.ts`, `planOf`).
 */
export function distinctOpeningPoints(points: Iterable<OpeningPoint>): OpeningPoint[] {
  const byName = new Map<string, OpeningPoint>();
  for (const p of points) byName.set(openingPointName(p), p);
  const order = (p: OpeningPoint) => (p.kind === 'rotation' ? [0, p.rotation] : [1, p.power]);
  return [...byName.values()].sort((a, b) => {
    const [ka, va] = order(a);
    const [kb, vb] = order(b);
    return ka - kb || va - vb;
  });
}
