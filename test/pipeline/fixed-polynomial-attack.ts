/**
 * The attack on rows whose blinding is fixed across proofs (docs/soundness.md, "Zero knowledge"), as linear algebra
 * over Fr on what proofs reveal, and the relink pass undone for the control experiments.
 *
 * A row `x` committed `[x + Z_H·b]₁` with b the same in every proof (a weight's setup b₀, a hashed input's
 * input-derived blinding) is a fixed polynomial `P = x + Z_H·b` of degree < n + |b|. If some fixed combination
 * `Σ_s c_s·v_s` of the field elements `v_s` a proof sends equals `P(ζ)` in every proof (a direct opening of the row,
 * or a combination that cancels every per-proof blinding), then proofs j = 1 … k satisfy
 * `Σ_s c_s·v_s^(j) − Σ_{i<d} p_i·ζ_j^i = 0`: a kernel vector of the k × (m + d) matrix `[V | Z]` (V: the m values
 * each proof sends, Z: the powers of each proof's ζ) whose Z part is nonzero. The attacker needs neither c nor P:
 * the Z parts of the kernel span every fixed polynomial of degree < d that some combination of sent values reaches
 * (the intersection of the two column spaces, of dimension `rank(V) + d − rank([V | Z])`), and a reached
 * polynomial's values on H are those of the rows it is made of. Some reached polynomials are public: a limb split's
 * offset (a constant) and, over proofs of one input, the public output rows; what the attack learns is what the
 * reached polynomials show on H beyond the public vectors. With fresh blinding on every hidden row, that is
 * nothing once k exceeds rank(V) + d.
 */
import type { ProvingKey } from '../../src/pipeline/keys';
import type { BlockGraph } from '../../src/pipeline/block-graph';
import { Fr, frFromSigned } from '../../src/field';
import { EvaluationDomain } from '../../src/poly/domain';
import { interpolate } from '../../src/poly/interpolate';
import { frSlot } from '../../src/equations/evaluate';
import { modelProtocol, prove, replayArgument, verify, type Statement } from '../../src/pipeline/prove-verify';
import { RelinkBlock } from '../../blocks/relink';

/** `P(z)` for the polynomial of degree < points.length through `points` (Lagrange form). */
export function interpolateAt(points: readonly (readonly [bigint, bigint])[], z: bigint): bigint {
  let acc = 0n;
  points.forEach(([xk, yk], k) => {
    let num = 1n;
    let den = 1n;
    points.forEach(([xj], j) => {
      if (j === k) return;
      num = Fr.mul(num, Fr.sub(z, xj));
      den = Fr.mul(den, Fr.sub(xk, xj));
    });
    acc = Fr.add(acc, Fr.mul(yk, Fr.mul(num, Fr.inv(den))));
  });
  return acc;
}

/** A row echelon basis over Fr, grown one row at a time: each basis row has a pivot 1 that every later row lacks. */
class Echelon {
  private readonly basis: { pivot: number; row: bigint[] }[] = [];

  get rank(): number {
    return this.basis.length;
  }

  /** Adds `row` to the span; returns whether it was independent of the rows before. */
  add(row: readonly bigint[]): boolean {
    const r = row.map((v) => Fr.create(v));
    for (const b of this.basis) {
      const f = r[b.pivot];
      if (f !== 0n) for (let c = b.pivot; c < r.length; c++) r[c] = Fr.sub(r[c], Fr.mul(f, b.row[c]));
    }
    const pivot = r.findIndex((v) => v !== 0n);
    if (pivot < 0) return false;
    const inv = Fr.inv(r[pivot]);
    this.basis.push({ pivot, row: r.map((v) => Fr.mul(v, inv)) });
    return true;
  }
}

/** The rank over Fr of a matrix given by rows. */
export function rankFr(rows: readonly (readonly bigint[])[]): number {
  const e = new Echelon();
  for (const r of rows) e.add(r);
  return e.rank;
}

/**
 * `model` with the relink pass undone (the control of the attacks): every relink block and its copy removed, the
 * copy's readers reading the original tensor, as the lowering made the graph.
 */
