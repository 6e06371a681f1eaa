/**
 * Cross terms of a fold (docs/folding.md §5.1).
 *
 * For equation `k`, `F_k(x_a + γ·x_b, μ_a + γ·μ_b) = Σ_{j=0..d_k} γ^j·T_{k,j}` with `T_{k,0} = F_k(a)` and
 * `T_{k,d_k} = F_k(b)`. A homogenized monomial is a product of `d_k` factors `(u_f + γ·w_f)` (pairings are
 * bilinear, so G1 and G2 factors count like scalars), hence `T_{k,j}` is the sum, over monomials and over
 * the `j`-subsets `S` of their factors, of the monomial evaluated with the factors in `S` taken from `b`
 * and the others from `a`. Each `T_{k,j}` is stored in the equation's cells: G1 and G2 cells as engine
 * MSMs over the distinct points (terms sharing a point are merged first), the GT cell by one
 * multi-pairing per `(k, j)` (the prover's only pairings), Fr cells directly.
 * @module
 */
import { GT_ONE, type G1Point, type G2Point } from '../src/curve';
import type { Engine } from '../src/engine/engine';
import { ByteReader, ByteWriter } from '../src/encoding/bytes';
import { groupPairingTerms, type ScaledPairing } from '../src/equations/pairing-check';
import { R } from '../src/field';
import { cellBytes, combineCell, decodeCell, encodeCell, type CellValue } from './cells';
import type { EquationShape, FoldKeyDescriptor, HomogeneousMonomial } from './fold-key';
import type { Accumulator } from './relaxed';

/** `crossTerms[k][j − 1][c]`: cell `c` of `T_{k,j}` for `j = 1..d_k − 1` (empty for linear equations). */
export type CrossTerms = readonly (readonly (readonly CellValue[])[])[];

/** One evaluated term of an expansion: `scalar · e(P, Q)` (or `scalar · P`, `scalar · Q`, `scalar`, by cell kind). */
interface ExpandedTerm {
  readonly scalar: bigint;
  readonly p?: G1Point;
  readonly q?: G2Point;
  /** Identifies Q when it is a slot (`a:name` or `b:name`), so GT terms sharing Q are summed first. */
  readonly qGroup?: string;
}

/** Evaluates monomial `m` with factor `i` taken from `b` when bit `i` of `mask` is set, else from `a`. */
function expandMonomial(m: HomogeneousMonomial, a: Accumulator, b: Accumulator, mask: number): ExpandedTerm {
  let scalar = m.coeff;
  let p = typeof m.p === 'object' ? m.p.point : undefined;
  let q = typeof m.q === 'object' ? m.q.point : undefined;
  let qGroup: string | undefined;
  m.factors.forEach((f, i) => {
    const fromB = (mask >> i) & 1;
    const side = fromB ? b : a;
    switch (f.kind) {
      case 'fr':
        scalar = (scalar * (side.values[f.slot] as bigint)) % R;
        break;
      case 'mu':
        scalar = (scalar * side.mu) % R;
        break;
      case 'g1':
        p = side.values[f.slot] as G1Point;
        break;
      case 'g2':
        q = side.values[f.slot] as G2Point;
        qGroup = `${fromB ? 'b' : 'a'}:${f.slot}`;
        break;
    }
  });
  return { scalar, p, q, qGroup };
}

/**
 * Sums the scalars of terms that share a point object (a public point, or one slot of one side met by
 * several monomials or subsets), so each distinct point is multiplied once.
 */
function mergeByPoint<P>(points: readonly P[], terms: readonly ExpandedTerm[]): [P[], bigint[]] {
  const index = new Map<P, number>();
  const ps: P[] = [];
  const ks: bigint[] = [];
  points.forEach((p, i) => {
    const at = index.get(p);
    if (at === undefined) {
      index.set(p, ps.length);
      ps.push(p);
      ks.push(terms[i].scalar);
    } else ks[at] = (ks[at] + terms[i].scalar) % R;
  });
  return [ps, ks];
}

function popcount(x: number): number {
  let n = 0;
  for (; x; x &= x - 1) n++;
  return n;
}

async function equationCrossTerms(engine: Engine, eq: EquationShape, a: Accumulator, b: Accumulator): Promise<CellValue[][]> {
  const d = eq.degree;
  // buckets[j − 1][c]: the expanded terms landing in cell c of T_j.
  const buckets: ExpandedTerm[][][] = Array.from({ length: d - 1 }, () => eq.cells.map(() => []));
  for (const m of eq.monomials) {
    for (let mask = 1; mask < (1 << d) - 1; mask++) buckets[popcount(mask) - 1][m.cell].push(expandMonomial(m, a, b, mask));
  }
  return Promise.all(
    buckets.map((cells) =>
      Promise.all(
        eq.cells.map(async (c, i): Promise<CellValue> => {
          const terms = cells[i];
          switch (c.kind) {
            case 'g1':
              return combineCell(engine, 'g1', ...mergeByPoint(terms.map((t) => t.p!), terms));
            case 'g2':
              return combineCell(engine, 'g2', ...mergeByPoint(terms.map((t) => t.q!), terms));
            case 'gt': {
              if (terms.length === 0) return GT_ONE;
              const scaled: ScaledPairing[] = terms.map((t) => ({ scalar: t.scalar, g1: t.p!, g2: t.q!, g2Key: t.qGroup }));
              return engine.multiPairing(await groupPairingTerms(engine, scaled));
            }
            case 'fr':
              return terms.reduce((s, t) => (s + t.scalar) % R, 0n);
          }
        }),
      ),
    ),
  );
}

/** The cross terms of folding `a` with `b` (prover side). */
export async function computeCrossTerms(engine: Engine, desc: FoldKeyDescriptor, a: Accumulator, b: Accumulator): Promise<CrossTerms> {
  const out: CellValue[][][] = [];
  for (const eq of desc.equations) out.push(await equationCrossTerms(engine, eq, a, b));
  return out;
}

/** Bytes of one fold's cross terms: `Σ_k (d_k − 1) · Σ_cells size`. */
export function crossTermBytes(desc: FoldKeyDescriptor): number {
  let n = 0;
  for (const eq of desc.equations) for (const c of eq.cells) n += (eq.degree - 1) * cellBytes(c);
  return n;
}

/** Canonical encoding, equation by equation, `j` ascending, cell by cell. */
export function encodeCrossTerms(desc: FoldKeyDescriptor, t: CrossTerms): Uint8Array {
  const w = new ByteWriter();
  desc.equations.forEach((eq, k) => {
    for (let j = 0; j < eq.degree - 1; j++) eq.cells.forEach((c, i) => w.write(encodeCell(c, t[k][j][i])));
  });
  return w.bytes();
}

/** Decodes exactly one fold's cross terms; every G2 point and GT element is checked to lie in its prime-order subgroup. */
export function decodeCrossTerms(desc: FoldKeyDescriptor, bytes: Uint8Array): CrossTerms {
  const r = new ByteReader(bytes);
  const out = desc.equations.map((eq) => Array.from({ length: eq.degree - 1 }, () => eq.cells.map((c) => decodeCell(c, r))));
  r.finish('cross terms');
  return out;
}