export function withoutRelink<M extends { readonly graph: BlockGraph }>(model: M): M {
  const original = new Map(model.graph.nodes.filter((n) => n.block instanceof RelinkBlock).map((n) => [n.bind.y, n.bind.x]));
  const nodes = model.graph.nodes
    .filter((n) => !(n.block instanceof RelinkBlock))
    .map((n) => ({ block: n.block, bind: Object.fromEntries(Object.entries(n.bind).map(([name, id]) => [name, original.get(id) ?? id])) }));
  return { ...model, graph: { tensors: model.graph.tensors.filter((t) => !original.has(t.id)), nodes } };
}

/** What one proof reveals of the attack's unknowns: its ζ and every field element it sends, in protocol order. */
export interface Revealed {
  readonly statement: Statement;
  readonly zeta: bigint;
  readonly values: readonly bigint[];
}

/** The field elements a proof sends (the model protocol's Fr message slots, replayed as the verifier reads them), ζ and the statement. */
export async function revealed(pk: ProvingKey, statement: Statement, proof: Uint8Array): Promise<Revealed> {
  const v = (await replayArgument(pk.vk, statement, proof)).instance.values;
  const sent = modelProtocol(pk.vk).slots.filter((s) => s.origin === 'message' && s.sort === 'fr');
  return { statement, zeta: frSlot(v, 'zeta'), values: sent.map((s) => frSlot(v, s.name)) };
}

/** The m revealed values and the powers `ζ^0 … ζ^(d−1)` of each proof: the rows of `[V | Z]`. */
function rowsOf(proofs: readonly Revealed[], d: number): bigint[][] {
  return proofs.map((p) => [...p.values, ...Array.from({ length: d }, (_, i) => Fr.pow(p.zeta, BigInt(i)))]);
}

/** A basis of the kernel `{x : A·x = 0}` of a matrix given by rows (reduced row echelon form). */
function kernel(rows: readonly (readonly bigint[])[]): bigint[][] {
  const width = rows[0]?.length ?? 0;
  const m = rows.map((r) => r.map((v) => Fr.create(v)));
  const pivots: number[] = [];
  for (let col = 0; col < width && pivots.length < m.length; col++) {
    const at = pivots.length;
    const p = m.findIndex((r, i) => i >= at && r[col] !== 0n);
    if (p < 0) continue;
    [m[at], m[p]] = [m[p], m[at]];
    const inv = Fr.inv(m[at][col]);
    m[at] = m[at].map((v) => Fr.mul(v, inv));
    for (let i = 0; i < m.length; i++) {
      const f = m[i][col];
      if (i !== at && f !== 0n) m[i] = m[i].map((v, c) => Fr.sub(v, Fr.mul(f, m[at][c])));
    }
    pivots.push(col);
  }
  const pivotSet = new Set(pivots);
  return Array.from({ length: width }, (_, c) => c)
    .filter((c) => !pivotSet.has(c))
    .map((free) => {
      const x = new Array<bigint>(width).fill(0n);
      x[free] = 1n;
      pivots.forEach((c, i) => (x[c] = Fr.neg(m[i][free])));
      return x;
    });
}

/**
 * A basis (coefficient vectors, low degree first) of the polynomials of degree < d that one fixed combination of
 * the revealed values equals at every proof's ζ: the Z parts of the kernel of `[V | Z]` (module comment). Empty
 * means no combination of revealed values is a fixed polynomial of degree < d in ζ.
 */
export function reachedPolynomials(proofs: readonly Revealed[], d: number): bigint[][] {
  const basis = new Echelon();
  const out: bigint[][] = [];
  for (const x of kernel(rowsOf(proofs, d))) {
    const p = x.slice(x.length - d);
    if (basis.add(p)) out.push(p);
  }
  return out;
}

/** The coefficients (low degree first) of the polynomial of degree < n through a row's values on H_n, zero-padded. */
export function rowPolynomial(row: readonly bigint[], n: number): bigint[] {
  return interpolate(Array.from({ length: n }, (_, c) => frFromSigned(row[c] ?? 0n)));
}

/** `p(z)` for coefficients p, low degree first (Horner). */
function evaluate(p: readonly bigint[], z: bigint): bigint {
  return p.reduceRight((acc, c) => Fr.add(Fr.mul(acc, z), c), 0n);
}

/**
 * The polynomials the attacker knows without any proof, over proofs of one statement: the constants (a limb split's
 * offset is one) and the public input and output rows, each over its tensor's domain.
 */
export function publicPolynomials(graph: BlockGraph, statement: Statement): bigint[][] {
  const domain = new Map(graph.tensors.map((t) => [t.id, t.domain]));
  const rows = Object.entries({ ...statement.inputs, ...statement.outputs }).flatMap(([id, rs]) => rs.map((r) => rowPolynomial(r, domain.get(id)!)));
  return [[1n], ...rows];
}

/**
 * How many dimensions of what the reached polynomials show on the domains of `graph` are not public: for each
 * domain size n of its tensors, `rank(public|H_n ∪ reached|H_n) − rank(public|H_n)`, summed. A reached
 * polynomial's values on H_n are what it tells about the rows of that domain it is made of (a blinding `Z_H·b`
 * vanishes there); zero means the proofs show nothing on any domain that the statement does not.
 */
export function hiddenDimensions(reached: readonly (readonly bigint[])[], graph: BlockGraph, publicPolys: readonly (readonly bigint[])[]): number {
  let hidden = 0;
  for (const n of new Set(graph.tensors.map((t) => t.domain))) {
    const onH = (ps: readonly (readonly bigint[])[]) => ps.map((p) => new EvaluationDomain(n).elements().map((w) => evaluate(p, w)));
    hidden += rankFr([...onH(publicPolys), ...onH(reached)]) - rankFr(onH(publicPolys));
  }
  return hidden;
}

/** Whether one fixed combination of the revealed values equals `column[j]` in every proof j: `rank([V | column]) = rank(V)`. */
export function reachedByCombination(proofs: readonly Revealed[], column: readonly bigint[]): boolean {
  return rankFr(proofs.map((p, j) => [...p.values, column[j]])) === rankFr(proofs.map((p) => p.values));
}

/** `(x + Z_H·b)(ζ)` for the row x (its values on H_n, zero-padded) blinded by the coefficients b: a fixed-blinding row's polynomial. */
export function blindedRowAt(x: readonly bigint[], b: readonly bigint[], n: number, zeta: bigint): bigint {
  return Fr.add(evaluate(rowPolynomial(x, n), zeta), Fr.mul(new EvaluationDomain(n).vanishingAt(zeta), evaluate(b, zeta)));
}

/**
 * Proofs beyond `rank(V) + d` that the attack collects: `[V | Z]` has rank at most k, so a kernel with no Z part is
 * only possible once `k ≥ rank(V) + d`; the margin keeps a chance dependency among the ζ's from faking a reached
 * polynomial.
 */
const MARGIN = 4;

/**
 * Proves `inputsFor(k)` for k = 0, 1, … with `pk` (the first proof is verified) until the attack of degree d is
 * decidable (k ≥ rank(V) + d + margin), at most `cap` proofs; returns what each proof revealed.
 */
export async function collectRevealed(pk: ProvingKey, inputsFor: (k: number) => Statement['inputs'], d: number, cap = 200): Promise<Revealed[]> {
  const out: Revealed[] = [];
  const values = new Echelon();
  while (out.length < values.rank + d + MARGIN) {
    if (out.length === cap) throw new Error(`${cap} proofs do not decide the attack (revealed values of rank ${values.rank})`);
    const { statement, proof } = await prove(pk, inputsFor(out.length));
    if (out.length === 0 && !(await verify(pk.vk, statement, proof.bytes)).ok) throw new Error('the first proof does not verify');
    const r = await revealed(pk, statement, proof.bytes);
    values.add(r.values);
    out.push(r);
  }
  return out;
}
